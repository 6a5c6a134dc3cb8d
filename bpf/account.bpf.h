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
#include "nodes.bpf.h"	/* CG_NB_* */
#endif

#if !defined(CG_MAPS_INGRESS) && !defined(CG_MAPS_EGRESS)
#error "account.bpf.h counts into a hook's tables: define CG_MAPS_INGRESS or CG_MAPS_EGRESS"
#endif

#ifdef CG_MAPS_INGRESS

/*
 * Indexes into counter arrays, checked against the array's size by the
 * caller and masked to the next power of two here: clang may spill a
 * checked index to the stack and reload it, and 6.1's verifier does not
 * carry the bound through a 32-bit spill ("R1 unbounded memory access",
 * seen for zero_inner[]); the mask bounds it whatever clang does (the
 * masked value stays inside the map value). barrier_var() first, or clang,
 * knowing the index is below the size, drops the mask as a no-op.
 */
#define cg_idx(i, mask) ({ __u32 __i = (i); barrier_var(__i); __i & (mask); })
#define CG_IDX_VERDICT(i)	cg_idx(i, 7)
#define CG_IDX_CLASS(i)		cg_idx(i, 3)
#define CG_IDX_ZERO_INNER(i)	cg_idx(i, 3)
_Static_assert(CG_VERDICT_MAX <= 8 && CG_BAD_CLASS_MAX <= 4 && CG_ZERO_INNER_MAX <= 4,
	       "widen the CG_IDX_ masks");

/* Which counters of the source's row one frame moves. */
enum cg_row {
	CG_ROW_VERDICT = 0,	/* packets, bytes, the verdict (and its class) */
	CG_ROW_UNPARSED,	/* unparsed: the headers could not be followed */
	CG_ROW_UNVERIFIED,	/* unverified: sampling let it pass unchecked */
};

/* What happened to one frame, for the per-source row. To count something
 * new per source: a field here, set by the entry point, added in
 * src_add() (and its row in lib/names.c). */
struct cg_event {
	enum cg_row row;
	enum cg_verdict v;	/* CG_ROW_VERDICT */
	__u32 sub;		/* bad: enum cg_bad_class; zero: enum cg_zero_inner */
	__u64 bytes;
	__u8 dropped;
	__u8 repaired;		/* its outer checksum was rewritten (repair mode) */
	__u8 nodes;		/* CG_NB_* (bpf/nodes.bpf.h): known (its row is in
				 * cg_src_nodes), unknown sender, TTL, evidence */
};

/* A new source's parts: all zero. Read-only data, not a stack copy: the
 * shared part is 176 bytes, and on the stack it pushed the XDP program's
 * calls past the 512-byte combined stack limit (the verifier adds up the
 * frames of a call chain). */
static const struct cg_src_hot cg_src_hot_fresh = {};
static const struct cg_src_stats cg_src_fresh = {};

/* The row in map (inserted when missing), or NULL when the map has no room.
 * Sets *inserted when this call created the row. */
static __always_inline void *src_row(void *map, const struct cg_addr *src, const void *fresh,
				     int *inserted)
{
	void *st = bpf_map_lookup_elem(map, src);

	if (!st) {
		/* EEXIST: another CPU inserted it first, fine (not ours). */
		*inserted = !bpf_map_update_elem(map, src, fresh, BPF_NOEXIST);
		st = bpf_map_lookup_elem(map, src);
	}
	return st;
}

/* Does the frame go to the per-CPU part alone? The verdicts a steady stream
 * gets (ok, unfinished, zero with its inner audit), with nothing else to say: not dropped, not
 * repaired, and of the sender at most "known, with its TTL" (CG_NB_KNOWN,
 * CG_NB_EV_CHECKED). Every other frame goes wholly to the shared part. */
static __always_inline int src_is_hot(const struct cg_event *ev)
{
	return ev->row == CG_ROW_VERDICT &&
	       (ev->v == CG_V_OK || ev->v == CG_V_UNFINISHED ||
		(ev->v == CG_V_ZERO && ev->sub < CG_ZERO_INNER_MAX)) &&
	       !ev->dropped && !ev->repaired &&
	       !(ev->nodes & ~(CG_NB_KNOWN | CG_NB_EV_CHECKED));
}

/* Adds a common frame to this CPU's part of its source's row. */
static __always_inline void src_add_hot(struct cg_src_hot *h, const struct cg_event *ev)
{
	h->bytes += ev->bytes;
	if (ev->v == CG_V_OK)
		h->ok++;
	else if (ev->v == CG_V_UNFINISHED)
		h->unfinished++;
	else	/* zero, sub checked by src_is_hot */
		h->zero_inner[CG_IDX_ZERO_INNER(ev->sub)]++;
	h->evidence_checked += ev->nodes >> 3 & 1;
}

/* Adds any other frame to the shared part of its source's row: atomic adds
 * (every CPU writes this copy; BPF_XADD, the result unused, so 5.10 loads
 * it), plain stores for the times (the newest wins either way; two CPUs'
 * first bad frames at once may both set first_bad_ns, nanoseconds apart). */
static __always_inline void src_add_rare(struct cg_src_stats *st, const struct cg_event *ev)
{
	switch (ev->row) {
	case CG_ROW_VERDICT:
		__sync_fetch_and_add(&st->packets, 1);
		__sync_fetch_and_add(&st->bytes, ev->bytes);
		if (ev->v < CG_VERDICT_MAX)
			__sync_fetch_and_add(&st->verdict[CG_IDX_VERDICT(ev->v)], 1);
		if (ev->v == CG_V_BAD && ev->sub < CG_BAD_CLASS_MAX)
			__sync_fetch_and_add(&st->bad_class[CG_IDX_CLASS(ev->sub)], 1);
		else if (ev->v == CG_V_ZERO && ev->sub < CG_ZERO_INNER_MAX)
			__sync_fetch_and_add(&st->zero_inner[CG_IDX_ZERO_INNER(ev->sub)], 1);
		break;
	case CG_ROW_UNPARSED:
		__sync_fetch_and_add(&st->unparsed, 1);
		break;
	case CG_ROW_UNVERIFIED:
		__sync_fetch_and_add(&st->unverified, 1);
		break;
	}
	if (ev->dropped)
		__sync_fetch_and_add(&st->dropped, 1);
	if (ev->repaired)
		__sync_fetch_and_add(&st->repaired, 1);
	/* Known nodes: one branch, adds without branches (every branch here
	 * is walked again for every path the verdict split the program into:
	 * bpf/nodes.bpf.h). Only when the set says something of the sender. */
	if (ev->nodes & ~CG_NB_KNOWN) {
		__sync_fetch_and_add(&st->unknown_sender, ev->nodes >> 1 & 1);
		__sync_fetch_and_add(&st->ttl_mismatch, ev->nodes >> 2 & 1);
		__sync_fetch_and_add(&st->evidence_checked, ev->nodes >> 3 & 1);
		__sync_fetch_and_add(&st->evidence_bad, ev->nodes >> 4 & 1);
	}
	if (ev->row == CG_ROW_VERDICT && ev->v == CG_V_BAD) {
		__u64 now = bpf_ktime_get_boot_ns();

		st->last_bad_ns = now;
		if (!st->first_bad_ns)
			st->first_bad_ns = now;
	}
}

/* Adds pending per-CPU counts (a cache slot's) to a row's per-CPU part. */
static __always_inline void hot_add(struct cg_src_hot *h, const struct cg_src_hot *c)
{
	h->bytes += c->bytes;
	h->ok += c->ok;
	h->unfinished += c->unfinished;
	h->zero_inner[0] += c->zero_inner[0];
	h->zero_inner[1] += c->zero_inner[1];
	h->zero_inner[2] += c->zero_inner[2];
	h->zero_inner[3] += c->zero_inner[3];
	h->evidence_checked += c->evidence_checked;
}
_Static_assert(CG_ZERO_INNER_MAX == 4, "hot_add adds four zero_inner");

/* Is the slot a's, in table? One branch for the caller, not six: every
 * branch here is walked again for every path the verdicts split the
 * program into (the verifier's count on 6.1 went from 394k to 751k with a
 * branch per word). */
static __always_inline int slot_is(const struct cg_src_slot *slot, const struct cg_addr *a,
				   __u32 table)
{
	const __u32 *x = (const __u32 *)&slot->key, *y = (const __u32 *)a;

	return !((slot->table ^ table) | (x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) |
		 (x[3] ^ y[3]) | (x[4] ^ y[4]));
}

/* Moves a cache slot's pending counts into its source's row: a known
 * node's row if it is one, else its blocked row if it is blocked, else the
 * cg_src row, inserted again (counted, with the shared part of a row
 * evicted before) if it was evicted since. The source may have become a
 * known node or been blocked since it took the slot: user space then moved
 * its row out of cg_src (lib/maps.c cg_src_move_rows) into a table never
 * evicted, and its pending counts must follow it there, not into the
 * zeroed cg_src row the move left, which a flood can evict (e2e flood100k
 * lost a blocked node's 50 pings so). Each lookup is behind its table's
 * count, read here on the miss path only. Counts that find no row (cg_src
 * full of rows being inserted by other CPUs at that instant) are
 * unaccounted, never silent. */
static __always_inline void slot_flush(struct cg_src_slot *slot, struct cg_iface_stats *ifs)
{
	struct cg_src_hot *r = NULL;
	__u32 zero = 0, *n;

	if (slot->table == CG_SLOT_FREE)
		return;
	n = bpf_map_lookup_elem(&cg_node_count, &zero);
	if (n && *n)
		r = bpf_map_lookup_elem(&cg_src_nodes, &slot->key);
	if (!r) {
		n = bpf_map_lookup_elem(&cg_block_count, &zero);
		if (n && *n)
			r = bpf_map_lookup_elem(&cg_src_kept, &slot->key);
	}
	if (!r) {
		r = bpf_map_lookup_elem(&cg_src, &slot->key);
		if (!r) {
			bpf_map_delete_elem(&cg_src_rare, &slot->key);
			if (!bpf_map_update_elem(&cg_src, &slot->key, &cg_src_hot_fresh,
						 BPF_NOEXIST)) {
				ifs->c[CG_IF_SRC_INSERTED]++;
				ifs->c[CG_IF_SRC_REINSERTED]++;
			}
			r = bpf_map_lookup_elem(&cg_src, &slot->key);
		}
	}
	if (r)
		hot_add(r, &slot->c);
	else
		ifs->c[CG_IF_UNACCOUNTED] += slot->c.ok + slot->c.unfinished +
					     slot->c.zero_inner[0] + slot->c.zero_inner[1] +
					     slot->c.zero_inner[2] + slot->c.zero_inner[3];
}

/* Which table pair a source's row is in. */
enum cg_src_table { CG_ST_LRU = 0, CG_ST_KEPT, CG_ST_NODES };

/*
 * Records one frame for a source: in cg_src_nodes if it is a known node,
 * else in cg_src_kept if it is blocked (each falling back to the next when
 * full), else in cg_src, whose inserts are counted in ifs
 * (CG_IF_SRC_INSERTED). The per-CPU part is made for every frame (the
 * source is present: evicted = inserted - present); a frame that is not
 * common (src_is_hot) then goes to the shared part in the table's companion
 * (cg_src_rare's inserts counted as CG_IF_SRC_RARE_INSERTED). A common
 * frame of the source in its hot-source cache slot (include/csumguard.h)
 * is counted in the slot alone; a common frame that misses takes the slot
 * once its own row is there. Returns 0, or -1 if it had no row.
 */
static __always_inline int account_source(const struct cg_addr *src, const struct cg_event *ev,
					  int blocked, struct cg_iface_stats *ifs)
{
	enum cg_src_table t = CG_ST_NODES;
	struct cg_src_slot *slot;
	struct cg_src_stats *st;
	struct cg_src_hot *h = NULL;
	int inserted = 0;
	__u32 i;

	/* The hot-source cache: a common frame of the slot's source (in the
	 * table its state says) is counted there, and that is all. A blocked
	 * source's frames are never common (dropped). Nothing of this test
	 * stays live below (the slot is looked up again on a miss): a value
	 * carried through the row lookups doubled the paths the verifier
	 * walks there. */
	if (src_is_hot(ev) && !blocked) {
		i = cg_src_slot_of(src) & (CG_SRC_CACHE_SLOTS - 1);
		slot = bpf_map_lookup_elem(&cg_src_cache, &i);
		if (slot && slot_is(slot, src, CG_SLOT_LRU + (ev->nodes & CG_NB_KNOWN))) {
			src_add_hot(&slot->c, ev);
			return 0;
		}
	}
	if (ev->nodes & CG_NB_KNOWN)
		h = src_row(&cg_src_nodes, src, &cg_src_hot_fresh, &inserted);
	if (!h && blocked) {
		t = CG_ST_KEPT;
		h = src_row(&cg_src_kept, src, &cg_src_hot_fresh, &inserted);
	}
	if (!h) {
		t = CG_ST_LRU;
		h = bpf_map_lookup_elem(&cg_src, src);
		if (!h) {
			/* A row made anew: a shared part left from an evicted
			 * one is that row's, not this one's (deleted before the
			 * insert, so no frame counted after it can go). */
			bpf_map_delete_elem(&cg_src_rare, src);
			if (!bpf_map_update_elem(&cg_src, src, &cg_src_hot_fresh, BPF_NOEXIST))
				ifs->c[CG_IF_SRC_INSERTED]++;
			h = bpf_map_lookup_elem(&cg_src, src);
		}
	}
	if (!h)
		return -1;
	if (src_is_hot(ev)) {
		i = cg_src_slot_of(src) & (CG_SRC_CACHE_SLOTS - 1);
		slot = t != CG_ST_KEPT ? bpf_map_lookup_elem(&cg_src_cache, &i) : NULL;
		if (slot) {
			/* a miss: the slot's counts to their row, the slot to
			 * this source (its row is there: present, counted) */
			slot_flush(slot, ifs);
			slot->key = *src;
			slot->table = t == CG_ST_NODES ? CG_SLOT_NODES : CG_SLOT_LRU;
			__builtin_memset(&slot->c, 0, sizeof(slot->c));
			src_add_hot(&slot->c, ev);
			return 0;
		}
		src_add_hot(h, ev);
		return 0;
	}
	inserted = 0;
	if (t == CG_ST_NODES) {
		st = src_row(&cg_src_nodes_rare, src, &cg_src_fresh, &inserted);
	} else if (t == CG_ST_KEPT) {
		st = src_row(&cg_src_kept_rare, src, &cg_src_fresh, &inserted);
	} else {
		st = src_row(&cg_src_rare, src, &cg_src_fresh, &inserted);
		if (inserted)
			ifs->c[CG_IF_SRC_RARE_INSERTED]++;
	}
	if (!st)
		return -1;
	src_add_rare(st, ev);
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
