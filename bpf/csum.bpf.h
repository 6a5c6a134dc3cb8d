/* SPDX-License-Identifier: GPL-2.0 */
/*
 * csum.bpf.h - one's-complement sums over packet bytes, for any hook: the
 * linear bytes are read in place (cg_ctx_data..cg_ctx_data_end), the rest of
 * a frame through cg_ctx_load_bytes (bpf/ctx.bpf.h).
 *
 * All sums are kept in native byte order: the one's-complement sum is
 * byte-order independent (RFC 1071 section 2(B)), so summing words as the CPU
 * loads them and comparing with fields as the CPU loads them gives the same
 * verdict as summing in network order. Accumulators are 64 bits wide and are
 * folded once at the end.
 *
 * Kernel limits honoured here (SPEC 6):
 *  - before 6.13 bpf_csum_diff() takes only sizes that are multiples of 4 and
 *    at most 512 bytes, and returns an unfolded 32-bit sum (a folded one from
 *    6.13 on: both are the same number modulo 0xffff, so we treat them alike);
 *  - any negative return is an error and must never become a verdict.
 *
 * With -DCG_CSUM_LARGE (the large-chunk XDP variant, csumguard_xdplc, loaded
 * only where lib/probe.c's test run shows the 6.13+ helper) the linear part
 * goes in 2048/1024/512-byte calls and fragments in one call per 4 KiB
 * bounce buffer, odd sizes included. From 6.13 (commit "bpf: bpf_csum_diff:
 * optimize and homogenize for all archs", net/core/filter.c) the helper no
 * longer copies through the 512-byte per-CPU scratchpad: it returns
 * csum_from32to16(csum_partial(to, to_size, seed)) for any to_size, the
 * 16-bit folded (not inverted) sum; an odd last byte is added as
 * csum_partial does, zero-padded, in the same lane as csum_odd_byte. Before
 * 6.13 the same calls fail (-EINVAL), which would make every big datagram
 * "unchecked": hence the probe, not a version number.
 */
#ifndef CG_CSUM_BPF_H
#define CG_CSUM_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "csumguard.h"
#include "ctx.bpf.h"
#include "pkt.bpf.h"
#include "maps.bpf.h"
#include "csum_fold.bpf.h"

#define CG_CSUM_CHUNK		512	/* largest bpf_csum_diff() size before 6.13 */
#define CG_CSUM_HALF		256	/* one more helper call pays off from here */
#define CG_CSUM_BLOCK		64	/* inline-loop block: one bounds check per 64 bytes */
/* CG_BOUNCE_LEN (bytes copied per load-bytes call) and the cg_bounce map are
 * in maps.bpf.h; pkt_at() and why barrier_var() in pkt.bpf.h. */
/* Set in a returned sum when a helper failed: sums are < 2^48, never reach it. */
#define CG_SUM_ERR		(1ULL << 63)

/*
 * The sums below are global (non-static, noinline) functions on purpose: the
 * verifier checks each once, with its arguments as unknown scalars, and the
 * caller sees an unknown scalar come back. Inlined, every call site and every
 * loop exit becomes a distinct path and verification explodes (the facts
 * note measured 0.5M instructions; chained loops here hit the 1M limit).
 * Inside, offsets advance as off + i * size with i the loop counter, so
 * iterations differ only in i, and pointers are re-derived and bounded
 * (pkt_at) right before each use.
 * Their first argument is the hook's context (struct cg_ctx: struct xdp_md *
 * or struct __sk_buff * in BTF), the one pointer a global function may take
 * besides pointers to sized memory: packet pointers cannot cross the call.
 * (Not a concern from the 6.1 floor, but remember it for older kernels: it
 * was reported that freplace programs on 5.10 refused global functions with
 * a struct xdp_md * argument.)
 */

#ifndef CG_CSUM_LARGE
/* Sum of n 512-byte chunks at packet offset off, in the linear area. */
__noinline __u64 cg_sum_chunks(struct cg_ctx *ctx, __u32 off, __u32 n)
{
	void *data = cg_ctx_data(ctx);
	void *data_end = cg_ctx_data_end(ctx);
	__u64 sum = 0;
	int i;

	for (i = 0; i < CG_MAX_CHECKED_LEN / CG_CSUM_CHUNK; i++) {
		__u8 *p;
		__s64 r;

		if (i >= n)
			break;
		p = pkt_at(data, off + i * CG_CSUM_CHUNK, CG_CSUM_CHUNK);
		barrier_var(p);
		if (!p || (void *)(p + CG_CSUM_CHUNK) > data_end)
			return CG_SUM_ERR;
		r = bpf_csum_diff(NULL, 0, (__be32 *)p, CG_CSUM_CHUNK, 0);
		if (r < 0)
			return CG_SUM_ERR;
		sum += (__u32)r;
	}
	return sum;
}
#else
#define CG_CSUM_BIG		2048	/* 6.13+: one call per 2 KiB, then 1024, 512 */

/* One bpf_csum_diff over size (a constant) bytes at packet offset off. */
static __always_inline __u64 sum_piece(void *data, void *data_end, __u32 off, const __u32 size)
{
	__u8 *p = pkt_at(data, off, size);
	__s64 r;

	barrier_var(p);
	if (!p || (void *)(p + size) > data_end)
		return CG_SUM_ERR;
	r = bpf_csum_diff(NULL, 0, (__be32 *)p, size, 0);
	return r < 0 ? CG_SUM_ERR : (__u32)r;
}

/*
 * Sum of n 512-byte chunks at packet offset off, in the linear area, in as
 * few calls as the set bits of n * 512 allow: 2048-byte calls, then one of
 * 1024 and one of 512 (6.13+). A linear area holds at most a page, so the
 * loop runs once or twice.
 */
__noinline __u64 cg_sum_chunks(struct cg_ctx *ctx, __u32 off, __u32 n)
{
	void *data = cg_ctx_data(ctx);
	void *data_end = cg_ctx_data_end(ctx);
	__u32 len = n * CG_CSUM_CHUNK, big = len / CG_CSUM_BIG;
	__u64 sum = 0, v;
	int i;

	for (i = 0; i < CG_MAX_CHECKED_LEN / CG_CSUM_BIG; i++) {
		if (i >= big)
			break;
		v = sum_piece(data, data_end, off + i * CG_CSUM_BIG, CG_CSUM_BIG);
		if (v & CG_SUM_ERR)
			return CG_SUM_ERR;
		sum += v;
	}
	off += big * CG_CSUM_BIG;
	if (len & 1024) {
		v = sum_piece(data, data_end, off, 1024);
		if (v & CG_SUM_ERR)
			return CG_SUM_ERR;
		sum += v;
		off += 1024;
	}
	if (len & 512) {
		v = sum_piece(data, data_end, off, 512);
		if (v & CG_SUM_ERR)
			return CG_SUM_ERR;
		sum += v;
	}
	return sum;
}
#endif /* CG_CSUM_LARGE */

/*
 * Adds n bytes at packet offset off (n a constant multiple of 4) as 32-bit
 * words, after one bounds check. Returns 0, or -1 if they are not there.
 */
static __always_inline int add_words(void *data, void *data_end, __u32 off, const __u32 n,
				     __u64 *sum)
{
	__u32 *w = pkt_at(data, off, n);
	__u32 k;

	barrier_var(w);
	if (!w || (void *)(w + n / 4) > data_end)
		return -1;
#pragma unroll
	for (k = 0; k < n / 4; k++)
		*sum += w[k];
	return 0;
}

/*
 * Sum of len < 512 bytes at packet offset off, in the linear area. A helper
 * call costs about 4 ns and pays off from about 200 bytes (bench/README.md),
 * so 256 bytes go to bpf_csum_diff; the rest is 32-bit loads into the 64-bit
 * accumulator, 64 bytes per bounds check, then one check for each of the
 * 32/16/8/4-byte pieces the remainder is made of, then a 16- and an 8-bit
 * tail. len may be odd (the datagram's last byte).
 */
__noinline __u64 cg_sum_small(struct cg_ctx *ctx, __u32 off, __u32 len)
{
	void *data = cg_ctx_data(ctx);
	void *data_end = cg_ctx_data_end(ctx);
	__u32 blocks, rest;
	__u64 sum = 0;
	__u8 *p;
	int i;

	if (len >= CG_CSUM_HALF) {
		__s64 r;

		p = pkt_at(data, off, CG_CSUM_HALF);
		barrier_var(p);
		if (!p || (void *)(p + CG_CSUM_HALF) > data_end)
			return CG_SUM_ERR;
		r = bpf_csum_diff(NULL, 0, (__be32 *)p, CG_CSUM_HALF, 0);
		if (r < 0)
			return CG_SUM_ERR;
		sum += (__u32)r;
		off += CG_CSUM_HALF;
		len -= CG_CSUM_HALF;
	}
	blocks = len / CG_CSUM_BLOCK;
	for (i = 0; i < CG_CSUM_HALF / CG_CSUM_BLOCK; i++) {
		if (i >= blocks)
			break;
		if (add_words(data, data_end, off + i * CG_CSUM_BLOCK, CG_CSUM_BLOCK, &sum))
			return CG_SUM_ERR;
	}
	off += blocks * CG_CSUM_BLOCK;
	rest = len % CG_CSUM_BLOCK;
	if (rest & 32) {
		if (add_words(data, data_end, off, 32, &sum))
			return CG_SUM_ERR;
		off += 32;
	}
	if (rest & 16) {
		if (add_words(data, data_end, off, 16, &sum))
			return CG_SUM_ERR;
		off += 16;
	}
	if (rest & 8) {
		if (add_words(data, data_end, off, 8, &sum))
			return CG_SUM_ERR;
		off += 8;
	}
	if (rest & 4) {
		if (add_words(data, data_end, off, 4, &sum))
			return CG_SUM_ERR;
		off += 4;
	}
	/* A 32-bit word is two 16-bit words: a 16-bit tail adds the same way. */
	p = pkt_at(data, off, 4);
	barrier_var(p);
	if (!p)
		return CG_SUM_ERR;
	if (rest & 2) {
		if ((void *)(p + 2) > data_end)
			return CG_SUM_ERR;
		sum += *(__u16 *)p;
		p += 2;
	}
	if (rest & 1) {
		if ((void *)(p + 1) > data_end)
			return CG_SUM_ERR;
		sum += csum_odd_byte(*p);
	}
	return sum;
}

/* Sum of len bytes at packet offset off, all in the linear area. */
static __always_inline __u64 cg_sum_linear(struct cg_ctx *ctx, __u32 off, __u32 len)
{
	__u32 chunks = len / CG_CSUM_CHUNK;
	__u64 a, b;

	a = chunks ? cg_sum_chunks(ctx, off, chunks) : 0;
	b = cg_sum_small(ctx, off + chunks * CG_CSUM_CHUNK, len % CG_CSUM_CHUNK);
	return (a | b) & CG_SUM_ERR ? CG_SUM_ERR : a + b;
}

#ifndef CG_CSUM_LARGE
/*
 * Sum of len bytes at offset off of a possibly multi-buffer frame (or an skb's
 * paged data), through the per-CPU bounce buffer: one cg_ctx_load_bytes
 * (bpf_xdp_load_bytes, which crosses fragment boundaries, or
 * bpf_skb_load_bytes) per CG_BOUNCE_LEN bytes, then bpf_csum_diff over it in 512-byte
 * pieces (fewer copies: 9000-byte frames cost a quarter less than with one
 * copy per 512 bytes). off is a multiple of 4 from the datagram start; len
 * may be odd: the last partial word is zero-padded.
 */
__noinline __u64 cg_sum_frags(struct cg_ctx *ctx, __u32 off, __u32 len)
{
	__u32 zero = 0, n, padded, m, j;
	struct cg_bounce *bb;
	__u64 sum = 0;
	__s64 r;
	int i;

	bb = bpf_map_lookup_elem(&cg_bounce, &zero);
	if (!bb)
		return CG_SUM_ERR;
	for (i = 0; i < CG_MAX_CHECKED_LEN / CG_BOUNCE_LEN + 1; i++) {
		if (len == 0)
			break;
		n = len > CG_BOUNCE_LEN ? CG_BOUNCE_LEN : len;
		/* The same n, in a form whose range the verifier sees as
		 * 1..CG_BOUNCE_LEN: 6.1's bpf_xdp_load_bytes refuses a length
		 * that may be 0 (bpf_skb_load_bytes declares the same argument
		 * type), and clang drops the len == 0 test from what the
		 * verifier tracks. */
		n = ((n - 1) & (CG_BOUNCE_LEN - 1)) + 1;
		barrier_var(n);
		/* bpf_csum_diff takes multiples of 4 before 6.13: zero the
		 * last partial word, then let the copy overwrite its start. */
		if (n & 3)
			*(__u32 *)&bb->b[(n & ~3U) & (CG_BOUNCE_LEN - 4)] = 0;
		if (cg_ctx_load_bytes(ctx, off, bb->b, n))
			return CG_SUM_ERR;
		padded = (n + 3) & ~3U;
		for (j = 0; j < CG_BOUNCE_LEN / CG_CSUM_CHUNK; j++) {
			if (j * CG_CSUM_CHUNK >= padded)
				break;
			m = padded - j * CG_CSUM_CHUNK;
			m = m > CG_CSUM_CHUNK ? CG_CSUM_CHUNK : m;
			m = ((m - 1) & (CG_CSUM_CHUNK - 1)) + 1;	/* 1..512, as above */
			barrier_var(m);
			r = bpf_csum_diff(NULL, 0,
					  (__be32 *)&bb->b[(j * CG_CSUM_CHUNK) &
							   (CG_BOUNCE_LEN - CG_CSUM_CHUNK)],
					  m, 0);
			if (r < 0)
				return CG_SUM_ERR;
			sum += (__u32)r;
		}
		off += n;
		len -= n;
	}
	return len ? CG_SUM_ERR : sum;
}
#else
#define CG_BOUNCE_BIG		4096	/* 6.13+: bytes per load and per call */

/* The large-chunk variant's bounce buffer (per CPU, not pinned): a page, so
 * a 9000-byte frame's fragments take three copies and three calls. */
struct cg_bounce_big {
	__u8 b[CG_BOUNCE_BIG];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cg_bounce_big);
} cg_bounce_big SEC(".maps");

/*
 * As above, 6.13+: one cg_ctx_load_bytes and one bpf_csum_diff per 4 KiB,
 * the last call of the exact (maybe odd) length: the helper pads an odd
 * byte itself. off is a multiple of 4 from the datagram start and every
 * piece but the last is 4096 bytes, so all stay in the same lanes.
 */
__noinline __u64 cg_sum_frags(struct cg_ctx *ctx, __u32 off, __u32 len)
{
	struct cg_bounce_big *bb;
	__u32 zero = 0, n;
	__u64 sum = 0;
	__s64 r;
	int i;

	bb = bpf_map_lookup_elem(&cg_bounce_big, &zero);
	if (!bb)
		return CG_SUM_ERR;
	for (i = 0; i < CG_MAX_CHECKED_LEN / CG_BOUNCE_BIG + 1; i++) {
		if (len == 0)
			break;
		n = len > CG_BOUNCE_BIG ? CG_BOUNCE_BIG : len;
		n = ((n - 1) & (CG_BOUNCE_BIG - 1)) + 1;	/* 1..4096 for the verifier */
		barrier_var(n);
		if (cg_ctx_load_bytes(ctx, off, bb->b, n))
			return CG_SUM_ERR;
		r = bpf_csum_diff(NULL, 0, (__be32 *)bb->b, n, 0);
		if (r < 0)
			return CG_SUM_ERR;
		sum += (__u32)r;
		off += n;
		len -= n;
	}
	return len ? CG_SUM_ERR : sum;
}
#endif /* CG_CSUM_LARGE */

/*
 * Sum of len bytes at frame offset off, wherever they are: the part in the
 * linear area in place, the rest through the bounce buffer. The split point
 * is a multiple of 4 from off, so both parts sum in the same 16-bit lanes
 * (relative to off). Global like the sums it calls: inlined at its three
 * call sites (the datagram, an inner segment, a tail) the XDP program took
 * 60k more instructions to verify.
 */
__noinline __u64 cg_sum_range(struct cg_ctx *ctx, __u32 off, __u32 len)
{
	__s64 in_linear = cg_ctx_data_end(ctx) - cg_ctx_data(ctx) - (__s64)off;
	__u32 words;
	__u64 a, b;

	if (in_linear >= len)
		return cg_sum_linear(ctx, off, len);
	words = in_linear > 0 ? (__u32)in_linear & ~3U : 0;
	a = words ? cg_sum_linear(ctx, off, words) : 0;
	b = cg_sum_frags(ctx, off + words, len - words);
	return (a | b) & CG_SUM_ERR ? CG_SUM_ERR : a + b;
}

#endif /* CG_CSUM_BPF_H */
