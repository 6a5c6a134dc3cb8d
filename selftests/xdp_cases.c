// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_cases.c - table-driven BPF_PROG_TEST_RUN cases, one per packet class
 * (issue 2, SPEC 2). Each case builds a frame, states by hand what the
 * datapath must do with it (action, totals, per-source counters), and
 * checks the XDP program and the reference verifier against that. Then the
 * same frame goes through the TC program (the same parser on the skb
 * context), whose per-interface totals must show the reference verifier's
 * kind: a check of its own, "tc: NAME", or "skip - tc: NAME" with the reason
 * when the frame is too big for a TC test run.
 *
 * The XDP check runs through whichever variant the harness loaded. The
 * single-buffer one (csumguard_xdpsb, named "xdpsb: NAME") sees a frame of
 * more than one buffer as its first XH_XDP_SB_LINEAR bytes where the kernel
 * test-runs it (5.18+): it must fail open - unparsed, passed, counted in the
 * source's unparsed, never a verdict - which the reference verifier on those
 * bytes states; where the kernel refuses the run (5.10) it is a skip with
 * the kernel's reason.
 */
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include "pkt.h"
#include "refcheck.h"
#include "cg_wire.h"
#include "harness.h"
#include "maps.h"
#include "selftests.h"

#define GUE_PORT	PKT_GUE_PORT

/* Changes made to a built frame, for what the builder will not make. */
enum patch {
	P_NONE = 0,
	P_FLIP_PAYLOAD_BIT,	/* one bit of the first inner byte */
	P_FLIP_LAST_BIT,	/* one bit of the datagram's last byte */
	P_TRUNC_ETH,		/* 14 bytes: an Ethernet header, nothing after it */
	P_TRUNC_VLAN,		/* ends inside the (first) VLAN tag */
	P_TRUNC_L3,		/* ends 10 bytes into the IP header */
	P_TRUNC_IP6_EXT,	/* IPv6 payload length ends inside an extension header */
	P_UDP_HDR_CUT,		/* IP payload of 4 bytes: no whole UDP header */
	P_IHL_4,		/* IPv4 IHL = 4 */
	P_TOTLEN_LT_IHL,	/* IPv4 total length 19 */
	P_TOTLEN_GT_FRAME,	/* IPv4 total length one past the frame */
	P_IP6_PLEN_0,		/* IPv6 payload length 0 (jumbogram) */
	P_IP6_PLEN_GT_FRAME,	/* IPv6 payload length one past the frame */
	P_ARP,			/* EtherType ARP */
	P_VERSION_5,		/* IPv4 EtherType, version nibble 5 */
	P_ETHERTYPE_0,		/* EtherType 0x0000 (found by the differential test) */
	/* issue 10 */
	P_FLIP_INNER_PAYLOAD,	/* one bit of the inner L4 payload: outer and inner bad */
	P_FLIP_PAD,		/* one bit of the bytes after the inner IP packet: only
				 * the outer covers them */
	P_IP_HDR_CSUM,		/* the outer IPv4 header checksum off by one */
	P_GENEVE_V1,		/* Geneve version 1 */
	P_GENEVE_PROTO,		/* Geneve protocol type 0x88B5 (unknown) */
	P_GUE_PROTO,		/* GUE v0 proto 47 (GRE: not checked) */
	P_GUE1_NIBBLE5,		/* GUE v1, first nibble 5 (neither IPv4 nor IPv6) */
	P_UDP_HDR_CUT_PORT,	/* IP payload of 4 bytes and the frame ends after the
				 * source port: no destination port to read */
	P_OUTER_CSUM_1234,	/* the outer checksum field set to 0x1234 */
	P_TOTLEN_GT_FRAME_BAD_HDR,	/* P_TOTLEN_GT_FRAME, header checksum not fixed */
};

/* Configuration a case runs under. */
enum setup {
	S_DEFAULT = 0,		/* monitor, default ports, empty blocklist */
	S_GUE,			/* + GUE on 6080 */
	S_DROP,			/* drop mode */
	S_BLOCK_SRC,		/* source blocked (tunnel traffic) */
	S_BLOCK_SRC_ALL,	/* source blocked, all traffic */
	S_BLOCK_OTHER,		/* another address blocked, all traffic */
	S_DROP_BLOCK_SRC,	/* drop mode + source blocked */
	S_BLOCK_V4_TWIN,	/* the IPv4 address in the low 4 bytes of the (IPv6)
				 * source is blocked, all traffic */
	S_REPAIR,		/* repair mode (issue 10) */
	S_REPAIR_DROP,		/* repair mode + drop mode */
	S_REPAIR_BLOCK_SRC,	/* repair mode, source blocked */
	S_GUE_REPAIR,		/* repair mode, GUE on 6080 */
	/* known nodes (issue 10); frames arrive with TTL / hop limit 64 */
	S_NODES_OTHER,		/* the set holds another address: src is unknown */
	S_NODES_OTHER_DROP,	/* the same, --drop-unknown */
	S_NODES_OTHER_DROP_BLOCK, /* the same, and src blocked: blocked first */
	S_NODES_OTHER_DROP_REPAIR, /* --drop-unknown and repair mode */
	S_NODES_LEARN,		/* src is a known node, its TTL not known yet */
	S_NODES_MATCH,		/* src is a known node with TTL 64 */
	S_NODES_MISMATCH,	/* src is a known node with TTL 63 */
	S_NODES_MATCH_BLOCK,	/* src a known node (TTL 64), and blocked */
	S_NODES_V4_TWIN_DROP,	/* the IPv4 address in the low 4 bytes of the
				 * (IPv6) source is the known node; --drop-unknown */
	S_BLOCK_EXPIRED,	/* src blocked, but the entry's expiry has passed */
};

struct xdp_case {
	const char *name;
	struct pkt_spec spec;	/* family 0 means 4; encap 0 means VXLAN... see build() */
	enum patch patch;
	enum setup setup;
	int action;
	enum cg_iface_counter kind;
	enum cg_verdict verdict;
	enum cg_iface_counter drop;	/* 0 (CG_IF_FRAMES): not dropped */
	int no_src;		/* UNPARSED before the source address: no row */
	/* issue 10: stated with every bad and zero verdict */
	enum cg_bad_class cls;		/* verdict bad */
	enum cg_zero_inner zin;		/* verdict zero */
	int repaired;			/* repair mode rewrote the outer checksum */
	/* The TC program's kind and state when they are not the XDP ones'
	 * twins (tc_set): egress has no IP header verdict, no malformed
	 * attribution. */
	int tc_set;
	enum cg_iface_counter tc_kind;
	enum cg_egress_state tc_state;
	/* known nodes (issue 10): an unknown sender; a known node's TTL
	 * matched or not; the frame counted for TTL learning */
	int unk;
	enum cg_ref_ttl ttl;
	int learn;
};

#define V4 .family = 4
#define V6 .family = 6
#define PASS(k, v) .action = XDP_PASS, .kind = (k), .verdict = (v)
#define DROP(k, v, why) .action = XDP_DROP, .kind = (k), .verdict = (v), .drop = (why)
#define T CG_IF_TUNNEL
#define OK PASS(T, CG_V_OK)
/* Bad, and what the inner packet says (random inner bytes: nothing to
 * check, so unclassified). */
#define BAD PASS(T, CG_V_BAD), .cls = CG_BC_UNCLASSIFIED
#define BAD_O PASS(T, CG_V_BAD), .cls = CG_BC_OUTER_ONLY
#define BAD_P PASS(T, CG_V_BAD), .cls = CG_BC_PAYLOAD
#define BAD_U BAD
/* Zero, and the inner audit. */
#define ZERO(z) PASS(T, CG_V_ZERO), .zin = (z)
#define ZI_OK ZERO(CG_ZI_OK)
#define ZI_BAD ZERO(CG_ZI_BAD)
#define ZI_UNF ZERO(CG_ZI_UNFINISHED)
#define ZI_UNCH ZERO(CG_ZI_UNCHECKED)
#define TC(k, st) .tc_set = 1, .tc_kind = (k), .tc_state = (st)
/* A real inner packet (pkt.h struct pkt_inner): UDP unless l4proto says. */
#define IN4(...) .inner = { .family = 4, __VA_ARGS__ }
#define IN6(...) .inner = { .family = 6, __VA_ARGS__ }
#define WRONG .csum = PKT_CSUM_WRONG
#define ITCP .l4proto = CG_IPPROTO_TCP
#define IICMP .l4proto = CG_IPPROTO_ICMP
#define IICMP6 .l4proto = CG_IPPROTO_ICMPV6
#define NOT_TUNNEL PASS(CG_IF_NOT_TUNNEL, 0)
/* Unparsed after the fixed IP header: counted in the source's row. */
#define UNPARSED PASS(CG_IF_UNPARSED, 0)
/* Unparsed before any source address was readable: no row at all. */
#define UNPARSED_NO_SRC PASS(CG_IF_UNPARSED, 0), .no_src = 1
#define GENEVE .encap = CG_ENCAP_GENEVE, .dport = CG_PORT_GENEVE
#define GUE0 .encap = CG_ENCAP_GUE, .gue_version = 0, .dport = GUE_PORT
#define GUE1 .encap = CG_ENCAP_GUE, .gue_version = 1, .dport = GUE_PORT
#define NO_INNER_LEN ((size_t)-1)	/* inner_len 0 means "the default" */
#define IP6_HBH_DST .n_ipv6_ext = 2, .ipv6_ext = { CG_IPPROTO_HOPOPTS, CG_IPPROTO_DSTOPTS }
#define DO CG_IPPROTO_DSTOPTS
/* CG_IPV6_MAX_EXT (8) destination-options headers, and one more (issue 6). */
#define IP6_8_EXT .n_ipv6_ext = 8, .ipv6_ext = { DO, DO, DO, DO, DO, DO, DO, DO }
#define IP6_9_EXT .n_ipv6_ext = 9, .ipv6_ext = { DO, DO, DO, DO, DO, DO, DO, DO, DO }
/* The IPv6 source ::ffff:10.0.0.1: the v4-mapped twin of the IPv4 default. */
#define V6_MAPPED_SRC .saddr = { [10] = 0xff, [11] = 0xff, [12] = 10, [15] = 1 }

static const struct xdp_case cases[] = {
	/* Valid tunnels, every encapsulation and family. */
	{ "vxlan v4 ok", { V4 }, P_NONE, S_DEFAULT, OK },
	{ "vxlan v6 ok", { V6 }, P_NONE, S_DEFAULT, OK },
	{ "vxlan 8472 v4 ok", { V4, .dport = CG_PORT_VXLAN_LINUX }, P_NONE, S_DEFAULT, OK },
	{ "geneve v4 ok", { V4, GENEVE }, P_NONE, S_DEFAULT, OK },
	{ "geneve v6 ok", { V6, GENEVE }, P_NONE, S_DEFAULT, OK },
	{ "gue v0 v4 ok", { V4, GUE0 }, P_NONE, S_GUE, OK },
	{ "gue v0 v6 ok", { V6, GUE0 }, P_NONE, S_GUE, OK },
	{ "gue v1 v4 ok", { V4, GUE1 }, P_NONE, S_GUE, OK },
	{ "gue v1 v6 ok", { V6, GUE1 }, P_NONE, S_GUE, OK },
	{ "gue port not configured: not a tunnel", { V4, GUE0 }, P_NONE, S_DEFAULT, NOT_TUNNEL },
	/* VLAN tags. */
	{ "vxlan v4 1 vlan tag ok", { V4, .vlan_tags = 1 }, P_NONE, S_DEFAULT, OK },
	{ "vxlan v4 2 vlan tags ok", { V4, .vlan_tags = 2 }, P_NONE, S_DEFAULT, OK },
	{ "vxlan v6 1 vlan tag ok", { V6, .vlan_tags = 1 }, P_NONE, S_DEFAULT, OK },
	{ "geneve v6 2 vlan tags ok", { V6, GENEVE, .vlan_tags = 2 }, P_NONE, S_DEFAULT, OK },
	{ "3 vlan tags: unparsed", { V4, .vlan_tags = 3 }, P_NONE, S_DEFAULT, UNPARSED_NO_SRC },
	{ "vxlan v4 2 vlan tags bad", { V4, .vlan_tags = 2 }, P_FLIP_PAYLOAD_BIT, S_DEFAULT, BAD },
	/* Checksum field values. */
	{ "zero checksum v4", { V4, .csum = PKT_CSUM_ZERO }, P_NONE, S_DEFAULT, ZI_UNCH },
	{ "zero checksum v6", { V6, .csum = PKT_CSUM_ZERO }, P_NONE, S_DEFAULT, ZI_UNCH },
	{ "sum computes to 0, sent as 0xffff v4", { V4, .csum = PKT_CSUM_COMPUTES_ZERO },
	  P_NONE, S_DEFAULT, OK },
	{ "sum computes to 0, sent as 0xffff v6", { V6, .csum = PKT_CSUM_COMPUTES_ZERO },
	  P_NONE, S_DEFAULT, OK },
	{ "flipped payload bit v4", { V4 }, P_FLIP_PAYLOAD_BIT, S_DEFAULT, BAD },
	{ "flipped payload bit v6", { V6 }, P_FLIP_PAYLOAD_BIT, S_DEFAULT, BAD },
	{ "wrong checksum value v4", { V4, .csum = PKT_CSUM_VALUE, .csum_value = 0x1234 },
	  P_NONE, S_DEFAULT, BAD },
	{ "wrong checksum value v6", { V6, .csum = PKT_CSUM_VALUE, .csum_value = 0xfffe },
	  P_NONE, S_DEFAULT, BAD },
	{ "unfinished seed v4", { V4, .csum = PKT_CSUM_SEED }, P_NONE, S_DEFAULT,
	  PASS(T, CG_V_UNFINISHED) },
	{ "unfinished seed v6", { V6, .csum = PKT_CSUM_SEED }, P_NONE, S_DEFAULT,
	  PASS(T, CG_V_UNFINISHED) },
	{ "odd-length datagram ok", { V4, .inner_len = 101 }, P_NONE, S_DEFAULT, OK },
	{ "odd-length datagram last bit bad", { V4, .inner_len = 101 }, P_FLIP_LAST_BIT,
	  S_DEFAULT, BAD },
	{ "no inner payload ok", { V4, .inner_len = NO_INNER_LEN }, P_NONE, S_DEFAULT, OK },
	/* Fragments: counted, never judged. */
	{ "ipv4 first fragment", { V4, .frag = PKT_FRAG_FIRST }, P_NONE, S_DEFAULT,
	  PASS(T, CG_V_FRAGMENT) },
	{ "ipv4 later fragment", { V4, .frag = PKT_FRAG_LATER }, P_NONE, S_DEFAULT,
	  PASS(T, CG_V_FRAGMENT) },
	{ "ipv4 first fragment, other port", { V4, .frag = PKT_FRAG_FIRST, .dport = 53 },
	  P_NONE, S_DEFAULT, PASS(T, CG_V_FRAGMENT) },
	{ "ipv6 first fragment", { V6, .frag = PKT_FRAG_FIRST }, P_NONE, S_DEFAULT,
	  PASS(T, CG_V_FRAGMENT) },
	{ "ipv6 later fragment", { V6, .frag = PKT_FRAG_LATER }, P_NONE, S_DEFAULT,
	  PASS(T, CG_V_FRAGMENT) },
	{ "ipv6 atomic fragment is a whole datagram", { V6, .frag = PKT_FRAG_ATOMIC },
	  P_NONE, S_DEFAULT, OK },
	{ "ipv4 fragment of tcp: not a tunnel", { V4, .frag = PKT_FRAG_LATER,
	  .l4proto = CG_IPPROTO_TCP }, P_NONE, S_DEFAULT, NOT_TUNNEL },
	/* Truncated headers at every layer. */
	/* (BPF_PROG_TEST_RUN refuses frames under 14 bytes, as no driver
	 * delivers them: the shortest case is a bare Ethernet header.) */
	{ "bare ethernet header", { V4 }, P_TRUNC_ETH, S_DEFAULT, UNPARSED_NO_SRC },
	{ "truncated vlan tag", { V4, .vlan_tags = 1 }, P_TRUNC_VLAN, S_DEFAULT, UNPARSED_NO_SRC },
	{ "truncated ipv4 header", { V4 }, P_TRUNC_L3, S_DEFAULT, UNPARSED_NO_SRC },
	{ "truncated ipv6 header", { V6 }, P_TRUNC_L3, S_DEFAULT, UNPARSED_NO_SRC },
	{ "truncated ipv6 extension header", { V6, IP6_HBH_DST }, P_TRUNC_IP6_EXT, S_DEFAULT,
	  UNPARSED },
	/* Issue 10: the IP length cuts the UDP header short; the port shows
	 * (in the frame's bytes after the IP packet): malformed for it. */
	{ "ip payload shorter than a udp header: malformed", { V4 }, P_UDP_HDR_CUT, S_DEFAULT,
	  PASS(T, CG_V_MALFORMED), TC(CG_IF_UNPARSED, 0) },
	{ "ip payload shorter than a udp header, v6: malformed", { V6 }, P_UDP_HDR_CUT, S_DEFAULT,
	  PASS(T, CG_V_MALFORMED), TC(CG_IF_UNPARSED, 0) },
	{ "udp header cut short, port 53: unparsed", { V4, .dport = 53 }, P_UDP_HDR_CUT, S_DEFAULT,
	  UNPARSED },
	{ "udp header cut short, no port in the frame: unparsed", { V4 }, P_UDP_HDR_CUT_PORT,
	  S_DEFAULT, UNPARSED },
	/* UDP length. */
	{ "udp length < 8: malformed", { V4, .ulen_override = 7 }, P_NONE, S_DEFAULT,
	  PASS(T, CG_V_MALFORMED) },
	{ "udp length > ip payload: malformed", { V4, .inner_len = 64, .ulen_override = 81 },
	  P_NONE, S_DEFAULT, PASS(T, CG_V_MALFORMED) },
	{ "udp length > ip payload v6: malformed", { V6, .inner_len = 64, .ulen_override = 81 },
	  P_NONE, S_DEFAULT, PASS(T, CG_V_MALFORMED) },
	{ "udp length < ip payload is legal", { V4, .udp_extra = 7 }, P_NONE, S_DEFAULT, OK },
	{ "udp length < ip payload v6 is legal", { V6, .udp_extra = 12 }, P_NONE, S_DEFAULT, OK },
	/* IPv4 header sanity. */
	/* Issue 10: a tunnel port read where the UDP header would be makes
	 * them the source's malformed (egress: unparsed, as before). */
	{ "ipv4 ihl < 5: malformed", { V4 }, P_IHL_4, S_DEFAULT, PASS(T, CG_V_MALFORMED),
	  TC(CG_IF_UNPARSED, 0) },
	{ "ipv4 ihl < 5, port 53: unparsed", { V4, .dport = 53 }, P_IHL_4, S_DEFAULT, UNPARSED },
	{ "ipv4 ihl < 5, options: port after 20 bytes is not 4789: unparsed",
	  { V4, .ipv4_opt_len = 4 }, P_IHL_4, S_DEFAULT, UNPARSED },
	{ "ipv4 total length < header: malformed", { V4 }, P_TOTLEN_LT_IHL, S_DEFAULT,
	  PASS(T, CG_V_MALFORMED), TC(CG_IF_UNPARSED, 0) },
	{ "ipv4 total length > frame: malformed", { V4 }, P_TOTLEN_GT_FRAME, S_DEFAULT,
	  PASS(T, CG_V_MALFORMED), TC(CG_IF_UNPARSED, 0) },
	{ "ipv4 total length > frame, options: malformed", { V4, .ipv4_opt_len = 8 },
	  P_TOTLEN_GT_FRAME, S_DEFAULT, PASS(T, CG_V_MALFORMED), TC(CG_IF_UNPARSED, 0) },
	{ "ipv4 total length > frame, udp to 53: unparsed", { V4, .dport = 53 }, P_TOTLEN_GT_FRAME,
	  S_DEFAULT, UNPARSED },
	{ "ipv4 total length > frame, tcp: unparsed", { V4, .l4proto = CG_IPPROTO_TCP },
	  P_TOTLEN_GT_FRAME, S_DEFAULT, UNPARSED },
	{ "ipv4 version 5", { V4 }, P_VERSION_5, S_DEFAULT, UNPARSED_NO_SRC },
	{ "ipv4 options ok", { V4, .ipv4_opt_len = 12 }, P_NONE, S_DEFAULT, OK },
	{ "ipv4 40 bytes of options bad", { V4, .ipv4_opt_len = 40 }, P_FLIP_PAYLOAD_BIT,
	  S_DEFAULT, BAD },
	/* IPv6 extension headers. */
	{ "ipv6 hop-by-hop + dstopts ok", { V6, IP6_HBH_DST }, P_NONE, S_DEFAULT, OK },
	{ "ipv6 routing, segments left 0 ok", { V6, .n_ipv6_ext = 1,
	  .ipv6_ext = { CG_IPPROTO_ROUTING } }, P_NONE, S_DEFAULT, OK },
	{ "ipv6 routing, segments left 1: unparsed", { V6, .n_ipv6_ext = 1,
	  .ipv6_ext = { CG_IPPROTO_ROUTING }, .ipv6_routing_segs_left = 1 }, P_NONE, S_DEFAULT,
	  UNPARSED },
	{ "ipv6 4 extension headers ok", { V6, .n_ipv6_ext = 4, .ipv6_ext = { CG_IPPROTO_HOPOPTS,
	  CG_IPPROTO_DSTOPTS, CG_IPPROTO_ROUTING, CG_IPPROTO_DSTOPTS } }, P_NONE, S_DEFAULT, OK },
	{ "ipv6 5 extension headers ok", { V6, .n_ipv6_ext = 4, .ipv6_ext = {
	  CG_IPPROTO_HOPOPTS, CG_IPPROTO_DSTOPTS, CG_IPPROTO_ROUTING, CG_IPPROTO_DSTOPTS },
	  .frag = PKT_FRAG_ATOMIC }, P_NONE, S_DEFAULT, OK },
	{ "ipv6 8 extension headers ok", { V6, IP6_8_EXT }, P_NONE, S_DEFAULT, OK },
	{ "ipv6 8 extension headers bad", { V6, IP6_8_EXT }, P_FLIP_PAYLOAD_BIT, S_DEFAULT, BAD },
	{ "ipv6 9 extension headers: unparsed, counted per source", { V6, IP6_9_EXT }, P_NONE,
	  S_DEFAULT, UNPARSED },
	{ "ipv6 extension headers + fragment", { V6, IP6_HBH_DST, .frag = PKT_FRAG_FIRST },
	  P_NONE, S_DEFAULT, PASS(T, CG_V_FRAGMENT) },
	{ "ipv6 payload length 0: malformed", { V6 }, P_IP6_PLEN_0, S_DEFAULT,
	  PASS(T, CG_V_MALFORMED), TC(CG_IF_UNPARSED, 0) },
	{ "ipv6 payload length > frame: malformed", { V6 }, P_IP6_PLEN_GT_FRAME, S_DEFAULT,
	  PASS(T, CG_V_MALFORMED), TC(CG_IF_UNPARSED, 0) },
	{ "ipv6 payload length > frame behind extension headers: unparsed", { V6, IP6_HBH_DST },
	  P_IP6_PLEN_GT_FRAME, S_DEFAULT, UNPARSED },
	{ "ipv6 payload length > frame, port 53: unparsed", { V6, .dport = 53 },
	  P_IP6_PLEN_GT_FRAME, S_DEFAULT, UNPARSED },
	/* Bytes after the IP packet are not ours. */
	{ "ethernet padding v4 ok", { V4, .inner_len = 2, .trailer = 4 }, P_NONE, S_DEFAULT, OK },
	{ "ethernet trailer v6 ok", { V6, .trailer = 17 }, P_NONE, S_DEFAULT, OK },
	/* Sizes: linear, page-sized, multi-buffer. */
	{ "1500-byte frame ok", { V4, .inner_len = 1500 - 50 }, P_NONE, S_DEFAULT, OK },
	{ "4000-byte frame ok (frags)", { V4, .inner_len = 4000 - 50 }, P_NONE, S_DEFAULT, OK },
	{ "9000-byte frame v4 ok (frags)", { V4, .inner_len = 9000 - 50 }, P_NONE, S_DEFAULT, OK },
	{ "9000-byte frame v6 ok (frags)", { V6, .inner_len = 9000 - 70 }, P_NONE, S_DEFAULT, OK },
	{ "9001-byte frame, odd, ok (frags)", { V4, .inner_len = 9001 - 50 }, P_NONE, S_DEFAULT,
	  OK },
	{ "9000-byte frame, last bit bad (frags)", { V4, .inner_len = 9000 - 50 },
	  P_FLIP_LAST_BIT, S_DEFAULT, BAD },
	{ "9001-byte frame, odd last bit bad (frags)", { V6, .inner_len = 9001 - 70 },
	  P_FLIP_LAST_BIT, S_DEFAULT, BAD },
	{ "16000-byte frame ok (frags)", { V6, .inner_len = 16000 - 70 }, P_NONE, S_DEFAULT, OK },
	/* Not tunnel traffic: untouched. */
	{ "udp to port 53", { V4, .dport = 53 }, P_NONE, S_DEFAULT, NOT_TUNNEL },
	{ "tcp to port 4789", { V4, .l4proto = CG_IPPROTO_TCP }, P_NONE, S_DEFAULT, NOT_TUNNEL },
	{ "tcp v6", { V6, .l4proto = CG_IPPROTO_TCP, .dport = 443 }, P_NONE, S_DEFAULT,
	  NOT_TUNNEL },
	{ "arp", { V4 }, P_ARP, S_DEFAULT, NOT_TUNNEL },
	{ "ethertype 0", { V4 }, P_ETHERTYPE_0, S_DEFAULT, NOT_TUNNEL },
	/* Drop mode drops exactly the bad ones. */
	{ "drop mode: bad dropped", { V4 }, P_FLIP_PAYLOAD_BIT, S_DROP,
	  DROP(T, CG_V_BAD, CG_IF_DROP_BAD), .cls = CG_BC_UNCLASSIFIED },
	{ "drop mode: bad v6 dropped", { V6, .csum = PKT_CSUM_VALUE, .csum_value = 1 }, P_NONE,
	  S_DROP, DROP(T, CG_V_BAD, CG_IF_DROP_BAD), .cls = CG_BC_UNCLASSIFIED },
	{ "drop mode: ok passes", { V4 }, P_NONE, S_DROP, OK },
	{ "drop mode: zero passes", { V4, .csum = PKT_CSUM_ZERO }, P_NONE, S_DROP, ZI_UNCH },
	{ "drop mode: unfinished passes", { V4, .csum = PKT_CSUM_SEED }, P_NONE, S_DROP,
	  PASS(T, CG_V_UNFINISHED) },
	{ "drop mode: malformed passes", { V4, .ulen_override = 3 }, P_NONE, S_DROP,
	  PASS(T, CG_V_MALFORMED) },
	{ "drop mode: fragment passes", { V4, .frag = PKT_FRAG_LATER }, P_NONE, S_DROP,
	  PASS(T, CG_V_FRAGMENT) },
	{ "drop mode: bad non-tunnel passes", { V4, .dport = 53 }, P_FLIP_PAYLOAD_BIT, S_DROP,
	  NOT_TUNNEL },
	{ "drop mode: malformed (total length > frame) passes", { V4 }, P_TOTLEN_GT_FRAME, S_DROP,
	  PASS(T, CG_V_MALFORMED), TC(CG_IF_UNPARSED, 0) },
	{ "drop mode: unparsed passes", { V4, .dport = 53 }, P_TOTLEN_GT_FRAME, S_DROP, UNPARSED },
	/* Blocklist: honoured in any mode, tunnel traffic only unless "all". */
	{ "blocked: ok tunnel frame dropped in monitor", { V4 }, P_NONE, S_BLOCK_SRC,
	  DROP(T, CG_V_OK, CG_IF_DROP_BLOCKED) },
	{ "blocked v6: bad tunnel frame dropped", { V6 }, P_FLIP_PAYLOAD_BIT, S_BLOCK_SRC,
	  DROP(T, CG_V_BAD, CG_IF_DROP_BLOCKED), .cls = CG_BC_UNCLASSIFIED },
	{ "blocked + drop mode: bad counted as blocked", { V4 }, P_FLIP_PAYLOAD_BIT,
	  S_DROP_BLOCK_SRC, DROP(T, CG_V_BAD, CG_IF_DROP_BLOCKED), .cls = CG_BC_UNCLASSIFIED },
	{ "blocked: first fragment to tunnel port dropped", { V4, .frag = PKT_FRAG_FIRST },
	  P_NONE, S_BLOCK_SRC, DROP(T, CG_V_FRAGMENT, CG_IF_DROP_BLOCKED) },
	/* A later fragment shows no port, so it cannot be proven non-tunnel. */
	{ "blocked: later fragment dropped", { V4, .frag = PKT_FRAG_LATER }, P_NONE, S_BLOCK_SRC,
	  DROP(T, CG_V_FRAGMENT, CG_IF_DROP_BLOCKED) },
	{ "blocked: first fragment to udp 53 passes", { V4, .frag = PKT_FRAG_FIRST, .dport = 53 },
	  P_NONE, S_BLOCK_SRC, PASS(T, CG_V_FRAGMENT) },
	{ "blocked: udp 53 passes", { V4, .dport = 53 }, P_NONE, S_BLOCK_SRC, NOT_TUNNEL },
	{ "blocked: tcp passes", { V4, .l4proto = CG_IPPROTO_TCP }, P_NONE, S_BLOCK_SRC,
	  NOT_TUNNEL },
	/* Issue 6, defect 1: the blocklist is decided on the source address
	 * however far the rest parses. */
	{ "blocked all: malformed (ihl 4) dropped", { V4 }, P_IHL_4, S_BLOCK_SRC_ALL,
	  DROP(T, CG_V_MALFORMED, CG_IF_DROP_BLOCKED), TC(CG_IF_UNPARSED, 0) },
	{ "blocked: malformed (ihl 4) dropped", { V4 }, P_IHL_4, S_BLOCK_SRC,
	  DROP(T, CG_V_MALFORMED, CG_IF_DROP_BLOCKED), TC(CG_IF_UNPARSED, 0) },
	{ "blocked: unparsed (ihl 4, port 53) dropped", { V4, .dport = 53 }, P_IHL_4, S_BLOCK_SRC,
	  DROP(CG_IF_UNPARSED, 0, CG_IF_DROP_BLOCKED) },
	{ "blocked: udp header cut short dropped", { V4 }, P_UDP_HDR_CUT, S_BLOCK_SRC,
	  DROP(T, CG_V_MALFORMED, CG_IF_DROP_BLOCKED), TC(CG_IF_UNPARSED, 0) },
	{ "blocked: udp header cut short, no port, dropped", { V4 }, P_UDP_HDR_CUT_PORT,
	  S_BLOCK_SRC, DROP(CG_IF_UNPARSED, 0, CG_IF_DROP_BLOCKED) },
	{ "blocked v6: 9 extension headers dropped", { V6, IP6_9_EXT }, P_NONE, S_BLOCK_SRC,
	  DROP(CG_IF_UNPARSED, 0, CG_IF_DROP_BLOCKED) },
	{ "blocked all v6: 9 extension headers dropped", { V6, IP6_9_EXT }, P_NONE,
	  S_BLOCK_SRC_ALL, DROP(CG_IF_UNPARSED, 0, CG_IF_DROP_BLOCKED) },
	{ "blocked v6: 8 extension headers, bad, dropped", { V6, IP6_8_EXT }, P_FLIP_PAYLOAD_BIT,
	  S_BLOCK_SRC, DROP(T, CG_V_BAD, CG_IF_DROP_BLOCKED), .cls = CG_BC_UNCLASSIFIED },
	{ "blocked v6: routing segments left 1 dropped", { V6, .n_ipv6_ext = 1,
	  .ipv6_ext = { CG_IPPROTO_ROUTING }, .ipv6_routing_segs_left = 1 }, P_NONE, S_BLOCK_SRC,
	  DROP(CG_IF_UNPARSED, 0, CG_IF_DROP_BLOCKED) },
	{ "blocked: truncated ipv4 header passes (no source)", { V4 }, P_TRUNC_L3,
	  S_BLOCK_SRC_ALL, UNPARSED_NO_SRC },
	/* Issue 6, defect 8: ::ffff:10.0.0.1 is not the IPv4 node 10.0.0.1. */
	{ "v4-mapped v6 source is not the blocked v4 node", { V6, V6_MAPPED_SRC }, P_NONE,
	  S_BLOCK_V4_TWIN, OK },
	{ "v4-mapped v6 source bad, counted as v6", { V6, V6_MAPPED_SRC }, P_FLIP_PAYLOAD_BIT,
	  S_DEFAULT, BAD },
	{ "blocked all: tcp dropped", { V4, .l4proto = CG_IPPROTO_TCP }, P_NONE,
	  S_BLOCK_SRC_ALL, DROP(CG_IF_NOT_TUNNEL, 0, CG_IF_DROP_BLOCKED) },
	{ "blocked all: later fragment dropped", { V6, .frag = PKT_FRAG_LATER }, P_NONE,
	  S_BLOCK_SRC_ALL, DROP(T, CG_V_FRAGMENT, CG_IF_DROP_BLOCKED) },
	{ "other source blocked: passes", { V4 }, P_NONE, S_BLOCK_OTHER, OK },

	/* ---- Issue 10: what the inner packet of a bad frame says (SPEC 2.8).
	 * _O: the outer checksum wrong, the inner intact: bad_outer_only.
	 * _P: one bit of the inner payload flipped: both wrong: bad_payload.
	 * Every encapsulation, inner family and protocol. */
	{ "class vxlan v4, inner udp v4: bad_outer_only", { V4, WRONG, IN4() }, P_NONE, S_DEFAULT,
	  BAD_O },
	{ "class vxlan v4, inner udp v4: bad_payload", { V4, IN4() }, P_FLIP_INNER_PAYLOAD,
	  S_DEFAULT, BAD_P },
	{ "class vxlan v6, inner tcp v4: bad_outer_only", { V6, WRONG, IN4(ITCP) }, P_NONE,
	  S_DEFAULT, BAD_O },
	{ "class vxlan v6, inner tcp v4: bad_payload", { V6, IN4(ITCP) }, P_FLIP_INNER_PAYLOAD,
	  S_DEFAULT, BAD_P },
	{ "class vxlan v4, inner tcp v6: bad_outer_only", { V4, WRONG, IN6(ITCP) }, P_NONE,
	  S_DEFAULT, BAD_O },
	{ "class vxlan v4, inner tcp v6: bad_payload", { V4, IN6(ITCP) }, P_FLIP_INNER_PAYLOAD,
	  S_DEFAULT, BAD_P },
	{ "class vxlan v4, inner udp v6: bad_outer_only", { V4, WRONG, IN6() }, P_NONE, S_DEFAULT,
	  BAD_O },
	{ "class vxlan v6, inner udp v6: bad_payload", { V6, IN6() }, P_FLIP_INNER_PAYLOAD,
	  S_DEFAULT, BAD_P },
	{ "class vxlan v4, inner icmp: bad_outer_only", { V4, WRONG, IN4(IICMP) }, P_NONE,
	  S_DEFAULT, BAD_O },
	{ "class vxlan v4, inner icmp: bad_payload", { V4, IN4(IICMP) }, P_FLIP_INNER_PAYLOAD,
	  S_DEFAULT, BAD_P },
	{ "class vxlan v6, inner icmpv6: bad_outer_only", { V6, WRONG, IN6(IICMP6) }, P_NONE,
	  S_DEFAULT, BAD_O },
	{ "class vxlan v6, inner icmpv6: bad_payload", { V6, IN6(IICMP6) }, P_FLIP_INNER_PAYLOAD,
	  S_DEFAULT, BAD_P },
	{ "class vxlan, odd inner payload: bad_outer_only", { V4, WRONG, IN4(), .inner_len = 33 },
	  P_NONE, S_DEFAULT, BAD_O },
	{ "class vxlan, odd inner payload: bad_payload", { V4, IN4(ITCP), .inner_len = 33 },
	  P_FLIP_INNER_PAYLOAD, S_DEFAULT, BAD_P },
	/* inner VLAN tags, IPv4 options, IPv6 extension headers */
	{ "class vxlan, 1 inner vlan tag: bad_outer_only", { V4, WRONG, IN4(.vlan_tags = 1) },
	  P_NONE, S_DEFAULT, BAD_O },
	{ "class vxlan, 2 inner vlan tags: bad_payload", { V6, IN6(ITCP, .vlan_tags = 2) },
	  P_FLIP_INNER_PAYLOAD, S_DEFAULT, BAD_P },
	{ "class vxlan, 3 inner vlan tags: bad_unclassified", { V4, WRONG, IN4(.vlan_tags = 3) },
	  P_NONE, S_DEFAULT, BAD_U },
	{ "class vxlan, inner ipv4 40 bytes of options: bad_outer_only",
	  { V4, WRONG, IN4(ITCP, .ipv4_opt_len = 40) }, P_NONE, S_DEFAULT, BAD_O },
	{ "class vxlan, inner ipv4 options: bad_payload", { V4, IN4(.ipv4_opt_len = 12) },
	  P_FLIP_INNER_PAYLOAD, S_DEFAULT, BAD_P },
	{ "class vxlan, inner ipv6 hop-by-hop + dstopts: bad_outer_only",
	  { V4, WRONG, IN6(ITCP, .n_ipv6_ext = 2, .ipv6_ext = { CG_IPPROTO_HOPOPTS, DO }) },
	  P_NONE, S_DEFAULT, BAD_O },
	{ "class vxlan, inner ipv6 8 extension headers: bad_payload",
	  { V6, IN6(.n_ipv6_ext = 8, .ipv6_ext = { DO, DO, DO, DO, DO, DO, DO, DO }) },
	  P_FLIP_INNER_PAYLOAD, S_DEFAULT, BAD_P },
	{ "class vxlan, inner ipv6 9 extension headers: bad_unclassified",
	  { V6, WRONG, IN6(.n_ipv6_ext = 9, .ipv6_ext = { DO, DO, DO, DO, DO, DO, DO, DO, DO }) },
	  P_NONE, S_DEFAULT, BAD_U },
	{ "class vxlan, inner ipv6 routing, segments left 1: bad_unclassified",
	  { V4, WRONG, IN6(.n_ipv6_ext = 1, .ipv6_ext = { CG_IPPROTO_ROUTING },
	  .ipv6_routing_segs_left = 1) }, P_NONE, S_DEFAULT, BAD_U },
	{ "class vxlan, inner ipv6 atomic fragment: bad_outer_only",
	  { V4, WRONG, IN6(.frag = PKT_FRAG_ATOMIC) }, P_NONE, S_DEFAULT, BAD_O },
	/* nothing to check: bad_unclassified */
	{ "class vxlan, empty payload: bad_unclassified", { V4, WRONG, .inner_len = NO_INNER_LEN },
	  P_NONE, S_DEFAULT, BAD_U },
	{ "class vxlan, inner arp: bad_unclassified", { V4, WRONG, IN4(.ethertype = 0x0806),
	  .inner_len = 28 }, P_NONE, S_DEFAULT, BAD_U },
	{ "class vxlan, inner ipv4 first fragment: bad_unclassified",
	  { V4, WRONG, IN4(.frag = PKT_FRAG_FIRST) }, P_NONE, S_DEFAULT, BAD_U },
	{ "class vxlan, inner ipv4 later fragment: bad_unclassified",
	  { V4, WRONG, IN4(.frag = PKT_FRAG_LATER) }, P_NONE, S_DEFAULT, BAD_U },
	{ "class vxlan, inner ipv6 fragment: bad_unclassified",
	  { V6, WRONG, IN6(ITCP, .frag = PKT_FRAG_FIRST) }, P_NONE, S_DEFAULT, BAD_U },
	{ "class vxlan, inner packet cut short: bad_unclassified",
	  { V4, WRONG, IN4(.ip_len_extra = 10) }, P_NONE, S_DEFAULT, BAD_U },
	{ "class vxlan, inner ipv6 cut short: bad_unclassified",
	  { V4, WRONG, IN6(ITCP, .ip_len_extra = 1) }, P_NONE, S_DEFAULT, BAD_U },
	{ "class vxlan, inner udp/ipv4 checksum 0: bad_unclassified",
	  { V4, WRONG, IN4(.csum = PKT_CSUM_ZERO) }, P_NONE, S_DEFAULT, BAD_U },
	{ "class vxlan, inner udp/ipv6 checksum 0: bad_unclassified",
	  { V4, WRONG, IN6(.csum = PKT_CSUM_ZERO) }, P_NONE, S_DEFAULT, BAD_U },
	{ "class vxlan, inner tcp checksum holds its seed: bad_unclassified",
	  { V4, WRONG, IN4(ITCP, .csum = PKT_CSUM_SEED) }, P_NONE, S_DEFAULT, BAD_U },
	{ "class vxlan, inner udp/ipv6 checksum holds its seed: bad_unclassified",
	  { V6, WRONG, IN6(.csum = PKT_CSUM_SEED) }, P_NONE, S_DEFAULT, BAD_U },
	{ "class vxlan, inner protocol 47: bad_unclassified", { V4, WRONG, IN4(.l4proto = 47) },
	  P_NONE, S_DEFAULT, BAD_U },
	{ "class vxlan, icmp over inner ipv6: bad_unclassified", { V4, WRONG, IN6(IICMP) },
	  P_NONE, S_DEFAULT, BAD_U },
	{ "class vxlan, inner tcp header cut to 8 bytes: bad_unclassified",
	  { V4, WRONG, IN4(.l4proto = CG_IPPROTO_TCP, .ip_len_extra = -12),
	  .inner_len = NO_INNER_LEN },
	  P_NONE, S_DEFAULT, BAD_U },
	/* the inner segment ends before the datagram: its own UDP length, padding */
	{ "class vxlan, inner udp length short of its ip payload: bad_outer_only",
	  { V4, WRONG, IN4(.udp_short = 5) }, P_NONE, S_DEFAULT, BAD_O },
	{ "class vxlan, inner padding, odd segment: bad_outer_only",
	  { V4, WRONG, IN4(.pad = 7), .inner_len = 31 }, P_NONE, S_DEFAULT, BAD_O },
	{ "class vxlan, a padding bit flipped, odd segment: bad_outer_only",
	  { V6, IN4(ITCP, .pad = 9), .inner_len = 31 }, P_FLIP_PAD, S_DEFAULT, BAD_O },
	{ "class vxlan, a padding bit flipped, even segment: bad_outer_only",
	  { V4, IN6(.pad = 6), .inner_len = 40 }, P_FLIP_PAD, S_DEFAULT, BAD_O },
	{ "class vxlan, inner payload flipped, padding: bad_payload",
	  { V4, IN4(IICMP, .pad = 5), .inner_len = 31 }, P_FLIP_INNER_PAYLOAD, S_DEFAULT, BAD_P },
	/* Geneve: options skipped by opt len; Ethernet or IP inside */
	{ "class geneve v4, 3 option words: bad_outer_only",
	  { V4, GENEVE, WRONG, .geneve_opt_words = 3, IN4() }, P_NONE, S_DEFAULT, BAD_O },
	{ "class geneve v6, 63 option words: bad_payload",
	  { V6, GENEVE, .geneve_opt_words = 63, IN6(ITCP) }, P_FLIP_INNER_PAYLOAD, S_DEFAULT,
	  BAD_P },
	{ "class geneve, inner ipv4 protocol type: bad_outer_only",
	  { V4, GENEVE, WRONG, .geneve_ip = 1, IN4(IICMP) }, P_NONE, S_DEFAULT, BAD_O },
	{ "class geneve, inner ipv6 protocol type: bad_payload",
	  { V6, GENEVE, .geneve_ip = 1, .geneve_opt_words = 2, IN6(IICMP6) },
	  P_FLIP_INNER_PAYLOAD, S_DEFAULT, BAD_P },
	{ "class geneve, 1 inner vlan tag: bad_outer_only",
	  { V4, GENEVE, WRONG, IN6(.vlan_tags = 1) }, P_NONE, S_DEFAULT, BAD_O },
	{ "class geneve version 1: bad_unclassified", { V4, GENEVE, IN4() }, P_GENEVE_V1,
	  S_DEFAULT, BAD_U },
	{ "class geneve, unknown protocol type: bad_unclassified", { V4, GENEVE, IN4() },
	  P_GENEVE_PROTO, S_DEFAULT, BAD_U },
	{ "class geneve, empty payload: bad_unclassified",
	  { V4, GENEVE, WRONG, .inner_len = NO_INNER_LEN }, P_NONE, S_DEFAULT, BAD_U },
	/* GUE version 0: proto 4 and 41, with and without extension fields */
	{ "class gue v0, proto 4: bad_outer_only", { V4, GUE0, WRONG, IN4() }, P_NONE, S_GUE,
	  BAD_O },
	{ "class gue v0, proto 4: bad_payload", { V6, GUE0, IN4(ITCP) }, P_FLIP_INNER_PAYLOAD,
	  S_GUE, BAD_P },
	{ "class gue v0, proto 41: bad_outer_only", { V4, GUE0, WRONG, IN6(IICMP6) }, P_NONE,
	  S_GUE, BAD_O },
	{ "class gue v0, proto 41: bad_payload", { V6, GUE0, IN6() }, P_FLIP_INNER_PAYLOAD, S_GUE,
	  BAD_P },
	{ "class gue v0, 2 words of extension fields (vni + ctl flags): bad_outer_only",
	  { V4, GUE0, WRONG, .gue_hlen = 2, .gue_flags = 0xa000, IN4() }, P_NONE, S_GUE, BAD_O },
	{ "class gue v0, 31 words of extension fields: bad_payload",
	  { V6, GUE0, .gue_hlen = 31, .gue_flags = 0x0001, IN6(ITCP) }, P_FLIP_INNER_PAYLOAD,
	  S_GUE, BAD_P },
	{ "class gue v0 control message: bad_unclassified",
	  { V4, GUE0, WRONG, .gue_control = 1, IN4() }, P_NONE, S_GUE, BAD_U },
	{ "class gue v0, proto 47: bad_unclassified", { V4, GUE0, IN4() }, P_GUE_PROTO, S_GUE,
	  BAD_U },
	/* GUE version 1: the inner IP header right after UDP */
	{ "class gue v1, direct ipv4: bad_outer_only", { V4, GUE1, WRONG, IN4(ITCP) }, P_NONE,
	  S_GUE, BAD_O },
	{ "class gue v1, direct ipv4: bad_payload", { V6, GUE1, IN4() }, P_FLIP_INNER_PAYLOAD,
	  S_GUE, BAD_P },
	{ "class gue v1, direct ipv6: bad_outer_only", { V6, GUE1, WRONG, IN6(IICMP6) }, P_NONE,
	  S_GUE, BAD_O },
	{ "class gue v1, direct ipv6: bad_payload", { V4, GUE1, IN6(ITCP) }, P_FLIP_INNER_PAYLOAD,
	  S_GUE, BAD_P },
	{ "class gue v1, first nibble 5: bad_unclassified", { V4, GUE1, IN4() }, P_GUE1_NIBBLE5,
	  S_GUE, BAD_U },
	/* multi-buffer: the inner segment's sum from the outer one, over frags */
	{ "class 9000-byte vxlan, inner payload flipped (frags): bad_payload",
	  { V4, IN4(ITCP), .inner_len = 9000 - 104 }, P_FLIP_INNER_PAYLOAD, S_DEFAULT, BAD_P },
	{ "class 9000-byte vxlan, outer wrong (frags): bad_outer_only",
	  { V6, WRONG, IN6(), .inner_len = 9000 - 132 }, P_NONE, S_DEFAULT, BAD_O },
	{ "class 9000-byte vxlan, odd segment + padding flipped (frags): bad_outer_only",
	  { V4, IN4(.pad = 2001), .inner_len = 6001 }, P_FLIP_PAD, S_DEFAULT, BAD_O },
	/* not bad: no class */
	{ "class: ok frame with an intact inner packet", { V4, IN4(ITCP) }, P_NONE, S_DEFAULT, OK },
	{ "class: ok outer, inner checksum wrong (not audited)", { V4, IN4(.csum = PKT_CSUM_WRONG) },
	  P_NONE, S_DEFAULT, OK },
	{ "class: unfinished outer, inner intact", { V4, .csum = PKT_CSUM_SEED, IN4() }, P_NONE,
	  S_DEFAULT, PASS(T, CG_V_UNFINISHED) },
	{ "class drop mode: bad_outer_only dropped", { V4, WRONG, IN4() }, P_NONE, S_DROP,
	  DROP(T, CG_V_BAD, CG_IF_DROP_BAD), .cls = CG_BC_OUTER_ONLY },
	{ "class drop mode: bad_payload dropped", { V6, IN6() }, P_FLIP_INNER_PAYLOAD, S_DROP,
	  DROP(T, CG_V_BAD, CG_IF_DROP_BAD), .cls = CG_BC_PAYLOAD },

	/* ---- Issue 10: zero outer checksum, the inner one audited (SPEC 2.7) */
	{ "zero vxlan v4, inner udp valid: zero_inner_ok", { V4, .csum = PKT_CSUM_ZERO, IN4() },
	  P_NONE, S_DEFAULT, ZI_OK },
	{ "zero vxlan v4, inner tcp wrong: zero_inner_bad",
	  { V4, .csum = PKT_CSUM_ZERO, IN4(ITCP, .csum = PKT_CSUM_WRONG) }, P_NONE, S_DEFAULT,
	  ZI_BAD },
	{ "zero vxlan v4, inner payload flipped: zero_inner_bad",
	  { V4, .csum = PKT_CSUM_ZERO, IN4(IICMP) }, P_FLIP_INNER_PAYLOAD, S_DEFAULT, ZI_BAD },
	{ "zero vxlan v6, inner icmpv6 valid: zero_inner_ok",
	  { V6, .csum = PKT_CSUM_ZERO, IN6(IICMP6) }, P_NONE, S_DEFAULT, ZI_OK },
	{ "zero vxlan v6, inner tcp seed: zero_inner_unfinished",
	  { V6, .csum = PKT_CSUM_ZERO, IN6(ITCP, .csum = PKT_CSUM_SEED) }, P_NONE, S_DEFAULT,
	  ZI_UNF },
	{ "zero vxlan v4, inner udp seed: zero_inner_unfinished",
	  { V4, .csum = PKT_CSUM_ZERO, IN4(.csum = PKT_CSUM_SEED) }, P_NONE, S_DEFAULT, ZI_UNF },
	{ "zero vxlan, inner arp: zero_inner_unchecked",
	  { V4, .csum = PKT_CSUM_ZERO, IN4(.ethertype = 0x0806), .inner_len = 28 }, P_NONE,
	  S_DEFAULT, ZI_UNCH },
	{ "zero vxlan, inner igmp: zero_inner_unchecked",
	  { V4, .csum = PKT_CSUM_ZERO, IN4(.l4proto = 2) }, P_NONE, S_DEFAULT, ZI_UNCH },
	{ "zero vxlan, inner udp checksum 0: zero_inner_unchecked",
	  { V4, .csum = PKT_CSUM_ZERO, IN4(.csum = PKT_CSUM_ZERO) }, P_NONE, S_DEFAULT, ZI_UNCH },
	{ "zero vxlan, inner fragment: zero_inner_unchecked",
	  { V4, .csum = PKT_CSUM_ZERO, IN4(.frag = PKT_FRAG_FIRST) }, P_NONE, S_DEFAULT, ZI_UNCH },
	{ "zero vxlan, inner cut short: zero_inner_unchecked",
	  { V6, .csum = PKT_CSUM_ZERO, IN6(.ip_len_extra = 3) }, P_NONE, S_DEFAULT, ZI_UNCH },
	{ "zero vxlan, empty payload: zero_inner_unchecked",
	  { V4, .csum = PKT_CSUM_ZERO, .inner_len = NO_INNER_LEN }, P_NONE, S_DEFAULT, ZI_UNCH },
	{ "zero vxlan, 2 inner vlan tags + ipv4 options, tcp: zero_inner_ok",
	  { V4, .csum = PKT_CSUM_ZERO, IN4(ITCP, .vlan_tags = 2, .ipv4_opt_len = 8) }, P_NONE,
	  S_DEFAULT, ZI_OK },
	{ "zero vxlan, inner ipv6 extension headers, tcp wrong: zero_inner_bad",
	  { V6, .csum = PKT_CSUM_ZERO, IN6(ITCP, .n_ipv6_ext = 3, .ipv6_ext = { CG_IPPROTO_HOPOPTS,
	  CG_IPPROTO_ROUTING, DO }, .csum = PKT_CSUM_WRONG) }, P_NONE, S_DEFAULT, ZI_BAD },
	{ "zero vxlan, inner padding: zero_inner_ok",
	  { V4, .csum = PKT_CSUM_ZERO, IN4(.pad = 9), .inner_len = 33 }, P_NONE, S_DEFAULT, ZI_OK },
	{ "zero geneve with options, inner udp: zero_inner_ok",
	  { V4, GENEVE, .csum = PKT_CSUM_ZERO, .geneve_opt_words = 5, IN4() }, P_NONE, S_DEFAULT,
	  ZI_OK },
	{ "zero geneve ip, inner icmp flipped: zero_inner_bad",
	  { V6, GENEVE, .csum = PKT_CSUM_ZERO, .geneve_ip = 1, IN4(IICMP) }, P_FLIP_INNER_PAYLOAD,
	  S_DEFAULT, ZI_BAD },
	{ "zero gue v0 extension fields, inner v6 udp: zero_inner_ok",
	  { V4, GUE0, .csum = PKT_CSUM_ZERO, .gue_hlen = 3, .gue_flags = 0x4000, IN6() }, P_NONE,
	  S_GUE, ZI_OK },
	{ "zero gue v0 control message: zero_inner_unchecked",
	  { V4, GUE0, .csum = PKT_CSUM_ZERO, .gue_control = 1, IN4() }, P_NONE, S_GUE, ZI_UNCH },
	{ "zero gue v1, direct ipv4 tcp wrong: zero_inner_bad",
	  { V4, GUE1, .csum = PKT_CSUM_ZERO, IN4(ITCP, .csum = PKT_CSUM_WRONG) }, P_NONE, S_GUE,
	  ZI_BAD },
	{ "zero gue v1, direct ipv6 udp: zero_inner_ok",
	  { V6, GUE1, .csum = PKT_CSUM_ZERO, IN6() }, P_NONE, S_GUE, ZI_OK },
	{ "zero 9000-byte vxlan, inner tcp (frags): zero_inner_ok",
	  { V4, .csum = PKT_CSUM_ZERO, IN4(ITCP), .inner_len = 9000 - 104 }, P_NONE, S_DEFAULT,
	  ZI_OK },
	{ "zero 9001-byte vxlan, inner udp flipped (frags): zero_inner_bad",
	  { V6, .csum = PKT_CSUM_ZERO, IN6(), .inner_len = 9001 - 132 }, P_FLIP_INNER_PAYLOAD,
	  S_DEFAULT, ZI_BAD },

	/* ---- Issue 10: the outer IPv4 header checksum (SPEC 2.4) */
	{ "ip header checksum wrong: bad_ip_header", { V4 }, P_IP_HDR_CSUM, S_DEFAULT,
	  PASS(T, CG_V_BAD_IP_HEADER), TC(T, CG_E_FINAL_OK) },
	{ "ip header checksum wrong, options: bad_ip_header", { V4, .ipv4_opt_len = 40 },
	  P_IP_HDR_CSUM, S_DEFAULT, PASS(T, CG_V_BAD_IP_HEADER), TC(T, CG_E_FINAL_OK) },
	{ "ip header checksum wrong, 2 vlan tags, zero udp: bad_ip_header",
	  { V4, .vlan_tags = 2, .csum = PKT_CSUM_ZERO }, P_IP_HDR_CSUM, S_DEFAULT,
	  PASS(T, CG_V_BAD_IP_HEADER), TC(T, CG_E_ZERO) },
	{ "ip header checksum wrong, udp wrong too: bad_ip_header", { V4, WRONG }, P_IP_HDR_CSUM,
	  S_DEFAULT, PASS(T, CG_V_BAD_IP_HEADER), TC(T, CG_E_FINAL_BAD) },
	{ "ip header checksum wrong, fragment: bad_ip_header", { V4, .frag = PKT_FRAG_LATER },
	  P_IP_HDR_CSUM, S_DEFAULT, PASS(T, CG_V_BAD_IP_HEADER), TC(T, CG_E_FRAGMENT) },
	{ "ip header checksum wrong, total length > frame: bad_ip_header (as the kernel)",
	  { V4 }, P_TOTLEN_GT_FRAME_BAD_HDR, S_DEFAULT, PASS(T, CG_V_BAD_IP_HEADER),
	  TC(CG_IF_UNPARSED, 0) },
	{ "ip header checksum wrong, udp to 53: not a tunnel", { V4, .dport = 53 }, P_IP_HDR_CSUM,
	  S_DEFAULT, NOT_TUNNEL },
	{ "ip header checksum wrong, drop mode: passes", { V4 }, P_IP_HDR_CSUM, S_DROP,
	  PASS(T, CG_V_BAD_IP_HEADER), TC(T, CG_E_FINAL_OK) },
	{ "ip header checksum wrong, blocked: dropped", { V4 }, P_IP_HDR_CSUM, S_BLOCK_SRC,
	  DROP(T, CG_V_BAD_IP_HEADER, CG_IF_DROP_BLOCKED), TC(T, CG_E_FINAL_OK) },
	{ "ip header checksum right, options: ok", { V4, .ipv4_opt_len = 20 }, P_NONE, S_DEFAULT,
	  OK },

	/* ---- Issue 10: repair mode, bad_outer_only only (SPEC 2.8) */
	{ "repair: bad_outer_only v4 repaired", { V4, WRONG, IN4() }, P_NONE, S_REPAIR,
	  BAD_O, .repaired = 1 },
	{ "repair: bad_outer_only v6, inner tcp, repaired", { V6, WRONG, IN6(ITCP) }, P_NONE,
	  S_REPAIR, BAD_O, .repaired = 1 },
	{ "repair: the right sum is 0: 0xffff written", { V4, .csum = PKT_CSUM_COMPUTES_ZERO,
	  IN4(IICMP) }, P_OUTER_CSUM_1234, S_REPAIR, BAD_O, .repaired = 1 },
	{ "repair: geneve options, inner ipv6: repaired",
	  { V4, GENEVE, WRONG, .geneve_opt_words = 4, IN6(IICMP6) }, P_NONE, S_REPAIR, BAD_O,
	  .repaired = 1 },
	{ "repair: gue v0 extension fields: repaired",
	  { V6, GUE0, WRONG, .gue_hlen = 1, .gue_flags = 0x8000, IN4() }, P_NONE, S_GUE_REPAIR,
	  BAD_O, .repaired = 1 },
	{ "repair: padding after the inner packet: repaired",
	  { V4, IN4(ITCP, .pad = 5), .inner_len = 21 }, P_FLIP_PAD, S_REPAIR, BAD_O,
	  .repaired = 1 },
	{ "repair: 9000-byte frame (frags): repaired", { V4, WRONG, IN4(), .inner_len = 9000 - 92 },
	  P_NONE, S_REPAIR, BAD_O, .repaired = 1 },
	{ "repair: bad_payload is not repaired", { V4, IN4() }, P_FLIP_INNER_PAYLOAD, S_REPAIR,
	  BAD_P },
	{ "repair: bad_unclassified is not repaired", { V4, WRONG, IN4(.csum = PKT_CSUM_ZERO) },
	  P_NONE, S_REPAIR, BAD_U },
	{ "repair: zero is not repaired", { V4, .csum = PKT_CSUM_ZERO, IN4() }, P_NONE, S_REPAIR,
	  ZI_OK },
	{ "repair: bad_ip_header is not repaired", { V4, WRONG, IN4() }, P_IP_HDR_CSUM, S_REPAIR,
	  PASS(T, CG_V_BAD_IP_HEADER), TC(T, CG_E_FINAL_BAD) },
	{ "repair + drop mode: bad_outer_only repaired, passes", { V6, WRONG, IN4() }, P_NONE,
	  S_REPAIR_DROP, BAD_O, .repaired = 1 },
	{ "repair + drop mode: bad_payload dropped", { V4, IN6() }, P_FLIP_INNER_PAYLOAD,
	  S_REPAIR_DROP, DROP(T, CG_V_BAD, CG_IF_DROP_BAD), .cls = CG_BC_PAYLOAD },
	{ "repair + blocked: dropped, not repaired", { V4, WRONG, IN4() }, P_NONE,
	  S_REPAIR_BLOCK_SRC, DROP(T, CG_V_BAD, CG_IF_DROP_BLOCKED), .cls = CG_BC_OUTER_ONLY },

	/* Known nodes (issue 10): unknown senders, --drop-unknown, a known
	 * node's TTL (the frames carry 64), TTL learning, expired blocks. */
	{ "nodes: unknown sender's ok frame counted, passes", { V4 }, P_NONE, S_NODES_OTHER,
	  OK, .unk = 1 },
	{ "nodes: unknown sender v6 bad counted, passes", { V6 }, P_FLIP_PAYLOAD_BIT,
	  S_NODES_OTHER, BAD, .unk = 1 },
	{ "nodes: unknown sender's zero frame counted", { V4, .csum = PKT_CSUM_ZERO },
	  P_NONE, S_NODES_OTHER, ZI_UNCH, .unk = 1 },
	{ "nodes: unknown sender's malformed (ihl 4) counted", { V4 }, P_IHL_4, S_NODES_OTHER,
	  PASS(T, CG_V_MALFORMED), TC(CG_IF_UNPARSED, 0), .unk = 1 },
	{ "nodes: unknown sender's fragment is no sender judgement", { V4, .frag = PKT_FRAG_LATER },
	  P_NONE, S_NODES_OTHER_DROP, PASS(T, CG_V_FRAGMENT) },
	{ "nodes: unknown sender's first fragment passes --drop-unknown",
	  { V4, .frag = PKT_FRAG_FIRST }, P_NONE, S_NODES_OTHER_DROP, PASS(T, CG_V_FRAGMENT) },
	{ "nodes: unknown sender's udp 53 untouched", { V4, .dport = 53 }, P_NONE,
	  S_NODES_OTHER_DROP, NOT_TUNNEL },
	{ "nodes: --drop-unknown drops the unknown sender's ok frame", { V4 }, P_NONE,
	  S_NODES_OTHER_DROP, DROP(T, CG_V_OK, CG_IF_DROP_UNKNOWN), .unk = 1 },
	{ "nodes: --drop-unknown drops v6 bad", { V6 }, P_FLIP_PAYLOAD_BIT, S_NODES_OTHER_DROP,
	  DROP(T, CG_V_BAD, CG_IF_DROP_UNKNOWN), .cls = CG_BC_UNCLASSIFIED, .unk = 1 },
	{ "nodes: --drop-unknown drops a bad_ip_header frame", { V4 }, P_IP_HDR_CSUM,
	  S_NODES_OTHER_DROP, DROP(T, CG_V_BAD_IP_HEADER, CG_IF_DROP_UNKNOWN),
	  TC(T, CG_E_FINAL_OK), .unk = 1 },
	{ "nodes: blocked and unknown: dropped as blocked", { V4 }, P_NONE,
	  S_NODES_OTHER_DROP_BLOCK, DROP(T, CG_V_OK, CG_IF_DROP_BLOCKED), .unk = 1 },
	{ "nodes: --drop-unknown + repair: dropped, not repaired", { V4, WRONG, IN4() }, P_NONE,
	  S_NODES_OTHER_DROP_REPAIR, DROP(T, CG_V_BAD, CG_IF_DROP_UNKNOWN),
	  .cls = CG_BC_OUTER_ONLY, .unk = 1 },
	{ "nodes: ::ffff:a.b.c.d is not the known IPv4 node", { V6 }, P_NONE,
	  S_NODES_V4_TWIN_DROP, DROP(T, CG_V_OK, CG_IF_DROP_UNKNOWN), .unk = 1 },
	{ "nodes: known node, TTL not known: an ok frame teaches", { V4 }, P_NONE, S_NODES_LEARN,
	  OK, .learn = 1 },
	{ "nodes: known node v6, hop limit not known: ok teaches", { V6 }, P_NONE,
	  S_NODES_LEARN, OK, .learn = 1 },
	{ "nodes: known node, TTL not known: bad does not teach", { V4 }, P_FLIP_PAYLOAD_BIT,
	  S_NODES_LEARN, BAD },
	{ "nodes: known node, TTL not known: unfinished does not teach",
	  { V4, .csum = PKT_CSUM_SEED }, P_NONE, S_NODES_LEARN, PASS(T, CG_V_UNFINISHED) },
	{ "nodes: known node's TTL: ok is evidence", { V4 }, P_NONE, S_NODES_MATCH, OK,
	  .ttl = CG_REF_TTL_MATCH },
	{ "nodes: known node's TTL: bad is evidence", { V4 }, P_FLIP_PAYLOAD_BIT, S_NODES_MATCH,
	  BAD, .ttl = CG_REF_TTL_MATCH },
	{ "nodes: known node's hop limit: v6 unfinished is evidence",
	  { V6, .csum = PKT_CSUM_SEED }, P_NONE, S_NODES_MATCH, PASS(T, CG_V_UNFINISHED),
	  .ttl = CG_REF_TTL_MATCH },
	{ "nodes: known node's TTL: zero is no evidence", { V4, .csum = PKT_CSUM_ZERO }, P_NONE,
	  S_NODES_MATCH, ZI_UNCH, .ttl = CG_REF_TTL_MATCH },
	{ "nodes: another TTL: ttl_mismatch, no evidence", { V4 }, P_FLIP_PAYLOAD_BIT,
	  S_NODES_MISMATCH, BAD, .ttl = CG_REF_TTL_MISMATCH },
	{ "nodes: another hop limit v6: ttl_mismatch", { V6 }, P_NONE, S_NODES_MISMATCH, OK,
	  .ttl = CG_REF_TTL_MISMATCH },
	{ "nodes: known node's unparsed frame: its row, not judged", { V4, .dport = 53 },
	  P_IHL_4, S_NODES_MISMATCH, UNPARSED },
	{ "nodes: known node's fragment: its row, no TTL judgement", { V4, .frag = PKT_FRAG_LATER },
	  P_NONE, S_NODES_MISMATCH, PASS(T, CG_V_FRAGMENT) },
	{ "nodes: known and blocked: its row stays the node's", { V4 }, P_NONE,
	  S_NODES_MATCH_BLOCK, DROP(T, CG_V_OK, CG_IF_DROP_BLOCKED), .ttl = CG_REF_TTL_MATCH },
	{ "expired block: passes, counted as any source", { V4 }, P_NONE, S_BLOCK_EXPIRED, OK },
	{ "expired block: its non-tunnel frame passes", { V4, .dport = 53 }, P_IHL_4,
	  S_BLOCK_EXPIRED, UNPARSED },
};

static struct pkt_layout build_layout;	/* of the last frame build() made */
static struct pkt_inner_layout build_inner;	/* and of its inner packet */

/* One bit flipped at frame offset off; the outer checksum is left alone. */
static void flip(uint8_t *buf, size_t off)
{
	buf[off] ^= 0x10;
}

static size_t build(const struct xdp_case *c, uint8_t *buf, size_t cap, struct cg_addr *src,
		    struct cg_addr *dst)
{
	struct pkt_spec s;
	struct pkt_layout l;
	size_t len;

	pkt_spec_init(&s, c->spec.family ? c->spec.family : 4);
	/* Overlay the fields the case sets (zero means "default"). */
	s.vlan_tags = c->spec.vlan_tags;
	s.ipv4_opt_len = c->spec.ipv4_opt_len;
	memcpy(s.ipv6_ext, c->spec.ipv6_ext, sizeof(s.ipv6_ext));
	s.n_ipv6_ext = c->spec.n_ipv6_ext;
	s.ipv6_routing_segs_left = c->spec.ipv6_routing_segs_left;
	s.frag = c->spec.frag;
	s.l4proto = c->spec.l4proto;
	if (c->spec.dport)
		s.dport = c->spec.dport;
	if (c->spec.encap)
		s.encap = c->spec.encap;
	s.gue_version = c->spec.gue_version;
	if (c->spec.inner_len == NO_INNER_LEN)
		s.inner_len = 0;
	else if (c->spec.inner_len)
		s.inner_len = c->spec.inner_len;
	s.udp_extra = c->spec.udp_extra;
	s.trailer = c->spec.trailer;
	s.csum = c->spec.csum;
	s.csum_value = c->spec.csum_value;
	s.ulen_override = c->spec.ulen_override;
	if (c->spec.saddr[10] || c->spec.saddr[0])
		memcpy(s.saddr, c->spec.saddr, sizeof(s.saddr));
	s.seed = 7;
	s.gue_hlen = c->spec.gue_hlen;
	s.gue_flags = c->spec.gue_flags;
	s.gue_control = c->spec.gue_control;
	s.geneve_opt_words = c->spec.geneve_opt_words;
	s.geneve_ip = c->spec.geneve_ip;
	s.inner = c->spec.inner;

	len = pkt_build_inner(buf, cap, &s, &l, &build_inner);
	if (!len)
		return 0;
	build_layout = l;

	if (s.family == 4) {
		cg_addr_from_v4(src, s.saddr);
		cg_addr_from_v4(dst, s.daddr);
	} else {
		cg_addr_from_v6(src, s.saddr);
		cg_addr_from_v6(dst, s.daddr);
	}

	switch (c->patch) {
	case P_NONE:
		break;
	case P_FLIP_PAYLOAD_BIT:
		buf[l.l4 + CG_UDP_HLEN + 8] ^= 0x10;
		break;
	case P_FLIP_LAST_BIT:
		buf[l.l4 + l.udp_len - 1] ^= 0x01;
		break;
	case P_TRUNC_ETH:
		len = CG_ETH_HLEN;
		break;
	case P_TRUNC_VLAN:
		len = CG_ETH_HLEN + 2;
		break;
	case P_TRUNC_L3:
		len = l.l3 + 10;
		break;
	case P_TRUNC_IP6_EXT:
		/* payload length 4: ends inside the hop-by-hop header */
		buf[l.l3 + 4] = 0;
		buf[l.l3 + 5] = 4;
		break;
	/* The IPv4 length patches keep the header checksum right (a sender
	 * that writes a wrong length computes the checksum over it): what
	 * they test is the length, not bad_ip_header. */
	case P_UDP_HDR_CUT:
		if (s.family == 6) {
			buf[l.l3 + 4] = 0;
			buf[l.l3 + 5] = 4;	/* payload length: 4 bytes */
			break;
		}
		buf[l.l3 + 2] = 0;
		buf[l.l3 + 3] = (uint8_t)(l.l4 - l.l3 + 4);	/* header + 4 bytes */
		pkt_fix_ipv4_hdr(buf + l.l3);
		break;
	case P_UDP_HDR_CUT_PORT:
		buf[l.l3 + 2] = 0;
		buf[l.l3 + 3] = (uint8_t)(l.l4 - l.l3 + 2);
		pkt_fix_ipv4_hdr(buf + l.l3);
		len = l.l4 + 2;		/* the frame ends after the source port */
		break;
	case P_IHL_4:
		buf[l.l3] = 0x44;
		break;
	case P_TOTLEN_LT_IHL:
		buf[l.l3 + 2] = 0;
		buf[l.l3 + 3] = 19;
		pkt_fix_ipv4_hdr(buf + l.l3);
		break;
	case P_TOTLEN_GT_FRAME:
	case P_TOTLEN_GT_FRAME_BAD_HDR: {
		size_t tot = len - l.l3 + 1;

		buf[l.l3 + 2] = (uint8_t)(tot >> 8);
		buf[l.l3 + 3] = (uint8_t)tot;
		if (c->patch == P_TOTLEN_GT_FRAME)
			pkt_fix_ipv4_hdr(buf + l.l3);
		break;
	}
	case P_FLIP_INNER_PAYLOAD:
		flip(buf, build_inner.payload + 1);
		break;
	case P_FLIP_PAD:
		flip(buf, build_inner.end + 1);
		break;
	case P_IP_HDR_CSUM:
		/* off by one, never onto the same one's-complement value */
		if (buf[l.l3 + 10] == 0xff && buf[l.l3 + 11] == 0xff)
			buf[l.l3 + 11] = 0xfe;
		else if (++buf[l.l3 + 11] == 0)
			buf[l.l3 + 10]++;
		break;
	case P_GENEVE_V1:
		buf[l.l4 + CG_UDP_HLEN] |= 0x40;
		break;
	case P_GENEVE_PROTO:
		buf[l.l4 + CG_UDP_HLEN + 2] = 0x88;
		buf[l.l4 + CG_UDP_HLEN + 3] = 0xb5;
		break;
	case P_GUE_PROTO:
		buf[l.l4 + CG_UDP_HLEN + 1] = 47;
		break;
	case P_GUE1_NIBBLE5:
		buf[l.l4 + CG_UDP_HLEN] = 0x55;
		break;
	case P_OUTER_CSUM_1234:
		buf[l.l4 + 6] = 0x12;
		buf[l.l4 + 7] = 0x34;
		break;
	case P_IP6_PLEN_0:
		buf[l.l3 + 4] = buf[l.l3 + 5] = 0;
		break;
	case P_IP6_PLEN_GT_FRAME: {
		size_t plen = len - l.l3 - CG_IPV6_HLEN + 1;

		buf[l.l3 + 4] = (uint8_t)(plen >> 8);
		buf[l.l3 + 5] = (uint8_t)plen;
		break;
	}
	case P_ARP:
		buf[l.l3 - 2] = 0x08;
		buf[l.l3 - 1] = 0x06;
		break;
	case P_VERSION_5:
		buf[l.l3] = 0x55;
		break;
	case P_ETHERTYPE_0:
		buf[l.l3 - 2] = buf[l.l3 - 1] = 0;
		break;
	}
	return len;
}

static struct cg_ref_node_entry case_nodes[2];

static void make_config(enum setup su, const struct cg_addr *src, struct cg_ref_config *cfg,
			struct cg_ref_block_entry *blk)
{
	cg_ref_config_default(cfg);
	memset(blk, 0, sizeof(*blk));
	memset(case_nodes, 0, sizeof(case_nodes));
	switch (su) {
	case S_DEFAULT:
		break;
	case S_GUE:
		cfg->port_encap[GUE_PORT] = CG_ENCAP_GUE;
		break;
	case S_DROP:
		cfg->mode = CG_MODE_DROP;
		break;
	case S_DROP_BLOCK_SRC:
		cfg->mode = CG_MODE_DROP;
		/* fall through */
	case S_BLOCK_SRC:
	case S_BLOCK_SRC_ALL:
		blk->addr = *src;
		blk->flags = su == S_BLOCK_SRC_ALL ? CG_BLOCK_ALL_TRAFFIC : 0;
		cfg->blocks = blk;
		cfg->nblocks = 1;
		break;
	case S_BLOCK_OTHER:
		blk->addr = *src;
		blk->addr.a[15] ^= 0x80;
		blk->flags = CG_BLOCK_ALL_TRAFFIC;
		cfg->blocks = blk;
		cfg->nblocks = 1;
		break;
	case S_BLOCK_V4_TWIN:
		cg_addr_from_v4(&blk->addr, &src->a[12]);
		blk->flags = CG_BLOCK_ALL_TRAFFIC;
		cfg->blocks = blk;
		cfg->nblocks = 1;
		break;
	case S_REPAIR:
		cfg->flags = CG_CFG_REPAIR;
		break;
	case S_REPAIR_DROP:
		cfg->flags = CG_CFG_REPAIR;
		cfg->mode = CG_MODE_DROP;
		break;
	case S_REPAIR_BLOCK_SRC:
		cfg->flags = CG_CFG_REPAIR;
		blk->addr = *src;
		blk->flags = 0;
		cfg->blocks = blk;
		cfg->nblocks = 1;
		break;
	case S_GUE_REPAIR:
		cfg->flags = CG_CFG_REPAIR;
		cfg->port_encap[GUE_PORT] = CG_ENCAP_GUE;
		break;
	case S_NODES_OTHER_DROP_REPAIR:
		cfg->flags = CG_CFG_REPAIR;
		/* fall through */
	case S_NODES_OTHER_DROP_BLOCK:
		if (su == S_NODES_OTHER_DROP_BLOCK) {
			blk->addr = *src;
			cfg->blocks = blk;
			cfg->nblocks = 1;
		}
		/* fall through */
	case S_NODES_OTHER_DROP:
		cfg->flags |= CG_CFG_DROP_UNKNOWN;
		/* fall through */
	case S_NODES_OTHER:
		case_nodes[0].addr = *src;
		case_nodes[0].addr.a[15] ^= 0x80;	/* another address */
		case_nodes[0].ttl = 64;
		cfg->nodes = case_nodes;
		cfg->nnodes = 1;
		break;
	case S_NODES_V4_TWIN_DROP:
		cfg->flags |= CG_CFG_DROP_UNKNOWN;
		cg_addr_from_v4(&case_nodes[0].addr, &src->a[12]);
		case_nodes[0].ttl = 64;
		cfg->nodes = case_nodes;
		cfg->nnodes = 1;
		break;
	case S_NODES_MATCH_BLOCK:
		blk->addr = *src;
		cfg->blocks = blk;
		cfg->nblocks = 1;
		/* fall through */
	case S_NODES_LEARN:
	case S_NODES_MATCH:
	case S_NODES_MISMATCH:
		case_nodes[0].addr = *src;
		case_nodes[0].ttl = su == S_NODES_LEARN ? 0 : su == S_NODES_MISMATCH ? 63 : 64;
		/* and another node, so the source is one of several */
		case_nodes[1].addr = *src;
		case_nodes[1].addr.a[15] ^= 0x80;
		case_nodes[1].ttl = 64;
		cfg->nodes = case_nodes;
		cfg->nnodes = 2;
		break;
	case S_BLOCK_EXPIRED:
		blk->addr = *src;
		blk->expired = true;
		cfg->blocks = blk;
		cfg->nblocks = 1;
		break;
	}
}

/* The source is a known node in this setup (its row: cg_src_nodes). */
static int known_setup(enum setup su)
{
	return su == S_NODES_LEARN || su == S_NODES_MATCH || su == S_NODES_MISMATCH ||
	       su == S_NODES_MATCH_BLOCK;
}

static int drop_mode(enum setup su)
{
	return su == S_DROP || su == S_DROP_BLOCK_SRC || su == S_REPAIR_DROP;
}

static int blocked_setup(enum setup su)
{
	return su == S_BLOCK_SRC || su == S_BLOCK_SRC_ALL || su == S_DROP_BLOCK_SRC ||
	       su == S_REPAIR_BLOCK_SRC || su == S_NODES_OTHER_DROP_BLOCK ||
	       su == S_NODES_MATCH_BLOCK;
}

static uint8_t frame[20000];
static struct cg_ref_config cfg;

/* The XDP verdict's egress twin (SPEC 2 "TC egress"). */
static enum cg_egress_state egress_state_of(enum cg_verdict v)
{
	switch (v) {
	case CG_V_OK:
		return CG_E_FINAL_OK;
	case CG_V_BAD:
		return CG_E_FINAL_BAD;
	case CG_V_UNFINISHED:
		return CG_E_OFFLOADED;
	case CG_V_ZERO:
		return CG_E_ZERO;
	case CG_V_FRAGMENT:
		return CG_E_FRAGMENT;
	default:
		return CG_E_MALFORMED;
	}
}

/* One skb through one TC hook against a hand-stated expectation, which the
 * reference verifier's egress classification must share; "skip" when a TC
 * test run does not take the frame. */
static void check_egress(struct harness *h, struct st_result *res, enum xh_hook hook,
			 const char *cname, size_t len, uint32_t gso_size, uint32_t gso_segs,
			 const struct xh_egress_expect *e, int configured)
{
	struct cg_ref_egress ref;
	struct xh_egress_expect from_ref;
	char name[256], why[1024] = "";
	const char *skip;
	int fail = 0;

	snprintf(name, sizeof(name), "%s: %s", xh_hook_name(hook), cname);
	if (!xh_hook_takes(hook, frame, len, &skip)) {
		snprintf(why, sizeof(why), "%zu-byte frame; %s", len, skip);
		st_skip(res, name, why);
		return;
	}
	cg_ref_egress_classify(frame, len, &cfg, gso_size != 0, gso_segs, &ref);
	xh_egress_expect_from_ref(&ref, &from_ref);
	if (from_ref.action != e->action || from_ref.kind != e->kind ||
	    from_ref.weight != e->weight || from_ref.gso != e->gso ||
	    from_ref.gso_tunnel != e->gso_tunnel ||
	    (e->kind == CG_IF_TUNNEL && (from_ref.state != e->state ||
					 memcmp(&from_ref.dst, &e->dst, sizeof(e->dst))))) {
		snprintf(why, sizeof(why), "reference verifier disagrees with the table: action %d "
			 "kind %d state %d weight %u gso %d gso_tunnel %d", from_ref.action,
			 from_ref.kind, from_ref.state, from_ref.weight, from_ref.gso,
			 from_ref.gso_tunnel);
		fail = 1;
	}
	if (!fail && !configured) {
		snprintf(why, sizeof(why), "could not configure the datapath");
		fail = 1;
	}
	if (!fail && xh_check_egress(h, hook, frame, len, gso_size, gso_segs, e, why, sizeof(why)))
		fail = 1;
	st_report(res, name, fail ? -1 : 0, why);
}

/* The frame of XDP case c through the TC programs: the hand-stated XDP row
 * read for egress (the same kind; the verdict's state; dropped only for a
 * bad datagram in drop mode: the blocklist plays no part at egress). */
static void check_tc(struct harness *h, struct st_result *res, const struct xdp_case *c,
		     size_t len, const struct cg_addr *dst, int configured)
{
	struct xh_egress_expect e = { 0 };
	enum xh_hook hook;
	char name[256];

	e.kind = c->tc_set ? c->tc_kind : c->kind;
	e.state = c->tc_set ? c->tc_state : egress_state_of(c->verdict);
	e.weight = 1;
	e.dst = *dst;
	e.action = e.kind == CG_IF_TUNNEL && e.state == CG_E_FINAL_BAD && drop_mode(c->setup) ?
		   TC_ACT_SHOT : TC_ACT_UNSPEC;
	if (h->tc_skip_why) {
		snprintf(name, sizeof(name), "tc: %s", c->name);
		st_skip(res, name, h->tc_skip_why);
		return;
	}
	if (!h->run_tc)
		return;
	for (hook = XH_TC; hook <= XH_TCF; hook++)
		if (xh_hook_loaded(h, hook))
			check_egress(h, res, hook, c->name, len, 0, 0, &e, configured);
}

static int run_seq_cases(struct harness *h, struct st_result *res, const char *filter);

/*
 * The frame the XDP program passed on (data_out): unchanged, except that a
 * repaired frame's outer checksum field holds what the reference verifier
 * computed for it, and the reference verifier (repair off) finds the result
 * ok, its inner packet intact.
 */
static int check_output(const uint8_t *in, size_t len, const uint8_t *out, size_t out_len,
			const struct cg_ref_result *ref, char *why, size_t whylen)
{
	static struct cg_ref_config plain;
	struct cg_ref_result again;
	size_t i, f = ref->udp_off + 6;

	if (out_len != len) {
		snprintf(why, whylen, " data_out is %zu bytes, %zu went in", out_len, len);
		return -1;
	}
	for (i = 0; i < len; i++) {
		if (ref->repaired && (i == f || i == f + 1))
			continue;
		if (in[i] != out[i]) {
			snprintf(why, whylen, " data_out differs at byte %zu (%s)", i,
				 ref->repaired ? "repaired: only the outer checksum may change" :
				 "nothing may change");
			return -1;
		}
	}
	if (!ref->repaired)
		return 0;
	if ((uint16_t)(out[f] << 8 | out[f + 1]) != ref->expected_csum) {
		snprintf(why, whylen, " repaired field 0x%02x%02x, the reference computes 0x%04x",
			 out[f], out[f + 1], ref->expected_csum);
		return -1;
	}
	plain = cfg;
	plain.flags = 0;
	cg_ref_classify(out, out_len, &plain, &again);
	if (again.kind != CG_IF_TUNNEL || again.verdict != CG_V_OK) {
		snprintf(why, whylen, " the repaired frame does not verify with the reference "
			 "verifier: kind %d verdict %d", again.kind, again.verdict);
		return -1;
	}
	return 0;
}

int run_xdp_cases(struct harness *h, struct st_result *res, const char *filter)
{
	static uint8_t out[sizeof(frame)];
	size_t out_len;
	int ran = 0;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct xdp_case *c = &cases[i];
		struct cg_ref_block_entry blk;
		struct cg_ref_result ref;
		struct xh_expect e, from_ref;
		char why[1024] = "", nbuf[256];
		const char *name = xh_xdp_case_name(h, c->name, nbuf, sizeof(nbuf)), *skip;
		struct cg_addr src, dst;
		size_t len, seen;
		int fail = 0, configured;

		if (filter && !strstr(c->name, filter))
			continue;
		ran++;
		len = build(c, frame, sizeof(frame), &src, &dst);
		if (!len) {
			st_report(res, name, -1, "frame did not build");
			continue;
		}
		make_config(c->setup, &src, &cfg, &blk);
		memset(&e, 0, sizeof(e));
		e.action = c->action;
		e.kind = c->kind;
		e.verdict = c->verdict;
		e.drop = c->drop;
		e.src = src;
		/* The row, stated from the table: every verdict, and every
		 * unparsed frame that showed its source; kept when blocked. */
		e.row = c->kind == CG_IF_TUNNEL ? XH_ROW_VERDICT :
			c->kind == CG_IF_UNPARSED && !c->no_src ? XH_ROW_UNPARSED : XH_ROW_NONE;
		e.kept = e.row != XH_ROW_NONE && blocked_setup(c->setup);
		e.known = e.row != XH_ROW_NONE && known_setup(c->setup);
		e.cls = c->cls;
		e.zero_inner = c->zin;
		e.repaired = c->repaired;
		e.unknown = c->unk;
		e.ttl_state = c->ttl;
		e.learn = c->learn;
		e.ttl = 64;	/* what build() puts in every frame */

		/* The reference verifier must agree with the hand-written row. */
		cg_ref_classify(frame, len, &cfg, &ref);
		xh_expect_from_ref(&ref, &from_ref);
		if (from_ref.action != e.action || from_ref.kind != e.kind ||
		    from_ref.drop != e.drop || from_ref.row != e.row || from_ref.kept != e.kept ||
		    from_ref.repaired != e.repaired || from_ref.known != e.known ||
		    from_ref.unknown != e.unknown || from_ref.ttl_state != e.ttl_state ||
		    from_ref.learn != e.learn || (e.learn && from_ref.ttl != e.ttl) ||
		    (e.kind == CG_IF_TUNNEL && from_ref.verdict != e.verdict) ||
		    (e.verdict == CG_V_BAD && from_ref.cls != e.cls) ||
		    (e.verdict == CG_V_ZERO && from_ref.zero_inner != e.zero_inner) ||
		    (e.row != XH_ROW_NONE && memcmp(&from_ref.src, &src, sizeof(src)))) {
			snprintf(why, sizeof(why),
				 "reference verifier disagrees with the table: kind %d verdict %d "
				 "class %d zero_inner %d repaired %d drop %d row %d kept %d known %d "
				 "unknown %d ttl_state %d learn %d ttl %u",
				 from_ref.kind, from_ref.verdict, from_ref.cls, from_ref.zero_inner,
				 from_ref.repaired, from_ref.drop, from_ref.row, from_ref.kept,
				 from_ref.known, from_ref.unknown, from_ref.ttl_state, from_ref.learn,
				 from_ref.ttl);
			fail = 1;
		}
		configured = !xh_apply(h, &cfg);
		if (!fail && !configured) {
			snprintf(why, sizeof(why), "could not configure the datapath");
			fail = 1;
		}
		seen = xh_xdp_seen_len(h, len);
		if (!fail && !xh_xdp_takes(h, len, &skip)) {
			snprintf(why, sizeof(why), "%zu-byte frame; %s", len, skip);
			st_skip(res, name, why);
			check_tc(h, res, c, len, &dst, configured);
			continue;
		}
		if (!fail && seen < len) {
			/* The single-buffer program sees the first buffer only:
			 * what the reference says of those bytes, which must be
			 * a frame it passes without judging its checksum: the IP
			 * header's length runs past them, so unparsed, or (a
			 * tunnel port showing) malformed for its source (SPEC
			 * 2.4) - never ok or bad. In production it never sees
			 * a cut frame: native mode is refused above the MTU one
			 * buffer holds, generic XDP hands it linear frames. */
			cg_ref_classify(frame, seen, &cfg, &ref);
			xh_expect_from_ref(&ref, &e);
			snprintf(nbuf, sizeof(nbuf), "xdpsb: %s: sees its first %zu of %zu bytes: "
				 "not judged, passed", c->name, seen, len);
			name = nbuf;
			if (e.action != XDP_PASS ||
			    !(e.kind == CG_IF_UNPARSED ||
			      (e.kind == CG_IF_TUNNEL && e.verdict == CG_V_MALFORMED))) {
				snprintf(why, sizeof(why), "the reference verifier gives the first "
					 "%zu bytes kind %d verdict %d action %d, not unparsed or "
					 "malformed and passed: the case cannot show the "
					 "single-buffer program fails open", seen, e.kind, e.verdict,
					 e.action);
				fail = 1;
			}
		}
		if (!fail && xh_check_one_out(h, frame, len, &e, out, sizeof(out), &out_len, why,
					      sizeof(why)))
			fail = 1;
		/* What it passed on: the single-buffer program's view of a
		 * longer frame is not the frame, so only whole frames. */
		if (!fail && seen == len && check_output(frame, len, out, out_len, &ref, why,
							 sizeof(why)))
			fail = 1;
		st_report(res, name, fail ? -1 : 0, why);
		check_tc(h, res, c, len, &dst, configured);
	}
	return ran + run_seq_cases(h, res, filter);
}

/* ---- Sampling (issue 10, SPEC 2.6): sequences of frames ------------------ */

/* A sequence: n frames of case frame_a (and, between them, frame_b when
 * given: not a tunnel frame) under one configuration, from zeroed counters
 * and a restarted countdown. Hand-stated figures; the reference verifier,
 * advancing its own countdown frame by frame, must agree with each frame's
 * action and with the totals and the source's row. */
struct seq_case {
	const char *name;
	struct pkt_spec a, b;	/* b.family 0: no second frame */
	enum patch patch_a;
	enum setup setup;
	uint32_t sample;
	int n;			/* frames of a */
	/* stated: */
	uint64_t verified, unverified, dropped;
};

static const struct seq_case seq_cases[] = {
	{ "sampling 1 in 3: 7 bad frames, 3 verified, udp 53 between not counted",
	  { V4 }, { V4, .dport = 53 }, P_FLIP_PAYLOAD_BIT, S_DEFAULT, 3, 7, 3, 4, 0 },
	{ "sampling 1 in 2, drop mode: only the verified bad frames dropped",
	  { V6, WRONG, IN6() }, { 0 }, P_NONE, S_DROP, 2, 6, 3, 3, 3 },
	{ "sampling 1 in 4, blocked source: every tunnel frame dropped",
	  { V4, IN4() }, { 0 }, P_NONE, S_BLOCK_SRC, 4, 9, 3, 6, 9 },
	{ "sampling 1 in 5, repair mode: the verified bad_outer_only repaired",
	  { V4, WRONG, IN4(ITCP) }, { 0 }, P_NONE, S_REPAIR, 5, 6, 2, 4, 0 },
	{ "sampling 1 in 1: every frame verified", { V6, GENEVE }, { 0 }, P_NONE, S_DEFAULT, 1,
	  4, 4, 0, 0 },
	{ "sampling 0: every frame verified", { V4, GUE1, .csum = PKT_CSUM_ZERO, IN4() }, { 0 },
	  P_NONE, S_GUE, 0, 3, 3, 0, 0 },
};

static void run_seq(struct harness *h, struct st_result *res, const struct seq_case *c)
{
	struct xdp_case xa = { .spec = c->a, .patch = c->patch_a }, xb = { .spec = c->b };
	static uint8_t fa[20000], fb[20000];
	struct cg_iface_stats want = { 0 }, got;
	struct cg_src_stats want_src = { 0 }, got_src;
	struct cg_ref_block_entry blk;
	struct cg_ref_result ref;
	struct xh_expect e;
	struct cg_addr src, dst, src_b;
	uint64_t left = 0, verified = 0, unverified = 0, dropped = 0;
	size_t la, lb = 0;
	char why[1024] = "", sub[768];
	int i, action, fail = 0, kept;

	la = build(&xa, fa, sizeof(fa), &src, &dst);
	if (c->b.family)
		lb = build(&xb, fb, sizeof(fb), &src_b, &dst);
	make_config(c->setup, &src, &cfg, &blk);
	cfg.sample = c->sample;
	cfg.sample_left = &left;
	if (!la || (c->b.family && !lb) || xh_apply(h, &cfg) || xh_reset_counters(h)) {
		st_report(res, c->name, -1, "frame did not build, or the datapath did not configure");
		cfg.sample_left = NULL;
		return;
	}
	kept = blocked_setup(c->setup);
	for (i = 0; i < c->n && !fail; i++) {
		cg_ref_classify(fa, la, &cfg, &ref);
		xh_expect_from_ref(&ref, &e);
		xh_expect_add_iface(&want, &e);
		xh_expect_add_src(&want_src, &e, la);
		want.c[CG_IF_SRC_INSERTED] = !kept;
		/* its shared part: made by its first frame that is not common */
		if (xh_expect_rare(&e) && !e.kept && !e.known)
			want.c[CG_IF_SRC_RARE_INSERTED] = 1;
		verified += e.kind == CG_IF_TUNNEL;
		unverified += e.kind == CG_IF_UNVERIFIED;
		dropped += e.action == XDP_DROP;
		if (xh_run(h, XH_XDP, fa, la, &action)) {
			snprintf(why, sizeof(why), " test run failed");
			fail = 1;
		} else if (action != e.action) {
			snprintf(why, sizeof(why), " frame %d: action want %d got %d", i + 1, e.action,
				 action);
			fail = 1;
		}
		if (lb) {
			cg_ref_classify(fb, lb, &cfg, &ref);
			xh_expect_from_ref(&ref, &e);
			xh_expect_add_iface(&want, &e);
			if (xh_expect_rare(&e) && !e.kept && !e.known)
				want.c[CG_IF_SRC_RARE_INSERTED] = 2;	/* a's and b's */
			if (xh_run(h, XH_XDP, fb, lb, &action) || action != e.action)
				fail = 1;
		}
	}
	cfg.sample_left = NULL;
	if (!fail && (verified != c->verified || unverified != c->unverified ||
		      dropped != c->dropped)) {
		snprintf(why, sizeof(why), " reference verifier disagrees with the table: verified "
			 "%llu unverified %llu dropped %llu", (unsigned long long)verified,
			 (unsigned long long)unverified, (unsigned long long)dropped);
		fail = 1;
	}
	if (!fail && (cg_iface_read(h->iface_fd, &got) ||
		      xh_src_read(h, 0, kept, &src, &got_src))) {
		snprintf(why, sizeof(why), " no counters or no row for the source");
		fail = 1;
	}
	if (!fail && xh_cmp_iface(&want, &got, sub, sizeof(sub))) {
		snprintf(why, sizeof(why), "%s", sub);
		fail = 1;
	}
	if (!fail && xh_cmp_src(&want_src, &got_src, sub, sizeof(sub))) {
		snprintf(why, sizeof(why), " source:%s", sub);
		fail = 1;
	}
	/* and the stated figures, straight from the datapath's counters */
	if (!fail && (got.c[CG_IF_TUNNEL] + got.c[CG_IF_UNVERIFIED] != (uint64_t)c->n ||
		      got.c[CG_IF_UNVERIFIED] != c->unverified || got_src.unverified != c->unverified ||
		      got_src.packets != c->verified ||
		      got.c[CG_IF_DROP_BAD] + got.c[CG_IF_DROP_BLOCKED] != c->dropped)) {
		snprintf(why, sizeof(why), " datapath: tunnel %llu unverified %llu, source packets "
			 "%llu unverified %llu, dropped %llu",
			 (unsigned long long)got.c[CG_IF_TUNNEL],
			 (unsigned long long)got.c[CG_IF_UNVERIFIED],
			 (unsigned long long)got_src.packets, (unsigned long long)got_src.unverified,
			 (unsigned long long)(got.c[CG_IF_DROP_BAD] + got.c[CG_IF_DROP_BLOCKED]));
		fail = 1;
	}
	st_report(res, c->name, fail ? -1 : 0, why);
}

static int run_seq_cases(struct harness *h, struct st_result *res, const char *filter)
{
	size_t i;
	int ran = 0;

	for (i = 0; i < sizeof(seq_cases) / sizeof(seq_cases[0]); i++) {
		if (filter && !strstr(seq_cases[i].name, filter))
			continue;
		ran++;
		run_seq(h, res, &seq_cases[i]);
	}
	return ran;
}

/* ---- TC egress only: GSO skbs (the two GSO fields of a TC test run) ------ */

/* The seeds of the default IPv4 frame (10.0.0.1 -> 10.0.0.2, UDP length 80:
 * 8 UDP + 8 VXLAN + 64 inner), worked out by hand: the pseudo-header words
 * 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 0x0011 (protocol) = 0x1414; with the
 * length + 0x0050 = 0x1464. */
#define SEED_NOLEN_V4	0x1414
#define SEED_V4		0x1464

struct tc_case {
	const char *name;
	struct pkt_spec spec;
	enum setup setup;
	uint32_t gso_size, gso_segs;	/* 0, 0: not a GSO skb */
	int action;			/* TC_ACT_UNSPEC (pass on) / TC_ACT_SHOT */
	enum cg_iface_counter kind;
	enum cg_egress_state state;
	uint32_t weight;
	int gso_tunnel;			/* the facts program checks the metadata */
	int lco;		/* inner IPv4 + this L4 (UDP/TCP) with its checksum still
				 * a seed, the outer written as LCO does (lco_patch) */
	int flip;		/* after that: 1 a bit of the tunnel header (before the
				 * inner L4: the outer is wrong), 2 a bit of the inner
				 * payload (the NIC will sum it as it is: still right) */
};

#define GSO(segs) .gso_size = 1400, .gso_segs = (segs)
#define E_OK(k, st, w) .action = TC_ACT_UNSPEC, .kind = (k), .state = (st), .weight = (w)
#define TUN CG_IF_TUNNEL

static const struct tc_case tc_cases[] = {
	/* The seed a GSO skb carries at TC egress (udp_set_csum): offloaded,
	 * counted as its segments. */
	{ "gso vxlan v4 seed: offloaded, 5 wire packets", { V4, .csum = PKT_CSUM_SEED },
	  S_DEFAULT, GSO(5), E_OK(TUN, CG_E_OFFLOADED, 5), 1 },
	{ "gso vxlan v4 seed 0x1464 by hand: offloaded", { V4, .csum = PKT_CSUM_VALUE,
	  .csum_value = SEED_V4 }, S_DEFAULT, GSO(2), E_OK(TUN, CG_E_OFFLOADED, 2), 1 },
	{ "gso vxlan v6 seed: offloaded, 3 wire packets", { V6, .csum = PKT_CSUM_SEED },
	  S_DEFAULT, GSO(3), E_OK(TUN, CG_E_OFFLOADED, 3), 1 },
	{ "gso geneve v4 seed: offloaded", { V4, GENEVE, .csum = PKT_CSUM_SEED }, S_DEFAULT,
	  GSO(4), E_OK(TUN, CG_E_OFFLOADED, 4), 1 },
	{ "gso gue v0 v6 seed: offloaded", { V6, GUE0, .csum = PKT_CSUM_SEED }, S_GUE, GSO(6),
	  E_OK(TUN, CG_E_OFFLOADED, 6), 1 },
	{ "gso vxlan v4 2 vlan tags seed: offloaded", { V4, .vlan_tags = 2,
	  .csum = PKT_CSUM_SEED }, S_DEFAULT, GSO(2), E_OK(TUN, CG_E_OFFLOADED, 2), 1 },
	/* The length-free seed (what i40e hands its NIC): offloaded on a GSO
	 * skb only. */
	{ "gso seed without the length 0x1414: offloaded", { V4, .csum = PKT_CSUM_VALUE,
	  .csum_value = SEED_NOLEN_V4 }, S_DEFAULT, GSO(7), E_OK(TUN, CG_E_OFFLOADED, 7), 1 },
	{ "not gso, seed without the length 0x1414: final_bad", { V4, .csum = PKT_CSUM_VALUE,
	  .csum_value = SEED_NOLEN_V4 }, S_DEFAULT, 0, 0, E_OK(TUN, CG_E_FINAL_BAD, 1), 0 },
	{ "not gso, seed without the length, drop mode: dropped", { V4, .csum = PKT_CSUM_VALUE,
	  .csum_value = SEED_NOLEN_V4 }, S_DROP, 0, 0, .action = TC_ACT_SHOT, .kind = TUN,
	  .state = CG_E_FINAL_BAD, .weight = 1 },
	/* Not a seed on a GSO skb: final_bad (its segments would be finished
	 * from it), never dropped (not summed). */
	{ "gso with a final value: final_bad", { V4 }, S_DEFAULT, GSO(3),
	  E_OK(TUN, CG_E_FINAL_BAD, 3), 1 },
	{ "gso with a wrong value, drop mode: final_bad, passes", { V6, .csum = PKT_CSUM_VALUE,
	  .csum_value = 0x1234 }, S_DROP, GSO(3), E_OK(TUN, CG_E_FINAL_BAD, 3), 1 },
	{ "gso zero checksum: zero, 4 wire packets", { V4, .csum = PKT_CSUM_ZERO }, S_DEFAULT,
	  GSO(4), E_OK(TUN, CG_E_ZERO, 4), 1 },
	/* gso_segs 0 (not yet counted, e.g. after bpf_skb_adjust_room): once. */
	{ "gso_segs 0: one wire packet", { V4, .csum = PKT_CSUM_SEED }, S_DEFAULT, GSO(0),
	  E_OK(TUN, CG_E_OFFLOADED, 1), 1 },
	{ "gso fragment: fragment, no metadata check", { V4, .frag = PKT_FRAG_FIRST }, S_DEFAULT,
	  GSO(2), E_OK(TUN, CG_E_FRAGMENT, 2), 0 },
	{ "gso malformed: malformed, no metadata check", { V4, .ulen_override = 7 }, S_DEFAULT,
	  GSO(2), E_OK(TUN, CG_E_MALFORMED, 2), 0 },
	{ "gso udp to port 53: untouched", { V4, .dport = 53 }, S_DEFAULT, GSO(5),
	  E_OK(CG_IF_NOT_TUNNEL, 0, 5), 0 },
	{ "gso tcp: untouched", { V6, .l4proto = CG_IPPROTO_TCP }, S_DEFAULT, GSO(5),
	  E_OK(CG_IF_NOT_TUNNEL, 0, 5), 0 },
	/* Local checksum offload: the outer is final for the packet as the NIC
	 * will send it, after it finished the inner checksum (lco_patch). */
	{ "lco: vxlan v4, inner udp checksum partial: final_ok", { V4, .inner_len = 96 },
	  S_DEFAULT, 0, 0, E_OK(TUN, CG_E_FINAL_OK, 1), 0, .lco = 17 },
	{ "lco: vxlan v6, inner tcp checksum partial: final_ok", { V6, .inner_len = 96 },
	  S_DEFAULT, 0, 0, E_OK(TUN, CG_E_FINAL_OK, 1), 0, .lco = 6 },
	{ "lco: geneve v4, inner udp: final_ok", { V4, GENEVE, .inner_len = 96 }, S_DEFAULT, 0, 0,
	  E_OK(TUN, CG_E_FINAL_OK, 1), 0, .lco = 17 },
	{ "lco: gue v0 v4, inner tcp: final_ok", { V4, GUE0, .inner_len = 96 }, S_GUE, 0, 0,
	  E_OK(TUN, CG_E_FINAL_OK, 1), 0, .lco = 6 },
	{ "lco: inner payload bit flipped: still final_ok (the NIC sums it as it is)",
	  { V4, .inner_len = 96 }, S_DEFAULT, 0, 0, E_OK(TUN, CG_E_FINAL_OK, 1), 0, .lco = 17,
	  .flip = 2 },
	{ "lco: vni bit flipped: final_bad", { V4, .inner_len = 96 }, S_DEFAULT, 0, 0,
	  E_OK(TUN, CG_E_FINAL_BAD, 1), 0, .lco = 17, .flip = 1 },
	{ "lco: vni bit flipped, drop mode: dropped", { V6, .inner_len = 96 }, S_DROP, 0, 0,
	  .action = TC_ACT_SHOT, .kind = TUN, .state = CG_E_FINAL_BAD, .weight = 1, .lco = 6,
	  .flip = 1 },
	/* Egress ignores the blocklist: a blocked destination... is not a
	 * source; nothing is dropped for it. */
	{ "blocklist plays no part at egress", { V4 }, S_BLOCK_SRC_ALL, 0, 0,
	  E_OK(TUN, CG_E_FINAL_OK, 1), 0 },
};

/*
 * Makes the frame what udp_set_csum leaves at TC egress for an inner packet
 * whose own checksum is CHECKSUM_PARTIAL (local checksum offload): after the
 * tunnel header (its inner Ethernet, for VXLAN and Geneve) an IPv4 header
 * and a UDP or TCP header whose checksum field holds a seed (0x1234 here:
 * any value, the NIC sums from it), and the outer checksum computed for the
 * packet as it will be once the NIC finished the inner one, i.e. with the
 * inner L4 region summing to ~0x1234. Then flips one bit if asked.
 */
#define LCO_INNER_SEED	0x1234

static void lco_patch(uint8_t *f, const struct pkt_layout *l, int family, int encap, int proto,
		      int flip)
{
	size_t udp = l->l4, in = udp + CG_UDP_HLEN + 8, ip, l4, foff = proto == 6 ? 16 : 6;
	const uint8_t *sa = f + l->l3 + (family == 4 ? 12 : 8);
	const uint8_t *da = f + l->l3 + (family == 4 ? 16 : 24);
	uint32_t s;
	uint16_t c;

	if (encap == CG_ENCAP_GUE)
		in = udp + CG_UDP_HLEN + 4;	/* GUE v0, no options: IP at once */
	if (encap != CG_ENCAP_GUE) {
		memset(f + in, 0x02, 12);	/* inner MACs */
		f[in + 12] = 0x08;
		f[in + 13] = 0x00;
		in += CG_ETH_HLEN;
	}
	ip = in;
	memset(f + ip, 0, 20);
	f[ip] = 0x45;
	f[ip + 2] = (uint8_t)((l->udp_len - (ip - udp)) >> 8);
	f[ip + 3] = (uint8_t)(l->udp_len - (ip - udp));
	f[ip + 8] = 64;
	f[ip + 9] = (uint8_t)proto;
	l4 = ip + 20;
	f[l4 + foff] = LCO_INNER_SEED >> 8;
	f[l4 + foff + 1] = LCO_INNER_SEED & 0xff;
	/* the outer: pseudo-header + [outer UDP .. inner L4) with the field 0 +
	 * the finished inner region (~seed) */
	f[udp + 6] = f[udp + 7] = 0;
	s = cg_ref_sum16(sa, family == 4 ? 4 : 16, 0);
	s = cg_ref_sum16(da, family == 4 ? 4 : 16, s);
	s += CG_IPPROTO_UDP + (uint32_t)l->udp_len;
	s = cg_ref_sum16(f + udp, l4 - udp, s);
	s += (uint16_t)~LCO_INNER_SEED;
	c = (uint16_t)~cg_ref_fold(s);
	c = c ? c : 0xffff;
	f[udp + 6] = (uint8_t)(c >> 8);
	f[udp + 7] = (uint8_t)c;
	if (flip == 1)
		f[udp + CG_UDP_HLEN + 5] ^= 0x01;	/* VNI / GUE field: before the inner L4 */
	else if (flip == 2)
		f[l4 + 20 + 3] ^= 0x10;			/* inner payload */
}

int run_tc_cases(struct harness *h, struct st_result *res, const char *filter)
{
	int ran = 0;
	size_t i;

	for (i = 0; i < sizeof(tc_cases) / sizeof(tc_cases[0]); i++) {
		const struct tc_case *c = &tc_cases[i];
		struct xdp_case xc = { .name = c->name, .spec = c->spec };
		struct cg_ref_block_entry blk;
		struct xh_egress_expect e = { 0 };
		struct cg_addr src, dst;
		enum xh_hook hook;
		size_t len;
		int configured;

		if (filter && !strstr(c->name, filter))
			continue;
		ran++;
		if (h->tc_skip_why) {
			char name[256];

			snprintf(name, sizeof(name), "tc: %s", c->name);
			st_skip(res, name, h->tc_skip_why);
			continue;
		}
		len = build(&xc, frame, sizeof(frame), &src, &dst);
		if (!len) {
			st_report(res, c->name, -1, "frame did not build");
			continue;
		}
		if (c->lco)
			lco_patch(frame, &build_layout, c->spec.family, c->spec.encap ? c->spec.encap :
				  CG_ENCAP_VXLAN, c->lco, c->flip);
		make_config(c->setup, &src, &cfg, &blk);
		configured = !xh_apply(h, &cfg);
		e.action = c->action;
		e.kind = c->kind;
		e.state = c->state;
		e.weight = c->weight;
		e.gso = c->gso_size != 0;
		e.gso_tunnel = c->gso_tunnel;
		e.dst = dst;
		for (hook = XH_TC; hook <= XH_TCF; hook++)
			if (xh_hook_loaded(h, hook))
				check_egress(h, res, hook, c->name, len, c->gso_size, c->gso_segs, &e,
					     configured);
	}
	return ran;
}

/* ---- the cases' frames, for the differential test's mutations ----------- */

#define N_XDP_CASES	(sizeof(cases) / sizeof(cases[0]))
#define N_TC_CASES	(sizeof(tc_cases) / sizeof(tc_cases[0]))

size_t st_case_count(void)
{
	return N_XDP_CASES + N_TC_CASES;
}

size_t st_case_frame(size_t i, uint8_t *buf, size_t cap, struct cg_ref_config *c,
		     struct cg_ref_block_entry *blk, uint32_t *gso_size, uint32_t *gso_segs,
		     const char **name)
{
	const struct tc_case *t;
	struct xdp_case xc;
	struct cg_addr src, dst;
	size_t len;

	*gso_size = *gso_segs = 0;
	if (i < N_XDP_CASES) {
		*name = cases[i].name;
		len = build(&cases[i], buf, cap, &src, &dst);
		if (len)
			make_config(cases[i].setup, &src, c, blk);
		return len;
	}
	if (i - N_XDP_CASES >= N_TC_CASES)
		return 0;
	t = &tc_cases[i - N_XDP_CASES];
	memset(&xc, 0, sizeof(xc));
	xc.name = *name = t->name;
	xc.spec = t->spec;
	len = build(&xc, buf, cap, &src, &dst);
	if (!len)
		return 0;
	if (t->lco)
		lco_patch(buf, &build_layout, t->spec.family,
			  t->spec.encap ? t->spec.encap : CG_ENCAP_VXLAN, t->lco, t->flip);
	make_config(t->setup, &src, c, blk);
	*gso_size = t->gso_size;
	*gso_segs = t->gso_segs;
	return len;
}
