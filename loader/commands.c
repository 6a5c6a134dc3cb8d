// SPDX-License-Identifier: GPL-2.0
/*
 * commands.c - every command of csumguard as a row, with its options as a
 * table (params.h). The parser and every --help text come from these rows.
 * To add a command: an options struct in cli.h, an id in enum cg_cmd, its
 * options and row here, and its cmd_*.c.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include "err.h"
#include "cli.h"
#include "memsize.h"
#include "cmds.h"
#include "attach.h"
#include "ledger.h"
#include "agent.h"
#include "metrics.h"
#include "names.h"
#include "nodes.h"
#include "params.h"

/* a bad value: -1 and the "<cause>; <fix>" line (lib/err.h) */
#define ERR(...) return cg_errf(err, errlen, -1, __VA_ARGS__)

/* ---------------------------------------------------------- value checks */

static int valid_ifname(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n >= IFNAMSIZ || !strcmp(s, ".") || !strcmp(s, ".."))
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == ':' || isspace((unsigned char)s[i]) ||
		    !isprint((unsigned char)s[i]))
			return 0;
	return 1;
}

static int valid_reason(const char *s, char *err, size_t errlen)
{
	size_t n = strlen(s), i, l;

	if (n >= CG_BLOCK_REASON_LEN)
		ERR("--reason is %zu bytes; at most %d", n, CG_BLOCK_REASON_LEN - 1);
	for (i = 0; i < n; i += l) {
		const unsigned char *p = (const unsigned char *)s + i;

		l = cg_utf8_len(p, n - i);
		if (!l)
			ERR("--reason is not valid UTF-8 (byte 0x%02x at %zu); use plain text",
			    p[0], i);
		/* C0, DEL and C1 (U+0080..U+009F) control terminals */
		if (p[0] < 0x20 || p[0] == 0x7f || (l == 2 && p[0] == 0xc2 && p[1] < 0xa0))
			ERR("--reason contains a control character; use plain text");
	}
	return 0;
}

/* ------------------------------------------------------- global options */

static int set_pin_dir(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	if (!*v)
		ERR("--pin-dir is empty; give a directory under /sys/fs/bpf");
	cli->pin_dir = v;
	return 0;
}

static int set_verbose(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	cli->verbose = 1;
	return 0;
}

const struct cg_opt cg_global_opts[] = {
	{ "--pin-dir", NULL, "DIR", 0,
	  "--pin-dir DIR\tpinned state (default " CG_PIN_DIR_DEFAULT ",\n"
	  "\tor $" CG_PIN_DIR_ENV ")\n", set_pin_dir },
	{ "--verbose", "-v", NULL, 0,
	  "--verbose\tprint libbpf and libxdp messages (the verifier log)\n", set_verbose },
	{ NULL },
};

/* Handled before any table: shown with the global options. */
const char cg_help_global_extra[] =
	"--version\tprint the version\n"
	"--help\tthis text; COMMAND --help describes one command\n";

const char cg_help_intro[] =
"Usage: csumguard [--pin-dir DIR] [--verbose] COMMAND [ARGS]\n"
"\n"
"Audits the outer UDP checksums of VXLAN, Geneve and GUE traffic in XDP and\n"
"counts the verdicts per source node. The datapath and its counters stay\n"
"pinned in bpffs after the command exits.\n";

const char cg_help_notes[] =
"Needs root: attach and detach need CAP_SYS_ADMIN and CAP_NET_ADMIN (libxdp\n"
"finds the XDP programs on an interface by id, which the kernel allows only\n"
"with CAP_SYS_ADMIN); stats, block, unblock and blocklist need CAP_BPF (stats\n"
"says when, without CAP_SYS_ADMIN, it cannot tell whether IFACE is attached).\n"
"`ip netns exec` gives the command a private /sys, so pins made there vanish:\n"
"in a network namespace, run `nsenter --net=/run/netns/NAME csumguard ...`.\n";

/* ---------------------------------------------------------------- attach */

static int set_mode(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	if (cg_mode_from_name(v) < 0)
		ERR("bad --mode '" CG_QUOTE "'; use --mode monitor or --mode drop", CG_QUOTED(v));
	cli->attach.mode = (enum cg_mode)cg_mode_from_name(v);
	return 0;
}

static int set_xdp_mode(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	if (!strcmp(v, "native") || !strcmp(v, "drv"))
		cli->attach.xdp_mode = CG_XDP_NATIVE;
	else if (!strcmp(v, "skb") || !strcmp(v, "generic"))
		cli->attach.xdp_mode = CG_XDP_SKB;
	else
		ERR("bad --xdp-mode '" CG_QUOTE "'; use --xdp-mode native or --xdp-mode skb",
		    CG_QUOTED(v));
	return 0;
}

static int set_port(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	struct cg_attach_opts *a = &cli->attach;

	if (a->nports >= CG_PORTS_MAX)
		ERR("too many --port options; at most %d", CG_PORTS_MAX);
	if (cg_parse_port_spec(v, &a->ports[a->nports], err, errlen))
		return -1;
	a->nports++;
	return 0;
}

static int set_no_default_ports(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	cli->attach.no_default_ports = 1;
	return 0;
}

static int set_sources(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	unsigned long n;

	if (cg_parse_uint(v, CG_SOURCES_MIN, CG_SOURCES_MAX, &n))
		ERR("bad --sources '" CG_QUOTE "'; give a number from %u to %u", CG_QUOTED(v), CG_SOURCES_MIN,
		    CG_SOURCES_MAX);
	cli->attach.sources = (uint32_t)n;
	return 0;
}

static int set_memory(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	uint64_t n;

	if (cg_parse_bytes(v, &n) || !n)
		ERR("bad --memory '%s'; give a size such as 32M, 512K or 1G", v);
	cli->attach.memory = n;
	return 0;
}

static int set_repair(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	cli->attach.repair = 1;
	return 0;
}

static int set_sample(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	unsigned long n;

	if (cg_parse_uint(v, 1, CG_SAMPLE_MAX, &n))
		ERR("bad --sample '%s'; give N from 1 (every frame) to %u: one tunnel frame in N "
		    "is verified", v, CG_SAMPLE_MAX);
	cli->attach.sample = (uint32_t)n;
	return 0;
}

/* --ingress / --egress of attach and detach: restrict to that direction
 * (both given: both). */
static int set_ingress(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	if (cli->cmd == CG_CMD_ATTACH)
		cli->attach.dirs |= CG_DIRS_INGRESS;
	else
		cli->detach.dirs |= CG_DIRS_INGRESS;
	return 0;
}

static int set_egress(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	if (cli->cmd == CG_CMD_ATTACH)
		cli->attach.dirs |= CG_DIRS_EGRESS;
	else
		cli->detach.dirs |= CG_DIRS_EGRESS;
	return 0;
}

static int set_nodes_file(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	if (!*v)
		ERR("--nodes needs a file name; e.g. --nodes /etc/csumguard/nodes");
	cli->attach.nodes_file = v;
	return 0;
}

static int set_drop_unknown(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	cli->attach.drop_unknown = 1;
	return 0;
}

static const struct cg_opt attach_opts[] = {
	{ "--mode", NULL, "monitor|drop", 0,
	  "--mode monitor\tcount only, pass every frame (default)\n"
	  "--mode drop\talso drop tunnel frames whose outer checksum is bad\n", set_mode },
	{ "--xdp-mode", NULL, "native|skb", 0,
	  "--xdp-mode native\tdriver mode (default)\n"
	  "--xdp-mode skb\tgeneric mode: any interface, slower\n", set_xdp_mode },
	{ "--port", NULL, "KIND:PORT", 1,
	  "--port KIND:PORT\talso audit UDP port PORT as KIND (vxlan, geneve, gue),\n"
	  "\te.g. --port gue:6080; repeatable\n", set_port },
	{ "--no-default-ports", NULL, NULL, 0,
	  "--no-default-ports\tdo not audit the defaults vxlan:4789, vxlan:8472,\n"
	  "\tgeneve:6081\n", set_no_default_ports },
	{ "--sources", NULL, "N", 0,
	  "--sources N\tsize of the per-source table, 16..1048576 (default: as many\n"
	  "\tas fit --memory); fixed once pinned: changing it needs\n"
	  "\t`detach IFACE --purge`\n", set_sources },
	{ "--memory", NULL, "SIZE", 0,
	  "--memory SIZE\tkernel memory for each per-node table, per-source\n"
	  "\t(ingress) and per-destination (egress); default 32M (K, M,\n"
	  "\tG): a value per possible CPU, so one budget holds fewer\n"
	  "\tnodes on a bigger machine; attach says how many\n", set_memory },
	{ "--ingress", NULL, NULL, 0,
	  "--ingress\tonly the XDP validator (incoming, per source)\n", set_ingress },
	{ "--egress", NULL, NULL, 0,
	  "--egress\tonly the TC egress program (outgoing, per destination);\n"
	  "\tneither: both directions\n", set_egress },
	{ "--nodes", NULL, "FILE", 0,
	  "--nodes FILE\treplace the known nodes by FILE ('ADDR NAME [ttl=N]' a\n"
	  "\tline; see nodes --help) before attaching\n", set_nodes_file },
	{ "--repair", NULL, NULL, 0,
	  "--repair\trewrite the outer UDP checksum of bad_outer_only frames\n"
	  "\t(inner packet intact) so the receiving kernel keeps them; never\n"
	  "\tany other frame, never at egress\n", set_repair },
	{ "--sample", NULL, "N", 0,
	  "--sample N\tverify one tunnel frame in N per CPU (default 1: all); the\n"
	  "\tothers pass, counted unverified (blocked sources still dropped)\n", set_sample },
	{ "--drop-unknown", NULL, NULL, 0,
	  "--drop-unknown\tdrop tunnel frames from sources that are not known\n"
	  "\tnodes (while any node is known; counted: drop_unknown)\n", set_drop_unknown },
	{ NULL },
};

static int iface_arg(const char **out, const char *arg, char *err, size_t errlen)
{
	if (!valid_ifname(arg))
		ERR("'" CG_QUOTE "' is not an interface name; list them with `ip link`",
		    CG_QUOTED(arg));
	*out = arg;
	return 0;
}

static int attach_pos(struct cg_cli *cli, int i, const char *arg, char *err, size_t errlen)
{
	return iface_arg(&cli->attach.iface, arg, err, errlen);
}

static int attach_check(struct cg_cli *cli, char *err, size_t errlen)
{
	struct cg_port_spec tab[CG_PORTS_MAX + CG_N_DEFAULT_PORTS];
	int n = cg_cli_port_table(&cli->attach, tab, (int)(sizeof(tab) / sizeof(tab[0])),
				  err, errlen);

	if (n < 0)
		return -1;
	if (n == 0)
		ERR("no tunnel port to audit; drop --no-default-ports or add --port KIND:PORT");
	return 0;
}

int cg_cli_port_table(const struct cg_attach_opts *a, struct cg_port_spec *out, int max,
		      char *err, size_t errlen)
{
	return cg_port_table(a->ports, a->nports, a->no_default_ports, out, max, err, errlen);
}

/* ---------------------------------------------------------------- detach */

static int set_purge(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	cli->detach.purge = 1;
	return 0;
}

static const struct cg_opt detach_opts[] = {
	{ "--purge", NULL, NULL, 0,
	  "--purge\talso delete the pinned counters and settings of IFACE (never\n"
	  "\twhile a csumguard program still uses them)\n", set_purge },
	{ "--ingress", NULL, NULL, 0,
	  "--ingress\tonly the XDP validator\n", set_ingress },
	{ "--egress", NULL, NULL, 0,
	  "--egress\tonly the TC egress filter; neither: every direction\n"
	  "\tattached (--purge: every direction's state)\n", set_egress },
	{ NULL },
};

static int detach_pos(struct cg_cli *cli, int i, const char *arg, char *err, size_t errlen)
{
	return iface_arg(&cli->detach.iface, arg, err, errlen);
}

/* ----------------------------------------------------- stats, blocklist */

static int set_json(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	cli->json = 1;
	return 0;
}

static int set_watch(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	unsigned long n;

	if (cg_parse_uint(v, 1, CG_WATCH_MAX, &n))
		ERR("bad --watch '" CG_QUOTE "'; give whole seconds from 1 to %d", CG_QUOTED(v),
		    CG_WATCH_MAX);
	cli->stats.watch = (unsigned int)n;
	return 0;
}

static int set_sort(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	if (!strcmp(v, "bad"))
		cli->stats.sort = CG_SORT_BAD;
	else if (!strcmp(v, "packets"))
		cli->stats.sort = CG_SORT_PACKETS;
	else
		ERR("bad --sort '" CG_QUOTE "'; use --sort bad or --sort packets", CG_QUOTED(v));
	return 0;
}

#define JSON_OPT(what) \
	{ "--json", "-j", NULL, 0, "--json, -j\t" what "\n", set_json }

/* As bpftool's --pretty: indented JSON, and it implies --json. */
static int set_pretty(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	cli->json = 1;
	cli->pretty = 1;
	return 0;
}

#define PRETTY_OPT \
	{ "--pretty", "-p", NULL, 0, "--pretty, -p\tthe JSON indented for reading (implies --json)\n", \
	  set_pretty }

static int set_wide(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	cli->stats.wide = 1;
	return 0;
}

static int set_since(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	cli->stats.since = 1;
	return 0;
}

static int set_reset(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	cli->stats.reset = 1;
	cli->stats.since = 1;
	return 0;
}

static const struct cg_opt stats_opts[] = {
	JSON_OPT("one JSON document per snapshot (schema: loader/README.md)"),
	{ "--watch", NULL, "SECONDS", 0,
	  "--watch SECONDS\tredraw every SECONDS (1..3600) until Ctrl-C\n", set_watch },
	{ "--sort", NULL, "bad|packets", 0,
	  "--sort bad\tmost bad checksums first (default)\n"
	  "--sort packets\tmost packets first\n", set_sort },
	PRETTY_OPT,
	{ "--wide", NULL, NULL, 0,
	  "--wide\t--watch shows every column, however wide\n", set_wide },
	{ "--reset", NULL, NULL, 0,
	  "--reset\trecord the counters now as the baseline (pinned in the\n"
	  "\tpin dir), then show what comes after it\n", set_reset },
	{ "--since", NULL, NULL, 0,
	  "--since\tcounts since the baseline of --reset instead of since\n"
	  "\tattach: a fix shows as 0 at once\n", set_since },
	{ NULL },
};

static int stats_pos(struct cg_cli *cli, int i, const char *arg, char *err, size_t errlen)
{
	return iface_arg(&cli->stats.iface, arg, err, errlen);
}

static const struct cg_opt blocklist_opts[] = {
	JSON_OPT("one JSON document (schema: loader/README.md)"),
	{ NULL },
};

/* -------------------------------------------------------- block, unblock */

static int set_reason(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	if (valid_reason(v, err, errlen))
		return -1;
	cli->block.reason = *v ? v : NULL;	/* an empty reason is none */
	return 0;
}

static int set_all_traffic(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	cli->block.all_traffic = 1;
	return 0;
}

/*
 * A duration: whole seconds, or a number with s, m, h or d ("90", "10m",
 * "2h", "1d"). 0 or -1.
 */
int cg_parse_duration(const char *v, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long n;
	uint64_t mult = 1;
	char *end;

	if (!isdigit((unsigned char)v[0]))
		return -1;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno)
		return -1;
	if (*end) {
		if (end[1])
			return -1;
		switch (*end) {
		case 's': mult = 1; break;
		case 'm': mult = 60; break;
		case 'h': mult = 3600; break;
		case 'd': mult = 86400; break;
		default: return -1;
		}
	}
	if (n > max / mult || n * mult < min)
		return -1;
	*out = n * mult;
	return 0;
}

static int set_block_ttl(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	if (cg_parse_duration(v, 1, CG_BLOCK_TTL_MAX, &cli->block.ttl_s))
		ERR("bad --ttl '%s'; give how long the block lasts: seconds, or with s, m, h, d "
		    "(e.g. 600, 10m, 2h; at most 366d)", v);
	return 0;
}

static const struct cg_opt block_opts[] = {
	{ "--reason", NULL, "TEXT", 0,
	  "--reason TEXT\ta note for the operators (up to 47 bytes)\n", set_reason },
	{ "--all-traffic", NULL, NULL, 0,
	  "--all-traffic\tdrop every IP frame from ADDR, not only tunnel frames\n"
	  "\t(this also cuts SSH, kubelet and health checks from it)\n", set_all_traffic },
	{ "--ttl", NULL, "DURATION", 0,
	  "--ttl DURATION\tunblock it by itself after DURATION (600, 10m, 2h, 1d);\n"
	  "\twithout it a block lasts until unblock\n", set_block_ttl },
	{ NULL },
};

static int addr_pos(struct cg_cli *cli, int i, const char *arg, char *err, size_t errlen)
{
	const char *why;

	cli->block.addr_str = arg;
	if (cg_parse_addr(arg, &cli->block.addr))
		ERR("bad address '" CG_QUOTE "'; give one IPv4 or IPv6 address, "
		    "e.g. 10.0.3.17 or fd00::17 (no prefix length, no host name)", CG_QUOTED(arg));
	/* unblock takes anything, so an old entry can always go */
	if (cli->cmd == CG_CMD_BLOCK && (why = cg_addr_not_a_source(&cli->block.addr)))
		ERR("%s is %s, never the source of a packet; give a node's unicast "
		    "address, e.g. 10.0.3.17", arg, why);
	return 0;
}

/* ----------------------------------------------------------------- ledger */

static int ledger_addr(struct cg_addr *tab, int *n, const char *opt, const char *v, char *err,
		       size_t errlen)
{
	if (*n >= CG_LEDGER_ADDRS_MAX)
		ERR("too many %s options; at most %d", opt, CG_LEDGER_ADDRS_MAX);
	if (cg_parse_addr(v, &tab[*n]))
		ERR("bad %s '" CG_QUOTE "'; give one IPv4 or IPv6 address, e.g. 10.0.3.17 or "
		    "fd00::17", opt, CG_QUOTED(v));
	(*n)++;
	return 0;
}

static int set_a_addr(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	return ledger_addr(cli->ledger.a_addrs, &cli->ledger.na, "--a-addr", v, err, errlen);
}

static int set_b_addr(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	return ledger_addr(cli->ledger.b_addrs, &cli->ledger.nb, "--b-addr", v, err, errlen);
}

static int set_max_gap(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	unsigned long n;

	if (cg_parse_uint(v, 0, 86400, &n))
		ERR("bad --max-gap '" CG_QUOTE "'; give whole seconds from 0 to 86400", CG_QUOTED(v));
	cli->ledger.max_gap = (int64_t)n;
	return 0;
}

static const struct cg_opt ledger_opts[] = {
	JSON_OPT("one JSON document (schema: loader/README.md)"),
	{ "--a-addr", NULL, "ADDR", 1,
	  "--a-addr ADDR\talso an underlay address of A (its snapshot lists its\n"
	  "\tinterfaces' addresses); repeatable\n", set_a_addr },
	{ "--b-addr", NULL, "ADDR", 1,
	  "--b-addr ADDR\tthe same for B\n", set_b_addr },
	{ "--max-gap", NULL, "SECONDS", 0,
	  "--max-gap SECONDS\tsnapshots further apart are flagged (default 10)\n",
	  set_max_gap },
	{ NULL },
};

static int ledger_pos(struct cg_cli *cli, int i, const char *arg, char *err, size_t errlen)
{
	if (!*arg)
		ERR("an empty file name; give the snapshot files of A and B");
	if (i == 0)
		cli->ledger.a_path = arg;
	else
		cli->ledger.b_path = arg;
	return 0;
}

static int ledger_check(struct cg_cli *cli, char *err, size_t errlen)
{
	if (!strcmp(cli->ledger.a_path, "-") && !strcmp(cli->ledger.b_path, "-"))
		ERR("both snapshots from standard input; give at most one as '-'");
	return 0;
}

/* ------------------------------------------------------------------ agent */

static int set_config(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	if (!*v)
		ERR("--config is empty; give the agent's configuration file, e.g. "
		    "/etc/csumguard/agent.conf");
	cli->agent.config = v;
	return 0;
}

static int set_listen(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	struct sockaddr_storage ss;

	if (cg_listen_parse(v, &ss, err, errlen))
		return -1;
	cli->agent.listen = v;
	return 0;
}

static int set_textfile(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	size_t n = strlen(v);

	if (n < 6 || strcmp(v + n - 5, ".prom"))
		ERR("bad --textfile '%s'; node_exporter reads only *.prom files, e.g. "
		    "/var/lib/node_exporter/textfile_collector/csumguard.prom", v);
	cli->agent.textfile = v;
	return 0;
}

static int set_metrics_sources(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	struct cg_metrics_sel sel = { 0 };

	if (cg_metrics_parse_sources(v, &sel, err, errlen))
		return -1;
	cli->agent.msrc_mode = (int)sel.mode;
	cli->agent.msrc_top = sel.top_k;
	return 0;
}

static int set_metrics_window(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	unsigned long n;

	if (cg_parse_uint(v, 60, 90 * 86400, &n))
		ERR("bad --metrics-window '%s'; give seconds from 60 to 7776000 (90 days)", v);
	cli->agent.window = (unsigned int)n;
	return 0;
}

static int set_interval(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	unsigned long n;

	if (cg_parse_uint(v, 1, 3600, &n))
		ERR("bad --interval '%s'; give whole seconds from 1 to 3600", v);
	cli->agent.interval = (unsigned int)n;
	return 0;
}

static int set_node_name(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	if (!*v || strlen(v) > 253)
		ERR("bad --node-name '%s'; give the node's name (1 to 253 characters)", v);
	cli->agent.node_name = v;
	return 0;
}

/* --auto-block-*: the policy's settings (lib/policy.h) */
static int set_auto_block(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	cli->agent.auto_block = 1;
	return 0;
}

/*
 * A percentage as parts per million: "1", "1%", "0.5", "12.25%" (up to 4
 * decimals), from min to max ppm. 0, or -1.
 */
int cg_parse_percent(const char *v, uint32_t min, uint32_t max, uint32_t *ppm)
{
	uint64_t whole = 0, frac = 0, scale = 10000;
	const char *p = v;
	int digits = 0;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p) && whole <= 100; p++)
		whole = whole * 10 + (uint64_t)(*p - '0');
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++, digits++) {
			if (digits >= 4)
				return -1;
			scale /= 10;
			frac += (uint64_t)(*p - '0') * scale;
		}
		if (!digits)
			return -1;
	}
	if (*p == '%')
		p++;
	if (*p || whole > 100)
		return -1;
	whole = whole * 10000 + frac;
	if (whole < min || whole > max)
		return -1;
	*ppm = (uint32_t)whole;
	return 0;
}

static int set_ab_window(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	uint64_t s;

	cli->agent.auto_block_opts = 1;
	if (cg_parse_duration(v, 1, 86400, &s))
		ERR("bad --auto-block-window '%s'; give the sliding window, 1 s to 1 d (e.g. 60, "
		    "2m)", v);
	cli->agent.policy.window_s = (uint32_t)s;
	return 0;
}

static int set_ab_bad(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	unsigned long n;

	cli->agent.auto_block_opts = 1;
	if (cg_parse_uint(v, 1, 1000000000, &n))
		ERR("bad --auto-block-bad '%s'; give the bad packets a window must hold, at least "
		    "1 (e.g. 100)", v);
	cli->agent.policy.min_bad = n;
	return 0;
}

static int set_ab_ratio(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	cli->agent.auto_block_opts = 1;
	if (cg_parse_percent(v, 1, 1000000, &cli->agent.policy.min_ratio_ppm))
		ERR("bad --auto-block-ratio '%s'; give the bad ratio in percent, above 0 and up to "
		    "100, e.g. 1 or 0.5%%", v);
	return 0;
}

static int set_ab_ttl(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	uint64_t s;

	cli->agent.auto_block_opts = 1;
	if (cg_parse_duration(v, 1, 7 * 86400, &s))
		ERR("bad --auto-block-ttl '%s'; give how long an auto-block lasts, 1 s to 7 d "
		    "(e.g. 600, 10m)", v);
	cli->agent.policy.block_s = (uint32_t)s;
	return 0;
}

static int set_ab_share(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	cli->agent.auto_block_opts = 1;
	if (cg_parse_percent(v, 0, 1000000, &cli->agent.policy.max_share_ppm))
		ERR("bad --auto-block-max-share '%s'; give the share of known nodes that may be "
		    "auto-blocked at once, in percent from 0 to 100, e.g. 10", v);
	return 0;
}

static int agent_check(struct cg_cli *cli, char *err, size_t errlen)
{
	if (cli->agent.auto_block_opts && !cli->agent.auto_block)
		ERR("the --auto-block-* options set the auto-block policy; add --auto-block to "
		    "run it");
	return 0;
}

static const struct cg_opt agent_opts[] = {
	{ "--config", NULL, "FILE", 0,
	  "--config FILE\twhat to attach, and how (see below); without\n"
	  "\tit the agent serves what is pinned already\n", set_config },
	{ "--listen", NULL, "ADDR:PORT", 0,
	  "--listen ADDR:PORT\twhere /metrics, /healthz and /readyz are\n"
	  "\tserved (default " CG_AGENT_LISTEN_DEFAULT "; :PORT: every address)\n",
	  set_listen },
	{ "--textfile", NULL, "PATH", 0,
	  "--textfile PATH\talso write the metrics to PATH (*.prom) every\n"
	  "\tinterval, for node_exporter's textfile collector\n"
	  "\t(a temporary file renamed over it)\n", set_textfile },
	{ "--metrics-sources", NULL, "all|nonok|top:K", 0,
	  "--metrics-sources nonok\tper-address series only for sources and\n"
	  "\tdestinations with a non-ok count within\n"
	  "\t--metrics-window (default)\n"
	  "--metrics-sources all\tevery one (grows as nodes^2 in a fleet)\n"
	  "--metrics-sources top:K\tof the non-ok ones, the K with the most\n"
	  "\tnon-ok packets\n", set_metrics_sources },
	{ "--metrics-window", NULL, "SECONDS", 0,
	  "--metrics-window SECONDS\thow long a row keeps its series after its\n"
	  "\tlast non-ok count (default 86400)\n", set_metrics_window },
	{ "--interval", NULL, "SECONDS", 0,
	  "--interval SECONDS\tthe tick: textfile and policy hook every\n"
	  "\tSECONDS (default 10)\n", set_interval },
	{ "--node-name", NULL, "NAME", 0,
	  "--node-name NAME\tthis node's name in csumguard_agent_info\n"
	  "\t(default $NODE_NAME, else the host name)\n", set_node_name },
	{ "--auto-block", NULL, NULL, 0,
	  "--auto-block\tblock known nodes that send bad checksums, every\n"
	  "\ttick, by the rule below (README: Threat model)\n", set_auto_block },
	{ "--auto-block-window", NULL, "SECONDS", 0,
	  "--auto-block-window SECONDS\tthe sliding window (default 60)\n", set_ab_window },
	{ "--auto-block-bad", NULL, "N", 0,
	  "--auto-block-bad N\tbad packets in the window, at least (default 100)\n",
	  set_ab_bad },
	{ "--auto-block-ratio", NULL, "PERCENT", 0,
	  "--auto-block-ratio PERCENT\tbad share of the checked packets, at least\n"
	  "\t(default 1)\n", set_ab_ratio },
	{ "--auto-block-ttl", NULL, "DURATION", 0,
	  "--auto-block-ttl DURATION\thow long a block lasts (default 600); then\n"
	  "\ton probation: a trip within a window blocks it\n"
	  "\tagain for twice as long\n", set_ab_ttl },
	{ "--auto-block-max-share", NULL, "PERCENT", 0,
	  "--auto-block-max-share PERCENT\tknown nodes auto-blocked at once, at most\n"
	  "\t(default 10, rounded down)\n", set_ab_share },
	{ NULL },
};


/* ------------------------------------------------------------------ nodes */

static int set_ttl(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	unsigned long n;

	if (!strcmp(v, "learn")) {
		cli->nodes.ttl = -1;
		return 0;
	}
	if (cg_parse_uint(v, 1, 255, &n))
		ERR("bad --ttl '%s'; give the TTL the node's packets arrive with, 1..255, or "
		    "--ttl learn", v);
	cli->nodes.ttl = (int)n;
	return 0;
}

static const struct cg_opt nodes_opts[] = {
	JSON_OPT("list: one JSON document (schema: loader/README.md)"),
	{ "--ttl", NULL, "N", 0,
	  "--ttl N\tadd: the IP TTL / hop limit ADDR's tunnel packets arrive\n"
	  "\twith (1..255), never learned over; --ttl learn: learn it\n"
	  "\tagain (default: keep, or learn for a new address)\n", set_ttl },
	{ NULL },
};

static const struct {
	const char *word;
	enum cg_nodes_sub sub;
	int nargs;
	const char *usage;
} nodes_subs[] = {
	{ "add", CG_NODES_ADD, 2, "nodes add ADDR NAME, e.g. csumguard nodes add 10.0.3.17 node-17" },
	{ "del", CG_NODES_DEL, 1, "nodes del ADDR|NAME, e.g. csumguard nodes del node-17" },
	{ "list", CG_NODES_LIST, 0, "nodes list" },
	{ "load", CG_NODES_LOAD, 1, "nodes load FILE, e.g. csumguard nodes load /etc/csumguard/nodes" },
};

#define NODES_SUBS_HINT "nodes add ADDR NAME, nodes del ADDR|NAME, nodes list, nodes load FILE"

static int nodes_pos(struct cg_cli *cli, int i, const char *arg, char *err, size_t errlen)
{
	struct cg_nodes_opts *o = &cli->nodes;
	size_t k;

	if (i == 0) {
		for (k = 0; k < sizeof(nodes_subs) / sizeof(nodes_subs[0]); k++)
			if (!strcmp(arg, nodes_subs[k].word))
				o->sub = nodes_subs[k].sub;
		if (!o->sub)
			ERR("unknown nodes subcommand '%s'; use " NODES_SUBS_HINT, arg);
		return 0;
	}
	o->arg[o->nargs++] = arg;
	return 0;
}

static int nodes_check(struct cg_cli *cli, char *err, size_t errlen)
{
	struct cg_nodes_opts *o = &cli->nodes;
	const char *why;
	size_t k;

	if (!o->sub)
		ERR("nodes needs a subcommand; use " NODES_SUBS_HINT);
	for (k = 0; nodes_subs[k].sub != o->sub; k++)
		;
	if (o->nargs != nodes_subs[k].nargs)
		ERR("nodes %s takes %d argument%s; use %s", nodes_subs[k].word, nodes_subs[k].nargs,
		    nodes_subs[k].nargs == 1 ? "" : "s", nodes_subs[k].usage);
	if (o->ttl && o->sub != CG_NODES_ADD)
		ERR("--ttl goes with nodes add; in a nodes file write 'ADDR NAME ttl=N'");
	if (cli->json && o->sub != CG_NODES_LIST)
		ERR("--json goes with nodes list");
	if (o->sub == CG_NODES_ADD) {
		if (cg_parse_addr(o->arg[0], &o->addr))
			ERR("bad address '%s'; give one IPv4 or IPv6 address, e.g. 10.0.3.17 or "
			    "fd00::17 (no prefix length, no host name)", o->arg[0]);
		if ((why = cg_addr_not_a_source(&o->addr)))
			ERR("%s is %s, never the source of a packet; give the node's unicast "
			    "underlay address", o->arg[0], why);
		if ((why = cg_node_name_invalid(o->arg[1])))
			ERR("bad node name '%s': %s; use letters, digits, '.', '-', '_' (up to "
			    "63, starting with a letter or digit), e.g. node-17", o->arg[1], why);
	}
	if ((o->sub == CG_NODES_DEL || o->sub == CG_NODES_LOAD) && !*o->arg[0])
		ERR("an empty argument; use %s", nodes_subs[k].usage);
	return 0;
}

/* ------------------------------------------------------ diagnose, doctor */

static int set_diag_interval(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	unsigned long n;

	if (cg_parse_uint(v, 0, CG_WATCH_MAX, &n))
		ERR("bad --interval '%s'; give whole seconds from 0 to %d", v, CG_WATCH_MAX);
	cli->diagnose.interval = (unsigned int)n;
	return 0;
}

static const struct cg_opt diagnose_opts[] = {
	JSON_OPT("one JSON document (schema: loader/README.md)"),
	PRETTY_OPT,
	{ "--interval", NULL, "SECONDS", 0,
	  "--interval SECONDS\tsample twice, SECONDS apart, for the rates now\n"
	  "\t(default 2; 0: one sample, no rates now)\n", set_diag_interval },
	{ NULL },
};

static int diagnose_pos(struct cg_cli *cli, int i, const char *arg, char *err, size_t errlen)
{
	return iface_arg(&cli->diagnose.iface, arg, err, errlen);
}

static const struct cg_opt doctor_opts[] = {
	JSON_OPT("one JSON document (schema: loader/README.md)"),
	PRETTY_OPT,
	{ NULL },
};

static int doctor_pos(struct cg_cli *cli, int i, const char *arg, char *err, size_t errlen)
{
	return iface_arg(&cli->doctor.iface, arg, err, errlen);
}

/* ----------------------------------------------------------------- trace */

#define CG_STR_(x) #x
#define CG_STR(x) CG_STR_(x)

static int set_trace_count(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	if (cg_parse_uint(v, 1, CG_TRACE_COUNT_MAX, &cli->trace.count))
		ERR("bad --count '%s'; give a number of events from 1 to %lu", v,
		    CG_TRACE_COUNT_MAX);
	return 0;
}

static int set_trace_pcap(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	if (!*v)
		ERR("--pcap is empty; give a file name, e.g. --pcap bad.pcapng");
	cli->trace.pcap = v;
	return 0;
}

static int set_trace_unfinished(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	cli->trace.unfinished = 1;
	return 0;
}

static int set_trace_timeout(struct cg_cli *cli, const char *v, char *err, size_t errlen)
{
	unsigned long n;

	if (cg_parse_uint(v, 1, CG_WATCH_MAX, &n))
		ERR("bad --timeout '%s'; give whole seconds from 1 to %d", v, CG_WATCH_MAX);
	cli->trace.timeout = (unsigned int)n;
	return 0;
}

static const struct cg_opt trace_opts[] = {
	{ "--count", "-c", "N", 0, "--count N, -c N	stop after N events (default: until\n"
	  "\tSIGINT or SIGTERM)\n", set_trace_count },
	{ "--pcap", NULL, "FILE", 0, "--pcap FILE\talso write them to FILE as pcapng (the\n"
	  "\tfirst " CG_STR(CG_TRACE_SNAP) " bytes, a comment with the verdict)\n",
	  set_trace_pcap },
	{ "--unfinished", NULL, NULL, 0, "--unfinished\tunfinished frames too, while it runs\n",
	  set_trace_unfinished },
	{ "--timeout", NULL, "SECONDS", 0, "--timeout SECONDS\tstop after SECONDS\n",
	  set_trace_timeout },
	JSON_OPT("one JSON object a line per event"),
	{ NULL },
};

static int trace_pos(struct cg_cli *cli, int i, const char *arg, char *err, size_t errlen)
{
	return iface_arg(&cli->trace.iface, arg, err, errlen);
}

/* ---------------------------------------------------------------- the rows */

const struct cg_command cg_commands[] = {
	{ CG_CMD_ATTACH, "attach", "IFACE", CG_POS_IFACE, 1, 1,
	  "attach the XDP validator and the TC egress program to IFACE",
	  "Attaches both directions of IFACE unless --ingress or --egress says one:\n"
	  "ingress, the XDP validator (per source node), through libxdp's dispatcher,\n"
	  "so XDP programs loaded through libxdp (xdp-loader, other tools) keep running\n"
	  "beside it (where the kernel refuses the dispatcher, libxdp attaches it alone\n"
	  "and attach says so); egress, the TC program (per destination node), as a\n"
	  "clsact egress filter beside any other tc filters (the clsact qdisc is added\n"
	  "if IFACE has none). Its maps are pinned under PIN_DIR/ifaces/IFACE, with a\n"
	  "record of where each direction went (network namespace, ifindex, program\n"
	  "id; for egress the filter's handle and pref). A later attach after a detach\n"
	  "reuses them: the counters continue. If one direction fails, the other is\n"
	  "taken back. Needs CAP_SYS_ADMIN and CAP_NET_ADMIN.\n",
	  "Blocklisted sources lose their tunnel frames in both modes (csumguard block).\n"
	  "The mode and the ports are the interface's, shared by both directions.\n",
	  attach_opts, attach_pos, attach_check, cmd_attach },
	{ CG_CMD_DETACH, "detach", "IFACE", CG_POS_IFACE, 1, 1,
	  "remove it; its counters stay pinned unless --purge",
	  "Removes csumguard's XDP program and its egress tc filter from IFACE; other\n"
	  "XDP programs and tc filters on it stay, and so does a clsact qdisc that was\n"
	  "there before attach (one attach added goes once nothing else is on it).\n"
	  "Only what uses this pin dir's state is removed, found by what attach\n"
	  "recorded: a renamed IFACE is followed (\"eth1 is now eth9\"); one in\n"
	  "another network namespace must be detached from there. The pinned counters\n"
	  "stay, so `stats` still shows them and a later `attach` continues them.\n"
	  "Needs CAP_SYS_ADMIN and CAP_NET_ADMIN.\n",
	  NULL, detach_opts, detach_pos, NULL, cmd_detach },
	{ CG_CMD_STATS, "stats", "[IFACE]", CG_POS_IFACE, 0, 1,
	  "totals and the per-source table, worst source first",
	  "Shows, for IFACE or every interface with pinned state, the totals and a\n"
	  "table of source nodes, worst first: packets, ok, bad, BAD% (bad out of the\n"
	  "checksums checked: ok + bad + unfinished), unfinished (offload never\n"
	  "finished: normal on veth, a NIC bug on a physical port), zero, fragment,\n"
	  "malformed, dropped, and how long ago the last bad one arrived.\n"
	  "With --watch on a terminal it is a live view: per interval the packet and\n"
	  "bad rates and BAD% beside the totals, redrawn in place, the worst sources\n"
	  "first, as many as the terminal holds (blocked ones marked B); into a pipe or\n"
	  "file, one timestamped line per interface and per source with bad checksums\n"
	  "in the interval. --reset records a baseline, --since counts from it: after\n"
	  "a fix the bad count starts from 0 at once.\n",
	  NULL, stats_opts, stats_pos, NULL, cmd_stats },
	{ CG_CMD_BLOCK, "block", "ADDR", CG_POS_ADDR, 1, 1,
	  "drop tunnel traffic from ADDR on every attached interface",
	  "Drops the tunnel frames whose outer source is ADDR (IPv4 or IPv6), on every\n"
	  "interface csumguard is attached to, in monitor and drop mode. The blocklist\n"
	  "is pinned at PIN_DIR/blocklist and is never evicted. Blocking an address\n"
	  "that is already blocked replaces its entry.\n",
	  NULL, block_opts, addr_pos, NULL, cmd_block },
	{ CG_CMD_UNBLOCK, "unblock", "ADDR", CG_POS_ADDR, 1, 1,
	  "remove ADDR from the blocklist",
	  "Removes ADDR from the blocklist; its traffic passes again at once.\n",
	  NULL, NULL, addr_pos, NULL, cmd_unblock },
	{ CG_CMD_BLOCKLIST, "blocklist", NULL, CG_POS_NONE, 0, 0,
	  "list the blocked addresses",
	  "Lists the blocked addresses: ADDR, SCOPE (tunnel or all), AGE, REASON.\n",
	  NULL, blocklist_opts, NULL, NULL, cmd_blocklist },
	{ CG_CMD_LEDGER, "ledger", "A.json B.json", CG_POS_FILES, 2, 2,
	  "what node A sent to node B beside what B received from A",
	  "Sets node A's egress counters for B (A's `stats --json`: per destination)\n"
	  "beside B's ingress counters for A (B's `stats --json`: per source): packets\n"
	  "sent, of them offloaded (the NIC finishes their checksum), arrived at B,\n"
	  "arrived bad, and the NIC's corruption rate = (arrived bad - already bad when\n"
	  "leaving A) / offloaded. Nodes are matched by their underlay addresses (the\n"
	  "\"addrs\" of the snapshots' interfaces, IPv4 and IPv6). Take A's snapshot\n"
	  "first, then B's, within --max-gap seconds: then sent - arrived is a lower\n"
	  "bound of the packets lost in between (B also counted what A sent after its\n"
	  "snapshot); in the other order it is an upper bound, and ledger says so.\n"
	  "A file may hold a --watch stream: its last line is used. '-' is stdin.\n",
	  NULL, ledger_opts, ledger_pos, ledger_check, cmd_ledger },
	{ CG_CMD_AGENT, "agent", NULL, CG_POS_NONE, 0, 0,
	  "run in the foreground: attach, serve Prometheus metrics, tick",
	  "Runs until SIGTERM or SIGINT, as systemd and Kubernetes run services: one\n"
	  "event a line on stderr. At start, and again on SIGHUP, it reads --config\n"
	  "and attaches each interface it names that csumguard is not attached to yet\n"
	  "(an attached one is adopted: its counters go on, its mode and ports are\n"
	  "set to the file's); without --config it serves whatever state is pinned.\n"
	  "It serves /metrics in the Prometheus text format (names: csumguard_*;\n"
	  "per-interface totals always, per-address series as --metrics-sources\n"
	  "says), /healthz and /readyz; every --interval it writes --textfile and\n"
	  "runs the policy hook. Exiting leaves the programs attached and their\n"
	  "counters pinned: a restarted agent continues them (csumguard detach\n"
	  "removes them). Needs CAP_SYS_ADMIN and CAP_NET_ADMIN to attach, CAP_BPF\n"
	  "to serve pinned state.\n",
	  "The --config file, one setting a line ('#' comments):\n"
	  "  interface NAME   attach NAME (repeatable); 'interface default-route':\n"
	  "                   the interface of the default route\n"
	  "  mode drop, port gue:6080, no-default-ports, xdp-mode skb, sources N,\n"
	  "  ingress, egress  as the options of attach\n"
	  "Deployment: deploy/ has a systemd unit, a Kubernetes DaemonSet, Prometheus\n"
	  "rules and a Grafana dashboard.\n",
	  agent_opts, NULL, agent_check, cmd_agent },
	{ CG_CMD_NODES, "nodes", "add|del|list|load", CG_POS_NONE, 0, 3,
	  "the known nodes: their names and addresses",
	  "Known nodes are the cluster's tunnel endpoints by name, kept per pin dir\n"
	  "(PIN_DIR/nodes, shared by every interface). stats shows their names.\n"
	  "  nodes add ADDR NAME   ADDR (IPv4 or IPv6) is node NAME; a node with\n"
	  "                        several addresses gets one add per address\n"
	  "  nodes del ADDR|NAME   forget one address, or every address of NAME\n"
	  "  nodes list            the nodes, their ids, addresses and TTLs\n"
	  "  nodes load FILE       replace the whole set by FILE ('-': stdin): one\n"
	  "                        'ADDR NAME' or 'ADDR NAME ttl=N' a line, '#'\n"
	  "                        comments; checked first, nothing changes on an\n"
	  "                        error; an address in both sets is never missing\n"
	  "TTL: the IP TTL / hop limit a node's tunnel packets arrive with. Set it\n"
	  "(ttl=N, --ttl N) or let it be learned from its good packets.\n",
	  NULL, nodes_opts, nodes_pos, nodes_check, cmd_nodes },
	{ CG_CMD_DIAGNOSE, "diagnose", "[IFACE]", CG_POS_IFACE, 0, 1,
	  "which nodes send bad checksums, since when, why, and what to do",
	  "Reads the counters of IFACE (or of every interface with pinned state) twice,\n"
	  "--interval seconds apart, and answers with rules over them: which source\n"
	  "nodes send bad outer UDP checksums, since when (first and last bad), how bad\n"
	  "now (over the interval) and since the counters started, whether their\n"
	  "payloads are intact (the bad classes, where the datapath counts them),\n"
	  "whether this node's kernel drops them anyway (Udp InCsumErrors of this\n"
	  "network namespace), what the evidence points to (the sender's NIC checksum\n"
	  "offload, the path, or this node's own stack: egress final_bad) and what to\n"
	  "do (the ethtool and firmware checks, csumguard block). Changes nothing.\n",
	  "Run it in the network namespace the interface is attached in (nsenter\n"
	  "--net=...): the kernel's counters it compares with are that namespace's.\n",
	  diagnose_opts, diagnose_pos, NULL, cmd_diagnose },
	{ CG_CMD_DOCTOR, "doctor", "IFACE", CG_POS_IFACE, 1, 1,
	  "the facts of IFACE that decide who writes tunnel checksums",
	  "Shows what decides the outer checksums on IFACE: its driver, version and\n"
	  "firmware (ethtool -i), the tx-udp_tnl-segmentation,\n"
	  "tx-udp_tnl-csum-segmentation and checksum features (ethtool -k) with what each\n"
	  "means for tunnel checksums, whether the driver runs XDP natively, bpffs and\n"
	  "kernel BTF, the kernel and the program variants it gets, what csumguard has\n"
	  "attached, and whether this node's own VXLAN and Geneve devices send zero or\n"
	  "computed outer checksums. Changes nothing.\n",
	  NULL, doctor_opts, doctor_pos, NULL, cmd_doctor },
	{ CG_CMD_TRACE, "trace", "[IFACE]", CG_POS_IFACE, 0, 1,
	  "the bad tunnel frames as they arrive, one line each",
	  "Prints each tunnel frame the datapath on IFACE (or on the one interface with\n"
	  "pinned state) judges bad or bad_ip_header, as it arrives: time, source (the\n"
	  "node name when known), tunnel and VNI or GUE protocol, the inner 5-tuple,\n"
	  "the stored and the expected outer checksum, verdict and class. They come\n"
	  "from a ring buffer the datapath fills only for bad frames, rate-limited in\n"
	  "the kernel (a burst of " CG_STR(CG_TRACE_BURST) ", then " CG_STR(CG_TRACE_RATE)
	  " a second, per CPU): what it held back is\n"
	  "counted and reported at the end (trace_suppressed, and trace_lost when the\n"
	  "ring was full). Events from before the start are skipped. One reader at a\n"
	  "time: two traces of one interface split its events between them.\n",
	  "--pcap files open in Wireshark and tshark; with UDP checksum validation on\n"
	  "(-o udp.check_checksum:TRUE) each frame's outer checksum shows bad.\n",
	  trace_opts, trace_pos, NULL, cmd_trace },
	{ 0 },
};

/* ------------------------------------------------------------ entry point */

int cg_cli_parse(int argc, char **argv, struct cg_cli *cli, char *err, size_t errlen)
{
	const char *env = getenv(CG_PIN_DIR_ENV);
	const struct cg_command *c = NULL;
	int i, r;

	memset(cli, 0, sizeof(*cli));
	cli->pin_dir = env && *env ? env : CG_PIN_DIR_DEFAULT;
	if (err && errlen)
		err[0] = '\0';

	/* Global options, then the command. */
	for (i = 1; i < argc; i++) {
		if ((r = cg_params_one(cg_global_opts, argc, argv, &i, cli, err, errlen))) {
			if (r < 0)
				return -1;
			continue;
		}
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h") ||
		    !strcmp(argv[i], "help")) {
			cli->cmd = CG_CMD_HELP;
			if (!strcmp(argv[i], "help") && i + 1 < argc &&
			    (c = cg_command_find(argv[i + 1])))
				cli->help_cmd = (enum cg_cmd)c->id;
			return 0;
		}
		if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-V")) {
			cli->cmd = CG_CMD_VERSION;
			return 0;
		}
		/* What `make install` writes, generated from the same rows as --help. */
		if (!strcmp(argv[i], "--man")) {
			cli->cmd = CG_CMD_MAN;
			return 0;
		}
		if (!strcmp(argv[i], "--completion-bash")) {
			cli->cmd = CG_CMD_COMPLETION;
			return 0;
		}
		if (argv[i][0] == '-')
			ERR("unknown option '" CG_QUOTE "'; see csumguard --help", CG_QUOTED(argv[i]));
		c = cg_command_find(argv[i]);
		if (!c) {
			char names[256] = "";
			const struct cg_command *k;

			for (k = cg_commands; k->name; k++)
				snprintf(names + strlen(names), sizeof(names) - strlen(names),
					 "%s%s", k == cg_commands ? "" : ", ", k->name);
			ERR("unknown command '" CG_QUOTE "'; commands: %s (csumguard --help)",
			    CG_QUOTED(argv[i]), names);
		}
		break;
	}
	if (!c)
		ERR("no command given; see csumguard --help");
	cli->cmd = (enum cg_cmd)c->id;
	/* Defaults of the command's options. */
	if (c->id == CG_CMD_ATTACH) {
		cli->attach.mode = CG_MODE_MONITOR;
		cli->attach.xdp_mode = CG_XDP_NATIVE;
	} else if (c->id == CG_CMD_STATS) {
		cli->stats.sort = CG_SORT_BAD;
	} else if (c->id == CG_CMD_LEDGER) {
		cli->ledger.max_gap = CG_LEDGER_MAX_GAP;
	} else if (c->id == CG_CMD_AGENT) {
		cli->agent.listen = CG_AGENT_LISTEN_DEFAULT;
		cli->agent.msrc_mode = CG_MSRC_NONOK;
		cli->agent.window = CG_METRICS_WINDOW_DEFAULT;
		cli->agent.interval = CG_AGENT_INTERVAL_DEFAULT;
		cg_policy_cfg_default(&cli->agent.policy);
	} else if (c->id == CG_CMD_DIAGNOSE) {
		cli->diagnose.interval = CG_DIAG_INTERVAL_DEFAULT;
	}
	r = cg_params_parse(c, argc, argv, i + 1, cli, err, errlen);
	if (r == 1) {
		cli->help_cmd = cli->cmd;
		cli->cmd = CG_CMD_HELP;
		return 0;
	}
	return r;
}

int cg_cli_run(const struct cg_cli *cli)
{
	const struct cg_command *c = cg_command_by_id(cli->cmd);

	if (!c)
		return cg_fail("no command given; see csumguard --help");
	return c->run(cli);
}

const char *cg_help_text(enum cg_cmd cmd)
{
	static char buf[8192];

	cg_params_help(cg_command_by_id(cmd), buf, sizeof(buf));
	return buf;
}

const char *cg_cmd_name(enum cg_cmd cmd)
{
	const struct cg_command *c = cg_command_by_id(cmd);

	return c ? c->name : "";
}

const char *cg_xdp_mode_name(enum cg_xdp_mode m)
{
	return m == CG_XDP_SKB ? "skb" : "native";
}
