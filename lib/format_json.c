// SPDX-License-Identifier: GPL-2.0
/* format_json.c - the JSON documents of format.h (schema: loader/README.md),
 * written through json_writer.h; counter and field keys come from names.c. */
#include <stdio.h>
#include <string.h>
#include "format.h"
#include "json_writer.h"
#include "names.h"
#include "nodes.h"

/* The counters of one row, in the descriptor table's order (names.c);
 * times are shown as "<name>_age_seconds" (null: never); skb facts are
 * null where the running program cannot read them. */
static void json_fields(struct cg_json *w, const void *st, const struct cg_field *f, size_t n,
			int facts_ok)
{
	size_t i;
	uint64_t v;

	for (i = 0; i < n; i++) {
		v = cg_field_get(st, &f[i]);
		if (cg_field_is_time(&f[i]))
			continue;
		if (f[i].kind == CG_FK_FACT && !facts_ok)
			cg_json_null_field(w, f[i].name);
		else
			cg_json_uint_field(w, f[i].name, v);
	}
}

static void json_ratio(struct cg_json *w, const char *key, uint64_t num, uint64_t den)
{
	if (den)
		cg_json_float_field(w, key, (double)num / (double)den);
	else
		cg_json_null_field(w, key);
}

static void json_ages(struct cg_json *w, const void *st, const struct cg_field *f, size_t n,
		      uint64_t now_ns)
{
	char key[48];
	size_t i;
	uint64_t v;

	for (i = 0; i < n; i++) {
		if (!cg_field_is_time(&f[i]))
			continue;
		v = cg_field_get(st, &f[i]);
		snprintf(key, sizeof(key), "%s_age_seconds", f[i].name);
		if (v)
			cg_json_uint_field(w, key, cg_age_seconds(v, now_ns));
		else
			cg_json_null_field(w, key);
	}
}

static void json_src(struct cg_json *w, const struct cg_src_row *r, uint64_t now_ns,
		     const struct cg_nodes *nodes)
{
	const struct cg_field *f;
	char addr[CG_ADDR_STRLEN];
	size_t n;

	f = cg_src_fields(&n);
	cg_addr_str(&r->addr, addr, sizeof(addr));
	cg_json_start_object(w);
	cg_json_string_field(w, "addr", addr);
	cg_json_string_field(w, "node", cg_nodes_name(nodes, &r->addr));	/* null: unknown */
	json_fields(w, &r->st, f, n, 1);
	json_ratio(w, "bad_ratio", r->st.verdict[CG_V_BAD], cg_src_checked(&r->st));
	json_ages(w, &r->st, f, n, now_ns);
	cg_json_end_object(w);
}

/* true, false, or null for "cannot tell" (a negative value). */
static void json_tristate(struct cg_json *w, const char *name, int v)
{
	if (v < 0)
		cg_json_null_field(w, name);
	else
		cg_json_bool_field(w, name, v);
}

/* A counter of skb facts: null where the running program cannot read them
 * (kernel before 6.2: "unsupported", not 0). */
static void json_fact(struct cg_json *w, const char *name, uint64_t v, int supported)
{
	if (supported == 0)
		cg_json_null_field(w, name);
	else
		cg_json_uint_field(w, name, v);
}

/* The first gso_meta_bad skb (seed 003): null until there is one. Offsets
 * from the frame start; -1: not known. */
static void json_gso_meta_first(struct cg_json *w, const struct cg_gso_meta_event *e,
				uint64_t now_ns)
{
	char addr[CG_ADDR_STRLEN];

	if (!e->when_ns) {
		cg_json_null_field(w, "gso_meta_first");
		return;
	}
	cg_addr_str(&e->dst, addr, sizeof(addr));
	cg_json_name(w, "gso_meta_first");
	cg_json_start_object(w);
	cg_json_uint_field(w, "age_seconds", cg_age_seconds(e->when_ns, now_ns));
	cg_json_string_field(w, "addr", addr);
	cg_json_uint_field(w, "gso_segs", e->gso_segs);
	cg_json_bool_field(w, "encapsulation", e->encapsulation);
	cg_json_name(w, "skb");
	cg_json_start_object(w);
	cg_json_int_field(w, "transport", e->transport);
	cg_json_int_field(w, "inner_mac", e->inner_mac);
	cg_json_int_field(w, "inner_network", e->inner_net);
	cg_json_int_field(w, "inner_transport", e->inner_trans);
	cg_json_end_object(w);
	cg_json_name(w, "bytes");
	cg_json_start_object(w);
	cg_json_int_field(w, "transport", e->want_transport);
	cg_json_int_field(w, "inner_mac", e->want_inner_mac);
	cg_json_int_field(w, "inner_network", e->want_inner_net);
	cg_json_end_object(w);
	cg_json_end_object(w);
}

/* 1: the egress program reads skb facts; 0: it cannot (no_facts moved);
 * -1: no tunnel packet yet to tell. */
static int facts_supported(const struct cg_iface_view *v)
{
	return v->etot.facts ? 1 : v->etot.no_facts ? 0 : -1;
}

static void json_dst(struct cg_json *w, const struct cg_dst_row *r, uint64_t now_ns,
		     int facts_ok, const struct cg_nodes *nodes)
{
	const struct cg_field *f;
	char addr[CG_ADDR_STRLEN], key[32];
	size_t n;

	f = cg_dst_fields(&n);
	cg_addr_str(&r->addr, addr, sizeof(addr));
	cg_json_start_object(w);
	cg_json_string_field(w, "addr", addr);
	cg_json_string_field(w, "node", cg_nodes_name(nodes, &r->addr));	/* null: unknown */
	json_fields(w, &r->st, f, n, facts_ok);
	snprintf(key, sizeof(key), "%s_ratio", cg_egress_state_name(CG_E_FINAL_BAD));
	json_ratio(w, key, r->st.state[CG_E_FINAL_BAD], cg_dst_checked(&r->st));
	json_ages(w, &r->st, f, n, now_ns);
	cg_json_end_object(w);
}

static void json_ports(struct cg_json *w, const struct cg_iface_view *v)
{
	int c;

	cg_json_name(w, "ports");
	cg_json_start_array(w);
	for (c = 0; c < v->nports; c++) {
		cg_json_start_object(w);
		cg_json_uint_field(w, "port", v->ports[c].port);
		cg_json_string_field(w, "encap", cg_encap_name(v->ports[c].encap));
		cg_json_end_object(w);
	}
	cg_json_end_array(w);
}

/* The egress direction: the TC filter, configuration, counters, states and
 * per-destination rows. */
static void json_egress(struct cg_json *w, const struct cg_iface_view *v, uint64_t now_ns)
{
	uint64_t facts = 0, off_fact = 0;
	int here = v->attached > 0 && !v->attached_note;
	size_t i;
	int c;

	for (i = 0; i < v->ndrows; i++) {
		facts += v->drows[i].st.facts;
		off_fact += v->drows[i].st.offloaded_fact;
	}
	cg_json_start_object(w);
	json_tristate(w, "attached", v->attached);
	if (here) {
		cg_json_uint_field(w, "tc_priority", v->tc_priority);
		cg_json_uint_field(w, "tc_handle", v->tc_handle);
	} else {
		cg_json_null_field(w, "tc_priority");
		cg_json_null_field(w, "tc_handle");
	}
	json_tristate(w, "qdisc_created", here ? v->tc_qdisc_created : -1);
	if (v->attached_note)
		cg_json_string_field(w, "attached_note", v->attached_note);
	cg_json_string_field(w, "mode", v->have_config ?
			     cg_mode_name((enum cg_mode)v->config.mode) : NULL);
	json_ports(w, v);
	cg_json_uint_field(w, "destinations_max", v->dests_max);
	cg_json_uint_field(w, "destinations_present", v->dests_present);
	cg_json_uint_field(w, "destinations_evicted", v->dests_evicted);
	if (v->dests_bytes)
		cg_json_uint_field(w, "destinations_memory_bytes", v->dests_bytes);
	else
		cg_json_null_field(w, "destinations_memory_bytes");
	if (v->ncpus > 0)
		cg_json_uint_field(w, "possible_cpus", (uint64_t)v->ncpus);
	else
		cg_json_null_field(w, "possible_cpus");
	cg_json_name(w, "counters");
	cg_json_start_object(w);
	for (c = 0; c < CG_IFACE_COUNTER_MAX; c++)
		if (c != CG_IF_REPAIRED && c != CG_IF_UNVERIFIED &&	/* ingress only */
		    c != CG_IF_TRACE_SUPPRESSED && c != CG_IF_TRACE_LOST &&
		    c != CG_IF_UNKNOWN_SENDER && c != CG_IF_DROP_UNKNOWN &&
		    c != CG_IF_TTL_MISMATCH && c != CG_IF_SRC_RARE_INSERTED &&
		    c != CG_IF_SRC_REINSERTED)
			cg_json_uint_field(w, cg_egress_counter_name((enum cg_iface_counter)c),
					   v->etot.c[c]);
	cg_json_end_object(w);
	cg_json_name(w, "states");
	cg_json_start_object(w);
	for (c = 0; c < CG_EGRESS_STATE_MAX; c++)
		cg_json_uint_field(w, cg_egress_state_name((enum cg_egress_state)c),
				   v->etot.state[c]);
	cg_json_end_object(w);
	cg_json_uint_field(w, cg_dst_field_name(CG_DF_GSO), v->etot.gso);
	cg_json_uint_field(w, cg_dst_field_name(CG_DF_GSO_META_BAD), v->etot.gso_meta_bad);
	/* over the destination rows (the totals have no such counters) */
	json_tristate(w, "skb_facts", facts_supported(v));
	json_fact(w, cg_dst_field_name(CG_DF_FACTS), facts, facts_supported(v));
	json_fact(w, cg_dst_field_name(CG_DF_OFFLOADED_FACT), off_fact, facts_supported(v));
	json_gso_meta_first(w, &v->gso_meta_first, now_ns);
	cg_json_name(w, "destinations");
	cg_json_start_array(w);
	for (i = 0; i < v->ndrows; i++)
		json_dst(w, &v->drows[i], now_ns, facts_supported(v), v->nodes);
	cg_json_end_array(w);
	cg_json_end_object(w);
}

/* One direction of an interface: its attachment, configuration, counters
 * and per-source rows. */
static void json_direction(struct cg_json *w, const struct cg_iface_view *v, uint64_t now_ns)
{
	size_t i;
	int c;

	if (v->dir == CG_DIR_EGRESS) {
		json_egress(w, v, now_ns);
		return;
	}
	cg_json_start_object(w);
	json_tristate(w, "attached", v->attached);
	cg_json_string_field(w, "xdp_mode", v->attached > 0 ? v->xdp_mode : NULL);
	json_tristate(w, "dispatcher", v->attached <= 0 || !v->xdp_mode ? -1 : v->dispatcher);
	/* Additive (schema 2): which program variant runs, lib/probe.h. */
	cg_json_string_field(w, "xdp_variant", v->attached > 0 ? v->xdp_variant : NULL);
	/* Only when there is something to say. */
	if (v->attached_note)
		cg_json_string_field(w, "attached_note", v->attached_note);
	cg_json_string_field(w, "mode", v->have_config ?
			     cg_mode_name((enum cg_mode)v->config.mode) : NULL);
	json_tristate(w, "repair", v->have_config ? !!(v->config.flags & CG_CFG_REPAIR) : -1);
	if (v->have_config)
		cg_json_uint_field(w, "sample", v->config.sample > 1 ? v->config.sample : 1);
	else
		cg_json_null_field(w, "sample");
	json_tristate(w, "drop_unknown", v->have_config ?
		      !!(v->config.flags & CG_CFG_DROP_UNKNOWN) : -1);
	json_ports(w, v);
	cg_json_uint_field(w, "sources_max", v->sources_max);
	cg_json_uint_field(w, "sources_present", v->sources_present);
	cg_json_uint_field(w, "sources_kept", v->sources_kept);
	cg_json_uint_field(w, "sources_nodes", v->sources_nodes);
	cg_json_uint_field(w, "sources_evicted", v->sources_evicted);
	cg_json_uint_field(w, "sources_rare_evicted", v->sources_rare_evicted);
	/* The table's kernel memory, as bpftool shows it (issue 13). */
	if (v->sources_bytes)
		cg_json_uint_field(w, "sources_memory_bytes", v->sources_bytes);
	else
		cg_json_null_field(w, "sources_memory_bytes");
	if (v->ncpus > 0)
		cg_json_uint_field(w, "possible_cpus", (uint64_t)v->ncpus);
	else
		cg_json_null_field(w, "possible_cpus");
	cg_json_name(w, "counters");
	cg_json_start_object(w);
	for (c = 0; c < CG_IFACE_COUNTER_MAX; c++)
		cg_json_uint_field(w, cg_iface_counter_name((enum cg_iface_counter)c), v->tot.c[c]);
	cg_json_end_object(w);
	cg_json_name(w, "verdicts");
	cg_json_start_object(w);
	for (c = 0; c < CG_VERDICT_MAX; c++)
		cg_json_uint_field(w, cg_verdict_name((enum cg_verdict)c), v->tot.verdict[c]);
	cg_json_end_object(w);
	cg_json_name(w, "bad_classes");
	cg_json_start_object(w);
	for (c = 0; c < CG_BAD_CLASS_MAX; c++)
		cg_json_uint_field(w, cg_bad_class_name((enum cg_bad_class)c), v->tot.bad_class[c]);
	cg_json_end_object(w);
	cg_json_name(w, "zero_inner");
	cg_json_start_object(w);
	for (c = 0; c < CG_ZERO_INNER_MAX; c++)
		cg_json_uint_field(w, cg_zero_inner_name((enum cg_zero_inner)c),
				   v->tot.zero_inner[c]);
	cg_json_end_object(w);
	cg_json_name(w, "sources");
	cg_json_start_array(w);
	for (i = 0; i < v->nrows; i++)
		json_src(w, &v->rows[i], now_ns, v->nodes);
	cg_json_end_array(w);
	cg_json_end_object(w);
}

/* One interface: what is the interface's (from its first view), then each
 * direction, null where there is none. */
static void json_iface(struct cg_json *w, const struct cg_iface_view *head,
		       const struct cg_iface_view *const dir[CG_DIR_MAX], uint64_t now_ns)
{
	const char *ifname_now = NULL;
	char addr[CG_ADDR_STRLEN];
	int64_t since = 0;
	size_t i;
	int d;

	for (d = 0; d < CG_DIR_MAX && !ifname_now; d++)
		if (dir[d])
			ifname_now = dir[d]->ifname_now;
	for (d = 0; d < CG_DIR_MAX; d++)
		if (dir[d] && dir[d]->since_unix)
			since = dir[d]->since_unix;
	cg_json_start_object(w);
	cg_json_string_field(w, "name", head->name);
	cg_json_uint_field(w, "ifindex", (uint64_t)(head->ifindex > 0 ? head->ifindex : 0));
	if (ifname_now)		/* only when renamed */
		cg_json_string_field(w, "ifname_now", ifname_now);
	if (since)		/* stats --since: every counter counts from the baseline */
		cg_json_int_field(w, "since_unix", since);
	/* the interface's addresses now: what `ledger` matches nodes by */
	cg_json_name(w, "addrs");
	cg_json_start_array(w);
	for (i = 0; i < head->naddrs; i++) {
		cg_addr_str(&head->addrs[i], addr, sizeof(addr));
		cg_json_string(w, addr);
	}
	cg_json_end_array(w);
	for (d = 0; d < CG_DIR_MAX; d++) {
		cg_json_name(w, cg_dir_name((enum cg_dir)d));
		if (dir[d])
			json_direction(w, dir[d], now_ns);
		else
			cg_json_null(w);
	}
	cg_json_end_object(w);
}

static bool same_iface(const struct cg_iface_view *a, const struct cg_iface_view *b)
{
	return a->name && b->name && !strcmp(a->name, b->name);
}

/* {"version":N,"time_unix":T, - every document's head. */
static void json_head(struct cg_json *w, int64_t now_unix)
{
	cg_json_start_object(w);
	cg_json_uint_field(w, "version", CG_JSON_VERSION);
	cg_json_int_field(w, "time_unix", now_unix);
}

int cg_render_stats_json(FILE *f, const struct cg_iface_view *v, size_t n,
			 uint64_t now_ns, int64_t now_unix)
{
	struct cg_json w;
	size_t i, j;
	int bad = 0;

	cg_json_init(&w, f);
	json_head(&w, now_unix);
	cg_json_name(&w, "interfaces");
	cg_json_start_array(&w);
	for (i = 0; i < n; i = j) {
		const struct cg_iface_view *dir[CG_DIR_MAX] = { NULL };

		/* v[i] and the views after it of the same interface, one a direction */
		for (j = i; j < n; j++) {
			unsigned int d = (unsigned int)v[j].dir;

			if (d >= CG_DIR_MAX || dir[d] || (j > i && !same_iface(&v[i], &v[j])))
				break;
			dir[d] = &v[j];
		}
		if (j == i) {		/* no known direction: left out */
			bad = 1;
			j++;
			continue;
		}
		json_iface(&w, &v[i], dir, now_ns);
	}
	cg_json_end_array(&w);
	cg_json_end_object(&w);
	return cg_json_finish(&w) || bad ? -1 : 0;
}

int cg_render_blocklist_json(FILE *f, const struct cg_block_row *rows, size_t n,
			     int64_t now_unix)
{
	char addr[CG_ADDR_STRLEN];
	struct cg_json w;
	size_t i;

	cg_json_init(&w, f);
	json_head(&w, now_unix);
	cg_json_name(&w, "entries");
	cg_json_start_array(&w);
	for (i = 0; i < n; i++) {
		const struct cg_block *b = &rows[i].b;

		cg_addr_str(&rows[i].addr, addr, sizeof(addr));
		cg_json_start_object(&w);
		cg_json_string_field(&w, "addr", addr);
		cg_json_string_field(&w, "scope", cg_block_scope_name(b->flags));
		cg_json_uint_field(&w, "added_unix", b->added_unix);
		cg_json_uint_field(&w, "age_seconds", cg_unix_age(b->added_unix, now_unix));
		/* written by block, or by anyone with bpftool: maybe no NUL */
		cg_json_strn_field(&w, "reason", b->reason, sizeof(b->reason));
		/* issue 10: who made it, when it ends, what it was decided on */
		cg_json_string_field(&w, "origin", b->flags & CG_BLOCK_AUTO ? "auto" : "manual");
		if (b->expires_unix) {
			cg_json_uint_field(&w, "expires_unix", b->expires_unix);
			cg_json_uint_field(&w, "expires_in_seconds",
					   (int64_t)b->expires_unix > now_unix ?
					   (uint64_t)((int64_t)b->expires_unix - now_unix) : 0);
		} else {
			cg_json_null_field(&w, "expires_unix");
			cg_json_null_field(&w, "expires_in_seconds");
		}
		if (b->flags & CG_BLOCK_AUTO) {
			cg_json_name(&w, "figures");
			cg_json_start_object(&w);
			cg_json_uint_field(&w, "bad", b->bad);
			cg_json_uint_field(&w, "checked", b->checked);
			json_ratio(&w, "bad_ratio", b->bad, b->checked);
			cg_json_uint_field(&w, "window_seconds", b->window_s);
			cg_json_uint_field(&w, "strikes", b->strikes);
			cg_json_end_object(&w);
		} else {
			cg_json_null_field(&w, "figures");
		}
		cg_json_end_object(&w);
	}
	cg_json_end_array(&w);
	cg_json_end_object(&w);
	return cg_json_finish(&w);
}

int cg_render_error_json(FILE *f, const char *msg)
{
	struct cg_json w;

	cg_json_init(&w, f);
	cg_json_start_object(&w);
	cg_json_string_field(&w, "error", msg);
	cg_json_end_object(&w);
	return cg_json_finish(&w);
}
