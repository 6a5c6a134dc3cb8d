// SPDX-License-Identifier: GPL-2.0
/*
 * test_ledger.c - the per-pair ledger (lib/ledger.c) and the JSON reader it
 * reads snapshots with (lib/json_reader.c): table-driven cases with exact
 * figures, from `stats --json` text as the command gets it, and the exact
 * lines and JSON it prints.
 */
#define _GNU_SOURCE	/* asprintf */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>
#include "addr.h"
#include "err.h"
#include "json_reader.h"
#include "ledger.h"
#include "unit.h"

/* A's snapshot: egress rows (to B on v4 and v6, to C), addresses of A. */
static const char A_DOC[] =
	"{\"version\":2,\"time_unix\":1000,\"interfaces\":["
	"{\"name\":\"up0\",\"ifindex\":2,\"addrs\":[\"10.99.0.3\",\"fd99::3\"],\"ingress\":null,"
	"\"egress\":{\"attached\":true,\"destinations\":["
	"{\"addr\":\"10.99.0.1\",\"packets\":1000,\"bytes\":150000,\"gso\":4,\"final_ok\":10,"
	"\"final_bad\":2,\"offloaded\":980,\"zero\":8,\"fragment\":0,\"malformed\":0},"
	"{\"addr\":\"fd99::1\",\"packets\":200,\"bytes\":30000,\"gso\":0,\"final_ok\":0,"
	"\"final_bad\":0,\"offloaded\":200,\"zero\":0,\"fragment\":0,\"malformed\":0},"
	"{\"addr\":\"10.99.0.2\",\"packets\":7,\"bytes\":700,\"gso\":0,\"final_ok\":7,"
	"\"final_bad\":0,\"offloaded\":0,\"zero\":0,\"fragment\":0,\"malformed\":0}]}}]}";

/* B's snapshot at time T: ingress rows from A (v4, v6), from C, and from
 * ::ffff:10.99.0.3 (an IPv6 source: never A's IPv4 address). */
static char *b_doc(int64_t t, uint64_t from_a4, uint64_t bad_a4, uint64_t from_a6,
		   uint64_t bad_a6)
{
	char *s = NULL;

	assert_true(asprintf(&s,
		"{\"version\":2,\"time_unix\":%lld,\"interfaces\":["
		"{\"name\":\"up0\",\"ifindex\":2,\"addrs\":[\"10.99.0.1\",\"fd99::1\"],"
		"\"ingress\":{\"attached\":true,\"sources\":["
		"{\"addr\":\"10.99.0.3\",\"packets\":%llu,\"ok\":%llu,\"bad\":%llu,"
		"\"unfinished\":0,\"zero\":8,\"fragment\":0,\"malformed\":0},"
		"{\"addr\":\"fd99::3\",\"packets\":%llu,\"ok\":%llu,\"bad\":%llu,"
		"\"unfinished\":0,\"zero\":0,\"fragment\":0,\"malformed\":0},"
		"{\"addr\":\"::ffff:10.99.0.3\",\"packets\":50,\"ok\":0,\"bad\":50,"
		"\"unfinished\":0,\"zero\":0,\"fragment\":0,\"malformed\":0},"
		"{\"addr\":\"10.99.0.2\",\"packets\":9,\"ok\":9,\"bad\":0,"
		"\"unfinished\":0,\"zero\":0,\"fragment\":0,\"malformed\":0}]},"
		"\"egress\":null}]}",
		(long long)t, (unsigned long long)from_a4,
		(unsigned long long)(from_a4 - bad_a4 - 8), (unsigned long long)bad_a4,
		(unsigned long long)from_a6, (unsigned long long)(from_a6 - bad_a6),
		(unsigned long long)bad_a6) > 0);
	return s;
}

struct pair_case {
	const char *name;
	int64_t tb;		/* B's time_unix (A's is 1000) */
	uint64_t a4, bad4, a6, bad6;	/* what B counted from A */
	int64_t max_gap;
	/* want */
	uint64_t sent, offloaded, arrived, bad;
	int64_t difference;
	enum cg_ledger_order order;
	int too_far, least_known, most_known, inconsistent;
	uint64_t lost_bound, bad_after_a;
	double rate;
};

static const struct pair_case cases[] = {
	/* B 2 s after A, 12 lost, 31+6 bad: (37 - 2) / 1180 */
	{ "in order", 1002, 990, 31, 198, 6, 10,
	  1200, 1180, 1188, 37, 12, CG_LEDGER_A_FIRST, 0, 1, 0, 0, 12, 35, 35.0 / 1180 },
	/* B counted more than A had sent at its snapshot: no loss shown */
	{ "in order, B ahead", 1003, 1010, 30, 205, 0, 10,
	  1200, 1180, 1215, 30, -15, CG_LEDGER_A_FIRST, 0, 1, 0, 0, 0, 28, 28.0 / 1180 },
	/* B before A: the difference bounds the loss from above */
	{ "wrong order", 998, 900, 20, 190, 0, 10,
	  1200, 1180, 1090, 20, 110, CG_LEDGER_B_FIRST, 0, 0, 1, 0, 110, 18, 18.0 / 1180 },
	/* B before A yet ahead: counters restarted on A, or a spoofer */
	{ "wrong order, inconsistent", 999, 1100, 0, 200, 0, 10,
	  1200, 1180, 1300, 0, -100, CG_LEDGER_B_FIRST, 0, 0, 1, 1, 0, 0, 0.0 },
	{ "same second", 1000, 995, 1, 200, 0, 10,
	  1200, 1180, 1195, 1, 5, CG_LEDGER_SAME_SECOND, 0, 0, 0, 0, 0, 0, 0.0 },
	{ "too far apart", 1100, 990, 31, 198, 6, 10,
	  1200, 1180, 1188, 37, 12, CG_LEDGER_A_FIRST, 1, 1, 0, 0, 12, 35, 35.0 / 1180 },
	{ "too far apart, the wrong way", 900, 990, 31, 198, 6, 60,
	  1200, 1180, 1188, 37, 12, CG_LEDGER_B_FIRST, 1, 0, 1, 0, 12, 35, 35.0 / 1180 },
};

static void test_ledger_pairs(void **state)
{
	struct cg_node_snap a, b;
	char err[CG_ERRLEN], *doc;
	struct cg_ledger l;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct pair_case *c = &cases[i];

		print_message("case: %s\n", c->name);
		assert_int_equal(cg_node_snap_from_json(A_DOC, &a, err, sizeof(err)), 0);
		doc = b_doc(c->tb, c->a4, c->bad4, c->a6, c->bad6);
		assert_int_equal(cg_node_snap_from_json(doc, &b, err, sizeof(err)), 0);
		free(doc);
		assert_int_equal(cg_ledger_compute(&a, &b, c->max_gap, &l, err, sizeof(err)), 0);
		assert_int_equal(l.sent, c->sent);
		assert_int_equal(l.state[CG_E_OFFLOADED], c->offloaded);
		assert_int_equal(l.state[CG_E_FINAL_BAD], 2);
		assert_int_equal(l.arrived, c->arrived);
		assert_int_equal(l.verdict[CG_V_BAD], c->bad);
		assert_int_equal(l.difference, c->difference);
		assert_int_equal(l.dt, c->tb - 1000);
		assert_int_equal(l.order, c->order);
		assert_int_equal(l.too_far, c->too_far);
		assert_int_equal(l.lost_at_least_known, c->least_known);
		assert_int_equal(l.lost_at_most_known, c->most_known);
		assert_int_equal(l.inconsistent, c->inconsistent);
		if (c->least_known)
			assert_int_equal(l.lost_at_least, c->lost_bound);
		if (c->most_known)
			assert_int_equal(l.lost_at_most, c->lost_bound);
		assert_int_equal(l.bad_after_a, c->bad_after_a);
		assert_int_equal(l.rate_known, 1);
		assert_true(l.corruption_rate == c->rate);
		cg_node_snap_free(&a);
		cg_node_snap_free(&b);
	}
}

/* The exact lines and JSON of the first case. */
static void test_ledger_render(void **state)
{
	struct cg_node_snap a, b;
	char err[CG_ERRLEN], *doc, *buf = NULL;
	struct cg_ledger l;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(cg_node_snap_from_json(A_DOC, &a, err, sizeof(err)), 0);
	doc = b_doc(1002, 990, 31, 198, 6);
	assert_int_equal(cg_node_snap_from_json(doc, &b, err, sizeof(err)), 0);
	free(doc);
	assert_int_equal(cg_ledger_compute(&a, &b, 10, &l, err, sizeof(err)), 0);
	f = open_memstream(&buf, &len);
	cg_render_ledger_table(f, &l, &a, &b);
	fclose(f);
	assert_string_equal(buf,
		"A -> B: A (10.99.0.3, fd99::3) sends, B (10.99.0.1, fd99::1) receives\n"
		"snapshots:       B 2 s after A (in order)\n"
		"sent by A:       1200 (offloaded 1180, final_ok 10, final_bad 2, zero 8, "
		"fragment 0, malformed 0)\n"
		"arrived at B:    1188 (ok 1143, bad 37, unfinished 0, zero 8, fragment 0, "
		"malformed 0)\n"
		"lost:            at least 12 (sent - arrived = 12; B also counted what A sent "
		"after its snapshot)\n"
		"corruption rate: 2.97% (37 arrived bad, 2 of them already bad leaving A, of "
		"1180 offloaded)\n");
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_int_equal(cg_render_ledger_json(f, &l, &a, &b), 0);
	fclose(f);
	assert_string_equal(buf,
		"{\"version\":2,\"a\":{\"time_unix\":1000,\"addrs\":[\"10.99.0.3\",\"fd99::3\"]},"
		"\"b\":{\"time_unix\":1002,\"addrs\":[\"10.99.0.1\",\"fd99::1\"]},"
		"\"dt_seconds\":2,\"order\":\"a_first\",\"too_far\":false,\"max_gap_seconds\":10,"
		"\"sent\":{\"packets\":1200,\"bytes\":180000,\"gso\":4,\"final_ok\":10,"
		"\"final_bad\":2,\"offloaded\":1180,\"zero\":8,\"fragment\":0,\"malformed\":0},"
		"\"arrived\":{\"packets\":1188,\"ok\":1143,\"bad\":37,\"unfinished\":0,\"zero\":8,"
		"\"fragment\":0,\"malformed\":0,\"bad_ip_header\":0},\"difference\":12,\"lost_at_least\":12,"
		"\"lost_at_most\":null,\"inconsistent\":false,\"bad_after_a\":35,"
		"\"corruption_rate\":0.029661}\n");
	free(buf);
	cg_node_snap_free(&a);
	cg_node_snap_free(&b);
}

/* Zero offloaded: no rate, and bad packets then are the path's, said so. */
static void test_ledger_zero_offloaded(void **state)
{
	static const char a_doc[] =
		"{\"version\":2,\"time_unix\":5,\"interfaces\":[{\"name\":\"e\",\"ifindex\":1,"
		"\"addrs\":[\"10.0.0.1\"],\"ingress\":null,\"egress\":{\"destinations\":["
		"{\"addr\":\"10.0.0.2\",\"packets\":10,\"final_ok\":10,\"final_bad\":0,"
		"\"offloaded\":0,\"zero\":0,\"fragment\":0,\"malformed\":0}]}}]}";
	static const char b_doc2[] =
		"{\"version\":2,\"time_unix\":6,\"interfaces\":[{\"name\":\"e\",\"ifindex\":1,"
		"\"addrs\":[\"10.0.0.2\"],\"ingress\":{\"sources\":[{\"addr\":\"10.0.0.1\","
		"\"packets\":10,\"ok\":9,\"bad\":1,\"unfinished\":0,\"zero\":0,\"fragment\":0,"
		"\"malformed\":0}]},\"egress\":null}]}";
	struct cg_node_snap a, b;
	char err[CG_ERRLEN], *buf = NULL;
	struct cg_ledger l;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(cg_node_snap_from_json(a_doc, &a, err, sizeof(err)), 0);
	assert_int_equal(cg_node_snap_from_json(b_doc2, &b, err, sizeof(err)), 0);
	assert_int_equal(cg_ledger_compute(&a, &b, 10, &l, err, sizeof(err)), 0);
	assert_int_equal(l.rate_known, 0);
	assert_int_equal(l.bad_after_a, 1);
	assert_int_equal(l.lost_at_least, 0);
	f = open_memstream(&buf, &len);
	cg_render_ledger_table(f, &l, &a, &b);
	fclose(f);
	assert_non_null(strstr(buf, "corruption rate: - (A offloaded no checksum to B; yet B "
			       "got bad ones: the path corrupts, not A's NIC)\n"));
	free(buf);
	cg_node_snap_free(&a);
	cg_node_snap_free(&b);
}

/* A pair that never talked: zeros, said so; and the errors. */
static void test_ledger_missing(void **state)
{
	struct cg_node_snap a, b, c;
	char err[CG_ERRLEN], *doc, *buf = NULL;
	struct cg_ledger l;
	struct cg_addr x;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(cg_node_snap_from_json(A_DOC, &a, err, sizeof(err)), 0);
	doc = b_doc(1002, 990, 31, 198, 6);
	assert_int_equal(cg_node_snap_from_json(doc, &b, err, sizeof(err)), 0);
	free(doc);
	/* B -> A: A has no ingress state, B no egress state */
	assert_int_equal(cg_ledger_compute(&b, &a, 10, &l, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "A's snapshot has no egress state (what A sends is counted "
			    "by its TC program); attach it on A: csumguard attach IFACE (or "
			    "--egress)");
	/* A -> C (10.99.0.9), which heard nothing from A: zeros */
	memcpy(&c, &b, sizeof(c));
	c.naddrs = 0;
	c.nsrcs = 0;
	assert_int_equal(cg_ledger_compute(&a, &c, 10, &l, err, sizeof(err)), -EDESTADDRREQ);
	assert_string_equal(err, "B's snapshot lists no address of its interfaces; give its "
			    "underlay addresses with --b-addr ADDR");
	assert_int_equal(cg_parse_addr("10.99.0.9", &x), 0);
	assert_int_equal(cg_node_add_addr(&c, &x), 0);
	assert_int_equal(cg_node_add_addr(&c, &x), 0);	/* a duplicate is ignored */
	assert_int_equal(c.naddrs, 1);
	assert_int_equal(cg_ledger_compute(&a, &c, 10, &l, err, sizeof(err)), 0);
	assert_int_equal(l.sent, 0);
	assert_int_equal(l.arrived, 0);
	assert_int_equal(l.rate_known, 0);
	f = open_memstream(&buf, &len);
	cg_render_ledger_table(f, &l, &a, &c);
	fclose(f);
	assert_non_null(strstr(buf, "lost:            - (no tunnel traffic from A to B on "
			       "either side: check the addresses)\n"));
	free(buf);
	cg_node_snap_free(&a);
	cg_node_snap_free(&b);
}

static void test_snapshot_errors(void **state)
{
	struct cg_node_snap n;
	char err[CG_ERRLEN];

	(void)state;
	assert_int_equal(cg_node_snap_from_json("{\"version\":1}", &n, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "not a `csumguard stats --json` document of schema version 2; "
			    "take the snapshot with this csumguard");
	assert_int_equal(cg_node_snap_from_json("{\"version\":2,", &n, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "not JSON (at byte 13: expected a member name); give the "
			    "output of `csumguard stats --json`");
	assert_int_equal(cg_node_snap_from_json("{\"error\":\"no bpffs\"}", &n, err,
						sizeof(err)), -EINVAL);
	assert_string_equal(err, "the snapshot is an error document (no bpffs); take it again");
	assert_int_equal(cg_node_snap_from_json(
		"{\"version\":2,\"time_unix\":1,\"interfaces\":[{\"egress\":{\"destinations\":"
		"[{\"addr\":\"10.1\",\"packets\":1}]}}]}", &n, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "destination 0 of an egress object lacks addr, packets or a "
			    "state; give the output of `csumguard stats --json`");
}

static void test_json_reader(void **state)
{
	struct cg_jval *v;
	char err[128];
	uint64_t u;
	int64_t i;

	(void)state;
	assert_int_equal(cg_json_parse(" {\"a\":[1,-2,18446744073709551615,1.5e3],"
				       "\"s\":\"x\\u00e9\\ud83d\\ude00\\n\",\"t\":true,"
				       "\"f\":false,\"n\":null} ", &v, err, sizeof(err)), 0);
	assert_int_equal(cg_jget(v, "a")->n, 4);
	assert_int_equal(cg_ju64(&cg_jget(v, "a")->kids[0], &u), 0);
	assert_int_equal(u, 1);
	assert_int_equal(cg_ju64(&cg_jget(v, "a")->kids[1], &u), -1);
	assert_int_equal(cg_ji64(&cg_jget(v, "a")->kids[1], &i), 0);
	assert_int_equal(i, -2);
	assert_int_equal(cg_ju64(&cg_jget(v, "a")->kids[2], &u), 0);
	assert_true(u == UINT64_MAX);
	assert_int_equal(cg_ju64(&cg_jget(v, "a")->kids[3], &u), -1);
	assert_string_equal(cg_jget(v, "s")->s, "x\xc3\xa9\xf0\x9f\x98\x80\n");
	assert_int_equal(cg_jget(v, "t")->b, 1);
	assert_int_equal(cg_jget(v, "f")->t, CG_J_BOOL);
	assert_int_equal(cg_jget(v, "n")->t, CG_J_NULL);
	assert_null(cg_jget(v, "missing"));
	cg_jval_free(v);

	assert_int_equal(cg_json_parse("[1,]", &v, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "at byte 3: expected a JSON value");
	assert_int_equal(cg_json_parse("{} x", &v, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "at byte 3: text after the document");
	assert_int_equal(cg_json_parse("\"a\x01\"", &v, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "at byte 2: control character in a string");
	assert_int_equal(cg_json_parse("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]"
				       "]]]]]]]]]]]]]]", &v, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "at byte 32: nested too deep");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ledger_pairs),
		cmocka_unit_test(test_ledger_render),
		cmocka_unit_test(test_ledger_zero_offloaded),
		cmocka_unit_test(test_ledger_missing),
		cmocka_unit_test(test_snapshot_errors),
		cmocka_unit_test(test_json_reader),
	};

	return CG_UNIT_RUN(tests, argc, argv);
}
