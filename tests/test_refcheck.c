// SPDX-License-Identifier: GPL-2.0
/*
 * test_refcheck.c - cmocka unit tests of the reference verifier
 * (ref/refcheck.c), the oracle the XDP program is compared against.
 *
 * Every expected value below is independent of refcheck: the checksum
 * literals were worked out by hand (derivations in the comments) and
 * re-checked with a throwaway Python script (not checked in) that sums the
 * 16-bit words as plain integers and reduces them modulo 0xffff, a different
 * method from refcheck's end-around-carry folding. Frames are built byte by
 * byte with the tiny builder below; nothing in a frame comes from refcheck.
 *
 * The datagrams used throughout (UDP source port 40000 = 0x9c40):
 *   A  10.0.3.17 -> 10.0.3.1,       dport 4789 (VXLAN),  payload VX   (16 B), ulen 24
 *   B  2001:db8::17 -> 2001:db8::1, dport 6081 (Geneve), payload GEN  (16 B), ulen 24
 *   C  as A, payload VX + 'd'                                          (17 B), ulen 25
 *   D  as A, last two payload bytes 0x8a60: the sum computes to 0 -> 0xffff
 *   E  as A, dport 6080 (GUE),   payload GUE0 (12 B), ulen 20
 *   F  as A, dport 8472 (VXLAN, Linux default port)
 *   H  as B, dport 4789, payload VX
 *   I  as A, no payload, ulen 8
 *   J  as B, payload GEN + 'd' (17 B), ulen 25
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "refcheck.h"
#include "cg_wire.h"
#include "unit.h"

/* ------------------------------------------------------------------------ */
/* Addresses and payloads                                                     */

static const uint8_t S4[4] = { 10, 0, 3, 17 };	/* words 0x0a00 0x0311 */
static const uint8_t D4[4] = { 10, 0, 3, 1 };	/* words 0x0a00 0x0301 */
/* 2001:db8::17 and 2001:db8::1 */
static const uint8_t S6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x17 };
static const uint8_t D6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01 };
/* Source addresses as struct cg_addr: IPv4 v4-mapped, IPv6 raw. */
static const uint8_t S4_MAPPED[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 3, 17 };

/* VXLAN header (flags I, VNI 100) + 8 inner bytes "csumguar". */
static const uint8_t VX[16] = { 0x08, 0, 0, 0, 0, 0, 0x64, 0,
				'c', 's', 'u', 'm', 'g', 'u', 'a', 'r' };
/* The same with one more byte: odd length. */
static const uint8_t VXODD[17] = { 0x08, 0, 0, 0, 0, 0, 0x64, 0,
				   'c', 's', 'u', 'm', 'g', 'u', 'a', 'r', 'd' };
/* VX with the first inner byte's low bit flipped ('c' -> 'b'). */
static const uint8_t VXFLIP[16] = { 0x08, 0, 0, 0, 0, 0, 0x64, 0,
				    'b', 's', 'u', 'm', 'g', 'u', 'a', 'r' };
/* VX with the last word tuned to 0x8a60 so that the checksum computes to 0. */
static const uint8_t VXZERO[16] = { 0x08, 0, 0, 0, 0, 0, 0x64, 0,
				    'c', 's', 'u', 'm', 'g', 'u', 0x8a, 0x60 };
/* Geneve header (no options, protocol 0x6558, VNI 200) + "csumguar". */
static const uint8_t GEN[16] = { 0x00, 0x00, 0x65, 0x58, 0, 0, 0xc8, 0,
				 'c', 's', 'u', 'm', 'g', 'u', 'a', 'r' };
static const uint8_t GENODD[17] = { 0x00, 0x00, 0x65, 0x58, 0, 0, 0xc8, 0,
				    'c', 's', 'u', 'm', 'g', 'u', 'a', 'r', 'd' };
/* GEN with the high bit of its last byte flipped ('r' 0x72 -> 0xf2). */
static const uint8_t GENFLIP[16] = { 0x00, 0x00, 0x65, 0x58, 0, 0, 0xc8, 0,
				     'c', 's', 'u', 'm', 'g', 'u', 'a', 0xf2 };
/* GUE version 0 header (hlen 0, proto 4 = IPIP, no flags) + "csumguar". */
static const uint8_t GUE0[12] = { 0x00, 0x04, 0x00, 0x00,
				  'c', 's', 'u', 'm', 'g', 'u', 'a', 'r' };

/* Checksums of the datagrams above (see the file comment). */
#define CSUM_A	0x28ee	/* by hand below (test_udp_csum_ipv4), and Python */
#define CSUM_B	0x2111	/* by hand in test_udp_csum_ipv6, and Python */
#define CSUM_C	0xc4eb	/* by hand in test_udp_csum_odd_length, and Python */
#define CSUM_E	0x8fe7	/* by hand in test_gue_only_when_configured, and Python */
#define CSUM_F	0x1a8b	/* by hand from A in test_udp_csum_ipv4, and Python */
#define CSUM_H	0xe775	/* by hand in test_udp_csum_ipv6, and Python */
#define CSUM_I	0x36d7	/* by hand in test_udp_csum_header_only, and Python */
#define CSUM_J	0xbd0e	/* by hand in test_udp_csum_odd_length, and Python */
#define CSUM_AFLIP 0x29ee	/* A with VXFLIP: 'c'->'b' lowers the word 0x6373 by 0x0100,
				 * so the complement rises by 0x0100: 0x28ee + 0x0100; Python agrees */
#define CSUM_BFLIP 0x2091	/* B with GENFLIP: the word 0x6172 rises by 0x0080, the
				 * complement falls by 0x0080: 0x2111 - 0x0080; Python agrees */
/* Folded pseudo-header sums (Linux's offload seed). */
#define SEED_A	0x1a3b	/* by hand in test_pseudo_seed */
#define SEED_B	0x5bb3	/* by hand in test_pseudo_seed */

/* ------------------------------------------------------------------------ */
/* A tiny frame builder: every byte is written explicitly, big-endian.       */

struct frame {
	uint8_t b[2048];
	size_t n;
};

static void put8(struct frame *f, uint8_t v)
{
	assert_true(f->n < sizeof(f->b));
	f->b[f->n++] = v;
}

static void put16(struct frame *f, uint16_t v)
{
	put8(f, (uint8_t)(v >> 8));
	put8(f, (uint8_t)v);
}

static void putn(struct frame *f, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		put8(f, p[i]);
}

static void fill(struct frame *f, uint8_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		put8(f, v);
}

/* Ethernet: dst 02:00:00:00:00:02, src 02:00:00:00:00:01, then EtherType. */
static void eth(struct frame *f, uint16_t type)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };

	f->n = 0;
	putn(f, macs, sizeof(macs));
	put16(f, type);
}

/* A VLAN tag body: TCI (priority 0, VLAN id) and the next EtherType. */
static void vlan(struct frame *f, uint16_t vid, uint16_t next)
{
	put16(f, vid);
	put16(f, next);
}

/* The IPv4 header checksum of the n header bytes at p (field included as it
 * is): the complement of their 16-bit sum reduced modulo 0xffff, computed
 * here as plain integers, not by refcheck's folding. */
static uint16_t hdr_csum(const uint8_t *p, size_t n)
{
	unsigned long sum = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (unsigned long)(p[i] << 8 | p[i + 1]);
	sum %= 0xffff;
	return (uint16_t)~(sum ? sum : 0xffff);
}

/* Writes the right header checksum into the IPv4 header at f->b + l3 (after
 * its options were written). */
static void ipv4_csum(struct frame *f, size_t l3)
{
	size_t hl = (size_t)(f->b[l3] & 0x0f) * 4;
	uint16_t c;

	f->b[l3 + 10] = f->b[l3 + 11] = 0;
	c = hdr_csum(f->b + l3, hl);
	f->b[l3 + 10] = (uint8_t)(c >> 8);
	f->b[l3 + 11] = (uint8_t)c;
}

/* IPv4 header, 20 bytes (options, if any, are written after it: call
 * ipv4_csum then). The header checksum is right for the 20 bytes written
 * (the XDP program verifies it since issue 10: bad_ip_header). */
static void ipv4(struct frame *f, uint8_t ihl_words, uint16_t tot_len, uint16_t frag_off,
		 uint8_t proto, const uint8_t *s, const uint8_t *d)
{
	size_t l3 = f->n;

	put8(f, (uint8_t)(0x40 | ihl_words));
	put8(f, 0);		/* TOS */
	put16(f, tot_len);
	put16(f, 0x1234);	/* identification */
	put16(f, frag_off);
	put8(f, 64);		/* TTL */
	put8(f, proto);
	put16(f, 0);		/* header checksum, below */
	putn(f, s, 4);
	putn(f, d, 4);
	if ((ihl_words & 0x0f) == 5) {
		uint16_t c = hdr_csum(f->b + l3, 20);

		f->b[l3 + 10] = (uint8_t)(c >> 8);
		f->b[l3 + 11] = (uint8_t)c;
	}
}

/* IPv6 header, 40 bytes. */
static void ipv6(struct frame *f, uint16_t plen, uint8_t nh, const uint8_t *s, const uint8_t *d)
{
	put8(f, 0x60);
	put8(f, 0);
	put16(f, 0);		/* flow label */
	put16(f, plen);
	put8(f, nh);
	put8(f, 64);		/* hop limit */
	putn(f, s, 16);
	putn(f, d, 16);
}

/* An 8-byte hop-by-hop or destination options header: one PadN option. */
static void ext_opts(struct frame *f, uint8_t nh)
{
	put8(f, nh);
	put8(f, 0);		/* hdr ext len: (0 + 1) * 8 bytes */
	put8(f, 1);		/* PadN */
	put8(f, 4);		/* of 4 bytes */
	fill(f, 0, 4);
}

/* An 8-byte routing header (type 0, no addresses) with segments left. */
static void ext_routing(struct frame *f, uint8_t nh, uint8_t segs_left)
{
	put8(f, nh);
	put8(f, 0);
	put8(f, 0);		/* routing type */
	put8(f, segs_left);
	fill(f, 0, 4);
}

/* An IPv6 fragment header: fo = offset (8-byte units) << 3 | M. */
static void ext_frag(struct frame *f, uint8_t nh, uint16_t fo)
{
	put8(f, nh);
	put8(f, 0);
	put16(f, fo);
	put16(f, 0xcafe);	/* identification */
	put16(f, 0x0001);
}

static void udp(struct frame *f, uint16_t sport, uint16_t dport, uint16_t len, uint16_t csum)
{
	put16(f, sport);
	put16(f, dport);
	put16(f, len);
	put16(f, csum);
}

/* Ethernet + IPv4 (no options) + UDP 40000 -> dport + payload. */
static void v4_frame(struct frame *f, uint16_t dport, const uint8_t *pl, size_t plen,
		     uint16_t csum)
{
	eth(f, CG_ETH_P_IP);
	ipv4(f, 5, (uint16_t)(20 + 8 + plen), 0, CG_IPPROTO_UDP, S4, D4);
	udp(f, 40000, dport, (uint16_t)(8 + plen), csum);
	putn(f, pl, plen);
}

/* Ethernet + IPv6 (no extension headers) + UDP 40000 -> dport + payload. */
static void v6_frame(struct frame *f, uint16_t dport, const uint8_t *pl, size_t plen,
		     uint16_t csum)
{
	eth(f, CG_ETH_P_IPV6);
	ipv6(f, (uint16_t)(8 + plen), CG_IPPROTO_UDP, S6, D6);
	udp(f, 40000, dport, (uint16_t)(8 + plen), csum);
	putn(f, pl, plen);
}

/* ------------------------------------------------------------------------ */
/* Configuration and assertions                                               */

static struct cg_ref_config cfg;	/* 64 KiB port table: not on the stack */

static int reset_cfg(void **state)
{
	(void)state;
	cg_ref_config_default(&cfg);
	return 0;
}

static void run(const struct frame *f, struct cg_ref_result *r)
{
	/* The frame goes in a heap block of exactly its length (plain malloc:
	 * cmocka's test_malloc pads its blocks), so a read past its end shows
	 * under valgrind or -fsanitize=address. */
	uint8_t *copy = malloc(f->n ? f->n : 1);

	assert_non_null(copy);
	memcpy(copy, f->b, f->n);
	/* Poison first, so a field refcheck forgets to set cannot pass by luck. */
	memset(r, 0xa5, sizeof(*r));
	cg_ref_classify(copy, f->n, &cfg, r);
	free(copy);
}

#define assert_kind(r, k) assert_int_equal((r)->kind, (k))

#define assert_verdict(r, v)					\
	do {							\
		assert_int_equal((r)->kind, CG_IF_TUNNEL);	\
		assert_int_equal((r)->verdict, (v));		\
	} while (0)

/* A checked datagram: verdict, stored field, what it should hold. */
#define assert_checked(r, v, stored, expected)			\
	do {							\
		assert_verdict(r, v);				\
		assert_false((r)->non_tunnel);			\
		assert_int_equal((r)->stored_csum, (stored));	\
		assert_int_equal((r)->expected_csum, (expected)); \
	} while (0)

#define assert_pass(r) assert_false((r)->drop)

#define assert_dropped(r, why)					\
	do {							\
		assert_true((r)->drop);				\
		assert_int_equal((r)->drop_reason, (why));	\
	} while (0)

#define assert_src4(r)						\
	do {							\
		assert_true((r)->have_src);			\
		assert_int_equal((r)->src.family, CG_AF_INET4);	\
		assert_memory_equal((r)->src.a, S4_MAPPED, 16);	\
	} while (0)

#define assert_src6(r)						\
	do {							\
		assert_true((r)->have_src);			\
		assert_int_equal((r)->src.family, CG_AF_INET6);	\
		assert_memory_equal((r)->src.a, S6, 16);	\
	} while (0)

/* ------------------------------------------------------------------------ */
/* cg_ref_sum16 / cg_ref_fold                                                 */

static void test_sum16_rfc1071_example(void **state)
{
	/* RFC 1071 section 3: 0001 + f203 + f4f5 + f6f7 = 2ddf0, folded
	 * ddf0 + 2 = ddf2. */
	static const uint8_t p[8] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	uint32_t s;

	(void)state;
	assert_int_equal(cg_ref_sum16(p, 8, 0), 0x2ddf0);
	assert_int_equal(cg_ref_fold(0x2ddf0), 0xddf2);
	assert_int_equal(cg_ref_fold(cg_ref_sum16(p, 8, 0)), 0xddf2);
	/* Chained in two even parts: 0001 + f203 = f204, then + f4f5 + f6f7. */
	s = cg_ref_sum16(p, 4, 0);
	assert_int_equal(s, 0xf204);
	assert_int_equal(cg_ref_sum16(p + 4, 4, s), 0x2ddf0);
	/* An incoming sum is added: 2ddf0 + 10 = 2de00. */
	assert_int_equal(cg_ref_sum16(p, 8, 0x10), 0x2de00);
}

static void test_sum16_odd_length(void **state)
{
	static const uint8_t p3[3] = { 0x01, 0x02, 0x03 };
	static const uint8_t p1[1] = { 0xab };
	static const uint8_t rfc7[7] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6 };

	(void)state;
	/* 0102 + 0300 (the odd byte is the high half, zero on the right). */
	assert_int_equal(cg_ref_sum16(p3, 3, 0), 0x0402);
	/* ab00, not 00ab. */
	assert_int_equal(cg_ref_sum16(p1, 1, 0), 0xab00);
	/* RFC example without its last byte: 0001 + f203 + f4f5 + f600 = 2dcf9;
	 * folded dcf9 + 2 = dcfb. */
	assert_int_equal(cg_ref_sum16(rfc7, 7, 0), 0x2dcf9);
	assert_int_equal(cg_ref_fold(0x2dcf9), 0xdcfb);
	/* Zero bytes: the incoming sum comes back unchanged. */
	assert_int_equal(cg_ref_sum16(p3, 0, 0x1234), 0x1234);
}

static void test_fold_multiple_carries(void **state)
{
	(void)state;
	/* 1ffff: ffff + 1 = 10000, which needs a second fold: 0000 + 1 = 0001. */
	assert_int_equal(cg_ref_fold(0x1ffff), 0x0001);
	/* ffffffff: ffff + ffff = 1fffe, then fffe + 1 = ffff. */
	assert_int_equal(cg_ref_fold(0xffffffff), 0xffff);
	/* fffeffff: ffff + fffe = 1fffd, then fffd + 1 = fffe. */
	assert_int_equal(cg_ref_fold(0xfffeffff), 0xfffe);
	/* 10000 -> 0001; ffff stays (negative zero is not turned into 0). */
	assert_int_equal(cg_ref_fold(0x10000), 0x0001);
	assert_int_equal(cg_ref_fold(0xffff), 0xffff);
	assert_int_equal(cg_ref_fold(0), 0);
	/* A 32-bit carry out of the unfolded sum: incoming ffffffff + ffff =
	 * 1_0000_fffe; the end-around carry gives 0000fffe + 1 = ffff. */
	assert_int_equal(cg_ref_sum16((const uint8_t[]){ 0xff, 0xff }, 2, 0xffffffff), 0xffff);
}

static void test_sum16_all_ones(void **state)
{
	static uint8_t ff[65536];

	(void)state;
	memset(ff, 0xff, sizeof(ff));
	/* 32 words of ffff = 32 * 65535 = 1fffe0; folded ffe0 + 1f = ffff. */
	assert_int_equal(cg_ref_sum16(ff, 64, 0), 0x1fffe0);
	assert_int_equal(cg_ref_fold(0x1fffe0), 0xffff);
	/* 5 bytes: ffff + ffff + ff00 = 2fefe; folded fefe + 2 = ff00. */
	assert_int_equal(cg_ref_sum16(ff, 5, 0), 0x2fefe);
	assert_int_equal(cg_ref_fold(cg_ref_sum16(ff, 5, 0)), 0xff00);
	/* 65536 bytes: 32768 * ffff = 7fff8000; folded 8000 + 7fff = ffff. */
	assert_int_equal(cg_ref_sum16(ff, 65536, 0), 0x7fff8000);
	assert_int_equal(cg_ref_fold(0x7fff8000), 0xffff);
	/* 65535 bytes: 7fff8000 - ffff + ff00 = 7fff7f01; folded 7f01 + 7fff = ff00. */
	assert_int_equal(cg_ref_sum16(ff, 65535, 0), 0x7fff7f01);
	assert_int_equal(cg_ref_fold(0x7fff7f01), 0xff00);
}

/* ------------------------------------------------------------------------ */
/* cg_ref_udp_csum / cg_ref_pseudo_seed                                       */

static void test_pseudo_seed(void **state)
{
	(void)state;
	/* IPv4: 0a00 + 0311 + 0a00 + 0301 + 0011 (zero, UDP) + 0018 (24)
	 *     = 0d11 -> 1711 -> 1a12 -> 1a23 -> 1a3b. */
	assert_int_equal(cg_ref_pseudo_seed(S4, D4, 4, 24), SEED_A);
	/* Length 25 adds one more: 1a3c; length 8: 1a3b - 0x10 = 1a2b. */
	assert_int_equal(cg_ref_pseudo_seed(S4, D4, 4, 25), 0x1a3c);
	assert_int_equal(cg_ref_pseudo_seed(S4, D4, 4, 8), 0x1a2b);
	/* IPv6: 2001 + 0db8 + 0017 + 2001 + 0db8 + 0001 + 0018 (32-bit length
	 * 24) + 0011 (next header) = 4002 + 1b70 + 0018 + 0018 + 0011 = 5bb3. */
	assert_int_equal(cg_ref_pseudo_seed(S6, D6, 16, 24), SEED_B);
	assert_int_equal(cg_ref_pseudo_seed(S6, D6, 16, 25), 0x5bb4);
	/* Direction matters not (addition commutes): swap src and dst. */
	assert_int_equal(cg_ref_pseudo_seed(D4, S4, 4, 24), SEED_A);
	/* Carries inside the pseudo-header: 255.255.255.255 both ways,
	 * length 8: 4 * ffff + 0011 + 0008 = 40015 -> 0015 + 4 = 0019. */
	assert_int_equal(cg_ref_pseudo_seed((const uint8_t[]){ 0xff, 0xff, 0xff, 0xff },
					    (const uint8_t[]){ 0xff, 0xff, 0xff, 0xff }, 4, 8),
			 0x0019);
}

static void test_udp_csum_ipv4(void **state)
{
	/* Datagram A, UDP header + payload, checksum field holding junk. */
	uint8_t u[24] = { 0x9c, 0x40, 0x12, 0xb5, 0x00, 0x18, 0xbe, 0xef };

	(void)state;
	memcpy(u + 8, VX, 16);
	/* By hand: pseudo-header 1a3b (test_pseudo_seed);
	 * UDP header 9c40 + 12b5 + 0018 (+ field counted as 0) = af0d;
	 * payload 0800 + 0000 + 0000 + 6400 + 6373 + 756d + 6775 + 6172 = 20dc7;
	 * total 1a3b + af0d + 20dc7 = 2d70f; folded d70f + 2 = d711;
	 * complement 28ee. */
	assert_int_equal(cg_ref_udp_csum(S4, D4, 4, u, 24), CSUM_A);
	/* The stored field does not take part. */
	u[6] = 0x28;
	u[7] = 0xee;
	assert_int_equal(cg_ref_udp_csum(S4, D4, 4, u, 24), CSUM_A);
	/* Same bytes to port 8472 (2118 instead of 12b5: the sum rises by
	 * 0e63, so the complement falls by it): 28ee - 0e63 = 1a8b. */
	u[2] = 0x21;
	u[3] = 0x18;
	assert_int_equal(cg_ref_udp_csum(S4, D4, 4, u, 24), CSUM_F);
}

static void test_udp_csum_ipv6(void **state)
{
	uint8_t u[24] = { 0x9c, 0x40, 0x17, 0xc1, 0x00, 0x18, 0x00, 0x00 };

	(void)state;
	memcpy(u + 8, GEN, 16);
	/* Datagram B by hand: pseudo-header 5bb3 (test_pseudo_seed); header
	 * 9c40 + 17c1 + 0018 = b419; payload 0000 + 6558 + 0000 + c800 + 6373 +
	 * 756d + 6775 + 6172 = 2cf1f; total 3deeb; folded deeb + 3 = deee;
	 * complement 2111 (Python agrees). */
	assert_int_equal(cg_ref_udp_csum(S6, D6, 16, u, 24), CSUM_B);
	/* Datagram H (port 4789, VXLAN payload): 5bb3 + af0d + 20dc7 (as in
	 * A) = 31887; folded 1887 + 3 = 188a; complement e775 (Python agrees). */
	u[2] = 0x12;
	u[3] = 0xb5;
	memcpy(u + 8, VX, 16);
	assert_int_equal(cg_ref_udp_csum(S6, D6, 16, u, 24), CSUM_H);
}

static void test_udp_csum_odd_length(void **state)
{
	uint8_t u4[25] = { 0x9c, 0x40, 0x12, 0xb5, 0x00, 0x19, 0x00, 0x00 };
	uint8_t u6[25] = { 0x9c, 0x40, 0x17, 0xc1, 0x00, 0x19, 0x00, 0x00 };

	(void)state;
	memcpy(u4 + 8, VXODD, 17);
	memcpy(u6 + 8, GENODD, 17);
	/* Datagram C by hand from A: the pseudo-header and UDP length each
	 * rise by 1 and the trailing 'd' adds 6400 (padded on the right):
	 * 2d70f + 1 + 1 + 6400 = 33b11; folded 3b11 + 3 = 3b14; ~ = c4eb. */
	assert_int_equal(cg_ref_udp_csum(S4, D4, 4, u4, 25), CSUM_C);
	/* Datagram J from B likewise: 3deeb + 1 + 1 + 6400 = 442ed; folded
	 * 42ed + 4 = 42f1; complement bd0e (Python agrees). */
	assert_int_equal(cg_ref_udp_csum(S6, D6, 16, u6, 25), CSUM_J);
}

static void test_udp_csum_zero_sent_as_ffff(void **state)
{
	uint8_t u[24] = { 0x9c, 0x40, 0x12, 0xb5, 0x00, 0x18, 0x00, 0x00 };

	(void)state;
	memcpy(u + 8, VXZERO, 16);
	/* Datagram D: as A with the last word 8a60 instead of 6172:
	 * 2d70f - 6172 + 8a60 = 2fffd; folded fffd + 2 = ffff; the
	 * complement is 0, which UDP sends as ffff (RFC 768). */
	assert_int_equal(cg_ref_udp_csum(S4, D4, 4, u, 24), 0xffff);
}

static void test_udp_csum_header_only(void **state)
{
	const uint8_t u[8] = { 0x9c, 0x40, 0x12, 0xb5, 0x00, 0x08, 0x12, 0x34 };

	(void)state;
	/* Datagram I: 1a2b (seed, length 8) + 9c40 + 12b5 + 0008 = c928;
	 * ~c928 = 36d7. */
	assert_int_equal(cg_ref_udp_csum(S4, D4, 4, u, 8), CSUM_I);
}

/* ------------------------------------------------------------------------ */
/* cg_ref_classify: configuration, verdicts                                   */

static void test_config_default(void **state)
{
	size_t p, n = 0;

	(void)state;
	assert_int_equal(cfg.port_encap[4789], CG_ENCAP_VXLAN);
	assert_int_equal(cfg.port_encap[8472], CG_ENCAP_VXLAN);
	assert_int_equal(cfg.port_encap[6081], CG_ENCAP_GENEVE);
	assert_int_equal(cfg.port_encap[6080], CG_ENCAP_NONE);	/* GUE: not by default */
	for (p = 0; p < CG_PORT_TABLE_SIZE; p++)
		n += cfg.port_encap[p] != CG_ENCAP_NONE;
	assert_int_equal(n, 3);
	assert_int_equal(cfg.mode, CG_MODE_MONITOR);
	assert_int_equal(cfg.nblocks, 0);
}

static void test_ok_vxlan_ipv4(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	v4_frame(&f, 4789, VX, 16, CSUM_A);
	assert_int_equal(f.n, 58);	/* 14 + 20 + 8 + 16 */
	run(&f, &r);
	assert_checked(&r, CG_V_OK, CSUM_A, CSUM_A);
	assert_src4(&r);
	assert_pass(&r);
}

static void test_ok_vxlan_linux_port(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	v4_frame(&f, 8472, VX, 16, CSUM_F);
	run(&f, &r);
	assert_checked(&r, CG_V_OK, CSUM_F, CSUM_F);
	assert_pass(&r);
}

static void test_ok_geneve_ipv6(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	v6_frame(&f, 6081, GEN, 16, CSUM_B);
	assert_int_equal(f.n, 78);	/* 14 + 40 + 8 + 16 */
	run(&f, &r);
	assert_checked(&r, CG_V_OK, CSUM_B, CSUM_B);
	assert_src6(&r);	/* raw IPv6 source, not mapped */
	assert_pass(&r);
	/* VXLAN over IPv6 too (datagram H). */
	v6_frame(&f, 4789, VX, 16, CSUM_H);
	run(&f, &r);
	assert_checked(&r, CG_V_OK, CSUM_H, CSUM_H);
}

static void test_ok_odd_payload(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	v4_frame(&f, 4789, VXODD, 17, CSUM_C);
	run(&f, &r);
	assert_checked(&r, CG_V_OK, CSUM_C, CSUM_C);
	v6_frame(&f, 6081, GENODD, 17, CSUM_J);
	run(&f, &r);
	assert_checked(&r, CG_V_OK, CSUM_J, CSUM_J);
}

static void test_ok_computes_zero_sent_as_ffff(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	/* Datagram D sent as ffff: ok. */
	v4_frame(&f, 4789, VXZERO, 16, 0xffff);
	run(&f, &r);
	assert_checked(&r, CG_V_OK, 0xffff, 0xffff);
	/* The same datagram with field 0 means "no checksum", not ok. */
	v4_frame(&f, 4789, VXZERO, 16, 0x0000);
	run(&f, &r);
	assert_verdict(&r, CG_V_ZERO);
	assert_int_equal(r.stored_csum, 0);
}

static void test_ok_header_only(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	/* UDP length exactly 8 is legal. */
	v4_frame(&f, 4789, NULL, 0, CSUM_I);
	run(&f, &r);
	assert_checked(&r, CG_V_OK, CSUM_I, CSUM_I);
}

static void test_bad_flipped_payload_bit(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	/* A's checksum over a payload with one bit flipped. */
	v4_frame(&f, 4789, VXFLIP, 16, CSUM_A);
	run(&f, &r);
	assert_checked(&r, CG_V_BAD, CSUM_A, CSUM_AFLIP);
	assert_src4(&r);
	assert_pass(&r);	/* monitor mode */
	v6_frame(&f, 6081, GENFLIP, 16, CSUM_B);
	run(&f, &r);
	assert_checked(&r, CG_V_BAD, CSUM_B, CSUM_BFLIP);
	assert_src6(&r);
	assert_pass(&r);
}

static void test_bad_wrong_field(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	/* Off by one (28ef is not the seed 1a3b either). */
	v4_frame(&f, 4789, VX, 16, CSUM_A + 1);
	run(&f, &r);
	assert_checked(&r, CG_V_BAD, 0x28ef, CSUM_A);
	/* Byte-swapped: the classic endianness bug. */
	v4_frame(&f, 4789, VX, 16, 0xee28);
	run(&f, &r);
	assert_checked(&r, CG_V_BAD, 0xee28, CSUM_A);
	/* ffff is only right when the sum computes to 0 (datagram D). */
	v4_frame(&f, 4789, VX, 16, 0xffff);
	run(&f, &r);
	assert_checked(&r, CG_V_BAD, 0xffff, CSUM_A);
	/* The complemented seed is not the seed. */
	v4_frame(&f, 4789, VX, 16, (uint16_t)~SEED_A);	/* e5c4 */
	run(&f, &r);
	assert_checked(&r, CG_V_BAD, 0xe5c4, CSUM_A);
}

static void test_unfinished_seed(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	/* Linux's udp_set_csum for offload: field = folded pseudo-header sum. */
	v4_frame(&f, 4789, VX, 16, SEED_A);
	run(&f, &r);
	assert_checked(&r, CG_V_UNFINISHED, SEED_A, CSUM_A);
	assert_pass(&r);
	v6_frame(&f, 6081, GEN, 16, SEED_B);
	run(&f, &r);
	assert_checked(&r, CG_V_UNFINISHED, SEED_B, CSUM_B);
	/* Odd length: the seed covers length 25 (1a3c). */
	v4_frame(&f, 4789, VXODD, 17, 0x1a3c);
	run(&f, &r);
	assert_checked(&r, CG_V_UNFINISHED, 0x1a3c, CSUM_C);
	/* A seed for the wrong length (24 on a 25-byte datagram) is just bad. */
	v4_frame(&f, 4789, VXODD, 17, SEED_A);
	run(&f, &r);
	assert_checked(&r, CG_V_BAD, SEED_A, CSUM_C);
}

static void test_zero_ipv4(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	v4_frame(&f, 4789, VX, 16, 0);
	run(&f, &r);
	assert_verdict(&r, CG_V_ZERO);
	assert_false(r.non_tunnel);
	assert_int_equal(r.stored_csum, 0);
	assert_src4(&r);
	assert_pass(&r);
}

static void test_zero_ipv6(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	/* Allowed for IPv6 tunnels by RFC 6935/6936: zero, not bad. */
	v6_frame(&f, 6081, GEN, 16, 0);
	run(&f, &r);
	assert_verdict(&r, CG_V_ZERO);
	assert_false(r.non_tunnel);
	assert_int_equal(r.stored_csum, 0);
	assert_src6(&r);
	assert_pass(&r);
}

/* ------------------------------------------------------------------------ */
/* Fragments                                                                  */

static void test_fragment_ipv4_first(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	/* First fragment (MF, offset 0): UDP header for the whole 24-byte
	 * datagram, then 8 of its 16 payload bytes. */
	eth(&f, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 16, CG_IPV4_MF, CG_IPPROTO_UDP, S4, D4);
	udp(&f, 40000, 4789, 24, CSUM_A);
	putn(&f, VX, 8);
	run(&f, &r);
	assert_verdict(&r, CG_V_FRAGMENT);
	assert_false(r.non_tunnel);
	assert_src4(&r);
	assert_pass(&r);
	/* The same to port 53: still a UDP fragment, but not a tunnel port. */
	eth(&f, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 16, CG_IPV4_MF, CG_IPPROTO_UDP, S4, D4);
	udp(&f, 40000, 53, 24, 0x1111);
	putn(&f, VX, 8);
	run(&f, &r);
	assert_verdict(&r, CG_V_FRAGMENT);
	assert_true(r.non_tunnel);
}

static void test_fragment_ipv4_later(void **state)
{
	/* Fragment data that looks like a UDP header to 4789, to show it is
	 * not read as one. */
	static const uint8_t looks_like_udp[8] = { 0x9c, 0x40, 0x12, 0xb5, 0x00, 0x18, 0x28, 0xee };
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	/* Last fragment: MF clear, offset 2 (16 bytes). */
	eth(&f, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 8, 0x0002, CG_IPPROTO_UDP, S4, D4);
	putn(&f, looks_like_udp, 8);
	run(&f, &r);
	assert_verdict(&r, CG_V_FRAGMENT);
	assert_false(r.non_tunnel)	/* no port: cannot be proven */;
	assert_src4(&r);
	assert_pass(&r);
	/* Middle fragment: MF and offset 1 (0x2001). */
	eth(&f, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 8, CG_IPV4_MF | 0x0001, CG_IPPROTO_UDP, S4, D4);
	putn(&f, looks_like_udp, 8);
	run(&f, &r);
	assert_verdict(&r, CG_V_FRAGMENT);
	assert_false(r.non_tunnel)	/* no port: cannot be proven */;
	/* The DF bit (0x4000) alone is not a fragment. */
	eth(&f, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 24, 0x4000, CG_IPPROTO_UDP, S4, D4);
	udp(&f, 40000, 4789, 24, CSUM_A);
	putn(&f, VX, 16);
	run(&f, &r);
	assert_checked(&r, CG_V_OK, CSUM_A, CSUM_A);
}

static void test_fragment_ipv6(void **state)
{
	static const uint8_t looks_like_udp[8] = { 0x9c, 0x40, 0x17, 0xc1, 0x00, 0x18, 0x21, 0x11 };
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	/* First fragment: offset 0, M=1 (fo 0x0001). */
	eth(&f, CG_ETH_P_IPV6);
	ipv6(&f, 8 + 8 + 8, CG_IPPROTO_FRAGMENT, S6, D6);
	ext_frag(&f, CG_IPPROTO_UDP, 0x0001);
	udp(&f, 40000, 6081, 24, CSUM_B);
	putn(&f, GEN, 8);
	run(&f, &r);
	assert_verdict(&r, CG_V_FRAGMENT);
	assert_false(r.non_tunnel);
	assert_src6(&r);
	assert_pass(&r);
	/* Later fragment: offset 2 units (16 bytes), M=0 (fo 2 << 3 = 0x0010). */
	eth(&f, CG_ETH_P_IPV6);
	ipv6(&f, 8 + 8, CG_IPPROTO_FRAGMENT, S6, D6);
	ext_frag(&f, CG_IPPROTO_UDP, 0x0010);
	putn(&f, looks_like_udp, 8);
	run(&f, &r);
	assert_verdict(&r, CG_V_FRAGMENT);
	assert_false(r.non_tunnel)	/* no port: cannot be proven */;
	assert_src6(&r);
	/* First fragment to a port that is not a tunnel's. */
	eth(&f, CG_ETH_P_IPV6);
	ipv6(&f, 8 + 8 + 8, CG_IPPROTO_FRAGMENT, S6, D6);
	ext_frag(&f, CG_IPPROTO_UDP, 0x0001);
	udp(&f, 40000, 53, 24, 0x1111);
	putn(&f, GEN, 8);
	run(&f, &r);
	assert_verdict(&r, CG_V_FRAGMENT);
	assert_true(r.non_tunnel);
}

static void test_fragment_not_udp(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	/* A TCP fragment is not ours. */
	eth(&f, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 8, CG_IPV4_MF, CG_IPPROTO_TCP, S4, D4);
	fill(&f, 0x11, 8);
	run(&f, &r);
	assert_kind(&r, CG_IF_NOT_TUNNEL);
	assert_src4(&r);
	assert_pass(&r);
}

static void test_ipv6_atomic_fragment(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	/* Fragment header with offset 0 and M=0 (RFC 6946): a whole datagram,
	 * checked like one. The UDP checksum does not change. */
	eth(&f, CG_ETH_P_IPV6);
	ipv6(&f, 8 + 24, CG_IPPROTO_FRAGMENT, S6, D6);
	ext_frag(&f, CG_IPPROTO_UDP, 0x0000);
	udp(&f, 40000, 6081, 24, CSUM_B);
	putn(&f, GEN, 16);
	run(&f, &r);
	assert_checked(&r, CG_V_OK, CSUM_B, CSUM_B);
	/* And a bad one there is bad, not a fragment. */
	eth(&f, CG_ETH_P_IPV6);
	ipv6(&f, 8 + 24, CG_IPPROTO_FRAGMENT, S6, D6);
	ext_frag(&f, CG_IPPROTO_UDP, 0x0000);
	udp(&f, 40000, 6081, 24, CSUM_B);
	putn(&f, GENFLIP, 16);
	run(&f, &r);
	assert_checked(&r, CG_V_BAD, CSUM_B, CSUM_BFLIP);
}

/* ------------------------------------------------------------------------ */
/* Lengths                                                                    */

static void test_malformed_udp_len_short(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	/* IP payload 24, UDP length 7. */
	eth(&f, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 24, 0, CG_IPPROTO_UDP, S4, D4);
	udp(&f, 40000, 4789, 7, CSUM_A);
	putn(&f, VX, 16);
	run(&f, &r);
	assert_verdict(&r, CG_V_MALFORMED);
	assert_false(r.non_tunnel);
	assert_src4(&r);
	assert_pass(&r);
	/* UDP length 0 (an IPv6 jumbogram's marker; here simply malformed). */
	eth(&f, CG_ETH_P_IPV6);
	ipv6(&f, 24, CG_IPPROTO_UDP, S6, D6);
	udp(&f, 40000, 6081, 0, CSUM_B);
	putn(&f, GEN, 16);
	run(&f, &r);
	assert_verdict(&r, CG_V_MALFORMED);
	assert_src6(&r);
}

static void test_malformed_udp_len_beyond_ip(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	/* IP payload 24, UDP length 25: one byte too many. Frame padding after
	 * the IP packet must not make it acceptable. */
	eth(&f, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 24, 0, CG_IPPROTO_UDP, S4, D4);
	udp(&f, 40000, 4789, 25, CSUM_C);
	putn(&f, VX, 16);
	put8(&f, 'd');		/* Ethernet padding, outside the IP packet */
	fill(&f, 0, 1);
	run(&f, &r);
	assert_verdict(&r, CG_V_MALFORMED);
	assert_false(r.non_tunnel);
	assert_pass(&r);
	/* IPv6: payload length 24, UDP length 0xffff. */
	eth(&f, CG_ETH_P_IPV6);
	ipv6(&f, 24, CG_IPPROTO_UDP, S6, D6);
	udp(&f, 40000, 6081, 0xffff, CSUM_B);
	putn(&f, GEN, 16);
	run(&f, &r);
	assert_verdict(&r, CG_V_MALFORMED);
}

static void test_udp_len_shorter_than_ip_payload(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	/* IP payload 28 = datagram A (24) + 4 bytes the UDP length does not
	 * cover; A's checksum still holds. */
	eth(&f, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 28, 0, CG_IPPROTO_UDP, S4, D4);
	udp(&f, 40000, 4789, 24, CSUM_A);
	putn(&f, VX, 16);
	putn(&f, (const uint8_t[]){ 0xde, 0xad, 0xbe, 0xef }, 4);
	run(&f, &r);
	assert_checked(&r, CG_V_OK, CSUM_A, CSUM_A);
	/* IPv6 likewise: datagram B + 3 bytes. */
	eth(&f, CG_ETH_P_IPV6);
	ipv6(&f, 24 + 3, CG_IPPROTO_UDP, S6, D6);
	udp(&f, 40000, 6081, 24, CSUM_B);
	putn(&f, GEN, 16);
	putn(&f, (const uint8_t[]){ 0x01, 0x02, 0x03 }, 3);
	run(&f, &r);
	assert_checked(&r, CG_V_OK, CSUM_B, CSUM_B);
}

static void test_ethernet_padding(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	/* Datagram I (42-byte frame) padded to the 60-byte minimum with junk. */
	v4_frame(&f, 4789, NULL, 0, CSUM_I);
	assert_int_equal(f.n, 42);
	fill(&f, 0xa5, 18);
	run(&f, &r);
	assert_checked(&r, CG_V_OK, CSUM_I, CSUM_I);
	/* Datagram A with a 4-byte trailer (an FCS left on the frame). */
	v4_frame(&f, 4789, VX, 16, CSUM_A);
	putn(&f, (const uint8_t[]){ 0x12, 0x34, 0x56, 0x78 }, 4);
	run(&f, &r);
	assert_checked(&r, CG_V_OK, CSUM_A, CSUM_A);
	/* IPv6 too. */
	v6_frame(&f, 6081, GEN, 16, CSUM_B);
	fill(&f, 0xff, 6);
	run(&f, &r);
	assert_checked(&r, CG_V_OK, CSUM_B, CSUM_B);
}

static void test_udp_header_truncated(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	/* IP payload of 6 bytes: not even a whole UDP header. Its destination
	 * port (in the frame) is a tunnel port: the source's malformed (issue
	 * 10, SPEC 2.4), passed untouched. */
	eth(&f, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 6, 0, CG_IPPROTO_UDP, S4, D4);
	put16(&f, 40000);
	put16(&f, 4789);
	put16(&f, 24);
	fill(&f, 0, 14);	/* padding to 60 bytes, outside the IP packet */
	run(&f, &r);
	assert_verdict(&r, CG_V_MALFORMED);
	assert_src4(&r);
	assert_pass(&r);
	/* The same to port 53: unparsed, as before. */
	f.b[36] = 0;
	f.b[37] = 53;
	run(&f, &r);
	assert_kind(&r, CG_IF_UNPARSED);
	assert_pass(&r);
	/* The frame ends after the source port: no port to read, unparsed. */
	f.b[37] = 0xb5;		/* 4789 = 0x12b5 again */
	f.b[36] = 0x12;
	f.n = 14 + 20 + 2;
	run(&f, &r);
	assert_kind(&r, CG_IF_UNPARSED);
	/* IPv6: payload length 4, UDP right after the fixed header. */
	eth(&f, CG_ETH_P_IPV6);
	ipv6(&f, 4, CG_IPPROTO_UDP, S6, D6);
	put16(&f, 40000);
	put16(&f, 6081);
	run(&f, &r);
	assert_verdict(&r, CG_V_MALFORMED);
	assert_src6(&r);
}

/* ------------------------------------------------------------------------ */
/* L2 / L3 parsing                                                            */

static void test_vlan_one_tag(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	eth(&f, CG_ETH_P_8021Q);
	vlan(&f, 100, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 24, 0, CG_IPPROTO_UDP, S4, D4);
	udp(&f, 40000, 4789, 24, CSUM_A);
	putn(&f, VX, 16);
	run(&f, &r);
	assert_checked(&r, CG_V_OK, CSUM_A, CSUM_A);
	assert_src4(&r);
	/* 802.1ad alone, over IPv6, a bad datagram. */
	eth(&f, CG_ETH_P_8021AD);
	vlan(&f, 7, CG_ETH_P_IPV6);
	ipv6(&f, 24, CG_IPPROTO_UDP, S6, D6);
	udp(&f, 40000, 6081, 24, CSUM_B);
	putn(&f, GENFLIP, 16);
	run(&f, &r);
	assert_checked(&r, CG_V_BAD, CSUM_B, CSUM_BFLIP);
	assert_src6(&r);
}

static void test_vlan_two_tags(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	/* 802.1ad outer, 802.1Q inner. */
	eth(&f, CG_ETH_P_8021AD);
	vlan(&f, 10, CG_ETH_P_8021Q);
	vlan(&f, 20, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 24, 0, CG_IPPROTO_UDP, S4, D4);
	udp(&f, 40000, 4789, 24, SEED_A);
	putn(&f, VX, 16);
	run(&f, &r);
	assert_checked(&r, CG_V_UNFINISHED, SEED_A, CSUM_A);
	/* Two 802.1Q tags, IPv6. */
	eth(&f, CG_ETH_P_8021Q);
	vlan(&f, 10, CG_ETH_P_8021Q);
	vlan(&f, 20, CG_ETH_P_IPV6);
	ipv6(&f, 24, CG_IPPROTO_UDP, S6, D6);
	udp(&f, 40000, 6081, 24, CSUM_B);
	putn(&f, GEN, 16);
	run(&f, &r);
	assert_checked(&r, CG_V_OK, CSUM_B, CSUM_B);
}

static void test_vlan_third_tag_unparsed(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	eth(&f, CG_ETH_P_8021AD);
	vlan(&f, 10, CG_ETH_P_8021Q);
	vlan(&f, 20, CG_ETH_P_8021Q);
	vlan(&f, 30, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 24, 0, CG_IPPROTO_UDP, S4, D4);
	udp(&f, 40000, 4789, 24, CSUM_A);
	putn(&f, VX, 16);
	run(&f, &r);
	assert_kind(&r, CG_IF_UNPARSED);
	assert_false(r.have_src);
	assert_pass(&r);
	/* A tag cut short by the end of the frame. */
	eth(&f, CG_ETH_P_8021Q);
	put16(&f, 100);		/* TCI, but no EtherType after it */
	run(&f, &r);
	assert_kind(&r, CG_IF_UNPARSED);
	assert_pass(&r);
}

static void test_ipv4_options(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	/* IHL 6: Router Alert (94 04 00 00). The checksum does not cover
	 * options, so A's still holds. */
	eth(&f, CG_ETH_P_IP);
	ipv4(&f, 6, 24 + 24, 0, CG_IPPROTO_UDP, S4, D4);
	putn(&f, (const uint8_t[]){ 0x94, 0x04, 0x00, 0x00 }, 4);
	ipv4_csum(&f, CG_ETH_HLEN);
	udp(&f, 40000, 4789, 24, CSUM_A);
	putn(&f, VX, 16);
	run(&f, &r);
	assert_checked(&r, CG_V_OK, CSUM_A, CSUM_A);
	/* IHL 15: 40 bytes of NOP options. */
	eth(&f, CG_ETH_P_IP);
	ipv4(&f, 15, 60 + 24, 0, CG_IPPROTO_UDP, S4, D4);
	fill(&f, 0x01, 40);
	ipv4_csum(&f, CG_ETH_HLEN);
	udp(&f, 40000, 4789, 24, CSUM_A);
	putn(&f, VXFLIP, 16);
	run(&f, &r);
	assert_checked(&r, CG_V_BAD, CSUM_A, CSUM_AFLIP);
}

static void test_ipv4_header_invalid(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	/* IHL 4 (16 bytes) < 5: the destination port after the fixed 20
	 * bytes is 4789, so the source's malformed (issue 10, SPEC 2.4); no
	 * header checksum to check at IHL < 5. */
	v4_frame(&f, 4789, VX, 16, CSUM_A);
	f.b[14] = 0x44;
	run(&f, &r);
	assert_verdict(&r, CG_V_MALFORMED);
	assert_src4(&r);	/* the fixed header shows the source (issue 6) */
	assert_pass(&r);
	/* IHL 0. */
	f.b[14] = 0x40;
	run(&f, &r);
	assert_verdict(&r, CG_V_MALFORMED);
	/* IHL 4 to port 53: unparsed, as before. */
	v4_frame(&f, 53, VX, 16, CSUM_A);
	f.b[14] = 0x44;
	run(&f, &r);
	assert_kind(&r, CG_IF_UNPARSED);
	assert_src4(&r);
	/* Total length 19 < IHL 20, header checksum right: malformed. */
	v4_frame(&f, 4789, VX, 16, CSUM_A);
	f.b[16] = 0;
	f.b[17] = 19;
	ipv4_csum(&f, 14);
	run(&f, &r);
	assert_verdict(&r, CG_V_MALFORMED);
	/* The same with the checksum of the old length: the receiving
	 * kernel checks the header checksum first (ip_rcv_core), so does
	 * csumguard: bad_ip_header. */
	f.b[25] ^= 0x01;
	run(&f, &r);
	assert_verdict(&r, CG_V_BAD_IP_HEADER);
	/* Total length 24 < IHL 7 * 4 = 28 (both inside the frame): the port
	 * at the IHL offset (28) reads the VXLAN flags 0x0800 0x0000: port 0,
	 * not a tunnel port: unparsed. */
	v4_frame(&f, 4789, VX, 16, CSUM_A);
	f.b[14] = 0x47;	/* IHL 7 = 28 bytes */
	f.b[16] = 0;
	f.b[17] = 24;
	run(&f, &r);
	assert_kind(&r, CG_IF_UNPARSED);
	/* Total length 45 > the 44 IP bytes in the 58-byte frame: malformed
	 * with a right header checksum, bad_ip_header without. */
	v4_frame(&f, 4789, VX, 16, CSUM_A);
	f.b[16] = 0;
	f.b[17] = 45;
	ipv4_csum(&f, 14);
	run(&f, &r);
	assert_verdict(&r, CG_V_MALFORMED);
	assert_pass(&r);
	f.b[17] = 46;
	run(&f, &r);
	assert_verdict(&r, CG_V_BAD_IP_HEADER);
	assert_pass(&r);
	/* Version 6 behind EtherType IPv4. */
	v4_frame(&f, 4789, VX, 16, CSUM_A);
	f.b[14] = 0x65;
	run(&f, &r);
	assert_kind(&r, CG_IF_UNPARSED);
	/* Fewer than 20 IP bytes in the frame. */
	eth(&f, CG_ETH_P_IP);
	putn(&f, (const uint8_t[]){ 0x45, 0x00, 0x00, 0x2c, 0x12, 0x34, 0x00, 0x00,
				    0x40, 0x11, 0x00, 0x00, 10, 0, 3, 17, 10, 0, 3 }, 19);
	run(&f, &r);
	assert_kind(&r, CG_IF_UNPARSED);
}

static void test_ipv6_hbh_and_dstopts(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	/* Hop-by-hop, then destination options, then datagram B: the pseudo-
	 * header length is the UDP length, so B's checksum holds. */
	eth(&f, CG_ETH_P_IPV6);
	ipv6(&f, 8 + 8 + 24, CG_IPPROTO_HOPOPTS, S6, D6);
	ext_opts(&f, CG_IPPROTO_DSTOPTS);
	ext_opts(&f, CG_IPPROTO_UDP);
	udp(&f, 40000, 6081, 24, CSUM_B);
	putn(&f, GEN, 16);
	run(&f, &r);
	assert_checked(&r, CG_V_OK, CSUM_B, CSUM_B);
	assert_src6(&r);
	/* A 16-byte hop-by-hop header (hdr ext len 1). */
	eth(&f, CG_ETH_P_IPV6);
	ipv6(&f, 16 + 24, CG_IPPROTO_HOPOPTS, S6, D6);
	putn(&f, (const uint8_t[]){ CG_IPPROTO_UDP, 1, 1, 12 }, 4);	/* PadN of 12 */
	fill(&f, 0, 12);
	udp(&f, 40000, 6081, 24, SEED_B);
	putn(&f, GEN, 16);
	run(&f, &r);
	assert_checked(&r, CG_V_UNFINISHED, SEED_B, CSUM_B);
}

static void test_ipv6_routing_header(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	/* Segments left 1: the checksum would use the final destination. */
	eth(&f, CG_ETH_P_IPV6);
	ipv6(&f, 8 + 24, CG_IPPROTO_ROUTING, S6, D6);
	ext_routing(&f, CG_IPPROTO_UDP, 1);
	udp(&f, 40000, 6081, 24, CSUM_B);
	putn(&f, GEN, 16);
	run(&f, &r);
	assert_kind(&r, CG_IF_UNPARSED);
	assert_pass(&r);
	/* Segments left 0: the header's destination is final; skipped. */
	eth(&f, CG_ETH_P_IPV6);
	ipv6(&f, 8 + 24, CG_IPPROTO_ROUTING, S6, D6);
	ext_routing(&f, CG_IPPROTO_UDP, 0);
	udp(&f, 40000, 6081, 24, CSUM_B);
	putn(&f, GEN, 16);
	run(&f, &r);
	assert_checked(&r, CG_V_OK, CSUM_B, CSUM_B);
}

static void test_ipv6_extension_limits(void **state)
{
	struct frame f;
	struct cg_ref_result r;
	int i;

	(void)state;
	/* CG_IPV6_MAX_EXT (8) headers: hop-by-hop + 7 destination options. */
	eth(&f, CG_ETH_P_IPV6);
	ipv6(&f, 8 * 8 + 24, CG_IPPROTO_HOPOPTS, S6, D6);
	for (i = 0; i < 7; i++)
		ext_opts(&f, CG_IPPROTO_DSTOPTS);
	ext_opts(&f, CG_IPPROTO_UDP);
	udp(&f, 40000, 6081, 24, CSUM_B);
	putn(&f, GEN, 16);
	run(&f, &r);
	assert_checked(&r, CG_V_OK, CSUM_B, CSUM_B);
	/* Nine: more than we skip. Unparsed, but the source is known. */
	eth(&f, CG_ETH_P_IPV6);
	ipv6(&f, 9 * 8 + 24, CG_IPPROTO_HOPOPTS, S6, D6);
	for (i = 0; i < 8; i++)
		ext_opts(&f, CG_IPPROTO_DSTOPTS);
	ext_opts(&f, CG_IPPROTO_UDP);
	udp(&f, 40000, 6081, 24, CSUM_B);
	putn(&f, GEN, 16);
	run(&f, &r);
	assert_kind(&r, CG_IF_UNPARSED);
	assert_src6(&r);
	assert_false(r.non_tunnel);
	assert_pass(&r);
	/* An extension header longer than the payload: hdr ext len 4 (40
	 * bytes) in a 32-byte payload. */
	eth(&f, CG_ETH_P_IPV6);
	ipv6(&f, 32, CG_IPPROTO_DSTOPTS, S6, D6);
	putn(&f, (const uint8_t[]){ CG_IPPROTO_UDP, 4, 1, 2, 0, 0, 0, 0 }, 8);
	udp(&f, 40000, 6081, 24, CSUM_B);
	putn(&f, GEN, 16);
	run(&f, &r);
	assert_kind(&r, CG_IF_UNPARSED);
	/* A hop-by-hop header of 1024 bytes (hdr ext len 127) puts UDP at
	 * 14 + 40 + 1024 = 1078 > CG_MAX_L4_OFF (1024): unparsed. */
	eth(&f, CG_ETH_P_IPV6);
	ipv6(&f, 1024 + 24, CG_IPPROTO_HOPOPTS, S6, D6);
	put8(&f, CG_IPPROTO_UDP);
	put8(&f, 127);		/* (127 + 1) * 8 = 1024 bytes */
	fill(&f, 0, 1022);	/* Pad1 options */
	udp(&f, 40000, 6081, 24, CSUM_B);
	putn(&f, GEN, 16);
	assert_int_equal(f.n, 14 + 40 + 1024 + 24);
	run(&f, &r);
	assert_kind(&r, CG_IF_UNPARSED);
}

static void test_ipv6_header_invalid(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	/* Payload length 0 (jumbogram marker), UDP right after the fixed
	 * header to 6081: the source's malformed (issue 10, SPEC 2.4). */
	v6_frame(&f, 6081, GEN, 16, CSUM_B);
	f.b[18] = 0;
	f.b[19] = 0;
	run(&f, &r);
	assert_verdict(&r, CG_V_MALFORMED);
	assert_src6(&r);	/* the fixed header shows the source (issue 6) */
	assert_pass(&r);
	/* Payload length 25 > the 24 bytes in the frame. */
	v6_frame(&f, 6081, GEN, 16, CSUM_B);
	f.b[19] = 25;
	run(&f, &r);
	assert_verdict(&r, CG_V_MALFORMED);
	/* The same to port 53: unparsed. */
	v6_frame(&f, 53, GEN, 16, CSUM_B);
	f.b[19] = 25;
	run(&f, &r);
	assert_kind(&r, CG_IF_UNPARSED);
	/* The same behind a hop-by-hop header: the next header is not UDP,
	 * no port is looked for: unparsed. */
	eth(&f, CG_ETH_P_IPV6);
	ipv6(&f, 8 + 24 + 1, CG_IPPROTO_HOPOPTS, S6, D6);
	ext_opts(&f, CG_IPPROTO_UDP);
	udp(&f, 40000, 6081, 24, CSUM_B);
	putn(&f, GEN, 16);
	run(&f, &r);
	assert_kind(&r, CG_IF_UNPARSED);
	/* Version 4 behind EtherType IPv6. */
	v6_frame(&f, 6081, GEN, 16, CSUM_B);
	f.b[14] = 0x45;
	run(&f, &r);
	assert_kind(&r, CG_IF_UNPARSED);
	/* Header cut at 39 bytes. */
	v6_frame(&f, 6081, GEN, 16, CSUM_B);
	f.n = 14 + 39;
	run(&f, &r);
	assert_kind(&r, CG_IF_UNPARSED);
}

static void test_truncated_ethernet(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	v4_frame(&f, 4789, VX, 16, CSUM_A);
	f.n = 13;
	run(&f, &r);
	assert_kind(&r, CG_IF_UNPARSED);
	assert_false(r.have_src);
	assert_pass(&r);
	f.n = 0;
	run(&f, &r);
	assert_kind(&r, CG_IF_UNPARSED);
	/* A whole Ethernet header saying IPv4, and nothing after it. */
	f.n = 14;
	run(&f, &r);
	assert_kind(&r, CG_IF_UNPARSED);
}

static void test_not_tunnel(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	/* ARP request: who has 10.0.3.1, tell 10.0.3.17. */
	eth(&f, 0x0806);
	putn(&f, (const uint8_t[]){ 0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,
				    2, 0, 0, 0, 0, 1, 10, 0, 3, 17,
				    0, 0, 0, 0, 0, 0, 10, 0, 3, 1 }, 28);
	run(&f, &r);
	assert_kind(&r, CG_IF_NOT_TUNNEL);
	assert_false(r.have_src);
	assert_pass(&r);
	/* TCP SYN 40000 -> 4789 (the port number alone does not make a tunnel). */
	eth(&f, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 20, 0x4000, CG_IPPROTO_TCP, S4, D4);
	putn(&f, (const uint8_t[]){ 0x9c, 0x40, 0x12, 0xb5, 0, 0, 0, 1, 0, 0, 0, 0,
				    0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0 }, 20);
	run(&f, &r);
	assert_kind(&r, CG_IF_NOT_TUNNEL);
	assert_src4(&r);
	assert_true(r.non_tunnel);
	assert_pass(&r);
	/* UDP to port 53 with a wrong checksum: not ours to judge. */
	v4_frame(&f, 53, VX, 16, 0x1234);
	run(&f, &r);
	assert_kind(&r, CG_IF_NOT_TUNNEL);
	assert_src4(&r);
	assert_true(r.non_tunnel);
	assert_pass(&r);
	/* IPv6 UDP to port 53. */
	v6_frame(&f, 53, GEN, 16, 0x1234);
	run(&f, &r);
	assert_kind(&r, CG_IF_NOT_TUNNEL);
	assert_src6(&r);
	/* The source port 4789 does not count: only the destination. */
	eth(&f, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 24, 0, CG_IPPROTO_UDP, S4, D4);
	udp(&f, 4789, 40000, 24, 0x1234);
	putn(&f, VX, 16);
	run(&f, &r);
	assert_kind(&r, CG_IF_NOT_TUNNEL);
}

static void test_gue_only_when_configured(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	v4_frame(&f, 6080, GUE0, 12, CSUM_E);
	run(&f, &r);
	assert_kind(&r, CG_IF_NOT_TUNNEL);	/* default: 6080 is not audited */
	assert_true(r.non_tunnel);
	cfg.port_encap[6080] = CG_ENCAP_GUE;	/* --port gue:6080 */
	run(&f, &r);
	assert_checked(&r, CG_V_OK, CSUM_E, CSUM_E);
	/* Datagram E's checksum by hand: seed for length 20 = 1a3b - 4 = 1a37;
	 * header 9c40 + 17c0 + 0014 = b414; payload 0004 + 0000 + 6373 + 756d +
	 * 6775 + 6172 = 1a1cb; total 1a37 + b414 + 1a1cb = 27016; folded
	 * 7016 + 2 = 7018; complement 8fe7 (Python agrees). A GUE datagram
	 * with its last bit flipped is bad. */
	f.b[f.n - 1] ^= 0x01;
	run(&f, &r);
	assert_verdict(&r, CG_V_BAD);
	/* Removing the port again. */
	cfg.port_encap[4789] = CG_ENCAP_NONE;
	v4_frame(&f, 4789, VX, 16, CSUM_A);
	run(&f, &r);
	assert_kind(&r, CG_IF_NOT_TUNNEL);
}

/* ------------------------------------------------------------------------ */
/* Actions                                                                    */

static void test_monitor_passes_bad(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	cfg.mode = CG_MODE_MONITOR;
	v4_frame(&f, 4789, VX, 16, 0xbad0);
	run(&f, &r);
	assert_checked(&r, CG_V_BAD, 0xbad0, CSUM_A);
	assert_pass(&r);
}

static void test_drop_mode_drops_exactly_bad(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	cfg.mode = CG_MODE_DROP;
	/* bad: dropped */
	v4_frame(&f, 4789, VX, 16, 0xbad0);
	run(&f, &r);
	assert_verdict(&r, CG_V_BAD);
	assert_dropped(&r, CG_IF_DROP_BAD);
	v6_frame(&f, 6081, GENFLIP, 16, CSUM_B);
	run(&f, &r);
	assert_verdict(&r, CG_V_BAD);
	assert_dropped(&r, CG_IF_DROP_BAD);
	/* ok */
	v4_frame(&f, 4789, VX, 16, CSUM_A);
	run(&f, &r);
	assert_verdict(&r, CG_V_OK);
	assert_pass(&r);
	/* unfinished: a sender's offload, not corruption */
	v4_frame(&f, 4789, VX, 16, SEED_A);
	run(&f, &r);
	assert_verdict(&r, CG_V_UNFINISHED);
	assert_pass(&r);
	/* zero */
	v4_frame(&f, 4789, VX, 16, 0);
	run(&f, &r);
	assert_verdict(&r, CG_V_ZERO);
	assert_pass(&r);
	/* fragment */
	eth(&f, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 16, CG_IPV4_MF, CG_IPPROTO_UDP, S4, D4);
	udp(&f, 40000, 4789, 24, 0xbad0);
	putn(&f, VX, 8);
	run(&f, &r);
	assert_verdict(&r, CG_V_FRAGMENT);
	assert_pass(&r);
	/* malformed */
	eth(&f, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 24, 0, CG_IPPROTO_UDP, S4, D4);
	udp(&f, 40000, 4789, 7, 0xbad0);
	putn(&f, VX, 16);
	run(&f, &r);
	assert_verdict(&r, CG_V_MALFORMED);
	assert_pass(&r);
	/* not a tunnel, wrong checksum */
	v4_frame(&f, 53, VX, 16, 0xbad0);
	run(&f, &r);
	assert_kind(&r, CG_IF_NOT_TUNNEL);
	assert_pass(&r);
	/* unparsed (IHL 4, port 53) */
	v4_frame(&f, 53, VX, 16, 0xbad0);
	f.b[14] = 0x44;
	run(&f, &r);
	assert_kind(&r, CG_IF_UNPARSED);
	assert_pass(&r);
	/* malformed by attribution (IHL 4, port 4789): not dropped */
	v4_frame(&f, 4789, VX, 16, 0xbad0);
	f.b[14] = 0x44;
	run(&f, &r);
	assert_verdict(&r, CG_V_MALFORMED);
	assert_pass(&r);
	/* bad_ip_header: not dropped (the kernel drops it itself) */
	v4_frame(&f, 4789, VX, 16, CSUM_A);
	f.b[24] ^= 0x80;
	run(&f, &r);
	assert_verdict(&r, CG_V_BAD_IP_HEADER);
	assert_pass(&r);
}

static const struct cg_ref_block_entry block_s4 = {
	.addr = { .a = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 3, 17 },
		  .family = CG_AF_INET4 },
	.flags = 0,
};

static void test_blocked_tunnel_dropped_in_monitor(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	cfg.blocks = &block_s4;
	cfg.nblocks = 1;
	/* A good tunnel frame from the blocked source: dropped, still judged. */
	v4_frame(&f, 4789, VX, 16, CSUM_A);
	run(&f, &r);
	assert_checked(&r, CG_V_OK, CSUM_A, CSUM_A);
	assert_dropped(&r, CG_IF_DROP_BLOCKED);
	/* Its zero and malformed tunnel frames too. */
	v4_frame(&f, 4789, VX, 16, 0);
	run(&f, &r);
	assert_verdict(&r, CG_V_ZERO);
	assert_dropped(&r, CG_IF_DROP_BLOCKED);
	eth(&f, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 24, 0, CG_IPPROTO_UDP, S4, D4);
	udp(&f, 40000, 4789, 7, CSUM_A);
	putn(&f, VX, 16);
	run(&f, &r);
	assert_verdict(&r, CG_V_MALFORMED);
	assert_dropped(&r, CG_IF_DROP_BLOCKED);
	/* Its DNS and its SSH (TCP) pass. */
	v4_frame(&f, 53, VX, 16, 0x1234);
	run(&f, &r);
	assert_kind(&r, CG_IF_NOT_TUNNEL);
	assert_pass(&r);
	eth(&f, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 20, 0x4000, CG_IPPROTO_TCP, S4, D4);
	putn(&f, (const uint8_t[]){ 0x9c, 0x40, 0x00, 0x16, 0, 0, 0, 1, 0, 0, 0, 0,
				    0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0 }, 20);
	run(&f, &r);
	assert_kind(&r, CG_IF_NOT_TUNNEL);
	assert_pass(&r);
	/* Another source is not affected: the same datagram from 10.0.3.18
	 * (source word 0312, one more: checksum one less, 28ed). */
	eth(&f, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 24, 0, CG_IPPROTO_UDP, (const uint8_t[]){ 10, 0, 3, 18 }, D4);
	udp(&f, 40000, 4789, 24, 0x28ed);
	putn(&f, VX, 16);
	run(&f, &r);
	assert_checked(&r, CG_V_OK, 0x28ed, 0x28ed);
	assert_pass(&r);
}

static void test_blocked_bad_in_drop_mode(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	cfg.mode = CG_MODE_DROP;
	cfg.blocks = &block_s4;
	cfg.nblocks = 1;
	/* Both reasons apply: the block is the one counted. */
	v4_frame(&f, 4789, VX, 16, 0xbad0);
	run(&f, &r);
	assert_verdict(&r, CG_V_BAD);
	assert_dropped(&r, CG_IF_DROP_BLOCKED);
}

static void test_blocked_all_traffic(void **state)
{
	static const struct cg_ref_block_entry all = {
		.addr = { .a = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 3, 17 },
		  .family = CG_AF_INET4 },
		.flags = CG_BLOCK_ALL_TRAFFIC,
	};
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	cfg.blocks = &all;
	cfg.nblocks = 1;
	/* TCP dropped. */
	eth(&f, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 20, 0x4000, CG_IPPROTO_TCP, S4, D4);
	putn(&f, (const uint8_t[]){ 0x9c, 0x40, 0x00, 0x16, 0, 0, 0, 1, 0, 0, 0, 0,
				    0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0 }, 20);
	run(&f, &r);
	assert_kind(&r, CG_IF_NOT_TUNNEL);
	assert_dropped(&r, CG_IF_DROP_BLOCKED);
	/* DNS dropped. */
	v4_frame(&f, 53, VX, 16, 0x1234);
	run(&f, &r);
	assert_dropped(&r, CG_IF_DROP_BLOCKED);
	/* Tunnel dropped. */
	v4_frame(&f, 4789, VX, 16, CSUM_A);
	run(&f, &r);
	assert_dropped(&r, CG_IF_DROP_BLOCKED);
	/* ARP has no IP source: passes. */
	eth(&f, 0x0806);
	putn(&f, (const uint8_t[]){ 0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,
				    2, 0, 0, 0, 0, 1, 10, 0, 3, 17,
				    0, 0, 0, 0, 0, 0, 10, 0, 3, 1 }, 28);
	run(&f, &r);
	assert_kind(&r, CG_IF_NOT_TUNNEL);
	assert_pass(&r);
}

static void test_blocked_fragments(void **state)
{
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	cfg.blocks = &block_s4;
	cfg.nblocks = 1;
	/* A first fragment to a tunnel port shows it is tunnel traffic. */
	eth(&f, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 16, CG_IPV4_MF, CG_IPPROTO_UDP, S4, D4);
	udp(&f, 40000, 4789, 24, CSUM_A);
	putn(&f, VX, 8);
	run(&f, &r);
	assert_verdict(&r, CG_V_FRAGMENT);
	assert_dropped(&r, CG_IF_DROP_BLOCKED);
	/* A later fragment shows no port, so it cannot be proven non-tunnel:
	 * dropped too (issue 6). */
	eth(&f, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 8, 0x0002, CG_IPPROTO_UDP, S4, D4);
	putn(&f, VX + 8, 8);
	run(&f, &r);
	assert_verdict(&r, CG_V_FRAGMENT);
	assert_dropped(&r, CG_IF_DROP_BLOCKED);
	/* A first fragment to port 53 is proven non-tunnel: it passes. */
	eth(&f, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 16, CG_IPV4_MF, CG_IPPROTO_UDP, S4, D4);
	udp(&f, 40000, 53, 24, CSUM_A);
	putn(&f, VX, 8);
	run(&f, &r);
	assert_verdict(&r, CG_V_FRAGMENT);
	assert_pass(&r);
}

static void test_blocked_ipv6_source(void **state)
{
	static const struct cg_ref_block_entry b6 = {
		.addr = { .a = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x17 },
			  .family = CG_AF_INET6 },
		.flags = 0,
	};
	struct cg_ref_block_entry two[2] = { block_s4, b6 };
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	cfg.blocks = two;
	cfg.nblocks = 2;
	v6_frame(&f, 6081, GEN, 16, CSUM_B);
	run(&f, &r);
	assert_verdict(&r, CG_V_OK);
	assert_dropped(&r, CG_IF_DROP_BLOCKED);
	v6_frame(&f, 53, GEN, 16, 0x1234);
	run(&f, &r);
	assert_pass(&r);
	/* The IPv4 address's bytes in IPv6 form (::10.0.3.17, not v4-mapped)
	 * are another address. */
	cfg.blocks = &block_s4;
	cfg.nblocks = 1;
	eth(&f, CG_ETH_P_IPV6);
	ipv6(&f, 24, CG_IPPROTO_UDP,
	     (const uint8_t[]){ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 3, 17 }, D6);
	udp(&f, 40000, 6081, 24, 0);
	putn(&f, GEN, 16);
	run(&f, &r);
	assert_verdict(&r, CG_V_ZERO);
	assert_pass(&r);
	/* Nor is the v4-mapped ::ffff:10.0.3.17: families never alias (issue 6). */
	eth(&f, CG_ETH_P_IPV6);
	ipv6(&f, 24, CG_IPPROTO_UDP,
	     (const uint8_t[]){ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 3, 17 }, D6);
	udp(&f, 40000, 6081, 24, 0);
	putn(&f, GEN, 16);
	run(&f, &r);
	assert_verdict(&r, CG_V_ZERO);
	assert_int_equal(r.src.family, CG_AF_INET6);
	assert_false(r.blocked);
	assert_pass(&r);
}

static void test_blocked_unparsed_dropped(void **state)
{
	static const struct cg_ref_block_entry all = {
		.addr = { .a = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 3, 17 },
		  .family = CG_AF_INET4 },
		.flags = CG_BLOCK_ALL_TRAFFIC,
	};
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	cfg.mode = CG_MODE_DROP;
	cfg.blocks = &all;
	cfg.nblocks = 1;
	/* Total length beyond the frame, port 53: unparsed, but the fixed
	 * header names the blocked source, so it is dropped (issue 6: the
	 * blocklist is decided on the source however far the rest parses). */
	v4_frame(&f, 53, VX, 16, 0xbad0);
	f.b[17] = 45;
	run(&f, &r);
	assert_kind(&r, CG_IF_UNPARSED);
	assert_src4(&r);
	assert_dropped(&r, CG_IF_DROP_BLOCKED);
	/* To 4789 with the header checksum right: malformed, dropped too. */
	v4_frame(&f, 4789, VX, 16, 0xbad0);
	f.b[17] = 45;
	ipv4_csum(&f, 14);
	run(&f, &r);
	assert_verdict(&r, CG_V_MALFORMED);
	assert_dropped(&r, CG_IF_DROP_BLOCKED);
	/* Behind a third VLAN tag no IP header is read: no source, passes. */
	eth(&f, CG_ETH_P_8021AD);
	vlan(&f, 1, CG_ETH_P_8021Q);
	vlan(&f, 2, CG_ETH_P_8021Q);
	vlan(&f, 3, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 24, 0, CG_IPPROTO_UDP, S4, D4);
	udp(&f, 40000, 4789, 24, CSUM_A);
	putn(&f, VX, 16);
	run(&f, &r);
	assert_kind(&r, CG_IF_UNPARSED);
	assert_pass(&r);
	/* A truncated UDP header: malformed (its port is 4789), dropped. */
	eth(&f, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 6, 0, CG_IPPROTO_UDP, S4, D4);
	put16(&f, 40000);
	put16(&f, 4789);
	put16(&f, 24);
	run(&f, &r);
	assert_verdict(&r, CG_V_MALFORMED);
	assert_dropped(&r, CG_IF_DROP_BLOCKED);
	/* ... to port 53: unparsed, dropped all the same. */
	f.b[37] = 53;
	f.b[36] = 0;
	run(&f, &r);
	assert_kind(&r, CG_IF_UNPARSED);
	assert_dropped(&r, CG_IF_DROP_BLOCKED);
}

/* ------------------------------------------------------------------------ */

#define T(fn) cmocka_unit_test_setup(fn, reset_cfg)

/* ------------------------------------------------------------------------ */
/* cg_ref_egress_classify: TC egress (SPEC 2 "TC egress")                     */

/* The pseudo-header of A without the length: 0a00 + 0311 + 0a00 + 0301 +
 * 0011 = 1a23 (SEED_A 1a3b minus the length 0x18). */
#define SEED_A_NOLEN	0x1a23
static const uint8_t D4_MAPPED[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 3, 1 };

static void egress(const struct frame *f, bool gso, uint32_t segs, struct cg_ref_egress *e)
{
	uint8_t *copy = malloc(f->n ? f->n : 1);

	assert_non_null(copy);
	memcpy(copy, f->b, f->n);
	memset(e, 0xa5, sizeof(*e));
	cg_ref_egress_classify(copy, f->n, &cfg, gso, segs, e);
	free(copy);
}

#define assert_egress(e, st, w)						\
	do {								\
		assert_int_equal((e)->kind, CG_IF_TUNNEL);		\
		assert_int_equal((e)->state, (st));			\
		assert_int_equal((e)->weight, (w));			\
	} while (0)

static void test_egress_final_offloaded_zero_v4(void **state)
{
	struct cg_ref_egress e;
	struct frame f;

	(void)state;
	v4_frame(&f, 4789, VX, 16, CSUM_A);
	egress(&f, false, 0, &e);
	assert_egress(&e, CG_E_FINAL_OK, 1);
	assert_memory_equal(e.dst.a, D4_MAPPED, 16);	/* keyed by the destination */
	assert_int_equal(e.dst.family, CG_AF_INET4);
	assert_false(e.gso);
	assert_false(e.gso_tunnel);
	assert_false(e.drop);
	v4_frame(&f, 4789, VX, 16, CSUM_AFLIP);		/* another datagram's checksum */
	egress(&f, false, 0, &e);
	assert_egress(&e, CG_E_FINAL_BAD, 1);
	assert_false(e.drop);				/* monitor mode */
	cfg.mode = CG_MODE_DROP;
	egress(&f, false, 0, &e);
	assert_true(e.drop);
	v4_frame(&f, 4789, VX, 16, SEED_A);		/* CHECKSUM_PARTIAL's seed */
	egress(&f, false, 0, &e);
	assert_egress(&e, CG_E_OFFLOADED, 1);
	assert_false(e.drop);
	v4_frame(&f, 4789, VX, 16, 0);
	egress(&f, false, 0, &e);
	assert_egress(&e, CG_E_ZERO, 1);
	/* The length-free seed is not a seed for a datagram that is not GSO. */
	v4_frame(&f, 4789, VX, 16, SEED_A_NOLEN);
	egress(&f, false, 0, &e);
	assert_egress(&e, CG_E_FINAL_BAD, 1);
	assert_true(e.drop);
}

static void test_egress_gso(void **state)
{
	struct cg_ref_egress e;
	struct frame f;

	(void)state;
	/* udp_set_csum on a GSO skb: ~udp_v4_check(len, ...) = SEED_A. */
	v4_frame(&f, 4789, VX, 16, SEED_A);
	egress(&f, true, 5, &e);
	assert_egress(&e, CG_E_OFFLOADED, 5);		/* five wire packets */
	assert_true(e.gso);
	assert_true(e.gso_tunnel);
	egress(&f, true, 0, &e);			/* gso_segs not set: one */
	assert_egress(&e, CG_E_OFFLOADED, 1);
	v4_frame(&f, 4789, VX, 16, SEED_A_NOLEN);	/* a driver's length-free seed */
	egress(&f, true, 3, &e);
	assert_egress(&e, CG_E_OFFLOADED, 3);
	/* A final value in a GSO skb is no seed: final_bad, never dropped. */
	cfg.mode = CG_MODE_DROP;
	v4_frame(&f, 4789, VX, 16, CSUM_A);
	egress(&f, true, 2, &e);
	assert_egress(&e, CG_E_FINAL_BAD, 2);
	assert_false(e.drop);
	v4_frame(&f, 4789, VX, 16, 0);
	egress(&f, true, 4, &e);
	assert_egress(&e, CG_E_ZERO, 4);
	/* IPv6 B: the seed 5bb3 on a GSO skb, then its final value without GSO. */
	v6_frame(&f, 6081, GEN, 16, SEED_B);
	egress(&f, true, 7, &e);
	assert_egress(&e, CG_E_OFFLOADED, 7);
	assert_memory_equal(e.dst.a, D6, 16);
	assert_int_equal(e.dst.family, CG_AF_INET6);
	v6_frame(&f, 6081, GEN, 16, CSUM_B);
	egress(&f, false, 7, &e);
	assert_egress(&e, CG_E_FINAL_OK, 1);		/* not GSO: gso_segs ignored */
}

static void test_egress_not_judged(void **state)
{
	struct cg_ref_block_entry blk = { .flags = CG_BLOCK_ALL_TRAFFIC };
	struct cg_ref_egress e;
	struct frame f;

	(void)state;
	v4_frame(&f, 53, VX, 16, 0x1234);		/* not a tunnel port */
	egress(&f, true, 3, &e);
	assert_int_equal(e.kind, CG_IF_NOT_TUNNEL);
	assert_false(e.gso_tunnel);
	assert_false(e.drop);
	/* The blocklist plays no part at egress (a blocked source's tunnel
	 * frame with a bad checksum: final_bad, dropped only by drop mode). */
	memcpy(blk.addr.a, S4_MAPPED, 16);
	blk.addr.family = CG_AF_INET4;
	cfg.blocks = &blk;
	cfg.nblocks = 1;
	v4_frame(&f, 4789, VX, 16, CSUM_A);
	egress(&f, false, 0, &e);
	assert_egress(&e, CG_E_FINAL_OK, 1);
	assert_false(e.drop);
	/* A first fragment: fragment, no metadata check even when GSO. */
	f.n = 0;
	eth(&f, CG_ETH_P_IP);
	ipv4(&f, 5, 20 + 24, CG_IPV4_MF, CG_IPPROTO_UDP, S4, D4);
	udp(&f, 40000, 4789, 40, CSUM_A);
	putn(&f, VX, 16);
	egress(&f, true, 2, &e);
	assert_egress(&e, CG_E_FRAGMENT, 2);
	assert_false(e.gso_tunnel);
	/* UDP length beyond the IP payload: malformed, no metadata check. */
	v4_frame(&f, 4789, VX, 16, CSUM_A);
	f.b[14 + 20 + 5] = 25;				/* ulen 24 -> 25 */
	egress(&f, true, 2, &e);
	assert_egress(&e, CG_E_MALFORMED, 2);
	assert_false(e.gso_tunnel);
}

/*
 * LCO: VXLAN over A's addresses, ulen 58 = UDP 8 + VXLAN 8 + inner Ethernet
 * 14 (MACs 0, type 0800) + inner IPv4 20 (45 00, total 001c, TTL 40, UDP,
 * checksum and addresses 0) + inner UDP 8 (0035 0035 0008, checksum = the
 * seed 1234, still partial). Finished, the inner UDP sums to ~1234 = edcb, so
 * the outer checksum written by lco_csum is
 *   ~(pseudo 1a23 + 003a  + outer UDP 9c40 + 12b5 + 003a + 0
 *     + VXLAN 0800 + 6400 + inner Ethernet 0800 + inner IPv4 4500 + 001c
 *     + 4011 + edcb)
 *   = ~(2b084 -> b086) = 4f79   (Python agrees).
 */
static void lco_frame(struct frame *f, uint16_t outer)
{
	f->n = 0;
	eth(f, CG_ETH_P_IP);
	ipv4(f, 5, 20 + 58, 0, CG_IPPROTO_UDP, S4, D4);
	udp(f, 40000, 4789, 58, outer);
	putn(f, VX, 8);
	fill(f, 0, 12);
	put16(f, CG_ETH_P_IP);
	put8(f, 0x45);
	put8(f, 0);
	put16(f, 28);
	put16(f, 0);
	put16(f, 0);
	put8(f, 0x40);
	put8(f, CG_IPPROTO_UDP);
	fill(f, 0, 10);
	udp(f, 53, 53, 8, 0x1234);
}

static void test_egress_lco(void **state)
{
	struct cg_ref_egress e;
	struct frame f;

	(void)state;
	lco_frame(&f, 0x4f79);
	egress(&f, false, 0, &e);
	assert_egress(&e, CG_E_FINAL_OK, 1);
	/* XDP's view of the same bytes: bad, as the inner is not finished yet. */
	{
		struct cg_ref_result r;

		run(&f, &r);
		assert_int_equal(r.verdict, CG_V_BAD);
		assert_true(cg_ref_lco_verifies(f.b, 34, 58, CG_ENCAP_VXLAN, r.pseudo));
		/* Not a tunnel the encapsulation says has this inner packet. */
		assert_false(cg_ref_lco_verifies(f.b, 34, 58, CG_ENCAP_GUE, r.pseudo));
	}
	lco_frame(&f, 0x4f78);				/* one off */
	egress(&f, false, 0, &e);
	assert_egress(&e, CG_E_FINAL_BAD, 1);
	/* The inner payload is what the NIC will sum: its bytes do not matter,
	 * the tunnel header's do. */
	lco_frame(&f, 0x4f79);
	f.b[34 + 8 + 8 + 14 + 20 + 0] ^= 0x80;		/* inner UDP source port */
	egress(&f, false, 0, &e);
	assert_egress(&e, CG_E_FINAL_OK, 1);
	lco_frame(&f, 0x4f79);
	f.b[34 + 8 + 6] ^= 0x01;			/* VNI */
	egress(&f, false, 0, &e);
	assert_egress(&e, CG_E_FINAL_BAD, 1);
}

/* ------------------------------------------------------------------------ */
/* Issue 10: inner classes, zero-inner audit, IPv4 header, repair, sampling    */
/*
 * Inner packets are built here byte by byte too; their checksums (inner L4,
 * inner IPv4 header, the outer UDP one over them) are computed by modsum(),
 * which adds the 16-bit words as plain integers and reduces modulo 0xffff
 * (RFC 1071 section 2: the one's-complement sum is the sum modulo 2^16 - 1),
 * not by refcheck's end-around-carry folding.
 */

/* Inner addresses: 192.168.1.1 -> 192.168.1.2, fd01::1 -> fd01::2. */
static const uint8_t IS4[4] = { 192, 168, 1, 1 };
static const uint8_t ID4[4] = { 192, 168, 1, 2 };
static const uint8_t IS6[16] = { 0xfd, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
static const uint8_t ID6[16] = { 0xfd, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 };
static const uint8_t MSG[20] = "csumguard classifies";	/* inner payload, 20 bytes */

static unsigned long modsum(const uint8_t *p, size_t n, unsigned long init)
{
	unsigned long sum = init;
	size_t i;

	for (i = 0; i < n; i += 2)
		sum += (unsigned long)p[i] << 8 | (i + 1 < n ? p[i + 1] : 0);
	return sum % 0xffff;
}

/* The checksum of words summing to m (mod 0xffff): never 0 (RFC 768). */
static uint16_t csum_of(unsigned long m)
{
	return (uint16_t)(0xffff - m % 0xffff);
}

static void set16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* The pseudo-header sum of an inner segment (modsum of its words). */
static unsigned long pseudo_of(const uint8_t *sa, const uint8_t *da, size_t alen, uint8_t proto,
			       size_t len)
{
	unsigned long m = modsum(sa, alen, 0);

	m = modsum(da, alen, m);
	return (m + proto + len) % 0xffff;
}

/* Appends an inner IPv4 or IPv6 packet carrying proto (UDP, TCP, ICMP,
 * ICMPv6, or any other) with MSG as payload, its L4 checksum right.
 * Returns the offset of the L4 header in p. */
static size_t inner_ip(struct frame *p, int family, uint8_t proto)
{
	size_t ip = p->n, l4, hl = proto == CG_IPPROTO_TCP ? 20 : 8, seg = hl + sizeof(MSG);
	size_t foff = proto == CG_IPPROTO_TCP ? 16 : proto == CG_IPPROTO_UDP ? 6 : 2;
	unsigned long m;

	if (family == 4) {
		put8(p, 0x45);
		put8(p, 0);
		put16(p, (uint16_t)(20 + seg));
		put16(p, 0x4321);
		put16(p, 0);
		put8(p, 64);
		put8(p, proto);
		put16(p, 0);
		putn(p, IS4, 4);
		putn(p, ID4, 4);
		set16(p->b + ip + 10, csum_of(modsum(p->b + ip, 20, 0)));
	} else {
		ipv6(p, (uint16_t)seg, proto, IS6, ID6);
	}
	l4 = p->n;
	put16(p, 40001);		/* ports, or ICMP type/code */
	put16(p, 7);
	if (proto == CG_IPPROTO_TCP) {
		fill(p, 0, 8);		/* seq, ack */
		put8(p, 5 << 4);
		put8(p, 0x10);
		fill(p, 0, 6);		/* window, checksum, urgent */
	} else {
		put16(p, proto == CG_IPPROTO_UDP ? (uint16_t)seg : 0x0102);
		put16(p, 0);		/* checksum, below */
	}
	putn(p, MSG, sizeof(MSG));
	if (proto == CG_IPPROTO_UDP || proto == CG_IPPROTO_TCP || proto == CG_IPPROTO_ICMP ||
	    proto == CG_IPPROTO_ICMPV6) {
		m = proto == CG_IPPROTO_ICMP ? 0 :
		    family == 4 ? pseudo_of(IS4, ID4, 4, proto, seg) :
		    pseudo_of(IS6, ID6, 16, proto, seg);
		set16(p->b + l4 + foff, 0);	/* ICMP: where the 7 went */
		set16(p->b + l4 + foff, csum_of(modsum(p->b + l4, seg, m)));
	}
	return l4;
}

/* A VXLAN payload: header (VNI 100), inner Ethernet, the inner packet. */
static size_t vxlan_inner(struct frame *p, int family, uint8_t proto)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 1, 2, 2, 0, 0, 0, 1, 1 };

	p->n = 0;
	putn(p, VX, 8);
	putn(p, macs, 12);
	put16(p, family == 4 ? CG_ETH_P_IP : CG_ETH_P_IPV6);
	return inner_ip(p, family, proto);
}

/* Writes the right outer UDP checksum of the IPv4 frame f (no options,
 * VLAN-free) over its datagram, and returns it. */
static uint16_t outer_csum4(struct frame *f)
{
	size_t ulen = (size_t)(f->b[38] << 8 | f->b[39]);
	uint16_t c;

	set16(f->b + 40, 0);
	c = csum_of(modsum(f->b + 34, ulen, pseudo_of(S4, D4, 4, CG_IPPROTO_UDP, ulen)));
	set16(f->b + 40, c);
	return c;
}

static void test_inner_class_vxlan(void **state)
{
	struct frame f, p;
	struct cg_ref_result r;
	size_t l4;
	uint16_t c;

	(void)state;
	/* Inner UDP intact, the outer checksum one off: bad_outer_only. */
	l4 = vxlan_inner(&p, 4, CG_IPPROTO_UDP);
	assert_int_equal(l4, 8 + 14 + 20);
	v4_frame(&f, 4789, p.b, p.n, 0);
	c = outer_csum4(&f);
	set16(f.b + 40, (uint16_t)(c == 0xfffe ? 0x1234 : c + 1));
	run(&f, &r);
	assert_verdict(&r, CG_V_BAD);
	assert_int_equal(r.cls, CG_BC_OUTER_ONLY);
	assert_int_equal(r.expected_csum, c);
	assert_false(r.repaired);	/* repair is off */
	/* A payload bit flipped after both checksums were made: bad_payload. */
	v4_frame(&f, 4789, p.b, p.n, 0);
	outer_csum4(&f);
	f.b[34 + 8 + l4 + 8 + 3] ^= 0x04;
	run(&f, &r);
	assert_verdict(&r, CG_V_BAD);
	assert_int_equal(r.cls, CG_BC_PAYLOAD);
	/* Inner UDP checksum 0 ("none", IPv4): nothing to check. */
	set16(p.b + l4 + 6, 0);
	v4_frame(&f, 4789, p.b, p.n, 0x1234);
	run(&f, &r);
	assert_verdict(&r, CG_V_BAD);
	assert_int_equal(r.cls, CG_BC_UNCLASSIFIED);
	/* Inner TCP over IPv6, the field holding the seed (the pseudo-header
	 * folded, never finished): unclassified. */
	l4 = vxlan_inner(&p, 6, CG_IPPROTO_TCP);
	set16(p.b + l4 + 16, (uint16_t)(0xffff - csum_of(pseudo_of(IS6, ID6, 16, CG_IPPROTO_TCP,
								 40))));
	v4_frame(&f, 4789, p.b, p.n, 0x1234);
	run(&f, &r);
	assert_verdict(&r, CG_V_BAD);
	assert_int_equal(r.cls, CG_BC_UNCLASSIFIED);
	assert_int_equal(cg_ref_inner_check(f.b, 34, 8 + p.n, CG_ENCAP_VXLAN), CG_ZI_UNFINISHED);
	/* ICMP (no pseudo-header) and ICMPv6 (one), intact. */
	vxlan_inner(&p, 4, CG_IPPROTO_ICMP);
	v4_frame(&f, 4789, p.b, p.n, 0x1234);
	run(&f, &r);
	assert_int_equal(r.cls, CG_BC_OUTER_ONLY);
	vxlan_inner(&p, 6, CG_IPPROTO_ICMPV6);
	v4_frame(&f, 4789, p.b, p.n, 0x1234);
	run(&f, &r);
	assert_int_equal(r.cls, CG_BC_OUTER_ONLY);
	/* ICMP over IPv6, protocol 47: nothing to check. */
	vxlan_inner(&p, 6, CG_IPPROTO_ICMP);
	v4_frame(&f, 4789, p.b, p.n, 0x1234);
	run(&f, &r);
	assert_int_equal(r.cls, CG_BC_UNCLASSIFIED);
	vxlan_inner(&p, 4, 47);
	v4_frame(&f, 4789, p.b, p.n, 0x1234);
	run(&f, &r);
	assert_int_equal(r.cls, CG_BC_UNCLASSIFIED);
	/* Empty VXLAN payload, and an inner ARP frame. */
	v4_frame(&f, 4789, VX, 8, 0x1234);
	run(&f, &r);
	assert_int_equal(r.cls, CG_BC_UNCLASSIFIED);
	vxlan_inner(&p, 4, CG_IPPROTO_UDP);
	p.b[8 + 12] = 0x08;
	p.b[8 + 13] = 0x06;
	v4_frame(&f, 4789, p.b, p.n, 0x1234);
	run(&f, &r);
	assert_int_equal(r.cls, CG_BC_UNCLASSIFIED);
}

/* cg_ref_inner_check over each encapsulation's header layout. */
static void test_inner_check_encapsulations(void **state)
{
	struct frame f, p, q;
	size_t l4;

	(void)state;
	/* Geneve, 2 option words, Ethernet, 1 VLAN tag, IPv4 TCP. */
	p.n = 0;
	putn(&p, (const uint8_t[]){ 0x02, 0, 0x65, 0x58, 0, 0, 0xc8, 0 }, 8);
	putn(&p, (const uint8_t[]){ 0x01, 0x02, 0x80, 0x01, 0xde, 0xad, 0xbe, 0xef }, 8);
	putn(&p, (const uint8_t[]){ 2, 0, 0, 0, 1, 2, 2, 0, 0, 0, 1, 1 }, 12);
	put16(&p, CG_ETH_P_8021Q);
	vlan(&p, 300, CG_ETH_P_IP);
	l4 = inner_ip(&p, 4, CG_IPPROTO_TCP);
	v4_frame(&f, 6081, p.b, p.n, 0);
	assert_int_equal(cg_ref_inner_check(f.b, 34, 8 + p.n, CG_ENCAP_GENEVE), CG_ZI_OK);
	f.b[34 + 8 + l4 + 20 + 5] ^= 1;		/* a payload bit */
	assert_int_equal(cg_ref_inner_check(f.b, 34, 8 + p.n, CG_ENCAP_GENEVE), CG_ZI_BAD);
	/* opt len 1 instead of 2: the "inner Ethernet" starts 4 bytes early. */
	f.b[34 + 8 + 5 + 0] ^= 1;
	f.b[34 + 8] = 0x01;
	assert_int_equal(cg_ref_inner_check(f.b, 34, 8 + p.n, CG_ENCAP_GENEVE), CG_ZI_UNCHECKED);
	/* Geneve version 1. */
	f.b[34 + 8] = 0x42;
	assert_int_equal(cg_ref_inner_check(f.b, 34, 8 + p.n, CG_ENCAP_GENEVE), CG_ZI_UNCHECKED);
	/* Geneve carrying IPv6 directly (protocol type 0x86DD), ICMPv6. */
	p.n = 0;
	putn(&p, (const uint8_t[]){ 0x00, 0, 0x86, 0xdd, 0, 0, 0xc8, 0 }, 8);
	inner_ip(&p, 6, CG_IPPROTO_ICMPV6);
	v6_frame(&f, 6081, p.b, p.n, 0);
	assert_int_equal(cg_ref_inner_check(f.b, 54, 8 + p.n, CG_ENCAP_GENEVE), CG_ZI_OK);
	/* ... and 0x0800 over an IPv6 inner: its version does not match. */
	f.b[54 + 8 + 2] = 0x08;
	f.b[54 + 8 + 3] = 0x00;
	assert_int_equal(cg_ref_inner_check(f.b, 54, 8 + p.n, CG_ENCAP_GENEVE), CG_ZI_UNCHECKED);
	/* GUE v0, proto 4, no extension fields. */
	p.n = 0;
	putn(&p, (const uint8_t[]){ 0x00, 4, 0, 0 }, 4);
	l4 = inner_ip(&p, 4, CG_IPPROTO_UDP);
	v4_frame(&f, 6080, p.b, p.n, 0);
	assert_int_equal(cg_ref_inner_check(f.b, 34, 8 + p.n, CG_ENCAP_GUE), CG_ZI_OK);
	/* GUE v0, proto 41, hlen 2 (flags VNI + a private word). */
	p.n = 0;
	putn(&p, (const uint8_t[]){ 0x02, 41, 0x80, 0x01, 0, 0, 0x2a, 0, 9, 9, 9, 9 }, 12);
	inner_ip(&p, 6, CG_IPPROTO_UDP);
	v4_frame(&f, 6080, p.b, p.n, 0);
	assert_int_equal(cg_ref_inner_check(f.b, 34, 8 + p.n, CG_ENCAP_GUE), CG_ZI_OK);
	/* hlen read as 1: the inner header is 4 bytes off. */
	f.b[34 + 8] = 0x01;
	assert_int_equal(cg_ref_inner_check(f.b, 34, 8 + p.n, CG_ENCAP_GUE), CG_ZI_UNCHECKED);
	/* C set: a control message. */
	f.b[34 + 8] = 0x22;
	assert_int_equal(cg_ref_inner_check(f.b, 34, 8 + p.n, CG_ENCAP_GUE), CG_ZI_UNCHECKED);
	/* GUE v1: the inner IPv4 and IPv6 headers at once. */
	p.n = 0;
	inner_ip(&p, 4, CG_IPPROTO_ICMP);
	v4_frame(&f, 6080, p.b, p.n, 0);
	assert_int_equal(cg_ref_inner_check(f.b, 34, 8 + p.n, CG_ENCAP_GUE), CG_ZI_OK);
	p.n = 0;
	inner_ip(&p, 6, CG_IPPROTO_TCP);
	v4_frame(&f, 6080, p.b, p.n, 0);
	assert_int_equal(cg_ref_inner_check(f.b, 34, 8 + p.n, CG_ENCAP_GUE), CG_ZI_OK);
	f.b[34 + 8] = 0x76;		/* version bits 01, nibble 7 */
	assert_int_equal(cg_ref_inner_check(f.b, 34, 8 + p.n, CG_ENCAP_GUE), CG_ZI_UNCHECKED);
	/* Inner IPv6 behind hop-by-hop + destination options: the pseudo-
	 * header does not change, the segment starts 16 bytes later. */
	q.n = 0;
	putn(&q, VX, 8);
	putn(&q, (const uint8_t[]){ 2, 0, 0, 0, 1, 2, 2, 0, 0, 0, 1, 1 }, 12);
	put16(&q, CG_ETH_P_IPV6);
	p.n = 0;
	inner_ip(&p, 6, CG_IPPROTO_UDP);	/* to take its L4 part */
	ipv6(&q, (uint16_t)(16 + 28), CG_IPPROTO_HOPOPTS, IS6, ID6);
	ext_opts(&q, CG_IPPROTO_DSTOPTS);
	ext_opts(&q, CG_IPPROTO_UDP);
	putn(&q, p.b + 40, 28);
	v4_frame(&f, 4789, q.b, q.n, 0);
	assert_int_equal(cg_ref_inner_check(f.b, 34, 8 + q.n, CG_ENCAP_VXLAN), CG_ZI_OK);
	/* An inner fragment header (offset 0, M set): not checked. */
	q.n = 8 + 14;
	ipv6(&q, (uint16_t)(8 + 28), CG_IPPROTO_FRAGMENT, IS6, ID6);
	ext_frag(&q, CG_IPPROTO_UDP, CG_IPV6_FRAG_MF);
	putn(&q, p.b + 40, 28);
	v4_frame(&f, 4789, q.b, q.n, 0);
	assert_int_equal(cg_ref_inner_check(f.b, 34, 8 + q.n, CG_ENCAP_VXLAN), CG_ZI_UNCHECKED);
	/* An atomic one (offset 0, M clear) is a whole packet. */
	q.n = 8 + 14;
	ipv6(&q, (uint16_t)(8 + 28), CG_IPPROTO_FRAGMENT, IS6, ID6);
	ext_frag(&q, CG_IPPROTO_UDP, 0);
	putn(&q, p.b + 40, 28);
	v4_frame(&f, 4789, q.b, q.n, 0);
	assert_int_equal(cg_ref_inner_check(f.b, 34, 8 + q.n, CG_ENCAP_VXLAN), CG_ZI_OK);
	/* An inner IPv4 fragment, and an inner packet cut short. */
	vxlan_inner(&p, 4, CG_IPPROTO_UDP);
	p.b[8 + 14 + 6] = 0x20;			/* MF */
	v4_frame(&f, 4789, p.b, p.n, 0);
	assert_int_equal(cg_ref_inner_check(f.b, 34, 8 + p.n, CG_ENCAP_VXLAN), CG_ZI_UNCHECKED);
	vxlan_inner(&p, 4, CG_IPPROTO_UDP);
	v4_frame(&f, 4789, p.b, p.n - 1, 0);	/* the datagram ends a byte early */
	assert_int_equal(cg_ref_inner_check(f.b, 34, 8 + p.n - 1, CG_ENCAP_VXLAN),
			 CG_ZI_UNCHECKED);
	/* Two inner VLAN tags are followed, a third is not. */
	q.n = 0;
	putn(&q, VX, 8);
	putn(&q, (const uint8_t[]){ 2, 0, 0, 0, 1, 2, 2, 0, 0, 0, 1, 1 }, 12);
	put16(&q, CG_ETH_P_8021AD);
	vlan(&q, 1, CG_ETH_P_8021Q);
	vlan(&q, 2, CG_ETH_P_IPV6);
	p.n = 0;
	inner_ip(&p, 6, CG_IPPROTO_UDP);
	putn(&q, p.b, p.n);
	v4_frame(&f, 4789, q.b, q.n, 0);
	assert_int_equal(cg_ref_inner_check(f.b, 34, 8 + q.n, CG_ENCAP_VXLAN), CG_ZI_OK);
	/* the second tag's next type (VXLAN 8, MACs 12, type 2, tag 4, TCI 2
	 * in): a third tag */
	f.b[34 + 8 + 28] = 0x81;
	f.b[34 + 8 + 29] = 0x00;
	assert_int_equal(cg_ref_inner_check(f.b, 34, 8 + q.n, CG_ENCAP_VXLAN), CG_ZI_UNCHECKED);
}

static void test_inner_segment_and_tail(void **state)
{
	struct frame f, p;
	size_t l4;

	(void)state;
	/* Inner UDP whose own length covers 5 bytes less than its IP payload:
	 * those 5 bytes are outside its checksum. */
	l4 = vxlan_inner(&p, 4, CG_IPPROTO_UDP);
	set16(p.b + l4 + 4, 28 - 5);
	set16(p.b + l4 + 6, 0);
	set16(p.b + l4 + 6, csum_of(modsum(p.b + l4, 23, pseudo_of(IS4, ID4, 4, CG_IPPROTO_UDP,
								    23))));
	p.b[l4 + 25] ^= 0xff;			/* not covered */
	v4_frame(&f, 4789, p.b, p.n, 0);
	assert_int_equal(cg_ref_inner_check(f.b, 34, 8 + p.n, CG_ENCAP_VXLAN), CG_ZI_OK);
	p.b[l4 + 20] ^= 0x01;			/* covered */
	v4_frame(&f, 4789, p.b, p.n, 0);
	assert_int_equal(cg_ref_inner_check(f.b, 34, 8 + p.n, CG_ENCAP_VXLAN), CG_ZI_BAD);
	/* Inner UDP length below 8 or above its payload: unchecked. */
	set16(p.b + l4 + 4, 29);
	v4_frame(&f, 4789, p.b, p.n, 0);
	assert_int_equal(cg_ref_inner_check(f.b, 34, 8 + p.n, CG_ENCAP_VXLAN), CG_ZI_UNCHECKED);
	/* Padding after the inner IP packet (inside the datagram). */
	vxlan_inner(&p, 4, CG_IPPROTO_ICMP);
	fill(&p, 0xee, 7);
	v4_frame(&f, 4789, p.b, p.n, 0);
	assert_int_equal(cg_ref_inner_check(f.b, 34, 8 + p.n, CG_ENCAP_VXLAN), CG_ZI_OK);
	/* An all-zero ICMP message sums to 0 (+0): counted as verifying. */
	memset(p.b + 8 + 14 + 20, 0, 28);
	v4_frame(&f, 4789, p.b, p.n, 0);
	assert_int_equal(cg_ref_inner_check(f.b, 34, 8 + p.n, CG_ENCAP_VXLAN), CG_ZI_OK);
}

static void test_zero_inner_audit(void **state)
{
	struct frame f, p;
	struct cg_ref_result r;
	size_t l4;

	(void)state;
	l4 = vxlan_inner(&p, 4, CG_IPPROTO_TCP);
	v4_frame(&f, 4789, p.b, p.n, 0);
	run(&f, &r);
	assert_verdict(&r, CG_V_ZERO);
	assert_int_equal(r.zero_inner, CG_ZI_OK);
	f.b[34 + 8 + l4 + 16] ^= 0x40;		/* the inner checksum itself */
	run(&f, &r);
	assert_int_equal(r.zero_inner, CG_ZI_BAD);
	/* The seed: pseudo-header folded (modsum, then 0 stands for 0xffff). */
	set16(f.b + 34 + 8 + l4 + 16, (uint16_t)(0xffff - csum_of(pseudo_of(IS4, ID4, 4,
							CG_IPPROTO_TCP, 40))));
	run(&f, &r);
	assert_int_equal(r.zero_inner, CG_ZI_UNFINISHED);
	/* IPv6 outer, inner UDP/IPv6 with checksum 0: nothing to check. */
	l4 = vxlan_inner(&p, 6, CG_IPPROTO_UDP);
	set16(p.b + l4 + 6, 0);
	v6_frame(&f, 4789, p.b, p.n, 0);
	run(&f, &r);
	assert_verdict(&r, CG_V_ZERO);
	assert_int_equal(r.zero_inner, CG_ZI_UNCHECKED);
	/* Zero outer, empty payload. */
	v4_frame(&f, 4789, VX, 8, 0);
	run(&f, &r);
	assert_int_equal(r.zero_inner, CG_ZI_UNCHECKED);
	/* Egress knows nothing of the inner audit: zero is zero. */
	vxlan_inner(&p, 4, CG_IPPROTO_UDP);
	v4_frame(&f, 4789, p.b, p.n, 0);
	{
		struct cg_ref_egress e;

		cg_ref_egress_classify(f.b, f.n, &cfg, false, 0, &e);
		assert_int_equal(e.state, CG_E_ZERO);
	}
}

static void test_ipv4_header_checksum(void **state)
{
	/* A classic example header: 4500 0073 0000 4000 4011 b861 c0a8 0001
	 * c0a8 00c7. Its words sum to 0x2fffd = 0xfffd + 2 = 0xffff. */
	static const uint8_t h[20] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
				       0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };
	uint8_t x[20];
	struct frame f;
	struct cg_ref_result r;

	(void)state;
	assert_true(cg_ref_ipv4_hdr_ok(h, 20));
	memcpy(x, h, 20);
	x[11] = 0x62;
	assert_false(cg_ref_ipv4_hdr_ok(x, 20));
	/* In a frame: bad_ip_header before everything else. */
	v4_frame(&f, 4789, VX, 16, CSUM_A);
	f.b[14 + 8] ^= 0x01;			/* TTL: the header no longer sums right */
	run(&f, &r);
	assert_verdict(&r, CG_V_BAD_IP_HEADER);
	assert_src4(&r);
	assert_pass(&r);
	v4_frame(&f, 4789, VXFLIP, 16, CSUM_A);	/* a bad datagram, a bad header */
	f.b[14 + 10] ^= 0x10;
	run(&f, &r);
	assert_verdict(&r, CG_V_BAD_IP_HEADER);
	eth(&f, CG_ETH_P_IP);			/* a fragment */
	ipv4(&f, 5, 20 + 16, CG_IPV4_MF, CG_IPPROTO_UDP, S4, D4);
	udp(&f, 40000, 4789, 24, 0xbad0);
	putn(&f, VX, 8);
	f.b[14 + 11] ^= 0x01;
	run(&f, &r);
	assert_verdict(&r, CG_V_BAD_IP_HEADER);
	/* Not a tunnel frame: no verdict at all. */
	v4_frame(&f, 53, VX, 16, CSUM_A);
	f.b[14 + 8] ^= 0x01;
	run(&f, &r);
	assert_kind(&r, CG_IF_NOT_TUNNEL);
	/* With options, the options are covered. */
	eth(&f, CG_ETH_P_IP);
	ipv4(&f, 6, 24 + 24, 0, CG_IPPROTO_UDP, S4, D4);
	putn(&f, (const uint8_t[]){ 0x94, 0x04, 0x00, 0x00 }, 4);
	ipv4_csum(&f, 14);
	udp(&f, 40000, 4789, 24, CSUM_A);
	putn(&f, VX, 16);
	run(&f, &r);
	assert_verdict(&r, CG_V_OK);
	f.b[14 + 21] ^= 0x01;			/* the option's length byte */
	run(&f, &r);
	assert_verdict(&r, CG_V_BAD_IP_HEADER);
	/* Egress does not check the header (the stack wrote it). */
	{
		struct cg_ref_egress e;

		cg_ref_egress_classify(f.b, f.n, &cfg, false, 0, &e);
		assert_int_equal(e.kind, CG_IF_TUNNEL);
		assert_int_equal(e.state, CG_E_FINAL_OK);
	}
}

static void test_repair(void **state)
{
	static const struct cg_ref_block_entry blk = {
		.addr = { .a = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 3, 17 },
			  .family = CG_AF_INET4 },
	};
	struct frame f, p;
	struct cg_ref_result r;
	uint16_t c;
	size_t l4;

	(void)state;
	cfg.flags = CG_CFG_REPAIR;
	l4 = vxlan_inner(&p, 4, CG_IPPROTO_UDP);
	v4_frame(&f, 4789, p.b, p.n, 0);
	c = outer_csum4(&f);
	set16(f.b + 40, 0x1234);
	run(&f, &r);
	assert_verdict(&r, CG_V_BAD);
	assert_int_equal(r.cls, CG_BC_OUTER_ONLY);
	assert_true(r.repaired);
	assert_int_equal(r.expected_csum, c);	/* what is written */
	assert_pass(&r);
	/* Written, it verifies. */
	set16(f.b + 40, r.expected_csum);
	run(&f, &r);
	assert_verdict(&r, CG_V_OK);
	/* Drop mode: repaired, passes; a bad_payload one is dropped. */
	cfg.mode = CG_MODE_DROP;
	set16(f.b + 40, 0x1234);
	run(&f, &r);
	assert_true(r.repaired);
	assert_pass(&r);
	set16(f.b + 40, c);
	f.b[34 + 8 + l4 + 8] ^= 0x01;
	run(&f, &r);
	assert_int_equal(r.cls, CG_BC_PAYLOAD);
	assert_false(r.repaired);
	assert_dropped(&r, CG_IF_DROP_BAD);
	/* Unclassified: not repaired (inner checksum 0). */
	f.b[34 + 8 + l4 + 8] ^= 0x01;
	set16(f.b + 34 + 8 + l4 + 6, 0);
	run(&f, &r);
	assert_int_equal(r.cls, CG_BC_UNCLASSIFIED);
	assert_false(r.repaired);
	/* Blocked: dropped, not repaired. */
	cfg.mode = CG_MODE_MONITOR;
	vxlan_inner(&p, 4, CG_IPPROTO_UDP);
	v4_frame(&f, 4789, p.b, p.n, 0x1234);
	cfg.blocks = &blk;
	cfg.nblocks = 1;
	run(&f, &r);
	assert_int_equal(r.cls, CG_BC_OUTER_ONLY);
	assert_false(r.repaired);
	assert_dropped(&r, CG_IF_DROP_BLOCKED);
	/* Repair off: the class alone. */
	cfg.nblocks = 0;
	cfg.flags = 0;
	run(&f, &r);
	assert_int_equal(r.cls, CG_BC_OUTER_ONLY);
	assert_false(r.repaired);
	/* A datagram whose right sum is 0 gets 0xffff: D's payload. */
	cfg.flags = CG_CFG_REPAIR;
	v4_frame(&f, 4789, VXZERO, 16, 0x0101);
	run(&f, &r);
	assert_verdict(&r, CG_V_BAD);
	assert_int_equal(r.expected_csum, 0xffff);
	/* (VXZERO's inner bytes are no inner packet: unclassified, so not
	 * repaired; the value it would get is still 0xffff.) */
	assert_false(r.repaired);
}

static void test_sampling(void **state)
{
	static const struct cg_ref_block_entry blk = {
		.addr = { .a = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 3, 17 },
			  .family = CG_AF_INET4 },
	};
	uint64_t left = 0;
	struct frame f, g;
	struct cg_ref_result r;
	int i, verified = 0;

	(void)state;
	cfg.sample = 3;
	cfg.sample_left = &left;
	v4_frame(&f, 4789, VXFLIP, 16, CSUM_A);	/* bad */
	v4_frame(&g, 53, VX, 16, CSUM_A);		/* not a tunnel frame */
	/* Frames 1, 4, 7 of the tunnel frames are verified; the others pass
	 * unverified; non-tunnel frames do not count. */
	for (i = 0; i < 7; i++) {
		run(&f, &r);
		if (i % 3 == 0) {
			assert_verdict(&r, CG_V_BAD);
			verified++;
		} else {
			assert_kind(&r, CG_IF_UNVERIFIED);
			assert_src4(&r);
		}
		run(&g, &r);
		assert_kind(&r, CG_IF_NOT_TUNNEL);
	}
	assert_int_equal(verified, 3);
	assert_int_equal(left, 2);
	/* Drop mode drops only the verified bad ones; the blocklist every one. */
	cfg.mode = CG_MODE_DROP;
	left = 0;
	run(&f, &r);
	assert_dropped(&r, CG_IF_DROP_BAD);
	run(&f, &r);
	assert_kind(&r, CG_IF_UNVERIFIED);
	assert_pass(&r);
	cfg.blocks = &blk;
	cfg.nblocks = 1;
	run(&f, &r);
	assert_kind(&r, CG_IF_UNVERIFIED);
	assert_dropped(&r, CG_IF_DROP_BLOCKED);
	/* sample 1 (or 0): every frame. */
	cfg.sample = 1;
	cfg.nblocks = 0;
	run(&f, &r);
	assert_verdict(&r, CG_V_BAD);
	run(&f, &r);
	assert_verdict(&r, CG_V_BAD);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		/* cg_ref_sum16 / cg_ref_fold */
		T(test_sum16_rfc1071_example),
		T(test_sum16_odd_length),
		T(test_fold_multiple_carries),
		T(test_sum16_all_ones),
		/* cg_ref_udp_csum / cg_ref_pseudo_seed */
		T(test_pseudo_seed),
		T(test_udp_csum_ipv4),
		T(test_udp_csum_ipv6),
		T(test_udp_csum_odd_length),
		T(test_udp_csum_zero_sent_as_ffff),
		T(test_udp_csum_header_only),
		/* cg_ref_egress_classify */
		T(test_egress_final_offloaded_zero_v4),
		T(test_egress_gso),
		T(test_egress_not_judged),
		T(test_egress_lco),
		/* cg_ref_classify: verdicts */
		T(test_config_default),
		T(test_ok_vxlan_ipv4),
		T(test_ok_vxlan_linux_port),
		T(test_ok_geneve_ipv6),
		T(test_ok_odd_payload),
		T(test_ok_computes_zero_sent_as_ffff),
		T(test_ok_header_only),
		T(test_bad_flipped_payload_bit),
		T(test_bad_wrong_field),
		T(test_unfinished_seed),
		T(test_zero_ipv4),
		T(test_zero_ipv6),
		/* fragments */
		T(test_fragment_ipv4_first),
		T(test_fragment_ipv4_later),
		T(test_fragment_ipv6),
		T(test_fragment_not_udp),
		T(test_ipv6_atomic_fragment),
		/* lengths */
		T(test_malformed_udp_len_short),
		T(test_malformed_udp_len_beyond_ip),
		T(test_udp_len_shorter_than_ip_payload),
		T(test_ethernet_padding),
		T(test_udp_header_truncated),
		/* L2 / L3 parsing */
		T(test_vlan_one_tag),
		T(test_vlan_two_tags),
		T(test_vlan_third_tag_unparsed),
		T(test_ipv4_options),
		T(test_ipv4_header_invalid),
		T(test_ipv6_hbh_and_dstopts),
		T(test_ipv6_routing_header),
		T(test_ipv6_extension_limits),
		T(test_ipv6_header_invalid),
		T(test_truncated_ethernet),
		T(test_not_tunnel),
		T(test_gue_only_when_configured),
		/* actions */
		T(test_monitor_passes_bad),
		T(test_drop_mode_drops_exactly_bad),
		T(test_blocked_tunnel_dropped_in_monitor),
		T(test_blocked_bad_in_drop_mode),
		T(test_blocked_all_traffic),
		T(test_blocked_fragments),
		T(test_blocked_ipv6_source),
		T(test_blocked_unparsed_dropped),
		/* issue 10 */
		T(test_inner_class_vxlan),
		T(test_inner_check_encapsulations),
		T(test_inner_segment_and_tail),
		T(test_zero_inner_audit),
		T(test_ipv4_header_checksum),
		T(test_repair),
		T(test_sampling),
	};

	/* test_NAME PATTERN runs the tests whose name matches (* and ?) */
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("refcheck", tests, NULL, NULL);
}
