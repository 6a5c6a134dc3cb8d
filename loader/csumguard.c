// SPDX-License-Identifier: GPL-2.0
/*
 * csumguard.c - main of the csumguard command: parses the command line
 * (commands.c, params.c) and runs the command's row (cmd_*.c). SPEC 3.
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
#include "params.h"
#include "cmds.h"
#include "log.h"
#include "pins.h"

#ifndef CG_LIBXDP_VERSION
#define CG_LIBXDP_VERSION "?"
#endif

/* ------------------------------------------------------------------ main */

/* Does argv ask for JSON (--json, -j, --pretty, -p)? Then even a
 * command-line error is a JSON document. */
static int wants_json(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "-j") ||
		    !strcmp(argv[i], "--pretty") || !strcmp(argv[i], "-p"))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	static char pin_dir[PATH_MAX];
	char err[CG_ERR_LEN];
	struct cg_cli cli;

	if (cg_cli_parse(argc, argv, &cli, err, sizeof(err))) {
		cg_fail_json(wants_json(argc, argv));
		cg_fail("%s", err);
		return CG_EXIT_USAGE;
	}
	cg_fail_json(cli.json);
	cg_log_init(cli.verbose ? stderr : NULL);
	if (cli.cmd == CG_CMD_HELP) {
		fputs(cg_help_text(cli.help_cmd), stdout);
		return CG_EXIT_OK;
	}
	if (cli.cmd == CG_CMD_MAN) {
		cg_params_man(stdout, CG_VERSION);
		return CG_EXIT_OK;
	}
	if (cli.cmd == CG_CMD_COMPLETION) {
		cg_params_completion_bash(stdout);
		return CG_EXIT_OK;
	}
	if (cli.cmd == CG_CMD_VERSION) {
		printf("csumguard %s (libbpf %u.%u, libxdp %s)\n", CG_VERSION,
		       libbpf_major_version(), libbpf_minor_version(), CG_LIBXDP_VERSION);
		return CG_EXIT_OK;
	}
	/* Every command works on the pin dir the kernel will see: no "..", no
	 * symlink leading out of bpffs (pins.c checks where it really is). */
	if (cg_pin_dir_canon(cli.pin_dir, pin_dir, sizeof(pin_dir), err, sizeof(err)))
		return cg_fail("%s", err);
	cli.pin_dir = pin_dir;
	return cg_cli_run(&cli);
}
