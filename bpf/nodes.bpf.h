/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nodes.bpf.h - known nodes in the XDP ingress datapath (issue 10): is a
 * tunnel frame's source a known node, did it arrive with the node's TTL, and
 * TTL learning. The maps are cg_nodes, cg_node_count, cg_ttl_seen and
 * cg_src_nodes (maps.bpf.h); user space owns their contents (lib/nodes.h,
 * lib/policy_run.c). Needs CG_MAPS_INGRESS.
 */
#ifndef CG_NODES_BPF_H
#define CG_NODES_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "csumguard.h"
#include "maps.bpf.h"

#ifndef CG_MAPS_INGRESS
#error "nodes.bpf.h is XDP ingress only: define CG_MAPS_INGRESS"
#endif

/* What a tunnel frame's TTL says about its known node. */
enum cg_ttl_state {
	CG_TTL_NONE = 0,	/* no known node, or its TTL is not known yet */
	CG_TTL_MATCH,		/* the node's expected TTL: the frame is evidence */
	CG_TTL_MISMATCH,	/* another TTL: counted ttl_mismatch, no evidence */
};

/* The known-node facts of one frame. */
struct cg_node_facts {
	__u8 known;		/* the source is a known node */
	__u8 unknown;		/* the set is not empty and the source is not in it */
	__u8 ttl;		/* the frame's IP TTL / hop limit */
	__u8 expect;		/* the node's expected TTL, 0: not known yet */
};

/*
 * The IP TTL (IPv4, byte 8) or hop limit (IPv6, byte 7) of the frame whose
 * fixed IP header parsing found at l3 (cg_pkt.l3, with have_src). 0 when it
 * is not in the linear area (it always is after a successful parse).
 */
static __always_inline __u8 cg_frame_ttl(void *data, void *data_end, __u32 l3, __u8 family)
{
	__u8 *ip;

	/* l3 is at most Ethernet + two VLAN tags (22): the bound keeps the
	 * verifier's range of data + l3 small. */
	if (l3 > 64)
		return 0;
	ip = (__u8 *)data + l3;
	if ((void *)(ip + 9) > data_end)
		return 0;
	return family == CG_AF_INET4 ? ip[8] : ip[7];
}

/*
 * Looks src up in the known nodes: nothing to say while the set is empty
 * (the count gate: an inlined array read, no hash lookup).
 */
static __always_inline void cg_node_lookup(const struct cg_addr *src, __u8 ttl,
					   struct cg_node_facts *nf)
{
	struct cg_node *node;
	__u32 zero = 0, *n;

	nf->known = 0;
	nf->unknown = 0;
	nf->ttl = ttl;
	nf->expect = 0;
	n = bpf_map_lookup_elem(&cg_node_count, &zero);
	if (!n || !*n)
		return;
	node = bpf_map_lookup_elem(&cg_nodes, src);
	if (!node) {
		nf->unknown = 1;
		return;
	}
	nf->known = 1;
	nf->expect = node->ttl;
}

/* The frame's TTL state for its known node (frames given verdict v). */
static __always_inline enum cg_ttl_state cg_ttl_state(const struct cg_node_facts *nf)
{
	if (!nf->known || !nf->expect)
		return CG_TTL_NONE;
	return nf->ttl == nf->expect ? CG_TTL_MATCH : CG_TTL_MISMATCH;
}

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

#endif /* CG_NODES_BPF_H */
