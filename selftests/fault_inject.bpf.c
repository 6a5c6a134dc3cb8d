// SPDX-License-Identifier: GPL-2.0
/*
 * fault_inject.bpf.c - TEST ONLY. A TC egress program that plays the buggy
 * NIC of the first seed: it corrupts the outer UDP checksum of a chosen
 * fraction of the tunnel datagrams leaving a lab node, and counts exactly how
 * many it corrupted. That count is the independent expectation the
 * end-to-end tests hold csumguard (and the receiving kernel) to.
 *
 * It lives in selftests/ and nowhere else: no production program includes
 * it, and nothing but scripts/lab.sh attaches it (clsact egress, via tc).
 * It returns TC_ACT_UNSPEC ("go on"), never TC_ACT_OK, which would end the
 * clsact chain: as the "NIC" it sits after csumguard's egress filter, as the
 * "stack bug" (lab_stack_bug) before it, and neither hides packets.
 *
 * Where the checksum is at TC egress (SPEC 6, Linux udp_set_csum):
 *  - "final": the stack already wrote the finished value (local checksum
 *    offload, when the inner packet's own checksum is partial). We replace
 *    it by a wrong value.
 *  - "partial": the field holds the folded pseudo-header sum (the seed) and
 *    skb_checksum_help() (or a NIC) finishes it after us by summing the
 *    datagram, field included. Changing the seed by d changes the final
 *    value by -d, so the packet leaves bad all the same.
 * Either way the value the receiver will see is computed here and chosen so
 * that it is neither right, nor 0 ("no checksum"), nor the seed (which
 * csumguard would rightly call "unfinished"): every corrupted packet is
 * "bad", exactly, on the wire.
 *
 * Config (map fi_cfg, slot 0) and counters (map fi_stats, slot 0) are read
 * and written with bpftool by scripts/lab.sh. Not for speed: it sums the
 * datagram with bpf_skb_load_bytes, independent of the production code.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "csum_fold.bpf.h"

#define ETH_HLEN	14
#define ETH_P_IP	0x0800
#define ETH_P_IPV6	0x86DD
#define IPPROTO_UDP_	17
#define FI_CHUNK	256
#define FI_MAX_ULEN	(FI_CHUNK * 40)	/* 10240: jumbo frames fit */
#define FI_PPM		1000000

/* Which datagrams the rate applies to (fi_cfg.flags; 0: all). */
#define FI_ONLY_PARTIAL	1	/* the seed in the field: a NIC's offload bug (seed 000) */
#define FI_ONLY_FINAL	2	/* a finished value: a bug in the sender's own stack */
/* What is corrupted instead of the outer checksum (issue 10):
 *  FI_PAYLOAD: one bit of the inner payload of a VXLAN datagram carrying
 *    ICMP or ICMPv6 whose outer field holds the seed (ICMP checksums are
 *    always computed in software, so the inner one is final here and stays
 *    as it was: now wrong). The seed is moved by the word's change, so the
 *    value skb_checksum_help (or the NIC) finishes is the one the original
 *    bytes had: the outer checksum is wrong on the wire too. What the
 *    receiver must call bad_payload; counted payload_corrupted.
 *  FI_INNER: the inner ICMP/ICMPv6/TCP/UDP checksum field of a VXLAN
 *    datagram whose outer checksum is 0 (noudpcsum): off by 1..4, never
 *    onto an equivalent value. What the receiver must call zero_inner_bad;
 *    counted inner_corrupted (zero_seen: such datagrams examined). */
#define FI_PAYLOAD	4
#define FI_INNER	8

struct fi_cfg {
	__u32 rate_ppm;		/* corrupt this many per million tunnel datagrams */
	__u16 dport;		/* UDP destination port (host order); 0 means 4789 */
	__u16 flags;		/* FI_ONLY_*, or 0 */
};

/* Counters, one slot, updated atomically (several CPUs transmit). */
struct fi_stats {
	__u64 seen;		/* tunnel datagrams examined */
	__u64 corrupted;	/* of those, sent with a bad outer checksum */
	__u64 partial;		/* seen with the seed in the field (finished later) */
	__u64 final;		/* seen with a finished value in the field */
	__u64 skipped_gso;	/* GSO packets: left alone (one skb, many packets) */
	__u64 skipped_other;	/* zero checksum, too long, or unreadable: left alone */
	__u64 payload_corrupted;	/* FI_PAYLOAD: inner payload bit flipped */
	__u64 inner_corrupted;	/* FI_INNER: inner checksum of a zero-checksum datagram */
	__u64 zero_seen;	/* tunnel datagrams with outer checksum 0 */
	__u64 payload_eligible;	/* FI_PAYLOAD: datagrams it could have corrupted */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fi_cfg);
} fi_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fi_stats);
} fi_stats SEC(".maps");

struct fi_buf {
	__u8 b[FI_CHUNK];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fi_buf);
} fi_buf SEC(".maps");

/* All sums in memory (native) order: the one's-complement sum does not care
 * (folding: csum_fold64, shared with the validator). */
static __always_inline __u16 add16(__u16 a, __u16 b)
{
	__u32 s = (__u32)a + b;

	return (__u16)((s & 0xffff) + (s >> 16));
}

static __always_inline __u64 sum_words(const __u8 *p, int n)
{
	__u64 s = 0;
	__u16 w;
	int i;

	for (i = 0; i + 1 < n; i += 2) {
		__builtin_memcpy(&w, p + i, 2);
		s += w;
	}
	return s;
}

/* Sums n (1..FI_CHUNK) bytes of the skb from off, odd tail padded with zero,
 * folded to 16 bits; -1 if they cannot be read. A global function, so the
 * verifier checks it once and not once per chunk of the caller's loop. */
__noinline int sum_chunk(struct __sk_buff *skb, __u32 off, __u32 n)
{
	struct fi_buf *buf;
	__u32 zero = 0, *w;
	__u64 s = 0;
	int i;

	buf = bpf_map_lookup_elem(&fi_buf, &zero);
	if (!buf || n < 1 || n > FI_CHUNK)
		return -1;
	__builtin_memset(buf->b, 0, FI_CHUNK);
	if (bpf_skb_load_bytes(skb, off, buf->b, n))
		return -1;
	w = (__u32 *)buf->b;
	for (i = 0; i < FI_CHUNK / 4; i++)
		s += w[i];
	return csum_fold64(s);
}

/* Sums ulen bytes of the skb from off. Returns the sum, or 1 << 63 when a
 * load failed. Chunks are multiples of 4 bytes, so words stay aligned. */
static __always_inline __u64 sum_skb(struct __sk_buff *skb, __u32 off, __u32 ulen)
{
	__u32 done = 0, n;
	__u64 s = 0;
	int c, r;

	for (c = 0; c < FI_MAX_ULEN / FI_CHUNK; c++) {
		if (done >= ulen)
			break;
		n = ulen - done;
		if (n > FI_CHUNK)
			n = FI_CHUNK;
		r = sum_chunk(skb, off + done, n);
		if (r < 0)
			return 1ULL << 63;
		s += r;
		done += n;
	}
	return s;
}

static __always_inline void count(__u64 *field)
{
	__sync_fetch_and_add(field, 1);
}

/* The inner L4 header of a VXLAN datagram at l4 (its own parse, independent
 * of csumguard's: inner Ethernet without tags, IPv4 or IPv6 without
 * extension headers). Returns its offset and sets *proto, or 0. */
static __always_inline __u32 inner_l4(struct __sk_buff *skb, __u32 l4, __u32 ulen, __u8 *proto)
{
	__u32 in = l4 + 8 + 8;		/* UDP, VXLAN */
	__u16 et;
	__u8 b[10];

	if (ulen < 8 + 8 + ETH_HLEN + 40 || bpf_skb_load_bytes(skb, in + 12, &et, 2))
		return 0;
	in += ETH_HLEN;
	if (bpf_skb_load_bytes(skb, in, b, sizeof(b)))
		return 0;
	if (et == bpf_htons(ETH_P_IP) && (b[0] >> 4) == 4) {
		*proto = b[9];
		return in + (b[0] & 0xf) * 4;
	}
	if (et == bpf_htons(ETH_P_IPV6) && (b[0] >> 4) == 6) {
		*proto = b[6];
		return in + 40;
	}
	return 0;
}

/* FI_INNER: the inner checksum of a zero-checksum datagram, off by d. */
static __always_inline int corrupt_inner_csum(struct __sk_buff *skb, __u32 l4, __u32 ulen)
{
	__u32 il4, foff;
	__u16 c, want;
	__u8 proto;
	int d;

	il4 = inner_l4(skb, l4, ulen, &proto);
	if (!il4)
		return -1;
	foff = proto == 1 || proto == 58 ? 2 : proto == 6 ? 16 : proto == IPPROTO_UDP_ ? 6 : 0;
	if (!foff || il4 + foff + 2 > l4 + ulen || bpf_skb_load_bytes(skb, il4 + foff, &c, 2))
		return -1;
	if (proto == IPPROTO_UDP_ && c == 0)
		return -1;		/* "no checksum": nothing to corrupt */
	/* 0 and 0xffff are one value in one's complement: skip onto neither */
	for (d = 1; d <= 4; d++) {
		want = add16(c, (__u16)d);
		if (want != 0 && want != 0xffff)
			break;
	}
	return bpf_skb_store_bytes(skb, il4 + foff, &want, 2, 0) ? -1 : 0;
}

/* FI_PAYLOAD: one bit of an ICMP/ICMPv6 inner payload flipped, the seed in
 * the outer field moved by the change of its 16-bit word (both at even
 * offsets from the UDP header: the same lanes), so the finished value stays
 * what the original bytes had. total: the datagram's sum now (seed in). */
static __always_inline int corrupt_payload(struct __sk_buff *skb, __u32 l4, __u32 ulen,
					   __u16 seed, __u64 total)
{
	__u32 il4, w;
	__u16 old, new, f, fin;
	__u8 proto;

	il4 = inner_l4(skb, l4, ulen, &proto);
	if (!il4 || (proto != 1 && proto != 58))
		return -1;
	w = il4 + 8 + 2;		/* the payload's second word */
	if (w + 2 > l4 + ulen || ((w - l4) & 1) || bpf_skb_load_bytes(skb, w, &old, 2))
		return -1;
	/* What will leave: ~fold(total), the same as before the change. The
	 * receiver must see it bad, not "unfinished" (the seed) or 0. */
	fin = (__u16)~csum_fold64(total);
	if (fin == seed || fin == 0 || fin == 0xffff)
		return -1;
	new = old ^ bpf_htons(0x0100);
	f = add16(add16(seed, old), (__u16)~new);	/* seed + old - new */
	if (bpf_skb_store_bytes(skb, w, &new, 2, 0) || bpf_skb_store_bytes(skb, l4 + 6, &f, 2, 0))
		return -1;
	return 0;
}

SEC("tc")
int fault_inject(struct __sk_buff *skb)
{
	__u32 zero = 0, l3 = ETH_HLEN, l4, alen, rnd;
	__u16 eth_proto, ulen, field, seed, want, dport, udp[4];
	__u8 addrs[32], proto;
	struct fi_stats *st;
	struct fi_cfg *cfg;
	__u64 pseudo, total;
	int d;

	cfg = bpf_map_lookup_elem(&fi_cfg, &zero);
	st = bpf_map_lookup_elem(&fi_stats, &zero);
	if (!cfg || !st)
		return TC_ACT_UNSPEC;
	dport = cfg->dport ? cfg->dport : 4789;

	if (bpf_skb_load_bytes(skb, 12, &eth_proto, 2))
		return TC_ACT_UNSPEC;
	if (eth_proto == bpf_htons(ETH_P_IP)) {
		__u8 vihl;

		if (bpf_skb_load_bytes(skb, l3, &vihl, 1) ||
		    bpf_skb_load_bytes(skb, l3 + 9, &proto, 1) ||
		    bpf_skb_load_bytes(skb, l3 + 12, addrs, 8))
			return TC_ACT_UNSPEC;
		if ((vihl >> 4) != 4 || (vihl & 0xf) < 5)
			return TC_ACT_UNSPEC;
		l4 = l3 + (vihl & 0xf) * 4;
		alen = 4;
	} else if (eth_proto == bpf_htons(ETH_P_IPV6)) {
		if (bpf_skb_load_bytes(skb, l3 + 6, &proto, 1) ||
		    bpf_skb_load_bytes(skb, l3 + 8, addrs, 32))
			return TC_ACT_UNSPEC;
		l4 = l3 + 40;
		alen = 16;
	} else {
		return TC_ACT_UNSPEC;
	}
	if (proto != IPPROTO_UDP_ || bpf_skb_load_bytes(skb, l4, udp, 8))
		return TC_ACT_UNSPEC;	/* fragments never carry 4789 here: no check */
	if (udp[1] != bpf_htons(dport))
		return TC_ACT_UNSPEC;

	if (skb->gso_segs > 1 || skb->gso_size) {
		count(&st->skipped_gso);
		return TC_ACT_UNSPEC;
	}
	ulen = bpf_ntohs(udp[2]);
	field = udp[3];
	if (field == 0 && ulen >= 8 && l4 + ulen <= skb->len) {
		count(&st->zero_seen);
		if ((cfg->flags & FI_INNER) && bpf_get_prandom_u32() % FI_PPM < cfg->rate_ppm &&
		    !corrupt_inner_csum(skb, l4, ulen))
			count(&st->inner_corrupted);
		return TC_ACT_UNSPEC;
	}
	if (field == 0 || ulen < 8 || ulen > FI_MAX_ULEN || l4 + ulen > skb->len) {
		count(&st->skipped_other);
		return TC_ACT_UNSPEC;
	}

	/* The seed: folded pseudo-header sum (addresses, protocol, length). */
	pseudo = bpf_htons(IPPROTO_UDP_) + udp[2];
	pseudo += sum_words(addrs, alen == 4 ? 8 : 32);
	seed = csum_fold64(pseudo);

	count(&st->seen);
	if (field == seed)
		count(&st->partial);
	else
		count(&st->final);

	if (cfg->flags & FI_INNER)
		return TC_ACT_UNSPEC;	/* only zero-checksum datagrams */
	if (((cfg->flags & FI_ONLY_PARTIAL) && field != seed) ||
	    ((cfg->flags & FI_ONLY_FINAL) && field == seed) ||
	    ((cfg->flags & FI_PAYLOAD) && field != seed))
		return TC_ACT_UNSPEC;
	if (cfg->flags & FI_PAYLOAD) {
		__u8 proto;

		if (!inner_l4(skb, l4, ulen, &proto) || (proto != 1 && proto != 58))
			return TC_ACT_UNSPEC;
		count(&st->payload_eligible);
		if (bpf_get_prandom_u32() % FI_PPM >= cfg->rate_ppm)
			return TC_ACT_UNSPEC;
		total = sum_skb(skb, l4, ulen);
		if (!(total >> 63) && !corrupt_payload(skb, l4, ulen, seed, total))
			count(&st->payload_corrupted);
		else
			count(&st->skipped_other);
		return TC_ACT_UNSPEC;
	}
	rnd = bpf_get_prandom_u32() % FI_PPM;
	if (rnd >= cfg->rate_ppm)
		return TC_ACT_UNSPEC;

	if (field == seed) {
		/* Partial: the value that will leave is ~csum_fold64(T) with T the
		 * sum of the datagram as it is now (the seed in the field).
		 * Adding d to the field makes it ~csum_fold64(T + d). */
		total = sum_skb(skb, l4, ulen);
		if (total >> 63) {
			count(&st->skipped_other);
			return TC_ACT_UNSPEC;
		}
		for (d = 1; d <= 4; d++) {
			want = (__u16)~csum_fold64(total + d);
			if (want != seed && want != 0 && want != 0xffff)
				break;
		}
		want = add16(field, (__u16)d);
	} else {
		/* Final: what we write is what leaves. */
		for (d = 1; d <= 4; d++) {
			want = add16(field, (__u16)d);
			if (want != seed && want != 0 && want != 0xffff)
				break;
		}
	}
	/* No checksum fix-up flags: the wrong value is the point. */
	if (bpf_skb_store_bytes(skb, l4 + 6, &want, 2, 0)) {
		count(&st->skipped_other);
		return TC_ACT_UNSPEC;
	}
	count(&st->corrupted);
	return TC_ACT_UNSPEC;
}

char LICENSE[] SEC("license") = "GPL";
