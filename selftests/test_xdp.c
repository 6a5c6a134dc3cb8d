// SPDX-License-Identifier: GPL-2.0
/*
 * test_xdp.c - runs the BPF selftests with BPF_PROG_TEST_RUN: the table of
 * packet classes and the differential test against the reference verifier,
 * through the XDP validator and (frames up to XH_TC_MAX_FRAME bytes) the TC
 * egress program. Statically linked, the same binary runs inside Debian's
 * 5.10, 6.1 and 6.12 kernels booted under qemu (selftests/vm/).
 *
 *   test_xdp [--table] [--diff FRAMES | --count FRAMES] [--seed N] [-t NAME]
 *            [--variant V]
 *
 * First it probes the kernel as `csumguard attach` does (lib/probe.h) and
 * prints what it found and which XDP program variant attach would load.
 * Then, per XDP variant (--variant mb, sb, lc, all [default] or auto: the one
 * attach picks), the table and the differential: every variant the kernel
 * loads is run; one it must refuse (multi-buffer without xdp.frags) is
 * checked to be refused. The TC checks run once, beside the first variant.
 * With no suite named, runs both (the differential regression corpus, then
 * 100000 differential frames; the seed is random unless given, and printed,
 * with every disagreement: --seed N replays it). -t NAME runs
 * only the table cases whose name contains NAME (and no differential test
 * unless --diff is given). Ends with the line "N passed, M failed, K
 * skipped" (skipped: frames a kernel's test run does not take, with the
 * reason, never counted as passed); exits 1 if anything failed or could not
 * run.
 */
#include <errno.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "harness.h"
#include "probe.h"
#include "selftests.h"
#include "xdp_obj.h"
#include "csumguard_tc.skel.h"

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
	fprintf(f, "usage: test_xdp [--table] [--diff FRAMES | --count FRAMES] [--seed N] "
		"[-t NAME] [--variant mb|sb|lc|all|auto]\n"
		"  --diff, --count  the differential test (and its corpus) with FRAMES frames\n"
		"  --seed N   the differential's seed (default: random, printed)\n"
		"  -t NAME    only the table cases whose name contains NAME\n"
		"  --variant  the XDP program variants to run (default all the kernel loads)\n");
}

/* The line for a harness that would not open: the cause the errno gives,
 * not a guess (EPERM/EACCES without root is privileges; EINVAL is what a
 * kernel says to a load flag or helper it lacks, e.g. 5.10 to
 * BPF_F_XDP_HAS_FRAGS; a verifier rejection leaves its log in libbpf's
 * messages above). */
static const char *open_cause(int err)
{
	if ((err == -EPERM || err == -EACCES) && geteuid())
		return "run as root (CAP_BPF, CAP_SYS_ADMIN for test runs)";
	if (err == -EPERM || err == -EACCES)
		return "the verifier or the kernel's lockdown refused it: see libbpf's messages "
		       "above (the verifier log)";
	if (err == -EINVAL)
		return "this kernel refused a load flag or helper the program needs (frags "
		       "support, bpf_xdp_load_bytes: 5.18+), or a map layout: see libbpf's "
		       "messages above";
	return "see libbpf's messages above";
}

/* Loads prog's object once more with the verifier's statistics (log level
 * 4: 5.2+) and returns the "processed N insns" it reports, or 0: kernels
 * before 5.16 have no verified_insns in the program's info. */
static unsigned int insns_from_log(struct bpf_object *obj, struct bpf_program *prog)
{
	static char log[4096];
	const char *p;
	unsigned int n = 0;

	log[0] = 0;
	if (bpf_program__set_log_level(prog, 4) || bpf_program__set_log_buf(prog, log, sizeof(log)) ||
	    bpf_object__load(obj))
		return 0;
	p = strstr(log, "processed ");
	if (p && sscanf(p, "processed %u insns", &n) != 1)
		n = 0;
	return n;
}

/* The same for the XDP variant v (i 0) or csumguard_tc (i 1). */
static unsigned int insns_again(enum cg_xdp_variant v, int i)
{
	struct cg_xdp_obj o;
	struct csumguard_tc *tc;
	unsigned int n = 0;

	if (i == 0) {
		if (!cg_xdp_obj_open(&o, v))
			n = insns_from_log(o.obj, o.prog);
		cg_xdp_obj_close(&o);
	} else if ((tc = csumguard_tc__open())) {
		bpf_program__set_autoload(tc->progs.csumguard_tcf, false);
		n = insns_from_log(tc->obj, tc->progs.csumguard_tc);
		csumguard_tc__destroy(tc);
	}
	return n;
}

/* What the verifier spent on each program (bpf/README.md records it). */
static void print_insns(const struct harness *h, int with_tc)
{
	int fds[3] = { h->prog_fd, with_tc ? h->tc_prog_fd : -1, with_tc ? h->tcf_prog_fd : -1 };
	const char *names[3] = { cg_xdp_variant_prog(h->xdp.variant), CG_TC_PROG,
				 CG_TC_PROG_FACTS };
	unsigned int n;
	int i;

	for (i = 0; i < 3; i++) {
		struct bpf_prog_info info;
		__u32 ilen = sizeof(info);

		memset(&info, 0, sizeof(info));
		if (fds[i] < 0 || bpf_obj_get_info_by_fd(fds[i], &info, &ilen))
			continue;
		if (info.verified_insns)
			printf("verifier: %s %u instructions processed\n", names[i],
			       info.verified_insns);
		else if (i < 2 && (n = insns_again(h->xdp.variant, i)))
			/* the field is 5.16+: the verifier's own log says it */
			printf("verifier: %s %u instructions processed (its log; no "
			       "verified_insns before 5.16)\n", names[i], n);
		else
			printf("verifier: %s loaded (this kernel does not report the "
			       "instructions processed)\n", names[i]);
	}
}

/* Which TC programs run here: both from 6.2, csumguard_tc alone before
 * (and csumguard_tcf must be refused there, as the loader expects). */
static void check_tcf(const struct harness *h, struct st_result *res)
{
	char why[160];

	if (h->kernel_has_facts) {
		st_report(res, "tcf: loads (kernel has bpf_cast_to_kern_ctx)", 0, NULL);
		return;
	}
	snprintf(why, sizeof(why), "it loaded on a kernel without bpf_cast_to_kern_ctx");
	st_report(res, "tcf: refused by this kernel (no bpf_cast_to_kern_ctx), tc loads",
		  h->tcf_load_err ? 0 : -1, why);
	printf("tcf: not loaded here (load error %d, expected): its checks do not run\n",
	       h->tcf_load_err);
}

/* The TC programs where the loader refuses them (5.10): the kernel must
 * refuse them too; their checks are skips with the reason. */
static void check_tc_refused(const struct harness *h, struct st_result *res)
{
	st_report(res, "tc: refused by this kernel (no global functions with pointer "
		  "arguments), as the probe says", h->tc_load_err ? 0 : -1,
		  "it loaded although the probe says the kernel cannot run it");
	printf("tc: not loaded here (load error %d, expected): %s\n", h->tc_load_err,
	       h->tc_skip_why);
}

/* The multi-buffer variant on a kernel without multi-buffer XDP: it must be
 * refused, as the probe predicts (attach never tries it there). */
static void check_mb_refused(struct st_result *res, const struct cg_features *f)
{
	libbpf_print_fn_t old = libbpf_set_print(NULL);	/* the refusal is expected */
	struct cg_xdp_obj o;
	char why[256];
	int err;

	err = cg_xdp_obj_open(&o, CG_XDP_MULTI_BUF);
	if (!err)
		err = cg_xdp_obj_load(&o);
	cg_xdp_obj_close(&o);
	libbpf_set_print(old);
	snprintf(why, sizeof(why), "it loaded on a kernel whose probes say no multi-buffer XDP "
		 "(%s %s): the probe is wrong", f->release, f->xdp_frags == 1 ? "frags" : "");
	printf("xdp: %s not loaded here (load error %d: %s, expected)\n", CG_PROG_NAME, err,
	       strerror(-err));
	st_report(res, "xdp: multi-buffer " CG_PROG_NAME " refused by this kernel (no "
		  "xdp.frags), single-buffer runs", err ? 0 : -1, why);
}

int main(int argc, char **argv)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	struct st_result res = { 0 };
	int table = 0, diff = 0, i, err, run_tc = 1, nrun = 0, seed_given = 0;
	int want[CG_XDP_VARIANT_MAX] = { 1, 1, 1 }, auto_variant = 0;
	long frames = DEFAULT_DIFF_FRAMES;
	uint32_t seed = 0;
	const char *filter = NULL, *what;
	struct cg_features feat;
	struct cg_xdp_plan plan;
	char fs[512], perr[1024];
	struct harness h;
	enum cg_xdp_variant v;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--table")) {
			table = 1;
		} else if ((!strcmp(argv[i], "--diff") || !strcmp(argv[i], "--count")) &&
			   i + 1 < argc) {
			char *end;

			diff = 1;
			errno = 0;
			frames = strtol(argv[++i], &end, 10);
			if (*end || end == argv[i] || errno || frames <= 0) {
				fprintf(stderr, "test_xdp: %s %s: not a frame count; give a "
					"positive number such as 100000\n", argv[i - 1], argv[i]);
				return 2;
			}
		} else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			unsigned long v;
			char *end;

			errno = 0;
			v = strtoul(argv[++i], &end, 0);
			if (*end || end == argv[i] || errno || v > UINT32_MAX || argv[i][0] == '-') {
				fprintf(stderr, "test_xdp: --seed %s: not a seed; give the number a "
					"run printed (0 to 4294967295)\n", argv[i]);
				return 2;
			}
			seed = (uint32_t)v;
			seed_given = 1;
		} else if (!strcmp(argv[i], "-t") && i + 1 < argc) {
			table = 1;
			filter = argv[++i];
		} else if (!strcmp(argv[i], "--variant") && i + 1 < argc) {
			i++;
			want[CG_XDP_MULTI_BUF] = !strcmp(argv[i], "mb") || !strcmp(argv[i], "all");
			want[CG_XDP_SINGLE_BUF] = !strcmp(argv[i], "sb") || !strcmp(argv[i], "all");
			want[CG_XDP_LARGE_CHUNK] = !strcmp(argv[i], "lc") || !strcmp(argv[i], "all");
			auto_variant = !strcmp(argv[i], "auto");
			if (!auto_variant && !want[0] && !want[1] && !want[2]) {
				usage(stderr);
				return 2;
			}
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
	if (!seed_given && getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		seed = (uint32_t)time(NULL) ^ (uint32_t)getpid() << 16;

	setrlimit(RLIMIT_MEMLOCK, &rl);	/* pre-5.11 kernels charge memlock */
	libbpf_set_print(quiet_libbpf);

	/* What attach would find and load here (lib/probe.h). */
	cg_features_init(&feat);
	cg_probe_xdp(&feat);
	cg_probe_freplace(&feat);
	feat.tc_facts = cg_probe_tc_facts();
	cg_probe_global_ptr_args(&feat);
	cg_features_str(&feat, fs, sizeof(fs));
	printf("test_xdp: kernel %s\n", feat.release);
	printf("features: %s\n", fs);
	if ((err = cg_xdp_plan(&feat, 0, 0, "-", &plan, perr, sizeof(perr)))) {
		fprintf(stderr, "test_xdp: %s\n", perr);
		printf("0 passed, 1 failed, 0 skipped\n");
		return 1;
	}
	printf("variant: attach loads the %s program %s here%s\n",
	       cg_xdp_variant_name(plan.variant), cg_xdp_variant_prog(plan.variant),
	       plan.alone ? ", alone (freplace refuses its global functions: no libxdp "
	       "dispatcher)" : "");
	if (auto_variant) {
		want[CG_XDP_MULTI_BUF] = plan.variant == CG_XDP_MULTI_BUF;
		want[CG_XDP_SINGLE_BUF] = plan.variant == CG_XDP_SINGLE_BUF;
		want[CG_XDP_LARGE_CHUNK] = plan.variant == CG_XDP_LARGE_CHUNK;
	}

	for (v = 0; v < CG_XDP_VARIANT_MAX; v++) {
		if (!want[v])
			continue;
		if (v == CG_XDP_MULTI_BUF && !cg_features_multi_buf(&feat)) {
			check_mb_refused(&res, &feat);
			continue;
		}
		/* The large-chunk variant loads from 5.18 but its sums fail
		 * before 6.13 (bpf_csum_diff: -EINVAL over 512 B or for sizes
		 * not a multiple of 4): attach never loads it there. */
		if (v == CG_XDP_LARGE_CHUNK && (feat.csum_any_size != 1 ||
						!cg_features_multi_buf(&feat))) {
			st_skip(&res, "xdplc: the large-chunk variant (" CG_PROG_NAME_LC ")",
				"this kernel's bpf_csum_diff takes at most 512 bytes in multiples "
				"of 4 (the probe's test run; 6.13+ takes any size): attach loads "
				"the multi-buffer program here");
			continue;
		}
		err = xh_open(&h, v, &what);
		if (err) {
			fprintf(stderr, "test_xdp: cannot %s: %s; %s\n", what, strerror(-err),
				open_cause(err));
			res.failed++;
			continue;
		}
		if (!run_tc) {
			h.run_tc = 0;
			h.tc_skip_why = NULL;	/* said with the first variant */
		}
		nrun++;
		printf("== XDP variant: %s (%s)%s%s\n", cg_xdp_variant_name(v),
		       cg_xdp_variant_prog(v), v == plan.variant ? ", the one attach loads here" :
		       ", loads here too", h.run_tc ? "; with the TC programs" : "");
		if (h.sb_big_refused)
			printf("xdpsb: %s\n", h.sb_big_why);
		print_insns(&h, h.run_tc);
		if (h.tc_skip_why)
			check_tc_refused(&h, &res);
		else if (h.run_tc)
			check_tcf(&h, &res);
		if (table) {
			int n = run_xdp_cases(&h, &res, filter) +
				(run_tc ? run_tc_cases(&h, &res, filter) : 0) +
				run_trace_cases(&h, &res, filter);

			if (n == 0 && filter)
				st_report(&res, "-t", -1, "no table case name contains the text given");
		}
		if (diff) {
			run_diff_corpus(&h, &res);
			run_xdp_diff(&h, &res, frames, seed);
		}
		xh_close(&h);
		run_tc = 0;
	}
	if (!nrun)
		st_report(&res, "xdp", -1, "no XDP program variant ran");
	printf("%d passed, %d failed, %d skipped\n", res.passed, res.failed, res.skipped);
	return res.failed || !res.passed ? 1 : 0;
}
