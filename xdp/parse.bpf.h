/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parse.bpf.h - Ethernet/VLAN/IPv4/IPv6/UDP parsing for the XDP validator.
 * Each parser returns a kind (enum cg_iface_counter): CG_IF_TUNNEL means
 * "parsed, go on"; anything else ends the packet's journey as that kind.
 * The twin of these rules, in plain C, is loader/refcheck.c.
 */
#ifndef CG_PARSE_BPF_H
#define CG_PARSE_BPF_H

#include <linux/bpf.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "csumguard.h"
#include "cg_wire.h"

/* What the L3 parser learned. Offsets are from the start of the frame. */
struct cg_pkt {
	__u32 l4;		/* upper-layer header */
	__u32 ip_end;		/* just past the IP payload */
	__u64 pseudo;		/* pseudo-header sum without the UDP length */
	struct cg_addr src;
	__u8 proto;		/* upper-layer protocol */
	__u8 fragment;		/* a real fragment (not an IPv6 atomic one) */
	__u8 first_fragment;	/* fragment offset 0 */
	__u8 have_src;		/* the fixed IP header was readable: src is set,
				 * even when the rest fails to parse */
};

/* Skips up to CG_MAX_VLAN_TAGS tags. Returns the L3 EtherType (host order)
 * and sets *off to the L3 offset, or returns -1 if the frame is truncated or
 * carries more tags than we parse (0 is an EtherType like any other). */
static __always_inline int parse_eth(void *data, void *data_end, __u32 *off)
{
	__u8 *eth = data;
	__u16 proto;
	int i;

	if ((void *)(eth + CG_ETH_HLEN) > data_end)
		return -1;
	proto = bpf_ntohs(*(__be16 *)(eth + 12));
	*off = CG_ETH_HLEN;
#pragma unroll
	for (i = 0; i < CG_MAX_VLAN_TAGS; i++) {
		__u8 *tag = data + *off;

		if (proto != CG_ETH_P_8021Q && proto != CG_ETH_P_8021AD)
			break;
		if ((void *)(tag + CG_VLAN_HLEN) > data_end)
			return -1;
		proto = bpf_ntohs(*(__be16 *)(tag + 2));
		*off += CG_VLAN_HLEN;
	}
	if (proto == CG_ETH_P_8021Q || proto == CG_ETH_P_8021AD)
		return -1;	/* a third tag */
	return proto;
}

/* Native-order sum of an IPv6 address's eight 16-bit words (as 32-bit ones). */
static __always_inline __u64 sum_in6(const struct in6_addr *a)
{
	return (__u64)a->in6_u.u6_addr32[0] + a->in6_u.u6_addr32[1] +
	       a->in6_u.u6_addr32[2] + a->in6_u.u6_addr32[3];
}

static __always_inline enum cg_iface_counter
parse_ipv4(void *data, void *data_end, __u32 off, __u32 frame_len, struct cg_pkt *pk)
{
	struct iphdr *ip = data + off;
	__u32 ihl, tot;
	__u16 frag;

	if ((void *)(ip + 1) > data_end || ip->version != 4)
		return CG_IF_UNPARSED;
	/* The source is known from here on, whatever follows: the blocklist
	 * is decided on it (SPEC 2.9). */
	cg_addr_from_v4(&pk->src, &ip->saddr);
	pk->have_src = 1;
	ihl = ip->ihl * 4;
	tot = bpf_ntohs(ip->tot_len);
	if (ihl < CG_IPV4_MIN_HLEN || tot < ihl || off + tot > frame_len)
		return CG_IF_UNPARSED;
	frag = bpf_ntohs(ip->frag_off);
	pk->l4 = off + ihl;
	pk->ip_end = off + tot;
	pk->proto = ip->protocol;
	pk->fragment = (frag & (CG_IPV4_MF | CG_IPV4_OFFSET)) != 0;
	pk->first_fragment = (frag & CG_IPV4_OFFSET) == 0;
	/* Pseudo-header: saddr, daddr, zero + protocol; the UDP length is
	 * added by the caller. */
	pk->pseudo = (__u64)ip->saddr + ip->daddr + bpf_htons(CG_IPPROTO_UDP);
	return CG_IF_TUNNEL;
}

static __always_inline int ipv6_is_skipped_ext(__u8 nh)
{
	return nh == CG_IPPROTO_HOPOPTS || nh == CG_IPPROTO_DSTOPTS ||
	       nh == CG_IPPROTO_ROUTING;
}

static __always_inline enum cg_iface_counter
parse_ipv6(void *data, void *data_end, __u32 off, __u32 frame_len, struct cg_pkt *pk)
{
	struct ipv6hdr *ip6 = data + off;
	__u32 plen, l4;
	__u8 nh;
	int i;

	if ((void *)(ip6 + 1) > data_end || ip6->version != 6)
		return CG_IF_UNPARSED;
	cg_addr_from_v6(&pk->src, &ip6->saddr);	/* known from here on, as for IPv4 */
	pk->have_src = 1;
	plen = bpf_ntohs(ip6->payload_len);
	if (plen == 0 || off + CG_IPV6_HLEN + plen > frame_len)
		return CG_IF_UNPARSED;	/* jumbogram, or beyond the frame */
	pk->ip_end = off + CG_IPV6_HLEN + plen;
	/* Pseudo-header: saddr, daddr, next header (UDP); the caller adds
	 * the UDP length (the 32-bit length field sums the same). */
	pk->pseudo = sum_in6(&ip6->saddr) + sum_in6(&ip6->daddr) + bpf_htons(CG_IPPROTO_UDP);
	nh = ip6->nexthdr;
	l4 = off + CG_IPV6_HLEN;

	for (i = 0; i < CG_IPV6_MAX_EXT; i++) {
		__u8 *eh;

		if (!ipv6_is_skipped_ext(nh) && nh != CG_IPPROTO_FRAGMENT)
			break;
		if (l4 > CG_MAX_L4_OFF)
			return CG_IF_UNPARSED;
		eh = data + l4;
		if ((void *)(eh + 8) > data_end || l4 + 8 > pk->ip_end)
			return CG_IF_UNPARSED;
		if (nh == CG_IPPROTO_FRAGMENT) {
			__u16 fo = bpf_ntohs(*(__be16 *)(eh + 2));

			nh = eh[0];
			l4 += CG_IPV6_FRAG_HLEN;
			if (fo & (CG_IPV6_FRAG_OFFSET | CG_IPV6_FRAG_MF)) {
				pk->fragment = 1;
				pk->first_fragment = (fo & CG_IPV6_FRAG_OFFSET) == 0;
				break;
			}
			continue;	/* atomic fragment (RFC 6946): a whole datagram */
		}
		/* Segments left != 0: the checksum would cover the final
		 * destination, which we do not chase. Not judged. */
		if (nh == CG_IPPROTO_ROUTING && eh[3] != 0)
			return CG_IF_UNPARSED;
		nh = eh[0];
		l4 += ((__u32)eh[1] + 1) * 8;
		if (l4 > pk->ip_end)
			return CG_IF_UNPARSED;
	}
	if (!pk->fragment && (ipv6_is_skipped_ext(nh) || nh == CG_IPPROTO_FRAGMENT))
		return CG_IF_UNPARSED;	/* more extension headers than we skip */
	if (l4 > CG_MAX_L4_OFF)
		return CG_IF_UNPARSED;
	pk->proto = nh;
	pk->l4 = l4;
	return CG_IF_TUNNEL;
}

#endif /* CG_PARSE_BPF_H */
