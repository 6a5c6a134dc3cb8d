/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctx/xdp.bpf.h - the context layer (../ctx.bpf.h) for XDP programs.
 * Include ctx.bpf.h with CG_CTX_XDP defined, not this file.
 */
#ifndef CG_CTX_XDP_BPF_H
#define CG_CTX_XDP_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define cg_ctx		xdp_md
#define CG_ACT_PASS	XDP_PASS
#define CG_ACT_DROP	XDP_DROP

static __always_inline void *cg_ctx_data(const struct cg_ctx *ctx)
{
	return (void *)(long)ctx->data;
}

static __always_inline void *cg_ctx_data_end(const struct cg_ctx *ctx)
{
	return (void *)(long)ctx->data_end;
}

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

#endif /* CG_CTX_XDP_BPF_H */
