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
 * drop mode (not one repair mode fixed), and a blocklisted source's frames
 * that are not proven non-tunnel (all its IP frames if its entry says so).
 * The one write: repair mode (CG_CFG_REPAIR) rewrites the outer UDP
 * checksum of a bad_outer_only frame (bpf/inner.bpf.h), which then passes.
 *
 * CG_BENCH_*: switches for `make bench-packet` only (bench/README.md, "The
 * fixed cost per packet, decomposed"), never set by the product's build:
 * each builds this program with one part skipped (NO_CSUM: verdict ok
 * without the sum; NO_BLOCKLIST, NO_CONFIG, NO_IFACE, NO_ACCOUNT) or
 * stopped early (UPTO_ENTRY, UPTO_PARSE), so the parts' costs are measured
 * from these very sources.
 */
#define CG_CTX_XDP		/* bpf/ctx.bpf.h: struct xdp_md, XDP_PASS/XDP_DROP */
#define CG_MAPS_INGRESS		/* bpf/maps.bpf.h: per-source tables, cg_iface */

#include "ctx.bpf.h"
#include "maps.bpf.h"
#include "parse.bpf.h"
#include "verdict.bpf.h"
#include "inner.bpf.h"
#include "account.bpf.h"
#include "trace.bpf.h"
#include "nodes.bpf.h"

/* Sampling (cg_config.sample = n > 1): whether this CPU verifies this tunnel
 * frame; the first of every n is verified. No state: verify (fail open to
 * the full check). */
static __always_inline int sample_take(__u32 n)
{
	struct cg_sample_state *s;
	__u32 zero = 0;

	s = bpf_map_lookup_elem(&cg_sample, &zero);
	if (!s)
		return 1;
	if (s->left == 0) {
		s->left = n - 1;
		return 1;
	}
	s->left--;
	return 0;
}

#ifdef CG_BENCH_NO_IFACE
static struct cg_iface_stats cg_bench_ifs;	/* bench build only (see the top) */
#endif

/* SEC("xdp.frags") csumguard_xdp, or with -DCG_XDP_SINGLE_BUF SEC("xdp")
 * csumguard_xdpsb for kernels without multi-buffer XDP, or with
 * -DCG_CSUM_LARGE csumguard_xdplc, 6.13+'s large checksum chunks
 * (bpf/ctx/xdp.bpf.h). */
SEC(CG_XDP_SEC)
int CG_XDP_PROG(struct xdp_md *ctx)
{
	void *data = cg_ctx_data(ctx);
	void *data_end = cg_ctx_data_end(ctx);
	__s64 linear_len = data_end - data;	/* 64-bit: no 32-bit pointer math */
	__u32 frame_len, zero = 0, encap, sum;
	enum cg_iface_counter kind, drop_reason = CG_IF_DROP_BAD;
	enum cg_parse_status st;
	enum cg_verdict v = CG_V_MALFORMED;
	struct cg_iface_stats *ifs;
	struct cg_config *cfg;
	struct cg_block *blk = NULL;
	struct cg_event ev = {};
	__u32 *nblocked;
	struct cg_pkt pk = {};
	__u64 dsum = 0;
	__u32 nodes = 0, *nnodes;	/* CG_NB_* of bpf/nodes.bpf.h */
	/* Proven not tunnel traffic (cg_frame_kind): a blocked source loses
	 * every frame that is not proven so (SPEC 2.9). */
	int non_tunnel = 0;
	int drop = 0, in, repair = 0;

#ifdef CG_BENCH_NO_IFACE
	ifs = &cg_bench_ifs;	/* a global: no per-CPU array lookup */
#else
	ifs = bpf_map_lookup_elem(&cg_iface, &zero);
#endif
#ifdef CG_BENCH_NO_CONFIG
	struct cg_config cfg_local = { .mode = CG_MODE_MONITOR };
	cfg = &cfg_local;
#else
	cfg = bpf_map_lookup_elem(&cg_config, &zero);
#endif
	if (!ifs || !cfg)
		return CG_ACT_PASS;
	ifs->c[CG_IF_FRAMES]++;
	frame_len = cg_ctx_full_len(ctx);
#ifdef CG_BENCH_UPTO_ENTRY
	if (frame_len)
		return CG_ACT_PASS;
#endif

	st = cg_parse(data, data_end, frame_len, &pk);
	kind = cg_frame_kind(st, &pk, &non_tunnel);
#ifdef CG_BENCH_UPTO_PARSE
	if (kind == CG_IF_TUNNEL)
		return CG_ACT_PASS;
#endif
	if (!pk.have_src)
		goto out_pass;	/* no IP source: nothing to judge or block */
	/* A frame to a tunnel port whose IP or UDP header does not hold up
	 * is its source's malformed (SPEC 2.4), not only unparsed. */
	if (st == CG_PARSE_UDP_BROKEN && pk.has_dport && cg_tunnel_port(pk.dport))
		kind = CG_IF_TUNNEL;
	/* Sampling: the others pass unverified (blocklist still applies). */
	if (kind == CG_IF_TUNNEL && cfg->sample > 1 && !sample_take(cfg->sample))
		kind = CG_IF_UNVERIFIED;
	ev.sub = CG_BAD_CLASS_MAX;
	if (kind == CG_IF_TUNNEL) {
		/* Exclusive verdicts, in the order the receiving kernel drops:
		 * a failing IPv4 header checksum first (ip_rcv_core). */
		if (pk.family == CG_AF_INET4 && ipv4_hdr_bad(ctx, &pk))
			v = CG_V_BAD_IP_HEADER;
		else if (st == CG_PARSE_UDP_FRAGMENT)
			v = CG_V_FRAGMENT;	/* no checksum can be checked */
		else if (st == CG_PARSE_UDP_BROKEN)
			v = CG_V_MALFORMED;
#ifdef CG_BENCH_NO_CSUM
		else
			v = CG_V_OK + 0 * linear_len;
#else
		else if (udp_verdict(ctx, &pk, linear_len, &v, &dsum))
			kind = CG_IF_UNCHECKED;
#endif
		/* What the inner packet says: only a bad frame (its datagram
		 * sum is reused) and a zero-checksum one (SPEC 2.7, 2.8). The
		 * ok path never gets here. */
		if (kind == CG_IF_TUNNEL && (v == CG_V_BAD || v == CG_V_ZERO)) {
			encap = cg_tunnel_encap(pk.dport);
			sum = v == CG_V_BAD ? csum_fold64(dsum) : 0;
			in = cg_inner_check(ctx, pk.l4, bpf_ntohs(pk.udp_len), encap, sum);
			if (in < 0 || in >= CG_ZERO_INNER_MAX)
				in = CG_ZI_UNCHECKED;
			if (v == CG_V_ZERO)
				ev.sub = in;
			else
				ev.sub = in == CG_ZI_OK ? CG_BC_OUTER_ONLY :
					 in == CG_ZI_BAD ? CG_BC_PAYLOAD : CG_BC_UNCLASSIFIED;
			/* Repair mode: only a bad_outer_only frame, whose payload
			 * is intact, gets its outer checksum rewritten. */
			repair = v == CG_V_BAD && ev.sub == CG_BC_OUTER_ONLY &&
				 (cfg->flags & CG_CFG_REPAIR);
		}
	}

	/* Trace (bpf/trace.bpf.h): bad frames only, before repair rewrites
	 * the field, with the checksum the verdict computed. */
	if (kind == CG_IF_TUNNEL && (v == CG_V_BAD || v == CG_V_BAD_IP_HEADER ||
				     (v == CG_V_UNFINISHED &&
				      (cfg->flags & CG_CFG_TRACE_UNFINISHED)))) {
		__u32 flags = 0, exp = 0, t;

		if (v != CG_V_BAD_IP_HEADER) {
			exp = cg_repair_csum(pk.pseudo + pk.udp_len, csum_fold64(dsum),
					     pk.udp_check);
			flags = CG_TRACE_F_EXPECTED | (repair ? CG_TRACE_F_REPAIRED : 0);
		}
		t = cg_trace_emit(ctx, pk.l3 << 16 | (pk.l4 & 0xffff),
				  v | (ev.sub & 0xff) << 8 | cg_tunnel_encap(pk.dport) << 16 |
				  flags << 24, (__u32)pk.udp_check << 16 | exp, pk.dport);
		if (t == CG_TRACE_SUPPRESSED)
			ifs->c[CG_IF_TRACE_SUPPRESSED]++;
		else if (t == CG_TRACE_LOST)
			ifs->c[CG_IF_TRACE_LOST]++;
	}
	/* Known nodes (bpf/nodes.bpf.h): is the source one (then every row of
	 * it lives in cg_src_nodes), and for a tunnel datagram, sampled out or
	 * not, is its sender unknown, did it come with the node's TTL. */
	nnodes = bpf_map_lookup_elem(&cg_node_count, &zero);
	if (nnodes && *nnodes)	/* the gate inline: no call while no node is known */
		nodes = cg_node_judge(ctx, CG_NODE_WHERE(pk.l3, pk.family),
				      CG_NODE_WHAT(kind, st == CG_PARSE_UDP_FRAGMENT, v,
						   cfg->flags));

	/* Action. A blocked source loses its tunnel frames in any mode, and
	 * every frame not proven non-tunnel (everything with an all-traffic
	 * block); with --drop-unknown an unknown sender loses its tunnel
	 * datagrams; a bad frame is dropped in drop mode unless repaired.
	 * Nothing else is ever dropped. The blocklist lookup is skipped while
	 * the list is empty; an entry past its expiry is no block (user space
	 * purges it). */
#ifndef CG_BENCH_NO_BLOCKLIST
	nblocked = bpf_map_lookup_elem(&cg_block_count, &zero);
	if (nblocked && *nblocked)
		blk = bpf_map_lookup_elem(&cg_blocklist, &pk.src);
	if (blk && blk->expires_ns && bpf_ktime_get_boot_ns() >= blk->expires_ns)
		blk = NULL;
#else
	(void)nblocked;
#endif
	if (blk && (!non_tunnel || (blk->flags & CG_BLOCK_ALL_TRAFFIC))) {
		drop = 1;
		drop_reason = CG_IF_DROP_BLOCKED;
		repair = 0;
	} else if (nodes & CG_NB_DROP) {	/* an unknown sender, --drop-unknown */
		drop = 1;
		drop_reason = CG_IF_DROP_UNKNOWN;
		repair = 0;
	} else if (kind == CG_IF_TUNNEL && v == CG_V_BAD && !repair &&
		   cfg->mode == CG_MODE_DROP) {
		drop = 1;
		drop_reason = CG_IF_DROP_BAD;
	}
	if (repair) {
		__u16 *field = (__u16 *)pkt_in(data, data_end, pk.l4 + 6, 2);

		if (field)
			*field = cg_repair_csum(pk.pseudo + pk.udp_len, csum_fold64(dsum),
					       pk.udp_check);
		else
			repair = 0;	/* cannot happen: the parser read it */
	}

	/* Per source: every verdict, every frame the parser gave up on after
	 * the source was known, every frame sampling let pass (never
	 * silently: SPEC 2.9). */
	if (kind == CG_IF_TUNNEL || kind == CG_IF_UNPARSED || kind == CG_IF_UNVERIFIED) {
		ev.row = kind == CG_IF_TUNNEL ? CG_ROW_VERDICT :
			 kind == CG_IF_UNPARSED ? CG_ROW_UNPARSED : CG_ROW_UNVERIFIED;
		ev.v = v;
		ev.bytes = frame_len;
		ev.dropped = drop;
		ev.repaired = repair;
		ev.nodes = nodes;
		ifs->c[CG_IF_UNKNOWN_SENDER] += nodes >> 1 & 1;	/* no branches: nodes.bpf.h */
		ifs->c[CG_IF_TTL_MISMATCH] += nodes >> 2 & 1;
		if (kind == CG_IF_TUNNEL && v < CG_VERDICT_MAX) {
			ifs->verdict[CG_IDX_VERDICT(v)]++;
			if (v == CG_V_BAD && ev.sub < CG_BAD_CLASS_MAX)
				ifs->bad_class[CG_IDX_CLASS(ev.sub)]++;
			else if (v == CG_V_ZERO && ev.sub < CG_ZERO_INNER_MAX)
				ifs->zero_inner[CG_IDX_ZERO_INNER(ev.sub)]++;
		}
		if (repair)
			ifs->c[CG_IF_REPAIRED]++;
#ifndef CG_BENCH_NO_ACCOUNT
		if (account_source(&pk.src, &ev, blk != NULL, ifs))
			ifs->c[CG_IF_UNACCOUNTED]++;
#endif
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
