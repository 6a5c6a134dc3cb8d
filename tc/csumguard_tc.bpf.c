// SPDX-License-Identifier: GPL-2.0
/*
 * csumguard_tc.bpf.c - TC (clsact) egress entry point of csumguard: the
 * skeleton of SPEC 2 "TC egress", on the same bpf/ library as the XDP
 * validator, with the skb context layer.
 *
 * For now it parses every frame with the shared parser, counts how it
 * parsed (frames, not_tunnel, unparsed, tunnel: the per-interface counters of
 * include/csumguard.h) in its own per-CPU array cg_egress, and passes it.
 * It never drops. The egress issue adds the per-destination counters and the
 * final_ok / final_bad / offloaded / zero states; csumguard does not attach
 * it yet.
 */
#define CG_CTX_SKB		/* bpf/ctx.bpf.h: struct __sk_buff, TC_ACT_OK/TC_ACT_SHOT */
#define CG_MAPS_EGRESS		/* bpf/maps.bpf.h: cg_dst, cg_egress */

#include "ctx.bpf.h"
#include "maps.bpf.h"
#include "parse.bpf.h"
#include "verdict.bpf.h"

SEC("tc")
int csumguard_tc(struct __sk_buff *ctx)
{
	void *data = cg_ctx_data(ctx);
	void *data_end = cg_ctx_data_end(ctx);
	enum cg_iface_counter kind;
	struct cg_egress_stats *ifs;
	struct cg_pkt pk = {};
	int non_tunnel = 0;
	__u32 zero = 0;

	ifs = bpf_map_lookup_elem(&cg_egress, &zero);
	if (!ifs)
		return CG_ACT_PASS;
	ifs->c[CG_IF_FRAMES]++;
	kind = cg_frame_kind(cg_parse(data, data_end, cg_ctx_full_len(ctx), &pk), &pk,
			     &non_tunnel);
	if (kind < CG_IFACE_COUNTER_MAX)
		ifs->c[kind]++;
	return CG_ACT_PASS;
}

char LICENSE[] SEC("license") = "GPL";
