/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pkt.bpf.h - bounded pointers into the linear packet bytes, for any hook.
 */
#ifndef CG_PKT_BPF_H
#define CG_PKT_BPF_H

#include <linux/types.h>
#include <bpf/bpf_helpers.h>

/* The verifier tracks packet ranges only while offset + size <= 0xffff
 * (MAX_PACKET_OFF): every variable offset is bounded below that first. */
#define CG_PKT_OFF_MAX		0xffff
#define pkt_at(data, off, size) \
	((off) > CG_PKT_OFF_MAX - (size) ? NULL : (void *)((data) + (off)))
/* barrier_var() (bpf_helpers.h) makes clang keep one register for a
 * pointer: otherwise it recomputes data + off after the bounds check, and the
 * verifier sees a fresh pointer whose range was never checked. */

/*
 * The n bytes at offset off of the linear area data..data_end, or NULL when
 * they are not all there. The offset is bounded first, with barrier_var()
 * on both sides of the check: after it, or clang may compute data + off
 * before the check (it did, for an offset loaded from the stack, and the
 * verifier saw an unbounded pointer: "R3 offset is outside of the packet");
 * before it, or clang drops a check its own range analysis finds redundant
 * (it did, for an offset it knew to be below 1536 from earlier checks), and
 * the 6.1 verifier, which did not carry that range through the stack, got
 * a pointer whose offset may exceed MAX_PACKET_OFF (same message).
 */
#define pkt_in(data, data_end, off, n) ({					\
	__u32 __off = (off);							\
	__u8 *__p = NULL;							\
										\
	barrier_var(__off);							\
	if (__off <= CG_PKT_OFF_MAX - (n)) {					\
		barrier_var(__off);						\
		__p = (__u8 *)(data) + __off;					\
		if ((void *)(__p + (n)) > (void *)(data_end))			\
			__p = NULL;						\
	}									\
	__p;									\
})

#endif /* CG_PKT_BPF_H */
