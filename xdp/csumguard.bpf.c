// SPDX-License-Identifier: GPL-2.0
/*
 * csumguard.bpf.c - XDP ingress validator of outer UDP checksums of tunnel
 * traffic (VXLAN, Geneve, GUE), counted per source node. SPEC 2.
 *
 * Fail open: a frame we cannot parse, cannot sum or cannot account passes,
 * and is counted. Only two things are ever dropped: a bad tunnel frame in
 * drop mode, and a blocklisted source's frames that are not proven non-tunnel
 * (all its IP frames if its entry says so).
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

/* Rows of blocked sources: a plain per-CPU hash (no LRU), so a spoofed-source
 * flood that churns cg_src cannot push them out (SPEC 2.9). Allocated on
 * insert (BPF_F_NO_PREALLOC): it costs memory only for the few rows it holds,
 * not max_entries x possible CPUs. User space moves a source's cg_src row here
 * when it blocks it; stats adds the two maps up by address. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, CG_SRC_KEPT_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct cg_addr);
	__type(value, struct cg_src_stats);
} cg_src_kept SEC(".maps");

/* What happened to one frame, for the per-source row. */
struct cg_event {
	enum cg_verdict v;	/* CG_VERDICT_MAX: no verdict (unparsed) */
	__u64 bytes;
	int dropped;
};

/* The source's row in map (inserted when missing), or NULL when the map has
 * no room. Sets *inserted when this call created the row. */
static __always_inline struct cg_src_stats *src_row(void *map, const struct cg_addr *src,
						    int *inserted)
{
	struct cg_src_stats *st = bpf_map_lookup_elem(map, src);

	if (!st) {
		struct cg_src_stats fresh = {};

		/* EEXIST: another CPU inserted it first, fine (not ours). */
		*inserted = !bpf_map_update_elem(map, src, &fresh, BPF_NOEXIST);
		st = bpf_map_lookup_elem(map, src);
	}
	return st;
}

/* Records one frame for a source: in cg_src_kept if it is blocked (falling
 * back to cg_src when that is full), else in cg_src. Returns 0, or -1 if it
 * had no slot. */
static __always_inline int account_source(const struct cg_addr *src, const struct cg_event *ev,
					  int blocked, struct cg_iface_stats *ifs)
{
	struct cg_src_stats *st = NULL;
	int inserted = 0;

	if (blocked)
		st = src_row(&cg_src_kept, src, &inserted);
	if (!st) {
		inserted = 0;
		st = src_row(&cg_src, src, &inserted);
		if (inserted)
			ifs->c[CG_IF_SRC_INSERTED]++;
	}
	if (!st)
		return -1;
	if (ev->v < CG_VERDICT_MAX) {
		st->packets++;
		st->bytes += ev->bytes;
		st->verdict[ev->v]++;
	} else {
		st->unparsed++;
	}
	if (ev->dropped)
		st->dropped++;
	if (ev->v == CG_V_BAD)
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
	struct cg_block *blk = NULL;
	struct cg_event ev;
	__u32 *nblocked;
	struct cg_pkt pk = {};
	/* Proven not tunnel traffic: not UDP, or UDP (or a first fragment)
	 * whose destination port is not in the table. A blocked source loses
	 * every frame that is not proven so (SPEC 2.9). */
	int non_tunnel = 0;
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
	if (!pk.have_src)
		goto out_pass;	/* no IP source: nothing to judge or block */
	if (kind != CG_IF_TUNNEL)
		goto decide;

	if (pk.proto != CG_IPPROTO_UDP) {
		kind = CG_IF_NOT_TUNNEL;
		non_tunnel = 1;
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

			non_tunnel = !enc || *enc == CG_ENCAP_NONE;
		}
	} else {
		struct udphdr *uh = pkt_at(data, pk.l4, CG_UDP_HLEN);
		__u32 dport, *enc;

		if (pk.ip_end - pk.l4 < CG_UDP_HLEN || !uh || (void *)(uh + 1) > data_end) {
			kind = CG_IF_UNPARSED;
			goto decide;
		}
		dport = bpf_ntohs(uh->dest);
		enc = bpf_map_lookup_elem(&cg_ports, &dport);
		if (!enc || *enc == CG_ENCAP_NONE) {
			kind = CG_IF_NOT_TUNNEL;
			non_tunnel = 1;
		} else {
			kind = udp_verdict(ctx, uh, &pk, linear_len, &v);
		}
	}

decide:
	/* Action. A blocked source loses its tunnel frames in any mode, and
	 * every frame not proven non-tunnel (everything with an all-traffic
	 * block); a bad frame is dropped in drop mode. Nothing else is ever
	 * dropped. The blocklist lookup is skipped while the list is empty. */
	nblocked = bpf_map_lookup_elem(&cg_block_count, &zero);
	if (nblocked && *nblocked)
		blk = bpf_map_lookup_elem(&cg_blocklist, &pk.src);
	if (blk && (!non_tunnel || (blk->flags & CG_BLOCK_ALL_TRAFFIC)))
		drop_reason = CG_IF_DROP_BLOCKED;
	else if (kind == CG_IF_TUNNEL && v == CG_V_BAD && cfg->mode == CG_MODE_DROP)
		drop_reason = CG_IF_DROP_BAD;

	/* Per source: every verdict, and every frame the parser gave up on
	 * after the source was known (never silently: SPEC 2.9). */
	if (kind == CG_IF_TUNNEL || kind == CG_IF_UNPARSED) {
		ev.v = kind == CG_IF_TUNNEL ? v : CG_VERDICT_MAX;
		ev.bytes = frame_len;
		ev.dropped = drop_reason != CG_IF_FRAMES;
		if (kind == CG_IF_TUNNEL && v < CG_VERDICT_MAX)
			ifs->verdict[v]++;
		if (account_source(&pk.src, &ev, blk != NULL, ifs))
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
