// SPDX-License-Identifier: GPL-2.0
/*
 * csumguard.bpf.c - XDP ingress validator of outer UDP checksums of tunnel
 * traffic (VXLAN, Geneve, GUE), counted per source node. SPEC 2.
 *
 * Fail open: a frame we cannot parse, cannot sum or cannot account passes,
 * and is counted. Only two things are ever dropped: a bad tunnel frame in
 * drop mode, and a blocklisted source's tunnel frames (all its IP frames if
 * its entry says so).
 */
#include <linux/bpf.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "csumguard.h"
#include "cg_wire.h"
#include "csum.bpf.h"
#include "parse.bpf.h"

/* UDP destination port -> enum cg_encap. An array, so the per-packet lookup
 * is inlined by the verifier (no helper call). Filled by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CG_PORT_TABLE_SIZE);
	__type(key, __u32);
	__type(value, __u32);
} cg_ports SEC(".maps");

/* Per-source counters. LRU: a flood of spoofed sources evicts old entries
 * instead of failing; max_entries is set by the loader (--sources). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, CG_SRC_TABLE_DEFAULT);
	__type(key, struct cg_addr);
	__type(value, struct cg_src_stats);
} cg_src SEC(".maps");

/* Per-interface totals of this attachment. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cg_iface_stats);
} cg_iface SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cg_config);
} cg_config SEC(".maps");

/* Blocked sources. A plain hash, never evicted: a flood cannot push an
 * entry out (SPEC 6). Shared by every attachment. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CG_BLOCKLIST_MAX);
	__type(key, struct cg_addr);
	__type(value, struct cg_block);
} cg_blocklist SEC(".maps");

/* Number of entries in cg_blocklist, kept by the loader. While it is 0 the
 * blocklist lookup (a hash of 16 bytes, ~7 ns) is skipped: an inlined array
 * read instead. Shared like the blocklist. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cg_block_count SEC(".maps");

/*
 * Verdict on one tunnel datagram whose UDP header is at pk->l4 (in the linear
 * area). Returns CG_IF_TUNNEL with *v set, or CG_IF_UNCHECKED when the sum
 * could not be computed (never a guess).
 */
static __always_inline enum cg_iface_counter
udp_verdict(struct xdp_md *ctx, struct udphdr *uh, const struct cg_pkt *pk,
	    __s64 linear_len, enum cg_verdict *v)
{
	__u32 ulen = bpf_ntohs(uh->len), words;
	__s64 in_linear;
	__u64 sum, part;

	if (ulen < CG_UDP_HLEN || ulen > pk->ip_end - pk->l4) {
		*v = CG_V_MALFORMED;
		return CG_IF_TUNNEL;
	}
	if (uh->check == 0) {
		*v = CG_V_ZERO;
		return CG_IF_TUNNEL;
	}
	sum = pk->pseudo + uh->len;

	/* Bytes in the linear area are summed in place; a multi-buffer
	 * frame's rest goes through the bounce buffer. The split point is a
	 * multiple of 4 from the datagram start so both parts align. */
	in_linear = linear_len - pk->l4;
	if (in_linear >= ulen) {
		part = cg_sum_linear(ctx, pk->l4, ulen);
		if (part & CG_SUM_ERR)
			return CG_IF_UNCHECKED;
		sum += part;
	} else {
		words = (__u32)in_linear & ~3U;
		part = cg_sum_linear(ctx, pk->l4, words);
		if (part & CG_SUM_ERR)
			return CG_IF_UNCHECKED;
		sum += part;
		part = cg_sum_frags(ctx, pk->l4 + words, ulen - words);
		if (part & CG_SUM_ERR)
			return CG_IF_UNCHECKED;
		sum += part;
	}

	/* Summing every word, the stored field included, gives 0xffff
	 * (negative zero) exactly when the checksum verifies. */
	if (csum_fold64(sum) == 0xffff)
		*v = CG_V_OK;
	/* The field holds the folded pseudo-header sum: what Linux stores
	 * for CHECKSUM_PARTIAL, to be finished by the NIC (SPEC 2.7). */
	else if (uh->check == csum_fold64(pk->pseudo + uh->len))
		*v = CG_V_UNFINISHED;
	else
		*v = CG_V_BAD;
	return CG_IF_TUNNEL;
}

/* Records a verdict for a source. Returns 0, or -1 if it had no slot. */
static __always_inline int account_source(const struct cg_addr *src, enum cg_verdict v,
					  __u64 bytes, int dropped)
{
	struct cg_src_stats *st;

	st = bpf_map_lookup_elem(&cg_src, src);
	if (!st) {
		struct cg_src_stats fresh = {};

		/* EEXIST: another CPU inserted it first, fine. */
		bpf_map_update_elem(&cg_src, src, &fresh, BPF_NOEXIST);
		st = bpf_map_lookup_elem(&cg_src, src);
		if (!st)
			return -1;
	}
	st->packets++;
	st->bytes += bytes;
	if (v < CG_VERDICT_MAX)
		st->verdict[v]++;
	if (dropped)
		st->dropped++;
	if (v == CG_V_BAD)
		st->last_bad_ns = bpf_ktime_get_boot_ns();
	return 0;
}

SEC("xdp.frags")
int csumguard_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__s64 linear_len = data_end - data;	/* 64-bit: no 32-bit pointer math */
	__u32 frame_len, off = 0, zero = 0;
	enum cg_iface_counter kind, drop_reason = CG_IF_FRAMES;
	enum cg_verdict v = CG_V_MALFORMED;
	struct cg_iface_stats *ifs;
	struct cg_config *cfg;
	struct cg_block *blk;
	__u32 *nblocked;
	struct cg_pkt pk = {};
	int tunnel_port = 0;
	int proto;

	ifs = bpf_map_lookup_elem(&cg_iface, &zero);
	cfg = bpf_map_lookup_elem(&cg_config, &zero);
	if (!ifs || !cfg)
		return XDP_PASS;
	ifs->c[CG_IF_FRAMES]++;
	frame_len = bpf_xdp_get_buff_len(ctx);

	proto = parse_eth(data, data_end, &off);
	if (proto == CG_ETH_P_IP)
		kind = parse_ipv4(data, data_end, off, frame_len, &pk);
	else if (proto == CG_ETH_P_IPV6)
		kind = parse_ipv6(data, data_end, off, frame_len, &pk);
	else
		kind = proto < 0 ? CG_IF_UNPARSED : CG_IF_NOT_TUNNEL;
	if (kind != CG_IF_TUNNEL)
		goto out_pass;

	if (pk.proto != CG_IPPROTO_UDP) {
		kind = CG_IF_NOT_TUNNEL;
	} else if (pk.fragment) {
		/* No checksum can be checked on a fragment; a non-first one
		 * shows no port, so every UDP fragment is counted. */
		__u16 *ports = pkt_at(data, pk.l4, 4);

		kind = CG_IF_TUNNEL;
		v = CG_V_FRAGMENT;
		if (pk.first_fragment && pk.ip_end - pk.l4 >= 4 &&
		    ports && (void *)(ports + 2) <= data_end) {
			__u32 dport = bpf_ntohs(ports[1]);
			__u32 *enc = bpf_map_lookup_elem(&cg_ports, &dport);

			tunnel_port = enc && *enc != CG_ENCAP_NONE;
		}
	} else {
		struct udphdr *uh = pkt_at(data, pk.l4, CG_UDP_HLEN);
		__u32 dport, *enc;

		if (pk.ip_end - pk.l4 < CG_UDP_HLEN || !uh || (void *)(uh + 1) > data_end) {
			kind = CG_IF_UNPARSED;
			goto out_pass;
		}
		dport = bpf_ntohs(uh->dest);
		enc = bpf_map_lookup_elem(&cg_ports, &dport);
		if (!enc || *enc == CG_ENCAP_NONE) {
			kind = CG_IF_NOT_TUNNEL;
		} else {
			tunnel_port = 1;
			kind = udp_verdict(ctx, uh, &pk, linear_len, &v);
		}
	}

	/* Action. A blocked source loses its tunnel frames in any mode (and
	 * everything else too if its entry says so); a bad frame is dropped
	 * in drop mode. Nothing else is ever dropped. */
	nblocked = bpf_map_lookup_elem(&cg_block_count, &zero);
	blk = nblocked && *nblocked ? bpf_map_lookup_elem(&cg_blocklist, &pk.src) : NULL;
	if (blk && (tunnel_port || (blk->flags & CG_BLOCK_ALL_TRAFFIC)))
		drop_reason = CG_IF_DROP_BLOCKED;
	else if (kind == CG_IF_TUNNEL && v == CG_V_BAD && cfg->mode == CG_MODE_DROP)
		drop_reason = CG_IF_DROP_BAD;

	if (kind == CG_IF_TUNNEL) {
		if (v < CG_VERDICT_MAX)
			ifs->verdict[v]++;
		if (account_source(&pk.src, v, frame_len, drop_reason != CG_IF_FRAMES))
			ifs->c[CG_IF_UNACCOUNTED]++;
	}
	if (kind < CG_IFACE_COUNTER_MAX)
		ifs->c[kind]++;
	if (drop_reason != CG_IF_FRAMES && drop_reason < CG_IFACE_COUNTER_MAX) {
		ifs->c[drop_reason]++;
		return XDP_DROP;
	}
	return XDP_PASS;

out_pass:
	if (kind < CG_IFACE_COUNTER_MAX)
		ifs->c[kind]++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
