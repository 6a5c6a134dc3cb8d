// SPDX-License-Identifier: GPL-2.0
/*
 * test_watch.c - the live view of `stats --watch` (lib/watch.c) and the
 * spans under it (lib/watch_delta.c): deltas field by field, a re-created
 * row, the frame at 80 x 24 with 14 sources (the worst first, the totals on
 * screen, nothing wider or taller than the terminal, nothing that scrolls),
 * all-zero columns hidden and --wide, blocked sources marked, a narrow
 * terminal, and the plain lines when the output is not a terminal.
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
#include "format.h"
#include "maps.h"
#include "nodes.h"
#include "watch.h"
#include "unit.h"

#define NOW_UNIX 1800000000
#define NOW_NS 5000000000000ull

static struct cg_src_row row(uint8_t last, uint64_t ok, uint64_t bad, uint64_t unf,
			     uint64_t last_bad_ns)
{
	struct cg_src_row r = {};

	r.addr.family = CG_AF_INET4;
	r.addr.a[10] = r.addr.a[11] = 0xff;
	r.addr.a[12] = 10;
	r.addr.a[13] = 200;
	r.addr.a[15] = last;
	r.st.verdict[CG_V_OK] = ok;
	r.st.verdict[CG_V_BAD] = bad;
	r.st.verdict[CG_V_UNFINISHED] = unf;
	r.st.packets = ok + bad + unf;
	r.st.bytes = 150 * r.st.packets;
	r.st.last_bad_ns = last_bad_ns;
	return r;
}

static void test_delta(void **state)
{
	struct cg_src_row a = row(1, 100, 5, 0, 1000), b = row(1, 150, 9, 0, 2000), d;
	struct cg_iface_stats t0 = {}, t1 = {}, td;

	/* counters subtract; a changed event time is kept */
	cg_src_stats_delta(&b.st, &a.st, &d.st);
	assert_int_equal(d.st.verdict[CG_V_OK], 50);
	assert_int_equal(d.st.verdict[CG_V_BAD], 4);
	assert_int_equal(d.st.packets, 54);
	assert_int_equal(d.st.bytes, 150 * 54);
	assert_int_equal(d.st.last_bad_ns, 2000);
	/* an unchanged one did not happen in the span */
	b.st.last_bad_ns = 1000;
	cg_src_stats_delta(&b.st, &a.st, &d.st);
	assert_int_equal(d.st.last_bad_ns, 0);
	/* a counter that went back: the row was made anew, all of it is new */
	b = row(1, 30, 1, 0, 3000);
	cg_src_stats_delta(&b.st, &a.st, &d.st);
	assert_int_equal(d.st.verdict[CG_V_OK], 30);
	assert_int_equal(d.st.packets, 31);
	/* no earlier sample: all of it */
	cg_src_stats_delta(&b.st, NULL, &d.st);
	assert_int_equal(d.st.packets, 31);
	/* totals */
	t0.c[CG_IF_TUNNEL] = 10;
	t1.c[CG_IF_TUNNEL] = 25;
	t1.verdict[CG_V_BAD] = 3;
	cg_iface_stats_delta(&t1, &t0, &td);
	assert_int_equal(td.c[CG_IF_TUNNEL], 15);
	assert_int_equal(td.verdict[CG_V_BAD], 3);
}

/* Rows and lookups by address. */
static void test_find(void **state)
{
	struct cg_src_row rows[3] = { row(9, 1, 0, 0, 0), row(2, 2, 0, 0, 0), row(5, 3, 0, 0, 0) };
	struct cg_src_row key = row(5, 0, 0, 0, 0);
	const struct cg_src_row *r;

	cg_src_rows_sort_addr(rows, 3);
	assert_int_equal(rows[0].addr.a[15], 2);
	assert_int_equal(rows[2].addr.a[15], 9);
	r = cg_src_rows_find(rows, 3, &key.addr);
	assert_non_null(r);
	assert_int_equal(r->st.verdict[CG_V_OK], 3);
	key = row(7, 0, 0, 0, 0);
	assert_null(cg_src_rows_find(rows, 3, &key.addr));
	assert_null(cg_src_rows_find(NULL, 0, &key.addr));
}

/* 14 sources of one interface, 2 s apart: .7 is bad now and before, .3
 * was bad before only, .12 is blocked; one has unfinished checksums. */
struct fixture {
	struct cg_src_row before[14], now[14];
	struct cg_iface_view in, prev_in;
	struct cg_block_row blocked;
	struct cg_watch_iface wi;
	struct cg_watch_frame fr;
};

static void setup(struct fixture *x)
{
	int i;

	memset(x, 0, sizeof(*x));
	for (i = 0; i < 14; i++) {
		x->before[i] = row((uint8_t)(i + 1), 1000 * (uint64_t)(i + 1), 0, 0, 0);
		x->now[i] = row((uint8_t)(i + 1), 1000 * (uint64_t)(i + 1) + 200, 0, 0, 0);
	}
	x->before[6] = row(7, 9000, 300, 0, NOW_NS - 5000000000ull);
	x->now[6] = row(7, 9388, 312, 0, NOW_NS - 1000000000ull);
	x->before[2] = row(3, 4000, 50, 0, NOW_NS - 600000000000ull);
	x->now[2] = row(3, 4400, 50, 0, NOW_NS - 600000000000ull);
	x->now[9] = row(10, 10200, 0, 77, 0);
	x->before[9] = row(10, 10000, 0, 70, 0);
	x->in.name = "raw1";
	x->in.attached = 1;
	x->in.xdp_mode = "native";
	x->in.have_config = 1;
	x->in.rows = x->now;
	x->in.nrows = 14;
	x->in.sources_max = 16384;
	x->in.tot.c[CG_IF_TUNNEL] = 120000;
	x->in.tot.verdict[CG_V_OK] = 119500;
	x->in.tot.verdict[CG_V_BAD] = 362;
	x->prev_in = x->in;
	x->prev_in.rows = x->before;
	x->prev_in.tot.c[CG_IF_TUNNEL] = 117000;
	x->prev_in.tot.verdict[CG_V_OK] = 116512;
	x->prev_in.tot.verdict[CG_V_BAD] = 350;
	x->blocked.addr = x->now[11].addr;
	cg_src_rows_sort_addr(x->before, 14);
	assert_int_equal(cg_watch_iface_fill(&x->wi, &x->in, NULL, &x->prev_in, NULL, x->before,
					     14, &x->blocked, 1, NULL), 0);
	x->fr.now_unix = NOW_UNIX;
	x->fr.now_ns = NOW_NS;
	x->fr.interval_s = 2.0;
	x->fr.every = 2;
	x->fr.ifs = &x->wi;
	x->fr.n = 1;
}

static char *screen(const struct cg_watch_frame *fr, int w, int h, int wide)
{
	struct cg_watch_opts o = { .width = w, .height = h, .wide = wide };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	cg_watch_render_screen(f, fr, &o);
	fclose(f);
	return buf;
}

/* The lines of a frame, escapes removed; checks each is one line of the
 * screen: starts from home, every line cleared to its end, the rest of the
 * screen cleared, no newline after the last. Returns the line count. */
static int frame_lines(const char *raw, char lines[][512], int max)
{
	const char *p = raw;
	int n = 0;
	size_t l;

	assert_memory_equal(raw, "\033[H", 3);
	p += 3;
	l = strlen(p);
	assert_true(l >= 3 && !strcmp(p + l - 3, "\033[J"));
	while (*p && strcmp(p, "\033[J")) {
		const char *k = strstr(p, "\033[K");

		assert_non_null(k);
		assert_true(n < max);
		/* --wide: every counter a column (names.c), wider than 256 */
		if (k - p >= 512)
			fail_msg("line %d is %td bytes: '%.*s'", n, k - p, (int)(k - p), p);
		memcpy(lines[n], p, (size_t)(k - p));
		lines[n][k - p] = '\0';
		assert_null(strchr(lines[n], '\033'));
		n++;
		p = k + 3;
		if (*p == '\n')
			p++;
		else
			assert_string_equal(p, "\033[J");	/* only the last has none */
	}
	return n;
}

static void test_screen_80x24(void **state)
{
	struct fixture *x = calloc(1, sizeof(*x));
	char lines[32][512], *raw;
	int n, i;

	setenv("TZ", "UTC", 1);
	tzset();
	setup(x);
	raw = screen(&x->fr, 80, 24, 0);
	n = frame_lines(raw, lines, 32);
	assert_true(n <= 24);
	for (i = 0; i < n; i++)
		if (strlen(lines[i]) > 80)
			fail_msg("line %d is %zu wide: '%s'", i, strlen(lines[i]), lines[i]);
	assert_string_equal(lines[0], "csumguard stats  2027-01-15 08:00:00  every 2s  "
			    "(Ctrl-C quits)");
	assert_string_equal(lines[1], "raw1 in: native XDP, monitor, 14 sources");
	/* 3000 tunnel frames in 2 s, 12 of them bad, of 3000 checked */
	assert_string_equal(lines[2], "  last 2.0 s: 1500 pkt/s, 6.0 bad/s, BAD 0.40%");
	assert_string_equal(lines[3], "  total: 120000 pkts, 362 bad, BAD 0.30%; unfinished 0");
	assert_non_null(strstr(lines[4], "--- last 2.0 s ---"));
	assert_non_null(strstr(lines[4], " total "));
	/* header: blocked marks, then the fixed columns; UNFINISHED (not all
	 * zero) stays, the all-zero ones are hidden */
	assert_string_equal(lines[5], "   SOURCE       PKT/S  BAD/S   BAD%  PACKETS  BAD   BAD%  "
			    "UNFINISHED    LAST BAD");
	/* the worst now first: .7, 6 bad/s, 12 of 400 = 3 % */
	assert_string_equal(lines[6], "   10.200.0.7     200    6.0  3.00%     9700  312  3.22%"
			    "           0      1s ago");
	/* then bad before only (.3), then the clean ones by traffic now */
	assert_string_equal(lines[7], "   10.200.0.3     200    0.0  0.00%     4450   50  1.12%"
			    "           0  10m00s ago");
	/* the clean ones: most traffic now first (.10: 207 in 2 s) */
	assert_string_equal(lines[8], "   10.200.0.10    104    0.0  0.00%    10277    0  0.00%"
			    "          77           -");
	/* the blocked one is marked, and the legend says what B is */
	for (i = 6; i < n && !strstr(lines[i], "10.200.0.12 "); i++)
		;
	assert_true(i < n);
	assert_int_equal(lines[i][0], 'B');
	/* 14 rows fit: no "more sources" */
	assert_int_equal(n, 6 + 14 + 1);
	assert_string_equal(lines[n - 1], "B: blocked");
	free(raw);

	/* --wide: every column, the all-zero ones too */
	raw = screen(&x->fr, 80, 24, 1);
	n = frame_lines(raw, lines, 32);
	assert_non_null(strstr(lines[5], "ZERO"));
	assert_non_null(strstr(lines[5], "MALFORMED"));
	assert_non_null(strstr(lines[5], "DROPPED"));
	assert_true(strlen(lines[5]) > 80);
	free(raw);

	/* 12 lines: the totals stay, the worst stay, the rest are counted */
	raw = screen(&x->fr, 80, 12, 0);
	n = frame_lines(raw, lines, 32);
	assert_int_equal(n, 12);
	assert_non_null(strstr(lines[3], "total: 120000 pkts"));
	assert_non_null(strstr(lines[6], "10.200.0.7 "));
	assert_string_equal(lines[11], "9 more sources (0 with bad checksums); B: blocked");
	free(raw);

	/* 60 columns: the extra counters go first, then the total packets;
	 * what is bad now and since when stay, and the footer says so */
	raw = screen(&x->fr, 60, 24, 0);
	n = frame_lines(raw, lines, 32);
	for (i = 0; i < n; i++)
		assert_true(strlen(lines[i]) <= 60);
	assert_string_equal(lines[5], "   SOURCE       PKT/S  BAD/S   BAD%  BAD   BAD%    LAST BAD");
	assert_string_equal(lines[n - 1], "2 more columns: --wide; B: blocked");
	free(raw);
	cg_watch_iface_free(&x->wi);
	free(x);
}

/* The first frame has no interval: "-" for the rates, said so. */
static void test_screen_first(void **state)
{
	struct fixture *x = calloc(1, sizeof(*x));
	char lines[32][512], *raw;

	setup(x);
	cg_watch_iface_free(&x->wi);
	assert_int_equal(cg_watch_iface_fill(&x->wi, &x->in, NULL, NULL, NULL, NULL, 0, NULL, 0,
					     NULL), 0);
	x->fr.interval_s = 0;
	raw = screen(&x->fr, 80, 24, 0);
	frame_lines(raw, lines, 32);
	assert_string_equal(lines[2], "  last -: rates from the next sample on (every 2s)");
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		setenv("TZ", "UTC", 1);
		tzset();
		cg_watch_render_lines(f, &x->fr);
		fclose(f);
		/* the first sample: totals only, and the sources ever bad */
		assert_string_equal(buf,
			"2027-01-15T08:00:00+0000 raw1 ingress: total 120000 pkts 362 bad 0.30% | "
			"sources 14\n"
			"2027-01-15T08:00:00+0000 raw1 source 10.200.0.7: total 9700 pkts 312 bad "
			"3.22% | last bad 1s ago\n"
			"2027-01-15T08:00:00+0000 raw1 source 10.200.0.3: total 4450 pkts 50 bad "
			"1.12% | last bad 10m00s ago\n");
		free(buf);
	}
	/* worst in total first (.7: 312 bad) */
	assert_non_null(strstr(lines[6], "10.200.0.7 "));
	assert_non_null(strstr(lines[6], "10.200.0.7       -      -     -     9700  312  3.22%"));
	free(raw);
	cg_watch_iface_free(&x->wi);
	free(x);
}

static void test_lines(void **state)
{
	struct fixture *x = calloc(1, sizeof(*x));
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	setenv("TZ", "UTC", 1);
	tzset();
	setup(x);
	cg_watch_render_lines(f, &x->fr);
	fclose(f);
	/* the interface, and the one source with bad ones in the interval */
	assert_string_equal(buf,
		"2027-01-15T08:00:00+0000 raw1 ingress: last 2.0 s 1500 pkt/s 6.0 bad/s 0.40% bad "
		"| total 120000 pkts 362 bad 0.30% | sources 14\n"
		"2027-01-15T08:00:00+0000 raw1 source 10.200.0.7: last 2.0 s 200 pkt/s 6.0 bad/s "
		"3.00% bad | total 9700 pkts 312 bad 3.22% | last bad 1s ago\n");
	free(buf);
	cg_watch_iface_free(&x->wi);
	free(x);
}

/* A node with an IPv4 and an IPv6 address is one row, its counters summed,
 * named; a blocked address marks it. */
static void test_nodes(void **state)
{
	struct cg_src_row rows[3] = { row(3, 900, 10, 0, 100), row(2, 500, 0, 0, 0),
				      row(3, 100, 5, 0, 300) };
	struct cg_node_entry e[2] = {};
	struct cg_block_row bl = {};
	struct cg_iface_view in = { .name = "up0", .rows = rows, .nrows = 3 };
	struct cg_watch_iface wi;
	struct cg_nodes *nodes;

	/* rows[2] as fd99::3, node-3's second address */
	memset(&rows[2].addr, 0, sizeof(rows[2].addr));
	rows[2].addr.family = CG_AF_INET6;
	rows[2].addr.a[0] = 0xfd;
	rows[2].addr.a[1] = 0x99;
	rows[2].addr.a[15] = 3;
	e[0].addr = rows[0].addr;
	e[1].addr = rows[2].addr;
	snprintf(e[0].node.name, sizeof(e[0].node.name), "node-3");
	snprintf(e[1].node.name, sizeof(e[1].node.name), "node-3");
	e[0].node.id = e[1].node.id = 1;
	assert_int_equal(cg_nodes_from(e, 2, &nodes), 0);
	bl.addr = rows[2].addr;
	assert_int_equal(cg_watch_iface_fill(&wi, &in, NULL, NULL, NULL, NULL, 0, &bl, 1, nodes),
			 0);
	assert_int_equal(wi.nrows, 2);
	assert_string_equal(wi.rows[0].name, "node-3");
	assert_int_equal(wi.rows[0].naddrs, 2);
	assert_int_equal(wi.rows[0].tot.packets, 1015);
	assert_int_equal(wi.rows[0].tot.verdict[CG_V_BAD], 15);
	assert_int_equal(wi.rows[0].tot.last_bad_ns, 300);	/* the newer */
	assert_int_equal(wi.rows[0].blocked, 1);
	assert_string_equal(wi.rows[1].name, "");
	assert_int_equal(wi.rows[1].naddrs, 1);
	cg_watch_iface_free(&wi);
	cg_nodes_close(nodes);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delta),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_screen_80x24),
		cmocka_unit_test(test_screen_first),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_nodes),
	};

	return CG_UNIT_RUN(tests, argc, argv);
}
