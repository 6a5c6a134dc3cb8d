// SPDX-License-Identifier: GPL-2.0
/*
 * csumguard.bpf.c - XDP ingress validator of outer UDP checksums of tunnel
 * traffic (VXLAN, Geneve, GUE), counted per source node. SPEC 2.
 *
 * Only the entry point lives here: parsing, sums, the verdict rule, the
 * per-source accounting and every map are the hook-neutral library in bpf/
 * (bpf/README.md), used here with the XDP context layer.
 *
 * Fail open: a frame we cannot parse, cannot sum or cannot account passes,
 * and is counted. Only two things are ever dropped: a bad tunnel frame in
 * drop mode, and a blocklisted source's frames that are not proven non-tunnel
 * (all its IP frames if its entry says so).
 */
#define CG_CTX_XDP		/* bpf/ctx.bpf.h: struct xdp_md, XDP_PASS/XDP_DROP */
#define CG_MAPS_INGRESS		/* bpf/maps.bpf.h: per-source tables, cg_iface */

#include "ctx.bpf.h"
#include "maps.bpf.h"
#include "parse.bpf.h"
#include "verdict.bpf.h"
#include "account.bpf.h"

/* SEC("xdp.frags") csumguard_xdp, or with -DCG_XDP_SINGLE_BUF SEC("xdp")
 * csumguard_xdpsb for kernels without multi-buffer XDP (bpf/ctx/xdp.bpf.h). */
SEC(CG_XDP_SEC)
int CG_XDP_PROG(struct xdp_md *ctx)
{
	void *data = cg_ctx_data(ctx);
	void *data_end = cg_ctx_data_end(ctx);
	__s64 linear_len = data_end - data;	/* 64-bit: no 32-bit pointer math */
	__u32 frame_len, zero = 0;
	enum cg_iface_counter kind, drop_reason = CG_IF_DROP_BAD;
	enum cg_parse_status st;
	enum cg_verdict v = CG_V_MALFORMED;
	struct cg_iface_stats *ifs;
	struct cg_config *cfg;
	struct cg_block *blk = NULL;
	struct cg_event ev;
	__u32 *nblocked;
	struct cg_pkt pk = {};
	/* Proven not tunnel traffic (cg_frame_kind): a blocked source loses
	 * every frame that is not proven so (SPEC 2.9). */
	int non_tunnel = 0;
	int drop = 0;

	ifs = bpf_map_lookup_elem(&cg_iface, &zero);
	cfg = bpf_map_lookup_elem(&cg_config, &zero);
	if (!ifs || !cfg)
		return CG_ACT_PASS;
	ifs->c[CG_IF_FRAMES]++;
	frame_len = cg_ctx_full_len(ctx);

	st = cg_parse(data, data_end, frame_len, &pk);
	kind = cg_frame_kind(st, &pk, &non_tunnel);
	if (!pk.have_src)
		goto out_pass;	/* no IP source: nothing to judge or block */
	if (kind == CG_IF_TUNNEL) {
		/* No checksum can be checked on a fragment. */
		if (st == CG_PARSE_UDP_FRAGMENT)
			v = CG_V_FRAGMENT;
		else if (udp_verdict(ctx, &pk, linear_len, &v))
			kind = CG_IF_UNCHECKED;
	}

	/* Action. A blocked source loses its tunnel frames in any mode, and
	 * every frame not proven non-tunnel (everything with an all-traffic
	 * block); a bad frame is dropped in drop mode. Nothing else is ever
	 * dropped. The blocklist lookup is skipped while the list is empty. */
	nblocked = bpf_map_lookup_elem(&cg_block_count, &zero);
	if (nblocked && *nblocked)
		blk = bpf_map_lookup_elem(&cg_blocklist, &pk.src);
	if (blk && (!non_tunnel || (blk->flags & CG_BLOCK_ALL_TRAFFIC))) {
		drop = 1;
		drop_reason = CG_IF_DROP_BLOCKED;
	} else if (kind == CG_IF_TUNNEL && v == CG_V_BAD && cfg->mode == CG_MODE_DROP) {
		drop = 1;
		drop_reason = CG_IF_DROP_BAD;
	}

	/* Per source: every verdict, and every frame the parser gave up on
	 * after the source was known (never silently: SPEC 2.9). */
	if (kind == CG_IF_TUNNEL || kind == CG_IF_UNPARSED) {
		ev.v = kind == CG_IF_TUNNEL ? v : CG_VERDICT_MAX;
		ev.bytes = frame_len;
		ev.dropped = drop;
		if (kind == CG_IF_TUNNEL && v < CG_VERDICT_MAX)
			ifs->verdict[v]++;
		if (account_source(&pk.src, &ev, blk != NULL, ifs))
			ifs->c[CG_IF_UNACCOUNTED]++;
	}
	if (kind < CG_IFACE_COUNTER_MAX)
		ifs->c[kind]++;
	if (drop && drop_reason < CG_IFACE_COUNTER_MAX) {
		ifs->c[drop_reason]++;
		return CG_ACT_DROP;
	}
	return CG_ACT_PASS;

out_pass:
	if (kind < CG_IFACE_COUNTER_MAX)
		ifs->c[kind]++;
	return CG_ACT_PASS;
}

char LICENSE[] SEC("license") = "GPL";
