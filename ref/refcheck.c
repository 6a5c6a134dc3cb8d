// SPDX-License-Identifier: GPL-2.0
/*
 * refcheck.c - reference verifier. Byte-by-byte, big-endian, RFC 1071 style:
 * slow on purpose, so that it shares no trick with the BPF program it checks.
 * Every rule here has its twin in bpf/parse.bpf.h and bpf/verdict.bpf.h
 * (entry point: xdp/csumguard.bpf.c).
 */
#include <string.h>
#include "refcheck.h"
#include "cg_wire.h"
#include "ports.h"

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t cg_ref_sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	uint64_t s = sum;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += get16(p + i);
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;	/* pad the odd byte with zero */
	while (s >> 32)
		s = (s & 0xffffffff) + (s >> 32);
	return (uint32_t)s;
}

uint16_t cg_ref_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static uint32_t pseudo_sum(const uint8_t *saddr, const uint8_t *daddr, size_t alen,
			   uint32_t ulen)
{
	uint32_t s = 0;

	s = cg_ref_sum16(saddr, alen, s);
	s = cg_ref_sum16(daddr, alen, s);
	/* IPv4: zero, protocol, UDP length (16 bits). IPv6: UDP length (32
	 * bits), three zero bytes, next header. Both add the same words. */
	s = cg_ref_sum16((const uint8_t[]){ 0, CG_IPPROTO_UDP }, 2, s);
	s = cg_ref_sum16((const uint8_t[]){ (uint8_t)(ulen >> 8), (uint8_t)ulen }, 2, s);
	return s;
}

uint16_t cg_ref_pseudo_seed(const uint8_t *saddr, const uint8_t *daddr, size_t alen,
			    uint16_t ulen)
{
	return cg_ref_fold(pseudo_sum(saddr, daddr, alen, ulen));
}

uint16_t cg_ref_udp_csum(const uint8_t *saddr, const uint8_t *daddr, size_t alen,
			 const uint8_t *udp, size_t ulen)
{
	uint32_t s;
	uint16_t c;

	if (ulen < CG_UDP_HLEN || ulen > UINT16_MAX)
		return 0;	/* no UDP datagram has this length: nothing to sum */
	s = pseudo_sum(saddr, daddr, alen, (uint32_t)ulen);
	s = cg_ref_sum16(udp, 6, s);			/* ports and length */
	s = cg_ref_sum16(udp + 8, ulen - 8, s);		/* payload; field 6..7 counts as 0 */
	c = (uint16_t)~cg_ref_fold(s);
	return c ? c : 0xffff;				/* 0 means "no checksum" */
}

bool cg_ref_ipv4_hdr_ok(const uint8_t *ip, size_t hlen)
{
	/* RFC 1071: the header summed with its checksum field is all ones. */
	return cg_ref_fold(cg_ref_sum16(ip, hlen, 0)) == 0xffff;
}

enum cg_bad_class cg_ref_bad_class(enum cg_zero_inner inner)
{
	switch (inner) {
	case CG_ZI_OK:
		return CG_BC_OUTER_ONLY;	/* the payload is intact */
	case CG_ZI_BAD:
		return CG_BC_PAYLOAD;
	default:
		return CG_BC_UNCLASSIFIED;	/* nothing to check, or a seed */
	}
}

/*
 * Where the inner IP header of a tunnel payload starts (t: right after the
 * outer UDP header; end: the end of the datagram), by the tunnel's rules:
 * VXLAN 8 bytes then Ethernet; Geneve version 0, 8 bytes + opt len x 4,
 * protocol type 0x6558 (Ethernet) or an IP EtherType; GUE version 0
 * |00|C|hlen|proto|flags| + hlen x 4 bytes of extension fields, C clear,
 * proto 4 or 41; GUE version 1: the IP header at once (first nibble 4 or 6).
 * Then for Ethernet: up to two VLAN tags, EtherType IPv4 or IPv6.
 * Returns the IP version (4, 6), *ip its offset; 0 when there is none.
 */
static int inner_ip(const uint8_t *f, size_t t, size_t end, enum cg_encap encap, size_t *ip)
{
	size_t p;
	uint16_t et;
	int family = 0, tags;
	bool eth = false;

	switch (encap) {
	case CG_ENCAP_VXLAN:
		if (t + 8 > end)
			return 0;
		p = t + 8;
		eth = true;
		break;
	case CG_ENCAP_GENEVE:
		if (t + 8 > end || f[t] >> 6 != 0)
			return 0;
		p = t + 8 + (size_t)(f[t] & 0x3f) * 4;
		et = get16(f + t + 2);
		if (et == 0x6558)
			eth = true;
		else if (et == CG_ETH_P_IP)
			family = 4;
		else if (et == CG_ETH_P_IPV6)
			family = 6;
		else
			return 0;
		break;
	case CG_ENCAP_GUE:
		if (t >= end)
			return 0;
		if (f[t] >> 6 == 1) {
			family = f[t] >> 4 == 4 ? 4 : f[t] >> 4 == 6 ? 6 : 0;
			p = t;
			break;
		}
		if (f[t] >> 6 != 0 || t + 4 > end || (f[t] & 0x20))
			return 0;	/* unknown version, cut short, control message */
		p = t + 4 + (size_t)(f[t] & 0x1f) * 4;
		family = f[t + 1] == 4 ? 4 : f[t + 1] == 41 ? 6 : 0;
		break;
	default:
		return 0;
	}
	if (eth) {
		if (p + CG_ETH_HLEN > end)
			return 0;
		et = get16(f + p + 12);
		p += CG_ETH_HLEN;
		for (tags = 0; tags < 2 && (et == CG_ETH_P_8021Q || et == CG_ETH_P_8021AD); tags++) {
			if (p + 4 > end)
				return 0;
			et = get16(f + p + 2);
			p += 4;
		}
		family = et == CG_ETH_P_IP ? 4 : et == CG_ETH_P_IPV6 ? 6 : 0;
	}
	*ip = p;
	return family;
}

enum cg_zero_inner cg_ref_inner_check(const uint8_t *f, size_t udp_off, size_t udp_len,
				      enum cg_encap encap)
{
	size_t end = udp_off + udp_len, ip, l4, ip_end, seglen, foff;
	uint8_t proto, pseudo[40];
	size_t plen = 0;
	uint16_t field;
	uint32_t s;
	int family, i;

	family = inner_ip(f, udp_off + CG_UDP_HLEN, end, encap, &ip);
	if (family == 4) {
		size_t ihl, tot;

		if (ip + 20 > end || f[ip] >> 4 != 4)
			return CG_ZI_UNCHECKED;
		ihl = (size_t)(f[ip] & 0x0f) * 4;
		tot = get16(f + ip + 2);
		if (ihl < 20 || tot < ihl || ip + tot > end)
			return CG_ZI_UNCHECKED;		/* cut short */
		if (get16(f + ip + 6) & (CG_IPV4_MF | CG_IPV4_OFFSET))
			return CG_ZI_UNCHECKED;		/* a fragment */
		proto = f[ip + 9];
		memcpy(pseudo, f + ip + 12, 8);		/* saddr, daddr */
		plen = 8;
		l4 = ip + ihl;
		ip_end = ip + tot;
	} else if (family == 6) {
		size_t pl;

		if (ip + 40 > end || f[ip] >> 4 != 6)
			return CG_ZI_UNCHECKED;
		pl = get16(f + ip + 4);
		if (pl == 0 || ip + 40 + pl > end)
			return CG_ZI_UNCHECKED;
		ip_end = ip + 40 + pl;
		memcpy(pseudo, f + ip + 8, 32);		/* saddr, daddr */
		plen = 32;
		proto = f[ip + 6];
		l4 = ip + 40;
		/* extension headers, as the outer parser skips them */
		for (i = 0; i < CG_IPV6_MAX_EXT; i++) {
			if (proto == CG_IPPROTO_FRAGMENT) {
				if (l4 + 8 > ip_end || l4 - udp_off > CG_MAX_INNER_HDR)
					return CG_ZI_UNCHECKED;
				if (get16(f + l4 + 2) & (CG_IPV6_FRAG_OFFSET | CG_IPV6_FRAG_MF))
					return CG_ZI_UNCHECKED;	/* a fragment */
				proto = f[l4];
				l4 += 8;
			} else if (proto == CG_IPPROTO_HOPOPTS || proto == CG_IPPROTO_DSTOPTS ||
				   proto == CG_IPPROTO_ROUTING) {
				if (l4 + 8 > ip_end || l4 - udp_off > CG_MAX_INNER_HDR)
					return CG_ZI_UNCHECKED;
				if (proto == CG_IPPROTO_ROUTING && f[l4 + 3] != 0)
					return CG_ZI_UNCHECKED;	/* segments left */
				proto = f[l4];
				l4 += ((size_t)f[l4 + 1] + 1) * 8;
			} else {
				break;
			}
			if (l4 > ip_end)
				return CG_ZI_UNCHECKED;
		}
		if (proto == CG_IPPROTO_HOPOPTS || proto == CG_IPPROTO_DSTOPTS ||
		    proto == CG_IPPROTO_ROUTING || proto == CG_IPPROTO_FRAGMENT)
			return CG_ZI_UNCHECKED;
	} else {
		return CG_ZI_UNCHECKED;		/* no inner IP: ARP, control, ... */
	}
	if (l4 - udp_off > CG_MAX_INNER_HDR)
		return CG_ZI_UNCHECKED;
	seglen = ip_end - l4;
	switch (proto) {
	case CG_IPPROTO_TCP:
		if (seglen < 20)
			return CG_ZI_UNCHECKED;
		foff = 16;
		break;
	case CG_IPPROTO_UDP:
		if (seglen < 8 || get16(f + l4 + 4) < 8 || get16(f + l4 + 4) > seglen)
			return CG_ZI_UNCHECKED;
		seglen = get16(f + l4 + 4);	/* what its own length covers */
		if (get16(f + l4 + 6) == 0)
			return CG_ZI_UNCHECKED;		/* "no checksum" */
		foff = 6;
		break;
	case CG_IPPROTO_ICMP:			/* IPv4 only; no pseudo-header */
		if (family != 4 || seglen < 8)
			return CG_ZI_UNCHECKED;
		foff = 2;
		plen = 0;
		break;
	case CG_IPPROTO_ICMPV6:			/* IPv6 only; pseudo-header */
		if (family != 6 || seglen < 8)
			return CG_ZI_UNCHECKED;
		foff = 2;
		break;
	default:
		return CG_ZI_UNCHECKED;
	}
	field = get16(f + l4 + foff);
	/* RFC 1071 over the pseudo-header (addresses, zero + protocol, the
	 * segment's length) and the segment, its checksum field included. */
	s = cg_ref_sum16(pseudo, plen, 0);
	if (plen) {
		s = cg_ref_sum16((const uint8_t[]){ 0, proto }, 2, s);
		s = cg_ref_sum16((const uint8_t[]){ (uint8_t)(seglen >> 8), (uint8_t)seglen }, 2, s);
	}
	/* The seed: the pseudo-header alone, folded (offload never finished). */
	if (plen && cg_ref_fold(cg_ref_sum16(f + l4, seglen, s)) != 0xffff)
		return field == cg_ref_fold(s) ? CG_ZI_UNFINISHED : CG_ZI_BAD;
	s = cg_ref_sum16(f + l4, seglen, s);
	/* +0 and -0 are one value: an all-zero ICMP message sums to 0 and
	 * counts as verifying (the datapath's bad path, which finds the
	 * segment's sum by subtraction, cannot tell them apart). */
	return cg_ref_fold(s) == 0xffff || s == 0 ? CG_ZI_OK : CG_ZI_BAD;
}

void cg_ref_config_default(struct cg_ref_config *cfg)
{
	int i;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < CG_N_DEFAULT_PORTS; i++)
		cfg->port_encap[cg_default_ports[i].port] = (uint8_t)cg_default_ports[i].encap;
	cfg->mode = CG_MODE_MONITOR;
}

static const struct cg_ref_block_entry *find_block(const struct cg_ref_config *cfg,
						   const struct cg_addr *a)
{
	size_t i;

	for (i = 0; i < cfg->nblocks; i++)
		if (!memcmp(&cfg->blocks[i].addr, a, sizeof(*a)))
			return &cfg->blocks[i];
	return NULL;
}

/* Where the IP layer left us: the UDP header offset and the IP payload end. */
struct l3_info {
	int family;		/* 4 or 6: the fixed header was readable (saddr valid) */
	size_t l3;		/* offset of the IP header */
	const uint8_t *saddr, *daddr;
	size_t l4;		/* offset of the upper-layer header */
	size_t ip_end;		/* offset just past the IP payload */
	uint8_t proto;		/* upper-layer protocol */
	bool fragment;		/* a real fragment (not an IPv6 atomic fragment) */
	bool first_fragment;	/* offset 0 */
	/* UDP, but the IP header does not hold up (IPv4: IHL < 5, total
	 * length below the header or beyond the frame; IPv6 whose next header
	 * is UDP: payload length 0 or beyond the frame): where the UDP header
	 * would be (SPEC 2.4, malformed attribution) */
	bool broken_udp;
	size_t broken_l4;
};

/* Returns the kind: CG_IF_TUNNEL means "parsed, go on". */
static enum cg_iface_counter parse_l3(const uint8_t *f, size_t len, size_t off,
				      uint16_t proto, struct l3_info *l3)
{
	memset(l3, 0, sizeof(*l3));
	l3->l3 = off;
	if (proto == CG_ETH_P_IP) {
		size_t ihl, tot;
		uint16_t frag;

		if (off + CG_IPV4_MIN_HLEN > len || (f[off] >> 4) != 4)
			return CG_IF_UNPARSED;
		l3->family = 4;
		l3->saddr = f + off + 12;
		l3->daddr = f + off + 16;
		ihl = (size_t)(f[off] & 0x0f) * 4;
		tot = get16(f + off + 2);
		if (ihl < CG_IPV4_MIN_HLEN || tot < ihl || off + tot > len) {
			/* the UDP header would be at the IHL offset, or after
			 * the fixed 20 bytes when IHL < 5 */
			l3->broken_udp = f[off + 9] == CG_IPPROTO_UDP;
			l3->broken_l4 = off + (ihl < CG_IPV4_MIN_HLEN ? CG_IPV4_MIN_HLEN : ihl);
			return CG_IF_UNPARSED;
		}
		frag = get16(f + off + 6);
		l3->proto = f[off + 9];
		l3->l4 = off + ihl;
		l3->ip_end = off + tot;
		l3->fragment = (frag & (CG_IPV4_MF | CG_IPV4_OFFSET)) != 0;
		l3->first_fragment = (frag & CG_IPV4_OFFSET) == 0;
		return CG_IF_TUNNEL;
	}
	if (proto == CG_ETH_P_IPV6) {
		size_t plen, l4;
		uint8_t nh;
		int i;

		if (off + CG_IPV6_HLEN > len || (f[off] >> 4) != 6)
			return CG_IF_UNPARSED;
		l3->family = 6;
		l3->saddr = f + off + 8;
		l3->daddr = f + off + 24;
		plen = get16(f + off + 4);
		if (plen == 0 || off + CG_IPV6_HLEN + plen > len) {
			/* jumbogram or beyond the frame */
			l3->broken_udp = f[off + 6] == CG_IPPROTO_UDP;
			l3->broken_l4 = off + CG_IPV6_HLEN;
			return CG_IF_UNPARSED;
		}
		l3->ip_end = off + CG_IPV6_HLEN + plen;
		nh = f[off + 6];
		l4 = off + CG_IPV6_HLEN;
		for (i = 0; i < CG_IPV6_MAX_EXT; i++) {
			if (nh == CG_IPPROTO_HOPOPTS || nh == CG_IPPROTO_DSTOPTS ||
			    nh == CG_IPPROTO_ROUTING) {
				size_t hl;

				if (l4 + 8 > l3->ip_end)
					return CG_IF_UNPARSED;
				hl = ((size_t)f[l4 + 1] + 1) * 8;
				if (l4 + hl > l3->ip_end)
					return CG_IF_UNPARSED;
				/* Segments left: the checksum would use the final
				 * destination, which we do not chase. Not judged. */
				if (nh == CG_IPPROTO_ROUTING && f[l4 + 3] != 0)
					return CG_IF_UNPARSED;
				nh = f[l4];
				l4 += hl;
			} else if (nh == CG_IPPROTO_FRAGMENT) {
				uint16_t fo;

				if (l4 + CG_IPV6_FRAG_HLEN > l3->ip_end)
					return CG_IF_UNPARSED;
				fo = get16(f + l4 + 2);
				nh = f[l4];
				l4 += CG_IPV6_FRAG_HLEN;
				if (fo & (CG_IPV6_FRAG_OFFSET | CG_IPV6_FRAG_MF)) {
					l3->fragment = true;
					l3->first_fragment = (fo & CG_IPV6_FRAG_OFFSET) == 0;
					break;
				}
				/* atomic fragment (RFC 6946): a whole datagram, go on */
			} else {
				break;
			}
		}
		if (!l3->fragment && (nh == CG_IPPROTO_HOPOPTS || nh == CG_IPPROTO_DSTOPTS ||
				      nh == CG_IPPROTO_ROUTING || nh == CG_IPPROTO_FRAGMENT))
			return CG_IF_UNPARSED;	/* more extension headers than we skip */
		if (l4 > CG_MAX_L4_OFF)
			return CG_IF_UNPARSED;
		l3->proto = nh;
		l3->l4 = l4;
		return CG_IF_TUNNEL;
	}
	return CG_IF_NOT_TUNNEL;
}

/* The tunnel port table's entry for the UDP destination port of a header
 * at frame offset l4, when those 2 bytes are in the frame. */
static bool tunnel_port_at(const uint8_t *f, size_t len, size_t l4,
			   const struct cg_ref_config *cfg)
{
	return l4 + 4 <= len && cfg->port_encap[get16(f + l4 + 2)] != CG_ENCAP_NONE;
}

/* Sampling: whether this tunnel frame is verified (advances the state). */
static bool sample_take(const struct cg_ref_config *cfg)
{
	if (cfg->sample <= 1 || !cfg->sample_left)
		return true;
	if (*cfg->sample_left == 0) {
		*cfg->sample_left = cfg->sample - 1;
		return true;
	}
	(*cfg->sample_left)--;
	return false;
}

/*
 * ingress: the XDP validator's rules (SPEC 2.4-2.8: malformed attribution,
 * sampling, the IPv4 header checksum, the inner checks and repair); else
 * the frame rules the TC egress program shares, as before issue 10.
 */
static void classify(const uint8_t *f, size_t len, const struct cg_ref_config *cfg,
		     struct cg_ref_result *r, bool ingress)
{
	struct l3_info l3;
	size_t off = CG_ETH_HLEN, alen, ip_payload, ulen = 0;
	uint16_t proto, dport = 0;
	int i;

	if (len < CG_ETH_HLEN) {
		r->kind = CG_IF_UNPARSED;
		return;
	}
	proto = get16(f + 12);
	for (i = 0; i < CG_MAX_VLAN_TAGS; i++) {
		if (proto != CG_ETH_P_8021Q && proto != CG_ETH_P_8021AD)
			break;
		if (off + CG_VLAN_HLEN > len) {
			r->kind = CG_IF_UNPARSED;
			return;
		}
		proto = get16(f + off + 2);
		off += CG_VLAN_HLEN;
	}
	if (proto == CG_ETH_P_8021Q || proto == CG_ETH_P_8021AD) {
		r->kind = CG_IF_UNPARSED;	/* a third tag */
		return;
	}

	r->kind = parse_l3(f, len, off, proto, &l3);
	if (l3.family) {
		/* The source counts from the fixed IP header on, however far
		 * the rest parses: the blocklist is decided on it. */
		r->have_src = true;
		if (l3.family == 4) {
			cg_addr_from_v4(&r->src, l3.saddr);
			cg_addr_from_v4(&r->dst, l3.daddr);
		} else {
			cg_addr_from_v6(&r->src, l3.saddr);
			cg_addr_from_v6(&r->dst, l3.daddr);
		}
	}
	/* Malformed attribution (SPEC 2.4): a UDP frame whose IP header does
	 * not hold up counts as its source's malformed when the UDP
	 * destination port where the header would be is a tunnel port. */
	if (ingress && r->kind == CG_IF_UNPARSED && l3.broken_udp &&
	    tunnel_port_at(f, len, l3.broken_l4, cfg)) {
		r->kind = CG_IF_TUNNEL;
		r->verdict = CG_V_MALFORMED;
		goto tunnel;
	}
	if (r->kind != CG_IF_TUNNEL)
		return;
	if (l3.proto != CG_IPPROTO_UDP) {
		r->kind = CG_IF_NOT_TUNNEL;
		r->non_tunnel = true;
		return;
	}
	ip_payload = l3.ip_end - l3.l4;

	if (l3.fragment) {
		r->kind = CG_IF_TUNNEL;
		r->verdict = CG_V_FRAGMENT;
		/* Only a first fragment shows its port, so only there can a
		 * frame be proven to be no tunnel traffic. */
		if (l3.first_fragment && ip_payload >= 4)
			r->non_tunnel = cfg->port_encap[get16(f + l3.l4 + 2)] == CG_ENCAP_NONE;
		goto tunnel;
	}
	if (ip_payload < CG_UDP_HLEN) {
		/* the IP length cuts the UDP header short: malformed for a
		 * tunnel port (SPEC 2.4), else unparsed as before */
		if (ingress && tunnel_port_at(f, len, l3.l4, cfg)) {
			r->kind = CG_IF_TUNNEL;
			r->verdict = CG_V_MALFORMED;
			goto tunnel;
		}
		r->kind = CG_IF_UNPARSED;
		return;
	}
	dport = get16(f + l3.l4 + 2);
	if (cfg->port_encap[dport] == CG_ENCAP_NONE) {
		r->kind = CG_IF_NOT_TUNNEL;
		r->non_tunnel = true;
		return;
	}
	r->kind = CG_IF_TUNNEL;
	ulen = get16(f + l3.l4 + 4);
	if (ulen < CG_UDP_HLEN || ulen > ip_payload)
		r->verdict = CG_V_MALFORMED;

tunnel:
	if (!ingress) {
		if (r->verdict == CG_V_FRAGMENT || r->verdict == CG_V_MALFORMED)
			return;
		goto checksum;
	}
	/* Sampling: the others pass unverified, counted apart (SPEC 2.6). */
	if (!sample_take(cfg)) {
		r->kind = CG_IF_UNVERIFIED;
		r->verdict = 0;
		return;
	}
	/* The outer IPv4 header checksum comes first, as in the receiving
	 * kernel (ip_rcv_core checks it before any length): whatever else is
	 * wrong, a frame that fails it is bad_ip_header. Checked when the
	 * header length is sane and the header is in the frame. */
	if (l3.family == 4) {
		size_t ihl = (size_t)(f[l3.l3] & 0x0f) * 4;

		if (ihl >= CG_IPV4_MIN_HLEN && l3.l3 + ihl <= len &&
		    !cg_ref_ipv4_hdr_ok(f + l3.l3, ihl)) {
			r->verdict = CG_V_BAD_IP_HEADER;
			return;
		}
	}
	if (r->verdict == CG_V_FRAGMENT || r->verdict == CG_V_MALFORMED)
		return;

checksum:
	alen = l3.family == 4 ? 4 : 16;
	r->stored_csum = get16(f + l3.l4 + 6);
	if (r->stored_csum == 0) {
		r->verdict = CG_V_ZERO;
		if (ingress)
			r->zero_inner = cg_ref_inner_check(f, l3.l4, ulen,
							   (enum cg_encap)cfg->port_encap[dport]);
		return;
	}
	r->expected_csum = cg_ref_udp_csum(l3.saddr, l3.daddr, alen, f + l3.l4, ulen);
	r->seed = cg_ref_pseudo_seed(l3.saddr, l3.daddr, alen, (uint16_t)ulen);
	r->udp_off = l3.l4;
	r->udp_len = ulen;
	r->pseudo = pseudo_sum(l3.saddr, l3.daddr, alen, (uint32_t)ulen);
	r->seed_nolen = cg_ref_pseudo_seed(l3.saddr, l3.daddr, alen, 0);
	/* The datagram verifies iff the stored field equals the expected one:
	 * expected is never 0 (a sum that computes to 0 is sent as 0xffff,
	 * RFC 768), and a stored 0 was handled above as "zero". */
	if (r->stored_csum == r->expected_csum) {
		r->verdict = CG_V_OK;
	} else if (r->stored_csum == r->seed) {
		r->verdict = CG_V_UNFINISHED;
	} else {
		r->verdict = CG_V_BAD;
		if (ingress)
			r->cls = cg_ref_bad_class(cg_ref_inner_check(f, l3.l4, ulen,
					(enum cg_encap)cfg->port_encap[dport]));
	}
}

void cg_ref_classify(const uint8_t *frame, size_t len, const struct cg_ref_config *cfg,
		     struct cg_ref_result *r)
{
	const struct cg_ref_block_entry *b;

	bool repair;

	memset(r, 0, sizeof(*r));
	classify(frame, len, cfg, r, true);

	if (!r->have_src)
		return;			/* fail open: no IP source, nothing to block */
	/* Repair mode: a bad_outer_only frame (payload intact) gets the outer
	 * checksum it should have and passes, unless its source is blocked;
	 * never any other class (SPEC 2.8, issue 10). */
	repair = r->kind == CG_IF_TUNNEL && r->verdict == CG_V_BAD &&
		 r->cls == CG_BC_OUTER_ONLY && (cfg->flags & CG_CFG_REPAIR);
	/* A blocked source loses every frame not proven to be no tunnel
	 * traffic (unparsed ones included), or every frame with "all". */
	b = find_block(cfg, &r->src);
	r->blocked = b != NULL;
	if (b && (!r->non_tunnel || (b->flags & CG_BLOCK_ALL_TRAFFIC))) {
		r->drop = true;
		r->drop_reason = CG_IF_DROP_BLOCKED;
	} else if (r->kind == CG_IF_TUNNEL && r->verdict == CG_V_BAD && !repair &&
		   cfg->mode == CG_MODE_DROP) {
		r->drop = true;
		r->drop_reason = CG_IF_DROP_BAD;
	}
	r->repaired = repair && !r->drop;
}

/*
 * LCO (include/linux/skbuff.h lco_csum; udp_set_csum uses it when the inner
 * L4 checksum is CHECKSUM_PARTIAL): once the NIC has finished the inner
 * checksum, the inner L4 region sums to the complement of the seed it holds
 * now, whatever its bytes. So the outer field is final and right iff the
 * pseudo-header, the bytes from the outer UDP header to the inner L4 header,
 * and ~seed sum to 0xffff. Every header must lie inside the datagram.
 */
bool cg_ref_lco_verifies(const uint8_t *f, size_t udp_off, size_t udp_len, enum cg_encap encap,
			 uint32_t pseudo)
{
	size_t end = udp_off + udp_len, t = udp_off + CG_UDP_HLEN, inner, l4, foff;
	uint16_t et = 0, seed;
	uint8_t proto;
	bool l2;
	uint32_t s;

	if (udp_len < CG_UDP_HLEN + 4)
		return false;
	switch (encap) {
	case CG_ENCAP_VXLAN:			/* 8 bytes, then Ethernet */
		inner = t + 8;
		l2 = true;
		break;
	case CG_ENCAP_GENEVE:			/* 8 + options; Ethernet if 0x6558 */
		inner = t + 8 + (size_t)(f[t] & 0x3f) * 4;
		l2 = get16(f + t + 2) == 0x6558;
		break;
	case CG_ENCAP_GUE:
		if (f[t] >> 6 == 1) {		/* v1: the inner IP header at once */
			inner = t;
		} else if (f[t] >> 6 == 0 && !(f[t] & 0x20)) {
			inner = t + 4 + (size_t)(f[t] & 0x1f) * 4;
		} else {
			return false;		/* control message, unknown version */
		}
		l2 = false;
		break;
	default:
		return false;
	}
	if (l2) {
		if (inner + CG_ETH_HLEN > end)
			return false;
		et = get16(f + inner + 12);
		if (et == CG_ETH_P_8021Q) {
			if (inner + CG_ETH_HLEN + CG_VLAN_HLEN > end)
				return false;
			et = get16(f + inner + 16);
			inner += CG_VLAN_HLEN;
		}
		inner += CG_ETH_HLEN;
		if (et != CG_ETH_P_IP && et != CG_ETH_P_IPV6)
			return false;
	}
	if (inner + 10 > end)
		return false;
	if (f[inner] >> 4 == 4) {
		size_t ihl = (size_t)(f[inner] & 0x0f) * 4;

		if (ihl < CG_IPV4_MIN_HLEN || (get16(f + inner + 6) & (CG_IPV4_MF | CG_IPV4_OFFSET)))
			return false;
		l4 = inner + ihl;
		proto = f[inner + 9];
	} else if (f[inner] >> 4 == 6) {
		l4 = inner + CG_IPV6_HLEN;
		proto = f[inner + 6];
	} else {
		return false;
	}
	foff = proto == CG_IPPROTO_TCP ? 16 : proto == CG_IPPROTO_UDP ? 6 : 0;
	if (!foff || l4 + foff + 2 > end || l4 > CG_MAX_L4_OFF)
		return false;
	seed = get16(f + l4 + foff);
	s = cg_ref_sum16(f + udp_off, l4 - udp_off, pseudo);
	s = cg_ref_sum16((const uint8_t[]){ (uint8_t)(~seed >> 8), (uint8_t)~seed }, 2, s);
	return cg_ref_fold(s) == 0xffff;
}

/*
 * Egress: the frame rules of the ingress classification (parser, port
 * table, fragment, malformed, zero), then the states of SPEC 2 "TC egress".
 * A GSO super-packet is judged by its field alone: its checksum is made per
 * segment after TC, from the seed Linux stores there (udp_set_csum: the
 * pseudo-header with the super-packet's UDP length; the length-free seed a
 * driver may make of it is accepted too). Anything else in its field is
 * final_bad, but a GSO skb is never dropped: its sum was not computed.
 */
void cg_ref_egress_classify(const uint8_t *frame, size_t len, const struct cg_ref_config *cfg,
			    bool gso, uint32_t gso_segs, struct cg_ref_egress *e)
{
	struct cg_ref_result r;

	memset(e, 0, sizeof(*e));
	memset(&r, 0, sizeof(r));
	classify(frame, len, cfg, &r, false);	/* no blocklist at egress */
	e->kind = r.kind;
	e->gso = gso;
	e->weight = gso && gso_segs > 1 ? gso_segs : 1;
	if (r.kind != CG_IF_TUNNEL)
		return;
	e->dst = r.dst;
	switch (r.verdict) {
	case CG_V_FRAGMENT:
		e->state = CG_E_FRAGMENT;
		return;
	case CG_V_MALFORMED:
		e->state = CG_E_MALFORMED;
		return;
	case CG_V_ZERO:
		e->state = CG_E_ZERO;
		break;
	case CG_V_OK:
	case CG_V_BAD:
	case CG_V_UNFINISHED:
		if (gso)
			e->state = r.stored_csum == r.seed || r.stored_csum == r.seed_nolen ?
				   CG_E_OFFLOADED : CG_E_FINAL_BAD;
		else if (r.verdict == CG_V_BAD &&
			 cg_ref_lco_verifies(frame, r.udp_off, r.udp_len,
					     (enum cg_encap)cfg->port_encap[get16(frame + r.udp_off + 2)],
					     r.pseudo))
			e->state = CG_E_FINAL_OK;	/* final once the inner is finished */
		else
			e->state = r.verdict == CG_V_OK ? CG_E_FINAL_OK :
				   r.verdict == CG_V_BAD ? CG_E_FINAL_BAD : CG_E_OFFLOADED;
		break;
	default:
		break;
	}
	e->gso_tunnel = gso;
	e->drop = e->state == CG_E_FINAL_BAD && !gso && cfg->mode == CG_MODE_DROP;
}
