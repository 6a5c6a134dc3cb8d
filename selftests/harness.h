/* SPDX-License-Identifier: GPL-2.0 */
/*
 * harness.h - loads the BPF programs from their skeletons and runs frames
 * through them with BPF_PROG_TEST_RUN, the hook being a parameter: the XDP
 * validator or the TC egress program (csumguard_tc), which shares the
 * validator's port table, config and blocklist maps, as the two hooks do
 * when attached. Reads and resets their maps.
 *
 * The XDP validator is one of its two variants (lib/probe.h), chosen by the
 * caller: multi-buffer csumguard_xdp (xdp.frags, 5.18+) or single-buffer
 * csumguard_xdpsb (any kernel from the floor; it sees a frame's first buffer
 * only, XH_XDP_SB_LINEAR bytes of a test run). test_xdp runs the table and
 * the differential through every variant the kernel loads.
 */
#ifndef CG_HARNESS_H
#define CG_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include "csumguard.h"
#include "refcheck.h"
#include "probe.h"
#include "xdp_obj.h"

struct csumguard_tc;

/* The program a frame is run through. */
enum xh_hook {
	XH_XDP = 0,	/* csumguard_xdp: action XDP_PASS / XDP_DROP */
	XH_TC,		/* csumguard_tc (CG_TC_PROG): TC_ACT_UNSPEC / TC_ACT_SHOT */
	XH_TCF,		/* csumguard_tcf (CG_TC_PROG_FACTS), kernel 6.2+: the
			 * same, and skb facts; both TC programs count into
			 * the same cg_dst and cg_egress (one object) */
	XH_HOOK_MAX
};

/* What a test run hands a program without xdp.frags support in its linear
 * part: PAGE_SIZE less XDP's headroom (256) and struct skb_shared_info
 * (320) on x86-64. Kernels from 5.18 put a bigger frame's rest into
 * fragments the single-buffer program never reads (it sees the first
 * XH_XDP_SB_LINEAR bytes); 5.10 refuses the test run (xh_xdp_takes). */
#define XH_XDP_SB_LINEAR	3520

/* TC test runs take linear data only, up to PAGE_SIZE minus headroom and
 * struct skb_shared_info (4096 - 64 - 320 on x86-64): bigger frames cannot
 * be run through the TC program here (they need a netns test). And they
 * refuse (EINVAL, 6.1 and 6.18 alike) a frame whose EtherType is IPv4 or
 * IPv6 but which is shorter than Ethernet + the fixed IP header. */
#define XH_TC_MAX_FRAME	3712

struct harness {
	struct cg_xdp_obj xdp;		/* the XDP variant loaded (xdp.variant) */
	/* single-buffer: a test run of more than XH_XDP_SB_LINEAR bytes is
	 * refused by this kernel (before 5.18): -errno of that run, else 0 */
	int sb_big_refused;
	char sb_big_why[192];		/* then: why, for the skips */
	/* Run the TC checks beside the XDP ones (test_xdp: with the first
	 * XDP variant only; the TC programs do not depend on it). */
	int run_tc;
	/* The TC programs cannot run on this kernel (no global functions with
	 * pointer arguments, before 5.12: lib/probe.h): why, for the skips
	 * their checks become, and the -errno of loading them anyway (must
	 * fail); else NULL, 0. */
	const char *tc_skip_why;
	int tc_load_err;
	struct csumguard_tc *tc_skel;
	int prog_fd, ports_fd, src_fd, src_kept_fd, iface_fd, config_fd, block_fd, block_count_fd;
	int sample_fd;		/* the XDP program's per-CPU sampling state */
	/* known nodes (issue 10): the set and its gate, the TTL learning
	 * counts, the known nodes' per-source table */
	int nodes_fd, node_count_fd, ttl_seen_fd, src_nodes_fd;
	/* the shared parts of the three per-source tables' rows (issue 13:
	 * bpf/maps.bpf.h cg_src_rare, cg_src_kept_rare, cg_src_nodes_rare) */
	int src_rare_fd, src_kept_rare_fd, src_nodes_rare_fd;
	int src_cache_fd;	/* the hot-source cache (cg_src_cache) */
	int tc_prog_fd, tc_iface_fd, tc_dst_fd;
	/* The facts program: loaded where the kernel has bpf_cast_to_kern_ctx
	 * (kernel_has_facts), as the loader does (bpf/README.md "Facts");
	 * else tcf_prog_fd is -1 and tcf_load_err says why not. */
	int tcf_prog_fd;
	int kernel_has_facts;
	int tcf_load_err;	/* 0, or -errno of loading it anyway (must fail) */
	uint8_t ports[CG_PORT_TABLE_SIZE];	/* what cg_ports holds, to skip syscalls */
};

/* Whether the running kernel's BTF has the kfunc bpf_cast_to_kern_ctx (6.2+):
 * the loader's test for loading CG_TC_PROG_FACTS instead of CG_TC_PROG. 1, 0,
 * or -errno when the kernel's BTF cannot be read. */

/* Opens and loads the XDP program's variant v and the TC programs; default
 * ports, monitor mode; run_tc set. 0 or -errno; on error *what names the
 * step that failed. Pins the calling thread to the CPU it runs on: test
 * runs then always meet the same per-CPU state (the sampling countdown), as
 * the reference verifier's one counter models. */
int xh_open(struct harness *h, enum cg_xdp_variant v, const char **what);
void xh_close(struct harness *h);

const char *xh_hook_name(enum xh_hook hook);

/* Whether frame f of len bytes can be run through hook here; if not, why.
 * (The XDP variant's own limit is xh_xdp_takes.) */
int xh_hook_takes(enum xh_hook hook, const uint8_t *f, size_t len, const char **why);

/* Whether this kernel test-runs a len-byte frame through the loaded XDP
 * variant; if not, why (a limit of the kernel's test run, not of csumguard:
 * reported as a skip, never as a pass). */
int xh_xdp_takes(const struct harness *h, size_t len, const char **why);

/* How many of a len-byte frame's bytes the loaded XDP variant sees as its
 * frame (single-buffer: the test run's linear part only). */
size_t xh_xdp_seen_len(const struct harness *h, size_t len);

/* A case's name for the loaded XDP variant: as it is for multi-buffer,
 * "xdpsb: NAME" for single-buffer. */
const char *xh_xdp_case_name(const struct harness *h, const char *name, char *buf,
			     size_t len);

/* Runs one frame once through hook. Returns 0 and sets *action, or -errno. */
int xh_run(struct harness *h, enum xh_hook hook, const uint8_t *frame, size_t len, int *action);

/* The same, and the frame as the program left it (data_out: what repair
 * mode wrote) in out (cap bytes), its length in *out_len. */
int xh_run_out(struct harness *h, enum xh_hook hook, const uint8_t *frame, size_t len,
	       uint8_t *out, size_t cap, size_t *out_len, int *action);

/* The same through a TC hook as an skb with gso_size and gso_segs set (the
 * two GSO fields a TC test run takes; gso_size != 0 makes skb_is_gso()). */
int xh_run_skb(struct harness *h, enum xh_hook hook, const uint8_t *frame, size_t len,
	       uint32_t gso_size, uint32_t gso_segs, int *action);

/* Whether hook's program is loaded here (XH_TCF needs kernel 6.2+). */
int xh_hook_loaded(const struct harness *h, enum xh_hook hook);

/* The per-interface totals of hook's program (cg_iface / cg_egress). */
int xh_iface_read(struct harness *h, enum xh_hook hook, struct cg_iface_stats *st);

/* Empties the per-source tables and both programs' totals, and restarts the
 * sampling countdown (every CPU); the blocklist. */
int xh_reset_counters(struct harness *h);
int xh_clear_blocklist(struct harness *h);

/* Makes the datapath's config (mode, repair, sample), ports and blocklist
 * equal to a reference config, so both sides judge with the same rules
 * (both hooks: shared maps). */
int xh_apply(struct harness *h, const struct cg_ref_config *cfg);

/* Number of keys in a per-source table (h->src_fd, src_kept_fd, src_nodes_fd). */
int xh_src_count(int map_fd);

/* A source's whole row (per-CPU and shared parts, lib/maps.h cg_src_read)
 * in the table pair its state says: known nodes', else kept, else the LRU
 * one; with the counts of that table waiting in the hot-source cache. 0 or
 * -errno (-ENOENT: no row). */
int xh_src_read(struct harness *h, int known, int kept, const struct cg_addr *a,
		struct cg_src_stats *out);

/* The TTL learning count of (src, ttl) (cg_ttl_seen): 0 when absent. And the
 * number of entries the map holds. */
uint64_t xh_ttl_seen(struct harness *h, const struct cg_addr *src, uint8_t ttl);
int xh_ttl_seen_count(struct harness *h);

/* What one frame adds to its source's row. */
enum xh_row {
	XH_ROW_NONE = 0,	/* no row: no IP source, not a tunnel frame, or unchecked */
	XH_ROW_VERDICT,		/* packets, bytes, the verdict (and its class) */
	XH_ROW_UNPARSED,	/* the source's "unparsed" counter */
	XH_ROW_UNVERIFIED,	/* the source's "unverified" counter (sampling) */
};

/* What one frame must do to the XDP validator, observed from outside. */
struct xh_expect {
	int action;			/* XDP_PASS or XDP_DROP */
	enum cg_iface_counter kind;	/* NOT_TUNNEL, UNPARSED, UNCHECKED, TUNNEL or
					 * UNVERIFIED */
	enum cg_verdict verdict;	/* when kind == CG_IF_TUNNEL */
	enum cg_bad_class cls;		/* when verdict == CG_V_BAD */
	enum cg_zero_inner zero_inner;	/* when verdict == CG_V_ZERO */
	int repaired;			/* repair mode rewrote its outer checksum */
	enum cg_iface_counter drop;	/* CG_IF_DROP_BAD/_BLOCKED/_UNKNOWN, or CG_IF_FRAMES:
					 * none */
	enum xh_row row;
	int kept;			/* the row is in cg_src_kept (source blocked) */
	int known;			/* the row is in cg_src_nodes (a known node:
					 * before kept) */
	int unknown;			/* an unknown sender (issue 10) */
	enum cg_ref_ttl ttl_state;	/* a known node's TTL matched, or not */
	int learn;			/* counted in cg_ttl_seen as (src, ttl) */
	uint8_t ttl;
	struct cg_addr src;		/* when row != XH_ROW_NONE */
};

/* The observation a reference result predicts. */
void xh_expect_from_ref(const struct cg_ref_result *r, struct xh_expect *e);

/* Does the frame go to the shared part of its source's row (include/
 * csumguard.h cg_src_stats: everything but the common verdicts ok,
 * unfinished and zero, with nothing dropped, repaired, unknown or of
 * another TTL)? From the reference's result alone, not from the datapath's
 * code: 1 or 0 (0 also when it has no row). */
int xh_expect_rare(const struct xh_expect *e);

/* Adds one frame's expected effect to expected totals / a source's counters.
 * (CG_IF_SRC_INSERTED depends on the table before the frame: callers add it.) */
void xh_expect_add_iface(struct cg_iface_stats *t, const struct xh_expect *e);
void xh_expect_add_src(struct cg_src_stats *s, const struct xh_expect *e, uint64_t bytes);

/* Compares two totals / two sources' counters (last_bad_ns, first_bad_ns:
 * both zero or both non-zero). Returns 0 if equal, else -1 and a
 * description in why. */
int xh_cmp_iface(const struct cg_iface_stats *want, const struct cg_iface_stats *got,
		 char *why, size_t whylen);
int xh_cmp_src(const struct cg_src_stats *want, const struct cg_src_stats *got,
	       char *why, size_t whylen);

/* Runs one frame through the XDP program from zeroed counters and checks
 * the action, the totals and the whole per-source table exactly (hook must
 * be XH_XDP; the TC check is xh_check_egress). 0, or -1 with why filled. */
int xh_check_one(struct harness *h, enum xh_hook hook, const uint8_t *f, size_t len,
		 const struct xh_expect *e, char *why, size_t whylen);

/* The same, and the frame the program passed on copied to out (cap bytes,
 * its length in *out_len): the repaired frame. */
int xh_check_one_out(struct harness *h, const uint8_t *f, size_t len, const struct xh_expect *e,
		     uint8_t *out, size_t cap, size_t *out_len, char *why, size_t whylen);

/* ---- TC egress ---------------------------------------------------------- */

/* What one skb must do to a TC program, observed from outside. */
struct xh_egress_expect {
	int action;			/* TC_ACT_UNSPEC (pass on) or TC_ACT_SHOT */
	enum cg_iface_counter kind;	/* NOT_TUNNEL, UNPARSED or TUNNEL */
	enum cg_egress_state state;	/* when kind == CG_IF_TUNNEL */
	uint32_t weight;		/* wire packets */
	int gso;
	int gso_tunnel;			/* facts program: the metadata is checked */
	struct cg_addr dst;
};

/* The observation a reference result predicts. */
void xh_egress_expect_from_ref(const struct cg_ref_egress *r, struct xh_egress_expect *e);

/* Adds one skb's expected effect, through hook (XH_TC or XH_TCF), to
 * expected totals and (when the skb has a row, d not NULL) its destination's
 * row. A TC test run's skb is never CHECKSUM_PARTIAL and never marked
 * encapsulated: through XH_TCF offloaded_fact stays 0, and every GSO tunnel
 * skb must count gso_meta_bad (its metadata says "not a tunnel").
 * (CG_IF_SRC_INSERTED depends on the table before the skb: callers add it.) */
void xh_egress_add(struct cg_egress_stats *t, struct cg_dst_stats *d, enum xh_hook hook,
		   const struct xh_egress_expect *e, uint64_t bytes);

/* The egress totals, every field summed over the CPUs; one destination's
 * row (0, -ENOENT, or -errno); the number of rows. */
int xh_egress_read(struct harness *h, struct cg_egress_stats *st);
int xh_dst_read(struct harness *h, const struct cg_addr *dst, struct cg_dst_stats *st);
int xh_dst_count(struct harness *h);

/* Compare; 0 if equal, else -1 and a description (last_bad_ns: both zero
 * or both non-zero). */
int xh_cmp_egress(const struct cg_egress_stats *want, const struct cg_egress_stats *got,
		  char *why, size_t whylen);
int xh_cmp_dst(const struct cg_dst_stats *want, const struct cg_dst_stats *got,
	       char *why, size_t whylen);

/* Runs one skb through hook (XH_TC or XH_TCF) from zeroed counters and checks
 * the action, the egress totals and the whole per-destination table. */
int xh_check_egress(struct harness *h, enum xh_hook hook, const uint8_t *f, size_t len,
		    uint32_t gso_size, uint32_t gso_segs, const struct xh_egress_expect *e,
		    char *why, size_t whylen);

/* Prints an address for messages. */
const char *xh_addr_str(const struct cg_addr *a, char *buf, size_t len);

#endif /* CG_HARNESS_H */
