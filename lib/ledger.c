// SPDX-License-Identifier: GPL-2.0
/* ledger.c - see ledger.h. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "err.h"
#include "format.h"
#include "json_reader.h"
#include "json_writer.h"
#include "ledger.h"
#include "names.h"

int cg_node_add_addr(struct cg_node_snap *n, const struct cg_addr *a)
{
	size_t i;

	for (i = 0; i < n->naddrs; i++)
		if (!memcmp(&n->addrs[i], a, sizeof(*a)))
			return 0;
	if (n->naddrs >= CG_NODE_ADDRS_MAX)
		return -ENOSPC;
	n->addrs[n->naddrs++] = *a;
	return 0;
}

void cg_node_snap_free(struct cg_node_snap *n)
{
	free(n->dsts);
	free(n->srcs);
	n->dsts = NULL;
	n->srcs = NULL;
	n->ndsts = n->nsrcs = 0;
}

/* ------------------------------------------------------------- reading */

static int u64_at(const struct cg_jval *o, const char *key, __u64 *out)
{
	uint64_t v = 0;
	int e = cg_ju64(cg_jget(o, key), &v);

	*out = v;
	return e;
}

static int read_dsts(const struct cg_jval *eg, struct cg_node_snap *n, char *err,
		     size_t errlen)
{
	const struct cg_jval *arr = cg_jget(eg, "destinations"), *d, *a;
	struct cg_dst_row *rows, *r;
	size_t i;
	int s, bad = 0;

	if (!arr || arr->t != CG_J_ARR)
		return cg_errf(err, errlen, -EINVAL, "an egress object has no \"destinations\" "
			       "array; give the output of `csumguard stats --json`");
	rows = realloc(n->dsts, (n->ndsts + arr->n + 1) * sizeof(*rows));
	if (!rows)
		return cg_errf(err, errlen, -ENOMEM, "out of memory");
	n->dsts = rows;
	for (i = 0; i < arr->n; i++) {
		d = &arr->kids[i];
		r = &rows[n->ndsts];
		memset(r, 0, sizeof(*r));
		a = cg_jget(d, "addr");
		bad |= !a || a->t != CG_J_STR || cg_parse_addr(a->s, &r->addr);
		bad |= u64_at(d, cg_dst_field_name(CG_DF_PACKETS), &r->st.packets);
		u64_at(d, cg_dst_field_name(CG_DF_BYTES), &r->st.bytes);
		u64_at(d, cg_dst_field_name(CG_DF_GSO), &r->st.gso);
		for (s = 0; s < CG_EGRESS_STATE_MAX; s++)
			bad |= u64_at(d, cg_egress_state_name((enum cg_egress_state)s),
				      &r->st.state[s]);
		if (bad)
			return cg_errf(err, errlen, -EINVAL, "destination %zu of an egress object "
				       "lacks addr, packets or a state; give the output of "
				       "`csumguard stats --json`", i);
		n->ndsts++;
	}
	return 0;
}

static int read_srcs(const struct cg_jval *in, struct cg_node_snap *n, char *err,
		     size_t errlen)
{
	const struct cg_jval *arr = cg_jget(in, "sources"), *d, *a;
	struct cg_src_row *rows, *r;
	size_t i;
	int v, bad = 0;

	if (!arr || arr->t != CG_J_ARR)
		return cg_errf(err, errlen, -EINVAL, "an ingress object has no \"sources\" array; "
			       "give the output of `csumguard stats --json`");
	rows = realloc(n->srcs, (n->nsrcs + arr->n + 1) * sizeof(*rows));
	if (!rows)
		return cg_errf(err, errlen, -ENOMEM, "out of memory");
	n->srcs = rows;
	for (i = 0; i < arr->n; i++) {
		d = &arr->kids[i];
		r = &rows[n->nsrcs];
		memset(r, 0, sizeof(*r));
		a = cg_jget(d, "addr");
		bad |= !a || a->t != CG_J_STR || cg_parse_addr(a->s, &r->addr);
		bad |= u64_at(d, cg_src_field_name(CG_SF_PACKETS), &r->st.packets);
		for (v = 0; v < CG_VERDICT_MAX; v++)
			if (v == CG_V_BAD_IP_HEADER)	/* newer: absent before issue 10 */
				u64_at(d, cg_verdict_name((enum cg_verdict)v), &r->st.verdict[v]);
			else
				bad |= u64_at(d, cg_verdict_name((enum cg_verdict)v),
					      &r->st.verdict[v]);
		if (bad)
			return cg_errf(err, errlen, -EINVAL, "source %zu of an ingress object "
				       "lacks addr, packets or a verdict; give the output of "
				       "`csumguard stats --json`", i);
		n->nsrcs++;
	}
	return 0;
}

int cg_node_snap_from_json(const char *text, struct cg_node_snap *n, char *err, size_t errlen)
{
	const struct cg_jval *ifs, *ifc, *x;
	struct cg_jval *root = NULL;
	char why[CG_ERRLEN];
	struct cg_addr a;
	__u64 version;
	size_t i, j;
	int e;

	memset(n, 0, sizeof(*n));
	if ((e = cg_json_parse(text, &root, why, sizeof(why))))
		return cg_errf(err, errlen, e, "not JSON (%s); give the output of `csumguard "
			       "stats --json`", why);
	e = -EINVAL;
	if (cg_jget(root, "error")) {
		char msg[256];

		/* its text for a terminal: a crafted file must not write escapes
		 * there (found by fuzz/fuzz_ledger.c) */
		x = cg_jget(root, "error");
		cg_fmt_text(x->t == CG_J_STR ? x->s : "?", msg, sizeof(msg));
		cg_errf(err, errlen, e, "the snapshot is an error document (%s); take it again", msg);
		goto out;
	}
	if (u64_at(root, "version", &version) || version != CG_JSON_VERSION) {
		cg_errf(err, errlen, e, "not a `csumguard stats --json` document of schema "
			"version %d; take the snapshot with this csumguard", CG_JSON_VERSION);
		goto out;
	}
	ifs = cg_jget(root, "interfaces");
	if (cg_ji64(cg_jget(root, "time_unix"), &n->time_unix) || !ifs || ifs->t != CG_J_ARR) {
		cg_errf(err, errlen, e, "no time_unix or interfaces; give the output of "
			"`csumguard stats --json`");
		goto out;
	}
	for (i = 0; i < ifs->n; i++) {
		ifc = &ifs->kids[i];
		x = cg_jget(ifc, "addrs");
		for (j = 0; x && x->t == CG_J_ARR && j < x->n; j++)
			if (x->kids[j].t == CG_J_STR && !cg_parse_addr(x->kids[j].s, &a))
				cg_node_add_addr(n, &a);
		x = cg_jget(ifc, "egress");
		if (x && x->t == CG_J_OBJ) {
			n->has_egress = 1;
			if ((e = read_dsts(x, n, err, errlen)))
				goto out;
		}
		x = cg_jget(ifc, "ingress");
		if (x && x->t == CG_J_OBJ) {
			n->has_ingress = 1;
			if ((e = read_srcs(x, n, err, errlen)))
				goto out;
		}
	}
	e = 0;
out:
	cg_jval_free(root);
	if (e)
		cg_node_snap_free(n);
	return e;
}

/* ------------------------------------------------------------- the pair */

/* Counters and times come from files: sums saturate at UINT64_MAX and
 * differences at +-INT64_MAX rather than wrap or overflow (fuzz_ledger.c:
 * time_unix -2^63 against 1 overflowed int64_t; packets near 2^64 wrapped
 * the sum). */
static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

static int64_t sat_diff_u64(uint64_t a, uint64_t b)
{
	if (a >= b)
		return a - b > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)(a - b);
	return b - a > (uint64_t)INT64_MAX ? -INT64_MAX : -(int64_t)(b - a);
}

static int64_t sat_diff_i64(int64_t a, int64_t b)
{
	int64_t d;

	if (!__builtin_sub_overflow(a, b, &d) && d != INT64_MIN)
		return d;
	return a > b ? INT64_MAX : -INT64_MAX;
}

static int has_addr(const struct cg_node_snap *n, const struct cg_addr *a)
{
	size_t i;

	for (i = 0; i < n->naddrs; i++)
		if (!memcmp(&n->addrs[i], a, sizeof(*a)))
			return 1;
	return 0;
}

int cg_ledger_compute(const struct cg_node_snap *a, const struct cg_node_snap *b,
		      int64_t max_gap, struct cg_ledger *l, char *err, size_t errlen)
{
	uint64_t off, fbad, bad;
	size_t i;
	int s;

	memset(l, 0, sizeof(*l));
	if (!a->has_egress)
		return cg_errf(err, errlen, -ENOENT, "A's snapshot has no egress state (what A "
			       "sends is counted by its TC program); attach it on A: csumguard "
			       "attach IFACE (or --egress)");
	if (!b->has_ingress)
		return cg_errf(err, errlen, -ENOENT, "B's snapshot has no ingress state (what B "
			       "receives is counted by its XDP program); attach it on B: "
			       "csumguard attach IFACE (or --ingress)");
	if (!a->naddrs || !b->naddrs)
		return cg_errf(err, errlen, -EDESTADDRREQ, "%s's snapshot lists no address of "
			       "its interfaces; give its underlay addresses with --%s-addr ADDR",
			       a->naddrs ? "B" : "A", a->naddrs ? "b" : "a");
	l->max_gap = max_gap;
	l->dt = sat_diff_i64(b->time_unix, a->time_unix);
	l->order = l->dt > 0 ? CG_LEDGER_A_FIRST : l->dt < 0 ? CG_LEDGER_B_FIRST :
		   CG_LEDGER_SAME_SECOND;
	l->too_far = l->dt > max_gap || l->dt < -max_gap;

	for (i = 0; i < a->ndsts; i++) {
		const struct cg_dst_stats *st = &a->dsts[i].st;

		if (!has_addr(b, &a->dsts[i].addr))
			continue;
		l->sent = sat_add(l->sent, st->packets);
		l->bytes = sat_add(l->bytes, st->bytes);
		l->gso = sat_add(l->gso, st->gso);
		for (s = 0; s < CG_EGRESS_STATE_MAX; s++)
			l->state[s] = sat_add(l->state[s], st->state[s]);
	}
	for (i = 0; i < b->nsrcs; i++) {
		if (!has_addr(a, &b->srcs[i].addr))
			continue;
		l->arrived = sat_add(l->arrived, b->srcs[i].st.packets);
		for (s = 0; s < CG_VERDICT_MAX; s++)
			l->verdict[s] = sat_add(l->verdict[s], b->srcs[i].st.verdict[s]);
	}

	l->difference = sat_diff_u64(l->sent, l->arrived);
	if (l->order == CG_LEDGER_A_FIRST) {
		l->lost_at_least_known = 1;
		l->lost_at_least = l->difference > 0 ? (uint64_t)l->difference : 0;
	} else if (l->order == CG_LEDGER_B_FIRST) {
		l->lost_at_most_known = 1;
		l->lost_at_most = l->difference > 0 ? (uint64_t)l->difference : 0;
		/* B cannot have more from A than A had sent before B's snapshot */
		l->inconsistent = l->difference < 0;
	}
	off = l->state[CG_E_OFFLOADED];
	fbad = l->state[CG_E_FINAL_BAD];
	bad = l->verdict[CG_V_BAD];
	l->bad_after_a = bad > fbad ? bad - fbad : 0;
	if (off) {
		l->rate_known = 1;
		l->corruption_rate = (double)l->bad_after_a / (double)off;
	}
	return 0;
}

/* ------------------------------------------------------------- rendering */

static void addrs_str(const struct cg_node_snap *n, char *buf, size_t len)
{
	char a[CG_ADDR_STRLEN];
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < n->naddrs && off < len; i++) {
		cg_addr_str(&n->addrs[i], a, sizeof(a));
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? ", " : "", a);
	}
}

static const char *order_name(enum cg_ledger_order o)
{
	return o == CG_LEDGER_A_FIRST ? "a_first" : o == CG_LEDGER_B_FIRST ? "b_first" :
	       "same_second";
}

void cg_render_ledger_table(FILE *f, const struct cg_ledger *l, const struct cg_node_snap *a,
			    const struct cg_node_snap *b)
{
	char aa[1024], ba[1024], pct[16];
	uint64_t gap = l->dt < 0 ? (uint64_t)0 - (uint64_t)l->dt : (uint64_t)l->dt;

	addrs_str(a, aa, sizeof(aa));
	addrs_str(b, ba, sizeof(ba));
	fprintf(f, "A -> B: A (%s) sends, B (%s) receives\n", aa, ba);
	if (l->order == CG_LEDGER_A_FIRST)
		fprintf(f, "snapshots:       B %" PRIu64 " s after A (in order)%s\n", gap,
			l->too_far ? "; too far apart: the traffic of the gap can outweigh "
			"the difference" : "");
	else if (l->order == CG_LEDGER_B_FIRST)
		fprintf(f, "snapshots:       B %" PRIu64 " s BEFORE A (wrong order: take A's "
			"first, then B's)%s\n", gap, l->too_far ? "; and too far apart" : "");
	else
		fprintf(f, "snapshots:       in the same second (order unknown)\n");
	fprintf(f, "sent by A:       %" PRIu64 " (offloaded %" PRIu64 ", final_ok %" PRIu64
		", final_bad %" PRIu64 ", zero %" PRIu64 ", fragment %" PRIu64 ", malformed %"
		PRIu64 ")\n", l->sent, l->state[CG_E_OFFLOADED], l->state[CG_E_FINAL_OK],
		l->state[CG_E_FINAL_BAD], l->state[CG_E_ZERO], l->state[CG_E_FRAGMENT],
		l->state[CG_E_MALFORMED]);
	fprintf(f, "arrived at B:    %" PRIu64 " (ok %" PRIu64 ", bad %" PRIu64 ", unfinished %"
		PRIu64 ", zero %" PRIu64 ", fragment %" PRIu64 ", malformed %" PRIu64 ")\n",
		l->arrived, l->verdict[CG_V_OK], l->verdict[CG_V_BAD],
		l->verdict[CG_V_UNFINISHED], l->verdict[CG_V_ZERO], l->verdict[CG_V_FRAGMENT],
		l->verdict[CG_V_MALFORMED]);
	if (!l->sent && !l->arrived)
		fprintf(f, "lost:            - (no tunnel traffic from A to B on either side: "
			"check the addresses)\n");
	else if (l->lost_at_least_known)
		fprintf(f, "lost:            at least %" PRIu64 " (sent - arrived = %" PRId64 "; B "
			"also counted what A sent after its snapshot)\n", l->lost_at_least,
			l->difference);
	else if (l->lost_at_most_known && l->inconsistent)
		fprintf(f, "lost:            inconsistent: B counted %" PRId64 " more from A than A "
			"had sent before B's snapshot (counters restarted on A, or another "
			"sender uses A's address)\n", -l->difference);
	else if (l->lost_at_most_known)
		fprintf(f, "lost:            at most %" PRIu64 " (sent - arrived = %" PRId64 "; A "
			"also counted what it sent after B's snapshot)\n", l->lost_at_most,
			l->difference);
	else
		fprintf(f, "lost:            unknown (sent - arrived = %" PRId64 ", snapshots in "
			"the same second)\n", l->difference);
	if (l->rate_known) {
		cg_fmt_pct(l->bad_after_a, l->state[CG_E_OFFLOADED], pct, sizeof(pct));
		fprintf(f, "corruption rate: %s (%" PRIu64 " arrived bad, %" PRIu64 " of them "
			"already bad leaving A, of %" PRIu64 " offloaded)\n", pct,
			l->verdict[CG_V_BAD], l->verdict[CG_V_BAD] - l->bad_after_a,
			l->state[CG_E_OFFLOADED]);
	} else {
		fprintf(f, "corruption rate: - (A offloaded no checksum to B%s)\n",
			l->bad_after_a ? "; yet B got bad ones: the path corrupts, not A's NIC" :
			"");
	}
}

int cg_render_ledger_json(FILE *f, const struct cg_ledger *l, const struct cg_node_snap *a,
			  const struct cg_node_snap *b)
{
	const struct cg_node_snap *node[2] = { a, b };
	char addr[CG_ADDR_STRLEN];
	struct cg_json w;
	size_t i;
	int k, s;

	cg_json_init(&w, f);
	cg_json_start_object(&w);
	cg_json_uint_field(&w, "version", CG_JSON_VERSION);
	for (k = 0; k < 2; k++) {
		cg_json_name(&w, k ? "b" : "a");
		cg_json_start_object(&w);
		cg_json_int_field(&w, "time_unix", node[k]->time_unix);
		cg_json_name(&w, "addrs");
		cg_json_start_array(&w);
		for (i = 0; i < node[k]->naddrs; i++) {
			cg_addr_str(&node[k]->addrs[i], addr, sizeof(addr));
			cg_json_string(&w, addr);
		}
		cg_json_end_array(&w);
		cg_json_end_object(&w);
	}
	cg_json_int_field(&w, "dt_seconds", l->dt);
	cg_json_string_field(&w, "order", order_name(l->order));
	cg_json_bool_field(&w, "too_far", l->too_far);
	cg_json_int_field(&w, "max_gap_seconds", l->max_gap);
	cg_json_name(&w, "sent");
	cg_json_start_object(&w);
	cg_json_uint_field(&w, cg_dst_field_name(CG_DF_PACKETS), l->sent);
	cg_json_uint_field(&w, cg_dst_field_name(CG_DF_BYTES), l->bytes);
	cg_json_uint_field(&w, cg_dst_field_name(CG_DF_GSO), l->gso);
	for (s = 0; s < CG_EGRESS_STATE_MAX; s++)
		cg_json_uint_field(&w, cg_egress_state_name((enum cg_egress_state)s), l->state[s]);
	cg_json_end_object(&w);
	cg_json_name(&w, "arrived");
	cg_json_start_object(&w);
	cg_json_uint_field(&w, cg_src_field_name(CG_SF_PACKETS), l->arrived);
	for (s = 0; s < CG_VERDICT_MAX; s++)
		cg_json_uint_field(&w, cg_verdict_name((enum cg_verdict)s), l->verdict[s]);
	cg_json_end_object(&w);
	cg_json_int_field(&w, "difference", l->difference);
	if (l->lost_at_least_known)
		cg_json_uint_field(&w, "lost_at_least", l->lost_at_least);
	else
		cg_json_null_field(&w, "lost_at_least");
	if (l->lost_at_most_known && !l->inconsistent)
		cg_json_uint_field(&w, "lost_at_most", l->lost_at_most);
	else
		cg_json_null_field(&w, "lost_at_most");
	cg_json_bool_field(&w, "inconsistent", l->inconsistent);
	cg_json_uint_field(&w, "bad_after_a", l->bad_after_a);
	if (l->rate_known)
		cg_json_float_field(&w, "corruption_rate", l->corruption_rate);
	else
		cg_json_null_field(&w, "corruption_rate");
	cg_json_end_object(&w);
	return cg_json_finish(&w);
}
