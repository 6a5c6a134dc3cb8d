// SPDX-License-Identifier: GPL-2.0
/*
 * test_probe.c - the probe -> variant decision (lib/probe.c cg_xdp_plan,
 * cg_kernel_floor_check), table-driven with made-up feature sets: which XDP
 * program variant attach loads, when it refuses (the floor, native XDP above
 * the single-buffer MTU), when it attaches alone; and the variant names
 * user space reads the running program by.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "csumguard.h"
#include "err.h"
#include "probe.h"
#include "unit.h"

/* Kernels, as their probes would come out (-1: not probed / unknown). A
 * case overrides single fields after the kernel's defaults, on purpose. */
#pragma GCC diagnostic ignored "-Woverride-init"
#define K_6_18	.release = "6.18.44", .major = 6, .minor = 18, .xdp_frags = 1, \
		.xdp_load_bytes = 1, .xdp_get_buff_len = 1, .freplace = 0, .freplace_ctx_arg = -1, \
		.global_ptr_args = 1
#define K_6_1	.release = "6.1.0-41-cloud-amd64", .major = 6, .minor = 1, .xdp_frags = 1, \
		.xdp_load_bytes = 1, .xdp_get_buff_len = 1, .freplace = 1, .freplace_ctx_arg = 1, \
		.global_ptr_args = 1
#define K_5_15	.release = "5.15.0-91-generic", .major = 5, .minor = 15, .xdp_frags = 0, \
		.xdp_load_bytes = 0, .xdp_get_buff_len = 0, .freplace = 1, .freplace_ctx_arg = 1, \
		.global_ptr_args = 1
#define K_5_10	.release = "5.10.0-46-cloud-amd64", .major = 5, .minor = 10, .xdp_frags = 0, \
		.xdp_load_bytes = 0, .xdp_get_buff_len = 0, .freplace = 1, .freplace_ctx_arg = 0, \
		.global_ptr_args = 0

struct plan_case {
	const char *name;
	struct cg_features f;
	int native, mtu;
	int ret;			/* 0 or the -errno */
	enum cg_xdp_variant variant;	/* when ret == 0 */
	int alone;
	const char *err;		/* when ret != 0: the whole line */
};

static const struct plan_case plan_cases[] = {
	{ "6.18, native 9000: multi-buffer", { K_6_18 }, 1, 9000, 0, CG_XDP_MULTI_BUF, 0, NULL },
	{ "6.18, bpf_csum_diff any size: large-chunk", { K_6_18, .csum_any_size = 1 }, 1, 9000,
	  0, CG_XDP_LARGE_CHUNK, 0, NULL },
	{ "6.18, csum probe failed: multi-buffer", { K_6_18, .csum_any_size = -1 }, 1, 1500, 0,
	  CG_XDP_MULTI_BUF, 0, NULL },
	{ "5.10, any-size csum but no frags: single-buffer", { K_5_10, .csum_any_size = 1 }, 1,
	  1500, 0, CG_XDP_SINGLE_BUF, 1, NULL },
	{ "6.1, native 1500: multi-buffer, dispatcher", { K_6_1 }, 1, 1500, 0, CG_XDP_MULTI_BUF,
	  0, NULL },
	{ "6.1, skb 16000: multi-buffer", { K_6_1 }, 0, 16000, 0, CG_XDP_MULTI_BUF, 0, NULL },
	{ "5.15, native 1500: single-buffer, dispatcher takes it", { K_5_15 }, 1, 1500, 0,
	  CG_XDP_SINGLE_BUF, 0, NULL },
	{ "5.10, native 1500: single-buffer, alone", { K_5_10 }, 1, 1500, 0, CG_XDP_SINGLE_BUF, 1,
	  NULL },
	{ "5.10, native at the single-buffer limit", { K_5_10 }, 1, CG_XDP_SB_MAX_MTU, 0,
	  CG_XDP_SINGLE_BUF, 1, NULL },
	{ "5.10, skb 9000: single-buffer (generic XDP linearises)", { K_5_10 }, 0, 9000, 0,
	  CG_XDP_SINGLE_BUF, 1, NULL },
	{ "5.10, native 3507: refused", { K_5_10 }, 1, CG_XDP_SB_MAX_MTU + 1, -EOPNOTSUPP, 0, 0,
	  "up0 has MTU 3507, which native XDP takes only with multi-buffer (xdp.frags) "
	  "programs, and this kernel (5.10.0-46-cloud-amd64) has no multi-buffer XDP "
	  "(xdp.frags, bpf_xdp_load_bytes: 5.18+): csumguard's single-buffer program runs "
	  "here, up to MTU 3506; attach with --xdp-mode skb (generic XDP hands it whole "
	  "frames), or lower the MTU to 3506" },
	{ "5.10, native, MTU unknown: not refused", { K_5_10 }, 1, -19, 0, CG_XDP_SINGLE_BUF, 1,
	  NULL },
	/* Any missing piece of multi-buffer XDP means single-buffer. */
	{ "frags but no bpf_xdp_load_bytes: single-buffer", { K_6_1, .xdp_load_bytes = 0 }, 1,
	  1500, 0, CG_XDP_SINGLE_BUF, 0, NULL },
	{ "frags but no bpf_xdp_get_buff_len: single-buffer", { K_6_1, .xdp_get_buff_len = 0 },
	  0, 1500, 0, CG_XDP_SINGLE_BUF, 0, NULL },
	{ "frags probe unknown (EPERM): single-buffer", { K_6_1, .xdp_frags = -1 }, 1, 1500, 0,
	  CG_XDP_SINGLE_BUF, 0, NULL },
	/* Alone only when freplace works and its ctx arguments do not; a
	 * kernel refusing freplace altogether is libxdp's own fallback. */
	{ "freplace refused altogether: not alone by plan", { K_5_10, .freplace = 0,
	  .freplace_ctx_arg = -1 }, 1, 1500, 0, CG_XDP_SINGLE_BUF, 0, NULL },
	{ "freplace ctx args unknown: not alone", { K_5_10, .freplace_ctx_arg = -1 }, 1, 1500,
	  0, CG_XDP_SINGLE_BUF, 0, NULL },
	/* The floor. */
	{ "5.4: below the floor", { .release = "5.4.0-150-generic", .major = 5, .minor = 4,
	  .xdp_frags = 0, .xdp_load_bytes = 0, .xdp_get_buff_len = 0, .freplace = 1,
	  .freplace_ctx_arg = 0 }, 1, 1500, -EOPNOTSUPP, 0, 0,
	  "kernel 5.4.0-150-generic is older than csumguard's floor, 5.10 (the oldest kernel "
	  "its BPF programs are tested on); run it on Linux 5.10 or newer" },
	{ "4.19: below the floor, whatever it probes", { K_6_1, .release = "4.19.0-27-amd64",
	  .major = 4, .minor = 19 }, 0, 1500, -EOPNOTSUPP, 0, 0,
	  "kernel 4.19.0-27-amd64 is older than csumguard's floor, 5.10 (the oldest kernel its "
	  "BPF programs are tested on); run it on Linux 5.10 or newer" },
	{ "5.9: below the floor", { K_5_10, .release = "5.9.16", .minor = 9 }, 0, 1500,
	  -EOPNOTSUPP, 0, 0, "kernel 5.9.16 is older than csumguard's floor, 5.10 (the oldest "
	  "kernel its BPF programs are tested on); run it on Linux 5.10 or newer" },
	{ "unparsable release: the probes decide", { K_5_10, .release = "weird", .major = 0,
	  .minor = 0 }, 1, 1500, 0, CG_XDP_SINGLE_BUF, 1, NULL },
};

static void test_plan_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(plan_cases) / sizeof(plan_cases[0]); i++) {
		const struct plan_case *c = &plan_cases[i];
		struct cg_xdp_plan p;
		char err[CG_ERRLEN] = "";
		int r;

		print_message("plan: %s\n", c->name);
		r = cg_xdp_plan(&c->f, c->native, c->mtu, "up0", &p, err, sizeof(err));
		assert_int_equal(r, c->ret);
		if (r) {
			assert_string_equal(err, c->err);
			continue;
		}
		assert_string_equal(err, "");
		assert_int_equal(p.variant, c->variant);
		assert_int_equal(p.alone, c->alone);
	}
}

static void test_floor_check(void **state)
{
	struct cg_features f = { K_5_10 };
	char err[CG_ERRLEN] = "";

	(void)state;
	assert_int_equal(cg_kernel_floor_check(&f, err, sizeof(err)), 0);
	f.major = 6;
	f.minor = 0;
	assert_int_equal(cg_kernel_floor_check(&f, err, sizeof(err)), 0);
	f.major = 5;
	f.minor = 9;
	assert_int_equal(cg_kernel_floor_check(&f, err, sizeof(err)), -EOPNOTSUPP);
	f.major = 3;
	f.minor = 99;
	assert_int_equal(cg_kernel_floor_check(&f, err, sizeof(err)), -EOPNOTSUPP);
}

/* The running kernel's release parses, and the floor agrees with it. */
static void test_features_init(void **state)
{
	struct cg_features f;

	(void)state;
	cg_features_init(&f);
	assert_true(f.major >= 2);
	assert_int_equal(f.xdp_frags, -1);
	assert_int_equal(f.freplace_ctx_arg, -1);
	assert_int_equal(f.tc_facts, -1);
}

static void test_multi_buf_needs_all(void **state)
{
	struct cg_features f = { K_6_1 };

	(void)state;
	assert_int_equal(cg_features_multi_buf(&f), 1);
	f.xdp_frags = 0;
	assert_int_equal(cg_features_multi_buf(&f), 0);
	f.xdp_frags = 1;
	f.xdp_load_bytes = -1;
	assert_int_equal(cg_features_multi_buf(&f), 0);
	f.xdp_load_bytes = 1;
	f.xdp_get_buff_len = 0;
	assert_int_equal(cg_features_multi_buf(&f), 0);
}

static void test_variant_names(void **state)
{
	(void)state;
	assert_string_equal(cg_xdp_variant_name(CG_XDP_MULTI_BUF), "multi-buffer");
	assert_string_equal(cg_xdp_variant_name(CG_XDP_SINGLE_BUF), "single-buffer");
	assert_string_equal(cg_xdp_variant_prog(CG_XDP_MULTI_BUF), "csumguard_xdp");
	assert_string_equal(cg_xdp_variant_prog(CG_XDP_SINGLE_BUF), "csumguard_xdpsb");
	assert_int_equal(cg_xdp_variant_of("csumguard_xdp"), CG_XDP_MULTI_BUF);
	assert_int_equal(cg_xdp_variant_of("csumguard_xdpsb"), CG_XDP_SINGLE_BUF);
	assert_string_equal(cg_xdp_variant_name(CG_XDP_LARGE_CHUNK), "large-chunk");
	assert_string_equal(cg_xdp_variant_prog(CG_XDP_LARGE_CHUNK), "csumguard_xdplc");
	assert_int_equal(cg_xdp_variant_of("csumguard_xdplc"), CG_XDP_LARGE_CHUNK);
	assert_true(cg_xdp_variant_frags(CG_XDP_LARGE_CHUNK) && cg_xdp_variant_frags(CG_XDP_MULTI_BUF) &&
		    !cg_xdp_variant_frags(CG_XDP_SINGLE_BUF));
	assert_true(strlen(CG_PROG_NAME_LC) <= 15);
	assert_int_equal(cg_xdp_variant_of("csumguard_tc"), -1);
	assert_int_equal(cg_xdp_variant_of("csumguard_xdp1"), -1);
	assert_int_equal(cg_xdp_variant_of(NULL), -1);
	/* the kernel keeps 15 characters of a program's name */
	assert_true(strlen(CG_PROG_NAME_SB) <= 15);
}

static void test_features_str(void **state)
{
	struct cg_features f = { K_5_10, .tc_facts = 0 };
	char buf[256];

	(void)state;
	cg_features_str(&f, buf, sizeof(buf));
	assert_string_equal(buf, "xdp.frags no, bpf_xdp_load_bytes no, bpf_xdp_get_buff_len no, "
			    "freplace yes, freplace with ctx args no, bpf_cast_to_kern_ctx no, "
			    "global function pointer args no, bpf_csum_diff any size no");
	f.freplace = 0;
	f.freplace_ctx_arg = -1;
	f.tc_facts = -1;
	f.global_ptr_args = -1;
	f.csum_any_size = -1;
	cg_features_str(&f, buf, sizeof(buf));
	assert_string_equal(buf, "xdp.frags no, bpf_xdp_load_bytes no, bpf_xdp_get_buff_len no, "
			    "freplace no");
	memset(&f, 0xff, sizeof(f));
	f.release[0] = 0;
	cg_features_str(&f, buf, sizeof(buf));
	assert_string_equal(buf, "none probed");
}

/* The TC egress program: runs from the floor on, 5.10 included (its
 * global functions take no pointer arguments: global_ptr_args 0 does not
 * matter); below the floor, the floor's refusal. */
static void test_tc_egress_check(void **state)
{
	struct cg_features f = { K_5_10 };
	char err[CG_ERRLEN] = "";

	(void)state;
	assert_int_equal(f.global_ptr_args, 0);
	assert_int_equal(cg_tc_egress_check(&f, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	f = (struct cg_features){ K_6_1 };
	assert_int_equal(cg_tc_egress_check(&f, err, sizeof(err)), 0);
	f.major = 5;
	f.minor = 4;
	assert_int_equal(cg_tc_egress_check(&f, err, sizeof(err)), -EOPNOTSUPP);
	assert_non_null(strstr(err, "older than csumguard's floor, 5.10"));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_table),
		cmocka_unit_test(test_floor_check),
		cmocka_unit_test(test_features_init),
		cmocka_unit_test(test_multi_buf_needs_all),
		cmocka_unit_test(test_variant_names),
		cmocka_unit_test(test_features_str),
		cmocka_unit_test(test_tc_egress_check),
	};

	return CG_UNIT_RUN(tests, argc, argv);
}
