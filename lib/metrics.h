/* SPDX-License-Identifier: GPL-2.0 */
/*
 * metrics.h - csumguard's state in the Prometheus text exposition format
 * (version 0.0.4): what `csumguard agent` serves on /metrics and writes for
 * node_exporter's textfile collector. Pure: the caller passes the views of
 * a snapshot (snapshot.h), the blocklist, the NICs' facts and the time; the
 * writer never reads a map.
 *
 * Every per-address metric is generated from the field tables of names.c
 * (cg_src_fields, cg_dst_fields), so a counter added there appears here
 * without a line of code:
 *   field without a group, COUNT or FACT   csumguard_<scope>_<name>_total
 *   fields of group G (verdict, state, ...) csumguard_<scope>_<G>_packets_total{G="<name>"}
 *                                          (a name starting "<G>_" loses that prefix)
 *   TIME field                             csumguard_<scope>_<name>_timestamp_seconds
 * <scope> is "source" (ingress, label source=ADDR) or "destination" (egress,
 * label destination=ADDR); both carry interface=IFNAME, and node=NAME when
 * the name_of lookup knows the address. FACT counters appear only where
 * the running program reads skb facts; a TIME field only once it is set.
 *
 * Cardinality (--metrics-sources): per-address series on every node of an
 * N-node fleet grow as N^2. Per-interface totals are always written; the
 * per-address rows are chosen by struct cg_metrics_sel:
 *   all      every row
 *   nonok    (default) rows whose non-ok counters moved within the window
 *   top:K    of those, the K with the most non-ok packets
 * "Non-ok" is every COUNT field except those that say nothing is wrong
 * (cg_metrics_field_healthy): a counter added later is non-ok until it is
 * listed there, so a new kind of trouble is shown rather than hidden.
 */
#ifndef CG_METRICS_H
#define CG_METRICS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "format.h"
#include "names.h"
#include "netdev.h"
#include "offloads.h"

/* The Content-Type of the format. */
#define CG_METRICS_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

/* --------------------------------------------------------- row selection */

enum cg_msrc_mode {
	CG_MSRC_NONOK = 0,	/* default */
	CG_MSRC_ALL,
	CG_MSRC_TOP,
};

#define CG_METRICS_WINDOW_DEFAULT	86400	/* seconds: a day */

struct cg_metrics_sel {
	enum cg_msrc_mode mode;
	unsigned int top_k;	/* CG_MSRC_TOP */
	uint64_t window_s;	/* nonok and top: how long a row stays after its
				 * last non-ok count */
};

/* "all", "nonok" or "top:K" (K 1..1048576) into sel->mode and top_k. 0, or
 * -EINVAL with "cause; fix" in err. */
int cg_metrics_parse_sources(const char *s, struct cg_metrics_sel *sel, char *err,
			     size_t errlen);
/* The spelling of sel: "all", "nonok", "top:K" into buf. */
void cg_metrics_sel_str(const struct cg_metrics_sel *sel, char *buf, size_t len);

/* Does this field say nothing is wrong (packets, bytes, ok, zero, fragment,
 * final_ok, offloaded, ...)? Only COUNT fields can be non-ok. */
int cg_metrics_field_healthy(const struct cg_field *f);

/* The sum of the non-ok COUNT fields of st (a cg_src_stats or cg_dst_stats). */
uint64_t cg_metrics_nonok(const void *st, const struct cg_field *f, size_t n);

/*
 * When each row of each interface and direction last moved a non-ok
 * counter: the memory that "within the window" needs. A row first seen
 * with non-ok counts (the agent started, or the row is new) counts as
 * moved now. Opaque; rows no longer in a snapshot are forgotten.
 */
struct cg_metrics_track;
struct cg_metrics_track *cg_metrics_track_new(void);
void cg_metrics_track_free(struct cg_metrics_track *t);

/*
 * Chooses the rows of one direction of one interface: pick[i] = 1 for the
 * rows to write, per sel, updating t at time now_s (any monotonic seconds).
 * rows: n values of stride bytes each whose first member is a struct
 * cg_addr and whose counters (f, nf) start at offset st_off (a
 * cg_src_row or cg_dst_row array). Returns the number picked, or -ENOMEM.
 */
long cg_metrics_pick(struct cg_metrics_track *t, const char *ifname, enum cg_dir dir,
		     const void *rows, size_t n, size_t stride, size_t st_off,
		     const struct cg_field *f, size_t nf, const struct cg_metrics_sel *sel,
		     uint64_t now_s, unsigned char *pick);

/* -------------------------------------------------------------- the writer */

/* A name for a node's address (known nodes), or NULL: then no node label. */
typedef const char *(*cg_name_of_fn)(const struct cg_addr *a, void *ctx);

/* One interface: its views (NULL: no state in that direction), which rows
 * to write (NULL: all), and its NIC (have_* 0: not known). */
struct cg_metrics_iface {
	const struct cg_iface_view *in, *eg;
	const unsigned char *src_pick, *dst_pick;
	int have_nic, have_features;
	struct cg_netdev_info nic;
	struct cg_offloads features;
};

struct cg_metrics_doc {
	const struct cg_metrics_iface *ifaces;
	size_t n;
	const struct cg_block_row *blocks;	/* the blocklist */
	size_t nblocks;
	int have_blocklist;			/* 0: it could not be read: no blocklist table */
	cg_name_of_fn name_of;			/* NULL: no node labels */
	void *name_ctx;
	const char *node;			/* this node's name (csumguard_agent_info) */
	const char *version;			/* csumguard_build_info */
	const char *libbpf_version, *libxdp_version;
	const struct cg_metrics_sel *sel;	/* csumguard_agent_info's metrics_sources */
	double start_unix;			/* the agent's start; 0: not written */
	uint64_t now_boot_ns;			/* CLOCK_BOOTTIME now, and the same */
	double now_unix;			/* moment in Unix seconds (timestamps) */
};

/* Writes the whole exposition. 0, or -EIO when f failed. */
int cg_metrics_write(FILE *f, const struct cg_metrics_doc *d);

/* The exposition's escaping, for tests and other writers: a label value
 * ('\\', '"', newline escaped; bytes that are not UTF-8 become U+FFFD) and
 * a HELP text ('\\' and newline escaped). */
void cg_metrics_label_value(FILE *f, const char *s);
void cg_metrics_help_text(FILE *f, const char *s);

#endif /* CG_METRICS_H */
