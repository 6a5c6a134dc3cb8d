// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_refcheck.c - the reference verifier (ref/refcheck.c) on any bytes:
 * the ingress classification, the egress one (GSO or not) and the LCO
 * check. The first input byte picks the configuration, the rest is the
 * frame, in a heap block of exactly its length.
 *
 * Promises checked: kinds, verdicts and states in range; a datagram whose
 * verdict needed its sum lies inside the frame; an "ok" datagram passes
 * the RFC 1071 receiver check (pseudo-header + datagram, field included,
 * folds to 0xffff: summed here, independently of the verdict code); drop
 * only with a reason and a source; egress sees the same kind as ingress
 * (the blocklist plays no part there) and counts at least one packet.
 */
#include "fuzz.h"
#include "refcheck.h"
#include "cg_wire.h"

#define GUE_PORT	6080

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* RFC 1071 receiver check, its own loop: 1 if it verifies. */
static int receiver_check(const struct cg_ref_result *r, const uint8_t *f)
{
	const uint8_t *u = f + r->udp_off;
	uint64_t s = 0;
	size_t alen = r->src.family == CG_AF_INET4 ? 4 : 16, i;
	const uint8_t *sa = r->src.family == CG_AF_INET4 ? &r->src.a[12] : r->src.a;
	const uint8_t *da = r->dst.family == CG_AF_INET4 ? &r->dst.a[12] : r->dst.a;

	for (i = 0; i < alen; i += 2)
		s += (uint32_t)(sa[i] << 8 | sa[i + 1]) + (uint32_t)(da[i] << 8 | da[i + 1]);
	s += CG_IPPROTO_UDP + r->udp_len;
	for (i = 0; i + 1 < r->udp_len; i += 2)
		s += (uint32_t)(u[i] << 8 | u[i + 1]);
	if (r->udp_len & 1)
		s += (uint32_t)u[r->udp_len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s == 0xffff;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_ref_block_entry blk;
	struct cg_ref_config cfg;
	struct cg_ref_result r, r0;
	struct cg_ref_egress e;
	uint8_t ctl, *f;
	size_t len;
	int enc;

	if (size < 1)
		return 0;
	ctl = data[0];
	len = size - 1;
	f = malloc(len ? len : 1);
	if (!f)
		abort();
	memcpy(f, data + 1, len);

	cg_ref_config_default(&cfg);
	cfg.mode = ctl & 1 ? CG_MODE_DROP : CG_MODE_MONITOR;
	if (ctl & 2)
		cfg.port_encap[GUE_PORT] = CG_ENCAP_GUE;
	if (ctl & 4)
		cfg.port_encap[53] = CG_ENCAP_VXLAN;

	cg_ref_classify(f, len, &cfg, &r0);
	r = r0;
	/* the frame's own source blocked: the second pass sees it */
	if ((ctl & 8) && r0.have_src) {
		blk.addr = r0.src;
		blk.flags = ctl & 16 ? CG_BLOCK_ALL_TRAFFIC : 0;
		cfg.blocks = &blk;
		cfg.nblocks = 1;
		cg_ref_classify(f, len, &cfg, &r);
		FZ_CHECK(r.blocked, "source in the blocklist, not blocked");
		FZ_CHECK(r.kind == r0.kind && r.verdict == r0.verdict,
			 "the blocklist changed the classification");
	}

	FZ_CHECK(r.kind == CG_IF_NOT_TUNNEL || r.kind == CG_IF_UNPARSED || r.kind == CG_IF_TUNNEL,
		 "kind %d", r.kind);
	FZ_CHECK(r.kind != CG_IF_TUNNEL || (unsigned)r.verdict < CG_VERDICT_MAX, "verdict %d",
		 r.verdict);
	FZ_CHECK(!r.drop || r.have_src, "dropped without a source");
	FZ_CHECK(!r.drop || r.drop_reason == CG_IF_DROP_BAD || r.drop_reason == CG_IF_DROP_BLOCKED,
		 "drop reason %d", r.drop_reason);
	FZ_CHECK(!r.blocked || r.have_src, "blocked without a source");
	FZ_CHECK(r.drop_reason != CG_IF_DROP_BAD ||
		 (r.kind == CG_IF_TUNNEL && r.verdict == CG_V_BAD && cfg.mode == CG_MODE_DROP),
		 "dropped as bad: kind %d verdict %d mode %d", r.kind, r.verdict, cfg.mode);
	FZ_CHECK(!r.have_src || r.src.family == r.dst.family, "source and destination families");
	if (r.kind == CG_IF_TUNNEL &&
	    (r.verdict == CG_V_OK || r.verdict == CG_V_BAD || r.verdict == CG_V_UNFINISHED)) {
		FZ_CHECK(r.have_src, "a checked datagram without a source");
		FZ_CHECK(r.udp_len >= CG_UDP_HLEN && r.udp_off + r.udp_len <= len,
			 "datagram %zu+%zu outside a %zu-byte frame", r.udp_off, r.udp_len, len);
		FZ_CHECK(r.stored_csum == get16(f + r.udp_off + 6) && r.stored_csum != 0,
			 "stored checksum %#x", r.stored_csum);
		FZ_CHECK((r.verdict == CG_V_OK) == receiver_check(&r, f),
			 "verdict %d, RFC 1071 receiver check says %d", r.verdict,
			 receiver_check(&r, f));
		for (enc = CG_ENCAP_NONE; enc < CG_ENCAP_MAX; enc++)
			(void)cg_ref_lco_verifies(f, r.udp_off, r.udp_len, (enum cg_encap)enc,
						  r.pseudo);
	}

	cg_ref_egress_classify(f, len, &cfg, ctl & 32, ctl >> 6 ? (uint32_t)(ctl >> 6) * 3 : 0, &e);
	/* The same kind both ways, except what only ingress judges (issue 10):
	 * malformed attribution of a cut header and the IPv4 header checksum. */
	FZ_CHECK(e.kind == r.kind ||
		 (r.kind == CG_IF_TUNNEL &&
		  (r.verdict == CG_V_MALFORMED || r.verdict == CG_V_BAD_IP_HEADER)),
		 "egress kind %d, ingress %d verdict %d", e.kind, r.kind, r.verdict);
	FZ_CHECK(e.kind != CG_IF_TUNNEL || (unsigned)e.state < CG_EGRESS_STATE_MAX, "state %d",
		 e.state);
	FZ_CHECK(e.weight >= 1, "weight 0");
	FZ_CHECK(!e.drop || (e.state == CG_E_FINAL_BAD && !e.gso && cfg.mode == CG_MODE_DROP),
		 "egress drop: state %d gso %d mode %d", e.state, e.gso, cfg.mode);
	FZ_CHECK(e.kind != CG_IF_TUNNEL || !memcmp(&e.dst, &r.dst, sizeof(e.dst)),
		 "egress destination differs");
	free(f);
	return 0;
}
