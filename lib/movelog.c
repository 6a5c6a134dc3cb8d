// SPDX-License-Identifier: GPL-2.0
/* movelog.c - see movelog.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <bpf/bpf.h>
#include "maps.h"
#include "movelog.h"
#include "names.h"
#include "pins.h"

/* One entry of the journal (an array map, user space only) per interface
 * and row part (the per-CPU part, and the shared part in the table pinned
 * with CG_PIN_RARE_SUFFIX: cg_src_move_rows moves each on its own): this
 * header, then the source row and the target row as they were, each
 * row_size bytes (every CPU's value, as bpf_map_lookup_elem fills it). */
struct movelog_hdr {
	struct cg_addr a;
	char ifname[16];
	char table[16];
	__u32 keep;		/* 1: CG_PIN_SRC -> table, 0: table -> CG_PIN_SRC */
	__u32 row_size;
	__u8 from_present;
	__u8 to_present;
	__u8 rare;		/* the shared part's tables */
	__u8 pad[5];
};

static void log_path(const char *pin_dir, char *buf, size_t len)
{
	snprintf(buf, len, "%s/" CG_PIN_MOVE_LOG, pin_dir);
}

/* The source (from) and target (to) tables of a move on ifname: of the
 * rows' per-CPU part, or of their shared part (rare). */
static void move_fds(const char *pin_dir, const char *ifname, const char *table, int keep,
		     int rare, int *from, int *to)
{
	const char *sfx = rare ? CG_PIN_RARE_SUFFIX : "";
	char path[PATH_MAX], name[64];
	int lru, tab;

	snprintf(name, sizeof(name), "%s%s", CG_PIN_SRC, sfx);
	cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_INGRESS, name);
	lru = cg_map_open(path);
	snprintf(name, sizeof(name), "%s%s", table, sfx);
	cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_INGRESS, name);
	tab = cg_map_open(path);
	*from = keep ? lru : tab;
	*to = keep ? tab : lru;
}

static void close_fds(int a, int b)
{
	if (a >= 0)
		close(a);
	if (b >= 0)
		close(b);
}

/* Bytes bpf_map_lookup_elem fills for one key of fd (every CPU's value for
 * a per-CPU map), or 0. */
static size_t row_size(int fd)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	int ncpus = cg_ncpus();
	size_t v;

	if (fd < 0 || ncpus < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
		return 0;
	v = info.value_size;
	if (info.type == BPF_MAP_TYPE_PERCPU_HASH || info.type == BPF_MAP_TYPE_LRU_PERCPU_HASH ||
	    info.type == BPF_MAP_TYPE_PERCPU_ARRAY)
		v = ((v + 7) & ~(size_t)7) * (size_t)ncpus;
	return v;
}

static int all_zero(const __u8 *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

int cg_move_rows_logged(const char *pin_dir, const char *table_pin, const struct cg_addr *a,
			int keep)
{
	char (*names)[16] = NULL, path[PATH_MAX];
	size_t n = 0, i, rs[2] = { 0, 0 }, vs;
	struct movelog_hdr *h;
	__u8 *val = NULL;
	int fd = -1, from, to, e = 0, part;
	__u32 k = 0;

	if (cg_list_ifaces(pin_dir, &names, &n) || !n)
		goto move;
	/* Each part's row size (the same table definition on every
	 * interface); a shared part that is not there is not journaled. */
	for (part = 0; part < 2; part++)
		for (i = 0; i < n && !rs[part]; i++) {
			move_fds(pin_dir, names[i], table_pin, keep, part, &from, &to);
			rs[part] = row_size(from);
			if (rs[part] && row_size(to) != rs[part])
				rs[part] = 0;
			close_fds(from, to);
		}
	if (!rs[0])
		goto move;
	vs = sizeof(*h) + 2 * (rs[0] > rs[1] ? rs[0] : rs[1]);
	val = calloc(1, vs);
	if (!val) {
		e = -ENOMEM;
		goto move;
	}
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "cg_movelog", sizeof(__u32), (__u32)vs,
			    (__u32)(2 * n), NULL);
	if (fd < 0) {
		e = -errno;
		goto move;
	}
	h = (struct movelog_hdr *)val;
	for (part = 0; part < 2; part++)
		for (i = 0; i < n && rs[part]; i++, k++) {
			memset(val, 0, vs);
			h->a = *a;
			memcpy(h->ifname, names[i], sizeof(h->ifname));
			snprintf(h->table, sizeof(h->table), "%s", table_pin);
			h->keep = !!keep;
			h->rare = (__u8)part;
			h->row_size = (__u32)rs[part];
			move_fds(pin_dir, names[i], table_pin, keep, part, &from, &to);
			h->from_present = from >= 0 &&
				!bpf_map_lookup_elem(from, a, val + sizeof(*h));
			h->to_present = to >= 0 &&
				!bpf_map_lookup_elem(to, a, val + sizeof(*h) + rs[part]);
			close_fds(from, to);
			if (bpf_map_update_elem(fd, &k, val, BPF_ANY)) {
				e = -errno;
				goto move;
			}
		}
	/* Pinned whole: from here a kill leaves a journal to finish. */
	log_path(pin_dir, path, sizeof(path));
	unlink(path);		/* a stale one: the caller recovered under the lock */
	if (bpf_obj_pin(fd, path)) {
		e = -errno;
		goto move;
	}
	cg_src_move_rows(pin_dir, table_pin, a, keep);
	unlink(path);
	goto out;
move:
	cg_src_move_rows(pin_dir, table_pin, a, keep);
out:
	if (fd >= 0)
		close(fd);
	free(val);
	free(names);
	return e;
}

/* One journaled interface: 1 if the move must run (again), 0 if it is done
 * (or finished here). */
static int recover_one(const char *pin_dir, const struct movelog_hdr *h, const __u8 *rows)
{
	size_t rs = h->row_size;
	__u8 *now = calloc(1, rs ? rs : 1);
	int from, to, present, again = 0;

	if (!now)
		return 1;
	move_fds(pin_dir, h->ifname, h->table, h->keep, h->rare, &from, &to);
	if (from < 0 || to < 0 || row_size(from) != rs)
		goto out;		/* the interface is gone: nothing to move */
	if (bpf_map_lookup_elem(from, &h->a, now) || all_zero(now, rs))
		goto out;		/* emptied: moved */
	present = !bpf_map_lookup_elem(to, &h->a, now);
	if (present == h->to_present && (!present || !memcmp(now, rows + rs, rs))) {
		again = 1;		/* the target as it was: not added */
		goto out;
	}
	/* Added, not emptied: the source row still holds what was added. */
	if (!h->from_present || bpf_map_lookup_elem(from, &h->a, now) ||
	    memcmp(now, rows, rs)) {
		again = 1;
		goto out;
	}
	if (h->keep) {		/* an LRU row is zeroed in place (maps.c src_move) */
		memset(now, 0, rs);
		bpf_map_update_elem(from, &h->a, now, BPF_EXIST);
	} else {
		bpf_map_delete_elem(from, &h->a);
	}
out:
	close_fds(from, to);
	free(now);
	return again;
}

int cg_move_recover(const char *pin_dir, int locked)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info), k;
	char path[PATH_MAX];
	struct movelog_hdr h, first = {};
	int fd, lock = -1, again = 0, e = 0;
	__u8 *val = NULL;

	log_path(pin_dir, path, sizeof(path));
	if (access(path, F_OK))
		return 0;
	if (!locked) {
		lock = open(pin_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (lock < 0)
			return -errno;
		if (flock(lock, LOCK_EX | LOCK_NB)) {
			e = errno == EWOULDBLOCK ? 0 : -errno;
			close(lock);
			return e;	/* a live command holds it: its own move */
		}
	}
	fd = cg_map_open(path);
	if (fd < 0) {
		e = fd == -ENOENT ? 0 : fd;
		goto out;
	}
	if (bpf_obj_get_info_by_fd(fd, &info, &len) || info.value_size < sizeof(h)) {
		e = -EINVAL;
		goto out;
	}
	val = calloc(1, info.value_size);
	if (!val) {
		e = -ENOMEM;
		goto out;
	}
	for (k = 0; k < info.max_entries; k++) {
		if (bpf_map_lookup_elem(fd, &k, val))
			continue;
		memcpy(&h, val, sizeof(h));
		if (!h.row_size || sizeof(h) + 2 * (size_t)h.row_size > info.value_size ||
		    !memchr(h.ifname, 0, sizeof(h.ifname)) || !memchr(h.table, 0, sizeof(h.table)))
			continue;	/* not written */
		if (!first.row_size)
			first = h;
		again |= recover_one(pin_dir, &h, val + sizeof(h));
	}
	/* The interfaces still to move: once more, whole (a moved or emptied
	 * row moves nothing). */
	if (again)
		cg_src_move_rows(pin_dir, first.table, &first.a, (int)first.keep);
	unlink(path);
	e = 1;
out:
	if (fd >= 0)
		close(fd);
	free(val);
	if (lock >= 0)
		close(lock);
	return e;
}
