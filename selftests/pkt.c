// SPDX-License-Identifier: GPL-2.0
/* pkt.c - test frame builder; see pkt.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "pkt.h"
#include "cg_wire.h"
#include "refcheck.h"

#define VXLAN_HLEN	8
#define GENEVE_HLEN	8
#define GUE_HLEN	4
#define VXLAN_FLAG_VNI	0x08
#define GENEVE_PROTO_ETH	0x6558
#define GUE_PROTO_IPIP	4
#define TEST_VNI	42
#define IPV4_FRAG_LATER_OFF	185	/* 1480 / 8: the second fragment of a 1500-MTU datagram */
#define IPV6_FRAG_LATER_OFF	181	/* 1448 / 8 */

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void pkt_addr(uint8_t out[16], int family, const char *text)
{
	memset(out, 0, 16);
	if (inet_pton(family == 4 ? AF_INET : AF_INET6, text, out) != 1) {
		fprintf(stderr, "pkt_addr: bad address '%s'\n", text);
		abort();
	}
}

void pkt_spec_init(struct pkt_spec *s, int family)
{
	memset(s, 0, sizeof(*s));
	s->family = family;
	pkt_addr(s->saddr, family, family == 4 ? "10.0.0.1" : "fd00::1");
	pkt_addr(s->daddr, family, family == 4 ? "10.0.0.2" : "fd00::2");
	s->sport = 40000;
	s->dport = CG_PORT_VXLAN_IANA;
	s->encap = CG_ENCAP_VXLAN;
	s->inner_len = 64;
	s->csum = PKT_CSUM_VALID;
}

/* xorshift32: a deterministic payload pattern. */
static void fill(uint8_t *p, size_t n, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (uint8_t)x;
	}
}

static size_t tunnel_hlen(const struct pkt_spec *s)
{
	switch (s->encap) {
	case CG_ENCAP_VXLAN:
		return VXLAN_HLEN;
	case CG_ENCAP_GENEVE:
		return GENEVE_HLEN + 4 * (size_t)s->geneve_opt_words;
	case CG_ENCAP_GUE:
		return s->gue_version == 0 ? GUE_HLEN + 4 * (size_t)s->gue_hlen : 0;
	default:
		return 0;
	}
}

/* Whether the inner packet starts with an Ethernet header. */
static int inner_eth(const struct pkt_spec *s)
{
	return s->encap == CG_ENCAP_VXLAN || (s->encap == CG_ENCAP_GENEVE && !s->geneve_ip);
}

static void write_tunnel(uint8_t *p, const struct pkt_spec *s)
{
	switch (s->encap) {
	case CG_ENCAP_VXLAN:
		p[0] = VXLAN_FLAG_VNI;
		p[4] = (TEST_VNI >> 16) & 0xff;
		p[5] = (TEST_VNI >> 8) & 0xff;
		p[6] = TEST_VNI & 0xff;
		break;
	case CG_ENCAP_GENEVE:
		p[0] = (uint8_t)(s->geneve_opt_words & 0x3f);
		put16(p + 2, !s->geneve_ip ? GENEVE_PROTO_ETH :
			     s->inner.family == 6 ? CG_ETH_P_IPV6 : CG_ETH_P_IP);
		p[4] = (TEST_VNI >> 16) & 0xff;
		p[5] = (TEST_VNI >> 8) & 0xff;
		p[6] = TEST_VNI & 0xff;
		/* options: skipped by their length, whatever they hold */
		memset(p + GENEVE_HLEN, 0xa5, 4 * (size_t)s->geneve_opt_words);
		break;
	case CG_ENCAP_GUE:
		if (s->gue_version == 0) {
			/* |0 0|C|hlen|proto|flags|, then hlen words of
			 * extension fields */
			p[0] = (uint8_t)((s->gue_control ? CG_GUE_C : 0) | (s->gue_hlen & 0x1f));
			p[1] = s->inner.family == 6 ? CG_IPPROTO_IPV6 : GUE_PROTO_IPIP;
			put16(p + 2, s->gue_flags);
			memset(p + GUE_HLEN, 0x5a, 4 * (size_t)s->gue_hlen);
		}
		break;
	default:
		break;
	}
}

/* Adds v to the 16-bit word at p with end-around carry. */
static void add16(uint8_t *p, uint16_t v)
{
	uint32_t w = (uint32_t)(p[0] << 8 | p[1]) + v;

	put16(p, (uint16_t)((w & 0xffff) + (w >> 16)));
}

static size_t inner_l4_hlen(uint8_t proto)
{
	return proto == CG_IPPROTO_TCP ? 20 : 8;	/* UDP, ICMP, ICMPv6, any other */
}

/* Bytes of the inner packet behind the tunnel header (s->inner.family set). */
static size_t inner_size(const struct pkt_spec *s)
{
	const struct pkt_inner *in = &s->inner;
	uint8_t proto = in->l4proto ? in->l4proto : CG_IPPROTO_UDP;
	size_t n = 0;

	if (inner_eth(s))
		n += CG_ETH_HLEN + CG_VLAN_HLEN * (size_t)in->vlan_tags;
	if (in->ethertype)
		return n + s->inner_len;
	if (in->family == 4)
		n += CG_IPV4_MIN_HLEN + (size_t)in->ipv4_opt_len;
	else
		n += CG_IPV6_HLEN + 8 * (size_t)in->n_ipv6_ext +
		     (in->frag != PKT_FRAG_NONE ? CG_IPV6_FRAG_HLEN : 0);
	return n + inner_l4_hlen(proto) + s->inner_len + in->pad;
}

/* The correct L4 checksum of the segment at l4 (len bytes, field at foff
 * taken as 0), with the pseudo-header pseudo (0 for ICMP: none). */
static uint16_t l4_csum(const uint8_t *l4, size_t len, size_t foff, uint32_t pseudo)
{
	uint32_t sum = cg_ref_sum16(l4, foff, pseudo);

	sum = cg_ref_sum16(l4 + foff + 2, len - foff - 2, sum);
	return (uint16_t)~cg_ref_fold(sum);
}

/* Writes the inner packet at p (frame offset base); returns its length. */
static size_t write_inner(uint8_t *p, size_t base, const struct pkt_spec *s,
			  struct pkt_inner_layout *il)
{
	const struct pkt_inner *in = &s->inner;
	uint8_t proto = in->l4proto ? in->l4proto : CG_IPPROTO_UDP, *ip, *nhp, *l4;
	uint8_t sa[16], da[16];
	size_t off = 0, alen = in->family == 4 ? 4 : 16, l4len, ipl, seglen, foff;
	uint16_t et = in->family == 4 ? CG_ETH_P_IP : CG_ETH_P_IPV6, c, seed;
	uint32_t pseudo = 0;
	int i, d;

	pkt_addr(sa, in->family, in->family == 4 ? "192.168.1.1" : "fd01::1");
	pkt_addr(da, in->family, in->family == 4 ? "192.168.1.2" : "fd01::2");
	if (inner_eth(s)) {
		memcpy(p, (uint8_t[]){ 2, 0, 0, 0, 1, 2, 2, 0, 0, 0, 1, 1 }, 12);
		off = 12;
		for (i = 0; i < in->vlan_tags; i++) {
			put16(p + off, i == 0 && in->vlan_tags >= 2 ? CG_ETH_P_8021AD :
				       CG_ETH_P_8021Q);
			put16(p + off + 2, (uint16_t)(200 + i));
			off += CG_VLAN_HLEN;
		}
		put16(p + off, in->ethertype ? in->ethertype : et);
		off += 2;
	}
	if (in->ethertype) {
		fill(p + off, s->inner_len, s->seed + 3);	/* ARP and the like */
		return off + s->inner_len;
	}
	ip = p + off;
	il->ip = base + off;
	l4len = inner_l4_hlen(proto) + s->inner_len;
	if (in->family == 4) {
		size_t ihl = CG_IPV4_MIN_HLEN + (size_t)in->ipv4_opt_len;

		ip[0] = (uint8_t)(0x40 | (ihl / 4));
		put16(ip + 2, (uint16_t)(ihl + l4len + (size_t)in->ip_len_extra));
		put16(ip + 4, 0x4321);
		if (in->frag == PKT_FRAG_FIRST)
			put16(ip + 6, CG_IPV4_MF);
		else if (in->frag == PKT_FRAG_LATER)
			put16(ip + 6, IPV4_FRAG_LATER_OFF);
		ip[8] = 64;
		ip[9] = proto;
		memcpy(ip + 12, sa, 4);
		memcpy(ip + 16, da, 4);
		memset(ip + CG_IPV4_MIN_HLEN, 1, (size_t)in->ipv4_opt_len);
		put16(ip + 10, (uint16_t)~cg_ref_fold(cg_ref_sum16(ip, ihl, 0)));
		off += ihl;
	} else {
		size_t q = off + CG_IPV6_HLEN;

		ip[0] = 0x60;
		ip[7] = 64;
		memcpy(ip + 8, sa, 16);
		memcpy(ip + 24, da, 16);
		nhp = ip + 6;
		for (i = 0; i < in->n_ipv6_ext; i++) {
			*nhp = in->ipv6_ext[i];
			nhp = p + q;
			p[q + 1] = 0;			/* 8 bytes */
			if (in->ipv6_ext[i] == CG_IPPROTO_ROUTING) {
				p[q + 2] = 4;
				p[q + 3] = (uint8_t)in->ipv6_routing_segs_left;
			} else {
				p[q + 2] = 1;		/* PadN */
				p[q + 3] = 4;
			}
			q += 8;
		}
		if (in->frag != PKT_FRAG_NONE) {
			*nhp = CG_IPPROTO_FRAGMENT;
			nhp = p + q;
			put16(p + q + 2, in->frag == PKT_FRAG_FIRST ? CG_IPV6_FRAG_MF :
					 in->frag == PKT_FRAG_LATER ? IPV6_FRAG_LATER_OFF << 3 : 0);
			put16(p + q + 6, 0x4321);
			q += CG_IPV6_FRAG_HLEN;
		}
		*nhp = proto;
		put16(ip + 4, (uint16_t)(q - off - CG_IPV6_HLEN + l4len + (size_t)in->ip_len_extra));
		off = q;
	}
	l4 = p + off;
	il->l4 = base + off;
	il->payload = il->l4 + inner_l4_hlen(proto);
	il->end = il->l4 + l4len;
	put16(l4, 40001);			/* ports, or ICMP type/code */
	put16(l4 + 2, 7);
	fill(l4 + 4, l4len - 4, s->seed + 4);
	seglen = l4len;
	switch (proto) {
	case CG_IPPROTO_TCP:
		foff = 16;
		l4[12] = 5 << 4;		/* data offset */
		l4[13] = 0x10;			/* ACK */
		break;
	case CG_IPPROTO_UDP:
		foff = 6;
		seglen = l4len - (size_t)in->udp_short;
		put16(l4 + 4, (uint16_t)seglen);
		break;
	case CG_IPPROTO_ICMP:
		foff = 2;
		l4[0] = 8;			/* echo request */
		l4[1] = 0;
		break;
	case CG_IPPROTO_ICMPV6:
		foff = 2;
		l4[0] = 128;			/* echo request */
		l4[1] = 0;
		break;
	default:
		return off + l4len + in->pad;	/* no checksum we know of */
	}
	if (proto != CG_IPPROTO_ICMP) {
		pseudo = cg_ref_sum16(sa, alen, 0);
		pseudo = cg_ref_sum16(da, alen, pseudo);
		pseudo = cg_ref_sum16((const uint8_t[]){ 0, proto }, 2, pseudo);
		pseudo = cg_ref_sum16((const uint8_t[]){ (uint8_t)(seglen >> 8), (uint8_t)seglen },
				      2, pseudo);
	}
	c = l4_csum(l4, seglen, foff, pseudo);
	if (proto == CG_IPPROTO_UDP && c == 0)
		c = 0xffff;
	seed = cg_ref_fold(pseudo);
	switch (in->csum) {
	case PKT_CSUM_ZERO:
		c = 0;
		break;
	case PKT_CSUM_SEED:
		c = seed;
		break;
	case PKT_CSUM_VALUE:
		c = in->csum_value;
		break;
	case PKT_CSUM_WRONG:
		for (d = 1; d < 8; d++) {
			uint16_t v = (uint16_t)(c + d);

			/* 0 and 0xffff are one value in one's complement */
			if (v != 0 && v != 0xffff && v != seed && (c != 0xffff || v != 0))
				break;
		}
		c = (uint16_t)(c + d);
		break;
	default:
		break;
	}
	put16(l4 + foff, c);
	ipl = off + l4len;
	fill(p + ipl, in->pad, s->seed + 5);
	return ipl + in->pad;
}

static size_t write_udp(uint8_t *u, const struct pkt_spec *s, size_t *ulen_out, size_t base,
			struct pkt_inner_layout *il)
{
	size_t th = tunnel_hlen(s), ulen = CG_UDP_HLEN + th + s->inner_len;

	put16(u, s->sport);
	put16(u + 2, s->dport);
	write_tunnel(u + CG_UDP_HLEN, s);
	if (s->inner.family) {
		ulen = CG_UDP_HLEN + th + write_inner(u + CG_UDP_HLEN + th,
						      base + CG_UDP_HLEN + th, s, il);
	} else {
		fill(u + CG_UDP_HLEN + th, s->inner_len, s->seed);
		/* GUE version 1 carries the inner IP header right after UDP. */
		if (s->encap == CG_ENCAP_GUE && s->gue_version == 1 && s->inner_len)
			u[CG_UDP_HLEN] = 0x45;
	}
	put16(u + 4, (uint16_t)ulen);
	*ulen_out = ulen;
	return ulen;
}

static uint16_t set_csum(uint8_t *u, size_t ulen, const struct pkt_spec *s)
{
	size_t alen = s->family == 4 ? 4 : 16;
	uint16_t c = 0;

	switch (s->csum) {
	case PKT_CSUM_VALID:
		c = cg_ref_udp_csum(s->saddr, s->daddr, alen, u, ulen);
		break;
	case PKT_CSUM_ZERO:
		c = 0;
		break;
	case PKT_CSUM_SEED:
		c = cg_ref_pseudo_seed(s->saddr, s->daddr, alen, (uint16_t)ulen);
		break;
	case PKT_CSUM_VALUE:
		c = s->csum_value;
		break;
	case PKT_CSUM_WRONG: {
		uint16_t ok = cg_ref_udp_csum(s->saddr, s->daddr, alen, u, ulen);
		uint16_t seed = cg_ref_pseudo_seed(s->saddr, s->daddr, alen, (uint16_t)ulen);
		int d;

		for (d = 1; d < 8; d++) {
			c = (uint16_t)(ok + d);
			if (c != 0 && c != 0xffff && c != seed)
				break;
		}
		break;
	}
	case PKT_CSUM_COMPUTES_ZERO: {
		size_t w = CG_UDP_HLEN + tunnel_hlen(s);

		if (w + 2 > ulen) {
			fprintf(stderr, "pkt: PKT_CSUM_COMPUTES_ZERO needs 2 inner bytes\n");
			abort();
		}
		/* Adding the complement c to one payload word makes the folded
		 * sum 0xffff, so the checksum computes to 0 (sent as 0xffff). */
		c = cg_ref_udp_csum(s->saddr, s->daddr, alen, u, ulen);
		if (c != 0xffff)
			add16(u + w, c);
		c = cg_ref_udp_csum(s->saddr, s->daddr, alen, u, ulen);
		if (c != 0xffff) {
			fprintf(stderr, "pkt: could not make the sum compute to 0\n");
			abort();
		}
		break;
	}
	}
	put16(u + 6, c);
	if (s->ulen_override > 0)
		put16(u + 4, (uint16_t)s->ulen_override);
	return c;
}

void pkt_fix_ipv4_hdr(uint8_t *ip)
{
	size_t ihl = (size_t)(ip[0] & 0xf) * 4;

	put16(ip + 10, 0);
	put16(ip + 10, (uint16_t)~cg_ref_fold(cg_ref_sum16(ip, ihl, 0)));
}

void pkt_set_outer_csum(uint8_t *buf, const struct pkt_layout *lay, const struct pkt_spec *s)
{
	put16(buf + lay->l4 + 4, (uint16_t)lay->udp_len);
	put16(buf + lay->l4 + 6, 0);
	set_csum(buf + lay->l4, lay->udp_len, s);
}

size_t pkt_build(uint8_t *buf, size_t cap, const struct pkt_spec *s, struct pkt_layout *lay)
{
	struct pkt_inner_layout in;

	return pkt_build_inner(buf, cap, s, lay, &in);
}

size_t pkt_build_inner(uint8_t *buf, size_t cap, const struct pkt_spec *s,
		       struct pkt_layout *lay, struct pkt_inner_layout *il)
{
	struct pkt_layout l = { 0 };
	uint8_t proto = s->l4proto ? s->l4proto : CG_IPPROTO_UDP;
	size_t off = 0, th = tunnel_hlen(s), l4len, need, inner;
	int i;

	memset(il, 0, sizeof(*il));
	/* Upper bound first, so nothing is written past cap. */
	inner = s->inner.family ? inner_size(s) : s->inner_len;
	l4len = s->frag == PKT_FRAG_LATER ? s->inner_len : CG_UDP_HLEN + th + inner;
	need = CG_ETH_HLEN + 3 * CG_VLAN_HLEN + CG_IPV6_HLEN + 4 * 8 + CG_IPV6_FRAG_HLEN +
	       (size_t)s->ipv4_opt_len + l4len + s->udp_extra + s->trailer;
	if (need > cap || s->n_ipv6_ext > PKT_MAX_IPV6_EXT || s->vlan_tags > 3 || s->ipv4_opt_len > 40 ||
	    s->ipv4_opt_len % 4 || s->inner.vlan_tags > 3 || s->inner.ipv4_opt_len > 40 ||
	    s->inner.ipv4_opt_len % 4 || s->inner.n_ipv6_ext > PKT_MAX_IPV6_EXT_INNER ||
	    s->geneve_opt_words > 63 || s->gue_hlen > 31 ||
	    (s->inner.family && (!s->inner.l4proto || s->inner.l4proto == CG_IPPROTO_UDP) &&
	     (size_t)s->inner.udp_short > s->inner_len))
		return 0;
	memset(buf, 0, need);

	/* Ethernet: locally administered MACs. */
	memcpy(buf, (uint8_t[]){ 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 }, 12);
	off = 12;
	for (i = 0; i < s->vlan_tags; i++) {
		put16(buf + off, i == 0 && s->vlan_tags >= 2 ? CG_ETH_P_8021AD : CG_ETH_P_8021Q);
		put16(buf + off + 2, (uint16_t)(100 + i));	/* VLAN id */
		off += CG_VLAN_HLEN;
	}
	put16(buf + off, s->family == 4 ? CG_ETH_P_IP : CG_ETH_P_IPV6);
	off += 2;
	l.l3 = off;

	if (s->family == 4) {
		size_t ihl = CG_IPV4_MIN_HLEN + (size_t)s->ipv4_opt_len;
		uint8_t *ip = buf + off;

		ip[0] = (uint8_t)(0x40 | (ihl / 4));
		put16(ip + 4, 0x1234);			/* id */
		if (s->frag == PKT_FRAG_FIRST)
			put16(ip + 6, CG_IPV4_MF);
		else if (s->frag == PKT_FRAG_LATER)
			put16(ip + 6, IPV4_FRAG_LATER_OFF);
		ip[8] = 64;				/* ttl */
		ip[9] = proto;
		memcpy(ip + 12, s->saddr, 4);
		memcpy(ip + 16, s->daddr, 4);
		memset(ip + CG_IPV4_MIN_HLEN, 1, (size_t)s->ipv4_opt_len);	/* NOP options */
		l.l4 = off + ihl;
	} else {
		uint8_t *ip6 = buf + off, *nhp = ip6 + 6;
		size_t p = off + CG_IPV6_HLEN;

		ip6[0] = 0x60;
		ip6[7] = 64;				/* hop limit */
		memcpy(ip6 + 8, s->saddr, 16);
		memcpy(ip6 + 24, s->daddr, 16);
		for (i = 0; i < s->n_ipv6_ext; i++) {
			*nhp = s->ipv6_ext[i];
			nhp = buf + p;
			if (s->ipv6_ext[i] == CG_IPPROTO_ROUTING) {
				buf[p + 2] = 4;		/* segment routing header type */
				buf[p + 3] = (uint8_t)s->ipv6_routing_segs_left;
			} else {
				buf[p + 2] = 1;		/* PadN option over the 6 bytes */
				buf[p + 3] = 4;
			}
			p += 8;
		}
		if (s->frag != PKT_FRAG_NONE) {
			uint16_t fo = 0;

			*nhp = CG_IPPROTO_FRAGMENT;
			nhp = buf + p;
			if (s->frag == PKT_FRAG_FIRST)
				fo = CG_IPV6_FRAG_MF;
			else if (s->frag == PKT_FRAG_LATER)
				fo = IPV6_FRAG_LATER_OFF << 3;
			put16(buf + p + 2, fo);
			put16(buf + p + 6, 0x1234);	/* id */
			p += CG_IPV6_FRAG_HLEN;
		}
		*nhp = proto;
		l.l4 = p;
	}

	if (s->frag == PKT_FRAG_LATER) {
		fill(buf + l.l4, s->inner_len, s->seed);	/* a fragment's middle */
		l4len = s->inner_len;
	} else if (proto == CG_IPPROTO_UDP) {
		l4len = write_udp(buf + l.l4, s, &l.udp_len, l.l4, il);
		l.csum = set_csum(buf + l.l4, l.udp_len, s);
	} else {
		l4len = CG_UDP_HLEN + th + s->inner_len;	/* TCP & co: any bytes */
		put16(buf + l.l4, s->sport);
		put16(buf + l.l4 + 2, s->dport);
		fill(buf + l.l4 + 4, l4len - 4, s->seed);
	}
	fill(buf + l.l4 + l4len, s->udp_extra, s->seed + 1);
	l.ip_end = l.l4 + l4len + s->udp_extra;

	if (s->family == 4) {
		uint8_t *ip = buf + l.l3;

		put16(ip + 2, (uint16_t)(l.ip_end - l.l3));
		put16(ip + 10, (uint16_t)~cg_ref_fold(cg_ref_sum16(ip, (size_t)(ip[0] & 0xf) * 4, 0)));
	} else {
		put16(buf + l.l3 + 4, (uint16_t)(l.ip_end - l.l3 - CG_IPV6_HLEN));
	}
	fill(buf + l.ip_end, s->trailer, s->seed + 2);
	l.len = l.ip_end + s->trailer;
	if (lay)
		*lay = l;
	return l.len;
}

int pkt_raw_open(const char *prog, const char *ifname, uint8_t mac[6])
{
	struct sockaddr_ll sll = { 0 };
	socklen_t sl = sizeof(sll);
	unsigned int idx = if_nametoindex(ifname);
	int fd;

	if (!idx) {
		fprintf(stderr, "%s: no interface '%s' in this network namespace\n", prog, ifname);
		return -1;
	}
	fd = socket(AF_PACKET, SOCK_RAW, 0);	/* protocol 0: send only */
	if (fd < 0) {
		fprintf(stderr, "%s: AF_PACKET socket: %s (needs CAP_NET_RAW)\n", prog,
			strerror(errno));
		return -1;
	}
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = (int)idx;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) ||
	    getsockname(fd, (struct sockaddr *)&sll, &sl)) {
		fprintf(stderr, "%s: bind to %s: %s\n", prog, ifname, strerror(errno));
		close(fd);
		return -1;
	}
	if (mac && sll.sll_halen == 6)
		memcpy(mac, sll.sll_addr, 6);
	return fd;
}
