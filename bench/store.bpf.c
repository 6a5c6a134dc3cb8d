// SPDX-License-Identifier: GPL-2.0
/*
 * store.bpf.c - the per-source storage alternatives of issue 13, item 1, as
 * standalone bench programs (not the product's datapath: bench/store.c
 * runs them through BPF_PROG_TEST_RUN). Each program takes the frame's
 * IPv4 source as the key (spread over nsrc sources by a random number when
 * nsrc > 1) and counts the frame the way the product does (packets, bytes,
 * one verdict; last_bad_ns on a bad one), in one storage shape:
 *
 *   st_base      the key only, no accounting: the floor of the others
 *   st_pcpu88    LRU per-CPU hash, the value of today (88 B)
 *   st_pcpu176   LRU per-CPU hash, the grown value of issue 10 (176 B)
 *   st_compact   LRU per-CPU hash of what changes on every frame (packets,
 *                bytes, ok, zero: 32 B); the rare verdicts in a shared LRU
 *                hash (176 B) with atomic adds
 *   st_shared    one shared LRU hash (176 B), atomic adds on every frame
 *   st_cache     a per-CPU array of 64 slots (direct-mapped by the key's
 *                hash) holding a hot source's key and its per-frame
 *                counters; a miss flushes the slot into the LRU per-CPU
 *                hash (176 B); rare verdicts go to that hash directly
 *
 * The verdict of every frame is the global `verdict` (0 ok, 1 bad), set by
 * user space between runs.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include "csumguard.h"

#define TABLE	16384
#define SLOTS	64

const volatile __u32 nsrc = 1;	/* sources the frames are spread over */
__u32 verdict;			/* CG_V_OK or CG_V_BAD for every frame */

/* Today's value and the grown one, as counters. */
struct v88 {
	__u64 packets, bytes, verdict[6], dropped, last_bad_ns, unparsed;
};
struct v176 {
	__u64 packets, bytes, verdict[7], dropped, last_bad_ns, unparsed;
	__u64 bad_class[3], zero_inner[4], repaired, unverified, first_bad_ns;
};
_Static_assert(sizeof(struct v88) == 88, "today's value");
_Static_assert(sizeof(struct v176) == 176, "issue 10's value");

/* The per-frame part. */
struct vhot {
	__u64 packets, bytes, ok, zero;
};

struct slot {
	struct cg_addr key;
	__u32 used;
	struct vhot c;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, TABLE);
	__type(key, struct cg_addr);
	__type(value, struct v88);
} m_pcpu88 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, TABLE);
	__type(key, struct cg_addr);
	__type(value, struct v176);
} m_pcpu176 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, TABLE);
	__type(key, struct cg_addr);
	__type(value, struct vhot);
} m_hot SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, TABLE);
	__type(key, struct cg_addr);
	__type(value, struct v176);
} m_rare SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, TABLE);
	__type(key, struct cg_addr);
	__type(value, struct v176);
} m_shared SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, TABLE);
	__type(key, struct cg_addr);
	__type(value, struct v176);
} m_cold SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SLOTS);
	__type(key, __u32);
	__type(value, struct slot);
} m_cache SEC(".maps");

/* The frame's source (IPv4 at its fixed offset, spread), 0 or -1. */
static __always_inline int frame_key(struct xdp_md *ctx, struct cg_addr *k)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u8 *ip = data + ETH_HLEN;
	__u32 r = bpf_get_prandom_u32(), i;

	if ((void *)(ip + 20) > end)
		return -1;
	cg_addr_from_v4(k, ip + 12);
	if (nsrc > 1) {
		i = r % nsrc;
		k->a[14] ^= (__u8)(i >> 8);
		k->a[15] ^= (__u8)i;
	}
	return 0;
}

/* The row of k in map (inserted when missing). */
static __always_inline void *row(void *map, const struct cg_addr *k, void *fresh)
{
	void *v = bpf_map_lookup_elem(map, k);

	if (!v) {
		bpf_map_update_elem(map, k, fresh, BPF_NOEXIST);
		v = bpf_map_lookup_elem(map, k);
	}
	return v;
}

SEC("xdp")
int st_base(struct xdp_md *ctx)
{
	struct cg_addr k;

	if (frame_key(ctx, &k))
		return XDP_ABORTED;
	return XDP_PASS;
}

#define COUNT_PLAIN(st, len, vd)						\
	do {									\
		(st)->packets++;						\
		(st)->bytes += (len);						\
		if ((vd) < sizeof((st)->verdict) / sizeof((st)->verdict[0]))	\
			(st)->verdict[vd]++;					\
		if ((vd) == CG_V_BAD)						\
			(st)->last_bad_ns = bpf_ktime_get_boot_ns();		\
	} while (0)

SEC("xdp")
int st_pcpu88(struct xdp_md *ctx)
{
	struct v88 fresh = {}, *st;
	struct cg_addr k;
	__u32 vd = verdict;

	if (frame_key(ctx, &k))
		return XDP_ABORTED;
	st = row(&m_pcpu88, &k, &fresh);
	if (!st)
		return XDP_ABORTED;
	COUNT_PLAIN(st, ctx->data_end - ctx->data, vd);
	return XDP_PASS;
}

SEC("xdp")
int st_pcpu176(struct xdp_md *ctx)
{
	struct v176 fresh = {}, *st;
	struct cg_addr k;
	__u32 vd = verdict;

	if (frame_key(ctx, &k))
		return XDP_ABORTED;
	st = row(&m_pcpu176, &k, &fresh);
	if (!st)
		return XDP_ABORTED;
	COUNT_PLAIN(st, ctx->data_end - ctx->data, vd);
	return XDP_PASS;
}

/* A rare verdict into a shared row, with atomic adds (another CPU may add
 * to the same row at the same time). */
static __always_inline int count_rare(void *map, const struct cg_addr *k, __u32 vd)
{
	struct v176 fresh = {}, *st = row(map, k, &fresh);

	if (!st)
		return -1;
	if (vd < CG_VERDICT_MAX)
		__sync_fetch_and_add(&st->verdict[vd], 1);
	if (vd == CG_V_BAD)
		st->last_bad_ns = bpf_ktime_get_boot_ns();	/* any recent one will do */
	return 0;
}

SEC("xdp")
int st_compact(struct xdp_md *ctx)
{
	struct vhot fresh = {}, *st;
	struct cg_addr k;
	__u32 vd = verdict;

	if (frame_key(ctx, &k))
		return XDP_ABORTED;
	st = row(&m_hot, &k, &fresh);
	if (!st)
		return XDP_ABORTED;
	st->packets++;
	st->bytes += ctx->data_end - ctx->data;
	if (vd == CG_V_OK)
		st->ok++;
	else if (vd == CG_V_ZERO)
		st->zero++;
	else if (count_rare(&m_rare, &k, vd))
		return XDP_ABORTED;
	return XDP_PASS;
}

SEC("xdp")
int st_shared(struct xdp_md *ctx)
{
	struct v176 fresh = {}, *st;
	struct cg_addr k;
	__u32 vd = verdict;

	if (frame_key(ctx, &k))
		return XDP_ABORTED;
	st = row(&m_shared, &k, &fresh);
	if (!st)
		return XDP_ABORTED;
	__sync_fetch_and_add(&st->packets, 1);
	__sync_fetch_and_add(&st->bytes, ctx->data_end - ctx->data);
	if (vd < CG_VERDICT_MAX)
		__sync_fetch_and_add(&st->verdict[vd], 1);
	if (vd == CG_V_BAD)
		st->last_bad_ns = bpf_ktime_get_boot_ns();
	return XDP_PASS;
}

static __always_inline int same_key(const struct cg_addr *a, const struct cg_addr *b)
{
	const __u32 *x = (const __u32 *)a, *y = (const __u32 *)b;

	return x[0] == y[0] && x[1] == y[1] && x[2] == y[2] && x[3] == y[3] && x[4] == y[4];
}

SEC("xdp")
int st_cache(struct xdp_md *ctx)
{
	struct v176 fresh = {}, *cold;
	struct cg_addr k;
	struct slot *s;
	__u32 vd = verdict, h;
	const __u32 *w = (const __u32 *)&k;

	if (frame_key(ctx, &k))
		return XDP_ABORTED;
	if (vd != CG_V_OK && vd != CG_V_ZERO) {
		/* rare: straight to the source's row (no hot counter moves) */
		cold = row(&m_cold, &k, &fresh);
		if (!cold)
			return XDP_ABORTED;
		COUNT_PLAIN(cold, ctx->data_end - ctx->data, vd);
		return XDP_PASS;
	}
	h = ((w[0] ^ w[1] ^ w[2] ^ w[3] ^ w[4]) * 0x9e3779b1u) >> 26;	/* 64 slots */
	s = bpf_map_lookup_elem(&m_cache, &h);
	if (!s)
		return XDP_ABORTED;
	if (!s->used || !same_key(&s->key, &k)) {
		if (s->used) {
			/* flush the slot's source into its row */
			cold = row(&m_cold, &s->key, &fresh);
			if (cold) {
				cold->packets += s->c.packets;
				cold->bytes += s->c.bytes;
				cold->verdict[CG_V_OK] += s->c.ok;
				cold->verdict[CG_V_ZERO] += s->c.zero;
			}
		}
		s->key = k;
		s->used = 1;
		s->c.packets = s->c.bytes = s->c.ok = s->c.zero = 0;
	}
	s->c.packets++;
	s->c.bytes += ctx->data_end - ctx->data;
	if (vd == CG_V_OK)
		s->c.ok++;
	else
		s->c.zero++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
