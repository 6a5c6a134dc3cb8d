// SPDX-License-Identifier: GPL-2.0
/*
 * csumguard_tc.bpf.c - TC (clsact) egress entry point of csumguard (SPEC 2
 * "TC egress"): what this node sends, per destination. On the same bpf/
 * library as the XDP validator (parser, port table, sums, verdict rule),
 * with the skb context layer; the egress rule is bpf/egress.bpf.h.
 *
 * Per outgoing tunnel datagram (UDP to a port in the shared port table, or
 * any UDP fragment): the outer destination's row in cg_dst gets packets
 * (wire packets: gso_segs of a GSO super-packet, else 1), bytes, gso, and the
 * state of the outer checksum: final_ok / final_bad (a final value, verified
 * over the whole datagram, paged data included), offloaded (the
 * pseudo-header seed), zero, fragment, malformed. Totals in cg_egress.
 *
 * Two programs, one datapath (bpf/README.md "Facts"; the loader loads and
 * attaches one): CG_TC_PROG_FACTS also reads the skb's own facts through
 * bpf_cast_to_kern_ctx (6.2+): offloaded_fact, and the GSO tunnel metadata
 * check (gso_meta_bad); CG_TC_PROG does without and runs on 6.1.
 *
 * Fail open: anything not understood passes (TC_ACT_OK) and is counted. The
 * one drop: a non-GSO final_bad datagram in drop mode.
 */
#define CG_CTX_SKB		/* bpf/ctx.bpf.h: struct __sk_buff, TC_ACT_OK/TC_ACT_SHOT */
#define CG_MAPS_EGRESS		/* bpf/maps.bpf.h: cg_dst, cg_egress */

#include "ctx.bpf.h"
#include "maps.bpf.h"
#include "parse.bpf.h"
#include "verdict.bpf.h"
#include "egress.bpf.h"
#include "facts.bpf.h"
#include "account.bpf.h"

/* Bytes pulled into the linear head when the headers did not parse there:
 * every header the parser follows (CG_MAX_L4_OFF) and the UDP header. */
#define CG_PULL_LEN	(CG_MAX_L4_OFF + CG_UDP_HLEN)

/*
 * The parse result, per CPU: cg_parse_skb writes it here and the program
 * reads it from here. 5.10's verifier takes no pointer argument to a global
 * function but the context ("Arg#1 type PTR in cg_parse_skb() is not
 * supported yet", the whole program refused: pointers to memory came with
 * 5.12), so the result cannot go through a pointer to the caller's stack.
 * A per-CPU slot is the caller's stack by other means: the program runs to
 * its end on one CPU, and nothing else uses the slot. Not pinned, not
 * shared: only this object has it.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cg_pkt);
} cg_pkt_scratch SEC(".maps");

/*
 * The shared parser over the skb's linear head, as a global function: the
 * verifier checks it once, not at each of its two call sites (the second
 * after bpf_skb_pull_data). Inlined twice, the parse was 37% of what the
 * verifier walked on 6.18 (95k of 254k instructions) and the TC program
 * came to 669k of the 1M limit on 6.1; so: 115k on 6.18, 315k on 6.1
 * (measured 2026-11-29, test_xdp's "verifier:" lines). Its only arguments
 * are the context (5.10: above); the result is in cg_pkt_scratch, read
 * back as unknown scalars: every offset is bounded again where it is used
 * (pkt_at).
 */
__noinline int cg_parse_skb(struct __sk_buff *ctx)
{
	struct cg_pkt *pk;
	__u32 zero = 0;

	pk = bpf_map_lookup_elem(&cg_pkt_scratch, &zero);
	if (!pk)
		return CG_PARSE_ERROR;
	__builtin_memset(pk, 0, sizeof(*pk));
	return cg_parse(cg_ctx_data(ctx), cg_ctx_data_end(ctx), cg_ctx_full_len(ctx), pk);
}

/* Keeps the first gso_meta_bad skb's metadata (once: whoever swaps the
 * stamp from 0 writes the rest; a reader may see it half written for a
 * moment, never a mix of two skbs' stamps). */
static __always_inline void keep_first_meta(struct cg_gso_meta_event *want,
					    const struct cg_facts *f, const struct cg_addr *dst,
					    __u32 segs)
{
	struct cg_gso_meta_event *e;
	__u32 zero = 0;
	__u64 now = bpf_ktime_get_boot_ns() | 1;	/* never 0: 0 is "nothing yet" */

	e = bpf_map_lookup_elem(&cg_gso_meta_first, &zero);
	if (!e || __sync_val_compare_and_swap(&e->when_ns, 0, now) != 0)
		return;
	e->dst = *dst;
	e->gso_segs = segs;
	e->encapsulation = f->encapsulation;
	e->transport = f->transport;
	e->inner_mac = f->inner_mac;
	e->inner_net = f->inner_net;
	e->inner_trans = f->inner_trans;
	e->want_transport = want->want_transport;
	e->want_inner_mac = want->want_inner_mac;
	e->want_inner_net = want->want_inner_net;
}

static __always_inline int tc_egress(struct __sk_buff *ctx, const int with_facts)
{
	void *data = cg_ctx_data(ctx);
	void *data_end = cg_ctx_data_end(ctx);
	__s64 linear_len = data_end - data;	/* 64-bit: no 32-bit pointer math */
	__u32 frame_len = cg_ctx_full_len(ctx), zero = 0;
	struct cg_egress_event ev = {};
	enum cg_iface_counter kind;
	enum cg_parse_status st;
	struct cg_egress_stats *ifs;
	struct cg_config *cfg;
	struct cg_facts f = {};
	struct cg_gso_meta_event want = {};
	struct cg_addr dst;
	struct cg_pkt *pk;
	int non_tunnel = 0, meta;

	ifs = bpf_map_lookup_elem(&cg_egress, &zero);
	cfg = bpf_map_lookup_elem(&cg_config, &zero);
	pk = bpf_map_lookup_elem(&cg_pkt_scratch, &zero);
	if (!ifs || !cfg || !pk)
		return CG_ACT_PASS;
	ifs->c[CG_IF_FRAMES]++;

	st = cg_parse_skb(ctx);
	/* At TC the linear head may end before the headers (a driver or GRO
	 * left them in paged data). Only then, pull them in and parse again:
	 * bpf_skb_pull_data may copy the head (a TCP skb at egress is a clone),
	 * so it is not paid on frames whose headers are linear, i.e. every
	 * locally built one (bpf/README.md). */
	if (st == CG_PARSE_ERROR && linear_len < frame_len &&
	    !bpf_skb_pull_data(ctx, frame_len < CG_PULL_LEN ? frame_len : CG_PULL_LEN)) {
		data = cg_ctx_data(ctx);
		data_end = cg_ctx_data_end(ctx);
		linear_len = data_end - data;
		st = cg_parse_skb(ctx);
	}
	kind = cg_frame_kind(st, pk, &non_tunnel);
	if (kind != CG_IF_TUNNEL || !pk->have_src)
		goto out_pass;

	/* A VLAN tag in skb->vlan_tci (tx offload) is not in the bytes: the
	 * frame's EtherType is then IP/IPv6 and it parses as untagged. */
	ev.gso = ctx->gso_size != 0;
	ev.weight = ev.gso && ctx->gso_segs > 1 ? ctx->gso_segs : 1;
	ev.bytes = frame_len;
	if (st == CG_PARSE_UDP_FRAGMENT) {
		ev.state = CG_E_FRAGMENT;
	} else if (egress_state(ctx, pk, linear_len, ev.gso, &ev.state)) {
		kind = CG_IF_UNCHECKED;
		goto out_pass;
	}
	if (egress_dst(data, data_end, pk, &dst)) {
		kind = CG_IF_UNPARSED;	/* cannot happen: the parser read it */
		goto out_pass;
	}

	if (with_facts) {
		cg_read_facts(ctx, &f);
		ev.facts = 1;
		ev.offloaded_fact = ev.state == CG_E_OFFLOADED &&
				    f.ip_summed == CG_CHECKSUM_PARTIAL &&
				    (ev.gso || (f.frame_at_mac && f.csum_start == (__s32)pk->l4 &&
						f.csum_offset == 6));
		if (ev.gso && st == CG_PARSE_UDP && ev.state != CG_E_MALFORMED) {
			meta = gso_meta_bad(ctx, pk, &f, &want);
			ev.gso_meta_bad = meta == 1;
			if (ev.gso_meta_bad)
				keep_first_meta(&want, &f, &dst, ctx->gso_segs);
		}
	}
	/* Only a datagram whose whole sum we computed is dropped: never a GSO
	 * super-packet (its field was judged as a seed, not summed). */
	ev.dropped = ev.state == CG_E_FINAL_BAD && !ev.gso && cfg->mode == CG_MODE_DROP;

	if (ev.state < CG_EGRESS_STATE_MAX)
		ifs->state[ev.state] += ev.weight;
	ifs->gso += ev.gso;
	ifs->gso_meta_bad += ev.gso_meta_bad;
	if (with_facts)
		ifs->facts += ev.weight;
	else
		ifs->no_facts += ev.weight;
	ifs->c[CG_IF_TUNNEL]++;
	if (account_dest(&dst, &ev, ifs))
		ifs->c[CG_IF_UNACCOUNTED]++;
	if (ev.dropped) {
		ifs->c[CG_IF_DROP_BAD]++;
		return CG_ACT_DROP;
	}
	return CG_ACT_PASS;

out_pass:
	if (kind < CG_IFACE_COUNTER_MAX)
		ifs->c[kind]++;
	return CG_ACT_PASS;
}

/* Kernels without bpf_cast_to_kern_ctx (6.1): no skb facts. */
SEC("tc")
int csumguard_tc(struct __sk_buff *ctx)
{
	return tc_egress(ctx, 0);
}

/* Kernel 6.2+: the same, and the skb's facts (CG_TC_PROG_FACTS). */
SEC("tc")
int csumguard_tcf(struct __sk_buff *ctx)
{
	return tc_egress(ctx, 1);
}

char LICENSE[] SEC("license") = "GPL";
