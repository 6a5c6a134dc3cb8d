// SPDX-License-Identifier: GPL-2.0
/* cli.c - the one-line error convention (cli.h). */
#include <stdarg.h>
#include <stdio.h>
#include "cli.h"
#include "format.h"

static int fail_json;

void cg_fail_json(int on)
{
	fail_json = on;
}

int cg_fail(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fflush(stdout);
	if (fail_json) {
		/* bpftool's -j convention: the error is the document */
		cg_render_error_json(stdout, msg);
		fflush(stdout);
	} else {
		fprintf(stderr, "csumguard: %s\n", msg);
	}
	return CG_EXIT_FAIL;
}
