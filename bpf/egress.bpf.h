/* SPDX-License-Identifier: GPL-2.0 */
/*
 * egress.bpf.h - the egress rule (SPEC 2 "TC egress"), for skb programs: the
 * state of a leaving tunnel datagram's outer UDP checksum, the destination
 * key, and the GSO tunnel metadata check (seed 003). The twin in plain C is
 * cg_ref_egress_classify() in ref/refcheck.c.
 *
 * The GSO seed rule, from the kernel source (net/ipv4/udp.c udp_set_csum,
 * net/ipv6/ip6_udp_tunnel.c udp6_set_csum, net/ipv4/udp_offload.c
 * __skb_udp_tunnel_segment; the same from 4.x to 6.18):
 *  - a GSO tunnel skb gets uh->check = ~udp_v4_check(len, saddr, daddr, 0)
 *    where len is the whole super-packet's UDP length (udp_tunnel_xmit_skb
 *    passes skb->len): the pseudo-header seed WITH the length, exactly the
 *    non-GSO CHECKSUM_PARTIAL seed;
 *  - segmentation (after TC egress, in validate_xmit_skb or the NIC) takes
 *    that length back out, partial = csum_sub(check, htonl(skb->len)), and
 *    adds each segment's own length.
 * So at TC egress a GSO skb normally carries the with-length seed. The
 * length-free seed (~csum_tcpudp_magic(saddr, daddr, 0, IPPROTO_UDP, 0)) is
 * what some drivers hand their NIC for tunnel TSO (i40e_tso: "remove payload
 * length from outer checksum"), after TC; a GSO skb that shows it here
 * (another TC program or a driver-like path upstream of us did that) is
 * offloaded too. For a non-GSO skb only the with-length seed is offloaded.
 */
#ifndef CG_EGRESS_BPF_H
#define CG_EGRESS_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "csumguard.h"
#include "cg_wire.h"
#include "ctx.bpf.h"
#include "maps.bpf.h"
#include "parse.bpf.h"
#include "verdict.bpf.h"
#include "facts.bpf.h"

#ifndef CG_CTX_SKB
#error "egress.bpf.h is for skb programs: define CG_CTX_SKB"
#endif

/*
 * Where the inner packet of a tunnel datagram starts, from its bytes: the
 * tunnel header's length (VXLAN 8; Geneve 8 + options; GUE v0 4 + options,
 * v1 0) and whether an inner Ethernet header follows (VXLAN; Geneve carrying
 * 0x6558). Returns 0; 1 when there is no inner packet to find (unknown
 * encapsulation, GUE control message or version); -1 when a byte could not
 * be read.
 */
static __always_inline int tunnel_inner(struct cg_ctx *ctx, __u32 l4, __u32 encap, __u32 *tnl,
					__u32 *l2)
{
	__u8 b[4];

	if (cg_ctx_load_bytes(ctx, l4 + CG_UDP_HLEN, b, 4))
		return -1;
	switch (encap) {
	case CG_ENCAP_VXLAN:
		*tnl = 8;
		*l2 = 1;
		return 0;
	case CG_ENCAP_GENEVE:
		*tnl = 8 + (b[0] & 0x3f) * 4;
		*l2 = bpf_ntohs(*(__be16 *)&b[2]) == CG_GENEVE_P_ETH;
		return 0;
	case CG_ENCAP_GUE:
		*l2 = 0;
		if ((b[0] >> 6) == 1) {
			*tnl = 0;	/* GUE v1: the inner IP header itself */
			return 0;
		}
		if ((b[0] >> 6) == 0 && !(b[0] & 0x20)) {
			*tnl = 4 + (b[0] & 0x1f) * 4;
			return 0;
		}
		return 1;	/* control message, or unknown version */
	default:
		return 1;
	}
}

/*
 * Local checksum offload (LCO, include/linux/skbuff.h lco_csum, used by
 * udp_set_csum when the inner L4 checksum is CHECKSUM_PARTIAL: inner UDP,
 * non-GSO inner TCP). The stack writes an outer checksum that is final for
 * the packet as it will be once the inner checksum is finished after TC
 * (by the NIC or skb_checksum_help), so at TC egress it does not verify
 * over the bytes as they are: the inner L4 region still holds its seed.
 * Finished, that region sums to ~seed whatever its bytes, so the outer field
 * is right iff
 *   pseudo-header + sum(outer UDP header .. inner L4 header) + ~inner seed
 * folds to 0xffff. Measured in the lab: without this rule every non-GSO
 * datagram of a TCP or UDP flow over kernel VXLAN counted final_bad.
 *
 * Global (verified once, scalars in, a scalar out) and only called once a
 * datagram failed the plain check. From the bytes alone (the same on 6.1
 * and with facts): the inner packet must be IPv4 (not a fragment) or IPv6
 * without extension headers carrying TCP or UDP, all inside the datagram.
 * Returns 1 (verifies so), 0 (does not, or no such inner packet), -1 (a
 * byte or the sum could not be read: unchecked, never a verdict).
 */
__noinline int cg_egress_lco(struct cg_ctx *ctx, __u32 l4, __u32 ulen, __u64 pseudo, __u32 dport)
{
	__s64 linear_len = cg_ctx_data_end(ctx) - cg_ctx_data(ctx);
	__u32 tnl, l2, inner, iphl, foff, end = l4 + ulen, *enc;
	__u8 ip[10];
	__be16 w;
	__u64 sum;
	int err;

	enc = bpf_map_lookup_elem(&cg_ports, &dport);
	if (!enc)
		return -1;
	if (ulen < CG_UDP_HLEN + 4)
		return 0;
	err = tunnel_inner(ctx, l4, *enc, &tnl, &l2);
	if (err)
		return err < 0 ? -1 : 0;
	inner = l4 + CG_UDP_HLEN + tnl;
	if (l2) {
		if (inner + CG_ETH_HLEN > end || cg_ctx_load_bytes(ctx, inner + 12, &w, 2))
			return inner + CG_ETH_HLEN > end ? 0 : -1;
		if (bpf_ntohs(w) == CG_ETH_P_8021Q) {
			if (inner + CG_ETH_HLEN + CG_VLAN_HLEN > end ||
			    cg_ctx_load_bytes(ctx, inner + 16, &w, 2))
				return inner + CG_ETH_HLEN + CG_VLAN_HLEN > end ? 0 : -1;
			inner += CG_VLAN_HLEN;
		}
		inner += CG_ETH_HLEN;
		if (bpf_ntohs(w) != CG_ETH_P_IP && bpf_ntohs(w) != CG_ETH_P_IPV6)
			return 0;
	}
	if (inner + sizeof(ip) > end || cg_ctx_load_bytes(ctx, inner, ip, sizeof(ip)))
		return inner + sizeof(ip) > end ? 0 : -1;
	if ((ip[0] >> 4) == 4) {
		iphl = (ip[0] & 0x0f) * 4;
		if (iphl < CG_IPV4_MIN_HLEN ||
		    (bpf_ntohs(*(__be16 *)&ip[6]) & (CG_IPV4_MF | CG_IPV4_OFFSET)))
			return 0;
		foff = ip[9] == CG_IPPROTO_TCP ? 16 : ip[9] == CG_IPPROTO_UDP ? 6 : 0;
	} else if ((ip[0] >> 4) == 6) {
		iphl = CG_IPV6_HLEN;
		foff = ip[6] == CG_IPPROTO_TCP ? 16 : ip[6] == CG_IPPROTO_UDP ? 6 : 0;
	} else {
		return 0;
	}
	inner += iphl;		/* the inner L4 header: csum_start */
	if (!foff || inner + foff + 2 > end)
		return 0;
	if (cg_ctx_load_bytes(ctx, inner + foff, &w, 2))
		return -1;
	if (inner > CG_MAX_L4_OFF || (__s64)inner > linear_len)
		return -1;	/* headers beyond the linear head: not summed */
	sum = cg_sum_linear(ctx, l4, inner - l4);
	if (sum & CG_SUM_ERR)
		return -1;
	sum += pseudo + (__u16)~w;
	return csum_fold64(sum) == 0xffff;
}

/*
 * State of one tunnel datagram's outer checksum (CG_PARSE_UDP). gso: the skb
 * is a GSO super-packet. Returns 0 with *s set, or -1 when the datagram could
 * not be summed ("unchecked": never a guess).
 *
 * A GSO super-packet is not summed: its field is a seed by construction
 * (the checksum of each segment is made later), and a sum over the
 * super-packet proves nothing about the segments. Zero is zero, either seed
 * is offloaded, anything else is final_bad (the segments will carry a
 * checksum finished from a wrong seed). A non-GSO datagram gets the XDP
 * verdict: ok -> final_ok, bad -> final_bad, unfinished (the seed) ->
 * offloaded.
 */
static __always_inline int egress_state(struct cg_ctx *ctx, const struct cg_pkt *pk,
					__s64 linear_len, int gso, enum cg_egress_state *s)
{
	enum cg_verdict v;
	__u64 dsum;

	if (gso) {
		if (udp_header_verdict(pk, &v))
			;
		else if (pk->udp_check == udp_seed(pk) ||
			 pk->udp_check == csum_fold64(pk->pseudo))
			v = CG_V_UNFINISHED;
		else
			v = CG_V_BAD;
	} else if (udp_verdict(ctx, pk, linear_len, &v, &dsum)) {
		return -1;
	} else if (v == CG_V_BAD) {
		/* final for the packet as the NIC will send it (LCO) */
		int lco = cg_egress_lco(ctx, pk->l4, bpf_ntohs(pk->udp_len),
					pk->pseudo + pk->udp_len, pk->dport);

		if (lco < 0)
			return -1;
		if (lco)
			v = CG_V_OK;
	}
	switch (v) {
	case CG_V_OK:
		*s = CG_E_FINAL_OK;
		break;
	case CG_V_BAD:
		*s = CG_E_FINAL_BAD;
		break;
	case CG_V_UNFINISHED:
		*s = CG_E_OFFLOADED;
		break;
	case CG_V_ZERO:
		*s = CG_E_ZERO;
		break;
	default:
		*s = CG_E_MALFORMED;
		break;
	}
	return 0;
}

/* The outer destination address (the parser checked the fixed IP header is
 * in the linear bytes; checked again here for the verifier). 0 or -1. */
static __always_inline int egress_dst(void *data, void *data_end, const struct cg_pkt *pk,
				      struct cg_addr *dst)
{
	if (pk->family == CG_AF_INET4) {
		__u8 *a = pkt_at(data, pk->l3 + 16, 4);

		barrier_var(a);
		if (!a || (void *)(a + 4) > data_end)
			return -1;
		cg_addr_from_v4(dst, a);
		return 0;
	}
	if (pk->family == CG_AF_INET6) {
		__u8 *a = pkt_at(data, pk->l3 + 24, 16);

		barrier_var(a);
		if (!a || (void *)(a + 16) > data_end)
			return -1;
		cg_addr_from_v6(dst, a);
		return 0;
	}
	return -1;
}

/*
 * GSO tunnel metadata (seed 003). The kernel segments a GSO tunnel skb by
 * its metadata, not by its bytes: __skb_udp_tunnel_segment takes the tunnel
 * header length as inner_mac_header - transport_header, and the inner
 * segmentation starts at inner_network_header. Metadata that disagrees with
 * the bytes (the seed: a stale inner_mac_header made that length negative)
 * gets the packet dropped inside the sender's kernel, or segmented wrong.
 *
 * For a GSO skb whose bytes are a tunnel datagram to port table entry
 * encap, the metadata must say: encapsulation set; transport_header at the
 * outer UDP header; inner_mac_header right after the tunnel header (its
 * length read from the packet: VXLAN 8, Geneve 8 + options, GUE v0 4 +
 * options, GUE v1 0); inner_network_header after the inner Ethernet header
 * (VXLAN, Geneve carrying Ethernet; 14 bytes, 18 with one 802.1Q tag) or at
 * inner_mac_header (GUE, Geneve carrying IP); an IPv4 or IPv6 header there;
 * inner_transport_header after it (IPv4: its IHL; IPv6: 40 bytes or more).
 *
 * Returns 1 when the metadata disagrees, 0 when it agrees, -1 when it could
 * not be checked (a byte could not be read, a GUE control message, the frame
 * does not start at the MAC header): -1 is never counted as bad. want gets
 * where the headers really are, as far as the check got (-1: not reached).
 */
static __always_inline int gso_meta_bad(struct cg_ctx *ctx, const struct cg_pkt *pk,
					const struct cg_facts *f, struct cg_gso_meta_event *want)
{
	__u32 port = pk->dport, *enc, tnl, l2;
	__s32 inner;
	__u8 ip0;
	__be16 et;

	want->want_transport = (__s32)pk->l4;
	want->want_inner_mac = -1;
	want->want_inner_net = -1;
	if (!f->frame_at_mac)
		return -1;
	enc = bpf_map_lookup_elem(&cg_ports, &port);
	if (enc && !tunnel_inner(ctx, pk->l4, *enc, &tnl, &l2))
		want->want_inner_mac = (__s32)pk->l4 + CG_UDP_HLEN + (__s32)tnl;
	if (!f->encapsulation)
		return 1;	/* a tunnel datagram the kernel will segment as plain */
	if (f->transport != (__s32)pk->l4)
		return 1;
	if (want->want_inner_mac < 0)
		return -1;	/* unreadable, or no inner packet to compare with */
	inner = want->want_inner_mac;
	if (f->inner_mac != inner)
		return 1;
	if (l2) {
		if (cg_ctx_load_bytes(ctx, (__u32)inner + 12, &et, 2))
			return -1;
		inner += bpf_ntohs(et) == CG_ETH_P_8021Q ? CG_ETH_HLEN + CG_VLAN_HLEN : CG_ETH_HLEN;
	}
	want->want_inner_net = inner;
	if (f->inner_net != inner)
		return 1;
	if (cg_ctx_load_bytes(ctx, (__u32)inner, &ip0, 1))
		return -1;
	if ((ip0 >> 4) == 4)
		return f->inner_trans != inner + (ip0 & 0x0f) * 4;
	if ((ip0 >> 4) == 6)
		return f->inner_trans < inner + CG_IPV6_HLEN;
	return 1;	/* no IP header where inner_network_header points */
}

#endif /* CG_EGRESS_BPF_H */
