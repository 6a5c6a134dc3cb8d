/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pkt.h - builds test frames byte by byte: Ethernet, VLAN tags, IPv4 (with
 * options) or IPv6 (with extension headers), fragments, UDP, and a VXLAN,
 * Geneve or GUE header over an inner payload. The UDP checksum is computed
 * by the reference verifier's RFC 1071 code (itself unit-tested against
 * hand-computed values in tests/test_refcheck.c), then set as asked.
 */
#ifndef CG_PKT_H
#define CG_PKT_H

#include <stddef.h>
#include <stdint.h>
#include "csumguard.h"
#include "cg_wire.h"

/* The GUE port of the tests: Katran's, configured only where a test says so
 * (GUE has no default port, SPEC 2.3). */
#define PKT_GUE_PORT		6080

/* One more than the datapath skips, and one more again. */
#define PKT_MAX_IPV6_EXT	(CG_IPV6_MAX_EXT + 2)
#define PKT_MAX_IPV6_EXT_INNER	(CG_IPV6_MAX_EXT + 1)

enum pkt_frag {
	PKT_FRAG_NONE = 0,
	PKT_FRAG_FIRST,		/* offset 0, more fragments */
	PKT_FRAG_LATER,		/* offset != 0 (IPv4: last, MF clear) */
	PKT_FRAG_ATOMIC,	/* IPv6 only: fragment header, offset 0, M=0 */
};

enum pkt_csum {
	PKT_CSUM_VALID = 0,	/* the correct checksum */
	PKT_CSUM_ZERO,		/* field 0: "no checksum" */
	PKT_CSUM_SEED,		/* folded pseudo-header sum: offload never finished */
	PKT_CSUM_VALUE,		/* csum_value, whatever it is */
	PKT_CSUM_COMPUTES_ZERO,	/* payload tuned so the sum computes to 0: sent 0xffff
				 * (outer only) */
	PKT_CSUM_WRONG,		/* the correct one plus 1..3: never right, never the seed
				 * nor 0 */
};

/*
 * The inner packet of a tunnel datagram (issue 10): family 0 (the default)
 * is inner_len random bytes, as before; 4 or 6 builds a real one behind the
 * tunnel header: for VXLAN and Geneve (unless geneve_ip) an Ethernet header
 * with vlan_tags tags, then IPv4 (options) or IPv6 (extension headers), an
 * L4 header and inner_len bytes of payload, and pad bytes after the IP
 * packet. Its own checksum is set as csum says (VALID, ZERO, SEED: the
 * inner pseudo-header seed, VALUE, WRONG).
 */
struct pkt_inner {
	int family;			/* 0: random bytes; 4 or 6 */
	int vlan_tags;			/* inner Ethernet: 0..3 tags (802.1ad first when 2+) */
	uint16_t ethertype;		/* inner Ethernet: this EtherType instead (ARP: 0x0806) */
	int ipv4_opt_len;		/* 0..40, a multiple of 4 */
	uint8_t ipv6_ext[PKT_MAX_IPV6_EXT_INNER];	/* HOPOPTS/DSTOPTS/ROUTING, 8 bytes each */
	int n_ipv6_ext;
	int ipv6_routing_segs_left;
	enum pkt_frag frag;		/* FIRST, LATER: an inner fragment; ATOMIC (IPv6) */
	uint8_t l4proto;		/* 0: UDP; TCP, ICMP, ICMPv6, or any other number */
	enum pkt_csum csum;		/* its own L4 checksum */
	uint16_t csum_value;		/* PKT_CSUM_VALUE */
	int udp_short;			/* UDP: its length field covers this many bytes less */
	int ip_len_extra;		/* the IP length says this many bytes more than there
					 * are (> 0: the inner packet is cut short) */
	size_t pad;			/* bytes after the inner IP packet (padding) */
};

struct pkt_spec {
	int family;			/* 4 or 6 */
	int vlan_tags;			/* 0..3; the outer one is 802.1ad when 2+ */
	uint8_t saddr[16], daddr[16];	/* IPv4: the first 4 bytes */
	int ipv4_opt_len;		/* 0..40, a multiple of 4 (NOP options) */
	uint8_t ipv6_ext[PKT_MAX_IPV6_EXT];	/* CG_IPPROTO_HOPOPTS/DSTOPTS/ROUTING, 8 bytes each */
	int n_ipv6_ext;
	int ipv6_routing_segs_left;	/* segments-left of a routing header */
	enum pkt_frag frag;
	uint8_t l4proto;		/* 0 means UDP */
	uint16_t sport, dport;
	enum cg_encap encap;		/* header written after UDP; NONE: raw payload */
	int gue_version;		/* 0: 4-byte GUE header; 1: inner IP right after UDP */
	int gue_hlen;			/* GUE v0: words of extension fields after the header */
	uint16_t gue_flags;		/* GUE v0: its flags field */
	int gue_control;		/* GUE v0: the C bit (a control message) */
	int geneve_opt_words;		/* Geneve: opt len (words of options, 0..63) */
	int geneve_ip;			/* Geneve: protocol type IPv4/IPv6, no inner Ethernet */
	size_t inner_len;		/* bytes after the tunnel header; with inner.family:
					 * the inner L4 payload */
	struct pkt_inner inner;
	size_t udp_extra;		/* IP payload bytes after the UDP datagram */
	size_t trailer;			/* frame bytes after the IP packet (padding) */
	enum pkt_csum csum;
	uint16_t csum_value;		/* PKT_CSUM_VALUE, host order */
	int ulen_override;		/* >0: UDP length field set to this after summing */
	uint32_t seed;			/* payload pattern */
};

/* Where things landed in the built frame. */
struct pkt_layout {
	size_t l3;		/* IP header */
	size_t l4;		/* UDP (or other upper-layer) header */
	size_t udp_len;		/* bytes the UDP length covers (before ulen_override) */
	size_t ip_end;		/* just past the IP packet */
	size_t len;		/* whole frame */
	uint16_t csum;		/* checksum field written, host order */
};

/* Defaults: IPv4 10.0.0.1 -> 10.0.0.2 (IPv6 fd00::1 -> fd00::2), UDP
 * 40000 -> 4789, VXLAN, 64 inner bytes, valid checksum. */
void pkt_spec_init(struct pkt_spec *s, int family);

/* Builds the frame into buf (cap bytes). Returns its length, or 0 (and
 * writes nothing useful) if it would not fit. lay may be NULL. */
size_t pkt_build(uint8_t *buf, size_t cap, const struct pkt_spec *s, struct pkt_layout *lay);

/* Where the inner packet's parts landed (frame offsets; 0: not there). */
struct pkt_inner_layout {
	size_t ip;		/* inner IP header */
	size_t l4;		/* inner L4 header */
	size_t payload;		/* inner L4 payload */
	size_t end;		/* just past the inner IP packet (before any pad) */
};

/* pkt_build, and the inner packet's layout (when s->inner.family). */
size_t pkt_build_inner(uint8_t *buf, size_t cap, const struct pkt_spec *s,
		       struct pkt_layout *lay, struct pkt_inner_layout *in);

/* Recomputes the outer UDP checksum of a built frame as s->csum says (after
 * a change to its bytes). */
void pkt_set_outer_csum(uint8_t *buf, const struct pkt_layout *lay, const struct pkt_spec *s);

/* Recomputes the IPv4 header checksum at buf + l3 (after a change to it). */
void pkt_fix_ipv4_hdr(uint8_t *ip);

/* Sets the address from a dotted-quad or IPv6 literal; aborts on a bad one. */
void pkt_addr(uint8_t out[16], int family, const char *text);

/*
 * A raw AF_PACKET socket that sends on ifname (protocol 0: it receives
 * nothing), for selftests/flood and selftests/sendraw; mac (may be NULL):
 * the interface's address. The fd, or -1 after one line "PROG: cause" on
 * stderr.
 */
int pkt_raw_open(const char *prog, const char *ifname, uint8_t mac[6]);

#endif /* CG_PKT_H */
