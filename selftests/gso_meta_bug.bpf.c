// SPDX-License-Identifier: GPL-2.0
/*
 * gso_meta_bug.bpf.c - TEST ONLY: a TC egress program that plays seed 003's
 * bug (an encapsulation path in the sender's own stack that leaves the skb's
 * tunnel metadata stale). It VXLAN-encapsulates plain GSO TCP super-packets
 * to one TCP port with bpf_skb_adjust_room(BPF_ADJ_ROOM_MAC) WITHOUT the
 * BPF_F_ADJ_ROOM_ENCAP_* flags: the bytes become a well-formed VXLAN
 * datagram (outer IPv4 + UDP 4789, checksum 0 + VXLAN + inner Ethernet), but
 * the kernel is never told: skb->encapsulation stays 0, the inner header
 * offsets are never set, transport_header still points at the TCP header,
 * gso_type says plain TCP. csumguard's facts program, placed after it on the
 * same egress hook, must count these as gso_meta_bad for the outer
 * destination (selftests/e2e/run.sh, egress_gsometa). Non-GSO packets of
 * the flow pass untouched.
 *
 * Configured through gmb_cfg, counts in gmb_stats (user space: bpftool).
 * Returns TC_ACT_UNSPEC ("continue"): with direct-action, TC_ACT_OK would
 * end the filter chain and csumguard, the next filter, would never run.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define ETH_HLEN	14
#define ENCAP_LEN	(20 + 8 + 8 + ETH_HLEN)	/* outer IPv4, UDP, VXLAN, inner Ethernet */

struct gmb_cfg {
	__u32 tcp_dport;	/* host order; 0: off */
	__u32 outer_daddr;	/* network order */
	__u32 vni;		/* host order */
	__u32 pad;
};

struct gmb_stats {
	__u64 encapsulated;	/* GSO skbs turned into VXLAN datagrams */
	__u64 failed;		/* adjust_room or a store refused */
	__u64 too_big;		/* would exceed 65535 bytes of IPv4: left alone */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gmb_cfg);
} gmb_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gmb_stats);
} gmb_stats SEC(".maps");

struct outer {
	__u8 ip[20];
	__u8 udp[8];
	__u8 vxlan[8];
	__u8 eth[ETH_HLEN];
} __attribute__((packed));

static __always_inline __u16 fold(__u64 s)
{
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (__u16)s;
}

SEC("tc")
int gso_meta_bug(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *data_end = (void *)(long)skb->data_end;
	struct outer o = {};
	struct gmb_stats *st;
	struct gmb_cfg *cfg;
	__u32 zero = 0, tot, saddr, i;
	__u8 *ip, ihl;
	__u16 *w;
	__u64 sum = 0;

	cfg = bpf_map_lookup_elem(&gmb_cfg, &zero);
	st = bpf_map_lookup_elem(&gmb_stats, &zero);
	if (!cfg || !st || !cfg->tcp_dport || !skb->gso_size)
		return TC_ACT_UNSPEC;
	ip = data + ETH_HLEN;
	if ((void *)(ip + 20) > data_end || *(__be16 *)(ip - 2) != bpf_htons(0x0800) ||
	    ip[9] != 6)
		return TC_ACT_UNSPEC;
	ihl = (ip[0] & 0x0f) * 4;
	if (ihl != 20 || (void *)(ip + 24) > data_end ||
	    bpf_ntohs(*(__be16 *)(ip + 22)) != cfg->tcp_dport)
		return TC_ACT_UNSPEC;
	saddr = *(__u32 *)(ip + 12);
	tot = skb->len - ETH_HLEN + ENCAP_LEN;
	if (tot > 0xffff) {
		st->too_big++;
		return TC_ACT_UNSPEC;
	}

	/* The bug: room after the MAC header, no BPF_F_ADJ_ROOM_ENCAP_*. */
	if (bpf_skb_adjust_room(skb, ENCAP_LEN, BPF_ADJ_ROOM_MAC, 0)) {
		st->failed++;
		return TC_ACT_UNSPEC;
	}
	o.ip[0] = 0x45;
	*(__be16 *)&o.ip[2] = bpf_htons(tot);
	*(__be16 *)&o.ip[6] = bpf_htons(0x4000);	/* DF */
	o.ip[8] = 64;
	o.ip[9] = 17;
	*(__u32 *)&o.ip[12] = saddr;
	*(__u32 *)&o.ip[16] = cfg->outer_daddr;
	w = (__u16 *)o.ip;
#pragma unroll
	for (i = 0; i < 10; i++)
		sum += w[i];
	*(__u16 *)&o.ip[10] = ~fold(sum);
	*(__be16 *)&o.udp[0] = bpf_htons(49152);
	*(__be16 *)&o.udp[2] = bpf_htons(4789);
	*(__be16 *)&o.udp[4] = bpf_htons(tot - 20);	/* checksum 0: none */
	o.vxlan[0] = 0x08;
	o.vxlan[4] = cfg->vni >> 16;
	o.vxlan[5] = cfg->vni >> 8;
	o.vxlan[6] = cfg->vni;
	o.eth[0] = 0x02;		/* inner MACs: 02:00:00:00:00:01 <- 02:00:00:00:00:02 */
	o.eth[5] = 0x01;
	o.eth[6] = 0x02;
	o.eth[11] = 0x02;
	*(__be16 *)&o.eth[12] = bpf_htons(0x0800);
	if (bpf_skb_store_bytes(skb, ETH_HLEN, &o, sizeof(o), 0)) {
		st->failed++;
		return TC_ACT_SHOT;	/* half-written: not sent */
	}
	st->encapsulated++;
	return TC_ACT_UNSPEC;
}

char LICENSE[] SEC("license") = "GPL";
