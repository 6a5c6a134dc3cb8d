/* SPDX-License-Identifier: GPL-2.0 */
/*
 * snapshot.h - the read path: one interface's or every interface's pinned
 * state at one moment, as the renderers (format.h) and later the metrics
 * take it. Per interface: where csumguard runs (cg_locate), the totals, the
 * per-source rows of the LRU table and of the kept table (blocked sources)
 * merged by address, how many rows the flood evicted, the port table and
 * the mode. Reading never changes the state (a reader does not adopt an old
 * pin layout: it refuses it).
 */
#ifndef CG_SNAPSHOT_H
#define CG_SNAPSHOT_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>
#include "format.h"
#include "locate.h"
#include "maps.h"
#include "ports.h"

/* The fix when there is no state to show. */
#define CG_STATE_HINT "attach an interface first: csumguard attach IFACE"

#define CG_SNAP_PORTS_MAX 256	/* ports shown per interface */
#define CG_SNAP_ADDRS_MAX 16	/* addresses of an interface */

/* One interface. v (ingress) and ev (egress) point into the rest; v.rows
 * is rows and ev.drows is drows, in map order (sort with cg_sort_sources,
 * cg_sort_dests). has_ingress / has_egress: that direction has state. */
struct cg_iface_snap {
	struct cg_iface_view v;
	struct cg_where w;
	struct cg_iface_view ev;
	struct cg_where ew;
	int has_ingress, has_egress;
	char name[IF_NAMESIZE];
	struct cg_port_spec ports[CG_SNAP_PORTS_MAX];
	struct cg_addr addrs[CG_SNAP_ADDRS_MAX];
	struct cg_src_row *rows;
	struct cg_dst_row *drows;
};

struct cg_snapshot {
	struct cg_iface_snap *ifaces;	/* sorted by name */
	size_t n;
	struct cg_nodes *nodes;		/* the known nodes (lib/nodes.h), for names */
};

/*
 * May this process read the state under pin_dir: privileges, bpffs, and
 * with ifname, is there state at all. Once, before cg_snapshot_take (a
 * --watch loop does not repeat it). 0, or -errno with err set.
 */
int cg_snapshot_check(const char *pin_dir, const char *ifname, char *err, size_t errlen);

/* Reads ifname's state, or every interface's (ifname NULL; none: n 0).
 * 0, or -errno with err set. Free with cg_snapshot_free. */
int cg_snapshot_take(const char *pin_dir, const char *ifname, struct cg_snapshot *s,
		     char *err, size_t errlen);
void cg_snapshot_free(struct cg_snapshot *s);

/*
 * The views of a snapshot in the renderers' order: per interface its
 * ingress view, then its egress view, each only if it has state. out has
 * room for 2 * s->n. Returns how many it wrote.
 */
size_t cg_snapshot_views(const struct cg_snapshot *s, struct cg_iface_view *out);

/* The parts, pure (tests/test_lib.c). */

/* Egress rows: evicted = destinations inserted - present. */
void cg_snap_dests(struct cg_iface_snap *s, struct cg_dst_row *rows, size_t n);

/* Where it runs (cg_locate) as the view says it: attached, xdp_mode, ... */
void cg_snap_where(struct cg_iface_view *v, const struct cg_where *w);

/* The configured ports of a whole port table (encap[port], 65536 entries),
 * by port; at most max. Returns the count. */
int cg_snap_ports(const uint32_t *encap, struct cg_port_spec *out, int max);

/*
 * The sources of s: the LRU table's rows (taken over: s->rows) and the
 * kept table's (copied in; counters of an address in both are added up).
 * Sets present, kept and evicted (only the datapath inserts into the LRU
 * table, so what it inserted and is no longer there was evicted). 0 or
 * -ENOMEM.
 */
int cg_snap_sources(struct cg_iface_snap *s, struct cg_src_row *lru, size_t nlru,
		    const struct cg_src_row *kept, size_t nkept);

#endif /* CG_SNAPSHOT_H */
