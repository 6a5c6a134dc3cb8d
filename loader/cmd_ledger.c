// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_ledger.c - `csumguard ledger A.json B.json`: reads the two snapshot
 * files, lets lib/ledger.c compute the pair A -> B, and prints it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "cmds.h"
#include "err.h"
#include "ledger.h"

#define SNAP_MAX (64u << 20)	/* a snapshot file, at most */

/* The last non-empty line of path ("-": stdin): a --watch --json stream
 * holds one document a line. malloc'ed, or NULL with err set. */
static char *last_doc(const char *path, char *err, size_t errlen)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	char *buf = NULL, *line, *p;
	size_t len = 0, cap = 0, n;

	if (!f) {
		cg_errf(err, errlen, -errno, "cannot read %s: %s; give the file `csumguard stats "
			"--json` wrote", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (len + 65536 + 1 > cap) {
			cap = cap ? cap * 2 : 65536 * 2;
			p = cap > SNAP_MAX ? NULL : realloc(buf, cap);
			if (!p) {
				cg_errf(err, errlen, -EFBIG, "%s is larger than %u MiB; give one "
					"snapshot", path, SNAP_MAX >> 20);
				goto fail;
			}
			buf = p;
		}
		n = fread(buf + len, 1, 65536, f);
		len += n;
		if (n < 65536)
			break;
	}
	if (ferror(f)) {
		cg_errf(err, errlen, -EIO, "cannot read %s; give the file `csumguard stats --json` "
			"wrote", path);
		goto fail;
	}
	if (f != stdin)
		fclose(f);
	buf[len] = '\0';
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' '))
		buf[--len] = '\0';
	line = strrchr(buf, '\n');
	line = line ? line + 1 : buf;
	memmove(buf, line, strlen(line) + 1);
	return buf;
fail:
	if (f != stdin)
		fclose(f);
	free(buf);
	return NULL;
}

static int load(const char *path, const char *which, const struct cg_addr *extra, int nextra,
		struct cg_node_snap *n, char *err, size_t errlen)
{
	char why[CG_ERRLEN];
	char *doc = last_doc(path, err, errlen);
	int i, e;

	if (!doc)
		return -1;
	e = cg_node_snap_from_json(doc, n, why, sizeof(why));
	free(doc);
	if (e)
		return cg_errf(err, errlen, e, "%s (%s): %s", path, which, why);
	for (i = 0; i < nextra; i++)
		if (cg_node_add_addr(n, &extra[i]))
			return cg_errf(err, errlen, -ENOSPC, "too many addresses for %s; at most %d",
				       which, CG_NODE_ADDRS_MAX);
	return 0;
}

int cmd_ledger(const struct cg_cli *cli)
{
	const struct cg_ledger_opts *o = &cli->ledger;
	struct cg_node_snap a = {}, b = {};
	struct cg_ledger l;
	char err[CG_ERRLEN];
	int e = 0;

	if (load(o->a_path, "A", o->a_addrs, o->na, &a, err, sizeof(err)) ||
	    load(o->b_path, "B", o->b_addrs, o->nb, &b, err, sizeof(err)) ||
	    cg_ledger_compute(&a, &b, o->max_gap, &l, err, sizeof(err))) {
		cg_node_snap_free(&a);
		cg_node_snap_free(&b);
		return cg_fail("%s", err);
	}
	if (cli->json)
		e = cg_render_ledger_json(stdout, &l, &a, &b);
	else
		cg_render_ledger_table(stdout, &l, &a, &b);
	cg_node_snap_free(&a);
	cg_node_snap_free(&b);
	if (fflush(stdout) || ferror(stdout) || e)
		return cg_fail("cannot write the ledger to stdout; check where the output goes");
	return CG_EXIT_OK;
}
