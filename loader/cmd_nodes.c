// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_nodes.c - `csumguard nodes add|del|list|load`: lib/nodes.c does the
 * work; this prints what it did, and the list.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "cmds.h"
#include "err.h"
#include "nodes.h"

/* "; 3 nodes (5 addresses) known" */
static void totals(const struct cg_nodes_result *r)
{
	printf("; %zu node%s (%zu address%s) known\n", r->nodes, r->nodes == 1 ? "" : "s",
	       r->total, r->total == 1 ? "" : "es");
}

static int nodes_add(const struct cg_cli *cli)
{
	const struct cg_nodes_opts *o = &cli->nodes;
	struct cg_nodes_result r;
	char err[CG_ERRLEN];

	if (cg_nodes_add(cli->pin_dir, &o->addr, o->arg[1], o->ttl, &r, err, sizeof(err)))
		return cg_fail("%s", err);
	if (r.mounted)
		printf("mounted bpffs on /sys/fs/bpf (it was not mounted)\n");
	printf("%s %s as node %s", r.added ? "added" : r.changed ? "updated" : "unchanged:",
	       o->arg[0], o->arg[1]);
	if (o->ttl > 0)
		printf(" (ttl %d, set)", o->ttl);
	else if (o->ttl < 0)
		printf(" (ttl: learned afresh)");
	totals(&r);
	return CG_EXIT_OK;
}

static int nodes_del(const struct cg_cli *cli)
{
	struct cg_nodes_result r;
	char err[CG_ERRLEN];

	if (cg_nodes_del(cli->pin_dir, cli->nodes.arg[0], &r, err, sizeof(err)))
		return cg_fail("%s", err);
	printf("removed %s (%zu address%s)", cli->nodes.arg[0], r.removed,
	       r.removed == 1 ? "" : "es");
	totals(&r);
	return CG_EXIT_OK;
}

static int nodes_list(const struct cg_cli *cli)
{
	struct cg_node_entry *rows;
	char err[CG_ERRLEN];
	size_t n;
	int e = 0;

	if (cg_nodes_read(cli->pin_dir, &rows, &n, err, sizeof(err)))
		return cg_fail("%s", err);
	if (cli->json)
		e = cg_render_nodes_json(stdout, rows, n, (int64_t)time(NULL));
	else
		cg_render_nodes_table(stdout, rows, n);
	free(rows);
	if (fflush(stdout) || ferror(stdout) || e)
		return cg_fail("cannot write the nodes to stdout: %s; check where the output goes "
			       "(a closed pipe, a full disk)", e ? "the writer failed" :
			       strerror(errno));
	return CG_EXIT_OK;
}

static int nodes_load(const struct cg_cli *cli)
{
	struct cg_node_entry *e;
	struct cg_nodes_result r;
	char err[CG_ERRLEN];
	size_t n;
	int ret;

	if (cg_nodes_parse_file(cli->nodes.arg[0], &e, &n, err, sizeof(err)))
		return cg_fail("%s", err);
	ret = cg_nodes_load(cli->pin_dir, e, n, &r, err, sizeof(err));
	free(e);
	if (ret)
		return cg_fail("%s", err);
	if (r.mounted)
		printf("mounted bpffs on /sys/fs/bpf (it was not mounted)\n");
	printf("loaded %s: added %zu, changed %zu, removed %zu address%s",
	       cli->nodes.arg[0], r.added, r.changed, r.removed, r.removed == 1 ? "" : "es");
	totals(&r);
	return CG_EXIT_OK;
}

int cmd_nodes(const struct cg_cli *cli)
{
	switch (cli->nodes.sub) {
	case CG_NODES_ADD:
		return nodes_add(cli);
	case CG_NODES_DEL:
		return nodes_del(cli);
	case CG_NODES_LIST:
		return nodes_list(cli);
	case CG_NODES_LOAD:
		return nodes_load(cli);
	default:
		return cg_fail("nodes needs a subcommand; see csumguard nodes --help");
	}
}
