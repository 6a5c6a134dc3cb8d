/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctx/skb.bpf.h - the context layer (../ctx.bpf.h) for socket-buffer
 * programs (TC / clsact). Include ctx.bpf.h with CG_CTX_SKB defined, not
 * this file.
 *
 * data..data_end is the skb's linear head only: headers a driver or the
 * stack left in paged data are not there until bpf_skb_pull_data(). At TC
 * egress data starts at the Ethernet header, as in XDP.
 */
#ifndef CG_CTX_SKB_BPF_H
#define CG_CTX_SKB_BPF_H

#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

#define cg_ctx		__sk_buff
/* "Not mine, go on": with direct-action, TC_ACT_OK would end the clsact
 * chain and hide the packet from every filter after csumguard's; UNSPEC lets
 * them run, and the packet leaves as if csumguard were not there. */
#define CG_ACT_PASS	TC_ACT_UNSPEC
#define CG_ACT_DROP	TC_ACT_SHOT

static __always_inline void *cg_ctx_data(const struct cg_ctx *ctx)
{
	return (void *)(long)ctx->data;
}

static __always_inline void *cg_ctx_data_end(const struct cg_ctx *ctx)
{
	return (void *)(long)ctx->data_end;
}

/* Linear head and paged data. */
static __always_inline __u32 cg_ctx_full_len(struct cg_ctx *ctx)
{
	return ctx->len;
}

/* Reads linear and paged data alike. */
static __always_inline long cg_ctx_load_bytes(struct cg_ctx *ctx, __u32 off, void *to,
					      __u32 len)
{
	return bpf_skb_load_bytes(ctx, off, to, len);
}

#endif /* CG_CTX_SKB_BPF_H */
