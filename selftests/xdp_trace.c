// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_trace.c - the trace ring buffer (issue 11, bpf/trace.bpf.h) through
 * BPF_PROG_TEST_RUN: a bad frame gives exactly one event whose fields are
 * the frame's (stored checksum as built, the expected one as the builder
 * computes it for the same frame with a valid checksum, class as the
 * reference verifier says), an ok frame none, and past the burst the token
 * bucket suppresses and counts what it suppressed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include "harness.h"
#include "pkt.h"
#include "selftests.h"

#define MAX_EV 512

struct sink {
	struct cg_trace_event ev[MAX_EV];
	int n;
};

static struct sink sink;	/* what the ring buffer gave, since the last reset */

static int on_event(void *ctx, void *data, size_t size)
{
	struct sink *s = ctx;

	if (size >= sizeof(struct cg_trace_event) && s->n < MAX_EV)
		memcpy(&s->ev[s->n], data, sizeof(struct cg_trace_event));
	s->n++;
	return 0;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* A full bucket on every CPU (a zeroed one starts full). */
static int bucket_reset(int fd)
{
	int ncpu = libbpf_num_possible_cpus();
	struct cg_trace_bucket *v;
	__u32 zero = 0;
	int e;

	if (ncpu <= 0)
		return -EINVAL;
	v = calloc((size_t)ncpu, sizeof(*v));
	if (!v)
		return -ENOMEM;
	e = bpf_map_update_elem(fd, &zero, v, 0) ? -errno : 0;
	free(v);
	return e;
}

struct trace_case {
	const char *name;
	int family;
	enum cg_encap encap;
	enum pkt_csum csum;
	int inner;		/* a real inner UDP packet (then bad_outer_only) */
	int n;			/* frames sent */
	int want_events;	/* -1: the burst (rate-limit case) */
	enum cg_verdict verdict;
	enum cg_bad_class cls;
	int bad_ip_hdr;		/* the outer IPv4 header checksum broken */
};

static const struct trace_case cases[] = {
	{ "trace: bad vxlan v4 (inner udp): one event", 4, CG_ENCAP_VXLAN, PKT_CSUM_WRONG, 1, 1, 1,
	  CG_V_BAD, CG_BC_OUTER_ONLY, 0 },
	{ "trace: bad geneve v6 (random inner): one event", 6, CG_ENCAP_GENEVE, PKT_CSUM_WRONG, 0,
	  1, 1, CG_V_BAD, CG_BC_UNCLASSIFIED, 0 },
	{ "trace: bad_ip_header vxlan v4: one event, no expected checksum", 4, CG_ENCAP_VXLAN,
	  PKT_CSUM_VALID, 1, 1, 1, CG_V_BAD_IP_HEADER, CG_BAD_CLASS_MAX, 1 },
	{ "trace: ok vxlan v4: no event", 4, CG_ENCAP_VXLAN, PKT_CSUM_VALID, 1, 1, 0, CG_V_OK, 0, 0 },
	{ "trace: unfinished vxlan v4 (flag off): no event", 4, CG_ENCAP_VXLAN, PKT_CSUM_SEED, 1,
	  1, 0, CG_V_UNFINISHED, 0, 0 },
	{ "trace: burst of bad frames: the rate limit suppresses and counts", 4, CG_ENCAP_VXLAN,
	  PKT_CSUM_WRONG, 1, CG_TRACE_BURST + 40, -1, CG_V_BAD, CG_BC_OUTER_ONLY, 0 },
};

static void run_one(struct harness *h, struct ring_buffer *rb, int tb_fd, struct st_result *res,
		    const struct trace_case *c)
{
	struct pkt_spec s, good;
	struct pkt_layout lay, glay;
	struct cg_iface_stats st;
	uint8_t frame[512], gframe[512];
	char why[512] = "", nbuf[256];
	const char *name = xh_xdp_case_name(h, c->name, nbuf, sizeof(nbuf));
	size_t len;
	uint64_t t0, t1, allowed;
	int i, action, fail = 0, want;
	const struct cg_trace_event *e;

	pkt_spec_init(&s, c->family);
	s.encap = c->encap;
	if (c->encap == CG_ENCAP_GENEVE)
		s.dport = CG_PORT_GENEVE;
	if (c->inner)
		s.inner.family = 4;
	s.csum = c->csum;
	good = s;
	good.csum = PKT_CSUM_VALID;
	len = pkt_build(frame, sizeof(frame), &s, &lay);
	if (!len || pkt_build(gframe, sizeof(gframe), &good, &glay) != len) {
		st_report(res, name, -1, "frame did not build");
		return;
	}
	if (c->bad_ip_hdr)
		frame[lay.l3 + 10] ^= 0x5a;	/* the IPv4 header checksum */
	/* Empty the ring, a full bucket, zeroed counters. */
	ring_buffer__consume(rb);
	if (bucket_reset(tb_fd) || xh_reset_counters(h)) {
		st_report(res, name, -1, "could not reset the bucket or the counters");
		return;
	}
	memset(&sink, 0, sizeof(sink));
	t0 = mono_ns();
	for (i = 0; i < c->n; i++)
		if (xh_run(h, XH_XDP, frame, len, &action)) {
			st_report(res, name, -1, "test run failed");
			return;
		}
	t1 = mono_ns();
	ring_buffer__consume(rb);
	if (xh_iface_read(h, XH_XDP, &st)) {
		st_report(res, name, -1, "cannot read the totals");
		return;
	}
	if (st.verdict[c->verdict] != (uint64_t)c->n) {
		snprintf(why, sizeof(why), "verdict %d counted %llu times, want %d", c->verdict,
			 (unsigned long long)st.verdict[c->verdict], c->n);
		fail = 1;
	}
	if (!fail && c->want_events >= 0) {
		if (sink.n != c->want_events || st.c[CG_IF_TRACE_SUPPRESSED] ||
		    st.c[CG_IF_TRACE_LOST]) {
			snprintf(why, sizeof(why), "%d events (want %d), suppressed %llu, lost %llu",
				 sink.n, c->want_events,
				 (unsigned long long)st.c[CG_IF_TRACE_SUPPRESSED],
				 (unsigned long long)st.c[CG_IF_TRACE_LOST]);
			fail = 1;
		}
	} else if (!fail) {
		/* The burst, plus what the rate refilled while the frames ran
		 * (whole tokens; one more for the partial one at each end). */
		allowed = CG_TRACE_BURST + (t1 - t0) * CG_TRACE_RATE / 1000000000ull + 1;
		if (sink.n < CG_TRACE_BURST || (uint64_t)sink.n > allowed ||
		    (uint64_t)sink.n + st.c[CG_IF_TRACE_SUPPRESSED] != (uint64_t)c->n ||
		    st.c[CG_IF_TRACE_LOST]) {
			snprintf(why, sizeof(why), "%d events (want %d..%llu), suppressed %llu "
				 "(events + suppressed want %d), lost %llu", sink.n,
				 CG_TRACE_BURST, (unsigned long long)allowed,
				 (unsigned long long)st.c[CG_IF_TRACE_SUPPRESSED], c->n,
				 (unsigned long long)st.c[CG_IF_TRACE_LOST]);
			fail = 1;
		}
	}
	want = sink.n < MAX_EV ? sink.n : MAX_EV;
	for (i = 0; !fail && i < want; i++) {
		e = &sink.ev[i];
		if (e->verdict != c->verdict || e->sub != c->cls || e->encap != c->encap ||
		    e->dport != s.dport || e->l3 != lay.l3 || e->l4 != lay.l4 ||
		    e->frame_len != len || e->cap_len != (len < CG_TRACE_SNAP ? len : CG_TRACE_SNAP) ||
		    ntohs(e->stored) != lay.csum ||
		    (c->bad_ip_hdr ? e->flags != 0 :
		     ntohs(e->expected) != glay.csum || e->flags != CG_TRACE_F_EXPECTED) ||
		    memcmp(e->data, frame, e->cap_len) ||
		    e->src.family != c->family || !e->ts_ns || e->ts_ns < t0 || e->ts_ns > t1) {
			snprintf(why, sizeof(why), "event %d: verdict %u class %u encap %u dport %u "
				 "l3 %u l4 %u len %u cap %u stored %04x expected %04x flags %u "
				 "family %u; want %d %d %d %u %zu %zu %zu %zu %04x %04x (bytes %s)",
				 i, e->verdict, e->sub, e->encap, e->dport, e->l3, e->l4,
				 e->frame_len, e->cap_len, ntohs(e->stored), ntohs(e->expected),
				 e->flags, e->src.family, c->verdict, c->cls, c->encap, s.dport,
				 lay.l3, lay.l4, len, len < CG_TRACE_SNAP ? len : CG_TRACE_SNAP,
				 lay.csum, glay.csum,
				 memcmp(e->data, frame, e->cap_len) ? "differ" : "equal");
			fail = 1;
		}
	}
	st_report(res, name, fail ? -1 : 0, why);
}

int run_trace_cases(struct harness *h, struct st_result *res, const char *filter)
{
	struct bpf_map *rbm = cg_xdp_obj_map(&h->xdp, "cg_trace");
	struct bpf_map *tbm = cg_xdp_obj_map(&h->xdp, "cg_trace_tb");
	struct ring_buffer *rb;
	size_t i;
	int ran = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (!filter || strstr(cases[i].name, filter))
			ran++;
	if (!ran)
		return 0;
	if (!rbm || !tbm) {
		st_report(res, "trace: maps", -1, "the XDP object has no cg_trace/cg_trace_tb");
		return ran;
	}
	rb = ring_buffer__new(bpf_map__fd(rbm), on_event, &sink, NULL);
	if (!rb) {
		st_report(res, "trace: ring buffer", -1, "ring_buffer__new failed");
		return ran;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (!filter || strstr(cases[i].name, filter))
			run_one(h, rb, bpf_map__fd(tbm), res, &cases[i]);
	ring_buffer__free(rb);
	/* Leave a full bucket and zeroed counters for the cases after. */
	bucket_reset(bpf_map__fd(tbm));
	xh_reset_counters(h);
	return ran;
}
