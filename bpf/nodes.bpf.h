/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nodes.bpf.h - known nodes in the XDP ingress datapath (issue 10): is a
 * frame's source a known node, is a tunnel frame's sender unknown, did it
 * arrive with the node's TTL, and TTL learning. The maps are cg_nodes,
 * cg_node_count, cg_ttl_seen and cg_src_nodes (maps.bpf.h); user space owns
 * their contents (lib/nodes.h, lib/policy_run.c). The twin in plain C is the
 * known-node part of cg_ref_classify() in ref/refcheck.c. Needs
 * CG_MAPS_INGRESS and the context layer (ctx.bpf.h).
 *
 * One global function, cg_node_judge(): verified once, on its own, with
 * unknown arguments. Inlined, its branches came after every path the
 * verdict and the inner checks split the program into, and took the XDP
 * program from 171k to 689k instructions processed on 6.18, and to 968k of
 * the 1M limit on 6.1 (measured 2026-11-29); as a call it adds a few
 * thousand. The caller reads the count gate inline first, so a frame
 * pays no call while no node is known. Its arguments are scalars (and the context): global functions
 * with other pointer arguments need 5.12, and the single-buffer variant
 * runs from 5.10. It reads the source address again from the packet (the
 * parser checked the fixed IP header is in the linear area) rather than
 * take a pointer to it.
 */
#ifndef CG_NODES_BPF_H
#define CG_NODES_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "csumguard.h"
#include "ctx.bpf.h"
#include "maps.bpf.h"
#include "pkt.bpf.h"

#ifndef CG_MAPS_INGRESS
#error "nodes.bpf.h is XDP ingress only: define CG_MAPS_INGRESS"
#endif

/* What the known nodes say of one frame: cg_node_judge()'s bits. */
#define CG_NB_KNOWN		(1U << 0)	/* a known node: its rows live in cg_src_nodes */
#define CG_NB_UNKNOWN		(1U << 1)	/* a tunnel frame's sender is not a known node */
#define CG_NB_MISMATCH		(1U << 2)	/* a known node's tunnel frame with another TTL */
#define CG_NB_EV_CHECKED	(1U << 3)	/* a checked frame (ok, bad, unfinished) with the
						 * node's TTL: the auto-block policy's evidence */
#define CG_NB_EV_BAD		(1U << 4)	/* of the evidence, bad */
#define CG_NB_DROP		(1U << 5)	/* an unknown sender, and --drop-unknown */

/* cg_node_judge()'s arguments, packed into two scalars. */
#define CG_NODE_WHERE(l3, family)	((__u32)(l3) | (__u32)(family) << 16)
#define CG_NODE_WHAT(kind, fragment, v, cfg_flags) \
	((__u32)(kind) | (__u32)!!(fragment) << 8 | (__u32)(v) << 16 | \
	 (__u32)!!((cfg_flags) & CG_CFG_DROP_UNKNOWN) << 24)

/*
 * TTL learning: one ok frame from a known address whose TTL is not known
 * yet, counted by the TTL it arrived with. Only ok frames (a valid outer
 * checksum) teach; user space decides (95 % of at least 100) and empties
 * the map. A full map teaches nothing more: learning stalls, nothing is
 * judged (there is no evidence without a TTL), the frame passes.
 */
static __always_inline void cg_ttl_learn(const struct cg_addr *src, __u8 ttl)
{
	struct cg_ttl_key k;
	__u64 one = 1, *c;

	__builtin_memset(&k, 0, sizeof(k));
	k.addr = *src;
	k.ttl = ttl;
	c = bpf_map_lookup_elem(&cg_ttl_seen, &k);
	if (c) {
		__sync_fetch_and_add(c, 1);
		return;
	}
	/* Another CPU may insert it first: then add to its entry. */
	if (bpf_map_update_elem(&cg_ttl_seen, &k, &one, BPF_NOEXIST)) {
		c = bpf_map_lookup_elem(&cg_ttl_seen, &k);
		if (c)
			__sync_fetch_and_add(c, 1);
	}
}

/*
 * The known-node bits (CG_NB_*) of a frame the program accounts to its
 * source: where = CG_NODE_WHERE(the IP header's offset, its family), what =
 * CG_NODE_WHAT(its kind: CG_IF_TUNNEL, _UNPARSED or _UNVERIFIED; a UDP
 * fragment; its verdict; cg_config.flags: --drop-unknown makes an unknown
 * sender CG_NB_DROP too, one bit for the caller to test). 0 while no node is
 * known (the count gate: an
 * inlined array read, no hash lookup). Every frame of a known node is
 * CG_NB_KNOWN; only a tunnel datagram, sampled out or not, is judged for
 * its sender - never a fragment (it may belong to any traffic: a non-first
 * one has no port) or an unparsed frame (no port was seen). The TTL is the
 * IPv4 TTL or the IPv6 hop limit.
 */
__noinline __u32 cg_node_judge(struct cg_ctx *ctx, __u32 where, __u32 what)
{
	void *data = cg_ctx_data(ctx), *data_end = cg_ctx_data_end(ctx);
	__u32 l3 = where & 0xffff, family = where >> 16 & 0xff;
	__u32 kind = what & 0xff, fragment = what >> 8 & 1, v = what >> 16 & 0xff;
	__u32 drop_unknown = what >> 24 & 1;
	struct cg_addr src;
	struct cg_node *node;
	__u32 zero = 0, *n, bits;
	__u8 *ip, ttl;

	n = bpf_map_lookup_elem(&cg_node_count, &zero);
	if (!n || !*n)
		return 0;
	if (kind != CG_IF_TUNNEL && kind != CG_IF_UNPARSED && kind != CG_IF_UNVERIFIED)
		return 0;
	if (family == CG_AF_INET4) {
		ip = pkt_in(data, data_end, l3, 20);
		if (!ip)
			return 0;
		cg_addr_from_v4(&src, ip + 12);
		ttl = ip[8];
	} else if (family == CG_AF_INET6) {
		ip = pkt_in(data, data_end, l3, 40);
		if (!ip)
			return 0;
		cg_addr_from_v6(&src, ip + 8);
		ttl = ip[7];
	} else {
		return 0;
	}
	node = bpf_map_lookup_elem(&cg_nodes, &src);
	if (kind == CG_IF_UNPARSED || fragment)
		return node ? CG_NB_KNOWN : 0;
	if (!node)
		return CG_NB_UNKNOWN | (drop_unknown ? CG_NB_DROP : 0);
	bits = CG_NB_KNOWN;
	if (!node->ttl) {
		/* learning: only ok frames teach a TTL */
		if (kind == CG_IF_TUNNEL && v == CG_V_OK)
			cg_ttl_learn(&src, ttl);
		return bits;
	}
	if (ttl != node->ttl)
		return bits | CG_NB_MISMATCH;
	if (kind == CG_IF_TUNNEL && (v == CG_V_OK || v == CG_V_BAD || v == CG_V_UNFINISHED)) {
		bits |= CG_NB_EV_CHECKED;
		if (v == CG_V_BAD)
			bits |= CG_NB_EV_BAD;
	}
	return bits;
}

#endif /* CG_NODES_BPF_H */
