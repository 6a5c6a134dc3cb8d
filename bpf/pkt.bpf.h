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

#endif /* CG_PKT_BPF_H */
