// SPDX-License-Identifier: GPL-2.0
/*
 * test_cli.c - cmocka tests of the csumguard command's user-space logic:
 * option parsing (cli.c), value parsers, and every rendered string
 * (format.c, format_json.c): table rows, JSON documents, addresses, ages,
 * ratios, sorting.
 * Exact expected text, no BPF, no privileges.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "cli.h"
#include "format.h"
#include "names.h"
#include "attach.h"
#include "unit.h"

#define NS 1000000000ull

/* ------------------------------------------------------------ helpers */


static struct cg_addr v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct cg_addr x = { .a = { [10] = 0xff, [11] = 0xff, [12] = a, [13] = b, [14] = c, [15] = d },
			     .family = CG_AF_INET4 };

	return x;
}

/* Captures what a render function writes. */
struct cap {
	char *buf;
	size_t len;
	FILE *f;
};

static void cap_open(struct cap *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
}

static const char *cap_close(struct cap *c)
{
	fclose(c->f);
	return c->buf;
}

static struct cg_src_row row(struct cg_addr a, uint64_t ok, uint64_t bad, uint64_t unfin,
			     uint64_t zero, uint64_t frag, uint64_t malf, uint64_t dropped,
			     uint64_t last_bad_ns)
{
	struct cg_src_row r = { .addr = a };

	r.st.verdict[CG_V_OK] = ok;
	r.st.verdict[CG_V_BAD] = bad;
	r.st.verdict[CG_V_UNFINISHED] = unfin;
	r.st.verdict[CG_V_ZERO] = zero;
	r.st.verdict[CG_V_FRAGMENT] = frag;
	r.st.verdict[CG_V_MALFORMED] = malf;
	r.st.packets = ok + bad + unfin + zero + frag + malf;
	r.st.bytes = r.st.packets * 150;
	r.st.dropped = dropped;
	r.st.last_bad_ns = last_bad_ns;
	return r;
}

/* ------------------------------------------------------ value parsers */

static void test_port_spec_valid(void **state)
{
	struct cg_port_spec p;
	char err[CG_ERR_LEN];

	(void)state;
	assert_int_equal(cg_parse_port_spec("vxlan:4789", &p, err, sizeof(err)), 0);
	assert_int_equal(p.port, 4789);
	assert_int_equal(p.encap, CG_ENCAP_VXLAN);
	assert_int_equal(cg_parse_port_spec("geneve:6081", &p, err, sizeof(err)), 0);
	assert_int_equal(p.encap, CG_ENCAP_GENEVE);
	assert_int_equal(cg_parse_port_spec("gue:6080", &p, err, sizeof(err)), 0);
	assert_int_equal(p.port, 6080);
	assert_int_equal(p.encap, CG_ENCAP_GUE);
	assert_int_equal(cg_parse_port_spec("gue:1", &p, err, sizeof(err)), 0);
	assert_int_equal(p.port, 1);
	assert_int_equal(cg_parse_port_spec("vxlan:65535", &p, err, sizeof(err)), 0);
	assert_int_equal(p.port, 65535);
}

static void test_port_spec_errors(void **state)
{
	struct cg_port_spec p;
	char err[CG_ERR_LEN];

	(void)state;
	assert_int_equal(cg_parse_port_spec("vxlan:0", &p, err, sizeof(err)), -1);
	assert_string_equal(err, "bad --port 'vxlan:0': port must be a number from 1 to 65535; "
				 "e.g. --port vxlan:6080");
	assert_int_equal(cg_parse_port_spec("foo:1", &p, err, sizeof(err)), -1);
	assert_string_equal(err, "bad --port 'foo:1': unknown kind 'foo'; "
				 "KIND is vxlan, geneve or gue");
	assert_int_equal(cg_parse_port_spec("gue:70000", &p, err, sizeof(err)), -1);
	assert_string_equal(err, "bad --port 'gue:70000': port must be a number from 1 to 65535; "
				 "e.g. --port gue:6080");
	assert_int_equal(cg_parse_port_spec("4789", &p, err, sizeof(err)), -1);
	assert_string_equal(err, "bad --port '4789': expected KIND:PORT; e.g. --port vxlan:4789 "
				 "(KIND is vxlan, geneve or gue)");
	/* "none" is an encap name but not a kind one may configure */
	assert_int_equal(cg_parse_port_spec("none:1", &p, err, sizeof(err)), -1);
	assert_int_equal(cg_parse_port_spec("VXLAN:4789", &p, err, sizeof(err)), -1);
	assert_int_equal(cg_parse_port_spec(":4789", &p, err, sizeof(err)), -1);
	assert_int_equal(cg_parse_port_spec("vxlan:", &p, err, sizeof(err)), -1);
	assert_int_equal(cg_parse_port_spec("vxlan:+1", &p, err, sizeof(err)), -1);
	assert_int_equal(cg_parse_port_spec("vxlan:-1", &p, err, sizeof(err)), -1);
	assert_int_equal(cg_parse_port_spec("vxlan:12a", &p, err, sizeof(err)), -1);
	assert_int_equal(cg_parse_port_spec("vxlan: 1", &p, err, sizeof(err)), -1);
	assert_int_equal(cg_parse_port_spec("vxlan:4294967297", &p, err, sizeof(err)), -1);
	assert_int_equal(cg_parse_port_spec("vxlan:99999999999999999999", &p, err, sizeof(err)), -1);
}

static void test_parse_uint(void **state)
{
	unsigned long v;

	(void)state;
	assert_int_equal(cg_parse_uint("16", 16, 100, &v), 0);
	assert_int_equal(v, 16);
	assert_int_equal(cg_parse_uint("15", 16, 100, &v), -1);
	assert_int_equal(cg_parse_uint("101", 16, 100, &v), -1);
	assert_int_equal(cg_parse_uint("", 0, 100, &v), -1);
	assert_int_equal(cg_parse_uint("0x10", 0, 100, &v), -1);
	assert_int_equal(cg_parse_uint("1e3", 0, 10000, &v), -1);
}

static void test_parse_addr(void **state)
{
	struct cg_addr a, b, want = v4(10, 0, 3, 17);
	struct cg_addr v6 = { .a = { 0xfd, 0, [15] = 0x17 }, .family = CG_AF_INET6 };

	(void)state;
	assert_int_equal(cg_parse_addr("10.0.3.17", &a), 0);
	assert_memory_equal(&a, &want, sizeof(a));
	/* the v4-mapped spelling is an IPv6 key, never the IPv4 node (issue 6:
	 * IPv6 frames from ::ffff:a.b.c.d must not count or block as a.b.c.d) */
	assert_int_equal(cg_parse_addr("::ffff:10.0.3.17", &b), 0);
	assert_memory_equal(b.a, want.a, 16);
	assert_int_equal(b.family, CG_AF_INET6);
	assert_memory_not_equal(&a, &b, sizeof(a));
	assert_int_equal(cg_parse_addr("fd00::17", &a), 0);
	assert_memory_equal(&a, &v6, sizeof(a));
	assert_int_equal(cg_parse_addr("FD00:0:0:0:0:0:0:17", &a), 0);
	assert_memory_equal(a.a, v6.a, 16);

	assert_int_equal(cg_parse_addr("1.2.3", &a), -1);
	assert_int_equal(cg_parse_addr("256.1.1.1", &a), -1);
	assert_int_equal(cg_parse_addr("10.0.0.1/24", &a), -1);
	assert_int_equal(cg_parse_addr(" 10.0.0.1", &a), -1);
	assert_int_equal(cg_parse_addr("node1.example", &a), -1);
	assert_int_equal(cg_parse_addr("fe80::1%eth0", &a), -1);
	assert_int_equal(cg_parse_addr("fd00::17::1", &a), -1);
	assert_int_equal(cg_parse_addr("", &a), -1);
	assert_int_equal(cg_parse_addr(NULL, &a), -1);
}

static void test_addr_str(void **state)
{
	char buf[CG_ADDR_STRLEN];
	struct cg_addr a;

	(void)state;
	a = v4(10, 0, 3, 17);
	cg_addr_str(&a, buf, sizeof(buf));
	assert_string_equal(buf, "10.0.3.17");
	a = v4(255, 255, 255, 255);
	cg_addr_str(&a, buf, sizeof(buf));
	assert_string_equal(buf, "255.255.255.255");
	/* IPv4 is formatted by hand (issue 13): every octet width, and against
	 * inet_ntop for every value of one octet */
	a = v4(0, 9, 10, 100);
	cg_addr_str(&a, buf, sizeof(buf));
	assert_string_equal(buf, "0.9.10.100");
	for (int o = 0; o < 256; o++) {
		char want[INET_ADDRSTRLEN];

		a = v4((uint8_t)o, 1, (uint8_t)(255 - o), (uint8_t)o);
		cg_addr_str(&a, buf, sizeof(buf));
		assert_non_null(inet_ntop(AF_INET, &a.a[12], want, sizeof(want)));
		assert_string_equal(buf, want);
	}
	a = v4(255, 255, 255, 255);
	cg_addr_str(&a, buf, 15);	/* one byte short */
	assert_string_equal(buf, "?");
	assert_int_equal(cg_parse_addr("fd00:0:0:0:0:0:0:17", &a), 0);
	cg_addr_str(&a, buf, sizeof(buf));
	assert_string_equal(buf, "fd00::17");
	assert_int_equal(cg_parse_addr("2001:db8:0:0:1:0:0:1", &a), 0);
	cg_addr_str(&a, buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8::1:0:0:1");	/* RFC 5952: first longest run */
	assert_int_equal(cg_parse_addr("2001:0db8:0000:0000:0000:0000:0000:0001", &a), 0);
	cg_addr_str(&a, buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8::1");
	memset(&a, 0, sizeof(a));
	cg_addr_str(&a, buf, sizeof(buf));
	assert_string_equal(buf, "::");
	a.a[15] = 1;
	cg_addr_str(&a, buf, sizeof(buf));
	assert_string_equal(buf, "::1");
	/* NAT64-style ::ffff:0:a.b.c.d is not v4-mapped */
	assert_int_equal(cg_parse_addr("64:ff9b::a00:311", &a), 0);
	cg_addr_str(&a, buf, sizeof(buf));
	assert_string_equal(buf, "64:ff9b::a00:311");
}

static void test_fmt_age(void **state)
{
	static const struct { uint64_t s; const char *want; } t[] = {
		{ 0, "0s" }, { 59, "59s" }, { 60, "1m00s" }, { 125, "2m05s" },
		{ 3599, "59m59s" }, { 3600, "1h00m" }, { 7500, "2h05m" }, { 86399, "23h59m" },
		{ 86400, "1d00h" }, { 93600, "1d02h" }, { 400 * 86400ull + 3 * 3600, "400d03h" },
	};
	char buf[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cg_fmt_age(t[i].s, buf, sizeof(buf));
		assert_string_equal(buf, t[i].want);
	}
	assert_int_equal(cg_age_seconds(5 * NS, 17 * NS + 999999999ull), 12);
	assert_int_equal(cg_age_seconds(20 * NS, 17 * NS), 0);	/* never negative */
}

static void test_fmt_pct(void **state)
{
	char buf[16];

	(void)state;
	cg_fmt_pct(3, 100, buf, sizeof(buf));
	assert_string_equal(buf, "3.00%");
	cg_fmt_pct(0, 0, buf, sizeof(buf));
	assert_string_equal(buf, "-");
	cg_fmt_pct(0, 5, buf, sizeof(buf));
	assert_string_equal(buf, "0.00%");
	cg_fmt_pct(1, 3, buf, sizeof(buf));
	assert_string_equal(buf, "33.33%");
	cg_fmt_pct(2, 3, buf, sizeof(buf));
	assert_string_equal(buf, "66.67%");
	cg_fmt_pct(5, 5, buf, sizeof(buf));
	assert_string_equal(buf, "100.00%");
	/* a bad share that rounds to zero must not read as zero */
	cg_fmt_pct(1, 1000000, buf, sizeof(buf));
	assert_string_equal(buf, "<0.01%");
	cg_fmt_pct(1, 10000, buf, sizeof(buf));
	assert_string_equal(buf, "0.01%");
}

static void test_fmt_ports(void **state)
{
	const struct cg_port_spec p[] = {
		{ 4789, CG_ENCAP_VXLAN }, { 6080, CG_ENCAP_GUE }, { 6081, CG_ENCAP_GENEVE },
		{ 8472, CG_ENCAP_VXLAN },
	};
	char buf[128], small[12];

	(void)state;
	cg_fmt_ports(p, 4, buf, sizeof(buf));
	assert_string_equal(buf, "vxlan:4789,8472 geneve:6081 gue:6080");
	cg_fmt_ports(p + 1, 1, buf, sizeof(buf));
	assert_string_equal(buf, "gue:6080");
	cg_fmt_ports(p, 0, buf, sizeof(buf));
	assert_string_equal(buf, "");
	cg_fmt_ports(p, 4, small, sizeof(small));	/* truncated, terminated */
	assert_string_equal(small, "vxlan:4789,");
}

/* ------------------------------------------------------- option parsing */

static void test_cli_attach_defaults(void **state)
{
	char err[CG_ERR_LEN];
	struct cg_cli c;

	(void)state;
	unsetenv(CG_PIN_DIR_ENV);
	assert_int_equal(PARSE(&c, err, "attach", "eth1"), 0);
	assert_int_equal(c.cmd, CG_CMD_ATTACH);
	assert_string_equal(c.attach.iface, "eth1");
	assert_string_equal(c.pin_dir, "/sys/fs/bpf/csumguard");
	assert_int_equal(c.attach.mode, CG_MODE_MONITOR);
	assert_int_equal(c.attach.xdp_mode, CG_XDP_NATIVE);
	assert_int_equal(c.attach.sources, 0);	/* as many as fit the memory budget */
	assert_int_equal(c.attach.memory, 0);	/* not given: the default budget */
	assert_int_equal(c.attach.nports, 0);
	assert_int_equal(c.attach.no_default_ports, 0);
	assert_int_equal(c.attach.repair, 0);
	assert_int_equal(c.attach.sample, 0);
	assert_int_equal(c.verbose, 0);
	/* issue 10 */
	assert_int_equal(PARSE(&c, err, "attach", "eth1", "--repair", "--sample", "64"), 0);
	assert_int_equal(c.attach.repair, 1);
	assert_int_equal(c.attach.sample, 64);
}

static void test_cli_attach_full(void **state)
{
	struct cg_port_spec tab[8];
	char err[CG_ERR_LEN];
	struct cg_cli c;

	(void)state;
	assert_int_equal(PARSE(&c, err, "--pin-dir", "/sys/fs/bpf/t1", "--verbose", "attach",
			       "eth1", "--mode", "drop", "--xdp-mode=skb", "--port", "gue:6080",
			       "--port=vxlan:4790", "--sources", "1024", "--memory", "64MiB"), 0);
	assert_string_equal(c.pin_dir, "/sys/fs/bpf/t1");
	assert_int_equal(c.verbose, 1);
	assert_int_equal(c.attach.mode, CG_MODE_DROP);
	assert_int_equal(c.attach.xdp_mode, CG_XDP_SKB);
	assert_int_equal(c.attach.sources, 1024);
	assert_true(c.attach.memory == 64ull << 20);
	assert_int_equal(c.attach.nports, 2);
	assert_int_equal(c.attach.ports[0].port, 6080);
	assert_int_equal(c.attach.ports[0].encap, CG_ENCAP_GUE);
	assert_int_equal(c.attach.ports[1].port, 4790);
	/* the table the attach installs: defaults + extras, sorted by port */
	assert_int_equal(cg_cli_port_table(&c.attach, tab, 8, err, sizeof(err)), 5);
	assert_int_equal(tab[0].port, 4789);
	assert_int_equal(tab[1].port, 4790);
	assert_int_equal(tab[2].port, 6080);
	assert_int_equal(tab[2].encap, CG_ENCAP_GUE);
	assert_int_equal(tab[3].port, 6081);
	assert_int_equal(tab[3].encap, CG_ENCAP_GENEVE);
	assert_int_equal(tab[4].port, 8472);
	assert_int_equal(tab[4].encap, CG_ENCAP_VXLAN);
}

static void test_cli_port_table(void **state)
{
	struct cg_port_spec tab[8];
	char err[CG_ERR_LEN];
	struct cg_cli c;

	(void)state;
	assert_int_equal(PARSE(&c, err, "attach", "eth1", "--no-default-ports", "--port",
			       "gue:6080"), 0);
	assert_int_equal(cg_cli_port_table(&c.attach, tab, 8, err, sizeof(err)), 1);
	assert_int_equal(tab[0].port, 6080);
	/* repeating a default with the same kind is harmless */
	assert_int_equal(PARSE(&c, err, "attach", "eth1", "--port", "vxlan:4789"), 0);
	assert_int_equal(cg_cli_port_table(&c.attach, tab, 8, err, sizeof(err)), 3);
	/* another kind on a default port needs --no-default-ports */
	assert_int_equal(PARSE(&c, err, "attach", "eth1", "--port", "gue:4789"), -1);
	assert_string_equal(err, "--port gue:4789 conflicts with the default vxlan:4789; "
				 "add --no-default-ports to give a default port another kind");
	assert_int_equal(PARSE(&c, err, "attach", "eth1", "--no-default-ports", "--port",
			       "gue:4789"), 0);
	assert_int_equal(PARSE(&c, err, "attach", "eth1", "--no-default-ports", "--port",
			       "gue:9000", "--port", "vxlan:9000"), -1);
	assert_string_equal(err, "--port vxlan:9000 conflicts with --port gue:9000; "
				 "give each port one kind");
	assert_int_equal(PARSE(&c, err, "attach", "eth1", "--no-default-ports"), -1);
	assert_string_equal(err, "no tunnel port to audit; drop --no-default-ports or add "
				 "--port KIND:PORT");
}

static void test_cli_env_pin_dir(void **state)
{
	char err[CG_ERR_LEN];
	struct cg_cli c;

	(void)state;
	setenv(CG_PIN_DIR_ENV, "/sys/fs/bpf/fromenv", 1);
	assert_int_equal(PARSE(&c, err, "stats"), 0);
	assert_string_equal(c.pin_dir, "/sys/fs/bpf/fromenv");
	/* the option wins, before or after the command */
	assert_int_equal(PARSE(&c, err, "--pin-dir", "/sys/fs/bpf/opt", "stats"), 0);
	assert_string_equal(c.pin_dir, "/sys/fs/bpf/opt");
	assert_int_equal(PARSE(&c, err, "stats", "--pin-dir=/sys/fs/bpf/after"), 0);
	assert_string_equal(c.pin_dir, "/sys/fs/bpf/after");
	setenv(CG_PIN_DIR_ENV, "", 1);
	assert_int_equal(PARSE(&c, err, "stats"), 0);
	assert_string_equal(c.pin_dir, CG_PIN_DIR_DEFAULT);
	unsetenv(CG_PIN_DIR_ENV);
}

static void test_cli_stats(void **state)
{
	char err[CG_ERR_LEN];
	struct cg_cli c;

	(void)state;
	assert_int_equal(PARSE(&c, err, "stats"), 0);
	assert_int_equal(c.cmd, CG_CMD_STATS);
	assert_null(c.stats.iface);
	assert_int_equal(c.json, 0);
	assert_int_equal(c.stats.watch, 0);
	assert_int_equal(c.stats.sort, CG_SORT_BAD);
	assert_int_equal(PARSE(&c, err, "stats", "--json", "eth0", "--watch", "2", "--sort",
			       "packets"), 0);
	assert_string_equal(c.stats.iface, "eth0");
	assert_int_equal(c.json, 1);
	assert_int_equal(c.stats.watch, 2);
	assert_int_equal(c.stats.sort, CG_SORT_PACKETS);
	assert_int_equal(PARSE(&c, err, "stats", "--watch", "0"), -1);
	assert_string_equal(err, "bad --watch '0'; give whole seconds from 1 to 3600");
	assert_int_equal(PARSE(&c, err, "stats", "--watch", "1.5"), -1);
	assert_int_equal(PARSE(&c, err, "stats", "--sort", "ratio"), -1);
	assert_string_equal(err, "bad --sort 'ratio'; use --sort bad or --sort packets");
	assert_int_equal(PARSE(&c, err, "stats", "eth0", "eth1"), -1);
	assert_string_equal(err, "unexpected argument 'eth1'; see csumguard stats --help");
	assert_int_equal(PARSE(&c, err, "stats", "--watch"), -1);
	assert_string_equal(err, "--watch needs a value; see csumguard --help");
	assert_int_equal(PARSE(&c, err, "stats", "--json=yes"), -1);
	assert_string_equal(err, "--json takes no value; drop '=yes'");
}

static void test_cli_block(void **state)
{
	struct cg_addr want = v4(10, 0, 3, 17);
	char err[CG_ERR_LEN], longr[64];
	struct cg_cli c;

	(void)state;
	assert_int_equal(PARSE(&c, err, "block", "10.0.3.17", "--reason", "NIC corrupts 3%",
			       "--all-traffic"), 0);
	assert_int_equal(c.cmd, CG_CMD_BLOCK);
	assert_memory_equal(c.block.addr.a, want.a, 16);
	assert_string_equal(c.block.addr_str, "10.0.3.17");
	assert_string_equal(c.block.reason, "NIC corrupts 3%");
	assert_int_equal(c.block.all_traffic, 1);
	assert_int_equal(PARSE(&c, err, "unblock", "fd00::17"), 0);
	assert_int_equal(c.cmd, CG_CMD_UNBLOCK);
	assert_int_equal(PARSE(&c, err, "block", "10.0.3"), -1);
	assert_string_equal(err, "bad address '10.0.3'; give one IPv4 or IPv6 address, e.g. "
				 "10.0.3.17 or fd00::17 (no prefix length, no host name)");
	assert_int_equal(PARSE(&c, err, "block"), -1);
	assert_string_equal(err, "block needs an address; e.g. csumguard block 10.0.3.17");
	memset(longr, 'x', 47);
	longr[47] = '\0';
	assert_int_equal(PARSE(&c, err, "block", "10.0.3.17", "--reason", longr), 0);
	longr[47] = 'x';
	longr[48] = '\0';
	assert_int_equal(PARSE(&c, err, "block", "10.0.3.17", "--reason", longr), -1);
	assert_string_equal(err, "--reason is 48 bytes; at most 47");
	assert_int_equal(PARSE(&c, err, "block", "10.0.3.17", "--reason", "a\nb"), -1);
	assert_string_equal(err, "--reason contains a control character; use plain text");
	/* options of other commands are refused */
	assert_int_equal(PARSE(&c, err, "block", "10.0.3.17", "--json"), -1);
	assert_string_equal(err, "unknown option '--json' for block; see csumguard block --help");
	assert_int_equal(PARSE(&c, err, "blocklist", "--json"), 0);
	assert_int_equal(c.cmd, CG_CMD_BLOCKLIST);
	assert_int_equal(c.json, 1);
}

/* Issue 6, defect 9: addresses that are never a source, and reasons that
 * would drive the terminal, are refused at the command line. */
static void test_cli_block_refuses(void **state)
{
	static const struct { const char *addr, *what; } never[] = {
		{ "0.0.0.0", "the unspecified address" },
		{ "::", "the unspecified address" },
		{ "255.255.255.255", "the broadcast address" },
		{ "224.0.0.1", "a multicast address" },
		{ "239.255.255.250", "a multicast address" },
		{ "ff02::1", "a multicast address" },
	};
	char err[CG_ERR_LEN], want[CG_ERR_LEN], out[64];
	struct cg_cli c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(never) / sizeof(never[0]); i++) {
		assert_int_equal(PARSE(&c, err, "block", never[i].addr), -1);
		snprintf(want, sizeof(want), "%s is %s, never the source of a packet; give a "
			 "node's unicast address, e.g. 10.0.3.17", never[i].addr, never[i].what);
		assert_string_equal(err, want);
		/* an old entry can always be removed */
		assert_int_equal(PARSE(&c, err, "unblock", never[i].addr), 0);
	}
	assert_int_equal(PARSE(&c, err, "block", "223.255.255.255"), 0);
	assert_int_equal(PARSE(&c, err, "block", "::ffff:0.0.0.1"), 0);	/* an IPv6 key */

	/* C1 controls: raw (invalid UTF-8) and encoded (U+009B, CSI) */
	assert_int_equal(PARSE(&c, err, "block", "10.0.3.17", "--reason", "x\x9b[2Jy"), -1);
	assert_string_equal(err, "--reason is not valid UTF-8 (byte 0x9b at 1); use plain text");
	assert_int_equal(PARSE(&c, err, "block", "10.0.3.17", "--reason", "x\xc2\x9b[2J"), -1);
	assert_string_equal(err, "--reason contains a control character; use plain text");
	assert_int_equal(PARSE(&c, err, "block", "10.0.3.17", "--reason", "x\x7f"), -1);
	assert_string_equal(err, "--reason contains a control character; use plain text");
	assert_int_equal(PARSE(&c, err, "block", "10.0.3.17", "--reason", "caf\xc3\xa9 \xc2\xa0ok"),
			 0);

	/* and what another tool wrote is shown harmlessly */
	cg_fmt_text("a\x9b[2Jb\xc2\x9b" "c\x1b", out, sizeof(out));
	assert_string_equal(out, "a?[2Jb?c?");
	cg_fmt_text("caf\xc3\xa9", out, sizeof(out));
	assert_string_equal(out, "caf\xc3\xa9");
	cg_fmt_text("abcdef", out, 4);
	assert_string_equal(out, "abc");
}

static void test_cli_errors_and_help(void **state)
{
	char err[CG_ERR_LEN];
	struct cg_cli c;

	(void)state;
	assert_int_equal(PARSE(&c, err, "attach"), -1);
	assert_string_equal(err, "attach needs an interface; e.g. csumguard attach eth0");
	assert_int_equal(PARSE(&c, err, "attach", "eth0", "--mode", "block"), -1);
	assert_string_equal(err, "bad --mode 'block'; use --mode monitor or --mode drop");
	assert_int_equal(PARSE(&c, err, "attach", "eth0", "--xdp-mode", "hw"), -1);
	assert_string_equal(err, "bad --xdp-mode 'hw'; use --xdp-mode native or --xdp-mode skb");
	assert_int_equal(PARSE(&c, err, "attach", "eth0", "--sources", "8"), -1);
	assert_string_equal(err, "bad --sources '8'; give a number from 16 to 1048576");
	assert_int_equal(PARSE(&c, err, "attach", "eth0", "--memory", "32X"), -1);
	assert_string_equal(err, "bad --memory '32X'; give a size such as 32M, 512K or 1G");
	assert_int_equal(PARSE(&c, err, "attach", "eth0", "--sample", "0"), -1);
	assert_string_equal(err, "bad --sample '0'; give N from 1 (every frame) to 1000000: "
				 "one tunnel frame in N is verified");
	assert_int_equal(PARSE(&c, err, "attach", "eth0", "--sample", "x"), -1);
	assert_int_equal(PARSE(&c, err, "attach", "eth0", "--port", "vxlan:0"), -1);
	assert_string_equal(err, "bad --port 'vxlan:0': port must be a number from 1 to 65535; "
				 "e.g. --port vxlan:6080");
	assert_int_equal(PARSE(&c, err, "attach", "eth0", "--purge"), -1);
	assert_string_equal(err, "unknown option '--purge' for attach; "
				 "see csumguard attach --help");
	assert_int_equal(PARSE(&c, err, "attach", "../etc"), -1);
	assert_string_equal(err, "'../etc' is not an interface name; list them with `ip link`");
	assert_int_equal(PARSE(&c, err, "attach", "averyveryverylongname0"), -1);
	assert_int_equal(PARSE(&c, err, "frobnicate"), -1);
	assert_string_equal(err, "unknown command 'frobnicate'; commands: attach, detach, stats, "
				 "block, unblock, blocklist, ledger, agent, nodes, diagnose, doctor, trace (csumguard --help)");
	assert_int_equal(PARSE(&c, err, "--frob"), -1);
	assert_string_equal(err, "unknown option '--frob'; see csumguard --help");
	assert_int_equal(cg_unit_parse(&c, err, (char *)NULL), -1);
	assert_string_equal(err, "no command given; see csumguard --help");
	assert_int_equal(PARSE(&c, err, "--pin-dir"), -1);
	assert_string_equal(err, "--pin-dir needs a value; see csumguard --help");

	assert_int_equal(PARSE(&c, err, "detach", "eth0", "--purge"), 0);
	assert_int_equal(c.cmd, CG_CMD_DETACH);
	assert_int_equal(c.detach.purge, 1);

	assert_int_equal(PARSE(&c, err, "--version"), 0);
	assert_int_equal(c.cmd, CG_CMD_VERSION);
	assert_int_equal(PARSE(&c, err, "--help"), 0);
	assert_int_equal(c.cmd, CG_CMD_HELP);
	assert_int_equal(c.help_cmd, CG_CMD_NONE);
	/* CMD --help wins over a missing or wrong argument */
	assert_int_equal(PARSE(&c, err, "attach", "--help"), 0);
	assert_int_equal(c.cmd, CG_CMD_HELP);
	assert_int_equal(c.help_cmd, CG_CMD_ATTACH);
	assert_int_equal(PARSE(&c, err, "help", "blocklist"), 0);
	assert_int_equal(c.help_cmd, CG_CMD_BLOCKLIST);
	assert_non_null(strstr(cg_help_text(CG_CMD_ATTACH), "--port KIND:PORT"));
	assert_non_null(strstr(cg_help_text(CG_CMD_NONE), "nsenter --net=/run/netns/NAME"));
	assert_non_null(strstr(cg_help_text(CG_CMD_STATS), "--sort packets"));
}

/* ------------------------------------------------------------ rendering */

static const struct cg_port_spec default_ports[] = {
	{ 4789, CG_ENCAP_VXLAN }, { 6081, CG_ENCAP_GENEVE }, { 8472, CG_ENCAP_VXLAN },
};

static void test_sort_sources(void **state)
{
	struct cg_src_row r[5];

	(void)state;
	r[0] = row(v4(10, 0, 0, 1), 1000, 0, 0, 0, 0, 0, 0, 0);
	r[1] = row(v4(10, 0, 0, 2), 90, 10, 0, 0, 0, 0, 0, 1);		/* 10 bad of 100 */
	r[2] = row(v4(10, 0, 0, 3), 990, 10, 0, 0, 0, 0, 0, 1);		/* 10 bad of 1000 */
	r[3] = row(v4(10, 0, 0, 4), 50, 30, 0, 0, 0, 0, 0, 1);
	r[4] = row(v4(10, 0, 0, 0), 1000, 0, 0, 0, 0, 0, 0, 0);		/* ties r[0] */

	cg_sort_sources(r, 5, CG_SORT_BAD);
	assert_int_equal(r[0].addr.a[15], 4);	/* most bad */
	assert_int_equal(r[1].addr.a[15], 2);	/* same bad count, larger share */
	assert_int_equal(r[2].addr.a[15], 3);
	assert_int_equal(r[3].addr.a[15], 0);	/* no bad: by packets, then address */
	assert_int_equal(r[4].addr.a[15], 1);

	cg_sort_sources(r, 5, CG_SORT_PACKETS);
	assert_int_equal(r[0].addr.a[15], 3);	/* 1000 packets, 10 bad */
	assert_int_equal(r[1].addr.a[15], 0);	/* 1000, 0 bad, lower address */
	assert_int_equal(r[2].addr.a[15], 1);
	assert_int_equal(r[3].addr.a[15], 2);	/* 100 */
	assert_int_equal(r[4].addr.a[15], 4);	/* 80 */
}

static void test_render_stats_table(void **state)
{
	struct cg_src_row r[3];
	struct cg_iface_view v = {
		.name = "eth1", .ifindex = 3, .attached = 1, .xdp_mode = "native",
		.dispatcher = 1, .have_config = 1, .config = { .mode = CG_MODE_MONITOR },
		.ports = default_ports, .nports = 3, .sources_max = 16384,
		.sources_present = 3, .rows = r, .nrows = 3,
	};
	uint64_t now = 1000 * NS;
	struct cap c;

	(void)state;
	assert_int_equal(cg_parse_addr("fd00::17", &r[1].addr), 0);
	r[0] = row(v4(10, 0, 3, 17), 9700, 300, 0, 0, 0, 0, 0, now - 4 * NS);
	r[1] = row(r[1].addr, 40, 2, 0, 0, 0, 1, 2, now - 125 * NS);
	r[2] = row(v4(10, 0, 3, 18), 0, 0, 500, 20, 3, 0, 0, 0);
	v.tot.c[CG_IF_FRAMES] = 11000;
	v.tot.c[CG_IF_TUNNEL] = 10566;
	v.tot.c[CG_IF_NOT_TUNNEL] = 430;
	v.tot.c[CG_IF_UNPARSED] = 4;
	v.tot.c[CG_IF_DROP_BAD] = 2;
	v.tot.verdict[CG_V_OK] = 9740;
	v.tot.verdict[CG_V_BAD] = 302;
	v.tot.verdict[CG_V_UNFINISHED] = 500;
	v.tot.verdict[CG_V_ZERO] = 20;
	v.tot.verdict[CG_V_FRAGMENT] = 3;
	v.tot.verdict[CG_V_MALFORMED] = 1;

	cap_open(&c);
	cg_render_stats_table(c.f, &v, now);
	assert_string_equal(cap_close(&c),
"eth1: attached (native XDP, libxdp dispatcher), mode monitor, ports vxlan:4789,8472 "
"geneve:6081\n"
"  frames 11000: tunnel 10566, not_tunnel 430, unparsed 4, unchecked 0\n"
"  tunnel 10566: ok 9740, bad 302, unfinished 500, zero 20, fragment 3, malformed 1, bad_ip_header 0\n"
"  drop_bad 2, drop_blocked 0, unaccounted 0; sources 3 of 16384\n"
"\n"
"SOURCE     PACKETS    OK  BAD   BAD%  UNFINISHED  ZERO  FRAGMENT  MALFORMED  DROPPED  LAST BAD\n"
"10.0.3.17    10000  9700  300  3.00%           0     0         0          0        0  4s ago\n"
"fd00::17        43    40    2  4.76%           0     0         0          1        2  2m05s ago\n"
"10.0.3.18      523     0    0  0.00%         500    20         3          0        0  never\n"
"UNFINISHED: checksum left to offload and never finished: normal on veth, a NIC offload "
"bug on a physical port.\n");
	free(c.buf);
}

static void test_render_stats_table_detached_empty(void **state)
{
	struct cg_iface_view v = {
		.name = "eth2", .ifindex = 4, .attached = 0,
		.have_config = 1, .config = { .mode = CG_MODE_DROP },
		.ports = default_ports + 1, .nports = 1, .sources_max = 1024,
	};
	struct cap c;

	(void)state;
	cap_open(&c);
	cg_render_stats_table(c.f, &v, 0);
	assert_string_equal(cap_close(&c),
"eth2: detached, counters kept, mode drop, ports geneve:6081\n"
"  frames 0: tunnel 0, not_tunnel 0, unparsed 0, unchecked 0\n"
"  tunnel 0: ok 0, bad 0, unfinished 0, zero 0, fragment 0, malformed 0, bad_ip_header 0\n"
"  drop_bad 0, drop_blocked 0, unaccounted 0; sources 0 of 1024\n"
"  no tunnel traffic from any source yet\n");
	free(c.buf);

	v.ifindex = 0;
	v.nports = 0;
	cap_open(&c);
	cg_render_stats_table(c.f, &v, 0);
	assert_non_null(strstr(cap_close(&c),
			       "eth2: interface gone, counters kept, mode drop, ports none\n"));
	free(c.buf);
}

/* Issue 6: a full table says how many rows it lost; kept rows and the
 * unparsed column appear when there are any. */
static void test_render_stats_table_evictions(void **state)
{
	struct cg_src_row r[2];
	struct cg_iface_view v = {
		.name = "up0", .ifindex = 2, .attached = 1, .xdp_mode = "native",
		.have_config = 1, .config = { .mode = CG_MODE_MONITOR },
		.ports = default_ports, .nports = 1, .sources_max = 1024,
		.sources_present = 1024, .sources_kept = 1, .sources_evicted = 130049,
		.sources_bytes = 2620288, .ncpus = 128, .rows = r, .nrows = 2,
	};
	struct cap c;

	(void)state;
	r[0] = row(v4(10, 99, 0, 2), 64, 0, 0, 0, 0, 0, 0, 0);
	assert_int_equal(cg_parse_addr("fd99::3", &r[1].addr), 0);
	r[1] = row(r[1].addr, 0, 0, 0, 0, 0, 0, 50, 0);
	r[1].st.unparsed = 50;
	v.tot.c[CG_IF_SRC_INSERTED] = 131073;

	cap_open(&c);
	cg_render_stats_table(c.f, &v, 0);
	assert_string_equal(cap_close(&c),
"up0: attached (native XDP, sole XDP program), mode monitor, ports vxlan:4789\n"
"  frames 0: tunnel 0, not_tunnel 0, unparsed 0, unchecked 0\n"
"  tunnel 0: ok 0, bad 0, unfinished 0, zero 0, fragment 0, malformed 0, bad_ip_header 0\n"
"  drop_bad 0, drop_blocked 0, unaccounted 0; sources 1024 of 1024 (+1 blocked, kept apart) "
"in 2.5 MiB of kernel memory (128 CPUs); table full: 130049 evicted since attach\n"
"\n"
"SOURCE     PACKETS  OK  BAD   BAD%  UNFINISHED  ZERO  FRAGMENT  MALFORMED  UNPARSED  DROPPED  "
"LAST BAD\n"
"10.99.0.2       64  64    0  0.00%           0     0         0          0         0        0  "
"never\n"
"fd99::3          0   0    0      -           0     0         0          0        50       50  "
"never\n"
"UNPARSED: headers this source sent that could not be followed to a UDP port (e.g. more "
"than 8 IPv6 extension headers): never judged.\n");
	free(c.buf);
}

static void test_render_stats_json(void **state)
{
	struct cg_src_row r[2];
	struct cg_iface_view v[2] = {
		{
			.name = "eth1", .ifindex = 3, .attached = 1, .xdp_mode = "skb",
			.xdp_variant = "single-buffer",
			.have_config = 1, .config = { .mode = CG_MODE_DROP },
			.ports = default_ports, .nports = 2, .sources_max = 16384,
			.sources_present = 1, .sources_kept = 1, .sources_evicted = 5,
			.sources_rare_evicted = 2,
			.sources_bytes = 4457344, .ncpus = 2, .rows = r, .nrows = 2,
		},
		{ .name = "eth\"2", .ifindex = 0, .sources_max = 16 },
	};
	uint64_t now = 1000 * NS;
	struct cap c;

	(void)state;
	r[0] = row(v4(10, 0, 3, 17), 97, 3, 0, 0, 0, 0, 3, now - 4 * NS - 1);
	r[1] = row(v4(10, 0, 3, 18), 0, 0, 0, 7, 0, 0, 0, 0);
	v[0].tot.c[CG_IF_FRAMES] = 120;
	v[0].tot.c[CG_IF_TUNNEL] = 107;
	v[0].tot.c[CG_IF_NOT_TUNNEL] = 13;
	v[0].tot.c[CG_IF_DROP_BAD] = 3;
	v[0].tot.verdict[CG_V_OK] = 97;
	v[0].tot.verdict[CG_V_BAD] = 3;
	v[0].tot.verdict[CG_V_ZERO] = 7;
	v[0].tot.c[CG_IF_SRC_INSERTED] = 6;
	r[1].st.unparsed = 2;

	cap_open(&c);
	assert_int_equal(cg_render_stats_json(c.f, v, 2, now, 1732350000), 0);
	assert_string_equal(cap_close(&c),
"{\"version\":2,\"time_unix\":1732350000,\"interfaces\":["
"{\"name\":\"eth1\",\"ifindex\":3,\"addrs\":[],"
"\"ingress\":{\"attached\":true,\"xdp_mode\":\"skb\","
"\"dispatcher\":false,\"xdp_variant\":\"single-buffer\",\"mode\":\"drop\",\"repair\":false,\"sample\":1,\"drop_unknown\":false,"
"\"ports\":[{\"port\":4789,\"encap\":\"vxlan\"},{\"port\":6081,\"encap\":\"geneve\"}],"
"\"sources_max\":16384,\"sources_present\":1,\"sources_kept\":1,\"sources_nodes\":0,\"sources_evicted\":5,"
"\"sources_rare_evicted\":2,"
"\"sources_memory_bytes\":4457344,\"possible_cpus\":2,"
"\"counters\":{\"frames\":120,\"not_tunnel\":13,\"unparsed\":0,\"unchecked\":0,\"tunnel\":107,"
"\"unaccounted\":0,\"drop_bad\":3,\"drop_blocked\":0,\"sources_inserted\":6,"
"\"repaired\":0,\"unverified\":0,\"trace_suppressed\":0,\"trace_lost\":0,\"unknown_sender\":0,\"drop_unknown\":0,\"ttl_mismatch\":0,"
"\"sources_rare_inserted\":0,\"sources_reinserted\":0},"
"\"verdicts\":{\"ok\":97,\"bad\":3,\"unfinished\":0,\"zero\":7,\"fragment\":0,\"malformed\":0,"
"\"bad_ip_header\":0},"
"\"bad_classes\":{\"bad_outer_only\":0,\"bad_payload\":0,\"bad_unclassified\":0},"
"\"zero_inner\":{\"zero_inner_ok\":0,\"zero_inner_bad\":0,\"zero_inner_unfinished\":0,"
"\"zero_inner_unchecked\":0},"
"\"sources\":["
"{\"addr\":\"10.0.3.17\",\"node\":null,\"packets\":100,\"bytes\":15000,\"ok\":97,\"bad\":3,\"unfinished\":0,"
"\"zero\":0,\"fragment\":0,\"malformed\":0,\"unparsed\":0,\"dropped\":3,"
"\"bad_ip_header\":0,\"bad_outer_only\":0,\"bad_payload\":0,\"bad_unclassified\":0,"
"\"zero_inner_ok\":0,\"zero_inner_bad\":0,\"zero_inner_unfinished\":0,\"zero_inner_unchecked\":0,"
"\"repaired\":0,\"unverified\":0,"
"\"unknown_sender\":0,\"ttl_mismatch\":0,\"evidence_checked\":0,\"evidence_bad\":0,\"bad_ratio\":0.030000,"
"\"last_bad_age_seconds\":4,\"first_bad_age_seconds\":null},"
"{\"addr\":\"10.0.3.18\",\"node\":null,\"packets\":7,\"bytes\":1050,\"ok\":0,\"bad\":0,\"unfinished\":0,"
"\"zero\":7,\"fragment\":0,\"malformed\":0,\"unparsed\":2,\"dropped\":0,"
"\"bad_ip_header\":0,\"bad_outer_only\":0,\"bad_payload\":0,\"bad_unclassified\":0,"
"\"zero_inner_ok\":0,\"zero_inner_bad\":0,\"zero_inner_unfinished\":0,\"zero_inner_unchecked\":0,"
"\"repaired\":0,\"unverified\":0,"
"\"unknown_sender\":0,\"ttl_mismatch\":0,\"evidence_checked\":0,\"evidence_bad\":0,\"bad_ratio\":null,"
"\"last_bad_age_seconds\":null,\"first_bad_age_seconds\":null}]},"
"\"egress\":null},"
"{\"name\":\"eth\\\"2\",\"ifindex\":0,\"addrs\":[],"
"\"ingress\":{\"attached\":false,\"xdp_mode\":null,"
"\"dispatcher\":null,\"xdp_variant\":null,\"mode\":null,\"repair\":null,\"sample\":null,\"drop_unknown\":null,"
"\"ports\":[],\"sources_max\":16,\"sources_present\":0,\"sources_kept\":0,\"sources_nodes\":0,\"sources_evicted\":0,"
"\"sources_rare_evicted\":0,"
"\"sources_memory_bytes\":null,\"possible_cpus\":null,"
"\"counters\":{\"frames\":0,\"not_tunnel\":0,\"unparsed\":0,\"unchecked\":0,\"tunnel\":0,"
"\"unaccounted\":0,\"drop_bad\":0,\"drop_blocked\":0,\"sources_inserted\":0,"
"\"repaired\":0,\"unverified\":0,\"trace_suppressed\":0,\"trace_lost\":0,\"unknown_sender\":0,\"drop_unknown\":0,\"ttl_mismatch\":0,"
"\"sources_rare_inserted\":0,\"sources_reinserted\":0},"
"\"verdicts\":{\"ok\":0,\"bad\":0,\"unfinished\":0,\"zero\":0,\"fragment\":0,\"malformed\":0,"
"\"bad_ip_header\":0},"
"\"bad_classes\":{\"bad_outer_only\":0,\"bad_payload\":0,\"bad_unclassified\":0},"
"\"zero_inner\":{\"zero_inner_ok\":0,\"zero_inner_bad\":0,\"zero_inner_unfinished\":0,"
"\"zero_inner_unchecked\":0},"
"\"sources\":[]},"
"\"egress\":null}]}\n");
	free(c.buf);

	cap_open(&c);
	assert_int_equal(cg_render_stats_json(c.f, NULL, 0, now, 5), 0);
	assert_string_equal(cap_close(&c), "{\"version\":2,\"time_unix\":5,\"interfaces\":[]}\n");
	free(c.buf);
}

/* Schema 2: an interface's directions come from adjacent views of the
 * same name; a direction without a view is null. */
static void test_render_stats_json_directions(void **state)
{
	struct cg_iface_view v[4] = {
		{ .name = "up0", .ifindex = 2, .dir = CG_DIR_INGRESS, .attached = 1,
		  .xdp_mode = "native", .sources_max = 16 },
		{ .name = "up0", .ifindex = 2, .dir = CG_DIR_EGRESS, .ifname_now = "upX",
		  .dests_max = 8 },
		{ .name = "up1", .ifindex = 3, .dir = CG_DIR_EGRESS, .dests_max = 4 },
		{ .name = "up1", .ifindex = 3, .dir = CG_DIR_EGRESS, .dests_max = 2 },
	};
	struct cap c;
	const char *out, *p;
	int names = 0;

	(void)state;
	cap_open(&c);
	assert_int_equal(cg_render_stats_json(c.f, v, 4, 0, 9), 0);
	out = cap_close(&c);
	for (p = out; (p = strstr(p, "{\"name\":")); p++)
		names++;
	assert_int_equal(names, 3);
	/* up0: both directions in one object, the name now from the egress view */
	assert_non_null(strstr(out, "{\"version\":2,\"time_unix\":9,\"interfaces\":["
			       "{\"name\":\"up0\",\"ifindex\":2,\"ifname_now\":\"upX\","
			       "\"addrs\":[],\"ingress\":{\"attached\":true,\"xdp_mode\":\"native\","
			       "\"dispatcher\":false,\"xdp_variant\":null,\"mode\":null,\"repair\":null,"
			       "\"sample\":null,\"drop_unknown\":null,"
			       "\"ports\":[],\"sources_max\":16,"));
	assert_non_null(strstr(out, "\"sources\":[]},\"egress\":{\"attached\":false,"
			       "\"tc_priority\":null,\"tc_handle\":null,\"qdisc_created\":null,"
			       "\"mode\":null,\"ports\":[],\"destinations_max\":8,"));
	/* up1: egress only; its second egress view is another object, never a
	 * duplicate key */
	assert_non_null(strstr(out, "{\"name\":\"up1\",\"ifindex\":3,\"addrs\":[],"
			       "\"ingress\":null,\"egress\":{\"attached\":false,"
			       "\"tc_priority\":null,\"tc_handle\":null,\"qdisc_created\":null,"
			       "\"mode\":null,\"ports\":[],\"destinations_max\":4,"));
	assert_non_null(strstr(out, "\"destinations\":[]}},{\"name\":\"up1\",\"ifindex\":3,"
			       "\"addrs\":[],\"ingress\":null,\"egress\":{\"attached\":false,"
			       "\"tc_priority\":null,\"tc_handle\":null,\"qdisc_created\":null,"
			       "\"mode\":null,\"ports\":[],\"destinations_max\":2,"));
	assert_non_null(strstr(out, "\"destinations\":[]}}]}\n"));
	free(c.buf);

	/* a view of no known direction is left out, and said so */
	v[1].dir = CG_DIR_MAX;
	cap_open(&c);
	assert_int_equal(cg_render_stats_json(c.f, v, 2, 0, 9), -1);
	out = cap_close(&c);
	assert_non_null(strstr(out, "\"sources\":[]},\"egress\":null}]}\n"));
	assert_null(strstr(out, "upX"));
	free(c.buf);
}

/* Item: attach with the capabilities the help named left an invisible
 * program; the help must name CAP_SYS_ADMIN, and stats must never say
 * "detached" when it cannot tell. */
static void test_help_caps(void **state)
{
	(void)state;
	assert_non_null(strstr(cg_help_text(CG_CMD_NONE),
			       "attach and detach need CAP_SYS_ADMIN and CAP_NET_ADMIN"));
	assert_non_null(strstr(cg_help_text(CG_CMD_ATTACH), "CAP_SYS_ADMIN"));
	assert_non_null(strstr(cg_help_text(CG_CMD_DETACH), "CAP_SYS_ADMIN"));
	assert_null(strstr(cg_help_text(CG_CMD_NONE), "(CAP_BPF, CAP_NET_ADMIN, CAP_PERFMON)"));
}

static void test_render_attached_states(void **state)
{
	struct cg_iface_view v = {
		.name = "up0", .ifindex = 2, .attached = -1,
		.attached_note = "needs CAP_SYS_ADMIN",
		.have_config = 1, .config = { .mode = CG_MODE_MONITOR },
		.ports = default_ports + 1, .nports = 1, .sources_max = 16,
	};
	struct cap c;
	const char *out;

	(void)state;
	cap_open(&c);
	cg_render_stats_table(c.f, &v, 0);
	out = cap_close(&c);
	assert_non_null(strstr(out, "up0: cannot tell whether attached (needs CAP_SYS_ADMIN), "
			       "counters kept, mode monitor, ports geneve:6081\n"));
	free(c.buf);

	cap_open(&c);
	cg_render_stats_json(c.f, &v, 1, 0, 7);
	out = cap_close(&c);
	assert_non_null(strstr(out, "\"ifindex\":2,\"addrs\":[],\"ingress\":{\"attached\":null,"
			       "\"xdp_mode\":null,"
			       "\"dispatcher\":null,\"xdp_variant\":null,"
			       "\"attached_note\":\"needs CAP_SYS_ADMIN\","
			       "\"mode\":\"monitor\""));
	free(c.buf);

	/* renamed since attach */
	v.attached = 1;
	v.attached_note = NULL;
	v.xdp_mode = "native";
	v.ifname_now = "rawX";
	cap_open(&c);
	cg_render_stats_table(c.f, &v, 0);
	out = cap_close(&c);
	assert_non_null(strstr(out, "up0: attached (native XDP, sole XDP program, interface now "
			       "named rawX), mode monitor"));
	free(c.buf);
	/* the program variant, when the locator saw it (lib/probe.h) */
	v.xdp_variant = "single-buffer";
	cap_open(&c);
	cg_render_stats_table(c.f, &v, 0);
	out = cap_close(&c);
	assert_non_null(strstr(out, "up0: attached (native XDP, single-buffer program, sole XDP "
			       "program, interface now named rawX), mode monitor"));
	free(c.buf);
	v.xdp_variant = NULL;
	cap_open(&c);
	cg_render_stats_json(c.f, &v, 1, 0, 7);
	out = cap_close(&c);
	/* the name now is the interface's; the attachment is ingress's */
	assert_non_null(strstr(out, "{\"name\":\"up0\",\"ifindex\":2,\"ifname_now\":\"rawX\","
			       "\"addrs\":[],\"ingress\":{\"attached\":true,\"xdp_mode\":\"native\","
			       "\"dispatcher\":false,\"xdp_variant\":null,\"mode\""));
	free(c.buf);

	/* live in another network namespace */
	v.xdp_mode = NULL;
	v.ifname_now = NULL;
	v.ifindex = 0;
	v.attached_note = "network namespace /run/netns/rx (ifindex 5 there)";
	cap_open(&c);
	cg_render_stats_table(c.f, &v, 0);
	out = cap_close(&c);
	assert_non_null(strstr(out, "up0: attached elsewhere: network namespace /run/netns/rx "
			       "(ifindex 5 there), mode monitor"));
	free(c.buf);
}

static void test_render_blocklist(void **state)
{
	struct cg_block_row r[3] = {};
	struct cap c;

	(void)state;
	assert_int_equal(cg_parse_addr("fd00::17", &r[0].addr), 0);
	r[0].b.added_unix = 1000000;
	r[0].b.flags = CG_BLOCK_ALL_TRAFFIC;
	r[1].addr = v4(10, 0, 3, 17);
	r[1].b.added_unix = 1000000 - 3 * 86400 - 7200;
	snprintf(r[1].b.reason, sizeof(r[1].b.reason), "NIC \"eth0\" corrupts 3%%");
	r[2].addr = v4(10, 0, 3, 9);
	r[2].b.added_unix = 999999;
	memcpy(r[2].b.reason, "tab\there", 9);		/* written by another tool */

	cg_sort_blocklist(r, 3);
	assert_int_equal(r[0].addr.a[15], 9);
	assert_int_equal(r[1].addr.a[15], 17);
	assert_int_equal(r[2].addr.a[0], 0xfd);

	/* 10.0.3.17: an auto-block (figures, again on probation), ending in
	 * 9m12s; fd00::17 a manual block with --ttl that is past its time */
	r[1].b.flags = CG_BLOCK_AUTO;
	r[1].b.expires_unix = 1000000 + 552;
	r[1].b.bad = 150, r[1].b.checked = 2000, r[1].b.window_s = 58, r[1].b.strikes = 1;
	r[2].b.expires_unix = 999990;
	cap_open(&c);
	cg_render_blocklist_table(c.f, r, 3, 1000000);
	assert_string_equal(cap_close(&c),
"ADDR       SCOPE   AGE    EXPIRES   REASON\n"
"10.0.3.9   tunnel  1s     never     tab?here\n"
"10.0.3.17  tunnel  3d02h  in 9m12s  NIC \"eth0\" corrupts 3%: 150 bad of 2000 checked (7.50%) in 58s, again on probation\n"
"fd00::17   all     0s     now       -\n");
	free(c.buf);

	cap_open(&c);
	assert_int_equal(cg_render_blocklist_json(c.f, r, 3, 1000000), 0);
	assert_string_equal(cap_close(&c),
"{\"version\":2,\"time_unix\":1000000,\"entries\":["
"{\"addr\":\"10.0.3.9\",\"scope\":\"tunnel\",\"added_unix\":999999,\"age_seconds\":1,"
"\"reason\":\"tab\\there\",\"origin\":\"manual\",\"expires_unix\":null,"
"\"expires_in_seconds\":null,\"figures\":null},"
"{\"addr\":\"10.0.3.17\",\"scope\":\"tunnel\",\"added_unix\":733600,\"age_seconds\":266400,"
"\"reason\":\"NIC \\\"eth0\\\" corrupts 3%\",\"origin\":\"auto\",\"expires_unix\":1000552,"
"\"expires_in_seconds\":552,\"figures\":{\"bad\":150,\"checked\":2000,\"bad_ratio\":0.075000,"
"\"window_seconds\":58,\"strikes\":1}},"
"{\"addr\":\"fd00::17\",\"scope\":\"all\",\"added_unix\":1000000,\"age_seconds\":0,"
"\"reason\":\"\",\"origin\":\"manual\",\"expires_unix\":999990,\"expires_in_seconds\":0,"
"\"figures\":null}]}\n");
	free(c.buf);

	cap_open(&c);
	cg_render_blocklist_table(c.f, NULL, 0, 1000);
	assert_string_equal(cap_close(&c), "blocklist is empty\n");
	free(c.buf);

	/* a reason filling the whole field (no NUL) stays within it */
	memset(r[0].b.reason, 'r', sizeof(r[0].b.reason));
	cap_open(&c);
	cg_render_blocklist_json(c.f, r, 1, 1000);
	assert_non_null(strstr(cap_close(&c),
			       "\"reason\":\"rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr\","));
	free(c.buf);
}

/* The error document --json callers get instead of a one-line message. */
static void test_render_error_json(void **state)
{
	struct cap c;
	FILE *ro;

	(void)state;
	cap_open(&c);
	assert_int_equal(cg_render_error_json(c.f, "no interface 'eth9' in this network "
					      "namespace; check `ip link`"), 0);
	assert_string_equal(cap_close(&c), "{\"error\":\"no interface 'eth9' in this network "
					   "namespace; check `ip link`\"}\n");
	free(c.buf);

	/* a message quoting what the user typed: escaped, invalid UTF-8 replaced */
	cap_open(&c);
	assert_int_equal(cg_render_error_json(c.f, "bad --reason \"a\\b\"\n\xff\x1b[2J"), 0);
	assert_string_equal(cap_close(&c),
			    "{\"error\":\"bad --reason \\\"a\\\\b\\\"\\n\\ufffd\\u001b[2J\"}\n");
	free(c.buf);

	/* it says when it could not be written */
	ro = fopen("/dev/null", "r");
	assert_non_null(ro);
	assert_int_equal(cg_render_error_json(ro, "x"), -1);
	fclose(ro);
}

static void test_names_used(void **state)
{
	(void)state;
	/* the JSON keys and headers come from names.c: pin the spellings */
	assert_string_equal(cg_src_field_name(CG_SF_PACKETS), "packets");
	assert_string_equal(cg_src_field_name(CG_SF_BYTES), "bytes");
	assert_string_equal(cg_src_field_name(CG_SF_DROPPED), "dropped");
	assert_string_equal(cg_src_field_name(CG_SF_LAST_BAD), "last_bad");
	assert_string_equal(cg_src_field_name(CG_SRC_FIELD_MAX), "unknown");
	assert_string_equal(cg_dir_name(CG_DIR_INGRESS), "ingress");
	assert_string_equal(cg_dir_name(CG_DIR_EGRESS), "egress");
	assert_string_equal(cg_dir_name(CG_DIR_MAX), "unknown");
	assert_string_equal(cg_block_scope_name(0), "tunnel");
	assert_string_equal(cg_block_scope_name(CG_BLOCK_ALL_TRAFFIC), "all");
	assert_string_equal(cg_xdp_mode_name(CG_XDP_SKB), "skb");
	assert_string_equal(cg_xdp_mode_name(CG_XDP_NATIVE), "native");
	assert_string_equal(cg_cmd_name(CG_CMD_BLOCKLIST), "blocklist");
}


/* ------------------------------------------------------------- egress */

static void test_cli_directions(void **state)
{
	char err[CG_ERR_LEN];
	struct cg_cli c;

	(void)state;
	assert_int_equal(PARSE(&c, err, "attach", "eth0"), 0);
	assert_int_equal(c.attach.dirs, 0);		/* both, the default */
	assert_int_equal(PARSE(&c, err, "attach", "eth0", "--egress"), 0);
	assert_int_equal(c.attach.dirs, CG_DIRS_EGRESS);
	assert_int_equal(PARSE(&c, err, "attach", "--ingress", "eth0", "--mode", "drop"), 0);
	assert_int_equal(c.attach.dirs, CG_DIRS_INGRESS);
	assert_int_equal(c.attach.mode, CG_MODE_DROP);
	assert_int_equal(PARSE(&c, err, "attach", "eth0", "--ingress", "--egress"), 0);
	assert_int_equal(c.attach.dirs, CG_DIRS_BOTH);
	assert_int_equal(PARSE(&c, err, "detach", "eth0", "--egress", "--purge"), 0);
	assert_int_equal(c.detach.dirs, CG_DIRS_EGRESS);
	assert_int_equal(c.detach.purge, 1);
	assert_int_equal(PARSE(&c, err, "detach", "eth0"), 0);
	assert_int_equal(c.detach.dirs, 0);
	assert_int_equal(PARSE(&c, err, "stats", "--egress"), -1);
	assert_string_equal(err, "unknown option '--egress' for stats; see csumguard stats --help");
	assert_non_null(strstr(cg_help_text(CG_CMD_ATTACH), "[--ingress] [--egress]"));
}

static void test_cli_ledger(void **state)
{
	char err[CG_ERR_LEN], a[CG_ADDR_STRLEN];
	struct cg_cli c;

	(void)state;
	assert_int_equal(PARSE(&c, err, "ledger", "a.json", "b.json"), 0);
	assert_int_equal(c.cmd, CG_CMD_LEDGER);
	assert_string_equal(c.ledger.a_path, "a.json");
	assert_string_equal(c.ledger.b_path, "b.json");
	assert_int_equal(c.ledger.max_gap, 10);
	assert_int_equal(c.json, 0);
	assert_int_equal(PARSE(&c, err, "ledger", "-", "b.json", "--a-addr", "10.0.0.1",
			       "--a-addr", "fd00::1", "--b-addr", "10.0.0.2", "--max-gap", "3",
			       "-j"), 0);
	assert_int_equal(c.ledger.na, 2);
	assert_int_equal(c.ledger.nb, 1);
	cg_addr_str(&c.ledger.a_addrs[1], a, sizeof(a));
	assert_string_equal(a, "fd00::1");
	assert_int_equal(c.ledger.max_gap, 3);
	assert_int_equal(c.json, 1);
	assert_int_equal(PARSE(&c, err, "ledger", "a.json"), -1);
	assert_string_equal(err, "ledger needs two snapshots, the sender's then the receiver's; "
			    "e.g. csumguard ledger a.json b.json");
	assert_int_equal(PARSE(&c, err, "ledger", "-", "-"), -1);
	assert_string_equal(err, "both snapshots from standard input; give at most one as '-'");
	assert_int_equal(PARSE(&c, err, "ledger", "a", "b", "--b-addr", "node2"), -1);
	assert_string_equal(err, "bad --b-addr 'node2'; give one IPv4 or IPv6 address, e.g. "
			    "10.0.3.17 or fd00::17");
	assert_int_equal(PARSE(&c, err, "ledger", "a", "b", "--max-gap", "-1"), -1);
	assert_string_equal(err, "bad --max-gap '-1'; give whole seconds from 0 to 86400");
}

static struct cg_dst_row drow(struct cg_addr a, uint64_t fok, uint64_t fbad, uint64_t off,
			      uint64_t zero, uint64_t gso, uint64_t facts, uint64_t off_fact,
			      uint64_t last_bad_ns)
{
	struct cg_dst_row r = { .addr = a };

	r.st.state[CG_E_FINAL_OK] = fok;
	r.st.state[CG_E_FINAL_BAD] = fbad;
	r.st.state[CG_E_OFFLOADED] = off;
	r.st.state[CG_E_ZERO] = zero;
	r.st.packets = fok + fbad + off + zero;
	r.st.bytes = r.st.packets * 150;
	r.st.gso = gso;
	r.st.facts = facts;
	r.st.offloaded_fact = off_fact;
	r.st.last_bad_ns = last_bad_ns;
	return r;
}

static const uint64_t NOW = 1000ull * 1000000000ull;

static void egress_view(struct cg_iface_view *v, struct cg_dst_row *rows, size_t n)
{
	memset(v, 0, sizeof(*v));
	v->name = "up0";
	v->ifindex = 2;
	v->dir = CG_DIR_EGRESS;
	v->attached = 1;
	v->tc_handle = 1;
	v->tc_priority = 65520;
	v->tc_qdisc_created = 1;
	v->have_config = 1;
	v->ports = default_ports;
	v->nports = 3;
	v->dests_max = 16384;
	v->dests_present = n;
	v->etot.c[CG_IF_FRAMES] = 1240;
	v->etot.c[CG_IF_TUNNEL] = 1210;
	v->etot.c[CG_IF_NOT_TUNNEL] = 30;
	v->etot.c[CG_IF_SRC_INSERTED] = n;
	v->etot.state[CG_E_FINAL_OK] = 200;
	v->etot.state[CG_E_FINAL_BAD] = 2;
	v->etot.state[CG_E_OFFLOADED] = 1000;
	v->etot.state[CG_E_ZERO] = 8;
	v->etot.gso = 3;
	v->drows = rows;
	v->ndrows = n;
}

static void test_sort_dests(void **state)
{
	struct cg_dst_row r[3] = {
		drow(v4(10, 0, 0, 1), 10, 0, 500, 0, 0, 0, 0, 0),
		drow(v4(10, 0, 0, 2), 10, 2, 0, 0, 0, 0, 0, 0),
		drow(v4(10, 0, 0, 3), 10, 0, 5, 0, 0, 0, 0, 0),
	};
	char a[CG_ADDR_STRLEN];

	(void)state;
	cg_sort_dests(r, 3, CG_SORT_BAD);
	cg_addr_str(&r[0].addr, a, sizeof(a));
	assert_string_equal(a, "10.0.0.2");	/* final_bad first */
	cg_addr_str(&r[1].addr, a, sizeof(a));
	assert_string_equal(a, "10.0.0.1");
	cg_sort_dests(r, 3, CG_SORT_PACKETS);
	cg_addr_str(&r[0].addr, a, sizeof(a));
	assert_string_equal(a, "10.0.0.1");
	cg_addr_str(&r[2].addr, a, sizeof(a));
	assert_string_equal(a, "10.0.0.2");
}

static void test_render_egress_table(void **state)
{
	struct cg_dst_row r[2] = {
		drow(v4(10, 99, 0, 3), 0, 2, 0, 0, 0, 0, 0, NOW - 5000000000ull),
		drow(v4(10, 99, 0, 2), 200, 0, 1000, 8, 3, 1208, 1000, 0),
	};
	struct cg_iface_view v;
	struct cap c;

	(void)state;
	egress_view(&v, r, 2);
	cap_open(&c);
	cg_render_stats_table(c.f, &v, NOW);
	assert_string_equal(cap_close(&c),
"up0 egress: attached (tc filter pref 65520 handle 0x1, clsact qdisc added by csumguard), "
"mode monitor, ports vxlan:4789,8472 geneve:6081\n"
"  frames 1240: tunnel 1210, not_tunnel 30, unparsed 0, unchecked 0\n"
"  tunnel 1210: final_ok 200, final_bad 2, offloaded 1000, zero 8, fragment 0, malformed 0; "
"gso 3, gso_meta_bad 0\n"
"  drop_bad 0, drop_blocked 0, unaccounted 0; destinations 2 of 16384\n"
"\n"
"DEST       PACKETS  GSO  FINAL OK  FINAL BAD  OFFLOADED  ZERO  FRAGMENT  MALFORMED  DROPPED  LAST BAD\n"
"10.99.0.3        2    0         0          2          0     0         0          0        0  5s ago\n"
"10.99.0.2     1208    3       200          0       1000     8         0          0        0  never\n"
"OFFLOADED: from skb facts for 1208 of 1210 packets (1000 of the 1000 offloaded); the other 2 "
"by the seed signature alone.\n");
	free(c.buf);

	/* no facts at all (the kernel before 6.2), a GSO packet with bad
	 * metadata, detached, evictions */
	r[1].st.facts = r[1].st.offloaded_fact = 0;
	r[1].st.gso_meta_bad = 1;
	v.attached = 0;
	v.etot.c[CG_IF_SRC_INSERTED] = 5;
	v.dests_evicted = 3;
	cap_open(&c);
	cg_render_stats_table(c.f, &v, NOW);
	assert_string_equal(cap_close(&c),
"up0 egress: detached, counters kept, mode monitor, ports vxlan:4789,8472 geneve:6081\n"
"  frames 1240: tunnel 1210, not_tunnel 30, unparsed 0, unchecked 0\n"
"  tunnel 1210: final_ok 200, final_bad 2, offloaded 1000, zero 8, fragment 0, malformed 0; "
"gso 3, gso_meta_bad 0\n"
"  drop_bad 0, drop_blocked 0, unaccounted 0; destinations 2 of 16384; table full: 3 "
"evicted since attach\n"
"\n"
"DEST       PACKETS  GSO  FINAL OK  FINAL BAD  OFFLOADED  ZERO  FRAGMENT  MALFORMED  GSO META BAD  DROPPED  LAST BAD\n"
"10.99.0.3        2    0         0          2          0     0         0          0             0        0  5s ago\n"
"10.99.0.2     1208    3       200          0       1000     8         0          0             1        0  never\n"
"OFFLOADED: by the seed signature alone (the checksum field holds the pseudo-header sum): no "
"skb facts were read for these 1210 packets (the kernel has none to give before 6.2).\n"
"GSO META BAD: GSO tunnel packets whose inner header offsets disagree with their headers: "
"the stack may drop them while segmenting.\n");
	free(c.buf);

	/* nothing yet */
	egress_view(&v, NULL, 0);
	v.tc_qdisc_created = 0;
	cap_open(&c);
	cg_render_stats_table(c.f, &v, NOW);
	assert_non_null(strstr(cap_close(&c), "up0 egress: attached (tc filter pref 65520 "
			       "handle 0x1, on an existing clsact qdisc), mode monitor"));
	assert_non_null(strstr(c.buf, "destinations 0 of 16384\n"
			       "  no tunnel traffic to any destination yet\n"));
	free(c.buf);
}

static void test_render_egress_json(void **state)
{
	struct cg_dst_row r[1] = {
		drow(v4(10, 99, 0, 2), 200, 2, 1000, 8, 3, 1210, 1000, NOW - 7000000000ull),
	};
	struct cg_addr addrs[2] = { v4(10, 99, 0, 1) };
	struct cg_iface_view v[2];
	struct cap c;

	(void)state;
	assert_int_equal(cg_parse_addr("fd99::1", &addrs[1]), 0);
	memset(&v[0], 0, sizeof(v[0]));
	v[0].name = "up0";
	v[0].ifindex = 2;
	v[0].addrs = addrs;
	v[0].naddrs = 2;
	v[0].attached = 1;
	v[0].xdp_mode = "native";
	egress_view(&v[1], r, 1);
	v[1].etot.facts = 1210;		/* csumguard_tcf ran: skb facts read */
	cap_open(&c);
	assert_int_equal(cg_render_stats_json(c.f, v, 2, NOW, 1795000000), 0);
	assert_non_null(strstr(cap_close(&c),
"{\"version\":2,\"time_unix\":1795000000,\"interfaces\":[{\"name\":\"up0\",\"ifindex\":2,"
"\"addrs\":[\"10.99.0.1\",\"fd99::1\"],\"ingress\":{\"attached\":true,"));
	assert_non_null(strstr(c.buf,
"\"egress\":{\"attached\":true,\"tc_priority\":65520,\"tc_handle\":1,\"qdisc_created\":true,"
"\"mode\":\"monitor\",\"ports\":[{\"port\":4789,\"encap\":\"vxlan\"},{\"port\":6081,"
"\"encap\":\"geneve\"},{\"port\":8472,\"encap\":\"vxlan\"}],\"destinations_max\":16384,"
"\"destinations_present\":1,\"destinations_evicted\":0,"
"\"destinations_memory_bytes\":null,\"possible_cpus\":null,"
"\"counters\":{\"frames\":1240,\"not_tunnel\":30,\"unparsed\":0,\"unchecked\":0,"
"\"tunnel\":1210,\"unaccounted\":0,\"drop_bad\":0,\"drop_blocked\":0,"
"\"destinations_inserted\":1},"
"\"states\":{\"final_ok\":200,\"final_bad\":2,\"offloaded\":1000,\"zero\":8,\"fragment\":0,"
"\"malformed\":0},\"gso\":3,\"gso_meta_bad\":0,\"skb_facts\":true,\"facts\":1210,"
"\"offloaded_fact\":1000,\"gso_meta_first\":null,"
"\"destinations\":[{\"addr\":\"10.99.0.2\",\"node\":null,\"packets\":1210,\"bytes\":181500,\"gso\":3,"
"\"final_ok\":200,\"final_bad\":2,\"offloaded\":1000,\"zero\":8,\"fragment\":0,"
"\"malformed\":0,\"facts\":1210,\"offloaded_fact\":1000,\"gso_meta_bad\":0,\"dropped\":0,"
"\"final_bad_ratio\":0.009901,\"last_bad_age_seconds\":7}]}}]}\n"));
	free(c.buf);

	/* A kernel before 6.2 (csumguard_tc): the fact counters are
	 * unsupported, shown as null, never as 0 (issue 8). */
	r[0].st.facts = 0;
	r[0].st.offloaded_fact = 0;
	v[1].etot.facts = 0;
	v[1].etot.no_facts = 1210;
	cap_open(&c);
	assert_int_equal(cg_render_stats_json(c.f, v, 2, NOW, 1795000000), 0);
	assert_non_null(strstr(cap_close(&c),
"\"gso_meta_bad\":0,\"skb_facts\":false,\"facts\":null,\"offloaded_fact\":null,"
"\"gso_meta_first\":null,\"destinations\":[{\"addr\":\"10.99.0.2\",\"node\":null"));
	assert_non_null(strstr(c.buf,
"\"malformed\":0,\"facts\":null,\"offloaded_fact\":null,\"gso_meta_bad\":0,"));
	free(c.buf);

	/* The first gso_meta_bad skb (seed 003): what it said, where its bytes
	 * put the headers (-1: the check did not get that far). */
	v[1].gso_meta_first = (struct cg_gso_meta_event){
		.when_ns = NOW - 3000000000ull, .gso_segs = 25, .encapsulation = 0,
		.transport = 34, .inner_mac = 14, .inner_net = 14, .inner_trans = 34,
		.want_transport = 34, .want_inner_mac = 50, .want_inner_net = -1,
	};
	v[1].gso_meta_first.dst = v4(10, 99, 0, 3);
	cap_open(&c);
	assert_int_equal(cg_render_stats_json(c.f, v, 2, NOW, 1795000000), 0);
	assert_non_null(strstr(cap_close(&c),
"\"gso_meta_first\":{\"age_seconds\":3,\"addr\":\"10.99.0.3\",\"gso_segs\":25,"
"\"encapsulation\":false,\"skb\":{\"transport\":34,\"inner_mac\":14,\"inner_network\":14,"
"\"inner_transport\":34},\"bytes\":{\"transport\":34,\"inner_mac\":50,"
"\"inner_network\":-1}},"));
	free(c.buf);
	cap_open(&c);
	cg_render_stats_table(c.f, &v[1], NOW);
	assert_non_null(strstr(cap_close(&c),
"  first one 3s ago, to 10.99.0.3 (25 segments): the skb said encapsulation 0, transport "
"34, inner mac 14, inner network 14, inner transport 34; its bytes put transport at 34, "
"inner mac at 50, inner network at ?\n"));
	free(c.buf);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_port_spec_valid),
		cmocka_unit_test(test_port_spec_errors),
		cmocka_unit_test(test_parse_uint),
		cmocka_unit_test(test_parse_addr),
		cmocka_unit_test(test_addr_str),
		cmocka_unit_test(test_fmt_age),
		cmocka_unit_test(test_fmt_pct),
		cmocka_unit_test(test_fmt_ports),
		cmocka_unit_test(test_cli_attach_defaults),
		cmocka_unit_test(test_cli_attach_full),
		cmocka_unit_test(test_cli_port_table),
		cmocka_unit_test(test_cli_env_pin_dir),
		cmocka_unit_test(test_cli_stats),
		cmocka_unit_test(test_cli_block),
		cmocka_unit_test(test_cli_block_refuses),
		cmocka_unit_test(test_cli_errors_and_help),
		cmocka_unit_test(test_sort_sources),
		cmocka_unit_test(test_render_stats_table),
		cmocka_unit_test(test_render_stats_table_detached_empty),
		cmocka_unit_test(test_render_stats_table_evictions),
		cmocka_unit_test(test_render_stats_json),
		cmocka_unit_test(test_render_stats_json_directions),
		cmocka_unit_test(test_help_caps),
		cmocka_unit_test(test_render_attached_states),
		cmocka_unit_test(test_render_blocklist),
		cmocka_unit_test(test_render_error_json),
		cmocka_unit_test(test_names_used),
		cmocka_unit_test(test_cli_directions),
		cmocka_unit_test(test_cli_ledger),
		cmocka_unit_test(test_sort_dests),
		cmocka_unit_test(test_render_egress_table),
		cmocka_unit_test(test_render_egress_json),
	};

	return CG_UNIT_RUN(tests, argc, argv);
}
