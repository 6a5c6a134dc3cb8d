/* SPDX-License-Identifier: GPL-2.0 */
/*
 * inner.bpf.h - the inner packet of a tunnel datagram (SPEC 2.7, 2.8), for
 * the XDP ingress validator: cg_inner_check() finds the inner L4 segment
 * behind the tunnel header and says whether its own checksum verifies; the
 * classes of a bad frame and the audit of a zero-checksum frame are made of
 * its answer, and repair mode writes what cg_repair_csum() computes. The
 * twin in plain C is inner_check() in ref/refcheck.c.
 *
 * Encapsulations (the outer UDP header at l4, the tunnel header at l4 + 8):
 *  - VXLAN: 8 bytes, then an inner Ethernet frame;
 *  - Geneve: 8 bytes + opt len x 4 bytes of options (skipped), version 0;
 *    protocol type 0x6558: an inner Ethernet frame, 0x0800 / 0x86DD: the
 *    inner IPv4 / IPv6 header at once;
 *  - GUE version 0 (draft-ietf-intarea-gue, first two bits 00): 4 bytes,
 *    |0 0|C|hlen(5)|proto/ctype(8)|flags(16)|, then hlen x 4 bytes of
 *    extension fields (whatever the flags say is in them: hlen is their
 *    length), then the inner packet of IP protocol proto: 4 IPv4, 41 IPv6;
 *    C set: a control message, nothing to check;
 *  - GUE version 1 (first two bits 01): no header, the inner IPv4 (first
 *    nibble 4) or IPv6 (6) header right after the UDP header.
 * An inner Ethernet frame may carry up to two VLAN tags (802.1Q/802.1ad),
 * then IPv4 or IPv6; IPv4 options are skipped by IHL, IPv6 extension headers
 * as the outer parser skips them (CG_IPV6_MAX_EXT of hop-by-hop, routing
 * with segments left 0, destination options, atomic fragments). The inner
 * L4: TCP, UDP (its own length; checksum 0: none), ICMP (IPv4, no
 * pseudo-header), ICMPv6 (IPv6, pseudo-header).
 * Anything else is CG_ZI_UNCHECKED: a header cut short by the outer UDP
 * length, an empty payload, an inner fragment, an unknown protocol or
 * EtherType (ARP), a version that does not match what the tunnel said, an
 * inner L4 header more than CG_MAX_INNER_HDR bytes after the outer UDP one.
 *
 * One pass over the inner bytes (issue 10). A bad frame's datagram has just
 * been summed whole (udp_verdict: dsum, its bytes alone). That sum is
 *   prefix [l4, inner L4) + segment [inner L4, its end) + tail [end, l4+ulen)
 * so the segment's sum is dsum - prefix - tail: only the headers (less than
 * 512 bytes) and the tail (bytes after the inner packet: Ethernet padding,
 * usually none) are read again, never the inner payload. A zero-checksum
 * frame's datagram was not summed: its segment is summed once, directly.
 * Lanes: the one's-complement sum pairs bytes into 16-bit words counted
 * from where the sum starts. The prefix is always an even number of bytes
 * (UDP 8, VXLAN 8, Geneve 8 + 4k, GUE 4 + 4k or 0, Ethernet 14, VLAN 4,
 * IPv4 4 x IHL, IPv6 40 + 8k: every length even), so the segment's words are
 * the same pairs in the datagram's sum and in its own: no byte swap. The
 * tail starts after the segment, whose length may be odd: then its own sum
 * is in the other lanes, and swapping the folded value's two bytes puts it
 * back (RFC 1071 2(B): the sum commutes with a byte swap).
 * The inner check itself: pseudo-header (TCP, UDP, ICMPv6) + segment, its
 * checksum field included, folds to 0xffff exactly when it verifies. The
 * segment's sum from the subtraction is only known modulo 0xffff, which is
 * all the check needs when a pseudo-header is added (it is not 0); for ICMP
 * (none) an all-zero message sums to 0 and would count as verifying: the
 * direct sum is given the same rule (sum 0 verifies too), so both paths,
 * and the reference, agree.
 */
#ifndef CG_INNER_BPF_H
#define CG_INNER_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "csumguard.h"
#include "cg_wire.h"
#include "ctx.bpf.h"
#include "pkt.bpf.h"
#include "csum.bpf.h"
#include "csum_fold.bpf.h"

/* The n bytes at frame offset off when they are in the linear area, else
 * NULL (pkt.bpf.h). */
#define inner_at(data, data_end, off, n) pkt_in(data, data_end, off, n)

static __always_inline __u32 rd16(const __u8 *p)
{
	return (__u32)p[0] << 8 | p[1];
}

/* The byte-swapped folded sum: a sum over bytes that start at an odd offset
 * from the sum they join. */
static __always_inline __u32 csum_swab(__u64 s)
{
	__u32 f = csum_fold64(s);

	return (f >> 8 | f << 8) & 0xffff;
}

/* What the walks below return when there is nothing to check (a header
 * cut short, an unknown protocol, ...): CG_ZI_UNCHECKED. -1: a header was
 * not in the linear area. */
#define CG_IN_NONE	(-2)

/*
 * The tunnel header at frame offset t (right after the outer UDP header) of
 * a datagram ending at end, and an inner Ethernet frame's header and VLAN
 * tags: where the inner IP header is. Returns family << 16 | offset (family
 * 4 or 6), CG_IN_NONE or -1. Global: verified once (each walk inlined into
 * the next multiplied the paths the verifier explores).
 */
__noinline int cg_inner_ip(struct cg_ctx *ctx, __u32 t, __u32 end, __u32 encap)
{
	void *data = cg_ctx_data(ctx);
	void *data_end = cg_ctx_data_end(ctx);
	__u32 p, et, family = 0;
	int l2 = 0, i;
	__u8 *b;

	if (t > CG_MAX_L4_OFF + CG_UDP_HLEN || end > t + CG_MAX_CHECKED_LEN)
		return -1;
	switch (encap) {
	case CG_ENCAP_VXLAN:
		if (t + CG_VXLAN_HLEN > end)
			return CG_IN_NONE;
		p = t + CG_VXLAN_HLEN;
		l2 = 1;
		break;
	case CG_ENCAP_GENEVE:
		if (t + CG_GENEVE_HLEN > end)
			return CG_IN_NONE;
		b = inner_at(data, data_end, t, 4);
		if (!b)
			return -1;
		if (b[0] >> 6)
			return CG_IN_NONE;		/* Geneve version 0 only */
		p = t + CG_GENEVE_HLEN + (b[0] & 0x3f) * 4;
		et = rd16(b + 2);
		if (et == CG_GENEVE_P_ETH)
			l2 = 1;
		else if (et == CG_ETH_P_IP)
			family = 4;
		else if (et == CG_ETH_P_IPV6)
			family = 6;
		else
			return CG_IN_NONE;
		break;
	case CG_ENCAP_GUE:
		if (t >= end)
			return CG_IN_NONE;		/* empty */
		b = inner_at(data, data_end, t, 1);
		if (!b)
			return -1;
		if ((b[0] >> 6) == 1) {
			/* version 1: the inner IP header itself */
			family = b[0] >> 4 == 4 ? 4 : b[0] >> 4 == 6 ? 6 : 0;
			if (!family)
				return CG_IN_NONE;
			p = t;
			break;
		}
		if ((b[0] >> 6) != 0 || t + CG_GUE_HLEN > end)
			return CG_IN_NONE;
		b = inner_at(data, data_end, t, CG_GUE_HLEN);
		if (!b)
			return -1;
		if (b[0] & CG_GUE_C)
			return CG_IN_NONE;		/* a control message */
		p = t + CG_GUE_HLEN + (b[0] & CG_GUE_HLEN_MASK) * 4;
		family = b[1] == CG_IPPROTO_IPIP ? 4 : b[1] == CG_IPPROTO_IPV6 ? 6 : 0;
		if (!family)
			return CG_IN_NONE;
		break;
	default:
		return CG_IN_NONE;
	}
	if (l2) {
		/* an inner Ethernet frame, up to two VLAN tags */
		if (p + CG_ETH_HLEN > end)
			return CG_IN_NONE;		/* empty, or cut short */
		b = inner_at(data, data_end, p + 12, 2);
		if (!b)
			return -1;
		et = rd16(b);
		p += CG_ETH_HLEN;
		for (i = 0; i < CG_MAX_VLAN_TAGS; i++) {
			if (et != CG_ETH_P_8021Q && et != CG_ETH_P_8021AD)
				break;
			if (p + CG_VLAN_HLEN > end)
				return CG_IN_NONE;
			b = inner_at(data, data_end, p + 2, 2);
			if (!b)
				return -1;
			et = rd16(b);
			p += CG_VLAN_HLEN;
		}
		family = et == CG_ETH_P_IP ? 4 : et == CG_ETH_P_IPV6 ? 6 : 0;
		if (!family)
			return CG_IN_NONE;		/* ARP, a third tag, ... */
	}
	return (int)(family << 16 | p);
}

/*
 * The inner IPv6 extension headers from frame offset q (next header nh) to
 * the upper-layer header, as the outer parser skips them (bpf/parse.bpf.h),
 * inside the inner IP payload (ip_end) and within CG_MAX_INNER_HDR of the
 * outer UDP header l4. Returns nh << 16 | offset, CG_IN_NONE (an inner
 * fragment, segments left, more than CG_IPV6_MAX_EXT, beyond the payload)
 * or -1. Global, like cg_inner_ip.
 */
__noinline int cg_inner_v6ext(struct cg_ctx *ctx, __u32 q, __u32 ip_end, __u32 nh, __u32 l4)
{
	void *data = cg_ctx_data(ctx);
	void *data_end = cg_ctx_data_end(ctx);
	__u32 hl;
	__u8 *b;
	int i;

	for (i = 0; i < CG_IPV6_MAX_EXT; i++) {
		if (nh != CG_IPPROTO_HOPOPTS && nh != CG_IPPROTO_DSTOPTS &&
		    nh != CG_IPPROTO_ROUTING && nh != CG_IPPROTO_FRAGMENT)
			break;
		if (q + 8 > ip_end || q > l4 + CG_MAX_INNER_HDR)
			return CG_IN_NONE;
		b = inner_at(data, data_end, q, 8);
		if (!b)
			return -1;
		if (nh == CG_IPPROTO_FRAGMENT) {
			if (rd16(b + 2) & (CG_IPV6_FRAG_OFFSET | CG_IPV6_FRAG_MF))
				return CG_IN_NONE;	/* an inner fragment */
			hl = CG_IPV6_FRAG_HLEN;		/* atomic: go on */
		} else {
			if (nh == CG_IPPROTO_ROUTING && b[3] != 0)
				return CG_IN_NONE;	/* segments left */
			hl = ((__u32)b[1] + 1) * 8;
		}
		nh = b[0];
		q += hl;
		if (q > ip_end)
			return CG_IN_NONE;
	}
	if (nh == CG_IPPROTO_HOPOPTS || nh == CG_IPPROTO_DSTOPTS ||
	    nh == CG_IPPROTO_ROUTING || nh == CG_IPPROTO_FRAGMENT)
		return CG_IN_NONE;			/* more than we skip */
	if (q > 0xffff)
		return -1;
	return (int)(nh << 16 | q);
}

/*
 * The inner L4 checksum of the tunnel datagram at frame offset l4 (ulen
 * bytes, UDP length already checked against the IP payload) to a port of
 * encapsulation encap. dsum: the datagram's folded byte sum when it was
 * summed (a bad frame: never 0, the UDP length field alone is at least 8),
 * or 0 (a zero-checksum frame). Returns enum cg_zero_inner, or -1 when a
 * header was not in the linear area or a sum failed (the caller counts it
 * unchecked: never a guess).
 * Global: the verifier checks it once, scalars in, a scalar out (csum.bpf.h).
 */
__noinline int cg_inner_check(struct cg_ctx *ctx, __u32 l4, __u32 ulen, __u32 encap, __u32 dsum)
{
	void *data = cg_ctx_data(ctx);
	void *data_end = cg_ctx_data_end(ctx);
	__u32 end, p, family, l4i, ip_end, seglen, proto, foff, field, tail;
	__u64 pseudo = 0, seg, part;
	int r, i, has_pseudo = 1;
	__u8 *b;

	if (l4 > CG_MAX_L4_OFF || ulen > CG_MAX_CHECKED_LEN)
		return -1;
	end = l4 + ulen;
	r = cg_inner_ip(ctx, l4 + CG_UDP_HLEN, end, encap);
	if (r < 0)
		return r == CG_IN_NONE ? CG_ZI_UNCHECKED : -1;
	family = (__u32)r >> 16;
	p = (__u32)r & 0xffff;

	/* ---- the inner IP header */
	if (family == 4) {
		__u32 hl, tot;

		if (p + CG_IPV4_MIN_HLEN > end)
			return CG_ZI_UNCHECKED;
		b = inner_at(data, data_end, p, CG_IPV4_MIN_HLEN);
		if (!b)
			return -1;
		hl = (b[0] & 0x0f) * 4;
		tot = rd16(b + 2);
		if (b[0] >> 4 != 4 || hl < CG_IPV4_MIN_HLEN || tot < hl || p + tot > end)
			return CG_ZI_UNCHECKED;
		if (rd16(b + 6) & (CG_IPV4_MF | CG_IPV4_OFFSET))
			return CG_ZI_UNCHECKED;		/* an inner fragment */
		proto = b[9];
		pseudo = (__u64)*(__u32 *)(b + 12) + *(__u32 *)(b + 16);
		l4i = p + hl;
		ip_end = p + tot;
	} else {
		__u32 plen;

		if (p + CG_IPV6_HLEN > end)
			return CG_ZI_UNCHECKED;
		b = inner_at(data, data_end, p, CG_IPV6_HLEN);
		if (!b)
			return -1;
		plen = rd16(b + 4);
		if (b[0] >> 4 != 6 || plen == 0 || p + CG_IPV6_HLEN + plen > end)
			return CG_ZI_UNCHECKED;
		ip_end = p + CG_IPV6_HLEN + plen;
		for (i = 0; i < 8; i++)
			pseudo += *(__u32 *)(b + 8 + i * 4);
		r = cg_inner_v6ext(ctx, p + CG_IPV6_HLEN, ip_end, b[6], l4);
		if (r < 0)
			return r == CG_IN_NONE ? CG_ZI_UNCHECKED : -1;
		proto = (__u32)r >> 16;
		l4i = (__u32)r & 0xffff;
	}
	if (l4i > l4 + CG_MAX_INNER_HDR || l4i > ip_end)
		return CG_ZI_UNCHECKED;

	/* ---- the inner L4 header: where its checksum is, how long it is */
	seglen = ip_end - l4i;
	switch (proto) {
	case CG_IPPROTO_TCP:
		foff = 16;
		if (seglen < CG_TCP_HLEN)
			return CG_ZI_UNCHECKED;
		break;
	case CG_IPPROTO_UDP:
		foff = 6;
		if (seglen < CG_UDP_HLEN)
			return CG_ZI_UNCHECKED;
		b = inner_at(data, data_end, l4i + 4, 4);
		if (!b)
			return -1;
		/* its own length: bytes after it are not covered */
		if (rd16(b) < CG_UDP_HLEN || rd16(b) > seglen || rd16(b + 2) == 0)
			return CG_ZI_UNCHECKED;		/* no checksum (0) */
		seglen = rd16(b);
		break;
	case CG_IPPROTO_ICMP:
	case CG_IPPROTO_ICMPV6:
		if ((proto == CG_IPPROTO_ICMP) != (family == 4) || seglen < CG_ICMP_HLEN)
			return CG_ZI_UNCHECKED;
		foff = 2;
		has_pseudo = proto == CG_IPPROTO_ICMPV6;
		break;
	default:
		return CG_ZI_UNCHECKED;
	}
	b = inner_at(data, data_end, l4i + foff, 2);
	if (!b)
		return -1;
	field = *(__u16 *)b;
	/* Pseudo-header: the addresses, the protocol, the segment length
	 * (native order like every sum here; IPv6's 32-bit length and next
	 * header sum to the same words). */
	pseudo += bpf_htons(proto) + bpf_htons(seglen);

	/* ---- the segment's sum */
	if (dsum) {
		part = cg_sum_small(ctx, l4, l4i - l4);
		if (part & CG_SUM_ERR)
			return -1;
		seg = dsum + 0xffff - csum_fold64(part);
		tail = end - (l4i + seglen);
		if (tail) {
			part = cg_sum_range(ctx, l4i + seglen, tail);
			if (part & CG_SUM_ERR)
				return -1;
			seg += 0xffff - ((l4i + seglen - l4) & 1 ? csum_swab(part) :
					 csum_fold64(part));
		}
	} else {
		seg = cg_sum_range(ctx, l4i, seglen);
		if (seg & CG_SUM_ERR)
			return -1;
	}

	/* ---- the verdict on the inner checksum */
	if (has_pseudo) {
		if (csum_fold64(pseudo + seg) == 0xffff)
			return CG_ZI_OK;
		/* the inner pseudo-header seed: offload never finished it */
		return field == csum_fold64(pseudo) ? CG_ZI_UNFINISHED : CG_ZI_BAD;
	}
	return seg == 0 || csum_fold64(seg) == 0xffff ? CG_ZI_OK : CG_ZI_BAD;
}

/*
 * The value repair mode writes into a bad_outer_only frame's outer UDP
 * checksum field: what it should hold. From the datagram's folded byte sum
 * (dsum, the stored field included), the pseudo-header (pk->pseudo +
 * pk->udp_len) and the stored field: the sum with the field taken out is
 * S = pseudo + dsum - stored, the right field ~S, and a computed 0 is sent
 * as 0xffff (RFC 768). Native order, as loaded.
 */
static __always_inline __u16 cg_repair_csum(__u64 pseudo, __u32 dsum, __u16 stored)
{
	__u16 c = ~csum_fold64(pseudo + dsum + (__u16)~stored);

	return c ? c : 0xffff;
}

#endif /* CG_INNER_BPF_H */
