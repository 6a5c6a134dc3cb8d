/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace.bpf.h - the XDP validator's trace (issue 11): one struct
 * cg_trace_event (include/csumguard.h) per bad tunnel frame into the ring
 * buffer cg_trace, rate-limited here in the kernel by a per-CPU token bucket
 * (cg_trace_bucket_take, the same code the unit tests run), so a storm of
 * bad frames costs a bounded number of events; the rest is counted.
 *
 * Called only once the verdict is bad (bad_ip_header, or unfinished when
 * configured): the ok path never gets here. The event carries what the
 * verdict already computed (verdict, class, stored and expected checksum,
 * header offsets) and the frame's first CG_TRACE_SNAP bytes, for user space
 * to name the tunnel, VNI and inner 5-tuple and to write pcapng: the inner
 * headers are not walked a second time in the kernel.
 */
#ifndef CG_TRACE_BPF_H
#define CG_TRACE_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "csumguard.h"
#include "ctx.bpf.h"
#include "pkt.bpf.h"
#include "maps.bpf.h"

/* What cg_trace_emit did. */
#define CG_TRACE_SENT		0
#define CG_TRACE_SUPPRESSED	1	/* rate limit */
#define CG_TRACE_LOST		2	/* ring buffer full */

/*
 * Emits the event of one judged frame. Arguments packed to stay within the
 * five a function takes, scalars only (a global function, verified once):
 *   offs   l3 << 16 | l4
 *   what   verdict | sub << 8 | encap << 16 | flags << 24
 *   csums  stored << 16 | expected (wire order values, as loaded)
 *   dport  UDP destination port (host order)
 * Returns CG_TRACE_*.
 */
__noinline int cg_trace_emit(struct cg_ctx *ctx, __u32 offs, __u32 what, __u32 csums,
			     __u32 dport)
{
	void *data = cg_ctx_data(ctx);
	void *data_end = cg_ctx_data_end(ctx);
	struct cg_trace_bucket *b;
	struct cg_trace_event *e;
	__u32 zero = 0, len, cap, l3 = offs >> 16;
	__u8 *ip;
	__u64 now;

	b = bpf_map_lookup_elem(&cg_trace_tb, &zero);
	now = bpf_ktime_get_boot_ns();
	if (!b || !cg_trace_bucket_take(b, now, CG_TRACE_RATE, CG_TRACE_BURST))
		return CG_TRACE_SUPPRESSED;
	e = bpf_ringbuf_reserve(&cg_trace, sizeof(*e), 0);
	if (!e)
		return CG_TRACE_LOST;
	e->ts_ns = now;
	e->verdict = what & 0xff;
	e->sub = (what >> 8) & 0xff;
	e->encap = (what >> 16) & 0xff;
	e->flags = what >> 24;
	e->l3 = l3;
	e->l4 = offs & 0xffff;
	e->dport = dport;
	e->stored = csums >> 16;
	e->expected = csums & 0xffff;
	e->ifindex = ctx->ingress_ifindex;
	len = cg_ctx_full_len(ctx);
	e->frame_len = len;
	__builtin_memset(&e->src, 0, sizeof(e->src));
	/* The source from the IP header the parser read (l3 is in the
	 * linear area: it read it from there). */
	ip = pkt_in(data, data_end, l3, 40);
	if (ip && (ip[0] >> 4) == 6)
		cg_addr_from_v6(&e->src, ip + 8);
	else if ((ip = pkt_in(data, data_end, l3, 20)))
		cg_addr_from_v4(&e->src, ip + 12);
	cap = len < CG_TRACE_SNAP ? len : CG_TRACE_SNAP;
#ifdef CG_XDP_SINGLE_BUF
	{
		/* No bpf_xdp_load_bytes before 5.18: the linear area, which is
		 * the whole frame here, a byte at a time (bounded loop). */
		__u32 i;

		for (i = 0; i < CG_TRACE_SNAP; i++) {
			__u8 *p;

			if (i >= cap)
				break;
			p = pkt_in(data, data_end, i, 1);
			if (!p)
				break;
			e->data[i] = *p;
		}
		cap = i;
	}
#else
	/* Across fragments. The size must be a known 1..CG_TRACE_SNAP for the
	 * verifier: clang turns "cap >= 1 && cap <= SNAP" into one unsigned
	 * check of cap - 1, which 6.1 does not carry back to cap ("R3 min value
	 * is outside of the allowed memory range", size 0). ((cap - 1) & (SNAP
	 * - 1)) + 1 is cap for 1..SNAP (a power of 2) and 1..SNAP by its own
	 * arithmetic. */
	if (cap >= 1) {
		if (bpf_xdp_load_bytes(ctx, 0, e->data, ((cap - 1) & (CG_TRACE_SNAP - 1)) + 1))
			cap = 0;
	}
#endif
	e->cap_len = cap;
	bpf_ringbuf_submit(e, 0);
	return CG_TRACE_SENT;
}

#endif /* CG_TRACE_BPF_H */
