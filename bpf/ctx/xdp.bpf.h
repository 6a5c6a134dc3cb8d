/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctx/xdp.bpf.h - the context layer (../ctx.bpf.h) for XDP programs.
 * Include ctx.bpf.h with CG_CTX_XDP defined, not this file.
 *
 * Three variants of the XDP program are built from the same sources; this
 * file is the only place in bpf/ that knows (the entry point takes its
 * section and name from here):
 *
 *   multi-buffer (default)  SEC("xdp.frags"), program csumguard_xdp: the
 *                           frame length and the bytes beyond the linear
 *                           part come from bpf_xdp_get_buff_len and
 *                           bpf_xdp_load_bytes (5.18+), the load flag
 *                           BPF_F_XDP_HAS_FRAGS (5.18+).
 *   large-chunk             -DCG_CSUM_LARGE: the multi-buffer program
 *                           (csumguard_xdplc) with bpf/csum.bpf.h's sums
 *                           for 6.13+, whose bpf_csum_diff takes any size
 *                           (the loader probes it: lib/probe.c).
 *   single-buffer           -DCG_XDP_SINGLE_BUF: SEC("xdp"), program
 *                           csumguard_xdpsb, for kernels without those
 *                           (5.10-5.17). The frame is data..data_end: the
 *                           length is data_end - data and there is no
 *                           fragment path (cg_ctx_load_bytes fails, so a
 *                           datagram reaching past data_end - which the
 *                           parser already refuses, its lengths being
 *                           checked against that frame length - could only
 *                           ever be "unchecked", never a verdict).
 *
 * A single-buffer program never sees a multi-buffer frame on a real
 * interface: native XDP refuses an MTU above a page for a program without
 * frags, and generic (skb) XDP linearises the skb first. If a frame is ever
 * handed over cut at data_end (a test run of a frags frame on 5.18+ does
 * that), its IP length is beyond the frame: unparsed, passed.
 */
#ifndef CG_CTX_XDP_BPF_H
#define CG_CTX_XDP_BPF_H

#if defined(CG_XDP_SINGLE_BUF) && defined(CG_CSUM_LARGE)
#error "CG_CSUM_LARGE is a multi-buffer variant (6.13+ has xdp.frags)"
#endif

#include <linux/bpf.h>
#include <linux/errno.h>
#include <bpf/bpf_helpers.h>

#define cg_ctx		xdp_md
#define CG_ACT_PASS	XDP_PASS
#define CG_ACT_DROP	XDP_DROP

/* The entry point's section and function name: the program name the
 * kernel, libxdp and user space see (CG_PROG_NAME / CG_PROG_NAME_SB in
 * include/csumguard.h). */
#ifdef CG_XDP_SINGLE_BUF
#define CG_XDP_SEC	"xdp"
#define CG_XDP_PROG	csumguard_xdpsb
#elif defined(CG_CSUM_LARGE)
/* Multi-buffer, with 6.13+'s bpf_csum_diff (any size): bpf/csum.bpf.h. */
#define CG_XDP_SEC	"xdp.frags"
#define CG_XDP_PROG	csumguard_xdplc
#else
#define CG_XDP_SEC	"xdp.frags"
#define CG_XDP_PROG	csumguard_xdp
#endif

static __always_inline void *cg_ctx_data(const struct cg_ctx *ctx)
{
	return (void *)(long)ctx->data;
}

static __always_inline void *cg_ctx_data_end(const struct cg_ctx *ctx)
{
	return (void *)(long)ctx->data_end;
}

#ifdef CG_XDP_SINGLE_BUF
/* One buffer: the frame is the linear part. */
static __always_inline __u32 cg_ctx_full_len(struct cg_ctx *ctx)
{
	return ctx->data_end - ctx->data;
}

/* No bpf_xdp_load_bytes before 5.18 (the verifier refuses the call, even in
 * dead code): nothing lies beyond data_end, so nothing is copied.
 * barrier_var: the arguments must stay "used", or clang passes cg_sum_frags
 * (a global function, verified on its own) whatever registers it likes for
 * the ones it sees unused, and the verifier refuses the call ("arg#0 expects
 * pointer to ctx", "R2 is not a scalar"; measured with clang 14). */
static __always_inline long cg_ctx_load_bytes(struct cg_ctx *ctx, __u32 off, void *to,
					      __u32 len)
{
	barrier_var(ctx);
	barrier_var(off);
	barrier_var(to);
	barrier_var(len);
	return -EOPNOTSUPP;
}
#else
/* Linear part and fragments of a multi-buffer (xdp.frags) frame. 5.18+. */
static __always_inline __u32 cg_ctx_full_len(struct cg_ctx *ctx)
{
	return bpf_xdp_get_buff_len(ctx);
}

/* Crosses fragment boundaries. 5.18+. */
static __always_inline long cg_ctx_load_bytes(struct cg_ctx *ctx, __u32 off, void *to,
					      __u32 len)
{
	return bpf_xdp_load_bytes(ctx, off, to, len);
}
#endif /* CG_XDP_SINGLE_BUF */

#endif /* CG_CTX_XDP_BPF_H */
