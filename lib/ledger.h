/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ledger.h - the per-pair ledger (SPEC 2 "TC egress"): what node A sent to
 * node B, counted by A's TC egress program per destination, beside what B
 * received from A, counted by B's XDP program per source, from one
 * `stats --json` snapshot of each node. Pure functions (tests/test_ledger.c).
 *
 * Nodes are matched by their underlay addresses: A's destination rows
 * whose address is one of B's, B's source rows whose address is one of
 * A's (IPv4 and IPv6 alike; the family is part of the address). A node's
 * addresses come from its snapshot ("addrs" of every interface) plus any
 * given by hand.
 *
 * Counters are cumulative, and the two snapshots are taken at different
 * moments, so the difference sent - arrived is never "the loss" by
 * itself:
 *   B after A (right order): B also counted what A sent after A's
 *     snapshot, so sent - arrived <= lost: a lower bound ("lost at least").
 *   B before A (wrong order): A also counted what it sent after B's
 *     snapshot (and what was still in flight), so sent - arrived >= lost:
 *     an upper bound ("lost at most").
 *   Same second (time_unix has 1 s resolution): neither bound holds.
 * Snapshots further apart than max_gap seconds are flagged: the traffic
 * of the gap can outweigh the difference.
 *
 * Corruption rate = (B's bad from A - A's final_bad to B) / A's offloaded
 * to B: the share of the packets A handed to its NIC to checksum that
 * arrived with a wrong checksum, not counting those that already left A's
 * stack bad (final_bad, which B sees bad too). null when A offloaded none.
 */
#ifndef CG_LEDGER_H
#define CG_LEDGER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "csumguard.h"
#include "maps.h"

#define CG_NODE_ADDRS_MAX	64
#define CG_LEDGER_MAX_GAP	10	/* seconds, default */

/* One node's snapshot, as much as the ledger needs. */
struct cg_node_snap {
	int64_t time_unix;
	struct cg_addr addrs[CG_NODE_ADDRS_MAX];
	size_t naddrs;
	int has_egress;			/* some interface had egress state */
	int has_ingress;		/* some interface had ingress state */
	struct cg_dst_row *dsts;	/* every interface's egress rows */
	size_t ndsts;
	struct cg_src_row *srcs;	/* every interface's ingress rows */
	size_t nsrcs;
};

/* Adds an address (duplicates ignored). 0, or -ENOSPC. */
int cg_node_add_addr(struct cg_node_snap *n, const struct cg_addr *a);
void cg_node_snap_free(struct cg_node_snap *n);

/*
 * Reads a `stats --json` document (schema version 2) into n: time_unix,
 * every interface's addrs, egress destinations and ingress sources.
 * 0, or -errno with "<cause>; <fix>" in err.
 */
int cg_node_snap_from_json(const char *text, struct cg_node_snap *n, char *err, size_t errlen);

enum cg_ledger_order {
	CG_LEDGER_A_FIRST = 0,	/* B's snapshot later: lost >= sent - arrived */
	CG_LEDGER_SAME_SECOND,	/* order unknown */
	CG_LEDGER_B_FIRST,	/* wrong order: lost <= sent - arrived */
};

struct cg_ledger {
	int64_t dt;			/* B's time_unix - A's */
	enum cg_ledger_order order;
	int too_far;			/* |dt| > max_gap */
	int64_t max_gap;
	/* A -> B, by A's egress rows for B's addresses */
	uint64_t sent, bytes, gso;
	uint64_t state[CG_EGRESS_STATE_MAX];
	/* A -> B, by B's ingress rows for A's addresses */
	uint64_t arrived;
	uint64_t verdict[CG_VERDICT_MAX];
	int64_t difference;		/* sent - arrived */
	int lost_at_least_known;	/* A_FIRST: lost >= lost_at_least */
	uint64_t lost_at_least;
	int lost_at_most_known;		/* B_FIRST: lost <= lost_at_most */
	uint64_t lost_at_most;
	uint64_t bad_after_a;		/* arrived bad - final_bad sent (>= 0) */
	int rate_known;			/* offloaded > 0 */
	double corruption_rate;		/* bad_after_a / offloaded */
	int inconsistent;		/* B_FIRST yet B counted more than A sent */
};

/*
 * The ledger of the pair a -> b. 0, or -errno with err set when it cannot
 * be made: a has no egress state (-ENOENT), b no ingress state, a node
 * without addresses (-EDESTADDRREQ).
 */
int cg_ledger_compute(const struct cg_node_snap *a, const struct cg_node_snap *b,
		      int64_t max_gap, struct cg_ledger *l, char *err, size_t errlen);

/* The ledger for people (lines, ending with a newline each) and as one JSON
 * line (schema in loader/README.md). 0, or -1 if it could not be written. */
void cg_render_ledger_table(FILE *f, const struct cg_ledger *l, const struct cg_node_snap *a,
			    const struct cg_node_snap *b);
int cg_render_ledger_json(FILE *f, const struct cg_ledger *l, const struct cg_node_snap *a,
			  const struct cg_node_snap *b);

#endif /* CG_LEDGER_H */
