// SPDX-License-Identifier: GPL-2.0
/* sizing.c - see sizing.h. */
#include <errno.h>
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

const struct cg_table_kind cg_table_src = { "source", "--sources" };
const struct cg_table_kind cg_table_dst = { "destination", NULL };

int cg_size_table(const struct cg_table_kind *k, const struct bpf_map *def, const char *pin_path,
		  const char *ifname, uint32_t sources, uint64_t budget, struct cg_table_size *t,
		  char *err, size_t errlen)
{
	uint32_t vsize = bpf_map__value_size(def), fit;
	char b1[32], b2[32], arg[32];
	struct cg_htab_geom g;
	int given = budget != 0, e;

	memset(t, 0, sizeof(*t));
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
		/* before 6.4 memlock is an estimate (memsize.h): the formula's */
		if (cg_htab_measure(bpf_map__type(def), bpf_map__key_size(def), &g) == -ERANGE) {
			cg_htab_geom_source(bpf_map__type(def), bpf_map__key_size(def), t->ncpus,
					    &g);
			t->bytes = cg_htab_bytes(&g, t->entries, vsize, t->ncpus);
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

	/* A new table: the kernel's formula for this machine's CPUs. */
	e = cg_htab_measure(bpf_map__type(def), bpf_map__key_size(def), &g);
	if (e == -ERANGE) {
		/* before 6.4: memlock is no measure; the kernel source's sizes */
		cg_htab_geom_source(bpf_map__type(def), bpf_map__key_size(def), t->ncpus, &g);
		t->estimated = 1;
		e = 0;
	}
	if (e)
		return cg_errf(err, errlen, e, "cannot measure the kernel's hash table memory: "
			       "%s; run as root, or rerun with --verbose", strerror(-e));
	fit = cg_htab_fit(&g, t->budget, vsize, t->ncpus, CG_SOURCES_MAX);
	if (sources) {
		t->entries = sources;
		t->bytes = cg_htab_bytes(&g, sources, vsize, t->ncpus);
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
		cg_fmt_size_arg(cg_htab_bytes(&g, CG_SOURCES_MIN, vsize, t->ncpus), arg,
				sizeof(arg));
		return cg_errf(err, errlen, -E2BIG, "--memory %s holds %u %ss on this "
			       "machine's %d possible CPUs, fewer than %u; give --memory %s or more",
			       b2, fit, k->what, t->ncpus, CG_SOURCES_MIN, arg);
	}
	t->entries = fit;
	t->bytes = cg_htab_bytes(&g, fit, vsize, t->ncpus);
	return 0;
}
