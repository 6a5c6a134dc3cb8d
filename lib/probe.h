/* SPDX-License-Identifier: GPL-2.0 */
/*
 * probe.h - what the running kernel can do, asked once where a choice
 * depends on it (which program variant to load), and the choice itself.
 *
 * The XDP program comes in two variants built from the same sources
 * (bpf/ctx/xdp.bpf.h):
 *   multi-buffer   csumguard_xdp (CG_PROG_NAME), SEC "xdp.frags": needs the
 *                  load flag BPF_F_XDP_HAS_FRAGS and the helpers
 *                  bpf_xdp_load_bytes, bpf_xdp_get_buff_len (all 5.18+);
 *                  checks frames of any MTU.
 *   single-buffer  csumguard_xdpsb (CG_PROG_NAME_SB), SEC "xdp": for 5.10 -
 *                  5.17. In native mode only up to CG_XDP_SB_MAX_MTU (the
 *                  kernel hands a program without frags one page); generic
 *                  (skb) XDP hands it whole, linearised frames of any MTU.
 *   large-chunk    csumguard_xdplc (CG_PROG_NAME_LC): the multi-buffer
 *                  program summing in 2-4 KiB bpf_csum_diff calls, where
 *                  the helper takes any size (6.13+; csum_any_size, found
 *                  by a test run, not by the version).
 * The probes are split from the decision (cg_xdp_plan), which is pure: the
 * unit tests drive it with made-up feature sets (tests/test_probe.c).
 */
#ifndef CG_PROBE_H
#define CG_PROBE_H

#include <stddef.h>

/* The oldest kernel csumguard runs on: the oldest its programs are tested on
 * (make check-kernels: Debian 11's 5.10). Older ones are refused. */
#define CG_KERNEL_FLOOR_MAJOR	5
#define CG_KERNEL_FLOOR_MINOR	10
#define CG_KERNEL_FLOOR		"5.10"

/* The largest MTU a native-XDP program without frags support can get on
 * any driver: one 4 KiB page less XDP's headroom (256), struct
 * skb_shared_info (320) and the Ethernet header (14) - veth's limit; drivers
 * that fit less refuse on their own (and attach says so). */
#define CG_XDP_SB_MAX_MTU	3506

enum cg_xdp_variant {
	CG_XDP_MULTI_BUF = 0,
	CG_XDP_SINGLE_BUF,
	CG_XDP_LARGE_CHUNK,
	CG_XDP_VARIANT_MAX
};

/* Each probe: 1 yes, 0 no, -1 not probed or could not tell. */
struct cg_features {
	char release[65];	/* uname -r */
	int major, minor;	/* parsed from release; 0, 0: could not */
	int xdp_frags;		/* BPF_F_XDP_HAS_FRAGS accepted for an XDP program */
	int xdp_load_bytes;	/* helper bpf_xdp_load_bytes */
	int xdp_get_buff_len;	/* helper bpf_xdp_get_buff_len */
	int freplace;		/* an freplace (EXT) program loads against an XDP one */
	int freplace_ctx_arg;	/* ... with a global function taking struct xdp_md *
				 * (csumguard's sums do; 5.10 refuses it) */
	int tc_facts;		/* kfunc bpf_cast_to_kern_ctx (6.2+) */
	int global_ptr_args;	/* global functions may take pointers (5.12+);
				 * csumguard's programs no longer need it */
	int csum_any_size;	/* bpf_csum_diff sums 1030 bytes (over 512, not a
				 * multiple of 4) right: 6.13+ */
};

/* "multi-buffer" / "single-buffer" / "large-chunk" (JSON and text); the
 * program's name. */
const char *cg_xdp_variant_name(enum cg_xdp_variant v);
const char *cg_xdp_variant_prog(enum cg_xdp_variant v);

/* The variant a program name is, or -1 if it is not csumguard's XDP program. */
int cg_xdp_variant_of(const char *prog_name);

/* Fills f: all probes -1, then the kernel release and its version. */
void cg_features_init(struct cg_features *f);

/* Does the variant run frames of more than one buffer (SEC xdp.frags)? */
int cg_xdp_variant_frags(enum cg_xdp_variant v);

/* The XDP features (frags, the two helpers, and csum_any_size): tiny
 * program loads and one test run, nothing attached. Needs CAP_BPF (else
 * they stay -1). */
void cg_probe_xdp(struct cg_features *f);

/* csum_any_size alone: loads a 9-instruction XDP program calling
 * bpf_csum_diff over 1030 packet bytes and test-runs it on a known frame:
 * 1 if it returns their sum (6.13+), 0 if it fails (-EINVAL before 6.13:
 * more than 512 bytes, not a multiple of 4) or returns anything else, -1
 * if it could not be loaded or run. */
void cg_probe_csum_any_size(struct cg_features *f);

/* freplace and freplace_ctx_arg: loads xdp/probe_ext.bpf.c's programs.
 * Needs CAP_BPF (else they stay -1); nothing is attached. */
void cg_probe_freplace(struct cg_features *f);

/* global_ptr_args: loads xdp/probe_ext.bpf.c's TC program. */
void cg_probe_global_ptr_args(struct cg_features *f);

/* Can the TC egress program run here? 0 from the floor on (5.10: its
 * global functions take no pointer arguments since issue 13), else
 * cg_kernel_floor_check's refusal. */
int cg_tc_egress_check(const struct cg_features *f, char *err, size_t errlen);

/* Does the kernel have bpf_cast_to_kern_ctx (6.2+)? Then the TC egress
 * program with skb facts (CG_TC_PROG_FACTS) loads; otherwise only
 * CG_TC_PROG does (a kernel refuses a program that calls a kfunc it lacks,
 * even in dead code). 1 yes, 0 no (or no kernel BTF to tell). */
int cg_probe_tc_facts(void);

/* The multi-buffer variant's needs, all present? 1 or 0 (-1 probes count
 * as absent). */
int cg_features_multi_buf(const struct cg_features *f);

/* One line of what f says, e.g. "xdp.frags yes, bpf_xdp_load_bytes yes,
 * bpf_xdp_get_buff_len yes, freplace yes, freplace with ctx args yes,
 * bpf_cast_to_kern_ctx yes" (unprobed ones left out). */
void cg_features_str(const struct cg_features *f, char *buf, size_t len);

/* Kernels below the floor: -EOPNOTSUPP and one line naming the kernel and
 * the floor. An unparsable release is let through. */
int cg_kernel_floor_check(const struct cg_features *f, char *err, size_t errlen);

/* What attach loads, and how. */
struct cg_xdp_plan {
	enum cg_xdp_variant variant;
	/* Attach without libxdp's dispatcher: the kernel's freplace verifier
	 * refuses the program's global functions (freplace works, ctx args
	 * do not), so no other XDP program can share the interface. */
	int alone;
};

/*
 * The decision: the floor; multi-buffer where the kernel has all of it
 * (large-chunk if csum_any_size is 1 too), else single-buffer, refused in native mode (native != 0) above
 * CG_XDP_SB_MAX_MTU (mtu <= 0: unknown, not refused); alone as above.
 * 0 with p filled, or -errno with one line in err.
 */
int cg_xdp_plan(const struct cg_features *f, int native, int mtu, const char *ifname,
		struct cg_xdp_plan *p, char *err, size_t errlen);

#endif /* CG_PROBE_H */
