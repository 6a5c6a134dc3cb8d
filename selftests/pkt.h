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
	PKT_CSUM_COMPUTES_ZERO,	/* payload tuned so the sum computes to 0: sent 0xffff */
};

/* The GUE port of the tests: Katran's, configured only where a test says so
 * (GUE has no default port, SPEC 2.3). */
#define PKT_GUE_PORT		6080

/* One more than the datapath skips, and one more again. */
#define PKT_MAX_IPV6_EXT	(CG_IPV6_MAX_EXT + 2)

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
	size_t inner_len;		/* bytes after the tunnel header */
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

/* Sets the address from a dotted-quad or IPv6 literal; aborts on a bad one. */
void pkt_addr(uint8_t out[16], int family, const char *text);

#endif /* CG_PKT_H */
