// SPDX-License-Identifier: GPL-2.0
/*
 * test_memsize.c - cmocka tests of lib/memsize.c that need no privileges:
 * sizes as --memory takes them and messages show them, the kernel's hash
 * formula and the fit of a table in a budget. The formula's expected
 * figures are the kernel's own memlock, read with bpftool on Linux 6.18
 * (2 possible CPUs) for LRU per-CPU hashes with 20-byte keys, written out
 * here; the geometry that gives them (base 896, bucket 16, elem 80) is what
 * cg_htab_measure derived on that kernel. The live comparison with the
 * kernel is selftests/e2e/t40_memory.sh (it needs root).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "memsize.h"
#include "unit.h"

static void test_fmt_size_arg(void **state)
{
	char b[32];
	uint64_t v;

	(void)state;
	cg_fmt_size_arg(8388480, b, sizeof(b));	/* just under 8 MiB */
	assert_string_equal(b, "8M");
	cg_fmt_size_arg((8ull << 20) + 1, b, sizeof(b));
	assert_string_equal(b, "9M");
	cg_fmt_size_arg(1000, b, sizeof(b));
	assert_string_equal(b, "1K");
	cg_fmt_size_arg(0, b, sizeof(b));
	assert_string_equal(b, "0K");
	/* what it suggests, --memory takes, and it is enough */
	cg_fmt_size_arg(285212673, b, sizeof(b));
	assert_int_equal(cg_parse_bytes(b, &v), 0);
	assert_true(v >= 285212673 && v - 285212673 < 1ull << 20);
}

static void test_parse_bytes(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(cg_parse_bytes("32M", &v), 0);
	assert_true(v == 32ull << 20);
	assert_int_equal(cg_parse_bytes("32MiB", &v), 0);
	assert_true(v == 32ull << 20);
	assert_int_equal(cg_parse_bytes("512k", &v), 0);
	assert_true(v == 512ull << 10);
	assert_int_equal(cg_parse_bytes("2G", &v), 0);
	assert_true(v == 2ull << 30);
	assert_int_equal(cg_parse_bytes("4096", &v), 0);
	assert_true(v == 4096);
	assert_int_equal(cg_parse_bytes("4096B", &v), 0);
	assert_true(v == 4096);
	assert_int_equal(cg_parse_bytes("32X", &v), -EINVAL);
	assert_int_equal(cg_parse_bytes("", &v), -EINVAL);
	assert_int_equal(cg_parse_bytes("M", &v), -EINVAL);
	assert_int_equal(cg_parse_bytes("-1M", &v), -EINVAL);
	assert_int_equal(cg_parse_bytes("1.5G", &v), -EINVAL);
	assert_int_equal(cg_parse_bytes("99999999999999999999", &v), -EINVAL);
	assert_int_equal(cg_parse_bytes("17179869184G", &v), -EINVAL);	/* 2^64 */
}

static void test_fmt_bytes(void **state)
{
	char b[32];

	(void)state;
	cg_fmt_bytes(32ull << 20, b, sizeof(b));
	assert_string_equal(b, "32 MiB");
	cg_fmt_bytes(3ull << 29, b, sizeof(b));
	assert_string_equal(b, "1.5 GiB");
	cg_fmt_bytes(4457344, b, sizeof(b));
	assert_string_equal(b, "4.3 MiB");
	cg_fmt_bytes(100, b, sizeof(b));
	assert_string_equal(b, "100 B");
	cg_fmt_bytes(186646528, b, sizeof(b));
	assert_string_equal(b, "178 MiB");
}

/* LRU per-CPU hash, 20-byte keys, on 6.18 (see the top). */
static const struct cg_htab_geom lru_pcpu = { .base = 896, .bucket = 16, .elem = 80, .percpu = 1 };

static void test_htab_bytes(void **state)
{
	(void)state;
	/* bpftool memlock on 6.18, 2 CPUs */
	assert_true(cg_htab_bytes(&lru_pcpu, 16384, 8, 2) == 1835904);
	assert_true(cg_htab_bytes(&lru_pcpu, 24576, 8, 2) == 2884480);
	assert_true(cg_htab_bytes(&lru_pcpu, 16384, 88, 2) == 4457344);
	assert_true(cg_htab_bytes(&lru_pcpu, 1000, 176, 2) == 449280);
	/* values round up to 8 bytes */
	assert_true(cg_htab_bytes(&lru_pcpu, 1000, 170, 2) == 449280);
	/* 128 CPUs: 16384 x (80 + 88 x 128) + 16 x 16384 + 896 */
	assert_true(cg_htab_bytes(&lru_pcpu, 16384, 88, 128) == 186123136);
	/* not per CPU: one value each */
	struct cg_htab_geom shared = { .base = 896, .bucket = 16, .elem = 72, .percpu = 0 };
	assert_true(cg_htab_bytes(&shared, 16384, 8, 2) == 1573760);
	assert_true(cg_htab_bytes(&shared, 16384, 8, 128) == 1573760);
}

static void test_htab_fit(void **state)
{
	uint64_t b = cg_htab_bytes(&lru_pcpu, 100000, 88, 2);

	(void)state;
	/* exactly the budget of n entries: n; a byte less: fewer */
	assert_int_equal(cg_htab_fit(&lru_pcpu, b, 88, 2, 1u << 20), 100000);
	assert_int_equal(cg_htab_fit(&lru_pcpu, b - 1, 88, 2, 1u << 20), 99999);
	/* the limit */
	assert_int_equal(cg_htab_fit(&lru_pcpu, 1ull << 40, 88, 2, 1u << 20), 1u << 20);
	/* nothing fits */
	assert_int_equal(cg_htab_fit(&lru_pcpu, 1000, 88, 2, 1u << 20), 0);
	/* 32 MiB: whatever fits, fits, and one more does not */
	uint32_t n = cg_htab_fit(&lru_pcpu, 32ull << 20, 176, 128, 1u << 20);
	assert_true(cg_htab_bytes(&lru_pcpu, n, 176, 128) <= 32ull << 20);
	assert_true(cg_htab_bytes(&lru_pcpu, n + 1, 176, 128) > 32ull << 20);
	assert_int_equal(n, 1482);
	/* a bucket array that doubles: just past a power of two costs 16 x 2^k more */
	assert_true(cg_htab_bytes(&lru_pcpu, 65537, 88, 2) - cg_htab_bytes(&lru_pcpu, 65536, 88, 2) ==
		    256 + 16 * 65536);
}

/* The kernel source's sizes (for kernels before 6.4, whose memlock is no
 * measure): never under what 6.18 says, and close to it. */
static void test_geom_source(void **state)
{
	struct cg_htab_geom g;
	uint64_t b;

	(void)state;
	cg_htab_geom_source(BPF_MAP_TYPE_LRU_PERCPU_HASH, 20, 2, &g);
	assert_int_equal(g.percpu, 1);
	assert_true(g.bucket == 16 && g.elem == 80);
	b = cg_htab_bytes(&g, 16384, 88, 2);
	assert_true(b >= 4457344 && b - 4457344 < 1024);	/* bpftool on 6.18 */
	cg_htab_geom_source(BPF_MAP_TYPE_HASH, 20, 2, &g);
	assert_int_equal(g.percpu, 0);
	assert_true(g.elem == 72);
	assert_true(cg_htab_bytes(&g, 16384, 8, 2) >= 1573936);	/* plain hash, 6.18 */
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt_size_arg),
		cmocka_unit_test(test_parse_bytes),
		cmocka_unit_test(test_fmt_bytes),
		cmocka_unit_test(test_htab_bytes),
		cmocka_unit_test(test_htab_fit),
		cmocka_unit_test(test_geom_source),
	};

	return CG_UNIT_RUN(tests, argc, argv);
}
