/* SPDX-License-Identifier: GPL-2.0 */
/*
 * verdict.bpf.h - the verdict rule, for any hook: which parsed frames are
 * tunnel traffic (the port table), and the verdict on a tunnel datagram's
 * outer UDP checksum. SPEC 2.3-2.7; the twin in plain C is ref/refcheck.c.
 */
#ifndef CG_VERDICT_BPF_H
#define CG_VERDICT_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "csumguard.h"
#include "cg_wire.h"
#include "ctx.bpf.h"
#include "maps.bpf.h"
#include "parse.bpf.h"
#include "csum.bpf.h"
#include "csum_fold.bpf.h"

/* The encapsulation UDP destination port dport (host order) is audited as
 * (enum cg_encap; CG_ENCAP_NONE: not a tunnel port). The port table is an
 * array: the verifier inlines the lookup, no helper call. */
static __always_inline __u32 cg_tunnel_encap(__u32 dport)
{
	__u32 *enc = bpf_map_lookup_elem(&cg_ports, &dport);

	return enc ? *enc : CG_ENCAP_NONE;
}

/* Whether dport is in the tunnel port table. */
static __always_inline int cg_tunnel_port(__u32 dport)
{
	return cg_tunnel_encap(dport) != CG_ENCAP_NONE;
}

/*
 * Which per-interface counter a parsed frame lands in, before any checksum
 * is computed, the same for every hook:
 *   CG_IF_TUNNEL      a UDP datagram to a tunnel port (CG_PARSE_UDP: its
 *                     checksum gets a verdict, udp_verdict()), or any UDP
 *                     fragment (CG_PARSE_UDP_FRAGMENT: verdict fragment; a
 *                     later fragment shows no port, so any may be tunnel
 *                     traffic);
 *   CG_IF_NOT_TUNNEL  not IP, not UDP, or UDP to another port;
 *   CG_IF_UNPARSED    the parser gave up (CG_PARSE_ERROR).
 * *non_tunnel is set when the frame is proven not to be tunnel traffic: not
 * IP, not UDP, or UDP (or a first fragment) to a port not in the table. A
 * blocked source loses every frame not proven so (SPEC 2.9).
 */
static __always_inline enum cg_iface_counter
cg_frame_kind(enum cg_parse_status st, const struct cg_pkt *pk, int *non_tunnel)
{
	switch (st) {
	case CG_PARSE_UDP:
		if (cg_tunnel_port(pk->dport))
			return CG_IF_TUNNEL;
		*non_tunnel = 1;
		return CG_IF_NOT_TUNNEL;
	case CG_PARSE_UDP_FRAGMENT:
		*non_tunnel = pk->has_dport && !cg_tunnel_port(pk->dport);
		return CG_IF_TUNNEL;
	case CG_PARSE_OTHER_L4:
	case CG_PARSE_NOT_IP:
		*non_tunnel = 1;
		return CG_IF_NOT_TUNNEL;
	default:
		return CG_IF_UNPARSED;
	}
}

/*
 * The verdicts decided from the header alone, before any sum: UDP length
 * < 8 or beyond the IP payload (malformed), checksum field 0 (zero).
 * Returns 1 with *v set when decided, 0 when the datagram must be summed.
 */
static __always_inline int udp_header_verdict(const struct cg_pkt *pk, enum cg_verdict *v)
{
	__u32 ulen = bpf_ntohs(pk->udp_len);

	if (ulen < CG_UDP_HLEN || ulen > pk->ip_end - pk->l4) {
		*v = CG_V_MALFORMED;
		return 1;
	}
	if (pk->udp_check == 0) {
		*v = CG_V_ZERO;
		return 1;
	}
	return 0;
}

/* The folded pseudo-header sum with the datagram's UDP length: the seed
 * Linux stores for checksum offload (udp_set_csum, SPEC 2.7). */
static __always_inline __u16 udp_seed(const struct cg_pkt *pk)
{
	return csum_fold64(pk->pseudo + pk->udp_len);
}

/*
 * Verdict on one tunnel datagram (CG_PARSE_UDP: its UDP header at pk->l4, in
 * the linear area). linear_len is cg_ctx_data_end - cg_ctx_data. Returns 0
 * with *v set, or -1 when the sum could not be computed (never a guess: the
 * frame is "unchecked"). *dsum gets the sum of the datagram's bytes alone
 * (no pseudo-header; 0 when *v was decided from the header): the bad frame's
 * inner check and repair start from it (bpf/inner.bpf.h).
 */
static __always_inline int
udp_verdict(struct cg_ctx *ctx, const struct cg_pkt *pk, __s64 linear_len, enum cg_verdict *v,
	    __u64 *dsum)
{
	__u32 ulen = bpf_ntohs(pk->udp_len);
	__u64 sum, part;

	*dsum = 0;
	if (udp_header_verdict(pk, v))
		return 0;
	/* Bytes in the linear area are summed in place; a multi-buffer
	 * frame's rest goes through the bounce buffer. The split point is a
	 * multiple of 4 from the datagram start so both parts align. Inline
	 * here (cg_sum_range does the same as a global function): the ok path
	 * pays no extra call. */
	if (linear_len - pk->l4 >= ulen) {
		part = cg_sum_linear(ctx, pk->l4, ulen);
	} else {
		__u32 words = (__u32)(linear_len - pk->l4) & ~3U;
		__u64 rest;

		part = cg_sum_linear(ctx, pk->l4, words);
		rest = cg_sum_frags(ctx, pk->l4 + words, ulen - words);
		part = (part | rest) & CG_SUM_ERR ? CG_SUM_ERR : part + rest;
	}
	if (part & CG_SUM_ERR)
		return -1;
	*dsum = part;
	sum = pk->pseudo + pk->udp_len + part;

	/* Summing every word, the stored field included, gives 0xffff
	 * (negative zero) exactly when the checksum verifies. */
	if (csum_fold64(sum) == 0xffff)
		*v = CG_V_OK;
	/* The field holds the folded pseudo-header sum: what Linux stores
	 * for CHECKSUM_PARTIAL, to be finished by the NIC (SPEC 2.7). */
	else if (pk->udp_check == udp_seed(pk))
		*v = CG_V_UNFINISHED;
	else
		*v = CG_V_BAD;
	return 0;
}

/*
 * The outer IPv4 header checksum (SPEC 2.4), for the ingress verdict
 * bad_ip_header: the header at frame offset l3 (IHL x 4 bytes, in the linear
 * area) summed with its checksum field must fold to 0xffff, as the receiving
 * kernel checks (ip_rcv_core: ip_fast_csum before the length checks, so a
 * failure there is Ip InCsumErrors whatever else is wrong). Returns 1 when it
 * fails, 0 when it verifies or cannot be checked (IHL < 5, header not all
 * there).
 * A header without options (nearly all) was summed by the parser while it
 * had it (pk->ip_hsum: five 32-bit loads, cheaper than a bpf_csum_diff call
 * of about 4 ns, bench/README.md); with options, cg_ipv4_hdr_bad sums it
 * again here, the options a word at a time (at most 10). Global: inlined
 * after the parser, every parse path (VLAN tags, options, ...) took it
 * through the verifier again (+50k instructions on 6.18).
 */
__noinline int cg_ipv4_hdr_bad(struct cg_ctx *ctx, __u32 l3)
{
	void *data = cg_ctx_data(ctx);
	void *data_end = cg_ctx_data_end(ctx);
	__u8 *ip = pkt_in(data, data_end, l3, CG_IPV4_MIN_HLEN);
	__u32 hl, i;
	__u64 sum = 0;

	if (!ip)
		return 0;
	hl = (ip[0] & 0x0f) * 4;
	if (hl < CG_IPV4_MIN_HLEN)
		return 0;
	if (add_words(data, data_end, l3, CG_IPV4_MIN_HLEN, &sum))
		return 0;
	for (i = 0; i < (60 - CG_IPV4_MIN_HLEN) / 4; i++) {
		if (CG_IPV4_MIN_HLEN + i * 4 >= hl)
			break;
		if (add_words(data, data_end, l3 + CG_IPV4_MIN_HLEN + i * 4, 4, &sum))
			return 0;
	}
	return csum_fold64(sum) != 0xffff;
}

/* The ingress verdict bad_ip_header for a parsed IPv4 frame (above). */
static __always_inline int ipv4_hdr_bad(struct cg_ctx *ctx, const struct cg_pkt *pk)
{
	if (pk->ip_hl == CG_IPV4_MIN_HLEN)
		return csum_fold64(pk->ip_hsum) != 0xffff;
	return pk->ip_hl > CG_IPV4_MIN_HLEN && cg_ipv4_hdr_bad(ctx, pk->l3);
}

#endif /* CG_VERDICT_BPF_H */
