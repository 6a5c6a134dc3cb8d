// SPDX-License-Identifier: GPL-2.0
/*
 * test_xdp.c - runs the BPF selftests with BPF_PROG_TEST_RUN: the table of
 * packet classes and the differential test against the reference verifier,
 * through the XDP validator and (frames up to XH_TC_MAX_FRAME bytes) the TC
 * egress program. Statically linked, the same binary runs inside the 6.1
 * kernel booted under qemu (selftests/vm/).
 *
 *   test_xdp [--table] [--diff FRAMES] [--seed N] [-t NAME]
 *
 * With no suite named, runs both (100000 differential frames). -t NAME runs
 * only the table cases whose name contains NAME (and no differential test
 * unless --diff is given). Ends with the line "N passed, M failed, K
 * skipped" (skipped: TC checks of frames too big for a TC test run, never
 * counted as passed); exits 1 if anything failed or could not run.
 */
#include <errno.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "harness.h"
#include "selftests.h"

#define DEFAULT_DIFF_FRAMES 100000

void st_report(struct st_result *r, const char *name, int status, const char *why)
{
	if (status == 0) {
		r->passed++;
		printf("ok   - %s\n", name);
	} else {
		r->failed++;
		printf("FAIL - %s:%s%s\n", name, why && *why != ' ' ? " " : "", why ? why : "");
	}
	fflush(stdout);
}

void st_skip(struct st_result *r, const char *name, const char *why)
{
	r->skipped++;
	printf("skip - %s: %s\n", name, why);
	fflush(stdout);
}

static int quiet_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: test_xdp [--table] [--diff FRAMES] [--seed N] [-t NAME]\n"
		"  -t NAME  only the table cases whose name contains NAME\n");
}

int main(int argc, char **argv)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	struct st_result res = { 0 };
	int table = 0, diff = 0, i, err;
	long frames = DEFAULT_DIFF_FRAMES;
	uint32_t seed = (uint32_t)time(NULL);
	const char *filter = NULL, *what;
	struct utsname u;
	struct harness h;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--table")) {
			table = 1;
		} else if (!strcmp(argv[i], "--diff") && i + 1 < argc) {
			diff = 1;
			frames = strtol(argv[++i], NULL, 10);
		} else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			seed = (uint32_t)strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "-t") && i + 1 < argc) {
			table = 1;
			filter = argv[++i];
		} else if (!strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!table && !diff)
		table = diff = 1;

	setrlimit(RLIMIT_MEMLOCK, &rl);	/* pre-5.11 kernels charge memlock */
	libbpf_set_print(quiet_libbpf);
	uname(&u);
	printf("test_xdp: kernel %s\n", u.release);
	err = xh_open(&h, &what);
	if (err) {
		/* Name the cause the errno gives, not a guess: EPERM/EACCES with
		 * no verifier log is privileges; EINVAL is what a kernel says to a
		 * flag or helper it lacks (5.10 and BPF_F_XDP_HAS_FRAGS); a
		 * verifier rejection leaves its log in libbpf's messages. */
		fprintf(stderr, "test_xdp: cannot %s: %s; %s\n", what, strerror(-err),
			(err == -EPERM || err == -EACCES) && geteuid() ?
			"run as root (CAP_BPF, CAP_SYS_ADMIN for test runs)" :
			err == -EPERM || err == -EACCES ?
			"the verifier or the kernel's lockdown refused it: see libbpf's messages "
			"above (the verifier log)" :
			err == -EINVAL ?
			"this kernel refused a load flag or helper the program needs (frags "
			"support, bpf_xdp_load_bytes: 5.18+), or a map layout: see libbpf's "
			"messages above" :
			"see libbpf's messages above");
		printf("0 passed, 1 failed, 0 skipped\n");
		return 1;
	}
	/* What the verifier spent on each program (bpf/README.md records it). */
	{
		int fds[3] = { h.prog_fd, h.tc_prog_fd, h.tcf_prog_fd };
		const char *names[3] = { CG_PROG_NAME, CG_TC_PROG, CG_TC_PROG_FACTS };

		for (i = 0; i < 3; i++) {
			struct bpf_prog_info info;
			__u32 ilen = sizeof(info);

			memset(&info, 0, sizeof(info));
			if (fds[i] >= 0 && !bpf_obj_get_info_by_fd(fds[i], &info, &ilen))
				printf("verifier: %s %u instructions processed\n", names[i],
				       info.verified_insns);
		}
	}
	/* Which TC programs run here: both from 6.2, csumguard_tc alone before
	 * (and csumguard_tcf must be refused there, as the loader expects). */
	if (h.kernel_has_facts) {
		st_report(&res, "tcf: loads (kernel has bpf_cast_to_kern_ctx)", 0, NULL);
	} else {
		char why[160];

		snprintf(why, sizeof(why), "it loaded on a kernel without bpf_cast_to_kern_ctx");
		st_report(&res, "tcf: refused by this kernel (no bpf_cast_to_kern_ctx), tc loads",
			  h.tcf_load_err ? 0 : -1, why);
		printf("tcf: not loaded here (load error %d, expected): its checks do not run\n",
		       h.tcf_load_err);
	}
	if (table) {
		int n = run_xdp_cases(&h, &res, filter) + run_tc_cases(&h, &res, filter);

		if (n == 0 && filter)
			st_report(&res, "-t", -1, "no table case name contains the text given");
	}
	if (diff)
		run_xdp_diff(&h, &res, frames, seed);
	xh_close(&h);
	printf("%d passed, %d failed, %d skipped\n", res.passed, res.failed, res.skipped);
	return res.failed || !res.passed ? 1 : 0;
}
