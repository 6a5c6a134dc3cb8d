/* SPDX-License-Identifier: GPL-2.0 */
/*
 * csum_fold.bpf.h - one's-complement arithmetic on native-order sums, for any
 * BPF program type (the XDP validator, the tests' TC fault injector).
 */
#ifndef CG_CSUM_FOLD_BPF_H
#define CG_CSUM_FOLD_BPF_H

#include <linux/types.h>
#include <bpf/bpf_helpers.h>

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

#endif /* CG_CSUM_FOLD_BPF_H */
