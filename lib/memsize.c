// SPDX-License-Identifier: GPL-2.0
/* memsize.c - see memsize.h. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "memsize.h"

int cg_map_memlock(int fd, uint64_t *bytes)
{
	char path[64], line[256];
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "memlock:", 8)) {
			*bytes = strtoull(line + 8, NULL, 10);
			found = 1;
			break;
		}
	fclose(f);
	return found ? 0 : -ENOENT;
}

static uint64_t pow2_up(uint64_t n)
{
	uint64_t p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

/* memlock of a new map: type, key_size, 8-byte values, n entries. */
static int probe_map(enum bpf_map_type type, uint32_t key_size, uint32_t n, uint64_t *bytes)
{
	int fd = bpf_map_create(type, NULL, key_size, 8, n, NULL), e;

	if (fd < 0)
		return -errno;
	e = cg_map_memlock(fd, bytes);
	close(fd);
	return e;
}

int cg_htab_measure(enum bpf_map_type type, uint32_t key_size, struct cg_htab_geom *g)
{
	uint64_t m64, m96, m128, per;
	int ncpus = libbpf_num_possible_cpus(), e;

	if (ncpus < 1)
		return ncpus < 0 ? ncpus : -EINVAL;
	memset(g, 0, sizeof(*g));
	g->percpu = type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
	/* 64 and 128 entries: 64 and 128 buckets; 96 entries: 128 buckets.
	 * m128 - m96 = 32 entries, m64 and m128 give the per-map part. */
	if ((e = probe_map(type, key_size, 64, &m64)) || (e = probe_map(type, key_size, 96, &m96)) ||
	    (e = probe_map(type, key_size, 128, &m128)))
		return e;
	if (m128 <= m96 || m96 <= m64 || (m128 - m96) % 32 || 2 * m64 < m128)
		return -ERANGE;	/* not the formula of memsize.h */
	per = (m128 - m96) / 32;		/* elem + 8 * (ncpus or 1) */
	g->base = 2 * m64 - m128;
	if ((m64 - g->base) % 64 || (m64 - g->base) / 64 < per)
		return -ERANGE;
	g->bucket = (m64 - g->base) / 64 - per;
	if (per < 8 * (uint64_t)(g->percpu ? ncpus : 1))
		return -ERANGE;
	g->elem = per - 8 * (uint64_t)(g->percpu ? ncpus : 1);
	return 0;
}

void cg_htab_geom_source(enum bpf_map_type type, uint32_t key_size, int ncpus,
			 struct cg_htab_geom *g)
{
	memset(g, 0, sizeof(*g));
	g->percpu = type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
	g->base = 1024 + 8 * 4 * (uint64_t)(ncpus > 0 ? ncpus : 1);
	g->bucket = 16;
	g->elem = 48 + ((uint64_t)key_size + 7) / 8 * 8 + (g->percpu ? 8 : 0);
}

uint64_t cg_htab_bytes(const struct cg_htab_geom *g, uint32_t max_entries, uint32_t value_size,
		       int ncpus)
{
	uint64_t v = ((uint64_t)value_size + 7) / 8 * 8;

	return g->base + g->bucket * pow2_up(max_entries) +
	       (uint64_t)max_entries * (g->elem + v * (uint64_t)(g->percpu ? ncpus : 1));
}

uint32_t cg_htab_fit(const struct cg_htab_geom *g, uint64_t budget, uint32_t value_size,
		     int ncpus, uint32_t limit)
{
	uint32_t lo = 0, hi = limit, mid;

	/* The bytes grow with the entries: the largest n that fits. */
	while (lo < hi) {
		mid = lo + (hi - lo + 1) / 2;
		if (cg_htab_bytes(g, mid, value_size, ncpus) <= budget)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

void cg_fmt_bytes(uint64_t b, char *buf, size_t len)
{
	static const char *unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)b;
	int u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (!u)
		snprintf(buf, len, "%llu B", (unsigned long long)b);
	else
		snprintf(buf, len, v < 10 && v != (int)v ? "%.1f %s" : "%.0f %s", v, unit[u]);
}

void cg_fmt_size_arg(uint64_t b, char *buf, size_t len)
{
	if (b <= 1ull << 20)
		snprintf(buf, len, "%lluK", (unsigned long long)((b + 1023) >> 10));
	else
		snprintf(buf, len, "%lluM", (unsigned long long)((b + (1ull << 20) - 1) >> 20));
}

int cg_parse_bytes(const char *s, uint64_t *out)
{
	unsigned long long n;
	uint64_t mul = 1;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	switch (tolower((unsigned char)*end)) {
	case 'k':
		mul = 1ull << 10;
		end++;
		break;
	case 'm':
		mul = 1ull << 20;
		end++;
		break;
	case 'g':
		mul = 1ull << 30;
		end++;
		break;
	default:
		break;
	}
	if (mul > 1 && *end == 'i')
		end++;
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end || n > UINT64_MAX / mul)
		return -EINVAL;
	*out = n * mul;
	return 0;
}
