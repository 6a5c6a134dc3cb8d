/* SPDX-License-Identifier: GPL-2.0 */
/*
 * watch.h - the live view of `stats --watch` and the spans it needs:
 *
 *  - deltas (watch_delta.c): one sample of the counters minus an earlier
 *    one, field by field from names.c's tables (the interval of the live
 *    view, diagnose's "now", the baseline of `stats --since`);
 *  - the baseline (watch_baseline.c): `stats --reset` pins a copy of the
 *    counters in the pin dir, `stats --since` shows what came after it;
 *  - the view (watch.c): per-interval rates beside the totals, sized to the
 *    terminal (columns that are all zero hidden, the worst sources first,
 *    the totals always on screen), redrawn in place; or, when the output is
 *    not a terminal, plain timestamped lines.
 * Rendering is pure (time and size passed in): tests/test_watch.c checks
 * the text.
 */
#ifndef CG_WATCH_H
#define CG_WATCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "csumguard.h"
#include "format.h"
#include "maps.h"

/* ------------------------------------------------------------- deltas */

/* out = cur - prev, counter by counter; a row one of whose counters went
 * back was made anew in between, so out = cur. Event times are kept only if
 * they changed (the event happened in the span), else 0. prev NULL: cur. */
void cg_src_stats_delta(const struct cg_src_stats *cur, const struct cg_src_stats *prev,
			struct cg_src_stats *out);
void cg_dst_stats_delta(const struct cg_dst_stats *cur, const struct cg_dst_stats *prev,
			struct cg_dst_stats *out);
void cg_iface_stats_delta(const struct cg_iface_stats *cur, const struct cg_iface_stats *prev,
			  struct cg_iface_stats *out);
void cg_egress_stats_delta(const struct cg_egress_stats *cur, const struct cg_egress_stats *prev,
			   struct cg_egress_stats *out);

/* Rows by address, for lookups (cg_*_rows_find needs them sorted so). */
void cg_src_rows_sort_addr(struct cg_src_row *rows, size_t n);
void cg_dst_rows_sort_addr(struct cg_dst_row *rows, size_t n);
const struct cg_src_row *cg_src_rows_find(const struct cg_src_row *sorted, size_t n,
					  const struct cg_addr *a);
const struct cg_dst_row *cg_dst_rows_find(const struct cg_dst_row *sorted, size_t n,
					  const struct cg_addr *a);

/* ----------------------------------------------------------- baseline */

struct cg_snapshot;

/*
 * Pins a copy of the counters of ifname (NULL: every interface with state)
 * as they are now: PIN_DIR/ifaces/IFNAME/DIR/baseline (rows) and
 * baseline_totals, replacing an older baseline. *n_out: interfaces done.
 * 0, or -errno with err set.
 */
int cg_baseline_take(const char *pin_dir, const char *ifname, size_t *n_out,
		     char *err, size_t errlen);

/*
 * Turns the snapshot s (taken from pin_dir) into counts since the
 * baseline: every counter minus its baseline value, rows with nothing new
 * left out, event times kept only if later than the baseline. *since_unix
 * gets the oldest baseline's time. Every interface of s needs one:
 * -ENOENT otherwise, with the fix in err.
 */
int cg_baseline_apply(const char *pin_dir, struct cg_snapshot *s, int64_t *since_unix,
		      char *err, size_t errlen);

/* --------------------------------------------------------------- view */

/* One source row of the view: a known node (all its addresses), or one
 * address; the totals and the interval. */
struct cg_watch_row {
	struct cg_addr addr;		/* its (first) address */
	char name[CG_NODE_NAME_LEN];	/* node name; "" when unknown */
	size_t naddrs;			/* addresses summed into it */
	int blocked;			/* some of them are blocked */
	struct cg_src_stats tot;	/* since the start (or the baseline) */
	struct cg_src_stats now;	/* over the interval */
};

/* One interface. */
struct cg_watch_iface {
	const struct cg_iface_view *in;	/* ingress view, or NULL */
	const struct cg_iface_view *eg;	/* egress view, or NULL */
	struct cg_iface_stats in_now;	/* ingress totals over the interval */
	struct cg_egress_stats eg_now;	/* egress totals over the interval */
	struct cg_watch_row *rows;	/* sorted: worst now, then worst in total */
	size_t nrows;
};

struct cg_watch_frame {
	int64_t now_unix;
	uint64_t now_ns;		/* CLOCK_BOOTTIME */
	double interval_s;		/* 0: the first frame, no interval yet */
	unsigned int every;		/* --watch SECONDS */
	int64_t since_unix;		/* --since: the baseline's time; else 0 */
	struct cg_watch_iface *ifs;
	size_t n;
};

/* Layout of the terminal view. */
struct cg_watch_opts {
	int width, height;		/* the terminal's; 0: 80 x 24 */
	int wide;			/* every column, whatever the width */
};

/*
 * Builds the rows of one interface: the ingress view's rows with their
 * interval against prev (the previous sample of the same interface, sorted
 * by address: cg_src_rows_sort_addr; NULL: the first), one row per known
 * node (nodes: lib/nodes.h; NULL: one per address), blocked from the
 * blocklist rows, sorted worst first. Fills wi->rows (malloc'ed: free with
 * cg_watch_iface_free) and the interval totals. 0 or -ENOMEM.
 */
struct cg_nodes;
int cg_watch_iface_fill(struct cg_watch_iface *wi, const struct cg_iface_view *in,
			const struct cg_iface_view *eg, const struct cg_iface_view *prev_in,
			const struct cg_iface_view *prev_eg, const struct cg_src_row *prev_rows,
			size_t nprev, const struct cg_block_row *blocked, size_t nblocked,
			const struct cg_nodes *nodes);
void cg_watch_iface_free(struct cg_watch_iface *wi);

/*
 * The terminal view: at most height lines of at most width columns, each
 * line ending with "clear to end of line", the frame starting at the top
 * left and ending with "clear to end of screen" (redrawn in place, nothing
 * scrolls). The interface totals first, then as many of the worst sources
 * as fit.
 */
void cg_watch_render_screen(FILE *f, const struct cg_watch_frame *fr,
			    const struct cg_watch_opts *o);

/* Not a terminal: plain lines, each starting with the time: per interface
 * its rates and totals, per source that had bad checksums in the interval
 * (the first frame: ever) its own. */
void cg_watch_render_lines(FILE *f, const struct cg_watch_frame *fr);

#endif /* CG_WATCH_H */
