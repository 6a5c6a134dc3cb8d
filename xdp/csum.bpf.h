/* SPDX-License-Identifier: GPL-2.0 */
/*
 * csum.bpf.h - one's-complement sums over XDP packet bytes.
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
 */
#ifndef CG_CSUM_BPF_H
#define CG_CSUM_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "csumguard.h"

#define CG_CSUM_CHUNK		512	/* largest bpf_csum_diff() size before 6.13 */
#define CG_CSUM_BLOCK		64	/* inline-loop block: one bounds check per 64 bytes */
/* The verifier tracks packet ranges only while offset + size <= 0xffff
 * (MAX_PACKET_OFF): every variable offset is bounded below that first. */
#define CG_PKT_OFF_MAX		0xffff
#define pkt_at(data, off, size) \
	((off) > CG_PKT_OFF_MAX - (size) ? NULL : (void *)((data) + (off)))
/* barrier_var() (bpf_helpers.h) makes clang keep one register for a
 * pointer: otherwise it recomputes data + off after the bounds check, and the
 * verifier sees a fresh pointer whose range was never checked. */
/* Set in a returned sum when a helper failed: sums are < 2^48, never reach it. */
#define CG_SUM_ERR		(1ULL << 63)

/* Bounce buffer for bytes outside the linear area (multi-buffer frames): too
 * big for the 512-byte BPF stack, so it is one per-CPU map slot. */
struct cg_bounce {
	__u8 b[CG_CSUM_CHUNK];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cg_bounce);
} cg_bounce SEC(".maps");

/* Folds a 64-bit one's-complement accumulator to 16 bits. */
static __always_inline __u16 csum_fold64(__u64 s)
{
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (__u16)s;
}

/* The native-order value a lone final byte contributes: it is the high byte
 * of a 16-bit network-order word whose low byte is zero padding. */
static __always_inline __u64 csum_odd_byte(__u8 b)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return b;
#else
	return (__u64)b << 8;
#endif
}

/*
 * The sums below are global (non-static, noinline) functions on purpose: the
 * verifier checks each once, with its arguments as unknown scalars, and the
 * caller sees an unknown scalar come back. Inlined, every call site and every
 * loop exit becomes a distinct path and verification explodes (the facts
 * note measured 0.5M instructions; chained loops here hit the 1M limit).
 * Inside, offsets advance as off + i * size with i the loop counter, so
 * iterations differ only in i, and pointers are re-derived and bounded
 * (pkt_at) right before each use.
 */

/* Sum of n 512-byte chunks at packet offset off, in the linear area. */
__noinline __u64 cg_sum_chunks(struct xdp_md *ctx, __u32 off, __u32 n)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
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

/*
 * Sum of len < 512 bytes at packet offset off, in the linear area: 32-bit
 * loads into the 64-bit accumulator with one bounds check per 64-byte block
 * (about twice as fast as a helper call at these sizes), then words, then a
 * 16-bit and an 8-bit tail. len may be odd (the datagram's last byte).
 */
__noinline __u64 cg_sum_small(struct xdp_md *ctx, __u32 off, __u32 len)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 blocks = len / CG_CSUM_BLOCK, words, rest;
	__u64 sum = 0;
	__u32 *w;
	__u8 *p;
	int i;

	for (i = 0; i < CG_CSUM_CHUNK / CG_CSUM_BLOCK; i++) {
		if (i >= blocks)
			break;
		w = pkt_at(data, off + i * CG_CSUM_BLOCK, CG_CSUM_BLOCK);
		barrier_var(w);
		if (!w || (void *)(w + CG_CSUM_BLOCK / 4) > data_end)
			return CG_SUM_ERR;
		sum += (__u64)w[0] + w[1] + w[2] + w[3] + w[4] + w[5] + w[6] + w[7] +
		       w[8] + w[9] + w[10] + w[11] + w[12] + w[13] + w[14] + w[15];
	}
	off += blocks * CG_CSUM_BLOCK;
	rest = len % CG_CSUM_BLOCK;
	words = rest / 4;
	for (i = 0; i < CG_CSUM_BLOCK / 4; i++) {
		if (i >= words)
			break;
		w = pkt_at(data, off + i * 4, 4);
		barrier_var(w);
		if (!w || (void *)(w + 1) > data_end)
			return CG_SUM_ERR;
		sum += *w;
	}
	off += words * 4;
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
static __always_inline __u64 cg_sum_linear(struct xdp_md *ctx, __u32 off, __u32 len)
{
	__u32 chunks = len / CG_CSUM_CHUNK;
	__u64 a, b;

	a = chunks ? cg_sum_chunks(ctx, off, chunks) : 0;
	b = cg_sum_small(ctx, off + chunks * CG_CSUM_CHUNK, len % CG_CSUM_CHUNK);
	return (a | b) & CG_SUM_ERR ? CG_SUM_ERR : a + b;
}

/* Copies n <= 512 bytes at offset off (anywhere, fragments included) into the
 * bounce buffer, zero-padded to a multiple of 4, and sums them. */
static __always_inline __u64 sum_bounced(struct xdp_md *ctx, struct cg_bounce *bb,
					 __u32 off, __u32 n)
{
	__u32 padded = (n + 3) & ~3U;
	__s64 r;

	if (n == 0 || n > CG_CSUM_CHUNK)
		return CG_SUM_ERR;
	/* The same n, in a form whose range the verifier sees as 1..512:
	 * before 6.2 bpf_xdp_load_bytes refuses a length that may be 0, and
	 * clang drops the n == 0 test above from what the verifier tracks. */
	n = ((n - 1) & (CG_CSUM_CHUNK - 1)) + 1;
	/* bpf_csum_diff takes multiples of 4 before 6.13: zero the last
	 * partial word, then let the copy overwrite its leading bytes. */
	if (n & 3)
		*(__u32 *)&bb->b[(n & ~3U) & (CG_CSUM_CHUNK - 4)] = 0;
	if (bpf_xdp_load_bytes(ctx, off, bb->b, n))
		return CG_SUM_ERR;
	if (padded > CG_CSUM_CHUNK)
		return CG_SUM_ERR;
	r = bpf_csum_diff(NULL, 0, (__be32 *)bb->b, padded, 0);
	return r < 0 ? CG_SUM_ERR : (__u32)r;
}

/*
 * Sum of len bytes at offset off of a possibly multi-buffer frame, through
 * the per-CPU bounce buffer (bpf_xdp_load_bytes crosses fragment boundaries).
 * off is a multiple of 4 from the datagram start; len may be odd.
 */
__noinline __u64 cg_sum_frags(struct xdp_md *ctx, __u32 off, __u32 len)
{
	__u32 zero = 0, chunks = len / CG_CSUM_CHUNK, rest = len % CG_CSUM_CHUNK;
	struct cg_bounce *bb;
	__u64 sum = 0, r;
	int i;

	bb = bpf_map_lookup_elem(&cg_bounce, &zero);
	if (!bb)
		return CG_SUM_ERR;
	for (i = 0; i < CG_MAX_CHECKED_LEN / CG_CSUM_CHUNK; i++) {
		if (i >= chunks)
			break;
		r = sum_bounced(ctx, bb, off + i * CG_CSUM_CHUNK, CG_CSUM_CHUNK);
		if (r & CG_SUM_ERR)
			return CG_SUM_ERR;
		sum += r;
	}
	if (rest) {
		r = sum_bounced(ctx, bb, off + chunks * CG_CSUM_CHUNK, rest);
		if (r & CG_SUM_ERR)
			return CG_SUM_ERR;
		sum += r;
	}
	return sum;
}

#endif /* CG_CSUM_BPF_H */
