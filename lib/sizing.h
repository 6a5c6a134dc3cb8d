/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sizing.h - how many sources the per-source table (cg_src) of an attach
 * holds: an LRU per-CPU hash, preallocated at max_entries x possible CPUs x
 * its value, so its memory grows with the machine's CPUs. It is sized from
 * a memory budget per interface (attach --memory, default 32 MiB) for this
 * machine's possible CPUs, by the kernel's own formula (memsize.h); an
 * explicit --sources must fit that budget; a pinned table is kept as it is
 * (its counters continue), and must fit the budget only when --memory was
 * given.
 */
#ifndef CG_SIZING_H
#define CG_SIZING_H

#include <stdint.h>
#include <bpf/libbpf.h>

/* --sources bounds. */
#define CG_SOURCES_MIN		16
#define CG_SOURCES_MAX		(1u << 20)

struct cg_table_size {
	uint32_t entries;	/* the table's max_entries */
	uint64_t bytes;		/* its kernel memory: the formula before it exists,
				 * memlock (cg_map_memlock) once it does */
	uint64_t budget;	/* the --memory budget it was sized against */
	int ncpus;		/* possible CPUs */
	int from_pin;		/* the pinned table, kept */
};

/*
 * Sizes the source table def (the skeleton's cg_src, not loaded) whose pin
 * would be pin_path: sources (0: as many as fit), budget (0: the default)
 * given or not by the user. Fills t. 0, or -errno with err set (-E2BIG:
 * does not fit the budget, with the fix).
 */
int cg_size_src_table(const struct bpf_map *def, const char *pin_path, const char *ifname,
		      uint32_t sources, uint64_t budget, struct cg_table_size *t, char *err,
		      size_t errlen);

#endif /* CG_SIZING_H */
