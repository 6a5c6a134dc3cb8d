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
#include "movelog.h"
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

uint64_t cg_boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Removes the expired entries of the open blocklist fd (count map cfd, may
 * be < 0), their rows moved back; the gone ones into *gone. Under the lock.
 * Returns how many, or -errno. */
static int purge_expired(const char *pin_dir, int fd, int cfd, struct cg_block_row **gone,
			 size_t *ngone)
{
	struct cg_block_row *rows;
	time_t now = time(NULL);
	uint64_t now_ns = cg_boot_ns();
	size_t n, i, k = 0;
	int e;

	if (gone) {
		*gone = NULL;
		*ngone = 0;
	}
	if ((e = cg_blocklist_read_all(fd, &rows, &n)))
		return e;
	for (i = 0; i < n; i++) {
		/* the datapath's clock when there is one (exact to the ns, and
		 * what it enforces), else the wall clock's seconds */
		if (rows[i].b.expires_ns ? rows[i].b.expires_ns > now_ns :
		    !rows[i].b.expires_unix || rows[i].b.expires_unix > (__u64)now)
			continue;
		if (bpf_map_delete_elem(fd, &rows[i].addr) && errno != ENOENT) {
			e = -errno;
			break;
		}
		cg_move_rows_logged(pin_dir, CG_PIN_SRC_KEPT, &rows[i].addr, 0);
		rows[k++] = rows[i];
	}
	if (k && cfd >= 0 && !e) {
		int c = cg_block_count_sync(fd, cfd);

		e = c < 0 ? c : 0;
	}
	if (gone && !e && k) {
		*gone = rows;
		*ngone = k;
	} else {
		free(rows);
	}
	return e ? e : (int)k;
}

int cg_block_add(const char *pin_dir, const struct cg_addr *a, __u32 flags,
		 const char *reason, struct cg_block_result *r, char *err, size_t errlen)
{
	struct cg_block b = { .flags = flags };

	if (reason && reason[0])	/* an empty reason is no reason */
		snprintf(b.reason, sizeof(b.reason), "%s", reason);
	return cg_block_put(pin_dir, a, &b, 0, r, err, errlen);
}

int cg_block_put(const char *pin_dir, const struct cg_addr *a, const struct cg_block *tmpl,
		 uint64_t ttl_s, struct cg_block_result *r, char *err, size_t errlen)
{
	char path[PATH_MAX], addr[CG_ADDR_STRLEN];
	struct cg_undo undo = {};
	struct cg_block b = *tmpl, old;
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
	cg_move_recover(pin_dir, 1);	/* a move a killed command left */
	if ((ret = block_maps(pin_dir, &undo, &fd, &cfd, &max, err, errlen)))
		goto out;
	blocklist_path(pin_dir, path, sizeof(path));

	purge_expired(pin_dir, fd, cfd, NULL, NULL);
	r->existed = !bpf_map_lookup_elem(fd, a, &old);
	b.added_unix = (__u64)time(NULL);
	b.expires_unix = ttl_s ? b.added_unix + ttl_s : 0;
	b.expires_ns = ttl_s ? cg_boot_ns() + ttl_s * 1000000000ull : 0;
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
	cg_move_rows_logged(pin_dir, CG_PIN_SRC_KEPT, a, 1);
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
	cg_move_recover(pin_dir, 1);	/* a move a killed command left */
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
	block_count_path(pin_dir, path, sizeof(path));
	cfd = cg_map_open(path);
	purge_expired(pin_dir, fd, cfd, NULL, NULL);
	if (cfd >= 0)
		close(cfd);
	blocklist_path(pin_dir, path, sizeof(path));
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
	cg_move_rows_logged(pin_dir, CG_PIN_SRC_KEPT, a, 0);
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

int cg_blocklist_purge_expired(const char *pin_dir, struct cg_block_row **gone, size_t *ngone,
			       char *err, size_t errlen)
{
	char path[PATH_MAX];
	int fd, cfd, e, mounted, lock;

	if (gone) {
		*gone = NULL;
		*ngone = 0;
	}
	if ((e = cg_check_privileges(CG_NEED_BPF, "blocklist", err, errlen)))
		return e;
	e = cg_pin_dir_ready(pin_dir, 0, &mounted, NULL, err, errlen);
	if (e < 0)
		return e;
	if (e == 1)
		return 0;
	lock = cg_pin_lock(pin_dir);
	if (lock < 0)
		return cg_errf(err, errlen, lock, "cannot lock %s: %s; check --pin-dir", pin_dir,
			       strerror(-lock));
	cg_move_recover(pin_dir, 1);	/* a move a killed command left */
	blocklist_path(pin_dir, path, sizeof(path));
	fd = cg_map_open(path);
	if (fd == -ENOENT) {
		close(lock);
		return 0;
	}
	if (fd < 0) {
		close(lock);
		return cg_errf(err, errlen, fd, "cannot open %s: %s; run as root", path,
			       strerror(-fd));
	}
	block_count_path(pin_dir, path, sizeof(path));
	cfd = cg_map_open(path);
	e = purge_expired(pin_dir, fd, cfd, gone, ngone);
	if (cfd >= 0)
		close(cfd);
	close(fd);
	close(lock);
	if (e < 0)
		return cg_errf(err, errlen, e, "cannot remove expired blocks from %s/"
			       CG_PIN_BLOCKLIST ": %s; run as root", pin_dir, strerror(-e));
	return 0;
}
