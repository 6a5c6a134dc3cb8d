// SPDX-License-Identifier: GPL-2.0
/* cli.c - see cli.h. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include "cli.h"
#include "format.h"
#include "names.h"

int cg_fail(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("csumguard: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CG_EXIT_FAIL;
}

#define ERR(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)






/* ------------------------------------------------------------------ help */

static const char help_main[] =
"Usage: csumguard [--pin-dir DIR] [--verbose] COMMAND [ARGS]\n"
"\n"
"Audits the outer UDP checksums of VXLAN, Geneve and GUE traffic in XDP and\n"
"counts the verdicts per source node. The datapath and its counters stay\n"
"pinned in bpffs after the command exits.\n"
"\n"
"Commands:\n"
"  attach IFACE     load the XDP validator on IFACE (through libxdp)\n"
"  detach IFACE     remove it; its counters stay pinned unless --purge\n"
"  stats [IFACE]    totals and the per-source table, worst source first\n"
"  block ADDR       drop tunnel traffic from ADDR on every attached interface\n"
"  unblock ADDR     remove ADDR from the blocklist\n"
"  blocklist        list the blocked addresses\n"
"\n"
"Global options:\n"
"  --pin-dir DIR    pinned state (default " CG_PIN_DIR_DEFAULT ",\n"
"                   or $" CG_PIN_DIR_ENV ")\n"
"  --verbose        print libbpf and libxdp messages (the verifier log)\n"
"  --version        print the version\n"
"  --help           this text; COMMAND --help describes one command\n"
"\n"
"Needs root: attach and detach need CAP_SYS_ADMIN and CAP_NET_ADMIN (libxdp\n"
"finds the XDP programs on an interface by id, which the kernel allows only\n"
"with CAP_SYS_ADMIN); stats, block, unblock and blocklist need CAP_BPF (stats\n"
"says when, without CAP_SYS_ADMIN, it cannot tell whether IFACE is attached).\n"
"`ip netns exec` gives the command a private /sys, so pins made there vanish:\n"
"in a network namespace, run `nsenter --net=/run/netns/NAME csumguard ...`.\n";

static const char help_attach[] =
"Usage: csumguard attach IFACE [--mode monitor|drop] [--xdp-mode native|skb]\n"
"                        [--port KIND:PORT]... [--no-default-ports] [--sources N]\n"
"\n"
"Loads the XDP validator on IFACE through libxdp's dispatcher, so XDP programs\n"
"loaded through libxdp (xdp-loader, other tools) keep running beside it (where\n"
"the kernel refuses the dispatcher, libxdp attaches it alone and attach says\n"
"so), and pins its maps under PIN_DIR/ifaces/IFACE, with a record of where\n"
"it went (network namespace, ifindex, program id). A later attach after a\n"
"detach reuses them: the counters continue. Needs CAP_SYS_ADMIN and\n"
"CAP_NET_ADMIN.\n"
"\n"
"  --mode monitor      count only, pass every frame (default)\n"
"  --mode drop         also drop tunnel frames whose outer checksum is bad\n"
"  --xdp-mode native   driver mode (default)\n"
"  --xdp-mode skb      generic mode: any interface, slower\n"
"  --port KIND:PORT    also audit UDP port PORT as KIND (vxlan, geneve, gue),\n"
"                      e.g. --port gue:6080; repeatable\n"
"  --no-default-ports  do not audit the defaults vxlan:4789, vxlan:8472,\n"
"                      geneve:6081\n"
"  --sources N         size of the per-source table, 16..1048576 (default 16384);\n"
"                      fixed once pinned: changing it needs `detach IFACE --purge`\n"
"\n"
"Blocklisted sources lose their tunnel frames in both modes (csumguard block).\n";

static const char help_detach[] =
"Usage: csumguard detach IFACE [--purge]\n"
"\n"
"Removes csumguard's XDP program from IFACE; other XDP programs on it stay.\n"
"Only the program that uses this pin dir's state is removed, found by what\n"
"attach recorded: a renamed IFACE is followed (\"eth1 is now eth9\"); one in\n"
"another network namespace must be detached from there. The pinned counters\n"
"stay, so `stats` still shows them and a later `attach` continues them.\n"
"Needs CAP_SYS_ADMIN and CAP_NET_ADMIN.\n"
"\n"
"  --purge   also delete the pinned counters and settings of IFACE (never\n"
"            while a csumguard program still uses them)\n";

static const char help_stats[] =
"Usage: csumguard stats [IFACE] [--json] [--watch SECONDS] [--sort bad|packets]\n"
"\n"
"Shows, for IFACE or every interface with pinned state, the totals and a\n"
"table of source nodes, worst first: packets, ok, bad, BAD% (bad out of the\n"
"checksums checked: ok + bad + unfinished), unfinished (offload never\n"
"finished: normal on veth, a NIC bug on a physical port), zero, fragment,\n"
"malformed, dropped, and how long ago the last bad one arrived.\n"
"\n"
"  --json             one JSON document per snapshot (schema: loader/README.md)\n"
"  --watch SECONDS    redraw every SECONDS (1..3600) until Ctrl-C\n"
"  --sort bad         most bad checksums first (default)\n"
"  --sort packets     most packets first\n";

static const char help_block[] =
"Usage: csumguard block ADDR [--reason TEXT] [--all-traffic]\n"
"\n"
"Drops the tunnel frames whose outer source is ADDR (IPv4 or IPv6), on every\n"
"interface csumguard is attached to, in monitor and drop mode. The blocklist\n"
"is pinned at PIN_DIR/blocklist and is never evicted. Blocking an address\n"
"that is already blocked replaces its entry.\n"
"\n"
"  --reason TEXT    a note for the operators (up to 47 bytes)\n"
"  --all-traffic    drop every IP frame from ADDR, not only tunnel frames\n"
"                   (this also cuts SSH, kubelet and health checks from it)\n";

static const char help_unblock[] =
"Usage: csumguard unblock ADDR\n"
"\n"
"Removes ADDR from the blocklist; its traffic passes again at once.\n";

static const char help_blocklist[] =
"Usage: csumguard blocklist [--json]\n"
"\n"
"Lists the blocked addresses: ADDR, SCOPE (tunnel or all), AGE, REASON.\n"
"\n"
"  --json    one JSON document (schema: loader/README.md)\n";

const char *cg_help_text(enum cg_cmd cmd)
{
	switch (cmd) {
	case CG_CMD_ATTACH:	return help_attach;
	case CG_CMD_DETACH:	return help_detach;
	case CG_CMD_STATS:	return help_stats;
	case CG_CMD_BLOCK:	return help_block;
	case CG_CMD_UNBLOCK:	return help_unblock;
	case CG_CMD_BLOCKLIST:	return help_blocklist;
	default:		return help_main;
	}
}

static const struct {
	const char *name;
	enum cg_cmd cmd;
} commands[] = {
	{ "attach", CG_CMD_ATTACH },
	{ "detach", CG_CMD_DETACH },
	{ "stats", CG_CMD_STATS },
	{ "block", CG_CMD_BLOCK },
	{ "unblock", CG_CMD_UNBLOCK },
	{ "blocklist", CG_CMD_BLOCKLIST },
};

const char *cg_cmd_name(enum cg_cmd cmd)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].cmd == cmd)
			return commands[i].name;
	return "";
}

const char *cg_xdp_mode_name(enum cg_xdp_mode m)
{
	return m == CG_XDP_SKB ? "skb" : "native";
}

/* --------------------------------------------------------------- parsing */

/*
 * Option scanner. "--name VALUE" and "--name=VALUE" both work; *i moves past
 * what was consumed. Returns 1 if argv[*i] is option name (value in *val
 * when want_val), 0 if not, -1 on a missing value.
 */
static int opt(int argc, char **argv, int *i, const char *name, int want_val,
	       const char **val, char *err, size_t errlen)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, name, n))
		return 0;
	if (a[n] == '\0') {
		if (!want_val)
			return 1;
		if (*i + 1 >= argc)
			ERR("%s needs a value; see csumguard --help", name);
		*val = argv[++*i];
		return 1;
	}
	if (a[n] == '=' && want_val) {
		*val = a + n + 1;
		return 1;
	}
	if (a[n] == '=')
		ERR("%s takes no value; drop '=%s'", name, a + n + 1);
	return 0;
}

/* Options valid everywhere. Returns 1 consumed, 0 not ours, -1 error. */
static int global_opt(int argc, char **argv, int *i, struct cg_cli *cli, char *err, size_t errlen)
{
	const char *v = NULL;
	int r;

	if ((r = opt(argc, argv, i, "--pin-dir", 1, &v, err, errlen))) {
		if (r < 0)
			return -1;
		if (!*v)
			ERR("--pin-dir is empty; give a directory under /sys/fs/bpf");
		cli->pin_dir = v;
		return 1;
	}
	if (!strcmp(argv[*i], "--verbose") || !strcmp(argv[*i], "-v")) {
		cli->verbose = 1;
		return 1;
	}
	return 0;
}

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


int cg_cli_port_table(const struct cg_cli *cli, struct cg_port_spec *out, int max,
		      char *err, size_t errlen)
{
	return cg_port_table(cli->ports, cli->nports, cli->no_default_ports, out, max, err, errlen);
}

int cg_cli_parse(int argc, char **argv, struct cg_cli *cli, char *err, size_t errlen)
{
	const char *env = getenv(CG_PIN_DIR_ENV), *v, *pos[2] = { NULL, NULL }, *why;
	int i, r, npos = 0, maxpos = 0, minpos = 0;
	unsigned long n;
	size_t c;

	memset(cli, 0, sizeof(*cli));
	cli->pin_dir = env && *env ? env : CG_PIN_DIR_DEFAULT;
	cli->mode = CG_MODE_MONITOR;
	cli->xdp_mode = CG_XDP_NATIVE;
	cli->sources = CG_SRC_TABLE_DEFAULT;
	cli->sort = CG_SORT_BAD;
	if (err && errlen)
		err[0] = '\0';

	/* Global options, then the command. */
	for (i = 1; i < argc; i++) {
		if ((r = global_opt(argc, argv, &i, cli, err, errlen))) {
			if (r < 0)
				return -1;
			continue;
		}
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h") ||
		    !strcmp(argv[i], "help")) {
			cli->cmd = CG_CMD_HELP;
			if (!strcmp(argv[i], "help") && i + 1 < argc) {
				for (c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
					if (!strcmp(argv[i + 1], commands[c].name))
						cli->help_cmd = commands[c].cmd;
			}
			return 0;
		}
		if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-V")) {
			cli->cmd = CG_CMD_VERSION;
			return 0;
		}
		if (argv[i][0] == '-')
			ERR("unknown option '%s'; see csumguard --help", argv[i]);
		for (c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
			if (!strcmp(argv[i], commands[c].name))
				cli->cmd = commands[c].cmd;
		if (cli->cmd == CG_CMD_NONE)
			ERR("unknown command '%s'; commands: attach, detach, stats, block, "
			    "unblock, blocklist (csumguard --help)", argv[i]);
		i++;
		break;
	}
	if (cli->cmd == CG_CMD_NONE)
		ERR("no command given; see csumguard --help");

	switch (cli->cmd) {
	case CG_CMD_ATTACH:
	case CG_CMD_DETACH:
	case CG_CMD_BLOCK:
	case CG_CMD_UNBLOCK:
		minpos = maxpos = 1;
		break;
	case CG_CMD_STATS:
		maxpos = 1;
		break;
	default:
		break;
	}

	for (; i < argc; i++) {
		const char *a = argv[i];

		v = NULL;
		if ((r = global_opt(argc, argv, &i, cli, err, errlen))) {
			if (r < 0)
				return -1;
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			cli->help_cmd = cli->cmd;
			cli->cmd = CG_CMD_HELP;
			return 0;
		}
		if (cli->cmd == CG_CMD_ATTACH) {
			if ((r = opt(argc, argv, &i, "--mode", 1, &v, err, errlen))) {
				if (r < 0)
					return -1;
				if (cg_mode_from_name(v) < 0)
					ERR("bad --mode '%s'; use --mode monitor or --mode drop", v);
				cli->mode = (enum cg_mode)cg_mode_from_name(v);
				continue;
			}
			if ((r = opt(argc, argv, &i, "--xdp-mode", 1, &v, err, errlen))) {
				if (r < 0)
					return -1;
				if (!strcmp(v, "native") || !strcmp(v, "drv"))
					cli->xdp_mode = CG_XDP_NATIVE;
				else if (!strcmp(v, "skb") || !strcmp(v, "generic"))
					cli->xdp_mode = CG_XDP_SKB;
				else
					ERR("bad --xdp-mode '%s'; use --xdp-mode native or --xdp-mode skb", v);
				continue;
			}
			if ((r = opt(argc, argv, &i, "--port", 1, &v, err, errlen))) {
				if (r < 0)
					return -1;
				if (cli->nports >= CG_PORTS_MAX)
					ERR("too many --port options; at most %d", CG_PORTS_MAX);
				if (cg_parse_port_spec(v, &cli->ports[cli->nports], err, errlen))
					return -1;
				cli->nports++;
				continue;
			}
			if ((r = opt(argc, argv, &i, "--no-default-ports", 0, &v, err, errlen))) {
				if (r < 0)
					return -1;
				cli->no_default_ports = 1;
				continue;
			}
			if ((r = opt(argc, argv, &i, "--sources", 1, &v, err, errlen))) {
				if (r < 0)
					return -1;
				if (cg_parse_uint(v, CG_SOURCES_MIN, CG_SOURCES_MAX, &n))
					ERR("bad --sources '%s'; give a number from %u to %u",
					    v, CG_SOURCES_MIN, CG_SOURCES_MAX);
				cli->sources = (uint32_t)n;
				continue;
			}
		} else if (cli->cmd == CG_CMD_DETACH) {
			if ((r = opt(argc, argv, &i, "--purge", 0, &v, err, errlen))) {
				if (r < 0)
					return -1;
				cli->purge = 1;
				continue;
			}
		} else if (cli->cmd == CG_CMD_STATS || cli->cmd == CG_CMD_BLOCKLIST) {
			if ((r = opt(argc, argv, &i, "--json", 0, &v, err, errlen))) {
				if (r < 0)
					return -1;
				cli->json = 1;
				continue;
			}
			if (cli->cmd == CG_CMD_STATS &&
			    (r = opt(argc, argv, &i, "--watch", 1, &v, err, errlen))) {
				if (r < 0)
					return -1;
				if (cg_parse_uint(v, 1, CG_WATCH_MAX, &n))
					ERR("bad --watch '%s'; give whole seconds from 1 to %d",
					    v, CG_WATCH_MAX);
				cli->watch = (unsigned int)n;
				continue;
			}
			if (cli->cmd == CG_CMD_STATS &&
			    (r = opt(argc, argv, &i, "--sort", 1, &v, err, errlen))) {
				if (r < 0)
					return -1;
				if (!strcmp(v, "bad"))
					cli->sort = CG_SORT_BAD;
				else if (!strcmp(v, "packets"))
					cli->sort = CG_SORT_PACKETS;
				else
					ERR("bad --sort '%s'; use --sort bad or --sort packets", v);
				continue;
			}
		} else if (cli->cmd == CG_CMD_BLOCK) {
			if ((r = opt(argc, argv, &i, "--reason", 1, &v, err, errlen))) {
				if (r < 0)
					return -1;
				if (valid_reason(v, err, errlen))
					return -1;
				cli->reason = v;
				continue;
			}
			if ((r = opt(argc, argv, &i, "--all-traffic", 0, &v, err, errlen))) {
				if (r < 0)
					return -1;
				cli->all_traffic = 1;
				continue;
			}
		}
		if (a[0] == '-' && a[1] != '\0')
			ERR("unknown option '%s' for %s; see csumguard %s --help",
			    a, cg_cmd_name(cli->cmd), cg_cmd_name(cli->cmd));
		if (npos >= maxpos)
			ERR("unexpected argument '%s'; see csumguard %s --help",
			    a, cg_cmd_name(cli->cmd));
		pos[npos++] = a;
	}
	if (npos < minpos) {
		if (cli->cmd == CG_CMD_BLOCK || cli->cmd == CG_CMD_UNBLOCK)
			ERR("%s needs an address; e.g. csumguard %s 10.0.3.17",
			    cg_cmd_name(cli->cmd), cg_cmd_name(cli->cmd));
		ERR("%s needs an interface; e.g. csumguard %s eth0",
		    cg_cmd_name(cli->cmd), cg_cmd_name(cli->cmd));
	}

	switch (cli->cmd) {
	case CG_CMD_ATTACH:
	case CG_CMD_DETACH:
	case CG_CMD_STATS:
		cli->iface = pos[0];
		if (cli->iface && !valid_ifname(cli->iface))
			ERR("'%s' is not an interface name; list them with `ip link`", cli->iface);
		break;
	case CG_CMD_BLOCK:
	case CG_CMD_UNBLOCK:
		cli->addr_str = pos[0];
		if (cg_parse_addr(pos[0], &cli->addr))
			ERR("bad address '%s'; give one IPv4 or IPv6 address, "
			    "e.g. 10.0.3.17 or fd00::17 (no prefix length, no host name)", pos[0]);
		/* unblock takes anything, so an old entry can always go */
		if (cli->cmd == CG_CMD_BLOCK && (why = cg_addr_not_a_source(&cli->addr)))
			ERR("%s is %s, never the source of a packet; give a node's unicast "
			    "address, e.g. 10.0.3.17", pos[0], why);
		break;
	default:
		break;
	}
	if (cli->cmd == CG_CMD_ATTACH) {
		struct cg_port_spec tab[CG_PORTS_MAX + 3];
		int nt = cg_cli_port_table(cli, tab, CG_PORTS_MAX + 3, err, errlen);

		if (nt < 0)
			return -1;
		if (nt == 0)
			ERR("no tunnel port to audit; drop --no-default-ports or add --port KIND:PORT");
	}
	return 0;
}
