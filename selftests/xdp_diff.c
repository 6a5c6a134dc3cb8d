// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_diff.c - the differential test: many random and mutated frames through
 * the XDP program and the TC egress programs and the reference verifier,
 * under changing configurations (mode, repair, sampling, blocklist, known
 * nodes, GUE port). Per frame, the action and the change of every
 * per-interface counter must match; per batch, the whole per-source,
 * per-destination and TTL learning tables must equal the ones the
 * reference results add up to.
 *
 * Two kinds of batch alternate: BATCH random frames under a random
 * configuration, then CASE_BATCHES batches of CASE_BATCH mutations of one
 * table case each (xdp_cases.c, both tables, in turn), under that case's
 * configuration.
 *
 * Random frames (issue 10) carry real inner packets too (every
 * encapsulation variant, inner checksums valid or not; damage() flips a bit
 * of the inner packet after both checksums were made). 40 % of the random
 * frames and 90 % of the case frames then go through the mutation engine
 * (mutate.c): bit flips, byte writes, truncation at header boundaries,
 * length-field edits (IPv4 total length and IHL, UDP length, IPv6 payload
 * length), VLAN tag insertion and removal, IPv6 extension header insertion,
 * checksum-field edits, EtherType, protocol, fragment fields, ports,
 * trailers and the tunnel and inner headers.
 *
 * What the XDP program passed on is read back (data_out) and must be the
 * frame unchanged, or repaired exactly as the reference says. Through the
 * single-buffer XDP variant, a frame of more than one buffer is what its
 * first XH_XDP_SB_LINEAR bytes are to the reference verifier (the program
 * sees no more); where the kernel refuses to test-run it (5.10) it is not
 * run, and the check's name says how many were not.
 *
 * The same frames, where they fit a TC test run, also go through the TC
 * programs (SPEC 2 "TC egress"): action and egress totals by the reference
 * verifier's egress classification (cg_ref_egress_classify), a table
 * case's frames as its GSO skb most of the time, others 15 % as GSO skbs
 * ("tc differential", naming how many frames were too big to run).
 *
 * Counters are compared by name (harness.c) and then whole, word by word
 * (words_differ), so a field added later is compared without an edit here.
 * Every disagreement prints the seed, the frame's origin and mutations, the
 * configuration, what each side made of it, the frame in hex and a ready
 * entry for the regression corpus (diff_corpus.h), which run_diff_corpus
 * runs on every test_xdp run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <time.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include "pkt.h"
#include "refcheck.h"
#include "cg_wire.h"
#include "maps.h"
#include "names.h"
#include "addr.h"
#include "mutate.h"
#include "harness.h"
#include "selftests.h"

#define BATCH		1000	/* random frames between configuration changes */
#define CASE_BATCH	100	/* mutations of one table case, under its configuration:
				 * 100000 frames reach every case */
#define CASE_BATCHES	8	/* case batches after each random batch: 44 % of the frames */
#define POOL		8	/* source addresses per family */
#define MAX_FRAME	20000	/* the largest table case is 16000 bytes */
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

	/* POOL: the table cases' default source (pkt_spec_init), so that a
	 * random batch's blocklist and known nodes can hold it too */
	if (i == POOL)
		snprintf(text, sizeof(text), family == 4 ? "10.0.0.1" : "fd00::1");
	else if (family == 4)
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
	if (chance(5))
		s->ulen_override = (int)(rnd() % (s->inner_len + 40)) + 1;
	s->seed = rnd();
	random_tunnel(s);
	if (chance(55))
		random_inner(s);
	/* after random_inner, which may cut inner_len to 0 or 1: an inner
	 * packet of another EtherType without inner Ethernet (GUE, Geneve
	 * with IP) is inner_len bytes (found by seed 864015298: pkt.c
	 * aborted) */
	if (s->csum == PKT_CSUM_COMPUTES_ZERO && s->inner_len < 2)
		s->inner_len = 2;
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
			pool_addr(a, 4, nodes_rnd() % (POOL + 1));
			cg_addr_from_v4(&diff_nodes[n].addr, a);
		} else {
			pool_addr(a, 6, nodes_rnd() % (POOL + 1));
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
			pool_addr(a, 4, rnd() % (POOL + 1));
			cg_addr_from_v4(&blk[n].addr, a);
		} else {
			pool_addr(a, 6, rnd() % (POOL + 1));
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

/* ---- whole-struct comparison --------------------------------------------- */

#define END_SKIP ((size_t)-1)

static int skipped(const size_t *skip, size_t off)
{
	for (; skip && *skip != END_SKIP; skip++)
		if (*skip == off)
			return 1;
	return 0;
}

/*
 * Every 64-bit word of two counter structs (all of ours are arrays of __u64
 * counters; a tail that is not a whole word is compared byte by byte), the
 * words at the offsets in skip (END_SKIP-terminated: timestamps, compared
 * as zero / non-zero by the named comparison, and counters that depend on
 * state across frames) excepted. Catches what the named comparisons of
 * harness.c do not name yet: a field or an array added later.
 */
static int words_differ(const void *want, const void *got, size_t size, const size_t *skip,
			const char *what, char *why, size_t whylen)
{
	const uint8_t *a = want, *b = got;
	size_t i;

	for (i = 0; i + sizeof(__u64) <= size; i += sizeof(__u64)) {
		__u64 x, y;

		memcpy(&x, a + i, sizeof(x));
		memcpy(&y, b + i, sizeof(y));
		if (x == y || skipped(skip, i))
			continue;
		snprintf(why, whylen, " %s word %zu (byte %zu) want %llu got %llu", what,
			 i / sizeof(__u64), i, (unsigned long long)x, (unsigned long long)y);
		return -1;
	}
	if (i < size && memcmp(a + i, b + i, size - i)) {
		snprintf(why, whylen, " %s bytes %zu-%zu differ", what, i, size - 1);
		return -1;
	}
	return 0;
}

static const size_t iface_skip[] = {
	/* the trace counters depend on the ring buffer's and the token
	 * bucket's state across frames: xdp_trace.c checks them */
	offsetof(struct cg_iface_stats, c[CG_IF_TRACE_SUPPRESSED]),
	offsetof(struct cg_iface_stats, c[CG_IF_TRACE_LOST]), END_SKIP
};
static const size_t src_skip[] = {
	offsetof(struct cg_src_stats, last_bad_ns), offsetof(struct cg_src_stats, first_bad_ns),
	END_SKIP
};
static const size_t dst_skip[] = { offsetof(struct cg_dst_stats, last_bad_ns), END_SKIP };

/* What moved between two snapshots of a struct of counters: "name+N ...".
 * name(i, buf) names word i. */
static void moved(const void *before, const void *after, size_t size,
		  void (*name)(size_t i, char *buf, size_t len), char *out, size_t outlen)
{
	const uint8_t *a = before, *b = after;
	size_t i, off = 0;
	char n[64];

	out[0] = '\0';
	for (i = 0; i + sizeof(__u64) <= size && off < outlen; i += sizeof(__u64)) {
		__u64 x, y;

		memcpy(&x, a + i, sizeof(x));
		memcpy(&y, b + i, sizeof(y));
		if (x == y)
			continue;
		name(i / sizeof(__u64), n, sizeof(n));
		off += (size_t)snprintf(out + off, outlen - off, "%s%s%+lld", off ? " " : "", n,
					(long long)(y - x));
	}
	if (!off)
		snprintf(out, outlen, "nothing");
}

#define NWORDS(type, field) (sizeof(((type *)0)->field) / sizeof(__u64))

static void iface_word_name(size_t i, char *buf, size_t len)
{
	size_t nc = NWORDS(struct cg_iface_stats, c), nv = NWORDS(struct cg_iface_stats, verdict);
	size_t nb = NWORDS(struct cg_iface_stats, bad_class);
	size_t nz = NWORDS(struct cg_iface_stats, zero_inner);

	if (i < nc)
		snprintf(buf, len, "%s", cg_iface_counter_name((enum cg_iface_counter)i));
	else if ((i -= nc) < nv)
		snprintf(buf, len, "verdict.%s", cg_verdict_name((enum cg_verdict)i));
	else if ((i -= nv) < nb)
		snprintf(buf, len, "%s", cg_bad_class_name((enum cg_bad_class)i));
	else if ((i -= nb) < nz)
		snprintf(buf, len, "%s", cg_zero_inner_name((enum cg_zero_inner)i));
	else
		snprintf(buf, len, "word%zu", i + nc + nv + nb + nz);
}

static void egress_word_name(size_t i, char *buf, size_t len)
{
	size_t nc = NWORDS(struct cg_egress_stats, c), ns = NWORDS(struct cg_egress_stats, state);
	static const struct { size_t off; const char *name; } named[] = {
		{ offsetof(struct cg_egress_stats, gso), "gso" },
		{ offsetof(struct cg_egress_stats, gso_meta_bad), "gso_meta_bad" },
		{ offsetof(struct cg_egress_stats, facts), "facts" },
		{ offsetof(struct cg_egress_stats, no_facts), "no_facts" },
	};
	size_t k;

	if (i < nc) {
		snprintf(buf, len, "%s", cg_egress_counter_name((enum cg_iface_counter)i));
		return;
	}
	if (i < nc + ns) {
		snprintf(buf, len, "state.%s", cg_egress_state_name((enum cg_egress_state)(i - nc)));
		return;
	}
	for (k = 0; k < sizeof(named) / sizeof(named[0]); k++)
		if (named[k].off == i * sizeof(__u64)) {
			snprintf(buf, len, "%s", named[k].name);
			return;
		}
	snprintf(buf, len, "word%zu", i);
}

/* ---- reporting -------------------------------------------------------------- */

/* Where a frame came from. */
struct origin {
	const char *case_name;		/* NULL: built from a random spec */
	int corpus;			/* case_name is a corpus entry's */
	int mutated;
	struct mut_log log;
};

static void origin_str(const struct origin *o, char *buf, size_t len)
{
	char ops[256] = "";

	if (o->mutated)
		mut_log_str(&o->log, ops, sizeof(ops));
	if (o->corpus)
		snprintf(buf, len, "corpus entry '%s'", o->case_name);
	else if (o->case_name)
		snprintf(buf, len, "table case '%s'%s%s", o->case_name,
			 o->mutated ? ", mutated: " : " as it is", ops);
	else
		snprintf(buf, len, "random frame%s%s", o->mutated ? ", mutated: " : "", ops);
}

/* The configuration as the corpus writes it (diff_corpus.h, parse_config). */
static void config_str(const struct cg_ref_config *cfg, char *buf, size_t len)
{
	struct cg_ref_config def;
	char a[CG_ADDR_STRLEN];
	size_t off = 0, i;
	uint32_t p;

	cg_ref_config_default(&def);
	off += (size_t)snprintf(buf + off, len - off, "%s", cg_mode_name(cfg->mode));
	if (cfg->flags & CG_CFG_REPAIR)
		off += (size_t)snprintf(buf + off, len - off, " repair");
	if (cfg->flags & CG_CFG_DROP_UNKNOWN && off < len)
		off += (size_t)snprintf(buf + off, len - off, " drop-unknown");
	if (cfg->sample > 1 && off < len)
		off += (size_t)snprintf(buf + off, len - off, " sample=%u", cfg->sample);
	for (p = 0; p < CG_PORT_TABLE_SIZE && off < len; p++)
		if (cfg->port_encap[p] != def.port_encap[p])
			off += (size_t)snprintf(buf + off, len - off, " port=%u:%s", p,
						cg_encap_name((enum cg_encap)cfg->port_encap[p]));
	for (i = 0; i < cfg->nblocks && off < len; i++) {
		cg_addr_str(&cfg->blocks[i].addr, a, sizeof(a));
		off += (size_t)snprintf(buf + off, len - off, " %s=%s%s",
					cfg->blocks[i].flags & CG_BLOCK_ALL_TRAFFIC ? "blockall" :
					"block", a, cfg->blocks[i].expired ? ",expired" : "");
	}
	for (i = 0; i < cfg->nnodes && off < len; i++) {
		cg_addr_str(&cfg->nodes[i].addr, a, sizeof(a));
		off += (size_t)snprintf(buf + off, len - off, " node=%s/%u", a,
					cfg->nodes[i].ttl);
	}
}

static void ref_xdp_str(const struct xh_expect *e, size_t seen, size_t len, char *buf,
			size_t buflen)
{
	char a[CG_ADDR_STRLEN];

	cg_addr_str(&e->src, a, sizeof(a));
	snprintf(buf, buflen, "%s, %s%s%s%s%s%s, row %s%s%s%s%s (of its first %zu of %zu bytes)",
		 e->action == XDP_DROP ? "XDP_DROP" : "XDP_PASS", cg_iface_counter_name(e->kind),
		 e->kind == CG_IF_TUNNEL ? "/" : "",
		 e->kind == CG_IF_TUNNEL ? cg_verdict_name(e->verdict) : "",
		 e->drop != CG_IF_FRAMES ? " " : "",
		 e->drop != CG_IF_FRAMES ? cg_iface_counter_name(e->drop) : "",
		 e->repaired ? " repaired" : "",
		 e->row == XH_ROW_NONE ? "none" : e->row == XH_ROW_UNPARSED ? "unparsed of " :
		 e->row == XH_ROW_UNVERIFIED ? "unverified of " : "of ",
		 e->row == XH_ROW_NONE ? "" : a, e->known ? " (known node)" : "",
		 e->kept ? " (kept)" : "", e->unknown ? " unknown sender" : "", seen, len);
}

static void ref_tc_str(const struct xh_egress_expect *e, char *buf, size_t len)
{
	snprintf(buf, len, "%s, %s%s%s, %u wire packet(s)%s", e->action == TC_ACT_SHOT ?
		 "TC_ACT_SHOT" : "TC_ACT_UNSPEC", cg_iface_counter_name(e->kind),
		 e->kind == CG_IF_TUNNEL ? "/" : "",
		 e->kind == CG_IF_TUNNEL ? cg_egress_state_name(e->state) : "", e->weight,
		 e->gso ? ", GSO" : "");
}

/* The seed of the run being reported (0: the corpus), and its frame count. */
static uint32_t run_seed;
static long run_frames;

static void hex_line(const uint8_t *f, size_t len, char *out, size_t outlen)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < len && 2 * i + 2 < outlen; i++)
		snprintf(out + 2 * i, 3, "%02x", f[i]);
}

struct report {
	long frame;
	const char *hook;		/* "xdp", "tc", "tcf" */
	const char *why;
	const struct origin *origin;
	const struct cg_ref_config *cfg;
	const uint8_t *f;
	size_t len;
	uint32_t gso_size, gso_segs;
	const char *ref, *bpf;		/* what each side made of it */
};

/* A disagreement, in full: both verdicts, the frame in hex, a corpus line
 * and how to replay it. */
static void report(const struct report *r)
{
	static char hex[2 * MAX_FRAME + 1];
	char o[512], c[1024];
	size_t i;

	origin_str(r->origin, o, sizeof(o));
	config_str(r->cfg, c, sizeof(c));
	hex_line(r->f, r->len, hex, sizeof(hex));
	printf("disagreement at frame %ld (%s):%s\n", r->frame, r->hook, r->why);
	if (!r->origin->corpus)
		printf("  replay:    test_xdp --diff %ld --seed %u (seed %u, frame %ld of %ld)\n",
		       r->frame + 1, run_seed, run_seed, r->frame, run_frames);
	printf("  frame:     %s, %zu bytes%s\n", o, r->len, r->gso_size ? ", as a GSO skb" : "");
	printf("  config:    %s%s\n", c, r->cfg->sample > 1 && !r->origin->corpus ?
	       " (mid-batch: the sampling countdown was not at its start)" : "");
	printf("  reference: %s\n", r->ref);
	printf("  %s:%*s%s\n", r->hook, (int)(10 - strlen(r->hook)), "", r->bpf);
	if (!r->origin->corpus) {	/* a corpus entry is one already */
		printf("  corpus:    { \"%s, frame %ld of seed %u\", \"%s\", %u, %u,\n", o,
		       r->frame, run_seed, c, r->gso_size, r->gso_segs);
		for (i = 0; i < 2 * r->len; i += 96)
			printf("\t\"%.96s\"\n", hex + i);
		printf("  },\n");
	}
	fflush(stdout);
}

/* ---- the XDP side: per-source tables, TTL learning -------------------------- */

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

struct xdp_side {
	struct cg_iface_stats want, last;	/* last: the maps after the last frame */
	struct src_row rows[BATCH];
	int nrows;
	struct learn_row learn[BATCH];
	int nlearn;
	uint64_t sample_left;		/* the reference's sampling countdown */
	long bad, bad_out, not_run, cut;
	long kinds[CG_IFACE_COUNTER_MAX], verdicts[CG_VERDICT_MAX];
	long classes[CG_BAD_CLASS_MAX], zin[CG_ZERO_INNER_MAX];
	long repaired, unverified, drops, unknowns, knowns, mismatches, evidence, learned,
	     drop_unknown;
};

/* A new batch: the datapath's counters and tables were reset. */
static void xdp_batch(struct xdp_side *x)
{
	memset(&x->want, 0, sizeof(x->want));
	memset(&x->last, 0, sizeof(x->last));
	x->nrows = 0;
	x->nlearn = 0;
	x->sample_left = 0;	/* xh_reset_counters restarts the datapath's */
}

static void learn_add(struct xdp_side *x, const struct xh_expect *e)
{
	int i;

	for (i = 0; i < x->nlearn; i++)
		if (!memcmp(&x->learn[i].addr, &e->src, sizeof(e->src)) &&
		    x->learn[i].ttl == e->ttl) {
			x->learn[i].n++;
			return;
		}
	x->learn[x->nlearn].addr = e->src;
	x->learn[x->nlearn].ttl = e->ttl;
	x->learn[x->nlearn++].n = 1;
}

static int compare_learning(struct harness *h, const struct xdp_side *x, char *why,
			    size_t whylen)
{
	char ab[64];
	int i, got = xh_ttl_seen_count(h);

	if (got != x->nlearn) {
		snprintf(why, whylen, " TTL learning entries want %d got %d", x->nlearn, got);
		return -1;
	}
	for (i = 0; i < x->nlearn; i++)
		if (xh_ttl_seen(h, &x->learn[i].addr, x->learn[i].ttl) != x->learn[i].n) {
			snprintf(why, whylen, " TTL learning count of %s TTL %u want %llu got %llu",
				 xh_addr_str(&x->learn[i].addr, ab, sizeof(ab)), x->learn[i].ttl,
				 (unsigned long long)x->learn[i].n,
				 (unsigned long long)xh_ttl_seen(h, &x->learn[i].addr,
								 x->learn[i].ttl));
			return -1;
		}
	return 0;
}

/* The row of e's source; a new one counts as an insert into cg_src. */
static struct src_row *find_row(struct xdp_side *x, const struct xh_expect *e)
{
	struct src_row *rows = x->rows;
	int i;

	for (i = 0; i < x->nrows; i++)
		if (!memcmp(&rows[i].addr, &e->src, sizeof(e->src)))
			return &rows[i];
	memset(&rows[x->nrows], 0, sizeof(rows[0]));
	rows[x->nrows].addr = e->src;
	rows[x->nrows].kept = e->kept && !e->known;
	rows[x->nrows].known = e->known;
	if (!e->kept && !e->known)
		x->want.c[CG_IF_SRC_INSERTED]++;
	return &rows[x->nrows++];
}

static int compare_sources(struct harness *h, const struct xdp_side *x, char *why,
			   size_t whylen)
{
	const struct src_row *rows = x->rows;
	char sub[512], ab[64];
	int i, kept = 0, known = 0, got = xh_src_count(h->src_fd), nrows = x->nrows;
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
		if (xh_cmp_src(&rows[i].st, &st, sub, sizeof(sub)) ||
		    words_differ(&rows[i].st, &st, sizeof(st), src_skip, "cg_src_stats", sub,
				 sizeof(sub))) {
			snprintf(why, whylen, " source %s:%s",
				 xh_addr_str(&rows[i].addr, ab, sizeof(ab)), sub);
			return -1;
		}
	}
	return 0;
}

/*
 * One frame through the XDP variant loaded (the caller checked that this
 * kernel test-runs it: xh_xdp_takes). 0 if it agrees with the reference,
 * -1 if not (reported while *reported allows), -2 on a harness error.
 */
static int diff_xdp(struct harness *h, struct xdp_side *x, const struct cg_ref_config *cfg,
		    const uint8_t *f, size_t len, long frame, const struct origin *o,
		    int *reported)
{
	static uint8_t out[MAX_FRAME];
	struct cg_ref_result ref;
	struct cg_iface_stats got;
	struct xh_expect e;
	size_t out_len, seen;
	char why[1024];
	int action;

	/* What the XDP variant sees of the frame (single-buffer: its first
	 * buffer). */
	seen = xh_xdp_seen_len(h, len);
	x->cut += seen < len;
	cg_ref_classify(f, seen, cfg, &ref);
	xh_expect_from_ref(&ref, &e);
	xh_expect_add_iface(&x->want, &e);
	if (e.row != XH_ROW_NONE) {
		struct src_row *r = find_row(x, &e);

		xh_expect_add_src(&r->st, &e, seen);
		/* its first frame that is not common makes its shared part */
		if (xh_expect_rare(&e) && !r->rare) {
			r->rare = 1;
			if (!r->kept && !r->known)
				x->want.c[CG_IF_SRC_RARE_INSERTED]++;
		}
	}
	if (e.learn)
		learn_add(x, &e);
	x->unknowns += e.unknown;
	x->knowns += e.known;
	x->mismatches += e.ttl_state == CG_REF_TTL_MISMATCH;
	x->evidence += e.ttl_state == CG_REF_TTL_MATCH;
	x->learned += e.learn;
	x->drop_unknown += e.drop == CG_IF_DROP_UNKNOWN;
	x->kinds[e.kind]++;
	if (e.kind == CG_IF_TUNNEL)
		x->verdicts[e.verdict]++;
	if (e.kind == CG_IF_TUNNEL && e.verdict == CG_V_BAD)
		x->classes[e.cls]++;
	if (e.kind == CG_IF_TUNNEL && e.verdict == CG_V_ZERO)
		x->zin[e.zero_inner]++;
	x->repaired += e.repaired;
	x->unverified += e.kind == CG_IF_UNVERIFIED;
	x->drops += e.action == XDP_DROP;

	if (xh_run_out(h, XH_XDP, f, len, out, sizeof(out), &out_len, &action) ||
	    xh_iface_read(h, XH_XDP, &got))
		return -2;
	why[0] = 0;
	if (action != e.action)
		snprintf(why, sizeof(why), " action want %d got %d", e.action, action);
	else if (!xh_cmp_iface(&x->want, &got, why, sizeof(why)))
		words_differ(&x->want, &got, sizeof(got), iface_skip, "cg_iface_stats", why,
			     sizeof(why));
	/* What it passed on: unchanged, or (repaired) with the outer
	 * checksum the reference computes, and nothing else changed. */
	if (!why[0] && action == XDP_PASS) {
		size_t fo = ref.udp_off + 6, k;

		for (k = 0; k < len && k < out_len; k++)
			if (out[k] != f[k] && !(ref.repaired && (k == fo || k == fo + 1)))
				break;
		if (out_len != len || k < len ||
		    (ref.repaired && (out[fo] << 8 | out[fo + 1]) != ref.expected_csum)) {
			snprintf(why, sizeof(why), " data_out %s (repaired %d)",
				 out_len != len ? "of another length" : "differs", ref.repaired);
			x->bad_out++;
		}
	}
	if (!why[0]) {
		x->last = got;
		return 0;
	}
	x->bad++;
	if ((*reported)++ < MAX_REPORTED) {
		char rs[512], bs[512], mv[384];
		struct report r = { frame, "xdp", why, o, cfg, f, len, 0, 0, rs, bs };

		ref_xdp_str(&e, seen, len, rs, sizeof(rs));
		moved(&x->last, &got, sizeof(got), iface_word_name, mv, sizeof(mv));
		snprintf(bs, sizeof(bs), "%s, counters moved: %s",
			 action == XDP_DROP ? "XDP_DROP" : action == XDP_PASS ? "XDP_PASS" : "?", mv);
		report(&r);
	}
	x->want = x->last = got;	/* resynchronise, keep counting */
	return -1;
}

/* ---- the TC side --------------------------------------------------------------- */

/* The TC side (SPEC 2 "TC egress"): expected egress totals and destination
 * rows, added up from the reference verifier's egress classification. Its
 * own random stream, so the XDP frames of a seed do not depend on it. */
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
	struct cg_egress_stats want, last;	/* last: what the maps said after the last skb */
	struct dst_row rows[2 * BATCH];	/* one skb goes through up to two programs */
	int nrows;
	long frames, big, short_ip, bad, gso, gso_meta;
	long states[CG_EGRESS_STATE_MAX];
};

static void tc_batch(struct tc_side *t)
{
	memset(&t->want, 0, sizeof(t->want));
	memset(&t->last, 0, sizeof(t->last));
	t->nrows = 0;
}

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

/* How the frame goes through the TC programs: as the table case says
 * (gso_size != 0: its GSO skb) pct percent of the time, else 15% as GSO
 * skbs. */
struct tc_skb {
	uint32_t gso_size, gso_segs;
	unsigned pct;
};

/*
 * The frame through every TC program loaded. 0 if they agree, -1 if not
 * (reported while *reported allows), -2 on a harness error.
 */
static int diff_tc(struct harness *h, struct tc_side *t, const struct cg_ref_config *cfg,
		   const uint8_t *f, size_t len, const struct tc_skb *as_case, long frame,
		   const struct origin *o, int *reported)
{
	uint32_t gso_size = 0, gso_segs = 0;
	struct cg_egress_stats got;
	struct cg_ref_egress ref;
	struct xh_egress_expect e;
	char why[1024], rs[256], bs[512];
	enum xh_hook hook;
	int action;

	if (as_case && as_case->gso_size && tc_rnd() % 100 < as_case->pct) {
		gso_size = as_case->gso_size;
		gso_segs = as_case->gso_segs;
	} else if (tc_rnd() % 100 < 15) {
		gso_size = 1400;
		gso_segs = tc_rnd() % 9;
	}
	cg_ref_egress_classify(f, len, cfg, gso_size != 0, gso_segs, &ref);
	xh_egress_expect_from_ref(&ref, &e);
	t->gso += e.gso;
	if (e.kind == CG_IF_TUNNEL)
		t->states[e.state]++;
	for (hook = XH_TC; hook <= XH_TCF; hook++) {
		if (!xh_hook_loaded(h, hook))
			continue;
		t->gso_meta += hook == XH_TCF && e.gso_tunnel;
		xh_egress_add(&t->want, e.kind == CG_IF_TUNNEL ? dst_row(t, &e.dst) : NULL, hook, &e,
			      len);
		if (xh_run_skb(h, hook, f, len, gso_size, gso_segs, &action) ||
		    xh_egress_read(h, &got))
			return -2;
		why[0] = 0;
		if (action != e.action)
			snprintf(why, sizeof(why), " %s action want %d got %d", xh_hook_name(hook),
				 e.action, action);
		else if (!xh_cmp_egress(&t->want, &got, why, sizeof(why)))
			words_differ(&t->want, &got, sizeof(got), NULL, "cg_egress_stats", why,
				     sizeof(why));
		if (why[0]) {
			if ((*reported)++ < MAX_REPORTED) {
				struct report r = { frame, xh_hook_name(hook), why, o, cfg, f, len,
						    gso_size, gso_segs, rs, bs };
				char mv[384];

				ref_tc_str(&e, rs, sizeof(rs));
				moved(&t->last, &got, sizeof(got), egress_word_name, mv, sizeof(mv));
				snprintf(bs, sizeof(bs), "%s, counters moved: %s",
					 action == TC_ACT_SHOT ? "TC_ACT_SHOT" : action == TC_ACT_UNSPEC ?
					 "TC_ACT_UNSPEC" : "another action", mv);
				report(&r);
			}
			t->want = t->last = got;	/* resynchronise, keep counting */
			return -1;
		}
		t->last = got;
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
		if (xh_cmp_dst(&t->rows[i].st, &st, sub, sizeof(sub)) ||
		    words_differ(&t->rows[i].st, &st, sizeof(st), dst_skip, "cg_dst_stats", sub,
				 sizeof(sub))) {
			snprintf(why, whylen, " destination %s:%s",
				 xh_addr_str(&t->rows[i].addr, ab, sizeof(ab)), sub);
			return -1;
		}
	}
	return 0;
}

/* ---- the run ------------------------------------------------------------------- */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int run_xdp_diff(struct harness *h, struct st_result *res, long frames, uint32_t seed)
{
	static uint8_t frame[MAX_FRAME], base[MAX_FRAME];
	static struct cg_ref_config cfg;
	static struct xdp_side xs;
	static struct tc_side tc;
	struct pkt_layout lay;
	struct pkt_inner_layout inl;
	struct cg_ref_block_entry blk[4];
	struct tc_skb case_skb = { .pct = 70 };
	struct origin o = { 0 };
	long i, bad_batches = 0, tc_bad_batches = 0, case_frames = 0, mutated = 0;
	long batches = 0, case_batches = 0, left = 0, ops[MUT_NAMES] = { 0 };
	size_t ncases = st_case_count(), next_case, base_len = 0, n;
	const char *skip, *case_name = NULL;
	char why[1024], name[512], line[1024];
	int reported = 0, r, k;
	double t0 = now_s();

	run_seed = seed;
	run_frames = frames;
	rng = seed ? seed : 1;
	tc_rng = rng ^ 0x9e3779b9;
	nodes_rng = rng ^ 0x85ebca6b;
	/* the first case by the seed: short runs start in different places */
	next_case = ncases ? seed % ncases : 0;
	memset(&xs, 0, sizeof(xs));
	memset(&tc, 0, sizeof(tc));
	printf("differential: seed %u, %ld frames (rerun: test_xdp --diff %ld --seed %u)\n",
	       seed, frames, frames, seed);
	fflush(stdout);
	for (i = 0; i < frames; i++) {
		struct pkt_spec s;
		size_t len;

		if (left == 0) {
			/* a new batch: BATCH random frames, then CASE_BATCHES
			 * batches of one table case's mutations each */
			if (batches++ % (CASE_BATCHES + 1) == 0 || !ncases) {
				random_config(&cfg, blk);
				case_name = NULL;
				left = BATCH;
			} else {
				uint32_t gs, gg;

				base_len = 0;
				for (n = 0; !base_len && n < ncases; n++)
					base_len = st_case_frame(next_case++ % ncases, base,
								 sizeof(base), &cfg, blk, &gs, &gg,
								 &case_name);
				if (!base_len) {
					st_report(res, "differential", -1, "no table case built");
					return -1;
				}
				case_batches++;
				case_skb.gso_size = gs;
				case_skb.gso_segs = gg;
				left = CASE_BATCH;
			}
			xdp_batch(&xs);
			tc_batch(&tc);
			cfg.sample_left = &xs.sample_left;
			if (xh_apply(h, &cfg) || xh_reset_counters(h)) {
				st_report(res, "differential", -1, "could not configure the datapath");
				return -1;
			}
		}
		left--;

		o.case_name = case_name;
		if (case_name) {
			memcpy(frame, base, base_len);
			len = base_len;
			o.mutated = chance(90);
			case_frames++;
		} else {
			random_spec(&s);
			len = pkt_build_inner(frame, sizeof(frame), &s, &lay, &inl);
			if (!len) {
				st_report(res, "differential", -1, "frame did not build");
				return -1;
			}
			damage(frame, len, &lay, &inl);
			o.mutated = chance(40);
		}
		if (o.mutated) {
			len = mut_frame(frame, len, sizeof(frame), rnd, &o.log);
			for (k = 0; k < o.log.n; k++)
				ops[o.log.op[k]]++;
			mutated++;
		}

		if (!xh_xdp_takes(h, len, &skip)) {
			xs.not_run++;
		} else if (diff_xdp(h, &xs, &cfg, frame, len, i, &o, &reported) == -2) {
			st_report(res, "differential", -1, "BPF_PROG_TEST_RUN failed");
			return -1;
		}
		if (!h->run_tc) {
			/* the TC programs ran with another XDP variant */
		} else if (!xh_hook_takes(XH_TC, frame, len, &skip)) {
			if (len > XH_TC_MAX_FRAME)
				tc.big++;
			else
				tc.short_ip++;
		} else if ((r = diff_tc(h, &tc, &cfg, frame, len, case_name ? &case_skb : NULL, i,
					&o, &reported)) == -2) {
			st_report(res, "tc differential", -1, "BPF_PROG_TEST_RUN failed");
			return -1;
		} else {
			tc.frames++;
			tc.bad += r != 0;
		}
		if (left == 0 || i + 1 == frames) {
			if (!xs.bad && (compare_sources(h, &xs, why, sizeof(why)) ||
					compare_learning(h, &xs, why, sizeof(why)))) {
				bad_batches++;
				if (reported++ < MAX_REPORTED)
					printf("per-source disagreement in batch ending at frame %ld "
					       "(seed %u, %s):%s\n", i, seed, case_name ? case_name :
					       "random frames", why);
			}
			if (h->run_tc && !tc.bad && compare_dsts(h, &tc, why, sizeof(why))) {
				tc_bad_batches++;
				if (reported++ < MAX_REPORTED)
					printf("per-destination disagreement in batch ending at frame "
					       "%ld (seed %u, %s):%s\n", i, seed, case_name ? case_name :
					       "random frames", why);
			}
		}
	}
	cfg.sample_left = NULL;
	if (reported > MAX_REPORTED)
		printf("differential: %d disagreements, the first %d printed\n", reported,
		       MAX_REPORTED);

	/* What the frames were, by the reference verifier (every kind and
	 * verdict index, named by lib/names.c) */
	n = (size_t)snprintf(line, sizeof(line), "differential: reference kinds:");
	for (k = CG_IF_NOT_TUNNEL; k < CG_IFACE_COUNTER_MAX && n < sizeof(line); k++)
		if (xs.kinds[k] || k == CG_IF_TUNNEL)
			n += (size_t)snprintf(line + n, sizeof(line) - n, " %s %ld",
					      cg_iface_counter_name((enum cg_iface_counter)k),
					      xs.kinds[k]);
	for (k = 0; k < CG_VERDICT_MAX && n < sizeof(line); k++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s %ld", k ? ", " : " (",
				      cg_verdict_name((enum cg_verdict)k), xs.verdicts[k]);
	printf("%s), dropped %ld\n", line, xs.drops);
	printf("differential: bad classes: outer_only %ld, payload %ld, unclassified %ld; "
	       "zero inner: ok %ld, bad %ld, unfinished %ld, unchecked %ld; repaired %ld "
	       "(each read back from data_out)\n",
	       xs.classes[CG_BC_OUTER_ONLY], xs.classes[CG_BC_PAYLOAD],
	       xs.classes[CG_BC_UNCLASSIFIED], xs.zin[CG_ZI_OK], xs.zin[CG_ZI_BAD],
	       xs.zin[CG_ZI_UNFINISHED], xs.zin[CG_ZI_UNCHECKED], xs.repaired);
	printf("differential: known nodes: unknown_sender %ld (dropped %ld), known %ld (TTL "
	       "matched %ld, ttl_mismatch %ld, learning %ld)\n", xs.unknowns, xs.drop_unknown,
	       xs.knowns, xs.evidence, xs.mismatches, xs.learned);
	n = (size_t)snprintf(line, sizeof(line), "differential: %ld frames from %ld of the %zu "
			     "table cases, %ld random; %ld mutated, operations:", case_frames,
			     case_batches < (long)ncases ? case_batches : (long)ncases, ncases,
			     frames - case_frames, mutated);
	for (k = 0; k < MUT_NAMES && n < sizeof(line); k++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, " %s %ld",
				      mut_op_name((enum mut_op)k), ops[k]);
	printf("%s\n", line);
	printf("differential: %ld frames in %.1f s\n", frames, now_s() - t0);
	if (h->xdp.variant == CG_XDP_SINGLE_BUF)
		snprintf(name, sizeof(name), "differential (%s): %ld frames of the %ld, seed %u "
			 "(%ld over %d bytes seen as their first %d; not run: %ld: %s)",
			 CG_PROG_NAME_SB, frames - xs.not_run, frames, seed,
			 xs.not_run ? 0 : xs.cut, XH_XDP_SB_LINEAR, XH_XDP_SB_LINEAR,
			 xs.not_run, xs.not_run ? h->sb_big_why : "none refused");
	else
		snprintf(name, sizeof(name), "differential: %ld frames, seed %u", frames, seed);
	snprintf(why, sizeof(why), " %ld frames (%ld of them in what they passed on) and %ld "
		 "per-source batches disagree (seed %u)", xs.bad, xs.bad_out, bad_batches, seed);
	/* every class must have come up, or the generator lost its reach */
	if (frames >= 20000 && !(xs.classes[CG_BC_OUTER_ONLY] && xs.classes[CG_BC_PAYLOAD] &&
				 xs.classes[CG_BC_UNCLASSIFIED] && xs.zin[CG_ZI_OK] &&
				 xs.zin[CG_ZI_BAD] && xs.zin[CG_ZI_UNFINISHED] &&
				 xs.zin[CG_ZI_UNCHECKED] && xs.repaired && xs.unverified &&
				 xs.verdicts[CG_V_BAD_IP_HEADER] && xs.unknowns &&
				 xs.drop_unknown && xs.evidence && xs.mismatches && xs.learned)) {
		snprintf(why, sizeof(why), " a class, zero-inner result, repair, sampling, "
			 "bad_ip_header, unknown sender, TTL match, mismatch or learning never came "
			 "up in %ld frames (seed %u)", frames, seed);
		bad_batches++;
	}
	st_report(res, name, xs.bad || bad_batches || xs.not_run == frames ? -1 : 0, why);
	if (xs.not_run) {
		/* counted as a skip of its own, with the kernel's reason */
		snprintf(name, sizeof(name), "differential (%s): %ld frames over %d bytes not run",
			 CG_PROG_NAME_SB, xs.not_run, XH_XDP_SB_LINEAR);
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
	n = (size_t)snprintf(line, sizeof(line), "tc differential: reference states:");
	for (k = 0; k < CG_EGRESS_STATE_MAX && n < sizeof(line); k++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s %s %ld", k ? "," : "",
				      cg_egress_state_name((enum cg_egress_state)k), tc.states[k]);
	printf("%s; %ld GSO skbs, %ld GSO tunnel skbs through tcf\n", line, tc.gso, tc.gso_meta);
	snprintf(name, sizeof(name), "tc differential (%s): %ld frames of the %ld (not run: %ld "
		 "over %d bytes, %ld IP frames shorter than their fixed header)",
		 xh_hook_loaded(h, XH_TCF) ? "tc and tcf" : "tc only", tc.frames, frames, tc.big,
		 XH_TC_MAX_FRAME, tc.short_ip);
	snprintf(why, sizeof(why), " %ld frames and %ld per-destination batches disagree (seed %u)",
		 tc.bad, tc_bad_batches, seed);
	st_report(res, name, tc.bad || tc_bad_batches || !tc.frames ? -1 : 0, why);
	return 0;
}

/* ---- the regression corpus ------------------------------------------------------ */

struct diff_regress {
	const char *name;	/* what it is, where it came from */
	const char *config;	/* as config_str writes it */
	uint32_t gso_size, gso_segs;
	const char *hex;	/* the frame */
};

static const struct diff_regress corpus[] = {
#include "diff_corpus.h"
};

#define CORPUS_MAX_LIST	8	/* blocklist entries, known nodes of one entry */

/* "drop repair sample=3 port=6080:gue blockall=10.0.0.1,expired
 * node=fd00::1/64 ..." -> cfg (config_str's words). 0 or -1. */
static int parse_config(const char *text, struct cg_ref_config *cfg,
			struct cg_ref_block_entry *blk, struct cg_ref_node_entry *nodes)
{
	char buf[1024], *tok, *save = NULL;

	cg_ref_config_default(cfg);
	cfg->blocks = blk;
	cfg->nodes = nodes;
	snprintf(buf, sizeof(buf), "%s", text);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '='), *sep;
		int enc;

		if (!strcmp(tok, "monitor") || !strcmp(tok, "drop")) {
			cfg->mode = !strcmp(tok, "drop") ? CG_MODE_DROP : CG_MODE_MONITOR;
		} else if (!strcmp(tok, "repair")) {
			cfg->flags |= CG_CFG_REPAIR;
		} else if (!strcmp(tok, "drop-unknown")) {
			cfg->flags |= CG_CFG_DROP_UNKNOWN;
		} else if (eq && !strncmp(tok, "sample=", 7)) {
			cfg->sample = (uint32_t)strtoul(eq + 1, NULL, 10);
		} else if (eq && !strncmp(tok, "port=", 5) && (sep = strchr(eq, ':'))) {
			*sep = '\0';
			enc = cg_encap_from_name(sep + 1);
			if (enc < 0 || atoi(eq + 1) < 0 || atoi(eq + 1) >= CG_PORT_TABLE_SIZE)
				return -1;
			cfg->port_encap[atoi(eq + 1)] = (uint8_t)enc;
		} else if (eq && cfg->nblocks < CORPUS_MAX_LIST &&
			   (!strncmp(tok, "block=", 6) || !strncmp(tok, "blockall=", 9))) {
			memset(&blk[cfg->nblocks], 0, sizeof(blk[0]));
			if ((sep = strchr(eq, ','))) {
				if (strcmp(sep, ",expired"))
					return -1;
				*sep = '\0';
				blk[cfg->nblocks].expired = true;
			}
			if (cg_parse_addr(eq + 1, &blk[cfg->nblocks].addr))
				return -1;
			blk[cfg->nblocks++].flags = tok[5] == 'a' ? CG_BLOCK_ALL_TRAFFIC : 0;
		} else if (eq && cfg->nnodes < CORPUS_MAX_LIST && !strncmp(tok, "node=", 5) &&
			   (sep = strchr(eq, '/'))) {
			*sep = '\0';
			memset(&nodes[cfg->nnodes], 0, sizeof(nodes[0]));
			if (cg_parse_addr(eq + 1, &nodes[cfg->nnodes].addr))
				return -1;
			nodes[cfg->nnodes++].ttl = (uint8_t)atoi(sep + 1);
		} else {
			return -1;
		}
	}
	return 0;
}

static size_t parse_hex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned int b;

	while (hex[0] && hex[1] && n < cap && sscanf(hex, "%2x", &b) == 1) {
		out[n++] = (uint8_t)b;
		hex += 2;
	}
	return *hex ? 0 : n;
}

int run_diff_corpus(struct harness *h, struct st_result *res)
{
	static uint8_t f[MAX_FRAME];
	static struct cg_ref_config cfg;
	static struct xdp_side cx;
	static struct tc_side ct;
	struct cg_ref_block_entry blk[CORPUS_MAX_LIST];
	struct cg_ref_node_entry nodes[CORPUS_MAX_LIST];
	size_t i, len, nc = sizeof(corpus) / sizeof(corpus[0]);
	long failed = 0, not_run = 0, tc_run = 0;
	int reported = 0, r;
	char why[1024], name[256];

	run_seed = 0;
	for (i = 0; i < nc; i++) {
		struct origin o = { .case_name = corpus[i].name, .corpus = 1 };
		struct tc_skb skb = { corpus[i].gso_size, corpus[i].gso_segs, 100 };
		const char *skip;

		len = parse_hex(corpus[i].hex, f, sizeof(f));
		if (!len || len < CG_ETH_HLEN || parse_config(corpus[i].config, &cfg, blk, nodes)) {
			snprintf(why, sizeof(why), "entry %zu (%s) does not parse", i, corpus[i].name);
			st_report(res, "differential corpus", -1, why);
			return -1;
		}
		memset(&cx, 0, sizeof(cx));
		memset(&ct, 0, sizeof(ct));
		cfg.sample_left = &cx.sample_left;
		if (xh_apply(h, &cfg) || xh_reset_counters(h)) {
			st_report(res, "differential corpus", -1, "could not configure the datapath");
			return -1;
		}
		r = 0;
		if (!xh_xdp_takes(h, len, &skip))
			not_run++;
		else
			r = diff_xdp(h, &cx, &cfg, f, len, (long)i, &o, &reported);
		if (!r && h->run_tc && xh_hook_takes(XH_TC, f, len, &skip)) {
			tc_run++;
			r = diff_tc(h, &ct, &cfg, f, len, &skb, (long)i, &o, &reported);
			if (!r && compare_dsts(h, &ct, why, sizeof(why))) {
				printf("corpus entry '%s': per-destination:%s\n", corpus[i].name, why);
				r = -1;
			}
		}
		if (!r && (compare_sources(h, &cx, why, sizeof(why)) ||
			   compare_learning(h, &cx, why, sizeof(why)))) {
			printf("corpus entry '%s': per-source:%s\n", corpus[i].name, why);
			r = -1;
		}
		cfg.sample_left = NULL;
		if (r == -2) {
			st_report(res, "differential corpus", -1, "BPF_PROG_TEST_RUN failed");
			return -1;
		}
		failed += r != 0;
	}
	snprintf(why, sizeof(why), " %ld of the %zu frames disagree", failed, nc);
	snprintf(name, sizeof(name), "%sdifferential corpus: %zu frames (selftests/diff_corpus.h; "
		 "%ld through TC, %ld not run through XDP here)",
		 h->xdp.variant == CG_XDP_SINGLE_BUF ? "xdpsb: " : "", nc, tc_run, not_run);
	st_report(res, name, failed ? -1 : 0, why);
	return 0;
}
