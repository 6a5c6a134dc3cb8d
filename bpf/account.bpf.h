/* SPDX-License-Identifier: GPL-2.0 */
/*
 * account.bpf.h - per-node accounting. Ingress (CG_MAPS_INGRESS): one
 * frame's outcome added to its source's row (cg_src, or cg_src_kept for a
 * blocked source). Egress (CG_MAPS_EGRESS): one skb's outcome added to its
 * destination's row (cg_dst). Define the group before including maps.bpf.h.
 */
#ifndef CG_ACCOUNT_BPF_H
#define CG_ACCOUNT_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "csumguard.h"
#include "maps.bpf.h"
#ifdef CG_MAPS_INGRESS
#include "nodes.bpf.h"	/* enum cg_ttl_state */
#endif

#if !defined(CG_MAPS_INGRESS) && !defined(CG_MAPS_EGRESS)
#error "account.bpf.h counts into a hook's tables: define CG_MAPS_INGRESS or CG_MAPS_EGRESS"
#endif

#ifdef CG_MAPS_INGRESS

/* What happened to one frame, for the per-source row. */
struct cg_event {
	enum cg_verdict v;	/* CG_VERDICT_MAX: no verdict (unparsed) */
	__u64 bytes;
	int dropped;
	/* known nodes (bpf/nodes.bpf.h) */
	__u8 known;		/* the source is a known node: its row is in cg_src_nodes */
	__u8 unknown;		/* an unknown sender (the set is not empty) */
	__u8 ttl_state;		/* enum cg_ttl_state */
};

/* The source's row in map (inserted when missing), or NULL when the map has
 * no room. Sets *inserted when this call created the row. */
static __always_inline struct cg_src_stats *src_row(void *map, const struct cg_addr *src,
						    int *inserted)
{
	struct cg_src_stats *st = bpf_map_lookup_elem(map, src);

	if (!st) {
		struct cg_src_stats fresh = {};

		/* EEXIST: another CPU inserted it first, fine (not ours). */
		*inserted = !bpf_map_update_elem(map, src, &fresh, BPF_NOEXIST);
		st = bpf_map_lookup_elem(map, src);
	}
	return st;
}

/* Records one frame for a source: in cg_src_nodes if it is a known node,
 * else in cg_src_kept if it is blocked (each falling back to the next when
 * full), else in cg_src, whose inserts are counted in ifs
 * (CG_IF_SRC_INSERTED). Returns 0, or -1 if it had no slot. */
static __always_inline int account_source(const struct cg_addr *src, const struct cg_event *ev,
					  int blocked, struct cg_iface_stats *ifs)
{
	struct cg_src_stats *st = NULL;
	int inserted = 0;

	if (ev->known)
		st = src_row(&cg_src_nodes, src, &inserted);
	if (!st && blocked)
		st = src_row(&cg_src_kept, src, &inserted);
	if (!st) {
		inserted = 0;
		st = src_row(&cg_src, src, &inserted);
		if (inserted)
			ifs->c[CG_IF_SRC_INSERTED]++;
	}
	if (!st)
		return -1;
	if (ev->v < CG_VERDICT_MAX) {
		st->packets++;
		st->bytes += ev->bytes;
		st->verdict[ev->v]++;
	} else {
		st->unparsed++;
	}
	if (ev->dropped)
		st->dropped++;
	if (ev->v == CG_V_BAD)
		st->last_bad_ns = bpf_ktime_get_boot_ns();
	st->unknown_sender += ev->unknown;
	if (ev->ttl_state == CG_TTL_MISMATCH) {
		st->ttl_mismatch++;
	} else if (ev->ttl_state == CG_TTL_MATCH &&
		   (ev->v == CG_V_OK || ev->v == CG_V_BAD || ev->v == CG_V_UNFINISHED)) {
		/* the auto-block policy's evidence: checked, with the node's TTL */
		st->evidence_checked++;
		if (ev->v == CG_V_BAD)
			st->evidence_bad++;
	}
	return 0;
}

#endif /* CG_MAPS_INGRESS */

#ifdef CG_MAPS_EGRESS

/* What happened to one skb leaving, for its destination's row. */
struct cg_egress_event {
	enum cg_egress_state state;
	__u32 weight;		/* wire packets: gso_segs of a GSO skb, else 1 */
	__u64 bytes;		/* skb->len */
	__u8 gso;		/* a GSO super-packet */
	__u8 facts;		/* its skb facts were read */
	__u8 offloaded_fact;	/* offloaded, and the skb said so */
	__u8 gso_meta_bad;	/* GSO tunnel skb with inconsistent inner offsets */
	__u8 dropped;
};

/* Records one skb for a destination in cg_dst (inserting its row, counted
 * in ifs as CG_IF_SRC_INSERTED). Returns 0, or -1 if it had no slot. */
static __always_inline int account_dest(const struct cg_addr *dst,
					const struct cg_egress_event *ev,
					struct cg_egress_stats *ifs)
{
	struct cg_dst_stats *st = bpf_map_lookup_elem(&cg_dst, dst);

	if (!st) {
		struct cg_dst_stats fresh = {};

		/* EEXIST: another CPU inserted it first, fine (not ours). */
		if (!bpf_map_update_elem(&cg_dst, dst, &fresh, BPF_NOEXIST))
			ifs->c[CG_IF_SRC_INSERTED]++;
		st = bpf_map_lookup_elem(&cg_dst, dst);
	}
	if (!st)
		return -1;
	st->packets += ev->weight;
	st->bytes += ev->bytes;
	st->gso += ev->gso;
	if (ev->state < CG_EGRESS_STATE_MAX)
		st->state[ev->state] += ev->weight;
	if (ev->facts)
		st->facts += ev->weight;
	if (ev->offloaded_fact)
		st->offloaded_fact += ev->weight;
	st->gso_meta_bad += ev->gso_meta_bad;
	st->dropped += ev->dropped;
	if (ev->state == CG_E_FINAL_BAD)
		st->last_bad_ns = bpf_ktime_get_boot_ns();
	return 0;
}

#endif /* CG_MAPS_EGRESS */

#endif /* CG_ACCOUNT_BPF_H */
