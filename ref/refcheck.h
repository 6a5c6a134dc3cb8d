/* SPDX-License-Identifier: GPL-2.0 */
/*
 * refcheck.h - the reference verifier: the verdict semantics of
 * the BPF library (bpf/parse.bpf.h, bpf/verdict.bpf.h, run by
 * xdp/csumguard.bpf.c) written for clarity in plain C. Tests use it as the
 * oracle the BPF program is compared against (SPEC 1).
 */
#ifndef CG_REFCHECK_H
#define CG_REFCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "csumguard.h"

struct cg_ref_block_entry {
	struct cg_addr addr;
	uint32_t flags;		/* CG_BLOCK_* */
};

struct cg_ref_config {
	uint8_t port_encap[CG_PORT_TABLE_SIZE];	/* enum cg_encap by UDP port */
	enum cg_mode mode;
	const struct cg_ref_block_entry *blocks;
	size_t nblocks;
	uint32_t flags;			/* CG_CFG_* (CG_CFG_REPAIR) */
	/* Sampling (cg_config.sample): one tunnel frame in sample is
	 * verified, the first of each run of sample. *sample_left is the
	 * state the datapath keeps per CPU (frames still to let pass before
	 * the next verified one; start at 0), advanced by cg_ref_classify.
	 * sample 0 or 1, or sample_left NULL: every frame is verified. */
	uint32_t sample;
	uint64_t *sample_left;
};

struct cg_ref_result {
	/* CG_IF_NOT_TUNNEL, CG_IF_UNPARSED, CG_IF_TUNNEL or CG_IF_UNVERIFIED
	 * (sampled out; the reference never fails to compute a sum, so never
	 * CG_IF_UNCHECKED). A source row counts TUNNEL frames as a verdict,
	 * UNPARSED ones with have_src as "unparsed", UNVERIFIED ones as
	 * "unverified". */
	enum cg_iface_counter kind;
	enum cg_verdict verdict;	/* when kind == CG_IF_TUNNEL */
	enum cg_bad_class cls;		/* when verdict == CG_V_BAD */
	enum cg_zero_inner zero_inner;	/* when verdict == CG_V_ZERO */
	bool repaired;			/* repair mode rewrote the outer checksum to
					 * expected_csum (a bad_outer_only frame that
					 * passes) */
	bool have_src;			/* fixed IP header readable: src is valid */
	struct cg_addr src;
	bool non_tunnel;		/* proven no tunnel traffic: not UDP, or UDP (or a
					 * first fragment) to a port not in the table */
	bool blocked;			/* src is in the blocklist */
	bool drop;
	enum cg_iface_counter drop_reason;	/* CG_IF_DROP_BAD or CG_IF_DROP_BLOCKED */
	uint16_t stored_csum;		/* checksum field, host order (verdict ok/bad/unfinished) */
	uint16_t expected_csum;		/* what it should hold, host order */
	uint16_t seed;			/* folded pseudo-header sum with the UDP length (the
					 * offload seed), host order; same verdicts */
	uint16_t seed_nolen;		/* the same without the length */
	struct cg_addr dst;		/* outer destination, when have_src */
	size_t udp_off, udp_len;	/* the datagram (verdict ok/bad/unfinished) */
	uint32_t pseudo;		/* pseudo-header sum with the UDP length, unfolded */
};

/*
 * TC egress (SPEC 2 "TC egress"): what the TC program must make of one skb
 * leaving, by its bytes and two skb facts a test can set (gso_size != 0,
 * gso_segs). The blocklist plays no part at egress.
 */
struct cg_ref_egress {
	/* CG_IF_NOT_TUNNEL, CG_IF_UNPARSED or CG_IF_TUNNEL, as at ingress. */
	enum cg_iface_counter kind;
	enum cg_egress_state state;	/* when kind == CG_IF_TUNNEL */
	struct cg_addr dst;		/* outer destination, when kind == CG_IF_TUNNEL */
	uint32_t weight;		/* wire packets: gso_segs of a GSO skb (at least 1), else 1 */
	bool gso;			/* a GSO super-packet */
	/* A GSO skb carrying a whole tunnel datagram (not a fragment, not
	 * malformed): the facts program checks its tunnel metadata. */
	bool gso_tunnel;
	bool drop;			/* final_bad, not GSO, drop mode */
};

/* Local checksum offload: whether the outer checksum of the datagram at
 * frame offset udp_off (udp_len bytes, to a port of encapsulation encap,
 * pseudo = its pseudo-header sum) is right for the packet as it will be once
 * its inner TCP/UDP checksum, still a seed, is finished after TC egress.
 * false when the datagram carries no such inner packet. */
bool cg_ref_lco_verifies(const uint8_t *f, size_t udp_off, size_t udp_len, enum cg_encap encap,
			 uint32_t pseudo);

/* Classifies one skb exactly as the TC egress program does. gso: the skb is
 * a GSO super-packet (gso_size != 0) of gso_segs segments. */
void cg_ref_egress_classify(const uint8_t *frame, size_t len, const struct cg_ref_config *cfg,
			    bool gso, uint32_t gso_segs, struct cg_ref_egress *e);

/*
 * The inner packet of a tunnel datagram (SPEC 2.7, 2.8): the datagram at
 * frame offset udp_off, udp_len bytes (its UDP length, already checked), to
 * a port of encapsulation encap. Whether its inner L4 checksum verifies
 * (CG_ZI_OK), does not (CG_ZI_BAD), holds the inner pseudo-header seed
 * (CG_ZI_UNFINISHED), or there is none to check (CG_ZI_UNCHECKED).
 */
enum cg_zero_inner cg_ref_inner_check(const uint8_t *f, size_t udp_off, size_t udp_len,
				      enum cg_encap encap);

/* The bad class an inner check result makes (SPEC 2.8). */
enum cg_bad_class cg_ref_bad_class(enum cg_zero_inner inner);

/* Whether the IPv4 header at f (hlen bytes, 20..60) verifies. */
bool cg_ref_ipv4_hdr_ok(const uint8_t *ip, size_t hlen);

/* Fills cfg with the default port table (VXLAN 4789, 8472; Geneve 6081), monitor mode, no blocks. */
void cg_ref_config_default(struct cg_ref_config *cfg);

/* Classifies one frame exactly as the XDP program does. */
void cg_ref_classify(const uint8_t *frame, size_t len, const struct cg_ref_config *cfg,
		     struct cg_ref_result *res);

/* RFC 1071 one's-complement sum of len bytes (odd tail padded with zero), unfolded. */
uint32_t cg_ref_sum16(const uint8_t *p, size_t len, uint32_t sum);

/* Folds a 32-bit one's-complement sum to 16 bits (end-around carry). */
uint16_t cg_ref_fold(uint32_t sum);

/* The checksum a UDP datagram must carry (0 is sent as 0xFFFF). Addresses are
 * 4 (IPv4) or 16 (IPv6) bytes in network order; udp points at the UDP header
 * and ulen bytes; its checksum field is treated as zero. Returns 0 (never a
 * valid result) when ulen is outside 8..65535. */
uint16_t cg_ref_udp_csum(const uint8_t *saddr, const uint8_t *daddr, size_t alen,
			 const uint8_t *udp, size_t ulen);

/* Folded pseudo-header sum: the seed Linux stores for checksum offload. */
uint16_t cg_ref_pseudo_seed(const uint8_t *saddr, const uint8_t *daddr, size_t alen,
			    uint16_t ulen);

#endif /* CG_REFCHECK_H */
