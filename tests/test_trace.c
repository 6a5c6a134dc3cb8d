// SPDX-License-Identifier: GPL-2.0
/*
 * test_trace.c - `csumguard trace` in user space: an event's line, JSON and
 * pcapng comment from hand-built frames (lib/trace.c), the pcapng writer's
 * bytes against the layout written out by hand from the pcapng spec
 * (lib/pcapng.c), the in-kernel token bucket's code (include/csumguard.h,
 * the function the datapath runs) and the command line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include "csumguard.h"
#include "cli.h"
#include "json_writer.h"
#include "nodes.h"
#include "pcapng.h"
#include "trace.h"
#include "unit.h"

/* Ethernet, IPv4 10.0.0.2 -> 10.0.0.1, UDP 40000 -> 4789 (checksum 0x1235),
 * VXLAN VNI 42, inner Ethernet, IPv4 10.1.0.1 -> 10.1.0.2, UDP 5000 -> 6000,
 * 4 payload bytes: 96 bytes. */
static const uint8_t vxlan_frame[96] = {
	/* Ethernet */
	0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x08, 0x00,
	/* IPv4 (14) */
	0x45, 0, 0, 82, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1,
	/* UDP (34) */
	0x9c, 0x40, 0x12, 0xb5, 0, 62, 0x12, 0x35,
	/* VXLAN (42): flags I, VNI 42 */
	0x08, 0, 0, 0, 0, 0, 42, 0,
	/* inner Ethernet (50) */
	0x02, 0, 0, 0, 0, 3, 0x02, 0, 0, 0, 0, 4, 0x08, 0x00,
	/* inner IPv4 (64) */
	0x45, 0, 0, 32, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 1, 0, 1, 10, 1, 0, 2,
	/* inner UDP (84) */
	0x13, 0x88, 0x17, 0x70, 0, 12, 0, 0,
	/* payload (92) */
	1, 2, 3, 4,
};

static void vxlan_event(struct cg_trace_event *e)
{
	memset(e, 0, sizeof(*e));
	e->ts_ns = 5000;
	cg_addr_from_v4(&e->src, vxlan_frame + 26);
	e->verdict = CG_V_BAD;
	e->sub = CG_BC_OUTER_ONLY;
	e->encap = CG_ENCAP_VXLAN;
	e->flags = CG_TRACE_F_EXPECTED;
	e->frame_len = sizeof(vxlan_frame);
	e->cap_len = sizeof(vxlan_frame);
	e->l3 = 14;
	e->l4 = 34;
	e->dport = 4789;
	e->stored = htons(0x1235);
	e->expected = htons(0x1234);
	memcpy(e->data, vxlan_frame, sizeof(vxlan_frame));
}

/* 2023-11-14T22:13:20Z */
#define T0 (1700000000ull * 1000000000ull)

static void test_line_vxlan(void **state)
{
	struct cg_node_entry ne = { 0 };
	struct cg_nodes *nodes = NULL;
	struct cg_trace_event e;
	struct cg_trace_info in;
	char line[512];

	(void)state;
	vxlan_event(&e);
	cg_trace_decode(&e, &in);
	assert_true(in.have_vni);
	assert_int_equal(in.vni, 42);
	assert_true(in.have_inner);
	assert_true(in.have_ports);
	assert_int_equal(in.sport, 5000);
	assert_int_equal(in.dport, 6000);

	/* without names: the address */
	cg_trace_line(&e, T0 + 5, NULL, line, sizeof(line));
	assert_string_equal(line, "2023-11-14T22:13:20.000000005Z 10.0.0.2 vxlan vni 42 "
			    "udp 10.1.0.1:5000>10.1.0.2:6000 csum 0x1235 want 0x1234 bad "
			    "bad_outer_only");
	/* a known node: its name */
	ne.addr = e.src;
	snprintf(ne.node.name, sizeof(ne.node.name), "node-b");
	ne.node.id = 1;
	assert_int_equal(cg_nodes_from(&ne, 1, &nodes), 0);
	cg_trace_line(&e, T0 + 5, nodes, line, sizeof(line));
	assert_string_equal(line, "2023-11-14T22:13:20.000000005Z node-b(10.0.0.2) vxlan vni 42 "
			    "udp 10.1.0.1:5000>10.1.0.2:6000 csum 0x1235 want 0x1234 bad "
			    "bad_outer_only");
	cg_nodes_close(nodes);

	cg_trace_comment(&e, line, sizeof(line));
	assert_string_equal(line, "verdict bad class bad_outer_only stored 0x1235 expected 0x1234 "
			    "source 10.0.0.2");
}

/* Cut after the UDP header, bad_ip_header (not summed): nothing made up. */
static void test_line_cut_bad_ip_header(void **state)
{
	struct cg_trace_event e;
	char line[512];

	(void)state;
	vxlan_event(&e);
	e.verdict = CG_V_BAD_IP_HEADER;
	e.sub = CG_BAD_CLASS_MAX;
	e.flags = 0;
	e.encap = CG_ENCAP_GUE;
	e.dport = 6080;
	e.cap_len = 42;
	memset(e.data + 42, 0x45, sizeof(e.data) - 42);	/* beyond cap_len: never read */
	cg_trace_line(&e, T0, NULL, line, sizeof(line));
	assert_string_equal(line, "2023-11-14T22:13:20.000000000Z 10.0.0.2 gue port 6080 - "
			    "csum 0x1235 want - bad_ip_header");
	cg_trace_comment(&e, line, sizeof(line));
	assert_string_equal(line, "verdict bad_ip_header stored 0x1235 expected - source 10.0.0.2");
	/* a cap_len beyond the snapshot is clamped, never trusted */
	e.cap_len = 60000;
	cg_trace_line(&e, T0, NULL, line, sizeof(line));
}

/* GUE version 0 over IPv6 inner, ICMPv6: protocol and no ports. */
static void test_line_gue_v6(void **state)
{
	static const uint8_t gue_v6[] = {
		0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x08, 0x00,
		0x45, 0, 0, 80, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 9, 10, 0, 0, 1,
		0x9c, 0x40, 0x17, 0xc0, 0, 60, 0xab, 0xcd,
		/* GUE v0: hlen 0, proto 41 */
		0x00, 41, 0, 0,
		/* inner IPv6 (46): payload 8, next header 58, fd00::1 -> fd00::2 */
		0x60, 0, 0, 0, 0, 8, 58, 64,
		0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
		128, 0, 0, 0, 0, 0, 0, 0,
	};
	struct cg_trace_event e;
	char line[512];

	(void)state;
	memset(&e, 0, sizeof(e));
	cg_addr_from_v4(&e.src, gue_v6 + 26);
	e.verdict = CG_V_BAD;
	e.sub = CG_BC_PAYLOAD;
	e.encap = CG_ENCAP_GUE;
	e.flags = CG_TRACE_F_EXPECTED | CG_TRACE_F_REPAIRED;
	e.frame_len = e.cap_len = sizeof(gue_v6);
	e.l3 = 14;
	e.l4 = 34;
	e.dport = 6080;
	e.stored = htons(0xabcd);
	e.expected = htons(0xffff);
	memcpy(e.data, gue_v6, sizeof(gue_v6));
	cg_trace_line(&e, T0, NULL, line, sizeof(line));
	assert_string_equal(line, "2023-11-14T22:13:20.000000000Z 10.0.0.9 gue proto 41 "
			    "icmpv6 fd00::1>fd00::2 csum 0xabcd want 0xffff bad bad_payload "
			    "repaired");
}

static void test_json(void **state)
{
	struct cg_trace_event e;
	struct cg_json w;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	vxlan_event(&e);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	cg_json_init(&w, f);
	cg_trace_json(&w, &e, T0 + 5, NULL);
	assert_int_equal(cg_json_finish(&w), 0);
	fclose(f);
	assert_string_equal(buf, "{\"time\":\"2023-11-14T22:13:20.000000005Z\","
			    "\"time_ns\":1700000000000000005,\"source\":\"10.0.0.2\",\"node\":null,"
			    "\"verdict\":\"bad\",\"class\":\"bad_outer_only\",\"encap\":\"vxlan\","
			    "\"dport\":4789,\"vni\":42,\"inner\":{\"family\":4,\"proto\":\"udp\","
			    "\"src\":\"10.1.0.1\",\"dst\":\"10.1.0.2\",\"sport\":5000,\"dport\":6000},"
			    "\"stored\":4661,\"expected\":4660,\"frame_len\":96,\"cap_len\":96,"
			    "\"ifindex\":0,\"repaired\":false}\n");
	free(buf);
}

static void test_unix_time(void **state)
{
	struct cg_trace_event e = { .ts_ns = 7000000000ull };

	(void)state;
	/* 3 s before a boot clock of 10 s */
	assert_int_equal(cg_trace_unix_ns(&e, 10000000000ull, T0), T0 - 3000000000ull);
	/* an event "after now" (clock read before it came): now */
	assert_int_equal(cg_trace_unix_ns(&e, 6000000000ull, T0), T0);
}

/* The pcapng layout, byte by byte (little-endian host: x86-64, arm64). */
static void test_pcapng_bytes(void **state)
{
	static const uint8_t want[] = {
		/* SHB */
		0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 28, 0, 0, 0,
		/* IDB: Ethernet, snaplen 256, if_tsresol 9 */
		1, 0, 0, 0, 32, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0,
		9, 0, 1, 0, 9, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0, 0,
		/* EPB: 52 bytes, interface 0, ts 0x100000002, 3 of 60 bytes */
		6, 0, 0, 0, 52, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0,
		3, 0, 0, 0, 60, 0, 0, 0, 1, 2, 3, 0,
		/* opt_comment "abcde", opt_endofopt */
		1, 0, 5, 0, 'a', 'b', 'c', 'd', 'e', 0, 0, 0, 0, 0, 0, 0,
		52, 0, 0, 0,
	};
	const uint16_t one = 1;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(*(const uint8_t *)&one, 1);	/* the layout above is little-endian */
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(cg_pcapng_start(f, 256), 0);
	assert_int_equal(cg_pcapng_packet(f, 0x100000002ull, "\x01\x02\x03", 3, 60, "abcde"), 0);
	fclose(f);
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	free(buf);

	/* no comment: no options at all; caplen > origlen refused */
	f = open_memstream(&buf, &len);
	assert_int_equal(cg_pcapng_packet(f, 0, "\x01\x02\x03\x04", 4, 4, NULL), 0);
	assert_int_equal(cg_pcapng_packet(f, 0, "\x01", 1, 0, NULL), -EINVAL);
	fclose(f);
	assert_int_equal(len, 36);
	assert_int_equal(buf[4], 36);
	assert_int_equal(buf[32], 36);
	free(buf);
}

/* The datapath's token bucket (CG_TRACE_RATE a second, CG_TRACE_BURST). */
static void test_token_bucket(void **state)
{
	struct cg_trace_bucket b = { 0 };
	const uint64_t t = 1000000000ull * 100, step = 1000000000ull / CG_TRACE_RATE;
	int i, n = 0;

	(void)state;
	/* a fresh bucket is full: exactly the burst at one instant */
	for (i = 0; i < CG_TRACE_BURST + 10; i++)
		n += cg_trace_bucket_take(&b, t, CG_TRACE_RATE, CG_TRACE_BURST);
	assert_int_equal(n, CG_TRACE_BURST);
	/* half a token's time: nothing; the other half: one, fractions kept */
	assert_int_equal(cg_trace_bucket_take(&b, t + step / 2, CG_TRACE_RATE, CG_TRACE_BURST), 0);
	assert_int_equal(cg_trace_bucket_take(&b, t + step, CG_TRACE_RATE, CG_TRACE_BURST), 1);
	assert_int_equal(cg_trace_bucket_take(&b, t + step, CG_TRACE_RATE, CG_TRACE_BURST), 0);
	/* a storm for 10 s, one frame every 100 us: RATE a second get through */
	for (n = 0, i = 1; i <= 100000; i++)
		n += cg_trace_bucket_take(&b, t + step + (uint64_t)i * 100000, CG_TRACE_RATE,
					  CG_TRACE_BURST);
	assert_int_equal(n, 10 * CG_TRACE_RATE);
	/* quiet for long enough: full again, never more */
	for (n = 0, i = 0; i < 1000; i++)
		n += cg_trace_bucket_take(&b, t + 100 * 1000000000ull, CG_TRACE_RATE,
					  CG_TRACE_BURST);
	assert_int_equal(n, CG_TRACE_BURST);
}

static void test_cli(void **state)
{
	char err[CG_ERR_LEN];
	struct cg_cli cli;

	(void)state;
	assert_int_equal(PARSE(&cli, err, "trace", "eth1", "--count", "5", "--pcap", "x.pcapng"),
			 0);
	assert_int_equal(cli.cmd, CG_CMD_TRACE);
	assert_string_equal(cli.trace.iface, "eth1");
	assert_int_equal(cli.trace.count, 5);
	assert_string_equal(cli.trace.pcap, "x.pcapng");
	assert_int_equal(PARSE(&cli, err, "trace", "-j", "--unfinished"), 0);
	assert_null(cli.trace.iface);
	assert_true(cli.json);
	assert_true(cli.trace.unfinished);
	assert_int_not_equal(PARSE(&cli, err, "trace", "--count", "0"), 0);
	assert_non_null(strstr(err, "--count"));
	assert_int_not_equal(PARSE(&cli, err, "trace", "--pcap", ""), 0);
	assert_int_not_equal(PARSE(&cli, err, "trace", "a", "b"), 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_vxlan),
		cmocka_unit_test(test_line_cut_bad_ip_header),
		cmocka_unit_test(test_line_gue_v6),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_unix_time),
		cmocka_unit_test(test_pcapng_bytes),
		cmocka_unit_test(test_token_bucket),
		cmocka_unit_test(test_cli),
	};

	return CG_UNIT_RUN(tests, argc, argv);
}
