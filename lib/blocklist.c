// SPDX-License-Identifier: GPL-2.0
/* blocklist.c - see blocklist.h. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "csumguard.skel.h"
#include "addr.h"
#include "blocklist.h"
#include "err.h"
#include "maps.h"
#include "pins.h"

static void blocklist_path(const char *pin_dir, char *buf, size_t len)
{
	snprintf(buf, len, "%s/" CG_PIN_BLOCKLIST, pin_dir);
}

static void block_count_path(const char *pin_dir, char *buf, size_t len)
{
	snprintf(buf, len, "%s/" CG_PIN_BLOCK_COUNT, pin_dir);
}

/*
 * Moves a's per-source row on every interface with pinned state: into the
 * kept table when it is blocked, back to the LRU table when it is
 * unblocked. Best effort, under the pin lock: a row that is not there
 * (never seen, or state from an older csumguard without a kept table) stays
 * as it is, and stats adds both tables up either way.
 */
static void move_rows(const char *pin_dir, const struct cg_addr *a, int keep)
{
	char (*names)[16] = NULL, path[PATH_MAX];
	size_t n = 0, i;
	int lru, kept;

	if (cg_list_ifaces(pin_dir, &names, &n))
		return;
	for (i = 0; i < n; i++) {
		cg_dir_path(path, sizeof(path), pin_dir, names[i], CG_DIR_INGRESS, CG_PIN_SRC);
		lru = cg_map_open(path);
		cg_dir_path(path, sizeof(path), pin_dir, names[i], CG_DIR_INGRESS,
			    CG_PIN_SRC_KEPT);
		kept = cg_map_open(path);
		if (lru >= 0 && kept >= 0) {
			if (keep)
				cg_src_keep(lru, kept, a);
			else
				cg_src_unkeep(kept, lru, a);
		}
		if (lru >= 0)
			close(lru);
		if (kept >= 0)
			close(kept);
	}
	free(names);
}

/*
 * Raises the datapath's gate (the count it skips the lookup at while it is 0)
 * to one more than the entries there are now, before block adds one. The
 * list and its count are two maps written one after the other: in this
 * order a crash (kill -9) between the two writes leaves the gate too high -
 * one lookup too many - and never too low, where a listed source would
 * pass. cg_block_count_sync makes it exact once the entry is in.
 * 0, or -errno.
 */
static int gate_raise(int fd, int cfd)
{
	struct cg_block_row *rows;
	__u32 zero = 0, count;
	size_t n;
	int e;

	if ((e = cg_blocklist_read_all(fd, &rows, &n)))
		return e;
	free(rows);
	count = (__u32)n + 1;
	return bpf_map_update_elem(cfd, &zero, &count, BPF_ANY) ? -errno : 0;
}

/*
 * The blocklist and its count, pinned under pin_dir: opened, or created
 * exactly as the BPF object defines them (recorded in undo). *fd, *cfd are
 * set as they open (the caller closes them); *max: the list's size.
 * 0, or -errno with err set.
 */
static int block_maps(const char *pin_dir, struct cg_undo *undo, int *fd, int *cfd,
		      __u32 *max, char *err, size_t errlen)
{
	struct csumguard *skel = csumguard__open();
	const struct btf *btf;
	char why[CG_ERRLEN], path[PATH_MAX];
	int ret = 0;

	if (!skel)
		return cg_errf(err, errlen, errno ? -errno : -ENOMEM, "cannot open the embedded "
			       "BPF object: %s; rebuild csumguard (make)", strerror(errno));
	btf = bpf_object__btf(skel->obj);
	*max = bpf_map__max_entries(skel->maps.cg_blocklist);
	blocklist_path(pin_dir, path, sizeof(path));
	*fd = cg_map_open_or_create(skel->maps.cg_blocklist, btf, path, undo, why, sizeof(why));
	if (*fd == -ESTALE)
		ret = cg_errf(err, errlen, *fd, "%s; it was made by another csumguard version: "
			      "note the entries (csumguard blocklist), rm %s, and block them "
			      "again", why, path);
	else if (*fd < 0)
		ret = cg_errf(err, errlen, *fd, "%s; check that %s is on bpffs and you are root",
			      why, pin_dir);
	if (ret)
		goto out;
	block_count_path(pin_dir, path, sizeof(path));
	*cfd = cg_map_open_or_create(skel->maps.cg_block_count, btf, path, undo, why,
				     sizeof(why));
	if (*cfd < 0)
		ret = cg_errf(err, errlen, *cfd, "%s; remove %s (csumguard recreates it) and "
			      "block again", why, path);
out:
	csumguard__destroy(skel);
	return ret;
}

int cg_block_add(const char *pin_dir, const struct cg_addr *a, __u32 flags,
		 const char *reason, struct cg_block_result *r, char *err, size_t errlen)
{
	char path[PATH_MAX], addr[CG_ADDR_STRLEN];
	struct cg_undo undo = {};
	struct cg_block b = {}, old;
	__u32 max = 0;
	char (*names)[16] = NULL;
	size_t nifaces = 0;
	int fd = -1, cfd = -1, lock = -1, e, ret;

	memset(r, 0, sizeof(*r));
	if ((e = cg_check_privileges(CG_NEED_BPF, "block", err, errlen)))
		return e;
	if ((ret = cg_pin_dir_ready(pin_dir, 1, &r->mounted, &undo, err, errlen)) < 0)
		goto out;
	lock = cg_pin_lock(pin_dir);
	if (lock < 0) {
		ret = cg_errf(err, errlen, lock, "cannot lock %s: %s; check --pin-dir", pin_dir,
			      strerror(-lock));
		goto out;
	}
	if ((ret = block_maps(pin_dir, &undo, &fd, &cfd, &max, err, errlen)))
		goto out;
	blocklist_path(pin_dir, path, sizeof(path));

	r->existed = !bpf_map_lookup_elem(fd, a, &old);
	b.added_unix = (__u64)time(NULL);
	b.flags = flags;
	if (reason && reason[0])	/* an empty reason is no reason */
		snprintf(b.reason, sizeof(b.reason), "%s", reason);
	if ((e = gate_raise(fd, cfd))) {
		ret = cg_errf(err, errlen, e, "cannot update the blocklist count: %s; run as "
			      "root", strerror(-e));
		goto out;
	}
	if (bpf_map_update_elem(fd, a, &b, BPF_ANY)) {
		e = errno;
		cg_block_count_sync(fd, cfd);	/* the gate as it was */
		cg_addr_str(a, addr, sizeof(addr));
		if (e == E2BIG || e == ENOMEM)
			ret = cg_errf(err, errlen, -e, "the blocklist is full (%u entries); "
				      "unblock addresses first (csumguard blocklist, csumguard "
				      "unblock ADDR)", max);
		else
			ret = cg_errf(err, errlen, -e, "cannot add %s to %s: %s; run as root",
				      addr, path, strerror(e));
		goto out;
	}
	/* The gate exact again (it is one too high since gate_raise). */
	if ((e = cg_block_count_sync(fd, cfd)) < 0) {
		bpf_map_delete_elem(fd, a);
		if (r->existed)
			bpf_map_update_elem(fd, a, &old, BPF_ANY);
		ret = cg_errf(err, errlen, e, "cannot update the blocklist count: %s; run as "
			      "root", strerror(-e));
		goto out;
	}
	/* The datapath counts the source in the kept table from now on; its
	 * history goes there too. */
	move_rows(pin_dir, a, 1);
	r->no_ifaces = !cg_list_ifaces(pin_dir, &names, &nifaces) && nifaces == 0;
	free(names);
	undo.n = 0;
	ret = 0;
out:
	cg_undo_run(&undo);
	if (ret)
		r->mounted = 0;
	if (fd >= 0)
		close(fd);
	if (cfd >= 0)
		close(cfd);
	if (lock >= 0)
		close(lock);
	return ret;
}

int cg_block_remove(const char *pin_dir, const struct cg_addr *a, char *err, size_t errlen)
{
	char path[PATH_MAX], addr[CG_ADDR_STRLEN];
	int fd = -1, cfd, e, mounted, lock, ret;

	if ((e = cg_check_privileges(CG_NEED_BPF, "unblock", err, errlen)))
		return e;
	cg_addr_str(a, addr, sizeof(addr));
	e = cg_pin_dir_ready(pin_dir, 0, &mounted, NULL, err, errlen);
	if (e < 0)
		return e;
	if (e == 1)
		return cg_errf(err, errlen, -ENOENT, "%s is not blocked (there is no blocklist "
			       "under %s); nothing to do", addr, pin_dir);
	/* Every writer of the blocklist and its count holds the lock. */
	lock = cg_pin_lock(pin_dir);
	if (lock < 0)
		return cg_errf(err, errlen, lock, "cannot lock %s: %s; check --pin-dir", pin_dir,
			       strerror(-lock));
	blocklist_path(pin_dir, path, sizeof(path));
	fd = cg_map_open(path);
	if (fd == -ENOENT) {
		ret = cg_errf(err, errlen, fd, "%s is not blocked (there is no blocklist under "
			      "%s); nothing to do", addr, pin_dir);
		goto out;
	}
	if (fd < 0) {
		ret = cg_errf(err, errlen, fd, "cannot open %s: %s; run as root", path,
			      strerror(-fd));
		goto out;
	}
	if (bpf_map_delete_elem(fd, a)) {
		e = errno;
		if (e == ENOENT)
			ret = cg_errf(err, errlen, -e, "%s is not blocked; see csumguard blocklist",
				      addr);
		else
			ret = cg_errf(err, errlen, -e, "cannot remove %s from %s: %s; run as root",
				      addr, path, strerror(e));
		goto out;
	}
	/* The datapath skips the lookup while the count is 0. Lowered only
	 * now the entry is gone: a crash in between leaves it too high, never
	 * too low (gate_raise). */
	block_count_path(pin_dir, path, sizeof(path));
	cfd = cg_map_open(path);
	e = cfd >= 0 ? cg_block_count_sync(fd, cfd) : cfd == -ENOENT ? 0 : cfd;
	if (cfd >= 0)
		close(cfd);
	if (e < 0) {
		ret = cg_errf(err, errlen, e, "unblocked %s, but cannot update %s: %s; run "
			      "`csumguard unblock` or `csumguard block` again as root to resync",
			      addr, path, strerror(-e));
		goto out;
	}
	move_rows(pin_dir, a, 0);
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	close(lock);
	return ret;
}

int cg_blocklist_get(const char *pin_dir, struct cg_blocklist *bl, char *err, size_t errlen)
{
	char path[PATH_MAX];
	__u32 zero = 0;
	int fd, cfd, e, mounted;

	memset(bl, 0, sizeof(*bl));
	if ((e = cg_check_privileges(CG_NEED_BPF, "blocklist", err, errlen)))
		return e;
	e = cg_pin_dir_ready(pin_dir, 0, &mounted, NULL, err, errlen);
	if (e < 0)
		return e;
	blocklist_path(pin_dir, path, sizeof(path));
	fd = e == 1 ? -ENOENT : cg_map_open(path);
	if (fd == -ENOENT)
		return 0;	/* nothing was ever blocked */
	if (fd < 0)
		return cg_errf(err, errlen, fd, "cannot open %s: %s; run as root", path,
			       strerror(-fd));
	e = cg_blocklist_read_all(fd, &bl->rows, &bl->n);
	close(fd);
	if (e)
		return cg_errf(err, errlen, e, "cannot read %s: %s; run as root", path,
			       strerror(-e));
	/* A reader never writes the gate; it only tells. */
	block_count_path(pin_dir, bl->gate_path, sizeof(bl->gate_path));
	cfd = cg_map_open(bl->gate_path);
	if (cfd >= 0) {
		bl->have_gate = !bpf_map_lookup_elem(cfd, &zero, &bl->gate);
		close(cfd);
	}
	return 0;
}

void cg_blocklist_free(struct cg_blocklist *bl)
{
	free(bl->rows);
	bl->rows = NULL;
	bl->n = 0;
}
