// SPDX-License-Identifier: GPL-2.0
/*
 * test_diagnose.c - the rules of `csumguard diagnose` (lib/diagnose.c),
 * table-driven: counters in, findings out, every finding with the source it
 * names and the figures it quotes, including "no problem" and "not enough
 * data"; the adapter from a snapshot (lib/diagnose_input.c: deltas, times,
 * the blocklist, worst first); and the text and JSON the command prints.
 */
#define _GNU_SOURCE	/* open_memstream, setenv */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include "addr.h"
#include "diagnose.h"
#include "json_reader.h"
#include "json_writer.h"
#include "maps.h"
#include "nodes.h"
#include "snapshot.h"
#include "unit.h"

/* ------------------------------------------------------------ builders */

/* Counters of a span: ok, bad, unfinished (packets = their sum + zero). */
#define CNT(o, b, u) { .packets = (o) + (b) + (u), .ok = (o), .bad = (b), .unfinished = (u) }
/* The same with zero-checksum packets. */
#define CNTZ(o, b, u, z) { .packets = (o) + (b) + (u) + (z), .ok = (o), .bad = (b), \
			   .unfinished = (u), .zero = (z) }
/* Bad with its classes: outer-only, payload, unclassified. */
#define CNTC(o, oo, pl, un) { .packets = (o) + (oo) + (pl) + (un), .ok = (o), \
			      .bad = (oo) + (pl) + (un), .bad_outer_only = (oo), \
			      .bad_payload = (pl), .bad_unclassified = (un) }

#define V4(x) { .a = { [10] = 0xff, [11] = 0xff, [12] = 10, [13] = 99, [14] = 0, [15] = (x) }, \
		.family = CG_AF_INET4 }
#define SRC(x, tot, nw) { .addrs = { V4(x) }, .naddrs = 1, .total = tot, .now = nw }

#define ANY UINT64_MAX	/* a figure the case does not pin down */

struct want {
	enum cg_diag_code code;
	int src;
	uint64_t a, b;
};

struct dcase {
	const char *name;
	struct cg_diag_input in;	/* src filled from src[] */
	struct cg_diag_src src[6];
	size_t nsrc;
	enum cg_diag_status status;
	struct want w[16];
};

#define NOW 1800000000
#define W(c, s, A, B) { CG_DIAG_##c, s, A, B }
#define END { CG_DIAG_CODE_MAX, 0, 0, 0 }

static const struct dcase cases[] = {
	{ "nothing arrived: not enough data", .in = { .attached = CG_DIAG_ATT_HERE },
	  .nsrc = 0, .status = CG_DIAG_S_NO_DATA,
	  .w = { W(NOT_ENOUGH_DATA, -1, 0, CG_DIAG_MIN_CHECKED), END } },
	{ "a few clean packets: not enough data", .in = { .attached = CG_DIAG_ATT_HERE },
	  .src = { SRC(2, CNT(50, 0, 0), CNT(0, 0, 0)) }, .nsrc = 1,
	  .status = CG_DIAG_S_NO_DATA,
	  .w = { W(NOT_ENOUGH_DATA, -1, 50, CG_DIAG_MIN_CHECKED), END } },
	{ "zero checksums only: not enough data (quoted)", .in = { .attached = CG_DIAG_ATT_HERE },
	  .src = { SRC(2, CNTZ(0, 0, 0, 1000), CNT(0, 0, 0)) }, .nsrc = 1,
	  .status = CG_DIAG_S_NO_DATA,
	  .w = { W(NOT_ENOUGH_DATA, -1, 0, CG_DIAG_MIN_CHECKED), END } },
	{ "no problem", .in = { .attached = CG_DIAG_ATT_HERE, .interval_s = 2, .have_kernel = 1 },
	  .src = { SRC(2, CNT(5000, 0, 0), CNT(400, 0, 0)), SRC(3, CNT(3000, 0, 0), CNT(300, 0, 0)) },
	  .nsrc = 2, .status = CG_DIAG_S_CLEAN,
	  .w = { W(NO_PROBLEM, -1, 8000, 2), END } },
	{ "seed 000: one sender bad now, one clean, the kernel drops them",
	  .in = { .attached = CG_DIAG_ATT_HERE, .interval_s = 2, .have_kernel = 1,
		  .k4_total = 9000, .k4_now = 12 },
	  .src = { SRC(3, CNT(41641, 301, 0), CNT(388, 12, 0)),
		   SRC(2, CNT(195963, 0, 0), CNT(900, 0, 0)) },
	  .nsrc = 2, .status = CG_DIAG_S_PROBLEM,
	  .w = { W(BAD_SOURCE, 0, 301, 41942), W(STILL_BAD, 0, 12, 400), W(NO_CLASSES, -1, ANY, ANY),
		 W(KERNEL_DROPS, -1, 12, 12), W(CAUSE_SENDER, 0, 1, 1), W(DO_ETHTOOL, 0, ANY, ANY),
		 W(DO_FIRMWARE, 0, ANY, ANY), W(DO_BLOCK, 0, ANY, ANY), W(DO_VERIFY, -1, ANY, ANY),
		 END } },
	{ "fixed: bad earlier, none of 500 in the interval",
	  .in = { .attached = CG_DIAG_ATT_HERE, .interval_s = 5, .have_kernel = 1, .k4_total = 301 },
	  .src = { SRC(3, CNT(41641, 301, 0), CNT(500, 0, 0)),
		   SRC(2, CNT(195963, 0, 0), CNT(900, 0, 0)) },
	  .nsrc = 2, .status = CG_DIAG_S_STOPPED,
	  .w = { W(BAD_SOURCE, 0, 301, 41942), W(STOPPED, 0, ANY, 500), W(NO_CLASSES, -1, ANY, ANY),
		 W(CAUSE_SENDER, 0, 1, 1), W(DO_ETHTOOL, 0, ANY, ANY), W(DO_FIRMWARE, 0, ANY, ANY),
		 W(DO_VERIFY, -1, ANY, ANY), END } },
	{ "quiet: no traffic from it in the interval, so not known to have stopped",
	  .in = { .attached = CG_DIAG_ATT_HERE, .interval_s = 2 },
	  .src = { SRC(3, CNT(1000, 30, 0), CNT(0, 0, 0)), SRC(2, CNT(2000, 0, 0), CNT(10, 0, 0)) },
	  .nsrc = 2, .status = CG_DIAG_S_PROBLEM,
	  .w = { W(BAD_SOURCE, 0, 30, 1030), W(QUIET, 0, ANY, ANY), W(NO_CLASSES, -1, ANY, ANY),
		 W(CAUSE_SENDER, 0, 1, 1), W(DO_ETHTOOL, 0, ANY, ANY), W(DO_FIRMWARE, 0, ANY, ANY),
		 W(DO_BLOCK, 0, ANY, ANY), W(DO_VERIFY, -1, ANY, ANY), END } },
	{ "one sample only: no rates now, the kernel's totals",
	  .in = { .attached = CG_DIAG_ATT_HERE, .have_kernel = 1, .k4_total = 400 },
	  .src = { SRC(3, CNT(1000, 30, 0), CNT(0, 0, 0)), SRC(2, CNT(2000, 0, 0), CNT(0, 0, 0)) },
	  .nsrc = 2, .status = CG_DIAG_S_PROBLEM,
	  .w = { W(BAD_SOURCE, 0, 30, 1030), W(NO_CLASSES, -1, ANY, ANY), W(KERNEL_DROPS, -1, 400, 30),
		 W(CAUSE_SENDER, 0, 1, 1), W(DO_ETHTOOL, 0, ANY, ANY), W(DO_FIRMWARE, 0, ANY, ANY),
		 W(DO_BLOCK, 0, ANY, ANY), W(DO_VERIFY, -1, ANY, ANY), END } },
	{ "classes: payload intact, no sender to compare with: still the NIC",
	  .in = { .attached = CG_DIAG_ATT_HERE, .have_classes = 1 },
	  .src = { SRC(3, CNTC(5000, 290, 0, 11), CNT(0, 0, 0)) }, .nsrc = 1,
	  .status = CG_DIAG_S_PROBLEM,
	  .w = { W(BAD_SOURCE, 0, 301, 5301), W(PAYLOAD_INTACT, 0, 290, 0),
		 W(CAUSE_SENDER, 0, 1, 0), W(DO_ETHTOOL, 0, ANY, ANY), W(DO_FIRMWARE, 0, ANY, ANY),
		 W(DO_BLOCK, 0, ANY, ANY), W(DO_VERIFY, -1, ANY, ANY), END } },
	{ "classes: payload corrupt beside a clean sender: the path",
	  .in = { .attached = CG_DIAG_ATT_HERE, .have_classes = 1 },
	  .src = { SRC(3, CNTC(5000, 10, 200, 0), CNT(0, 0, 0)),
		   SRC(2, CNT(5000, 0, 0), CNT(0, 0, 0)) }, .nsrc = 2,
	  .status = CG_DIAG_S_PROBLEM,
	  .w = { W(BAD_SOURCE, 0, 210, 5210), W(PAYLOAD_CORRUPT, 0, 10, 200),
		 W(CAUSE_PATH, 0, 1, 2), W(DO_CHECK_PATH, 0, ANY, ANY), W(DO_LEDGER, 0, ANY, ANY),
		 W(DO_BLOCK, 0, ANY, ANY), W(DO_VERIFY, -1, ANY, ANY), END } },
	{ "classes: a rare corrupt payload among intact ones is still the NIC",
	  .in = { .attached = CG_DIAG_ATT_HERE, .have_classes = 1 },
	  .src = { SRC(3, CNTC(5000, 95, 5, 0), CNT(0, 0, 0)) }, .nsrc = 1,
	  .status = CG_DIAG_S_PROBLEM,
	  .w = { W(BAD_SOURCE, 0, 100, 5100), W(PAYLOAD_INTACT, 0, 95, 5),
		 W(CAUSE_SENDER, 0, 1, 0), W(DO_ETHTOOL, 0, ANY, ANY), W(DO_FIRMWARE, 0, ANY, ANY),
		 W(DO_BLOCK, 0, ANY, ANY), W(DO_VERIFY, -1, ANY, ANY), END } },
	{ "classes: nothing classifiable, one clean sender to compare",
	  .in = { .attached = CG_DIAG_ATT_HERE, .have_classes = 1 },
	  .src = { SRC(3, CNTC(5000, 0, 0, 40), CNT(0, 0, 0)),
		   SRC(2, CNT(5000, 0, 0), CNT(0, 0, 0)) }, .nsrc = 2,
	  .status = CG_DIAG_S_PROBLEM,
	  .w = { W(BAD_SOURCE, 0, 40, 5040), W(PAYLOAD_UNKNOWN, 0, 0, 0),
		 W(CAUSE_SENDER, 0, 1, 1), W(DO_ETHTOOL, 0, ANY, ANY), W(DO_FIRMWARE, 0, ANY, ANY),
		 W(DO_BLOCK, 0, ANY, ANY), W(DO_VERIFY, -1, ANY, ANY), END } },
	{ "most senders bad, no classes: the shared path",
	  .in = { .attached = CG_DIAG_ATT_HERE },
	  .src = { SRC(3, CNT(1000, 30, 0), CNT(0, 0, 0)), SRC(4, CNT(1000, 25, 0), CNT(0, 0, 0)),
		   SRC(5, CNT(1000, 20, 0), CNT(0, 0, 0)), SRC(2, CNT(1000, 0, 0), CNT(0, 0, 0)) },
	  .nsrc = 4, .status = CG_DIAG_S_PROBLEM,
	  .w = { W(BAD_SOURCE, 0, 30, 1030), W(BAD_SOURCE, 1, 25, 1025), W(BAD_SOURCE, 2, 20, 1020),
		 W(NO_CLASSES, -1, ANY, ANY), W(CAUSE_PATH, -1, 3, 4), W(DO_CHECK_PATH, -1, ANY, ANY),
		 W(DO_LEDGER, -1, ANY, ANY), W(DO_VERIFY, -1, ANY, ANY), END } },
	{ "two bad senders among five: each its own NIC",
	  .in = { .attached = CG_DIAG_ATT_HERE },
	  .src = { SRC(3, CNT(1000, 30, 0), CNT(0, 0, 0)), SRC(4, CNT(1000, 25, 0), CNT(0, 0, 0)),
		   SRC(5, CNT(1000, 0, 0), CNT(0, 0, 0)), SRC(6, CNT(1000, 0, 0), CNT(0, 0, 0)),
		   SRC(2, CNT(1000, 0, 0), CNT(0, 0, 0)) },
	  .nsrc = 5, .status = CG_DIAG_S_PROBLEM,
	  .w = { W(BAD_SOURCE, 0, 30, 1030), W(BAD_SOURCE, 1, 25, 1025), W(NO_CLASSES, -1, ANY, ANY),
		 W(CAUSE_SENDER, 0, 2, 3), W(CAUSE_SENDER, 1, 2, 3), W(DO_ETHTOOL, 0, ANY, ANY),
		 W(DO_ETHTOOL, 1, ANY, ANY), W(DO_FIRMWARE, 0, ANY, ANY), W(DO_FIRMWARE, 1, ANY, ANY),
		 W(DO_BLOCK, 0, ANY, ANY), W(DO_BLOCK, 1, ANY, ANY), W(DO_VERIFY, -1, ANY, ANY), END } },
	{ "the only sender, no classes: sender or path, cannot tell",
	  .in = { .attached = CG_DIAG_ATT_HERE },
	  .src = { SRC(3, CNT(1000, 30, 0), CNT(0, 0, 0)),
		   SRC(2, CNT(10, 0, 0), CNT(0, 0, 0)) },	/* too few to compare with */
	  .nsrc = 2, .status = CG_DIAG_S_PROBLEM,
	  .w = { W(BAD_SOURCE, 0, 30, 1030), W(NO_CLASSES, -1, ANY, ANY), W(CAUSE_UNSURE, 0, 1, 0),
		 W(DO_LEDGER, 0, ANY, ANY), W(DO_ETHTOOL, 0, ANY, ANY), W(DO_BLOCK, 0, ANY, ANY),
		 W(DO_VERIFY, -1, ANY, ANY), END } },
	{ "this node's own stack: egress final_bad, ingress clean",
	  .in = { .attached = CG_DIAG_ATT_HERE, .interval_s = 2, .have_egress = 1,
		  .e_final_ok = 33989, .e_final_bad = 33, .e_offloaded = 9920, .e_now_final_bad = 3 },
	  .src = { SRC(2, CNT(5000, 0, 0), CNT(100, 0, 0)) }, .nsrc = 1,
	  .status = CG_DIAG_S_PROBLEM,
	  .w = { W(NO_PROBLEM, -1, 5000, 1), W(CAUSE_OWN_STACK, -1, 33, 34022),
		 W(DO_OWN_STACK, -1, ANY, ANY), W(DO_VERIFY, -1, ANY, ANY), END } },
	{ "egress only: this node's own stack, nothing about sources",
	  .in = { .attached = CG_DIAG_ATT_HERE, .egress_only = 1, .have_egress = 1,
		  .e_final_ok = 33989, .e_final_bad = 33, .e_offloaded = 9920 },
	  .nsrc = 0, .status = CG_DIAG_S_PROBLEM,
	  .w = { W(CAUSE_OWN_STACK, -1, 33, 34022), W(DO_OWN_STACK, -1, ANY, ANY),
		 W(DO_VERIFY, -1, ANY, ANY), END } },
	{ "egress only, clean: its own checksums verify",
	  .in = { .attached = CG_DIAG_ATT_HERE, .egress_only = 1, .have_egress = 1,
		  .e_final_ok = 5000, .e_offloaded = 9920 },
	  .nsrc = 0, .status = CG_DIAG_S_CLEAN,
	  .w = { W(NO_PROBLEM, -1, 5000, 9920), END } },
	{ "egress only, all offloaded: not enough data",
	  .in = { .attached = CG_DIAG_ATT_HERE, .egress_only = 1, .have_egress = 1,
		  .e_offloaded = 9920 },
	  .nsrc = 0, .status = CG_DIAG_S_NO_DATA,
	  .w = { W(NOT_ENOUGH_DATA, -1, 0, CG_DIAG_MIN_CHECKED), END } },
	{ "own stack fixed: none in the interval",
	  .in = { .attached = CG_DIAG_ATT_HERE, .interval_s = 2, .have_egress = 1,
		  .e_final_ok = 33989, .e_final_bad = 33 },
	  .src = { SRC(2, CNT(5000, 0, 0), CNT(100, 0, 0)) }, .nsrc = 1,
	  .status = CG_DIAG_S_STOPPED,
	  .w = { W(NO_PROBLEM, -1, 5000, 1), W(CAUSE_OWN_STACK, -1, 33, 34022),
		 W(DO_OWN_STACK, -1, ANY, ANY), W(DO_VERIFY, -1, ANY, ANY), END } },
	{ "already blocked in drop mode: csumguard drops them, the kernel never sees them",
	  .in = { .attached = CG_DIAG_ATT_HERE, .drop_mode = 1, .have_kernel = 1 },
	  .src = { { .addrs = { V4(3) }, .naddrs = 1, .nblocked = 1,
		     .total = { .packets = 1030, .ok = 1000, .bad = 30, .dropped = 1030 } },
		   SRC(2, CNT(1000, 0, 0), CNT(0, 0, 0)) }, .nsrc = 2,
	  .status = CG_DIAG_S_PROBLEM,
	  .w = { W(BAD_SOURCE, 0, 30, 1030), W(NO_CLASSES, -1, ANY, ANY),
		 W(CSUMGUARD_DROPS, -1, 1030, 30), W(CAUSE_SENDER, 0, 1, 1),
		 W(DO_ETHTOOL, 0, ANY, ANY), W(DO_FIRMWARE, 0, ANY, ANY), W(BLOCKED, 0, ANY, ANY),
		 W(DO_VERIFY, -1, ANY, ANY), END } },
	{ "the kernel counted nothing while csumguard saw bad",
	  .in = { .attached = CG_DIAG_ATT_HERE, .interval_s = 2, .have_kernel = 1 },
	  .src = { SRC(3, CNT(1000, 30, 0), CNT(100, 3, 0)), SRC(2, CNT(1000, 0, 0), CNT(100, 0, 0)) },
	  .nsrc = 2, .status = CG_DIAG_S_PROBLEM,
	  .w = { W(BAD_SOURCE, 0, 30, 1030), W(STILL_BAD, 0, 3, 103), W(NO_CLASSES, -1, ANY, ANY),
		 W(KERNEL_SILENT, -1, 0, 3), W(CAUSE_SENDER, 0, 1, 1), W(DO_ETHTOOL, 0, ANY, ANY),
		 W(DO_FIRMWARE, 0, ANY, ANY), W(DO_BLOCK, 0, ANY, ANY), W(DO_VERIFY, -1, ANY, ANY),
		 END } },
	{ "detached: old counters, no rates now, no 'stopped'",
	  .in = { .attached = CG_DIAG_ATT_NONE, .interval_s = 2 },
	  .src = { SRC(3, CNT(1000, 30, 0), CNT(0, 0, 0)), SRC(2, CNT(1000, 0, 0), CNT(0, 0, 0)) },
	  .nsrc = 2, .status = CG_DIAG_S_PROBLEM,
	  .w = { W(NOT_COUNTING, -1, ANY, ANY), W(BAD_SOURCE, 0, 30, 1030), W(NO_CLASSES, -1, ANY, ANY),
		 W(CAUSE_SENDER, 0, 1, 1), W(DO_ETHTOOL, 0, ANY, ANY), W(DO_FIRMWARE, 0, ANY, ANY),
		 W(DO_BLOCK, 0, ANY, ANY), W(DO_VERIFY, -1, ANY, ANY), END } },
	{ "counting in another network namespace",
	  .in = { .attached = CG_DIAG_ATT_ELSEWHERE, .interval_s = 2, .where = "network namespace x" },
	  .src = { SRC(2, CNT(1000, 0, 0), CNT(100, 0, 0)) }, .nsrc = 1,
	  .status = CG_DIAG_S_CLEAN,
	  .w = { W(ELSEWHERE, -1, ANY, ANY), W(NO_PROBLEM, -1, 1000, 1), END } },
	{ "veth: unfinished, never bad",
	  .in = { .attached = CG_DIAG_ATT_HERE },
	  .src = { SRC(2, CNT(0, 0, 2000), CNT(0, 0, 0)) }, .nsrc = 1,
	  .status = CG_DIAG_S_CLEAN,
	  .w = { W(NO_PROBLEM, -1, 2000, 1), W(UNFINISHED, -1, 2000, 1), END } },
	{ "bad outer IPv4 header checksums",
	  .in = { .attached = CG_DIAG_ATT_HERE },
	  .src = { { .addrs = { V4(7) }, .naddrs = 1,
		     .total = { .packets = 1005, .ok = 1000, .bad_ip_header = 5 } } }, .nsrc = 1,
	  .status = CG_DIAG_S_PROBLEM,
	  .w = { W(BAD_IP_HEADER, 0, 5, 1005), W(NO_PROBLEM, -1, 1000, 1), END } },
	{ "evictions: counts incomplete",
	  .in = { .attached = CG_DIAG_ATT_HERE, .evicted = 3072 },
	  .src = { SRC(2, CNT(1000, 0, 0), CNT(0, 0, 0)) }, .nsrc = 1,
	  .status = CG_DIAG_S_CLEAN,
	  .w = { W(EVICTED, -1, 3072, ANY), W(NO_PROBLEM, -1, 1000, 1), END } },
};

static void run_case(const struct dcase *c)
{
	struct cg_diag_input in = c->in;
	struct cg_diag_src src[6];
	struct cg_diag_result *r = calloc(1, sizeof(*r));
	size_t i, k, nw, hits;

	assert_non_null(r);
	memcpy(src, c->src, sizeof(src));
	in.src = src;
	in.nsrc = c->nsrc;
	in.now_unix = NOW;
	cg_diagnose(&in, r);
	for (nw = 0; c->w[nw].code != CG_DIAG_CODE_MAX; nw++) {
		hits = 0;
		for (i = 0; i < r->n; i++) {
			if (r->f[i].code != c->w[nw].code || r->f[i].src != c->w[nw].src)
				continue;
			hits++;
			if (c->w[nw].a != ANY && r->f[i].a != c->w[nw].a)
				fail_msg("%s: %s: a = %llu, want %llu", c->name,
					 cg_diag_code_name(c->w[nw].code),
					 (unsigned long long)r->f[i].a, (unsigned long long)c->w[nw].a);
			if (c->w[nw].b != ANY && r->f[i].b != c->w[nw].b)
				fail_msg("%s: %s: b = %llu, want %llu", c->name,
					 cg_diag_code_name(c->w[nw].code),
					 (unsigned long long)r->f[i].b, (unsigned long long)c->w[nw].b);
		}
		if (hits != 1)
			fail_msg("%s: finding %s (source %d) found %zu times, want once", c->name,
				 cg_diag_code_name(c->w[nw].code), c->w[nw].src, hits);
	}
	if (r->n != nw) {
		for (i = 0; i < r->n; i++) {
			for (k = 0; k < nw; k++)
				if (r->f[i].code == c->w[k].code && r->f[i].src == c->w[k].src)
					break;
			if (k == nw)
				print_error("  unexpected: %s (source %d)\n",
					    cg_diag_code_name(r->f[i].code), r->f[i].src);
		}
		fail_msg("%s: %zu findings, want %zu", c->name, r->n, nw);
	}
	if (r->status != c->status)
		fail_msg("%s: status %s, want %s", c->name, cg_diag_status_name(r->status),
			 cg_diag_status_name(c->status));
	free(r);
}

static void test_rules(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
}

/* Every code has a name, a section and a severity, and the names differ. */
static void test_code_names(void **state)
{
	int i, j;

	for (i = 0; i < CG_DIAG_CODE_MAX; i++) {
		assert_string_not_equal(cg_diag_code_name((enum cg_diag_code)i), "unknown");
		for (j = 0; j < i; j++)
			assert_string_not_equal(cg_diag_code_name((enum cg_diag_code)i),
						cg_diag_code_name((enum cg_diag_code)j));
	}
	assert_string_equal(cg_diag_code_name(CG_DIAG_CODE_MAX), "unknown");
	assert_int_equal(cg_diag_code_section(CG_DIAG_DO_ETHTOOL), CG_DS_DO);
	assert_int_equal(cg_diag_code_severity(CG_DIAG_DO_ETHTOOL), CG_SEV_ACTION);
	assert_string_equal(cg_diag_status_name(CG_DIAG_S_STOPPED), "stopped");
}

/* -------------------------------------------------------------- adapter */

static struct cg_src_row row(uint8_t last, uint64_t ok, uint64_t bad, uint64_t dropped,
			     uint64_t last_bad_ns)
{
	struct cg_src_row r = { .addr = V4(last) };

	r.st.verdict[CG_V_OK] = ok;
	r.st.verdict[CG_V_BAD] = bad;
	r.st.packets = ok + bad;
	r.st.dropped = dropped;
	r.st.last_bad_ns = last_bad_ns;
	return r;
}

/* Two samples of an interface 2 s apart: the adapter's deltas, times,
 * blocklist, attachment, kernel counters and order. */
static void test_adapter(void **state)
{
	struct cg_src_row now_rows[3], before_rows[2];
	struct cg_iface_snap now = {}, before = {};
	struct cg_block_row bl = { .addr = V4(3) };
	struct cg_diag_input in;
	struct cg_diag_env env = {
		.now_unix = NOW, .now_ns = 5000000000000ull, .since_unix = NOW - 600,
		.interval_s = 2.0, .before = &before, .have_kernel = 1,
		.k_now = { 130, 7 }, .k_before = { 100, 7 }, .blocked = &bl, .nblocked = 1,
	};

	/* before: .2 clean, .3 with 10 bad; now: .3 has 40 more, .4 is new */
	before_rows[0] = row(3, 1000, 10, 0, 0);
	before_rows[1] = row(2, 500, 0, 0, 0);
	now_rows[0] = row(2, 700, 0, 0, 0);
	now_rows[1] = row(4, 50, 0, 0, 0);
	now_rows[2] = row(3, 1200, 40, 5, env.now_ns - 3000000000ull);	/* 3 s ago */
	snprintf(now.name, sizeof(now.name), "up0");
	now.has_ingress = before.has_ingress = 1;
	now.w.state = CG_WHERE_HERE;
	now.v.rows = now_rows;
	now.v.nrows = 3;
	now.v.have_config = 1;
	now.v.config.mode = CG_MODE_DROP;
	before.v.rows = before_rows;
	before.v.nrows = 2;

	assert_int_equal(cg_diag_input_fill(&in, &now, &env), 0);
	assert_string_equal(in.iface, "up0");
	assert_int_equal(in.attached, CG_DIAG_ATT_HERE);
	assert_int_equal(in.drop_mode, 1);
	assert_int_equal(in.since_unix, NOW - 600);
	assert_true(in.interval_s == 2.0);
	assert_int_equal(in.have_kernel, 1);
	assert_int_equal(in.k4_total, 130);
	assert_int_equal(in.k4_now, 30);
	assert_int_equal(in.k6_now, 0);
	assert_int_equal(in.nsrc, 3);
	/* worst first: .3 (bad), then by checked: .2 (700), .4 (50) */
	assert_int_equal(in.src[0].addrs[0].a[15], 3);
	assert_int_equal(in.src[1].addrs[0].a[15], 2);
	assert_int_equal(in.src[2].addrs[0].a[15], 4);
	assert_int_equal(in.src[0].total.bad, 40);
	assert_int_equal(in.src[0].total.ok, 1200);
	assert_int_equal(in.src[0].total.dropped, 5);
	assert_int_equal(in.src[0].now.bad, 30);
	assert_int_equal(in.src[0].now.ok, 200);
	assert_int_equal(in.src[0].nblocked, 1);
	assert_int_equal(in.src[1].nblocked, 0);
	assert_int_equal(in.src[0].last_bad_unix, NOW - 3);
	assert_int_equal(in.src[1].last_bad_unix, 0);
	assert_int_equal(in.src[1].now.ok, 200);
	assert_int_equal(in.src[2].now.ok, 50);	/* new: all of it in the interval */
	cg_diag_input_free(&in);

	/* Known nodes: .3 and .2 are one node, its counters summed. */
	{
		struct cg_node_entry e[2] = { { .addr = V4(3) }, { .addr = V4(2) } };
		struct cg_nodes *nodes;

		snprintf(e[0].node.name, sizeof(e[0].node.name), "node-x");
		snprintf(e[1].node.name, sizeof(e[1].node.name), "node-x");
		assert_int_equal(cg_nodes_from(e, 2, &nodes), 0);
		env.nodes = nodes;
		assert_int_equal(cg_diag_input_fill(&in, &now, &env), 0);
		assert_int_equal(in.nsrc, 2);
		assert_string_equal(in.src[0].name, "node-x");
		assert_int_equal(in.src[0].naddrs, 2);
		assert_int_equal(in.src[0].total.ok, 1900);
		assert_int_equal(in.src[0].total.bad, 40);
		assert_int_equal(in.src[0].now.ok, 400);
		assert_int_equal(in.src[0].nblocked, 1);	/* .3 of the two */
		assert_int_equal(in.src[0].last_bad_unix, NOW - 3);
		assert_string_equal(in.src[1].name, "");
		cg_diag_input_free(&in);
		cg_nodes_close(nodes);
		env.nodes = NULL;
	}

	/* Attached elsewhere: this namespace's kernel counters are not used. */
	now.w.state = CG_WHERE_ELSEWHERE;
	snprintf(now.w.where, sizeof(now.w.where), "network namespace /run/netns/x");
	assert_int_equal(cg_diag_input_fill(&in, &now, &env), 0);
	assert_int_equal(in.attached, CG_DIAG_ATT_ELSEWHERE);
	assert_string_equal(in.where, "network namespace /run/netns/x");
	assert_int_equal(in.have_kernel, 0);
	cg_diag_input_free(&in);
}

/* ---------------------------------------------------------------- text */

static char *render_text(const struct cg_diag_input *in, const struct cg_diag_result *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	cg_diag_render_text(f, in, r);
	fclose(f);
	return buf;
}

/* text with its wrapped lines joined again ("\n" + 10 spaces -> " "), for
 * checks of what a sentence says wherever it wraps. */
static char *flat(const char *text)
{
	char *out = strdup(text), *o = out;
	const char *p;

	assert_non_null(out);
	for (p = text; *p; p++) {
		if (p[0] == '\n' && !strncmp(p + 1, "          ", 10)) {
			*o++ = ' ';
			p += 10;
			continue;
		}
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

/* The seed case as the operator reads it: every line within 80 columns,
 * each section with its figures. */
static void test_text(void **state)
{
	struct cg_diag_src src[2] = {
		SRC(3, CNT(41641, 301, 0), CNT(388, 12, 0)),
		SRC(2, CNT(195963, 0, 0), CNT(900, 0, 0)),
	};
	struct cg_diag_input in = {
		.iface = "up0", .attached = CG_DIAG_ATT_HERE, .now_unix = NOW,
		.since_unix = NOW - 192, .interval_s = 2, .have_kernel = 1, .k4_now = 12,
		.src = src, .nsrc = 2,
	};
	struct cg_diag_result r;
	char *text, *raw, *line, *save = NULL;

	setenv("TZ", "UTC", 1);
	tzset();
	src[0].last_bad_unix = NOW - 1;
	cg_diagnose(&in, &r);
	raw = render_text(&in, &r);
	text = flat(raw);
	assert_non_null(strstr(text, "up0: PROBLEM - 10.99.0.3 sends bad outer UDP checksums\n"));
	assert_non_null(strstr(text, "  at 2027-01-15 08:00:00, rates over the last 2.0 s\n"
			       "  counting since 2027-01-15 07:56:48 (3m12s ago)\n"));
	assert_non_null(strstr(text, "WHICH     10.99.0.3 sends bad outer UDP checksums: 301 of "
			       "41942 checked (0.72%) since 2027-01-15 07:56:48 (3m12s ago)"));
	assert_non_null(strstr(text, "1.6 bad/s on average"));
	assert_non_null(strstr(text, "First bad: not recorded by this datapath; last"));
	assert_non_null(strstr(text, "last bad 2027-01-15 07:59:59 (1s ago)."));
	assert_non_null(strstr(raw, "\n          Clean: 10.99.0.2 (195963 checked).\nNOW "));
	assert_non_null(strstr(text, "NOW       10.99.0.3: 12 of 400 bad in the last 2.0 s "
			       "(3.00%, 6.0 bad/s): still going on.\n"));
	assert_non_null(strstr(text, "PAYLOAD   Classes not available on this datapath"));
	assert_non_null(strstr(text, "KERNEL    The receiving kernel drops them: Udp InCsumErrors "
			       "rose by 12 while csumguard counted 12 bad in the same 2.0 s"));
	assert_non_null(strstr(text, "(exactly these)"));
	assert_non_null(strstr(text, "CAUSE     10.99.0.3's NIC:"));
	assert_non_null(strstr(text, "DO  1.    On 10.99.0.3 (IFACE: its uplink): ethtool -K IFACE "
			       "tx-udp_tnl-csum-segmentation off"));
	assert_non_null(strstr(text, "    3.    Until it is fixed: csumguard block 10.99.0.3 drops"));
	assert_non_null(strstr(text, "    4.    After a change: csumguard stats up0 --reset"));
	for (line = strtok_r(raw, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (strlen(line) > 80)
			fail_msg("line over 80 columns: '%s'", line);
	free(raw);
	free(text);

	/* The uplink, when known, goes into the command. */
	snprintf(src[0].uplink, sizeof(src[0].uplink), "eth1");
	snprintf(src[0].name, sizeof(src[0].name), "node-3");
	raw = render_text(&in, &r);
	text = flat(raw);
	free(raw);
	assert_non_null(strstr(text, "up0: PROBLEM - node-3 sends"));
	assert_non_null(strstr(text, "WHICH     node-3 (10.99.0.3) sends"));
	assert_non_null(strstr(text, "On node-3: ethtool -K eth1 tx-udp_tnl-csum-segmentation off"));
	free(text);

	/* Stopped: no block advised, the offload advice conditional. */
	src[0].now = (struct cg_diag_count)CNT(500, 0, 0);
	cg_diagnose(&in, &r);
	raw = render_text(&in, &r);
	text = flat(raw);
	free(raw);
	assert_non_null(strstr(text, "up0: bad outer UDP checksums earlier, none in the last 2.0 s\n"));
	assert_non_null(strstr(text, "NOW       node-3: none of 500 bad in the last 2.0 s: fixed, or "
			       "the fault paused (last bad 1s ago)."));
	assert_non_null(strstr(text, "DO  1.    If that is not what changed: on node-3: ethtool -K "
			       "eth1"));
	assert_null(strstr(text, "csumguard block"));
	free(text);

	/* "No problem" and "not enough data" say so. */
	in.nsrc = 1;
	in.src = &src[1];
	cg_diagnose(&in, &r);
	raw = render_text(&in, &r);
	text = flat(raw);
	free(raw);
	assert_non_null(strstr(text, "up0: clean\n"));
	assert_non_null(strstr(text, "WHICH     No source sent a bad outer UDP checksum: 195963 "
			       "checked from 1 source since 2027-01-15 07:56:48 (3m12s ago).\n"));
	free(text);
	in.nsrc = 0;
	cg_diagnose(&in, &r);
	raw = render_text(&in, &r);
	text = flat(raw);
	free(raw);
	assert_non_null(strstr(text, "up0: not enough data\n"));
	assert_non_null(strstr(text, "WHICH     Not enough data: no tunnel packet with an outer "
			       "checksum has arrived"));
	free(text);
}

/* The JSON: status, sources with their intervals, findings with code,
 * section, severity, source and text. */
static void test_json(void **state)
{
	struct cg_diag_src src[2] = {
		SRC(3, CNT(41641, 301, 0), CNT(388, 12, 0)),
		SRC(2, CNT(195963, 0, 0), CNT(900, 0, 0)),
	};
	struct cg_diag_input in = {
		.iface = "up0", .attached = CG_DIAG_ATT_HERE, .now_unix = NOW,
		.interval_s = 2, .have_kernel = 1, .k4_total = 301, .k4_now = 12,
		.src = src, .nsrc = 2,
	};
	const struct cg_jval *o, *a, *x;
	struct cg_diag_result r;
	struct cg_jval *doc;
	char *buf = NULL, err[128];
	size_t len = 0;
	uint64_t u;
	struct cg_json w;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	cg_diagnose(&in, &r);
	cg_json_init(&w, f);
	cg_diag_render_json(&w, &in, &r);
	assert_int_equal(cg_json_finish(&w), 0);
	fclose(f);
	assert_int_equal(cg_json_parse(buf, &doc, err, sizeof(err)), 0);
	assert_string_equal(cg_jget(doc, "status")->s, "problem");
	assert_string_equal(cg_jget(doc, "attached")->s, "here");
	assert_int_equal(cg_jget(doc, "classes_available")->b, 0);
	o = cg_jget(cg_jget(doc, "kernel"), "interval");
	assert_int_equal(cg_ju64(cg_jget(o, "udp_in_csum_errors"), &u), 0);
	assert_int_equal(u, 12);
	a = cg_jget(doc, "sources");
	assert_int_equal(a->n, 2);
	assert_string_equal(cg_jget(&a->kids[0], "addrs")->kids[0].s, "10.99.0.3");
	assert_int_equal(cg_ju64(cg_jget(&a->kids[0], "bad"), &u), 0);
	assert_int_equal(u, 301);
	assert_int_equal(cg_ju64(cg_jget(cg_jget(&a->kids[0], "interval"), "checked"), &u), 0);
	assert_int_equal(u, 400);
	assert_int_equal(cg_jget(&a->kids[0], "classes")->t, CG_J_NULL);
	assert_int_equal(cg_jget(&a->kids[0], "first_bad_unix")->t, CG_J_NULL);
	a = cg_jget(doc, "findings");
	assert_int_equal(a->n, r.n);
	x = &a->kids[0];
	assert_string_equal(cg_jget(x, "code")->s, "bad_source");
	assert_string_equal(cg_jget(x, "section")->s, "which");
	assert_string_equal(cg_jget(x, "severity")->s, "problem");
	assert_string_equal(cg_jget(x, "source")->s, "10.99.0.3");
	assert_non_null(strstr(cg_jget(x, "text")->s, "301 of 41942 checked"));
	cg_jval_free(doc);
	free(buf);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_code_names),
		cmocka_unit_test(test_adapter),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_json),
	};

	return CG_UNIT_RUN(tests, argc, argv);
}
