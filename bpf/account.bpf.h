/* SPDX-License-Identifier: GPL-2.0 */
/*
 * account.bpf.h - per-source accounting: one frame's outcome added to its
 * source's row (cg_src, or cg_src_kept for a blocked source). Needs the
 * ingress tables: define CG_MAPS_INGRESS before including maps.bpf.h.
 */
#ifndef CG_ACCOUNT_BPF_H
#define CG_ACCOUNT_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "csumguard.h"
#include "maps.bpf.h"

#ifndef CG_MAPS_INGRESS
#error "account.bpf.h counts into the ingress tables: define CG_MAPS_INGRESS"
#endif

/* What happened to one frame, for the per-source row. */
struct cg_event {
	enum cg_verdict v;	/* CG_VERDICT_MAX: no verdict (unparsed) */
	__u64 bytes;
	int dropped;
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

/* Records one frame for a source: in cg_src_kept if it is blocked (falling
 * back to cg_src when that is full), else in cg_src, whose inserts are
 * counted in ifs (CG_IF_SRC_INSERTED). Returns 0, or -1 if it had no slot. */
static __always_inline int account_source(const struct cg_addr *src, const struct cg_event *ev,
					  int blocked, struct cg_iface_stats *ifs)
{
	struct cg_src_stats *st = NULL;
	int inserted = 0;

	if (blocked)
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
	return 0;
}

#endif /* CG_ACCOUNT_BPF_H */
