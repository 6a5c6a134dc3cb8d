/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parse.bpf.h - Ethernet/VLAN/IPv4/IPv6/UDP header parsing, for any hook.
 * Written against the linear bytes data..data_end and the frame's full
 * length only (no context, no maps): cg_parse() walks the headers of one
 * frame, fills a struct cg_pkt and says how far it got (enum
 * cg_parse_status). What that means for a frame (tunnel or not, verdict,
 * counters) is decided elsewhere (bpf/verdict.bpf.h).
 * The twin of these rules, in plain C, is ref/refcheck.c.
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
#include "pkt.bpf.h"

/* How far cg_parse() got with a frame. */
enum cg_parse_status {
	CG_PARSE_UDP = 0,	/* a UDP datagram, not a fragment, whose whole
				 * header is at pk->l4 in the linear bytes:
				 * dport, udp_len and udp_check are set */
	CG_PARSE_UDP_FRAGMENT,	/* an IP fragment of a UDP datagram; has_dport
				 * when it is the first and shows the port */
	CG_PARSE_OTHER_L4,	/* an IP packet or fragment of another protocol */
	CG_PARSE_NOT_IP,	/* an EtherType other than IPv4 and IPv6 */
	CG_PARSE_ERROR,		/* headers truncated or inconsistent, or more
				 * of them than we follow; have_src says
				 * whether the source was read before that */
	CG_PARSE_UDP_BROKEN,	/* a UDP frame whose IP header does not hold up
				 * (IPv4: IHL < 5, total length below the header
				 * or beyond the frame; IPv6 with UDP right after
				 * the fixed header: payload length 0 or beyond
				 * the frame) or whose UDP header the IP length
				 * cuts short. have_src is set; has_dport when
				 * the destination port's 2 bytes are readable
				 * where the UDP header would be (SPEC 2.4:
				 * malformed attribution, ingress only) */
};

/* What the parser learned. Offsets are from the start of the frame. Zero it
 * before cg_parse(): fields it does not reach stay 0. */
struct cg_pkt {
	__u32 l3;		/* IP header (set with have_src) */
	__u32 l4;		/* upper-layer header */
	__u32 ip_end;		/* just past the IP payload */
	__u64 pseudo;		/* pseudo-header sum without the UDP length */
	struct cg_addr src;
	__u8 proto;		/* upper-layer protocol */
	__u8 fragment;		/* a real fragment (not an IPv6 atomic one) */
	__u8 first_fragment;	/* fragment offset 0 */
	__u8 have_src;		/* the fixed IP header was readable: src is set,
				 * even when the rest fails to parse */
	__u8 family;		/* CG_AF_INET4 or CG_AF_INET6, with have_src: the
				 * destination address is at l3 + 16 or l3 + 24
				 * (TC egress keys its table by it) */
	__u8 has_dport;		/* dport is set (CG_PARSE_UDP, a first
				 * fragment that shows it, or CG_PARSE_UDP_BROKEN) */
	__u8 broken;		/* UDP, and the IP header does not hold up */
	__u8 ip_hl;		/* IPv4: the header length from IHL, bytes */
	__u64 ip_hsum;		/* IPv4, ingress (CG_MAPS_INGRESS): the sum of the
				 * fixed 20 header bytes, checksum field included:
				 * the outer IPv4 header check (bad_ip_header) */
	__u16 dport;		/* UDP destination port, host order */
	__be16 udp_len;		/* UDP length and checksum fields, as on the */
	__sum16 udp_check;	/* wire (CG_PARSE_UDP) */
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

/* The destination port of a UDP header at frame offset off, when its 2
 * bytes are in the linear area: for CG_PARSE_UDP_BROKEN. */
static __always_inline void broken_dport(void *data, void *data_end, __u32 off,
					 struct cg_pkt *pk)
{
	__be16 *port = pkt_at(data, off + 2, 2);

	barrier_var(port);
	if (port && (void *)(port + 1) <= data_end) {
		pk->dport = bpf_ntohs(*port);
		pk->has_dport = 1;
	}
}

/* The IP parsers return 0 when the upper-layer header's offset and protocol
 * are known (pk->l4, pk->proto), else -1 (with pk->broken set for a UDP
 * frame whose IP header does not hold up). */
static __always_inline int
parse_ipv4(void *data, void *data_end, __u32 off, __u32 frame_len, struct cg_pkt *pk)
{
	struct iphdr *ip = data + off;
	__u32 ihl, tot;
	__u16 frag;

	if ((void *)(ip + 1) > data_end || ip->version != 4)
		return -1;
	/* The source is known from here on, whatever follows: the blocklist
	 * is decided on it (SPEC 2.9). */
	cg_addr_from_v4(&pk->src, &ip->saddr);
	pk->have_src = 1;
	pk->family = CG_AF_INET4;
	pk->l3 = off;
	ihl = ip->ihl * 4;
	tot = bpf_ntohs(ip->tot_len);
	pk->ip_hl = ihl;
#ifdef CG_MAPS_INGRESS
	/* The fixed header's five words while they are at hand (bounds
	 * checked above): the ingress verdict bad_ip_header costs five adds
	 * on the ok path, not a call (verdict.bpf.h ipv4_hdr_bad). */
	{
		const __u32 *w = (const __u32 *)ip;

		pk->ip_hsum = (__u64)w[0] + w[1] + w[2] + w[3] + w[4];
	}
#endif
	if (ihl < CG_IPV4_MIN_HLEN || tot < ihl || off + tot > frame_len) {
		/* The UDP header would be at the IHL offset, or right after
		 * the fixed header when IHL < 5 (SPEC 2.4). */
		if (ip->protocol == CG_IPPROTO_UDP) {
			pk->broken = 1;
			pk->proto = CG_IPPROTO_UDP;
			broken_dport(data, data_end,
				     off + (ihl < CG_IPV4_MIN_HLEN ? CG_IPV4_MIN_HLEN : ihl), pk);
		}
		return -1;
	}
	frag = bpf_ntohs(ip->frag_off);
	pk->l4 = off + ihl;
	pk->ip_end = off + tot;
	pk->proto = ip->protocol;
	pk->fragment = (frag & (CG_IPV4_MF | CG_IPV4_OFFSET)) != 0;
	pk->first_fragment = (frag & CG_IPV4_OFFSET) == 0;
	/* Pseudo-header: saddr, daddr, zero + protocol; the UDP length is
	 * added by the caller. */
	pk->pseudo = (__u64)ip->saddr + ip->daddr + bpf_htons(CG_IPPROTO_UDP);
	return 0;
}

static __always_inline int ipv6_is_skipped_ext(__u8 nh)
{
	return nh == CG_IPPROTO_HOPOPTS || nh == CG_IPPROTO_DSTOPTS ||
	       nh == CG_IPPROTO_ROUTING;
}

static __always_inline int
parse_ipv6(void *data, void *data_end, __u32 off, __u32 frame_len, struct cg_pkt *pk)
{
	struct ipv6hdr *ip6 = data + off;
	__u32 plen, l4;
	__u8 nh;
	int i;

	if ((void *)(ip6 + 1) > data_end || ip6->version != 6)
		return -1;
	cg_addr_from_v6(&pk->src, &ip6->saddr);	/* known from here on, as for IPv4 */
	pk->have_src = 1;
	pk->family = CG_AF_INET6;
	pk->l3 = off;
	plen = bpf_ntohs(ip6->payload_len);
	if (plen == 0 || off + CG_IPV6_HLEN + plen > frame_len) {
		/* jumbogram, or beyond the frame; UDP right after the fixed
		 * header: a broken UDP frame (SPEC 2.4) */
		if (ip6->nexthdr == CG_IPPROTO_UDP) {
			pk->broken = 1;
			pk->proto = CG_IPPROTO_UDP;
			broken_dport(data, data_end, off + CG_IPV6_HLEN, pk);
		}
		return -1;
	}
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
			return -1;
		eh = data + l4;
		if ((void *)(eh + 8) > data_end || l4 + 8 > pk->ip_end)
			return -1;
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
			return -1;
		nh = eh[0];
		l4 += ((__u32)eh[1] + 1) * 8;
		if (l4 > pk->ip_end)
			return -1;
	}
	if (!pk->fragment && (ipv6_is_skipped_ext(nh) || nh == CG_IPPROTO_FRAGMENT))
		return -1;	/* more extension headers than we skip */
	if (l4 > CG_MAX_L4_OFF)
		return -1;
	pk->proto = nh;
	pk->l4 = l4;
	return 0;
}

/*
 * Parses one frame: Ethernet, up to CG_MAX_VLAN_TAGS tags, IPv4 or IPv6 (with
 * up to CG_IPV6_MAX_EXT extension headers), and the UDP header or, for a
 * first fragment, its ports. frame_len is the whole frame (beyond the linear
 * bytes, for multi-buffer frames): IP lengths are checked against it; every
 * header must be in the linear bytes.
 */
static __always_inline enum cg_parse_status
cg_parse(void *data, void *data_end, __u32 frame_len, struct cg_pkt *pk)
{
	struct udphdr *uh;
	__u32 off = 0;
	int proto, err;

	proto = parse_eth(data, data_end, &off);
	if (proto == CG_ETH_P_IP)
		err = parse_ipv4(data, data_end, off, frame_len, pk);
	else if (proto == CG_ETH_P_IPV6)
		err = parse_ipv6(data, data_end, off, frame_len, pk);
	else
		return proto < 0 ? CG_PARSE_ERROR : CG_PARSE_NOT_IP;
	if (err)
		return pk->broken ? CG_PARSE_UDP_BROKEN : CG_PARSE_ERROR;
	if (pk->proto != CG_IPPROTO_UDP)
		return CG_PARSE_OTHER_L4;
	if (pk->fragment) {
		/* Only a first fragment shows the ports, when its first 4
		 * bytes are there. */
		__u16 *ports = pkt_at(data, pk->l4, 4);

		if (pk->first_fragment && pk->ip_end - pk->l4 >= 4 &&
		    ports && (void *)(ports + 2) <= data_end) {
			pk->dport = bpf_ntohs(ports[1]);
			pk->has_dport = 1;
		}
		return CG_PARSE_UDP_FRAGMENT;
	}
	if (pk->ip_end - pk->l4 < CG_UDP_HLEN) {
		/* the IP length cuts the UDP header short (SPEC 2.4) */
		pk->broken = 1;
		broken_dport(data, data_end, pk->l4, pk);
		return CG_PARSE_UDP_BROKEN;
	}
	uh = pkt_at(data, pk->l4, CG_UDP_HLEN);
	if (!uh || (void *)(uh + 1) > data_end)
		return CG_PARSE_ERROR;
	pk->dport = bpf_ntohs(uh->dest);
	pk->has_dport = 1;
	pk->udp_len = uh->len;
	pk->udp_check = uh->check;
	return CG_PARSE_UDP;
}

#endif /* CG_PARSE_BPF_H */
