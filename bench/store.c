// SPDX-License-Identifier: GPL-2.0
/*
 * store.c - what each per-source storage shape costs (issue 13, item 1):
 * the programs of bench/store.bpf.c through BPF_PROG_TEST_RUN on a 64-byte
 * VXLAN frame, beside XDP_PASS, in one run, interleaved (the order rotated
 * every round), median of the rounds, ns per frame above st_base (the same
 * key computed, nothing counted). Four cases:
 *
 *   ok, 1 CPU          one source, every frame ok (the common case)
 *   bad, 1 CPU         one source, every frame bad (the rare path)
 *   ok, 2 CPUs         one source, every frame ok, two threads pinned to
 *                      CPU 0 and CPU 1 running at the same time (RSS spreads
 *                      one node's packets over every CPU): the mean of the
 *                      two threads' ns per frame
 *   ok, 4096 sources   1 CPU, each frame's source drawn from 4096 (tables
 *                      and caches no longer hot)
 *
 * Timed by each thread's CPU time, like bench.c. Every count is checked at
 * the end: per program, the frames its table(s) counted equal the frames
 * run, and the bad ones the bad frames (the atomic adds under contention
 * included). Then each table's memory: the kernel's memlock at 16384
 * entries here, and the same table for 128 CPUs from the kernel's formula
 * (lib/memsize.h, its constants measured on this kernel).
 *
 * Usage: store [-r ROUNDS] [-t MS]. Needs root.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "csumguard.h"
#include "util.h"
#include "memsize.h"
#include "pkt.h"
#include "store.skel.h"
#include "xdp_pass.skel.h"

#define MAX_ROUNDS	25
#define NSRC_MANY	4096

enum { P_PASS, P_BASE, P_PCPU88, P_PCPU176, P_COMPACT, P_SHARED, P_CACHE, P_N };
static const char *pname[P_N] = { "XDP_PASS", "st_base", "st_pcpu88", "st_pcpu176",
				   "st_compact", "st_shared", "st_cache" };
static const char *pwhat[P_N] = {
	"", "key only",
	"LRU per-CPU hash, today's 88 B value",
	"LRU per-CPU hash, issue 10's 176 B value",
	"per-CPU 32 B per-frame counters + shared 176 B rare rows (atomic)",
	"shared LRU hash, 176 B, atomic adds",
	"per-CPU 64-slot hot-source cache + LRU per-CPU hash (176 B)",
};
enum { C_OK1, C_BAD1, C_OK2, C_MANY, C_N };
static const char *cname[C_N] = { "ok, 1 CPU", "bad, 1 CPU", "ok, 2 CPUs at once",
				  "ok, 4096 sources" };

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "store: FAIL: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static uint8_t frame[1024];
static size_t frame_len;

/* One program instance set: the skeleton loaded with one nsrc. */
struct inst {
	struct store *skel;
	int fd[P_N];
	unsigned long long frames[P_N], bad[P_N];	/* run through each */
};

static double run(int fd, unsigned repeat)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .data_size_in = (__u32)frame_len,
		    .repeat = repeat);
	double t0 = now_ns(), t1;
	int err = bpf_prog_test_run_opts(fd, &o);

	t1 = now_ns();
	if (err)
		die("BPF_PROG_TEST_RUN: %s", strerror(-err));
	if (o.retval != XDP_PASS)
		die("a storage program returned %u, not XDP_PASS (its table had no room?)",
		    o.retval);
	return (t1 - t0) / repeat;
}

/* Two threads on CPU 0 and 1, each running fd repeat times at once. */
struct thr {
	int fd, cpu;
	unsigned repeat;
	double ns;
	pthread_barrier_t *bar;
};

static void *thr_main(void *arg)
{
	struct thr *t = arg;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(t->cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("pinning a thread to CPU %d: %s", t->cpu, strerror(errno));
	pthread_barrier_wait(t->bar);
	t->ns = run(t->fd, t->repeat);
	return NULL;
}

static double run2(int fd, unsigned repeat)
{
	pthread_barrier_t bar;
	struct thr t[2] = { { fd, 0, repeat, 0, &bar }, { fd, 1, repeat, 0, &bar } };
	pthread_t th[2];
	int i;

	pthread_barrier_init(&bar, NULL, 2);
	for (i = 0; i < 2; i++)
		if (pthread_create(&th[i], NULL, thr_main, &t[i]))
			die("pthread_create");
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&bar);
	return (t[0].ns + t[1].ns) / 2;
}

static void load(struct inst *in, unsigned nsrc, int pass_fd)
{
	struct store *s = store__open();

	if (!s)
		die("opening store.bpf.o: %s", strerror(errno));
	s->rodata->nsrc = nsrc;
	if (store__load(s))
		die("loading store.bpf.o: %s", strerror(errno));
	in->skel = s;
	in->fd[P_PASS] = pass_fd;
	in->fd[P_BASE] = bpf_program__fd(s->progs.st_base);
	in->fd[P_PCPU88] = bpf_program__fd(s->progs.st_pcpu88);
	in->fd[P_PCPU176] = bpf_program__fd(s->progs.st_pcpu176);
	in->fd[P_COMPACT] = bpf_program__fd(s->progs.st_compact);
	in->fd[P_SHARED] = bpf_program__fd(s->progs.st_shared);
	in->fd[P_CACHE] = bpf_program__fd(s->progs.st_cache);
}

/* Sum of the u64 at offset off of every value (all CPUs) of a hash map. */
static unsigned long long map_sum(int fd, size_t vsize, int percpu, size_t off)
{
	int ncpus = percpu ? libbpf_num_possible_cpus() : 1, c;
	struct cg_addr key, next, *prev = NULL;
	unsigned long long sum = 0;
	char *v = calloc((size_t)ncpus, vsize);

	if (!v)
		die("out of memory");
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, v))
			die("reading a table back: %s", strerror(errno));
		for (c = 0; c < ncpus; c++)
			sum += *(__u64 *)(v + (size_t)c * vsize + off);
	}
	free(v);
	return sum;
}

/* The cache slots' packets, every CPU. */
static unsigned long long cache_sum(int fd)
{
	int ncpus = libbpf_num_possible_cpus(), c;
	unsigned long long sum = 0;
	__u32 i;
	struct {
		struct cg_addr key;
		__u32 used;
		__u64 packets, bytes, ok, zero;
	} *v = calloc((size_t)ncpus, sizeof(*v));

	if (!v)
		die("out of memory");
	for (i = 0; i < 64; i++) {
		if (bpf_map_lookup_elem(fd, &i, v))
			die("reading the cache: %s", strerror(errno));
		for (c = 0; c < ncpus; c++)
			sum += v[c].packets;
	}
	free(v);
	return sum;
}

#define V176_BAD	(8 * (2 + CG_V_BAD))	/* offset of verdict[bad] in 88 and 176 B values */

/* Every frame counted once, every bad one as bad. */
static void check(struct inst *in)
{
	struct store *s = in->skel;
	struct { const char *name; unsigned long long got, want; } c[] = {
		{ "st_pcpu88 packets", map_sum(bpf_map__fd(s->maps.m_pcpu88), 88, 1, 0),
		  in->frames[P_PCPU88] },
		{ "st_pcpu88 bad", map_sum(bpf_map__fd(s->maps.m_pcpu88), 88, 1, V176_BAD),
		  in->bad[P_PCPU88] },
		{ "st_pcpu176 packets", map_sum(bpf_map__fd(s->maps.m_pcpu176), 176, 1, 0),
		  in->frames[P_PCPU176] },
		{ "st_compact packets", map_sum(bpf_map__fd(s->maps.m_hot), 32, 1, 0),
		  in->frames[P_COMPACT] },
		{ "st_compact bad (shared rows)",
		  map_sum(bpf_map__fd(s->maps.m_rare), 176, 0, V176_BAD), in->bad[P_COMPACT] },
		{ "st_shared packets", map_sum(bpf_map__fd(s->maps.m_shared), 176, 0, 0),
		  in->frames[P_SHARED] },
		{ "st_shared bad", map_sum(bpf_map__fd(s->maps.m_shared), 176, 0, V176_BAD),
		  in->bad[P_SHARED] },
		{ "st_cache packets", map_sum(bpf_map__fd(s->maps.m_cold), 176, 1, 0) +
		  cache_sum(bpf_map__fd(s->maps.m_cache)), in->frames[P_CACHE] },
		{ "st_cache bad", map_sum(bpf_map__fd(s->maps.m_cold), 176, 1, V176_BAD),
		  in->bad[P_CACHE] },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		if (c[i].got != c[i].want)
			die("%s: the tables counted %llu, %llu were run", c[i].name, c[i].got,
			    c[i].want);
}

/* The memory of a map: memlock here, and the formula at 128 CPUs. */
static void mem_row(const char *what, int fd1, int fd2, uint32_t v1, uint32_t v2, uint32_t n)
{
	struct bpf_map_info info;
	uint64_t here = 0, m, at128 = 0;
	int fds[2] = { fd1, fd2 }, i, ncpus = libbpf_num_possible_cpus();
	uint32_t vs[2] = { v1, v2 }, len;
	struct cg_htab_geom g;
	char a[32], b[32];

	for (i = 0; i < 2; i++) {
		if (fds[i] < 0)
			continue;
		len = sizeof(info);
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(fds[i], &info, &len) || cg_map_memlock(fds[i], &m))
			die("map info: %s", strerror(errno));
		here += m;
		if (info.type == BPF_MAP_TYPE_PERCPU_ARRAY) {
			/* an array: its values, per CPU (arraymap.c) */
			at128 += m - (uint64_t)info.max_entries * ((vs[i] + 7) / 8 * 8) *
				(uint64_t)ncpus + (uint64_t)info.max_entries *
				((vs[i] + 7) / 8 * 8) * 128;
			continue;
		}
		if (cg_htab_measure(info.type, info.key_size, &g))
			die("measuring the hash geometry: %s", strerror(errno));
		if (cg_htab_bytes(&g, info.max_entries, info.value_size, ncpus) != m)
			die("the formula gives %llu B for %s, the kernel says %llu B",
			    (unsigned long long)cg_htab_bytes(&g, info.max_entries, info.value_size,
							      ncpus), what, (unsigned long long)m);
		at128 += cg_htab_bytes(&g, info.max_entries, info.value_size, 128);
	}
	cg_fmt_bytes(here, a, sizeof(a));
	cg_fmt_bytes(at128, b, sizeof(b));
	printf("| %s | %u | %s | %s | %.0f |\n", what, n, a, b, (double)at128 / n);
}

int main(int argc, char **argv)
{
	static double ns[C_N][P_N][MAX_ROUNDS];
	unsigned repeat[C_N][P_N];
	int rounds = 5, opt, r, c, p, k, ncpus = libbpf_num_possible_cpus();
	double target_ms = 60;
	struct inst one = {}, many = {};
	struct xdp_pass *pass;
	struct pkt_spec spec;
	cpu_set_t set;
	char date[64], load0[64], load1[64];
	time_t now = time(NULL);

	bench_loadavg(load0, sizeof(load0));
	while ((opt = getopt(argc, argv, "r:t:h")) != -1) {
		switch (opt) {
		case 'r':
			rounds = atoi(optarg);
			break;
		case 't':
			target_ms = atof(optarg);
			break;
		default:
			fprintf(stderr, "usage: store [-r ROUNDS] [-t MS]\n");
			return 2;
		}
	}
	if (rounds < 1 || rounds > MAX_ROUNDS || target_ms <= 0)
		die("-r 1..%d, -t > 0", MAX_ROUNDS);
	if (ncpus < 2)
		die("the 2-CPU case needs 2 possible CPUs, this machine has %d", ncpus);
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("pinning to CPU 0: %s", strerror(errno));

	pkt_spec_init(&spec, 4);
	spec.inner_len = 14;
	frame_len = pkt_build(frame, sizeof(frame), &spec, NULL);
	if (frame_len != 64)
		die("the frame is %zu bytes, not 64", frame_len);
	pass = xdp_pass__open_and_load();
	if (!pass)
		die("loading xdp_pass: %s", strerror(errno));
	load(&one, 1, bpf_program__fd(pass->progs.xdp_pass));
	load(&many, NSRC_MANY, bpf_program__fd(pass->progs.xdp_pass));

	/* Calibrate once per case and program: about target_ms a run. */
	for (c = 0; c < C_N; c++)
		for (p = 0; p < P_N; p++) {
			struct inst *in = c == C_MANY ? &many : &one;
			double t;

			in->skel->bss->verdict = c == C_BAD1 ? CG_V_BAD : CG_V_OK;
			t = run(in->fd[p], 20000);
			in->frames[p] += 20000;
			in->bad[p] += c == C_BAD1 ? 20000 : 0;
			repeat[c][p] = (unsigned)(target_ms * 1e6 / (t > 1 ? t : 1));
		}
	for (r = 0; r < rounds; r++) {
		for (c = 0; c < C_N; c++)
			for (k = 0; k < P_N; k++) {
				struct inst *in = c == C_MANY ? &many : &one;
				unsigned rep;

				p = (k + r + c) % P_N;
				rep = repeat[c][p];
				in->skel->bss->verdict = c == C_BAD1 ? CG_V_BAD : CG_V_OK;
				if (c == C_OK2) {
					ns[c][p][r] = run2(in->fd[p], rep);
					rep *= 2;
				} else {
					ns[c][p][r] = run(in->fd[p], rep);
				}
				in->frames[p] += rep;
				in->bad[p] += c == C_BAD1 ? rep : 0;
			}
		fprintf(stderr, "store: round %d/%d done\n", r + 1, rounds);
	}
	check(&one);
	check(&many);

	bench_loadavg(load1, sizeof(load1));
	printf("load average before %s, after %s (other processes share this machine)\n", load0, load1);
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M", localtime(&now));
	printf("csumguard bench-store, %s: per-source storage shapes (bench/store.bpf.c) on a\n"
	       "64-byte frame, BPF_PROG_TEST_RUN, median of %d rounds, ns per frame; every\n"
	       "table's counts checked against the frames run. Above st_base = the storage's own\n"
	       "cost (st_base computes the same key and counts nothing).\n\n", date, rounds);
	printf("| program | what | ");
	for (c = 0; c < C_N; c++)
		printf("%s | ", cname[c]);
	printf("2 CPUs / 1 CPU |\n|---|---|");
	for (c = 0; c <= C_N; c++)
		printf("--:|");
	printf("\n");
	for (p = 0; p < P_N; p++) {
		double base[C_N];

		printf("| %s | %s | ", pname[p], pwhat[p]);
		for (c = 0; c < C_N; c++) {
			base[c] = bench_median(ns[c][P_BASE], rounds);
			if (p <= P_BASE)
				printf("%.1f | ", bench_median(ns[c][p], rounds));
			else
				printf("%.1f (+%.1f) | ", bench_median(ns[c][p], rounds),
				       bench_median(ns[c][p], rounds) - base[c]);
		}
		if (p <= P_BASE)
			printf("%.2f |\n", bench_median(ns[C_OK2][p], rounds) / bench_median(ns[C_OK1][p], rounds));
		else
			printf("%.2f |\n", (bench_median(ns[C_OK2][p], rounds) - base[C_OK2]) /
			       (bench_median(ns[C_OK1][p], rounds) - base[C_OK1]));
	}

	printf("\nMemory of each shape's tables at 16384 sources (kernel memlock, as bpftool "
	       "shows it; %d possible CPUs here), and the same tables on 128 CPUs from the\n"
	       "kernel's formula (lib/memsize.h; its constants measured on this kernel, and the\n"
	       "formula checked against memlock here):\n\n", ncpus);
	printf("| tables | sources | here | 128 CPUs | B per source at 128 CPUs |\n");
	printf("|---|--:|--:|--:|--:|\n");
	mem_row("LRU per-CPU hash, 88 B (today)", bpf_map__fd(one.skel->maps.m_pcpu88), -1, 88, 0,
		16384);
	mem_row("LRU per-CPU hash, 176 B (issue 10)", bpf_map__fd(one.skel->maps.m_pcpu176), -1,
		176, 0, 16384);
	mem_row("compact: per-CPU 32 B + shared 176 B", bpf_map__fd(one.skel->maps.m_hot),
		bpf_map__fd(one.skel->maps.m_rare), 32, 176, 16384);
	mem_row("shared LRU hash, 176 B", bpf_map__fd(one.skel->maps.m_shared), -1, 176, 0, 16384);
	mem_row("cache: 64 slots per CPU + per-CPU 176 B", bpf_map__fd(one.skel->maps.m_cache),
		bpf_map__fd(one.skel->maps.m_cold), 56, 176, 16384);
	/* The product's own tables (include/csumguard.h, bpf/maps.bpf.h), made
	 * as attach makes them: its row before issue 13's compact layout, and
	 * the two parts and the hot-source cache it has now. */
	{
		int before = bpf_map_create(BPF_MAP_TYPE_LRU_PERCPU_HASH, "before",
					    sizeof(struct cg_addr), sizeof(struct cg_src_stats),
					    16384, NULL);
		int hot = bpf_map_create(BPF_MAP_TYPE_LRU_PERCPU_HASH, "hot",
					 sizeof(struct cg_addr), sizeof(struct cg_src_hot), 16384,
					 NULL);
		int rare = bpf_map_create(BPF_MAP_TYPE_LRU_HASH, "rare", sizeof(struct cg_addr),
					  sizeof(struct cg_src_stats), 16384, NULL);
		int cache = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "cache", sizeof(__u32),
					   sizeof(struct cg_src_slot), CG_SRC_CACHE_SLOTS, NULL);
		char what[96];

		if (before < 0 || hot < 0 || rare < 0 || cache < 0)
			die("creating the product's tables: %s", strerror(errno));
		snprintf(what, sizeof(what), "product before: LRU per-CPU hash, %zu B",
			 sizeof(struct cg_src_stats));
		mem_row(what, before, -1, sizeof(struct cg_src_stats), 0, 16384);
		snprintf(what, sizeof(what), "product now: per-CPU %zu B + shared %zu B",
			 sizeof(struct cg_src_hot), sizeof(struct cg_src_stats));
		mem_row(what, hot, rare, sizeof(struct cg_src_hot), sizeof(struct cg_src_stats),
			16384);
		snprintf(what, sizeof(what), "product now: + hot-source cache, %d slots of %zu B "
			 "per CPU", CG_SRC_CACHE_SLOTS, sizeof(struct cg_src_slot));
		mem_row(what, cache, -1, sizeof(struct cg_src_slot), 0, 16384);
		close(before);
		close(hot);
		close(rare);
		close(cache);
	}

	store__destroy(one.skel);
	store__destroy(many.skel);
	xdp_pass__destroy(pass);
	return 0;
}
