// SPDX-License-Identifier: GPL-2.0
/* pkt.c - test frame builder; see pkt.h. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
		return GENEVE_HLEN;
	case CG_ENCAP_GUE:
		return s->gue_version == 0 ? GUE_HLEN : 0;
	default:
		return 0;
	}
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
		put16(p + 2, GENEVE_PROTO_ETH);
		p[4] = (TEST_VNI >> 16) & 0xff;
		p[5] = (TEST_VNI >> 8) & 0xff;
		p[6] = TEST_VNI & 0xff;
		break;
	case CG_ENCAP_GUE:
		if (s->gue_version == 0)
			p[1] = GUE_PROTO_IPIP;	/* version 0, hlen 0 */
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

static size_t write_udp(uint8_t *u, const struct pkt_spec *s, size_t *ulen_out)
{
	size_t th = tunnel_hlen(s), ulen = CG_UDP_HLEN + th + s->inner_len;

	put16(u, s->sport);
	put16(u + 2, s->dport);
	put16(u + 4, (uint16_t)ulen);
	write_tunnel(u + CG_UDP_HLEN, s);
	fill(u + CG_UDP_HLEN + th, s->inner_len, s->seed);
	/* GUE version 1 carries the inner IP header right after UDP. */
	if (s->encap == CG_ENCAP_GUE && s->gue_version == 1 && s->inner_len)
		u[CG_UDP_HLEN] = 0x45;
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

size_t pkt_build(uint8_t *buf, size_t cap, const struct pkt_spec *s, struct pkt_layout *lay)
{
	struct pkt_layout l = { 0 };
	uint8_t proto = s->l4proto ? s->l4proto : CG_IPPROTO_UDP;
	size_t off = 0, th = tunnel_hlen(s), l4len, need;
	int i;

	/* Upper bound first, so nothing is written past cap. */
	l4len = s->frag == PKT_FRAG_LATER ? s->inner_len : CG_UDP_HLEN + th + s->inner_len;
	need = CG_ETH_HLEN + 3 * CG_VLAN_HLEN + CG_IPV6_HLEN + 4 * 8 + CG_IPV6_FRAG_HLEN +
	       (size_t)s->ipv4_opt_len + l4len + s->udp_extra + s->trailer;
	if (need > cap || s->n_ipv6_ext > PKT_MAX_IPV6_EXT || s->vlan_tags > 3 || s->ipv4_opt_len > 40 ||
	    s->ipv4_opt_len % 4)
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
		l4len = write_udp(buf + l.l4, s, &l.udp_len);
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
