/* SPDX-License-Identifier: GPL-2.0 */
/*
 * policy.h - the auto-block policy (issue 10, SPEC 6 "LRU tables can be
 * flooded"): which known node to block, for how long, and when to let it
 * back, decided in user space from the datapath's counters; enforcement is
 * the kernel's blocklist (lib/blocklist.h).
 *
 * The rule. Over a sliding window (default 60 s), a known node with at
 * least min_bad bad packets (default 100) and a bad ratio of at least
 * min_ratio (default 1 %) is blocked for block_s (default 10 min). Then it
 * is unblocked on probation: its evidence starts afresh, and if it trips
 * the rule again within one window it is blocked again for twice as long
 * (up to 16 times block_s); a window without a trip clears it.
 *
 * The safety valves, each a reason a spoofer cannot turn this against a
 * healthy node (README "Threat model"):
 *  - only known nodes are eligible (the caller passes only them);
 *  - evidence is only packets whose IP TTL / hop limit matched the value
 *    expected for the node (struct cg_policy_in: the caller passes the
 *    datapath's evidence_checked / evidence_bad, never the raw verdicts);
 *    a node whose TTL is not known yet has no evidence at all;
 *  - at most max_share of the known nodes (default 10 %, rounded down) are
 *    auto-blocked at any time; candidates beyond it are held, and logged.
 *
 * This part is pure: a state machine driven by the caller's clock (seconds
 * that never go back), so tests run it with a fake clock
 * (tests/test_policy.c). lib/policy_run.c feeds it from a snapshot and
 * applies its decisions.
 */
#ifndef CG_POLICY_H
#define CG_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include "csumguard.h"

#define CG_POLICY_WINDOW_DEFAULT	60	/* seconds */
#define CG_POLICY_MIN_BAD_DEFAULT	100	/* bad packets in the window */
#define CG_POLICY_RATIO_DEFAULT		10000	/* ppm: 1 % */
#define CG_POLICY_BLOCK_DEFAULT		600	/* seconds: 10 min */
#define CG_POLICY_SHARE_DEFAULT		100000	/* ppm of the known nodes: 10 % */
#define CG_POLICY_BACKOFF_MAX		4	/* re-blocks double T up to 2^4 times */

/* TTL learning: a TTL is learned once one value holds learn_share of a
 * known address's ok packets and there are at least learn_min of them. */
#define CG_POLICY_LEARN_MIN		100
#define CG_POLICY_LEARN_SHARE		950000	/* ppm: 95 % */
#define CG_POLICY_LEARN_GIVE_UP		10	/* x learn_min without a winner: start over */

struct cg_policy_cfg {
	uint32_t window_s;		/* the sliding window */
	uint64_t min_bad;		/* bad packets in it, at least */
	uint32_t min_ratio_ppm;		/* bad / checked in it, at least (ppm) */
	uint32_t block_s;		/* how long a first block lasts */
	uint32_t max_share_ppm;		/* auto-blocked known nodes, at most (ppm) */
};
void cg_policy_cfg_default(struct cg_policy_cfg *c);

/*
 * One known node at one tick: its evidence, cumulative (counters only grow;
 * one that went back, e.g. state purged and attached afresh, restarts the
 * node's window), summed over its addresses and interfaces.
 */
struct cg_policy_in {
	const char *name;
	uint64_t checked;	/* evidence: checked packets (ok, bad, unfinished) whose
				 * TTL matched the node's expected one */
	uint64_t bad;		/* of them, bad */
	uint64_t mismatch;	/* ttl_mismatch: packets with another TTL (figures only) */
	int ttl_known;		/* an expected TTL is known for one of its addresses */
	int blocked_manual;	/* an operator's block holds one of its addresses: the
				 * policy keeps out of it */
	int blocked_auto;	/* an auto-block holds one (e.g. from before a restart):
				 * counts against the share cap, not re-decided */
};

enum cg_policy_act {
	CG_PA_BLOCK = 0,	/* block the node's addresses for block_s */
	CG_PA_UNBLOCK,		/* its block ran out: unblock it, on probation */
	CG_PA_CLEARED,		/* a probation window passed without a trip */
	CG_PA_HELD,		/* it trips the rule, but the share cap is reached */
};

/* One decision, with the figures it was made on. */
struct cg_policy_decision {
	enum cg_policy_act act;
	char node[CG_NODE_NAME_LEN];
	uint64_t bad, checked;		/* evidence in the window */
	uint64_t mismatch;		/* ttl_mismatch packets in the window */
	uint32_t span_s;		/* seconds the evidence covers (<= window_s) */
	uint32_t block_s;		/* BLOCK: how long */
	uint32_t strikes;		/* BLOCK: 0 first block, n: n-th re-block on probation */
	uint32_t cap;			/* HELD, BLOCK: auto-blocks the share cap allows */
	char msg[768];			/* the log line: what, why, the figures */
};

struct cg_policy;

/* NULL on out of memory. */
struct cg_policy *cg_policy_new(const struct cg_policy_cfg *cfg);
void cg_policy_free(struct cg_policy *p);

/*
 * One evaluation at now_s (seconds, never going back) of the known nodes
 * in[0..n). Appends its decisions to *out (malloc'ed, realloc'ed; *nout
 * counts them). The caller applies BLOCK and UNBLOCK; a BLOCK it could not
 * apply is told back with cg_policy_block_failed. 0, or -ENOMEM.
 *
 * A node seen for the first time (or whose counters went back) has no
 * evidence yet: its window starts at this tick. Nodes missing from in are
 * forgotten (an auto-block already made runs out by its expiry).
 */
int cg_policy_step(struct cg_policy *p, uint64_t now_s, const struct cg_policy_in *in,
		   size_t n, struct cg_policy_decision **out, size_t *nout);

/* The BLOCK of node could not be applied: it is not blocked. */
void cg_policy_block_failed(struct cg_policy *p, const char *node);

/* How many nodes the share cap lets be auto-blocked out of nodes known. */
uint32_t cg_policy_cap(const struct cg_policy_cfg *cfg, size_t known);

/*
 * TTL learning (pure): count[t] = ok packets seen with TTL t from one known
 * address since learning began. 1 with *ttl set when one TTL holds at least
 * CG_POLICY_LEARN_SHARE of at least CG_POLICY_LEARN_MIN packets; 0 when not
 * yet; -1 when CG_POLICY_LEARN_GIVE_UP x LEARN_MIN packets found no such
 * TTL (a spoofer at another hop count, or paths of different lengths): the
 * caller starts over and logs it. *top, *top_share_ppm say what was seen.
 */
int cg_policy_ttl_pick(const uint64_t count[256], uint8_t *ttl, uint8_t *top,
		       uint32_t *top_share_ppm, uint64_t *total);

#endif /* CG_POLICY_H */
