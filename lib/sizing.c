// SPDX-License-Identifier: GPL-2.0
/* sizing.c - see sizing.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "err.h"
#include "memsize.h"
#include "sizing.h"

/* The pinned table at path: its max_entries and memlock. 1 if there is
 * one, 0 if not, -errno. */
static int pinned_table(const char *path, uint32_t *entries, uint64_t *bytes)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	int fd = bpf_obj_get(path), e = 0;

	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		e = -errno;
	else if ((e = cg_map_memlock(fd, bytes)) == -ENOENT)
		e = 0, *bytes = 0;	/* a kernel that does not say: unknown */
	close(fd);
	*entries = info.max_entries;
	return e ? e : 1;
}

/* The memlock of the pinned table at path (0 if none or the kernel does not
 * say): the shared parts' table beside a pinned per-source table. */
static uint64_t pinned_bytes(const char *path)
{
	uint64_t b = 0;
	int fd = bpf_obj_get(path);

	if (fd < 0)
		return 0;
	if (cg_map_memlock(fd, &b))
		b = 0;
	close(fd);
	return b;
}

/* Two tables of the same max_entries (rare: the shared parts beside the
 * per-CPU ones, or geometry with percpu -1: none): their bytes. */
struct two_tabs {
	struct cg_htab_geom g, gr;
	uint32_t vsize, vsize_r;
	int rare;
};

static uint64_t two_bytes(const struct two_tabs *w, uint32_t n, int ncpus)
{
	return cg_htab_bytes(&w->g, n, w->vsize, ncpus) +
	       (w->rare ? cg_htab_bytes(&w->gr, n, w->vsize_r, ncpus) : 0);
}

/* The most entries (at most limit) whose tables fit in budget. */
static uint32_t two_fit(const struct two_tabs *w, uint64_t budget, int ncpus, uint32_t limit)
{
	uint32_t lo = 0, hi = limit, mid;

	if (!w->rare)
		return cg_htab_fit(&w->g, budget, w->vsize, ncpus, limit);
	while (lo < hi) {
		mid = lo + (hi - lo + 1) / 2;
		if (two_bytes(w, mid, ncpus) <= budget)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* The geometry of def's type (measured, or the kernel source's before
 * 6.4: *estimated set). 0 or -errno. */
static int geom(const struct bpf_map *def, int ncpus, struct cg_htab_geom *g, int *estimated)
{
	int e = cg_htab_measure(bpf_map__type(def), bpf_map__key_size(def), g);

	if (e == -ERANGE) {
		/* before 6.4: memlock is no measure; the kernel source's sizes */
		cg_htab_geom_source(bpf_map__type(def), bpf_map__key_size(def), ncpus, g);
		*estimated = 1;
		e = 0;
	}
	return e;
}

const struct cg_table_kind cg_table_src = { "source", "--sources" };
const struct cg_table_kind cg_table_dst = { "destination", NULL };

int cg_size_table(const struct cg_table_kind *k, const struct bpf_map *def,
		  const struct bpf_map *rare, const char *pin_path, const char *ifname,
		  uint32_t sources, uint64_t budget, struct cg_table_size *t, char *err,
		  size_t errlen)
{
	char b1[32], b2[32], arg[32], rpath[4096];
	struct two_tabs w = { .vsize = bpf_map__value_size(def), .rare = rare != NULL };
	int given = budget != 0, e;
	uint32_t fit;

	memset(t, 0, sizeof(*t));
	if (rare)
		w.vsize_r = bpf_map__value_size(rare);
	snprintf(rpath, sizeof(rpath), "%s_rare", pin_path);
	t->budget = given ? budget : CG_MEMORY_DEFAULT;
	t->ncpus = libbpf_num_possible_cpus();
	if (t->ncpus < 1)
		return cg_errf(err, errlen, t->ncpus < 0 ? t->ncpus : -EINVAL, "cannot tell this "
			       "machine's possible CPUs (/sys/devices/system/cpu/possible); check "
			       "that /sys is mounted");
	cg_fmt_bytes(t->budget, b2, sizeof(b2));

	/* A pinned table keeps its size: its counters continue. */
	e = pinned_table(pin_path, &t->entries, &t->bytes);
	if (e < 0)
		return cg_errf(err, errlen, e, "cannot read %s: %s; run as root", pin_path,
			       strerror(-e));
	if (e == 1 && (!sources || sources == t->entries)) {
		t->from_pin = 1;
		if (rare)
			t->bytes += pinned_bytes(rpath);
		/* before 6.4 memlock is an estimate (memsize.h): the formula's */
		if (cg_htab_measure(bpf_map__type(def), bpf_map__key_size(def), &w.g) == -ERANGE) {
			cg_htab_geom_source(bpf_map__type(def), bpf_map__key_size(def), t->ncpus,
					    &w.g);
			if (rare)
				cg_htab_geom_source(bpf_map__type(rare), bpf_map__key_size(rare),
						    t->ncpus, &w.gr);
			t->bytes = two_bytes(&w, t->entries, t->ncpus);
			t->estimated = 1;
		}
		cg_fmt_bytes(t->bytes, b1, sizeof(b1));
		cg_fmt_size_arg(t->bytes, arg, sizeof(arg));
		if (given && t->bytes > t->budget)
			return cg_errf(err, errlen, -E2BIG, "the pinned %s table of %s holds "
				       "%u %ss in %s of kernel memory, over --memory %s; give "
				       "--memory %s or more, or start afresh (its counters go) with "
				       "`csumguard detach %s --purge`, then attach sizes it to fit",
				       k->what, ifname, t->entries, k->what, b1, b2, arg, ifname);
		return 0;
	}
	if (e == 1)
		return cg_errf(err, errlen, -ESTALE, "the pinned %s table of %s holds %u "
			       "%ss, not %s %u; keep its size (attach without %s) or start "
			       "afresh with `csumguard detach %s --purge` (drops its counters)",
			       k->what, ifname, t->entries, k->what, k->option ? k->option : "",
			       sources, k->option ? k->option : "it", ifname);

	/* A new table: the kernel's formula for this machine's CPUs, both
	 * tables of a per-source row (bpf/maps.bpf.h: cg_src and cg_src_rare,
	 * the same max_entries). */
	e = geom(def, t->ncpus, &w.g, &t->estimated);
	if (!e && rare)
		e = geom(rare, t->ncpus, &w.gr, &t->estimated);
	if (e)
		return cg_errf(err, errlen, e, "cannot measure the kernel's hash table memory: "
			       "%s; run as root, or rerun with --verbose", strerror(-e));
	fit = two_fit(&w, t->budget, t->ncpus, CG_SOURCES_MAX);
	if (sources) {
		t->entries = sources;
		t->bytes = two_bytes(&w, sources, t->ncpus);
		if (t->bytes > t->budget) {
			cg_fmt_bytes(t->bytes, b1, sizeof(b1));
			cg_fmt_size_arg(t->bytes, arg, sizeof(arg));
			return cg_errf(err, errlen, -E2BIG, "%s %u needs %s of kernel memory "
				       "on this machine's %d possible CPUs, over the --memory budget "
				       "of %s; give --memory %s or more, or %s %u or fewer",
				       k->option ? k->option : k->what, sources, b1, t->ncpus, b2,
				       arg, k->option ? k->option : k->what, fit);
		}
		return 0;
	}
	if (fit < CG_SOURCES_MIN) {
		cg_fmt_size_arg(two_bytes(&w, CG_SOURCES_MIN, t->ncpus), arg, sizeof(arg));
		return cg_errf(err, errlen, -E2BIG, "--memory %s holds %u %ss on this "
			       "machine's %d possible CPUs, fewer than %u; give --memory %s or more",
			       b2, fit, k->what, t->ncpus, CG_SOURCES_MIN, arg);
	}
	t->entries = fit;
	t->bytes = two_bytes(&w, fit, t->ncpus);
	return 0;
}
