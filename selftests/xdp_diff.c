// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_diff.c - the differential test: many random and mutated frames through
 * the XDP program and the reference verifier, under changing configurations
 * (mode, blocklist, GUE port). Per frame, the action and the change of every
 * per-interface counter must match; per batch, the whole per-source table
 * must equal the one the reference results add up to.
 *
 * Issue 10: frames carry real inner packets too (every encapsulation
 * variant, inner checksums valid or not), batches run in repair mode and
 * with sampling; what the program passed on is read back (data_out) and
 * must be the frame unchanged, or repaired exactly as the reference says.
 *
 * The same frames, where they fit a TC test run, also go through the TC
 * program: its action must be TC_ACT_UNSPEC (pass on) and its totals must move by the
 * reference verifier's kind. That is a check of its own ("tc
 * differential"), which names how many frames were too big to run.
 *
 * Through the single-buffer XDP variant, a frame of more than one buffer is
 * what its first XH_XDP_SB_LINEAR bytes are to the reference verifier (the
 * program sees no more); where the kernel refuses to test-run it (5.10) it
 * is not run, and the check's name says how many were not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include "pkt.h"
#include "refcheck.h"
#include "cg_wire.h"
#include "maps.h"
#include "harness.h"
#include "selftests.h"

#define BATCH		1000	/* frames between configuration changes */
#define POOL		8	/* source addresses per family */
#define MAX_FRAME	(9216 + 256)
#define MAX_REPORTED	5	/* disagreements printed in full */
#define GUE_PORT	PKT_GUE_PORT

static uint32_t rng;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* true with probability pct percent */
static int chance(unsigned pct)
{
	return rnd() % 100 < pct;
}

static void pool_addr(uint8_t out[16], int family, unsigned i)
{
	char text[64];

	if (family == 4)
		snprintf(text, sizeof(text), "10.1.%u.%u", i, 10 + i);
	else
		snprintf(text, sizeof(text), "fd00:1::%x", 0x10 + i);
	pkt_addr(out, family, text);
}

/* Issue 10: the tunnel header's variants (Geneve options and IP payloads,
 * GUE extension fields and control messages). */
static void random_tunnel(struct pkt_spec *s)
{
	if (chance(40))	/* 63 words (252 bytes) only where the frame has room */
		s->geneve_opt_words = chance(90) || s->inner_len > 8800 ? (int)(rnd() % 9) : 63;
	s->geneve_ip = chance(20);
	if (chance(40))
		s->gue_hlen = chance(90) ? (int)(rnd() % 5) : 31;
	s->gue_flags = chance(50) ? (uint16_t)rnd() : 0;
	s->gue_control = chance(8);
}

/* Issue 10: a real inner packet, its own checksum valid most of the time,
 * else wrong, zero, the seed or any value; all the ways it may not be
 * checkable (tags, options, extension headers, fragments, cut short,
 * padding, an unknown protocol or EtherType). inner_len becomes the inner
 * L4 payload. */
static void random_inner(struct pkt_spec *s)
{
	static const uint8_t ext[] = { CG_IPPROTO_HOPOPTS, CG_IPPROTO_DSTOPTS, CG_IPPROTO_ROUTING };
	static const uint8_t protos[] = { CG_IPPROTO_UDP, CG_IPPROTO_UDP, CG_IPPROTO_TCP,
					  CG_IPPROTO_TCP, CG_IPPROTO_ICMP, CG_IPPROTO_ICMPV6,
					  CG_IPPROTO_ICMPV6, 47 };
	struct pkt_inner *in = &s->inner;
	unsigned r;
	int i;

	in->family = chance(55) ? 4 : 6;
	r = rnd() % 100;
	in->vlan_tags = r < 80 ? 0 : r < 90 ? 1 : r < 97 ? 2 : 3;
	if (chance(3))
		in->ethertype = chance(50) ? 0x0806 : (uint16_t)rnd();
	if (in->family == 4 && chance(20))
		in->ipv4_opt_len = (int)(rnd() % 11) * 4;
	if (in->family == 6 && chance(20)) {
		in->n_ipv6_ext = 1 + (int)(rnd() % PKT_MAX_IPV6_EXT_INNER);
		for (i = 0; i < in->n_ipv6_ext; i++)
			in->ipv6_ext[i] = ext[rnd() % sizeof(ext)];
		if (chance(10))
			in->ipv6_routing_segs_left = 1 + (int)(rnd() % 3);
	}
	if (chance(8))
		in->frag = in->family == 6 ? (enum pkt_frag)(1 + rnd() % 3) :
			   (enum pkt_frag)(1 + rnd() % 2);
	in->l4proto = chance(97) ? protos[rnd() % sizeof(protos)] : (uint8_t)rnd();
	r = rnd() % 100;
	in->csum = r < 60 ? PKT_CSUM_VALID : r < 75 ? PKT_CSUM_WRONG : r < 83 ? PKT_CSUM_ZERO :
		   r < 92 ? PKT_CSUM_SEED : PKT_CSUM_VALUE;
	in->csum_value = (uint16_t)rnd();
	if (s->inner_len > 3000 && chance(80))
		s->inner_len %= 1400;
	if (chance(8))
		in->udp_short = (int)(rnd() % (s->inner_len + 1));
	if (chance(6))
		in->ip_len_extra = (int)(rnd() % 40) - 20;
	if (chance(10))
		in->pad = rnd() % 24;
}

static void random_spec(struct pkt_spec *s)
{
	static const uint8_t ext[] = { CG_IPPROTO_HOPOPTS, CG_IPPROTO_DSTOPTS, CG_IPPROTO_ROUTING };
	static const uint16_t ports[] = { CG_PORT_VXLAN_IANA, CG_PORT_VXLAN_IANA, CG_PORT_VXLAN_LINUX,
					  CG_PORT_GENEVE, GUE_PORT, 53 };
	int family = chance(50) ? 4 : 6, i;
	unsigned r;

	pkt_spec_init(s, family);
	pool_addr(s->saddr, family, rnd() % POOL);
	r = rnd() % 100;
	s->vlan_tags = r < 70 ? 0 : r < 85 ? 1 : r < 97 ? 2 : 3;
	if (family == 4 && chance(20))
		s->ipv4_opt_len = (int)(rnd() % 11) * 4;
	if (family == 6 && chance(20)) {
		s->n_ipv6_ext = 1 + (int)(rnd() % PKT_MAX_IPV6_EXT);
		for (i = 0; i < s->n_ipv6_ext; i++)
			s->ipv6_ext[i] = ext[rnd() % sizeof(ext)];
		if (chance(10))
			s->ipv6_routing_segs_left = 1 + (int)(rnd() % 3);
	}
	if (chance(10))
		s->frag = family == 6 ? (enum pkt_frag)(1 + rnd() % 3) : (enum pkt_frag)(1 + rnd() % 2);
	if (chance(5))
		s->l4proto = chance(50) ? CG_IPPROTO_TCP : (uint8_t)rnd();
	s->dport = chance(90) ? ports[rnd() % (sizeof(ports) / sizeof(ports[0]))] : (uint16_t)rnd();
	s->encap = (enum cg_encap)(1 + rnd() % 3);
	s->gue_version = (int)(rnd() % 2);
	r = rnd() % 100;
	s->inner_len = r < 80 ? rnd() % 1500 : r < 95 ? rnd() % 4000 : rnd() % 9100;
	if (chance(10))
		s->udp_extra = rnd() % 16;
	if (chance(10))
		s->trailer = rnd() % 32;
	r = rnd() % 100;
	s->csum = r < 60 ? PKT_CSUM_VALID : r < 70 ? PKT_CSUM_ZERO : r < 76 ? PKT_CSUM_SEED :
		  r < 83 ? PKT_CSUM_VALUE : r < 93 ? PKT_CSUM_WRONG : PKT_CSUM_COMPUTES_ZERO;
	s->csum_value = (uint16_t)rnd();
	if (s->csum == PKT_CSUM_COMPUTES_ZERO && s->inner_len < 2)
		s->inner_len = 2;
	if (chance(5))
		s->ulen_override = (int)(rnd() % (s->inner_len + 40)) + 1;
	s->seed = rnd();
	random_tunnel(s);
	if (chance(55))
		random_inner(s);
}

/* Issue 10: a bit of the inner packet flipped after both checksums were
 * made (outer and inner wrong), or of the outer IPv4 header. */
static void damage(uint8_t *f, size_t len, const struct pkt_layout *l,
		   const struct pkt_inner_layout *in)
{
	if (in->payload && in->payload < len && chance(20))
		f[in->payload + rnd() % (len - in->payload)] ^= (uint8_t)(1u << (rnd() % 8));
	if (chance(3) && l->l3 + 12 < len)
		f[l->l3 + 10 + rnd() % 2] ^= (uint8_t)(1u << (rnd() % 8));
}

/* Bit flips and byte writes, mostly in the headers; sometimes a cut. */
static size_t mutate(uint8_t *f, size_t len)
{
	int n = 1 + (int)(rnd() % 4), i;

	for (i = 0; i < n; i++) {
		size_t pos = chance(70) ? rnd() % (len < 120 ? len : 120) : rnd() % len;

		if (chance(60))
			f[pos] ^= (uint8_t)(1u << (rnd() % 8));
		else
			f[pos] = (uint8_t)rnd();
	}
	if (chance(15)) {
		size_t cut = CG_ETH_HLEN + rnd() % (len - CG_ETH_HLEN + 1);

		len = cut;	/* BPF_PROG_TEST_RUN takes no frame under 14 bytes */
	}
	return len;
}

/* Known nodes (issue 10) and expired blocks, from a random stream of their
 * own, so the frames of a seed are what they were before them. */
static uint32_t nodes_rng;

static uint32_t nodes_rnd(void)
{
	nodes_rng ^= nodes_rng << 13;
	nodes_rng ^= nodes_rng >> 17;
	nodes_rng ^= nodes_rng << 5;
	return nodes_rng;
}

#define MAX_NODES 6
static struct cg_ref_node_entry diff_nodes[MAX_NODES];

/* Half the batches with a set of known nodes from the address pool, their
 * TTL unknown (learning), the frames' 64 (evidence) or another (mismatch);
 * a third of those with --drop-unknown. Some blocks expired. */
static void random_nodes(struct cg_ref_config *cfg, struct cg_ref_block_entry *blk, int nblk)
{
	static const uint8_t ttls[] = { 0, 64, 64, 63 };
	int i, j, n = 0, dup;
	uint8_t a[16];

	for (i = 0; i < nblk; i++)
		blk[i].expired = nodes_rnd() % 5 == 0;
	if (nodes_rnd() % 2)
		return;
	for (i = 1 + (int)(nodes_rnd() % MAX_NODES); i > 0; i--) {
		memset(&diff_nodes[n], 0, sizeof(diff_nodes[n]));
		if (nodes_rnd() % 2) {
			pool_addr(a, 4, nodes_rnd() % POOL);
			cg_addr_from_v4(&diff_nodes[n].addr, a);
		} else {
			pool_addr(a, 6, nodes_rnd() % POOL);
			cg_addr_from_v6(&diff_nodes[n].addr, a);
		}
		diff_nodes[n].ttl = ttls[nodes_rnd() % sizeof(ttls)];
		for (dup = 0, j = 0; j < n; j++)	/* one entry per address */
			dup |= !memcmp(&diff_nodes[j].addr, &diff_nodes[n].addr,
				       sizeof(diff_nodes[n].addr));
		n += !dup;
	}
	cfg->nodes = diff_nodes;
	cfg->nnodes = (size_t)n;
	if (nodes_rnd() % 3 == 0)
		cfg->flags |= CG_CFG_DROP_UNKNOWN;
}

static void random_config(struct cg_ref_config *cfg, struct cg_ref_block_entry *blk)
{
	int i, n;

	cg_ref_config_default(cfg);
	cfg->mode = chance(50) ? CG_MODE_DROP : CG_MODE_MONITOR;
	/* issue 10: repair mode, sampling (the countdown: diff_sample_left) */
	cfg->flags = chance(35) ? CG_CFG_REPAIR : 0;
	cfg->sample = chance(20) ? 2 + rnd() % 4 : chance(10) ? 1 : 0;
	if (chance(50))
		cfg->port_encap[GUE_PORT] = CG_ENCAP_GUE;
	if (chance(30))
		cfg->port_encap[53] = CG_ENCAP_VXLAN;	/* an odd port, to be sure */
	n = 0;
	for (i = (int)(rnd() % 4); i > 0; i--) {
		uint8_t a[16];
		int j, dup = 0;

		memset(&blk[n], 0, sizeof(blk[n]));
		if (chance(50)) {
			pool_addr(a, 4, rnd() % POOL);
			cg_addr_from_v4(&blk[n].addr, a);
		} else {
			pool_addr(a, 6, rnd() % POOL);
			cg_addr_from_v6(&blk[n].addr, a);
		}
		blk[n].flags = chance(40) ? CG_BLOCK_ALL_TRAFFIC : 0;
		for (j = 0; j < n; j++)		/* a map holds one entry per address */
			dup |= !memcmp(&blk[j].addr, &blk[n].addr, sizeof(blk[n].addr));
		n += !dup;
	}
	cfg->blocks = blk;
	cfg->nblocks = (size_t)n;
	random_nodes(cfg, blk, n);
}

/* The per-source tables the reference results add up to. The blocklist is
 * fixed within a batch, so a source's row stays in one table. */
struct src_row {
	struct cg_addr addr;
	int kept;		/* in cg_src_kept */
	int known;		/* in cg_src_nodes (before kept) */
	int rare;		/* has a shared part (a frame that is not common) */
	struct cg_src_stats st;
};

/* TTL learning counts the reference predicts: (source, TTL) -> ok frames. */
struct learn_row {
	struct cg_addr addr;
	uint8_t ttl;
	uint64_t n;
};
static struct learn_row learn_rows[BATCH];
static int nlearn;

static void learn_add(const struct xh_expect *e)
{
	int i;

	for (i = 0; i < nlearn; i++)
		if (!memcmp(&learn_rows[i].addr, &e->src, sizeof(e->src)) &&
		    learn_rows[i].ttl == e->ttl) {
			learn_rows[i].n++;
			return;
		}
	learn_rows[nlearn].addr = e->src;
	learn_rows[nlearn].ttl = e->ttl;
	learn_rows[nlearn++].n = 1;
}

static int compare_learning(struct harness *h, char *why, size_t whylen)
{
	char ab[64];
	int i, got = xh_ttl_seen_count(h);

	if (got != nlearn) {
		snprintf(why, whylen, " TTL learning entries want %d got %d", nlearn, got);
		return -1;
	}
	for (i = 0; i < nlearn; i++)
		if (xh_ttl_seen(h, &learn_rows[i].addr, learn_rows[i].ttl) != learn_rows[i].n) {
			snprintf(why, whylen, " TTL learning count of %s TTL %u want %llu got %llu",
				 xh_addr_str(&learn_rows[i].addr, ab, sizeof(ab)), learn_rows[i].ttl,
				 (unsigned long long)learn_rows[i].n,
				 (unsigned long long)xh_ttl_seen(h, &learn_rows[i].addr,
								 learn_rows[i].ttl));
			return -1;
		}
	return 0;
}

/* The row of e's source; a new one counts as an insert into cg_src. */
static struct src_row *find_row(struct src_row *rows, int *n, const struct xh_expect *e,
				struct cg_iface_stats *want)
{
	int i;

	for (i = 0; i < *n; i++)
		if (!memcmp(&rows[i].addr, &e->src, sizeof(e->src)))
			return &rows[i];
	memset(&rows[*n], 0, sizeof(rows[*n]));
	rows[*n].addr = e->src;
	rows[*n].kept = e->kept && !e->known;
	rows[*n].known = e->known;
	if (!e->kept && !e->known)
		want->c[CG_IF_SRC_INSERTED]++;
	return &rows[(*n)++];
}

static void dump_frame(const uint8_t *f, size_t len)
{
	size_t i, n = len < 160 ? len : 160;

	for (i = 0; i < n; i++)
		printf("%02x%s", f[i], (i + 1) % 32 ? "" : "\n");
	printf("%s(%zu bytes)\n", n % 32 ? "\n" : "", len);
}

static int compare_sources(struct harness *h, struct src_row *rows, int nrows, char *why,
			   size_t whylen)
{
	char sub[512], ab[64];
	int i, kept = 0, known = 0, got = xh_src_count(h->src_fd);
	int got_kept = xh_src_count(h->src_kept_fd), got_known = xh_src_count(h->src_nodes_fd);
	int rare[3] = { 0, 0, 0 }, got_rare[3];

	got_rare[0] = xh_src_count(h->src_rare_fd);
	got_rare[1] = xh_src_count(h->src_kept_rare_fd);
	got_rare[2] = xh_src_count(h->src_nodes_rare_fd);
	for (i = 0; i < nrows; i++) {
		kept += rows[i].kept;
		known += rows[i].known;
		rare[rows[i].known ? 2 : rows[i].kept ? 1 : 0] += rows[i].rare;
	}
	if (got != nrows - kept - known || got_kept != kept || got_known != known) {
		snprintf(why, whylen, " per-source entries want %d + %d kept + %d known nodes', "
			 "got %d + %d + %d", nrows - kept - known, kept, known, got, got_kept,
			 got_known);
		return -1;
	}
	if (memcmp(rare, got_rare, sizeof(rare))) {
		snprintf(why, whylen, " shared parts of per-source entries want %d + %d kept + "
			 "%d known nodes', got %d + %d + %d", rare[0], rare[1], rare[2],
			 got_rare[0], got_rare[1], got_rare[2]);
		return -1;
	}
	for (i = 0; i < nrows; i++) {
		struct cg_src_stats st;

		if (xh_src_read(h, rows[i].known, rows[i].kept, &rows[i].addr, &st)) {
			snprintf(why, whylen, " no entry for %s",
				 xh_addr_str(&rows[i].addr, ab, sizeof(ab)));
			return -1;
		}
		if (xh_cmp_src(&rows[i].st, &st, sub, sizeof(sub))) {
			snprintf(why, whylen, " source %s:%s",
				 xh_addr_str(&rows[i].addr, ab, sizeof(ab)), sub);
			return -1;
		}
	}
	return 0;
}

/* The TC side (SPEC 2 "TC egress"): expected egress totals and destination
 * rows, added up from the reference verifier's egress classification. Its
 * own random stream, so the XDP frames of a seed are what they always were. */
static uint32_t tc_rng;

static uint32_t tc_rnd(void)
{
	tc_rng ^= tc_rng << 13;
	tc_rng ^= tc_rng >> 17;
	tc_rng ^= tc_rng << 5;
	return tc_rng;
}

struct dst_row {
	struct cg_addr addr;
	struct cg_dst_stats st;
};

struct tc_side {
	struct cg_egress_stats want;
	struct dst_row rows[2 * BATCH];	/* one skb goes through up to two programs */
	int nrows;
	long frames, big, short_ip, bad, gso, gso_meta;
	long states[CG_EGRESS_STATE_MAX];
};

static struct cg_dst_stats *dst_row(struct tc_side *t, const struct cg_addr *a)
{
	int i;

	for (i = 0; i < t->nrows; i++)
		if (!memcmp(&t->rows[i].addr, a, sizeof(*a)))
			return &t->rows[i].st;
	memset(&t->rows[t->nrows], 0, sizeof(t->rows[0]));
	t->rows[t->nrows].addr = *a;
	t->want.c[CG_IF_SRC_INSERTED]++;
	return &t->rows[t->nrows++].st;
}

/* The frame through every TC program loaded; 15% of them as GSO skbs. 0 if
 * they agree, -1 with why filled if not, -2 on a harness error. */
static int diff_tc(struct harness *h, struct tc_side *t, const struct cg_ref_config *cfg,
		   const uint8_t *f, size_t len, char *why, size_t whylen)
{
	uint32_t gso_size = 0, gso_segs = 0;
	struct cg_egress_stats got;
	struct cg_ref_egress ref;
	struct xh_egress_expect e;
	enum xh_hook hook;
	int action;

	if (tc_rnd() % 100 < 15) {
		gso_size = 1400;
		gso_segs = tc_rnd() % 9;
	}
	cg_ref_egress_classify(f, len, cfg, gso_size != 0, gso_segs, &ref);
	xh_egress_expect_from_ref(&ref, &e);
	t->gso += e.gso;
	if (e.kind == CG_IF_TUNNEL)
		t->states[e.state]++;
	why[0] = 0;
	for (hook = XH_TC; hook <= XH_TCF; hook++) {
		if (!xh_hook_loaded(h, hook))
			continue;
		t->gso_meta += hook == XH_TCF && e.gso_tunnel;
		xh_egress_add(&t->want, e.kind == CG_IF_TUNNEL ? dst_row(t, &e.dst) : NULL, hook, &e,
			      len);
		if (xh_run_skb(h, hook, f, len, gso_size, gso_segs, &action) ||
		    xh_egress_read(h, &got))
			return -2;
		if (action != e.action)
			snprintf(why, whylen, " %s action want %d got %d", xh_hook_name(hook),
				 e.action, action);
		else if (xh_cmp_egress(&t->want, &got, why, whylen))
			t->want = got;	/* resynchronise, keep counting */
		if (why[0])
			return -1;
	}
	return 0;
}

static int compare_dsts(struct harness *h, struct tc_side *t, char *why, size_t whylen)
{
	char sub[768], ab[64];
	int i, got = xh_dst_count(h);

	if (got != t->nrows) {
		snprintf(why, whylen, " per-destination entries want %d, got %d", t->nrows, got);
		return -1;
	}
	for (i = 0; i < t->nrows; i++) {
		struct cg_dst_stats st;

		if (xh_dst_read(h, &t->rows[i].addr, &st)) {
			snprintf(why, whylen, " no entry for %s",
				 xh_addr_str(&t->rows[i].addr, ab, sizeof(ab)));
			return -1;
		}
		if (xh_cmp_dst(&t->rows[i].st, &st, sub, sizeof(sub))) {
			snprintf(why, whylen, " destination %s:%s",
				 xh_addr_str(&t->rows[i].addr, ab, sizeof(ab)), sub);
			return -1;
		}
	}
	return 0;
}

int run_xdp_diff(struct harness *h, struct st_result *res, long frames, uint32_t seed)
{
	static uint8_t frame[MAX_FRAME], out[MAX_FRAME];
	static struct cg_ref_config cfg;
	static uint64_t sample_left;
	struct pkt_layout lay;
	struct pkt_inner_layout inl;
	long classes[CG_BAD_CLASS_MAX] = { 0 }, zin[CG_ZERO_INNER_MAX] = { 0 };
	long repaired = 0, unverified = 0, bad_out = 0;
	size_t out_len;
	static struct src_row rows[BATCH];
	static struct tc_side tc;
	struct cg_ref_block_entry blk[4];
	struct cg_iface_stats want = { 0 }, got;
	long i, bad_frames = 0, bad_batches = 0, kinds[CG_IFACE_COUNTER_MAX] = { 0 };
	long verdicts[CG_VERDICT_MAX] = { 0 }, drops = 0, tc_bad_batches = 0;
	long xdp_not_run = 0, xdp_cut = 0;
	long unknowns = 0, knowns = 0, mismatches = 0, evidence = 0, learned = 0, drop_unknown = 0;
	const char *skip;
	char why[1024], name[512];
	int nrows = 0, reported = 0, r;

	rng = seed ? seed : 1;
	tc_rng = rng ^ 0x9e3779b9;
	nodes_rng = rng ^ 0x85ebca6b;
	memset(&tc, 0, sizeof(tc));
	printf("differential: seed %u, %ld frames (rerun: test_xdp --diff %ld --seed %u)\n",
	       seed, frames, frames, seed);
	for (i = 0; i < frames; i++) {
		struct cg_ref_result ref;
		struct xh_expect e;
		struct pkt_spec s;
		size_t len, seen;
		int action;

		if (i % BATCH == 0) {
			random_config(&cfg, blk);
			sample_left = 0;	/* xh_reset_counters restarts the datapath's */
			cfg.sample_left = &sample_left;
			if (xh_apply(h, &cfg) || xh_reset_counters(h)) {
				st_report(res, "differential", -1, "could not configure the datapath");
				return -1;
			}
			memset(&want, 0, sizeof(want));
			memset(&tc.want, 0, sizeof(tc.want));
			tc.nrows = 0;
			nrows = 0;
			nlearn = 0;
		}
		random_spec(&s);
		len = pkt_build_inner(frame, sizeof(frame), &s, &lay, &inl);
		if (!len) {
			st_report(res, "differential", -1, "frame did not build");
			return -1;
		}
		damage(frame, len, &lay, &inl);
		if (chance(40))
			len = mutate(frame, len);

		/* What the XDP variant sees of the frame (single-buffer: its
		 * first buffer), unless this kernel will not run it at all. */
		seen = xh_xdp_seen_len(h, len);
		xdp_cut += seen < len;
		why[0] = 0;
		if (!xh_xdp_takes(h, len, &skip)) {
			xdp_not_run++;
			goto tc;
		}
		cg_ref_classify(frame, seen, &cfg, &ref);
		xh_expect_from_ref(&ref, &e);
		xh_expect_add_iface(&want, &e);
		if (e.row != XH_ROW_NONE) {
			struct src_row *r = find_row(rows, &nrows, &e, &want);

			xh_expect_add_src(&r->st, &e, seen);
			/* its first frame that is not common makes its shared part */
			if (xh_expect_rare(&e) && !r->rare) {
				r->rare = 1;
				if (!r->kept && !r->known)
					want.c[CG_IF_SRC_RARE_INSERTED]++;
			}
		}
		if (e.learn)
			learn_add(&e);
		unknowns += e.unknown;
		knowns += e.known;
		mismatches += e.ttl_state == CG_REF_TTL_MISMATCH;
		evidence += e.ttl_state == CG_REF_TTL_MATCH;
		learned += e.learn;
		drop_unknown += e.drop == CG_IF_DROP_UNKNOWN;
		kinds[e.kind]++;
		if (e.kind == CG_IF_TUNNEL)
			verdicts[e.verdict]++;
		if (e.kind == CG_IF_TUNNEL && e.verdict == CG_V_BAD)
			classes[e.cls]++;
		if (e.kind == CG_IF_TUNNEL && e.verdict == CG_V_ZERO)
			zin[e.zero_inner]++;
		repaired += e.repaired;
		unverified += e.kind == CG_IF_UNVERIFIED;
		drops += e.action == XDP_DROP;

		if (xh_run_out(h, XH_XDP, frame, len, out, sizeof(out), &out_len, &action) ||
		    xh_iface_read(h, XH_XDP, &got)) {
			st_report(res, "differential", -1, "BPF_PROG_TEST_RUN failed");
			return -1;
		}
		if (action != e.action)
			snprintf(why, sizeof(why), " action want %d got %d", e.action, action);
		else
			xh_cmp_iface(&want, &got, why, sizeof(why));
		/* What it passed on: unchanged, or (repaired) with the outer
		 * checksum the reference computes, and nothing else changed. */
		if (!why[0] && action == XDP_PASS) {
			size_t f = ref.udp_off + 6, k;

			for (k = 0; k < len && k < out_len; k++)
				if (out[k] != frame[k] && !(ref.repaired && (k == f || k == f + 1)))
					break;
			if (out_len != len || k < len ||
			    (ref.repaired && (out[f] << 8 | out[f + 1]) != ref.expected_csum)) {
				snprintf(why, sizeof(why), " data_out %s (repaired %d)",
					 out_len != len ? "of another length" : "differs", ref.repaired);
				bad_out++;
			}
		}
		if (why[0]) {
			bad_frames++;
			if (reported++ < MAX_REPORTED) {
				printf("disagreement at frame %ld:%s\n", i, why);
				dump_frame(frame, len);
			}
			want = got;	/* resynchronise, keep counting */
		}
tc:
		if (!h->run_tc) {
			/* the TC programs ran with another XDP variant */
		} else if (!xh_hook_takes(XH_TC, frame, len, &skip)) {
			if (len > XH_TC_MAX_FRAME)
				tc.big++;
			else
				tc.short_ip++;
		} else if ((r = diff_tc(h, &tc, &cfg, frame, len, why, sizeof(why))) == -2) {
			st_report(res, "tc differential", -1, "BPF_PROG_TEST_RUN failed");
			return -1;
		} else {
			tc.frames++;
			if (r) {
				tc.bad++;
				if (reported++ < MAX_REPORTED) {
					printf("tc disagreement at frame %ld:%s\n", i, why);
					dump_frame(frame, len);
				}
			}
		}
		if ((i + 1) % BATCH == 0 || i + 1 == frames) {
			if (!bad_frames && (compare_sources(h, rows, nrows, why, sizeof(why)) ||
					    compare_learning(h, why, sizeof(why)))) {
				bad_batches++;
				if (reported++ < MAX_REPORTED)
					printf("per-source disagreement in batch ending at frame %ld:%s\n",
					       i, why);
			}
			if (h->run_tc && !tc.bad && compare_dsts(h, &tc, why, sizeof(why))) {
				tc_bad_batches++;
				if (reported++ < MAX_REPORTED)
					printf("per-destination disagreement in batch ending at frame "
					       "%ld:%s\n", i, why);
			}
		}
	}
	cfg.sample_left = NULL;
	printf("differential: reference kinds: not_tunnel %ld, unparsed %ld, tunnel %ld "
	       "(ok %ld, bad %ld, unfinished %ld, zero %ld, fragment %ld, malformed %ld, "
	       "bad_ip_header %ld), unverified %ld, dropped %ld\n",
	       kinds[CG_IF_NOT_TUNNEL], kinds[CG_IF_UNPARSED], kinds[CG_IF_TUNNEL],
	       verdicts[CG_V_OK], verdicts[CG_V_BAD], verdicts[CG_V_UNFINISHED], verdicts[CG_V_ZERO],
	       verdicts[CG_V_FRAGMENT], verdicts[CG_V_MALFORMED], verdicts[CG_V_BAD_IP_HEADER],
	       unverified, drops);
	printf("differential: bad classes: outer_only %ld, payload %ld, unclassified %ld; "
	       "zero inner: ok %ld, bad %ld, unfinished %ld, unchecked %ld; repaired %ld "
	       "(each read back from data_out)\n",
	       classes[CG_BC_OUTER_ONLY], classes[CG_BC_PAYLOAD], classes[CG_BC_UNCLASSIFIED],
	       zin[CG_ZI_OK], zin[CG_ZI_BAD], zin[CG_ZI_UNFINISHED], zin[CG_ZI_UNCHECKED], repaired);
	printf("differential: known nodes: unknown_sender %ld (dropped %ld), known %ld (TTL "
	       "matched %ld, ttl_mismatch %ld, learning %ld)\n", unknowns, drop_unknown, knowns,
	       evidence, mismatches, learned);
	if (h->xdp.variant == CG_XDP_SINGLE_BUF)
		snprintf(name, sizeof(name), "differential (%s): %ld frames of the %ld, seed %u "
			 "(%ld over %d bytes seen as their first %d; not run: %ld: %s)",
			 CG_PROG_NAME_SB, frames - xdp_not_run, frames, seed,
			 xdp_not_run ? 0 : xdp_cut, XH_XDP_SB_LINEAR, XH_XDP_SB_LINEAR,
			 xdp_not_run, xdp_not_run ? h->sb_big_why : "none refused");
	else
		snprintf(name, sizeof(name), "differential: %ld frames, seed %u", frames, seed);
	snprintf(why, sizeof(why), " %ld frames (%ld of them in what they passed on) and %ld "
		 "per-source batches disagree", bad_frames, bad_out, bad_batches);
	/* every class must have come up, or the generator lost its reach */
	if (frames >= 20000 && !(classes[CG_BC_OUTER_ONLY] && classes[CG_BC_PAYLOAD] &&
				 classes[CG_BC_UNCLASSIFIED] && zin[CG_ZI_OK] && zin[CG_ZI_BAD] &&
				 zin[CG_ZI_UNFINISHED] && zin[CG_ZI_UNCHECKED] && repaired &&
				 unverified && verdicts[CG_V_BAD_IP_HEADER] && unknowns &&
				 drop_unknown && evidence && mismatches && learned)) {
		snprintf(why, sizeof(why), " a class, zero-inner result, repair, sampling, "
			 "bad_ip_header, unknown sender, TTL match, mismatch or learning never came "
			 "up in %ld frames", frames);
		bad_batches++;
	}
	st_report(res, name, bad_frames || bad_batches || xdp_not_run == frames ? -1 : 0, why);
	if (xdp_not_run) {
		/* counted as a skip of its own, with the kernel's reason */
		snprintf(name, sizeof(name), "differential (%s): %ld frames over %d bytes not run",
			 CG_PROG_NAME_SB, xdp_not_run, XH_XDP_SB_LINEAR);
		st_skip(res, name, h->sb_big_why);
	}
	if (h->tc_skip_why) {
		snprintf(name, sizeof(name), "tc differential: %ld frames", frames);
		st_skip(res, name, h->tc_skip_why);
	}
	if (!h->run_tc)
		return 0;

	/* Frames a TC test run does not take were not run: named, not passed
	 * (xh_hook_takes says why). */
	printf("tc differential: reference states: final_ok %ld, final_bad %ld, offloaded %ld, "
	       "zero %ld, fragment %ld, malformed %ld; %ld GSO skbs, %ld GSO tunnel skbs "
	       "through tcf\n", tc.states[CG_E_FINAL_OK], tc.states[CG_E_FINAL_BAD],
	       tc.states[CG_E_OFFLOADED], tc.states[CG_E_ZERO], tc.states[CG_E_FRAGMENT],
	       tc.states[CG_E_MALFORMED], tc.gso, tc.gso_meta);
	snprintf(name, sizeof(name), "tc differential (%s): %ld frames of the %ld (not run: %ld "
		 "over %d bytes, %ld IP frames shorter than their fixed header)",
		 xh_hook_loaded(h, XH_TCF) ? "tc and tcf" : "tc only", tc.frames, frames, tc.big,
		 XH_TC_MAX_FRAME, tc.short_ip);
	snprintf(why, sizeof(why), " %ld frames and %ld per-destination batches disagree", tc.bad,
		 tc_bad_batches);
	st_report(res, name, tc.bad || tc_bad_batches || !tc.frames ? -1 : 0, why);
	return 0;
}
