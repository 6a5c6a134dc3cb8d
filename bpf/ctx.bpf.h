/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctx.bpf.h - the context layer: what the library needs from a hook's
 * context, spelled once for every hook. An entry point defines exactly one of
 * CG_CTX_XDP (XDP, struct xdp_md) or CG_CTX_SKB (TC, struct __sk_buff) before
 * it includes any bpf/ header; the library is then written against:
 *
 *   struct cg_ctx                the program's context type (a macro for the
 *                                real struct, so BTF and the verifier see
 *                                struct xdp_md * or struct __sk_buff *)
 *   CG_ACT_PASS, CG_ACT_DROP     the hook's pass and drop return values
 *   cg_ctx_data(ctx),
 *   cg_ctx_data_end(ctx)         the linear bytes, directly readable once
 *                                bounds-checked against data_end
 *   cg_ctx_full_len(ctx)         the whole frame: fragments (XDP multi-buffer)
 *                                or paged data (skb) included
 *   cg_ctx_load_bytes(ctx, off, to, len)
 *                                copies len bytes at frame offset off from
 *                                anywhere in the frame; 0 or a negative error
 */
#ifndef CG_CTX_BPF_H
#define CG_CTX_BPF_H

#if defined(CG_CTX_XDP) + defined(CG_CTX_SKB) != 1
#error "define exactly one of CG_CTX_XDP or CG_CTX_SKB before including a bpf/ header"
#endif

#if defined(CG_CTX_XDP)
#include "ctx/xdp.bpf.h"
#else
#include "ctx/skb.bpf.h"
#endif

#endif /* CG_CTX_BPF_H */
