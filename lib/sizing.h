/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sizing.h - how many nodes the per-node tables of an attach hold: the
 * per-source table (cg_src, ingress, with its shared parts cg_src_rare) and
 * the per-destination table (cg_dst, egress), LRU per-CPU hashes
 * preallocated at max_entries x possible CPUs x their value, so their
 * memory grows with the machine's CPUs (cg_src_rare, shared, does not). Each is sized
 * from the interface's memory budget (attach --memory, default 32 MiB per
 * table) for this machine's possible CPUs, by the kernel's own formula
 * (memsize.h); an explicit --sources must fit that budget; a pinned table is
 * kept as it is (its counters continue), and must fit the budget only when
 * --memory was given.
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
	int estimated;		/* bytes is the formula's (the kernel's memlock
				 * is an estimate before 6.4: memsize.h) */
};

/* Which table: the words of its messages. */
struct cg_table_kind {
	const char *what;	/* "source", "destination" */
	const char *option;	/* "--sources", or NULL: no option sets it */
};
extern const struct cg_table_kind cg_table_src, cg_table_dst;

/*
 * Sizes the table def (the skeleton's cg_src or cg_dst, not loaded) whose
 * pin would be pin_path, with rare (cg_src_rare, pinned as pin_path
 * "_rare", the same max_entries; NULL for cg_dst) in the same budget: entries (0: as many as fit), budget (0: the
 * default, not given by the user). Fills t. 0, or -errno with err set
 * (-E2BIG: does not fit the budget, with the fix).
 */
int cg_size_table(const struct cg_table_kind *k, const struct bpf_map *def,
		  const struct bpf_map *rare, const char *pin_path, const char *ifname,
		  uint32_t entries, uint64_t budget, struct cg_table_size *t, char *err,
		  size_t errlen);

#endif /* CG_SIZING_H */
