/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cli.h - the csumguard command line: option parsing into struct cg_cli, the
 * parsers of its values (KIND:PORT, addresses, counts), the help texts and
 * the one-line error convention. No BPF here, so tests/test_cli.c runs it
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

#define CG_VERSION		"0.1.0"
#define CG_PIN_DIR_DEFAULT	"/sys/fs/bpf/csumguard"
#define CG_PIN_DIR_ENV		"CSUMGUARD_PIN_DIR"
#define CG_SOURCES_MIN		16
#define CG_SOURCES_MAX		(1u << 20)
#define CG_WATCH_MAX		3600	/* seconds */
#define CG_ERR_LEN		256

/* Exit statuses. */
#define CG_EXIT_OK	0
#define CG_EXIT_FAIL	1	/* the operation failed */
#define CG_EXIT_USAGE	2	/* the command line is wrong */

enum cg_cmd {
	CG_CMD_NONE = 0,
	CG_CMD_ATTACH,
	CG_CMD_DETACH,
	CG_CMD_STATS,
	CG_CMD_BLOCK,
	CG_CMD_UNBLOCK,
	CG_CMD_BLOCKLIST,
	CG_CMD_HELP,		/* --help, or CMD --help (cli.help_cmd says which) */
	CG_CMD_VERSION,
};

enum cg_xdp_mode {
	CG_XDP_NATIVE = 0,	/* driver mode (default) */
	CG_XDP_SKB = 1,		/* generic mode: any interface, slower */
};



struct cg_cli {
	enum cg_cmd cmd;
	enum cg_cmd help_cmd;		/* CG_CMD_HELP: the command asked about, or NONE */
	const char *pin_dir;
	int verbose;

	const char *iface;		/* attach, detach, stats (NULL: all) */

	/* attach */
	enum cg_mode mode;
	enum cg_xdp_mode xdp_mode;
	struct cg_port_spec ports[CG_PORTS_MAX];
	int nports;
	int no_default_ports;
	uint32_t sources;

	/* detach */
	int purge;

	/* stats, blocklist */
	int json;
	unsigned int watch;		/* seconds, 0: once */
	enum cg_sort sort;

	/* block, unblock */
	const char *addr_str;
	struct cg_addr addr;
	const char *reason;
	int all_traffic;
};

/*
 * Parses argv (argv[0] is the program) into cli. Defaults: pin dir from
 * $CSUMGUARD_PIN_DIR or CG_PIN_DIR_DEFAULT, monitor mode, native XDP,
 * default ports on, CG_SRC_TABLE_DEFAULT sources, sort by bad.
 * Returns 0, or -1 with a "<cause>; <fix>" message in err.
 */
int cg_cli_parse(int argc, char **argv, struct cg_cli *cli, char *err, size_t errlen);





/*
 * The port table an attach installs: defaults unless --no-default-ports,
 * then every --port. Fills out[] (sorted by port) and returns the count, or
 * -1 with a message in err when --port gives a default port another kind.
 */
int cg_cli_port_table(const struct cg_cli *cli, struct cg_port_spec *out, int max,
		      char *err, size_t errlen);

/* Help text of one command (CG_CMD_NONE: the overview). */
const char *cg_help_text(enum cg_cmd cmd);

/* Name of a command, e.g. "attach". */
const char *cg_cmd_name(enum cg_cmd cmd);

/* "native" / "skb" */
const char *cg_xdp_mode_name(enum cg_xdp_mode m);

/*
 * The error convention: one line "csumguard: <message>" on stderr.
 * Returns CG_EXIT_FAIL so callers can `return cg_fail(...)`.
 */
int cg_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* CG_CLI_H */
