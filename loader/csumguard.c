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
#include "pins.h"

#ifndef CG_LIBXDP_VERSION
#define CG_LIBXDP_VERSION "?"
#endif

/* ------------------------------------------------------------- the log */

static struct {
	char *buf;
	size_t len, cap;
	int verbose;
} lg;

static void log_append(const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n <= 0)
		return;
	if (lg.len + (size_t)n + 1 > lg.cap) {
		size_t cap = lg.cap ? lg.cap : 4096;
		char *p;

		while (cap < lg.len + (size_t)n + 1)
			cap *= 2;
		if (cap > (64u << 20))
			return;	/* a runaway log: keep what we have */
		p = realloc(lg.buf, cap);
		if (!p)
			return;
		lg.buf = p;
		lg.cap = cap;
	}
	vsnprintf(lg.buf + lg.len, lg.cap - lg.len, fmt, ap);
	lg.len += (size_t)n;
}

static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	va_list ap2;

	if (lg.verbose) {
		va_copy(ap2, ap);
		vfprintf(stderr, fmt, ap2);
		va_end(ap2);
	}
	if (level != LIBBPF_DEBUG || lg.verbose)
		log_append(fmt, ap);
	return 0;
}

static int libxdp_log(enum libxdp_print_level level, const char *fmt, va_list ap)
{
	va_list ap2;

	if (lg.verbose) {
		va_copy(ap2, ap);
		vfprintf(stderr, fmt, ap2);
		va_end(ap2);
	}
	if (level != LIBXDP_DEBUG || lg.verbose)
		log_append(fmt, ap);
	return 0;
}

void cg_log_init(int verbose)
{
	lg.verbose = verbose;
	libbpf_set_print(libbpf_log);
	libxdp_set_print(libxdp_log);
}

const char *cg_log_text(void)
{
	return lg.buf ? lg.buf : "";
}

void cg_log_clear(void)
{
	lg.len = 0;
	if (lg.buf)
		lg.buf[0] = '\0';
}

int cg_log_save(const char *what, char *buf, size_t len)
{
	const char *dir = getenv("TMPDIR");
	FILE *f;
	int fd;

	snprintf(buf, len, "%s/csumguard-%s-XXXXXX.log", dir && *dir ? dir : "/tmp", what);
	fd = mkstemps(buf, 4);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -1;
	}
	fputs(cg_log_text(), f);
	fclose(f);
	return 0;
}

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
	cg_log_init(cli.verbose);
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
