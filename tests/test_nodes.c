// SPDX-License-Identifier: GPL-2.0
/*
 * test_nodes.c - cmocka tests of lib/nodes.c's pure parts: the nodes file
 * parser (good files, and each bad line with its exact "FILE:LINE: cause;
 * fix" message), node names, and lookups (one node with an IPv4 and an
 * IPv6 address, ::ffff:a.b.c.d not being the IPv4 node). Expected values
 * are written out by hand; addresses are built byte by byte, not by the
 * parser under test.
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
#include "format.h"
#include "nodes.h"
#include "unit.h"

/* ------------------------------------------------------------ helpers */

static struct cg_addr v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct cg_addr k = {};

	k.family = CG_AF_INET4;
	k.a[10] = 0xff;
	k.a[11] = 0xff;
	k.a[12] = a, k.a[13] = b, k.a[14] = c, k.a[15] = d;
	return k;
}

/* fd99::<last> */
static struct cg_addr v6(uint8_t last)
{
	struct cg_addr k = {};

	k.family = CG_AF_INET6;
	k.a[0] = 0xfd, k.a[1] = 0x99;
	k.a[15] = last;
	return k;
}

static int parse_text(const char *text, struct cg_node_entry **e, size_t *n, char *err)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int r;

	assert_non_null(f);
	r = cg_nodes_parse(f, "nodes.txt", e, n, err, 512);
	fclose(f);
	return r;
}

/* The message for a file holding text (which must be refused). */
static void expect_bad(const char *text, const char *msg)
{
	struct cg_node_entry *e = (void *)1;
	char err[512] = "";
	size_t n = 99;

	assert_int_not_equal(parse_text(text, &e, &n, err), 0);
	assert_null(e);
	assert_int_equal(n, 0);
	assert_string_equal(err, msg);
}

/* ------------------------------------------------------------- parser */

static void test_parse_good(void **state)
{
	const char *text =
		"# cluster nodes\n"
		"\n"
		"10.99.0.1   node-1\n"
		"fd99::1\tnode-1   # its IPv6 address\n"
		"  10.99.0.2 node-2 ttl=63\n"
		"10.99.0.3 node_3.example\r\n"
		"10.99.0.2 node-2 ttl=63\n"	/* the same line again: once */
		"   # indented comment\n"
		"10.99.0.4 n4";			/* no final newline */
	struct cg_node_entry *e;
	char err[512] = "";
	size_t n;

	(void)state;
	assert_int_equal(parse_text(text, &e, &n, err), 0);
	assert_string_equal(err, "");
	assert_int_equal(n, 5);
	/* file order */
	struct cg_addr want[5] = { v4(10, 99, 0, 1), v6(1), v4(10, 99, 0, 2), v4(10, 99, 0, 3),
				   v4(10, 99, 0, 4) };
	const char *names[5] = { "node-1", "node-1", "node-2", "node_3.example", "n4" };
	for (size_t i = 0; i < 5; i++) {
		assert_memory_equal(&e[i].addr, &want[i], sizeof(want[i]));
		assert_string_equal(e[i].node.name, names[i]);
		assert_int_equal(e[i].node.id, 0);	/* given when loaded */
	}
	assert_int_equal(e[2].node.ttl, 63);
	assert_int_equal(e[2].node.flags, CG_NODE_TTL_SET);
	assert_int_equal(e[0].node.ttl, 0);
	assert_int_equal(e[0].node.flags, 0);
	free(e);

	/* An empty file and a file of comments are an empty set. */
	assert_int_equal(parse_text("", &e, &n, err), 0);
	assert_int_equal(n, 0);
	free(e);
	assert_int_equal(parse_text("# none yet\n\n   \n", &e, &n, err), 0);
	assert_int_equal(n, 0);
	free(e);
}

static void test_parse_bad(void **state)
{
	(void)state;
	expect_bad("10.99.0.1 node-1\n10.99.0 node-2\n",
		   "nodes.txt:2: bad address '10.99.0'; give one IPv4 or IPv6 address per line, "
		   "e.g. '10.0.3.17 node-17' (no prefix length, no host name)");
	expect_bad("10.99.0.0/24 net\n",
		   "nodes.txt:1: bad address '10.99.0.0/24'; give one IPv4 or IPv6 address per "
		   "line, e.g. '10.0.3.17 node-17' (no prefix length, no host name)");
	expect_bad("node-1 10.99.0.1\n",
		   "nodes.txt:1: bad address 'node-1'; give one IPv4 or IPv6 address per line, "
		   "e.g. '10.0.3.17 node-17' (no prefix length, no host name)");
	expect_bad("\n\n224.0.0.5 ospf\n",
		   "nodes.txt:3: 224.0.0.5 is a multicast address, never the source of a "
		   "packet; give the node's unicast underlay address");
	expect_bad("0.0.0.0 any\n",
		   "nodes.txt:1: 0.0.0.0 is the unspecified address, never the source of a "
		   "packet; give the node's unicast underlay address");
	expect_bad("10.99.0.1\n",
		   "nodes.txt:1: no node name after 10.99.0.1; write 'ADDR NAME', e.g. "
		   "'10.99.0.1 node-17'");
	expect_bad("10.99.0.1 # node-1\n",
		   "nodes.txt:1: no node name after 10.99.0.1; write 'ADDR NAME', e.g. "
		   "'10.99.0.1 node-17'");
	expect_bad("10.99.0.1 -node\n",
		   "nodes.txt:1: bad node name '-node': it does not start with a letter or "
		   "digit; use letters, digits, '.', '-', '_' (up to 63, starting with a letter "
		   "or digit), e.g. node-17");
	expect_bad("10.99.0.1 node/1\n",
		   "nodes.txt:1: bad node name 'node/1': it has a character other than letters, "
		   "digits, '.', '-', '_'; use letters, digits, '.', '-', '_' (up to 63, starting "
		   "with a letter or digit), e.g. node-17");
	expect_bad("10.99.0.1 n\xc3\xa9ud\n",
		   "nodes.txt:1: bad node name 'n\xc3\xa9ud': it has a character other than "
		   "letters, digits, '.', '-', '_'; use letters, digits, '.', '-', '_' (up to 63, "
		   "starting with a letter or digit), e.g. node-17");
	expect_bad("10.99.0.1 10.99.0.2\n",
		   "nodes.txt:1: bad node name '10.99.0.2': it is an address (nodes del takes "
		   "either); use letters, digits, '.', '-', '_' (up to 63, starting with a letter "
		   "or digit), e.g. node-17");
	/* 64 characters: one too many */
	expect_bad("10.99.0.1 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
		   "nodes.txt:1: bad node name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		   "aaaaaaaaa': it is longer than 63 bytes; use letters, digits, '.', '-', '_' (up "
		   "to 63, starting with a letter or digit), e.g. node-17");
	expect_bad("10.99.0.1 node-1\n10.99.0.2 node-2\n10.99.0.1 node-3\n",
		   "nodes.txt:3: 10.99.0.1 is node node-1 already (line 1); an address belongs to "
		   "one node: remove one of the two lines");
	/* the same address in another spelling is the same address */
	expect_bad("fd99::1 a\nfd99:0:0::0:1 b\n",
		   "nodes.txt:2: fd99::1 is node a already (line 1); an address belongs to one "
		   "node: remove one of the two lines");
	expect_bad("10.99.0.1 node-1 ttl=64\n10.99.0.1 node-1 ttl=63\n",
		   "nodes.txt:2: 10.99.0.1 is listed again with another ttl (line 1); keep one "
		   "line for it");
	expect_bad("10.99.0.1 node-1 ttl=0\n",
		   "nodes.txt:1: bad 'ttl=0'; the TTL its packets arrive with is 1..255, e.g. "
		   "ttl=64");
	expect_bad("10.99.0.1 node-1 ttl=256\n",
		   "nodes.txt:1: bad 'ttl=256'; the TTL its packets arrive with is 1..255, e.g. "
		   "ttl=64");
	expect_bad("10.99.0.1 node-1 ttl=6x\n",
		   "nodes.txt:1: bad 'ttl=6x'; the TTL its packets arrive with is 1..255, e.g. "
		   "ttl=64");
	expect_bad("10.99.0.1 node-1 node-2\n",
		   "nodes.txt:1: unexpected 'node-2' after the name; a line is 'ADDR NAME' or "
		   "'ADDR NAME ttl=N' (N 1..255)");
	expect_bad("10.99.0.1 node-1 ttl=64 extra\n",
		   "nodes.txt:1: unexpected 'extra' at the end; a line is 'ADDR NAME' or 'ADDR "
		   "NAME ttl=N'");
}

/* More addresses than the map holds: refused at the first one too many. */
static void test_parse_too_many(void **state)
{
	size_t len = (size_t)(CG_NODES_MAX + 1) * 24 + 1, off = 0, i;
	struct cg_node_entry *e;
	char *text = malloc(len), err[512];
	size_t n;

	(void)state;
	assert_non_null(text);
	for (i = 0; i <= CG_NODES_MAX; i++)
		off += (size_t)snprintf(text + off, len - off, "10.%zu.%zu.1 n%zu\n", i / 256,
					i % 256, i);
	assert_int_equal(parse_text(text, &e, &n, err), -E2BIG);
	assert_string_equal(err, "nodes.txt:4097: more than 4096 addresses; csumguard keeps "
			    "at most 4096 known node addresses");
	/* exactly CG_NODES_MAX is fine */
	*strstr(text, "10.16.0.1 n4096\n") = '\0';
	assert_int_equal(parse_text(text, &e, &n, err), 0);
	assert_int_equal(n, CG_NODES_MAX);
	free(e);
	free(text);
}

static void test_parse_file(void **state)
{
	struct cg_node_entry *e;
	char err[512];
	size_t n;

	(void)state;
	assert_int_equal(cg_nodes_parse_file("/nonexistent/nodes", &e, &n, err, sizeof(err)),
			 -ENOENT);
	assert_string_equal(err, "cannot open nodes file /nonexistent/nodes: No such file or "
			    "directory; give a file of 'ADDR NAME' lines");
}

static void test_names(void **state)
{
	(void)state;
	assert_null(cg_node_name_invalid("node-1"));
	assert_null(cg_node_name_invalid("ip-10-0-3-17.eu-west-1.compute.internal"));
	assert_null(cg_node_name_invalid("7"));
	assert_string_equal(cg_node_name_invalid(""), "it is empty");
	assert_string_equal(cg_node_name_invalid("fd99::1"),
			    "it has a character other than letters, digits, '.', '-', '_'");
	assert_string_equal(cg_node_name_invalid("10.0.0.1"),
			    "it is an address (nodes del takes either)");
	assert_string_equal(cg_node_name_invalid("a b"),
			    "it has a character other than letters, digits, '.', '-', '_'");
}

/* ------------------------------------------------------------ lookups */

static void test_lookup(void **state)
{
	struct cg_node_entry e[4] = {};
	const struct cg_node_entry *all;
	struct cg_nodes *s;
	struct cg_addr a;
	size_t n;

	(void)state;
	/* node-b has an IPv4 and an IPv6 address, node-a one IPv6 */
	e[0].addr = v6(2), strcpy(e[0].node.name, "node-b"), e[0].node.id = 2;
	e[1].addr = v4(10, 99, 0, 2), strcpy(e[1].node.name, "node-b"), e[1].node.id = 2;
	e[2].addr = v6(1), strcpy(e[2].node.name, "node-a"), e[2].node.id = 1;
	e[3].addr = v4(10, 99, 0, 9), strcpy(e[3].node.name, "node-c"), e[3].node.id = 3;
	e[3].node.ttl = 62, e[3].node.flags = CG_NODE_TTL_SET;
	assert_int_equal(cg_nodes_from(e, 4, &s), 0);
	assert_int_equal(cg_nodes_count(s), 4);
	assert_int_equal(cg_nodes_nodes(s), 3);

	a = v4(10, 99, 0, 2);
	assert_string_equal(cg_nodes_name(s, &a), "node-b");
	a = v6(2);
	assert_string_equal(cg_nodes_name(s, &a), "node-b");
	assert_int_equal(cg_nodes_find(s, &a)->id, 2);
	a = v6(1);
	assert_string_equal(cg_nodes_name(s, &a), "node-a");
	a = v4(10, 99, 0, 9);
	assert_int_equal(cg_nodes_find(s, &a)->ttl, 62);
	/* unknown */
	a = v4(10, 99, 0, 3);
	assert_null(cg_nodes_name(s, &a));
	/* ::ffff:10.99.0.2 is an IPv6 source, not node-b's IPv4 address */
	a = v4(10, 99, 0, 2);
	a.family = CG_AF_INET6;
	assert_null(cg_nodes_name(s, &a));

	/* listing order: name, then IPv4 before IPv6 */
	all = cg_nodes_entries(s, &n);
	assert_int_equal(n, 4);
	assert_string_equal(all[0].node.name, "node-a");
	assert_string_equal(all[1].node.name, "node-b");
	assert_int_equal(all[1].addr.family, CG_AF_INET4);
	assert_string_equal(all[2].node.name, "node-b");
	assert_int_equal(all[2].addr.family, CG_AF_INET6);
	assert_string_equal(all[3].node.name, "node-c");
	cg_nodes_close(s);

	/* No set: every lookup says unknown, nothing crashes. */
	a = v4(10, 99, 0, 2);
	assert_null(cg_nodes_name(NULL, &a));
	assert_int_equal(cg_nodes_count(NULL), 0);
	assert_int_equal(cg_nodes_from(NULL, 0, &s), 0);
	assert_null(cg_nodes_name(s, &a));
	assert_int_equal(cg_nodes_nodes(s), 0);
	cg_nodes_close(s);
	cg_nodes_close(NULL);
}

/* A parsed file straight into lookups: one node, two families. */
static void test_parse_then_lookup(void **state)
{
	struct cg_node_entry *e;
	struct cg_nodes *s;
	struct cg_addr a;
	char err[512];
	size_t n;

	(void)state;
	assert_int_equal(parse_text("10.99.0.3 node-3\nfd99::3 node-3\n10.99.0.2 node-2\n",
				    &e, &n, err), 0);
	assert_int_equal(cg_nodes_from(e, n, &s), 0);
	free(e);
	assert_int_equal(cg_nodes_count(s), 3);
	assert_int_equal(cg_nodes_nodes(s), 2);
	a = v6(3);
	assert_string_equal(cg_nodes_name(s, &a), "node-3");
	a = v4(10, 99, 0, 3);
	assert_string_equal(cg_nodes_name(s, &a), "node-3");
	cg_nodes_close(s);
}

/* ------------------------------------------------------------ rendering */

static char *render(int json, const struct cg_node_entry *e, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	if (json)
		assert_int_equal(cg_render_nodes_json(f, e, n, 1000), 0);
	else
		cg_render_nodes_table(f, e, n);
	fclose(f);
	return buf;
}

static void test_render(void **state)
{
	struct cg_node_entry e[3] = {};
	char *out;

	(void)state;
	e[0].addr = v4(10, 99, 0, 1), strcpy(e[0].node.name, "node-1"), e[0].node.id = 1;
	e[0].node.ttl = 64, e[0].node.flags = CG_NODE_TTL_SET;
	e[1].addr = v6(1), strcpy(e[1].node.name, "node-1"), e[1].node.id = 1;
	e[1].node.ttl = 63;				/* learned */
	e[2].addr = v4(10, 99, 0, 2), strcpy(e[2].node.name, "n2"), e[2].node.id = 12;
	cg_nodes_sort(e, 3);				/* n2 first */
	out = render(0, e, 3);
	assert_string_equal(out,
		"NODE    ID  ADDRESS    TTL\n"
		"n2      12  10.99.0.2  - (not learned yet)\n"
		"node-1   1  10.99.0.1  64 (set)\n"
		"            fd99::1    63 (learned)\n"
		"2 nodes, 3 addresses\n");
	free(out);
	out = render(1, e, 3);
	assert_string_equal(out,
		"{\"version\":2,\"time_unix\":1000,\"nodes\":["
		"{\"name\":\"n2\",\"id\":12,\"addrs\":[{\"addr\":\"10.99.0.2\",\"ttl\":null,"
		"\"ttl_source\":null}]},"
		"{\"name\":\"node-1\",\"id\":1,\"addrs\":["
		"{\"addr\":\"10.99.0.1\",\"ttl\":64,\"ttl_source\":\"set\"},"
		"{\"addr\":\"fd99::1\",\"ttl\":63,\"ttl_source\":\"learned\"}]}]}\n");
	free(out);
	out = render(1, e, 0);
	assert_string_equal(out, "{\"version\":2,\"time_unix\":1000,\"nodes\":[]}\n");
	free(out);
	out = render(0, e, 0);
	assert_string_equal(out, "no known nodes (add them: csumguard nodes add ADDR NAME, or "
			    "csumguard nodes load FILE)\n");
	free(out);
}

/* Rows of stats carry the node's name: "node" in JSON (null when unknown),
 * a NODE column in the tables once any node is known. */
static void test_stats_names(void **state)
{
	struct cg_node_entry e[2] = {};
	struct cg_src_row rows[2] = {};
	struct cg_dst_row drows[1] = {};
	struct cg_iface_view v[2] = {};
	struct cg_nodes *s;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	e[0].addr = v4(10, 99, 0, 3), strcpy(e[0].node.name, "node-3"), e[0].node.id = 3;
	e[1].addr = v6(2), strcpy(e[1].node.name, "node-2"), e[1].node.id = 2;
	assert_int_equal(cg_nodes_from(e, 2, &s), 0);
	rows[0].addr = v4(10, 99, 0, 3), rows[0].st.packets = 5, rows[0].st.verdict[CG_V_OK] = 5;
	rows[1].addr = v4(10, 99, 0, 9), rows[1].st.packets = 1, rows[1].st.verdict[CG_V_OK] = 1;
	drows[0].addr = v6(2), drows[0].st.packets = 4, drows[0].st.state[CG_E_FINAL_OK] = 4;
	v[0].name = v[1].name = "up0";
	v[0].dir = CG_DIR_INGRESS, v[0].rows = rows, v[0].nrows = 2, v[0].nodes = s;
	v[1].dir = CG_DIR_EGRESS, v[1].drows = drows, v[1].ndrows = 1, v[1].nodes = s;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(cg_render_stats_json(f, v, 2, 0, 0), 0);
	fclose(f);
	assert_non_null(strstr(buf, "\"sources\":[{\"addr\":\"10.99.0.3\",\"node\":\"node-3\","
				    "\"packets\":5,"));
	assert_non_null(strstr(buf, "{\"addr\":\"10.99.0.9\",\"node\":null,\"packets\":1,"));
	assert_non_null(strstr(buf, "\"destinations\":[{\"addr\":\"fd99::2\",\"node\":"
				    "\"node-2\",\"packets\":4,"));
	free(buf);

	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	cg_render_stats_table(f, &v[0], 0);
	cg_render_stats_table(f, &v[1], 0);
	fclose(f);
	assert_non_null(strstr(buf, "\nSOURCE     NODE    PACKETS  OK  BAD"));
	assert_non_null(strstr(buf, "\n10.99.0.3  node-3        5   5    0"));
	assert_non_null(strstr(buf, "\n10.99.0.9  -             1   1    0"));
	assert_non_null(strstr(buf, "\nDEST     NODE    PACKETS"));
	assert_non_null(strstr(buf, "\nfd99::2  node-2        4"));
	free(buf);

	/* no known nodes: no NODE column, as before */
	v[0].nodes = NULL;
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	cg_render_stats_table(f, &v[0], 0);
	fclose(f);
	assert_non_null(strstr(buf, "\nSOURCE     PACKETS  OK  BAD"));
	free(buf);
	cg_nodes_close(s);
}

/* ------------------------------------------------------- command line */

static void test_cli(void **state)
{
	char err[CG_ERR_LEN];
	struct cg_cli c;
	struct cg_addr want = v6(7);

	(void)state;
	assert_int_equal(PARSE(&c, err, "nodes", "add", "fd99::7", "node-7", "--ttl", "61"), 0);
	assert_int_equal(c.cmd, CG_CMD_NODES);
	assert_int_equal(c.nodes.sub, CG_NODES_ADD);
	assert_memory_equal(&c.nodes.addr, &want, sizeof(want));
	assert_string_equal(c.nodes.arg[1], "node-7");
	assert_int_equal(c.nodes.ttl, 61);
	assert_int_equal(PARSE(&c, err, "nodes", "add", "fd99::7", "node-7", "--ttl=learn"), 0);
	assert_int_equal(c.nodes.ttl, -1);
	assert_int_equal(PARSE(&c, err, "nodes", "del", "node-7"), 0);
	assert_int_equal(c.nodes.sub, CG_NODES_DEL);
	assert_int_equal(PARSE(&c, err, "nodes", "list", "-j"), 0);
	assert_int_equal(c.nodes.sub, CG_NODES_LIST);
	assert_int_equal(c.json, 1);
	assert_int_equal(PARSE(&c, err, "nodes", "load", "/etc/csumguard/nodes"), 0);
	assert_int_equal(c.nodes.sub, CG_NODES_LOAD);
	assert_string_equal(c.nodes.arg[0], "/etc/csumguard/nodes");
	assert_int_equal(PARSE(&c, err, "attach", "eth0", "--nodes", "/tmp/n"), 0);
	assert_string_equal(c.attach.nodes_file, "/tmp/n");

	assert_int_equal(PARSE(&c, err, "nodes"), -1);
	assert_string_equal(err, "nodes needs a subcommand; use nodes add ADDR NAME, nodes del "
			    "ADDR|NAME, nodes list, nodes load FILE");
	assert_int_equal(PARSE(&c, err, "nodes", "show"), -1);
	assert_string_equal(err, "unknown nodes subcommand 'show'; use nodes add ADDR NAME, "
			    "nodes del ADDR|NAME, nodes list, nodes load FILE");
	assert_int_equal(PARSE(&c, err, "nodes", "add", "10.0.0.1"), -1);
	assert_string_equal(err, "nodes add takes 2 arguments; use nodes add ADDR NAME, e.g. "
			    "csumguard nodes add 10.0.3.17 node-17");
	assert_int_equal(PARSE(&c, err, "nodes", "list", "x"), -1);
	assert_string_equal(err, "nodes list takes 0 arguments; use nodes list");
	assert_int_equal(PARSE(&c, err, "nodes", "add", "10.0.0", "n"), -1);
	assert_string_equal(err, "bad address '10.0.0'; give one IPv4 or IPv6 address, e.g. "
			    "10.0.3.17 or fd00::17 (no prefix length, no host name)");
	assert_int_equal(PARSE(&c, err, "nodes", "add", "ff02::1", "n"), -1);
	assert_string_equal(err, "ff02::1 is a multicast address, never the source of a packet; "
			    "give the node's unicast underlay address");
	assert_int_equal(PARSE(&c, err, "nodes", "add", "10.0.0.1", "n n"), -1);
	assert_string_equal(err, "bad node name 'n n': it has a character other than letters, "
			    "digits, '.', '-', '_'; use letters, digits, '.', '-', '_' (up to 63, "
			    "starting with a letter or digit), e.g. node-17");
	assert_int_equal(PARSE(&c, err, "nodes", "add", "10.0.0.1", "n", "--ttl", "0"), -1);
	assert_string_equal(err, "bad --ttl '0'; give the TTL the node's packets arrive with, "
			    "1..255, or --ttl learn");
	assert_int_equal(PARSE(&c, err, "nodes", "del", "n", "--ttl", "3"), -1);
	assert_string_equal(err, "--ttl goes with nodes add; in a nodes file write 'ADDR NAME "
			    "ttl=N'");
	assert_int_equal(PARSE(&c, err, "nodes", "load", "f", "--json"), -1);
	assert_string_equal(err, "--json goes with nodes list");
	assert_int_equal(PARSE(&c, err, "attach", "eth0", "--nodes", ""), -1);
	assert_string_equal(err, "--nodes needs a file name; e.g. --nodes /etc/csumguard/nodes");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_too_many),
		cmocka_unit_test(test_parse_file),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_parse_then_lookup),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_stats_names),
		cmocka_unit_test(test_cli),
	};

	return CG_UNIT_RUN(tests, argc, argv);
}
