// SPDX-License-Identifier: GPL-2.0
/* json_out.c - JSON on stdout as the command line asked: compact, one
 * document a line, or with --pretty indented (lib/json_pretty.h). */
#define _GNU_SOURCE	/* open_memstream */
#include <stdio.h>
#include <stdlib.h>
#include "cmds.h"
#include "json_pretty.h"

int cg_print_json(const struct cg_cli *cli, int (*render)(FILE *f, void *arg), void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int e;

	if (!cli->pretty)
		return render(stdout, arg);
	m = open_memstream(&buf, &len);
	if (!m)
		return -1;
	e = render(m, arg);
	if (fclose(m))
		e = -1;
	if (!e)
		e = cg_json_pretty(stdout, buf);
	free(buf);
	return e;
}
