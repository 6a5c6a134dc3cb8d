// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_block.c - `csumguard block`, `unblock`, `blocklist`: lib/blocklist.c
 * does the work; this prints what it did, and the list.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "blocklist.h"
#include "cli.h"
#include "cmds.h"
#include "err.h"
#include "format.h"

int cmd_block(const struct cg_cli *cli)
{
	char err[CG_ERRLEN], addr[CG_ADDR_STRLEN], shown[CG_BLOCK_REASON_LEN];
	const char *reason = cli->block.reason;	/* NULL or non-empty (commands.c) */
	struct cg_block_result r;

	struct cg_block b = { .flags = cli->block.all_traffic ? CG_BLOCK_ALL_TRAFFIC : 0 };
	char until[48] = "", age[24];

	if (reason)
		snprintf(b.reason, sizeof(b.reason), "%s", reason);
	if (cg_block_put(cli->pin_dir, &cli->block.addr, &b, cli->block.ttl_s, &r, err,
			 sizeof(err)))
		return cg_fail("%s", err);
	if (cli->block.ttl_s) {
		cg_fmt_age(cli->block.ttl_s, age, sizeof(age));
		snprintf(until, sizeof(until), "; it ends in %s", age);
	}
	cg_addr_str(&cli->block.addr, addr, sizeof(addr));
	if (r.mounted)
		printf("mounted bpffs on /sys/fs/bpf (it was not mounted)\n");
	if (reason)
		cg_fmt_text(reason, shown, sizeof(shown));
	printf("%s %s: %s dropped on every attached interface%s%s%s%s\n",
	       r.existed ? "re-blocked" : "blocked", addr,
	       cli->block.all_traffic ? "all its IP traffic is" : "its tunnel traffic is",
	       reason ? " (" : "", reason ? shown : "", reason ? ")" : "", until);
	if (r.no_ifaces)
		printf("no interface is attached yet: the block applies from the next "
		       "`csumguard attach`\n");
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

	/* Expired entries go first: whoever runs enforces expiry. */
	if (cg_blocklist_purge_expired(cli->pin_dir, NULL, NULL, err, sizeof(err)) ||
	    cg_blocklist_get(cli->pin_dir, &bl, err, sizeof(err)))
		return cg_fail("%s", err);
	/* The gate is written by block and unblock only: say when it is off
	 * (e.g. an entry added with bpftool). */
	if (bl.have_gate && bl.gate != bl.n)
		fprintf(stderr, "csumguard: warning: the datapath's blocklist gate (%s) says %u "
			"entries but the list holds %zu (changed behind csumguard's back?); %s; "
			"re-block one of them (csumguard block ADDR) to resync\n", bl.gate_path,
			bl.gate, bl.n, !bl.gate && bl.n ? "these blocks are NOT enforced" :
			"lookups cost more");
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
