// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_block.c - `csumguard block`, `unblock`, `blocklist`: lib/blocklist.c
 * does the work; this prints what it did, and the list.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "blocklist.h"
#include "cli.h"
#include "cmds.h"
#include "err.h"
#include "format.h"
#include "locate.h"
#include "pins.h"

/*
 * Which attachments a block reaches: the ingress programs that use this pin
 * dir's blocklist, wherever they run (another network namespace too), and
 * the detached interfaces it reaches once attached again. Programs attached
 * with another --pin-dir have their own blocklist.
 */
static void block_scope(const char *pin_dir)
{
	char (*names)[16] = NULL, path[PATH_MAX];
	struct cg_where w;
	size_t n = 0, i, here = 0;

	if (cg_list_ifaces(pin_dir, &names, &n) || !n) {
		free(names);
		return;
	}
	printf("the XDP attachments that use this blocklist (%s/%s):\n", pin_dir,
	       CG_PIN_BLOCKLIST);
	for (i = 0; i < n; i++) {
		cg_dir_path(path, sizeof(path), pin_dir, names[i], CG_DIR_INGRESS, NULL);
		if (!cg_exists(path))
			continue;	/* egress only: the blocklist is an ingress matter */
		here++;
		cg_locate(pin_dir, names[i], &w);
		printf("  %s: ", names[i]);
		switch (w.state) {
		case CG_WHERE_HERE:
			printf("attached here%s%s\n", w.renamed ? ", now named " : "",
			       w.renamed ? w.ifname_now : "");
			break;
		case CG_WHERE_ELSEWHERE:
			printf("attached in %s\n", w.where);
			break;
		case CG_WHERE_NONE:
			printf("detached: blocked from its next attach\n");
			break;
		case CG_WHERE_UNKNOWN:
			printf("cannot tell whether attached: %s\n", w.why);
			break;
		}
	}
	if (!here)
		printf("  none: only egress state here, which does not block\n");
	printf("attachments made with another --pin-dir keep their own blocklist\n");
	free(names);
}

int cmd_block(const struct cg_cli *cli)
{
	char err[CG_ERRLEN], addr[CG_ADDR_STRLEN], shown[CG_BLOCK_REASON_LEN];
	const char *reason = cli->block.reason;	/* NULL or non-empty (commands.c) */
	struct cg_block_result r;

	if (cg_block_add(cli->pin_dir, &cli->block.addr,
			 cli->block.all_traffic ? CG_BLOCK_ALL_TRAFFIC : 0, reason, &r, err,
			 sizeof(err)))
		return cg_fail("%s", err);
	cg_addr_str(&cli->block.addr, addr, sizeof(addr));
	if (r.mounted)
		printf("mounted bpffs on /sys/fs/bpf (it was not mounted)\n");
	if (reason)
		cg_fmt_text(reason, shown, sizeof(shown));
	printf("%s %s: %s dropped on every attached interface%s%s%s\n",
	       r.existed ? "re-blocked" : "blocked", addr,
	       cli->block.all_traffic ? "all its IP traffic is" : "its tunnel traffic is",
	       reason ? " (" : "", reason ? shown : "", reason ? ")" : "");
	if (r.no_ifaces)
		printf("no interface is attached yet: the block applies from the next "
		       "`csumguard attach`\n");
	else
		block_scope(cli->pin_dir);
	return CG_EXIT_OK;
}

int cmd_unblock(const struct cg_cli *cli)
{
	char err[CG_ERRLEN], addr[CG_ADDR_STRLEN];

	if (cg_block_remove(cli->pin_dir, &cli->block.addr, err, sizeof(err)))
		return cg_fail("%s", err);
	cg_addr_str(&cli->block.addr, addr, sizeof(addr));
	printf("unblocked %s: its traffic passes again\n", addr);
	return CG_EXIT_OK;
}

int cmd_blocklist(const struct cg_cli *cli)
{
	char err[CG_ERRLEN];
	struct cg_blocklist bl;
	int e = 0;

	if (cg_blocklist_get(cli->pin_dir, &bl, err, sizeof(err)))
		return cg_fail("%s", err);
	/* The gate is written by block, unblock and attach only: say when it
	 * is off (a block or unblock killed between its two writes leaves it
	 * too high; an entry added with bpftool, too low). */
	if (bl.have_gate && bl.gate != bl.n)
		fprintf(stderr, "csumguard: warning: the datapath's blocklist gate (%s) says %u "
			"entries but the list holds %zu (%s); %s; the next csumguard block, "
			"unblock or attach resyncs it\n", bl.gate_path, bl.gate, bl.n,
			bl.gate > bl.n ? "a block or unblock that did not finish" :
			"changed behind csumguard's back", !bl.gate && bl.n ?
			"these blocks are NOT enforced" : "lookups cost more");
	cg_sort_blocklist(bl.rows, bl.n);
	if (cli->json)
		e = cg_render_blocklist_json(stdout, bl.rows, bl.n, (int64_t)time(NULL));
	else
		cg_render_blocklist_table(stdout, bl.rows, bl.n, (int64_t)time(NULL));
	cg_blocklist_free(&bl);
	if (fflush(stdout) || ferror(stdout) || e)
		return cg_fail("cannot write the blocklist to stdout: %s; check where the output "
			       "goes (a closed pipe, a full disk)", e ? "the writer failed" :
			       strerror(errno));
	return CG_EXIT_OK;
}
