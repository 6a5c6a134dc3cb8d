// SPDX-License-Identifier: GPL-2.0
/* mutate.c - the differential test's mutation engine; see mutate.h. */
#include <stdio.h>
#include <string.h>
#include "mutate.h"
#include "cg_wire.h"
#include "csumguard.h"
#include "refcheck.h"
#include "pkt.h"

#define MAX_CHAIN	12	/* IPv6 headers followed, more than the datapath skips */

static const char *const names[MUT_NAMES] = {
	[MUT_FLIP_BITS] = "flip_bits",
	[MUT_WRITE_BYTES] = "write_bytes",
	[MUT_TRUNCATE] = "truncate",
	[MUT_IP4_TOTLEN] = "ip4_totlen",
	[MUT_IP4_IHL] = "ip4_ihl",
	[MUT_UDP_LEN] = "udp_len",
	[MUT_IP6_PLEN] = "ip6_plen",
	[MUT_VLAN_INSERT] = "vlan_insert",
	[MUT_VLAN_REMOVE] = "vlan_remove",
	[MUT_IP6_EXT_INSERT] = "ip6_ext_insert",
	[MUT_CSUM] = "csum",
	[MUT_ETHERTYPE] = "ethertype",
	[MUT_L4PROTO] = "l4proto",
	[MUT_IP4_FRAG] = "ip4_frag",
	[MUT_PORT] = "port",
	[MUT_TRAILER] = "trailer",
	[MUT_INNER] = "inner",
	[MUT_INNER_LEN] = "inner_len",
	[MUT_INNER_VLAN] = "inner_vlan",
	[MUT_IP4_HDR_CSUM] = "ip4_hdr_csum",
};

const char *mut_op_name(enum mut_op op)
{
	return (unsigned)op < MUT_NAMES ? names[op] : "?";
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static int is_tag(uint16_t t)
{
	return t == CG_ETH_P_8021Q || t == CG_ETH_P_8021AD;
}

static int is_ext(uint8_t nh)
{
	return nh == CG_IPPROTO_HOPOPTS || nh == CG_IPPROTO_DSTOPTS || nh == CG_IPPROTO_ROUTING ||
	       nh == CG_IPPROTO_FRAGMENT;
}

/* Where the fields are, as far as the frame shows them. */
struct lay {
	size_t type_off;	/* the EtherType after the tags */
	size_t l3;
	int family;		/* 4 or 6 when the fixed IP header is in the frame */
	size_t nh_off;		/* IPv4 protocol / the chain's last next-header byte */
	size_t l4;		/* upper-layer header with 8 bytes in the frame, or 0 */
	size_t ip_end;		/* by the IP length field (may lie beyond the frame) */
	/* IPv6: where a header can go, and the next-header byte naming it */
	size_t ins[MAX_CHAIN + 1], ins_nh[MAX_CHAIN + 1];
	int nins;
};

static void parse(const uint8_t *f, size_t len, struct lay *l)
{
	size_t off = 12, p, hl;
	int i;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < 4 && off + 6 <= len && is_tag(get16(f + off)); i++)
		off += CG_VLAN_HLEN;
	l->type_off = off;
	l->l3 = off + 2;
	if (off + 2 > len)
		return;
	if (get16(f + off) == CG_ETH_P_IP && l->l3 + CG_IPV4_MIN_HLEN <= len) {
		hl = (size_t)(f[l->l3] & 0x0f) * 4;
		l->family = 4;
		l->nh_off = l->l3 + 9;
		l->ip_end = l->l3 + get16(f + l->l3 + 2);
		if (hl >= CG_IPV4_MIN_HLEN && l->l3 + hl + CG_UDP_HLEN <= len)
			l->l4 = l->l3 + hl;
	} else if (get16(f + off) == CG_ETH_P_IPV6 && l->l3 + CG_IPV6_HLEN <= len) {
		l->family = 6;
		l->nh_off = l->l3 + 6;
		l->ip_end = l->l3 + CG_IPV6_HLEN + get16(f + l->l3 + 4);
		p = l->l3 + CG_IPV6_HLEN;
		l->ins[0] = p;
		l->ins_nh[0] = l->nh_off;
		l->nins = 1;
		for (i = 0; i < MAX_CHAIN && is_ext(f[l->nh_off]) && p + 8 <= len; i++) {
			hl = f[l->nh_off] == CG_IPPROTO_FRAGMENT ? 8 : ((size_t)f[p + 1] + 1) * 8;
			l->nh_off = p;
			p += hl;
			if (p > len)
				break;
			l->ins[l->nins] = p;
			l->ins_nh[l->nins++] = l->nh_off;
		}
		if (!is_ext(f[l->nh_off]) && p + CG_UDP_HLEN <= len)
			l->l4 = p;
	}
}

/* n bytes inserted at offset at; len unchanged when they do not fit. */
static size_t insert(uint8_t *f, size_t len, size_t cap, size_t at, const uint8_t *b, size_t n)
{
	if (len + n > cap || at > len)
		return len;
	memmove(f + at + n, f + at, len - at);
	memcpy(f + at, b, n);
	return len + n;
}

/* The right UDP checksum of the datagram at l->l4 by its length field, or
 * -1 when that length does not fit the frame. */
static long right_csum(const uint8_t *f, size_t len, const struct lay *l)
{
	size_t ulen = get16(f + l->l4 + 4);
	size_t alen = l->family == 4 ? 4 : 16;
	const uint8_t *sa = f + l->l3 + (l->family == 4 ? 12 : 8);

	if (ulen < CG_UDP_HLEN || l->l4 + ulen > len)
		return -1;
	return cg_ref_udp_csum(sa, sa + alen, alen, f + l->l4, ulen);
}

enum { CS_ZERO, CS_FFFF, CS_RIGHT, CS_RIGHT_FLIP, CS_SEED, CS_SEED_NOLEN, CS_ANY, CS_MAX };

static void set_csum(uint8_t *f, size_t len, const struct lay *l, int kind, uint32_t r)
{
	size_t alen = l->family == 4 ? 4 : 16;
	const uint8_t *sa = f + l->l3 + (l->family == 4 ? 12 : 8);
	long right = right_csum(f, len, l);
	uint32_t v = r & 0xffff;

	switch (kind) {
	case CS_ZERO:
		v = 0;
		break;
	case CS_FFFF:
		v = 0xffff;
		break;
	case CS_RIGHT:
	case CS_RIGHT_FLIP:
		if (right >= 0)
			v = (uint32_t)right ^ (kind == CS_RIGHT_FLIP ? 1u << (r % 16) : 0);
		break;
	case CS_SEED:
		v = cg_ref_pseudo_seed(sa, sa + alen, alen, get16(f + l->l4 + 4));
		break;
	case CS_SEED_NOLEN:
		v = cg_ref_pseudo_seed(sa, sa + alen, alen, 0);
		break;
	default:
		break;
	}
	put16(f + l->l4 + 6, v);
}

/* The inner packet, as far as the frame shows it: the tunnel by the UDP
 * destination port (VXLAN on any other port, as a port table may say),
 * any tags after the inner MACs. */
struct inner_lay {
	size_t eth;		/* the inner Ethernet header, or 0 (an IP payload) */
	size_t ip, l4;		/* l4: after the fixed IPv4 header / the IPv6 header */
	int family;		/* 4, 6, or 0 when no inner IP header is in the frame */
	size_t end;		/* the end of the outer UDP datagram (by the frame) */
};

static void inner_parse(const uint8_t *f, size_t len, const struct lay *l, struct inner_lay *in)
{
	size_t p = l->l4 + CG_UDP_HLEN, t, ulen;
	uint16_t dport = get16(f + l->l4 + 2), proto;
	int i;

	memset(in, 0, sizeof(*in));
	ulen = get16(f + l->l4 + 4);
	in->end = ulen >= CG_UDP_HLEN && l->l4 + ulen <= len ? l->l4 + ulen : len;
	if (p + 8 > len)
		return;
	if (dport == CG_PORT_GENEVE) {
		proto = get16(f + p + 2);
		p += CG_GENEVE_HLEN + (size_t)(f[p] & 0x3f) * 4;
		if (proto == CG_GENEVE_P_ETH)
			in->eth = p;
		else if (proto != CG_ETH_P_IP && proto != CG_ETH_P_IPV6)
			return;
	} else if (dport == PKT_GUE_PORT && f[p] >> 6 == 1) {
		/* GUE v1: the IP header at once */
	} else if (dport == PKT_GUE_PORT) {
		p += CG_GUE_HLEN + (size_t)(f[p] & CG_GUE_HLEN_MASK) * 4;
	} else {
		in->eth = p + 8;	/* VXLAN */
	}
	if (in->eth) {
		t = in->eth + 12;
		for (i = 0; i < 3 && t + 6 <= len && is_tag(get16(f + t)); i++)
			t += CG_VLAN_HLEN;
		p = t + 2;
	}
	in->ip = p;
	if (p + CG_IPV4_MIN_HLEN <= len && f[p] >> 4 == 4) {
		in->family = 4;
		in->l4 = p + (size_t)(f[p] & 0x0f) * 4;
	} else if (p + CG_IPV6_HLEN <= len && f[p] >> 4 == 6) {
		in->family = 6;
		in->l4 = p + CG_IPV6_HLEN;
	}
}

/* The outer lengths grown by n after n bytes went into the UDP payload. */
static void grow_outer(uint8_t *f, const struct lay *l, size_t n)
{
	put16(f + l->l4 + 4, get16(f + l->l4 + 4) + n);
	if (l->family == 4)
		put16(f + l->l3 + 2, get16(f + l->l3 + 2) + n);
	else
		put16(f + l->l3 + 4, get16(f + l->l3 + 4) + n);
}

/* The outer IPv4 header checksum made right, when the header is sane and in
 * the frame. 0 if done. */
static int fix_ip4_hdr(uint8_t *f, size_t len, const struct lay *l)
{
	size_t ihl;

	if (l->family != 4)
		return -1;
	ihl = (size_t)(f[l->l3] & 0x0f) * 4;
	if (ihl < CG_IPV4_MIN_HLEN || l->l3 + ihl > len)
		return -1;
	put16(f + l->l3 + 10, 0);
	put16(f + l->l3 + 10, (uint16_t)~cg_ref_fold(cg_ref_sum16(f + l->l3, ihl, 0)));
	return 0;
}

static uint32_t pick(uint32_t (*rnd)(void), const uint32_t *v, size_t n)
{
	return v[rnd() % n];
}

#define PICK(...) ({ const uint32_t v_[] = { __VA_ARGS__ };			\
		     pick(rnd, v_, sizeof(v_) / sizeof(v_[0])); })

size_t mut_apply(uint8_t *f, size_t len, size_t cap, enum mut_op op, uint32_t (*rnd)(void),
		 uint32_t *arg)
{
	struct lay l;
	uint8_t b[32];
	size_t pos, n, i, hl;
	uint32_t v;

	parse(f, len, &l);
	*arg = 0;
	switch (op) {
	case MUT_FLIP_BITS:
		n = 1 + rnd() % 4;
		for (i = 0; i < n; i++) {
			size_t hdr = l.l4 ? l.l4 + 16 : 120;

			pos = rnd() % 10 < 7 ? rnd() % (len < hdr ? len : hdr) : rnd() % len;
			f[pos] ^= (uint8_t)(1u << (rnd() % 8));
			*arg = (uint32_t)pos;
		}
		break;
	case MUT_WRITE_BYTES:
		n = 1 + rnd() % 3;
		for (i = 0; i < n; i++) {
			pos = rnd() % (len < 120 ? len : 120);
			f[pos] = (uint8_t)PICK(0x00, 0xff, 0x80, 0x7f, 0x01, rnd());
			*arg = (uint32_t)pos;
		}
		break;
	case MUT_TRUNCATE:
		pos = rnd() % 2 ? PICK(l.l3, l.l3 + 1, l.l3 + 19, l.l3 + 20, l.l3 + 39, l.l3 + 40,
				       l.l4, l.l4 + 4, l.l4 + 7, l.l4 + 8, l.l4 + 16, l.ip_end - 1,
				       l.ip_end, l.type_off, l.type_off + 1)
				: CG_ETH_HLEN + rnd() % (len - CG_ETH_HLEN + 1);
		if (pos >= CG_ETH_HLEN && pos < len)
			len = pos;
		*arg = (uint32_t)len;
		break;
	case MUT_IP4_TOTLEN:
		if (l.family != 4)
			break;
		hl = (size_t)(f[l.l3] & 0x0f) * 4;
		v = PICK(0, hl - 1, hl, hl + 4, hl + 7, hl + 8, l.ip_end - l.l3 - 1,
			 l.ip_end - l.l3 + 1, len - l.l3, len - l.l3 + 1, len - l.l3 - 1, 0xffff,
			 rnd());
		put16(f + l.l3 + 2, v);
		*arg = v & 0xffff;
		break;
	case MUT_IP4_IHL:
		if (l.family != 4)
			break;
		v = rnd() % 16;
		f[l.l3] = (uint8_t)((f[l.l3] & 0xf0) | v);
		*arg = v;
		break;
	case MUT_UDP_LEN:
		if (!l.l4)
			break;
		v = get16(f + l.l4 + 4);
		v = PICK(0, 1, 7, 8, 9, v - 1, v + 1, l.ip_end - l.l4, l.ip_end - l.l4 + 1,
			 l.ip_end - l.l4 - 1, len - l.l4, len - l.l4 + 1, 0xffff, rnd());
		put16(f + l.l4 + 4, v);
		*arg = v & 0xffff;
		break;
	case MUT_IP6_PLEN:
		if (l.family != 6)
			break;
		v = get16(f + l.l3 + 4);
		v = PICK(0, 1, 4, 8, v - 1, v + 1, len - l.l3 - CG_IPV6_HLEN,
			 len - l.l3 - CG_IPV6_HLEN + 1, len - l.l3 - CG_IPV6_HLEN - 1, 0xffff, rnd());
		put16(f + l.l3 + 4, v);
		*arg = v & 0xffff;
		break;
	case MUT_VLAN_INSERT:
		v = rnd() % 4 ? CG_ETH_P_8021Q : CG_ETH_P_8021AD;
		put16(b, v);
		put16(b + 2, rnd() & 0xffff);
		len = insert(f, len, cap, 12, b, CG_VLAN_HLEN);
		*arg = v;
		break;
	case MUT_VLAN_REMOVE:
		if (len >= CG_ETH_HLEN + CG_VLAN_HLEN && is_tag(get16(f + 12))) {
			memmove(f + 12, f + 16, len - 16);
			len -= CG_VLAN_HLEN;
			*arg = 1;
		}
		break;
	case MUT_IP6_EXT_INSERT: {
		int at;

		if (l.family != 6 || !l.nins)
			break;
		at = (int)(rnd() % (uint32_t)l.nins);
		v = PICK(CG_IPPROTO_HOPOPTS, CG_IPPROTO_DSTOPTS, CG_IPPROTO_DSTOPTS,
			 CG_IPPROTO_ROUTING, CG_IPPROTO_FRAGMENT);
		n = v == CG_IPPROTO_FRAGMENT ? 8 : 8 * (1 + rnd() % 3);
		memset(b, 0, sizeof(b));	/* Pad1 options; routing: segments left 0 */
		b[0] = f[l.ins_nh[at]];		/* the header that followed */
		if (v == CG_IPPROTO_FRAGMENT) {
			/* mostly atomic (RFC 6946); sometimes a real fragment */
			put16(b + 2, rnd() % 4 ? 0 : PICK(CG_IPV6_FRAG_MF, 8, rnd()));
		} else {
			b[1] = (uint8_t)(n / 8 - 1);
			if (v == CG_IPPROTO_ROUTING && rnd() % 4 == 0)
				b[3] = (uint8_t)(1 + rnd() % 3);	/* segments left */
		}
		i = len;
		len = insert(f, len, cap, l.ins[at], b, n);
		if (len == i)
			break;
		/* ins_nh[at] < ins[at]: the byte did not move */
		f[l.ins_nh[at]] = (uint8_t)v;
		if (rnd() % 5)	/* mostly the payload length says so */
			put16(f + l.l3 + 4, get16(f + l.l3 + 4) + n);
		*arg = v;
		break;
	}
	case MUT_CSUM:
		if (!l.l4 || !l.family)
			break;
		v = rnd() % CS_MAX;
		set_csum(f, len, &l, (int)v, rnd());
		*arg = v;
		break;
	case MUT_ETHERTYPE:
		if (l.type_off + 2 > len)
			break;
		v = PICK(CG_ETH_P_IP, CG_ETH_P_IPV6, CG_ETH_P_8021Q, CG_ETH_P_8021AD, 0x0806, 0,
			 rnd() & 0xffff);
		put16(f + l.type_off, v);
		*arg = v;
		break;
	case MUT_L4PROTO:
		if (!l.family)
			break;
		v = PICK(CG_IPPROTO_UDP, CG_IPPROTO_TCP, CG_IPPROTO_HOPOPTS, CG_IPPROTO_ROUTING,
			 CG_IPPROTO_FRAGMENT, CG_IPPROTO_DSTOPTS, 59, 4, 41, rnd() & 0xff);
		f[l.nh_off] = (uint8_t)v;
		*arg = v;
		break;
	case MUT_IP4_FRAG:
		if (l.family != 4)
			break;
		v = PICK(CG_IPV4_MF, 1, CG_IPV4_MF | (rnd() & CG_IPV4_OFFSET), 0x4000, 0,
			 rnd() & 0xffff);
		put16(f + l.l3 + 6, v);
		*arg = v;
		break;
	case MUT_PORT:
		if (!l.l4)
			break;
		v = PICK(CG_PORT_VXLAN_IANA, CG_PORT_VXLAN_LINUX, CG_PORT_GENEVE, 6080, 53, 0,
			 rnd() & 0xffff);
		put16(f + l.l4 + (rnd() % 5 ? 2 : 0), v);
		*arg = v;
		break;
	case MUT_INNER:
		if (!l.l4 || l.l4 + CG_UDP_HLEN >= len)
			break;
		n = 1 + rnd() % 3;
		for (i = 0; i < n; i++) {
			size_t room = len - l.l4 - CG_UDP_HLEN;

			pos = l.l4 + CG_UDP_HLEN + rnd() % (room < 80 ? room : 80);
			if (rnd() % 2)
				f[pos] ^= (uint8_t)(1u << (rnd() % 8));
			else
				f[pos] = (uint8_t)PICK(0x00, 0xff, 0x45, 0x60, 0x08, rnd());
			*arg = (uint32_t)(pos - l.l4);
		}
		break;
	case MUT_INNER_LEN: {
		struct inner_lay in;
		size_t rem;

		if (!l.l4)
			break;
		inner_parse(f, len, &l, &in);
		if (!in.family || in.ip >= in.end)
			break;
		rem = in.end - in.ip;	/* what the datagram holds from the inner IP on */
		v = rnd() % 3;
		if (v == 0 && in.family == 4) {		/* total length */
			hl = (size_t)(f[in.ip] & 0x0f) * 4;
			v = PICK(0, hl - 1, hl, hl + 8, rem - 1, rem, rem + 1,
				 get16(f + in.ip + 2) + 1, get16(f + in.ip + 2) - 1, 0xffff, rnd());
			put16(f + in.ip + 2, v);
		} else if (v == 0) {			/* payload length */
			v = PICK(0, 8, rem - CG_IPV6_HLEN - 1, rem - CG_IPV6_HLEN,
				 rem - CG_IPV6_HLEN + 1, get16(f + in.ip + 4) + 1,
				 get16(f + in.ip + 4) - 1, 0xffff, rnd());
			put16(f + in.ip + 4, v);
		} else if (v == 1 && in.family == 4) {	/* IHL */
			v = PICK(0, 4, 5, 6, 15, rnd() % 16);
			f[in.ip] = (uint8_t)((f[in.ip] & 0xf0) | v);
		} else if (in.l4 + CG_UDP_HLEN <= len) {	/* the inner UDP length */
			v = get16(f + in.l4 + 4);
			v = PICK(0, 7, 8, 9, v - 1, v + 1, in.end - in.l4, in.end - in.l4 + 1,
				 in.end - in.l4 - 1, 0xffff, rnd());
			put16(f + in.l4 + 4, v);
		} else {
			break;
		}
		*arg = v & 0xffff;
		break;
	}
	case MUT_INNER_VLAN: {
		struct inner_lay in;

		if (!l.l4 || !l.family)
			break;
		inner_parse(f, len, &l, &in);
		if (!in.eth || in.eth + 14 > len)
			break;
		v = rnd() % 4 ? CG_ETH_P_8021Q : CG_ETH_P_8021AD;
		put16(b, v);
		put16(b + 2, rnd() & 0xffff);
		i = len;
		len = insert(f, len, cap, in.eth + 12, b, CG_VLAN_HLEN);
		if (len != i)
			grow_outer(f, &l, CG_VLAN_HLEN);
		*arg = v;
		break;
	}
	case MUT_TRAILER:
		n = 1 + rnd() % 32;
		if (len + n > cap)
			break;
		for (i = 0; i < n; i++)
			f[len + i] = (uint8_t)rnd();
		len += n;
		*arg = (uint32_t)n;
		break;
	default:
		break;
	}
	return len;
}

size_t mut_frame(uint8_t *f, size_t len, size_t cap, uint32_t (*rnd)(void), struct mut_log *log)
{
	int n = 1 + (int)(rnd() % 3), i;
	struct lay l;

	log->n = 0;
	for (i = 0; i < n; i++) {
		enum mut_op op = (enum mut_op)(rnd() % MUT_OP_MAX);

		len = mut_apply(f, len, cap, op, rnd, &log->arg[log->n]);
		log->op[log->n++] = op;
	}
	/* A quarter of the time the checksum is made right again, so that a
	 * length or header edit is judged for itself. */
	parse(f, len, &l);
	if (rnd() % 4 == 0 && l.l4 && l.family && right_csum(f, len, &l) >= 0) {
		set_csum(f, len, &l, CS_RIGHT, 0);
		log->op[log->n] = MUT_CSUM;
		log->arg[log->n++] = CS_RIGHT;
	}
	/* And mostly the outer IPv4 header checksum, as a sender that writes
	 * a wrong length computes it over what it wrote. */
	if (rnd() % 4 && !fix_ip4_hdr(f, len, &l)) {
		log->op[log->n] = MUT_IP4_HDR_CSUM;
		log->arg[log->n++] = 0;
	}
	return len;
}

void mut_log_str(const struct mut_log *log, char *buf, size_t len)
{
	static const char *const cs[CS_MAX] = { "0", "0xffff", "right", "right^bit", "seed",
						"seed_nolen", "any" };
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < log->n && off < len; i++) {
		if (log->op[i] == MUT_IP4_HDR_CSUM)
			off += (size_t)snprintf(buf + off, len - off, "%s%s(right)", i ? ", " : "",
						mut_op_name(log->op[i]));
		else if (log->op[i] == MUT_CSUM && log->arg[i] < CS_MAX)
			off += (size_t)snprintf(buf + off, len - off, "%s%s(%s)", i ? ", " : "",
						mut_op_name(log->op[i]), cs[log->arg[i]]);
		else
			off += (size_t)snprintf(buf + off, len - off, "%s%s(%#x)", i ? ", " : "",
						mut_op_name(log->op[i]), log->arg[i]);
	}
}
