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
};

#define V4 .family = 4
#define V6 .family = 6
#define PASS(k, v) .action = XDP_PASS, .kind = (k), .verdict = (v)
#define DROP(k, v, why) .action = XDP_DROP, .kind = (k), .verdict = (v), .drop = (why)
#define T CG_IF_TUNNEL
#define OK PASS(T, CG_V_OK)
#define BAD PASS(T, CG_V_BAD)
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
	{ "zero checksum v4", { V4, .csum = PKT_CSUM_ZERO }, P_NONE, S_DEFAULT, PASS(T, CG_V_ZERO) },
	{ "zero checksum v6", { V6, .csum = PKT_CSUM_ZERO }, P_NONE, S_DEFAULT, PASS(T, CG_V_ZERO) },
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
	{ "ip payload shorter than a udp header", { V4 }, P_UDP_HDR_CUT, S_DEFAULT, UNPARSED },
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
	{ "ipv4 ihl < 5", { V4 }, P_IHL_4, S_DEFAULT, UNPARSED },
	{ "ipv4 total length < header", { V4 }, P_TOTLEN_LT_IHL, S_DEFAULT, UNPARSED },
	{ "ipv4 total length > frame", { V4 }, P_TOTLEN_GT_FRAME, S_DEFAULT, UNPARSED },
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
	{ "ipv6 payload length 0", { V6 }, P_IP6_PLEN_0, S_DEFAULT, UNPARSED },
	{ "ipv6 payload length > frame", { V6 }, P_IP6_PLEN_GT_FRAME, S_DEFAULT, UNPARSED },
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
	  DROP(T, CG_V_BAD, CG_IF_DROP_BAD) },
	{ "drop mode: bad v6 dropped", { V6, .csum = PKT_CSUM_VALUE, .csum_value = 1 }, P_NONE,
	  S_DROP, DROP(T, CG_V_BAD, CG_IF_DROP_BAD) },
	{ "drop mode: ok passes", { V4 }, P_NONE, S_DROP, OK },
	{ "drop mode: zero passes", { V4, .csum = PKT_CSUM_ZERO }, P_NONE, S_DROP,
	  PASS(T, CG_V_ZERO) },
	{ "drop mode: unfinished passes", { V4, .csum = PKT_CSUM_SEED }, P_NONE, S_DROP,
	  PASS(T, CG_V_UNFINISHED) },
	{ "drop mode: malformed passes", { V4, .ulen_override = 3 }, P_NONE, S_DROP,
	  PASS(T, CG_V_MALFORMED) },
	{ "drop mode: fragment passes", { V4, .frag = PKT_FRAG_LATER }, P_NONE, S_DROP,
	  PASS(T, CG_V_FRAGMENT) },
	{ "drop mode: bad non-tunnel passes", { V4, .dport = 53 }, P_FLIP_PAYLOAD_BIT, S_DROP,
	  NOT_TUNNEL },
	{ "drop mode: unparsed passes", { V4 }, P_TOTLEN_GT_FRAME, S_DROP, UNPARSED },
	/* Blocklist: honoured in any mode, tunnel traffic only unless "all". */
	{ "blocked: ok tunnel frame dropped in monitor", { V4 }, P_NONE, S_BLOCK_SRC,
	  DROP(T, CG_V_OK, CG_IF_DROP_BLOCKED) },
	{ "blocked v6: bad tunnel frame dropped", { V6 }, P_FLIP_PAYLOAD_BIT, S_BLOCK_SRC,
	  DROP(T, CG_V_BAD, CG_IF_DROP_BLOCKED) },
	{ "blocked + drop mode: bad counted as blocked", { V4 }, P_FLIP_PAYLOAD_BIT,
	  S_DROP_BLOCK_SRC, DROP(T, CG_V_BAD, CG_IF_DROP_BLOCKED) },
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
	{ "blocked all: unparsed (ihl 4) dropped", { V4 }, P_IHL_4, S_BLOCK_SRC_ALL,
	  DROP(CG_IF_UNPARSED, 0, CG_IF_DROP_BLOCKED) },
	{ "blocked: unparsed (ihl 4) dropped", { V4 }, P_IHL_4, S_BLOCK_SRC,
	  DROP(CG_IF_UNPARSED, 0, CG_IF_DROP_BLOCKED) },
	{ "blocked: udp header cut short dropped", { V4 }, P_UDP_HDR_CUT, S_BLOCK_SRC,
	  DROP(CG_IF_UNPARSED, 0, CG_IF_DROP_BLOCKED) },
	{ "blocked v6: 9 extension headers dropped", { V6, IP6_9_EXT }, P_NONE, S_BLOCK_SRC,
	  DROP(CG_IF_UNPARSED, 0, CG_IF_DROP_BLOCKED) },
	{ "blocked all v6: 9 extension headers dropped", { V6, IP6_9_EXT }, P_NONE,
	  S_BLOCK_SRC_ALL, DROP(CG_IF_UNPARSED, 0, CG_IF_DROP_BLOCKED) },
	{ "blocked v6: 8 extension headers, bad, dropped", { V6, IP6_8_EXT }, P_FLIP_PAYLOAD_BIT,
	  S_BLOCK_SRC, DROP(T, CG_V_BAD, CG_IF_DROP_BLOCKED) },
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
};

static struct pkt_layout build_layout;	/* of the last frame build() made */

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

	len = pkt_build(buf, cap, &s, &l);
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
	case P_UDP_HDR_CUT:
		buf[l.l3 + 2] = 0;
		buf[l.l3 + 3] = 24;	/* total length: header + 4 bytes */
		break;
	case P_IHL_4:
		buf[l.l3] = 0x44;
		break;
	case P_TOTLEN_LT_IHL:
		buf[l.l3 + 2] = 0;
		buf[l.l3 + 3] = 19;
		break;
	case P_TOTLEN_GT_FRAME: {
		size_t tot = len - l.l3 + 1;

		buf[l.l3 + 2] = (uint8_t)(tot >> 8);
		buf[l.l3 + 3] = (uint8_t)tot;
		break;
	}
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

static void make_config(enum setup su, const struct cg_addr *src, struct cg_ref_config *cfg,
			struct cg_ref_block_entry *blk)
{
	cg_ref_config_default(cfg);
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
	}
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

	e.kind = c->kind;
	e.state = egress_state_of(c->verdict);
	e.weight = 1;
	e.dst = *dst;
	e.action = c->kind == CG_IF_TUNNEL && c->verdict == CG_V_BAD &&
		   (c->setup == S_DROP || c->setup == S_DROP_BLOCK_SRC) ? TC_ACT_SHOT : TC_ACT_UNSPEC;
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

int run_xdp_cases(struct harness *h, struct st_result *res, const char *filter)
{
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
		e.kept = e.row != XH_ROW_NONE &&
			 (c->setup == S_BLOCK_SRC || c->setup == S_BLOCK_SRC_ALL ||
			  c->setup == S_DROP_BLOCK_SRC);

		/* The reference verifier must agree with the hand-written row. */
		cg_ref_classify(frame, len, &cfg, &ref);
		xh_expect_from_ref(&ref, &from_ref);
		if (from_ref.action != e.action || from_ref.kind != e.kind ||
		    from_ref.drop != e.drop || from_ref.row != e.row || from_ref.kept != e.kept ||
		    (e.kind == CG_IF_TUNNEL && from_ref.verdict != e.verdict) ||
		    (e.row != XH_ROW_NONE && memcmp(&from_ref.src, &src, sizeof(src)))) {
			snprintf(why, sizeof(why),
				 "reference verifier disagrees with the table: kind %d verdict %d "
				 "drop %d row %d kept %d", from_ref.kind, from_ref.verdict,
				 from_ref.drop, from_ref.row, from_ref.kept);
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
			 * a frame it gives up on, never a verdict. */
			cg_ref_classify(frame, seen, &cfg, &ref);
			xh_expect_from_ref(&ref, &e);
			snprintf(nbuf, sizeof(nbuf), "xdpsb: %s: sees its first %zu of %zu bytes: "
				 "unparsed, passed", c->name, seen, len);
			name = nbuf;
			if (e.kind != CG_IF_UNPARSED || e.action != XDP_PASS) {
				snprintf(why, sizeof(why), "the reference verifier gives the first "
					 "%zu bytes kind %d action %d, not unparsed and passed: the "
					 "case cannot show the single-buffer program fails open", seen,
					 e.kind, e.action);
				fail = 1;
			}
		}
		if (!fail && xh_check_one(h, XH_XDP, frame, len, &e, why, sizeof(why)))
			fail = 1;
		st_report(res, name, fail ? -1 : 0, why);
		check_tc(h, res, c, len, &dst, configured);
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
