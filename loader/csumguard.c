// SPDX-License-Identifier: GPL-2.0
/*
 * csumguard.c - the csumguard command: parses the command line (cli.c) and
 * runs a subcommand (cmd_*.c). SPEC 3.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>
#include "cli.h"
#include "cmds.h"
#include "log.h"
#include "pins.h"

#ifndef CG_LIBXDP_VERSION
#define CG_LIBXDP_VERSION "?"
#endif

/* ------------------------------------------------------------------ main */

int main(int argc, char **argv)
{
	static char pin_dir[PATH_MAX];
	char err[CG_ERR_LEN];
	struct cg_cli cli;

	if (cg_cli_parse(argc, argv, &cli, err, sizeof(err))) {
		fprintf(stderr, "csumguard: %s\n", err);
		return CG_EXIT_USAGE;
	}
	cg_log_init(cli.verbose ? stderr : NULL);
	/* Every command works on the pin dir the kernel will see: no "..", no
	 * symlink leading out of bpffs (pins.c checks where it really is). */
	if (cli.cmd != CG_CMD_HELP && cli.cmd != CG_CMD_VERSION && cli.cmd != CG_CMD_NONE) {
		if (cg_pin_dir_canon(cli.pin_dir, pin_dir, sizeof(pin_dir), err, sizeof(err)))
			return cg_fail("%s", err);
		cli.pin_dir = pin_dir;
	}

	switch (cli.cmd) {
	case CG_CMD_HELP:
		fputs(cg_help_text(cli.help_cmd), stdout);
		return CG_EXIT_OK;
	case CG_CMD_VERSION:
		printf("csumguard %s (libbpf %u.%u, libxdp %s)\n", CG_VERSION,
		       libbpf_major_version(), libbpf_minor_version(), CG_LIBXDP_VERSION);
		return CG_EXIT_OK;
	case CG_CMD_ATTACH:
		return cmd_attach(&cli);
	case CG_CMD_DETACH:
		return cmd_detach(&cli);
	case CG_CMD_STATS:
		return cmd_stats(&cli);
	case CG_CMD_BLOCK:
		return cmd_block(&cli);
	case CG_CMD_UNBLOCK:
		return cmd_unblock(&cli);
	case CG_CMD_BLOCKLIST:
		return cmd_blocklist(&cli);
	default:
		return cg_fail("no command given; see csumguard --help");
	}
}
