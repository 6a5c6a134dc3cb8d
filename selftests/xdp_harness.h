/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xdp_harness.h - loads the XDP validator from its skeleton and runs frames
 * through it with BPF_PROG_TEST_RUN; reads and resets its maps.
 */
#ifndef CG_XDP_HARNESS_H
#define CG_XDP_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include "csumguard.h"
#include "refcheck.h"

struct csumguard;

struct xdp_h {
	struct csumguard *skel;
	int prog_fd, ports_fd, src_fd, src_kept_fd, iface_fd, config_fd, block_fd, block_count_fd;
	uint8_t ports[CG_PORT_TABLE_SIZE];	/* what cg_ports holds, to skip syscalls */
};

/* Opens and loads the program; default ports, monitor mode. 0 or -errno. */
int xh_open(struct xdp_h *h);
void xh_close(struct xdp_h *h);

/* Runs one frame once. Returns 0 and sets *action, or -errno. */
int xh_run(struct xdp_h *h, const uint8_t *frame, size_t len, int *action);

/* Empties the per-source tables, the totals and the blocklist. */
int xh_reset_counters(struct xdp_h *h);
int xh_clear_blocklist(struct xdp_h *h);

/* Makes the datapath's config, ports and blocklist equal to a reference
 * config, so both sides judge with the same rules. */
int xh_apply(struct xdp_h *h, const struct cg_ref_config *cfg);

/* Number of keys in a per-source table (h->src_fd or h->src_kept_fd). */
int xh_src_count(int map_fd);

/* What one frame adds to its source's row. */
enum xh_row {
	XH_ROW_NONE = 0,	/* no row: no IP source, not a tunnel frame, or unchecked */
	XH_ROW_VERDICT,		/* packets, bytes, the verdict */
	XH_ROW_UNPARSED,	/* the source's "unparsed" counter */
};

/* What one frame must do to the datapath, observed from outside. */
struct xh_expect {
	int action;			/* XDP_PASS or XDP_DROP */
	enum cg_iface_counter kind;	/* NOT_TUNNEL, UNPARSED, UNCHECKED or TUNNEL */
	enum cg_verdict verdict;	/* when kind == CG_IF_TUNNEL */
	enum cg_iface_counter drop;	/* CG_IF_DROP_BAD/_BLOCKED, or CG_IF_FRAMES: none */
	enum xh_row row;
	int kept;			/* the row is in cg_src_kept (source blocked) */
	struct cg_addr src;		/* when row != XH_ROW_NONE */
};

/* The observation a reference result predicts. */
void xh_expect_from_ref(const struct cg_ref_result *r, struct xh_expect *e);

/* Adds one frame's expected effect to expected totals / a source's counters.
 * (CG_IF_SRC_INSERTED depends on the table before the frame: callers add it.) */
void xh_expect_add_iface(struct cg_iface_stats *t, const struct xh_expect *e);
void xh_expect_add_src(struct cg_src_stats *s, const struct xh_expect *e, uint64_t bytes);

/* Compares two totals / two sources' counters (last_bad_ns: both zero or
 * both non-zero). Returns 0 if equal, else -1 and a description in why. */
int xh_cmp_iface(const struct cg_iface_stats *want, const struct cg_iface_stats *got,
		 char *why, size_t whylen);
int xh_cmp_src(const struct cg_src_stats *want, const struct cg_src_stats *got,
	       char *why, size_t whylen);

/* Runs one frame from zeroed counters and checks the action, the totals and
 * the whole per-source table exactly. 0, or -1 with why filled. */
int xh_check_one(struct xdp_h *h, const uint8_t *f, size_t len, const struct xh_expect *e,
		 char *why, size_t whylen);

/* Prints an address for messages. */
const char *xh_addr_str(const struct cg_addr *a, char *buf, size_t len);

#endif /* CG_XDP_HARNESS_H */
