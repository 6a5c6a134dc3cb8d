// SPDX-License-Identifier: GPL-2.0
/*
 * test_metrics.c - cmocka tests of the Prometheus exposition writer
 * (lib/metrics.c) and the agent's pure parts (lib/agent.c, the config
 * parser of loader/cmd_agent.c): exact text for escaping, HELP and TYPE,
 * the families generated from the field tables, the cardinality modes and
 * their window, the listen address, default routes, the config file.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <cmocka.h>
#include "agent.h"
#include "cli.h"
#include "metrics.h"
#include "names.h"
#include "unit.h"

#define NS 1000000000ull

static struct cg_addr v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct cg_addr x;
	uint8_t ip[4] = { a, b, c, d };

	cg_addr_from_v4(&x, ip);
	return x;
}

/* What a writer writes, as a string (free it). */
static char *capture(void (*fn)(FILE *, const void *), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fn(f, arg);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void w_label(FILE *f, const void *s) { cg_metrics_label_value(f, s); }
static void w_help(FILE *f, const void *s) { cg_metrics_help_text(f, s); }
static void w_doc(FILE *f, const void *d) { assert_int_equal(cg_metrics_write(f, d), 0); }

static void test_label_escaping(void **state)
{
	char *s;

	(void)state;
	s = capture(w_label, "a\\b\"c\nd");
	assert_string_equal(s, "a\\\\b\\\"c\\nd");
	free(s);
	/* UTF-8 kept, an invalid byte becomes U+FFFD */
	s = capture(w_label, "fw \xc3\xa9t\xe9 8.30");
	assert_string_equal(s, "fw \xc3\xa9t\xef\xbf\xbd 8.30");
	free(s);
	/* HELP: backslash and newline escaped, quotes not */
	s = capture(w_help, "say \"x\"\\\n");
	assert_string_equal(s, "say \"x\"\\\\\\n");
	free(s);
}

static void test_parse_sources(void **state)
{
	struct cg_metrics_sel sel = { 0 };
	char err[256], buf[32];

	(void)state;
	assert_int_equal(cg_metrics_parse_sources("all", &sel, err, sizeof(err)), 0);
	assert_int_equal(sel.mode, CG_MSRC_ALL);
	assert_int_equal(cg_metrics_parse_sources("nonok", &sel, err, sizeof(err)), 0);
	assert_int_equal(sel.mode, CG_MSRC_NONOK);
	assert_int_equal(cg_metrics_parse_sources("top:25", &sel, err, sizeof(err)), 0);
	assert_int_equal(sel.mode, CG_MSRC_TOP);
	assert_int_equal(sel.top_k, 25);
	cg_metrics_sel_str(&sel, buf, sizeof(buf));
	assert_string_equal(buf, "top:25");
	assert_true(cg_metrics_parse_sources("top:0", &sel, err, sizeof(err)) < 0);
	assert_string_equal(err, "bad --metrics-sources 'top:0'; use all, nonok or top:K with "
			    "K from 1 to 1048576");
	assert_true(cg_metrics_parse_sources("top:", &sel, err, sizeof(err)) < 0);
	assert_true(cg_metrics_parse_sources("top:-1", &sel, err, sizeof(err)) < 0);
	assert_true(cg_metrics_parse_sources("some", &sel, err, sizeof(err)) < 0);
}

/* One ingress view of interface "eth0" with rows. */
static struct cg_iface_view view_in(const struct cg_src_row *rows, size_t n)
{
	struct cg_iface_view v;

	memset(&v, 0, sizeof(v));
	v.name = "eth0";
	v.dir = CG_DIR_INGRESS;
	v.attached = 1;
	v.rows = rows;
	v.nrows = n;
	v.sources_max = 16384;
	v.sources_present = n;
	return v;
}

static struct cg_src_row srow(struct cg_addr a, uint64_t ok, uint64_t bad, uint64_t unfin,
			      uint64_t zero)
{
	struct cg_src_row r;

	memset(&r, 0, sizeof(r));
	r.addr = a;
	r.st.verdict[CG_V_OK] = ok;
	r.st.verdict[CG_V_BAD] = bad;
	r.st.verdict[CG_V_UNFINISHED] = unfin;
	r.st.verdict[CG_V_ZERO] = zero;
	r.st.packets = ok + bad + unfin + zero;
	r.st.bytes = r.st.packets * 100;
	return r;
}

static const char *name_of_test(const struct cg_addr *a, void *ctx)
{
	(void)ctx;
	return a->a[15] == 3 ? "node-3 \"bad\"" : NULL;
}

/* The lines of text that start with prefix, joined by newlines. */
static char *lines_with(const char *text, const char *prefix)
{
	char *out = calloc(1, strlen(text) + 1), *o = out;
	const char *p = text, *nl;

	assert_non_null(out);
	for (; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		assert_non_null(nl);	/* every line ends with a newline */
		if (!strncmp(p, prefix, strlen(prefix))) {
			memcpy(o, p, (size_t)(nl - p + 1));
			o += nl - p + 1;
		}
	}
	return out;
}

static void test_source_families(void **state)
{
	struct cg_src_row rows[2] = { srow(v4(10, 0, 0, 3), 97, 3, 0, 0),
				      srow(v4(10, 0, 0, 2), 50, 0, 0, 0) };
	struct cg_iface_view v;
	struct cg_metrics_iface x = { 0 };
	struct cg_metrics_doc d = { 0 };
	char *s, *l;

	(void)state;
	rows[0].st.last_bad_ns = 90 * NS;	/* 10 s before now */
	rows[0].st.first_bad_ns = 80 * NS;
	v = view_in(rows, 2);
	x.in = &v;
	d.ifaces = &x;
	d.n = 1;
	d.name_of = name_of_test;
	d.now_boot_ns = 100 * NS;
	d.now_unix = 1700000000.0;
	d.version = "0.1.0";
	d.node = "rx";
	s = capture(w_doc, &d);

	/* HELP before TYPE before the first sample, once per family */
	l = lines_with(s, "# TYPE csumguard_source_");
	assert_string_equal(l,
		"# TYPE csumguard_source_packets_total counter\n"
		"# TYPE csumguard_source_bytes_total counter\n"
		"# TYPE csumguard_source_verdict_packets_total counter\n"
		"# TYPE csumguard_source_unparsed_total counter\n"
		"# TYPE csumguard_source_dropped_total counter\n"
		"# TYPE csumguard_source_last_bad_timestamp_seconds gauge\n"
		"# TYPE csumguard_source_class_packets_total counter\n"
		"# TYPE csumguard_source_zero_inner_packets_total counter\n"
		"# TYPE csumguard_source_repaired_total counter\n"
		"# TYPE csumguard_source_unverified_total counter\n"
		"# TYPE csumguard_source_first_bad_timestamp_seconds gauge\n"
		"# TYPE csumguard_source_unknown_sender_total counter\n"
		"# TYPE csumguard_source_ttl_mismatch_total counter\n"
		"# TYPE csumguard_source_evidence_checked_total counter\n"
		"# TYPE csumguard_source_evidence_bad_total counter\n");
	free(l);
	assert_non_null(strstr(s, "# HELP csumguard_source_packets_total Tunnel frames from this "
			       "source given a verdict (the sum of the verdicts)\n# TYPE "
			       "csumguard_source_packets_total counter\n"
			       "csumguard_source_packets_total{interface=\"eth0\",source=\"10.0.0.3\","
			       "node=\"node-3 \\\"bad\\\"\"} 100\n"
			       "csumguard_source_packets_total{interface=\"eth0\",source=\"10.0.0.2\"} 50\n"));
	l = lines_with(s, "csumguard_source_verdict_packets_total{interface=\"eth0\",source=\"10.0.0.3\"");
	assert_string_equal(l,
		"csumguard_source_verdict_packets_total{interface=\"eth0\",source=\"10.0.0.3\",node=\"node-3 \\\"bad\\\"\",verdict=\"ok\"} 97\n"
		"csumguard_source_verdict_packets_total{interface=\"eth0\",source=\"10.0.0.3\",node=\"node-3 \\\"bad\\\"\",verdict=\"bad\"} 3\n"
		"csumguard_source_verdict_packets_total{interface=\"eth0\",source=\"10.0.0.3\",node=\"node-3 \\\"bad\\\"\",verdict=\"unfinished\"} 0\n"
		"csumguard_source_verdict_packets_total{interface=\"eth0\",source=\"10.0.0.3\",node=\"node-3 \\\"bad\\\"\",verdict=\"zero\"} 0\n"
		"csumguard_source_verdict_packets_total{interface=\"eth0\",source=\"10.0.0.3\",node=\"node-3 \\\"bad\\\"\",verdict=\"fragment\"} 0\n"
		"csumguard_source_verdict_packets_total{interface=\"eth0\",source=\"10.0.0.3\",node=\"node-3 \\\"bad\\\"\",verdict=\"malformed\"} 0\n"
		"csumguard_source_verdict_packets_total{interface=\"eth0\",source=\"10.0.0.3\",node=\"node-3 \\\"bad\\\"\",verdict=\"bad_ip_header\"} 0\n");
	free(l);
	/* a time: Unix seconds; a row that never had one: no sample */
	l = lines_with(s, "csumguard_source_last_bad_timestamp_seconds{");
	assert_string_equal(l, "csumguard_source_last_bad_timestamp_seconds{interface=\"eth0\","
			    "source=\"10.0.0.3\",node=\"node-3 \\\"bad\\\"\"} 1699999990.000\n");
	free(l);
	l = lines_with(s, "csumguard_interface_verdict_packets_total{");
	assert_non_null(strstr(l, "csumguard_interface_verdict_packets_total{interface=\"eth0\","
			       "direction=\"ingress\",verdict=\"bad\"} 0\n"));
	free(l);
	/* no egress view: no egress family at all, not even its HELP */
	assert_null(strstr(s, "csumguard_destination_"));
	assert_null(strstr(s, "csumguard_interface_state_packets_total"));
	assert_non_null(strstr(s, "csumguard_agent_info{node=\"rx\"} 1\n"));
	assert_non_null(strstr(s, "csumguard_build_info{version=\"0.1.0\"} 1\n"));
	free(s);
}

/* The interface's class and zero_inner arrays: one family each, every value
 * a sample with the per-source families' label values. */
static void test_iface_class_families(void **state)
{
	struct cg_src_row row = srow(v4(10, 0, 0, 3), 10, 7, 0, 0);
	struct cg_iface_view v;
	struct cg_metrics_iface x = { 0 };
	struct cg_metrics_doc d = { 0 };
	char *s, *l;

	(void)state;
	v = view_in(&row, 1);
	v.tot.bad_class[CG_BC_OUTER_ONLY] = 4;
	v.tot.bad_class[CG_BC_PAYLOAD] = 2;
	v.tot.bad_class[CG_BC_UNCLASSIFIED] = 1;
	v.tot.zero_inner[CG_ZI_OK] = 11;
	v.tot.zero_inner[CG_ZI_BAD] = 12;
	v.tot.zero_inner[CG_ZI_UNFINISHED] = 13;
	v.tot.zero_inner[CG_ZI_UNCHECKED] = 14;
	x.in = &v;
	d.ifaces = &x;
	d.n = 1;
	d.version = "0.1.0";
	d.node = "rx";
	s = capture(w_doc, &d);
	l = lines_with(s, "csumguard_interface_class_packets_total");
	assert_string_equal(l,
		"csumguard_interface_class_packets_total{interface=\"eth0\",direction=\"ingress\",class=\"bad_outer_only\"} 4\n"
		"csumguard_interface_class_packets_total{interface=\"eth0\",direction=\"ingress\",class=\"bad_payload\"} 2\n"
		"csumguard_interface_class_packets_total{interface=\"eth0\",direction=\"ingress\",class=\"bad_unclassified\"} 1\n");
	free(l);
	l = lines_with(s, "csumguard_interface_zero_inner_packets_total");
	assert_string_equal(l,
		"csumguard_interface_zero_inner_packets_total{interface=\"eth0\",direction=\"ingress\",zero_inner=\"ok\"} 11\n"
		"csumguard_interface_zero_inner_packets_total{interface=\"eth0\",direction=\"ingress\",zero_inner=\"bad\"} 12\n"
		"csumguard_interface_zero_inner_packets_total{interface=\"eth0\",direction=\"ingress\",zero_inner=\"unfinished\"} 13\n"
		"csumguard_interface_zero_inner_packets_total{interface=\"eth0\",direction=\"ingress\",zero_inner=\"unchecked\"} 14\n");
	free(l);
	assert_non_null(strstr(s, "# TYPE csumguard_interface_class_packets_total counter\n"));
	assert_non_null(strstr(s, "# TYPE csumguard_interface_zero_inner_packets_total counter\n"));
	/* the per-source family uses the same label values */
	assert_non_null(strstr(s, "class=\"bad_outer_only\"} 0\n"));
	free(s);
}

/* Every generated family name is a valid metric name, counters end in _total. */
static void test_every_field_has_a_family(void **state)
{
	const struct cg_field *f;
	struct cg_src_row row = srow(v4(10, 0, 0, 9), 1, 1, 1, 1);
	struct cg_iface_view v;
	struct cg_metrics_iface x = { 0 };
	struct cg_metrics_doc d = { 0 };
	char *s, want[160];
	size_t n, i;

	(void)state;
	row.st.last_bad_ns = NS;
	row.st.first_bad_ns = NS / 2;
	v = view_in(&row, 1);
	x.in = &v;
	d.ifaces = &x;
	d.n = 1;
	d.now_boot_ns = 2 * NS;
	s = capture(w_doc, &d);
	f = cg_src_fields(&n);
	for (i = 0; i < n; i++) {
		if (f[i].group)
			snprintf(want, sizeof(want), "csumguard_source_%s_packets_total{", f[i].group);
		else if (cg_field_is_time(&f[i]))
			snprintf(want, sizeof(want), "csumguard_source_%s_timestamp_seconds{",
				 f[i].name);
		else
			snprintf(want, sizeof(want), "csumguard_source_%s_total{", f[i].name);
		assert_non_null(strstr(s, want));
	}
	free(s);
}

/* nonok: only rows with non-ok counts; their window; top:K. */
static void test_pick_modes(void **state)
{
	struct cg_src_row rows[4] = { srow(v4(10, 0, 0, 1), 10, 0, 0, 0),	/* clean */
				      srow(v4(10, 0, 0, 2), 10, 5, 0, 0),	/* bad */
				      srow(v4(10, 0, 0, 3), 10, 0, 2, 0),	/* unfinished */
				      srow(v4(10, 0, 0, 4), 0, 0, 0, 50) };	/* zero only */
	struct cg_metrics_sel sel = { .mode = CG_MSRC_NONOK, .window_s = 100 };
	struct cg_metrics_track *t = cg_metrics_track_new();
	const struct cg_field *f;
	unsigned char pick[4];
	size_t nf;

	(void)state;
	f = cg_src_fields(&nf);
	assert_non_null(t);
	assert_int_equal(cg_metrics_nonok(&rows[0].st, f, nf), 0);
	assert_int_equal(cg_metrics_nonok(&rows[1].st, f, nf), 5);
	assert_int_equal(cg_metrics_nonok(&rows[3].st, f, nf), 0);
	assert_int_equal(cg_metrics_pick(t, "eth0", CG_DIR_INGRESS, rows, 4, sizeof(rows[0]),
					 offsetof(struct cg_src_row, st), f, nf, &sel, 1000, pick), 2);
	assert_memory_equal(pick, ((unsigned char[]){ 0, 1, 1, 0 }), 4);
	/* 100 s later, nothing moved: still within the window */
	assert_int_equal(cg_metrics_pick(t, "eth0", CG_DIR_INGRESS, rows, 4, sizeof(rows[0]),
					 offsetof(struct cg_src_row, st), f, nf, &sel, 1100, pick), 2);
	/* the bad one moves at 1150; at 1101+ the other one left the window */
	rows[1].st.verdict[CG_V_BAD]++;
	assert_int_equal(cg_metrics_pick(t, "eth0", CG_DIR_INGRESS, rows, 4, sizeof(rows[0]),
					 offsetof(struct cg_src_row, st), f, nf, &sel, 1150, pick), 1);
	assert_memory_equal(pick, ((unsigned char[]){ 0, 1, 0, 0 }), 4);
	/* another interface's rows are its own */
	assert_int_equal(cg_metrics_pick(t, "eth1", CG_DIR_INGRESS, rows, 4, sizeof(rows[0]),
					 offsetof(struct cg_src_row, st), f, nf, &sel, 1150, pick), 2);
	/* all: every row */
	sel.mode = CG_MSRC_ALL;
	assert_int_equal(cg_metrics_pick(t, "eth0", CG_DIR_INGRESS, rows, 4, sizeof(rows[0]),
					 offsetof(struct cg_src_row, st), f, nf, &sel, 1150, pick), 4);
	/* top:1 of the non-ok ones in the window: the most non-ok packets */
	sel.mode = CG_MSRC_TOP;
	sel.top_k = 1;
	assert_int_equal(cg_metrics_pick(t, "eth1", CG_DIR_INGRESS, rows, 4, sizeof(rows[0]),
					 offsetof(struct cg_src_row, st), f, nf, &sel, 1160, pick), 1);
	assert_memory_equal(pick, ((unsigned char[]){ 0, 1, 0, 0 }), 4);
	cg_metrics_track_free(t);
}

/* The writer honours the picks: unpicked rows have no series, totals stay. */
static void test_write_picked_only(void **state)
{
	struct cg_src_row rows[2] = { srow(v4(10, 0, 0, 1), 10, 0, 0, 0),
				      srow(v4(10, 0, 0, 2), 10, 5, 0, 0) };
	unsigned char pick[2] = { 0, 1 };
	struct cg_iface_view v = view_in(rows, 2);
	struct cg_metrics_iface x = { .in = &v, .src_pick = pick };
	struct cg_metrics_doc d = { .ifaces = &x, .n = 1 };
	char *s;

	(void)state;
	v.tot.verdict[CG_V_OK] = 20;
	s = capture(w_doc, &d);
	assert_null(strstr(s, "source=\"10.0.0.1\""));
	assert_non_null(strstr(s, "source=\"10.0.0.2\""));
	assert_non_null(strstr(s, "csumguard_interface_verdict_packets_total{interface=\"eth0\","
			       "direction=\"ingress\",verdict=\"ok\"} 20\n"));
	free(s);
}

/* Egress: FACT counters only where the program reads facts; NIC, blocklist. */
static void test_egress_nic_blocklist(void **state)
{
	struct cg_dst_row r;
	struct cg_iface_view in = view_in(NULL, 0), eg;
	struct cg_metrics_iface x = { 0 };
	struct cg_block_row b;
	struct cg_metrics_doc d = { 0 };
	struct cg_addr addrs[1] = { v4(10, 99, 0, 1) };
	char *s;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.addr = v4(10, 0, 0, 7);
	r.st.packets = 9;
	r.st.state[CG_E_OFFLOADED] = 9;
	r.st.facts = 9;
	memset(&eg, 0, sizeof(eg));
	eg.name = "eth0";
	eg.dir = CG_DIR_EGRESS;
	eg.attached = 1;
	eg.drows = &r;
	eg.ndrows = 1;
	eg.etot.no_facts = 9;	/* the 6.1 program: no facts */
	in.addrs = addrs;
	in.naddrs = 1;
	x.in = &in;
	x.eg = &eg;
	x.have_nic = 1;
	snprintf(x.nic.driver, sizeof(x.nic.driver), "i40e");
	snprintf(x.nic.version, sizeof(x.nic.version), "2.14.13");
	snprintf(x.nic.firmware, sizeof(x.nic.firmware), "8.30 0x8000af86");
	x.have_features = 1;
	for (int k = 0; k < CG_FEATURE_MAX; k++)
		x.features.f[k].on = -1;
	x.features.f[CG_FEAT_TX_UDP_TNL_CSUM_SEG].on = 1;
	x.features.f[CG_FEAT_TX_UDP_TNL_SEG].on = 0;
	memset(&b, 0, sizeof(b));
	b.addr = v4(10, 0, 0, 3);
	b.b.added_unix = 1700000000;
	memcpy(b.b.reason, "INC-1 \"fw\"\n", 11);
	d.ifaces = &x;
	d.n = 1;
	d.blocks = &b;
	d.nblocks = 1;
	d.have_blocklist = 1;
	s = capture(w_doc, &d);
	assert_non_null(strstr(s, "csumguard_destination_state_packets_total{interface=\"eth0\","
			       "destination=\"10.0.0.7\",state=\"offloaded\"} 9\n"));
	assert_null(strstr(s, "csumguard_destination_facts_total"));
	assert_non_null(strstr(s, "csumguard_interface_skb_facts{interface=\"eth0\","
			       "direction=\"egress\"} 0\n"));
	assert_non_null(strstr(s, "csumguard_nic_info{interface=\"eth0\",driver=\"i40e\","
			       "driver_version=\"2.14.13\",firmware_version=\"8.30 0x8000af86\","
			       "tx_udp_tnl_segmentation=\"off\",tx_udp_tnl_csum_segmentation=\"on\"} 1\n"));
	assert_non_null(strstr(s, "csumguard_interface_address_info{interface=\"eth0\","
			       "address=\"10.99.0.1\"} 1\n"));
	assert_non_null(strstr(s, "csumguard_blocked_timestamp_seconds{source=\"10.0.0.3\","
			       "scope=\"tunnel\",reason=\"INC-1 \\\"fw\\\"\\n\"} 1700000000.000\n"));
	assert_non_null(strstr(s, "csumguard_table_entries{table=\"blocklist\"} 1\n"));
	assert_non_null(strstr(s, "csumguard_interface_destinations_inserted_total{"
			       "interface=\"eth0\",direction=\"egress\"} 0\n"));
	assert_non_null(strstr(s, "csumguard_interface_sources_inserted_total{"
			       "interface=\"eth0\",direction=\"ingress\"} 0\n"));
	/* with facts read, the FACT counters appear */
	eg.etot.facts = 9;
	eg.etot.no_facts = 0;
	free(s);
	s = capture(w_doc, &d);
	assert_non_null(strstr(s, "csumguard_destination_facts_total{interface=\"eth0\","
			       "destination=\"10.0.0.7\"} 9\n"));
	free(s);
}

static void test_listen_parse(void **state)
{
	struct sockaddr_storage ss;
	char err[256];

	(void)state;
	assert_int_equal(cg_listen_parse("127.0.0.1:9469", &ss, err, sizeof(err)), 0);
	assert_int_equal(ss.ss_family, AF_INET);
	assert_int_equal(ntohs(((struct sockaddr_in *)&ss)->sin_port), 9469);
	assert_int_equal(cg_listen_parse("[::1]:80", &ss, err, sizeof(err)), 0);
	assert_int_equal(ss.ss_family, AF_INET6);
	assert_int_equal(cg_listen_parse("fd00::1:9469", &ss, err, sizeof(err)), 0);
	assert_int_equal(ss.ss_family, AF_INET6);
	assert_int_equal(cg_listen_parse(":9469", &ss, err, sizeof(err)), 0);
	assert_int_equal(ss.ss_family, AF_INET6);
	assert_true(cg_listen_parse("127.0.0.1", &ss, err, sizeof(err)) < 0);
	assert_true(cg_listen_parse("127.0.0.1:0", &ss, err, sizeof(err)) < 0);
	assert_true(cg_listen_parse("localhost:9469", &ss, err, sizeof(err)) < 0);
	assert_string_equal(err, "bad --listen 'localhost:9469'; give ADDR:PORT, e.g. "
			    "127.0.0.1:9469, [::1]:9469, or :9469 for every address");
}

static void test_default_route(void **state)
{
	const char *r4 =
		"Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
		"eth1\t0000000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
		"eth9\t00000000\t0100000A\t0003\t0\t0\t200\t00000000\t0\t0\t0\n"
		"eth0\t00000000\t0100000A\t0003\t0\t0\t100\t00000000\t0\t0\t0\n";
	const char *r6 =
		"00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
		"00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n"
		"00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
		"fe800000000000000000000000000001 00000400 00000001 00000000 00000003     ens5\n";
	char out[16];

	(void)state;
	assert_int_equal(cg_route4_default(r4, out, sizeof(out)), 0);
	assert_string_equal(out, "eth0");	/* the lowest metric */
	assert_int_equal(cg_route4_default("Iface\tDestination\n", out, sizeof(out)), -ENOENT);
	assert_int_equal(cg_route6_default(r6, out, sizeof(out)), 0);
	assert_string_equal(out, "ens5");	/* lo's unreachable default never counts */
}

static void test_config_file(void **state)
{
	struct cg_agent_cfg c;
	char err[CG_ERR_LEN];

	(void)state;
	assert_int_equal(cg_agent_cfg_parse("# csumguard\ninterface eth0 # uplink\n"
					    "interface default-route\n  mode drop\nport gue:6080\n"
					    "egress\nxdp-mode skb\nsources 65536\nmemory 64M\n\n", "a.conf",
					    &c, err, sizeof(err)), 0);
	assert_int_equal(c.nifaces, 2);
	assert_string_equal(c.ifaces[0], "eth0");
	assert_string_equal(c.ifaces[1], CG_AGENT_DEFAULT_ROUTE);
	assert_int_equal(c.attach.mode, CG_MODE_DROP);
	assert_int_equal(c.attach.nports, 1);
	assert_int_equal(c.attach.ports[0].port, 6080);
	assert_int_equal(c.attach.xdp_mode, CG_XDP_SKB);
	assert_int_equal(c.attach.sources, 65536);
	assert_true(c.attach.memory == 64ull << 20);
	assert_int_equal(c.attach.dirs, 1U << CG_DIR_EGRESS);
	/* defaults */
	assert_int_equal(cg_agent_cfg_parse("", "b.conf", &c, err, sizeof(err)), 0);
	assert_int_equal(c.nifaces, 0);
	assert_int_equal(c.attach.mode, CG_MODE_MONITOR);
	assert_int_equal(c.attach.sources, 0);	/* sized from the memory budget */
	assert_true(c.attach.memory == 0);	/* not given: the default budget */
	/* errors name the file and line, in attach's own words */
	assert_int_equal(cg_agent_cfg_parse("interface eth0\nmode loud\n", "c.conf", &c, err,
					    sizeof(err)), -1);
	assert_string_equal(err, "c.conf:2: bad --mode 'loud'; use --mode monitor or --mode drop");
	assert_int_equal(cg_agent_cfg_parse("colour blue\n", "d.conf", &c, err, sizeof(err)), -1);
	assert_string_equal(err, "d.conf:1: unknown setting 'colour'; use interface, or an option "
			    "of attach without its dashes (csumguard attach --help)");
	assert_int_equal(cg_agent_cfg_parse("egress yes\n", "e.conf", &c, err, sizeof(err)), -1);
	assert_string_equal(err, "e.conf:1: 'egress' takes no value; write it alone");
	assert_int_equal(cg_agent_cfg_parse("interface a/b\n", "f.conf", &c, err, sizeof(err)), -1);
	assert_int_equal(cg_agent_cfg_parse("no-default-ports\n", "g.conf", &c, err, sizeof(err)),
			 -1);
	assert_string_equal(err, "g.conf: no tunnel port to audit; drop no-default-ports or add "
			    "port KIND:PORT");
}

static void test_cli_agent(void **state)
{
	struct cg_cli cli;
	char err[CG_ERR_LEN];

	(void)state;
	assert_int_equal(PARSE(&cli, err, "agent"), 0);
	assert_int_equal(cli.cmd, CG_CMD_AGENT);
	assert_string_equal(cli.agent.listen, CG_AGENT_LISTEN_DEFAULT);
	assert_int_equal(cli.agent.msrc_mode, CG_MSRC_NONOK);
	assert_int_equal(cli.agent.interval, CG_AGENT_INTERVAL_DEFAULT);
	assert_int_equal(PARSE(&cli, err, "agent", "--metrics-sources", "top:5", "--listen",
			       ":9470", "--textfile", "/x/c.prom", "--interval", "2"), 0);
	assert_int_equal(cli.agent.msrc_mode, CG_MSRC_TOP);
	assert_int_equal(cli.agent.msrc_top, 5);
	assert_int_equal(PARSE(&cli, err, "agent", "--textfile", "/x/c.txt"), -1);
	assert_string_equal(err, "bad --textfile '/x/c.txt'; node_exporter reads only *.prom files, "
			    "e.g. /var/lib/node_exporter/textfile_collector/csumguard.prom");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_label_escaping),
		cmocka_unit_test(test_parse_sources),
		cmocka_unit_test(test_source_families),
		cmocka_unit_test(test_iface_class_families),
		cmocka_unit_test(test_every_field_has_a_family),
		cmocka_unit_test(test_pick_modes),
		cmocka_unit_test(test_write_picked_only),
		cmocka_unit_test(test_egress_nic_blocklist),
		cmocka_unit_test(test_listen_parse),
		cmocka_unit_test(test_default_route),
		cmocka_unit_test(test_config_file),
		cmocka_unit_test(test_cli_agent),
	};

	return CG_UNIT_RUN(tests, argc, argv);
}
