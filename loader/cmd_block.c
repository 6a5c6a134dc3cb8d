// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_block.c - `csumguard block`, `unblock`, `blocklist`.
 *
 * The blocklist is pinned at PIN_DIR/blocklist and shared by every
 * attachment. `block` works before any attach: it creates the map exactly as
 * the BPF object defines it (the skeleton is opened, not loaded, to read the
 * definition) and pins it; a later attach binds the program to it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "csumguard.skel.h"
#include "cli.h"
#include "cmds.h"
#include "format.h"
#include "maps.h"
#include "names.h"
#include "pins.h"

static void blocklist_path(const struct cg_cli *cli, char *buf, size_t len)
{
	snprintf(buf, len, "%s/" CG_PIN_BLOCKLIST, cli->pin_dir);
}

static void block_count_path(const struct cg_cli *cli, char *buf, size_t len)
{
	snprintf(buf, len, "%s/" CG_PIN_BLOCK_COUNT, cli->pin_dir);
}

/*
 * Moves addr's per-source row on every interface with pinned state: into
 * the kept table when it is blocked (a spoofed-source flood cannot evict a
 * blocked source's counters, SPEC 2.9), back to the LRU table when it is
 * unblocked. Best effort, under the pin lock: a row that is not there (never
 * seen, or state from an older csumguard without a kept table) stays as it
 * is, and stats adds both tables up either way.
 */
static void move_rows(const struct cg_cli *cli, int keep)
{
	char (*names)[16] = NULL, path[PATH_MAX];
	size_t n = 0, i;
	int lru, kept;

	if (cg_list_ifaces(cli->pin_dir, &names, &n))
		return;
	for (i = 0; i < n; i++) {
		cg_dir_path(path, sizeof(path), cli->pin_dir, names[i], CG_DIR_INGRESS, CG_PIN_SRC);
		lru = cg_map_open(path);
		cg_dir_path(path, sizeof(path), cli->pin_dir, names[i], CG_DIR_INGRESS,
			    CG_PIN_SRC_KEPT);
		kept = cg_map_open(path);
		if (lru >= 0 && kept >= 0) {
			if (keep)
				cg_src_keep(lru, kept, &cli->block.addr);
			else
				cg_src_unkeep(kept, lru, &cli->block.addr);
		}
		if (lru >= 0)
			close(lru);
		if (kept >= 0)
			close(kept);
	}
	free(names);
}

int cmd_block(const struct cg_cli *cli)
{
	char err[CG_ERR_LEN], path[PATH_MAX], addr[CG_ADDR_STRLEN];
	char shown[CG_BLOCK_REASON_LEN];
	/* An empty --reason is no reason. */
	const char *reason = cli->block.reason && cli->block.reason[0] ? cli->block.reason : NULL;
	struct cg_undo undo = {};
	struct csumguard *skel = NULL;
	struct cg_block b = {}, old;
	char (*names)[16] = NULL;
	size_t nifaces = 0;
	int fd = -1, cfd = -1, lock = -1, mounted = 0, e, existed, ret = CG_EXIT_FAIL;

	if (cg_check_privileges(CG_NEED_BPF, "block", err, sizeof(err)))
		return cg_fail("%s", err);
	e = cg_pin_dir_ready(cli->pin_dir, 1, &mounted, &undo, err, sizeof(err));
	if (e < 0)
		return cg_fail("%s", err);
	lock = cg_pin_lock(cli->pin_dir);
	if (lock < 0) {
		cg_fail("cannot lock %s: %s; check --pin-dir", cli->pin_dir, strerror(-lock));
		goto out;
	}
	skel = csumguard__open();
	if (!skel) {
		cg_fail("cannot open the embedded BPF object: %s; rebuild csumguard (make)",
			strerror(errno));
		goto out;
	}
	blocklist_path(cli, path, sizeof(path));
	fd = cg_map_open_or_create(skel->maps.cg_blocklist, bpf_object__btf(skel->obj), path, &undo, err, sizeof(err));
	if (fd == -ESTALE) {
		cg_fail("%s; it was made by another csumguard version: note the entries "
			"(csumguard blocklist), rm %s, and block them again", err, path);
		goto out;
	}
	if (fd < 0) {
		cg_fail("%s; check that %s is on bpffs and you are root", err, cli->pin_dir);
		goto out;
	}
	block_count_path(cli, path, sizeof(path));
	cfd = cg_map_open_or_create(skel->maps.cg_block_count, bpf_object__btf(skel->obj), path,
				    &undo, err, sizeof(err));
	if (cfd < 0) {
		cg_fail("%s; remove %s (csumguard recreates it) and block again", err, path);
		goto out;
	}
	blocklist_path(cli, path, sizeof(path));

	existed = !bpf_map_lookup_elem(fd, &cli->block.addr, &old);
	b.added_unix = (__u64)time(NULL);
	b.flags = cli->block.all_traffic ? CG_BLOCK_ALL_TRAFFIC : 0;
	if (reason)
		snprintf(b.reason, sizeof(b.reason), "%s", reason);
	if (bpf_map_update_elem(fd, &cli->block.addr, &b, BPF_ANY)) {
		e = errno;
		if (e == E2BIG || e == ENOMEM)
			cg_fail("the blocklist is full (%u entries); unblock addresses first "
				"(csumguard blocklist, csumguard unblock ADDR)",
				bpf_map__max_entries(skel->maps.cg_blocklist));
		else
			cg_fail("cannot add %s to %s: %s; run as root", cli->block.addr_str, path,
				strerror(e));
		goto out;
	}
	/* The datapath skips the lookup while the count is 0. Written only by
	 * block and unblock, both under the pin lock (a reader that wrote it
	 * could close the gate over a fresh entry: issue 6). */
	if ((e = cg_block_count_sync(fd, cfd)) < 0) {
		bpf_map_delete_elem(fd, &cli->block.addr);
		if (existed)
			bpf_map_update_elem(fd, &cli->block.addr, &old, BPF_ANY);
		cg_fail("cannot update the blocklist count: %s; run as root", strerror(-e));
		goto out;
	}
	/* The datapath counts the source in the kept table from now on; its
	 * history goes there too. */
	move_rows(cli, 1);

	cg_addr_str(&cli->block.addr, addr, sizeof(addr));
	if (mounted)
		printf("mounted bpffs on /sys/fs/bpf (it was not mounted)\n");
	if (reason)
		cg_fmt_text(reason, shown, sizeof(shown));
	printf("%s %s: %s dropped on every attached interface%s%s%s\n",
	       existed ? "re-blocked" : "blocked", addr,
	       cli->block.all_traffic ? "all its IP traffic is" : "its tunnel traffic is",
	       reason ? " (" : "", reason ? shown : "", reason ? ")" : "");
	if (!cg_list_ifaces(cli->pin_dir, &names, &nifaces) && nifaces == 0)
		printf("no interface is attached yet: the block applies from the next "
		       "`csumguard attach`\n");
	free(names);
	undo.n = 0;
	mounted = 0;
	ret = CG_EXIT_OK;
out:
	cg_undo_run(&undo);
	if (fd >= 0)
		close(fd);
	if (cfd >= 0)
		close(cfd);
	csumguard__destroy(skel);
	if (lock >= 0)
		close(lock);
	return ret;
}

int cmd_unblock(const struct cg_cli *cli)
{
	char err[CG_ERR_LEN], path[PATH_MAX], addr[CG_ADDR_STRLEN];
	int fd = -1, cfd, e, mounted, lock = -1, ret = CG_EXIT_FAIL;

	if (cg_check_privileges(CG_NEED_BPF, "unblock", err, sizeof(err)))
		return cg_fail("%s", err);
	cg_addr_str(&cli->block.addr, addr, sizeof(addr));
	e = cg_pin_dir_ready(cli->pin_dir, 0, &mounted, NULL, err, sizeof(err));
	if (e < 0)
		return cg_fail("%s", err);
	if (e == 1)
		return cg_fail("%s is not blocked (there is no blocklist under %s); "
			       "nothing to do", addr, cli->pin_dir);
	/* Every writer of the blocklist and its count holds the lock. */
	lock = cg_pin_lock(cli->pin_dir);
	if (lock < 0)
		return cg_fail("cannot lock %s: %s; check --pin-dir", cli->pin_dir,
			       strerror(-lock));
	blocklist_path(cli, path, sizeof(path));
	fd = cg_map_open(path);
	if (fd == -ENOENT) {
		cg_fail("%s is not blocked (there is no blocklist under %s); nothing to do",
			addr, cli->pin_dir);
		goto out;
	}
	if (fd < 0) {
		cg_fail("cannot open %s: %s; run as root", path, strerror(-fd));
		goto out;
	}
	if (bpf_map_delete_elem(fd, &cli->block.addr)) {
		e = errno;
		if (e == ENOENT)
			cg_fail("%s is not blocked; see csumguard blocklist", addr);
		else
			cg_fail("cannot remove %s from %s: %s; run as root", addr, path,
				strerror(e));
		goto out;
	}
	/* The datapath skips the lookup while the count is 0. */
	block_count_path(cli, path, sizeof(path));
	cfd = cg_map_open(path);
	e = cfd >= 0 ? cg_block_count_sync(fd, cfd) : cfd == -ENOENT ? 0 : cfd;
	if (cfd >= 0)
		close(cfd);
	if (e < 0) {
		cg_fail("unblocked %s, but cannot update %s: %s; run `csumguard unblock` or "
			"`csumguard block` again as root to resync", addr, path, strerror(-e));
		goto out;
	}
	move_rows(cli, 0);
	printf("unblocked %s: its traffic passes again\n", addr);
	ret = CG_EXIT_OK;
out:
	if (fd >= 0)
		close(fd);
	close(lock);
	return ret;
}

int cmd_blocklist(const struct cg_cli *cli)
{
	char err[CG_ERR_LEN], path[PATH_MAX];
	struct cg_block_row *rows = NULL;
	size_t n = 0;
	int fd, e, mounted;

	if (cg_check_privileges(CG_NEED_BPF, "blocklist", err, sizeof(err)))
		return cg_fail("%s", err);
	e = cg_pin_dir_ready(cli->pin_dir, 0, &mounted, NULL, err, sizeof(err));
	if (e < 0)
		return cg_fail("%s", err);
	blocklist_path(cli, path, sizeof(path));
	fd = e == 1 ? -ENOENT : cg_map_open(path);
	if (fd >= 0) {
		__u32 zero = 0, gate = 0;
		int cfd;

		e = cg_blocklist_read_all(fd, &rows, &n);
		close(fd);
		if (e)
			return cg_fail("cannot read %s: %s; run as root", path, strerror(-e));
		/* A reader never writes the gate (issue 6: a stale write could
		 * close it over a fresh entry); it only says when it is off. */
		block_count_path(cli, path, sizeof(path));
		cfd = cg_map_open(path);
		if (cfd >= 0 && !bpf_map_lookup_elem(cfd, &zero, &gate) && gate != n)
			fprintf(stderr, "csumguard: warning: the datapath's blocklist gate (%s) "
				"says %u entries but the list holds %zu (changed behind "
				"csumguard's back?); %s; re-block one of them (csumguard block "
				"ADDR) to resync\n", path, gate, n,
				!gate && n ? "these blocks are NOT enforced" : "lookups cost more");
		if (cfd >= 0)
			close(cfd);
	} else if (fd != -ENOENT) {
		return cg_fail("cannot open %s: %s; run as root", path, strerror(-fd));
	}
	cg_sort_blocklist(rows, n);
	if (cli->json)
		cg_render_blocklist_json(stdout, rows, n, (int64_t)time(NULL));
	else
		cg_render_blocklist_table(stdout, rows, n, (int64_t)time(NULL));
	free(rows);
	return CG_EXIT_OK;
}
