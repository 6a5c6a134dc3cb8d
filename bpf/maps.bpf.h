/* SPDX-License-Identifier: GPL-2.0 */
/*
 * maps.bpf.h - every map of the BPF programs, defined here and nowhere else.
 * Their keys and values are the shared layouts of include/csumguard.h.
 *
 * Three groups:
 *  - maps every program has, the same map for every hook (the loader binds
 *    one pinned map into the XDP and the TC object by name): the tunnel port
 *    table, the configuration, the blocklist and its entry count; and the
 *    per-CPU bounce buffer of the checksum sums (bpf/csum.bpf.h), which is
 *    scratch space, never shared;
 *  - CG_MAPS_INGRESS: the XDP validator's per-source tables and its
 *    per-interface totals;
 *  - CG_MAPS_EGRESS: the TC egress program's per-destination table and its
 *    per-interface totals.
 * An entry point defines the group macro it needs before including this
 * header, so no object carries (and no load allocates) another hook's
 * tables: cg_src alone is entries x possible CPUs x its per-CPU value
 * (struct cg_src_hot, 64 bytes), preallocated, plus entries x the shared
 * 208-byte part in cg_src_rare (issue 13: "compact per-CPU values").
 */
#ifndef CG_MAPS_BPF_H
#define CG_MAPS_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "csumguard.h"

/* ---- every hook ----------------------------------------------------------- */

/* UDP destination port -> enum cg_encap. An array, so the per-packet lookup
 * is inlined by the verifier (no helper call). Filled by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CG_PORT_TABLE_SIZE);
	__type(key, __u32);
	__type(value, __u32);
} cg_ports SEC(".maps");

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

/* Bytes copied out of fragments (or paged data) per load-bytes call. */
#define CG_BOUNCE_LEN		2048

/* Bounce buffer for bytes outside the linear area (multi-buffer frames): too
 * big for the 512-byte BPF stack, so it is one per-CPU map slot. */
struct cg_bounce {
	__u8 b[CG_BOUNCE_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cg_bounce);
} cg_bounce SEC(".maps");

/* ---- XDP ingress ------------------------------------------------------------- */
#ifdef CG_MAPS_INGRESS

/* Per-source counters, in two parts (include/csumguard.h cg_src_stats): the
 * per-CPU part of every frame's common verdicts here, the shared part of
 * everything else in cg_src_rare (atomic adds). LRU: a flood of spoofed
 * sources evicts old entries instead of failing; max_entries (both tables)
 * is set by the loader (--sources, --memory). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, CG_SRC_TABLE_DEFAULT);
	__type(key, struct cg_addr);
	__type(value, struct cg_src_hot);
} cg_src SEC(".maps");

/* The shared part of cg_src's rows. An LRU of its own (the kernel has no
 * pair of tables evicted together): its inserts are counted apart
 * (CG_IF_SRC_RARE_INSERTED), so its evictions are exact; a source whose
 * cg_src row is made anew loses its old shared part with it
 * (bpf/account.bpf.h). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, CG_SRC_TABLE_DEFAULT);
	__type(key, struct cg_addr);
	__type(value, struct cg_src_stats);
} cg_src_rare SEC(".maps");

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
	__type(value, struct cg_src_hot);
} cg_src_kept SEC(".maps");

/* Their shared parts: a plain hash, never evicted, like cg_src_kept. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CG_SRC_KEPT_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct cg_addr);
	__type(value, struct cg_src_stats);
} cg_src_kept_rare SEC(".maps");

/* Known nodes (PIN_DIR/nodes, shared by every attachment of a pin dir):
 * address -> name, id, expected TTL. A plain hash written only by user
 * space: a flood cannot push a node out. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CG_NODES_MAX);
	__type(key, struct cg_addr);
	__type(value, struct cg_node);
} cg_nodes SEC(".maps");

/* Number of entries in cg_nodes, kept by user space (like cg_block_count):
 * 0 means "no set configured", so no frame is an unknown sender. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cg_node_count SEC(".maps");

/* TTL learning (struct cg_ttl_key -> ok frames seen): only frames from
 * known addresses whose TTL is not known yet; user space learns and empties
 * it (lib/policy_run.c). Shared by every attachment, allocated on insert. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CG_TTL_SEEN_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct cg_ttl_key);
	__type(value, __u64);
} cg_ttl_seen SEC(".maps");

/* Rows of known nodes' addresses (cg_nodes): a plain per-CPU hash like
 * cg_src_kept, sized for every known address, so a spoofed-source flood
 * that churns cg_src cannot push a known node's counters out. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, CG_NODES_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct cg_addr);
	__type(value, struct cg_src_hot);
} cg_src_nodes SEC(".maps");

/* Their shared parts: a plain hash, never evicted, like cg_src_nodes. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CG_NODES_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct cg_addr);
	__type(value, struct cg_src_stats);
} cg_src_nodes_rare SEC(".maps");

/* The hot-source cache in front of cg_src and cg_src_nodes (include/
 * csumguard.h struct cg_src_slot): per CPU, an array so the lookup is one
 * address computation. Pinned (ingress/src_cache) like the rows: pending
 * counts are counts. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CG_SRC_CACHE_SLOTS);
	__type(key, __u32);
	__type(value, struct cg_src_slot);
} cg_src_cache SEC(".maps");

/* Per-interface totals of this attachment. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cg_iface_stats);
} cg_iface SEC(".maps");

/* Sampling (cg_config.sample > 1): one tunnel frame in sample is verified,
 * counted down per CPU (no atomics, no division). Looked up only when
 * sampling is on. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cg_sample_state);
} cg_sample SEC(".maps");

/* Trace (bpf/trace.bpf.h): bad frames' events, pinned as
 * PIN_DIR/ifaces/IFNAME/ingress/trace so a later `csumguard trace` reads
 * them. A ring buffer is consumed: with several readers each event goes to
 * whichever reads it first. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, CG_TRACE_RING_BYTES);
} cg_trace SEC(".maps");

/* Its rate limit: a token bucket per CPU (no atomics), looked up only for a
 * bad frame. Not pinned, like cg_sample. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cg_trace_bucket);
} cg_trace_tb SEC(".maps");

#endif /* CG_MAPS_INGRESS */

/* ---- TC egress ---------------------------------------------------------------- */
#ifdef CG_MAPS_EGRESS

/* Per-destination counters of what this node sends. LRU like cg_src;
 * max_entries is set by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, CG_DST_TABLE_DEFAULT);
	__type(key, struct cg_addr);
	__type(value, struct cg_dst_stats);
} cg_dst SEC(".maps");

/* The first gso_meta_bad skb (struct cg_gso_meta_event), for stats. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cg_gso_meta_event);
} cg_gso_meta_first SEC(".maps");

/* Per-interface totals of the egress program. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cg_egress_stats);
} cg_egress SEC(".maps");

#endif /* CG_MAPS_EGRESS */

#endif /* CG_MAPS_BPF_H */
