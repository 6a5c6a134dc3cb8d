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

#define CG_UDP_HLEN		8

/* Highest frame offset at which an upper-layer header is looked for: beyond
 * it the frame is "unparsed" (passed, not judged). Headers always sit in the
 * linear area, and 1 KiB covers two VLAN tags, IPv6 and CG_IPV6_MAX_EXT
 * extension headers of any sane size (beyond it: "unparsed", per source). */
#define CG_MAX_L4_OFF		1024

#endif /* CG_WIRE_H */
