/* SPDX-License-Identifier: GPL-2.0 */
/*
 * policy_run.h - the auto-block policy (policy.h) run against the pinned
 * state, once per agent tick: expired blocks purged, TTLs learned, the
 * known nodes' evidence read from the snapshot, the decisions applied to
 * the blocklist, and every decision and learned TTL told to a log callback
 * with its figures. The agent calls cg_autoblock_tick from its per-tick
 * hook (agent.h).
 *
 * TTL learning (the design choice of README "Threat model"): a known
 * address whose TTL is neither set (nodes file "ttl=N", nodes add --ttl)
 * nor learned yet has its ok frames counted by TTL in PIN_DIR/nodes_ttl by
 * the datapath; once one TTL holds 95 % of at least 100 of them it is
 * written to the nodes map (cg_nodes_set_ttl) and the count is emptied.
 * Only ok frames (a valid outer checksum) count, a spoofer has to outnumber
 * the node 19 to 1 with well-formed traffic while it is being learned to
 * move it, and without a winner after 1000 frames the count starts over
 * (logged): an address keeps no evidence until then, so nothing can be
 * auto-blocked on it.
 */
#ifndef CG_POLICY_RUN_H
#define CG_POLICY_RUN_H

#include <stddef.h>
#include <stdint.h>
#include "policy.h"
#include "snapshot.h"

/* One line of the log: a decision with its figures, a TTL learned, a
 * block that expired, or a failure to apply one. */
typedef void (*cg_autoblock_log_fn)(void *ctx, const char *line);

struct cg_autoblock_opts {
	const char *pin_dir;		/* canonical; must outlive the runner */
	struct cg_policy_cfg cfg;
	cg_autoblock_log_fn log;	/* may be NULL */
	void *log_ctx;
	int learn;			/* learn TTLs (default on: the CLI sets it) */
};

struct cg_autoblock;

/* NULL on out of memory. */
struct cg_autoblock *cg_autoblock_new(const struct cg_autoblock_opts *o);
void cg_autoblock_free(struct cg_autoblock *ab);

/*
 * One tick at mono_s (seconds, never going back; the agent's CLOCK_BOOTTIME
 * seconds) over snapshot s (every interface's ingress rows). 0, or -errno
 * with err set: the state could not be read or a decision not applied
 * (the rest of the tick still ran; the next tick tries again).
 */
int cg_autoblock_tick(struct cg_autoblock *ab, const struct cg_snapshot *s, uint64_t mono_s,
		      char *err, size_t errlen);

/* Decisions so far, for tests and the agent's own metrics. */
struct cg_autoblock_totals {
	uint64_t blocks, unblocks, cleared, held, learned, expired, failed;
};
void cg_autoblock_totals(const struct cg_autoblock *ab, struct cg_autoblock_totals *t);

#endif /* CG_POLICY_RUN_H */
