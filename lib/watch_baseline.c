// SPDX-License-Identifier: GPL-2.0
/*
 * watch_baseline.c - `stats --reset` and `stats --since` (watch.h): a copy of
 * the counters pinned beside them (layout: struct cg_baseline_totals,
 * include/csumguard.h), and a snapshot turned into counts since that copy.
 * The datapath's counters are never reset: other readers (the agent,
 * Prometheus rates, ledger) keep their monotonic counters.
 */
#include <errno.h>
#include <stddef.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "err.h"
#include "maps.h"
#include "names.h"
#include "pins.h"
#include "snapshot.h"
#include "watch.h"

#define PIN_BASE	"baseline"
#define PIN_BASE_TOT	"baseline_totals"
#define NEW		"_new"	/* bpffs refuses names with a dot */

static uint64_t boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Pins fd at DIR/NAME.new and renames it over DIR/NAME (bpffs renames like
 * any file system): a reader sees the old copy or the new one. */
static int pin_over(int fd, const char *dir, const char *name, char *err, size_t errlen)
{
	char tmp[PATH_MAX], path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s/%s" NEW, dir, name);
	unlink(tmp);	/* left by a reset that died */
	if (bpf_obj_pin(fd, tmp))
		return cg_errf(err, errlen, -errno, "cannot pin %s: %s; check --pin-dir", tmp,
			       strerror(errno));
	if (rename(tmp, path)) {
		int e = -errno;

		unlink(tmp);
		return cg_errf(err, errlen, e, "cannot replace %s: %s; check --pin-dir", path,
			       strerror(-e));
	}
	return 0;
}

/* One direction's copy: its rows (at stride: the key, struct cg_addr, at 0
 * and the value of value_size at value_off) and its totals. */
static int save(const char *dir, const char *name, const void *rows, size_t n, size_t stride,
		size_t value_off, size_t value_size, const struct cg_baseline_totals *tot,
		char *err, size_t errlen)
{
	int fd, tfd = -1, e = 0;
	__u32 zero = 0;
	size_t i;

	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "cg_baseline", sizeof(struct cg_addr),
			    (__u32)value_size, n ? (__u32)n : 1, NULL);
	if (fd < 0)
		return cg_errf(err, errlen, -errno, "cannot create the baseline of %s: %s; run "
			       "as root", name, strerror(errno));
	for (i = 0; i < n && !e; i++) {
		const char *r = (const char *)rows + i * stride;

		if (bpf_map_update_elem(fd, r, r + value_off, BPF_NOEXIST))
			e = cg_errf(err, errlen, -errno, "cannot write the baseline of %s: %s",
				    name, strerror(errno));
	}
	if (!e) {
		tfd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "cg_baseline_t", sizeof(__u32),
				     sizeof(*tot), 1, NULL);
		if (tfd < 0 || bpf_map_update_elem(tfd, &zero, tot, BPF_ANY))
			e = cg_errf(err, errlen, -errno, "cannot write the baseline of %s: %s; "
				    "run as root", name, strerror(errno));
	}
	if (!e)
		e = pin_over(fd, dir, PIN_BASE, err, errlen);
	if (!e)
		e = pin_over(tfd, dir, PIN_BASE_TOT, err, errlen);
	close(fd);
	if (tfd >= 0)
		close(tfd);
	return e;
}

int cg_baseline_take(const char *pin_dir, const char *ifname, size_t *n_out, char *err,
		     size_t errlen)
{
	struct cg_baseline_totals tot;
	struct cg_snapshot s;
	char dir[PATH_MAX];
	size_t i;
	int e, lock, taken;

	*n_out = 0;
	if ((e = cg_check_privileges(CG_NEED_BPF, "stats --reset", err, errlen)))
		return e;
	if (!cg_exists(pin_dir))
		return 0;	/* no state at all: nothing to take */
	lock = cg_pin_lock(pin_dir);
	if (lock < 0)
		return cg_errf(err, errlen, lock, "cannot lock %s: %s; check --pin-dir", pin_dir,
			       strerror(-lock));
	e = cg_snapshot_take(pin_dir, ifname, &s, err, errlen);
	taken = !e;
	for (i = 0; !e && i < s.n; i++) {
		struct cg_iface_snap *x = &s.ifaces[i];

		memset(&tot, 0, sizeof(tot));
		tot.taken_unix = (uint64_t)time(NULL);
		tot.taken_ns = boot_ns();
		if (x->has_ingress) {
			tot.in = x->v.tot;
			cg_dir_path(dir, sizeof(dir), pin_dir, x->name, CG_DIR_INGRESS, NULL);
			e = save(dir, x->name, x->v.rows, x->v.nrows, sizeof(*x->v.rows),
				 offsetof(struct cg_src_row, st), sizeof(x->v.rows->st), &tot, err,
				 errlen);
		}
		if (!e && x->has_egress) {
			memset(&tot.eg, 0, sizeof(tot.eg));
			tot.eg = x->ev.etot;
			cg_dir_path(dir, sizeof(dir), pin_dir, x->name, CG_DIR_EGRESS, NULL);
			e = save(dir, x->name, x->ev.drows, x->ev.ndrows, sizeof(*x->ev.drows),
				 offsetof(struct cg_dst_row, st), sizeof(x->ev.drows->st), &tot, err,
				 errlen);
		}
		if (!e)
			(*n_out)++;
	}
	if (taken)
		cg_snapshot_free(&s);
	close(lock);
	return e;
}

/* ------------------------------------------------------------- applying */

/* The copy of one direction: totals, and rows sorted by address. 0, 1 when
 * there is none, -errno with err set. */
static int load(const char *dir, const char *ifname, size_t value_off, size_t value_size,
		size_t stride, struct cg_baseline_totals *tot, void **rows, size_t *n, char *err,
		size_t errlen)
{
	char path[PATH_MAX];
	struct bpf_map_info info = {};
	__u32 len = sizeof(info), zero = 0;
	struct cg_addr key, next;
	size_t cap = 0;
	char *buf = NULL;
	int fd, e = 0, first = 1;

	*rows = NULL;
	*n = 0;
	snprintf(path, sizeof(path), "%s/" PIN_BASE_TOT, dir);
	fd = cg_map_open(path);
	if (fd == -ENOENT)
		return 1;
	if (fd < 0)
		return cg_errf(err, errlen, fd, "cannot open %s: %s; run as root", path,
			       strerror(-fd));
	if (bpf_obj_get_info_by_fd(fd, &info, &len) || info.value_size != sizeof(*tot) ||
	    bpf_map_lookup_elem(fd, &zero, tot))
		e = -ESTALE;
	close(fd);
	snprintf(path, sizeof(path), "%s/" PIN_BASE, dir);
	if (!e && (fd = cg_map_open(path)) < 0)
		e = fd == -ENOENT ? -ESTALE : fd;
	if (!e) {
		len = sizeof(info);
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(fd, &info, &len) || info.value_size != value_size ||
		    info.key_size != sizeof(key))
			e = -ESTALE;
		while (!e && !bpf_map_get_next_key(fd, first ? NULL : &key, &next)) {
			first = 0;
			key = next;
			if (*n == cap) {
				char *nb = realloc(buf, (cap = cap ? 2 * cap : 64) * stride);

				if (!nb) {
					e = -ENOMEM;
					break;
				}
				buf = nb;
			}
			memcpy(buf + *n * stride, &key, sizeof(key));
			if (bpf_map_lookup_elem(fd, &key, buf + *n * stride + value_off))
				continue;	/* gone meanwhile */
			(*n)++;
		}
		close(fd);
	}
	if (e == -ESTALE)
		e = cg_errf(err, errlen, e, "the baseline of %s is not this csumguard's layout "
			    "(taken by another version?); take a new one: csumguard stats %s "
			    "--reset", ifname, ifname);
	else if (e)
		e = cg_errf(err, errlen, e, "cannot read the baseline of %s: %s; run as root",
			    ifname, strerror(-e));
	if (e) {
		free(buf);
		return e;
	}
	*rows = buf;
	return 0;
}

/* Is every counter of a row 0 (nothing since the baseline)? */
static int nothing(const void *st, const struct cg_field *f, size_t nf)
{
	size_t i;

	for (i = 0; i < nf; i++)
		if (!cg_field_is_time(&f[i]) && cg_field_get(st, &f[i]))
			return 0;
	return 1;
}

static int apply_ingress(const char *pin_dir, struct cg_iface_snap *x,
			 struct cg_baseline_totals *tot, int *have, char *err, size_t errlen)
{
	struct cg_src_row *base = NULL, *r;
	const struct cg_src_row *b;
	const struct cg_field *f;
	struct cg_iface_stats t;
	char dir[PATH_MAX];
	size_t n = 0, i, k = 0, nf;
	int e;

	cg_dir_path(dir, sizeof(dir), pin_dir, x->name, CG_DIR_INGRESS, NULL);
	e = load(dir, x->name, offsetof(struct cg_src_row, st), sizeof(base->st), sizeof(*base),
		 tot, (void **)&base, &n, err, errlen);
	if (e < 0)
		return e;
	*have = e == 0;
	if (!*have)
		return 0;
	f = cg_src_fields(&nf);
	cg_src_rows_sort_addr(base, n);
	for (i = 0; i < x->v.nrows; i++) {
		r = &x->rows[i];
		b = cg_src_rows_find(base, n, &r->addr);
		cg_src_stats_delta(&r->st, b ? &b->st : NULL, &x->rows[k].st);
		x->rows[k].addr = r->addr;
		if (!nothing(&x->rows[k].st, f, nf))
			k++;
	}
	x->v.nrows = k;
	cg_iface_stats_delta(&x->v.tot, &tot->in, &t);
	x->v.tot = t;
	free(base);
	return 0;
}

static int apply_egress(const char *pin_dir, struct cg_iface_snap *x,
			struct cg_baseline_totals *tot, int *have, char *err, size_t errlen)
{
	struct cg_dst_row *base = NULL, *r;
	const struct cg_dst_row *b;
	const struct cg_field *f;
	struct cg_egress_stats t;
	char dir[PATH_MAX];
	size_t n = 0, i, k = 0, nf;
	int e;

	cg_dir_path(dir, sizeof(dir), pin_dir, x->name, CG_DIR_EGRESS, NULL);
	e = load(dir, x->name, offsetof(struct cg_dst_row, st), sizeof(base->st), sizeof(*base),
		 tot, (void **)&base, &n, err, errlen);
	if (e < 0)
		return e;
	*have = e == 0;
	if (!*have)
		return 0;
	f = cg_dst_fields(&nf);
	cg_dst_rows_sort_addr(base, n);
	for (i = 0; i < x->ev.ndrows; i++) {
		r = &x->drows[i];
		b = cg_dst_rows_find(base, n, &r->addr);
		cg_dst_stats_delta(&r->st, b ? &b->st : NULL, &x->drows[k].st);
		x->drows[k].addr = r->addr;
		if (!nothing(&x->drows[k].st, f, nf))
			k++;
	}
	x->ev.ndrows = k;
	cg_egress_stats_delta(&x->ev.etot, &tot->eg, &t);
	x->ev.etot = t;
	free(base);
	return 0;
}

int cg_baseline_apply(const char *pin_dir, struct cg_snapshot *s, int64_t *since_unix,
		      char *err, size_t errlen)
{
	struct cg_baseline_totals ti, te;
	size_t i;
	int e, hi = 0, he = 0;
	int64_t t;

	*since_unix = 0;
	for (i = 0; i < s->n; i++) {
		struct cg_iface_snap *x = &s->ifaces[i];

		hi = he = 0;
		if (x->has_ingress && (e = apply_ingress(pin_dir, x, &ti, &hi, err, errlen)))
			return e;
		if (x->has_egress && (e = apply_egress(pin_dir, x, &te, &he, err, errlen)))
			return e;
		/* A direction attached after the reset has no copy: all of it
		 * came after. Neither: there was no reset. */
		if (!hi && !he)
			return cg_errf(err, errlen, -ENOENT, "no baseline for %s; take one: "
				       "csumguard stats %s --reset", x->name, x->name);
		t = (int64_t)(hi ? ti.taken_unix : te.taken_unix);
		x->v.since_unix = x->ev.since_unix = t;
		if (!*since_unix || t < *since_unix)
			*since_unix = t;
	}
	return 0;
}
