/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cg_wire.h - protocol numbers and header sizes the parsers (BPF and the
 * reference verifier) share. Plain numbers from the RFCs, named once.
 */
#ifndef CG_WIRE_H
#define CG_WIRE_H

#define CG_ETH_HLEN		14
#define CG_VLAN_HLEN		4
#define CG_MAX_VLAN_TAGS	2	/* 802.1ad outer + 802.1Q inner */
#define CG_ETH_P_IP		0x0800
#define CG_ETH_P_IPV6		0x86DD
#define CG_ETH_P_8021Q		0x8100
#define CG_ETH_P_8021AD		0x88A8

#define CG_IPV4_MIN_HLEN	20
#define CG_IPV4_MF		0x2000	/* more-fragments flag in frag_off */
#define CG_IPV4_OFFSET		0x1FFF	/* fragment offset in frag_off */
#define CG_IPV6_HLEN		40
#define CG_IPV6_FRAG_HLEN	8
#define CG_IPV6_FRAG_OFFSET	0xFFF8	/* fragment offset in frag_off */
#define CG_IPV6_FRAG_MF		0x0001
/* Extension headers skipped before the upper layer; more than this is
 * "unparsed" (counted per source, and dropped for a blocked source). Linux
 * delivers through any number of them; 8 is what SPEC 2 asks, and what a
 * sane sender uses is 0-3. */
#define CG_IPV6_MAX_EXT		8

#define CG_IPPROTO_HOPOPTS	0
#define CG_IPPROTO_UDP		17
#define CG_IPPROTO_ROUTING	43
#define CG_IPPROTO_FRAGMENT	44
#define CG_IPPROTO_DSTOPTS	60
#define CG_IPPROTO_TCP		6
#define CG_IPPROTO_ICMP		1
#define CG_IPPROTO_IPIP		4	/* GUE v0 proto: IPv4 */
#define CG_IPPROTO_IPV6		41	/* GUE v0 proto: IPv6 */
#define CG_IPPROTO_ICMPV6	58

#define CG_UDP_HLEN		8
#define CG_TCP_HLEN		20
#define CG_ICMP_HLEN		8	/* what the kernel pulls for ICMP and ICMPv6 */

/* Tunnel headers (after the outer UDP header). */
#define CG_VXLAN_HLEN		8	/* RFC 7348; an inner Ethernet frame follows */
#define CG_GENEVE_HLEN		8	/* RFC 8926, + opt len x 4 bytes of options */
#define CG_GENEVE_P_ETH		0x6558	/* Geneve protocol type: Transparent Ethernet
					 * Bridging (else an EtherType: 0x0800, 0x86DD) */
#define CG_GUE_HLEN		4	/* draft-ietf-intarea-gue version 0, + hlen x 4
					 * bytes of extension fields; version 1 has no
					 * header: the inner IPv4/IPv6 header at once */
#define CG_GUE_C		0x20	/* GUE v0 first byte: C (control message) */
#define CG_GUE_HLEN_MASK	0x1f	/* GUE v0 first byte: hlen (32-bit words) */

/* The inner L4 header of a tunnel packet must start within this many bytes
 * of the outer UDP header to be checked (beyond: "unchecked"). 511 covers
 * Geneve with 252 bytes of options, two inner VLAN tags and an inner IPv4
 * header with options (350), and the prefix is summed in one piece
 * (cg_sum_small takes less than 512 bytes). */
#define CG_MAX_INNER_HDR	511

/* Highest frame offset at which an upper-layer header is looked for: beyond
 * it the frame is "unparsed" (passed, not judged). Headers always sit in the
 * linear area, and 1 KiB covers two VLAN tags, IPv6 and CG_IPV6_MAX_EXT
 * extension headers of any sane size (beyond it: "unparsed", per source). */
#define CG_MAX_L4_OFF		1024

#endif /* CG_WIRE_H */
