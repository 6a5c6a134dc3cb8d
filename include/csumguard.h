/* SPDX-License-Identifier: GPL-2.0 */
/*
 * csumguard.h - the one definition of every type shared by the BPF programs
 * and user space: map keys and values, configuration, verdicts and counters.
 *
 * Included by the BPF programs (bpf/, xdp/, tc/; vmlinux-free UAPI types)
 * and by all user-space code. Never define one of these layouts a second time.
 */
#ifndef CSUMGUARD_H
#define CSUMGUARD_H

#include <linux/types.h>

/* Encapsulations the tunnel port table can map a UDP destination port to. */
enum cg_encap {
	CG_ENCAP_NONE = 0,	/* port not audited */
	CG_ENCAP_VXLAN = 1,	/* RFC 7348 */
	CG_ENCAP_GENEVE = 2,	/* RFC 8926 */
	CG_ENCAP_GUE = 3,	/* draft-ietf-intarea-gue */
	CG_ENCAP_MAX
};

/* Default tunnel ports (host byte order). GUE has none: see SPEC 2.3. */
#define CG_PORT_VXLAN_IANA	4789
#define CG_PORT_VXLAN_LINUX	8472	/* Linux/flannel/Cilium default */
#define CG_PORT_GENEVE		6081

/*
 * The verdict on one tunnel frame from one source. Mutually exclusive: every
 * frame accounted to a source gets exactly one, so per source they add up to
 * cg_src_stats.packets.
 */
enum cg_verdict {
	CG_V_OK = 0,		/* full UDP checksum verifies */
	CG_V_BAD,		/* checksum does not verify */
	CG_V_UNFINISHED,	/* field holds the pseudo-header seed: offload never finished it */
	CG_V_ZERO,		/* checksum field 0: sender did not checksum */
	CG_V_FRAGMENT,		/* IP fragment carrying UDP: cannot be checked */
	CG_V_MALFORMED,		/* UDP length < 8 or beyond the IP payload; or a frame
				 * to a tunnel port whose IP or UDP header does not
				 * hold up (SPEC 2.4: malformed attribution) */
	CG_V_BAD_IP_HEADER,	/* outer IPv4 header checksum fails: the receiving
				 * kernel drops it (Ip InCsumErrors) */
	CG_VERDICT_MAX
};

/*
 * What a bad frame's inner packet says (SPEC 2.8): every CG_V_BAD frame gets
 * exactly one, so per source they add up to verdict[CG_V_BAD].
 */
enum cg_bad_class {
	CG_BC_OUTER_ONLY = 0,	/* inner L4 checksum valid: the payload is intact,
				 * only the outer value is wrong (an offload bug) */
	CG_BC_PAYLOAD,		/* inner L4 checksum invalid too: corrupted on the path */
	CG_BC_UNCLASSIFIED,	/* no checkable inner L4 (see CG_ZI_UNCHECKED), or an
				 * inner checksum that holds its pseudo-header seed */
	CG_BAD_CLASS_MAX
};

/*
 * The audit of a zero-checksum frame's inner L4 checksum (SPEC 2.7): every
 * CG_V_ZERO frame gets exactly one, so they add up to verdict[CG_V_ZERO].
 * Also the result of the inner check the bad classes are made of.
 */
enum cg_zero_inner {
	CG_ZI_OK = 0,		/* the inner L4 checksum verifies */
	CG_ZI_BAD,		/* it does not */
	CG_ZI_UNFINISHED,	/* it holds the inner pseudo-header seed: offload never
				 * finished it (normal on veth), never bad */
	CG_ZI_UNCHECKED,	/* nothing to check: no inner IP or L4 (ARP, IGMP, an
				 * unknown protocol, an empty payload, a GUE control
				 * message), inner UDP checksum 0, an inner fragment,
				 * an inner packet cut short */
	CG_ZERO_INNER_MAX
};

/*
 * Per-interface event counters. Every frame the XDP program sees is counted
 * in CG_IF_FRAMES and in exactly one of NOT_TUNNEL, UNPARSED, UNCHECKED,
 * TUNNEL or UNVERIFIED; TUNNEL frames are further counted in
 * cg_iface_stats.verdict[].
 */
enum cg_iface_counter {
	CG_IF_FRAMES = 0,	/* every frame seen */
	CG_IF_NOT_TUNNEL,	/* not a tunnel datagram nor a UDP fragment: passed untouched */
	CG_IF_UNPARSED,		/* L2/L3 headers truncated or inconsistent: passed untouched */
	CG_IF_UNCHECKED,	/* tunnel datagram whose sum could not be computed: passed */
	CG_IF_TUNNEL,		/* frames given a verdict (tunnel datagrams + UDP fragments) */
	CG_IF_UNACCOUNTED,	/* verdict given but no per-source slot (table full) */
	CG_IF_DROP_BAD,		/* dropped in drop mode because the verdict was bad */
	CG_IF_DROP_BLOCKED,	/* dropped because the source is blocklisted */
	/* Not a kind of frame: sources the datapath inserted into the per-source
	 * LRU table (cg_src). Only the datapath inserts there, so
	 * evicted = inserted - present: a spoofed-source flood that pushes rows
	 * out shows up, never silently (SPEC 2). */
	CG_IF_SRC_INSERTED,
	/* Not a kind of frame either: bad_outer_only frames whose outer
	 * checksum repair mode rewrote (they passed, fixed). */
	CG_IF_REPAIRED,
	/* A kind of frame, beside NOT_TUNNEL, UNPARSED, UNCHECKED and TUNNEL:
	 * tunnel frames that sampling (cg_config.sample) let pass without a
	 * verdict. Not in TUNNEL, so verdict ratios are over verified frames. */
	CG_IF_UNVERIFIED,
	/* Not kinds of frame (issue 11, `trace`): bad frames the trace ring
	 * buffer did not get. SUPPRESSED: over the in-kernel rate limit (the
	 * token bucket, CG_TRACE_RATE / CG_TRACE_BURST); LOST: the ring buffer
	 * was full (no reader, or one too slow). Egress never counts them. */
	CG_IF_TRACE_SUPPRESSED,
	CG_IF_TRACE_LOST,
	/* Known nodes (issue 10), not kinds of frame either: */
	CG_IF_UNKNOWN_SENDER,	/* tunnel frames from a source that is not a known node
				 * (counted only while the set is not empty) */
	CG_IF_DROP_UNKNOWN,	/* of them, dropped (attach --drop-unknown) */
	CG_IF_TTL_MISMATCH,	/* tunnel frames from a known node with another TTL */
	/* Not a kind of frame: shared parts of source rows the datapath
	 * inserted into cg_src_rare (struct cg_src_stats), so its evictions
	 * are exact too: inserted - present. Egress never counts it. */
	CG_IF_SRC_RARE_INSERTED,
	/* Not a kind of frame: of CG_IF_SRC_INSERTED, rows the hot-source
	 * cache inserted again when it flushed a slot whose source's row had
	 * been evicted meanwhile (the row was inserted once already), so
	 * inserted - reinserted is the sources seen. Egress never counts it. */
	CG_IF_SRC_REINSERTED,
	CG_IFACE_COUNTER_MAX
};

/* Address families of struct cg_addr. */
#define CG_AF_INET4	4
#define CG_AF_INET6	6

/*
 * A node's IPv4 or IPv6 address: the key of the per-source tables and the
 * blocklist. The family is part of the key, so an IPv6 frame from
 * ::ffff:a.b.c.d is never the IPv4 node a.b.c.d (a spoofing lever otherwise).
 * IPv4 sits in a[12..15] behind the v4-mapped prefix; pad is always zero.
 * Build keys only with cg_addr_from_v4/_v6 below.
 */
struct cg_addr {
	__u8 a[16];
	__u8 family;	/* CG_AF_INET4 or CG_AF_INET6 */
	__u8 pad[3];
};

/* Key of the IPv4 address at v4 (4 bytes, network order). */
static __inline__ void cg_addr_from_v4(struct cg_addr *k, const void *v4)
{
	__builtin_memset(k, 0, sizeof(*k));
	k->a[10] = 0xff;
	k->a[11] = 0xff;
	__builtin_memcpy(&k->a[12], v4, 4);
	k->family = CG_AF_INET4;
}

/* Key of the IPv6 address at v6 (16 bytes, network order). */
static __inline__ void cg_addr_from_v6(struct cg_addr *k, const void *v6)
{
	__builtin_memset(k, 0, sizeof(*k));
	__builtin_memcpy(k->a, v6, 16);
	k->family = CG_AF_INET6;
}

/*
 * One source's row as user space shows it (stats, metrics, watch, the
 * baseline of `stats --reset`), keyed by struct cg_addr. In the kernel a
 * row is two parts (issue 13, "compact per-CPU values", bench/README.md):
 * struct cg_src_hot per CPU, and this struct shared, atomically added, in a
 * companion table (cg_src_rare, cg_src_kept_rare, cg_src_nodes_rare). A
 * frame's counts go wholly to one part: the common ones (ok, unfinished and
 * zero verdicts, nothing dropped, repaired or odd about the sender) to
 * cg_src_hot, every other to the shared part. So the row is the shared part
 * plus every CPU's hot part (lib/maps.c cg_src_join), and packets is the sum
 * of verdict[] in each part.
 */
struct cg_src_stats {
	__u64 packets;			/* frames given a verdict: the sum of verdict[] */
	__u64 bytes;			/* their length, whole frame */
	__u64 verdict[CG_VERDICT_MAX];	/* indexed by enum cg_verdict */
	__u64 dropped;			/* frames dropped (bad in drop mode, or blocked),
					 * of packets, unparsed and unverified */
	__u64 last_bad_ns;		/* CLOCK_BOOTTIME of the newest bad verdict, 0 if none */
	__u64 unparsed;			/* frames whose IP header showed this source but
					 * whose headers could not be followed to a UDP
					 * port (e.g. more IPv6 extension headers than
					 * CG_IPV6_MAX_EXT): not in packets, never judged */
	/* Issue 10: what the bad and the zero-checksum frames' inner packets
	 * say, repair and sampling. */
	__u64 bad_class[CG_BAD_CLASS_MAX];	/* by enum cg_bad_class: adds up to
						 * verdict[CG_V_BAD] */
	__u64 zero_inner[CG_ZERO_INNER_MAX];	/* by enum cg_zero_inner: adds up
						 * to verdict[CG_V_ZERO] */
	__u64 repaired;			/* bad_outer_only frames passed with their outer
					 * checksum rewritten (repair mode) */
	__u64 unverified;		/* tunnel frames sampling let pass unchecked:
					 * not in packets */
	__u64 first_bad_ns;		/* CLOCK_BOOTTIME of the first bad verdict (per
					 * CPU; the oldest is the source's), 0 if none */
	/* Known nodes (issue 10, lib/nodes.h). */
	__u64 unknown_sender;		/* tunnel frames while this source is not a known
					 * node (and the set is not empty) */
	__u64 ttl_mismatch;		/* tunnel frames from this known node whose IP TTL /
					 * hop limit was not its expected one: no evidence */
	__u64 evidence_checked;		/* checked frames (ok, bad, unfinished) from this
					 * known node with its expected TTL: what the
					 * auto-block policy judges (lib/policy.h) */
	__u64 evidence_bad;		/* of them, bad */
};

/*
 * The per-CPU part of a source's row (cg_src: LRU per-CPU hash;
 * cg_src_kept: blocked sources, cg_src_nodes: known nodes, never evicted):
 * only what a steady stream of frames moves - on veth unfinished (and zero,
 * with its inner audit, for senders without outer checksums: Linux VXLAN
 * over IPv4 by default), on a real NIC ok; and a known node's evidence.
 * 64 B, one cache line, where the whole row is 208: the per-CPU copy is
 * what grows with the machine (bench/README.md "Kernel memory"). What can
 * be derived is not kept: packets is ok + unfinished + zero, zero the sum
 * of zero_inner[] (every zero frame has one).
 */
struct cg_src_hot {
	__u64 bytes;			/* of the frames counted here */
	__u64 ok;			/* verdict[CG_V_OK] */
	__u64 unfinished;		/* verdict[CG_V_UNFINISHED] */
	__u64 zero_inner[CG_ZERO_INNER_MAX];	/* verdict[CG_V_ZERO], by enum
						 * cg_zero_inner */
	__u64 evidence_checked;		/* as in cg_src_stats */
};

/*
 * Hot-source cache (issue 13, item 2; bench/README.md "hot-source cache"):
 * a per-CPU array (cg_src_cache) of CG_SRC_CACHE_SLOTS slots, direct-mapped
 * by cg_src_slot_of(), in front of the per-CPU parts of cg_src and
 * cg_src_nodes. A frame that goes to the per-CPU part alone, from the
 * slot's source, adds to the slot and touches no table; any other source's
 * such frame makes sure of its own row (inserted, counted, as without the
 * cache), flushes the slot's pending counts into the slot's source's row
 * (inserting it again if it was evicted meanwhile: counted as an insert)
 * and takes the slot. So rows are present exactly as without the cache;
 * only counts wait in a slot, and every reader adds the slots of a source
 * (lib/maps.c cg_src_cache_read).
 */
#define CG_SRC_CACHE_SLOTS	64	/* a power of 2: cg_src_slot_of() */
enum cg_src_slot_table {
	CG_SLOT_FREE = 0,	/* holds nothing */
	CG_SLOT_LRU,		/* pending counts of a cg_src row */
	CG_SLOT_NODES,		/* pending counts of a cg_src_nodes row */
};
/* CG_SLOT_LRU + 1 for a known node (bpf/account.bpf.h: no branch) */
_Static_assert(CG_SLOT_NODES == CG_SLOT_LRU + 1, "the slot's table from CG_NB_KNOWN");
struct cg_src_slot {
	struct cg_addr key;
	__u32 table;		/* enum cg_src_slot_table */
	struct cg_src_hot c;	/* counted, not yet in the row */
};

/* The slot of a source: a multiplicative hash of its key's five words
 * (the address's last word varies most between sources of one subnet; the
 * multiply spreads it to the top bits). */
static __inline__ __u32 cg_src_slot_of(const struct cg_addr *k)
{
	const __u32 *w = (const __u32 *)k;

	return ((w[0] ^ w[1] ^ w[2] ^ w[3] ^ w[4]) * 0x9e3779b1u) >> 26;
}
_Static_assert(CG_SRC_CACHE_SLOTS == 1 << (32 - 26), "cg_src_slot_of's shift");
_Static_assert(sizeof(struct cg_addr) == 20, "cg_src_slot_of's five words");

/* Value of the per-interface totals (per-CPU array, one slot). */
struct cg_iface_stats {
	__u64 c[CG_IFACE_COUNTER_MAX];	/* indexed by enum cg_iface_counter */
	__u64 verdict[CG_VERDICT_MAX];	/* indexed by enum cg_verdict */
	__u64 bad_class[CG_BAD_CLASS_MAX];	/* of verdict[CG_V_BAD] */
	__u64 zero_inner[CG_ZERO_INNER_MAX];	/* of verdict[CG_V_ZERO] */
};

/* Action on bad tunnel frames. Blocked sources are dropped in every mode. */
enum cg_mode {
	CG_MODE_MONITOR = 0,	/* XDP_PASS everything (default) */
	CG_MODE_DROP = 1,	/* XDP_DROP frames whose verdict is bad */
};

/* cg_config.flags */
#define CG_CFG_REPAIR		(1U << 0)	/* rewrite the outer checksum of
						 * bad_outer_only frames (never any
						 * other class; XDP ingress only) */
#define CG_CFG_TRACE_UNFINISHED	(1U << 2)	/* trace unfinished frames too (trace
						 * --unfinished), not only bad ones */
#define CG_CFG_DROP_UNKNOWN	(1U << 1)	/* drop tunnel frames from sources that are
						 * not known nodes (while the set is not empty) */

/* Value of the config map (array, one slot) of one attachment. */
struct cg_config {
	__u32 mode;		/* enum cg_mode */
	__u32 flags;		/* CG_CFG_* */
	__u32 sample;		/* verify one tunnel frame in sample (per CPU); 0 or
				 * 1: every one (SPEC 2.6) */
	__u32 pad;		/* 0 */
};

/* Largest --sample. */
#define CG_SAMPLE_MAX		1000000

/* Value of the sampling state (per-CPU array, one slot, XDP ingress; not
 * pinned: it restarts with each attach): tunnel frames this CPU still lets
 * pass unverified before it verifies the next one. */
struct cg_sample_state {
	__u64 left;
};

/* Blocklist entry flags. */
#define CG_BLOCK_ALL_TRAFFIC	(1U << 0)	/* drop every IP frame, not only tunnel frames */
#define CG_BLOCK_AUTO		(1U << 1)	/* made by the auto-block policy (lib/policy.h) */

#define CG_BLOCK_REASON_LEN	48

/* Value of the blocklist map (hash keyed by struct cg_addr, never evicted). */
struct cg_block {
	__u64 added_unix;	/* wall-clock seconds when it was added */
	__u32 flags;		/* CG_BLOCK_* */
	__u32 pad;
	char reason[CG_BLOCK_REASON_LEN];	/* NUL-terminated operator text */
	/* Issue 10: expiry, and the figures an auto-block was decided on. */
	__u64 expires_unix;	/* wall-clock seconds when it ends; 0: never */
	__u64 expires_ns;	/* the same moment in CLOCK_BOOTTIME ns: the datapath
				 * ignores an entry past it (user space purges it) */
	__u64 bad, checked;	/* CG_BLOCK_AUTO: bad of checked TTL-matching packets
				 * in the window that decided it */
	__u32 window_s;		/* CG_BLOCK_AUTO: seconds that evidence covered */
	__u32 strikes;		/* CG_BLOCK_AUTO: 0 first block, n: n-th on probation */
};

/* Map sizes. The source table size is set by the loader before load. */
#define CG_SRC_TABLE_DEFAULT	16384
#define CG_BLOCKLIST_MAX	4096
/* Kept (non-evictable) source rows: every blocked source, plus rows of
 * sources unblocked since (they stay until a purge). */
#define CG_SRC_KEPT_MAX		(2 * CG_BLOCKLIST_MAX)
#define CG_PORT_TABLE_SIZE	65536	/* array indexed by UDP port, value enum cg_encap */

/* ===========================================================================
 * TC egress (SPEC 2 "TC egress"): what this node sends, per destination.
 * ======================================================================== */

/*
 * The state of the outer UDP checksum of one tunnel packet as it leaves the
 * node (after the stack, before the NIC). Mutually exclusive; counted in
 * wire packets (a GSO super-packet counts its gso_segs), so per destination
 * they add up to cg_dst_stats.packets.
 */
enum cg_egress_state {
	CG_E_FINAL_OK = 0,	/* the stack wrote the final value; it verifies */
	CG_E_FINAL_BAD,		/* a final value that does not verify: a bug on this node */
	CG_E_OFFLOADED,		/* the pseudo-header seed: the NIC (or skb_checksum_help)
				 * finishes it - the traffic seed 000's NIC corrupted */
	CG_E_ZERO,		/* checksum 0: no outer checksum */
	CG_E_FRAGMENT,		/* IP fragment carrying UDP: cannot be checked */
	CG_E_MALFORMED,		/* UDP length < 8 or beyond the IP payload */
	CG_EGRESS_STATE_MAX
};

/* Value of the per-destination map (cg_dst: LRU per-CPU hash keyed by the
 * outer destination address, struct cg_addr). */
struct cg_dst_stats {
	__u64 packets;			/* wire packets: a GSO super-packet counts gso_segs */
	__u64 bytes;			/* skb->len of the packets handed on */
	__u64 gso;			/* GSO super-packets among them (skbs, not segments) */
	__u64 state[CG_EGRESS_STATE_MAX];	/* wire packets by state */
	__u64 facts;			/* wire packets whose skb facts were read (kernel
					 * 6.2+ variant); 0 where the kernel has none */
	__u64 offloaded_fact;		/* of state[OFFLOADED]: the skb itself said partial
					 * (ip_summed CHECKSUM_PARTIAL or GSO), not only the
					 * seed signature */
	__u64 gso_meta_bad;		/* GSO tunnel skbs whose inner header offsets disagree
					 * with the headers in the packet (seed 003) */
	__u64 dropped;			/* dropped: final_bad in drop mode */
	__u64 last_bad_ns;		/* CLOCK_BOOTTIME of the newest final_bad, 0 if none */
};

/* Value of the egress per-interface totals (per-CPU array, one slot): the
 * counters of struct cg_iface_stats, read for what leaves (CG_IF_SRC_INSERTED
 * counts destinations inserted into cg_dst), and the states.
 * Units: c[] counts skbs, each frame the program sees once (a GSO
 * super-packet is one frame, one CG_IF_TUNNEL); state[], facts and no_facts
 * count wire packets like cg_dst_stats, so the destinations' rows add up to
 * them (minus CG_IF_UNACCOUNTED frames' packets and evicted rows). */
struct cg_egress_stats {
	__u64 c[CG_IFACE_COUNTER_MAX];		/* indexed by enum cg_iface_counter */
	__u64 state[CG_EGRESS_STATE_MAX];	/* indexed by enum cg_egress_state */
	__u64 gso;				/* GSO super-packets */
	__u64 gso_meta_bad;			/* as in cg_dst_stats */
	/* Added by the egress datapath (issue 8): which program variant runs,
	 * as seen from the maps alone. Only one of the two ever moves: */
	__u64 facts;		/* wire packets given a state by CG_TC_PROG_FACTS,
				 * which read their skb facts (kernel 6.2+) */
	__u64 no_facts;		/* wire packets given a state by CG_TC_PROG, which
				 * cannot read skb facts: "facts unsupported" */
};

/* The TC object (skeleton csumguard_tc) holds two programs, the same
 * datapath: the loader loads and attaches exactly one of them (bpf/README.md,
 * "Facts"). CG_TC_PROG_FACTS calls bpf_cast_to_kern_ctx (6.2+) and reads the
 * skb's own checksum and encapsulation state; a kernel without that kfunc
 * refuses the whole program, so CG_TC_PROG, which never reads them, is what
 * runs there (6.1). Both names fit the kernel's 15-character program name. */
#define CG_TC_PROG		"csumguard_tc"
#define CG_TC_PROG_FACTS	"csumguard_tcf"
/* The XDP validator's program name (the function in xdp/csumguard.bpf.c). */
#define CG_PROG_NAME		"csumguard_xdp"
/* Its single-buffer variant, for kernels without xdp.frags (5.10-5.17):
 * the same source built with -DCG_XDP_SINGLE_BUF (bpf/ctx/xdp.bpf.h). The
 * name tells user space which variant runs (lib/probe.h). */
#define CG_PROG_NAME_SB		"csumguard_xdpsb"
/* Its large-chunk variant, for kernels whose bpf_csum_diff takes any size
 * (6.13+, probed): built with -DCG_CSUM_LARGE (bpf/csum.bpf.h). */
#define CG_PROG_NAME_LC		"csumguard_xdplc"

/*
 * The first GSO tunnel skb whose metadata disagreed with its bytes (seed
 * 003), kept for stats and a later `trace`: what the skb said and where the
 * headers really are. Offsets from the start of the frame; -1: not known
 * (the check stopped before it). One slot per interface, written once.
 */
struct cg_gso_meta_event {
	__u64 when_ns;			/* CLOCK_BOOTTIME; 0: nothing yet */
	struct cg_addr dst;		/* outer destination */
	__u32 gso_segs;
	__u8 encapsulation;		/* skb->encapsulation */
	__u8 pad[3];
	__s32 transport, inner_mac, inner_net, inner_trans;	/* the skb's metadata */
	__s32 want_transport, want_inner_mac, want_inner_net;	/* from the bytes */
};

#define CG_DST_TABLE_DEFAULT	16384

/* Largest UDP datagram whose checksum the XDP program computes. */
#define CG_MAX_CHECKED_LEN	65535

/* ===========================================================================
 * Attachment record (user space only: no BPF program reads it).
 *
 * Pins are named by interface name, which says nothing about which network
 * namespace the interface lives in, survives no rename, and is shared by
 * every --pin-dir. So `attach` records where its program went, in a
 * one-slot array map pinned at PIN_DIR/ifaces/IFNAME/attachment (bpffs holds
 * only BPF objects, not files), and detach/stats/purge go by this record
 * and by the program's map ids, never by the name alone.
 * ======================================================================== */
struct cg_attachment {
	__u64 netns_dev;	/* st_dev of /proc/self/ns/net of the attach */
	__u64 netns_ino;	/* st_ino of it: with netns_dev, the namespace */
	__u32 ifindex;		/* the interface, in that namespace */
	__u32 prog_id;		/* csumguard's XDP program; 0 once detached */
	__u64 attached_unix;	/* wall-clock seconds of the attach */
	char ifname[16];	/* its name at attach (IFNAMSIZ) */
};

/* ===========================================================================
 * Known nodes (issue 10): the cluster's tunnel endpoints, by name.
 *
 * PIN_DIR/nodes: a hash keyed by struct cg_addr, global to a pin dir (every
 * interface, both hooks), never evicted, written only by user space
 * (lib/nodes.h). One node may have several addresses (IPv4 and IPv6): each
 * is an entry with the same name and id. PIN_DIR/nodes_count holds its
 * number of entries: the datapath's gate ("is the set empty?").
 * ======================================================================== */
#define CG_NODE_NAME_LEN	64	/* with the NUL: cloud node names run to ~50 */
#define CG_NODES_MAX		4096	/* addresses (the v4 and v6 of 2048 nodes) */

/* Node flags. */
#define CG_NODE_TTL_SET		(1U << 0)	/* ttl given by the operator (nodes file
						 * "ttl=N", nodes add --ttl): never learned over */

/* Key of the TTL learning map (PIN_DIR/nodes_ttl: hash, value __u64): ok
 * tunnel frames seen from a known address whose TTL is not known yet, by
 * the TTL they arrived with. User space (lib/policy_run.c) learns from it
 * and empties it; the datapath only adds. */
struct cg_ttl_key {
	struct cg_addr addr;
	__u8 ttl;
	__u8 pad[3];
};
#define CG_TTL_SEEN_MAX		(4 * CG_NODES_MAX)

/* Value of the nodes map. */
struct cg_node {
	char name[CG_NODE_NAME_LEN];	/* NUL-terminated; letters, digits, '.', '-', '_' */
	__u32 id;			/* 1..: one per name, the same for each of its addresses */
	__u32 flags;			/* CG_NODE_* */
	__u8 ttl;			/* IP TTL / hop limit its tunnel packets arrive with;
					 * 0: not known yet */
	__u8 pad[7];
};

/* ===========================================================================
 * Baseline of `stats --reset` (user space only: no BPF program reads it).
 *
 * `stats --reset` pins a copy of one direction's counters as they are, and
 * `stats --since` shows each counter minus its copy, so a fix shows as 0 at
 * once. Per direction: PIN_DIR/ifaces/IFNAME/DIR/baseline, a hash of
 * struct cg_addr -> struct cg_src_stats (ingress) or struct cg_dst_stats
 * (egress), summed over CPUs; and baseline_totals, an array of one of these.
 * A value size that differs from this build's struct is refused (a baseline
 * of another version: take a new one).
 * ======================================================================== */
struct cg_baseline_totals {
	__u64 taken_unix;	/* wall-clock seconds of the reset */
	__u64 taken_ns;		/* CLOCK_BOOTTIME of it (event times compare with it) */
	union {
		struct cg_iface_stats in;	/* ingress totals */
		struct cg_egress_stats eg;	/* egress totals */
	};
};

/* ===========================================================================
 * Trace (issue 11): one event per bad tunnel frame, through a BPF ring
 * buffer pinned at PIN_DIR/ifaces/IFNAME/ingress/trace (bpf/trace.bpf.h).
 * Only a frame whose verdict is bad or bad_ip_header (or unfinished, with
 * CG_CFG_TRACE_UNFINISHED) ever touches it; at most CG_TRACE_BURST events
 * at once and CG_TRACE_RATE a second per CPU get there (token bucket), the
 * rest is counted (CG_IF_TRACE_SUPPRESSED, CG_IF_TRACE_LOST).
 * ======================================================================== */
#define CG_TRACE_SNAP		256		/* bytes of the frame an event carries
						 * (a power of 2: bpf/trace.bpf.h) */
#define CG_TRACE_RING_BYTES	(256 * 1024)	/* ring buffer size (a power of 2) */
#define CG_TRACE_RATE		200		/* events per second per CPU, sustained */
#define CG_TRACE_BURST		64		/* events per CPU at once */

/* cg_trace_event.flags */
#define CG_TRACE_F_EXPECTED	(1U << 0)	/* expected holds the right checksum
						 * (not for bad_ip_header: never summed) */
#define CG_TRACE_F_REPAIRED	(1U << 1)	/* repair mode rewrites it, unless its
						 * source is blocked (then it is dropped);
						 * data[] holds the frame as it arrived.
						 * Set before the action: deciding it
						 * after cost the 6.18 verifier +30k
						 * instructions (223k -> 253k) */

/* One ring buffer record. */
struct cg_trace_event {
	__u64 ts_ns;		/* CLOCK_BOOTTIME of the verdict */
	struct cg_addr src;	/* outer source */
	__u8 verdict;		/* enum cg_verdict */
	__u8 sub;		/* bad: enum cg_bad_class; else CG_BAD_CLASS_MAX */
	__u8 encap;		/* enum cg_encap of the destination port */
	__u8 flags;		/* CG_TRACE_F_* */
	__u32 frame_len;	/* the whole frame (fragments included) */
	__u32 ifindex;		/* ingress interface */
	__u16 cap_len;		/* bytes in data[]: min(frame_len, CG_TRACE_SNAP) */
	__u16 l3;		/* outer IP header offset */
	__u16 l4;		/* outer UDP header offset */
	__u16 dport;		/* UDP destination port, host order */
	__u16 stored;		/* outer UDP checksum field, as on the wire */
	__u16 expected;		/* what it should hold, as on the wire (F_EXPECTED) */
	__u8 data[CG_TRACE_SNAP];	/* the frame's first cap_len bytes */
};

/* Per-CPU token bucket of the trace (not pinned: restarts with the attach). */
struct cg_trace_bucket {
	__u64 tokens;
	__u64 last_ns;		/* when tokens were last added */
};

/*
 * Takes one token at time now_ns (monotonic): 1, or 0 when the bucket is
 * empty (suppress). rate tokens a second, at most burst; a fresh bucket
 * ({0, 0}) starts full. Whole tokens only: last_ns advances by the time the
 * added tokens took, so slow refills are not lost to rounding. The one
 * definition, run by the datapath (bpf/trace.bpf.h) and the unit tests.
 */
static __inline__ int cg_trace_bucket_take(struct cg_trace_bucket *b, __u64 now_ns, __u64 rate,
					   __u64 burst)
{
	__u64 add, dt;

	if (now_ns < b->last_ns)
		b->last_ns = now_ns;	/* never: the clock is monotonic */
	dt = now_ns - b->last_ns;
	if (dt >= 1000000000ULL * burst / rate) {
		b->tokens = burst;	/* long enough to fill it: full */
		b->last_ns = now_ns;
	} else {
		add = dt * rate / 1000000000ULL;
		if (add) {
			b->tokens += add;
			b->last_ns += add * 1000000000ULL / rate;
			if (b->tokens >= burst) {
				b->tokens = burst;
				b->last_ns = now_ns;
			}
		}
	}
	if (!b->tokens)
		return 0;
	b->tokens--;
	return 1;
}

#endif /* CSUMGUARD_H */
