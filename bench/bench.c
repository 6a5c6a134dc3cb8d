// SPDX-License-Identifier: GPL-2.0
/*
 * bench.c - ns per packet of the csumguard XDP validator (SPEC 5).
 *
 * For each total frame size (VXLAN over IPv4, valid outer UDP checksum, so
 * the whole checksum path runs) it measures, in one run and interleaved:
 *   user  a fast user-space checksum of the UDP datagram (64-bit loads added
 *         with carry, the approach of Linux x86 csum_partial), plus the
 *         pseudo-header and the fold: the practical limit for those bytes;
 *   pass  an XDP program that returns XDP_PASS at once (BPF_PROG_TEST_RUN);
 *   xdp   csumguard_xdp with the default port table (BPF_PROG_TEST_RUN).
 * Each is repeated so one measurement lasts about -t ms; the table shows the
 * median of -r rounds and the ratio (xdp - pass) / user. Absolute numbers are
 * noisy on shared machines; the ratios measured side by side are the result.
 * All three are timed by this thread's CPU time (CLOCK_THREAD_CPUTIME_ID):
 * one clock for all, sub-ns resolution (the kernel's own test-run duration is
 * whole ns; -v prints it beside), and time other tasks ran on our CPU left out.
 *
 * Every measurement is checked: the user checksum must equal the RFC 1071
 * reference (ref/refcheck.c) and verify the datagram, and after every
 * validator run the interface counters must show exactly that many frames
 * with verdict ok. Anything else aborts the run: a number for a frame the
 * validator did not fully check would be meaningless.
 *
 * Then (issue 10), at one size (-k, default 1500 B), what classifying a bad
 * frame costs beside verifying an ok one and XDP_PASS (bench_classes).
 *
 * Usage: bench [-r ROUNDS] [-t MS] [-c CPU] [-s SIZE,...] [-k SIZE] [-v] [-o OBJ]...
 *   -o OBJ  benchmark another build of the validator (a .bpf.o with the same
 *           program and map names) instead of the one built in; repeated, the
 *           builds are compared in the same run. For trying variants of
 *           bpf/csum.bpf.h without touching the production files.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "csumguard.h"
#include "util.h"
#include "cg_wire.h"
#include "maps.h"
#include "names.h"
#include "refcheck.h"
#include "pkt.h"
#include <math.h>
#include <bpf/btf.h>
#include <linux/pkt_cls.h>
#include "csumguard.skel.h"
#include "csumguard_tc.skel.h"
#include "xdp_pass.skel.h"
#include "tc_pass.skel.h"
#include "probe.h"

#define MAX_SIZES	16
#define MAX_ROUNDS	25
#define MAX_FRAME	9216
/* Ethernet + IPv4 + UDP + VXLAN: the smallest frame with a checksummed datagram. */
#define HDRS_LEN	(CG_ETH_HLEN + CG_IPV4_MIN_HLEN + CG_UDP_HLEN + 8)

#define MAX_VALIDATORS	10
/* Methods: the user checksum, XDP_PASS, the TC floor and the two TC egress
 * programs (frames up to TC_MAX_FRAME only), then each XDP validator
 * (M_XDP + k). */
enum { M_USER, M_PASS, M_TCPASS, M_TC, M_TCF, M_XDP };
#define M_MAX		(M_XDP + MAX_VALIDATORS)
/* TC test runs take linear data only, up to 4096 - 64 - 320 bytes
 * (selftests/harness.h XH_TC_MAX_FRAME). */
#define TC_MAX_FRAME	3712

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "bench: FAIL: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

/* ---- the user-space checksum -------------------------------------------- */

#if defined(__x86_64__)
/* sum + the n 64-bit words at p, with carry: one chain of adcq. */
#define ADC_WORDS(n, sum, ptr)							\
	__asm__("addq 0*8(%[p]), %[s]\n\t"					\
		".if " #n " > 1\n\t adcq 1*8(%[p]), %[s]\n\t .endif\n\t"	\
		".if " #n " > 2\n\t adcq 2*8(%[p]), %[s]\n\t"			\
		"  adcq 3*8(%[p]), %[s]\n\t .endif\n\t"				\
		".if " #n " > 4\n\t adcq 4*8(%[p]), %[s]\n\t .endif\n\t"	\
		"adcq $0, %[s]"							\
		: [s] "+r"(sum)							\
		: [p] "r"(ptr), "m"(*(const uint8_t(*)[(n) * 8])(ptr)))

static inline uint64_t adc64(uint64_t sum, uint64_t v)
{
	__asm__("addq %[v], %[s]\n\t"
		"adcq $0, %[s]"
		: [s] "+r"(sum)
		: [v] "r"(v));
	return sum;
}
#else
/* Portable: the carry out of a 64-bit add is (sum < v). */
static inline uint64_t adc64(uint64_t sum, uint64_t v)
{
	sum += v;
	return sum + (sum < v);
}

#define ADC_WORDS(n, sum, ptr)						\
	do {								\
		uint64_t w_[n];						\
		int i_;							\
		memcpy(w_, ptr, sizeof(w_));				\
		for (i_ = 0; i_ < (n); i_++)				\
			sum = adc64(sum, w_[i_]);			\
	} while (0)
#endif

/*
 * One's-complement sum of len bytes in native byte order, folded to 32 bits
 * (not to 16: like csum_partial). The shape of Linux's x86-64 csum_partial
 * (arch/x86/lib/csum-partial_64.c): two independent add-with-carry chains
 * over 40-byte blocks for instruction-level parallelism, then 32/16/8-byte
 * steps, then the last 1-7 bytes taken from one 8-byte load that ends at the
 * end of the buffer, shifted so only they remain (no variable-size copy).
 * Noinline so the timing loop calls it as the kernel calls csum_partial.
 */
__attribute__((noinline)) static uint32_t csum_fast(const uint8_t *p, size_t len)
{
	uint64_t sum = 0, sum2 = 0, w;
	size_t t;

	if (len < 8) {		/* never for our frames; kept correct anyway */
		w = 0;
		memcpy(&w, p, len);
		sum = w;
		goto fold;
	}
	if (len >= 80) {
		do {
			ADC_WORDS(5, sum, p);
			ADC_WORDS(5, sum2, p + 40);
			p += 80;
			len -= 80;
		} while (len >= 80);
		sum = adc64(sum, sum2);
	}
	if (len & 64) {
		ADC_WORDS(4, sum, p);
		ADC_WORDS(4, sum, p + 32);
		p += 64;
	}
	if (len & 32) {
		ADC_WORDS(4, sum, p);
		p += 32;
	}
	if (len & 16) {
		ADC_WORDS(2, sum, p);
		p += 16;
	}
	if (len & 8) {
		ADC_WORDS(1, sum, p);
		p += 8;
	}
	t = len & 7;
	if (t) {
		/* Bytes before p were summed already and exist (len >= 8). On
		 * a little-endian CPU the last t bytes are the top of the word:
		 * shifted down, the first of them lands on bit 0, an even byte
		 * position, as it should. */
		memcpy(&w, p + t - 8, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		w >>= 64 - 8 * t;
#else
		w <<= 64 - 8 * t;
#endif
		sum = adc64(sum, w);
	}
fold:
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffffffff) + (sum >> 32);
	return (uint32_t)sum;
}

static uint16_t fold16(uint64_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* The native-order fold of a sum, in network order (what refcheck computes). */
static uint16_t to_net16(uint16_t native)
{
	uint16_t probe = 1;

	if (*(uint8_t *)&probe)	/* little-endian */
		return (uint16_t)(native << 8 | native >> 8);
	return native;
}

/* Every length 0..300 at every alignment 0..7, against the reference. */
static void check_csum_fast(void)
{
	uint8_t buf[320];
	size_t len, al, i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 151 + 7);
	for (al = 0; al < 8; al++)
		for (len = 0; len <= 300; len++)
			if (to_net16(fold16(csum_fast(buf + al, len))) !=
			    cg_ref_fold(cg_ref_sum16(buf + al, len, 0)))
				die("fast checksum of %zu bytes at alignment %zu differs from "
				    "the reference", len, al);
}

/* ---- one frame ------------------------------------------------------------ */

struct frame {
	size_t size;
	uint8_t *buf;			/* 64-byte aligned, like a page */
	const uint8_t *udp;
	size_t ulen;
	uint64_t pseudo;		/* native-order pseudo-header sum, without the UDP length */
	uint64_t ulen_word;		/* the UDP length as it appears in memory */
	unsigned repeat[M_MAX];
	double ns[M_MAX][MAX_ROUNDS];
	double kns[M_MAX][MAX_ROUNDS];	/* the kernel's duration (XDP methods) */
};

/* The whole user-side job: sum the datagram, add the pseudo-header, fold,
 * compare. Returns 1 when it verifies. */
static inline int user_verify(const struct frame *f)
{
	uint64_t s = f->pseudo + f->ulen_word + csum_fast(f->udp, f->ulen);

	return fold16(s) == 0xffff;
}

static void build_frame(struct frame *f, size_t size)
{
	struct pkt_spec s;
	struct pkt_layout lay;
	uint16_t w16;
	uint32_t w32;
	size_t n;

	if (size < HDRS_LEN || size > MAX_FRAME)
		die("frame size %zu outside %d..%d", size, HDRS_LEN, MAX_FRAME);
	f->size = size;
	if (posix_memalign((void **)&f->buf, 64, MAX_FRAME + 256))
		die("out of memory");
	pkt_spec_init(&s, 4);
	s.inner_len = size - HDRS_LEN;
	s.seed = (uint32_t)size;
	n = pkt_build(f->buf, MAX_FRAME + 256, &s, &lay);
	if (n != size || lay.l4 != CG_ETH_HLEN + CG_IPV4_MIN_HLEN || lay.udp_len != size - lay.l4)
		die("pkt_build made %zu bytes for a %zu-byte frame", n, size);
	f->udp = f->buf + lay.l4;
	f->ulen = lay.udp_len;

	/* Pseudo-header words as they sit in memory (saddr, daddr, 0|proto). */
	f->pseudo = 0;
	memcpy(&w32, f->buf + CG_ETH_HLEN + 12, 4);
	f->pseudo += w32;
	memcpy(&w32, f->buf + CG_ETH_HLEN + 16, 4);
	f->pseudo += w32;
	memcpy(&w16, (const uint8_t[]){ 0, CG_IPPROTO_UDP }, 2);
	f->pseudo += w16;
	memcpy(&w16, f->udp + 4, 2);
	f->ulen_word = w16;

	/* The fast sum must equal the RFC 1071 reference: on the datagram (2
	 * bytes past an 8-byte boundary, as in the kernel's buffer), on the
	 * whole frame, and on an odd length. */
	if (to_net16(fold16(csum_fast(f->udp, f->ulen))) != cg_ref_fold(cg_ref_sum16(f->udp, f->ulen, 0)))
		die("%zu B: fast checksum of the datagram differs from the reference", size);
	if (to_net16(fold16(csum_fast(f->buf, size))) != cg_ref_fold(cg_ref_sum16(f->buf, size, 0)))
		die("%zu B: fast checksum of the frame differs from the reference", size);
	if (to_net16(fold16(csum_fast(f->buf + 1, size - 1))) !=
	    cg_ref_fold(cg_ref_sum16(f->buf + 1, size - 1, 0)))
		die("%zu B: fast checksum of an odd length differs from the reference", size);
	if (!user_verify(f))
		die("%zu B: the user-space checksum does not verify the datagram", size);
	/* And the field holds the checksum the reference computes. */
	if ((uint16_t)(f->udp[6] << 8 | f->udp[7]) !=
	    cg_ref_udp_csum(f->buf + CG_ETH_HLEN + 12, f->buf + CG_ETH_HLEN + 16, 4, f->udp, f->ulen))
		die("%zu B: checksum field differs from the reference", size);
}

/* ---- timing ---------------------------------------------------------------- */

/* This thread's CPU time: like the kernel's test-run clock, which stops while
 * it yields the CPU, it leaves out time other tasks ran on our CPU. */
static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double now_wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* One build of the validator, with its own maps. */
struct validator {
	const char *name;		/* object path, or "built in" */
	struct bpf_object *obj;
	int prog_fd, iface_fd;
	int unchecked;			/* a build that counts nothing per interface
					 * (label with "iface", or upto-WHAT: it
					 * stops early): its counters cannot be
					 * checked */
};

struct progs {
	int pass_fd;
	int nval;
	struct validator val[MAX_VALIDATORS];
	int tcpass_fd;
	struct validator tc, tcf;	/* tcf.prog_fd -1: kernel without the facts kfunc */
};

/* Whether a TC method runs on frame f here. */
static int tc_method(int m)
{
	return m == M_TCPASS || m == M_TC || m == M_TCF;
}

static double run_user(const struct frame *f, unsigned repeat)
{
	unsigned i, ok = 0;
	double t0, t1;

	t0 = now_ns();
	for (i = 0; i < repeat; i++) {
		ok += user_verify(f);
		__asm__ __volatile__("" ::: "memory");	/* sum the bytes again each time */
	}
	t1 = now_ns();
	if (ok != repeat)
		die("%zu B: the user-space checksum failed %u of %u times", f->size, repeat - ok, repeat);
	return (t1 - t0) / repeat;
}

/* The kernel's own ns per run of the last BPF_PROG_TEST_RUN (integer ns). */
static double last_kernel_ns;

/*
 * BPF_PROG_TEST_RUN, timed by this thread's CPU time like the user checksum:
 * that has sub-ns resolution where the kernel reports whole ns per run (5 ns
 * for XDP_PASS could be 5.9), and the syscall's setup is negligible over
 * millions of repeats. The kernel's number is kept as a cross-check.
 * Checks the return value.
 */
static double run_prog_want(int fd, const struct frame *f, unsigned repeat, const char *what,
			    unsigned want_ret)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		    .data_in = f->buf,
		    .data_size_in = (__u32)f->size,
		    .repeat = repeat);
	double t0, t1;
	int err;

	t0 = now_ns();
	err = bpf_prog_test_run_opts(fd, &opts);
	t1 = now_ns();
	if (err)
		die("%zu B: BPF_PROG_TEST_RUN of %s: %s", f->size, what, strerror(-err));
	if (opts.retval != want_ret)
		die("%zu B: %s returned %u, not %s", f->size, what, opts.retval,
		    want_ret == XDP_PASS ? "XDP_PASS" : want_ret == TC_ACT_OK ? "TC_ACT_OK" :
		    "TC_ACT_UNSPEC");
	last_kernel_ns = opts.duration;
	return (t1 - t0) / repeat;
}

static double run_prog(int fd, const struct frame *f, unsigned repeat, const char *what)
{
	return run_prog_want(fd, f, repeat, what, XDP_PASS);
}

/* The egress totals, every field summed over the CPUs. */
static void egress_read(int fd, struct cg_egress_stats *st)
{
	int n = cg_ncpus(), i, j;
	struct cg_egress_stats *v;
	__u32 key = 0;

	if (n < 0 || !(v = calloc((size_t)n, sizeof(*v))))
		die("reading cg_egress: no memory");
	if (bpf_map_lookup_elem(fd, &key, v))
		die("reading cg_egress: %s", strerror(errno));
	memset(st, 0, sizeof(*st));
	for (i = 0; i < n; i++)
		for (j = 0; j < (int)(sizeof(*st) / sizeof(__u64)); j++)
			((__u64 *)st)[j] += ((const __u64 *)&v[i])[j];
	free(v);
}

/* Runs a TC egress program and checks that every one of the repeat skbs was
 * a tunnel datagram in state final_ok, and nothing else happened. */
static double run_tc(const struct validator *val, const struct frame *f, unsigned repeat,
		     int facts)
{
	struct cg_egress_stats a, b;
	double ns;
	int i;

	egress_read(val->iface_fd, &a);
	ns = run_prog_want(val->prog_fd, f, repeat, val->name, TC_ACT_UNSPEC);
	egress_read(val->iface_fd, &b);
	for (i = 0; i < CG_IFACE_COUNTER_MAX; i++) {
		__u64 d = b.c[i] - a.c[i];
		__u64 want = (i == CG_IF_FRAMES || i == CG_IF_TUNNEL) ? repeat : 0;

		if (i == CG_IF_SRC_INSERTED && d <= 1)
			continue;
		if (d != want)
			die("%zu B: %s: counter %s moved by %llu over %u skbs (want %llu)", f->size,
			    val->name, cg_iface_counter_name(i), (unsigned long long)d, repeat,
			    (unsigned long long)want);
	}
	for (i = 0; i < CG_EGRESS_STATE_MAX; i++) {
		__u64 d = b.state[i] - a.state[i];

		if (d != (i == CG_E_FINAL_OK ? repeat : 0))
			die("%zu B: %s: state %s counted %llu times over %u skbs (want every skb "
			    "final_ok)", f->size, val->name, cg_egress_state_name(i),
			    (unsigned long long)d, repeat);
	}
	if ((facts ? b.facts - a.facts : b.no_facts - a.no_facts) != repeat)
		die("%zu B: %s: facts/no_facts did not count every skb", f->size, val->name);
	return ns;
}

static void iface_read(int fd, struct cg_iface_stats *st)
{
	int err = cg_iface_read(fd, st);

	if (err)
		die("reading cg_iface: %s", strerror(-err));
}

/* Runs the validator and checks that every one of the repeat frames was a
 * tunnel frame with verdict ok, and nothing else happened. */
static double run_xdp(const struct validator *val, const struct frame *f, unsigned repeat)
{
	struct cg_iface_stats a, b;
	double ns;
	int i;

	if (val->unchecked)
		return run_prog(val->prog_fd, f, repeat, val->name);
	iface_read(val->iface_fd, &a);
	ns = run_prog(val->prog_fd, f, repeat, val->name);
	iface_read(val->iface_fd, &b);
	for (i = 0; i < CG_IFACE_COUNTER_MAX; i++) {
		__u64 d = b.c[i] - a.c[i];
		__u64 want = (i == CG_IF_FRAMES || i == CG_IF_TUNNEL) ? repeat : 0;

		/* the frames' one source is inserted on its first sight only */
		if (i == CG_IF_SRC_INSERTED && d <= 1)
			continue;
		/* trace (bpf/trace.bpf.h): bad frames past the burst, or with the
		 * ring full (nobody reads it here), are counted; ok ones never
		 * (run_validator) */
		if ((i == CG_IF_TRACE_SUPPRESSED || i == CG_IF_TRACE_LOST) &&
		    (b.verdict[CG_V_OK] - a.verdict[CG_V_OK] == repeat ? d == 0 : d <= repeat))
			continue;
		if (d != want)
			die("%zu B: %s: counter %s moved by %llu over %u frames (want %llu)",
			    f->size, val->name, cg_iface_counter_name(i), (unsigned long long)d, repeat,
			    (unsigned long long)want);
	}
	for (i = 0; i < CG_VERDICT_MAX; i++) {
		__u64 d = b.verdict[i] - a.verdict[i];
		__u64 want = i == CG_V_OK ? repeat : 0;

		if (d != want)
			die("%zu B: %s: verdict %s counted %llu times over %u frames (want %llu: "
			    "every frame ok)", f->size, val->name, cg_verdict_name(i),
			    (unsigned long long)d, repeat, (unsigned long long)want);
	}
	return ns;
}

/* -T: a TC object whose csumguard_tc takes the tcf column (no facts). */
static const char *tc_alt_path;

/* Loads csumguard_tc alone from the object file arg (LABEL=PATH) into val,
 * default ports, monitor mode; prints its verifier cost. */
static struct bpf_object *load_tc_file(const char *arg, struct validator *val)
{
	struct cg_config cfg = { .mode = CG_MODE_MONITOR };
	const char *eq = strchr(arg, '=');
	struct bpf_prog_info info;
	__u32 ilen = sizeof(info);
	struct bpf_program *p, *prog;
	struct bpf_object *obj;
	struct bpf_map *m;
	int err;

	obj = bpf_object__open_file(eq ? eq + 1 : arg, NULL);
	if (!obj)
		die("opening the TC object %s: %s", arg, strerror(errno));
	prog = bpf_object__find_program_by_name(obj, CG_TC_PROG);
	if (!prog)
		die("no program " CG_TC_PROG " in %s", arg);
	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, p == prog);
	if ((err = bpf_object__load(obj)))
		die("loading %s: %s", arg, strerror(-err));
	val->prog_fd = bpf_program__fd(prog);
	m = bpf_object__find_map_by_name(obj, "cg_egress");
	val->iface_fd = m ? bpf_map__fd(m) : -1;
	val->name = eq ? strndup(arg, (size_t)(eq - arg)) : arg;
	m = bpf_object__find_map_by_name(obj, "cg_ports");
	if (!m || (err = cg_ports_set_defaults(bpf_map__fd(m))))
		die("filling cg_ports of %s", arg);
	m = bpf_object__find_map_by_name(obj, "cg_config");
	if (!m || (err = cg_config_write(bpf_map__fd(m), &cfg)))
		die("writing cg_config of %s", arg);
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(val->prog_fd, &info, &ilen))
		die("prog info of %s: %s", val->name, strerror(errno));
	printf("load: %-14s %7u verified insns (csumguard_tc of %s, in the tcf column)\n",
	       val->name, info.verified_insns, arg);
	return obj;
}

static double measure(const struct progs *pg, const struct frame *f, int m, unsigned repeat)
{
	switch (m) {
	case M_USER:
		return run_user(f, repeat);
	case M_PASS:
		return run_prog(pg->pass_fd, f, repeat, "xdp_pass");
	case M_TCPASS:
		return run_prog_want(pg->tcpass_fd, f, repeat, "tc_pass", TC_ACT_OK);
	case M_TC:
		return run_tc(&pg->tc, f, repeat, 0);
	case M_TCF:
		return run_tc(&pg->tcf, f, repeat, !tc_alt_path);
	default:
		return run_xdp(&pg->val[m - M_XDP], f, repeat);
	}
}

/* Picks repeat so one measurement takes about target_ms. */
static unsigned calibrate(const struct progs *pg, const struct frame *f, int m,
			  double target_ms)
{
	unsigned repeat = 1000;
	double ns = 0;
	int i;

	for (i = 0; i < 2; i++) {
		ns = measure(pg, f, m, repeat);
		if (ns < 0.5)
			ns = 0.5;
		repeat = (unsigned)(target_ms * 1e6 / ns);
		if (repeat < 1000)
			repeat = 1000;
		if (repeat > 200000000)
			repeat = 200000000;
	}
	return repeat;
}

/* ---- the validator ----------------------------------------------------------- */

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

/* Loads a validator build; 1 if it is left out: the large-chunk build on a
 * kernel whose bpf_csum_diff takes only 512 B in multiples of 4 (it loads
 * there, but every sum fails: its verdicts would mean nothing). */
static int load_validator(const char *arg, struct validator *val)
{
	struct cg_features feat;
	/* LABEL=PATH names the build in the tables; PATH alone is its name */
	const char *eq = arg ? strchr(arg, '=') : NULL, *path = eq ? eq + 1 : arg;
	struct cg_config cfg = { .mode = CG_MODE_MONITOR };
	struct bpf_program *prog;
	struct bpf_object *obj;
	struct bpf_map *m;
	const void *bytes;
	size_t sz;
	int err;

	if (path) {
		obj = bpf_object__open_file(path, NULL);
	} else {
		bytes = csumguard__elf_bytes(&sz);
		obj = bpf_object__open_mem(bytes, sz, NULL);
	}
	if (!obj)
		die("opening the validator %s: %s", path ? path : "(built in)", strerror(errno));
	err = bpf_object__load(obj);
	if (err)
		die("loading the validator: %s", strerror(-err));
	prog = bpf_object__find_program_by_name(obj, CG_PROG_NAME);
	if (!prog) {	/* the large-chunk build (6.13+) */
		prog = bpf_object__find_program_by_name(obj, CG_PROG_NAME_LC);
		cg_features_init(&feat);
		cg_probe_csum_any_size(&feat);
		if (prog && feat.csum_any_size != 1) {
			printf("left out %s: this kernel's bpf_csum_diff takes at most 512 bytes "
			       "in multiples of 4 (any size from 6.13), which the large-chunk "
			       "build needs\n", arg);
			bpf_object__close(obj);
			return 1;
		}
	}
	if (!prog)
		die("no program csumguard_xdp (or csumguard_xdplc) in the validator object");
	val->prog_fd = bpf_program__fd(prog);

	m = bpf_object__find_map_by_name(obj, "cg_ports");
	if (!m || (err = cg_ports_set_defaults(bpf_map__fd(m))))
		die("filling cg_ports: %s", m ? strerror(-err) : "no such map");
	m = bpf_object__find_map_by_name(obj, "cg_config");
	if (!m || (err = cg_config_write(bpf_map__fd(m), &cfg)))
		die("writing cg_config: %s", m ? strerror(-err) : "no such map");
	m = bpf_object__find_map_by_name(obj, "cg_iface");
	if (!m)
		die("no map cg_iface in the validator object");
	val->iface_fd = bpf_map__fd(m);
	val->obj = obj;
	val->name = path ? path : "built in";
	if (eq)
		val->name = strndup(arg, (size_t)(eq - arg));
	val->unchecked = eq && (strstr(val->name, "iface") || !strncmp(val->name, "upto-", 5));
	/* a build of another layout (e.g. main's object beside this one's, to
	 * compare them in one run): its totals cannot be read as this build's */
	if (bpf_map__value_size(m) != sizeof(struct cg_iface_stats))
		val->unchecked = 1;
	return 0;
}

/* Loads the TC object with only one of its programs (as the loader does),
 * default ports, monitor mode; prints what that load cost (verifier). */
static struct csumguard_tc *load_tc(int facts, struct validator *val)
{
	struct cg_config cfg = { .mode = CG_MODE_MONITOR };
	struct bpf_prog_info info;
	__u32 ilen = sizeof(info);
	struct bpf_program *prog;
	struct csumguard_tc *tc;
	double t0, t1;
	int err;

	tc = csumguard_tc__open();
	if (!tc)
		die("opening the TC object: %s", strerror(errno));
	prog = facts ? tc->progs.csumguard_tcf : tc->progs.csumguard_tc;
	bpf_program__set_autoload(facts ? tc->progs.csumguard_tc : tc->progs.csumguard_tcf, false);
	t0 = now_wall_ns();
	err = csumguard_tc__load(tc);
	t1 = now_wall_ns();
	if (err)
		die("loading %s: %s", bpf_program__name(prog), strerror(-err));
	val->prog_fd = bpf_program__fd(prog);
	val->iface_fd = bpf_map__fd(tc->maps.cg_egress);
	val->name = bpf_program__name(prog);
	if ((err = cg_ports_set_defaults(bpf_map__fd(tc->maps.cg_ports))) ||
	    (err = cg_config_write(bpf_map__fd(tc->maps.cg_config), &cfg)))
		die("configuring %s: %s", val->name, strerror(-err));
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(val->prog_fd, &info, &ilen))
		die("prog info of %s: %s", val->name, strerror(errno));
	printf("load: %-14s %7u verified insns, %6.1f ms to load the object (maps included)\n",
	       val->name, info.verified_insns, (t1 - t0) / 1e6);
	return tc;
}

/* ---- how busy the rest of the machine was ---------------------------------------- */

/* Busy and total jiffies of every CPU but ours, from /proc/stat. */
static void other_cpus_jiffies(int cpu, unsigned long long *busy, unsigned long long *total)
{
	unsigned long long v[10];
	char line[512];
	FILE *f = fopen("/proc/stat", "r");
	int c, n;

	*busy = *total = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "cpu", 3) || line[3] == ' ')
			continue;
		memset(v, 0, sizeof(v));
		n = sscanf(line, "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu", &c, &v[0], &v[1],
			   &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
		if (n < 5 || c == cpu)
			continue;
		/* user nice system idle iowait irq softirq steal */
		*total += v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
		*busy += v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
	}
	fclose(f);
}

/* ---- main ----------------------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr,
		"usage: bench [-r ROUNDS] [-t MS] [-c CPU] [-s SIZE,SIZE,...] [-k SIZE] [-v] [-o VALIDATOR.bpf.o]...\n"
		"  -r  rounds, the median is shown (default 5)\n"
		"  -t  target ms per measurement (default 100)\n"
		"  -c  CPU to pin to (default 0)\n"
		"  -s  total frame sizes (default 64,128,512,1500,4000,9000)\n"
		"  -k  frame size of the classification table (default 1500; 0: none)\n"
		"  -v  also print every round's numbers\n"
		"  -o  validator object instead of the built-in one, LABEL=PATH names it;\n"
		"      repeat it to compare up to %d builds in the same run (labels nocsum,\n"
		"      nocsum-WHAT and upto-WHAT: the fixed cost and its parts)\n"
		"  -T  TC object (LABEL=PATH) whose csumguard_tc runs in the tcf column instead\n"
		"      of csumguard_tcf: two TC builds compared in the same run\n", MAX_VALIDATORS);
	exit(2);
}

static void print_table(const struct frame *frames, int nsizes, int rounds, int k)
{
	int i;

	printf("| frame B | user csum ns | XDP_PASS ns | validator ns | validator-pass ns | (validator-pass)/user |\n");
	printf("|--------:|-------------:|------------:|-------------:|------------------:|----------------------:|\n");
	for (i = 0; i < nsizes; i++) {
		const struct frame *f = &frames[i];
		double user = bench_median(f->ns[M_USER], rounds), pass = bench_median(f->ns[M_PASS], rounds);
		double xdp = bench_median(f->ns[M_XDP + k], rounds);

		printf("| %7zu | %12.1f | %11.1f | %12.1f | %17.1f | %21.2f |\n", f->size, user,
		       pass, xdp, xdp - pass, (xdp - pass) / user);
	}
}

/* Whether method m is measured on frame f: the TC ones only up to
 * TC_MAX_FRAME, and csumguard_tcf only where it loaded. */
static int method_runs(const struct progs *pg, const struct frame *f, int m)
{
	if (!tc_method(m))
		return 1;
	if (f->size > TC_MAX_FRAME)
		return 0;
	return m != M_TCF || pg->tcf.prog_fd >= 0;
}

/* TC egress beside XDP, the same frames, the same run: each above its own
 * floor (a TC test run builds an skb, an XDP one does not), in units of the
 * user checksum, and TC over XDP. */
static void print_tc_table(const struct progs *pg, const struct frame *frames, int nsizes,
			   int rounds)
{
	int i;

	printf("\nTC egress beside XDP (csumguard_tc: no facts, the 6.1 program; csumguard_tcf: "
	       "with skb facts, 6.2+); TC test runs take frames up to %d B:\n", TC_MAX_FRAME);
	printf("| frame B | user ns | XDP_PASS | xdp | TC pass | tc | tcf | (xdp-pass)/user | "
	       "(tc-tcpass)/user | (tcf-tcpass)/user | (tc-tcpass)/(xdp-pass) |\n");
	printf("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
	for (i = 0; i < nsizes; i++) {
		const struct frame *f = &frames[i];
		double user = bench_median(f->ns[M_USER], rounds), pass = bench_median(f->ns[M_PASS], rounds);
		double xdp = bench_median(f->ns[M_XDP], rounds);

		if (!method_runs(pg, f, M_TC)) {
			printf("| %zu | %.1f | %.1f | %.1f | - | - | - | %.2f | - | - | - |\n", f->size,
			       user, pass, xdp, (xdp - pass) / user);
			continue;
		}
		double tp = bench_median(f->ns[M_TCPASS], rounds), tc = bench_median(f->ns[M_TC], rounds);
		double tcf = method_runs(pg, f, M_TCF) ? bench_median(f->ns[M_TCF], rounds) : NAN;

		printf("| %zu | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f | %.2f | %.2f |\n",
		       f->size, user, pass, xdp, tp, tc, tcf, (xdp - pass) / user, (tc - tp) / user,
		       (tcf - tp) / user, (tc - tp) / (xdp - pass));
	}
}

/* Every build side by side: validator - XDP_PASS in ns per size, and
 * (validator - pass) / user. With a build labelled "nocsum" (the checksum
 * skipped: the fixed cost) and builds labelled "nocsum-WHAT" (that, and WHAT
 * skipped too), the fixed cost is decomposed: WHAT costs nocsum - that. */
static void print_builds(const struct progs *pg, const struct frame *frames, int nsizes,
			 int rounds)
{
	int i, k, base = -1;

	printf("\nbuilds side by side, validator - XDP_PASS in ns ((validator - pass) / user):\n");
	printf("| build |");
	for (i = 0; i < nsizes; i++)
		printf(" %zu B |", frames[i].size);
	printf("\n|---|");
	for (i = 0; i < nsizes; i++)
		printf("--:|");
	printf("\n");
	for (k = 0; k < pg->nval; k++) {
		if (!strcmp(pg->val[k].name, "nocsum"))
			base = k;
		printf("| %s%s |", pg->val[k].name, pg->val[k].unchecked ? " (counts nothing: "
		       "unchecked)" : "");
		for (i = 0; i < nsizes; i++) {
			double u = bench_median(frames[i].ns[M_USER], rounds);
			double p = bench_median(frames[i].ns[M_PASS], rounds);
			double x = bench_median(frames[i].ns[M_XDP + k], rounds);

			printf(" %.1f (%.2f) |", x - p, (x - p) / u);
		}
		printf("\n");
	}
	if (base < 0)
		return;
	printf("\nfixed cost (build nocsum: the checksum skipped, verdict ok) and what each part "
	       "of it costs (nocsum - nocsum-WHAT), ns:\n| part |");
	for (i = 0; i < nsizes; i++)
		printf(" %zu B |", frames[i].size);
	printf("\n|---|");
	for (i = 0; i < nsizes; i++)
		printf("--:|");
	printf("\n| fixed cost above XDP_PASS |");
	for (i = 0; i < nsizes; i++)
		printf(" %.1f |", bench_median(frames[i].ns[M_XDP + base], rounds) -
		       bench_median(frames[i].ns[M_PASS], rounds));
	printf("\n");
	for (k = 0; k < pg->nval; k++) {
		if (strncmp(pg->val[k].name, "nocsum-", 7))
			continue;
		printf("| %s |", pg->val[k].name + 7);
		for (i = 0; i < nsizes; i++)
			printf(" %.1f |", bench_median(frames[i].ns[M_XDP + base], rounds) -
			       bench_median(frames[i].ns[M_XDP + k], rounds));
		printf("\n");
	}
	/* upto-WHAT: the program up to and including WHAT, then XDP_PASS */
	for (k = 0; k < pg->nval; k++) {
		if (strncmp(pg->val[k].name, "upto-", 5))
			continue;
		printf("| from the start up to %s |", pg->val[k].name + 5);
		for (i = 0; i < nsizes; i++)
			printf(" %.1f |", bench_median(frames[i].ns[M_XDP + k], rounds) -
			       bench_median(frames[i].ns[M_PASS], rounds));
		printf("\n");
	}
}

/* ---- issue 10: what classifying a bad frame costs ------------------------ */
/*
 * One total frame size (-k, default 1500 B), VXLAN over IPv4 carrying a real
 * inner packet (Ethernet, IPv4, TCP: 104 B of headers, then the payload),
 * five ways through the built-in validator, interleaved in the same rounds:
 * XDP_PASS; the outer checksum ok (never classified: the ok path); bad with
 * the inner packet intact (bad_outer_only: the inner walk, the prefix summed
 * again, the segment's sum taken from the outer one); bad with an inner
 * payload bit flipped (bad_payload); and a zero outer checksum (the inner
 * segment summed once: zero_inner_ok). Every run checked: every frame got
 * that verdict and that class, nothing else moved.
 */
enum { C_PASS, C_OK, C_ARP, C_OUTER_ONLY, C_PAYLOAD, C_ZERO, C_MAX };
#define CLS_HDRS	(HDRS_LEN + CG_ETH_HLEN + CG_IPV4_MIN_HLEN + CG_TCP_HLEN)

struct cls_frame {
	struct frame f;
	const char *name;
	enum cg_verdict v;
	int sub;		/* bad_class[] or zero_inner[] index, -1: none */
	unsigned repeat;
	double ns[MAX_ROUNDS];
};

static void build_cls(struct cls_frame *c, size_t size, enum pkt_csum csum, int flip,
		      enum cg_verdict v, int sub, const char *name, uint16_t ethertype)
{
	struct pkt_inner_layout in;
	struct pkt_layout lay;
	struct pkt_spec s;
	size_t n;

	if (size < CLS_HDRS + 2 || size > MAX_FRAME)
		die("-k %zu: give a frame size from %d to %d", size, CLS_HDRS + 2, MAX_FRAME);
	if (posix_memalign((void **)&c->f.buf, 64, MAX_FRAME + 256))
		die("out of memory");
	pkt_spec_init(&s, 4);
	s.inner.family = 4;
	s.inner.l4proto = CG_IPPROTO_TCP;
	s.inner.ethertype = ethertype;
	s.inner_len = ethertype ? size - HDRS_LEN - CG_ETH_HLEN : size - CLS_HDRS;
	s.csum = csum;
	s.seed = (uint32_t)size;
	n = pkt_build_inner(c->f.buf, MAX_FRAME + 256, &s, &lay, &in);
	if (n != size)
		die("pkt_build made %zu bytes for a %zu-byte frame", n, size);
	if (flip)
		c->f.buf[in.payload + 1] ^= 0x10;
	if (ethertype)		/* not summed right by the builder: make it wrong for sure */
		c->f.buf[lay.l4 + 6] ^= 0x01;
	c->f.size = size;
	c->v = v;
	c->sub = sub;
	c->name = name;
}

static double run_cls(const struct validator *val, const struct cls_frame *c, unsigned repeat)
{
	struct cg_iface_stats a, b;
	double ns;
	int i;

	iface_read(val->iface_fd, &a);
	ns = run_prog(val->prog_fd, &c->f, repeat, val->name);
	iface_read(val->iface_fd, &b);
	for (i = 0; i < CG_IFACE_COUNTER_MAX; i++) {
		__u64 d = b.c[i] - a.c[i];
		__u64 want = (i == CG_IF_FRAMES || i == CG_IF_TUNNEL) ? repeat : 0;

		if (i == CG_IF_SRC_INSERTED && d <= 1)
			continue;
		/* and the shared part of its row, made by its first frame that
		 * is not ok, unfinished or zero (bpf/account.bpf.h) */
		if (i == CG_IF_SRC_RARE_INSERTED && d <= 1)
			continue;
		/* trace: as in run_validator (bad and bad_ip_header frames only) */
		if ((i == CG_IF_TRACE_SUPPRESSED || i == CG_IF_TRACE_LOST) &&
		    (c->v == CG_V_BAD || c->v == CG_V_BAD_IP_HEADER ? d <= repeat : d == 0))
			continue;
		if (d != want)
			die("classes, %s: counter %s moved by %llu over %u frames", c->name,
			    cg_iface_counter_name(i), (unsigned long long)d, repeat);
	}
	for (i = 0; i < CG_VERDICT_MAX; i++)
		if (b.verdict[i] - a.verdict[i] != (i == (int)c->v ? repeat : 0))
			die("classes, %s: verdict %s counted %llu times over %u frames", c->name,
			    cg_verdict_name(i), (unsigned long long)(b.verdict[i] - a.verdict[i]),
			    repeat);
	for (i = 0; i < CG_BAD_CLASS_MAX; i++)
		if (b.bad_class[i] - a.bad_class[i] !=
		    (c->v == CG_V_BAD && i == c->sub ? repeat : 0))
			die("classes, %s: %s counted %llu times over %u frames", c->name,
			    cg_bad_class_name(i), (unsigned long long)(b.bad_class[i] - a.bad_class[i]),
			    repeat);
	for (i = 0; i < CG_ZERO_INNER_MAX; i++)
		if (b.zero_inner[i] - a.zero_inner[i] !=
		    (c->v == CG_V_ZERO && i == c->sub ? repeat : 0))
			die("classes, %s: %s counted %llu times over %u frames", c->name,
			    cg_zero_inner_name(i),
			    (unsigned long long)(b.zero_inner[i] - a.zero_inner[i]), repeat);
	return ns;
}

static double measure_cls(const struct progs *pg, const struct cls_frame *c, int m,
			  unsigned repeat)
{
	return m == C_PASS ? run_prog(pg->pass_fd, &c->f, repeat, "xdp_pass") :
	       run_cls(&pg->val[0], c, repeat);
}

static void bench_classes(const struct progs *pg, size_t size, int rounds, double target_ms)
{
	static struct cls_frame c[C_MAX];
	double med[C_MAX];
	int m, r, i;

	build_cls(&c[C_PASS], size, PKT_CSUM_VALID, 0, CG_V_OK, -1, "XDP_PASS", 0);
	build_cls(&c[C_OK], size, PKT_CSUM_VALID, 0, CG_V_OK, -1, "ok (not classified)", 0);
	build_cls(&c[C_ARP], size, PKT_CSUM_VALID, 0, CG_V_BAD, CG_BC_UNCLASSIFIED,
		  "bad, inner ARP: the walk stops at the EtherType", 0x0806);
	build_cls(&c[C_OUTER_ONLY], size, PKT_CSUM_WRONG, 0, CG_V_BAD, CG_BC_OUTER_ONLY,
		  "bad, classified bad_outer_only", 0);
	build_cls(&c[C_PAYLOAD], size, PKT_CSUM_VALID, 1, CG_V_BAD, CG_BC_PAYLOAD,
		  "bad, classified bad_payload", 0);
	build_cls(&c[C_ZERO], size, PKT_CSUM_ZERO, 0, CG_V_ZERO, CG_ZI_OK,
		  "zero, inner audited zero_inner_ok", 0);
	for (m = 0; m < C_MAX; m++) {
		unsigned repeat = 1000;
		double ns;

		measure_cls(pg, &c[m], m, 1);	/* the verdict first */
		for (i = 0; i < 2; i++) {
			ns = measure_cls(pg, &c[m], m, repeat);
			repeat = (unsigned)(target_ms * 1e6 / (ns < 0.5 ? 0.5 : ns));
			repeat = repeat < 1000 ? 1000 : repeat > 200000000 ? 200000000 : repeat;
		}
		c[m].repeat = repeat;
	}
	for (r = 0; r < rounds; r++)
		for (i = 0; i < C_MAX; i++) {
			m = (i + r) % C_MAX;
			c[m].ns[r] = measure_cls(pg, &c[m], m, c[m].repeat);
		}
	for (m = 0; m < C_MAX; m++)
		med[m] = bench_median(c[m].ns, rounds);
	printf("\nClassification (issue 10) at %zu B: VXLAN/IPv4, inner Ethernet + IPv4 + TCP "
	       "(%zu B of payload);\nevery run checked: every frame that verdict and that class. "
	       "Median of %d rounds, the same run.\n", size, size - CLS_HDRS, rounds);
	printf("| frame | ns | -XDP_PASS ns | (x-pass)/(ok-pass) |\n|---|--:|--:|--:|\n");
	for (m = 0; m < C_MAX; m++)
		printf("| %s | %.1f | %.1f | %.2f |\n", c[m].name, med[m], med[m] - med[C_PASS],
		       (med[m] - med[C_PASS]) / (med[C_OK] - med[C_PASS]));
	printf("a bad frame costs %.1f ns more than an ok one when classified bad_outer_only "
	       "(%.1f bad_payload),\n%.1f ns when the walk stops at once (every bad frame also "
	       "reads the clock for last_bad):\nthe inner walk and check %.1f ns; a zero frame's "
	       "audit %.1f ns over XDP_PASS\n", med[C_OUTER_ONLY] - med[C_OK],
	       med[C_PAYLOAD] - med[C_OK], med[C_ARP] - med[C_OK], med[C_OUTER_ONLY] - med[C_ARP],
	       med[C_ZERO] - med[C_PASS]);
}

int main(int argc, char **argv)
{
	static const size_t default_sizes[] = { 64, 128, 512, 1500, 4000, 9000 };
	static struct frame frames[MAX_SIZES];
	static struct progs pg;
	const char *obj_paths[MAX_VALIDATORS];
	int nsizes = 0, nobj = 0, rounds = 5, cpu = 0, verbose = 0, nm, opt, r, i, k, m;
	size_t cls_size = 1500;
	double target_ms = 100;
	size_t sizes[MAX_SIZES];
	struct xdp_pass *pass;
	struct tc_pass *tcpass;
	struct csumguard_tc *tc_obj, *tcf_obj = NULL;
	char *tok, date[64];
	unsigned long long busy0, total0, busy1, total1;
	time_t now = time(NULL);
	cpu_set_t set;

	while ((opt = getopt(argc, argv, "r:t:c:s:o:k:T:vh")) != -1) {
		switch (opt) {
		case 'T':
			tc_alt_path = optarg;
			break;
		case 'k':
			cls_size = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		case 't':
			target_ms = atof(optarg);
			break;
		case 'c':
			cpu = atoi(optarg);
			break;
		case 's':
			for (tok = strtok(optarg, ","); tok; tok = strtok(NULL, ",")) {
				if (nsizes == MAX_SIZES)
					usage();
				sizes[nsizes++] = strtoul(tok, NULL, 0);
			}
			break;
		case 'o':
			if (nobj == MAX_VALIDATORS)
				usage();
			obj_paths[nobj++] = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || rounds < 1 || rounds > MAX_ROUNDS || target_ms <= 0)
		usage();
	if (!nsizes) {
		nsizes = (int)(sizeof(default_sizes) / sizeof(default_sizes[0]));
		memcpy(sizes, default_sizes, sizeof(default_sizes));
	}

	/* One CPU for everything: the same core's caches and per-CPU maps. */
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("pinning to CPU %d: %s", cpu, strerror(errno));

	check_csum_fast();
	libbpf_set_print(libbpf_quiet);
	if (!nobj)
		obj_paths[nobj++] = NULL;	/* the built-in validator */
	for (k = 0, i = 0; k < nobj; k++)
		i += !load_validator(obj_paths[k], &pg.val[i]);
	nobj = i;
	pg.nval = nobj;
	pass = xdp_pass__open_and_load();
	if (!pass)
		die("loading xdp_pass: %s", strerror(errno));
	pg.pass_fd = bpf_program__fd(pass->progs.xdp_pass);
	tcpass = tc_pass__open_and_load();
	if (!tcpass)
		die("loading tc_pass: %s", strerror(errno));
	pg.tcpass_fd = bpf_program__fd(tcpass->progs.tc_pass);
	/* The two TC egress programs, each loaded alone as the loader would
	 * (their own maps): what each costs the verifier, printed. */
	tc_obj = load_tc(0, &pg.tc);
	pg.tcf.prog_fd = -1;
	if (tc_alt_path)
		load_tc_file(tc_alt_path, &pg.tcf);	/* freed at exit */
	else if (cg_probe_tc_facts())
		tcf_obj = load_tc(1, &pg.tcf);
	else
		printf("load: csumguard_tcf not loaded: this kernel has no bpf_cast_to_kern_ctx\n");
	nm = M_XDP + nobj;

	for (i = 0; i < nsizes; i++) {
		build_frame(&frames[i], sizes[i]);
		/* One frame first: the verdict must be ok before anything is timed. */
		for (k = 0; k < nobj; k++)
			run_xdp(&pg.val[k], &frames[i], 1);
		if (frames[i].size <= TC_MAX_FRAME) {
			run_tc(&pg.tc, &frames[i], 1, 0);
			if (pg.tcf.prog_fd >= 0)
				run_tc(&pg.tcf, &frames[i], 1, !tc_alt_path);
		}
	}

	for (i = 0; i < nsizes; i++)
		for (m = 0; m < nm; m++)
			if (method_runs(&pg, &frames[i], m))
				frames[i].repeat[m] = calibrate(&pg, &frames[i], m, target_ms);

	other_cpus_jiffies(cpu, &busy0, &total0);
	/* Rounds: every size and method once per round, the method order
	 * rotated from round to round so none always runs first. */
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < nsizes; i++) {
			for (m = 0; m < nm; m++) {
				int mm = (m + r + i) % nm;

				last_kernel_ns = 0;
				if (!method_runs(&pg, &frames[i], mm)) {
					frames[i].ns[mm][r] = NAN;
					continue;
				}
				frames[i].ns[mm][r] = measure(&pg, &frames[i], mm, frames[i].repeat[mm]);
				frames[i].kns[mm][r] = last_kernel_ns;
			}
		}
		fprintf(stderr, "bench: round %d/%d done\n", r + 1, rounds);
	}
	if (cls_size)
		bench_classes(&pg, cls_size, rounds, target_ms);
	other_cpus_jiffies(cpu, &busy1, &total1);

	strftime(date, sizeof(date), "%Y-%m-%d %H:%M", localtime(&now));
	printf("csumguard bench, %s: VXLAN/IPv4 frames with a valid outer UDP checksum; every\n"
	       "validator run checked: all frames verdict ok. Median of %d rounds, ~%.0f ms per\n"
	       "measurement, pinned to CPU %d. user csum = 64-bit add-with-carry checksum of the\n"
	       "UDP datagram (frame - 34 B) + pseudo-header + fold.\n",
	       date, rounds, target_ms, cpu);
	if (total1 > total0)
		printf("Other CPUs of this machine busy %.0f%% of the time during the rounds (a noise\n"
		       "hint; contention from outside this VM does not show here).\n",
		       100.0 * (double)(busy1 - busy0) / (double)(total1 - total0));
	{
		char load[64];

		bench_loadavg(load, sizeof(load));
		if (load[0])
			printf("Load average after the rounds: %s.\n", load);
	}
	if (total1 > total0 && (busy1 - busy0) * 4 > total1 - total0)
		printf("WARNING: the machine was busy; these ratios are unreliable: run again when\n"
		       "it is quiet.\n");
	for (k = 0; k < nobj; k++) {
		printf("\nvalidator: %s\n", pg.val[k].name);
		print_table(frames, nsizes, rounds, k);
	}
	print_tc_table(&pg, frames, nsizes, rounds);
	if (nobj > 1)
		print_builds(&pg, frames, nsizes, rounds);
	for (i = 0; i < nsizes; i++) {
		double user = bench_median(frames[i].ns[M_USER], rounds);
		double pass_ns = bench_median(frames[i].ns[M_PASS], rounds);

		if (frames[i].size != 1500)
			continue;
		for (k = 0; k < nobj; k++) {
			double ratio = (bench_median(frames[i].ns[M_XDP + k], rounds) - pass_ns) / user;

			/* the parts of a decomposition are no validators */
			if (!strncmp(pg.val[k].name, "nocsum", 6) || !strncmp(pg.val[k].name, "upto-", 5))
				continue;

			printf("\nSPEC 5 target at 1500 B (%s): (validator-pass)/user = %.2f, "
			       "target <= 2.00: %s\n", pg.val[k].name, ratio,
			       ratio <= 2.0 ? "met" : "MISSED");
		}
	}
	if (verbose) {
		printf("\nper-round ns (user csum / XDP_PASS / validator...), then the kernel's\n"
		       "own whole-ns duration of the same XDP runs:\n");
		for (i = 0; i < nsizes; i++) {
			printf("%5zu B:", frames[i].size);
			for (m = 0; m < nm; m++) {
				printf("  ");
				for (r = 0; r < rounds; r++)
					printf("%s%.1f", r ? "," : "", frames[i].ns[m][r]);
			}
			printf("\n  kernel:");
			for (m = M_PASS; m < nm; m++) {
				printf("  ");
				for (r = 0; r < rounds; r++)
					printf("%s%.0f", r ? "," : "", frames[i].kns[m][r]);
			}
			printf("\n");
		}
	}
	xdp_pass__destroy(pass);
	tc_pass__destroy(tcpass);
	csumguard_tc__destroy(tc_obj);
	csumguard_tc__destroy(tcf_obj);
	for (k = 0; k < nobj; k++)
		bpf_object__close(pg.val[k].obj);
	return 0;
}
