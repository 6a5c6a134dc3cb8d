/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memsize.h - the kernel memory of csumguard's hash tables: what the kernel
 * says a map takes (memlock in /proc/PID/fdinfo, what bpftool shows), and
 * its formula for a preallocated hash, so a table can be sized from a
 * memory budget for this machine's possible CPUs before it is created, and
 * the same table's memory computed for another CPU count.
 *
 * The formula (kernel/bpf/hashtab.c, htab_map_mem_usage, since 6.4; the
 * same layout is what prealloc_init allocates on every kernel):
 *
 *   base + bucket * roundup_pow_of_two(max_entries)
 *        + max_entries * (elem + round_up(value_size, 8) * (per-CPU ? possible CPUs : 1))
 *
 * base is sizeof(struct bpf_htab) (plus a few ints per CPU on some
 * versions), bucket sizeof(struct bucket), elem the element header with the
 * key (and for a per-CPU map the pointer to its values). Those three differ
 * between kernel versions and configurations (the bucket's lock), so they
 * are not assumed: cg_htab_measure creates three small maps of the type and
 * solves for them from the kernel's own memlock figures.
 */
#ifndef CG_MEMSIZE_H
#define CG_MEMSIZE_H

#include <stdint.h>
#include <linux/bpf.h>

/* The default --memory: per interface, for its per-source table. */
#define CG_MEMORY_DEFAULT	(32ull << 20)

/* The memory the kernel charges for map fd ("memlock:" of its fdinfo), as
 * bpftool shows it. 0, or -errno (-ENOENT: the kernel does not say). */
int cg_map_memlock(int fd, uint64_t *bytes);

/* One hash map type's geometry on the running kernel. */
struct cg_htab_geom {
	uint64_t base;		/* per map */
	uint64_t bucket;	/* per bucket (buckets: max_entries rounded up to 2^k) */
	uint64_t elem;		/* per entry, without its value */
	int percpu;		/* values are per CPU */
};

/* Measures the geometry of map type (a hash type) with keys of key_size
 * bytes, from three maps it creates and closes. Needs CAP_BPF. 0 or -errno;
 * -ERANGE: the kernel's memlock is not this formula - before 6.4 fdinfo's
 * memlock was a rough estimate (max_entries x (key + value), page-rounded),
 * not what the map takes: use cg_htab_geom_source then. */
int cg_htab_measure(enum bpf_map_type type, uint32_t key_size, struct cg_htab_geom *g);

/* The geometry from the kernel source's own structs (x86-64, 5.10-6.18, no
 * lock debugging): struct bpf_htab ~1 KiB (and two ints per CPU for its
 * locks), struct bucket 16 B, struct htab_elem 48 B + the key rounded to 8
 * (+ the values' pointer of a per-CPU map). For kernels whose memlock does
 * not follow the formula (before 6.4); a little over, never under. */
void cg_htab_geom_source(enum bpf_map_type type, uint32_t key_size, int ncpus,
			 struct cg_htab_geom *g);

/* Bytes of a preallocated table of max_entries values of value_size bytes
 * on a machine with ncpus possible CPUs. */
uint64_t cg_htab_bytes(const struct cg_htab_geom *g, uint32_t max_entries, uint32_t value_size,
		       int ncpus);

/* The most entries (at most limit) whose table fits in budget bytes: 0 if
 * not even one does. */
uint32_t cg_htab_fit(const struct cg_htab_geom *g, uint64_t budget, uint32_t value_size,
		     int ncpus, uint32_t limit);

/* "32 MiB", "1.5 GiB", "512 KiB", "100 B": for messages. */
void cg_fmt_bytes(uint64_t bytes, char *buf, size_t len);

/* The smallest whole "NK" (up to 1 MiB) or "NM" of at least b bytes: a
 * --memory argument a message can suggest. */
void cg_fmt_size_arg(uint64_t b, char *buf, size_t len);

/* Parses a size: a number with an optional K, M, G (powers of 1024; KiB,
 * MiB, GiB, k, m, g too) and an optional B. 0 or -EINVAL. */
int cg_parse_bytes(const char *s, uint64_t *out);

#endif /* CG_MEMSIZE_H */
