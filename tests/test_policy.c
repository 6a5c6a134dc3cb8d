// SPDX-License-Identifier: GPL-2.0
/*
 * test_policy.c - cmocka tests of the auto-block policy (lib/policy.c),
 * driven by a fake clock: a small simulated cluster whose nodes send
 * packets at set rates, ticked every few seconds; the decisions are applied
 * to a simulated blocklist as lib/policy_run.c applies them to the real
 * one. Every expected tick and figure is worked out by hand in the comment
 * next to it: windows, thresholds (at and just below them), expiry,
 * probation and its back-off, the share cap, the TTL filter, manual blocks,
 * counters that go back, and TTL learning's pick.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "cli.h"
#include "policy.h"
#include "unit.h"

/* ------------------------------------------------------ the simulation */

#define SIM_MAX 32

struct sim_node {
	char name[16];
	/* per tick: packets with the node's TTL (checked, of them bad), and
	 * packets from elsewhere with another TTL (mismatch: never evidence) */
	uint64_t rate_checked, rate_bad, rate_mismatch;
	int ttl_known;
	/* state */
	struct cg_policy_in in;
	int blocked_auto, blocked_manual;
	uint64_t blocks, unblocks, cleared, held;	/* decisions seen */
	uint64_t last_block_t, last_unblock_t, last_block_s;
	struct cg_policy_decision last;			/* the newest decision */
};

struct sim {
	struct cg_policy *p;
	struct sim_node n[SIM_MAX];
	size_t nn;
	uint64_t t;
	uint32_t tick_s;
	int fail_blocks;	/* the blocklist refuses writes */
};

static void sim_init(struct sim *s, const struct cg_policy_cfg *cfg, size_t nodes,
		     uint32_t tick_s)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->p = cg_policy_new(cfg);
	assert_non_null(s->p);
	s->nn = nodes;
	s->tick_s = tick_s;
	for (i = 0; i < nodes; i++) {
		snprintf(s->n[i].name, sizeof(s->n[i].name), "node-%zu", i);
		s->n[i].ttl_known = 1;
		s->n[i].rate_checked = 1000;	/* healthy by default */
	}
}

static struct sim_node *sim_node(struct sim *s, const char *name)
{
	for (size_t i = 0; i < s->nn; i++)
		if (!strcmp(s->n[i].name, name))
			return &s->n[i];
	fail_msg("no node %s", name);
	return NULL;
}

/* One tick at s->t: the evaluation, then the traffic of the next interval. */
static void sim_tick(struct sim *s)
{
	struct cg_policy_in in[SIM_MAX];
	struct cg_policy_decision *d = NULL;
	size_t nd = 0, i, k;

	for (i = 0; i < s->nn; i++) {
		/* The agent's tick purges expired entries first (their expiry
		 * is the block's end, lib/policy.c): so does the simulation. */
		if (s->n[i].blocked_auto && s->n[i].last_block_s &&
		    s->t >= s->n[i].last_block_t + s->n[i].last_block_s)
			s->n[i].blocked_auto = 0;
		in[i] = s->n[i].in;
		in[i].name = s->n[i].name;
		in[i].ttl_known = s->n[i].ttl_known;
		in[i].blocked_auto = s->n[i].blocked_auto;
		in[i].blocked_manual = s->n[i].blocked_manual;
	}
	assert_int_equal(cg_policy_step(s->p, s->t, in, s->nn, &d, &nd), 0);
	for (k = 0; k < nd; k++) {
		struct sim_node *n = sim_node(s, d[k].node);

		assert_non_null(strstr(d[k].msg, d[k].node));
		n->last = d[k];
		switch (d[k].act) {
		case CG_PA_BLOCK:
			if (s->fail_blocks) {
				cg_policy_block_failed(s->p, d[k].node);
				break;
			}
			n->blocked_auto = 1;
			n->blocks++;
			n->last_block_t = s->t;
			n->last_block_s = d[k].block_s;
			break;
		case CG_PA_UNBLOCK:
			n->blocked_auto = 0;
			n->unblocks++;
			n->last_unblock_t = s->t;
			break;
		case CG_PA_CLEARED:
			n->cleared++;
			break;
		case CG_PA_HELD:
			n->held++;
			break;
		}
	}
	free(d);
	/* Blocked nodes' packets are still counted by the datapath (and
	 * dropped): the counters keep growing while they are blocked. */
	for (i = 0; i < s->nn; i++) {
		/* As in the datapath: packets are evidence only while the
		 * node's TTL is known; another TTL is never evidence. */
		if (s->n[i].ttl_known) {
			s->n[i].in.checked += s->n[i].rate_checked;
			s->n[i].in.bad += s->n[i].rate_bad;
		}
		s->n[i].in.mismatch += s->n[i].rate_mismatch;
	}
	s->t += s->tick_s;
}

/* Ticks until time `until` (exclusive). */
static void sim_run(struct sim *s, uint64_t until)
{
	while (s->t < until)
		sim_tick(s);
}

static void sim_free(struct sim *s)
{
	cg_policy_free(s->p);
}

static struct cg_policy_cfg cfg_default(void)
{
	struct cg_policy_cfg c;

	cg_policy_cfg_default(&c);
	return c;
}

/* --------------------------------------------------------------- tests */

static void test_defaults(void **state)
{
	struct cg_policy_cfg c = cfg_default();

	(void)state;
	assert_int_equal(c.window_s, 60);
	assert_int_equal(c.min_bad, 100);
	assert_int_equal(c.min_ratio_ppm, 10000);	/* 1 % */
	assert_int_equal(c.block_s, 600);
	assert_int_equal(c.max_share_ppm, 100000);	/* 10 % */
	/* the cap rounds down: 10 % of 9 nodes is none, of 10 one, of 25 two */
	assert_int_equal(cg_policy_cap(&c, 9), 0);
	assert_int_equal(cg_policy_cap(&c, 10), 1);
	assert_int_equal(cg_policy_cap(&c, 25), 2);
	assert_int_equal(cg_policy_cap(&c, 0), 0);
}

/*
 * The window: node-0 sends 20 bad of 1000 checked per 10 s tick (2 %). The
 * first tick (t=0) is the base; at t=50 the window holds 5 intervals: 100
 * bad of 5000 = 2 %: both thresholds met, blocked then, not before.
 */
static void test_window_accumulates(void **state)
{
	struct cg_policy_cfg c = cfg_default();
	struct sim s;
	struct sim_node *n;

	(void)state;
	c.max_share_ppm = 1000000;	/* the cap is tested apart */
	sim_init(&s, &c, 2, 10);
	n = sim_node(&s, "node-0");
	n->rate_bad = 20;
	sim_run(&s, 50);
	assert_int_equal(n->blocks, 0);		/* t=40: 80 bad */
	sim_tick(&s);				/* t=50 */
	assert_int_equal(n->blocks, 1);
	assert_int_equal(n->last_block_t, 50);
	assert_int_equal(n->last.bad, 100);
	assert_int_equal(n->last.checked, 5000);
	assert_int_equal(n->last.span_s, 50);
	assert_int_equal(n->last.block_s, 600);
	assert_int_equal(n->last.strikes, 0);
	assert_string_equal(n->last.msg, "auto-block node-0: 100 bad of 5000 checked (2.00 %) in "
			    "the last 50 s, counting only packets with the node's TTL (0 with "
			    "another TTL left out); rule >= 100 bad and >= 1.00 % in 60 s; blocked "
			    "for 600 s");
	assert_int_equal(sim_node(&s, "node-1")->blocks, 0);	/* the healthy one */
	sim_free(&s);
}

/*
 * The window slides: 10 bad per 10 s tick (1 % of 1000) never puts more
 * than 60 bad (6 intervals) into a 60 s window, so no block, ever; and a
 * burst older than the window no longer counts.
 */
static void test_window_slides(void **state)
{
	struct cg_policy_cfg c = cfg_default();
	struct sim s;
	struct sim_node *n;

	(void)state;
	c.max_share_ppm = 1000000;
	sim_init(&s, &c, 1, 10);
	n = sim_node(&s, "node-0");
	n->rate_bad = 10;
	sim_run(&s, 3600);
	assert_int_equal(n->blocks, 0);
	/* A clean minute, then a burst of 90 bad in one interval (t=3660..3670)
	 * and 1 bad per tick: the window at t=3720 (base 3660) holds 90 + 5 =
	 * 95 < 100; at 3730 (base 3670) the burst has left it: no block. */
	n->rate_bad = 0;
	sim_run(&s, 3660);
	n->rate_bad = 90;
	sim_tick(&s);
	n->rate_bad = 1;
	sim_run(&s, 3700);
	assert_int_equal(n->blocks, 0);
	/* 99 bad in a window at 50 %: below min_bad, no block */
	n->rate_bad = 0;
	sim_run(&s, 3800);
	n->rate_checked = 198;
	n->rate_bad = 99;
	sim_tick(&s);			/* t=3800: the window base */
	n->rate_bad = 0;
	n->rate_checked = 0;
	sim_run(&s, 3900);
	assert_int_equal(n->blocks, 0);
	sim_free(&s);
}

/*
 * Thresholds at their edges, one tick of evidence each (base at t=0,
 * evidence at t=10): exactly 100 bad at exactly 1 % blocks; 100 bad at
 * 0.99 % (of 10101) does not; 200 bad of 100000 (0.2 %) does not.
 */
static void test_thresholds(void **state)
{
	struct cg_policy_cfg c = cfg_default();
	struct sim s;

	(void)state;
	c.max_share_ppm = 1000000;
	sim_init(&s, &c, 3, 10);
	sim_node(&s, "node-0")->rate_checked = 10000;
	sim_node(&s, "node-0")->rate_bad = 100;
	sim_node(&s, "node-1")->rate_checked = 10101;
	sim_node(&s, "node-1")->rate_bad = 100;
	sim_node(&s, "node-2")->rate_checked = 100000;
	sim_node(&s, "node-2")->rate_bad = 200;
	sim_tick(&s);
	sim_tick(&s);
	assert_int_equal(sim_node(&s, "node-0")->blocks, 1);
	assert_int_equal(sim_node(&s, "node-0")->last_block_t, 10);
	assert_int_equal(sim_node(&s, "node-1")->blocks, 0);
	assert_int_equal(sim_node(&s, "node-2")->blocks, 0);
	sim_run(&s, 600);
	assert_int_equal(sim_node(&s, "node-1")->blocks, 0);
	assert_int_equal(sim_node(&s, "node-2")->blocks, 0);
	sim_free(&s);
}

/*
 * Expiry and probation with back-off. T = 100 s, window 30 s, ticks of 5 s.
 * node-0 sends 50 bad of 1000 per tick: blocked at t=10 (100 bad in 10 s).
 * Its block runs out at t=110: unblocked then, not at t=105. Still bad:
 * its evidence restarts at 110, trips again at t=120: blocked for 2 T = 200
 * s, until t=320; again at 330 for 4 T until 730 ... Then it heals: after
 * the unblock, a clean probation window clears it, and the next block is a
 * first block again (T).
 */
static void test_expiry_probation(void **state)
{
	struct cg_policy_cfg c = cfg_default();
	struct sim s;
	struct sim_node *n;

	(void)state;
	c.max_share_ppm = 1000000;
	c.block_s = 100;
	c.window_s = 30;
	sim_init(&s, &c, 1, 5);
	n = sim_node(&s, "node-0");
	n->rate_bad = 50;
	sim_run(&s, 15);
	assert_int_equal(n->blocks, 1);
	assert_int_equal(n->last_block_t, 10);
	assert_int_equal(n->last_block_s, 100);
	sim_run(&s, 110);
	assert_int_equal(n->unblocks, 0);	/* t=105: still blocked */
	sim_tick(&s);				/* t=110 */
	assert_int_equal(n->unblocks, 1);
	assert_int_equal(n->last_unblock_t, 110);
	assert_string_equal(n->last.msg, "auto-unblock node-0 after 100 s: on probation for 30 "
			    "s (a trip of the rule, >= 100 bad and >= 1.00 % in 30 s, blocks it "
			    "again for 200 s)");
	/* 500 bad were counted while it was blocked: they are not evidence
	 * after the unblock. t=115: 50 bad since 110: no trip yet. */
	sim_tick(&s);
	assert_int_equal(n->blocks, 1);
	sim_tick(&s);				/* t=120: 100 bad in 10 s */
	assert_int_equal(n->blocks, 2);
	assert_int_equal(n->last_block_t, 120);
	assert_int_equal(n->last.strikes, 1);
	assert_int_equal(n->last_block_s, 200);
	assert_non_null(strstr(n->last.msg, "auto-block node-0 again, on probation: 100 bad of "
					    "2000 checked (5.00 %) in the last 10 s"));
	sim_run(&s, 321);
	assert_int_equal(n->unblocks, 2);
	assert_int_equal(n->last_unblock_t, 320);
	sim_run(&s, 331);
	assert_int_equal(n->blocks, 3);
	assert_int_equal(n->last_block_s, 400);
	/* It heals while blocked (until 730). */
	n->rate_bad = 1;
	sim_run(&s, 731);
	assert_int_equal(n->unblocks, 3);
	assert_int_equal(n->last_unblock_t, 730);
	assert_int_equal(n->cleared, 0);
	sim_run(&s, 761);			/* probation ends at 760 */
	assert_int_equal(n->cleared, 1);
	assert_int_equal(n->last.act, CG_PA_CLEARED);
	assert_int_equal(n->last.bad, 6);	/* 6 ticks of 1 bad in 760-730 */
	assert_int_equal(n->last.checked, 6000);
	assert_string_equal(n->last.msg, "node-0 passed probation: 6 bad of 6000 checked (0.10 "
			    "%) in the last 30 s, counting only packets with the node's TTL (0 with "
			    "another TTL left out); cleared");
	/* Bad again, from t=765: a first block, T again, at t=775 (the window
	 * 745..775: 4 x 1 + 2 x 60 = 124 bad of 6000). */
	n->rate_bad = 60;
	sim_run(&s, 776);
	assert_int_equal(n->blocks, 4);
	assert_int_equal(n->last_block_t, 775);
	assert_int_equal(n->last.strikes, 0);
	assert_int_equal(n->last_block_s, 100);
	sim_free(&s);
}

/* The back-off stops doubling at 2^4 T. */
static void test_backoff_cap(void **state)
{
	struct cg_policy_cfg c = cfg_default();
	struct sim s;
	struct sim_node *n;

	(void)state;
	c.max_share_ppm = 1000000;
	c.block_s = 10;
	c.window_s = 10;
	sim_init(&s, &c, 1, 1);
	n = sim_node(&s, "node-0");
	n->rate_bad = 200;
	sim_run(&s, 2000);
	/* blocks of 10, 20, 40, 80, 160, 160, ... s */
	assert_true(n->blocks > 8);
	assert_int_equal(n->last_block_s, 160);
	assert_int_equal(n->last.strikes, n->blocks - 1);
	sim_free(&s);
}

/*
 * The share cap: 20 known nodes at 10 % allow 2 auto-blocks. Three nodes
 * go bad at once: the worst two (by ratio) are blocked, the third is held,
 * logged once (not every tick). When the first block runs out and that node
 * is healthy, the held one takes its place.
 */
static void test_share_cap(void **state)
{
	struct cg_policy_cfg c = cfg_default();
	struct sim s;
	struct sim_node *a, *b, *x;

	(void)state;
	c.block_s = 100;
	sim_init(&s, &c, 20, 10);
	a = sim_node(&s, "node-3"), a->rate_bad = 300;	/* 30 % */
	b = sim_node(&s, "node-7"), b->rate_bad = 200;	/* 20 % */
	x = sim_node(&s, "node-5"), x->rate_bad = 150;	/* 15 % */
	sim_run(&s, 20);
	assert_int_equal(a->blocks, 1);
	assert_int_equal(b->blocks, 1);
	assert_int_equal(x->blocks, 0);
	assert_int_equal(x->held, 1);
	assert_int_equal(x->last.cap, 2);
	assert_string_equal(x->last.msg, "NOT blocking node-5: 150 bad of 1000 checked (15.00 %) "
			    "in the last 10 s, counting only packets with the node's TTL (0 with "
			    "another TTL left out) trips the rule (>= 100 bad and >= 1.00 % in 60 "
			    "s), but the share cap allows 2 auto-blocks (10.00 % of 20 known "
			    "nodes, rounded down) and 2 are in force; raise "
			    "--auto-block-max-share to allow more");
	sim_run(&s, 100);
	assert_int_equal(x->held, 1);		/* said once */
	/* node-3 heals; its block (t=10..110) ends: node-5 takes the slot */
	a->rate_bad = 0;
	sim_run(&s, 111);
	assert_int_equal(a->unblocks, 1);
	assert_int_equal(x->blocks, 1);
	assert_int_equal(x->last_block_t, 110);
	sim_free(&s);
}

/* Under 10 nodes the default share allows none; blocks from an earlier run
 * (blocked_auto) count against the cap. */
static void test_share_cap_small(void **state)
{
	struct cg_policy_cfg c = cfg_default();
	struct sim s;

	(void)state;
	sim_init(&s, &c, 3, 10);
	sim_node(&s, "node-1")->rate_bad = 500;
	sim_run(&s, 300);
	assert_int_equal(sim_node(&s, "node-1")->blocks, 0);
	assert_int_equal(sim_node(&s, "node-1")->held, 1);
	assert_int_equal(sim_node(&s, "node-1")->last.cap, 0);
	sim_free(&s);

	c.max_share_ppm = 340000;	/* 34 % of 3: one */
	sim_init(&s, &c, 3, 10);
	sim_node(&s, "node-0")->blocked_auto = 1;	/* from before a restart */
	sim_node(&s, "node-1")->rate_bad = 500;
	sim_run(&s, 300);
	assert_int_equal(sim_node(&s, "node-1")->blocks, 0);
	assert_int_equal(sim_node(&s, "node-1")->held, 1);
	sim_node(&s, "node-0")->blocked_auto = 0;	/* it ran out */
	sim_run(&s, 320);
	assert_int_equal(sim_node(&s, "node-1")->blocks, 1);
	sim_free(&s);
}

/*
 * The TTL filter. node-0's address is spoofed from elsewhere: 10000 bad
 * packets a tick with another TTL (mismatch), while its own packets are
 * clean: the evidence is clean, never blocked. node-1 is bad, but its TTL
 * is not known yet: no evidence, never blocked (once it is known, it is).
 */
static void test_ttl_filter(void **state)
{
	struct cg_policy_cfg c = cfg_default();
	struct sim s;
	struct sim_node *h, *u;

	(void)state;
	c.max_share_ppm = 1000000;
	sim_init(&s, &c, 2, 10);
	h = sim_node(&s, "node-0");
	h->rate_mismatch = 10000;
	u = sim_node(&s, "node-1");
	u->ttl_known = 0;
	u->rate_bad = 500;
	sim_run(&s, 600);
	assert_int_equal(h->blocks, 0);
	assert_int_equal(u->blocks, 0);
	u->ttl_known = 1;
	sim_run(&s, 620);
	assert_int_equal(u->blocks, 1);
	assert_int_equal(u->last_block_t, 610);
	/* node-0 goes bad itself: 200 bad of 1000 from t=620, blocked at 630
	 * (window base 570: 200 bad of 6000, 3.33 %); the figures say how much
	 * was left out: 6 intervals of 10000 */
	h->rate_bad = 200;
	sim_run(&s, 640);
	assert_int_equal(h->blocks, 1);
	assert_int_equal(h->last_block_t, 630);
	assert_non_null(strstr(h->last.msg, "200 bad of 6000 checked (3.33 %) in the last 60 s, "
					    "counting only packets with the node's TTL (60000 "
					    "with another TTL left out)"));
	sim_free(&s);

	/* The policy's own check: evidence without a known TTL is none. */
	{
		struct cg_policy *p = cg_policy_new(&c);
		struct cg_policy_in in = { .name = "x", .checked = 0, .bad = 0 };
		struct cg_policy_decision *d = NULL;
		size_t nd = 0;

		assert_non_null(p);
		assert_int_equal(cg_policy_step(p, 0, &in, 1, &d, &nd), 0);
		in.checked = 1000, in.bad = 1000;
		assert_int_equal(cg_policy_step(p, 10, &in, 1, &d, &nd), 0);
		assert_int_equal(nd, 0);
		in.ttl_known = 1, in.checked = 2000, in.bad = 2000;
		assert_int_equal(cg_policy_step(p, 20, &in, 1, &d, &nd), 0);
		assert_int_equal(nd, 1);
		assert_int_equal(d[0].act, CG_PA_BLOCK);
		free(d);
		cg_policy_free(p);
	}
}

/* An operator's block is never touched; an operator's unblock of an
 * auto-block is respected (watched afresh); a block that could not be
 * written is not taken as made. */
static void test_manual(void **state)
{
	struct cg_policy_cfg c = cfg_default();
	struct sim s;
	struct sim_node *n;

	(void)state;
	c.max_share_ppm = 1000000;
	c.block_s = 1000;
	sim_init(&s, &c, 1, 10);
	n = sim_node(&s, "node-0");
	n->blocked_manual = 1;
	n->rate_bad = 500;
	sim_run(&s, 3000);
	assert_int_equal(n->blocks + n->unblocks + n->held + n->cleared, 0);
	n->blocked_manual = 0;			/* the operator unblocks it */
	sim_run(&s, 3020);
	assert_int_equal(n->blocks, 1);		/* t=3010: 500 bad since 3000 */
	/* The operator lifts the auto-block at t=3020: the block has ended;
	 * on probation like any other, cleared after a clean window. */
	n->blocked_auto = 0;
	n->rate_bad = 0;
	sim_tick(&s);
	assert_int_equal(n->unblocks, 1);
	assert_string_equal(n->last.msg, "auto-unblock node-0 after 10 s (its block was lifted "
			    "before its time): on probation for 60 s (a trip of the rule, >= 100 "
			    "bad and >= 1.00 % in 60 s, blocks it again for 2000 s)");
	sim_run(&s, 5000);
	assert_int_equal(n->blocks, 1);
	assert_int_equal(n->unblocks, 1);
	assert_int_equal(n->cleared, 1);
	sim_free(&s);

	sim_init(&s, &c, 1, 10);
	s.fail_blocks = 1;
	n = sim_node(&s, "node-0");
	n->rate_bad = 500;
	sim_run(&s, 30);
	s.fail_blocks = 0;
	sim_tick(&s);				/* t=30: tried again */
	assert_int_equal(n->blocks, 1);
	assert_int_equal(n->last_block_t, 30);
	sim_free(&s);
}

/* Counters that go back (state purged, attached afresh) restart the window:
 * no block from a negative difference, and none from the old total. */
static void test_counters_back(void **state)
{
	struct cg_policy_cfg c = cfg_default();
	struct sim s;
	struct sim_node *n;

	(void)state;
	c.max_share_ppm = 1000000;
	sim_init(&s, &c, 1, 10);
	n = sim_node(&s, "node-0");
	n->rate_bad = 5;
	sim_run(&s, 100);
	n->in.checked = 10, n->in.bad = 0;	/* purged: from 0 again */
	n->rate_bad = 0;
	sim_run(&s, 200);
	assert_int_equal(n->blocks, 0);
	sim_free(&s);
	/* and a node seen for the first time with a large history is not
	 * judged on it */
	sim_init(&s, &c, 1, 10);
	n = sim_node(&s, "node-0");
	n->in.checked = 1000000, n->in.bad = 500000;
	n->rate_bad = 0;
	sim_run(&s, 200);
	assert_int_equal(n->blocks, 0);
	sim_free(&s);
}

/* Nodes that leave the set are forgotten; one that comes back starts over. */
static void test_nodes_leave(void **state)
{
	struct cg_policy_cfg c = cfg_default();
	struct sim s;
	struct sim_node *n;

	(void)state;
	c.max_share_ppm = 1000000;
	sim_init(&s, &c, 2, 10);
	n = sim_node(&s, "node-1");
	n->rate_bad = 40;			/* 120 bad in 30 s */
	sim_run(&s, 20);			/* 80 bad so far */
	s.nn = 1;				/* node-1 removed */
	sim_run(&s, 40);
	s.nn = 2;				/* back: its window restarts at 40 */
	sim_run(&s, 60);			/* 40..50: 40 bad */
	assert_int_equal(n->blocks, 0);
	sim_run(&s, 71);			/* t=70: 120 bad in 30 s */
	assert_int_equal(n->blocks, 1);
	assert_int_equal(n->last_block_t, 70);
	sim_free(&s);
}

static void test_ttl_pick(void **state)
{
	uint64_t count[256] = { 0 }, total;
	uint32_t share;
	uint8_t ttl = 0, top;

	(void)state;
	/* too few packets yet */
	count[64] = 99;
	assert_int_equal(cg_policy_ttl_pick(count, &ttl, &top, &share, &total), 0);
	assert_int_equal(top, 64);
	assert_int_equal(total, 99);
	/* 100 at 64: learned */
	count[64] = 100;
	assert_int_equal(cg_policy_ttl_pick(count, &ttl, &top, &share, &total), 1);
	assert_int_equal(ttl, 64);
	assert_int_equal(share, 1000000);
	/* 95 % exactly: learned; 94.9 %: not */
	count[64] = 950, count[63] = 50;
	assert_int_equal(cg_policy_ttl_pick(count, &ttl, &top, &share, &total), 1);
	assert_int_equal(share, 950000);
	count[64] = 474, count[63] = 26;
	assert_int_equal(cg_policy_ttl_pick(count, &ttl, &top, &share, &total), 0);
	assert_int_equal(share, 948000);
	/* a spoofer at 63 sending as much: no winner; at 10 x 100 packets give up */
	count[64] = 499, count[63] = 500;
	assert_int_equal(cg_policy_ttl_pick(count, &ttl, &top, &share, &total), 0);
	count[64] = 500;
	assert_int_equal(cg_policy_ttl_pick(count, &ttl, &top, &share, &total), -1);
	assert_int_equal(total, 1000);
	/* TTL 0 is never learned */
	memset(count, 0, sizeof(count));
	count[0] = 5000;
	assert_int_equal(cg_policy_ttl_pick(count, &ttl, &top, &share, &total), 0);
	assert_int_equal(total, 0);
}

/* The agent's options: defaults, each setting, and the errors. */
static void test_cli(void **state)
{
	char err[CG_ERR_LEN];
	struct cg_cli c;
	uint32_t ppm;

	(void)state;
	assert_int_equal(PARSE(&c, err, "agent"), 0);
	assert_int_equal(c.agent.auto_block, 0);
	assert_int_equal(c.agent.policy.window_s, 60);
	assert_int_equal(c.agent.policy.min_bad, 100);
	assert_int_equal(c.agent.policy.min_ratio_ppm, 10000);
	assert_int_equal(c.agent.policy.block_s, 600);
	assert_int_equal(c.agent.policy.max_share_ppm, 100000);
	assert_int_equal(PARSE(&c, err, "agent", "--auto-block", "--auto-block-window", "2m",
			       "--auto-block-bad", "50", "--auto-block-ratio", "0.5%",
			       "--auto-block-ttl", "8", "--auto-block-max-share", "50"), 0);
	assert_int_equal(c.agent.auto_block, 1);
	assert_int_equal(c.agent.policy.window_s, 120);
	assert_int_equal(c.agent.policy.min_bad, 50);
	assert_int_equal(c.agent.policy.min_ratio_ppm, 5000);
	assert_int_equal(c.agent.policy.block_s, 8);
	assert_int_equal(c.agent.policy.max_share_ppm, 500000);

	assert_int_equal(PARSE(&c, err, "agent", "--auto-block-bad", "50"), -1);
	assert_string_equal(err, "the --auto-block-* options set the auto-block policy; add "
			    "--auto-block to run it");
	assert_int_equal(PARSE(&c, err, "agent", "--auto-block", "--auto-block-ratio", "0"), -1);
	assert_string_equal(err, "bad --auto-block-ratio '0'; give the bad ratio in percent, "
			    "above 0 and up to 100, e.g. 1 or 0.5%");
	assert_int_equal(PARSE(&c, err, "agent", "--auto-block", "--auto-block-max-share",
			       "101"), -1);
	assert_int_equal(PARSE(&c, err, "agent", "--auto-block", "--auto-block-window", "0"), -1);
	assert_int_equal(PARSE(&c, err, "agent", "--auto-block", "--auto-block-bad", "0"), -1);
	assert_int_equal(PARSE(&c, err, "agent", "--auto-block", "--auto-block-ttl", "8d"), -1);

	/* percentages: whole, decimals (up to 4), an optional %, 0..100 */
	assert_int_equal(cg_parse_percent("1", 0, 1000000, &ppm), 0);
	assert_int_equal(ppm, 10000);
	assert_int_equal(cg_parse_percent("12.25%", 0, 1000000, &ppm), 0);
	assert_int_equal(ppm, 122500);
	assert_int_equal(cg_parse_percent("0.0001", 0, 1000000, &ppm), 0);
	assert_int_equal(ppm, 1);
	assert_int_equal(cg_parse_percent("100", 0, 1000000, &ppm), 0);
	assert_int_equal(ppm, 1000000);
	assert_int_equal(cg_parse_percent("100.5", 0, 1000000, &ppm), -1);
	assert_int_equal(cg_parse_percent("0.00001", 0, 1000000, &ppm), -1);
	assert_int_equal(cg_parse_percent("1.", 0, 1000000, &ppm), -1);
	assert_int_equal(cg_parse_percent(".5", 0, 1000000, &ppm), -1);
	assert_int_equal(cg_parse_percent("5%%", 0, 1000000, &ppm), -1);
	assert_int_equal(cg_parse_percent("99999999999999999999", 0, 1000000, &ppm), -1);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_window_accumulates),
		cmocka_unit_test(test_window_slides),
		cmocka_unit_test(test_thresholds),
		cmocka_unit_test(test_expiry_probation),
		cmocka_unit_test(test_backoff_cap),
		cmocka_unit_test(test_share_cap),
		cmocka_unit_test(test_share_cap_small),
		cmocka_unit_test(test_ttl_filter),
		cmocka_unit_test(test_manual),
		cmocka_unit_test(test_counters_back),
		cmocka_unit_test(test_nodes_leave),
		cmocka_unit_test(test_ttl_pick),
		cmocka_unit_test(test_cli),
	};

	return CG_UNIT_RUN(tests, argc, argv);
}
