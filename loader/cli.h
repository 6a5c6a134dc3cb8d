/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cli.h - the csumguard command line: what a parsed command line holds (the
 * global options and one options struct per command), the parser's entry
 * point, and the one-line error convention. The commands and their options
 * are rows of tables (commands.c, params.h), from which the parser and the
 * help texts are generated. No BPF here, so tests/test_cli.c runs it
 * without privileges.
 */
#ifndef CG_CLI_H
#define CG_CLI_H

#include <stddef.h>
#include <stdint.h>
#include "csumguard.h"
#include "addr.h"
#include "format.h"
#include "ports.h"
#include "policy.h"
#include "sizing.h"	/* CG_SOURCES_MIN, CG_SOURCES_MAX */

#define CG_VERSION		"0.1.0"
#define CG_PIN_DIR_DEFAULT	"/sys/fs/bpf/csumguard"
#define CG_PIN_DIR_ENV		"CSUMGUARD_PIN_DIR"
#define CG_WATCH_MAX		3600	/* seconds */
#define CG_BLOCK_TTL_MAX	(366ull * 86400)	/* block --ttl: at most a year */
#define CG_ERR_LEN		256

/* Exit statuses. */
#define CG_EXIT_OK	0
#define CG_EXIT_FAIL	1	/* the operation failed */
#define CG_EXIT_USAGE	2	/* the command line is wrong */

/* Command ids: the rows of commands.c. */
enum cg_cmd {
	CG_CMD_NONE = 0,
	CG_CMD_ATTACH,
	CG_CMD_DETACH,
	CG_CMD_STATS,
	CG_CMD_BLOCK,
	CG_CMD_UNBLOCK,
	CG_CMD_BLOCKLIST,
	CG_CMD_LEDGER,
	CG_CMD_NODES,
	CG_CMD_HELP,		/* --help, or CMD --help (cli.help_cmd says which) */
	CG_CMD_VERSION,
	CG_CMD_MAN,		/* --man: the man page (csumguard.8), from the tables */
	CG_CMD_COMPLETION,	/* --completion-bash: a bash completion script, from the tables */
	CG_CMD_AGENT,		/* the long-running agent: metrics, textfile, tick (cmd_agent.c) */
	CG_CMD_DIAGNOSE,
	CG_CMD_DOCTOR,
	CG_CMD_TRACE,		/* bad frames from the trace ring buffer (cmd_trace.c) */
};

enum cg_xdp_mode {
	CG_XDP_NATIVE = 0,	/* driver mode (default) */
	CG_XDP_SKB = 1,		/* generic mode: any interface, slower */
};

/* One options struct per command. */
struct cg_attach_opts {
	const char *iface;
	enum cg_mode mode;
	enum cg_xdp_mode xdp_mode;
	struct cg_port_spec ports[CG_PORTS_MAX];
	int nports;
	int no_default_ports;
	uint32_t sources;		/* 0: as many as fit --memory */
	uint64_t memory;		/* --memory bytes; 0: not given (the default) */
	unsigned int dirs;		/* CG_DIRS_* (lib/attach.h) given by --ingress /
					 * --egress; 0: both (the default) */
	const char *nodes_file;		/* --nodes FILE: replaces the known nodes */
	int repair;			/* --repair: CG_CFG_REPAIR */
	uint32_t sample;		/* --sample N: verify 1 tunnel frame in N (0: all) */
	int drop_unknown;		/* --drop-unknown */
};

struct cg_detach_opts {
	const char *iface;
	int purge;
	unsigned int dirs;		/* as for attach; 0: every direction with state */
};

struct cg_stats_opts {
	const char *iface;		/* NULL: every interface with state */
	unsigned int watch;		/* seconds, 0: once */
	enum cg_sort sort;
	int wide;			/* --wide: every column of the live view */
	int since;			/* --since: counts since the baseline */
	int reset;			/* --reset: record the baseline (then as --since) */
};

#define CG_DIAG_INTERVAL_DEFAULT	2	/* seconds between diagnose's samples */

struct cg_diagnose_opts {
	const char *iface;		/* NULL: every interface with state */
	unsigned int interval;		/* seconds between the two samples; 0: one */
};

struct cg_doctor_opts {
	const char *iface;
};

#define CG_TRACE_COUNT_MAX	1000000000UL

struct cg_trace_opts {
	const char *iface;		/* NULL: the one interface with pinned state */
	unsigned long count;		/* --count N: stop after N events; 0: until a signal */
	const char *pcap;		/* --pcap FILE: also write them as pcapng */
	int unfinished;			/* --unfinished: trace unfinished frames too */
	unsigned int timeout;		/* --timeout SECONDS: stop after; 0: never */
};

struct cg_block_opts {			/* block and unblock */
	const char *addr_str;
	struct cg_addr addr;
	const char *reason;		/* block: NULL or non-empty */
	int all_traffic;
	uint64_t ttl_s;			/* block --ttl: seconds until it ends; 0: never */
};

#define CG_LEDGER_ADDRS_MAX	16

struct cg_ledger_opts {
	const char *a_path, *b_path;	/* "-": standard input */
	struct cg_addr a_addrs[CG_LEDGER_ADDRS_MAX], b_addrs[CG_LEDGER_ADDRS_MAX];
	int na, nb;			/* --a-addr, --b-addr given */
	int64_t max_gap;		/* seconds */
};

/* `csumguard agent`: serving options (command line); what to attach comes
 * from --config (struct cg_agent_cfg). */
struct cg_agent_opts {
	const char *config;		/* NULL: adopt what is pinned */
	const char *listen;		/* ADDR:PORT of /metrics */
	const char *textfile;		/* NULL: none */
	const char *node_name;		/* NULL: $NODE_NAME, else the host name */
	int msrc_mode;			/* enum cg_msrc_mode (lib/metrics.h) */
	unsigned int msrc_top;		/* top:K */
	unsigned int window;		/* seconds a non-ok row keeps its series */
	unsigned int interval;		/* seconds between ticks */
	/* --auto-block (lib/policy.h): the policy runs on every tick */
	int auto_block;
	int auto_block_opts;		/* an --auto-block-* option was given */
	struct cg_policy_cfg policy;	/* --auto-block-window, -bad, -ratio, -ttl, -max-share */
};

/* nodes add|del|list|load */
enum cg_nodes_sub {
	CG_NODES_NONE = 0,
	CG_NODES_ADD,		/* nodes add ADDR NAME [--ttl N|learn] */
	CG_NODES_DEL,		/* nodes del ADDR|NAME */
	CG_NODES_LIST,		/* nodes list [--json] */
	CG_NODES_LOAD,		/* nodes load FILE */
};

struct cg_nodes_opts {
	enum cg_nodes_sub sub;
	const char *arg[2];		/* add: ADDR, NAME; del: ADDR|NAME; load: FILE */
	int nargs;
	struct cg_addr addr;		/* add: the parsed ADDR */
	int ttl;			/* add --ttl: 1..255, -1 "learn", 0 not given */
};

struct cg_cli {
	enum cg_cmd cmd;
	enum cg_cmd help_cmd;		/* CG_CMD_HELP: the command asked about, or NONE */
	/* global */
	const char *pin_dir;
	int verbose;
	int json;			/* --json / -j of stats and blocklist; errors too */
	int pretty;			/* --pretty: the JSON indented */
	/* the command's own */
	union {
		struct cg_attach_opts attach;
		struct cg_detach_opts detach;
		struct cg_stats_opts stats;
		struct cg_block_opts block;
		struct cg_ledger_opts ledger;
		struct cg_agent_opts agent;
		struct cg_nodes_opts nodes;
		struct cg_diagnose_opts diagnose;
		struct cg_doctor_opts doctor;
		struct cg_trace_opts trace;
	};
};

/*
 * Parses argv (argv[0] is the program) into cli. Defaults: pin dir from
 * $CSUMGUARD_PIN_DIR or CG_PIN_DIR_DEFAULT, monitor mode, native XDP,
 * default ports on, sources sized from the memory budget, sort by bad.
 * Returns 0, or -1 with a "<cause>; <fix>" message in err.
 */
int cg_cli_parse(int argc, char **argv, struct cg_cli *cli, char *err, size_t errlen);

/*
 * The port table an attach installs: defaults unless --no-default-ports,
 * then every --port. Fills out[] (sorted by port) and returns the count, or
 * -1 with a message in err when --port gives a default port another kind.
 */
int cg_cli_port_table(const struct cg_attach_opts *a, struct cg_port_spec *out, int max,
		      char *err, size_t errlen);

/* A duration: seconds, or a number with s, m, h, d ("10m"), from min to max
 * seconds. 0, or -1 when it is none. */
int cg_parse_duration(const char *v, uint64_t min, uint64_t max, uint64_t *out);

/* A percentage as parts per million ("1", "0.5%"), from min to max ppm.
 * 0, or -1 when it is none. */
int cg_parse_percent(const char *v, uint32_t min, uint32_t max, uint32_t *ppm);

/* Help text of one command (CG_CMD_NONE: the overview), generated. */
const char *cg_help_text(enum cg_cmd cmd);

/* Name of a command, e.g. "attach". */
const char *cg_cmd_name(enum cg_cmd cmd);

/* "native" / "skb" */
const char *cg_xdp_mode_name(enum cg_xdp_mode m);

/* Runs the parsed command (its row's run function). An exit status. */
int cg_cli_run(const struct cg_cli *cli);

/*
 * The error convention: one line "csumguard: <message>" on stderr, or, once
 * cg_fail_json(1) was called (--json), {"error": "<message>"} on stdout, as
 * bpftool does. Returns CG_EXIT_FAIL so callers can `return cg_fail(...)`.
 */
int cg_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cg_fail_json(int on);

/*
 * The agent's configuration file (--config; the DaemonSet's ConfigMap):
 * one setting a line, '#' starts a comment. "interface NAME" (repeatable;
 * "interface default-route": the interface of the default route when the
 * agent starts or reloads) names what to attach; every other line is an
 * option of `attach` without its dashes, read by attach's own option table
 * (commands.c): "mode drop", "port gue:6080", "no-default-ports",
 * "xdp-mode skb", "sources 65536", "ingress", "egress", and "nodes FILE"
 * (the known nodes, loaded at start and on every reload).
 */
#define CG_AGENT_IFACES_MAX	16
#define CG_AGENT_DEFAULT_ROUTE	"default-route"
struct cg_agent_cfg {
	char ifaces[CG_AGENT_IFACES_MAX][16];	/* IFNAMSIZ */
	int nifaces;
	struct cg_attach_opts attach;	/* iface and nodes_file unused */
	char nodes_path[4096];		/* "nodes FILE": the known nodes; "" none */
};
/* Parses text (the file's content; path for messages). 0, or -1 with
 * "PATH:LINE: <cause>; <fix>" in err. */
int cg_agent_cfg_parse(const char *text, const char *path, struct cg_agent_cfg *cfg,
		       char *err, size_t errlen);

#endif /* CG_CLI_H */
