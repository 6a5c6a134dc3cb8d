// SPDX-License-Identifier: GPL-2.0
/* format.c - see format.h. */
#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "format.h"
#include "memsize.h"
#include "nodes.h"
#include "names.h"
#include "cg_wire.h"


/* s into buf (cut to len - 1 bytes), without printf's format parsing. */
static void set_str(char *buf, size_t len, const char *s)
{
	size_t n = strlen(s);

	if (!len)
		return;
	if (n >= len)
		n = len - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
}

void cg_fmt_age(uint64_t s, char *buf, size_t len)
{
	if (s < 60)
		snprintf(buf, len, "%" PRIu64 "s", s);
	else if (s < 3600)
		snprintf(buf, len, "%" PRIu64 "m%02" PRIu64 "s", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%" PRIu64 "h%02" PRIu64 "m", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, len, "%" PRIu64 "d%02" PRIu64 "h", s / 86400, s % 86400 / 3600);
}

uint64_t cg_age_seconds(uint64_t stamp_ns, uint64_t now_ns)
{
	return now_ns > stamp_ns ? (now_ns - stamp_ns) / 1000000000ull : 0;
}

uint64_t cg_src_checked(const struct cg_src_stats *st)
{
	return st->verdict[CG_V_OK] + st->verdict[CG_V_BAD] + st->verdict[CG_V_UNFINISHED];
}

void cg_fmt_pct(uint64_t num, uint64_t den, char *buf, size_t len)
{
	double pct;

	if (den == 0) {
		snprintf(buf, len, "-");
		return;
	}
	if (num == 0) {	/* most rows: no float formatting */
		set_str(buf, len, "0.00%");
		return;
	}
	pct = 100.0 * (double)num / (double)den;
	if (num > 0 && pct < 0.005)
		snprintf(buf, len, "<0.01%%");
	else
		snprintf(buf, len, "%.2f%%", pct);
}

void cg_fmt_ports(const struct cg_port_spec *ports, int n, char *buf, size_t len)
{
	size_t off = 0;
	int e, i, first;

	if (!len)
		return;
	buf[0] = '\0';
	for (e = CG_ENCAP_NONE + 1; e < CG_ENCAP_MAX; e++) {
		first = 1;
		for (i = 0; i < n && off < len; i++) {
			if (ports[i].encap != (enum cg_encap)e)
				continue;
			if (first)
				off += (size_t)snprintf(buf + off, len - off, "%s%s:%u",
							off ? " " : "",
							cg_encap_name((enum cg_encap)e), ports[i].port);
			else
				off += (size_t)snprintf(buf + off, len - off, ",%u", ports[i].port);
			first = 0;
		}
	}
}

/* ------------------------------------------------------------- sorting */

static int addr_cmp(const struct cg_addr *a, const struct cg_addr *b)
{
	return memcmp(a->a, b->a, sizeof(a->a));
}

#define CMP_DESC(x, y) do { if ((x) != (y)) return (x) > (y) ? -1 : 1; } while (0)

static int cmp_bad(const void *pa, const void *pb)
{
	const struct cg_src_row *a = pa, *b = pb;
	uint64_t bad = a->st.verdict[CG_V_BAD], ca, cb;

	CMP_DESC(bad, b->st.verdict[CG_V_BAD]);
	/* The same bad count, mostly 0 (then there is no share to compare);
	 * else the higher bad share bad/ca vs bad/cb is the one checked
	 * fewer times. (Two 128-bit products on every comparison were a
	 * tenth of `stats` at 100000 sources, bench/README.md.) */
	if (bad) {
		ca = cg_src_checked(&a->st);
		cb = cg_src_checked(&b->st);
		if (ca && cb)
			CMP_DESC(cb, ca);
	}
	CMP_DESC(a->st.packets, b->st.packets);
	return addr_cmp(&a->addr, &b->addr);
}

static int cmp_packets(const void *pa, const void *pb)
{
	const struct cg_src_row *a = pa, *b = pb;

	CMP_DESC(a->st.packets, b->st.packets);
	CMP_DESC(a->st.verdict[CG_V_BAD], b->st.verdict[CG_V_BAD]);
	return addr_cmp(&a->addr, &b->addr);
}

static int cmp_dst_bad(const void *pa, const void *pb)
{
	const struct cg_dst_row *a = pa, *b = pb;

	CMP_DESC(a->st.state[CG_E_FINAL_BAD], b->st.state[CG_E_FINAL_BAD]);
	CMP_DESC(a->st.packets, b->st.packets);
	return addr_cmp(&a->addr, &b->addr);
}

static int cmp_dst_packets(const void *pa, const void *pb)
{
	const struct cg_dst_row *a = pa, *b = pb;

	CMP_DESC(a->st.packets, b->st.packets);
	CMP_DESC(a->st.state[CG_E_FINAL_BAD], b->st.state[CG_E_FINAL_BAD]);
	return addr_cmp(&a->addr, &b->addr);
}

void cg_sort_dests(struct cg_dst_row *rows, size_t n, enum cg_sort sort)
{
	if (n > 1)
		qsort(rows, n, sizeof(*rows),
		      sort == CG_SORT_PACKETS ? cmp_dst_packets : cmp_dst_bad);
}

uint64_t cg_dst_checked(const struct cg_dst_stats *st)
{
	return st->state[CG_E_FINAL_OK] + st->state[CG_E_FINAL_BAD];
}

void cg_sort_sources(struct cg_src_row *rows, size_t n, enum cg_sort sort)
{
	if (n > 1)
		qsort(rows, n, sizeof(*rows), sort == CG_SORT_PACKETS ? cmp_packets : cmp_bad);
}

static int cmp_block(const void *pa, const void *pb)
{
	const struct cg_block_row *a = pa, *b = pb;

	return addr_cmp(&a->addr, &b->addr);
}

void cg_sort_blocklist(struct cg_block_row *rows, size_t n)
{
	if (n > 1)
		qsort(rows, n, sizeof(*rows), cmp_block);
}

/* -------------------------------------------------------------- tables */

/* Upper-case table header from a names.c name: "last_bad" -> "LAST BAD". */
static void header(char *buf, size_t len, const char *name, const char *suffix)
{
	size_t i;

	snprintf(buf, len, "%s%s", name, suffix);
	for (i = 0; buf[i]; i++)
		buf[i] = buf[i] == '_' ? ' ' : (char)toupper((unsigned char)buf[i]);
}

enum col {
	COL_SOURCE, COL_NODE, COL_PACKETS, COL_OK, COL_BAD, COL_PCT, COL_UNFINISHED, COL_ZERO,
	COL_FRAGMENT, COL_MALFORMED, COL_UNPARSED, COL_DROPPED, COL_LAST_BAD, NCOLS
};

#define CELL_LEN 48

/* v in decimal into buf (room for 21): the table's cells are mostly these,
 * and snprintf's format parsing was most of the time of a big table. */
static void u64_cell(char *buf, uint64_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);

	*--p = '\0';
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	memcpy(buf, p, (size_t)(tmp + sizeof(tmp) - p));
}

/* s, padded with spaces to width w on the left (right-aligned) or the
 * right (left-aligned), as fprintf's %*s and %-*s do, without the format
 * parsing. */
static void put_cell(FILE *f, const char *s, int w, int left)
{
	static const char spaces[] = "                                                ";
	int len = (int)strlen(s), pad = w > len ? w - len : 0;

	if (left)
		fwrite_unlocked(s, 1, (size_t)len, f);
	while (pad > 0) {
		int k = pad < (int)sizeof(spaces) - 1 ? pad : (int)sizeof(spaces) - 1;

		fwrite_unlocked(spaces, 1, (size_t)k, f);
		pad -= k;
	}
	if (!left)
		fwrite_unlocked(s, 1, (size_t)len, f);
}

static void src_cells(const struct cg_src_row *r, uint64_t now_ns, char cell[NCOLS][CELL_LEN],
		      const struct cg_nodes *nodes)
{
	const struct cg_src_stats *st = &r->st;
	const char *name = cg_nodes_name(nodes, &r->addr);
	char age[24];

	cg_addr_str(&r->addr, cell[COL_SOURCE], CELL_LEN);
	set_str(cell[COL_NODE], CELL_LEN, name ? name : "-");
	u64_cell(cell[COL_PACKETS], (uint64_t)st->packets);
	u64_cell(cell[COL_OK], (uint64_t)st->verdict[CG_V_OK]);
	u64_cell(cell[COL_BAD], (uint64_t)st->verdict[CG_V_BAD]);
	cg_fmt_pct(st->verdict[CG_V_BAD], cg_src_checked(st), cell[COL_PCT], CELL_LEN);
	u64_cell(cell[COL_UNFINISHED], (uint64_t)st->verdict[CG_V_UNFINISHED]);
	u64_cell(cell[COL_ZERO], (uint64_t)st->verdict[CG_V_ZERO]);
	u64_cell(cell[COL_FRAGMENT], (uint64_t)st->verdict[CG_V_FRAGMENT]);
	u64_cell(cell[COL_MALFORMED], (uint64_t)st->verdict[CG_V_MALFORMED]);
	u64_cell(cell[COL_UNPARSED], (uint64_t)st->unparsed);
	u64_cell(cell[COL_DROPPED], (uint64_t)st->dropped);
	if (st->last_bad_ns) {
		cg_fmt_age(cg_age_seconds(st->last_bad_ns, now_ns), age, sizeof(age));
		snprintf(cell[COL_LAST_BAD], CELL_LEN, "%s ago", age);
	} else {
		set_str(cell[COL_LAST_BAD], CELL_LEN, "never");
	}
}

/* Columns with w[c] < 0 are hidden. */
static void print_row(FILE *f, char cell[NCOLS][CELL_LEN], const int *w)
{
	int c;

	for (c = 0; c < NCOLS; c++) {
		if (w[c] < 0)
			continue;
		if (c != COL_SOURCE)
			fputs("  ", f);
		/* the last column gets no trailing spaces */
		put_cell(f, cell[c], c == COL_LAST_BAD ? 0 : w[c],
			 c == COL_SOURCE || c == COL_NODE);
	}
	fputc('\n', f);
}

/* Line 1 after "NAME: " or "NAME egress: ": where and how, mode, ports. */
static void render_where(FILE *f, const struct cg_iface_view *v)
{
	char ports[512];

	if (v->attached < 0)
		fprintf(f, "cannot tell whether attached (%s), counters kept",
			v->attached_note ? v->attached_note : "?");
	else if (v->attached && v->dir == CG_DIR_EGRESS && !v->attached_note)
		fprintf(f, "attached (tc filter pref %u handle 0x%x, %s%s%s)", v->tc_priority,
			v->tc_handle, v->tc_qdisc_created ? "clsact qdisc added by csumguard" :
			"on an existing clsact qdisc",
			v->ifname_now ? ", interface now named " : "",
			v->ifname_now ? v->ifname_now : "");
	else if (v->attached && !v->xdp_mode && v->attached_note)
		fprintf(f, "attached elsewhere: %s", v->attached_note);
	else if (v->attached)
		fprintf(f, "attached (%s XDP, %s%s%s%s%s)", v->xdp_mode ? v->xdp_mode : "?",
			v->xdp_variant ? v->xdp_variant : "",
			v->xdp_variant ? " program, " : "",
			v->dispatcher ? "libxdp dispatcher" : "sole XDP program",
			v->ifname_now ? ", interface now named " : "",
			v->ifname_now ? v->ifname_now : "");
	else if (!v->ifindex)
		fprintf(f, "interface gone, counters kept");
	else
		fprintf(f, "detached, counters kept");
	if (v->have_config)
		fprintf(f, ", mode %s%s", cg_mode_name((enum cg_mode)v->config.mode),
			v->dir == CG_DIR_INGRESS && (v->config.flags & CG_CFG_DROP_UNKNOWN) ?
			" (and unknown senders dropped)" : "");
	cg_fmt_ports(v->ports, v->nports, ports, sizeof(ports));
	fprintf(f, ", ports %s\n", v->nports ? ports : "none");
}

enum ecol {
	EC_DEST, EC_NODE, EC_PACKETS, EC_GSO, EC_FINAL_OK, EC_FINAL_BAD, EC_OFFLOADED, EC_ZERO,
	EC_FRAGMENT, EC_MALFORMED, EC_GSO_META_BAD, EC_DROPPED, EC_LAST_BAD, NECOLS
};

static void dst_cells(const struct cg_dst_row *r, uint64_t now_ns, char cell[NECOLS][CELL_LEN],
		      const struct cg_nodes *nodes)
{
	const struct cg_dst_stats *st = &r->st;
	const char *name = cg_nodes_name(nodes, &r->addr);
	char age[24];
	int c;

	cg_addr_str(&r->addr, cell[EC_DEST], CELL_LEN);
	set_str(cell[EC_NODE], CELL_LEN, name ? name : "-");
	u64_cell(cell[EC_PACKETS], (uint64_t)st->packets);
	u64_cell(cell[EC_GSO], (uint64_t)st->gso);
	for (c = 0; c < CG_EGRESS_STATE_MAX; c++)
		u64_cell(cell[EC_FINAL_OK + c], (uint64_t)st->state[c]);
	u64_cell(cell[EC_GSO_META_BAD], (uint64_t)st->gso_meta_bad);
	u64_cell(cell[EC_DROPPED], (uint64_t)st->dropped);
	if (st->last_bad_ns) {
		cg_fmt_age(cg_age_seconds(st->last_bad_ns, now_ns), age, sizeof(age));
		snprintf(cell[EC_LAST_BAD], CELL_LEN, "%s ago", age);
	} else {
		set_str(cell[EC_LAST_BAD], CELL_LEN, "never");
	}
}

static void print_erow(FILE *f, char cell[NECOLS][CELL_LEN], const int *w)
{
	int c;

	for (c = 0; c < NECOLS; c++) {
		if (w[c] < 0)
			continue;
		if (c != EC_DEST)
			fputs("  ", f);
		put_cell(f, cell[c], c == EC_LAST_BAD ? 0 : w[c], c == EC_DEST || c == EC_NODE);
	}
	fputc('\n', f);
}

/* Where `offloaded` came from: the skb's own facts (ip_summed, GSO: the
 * 6.2+ variant of the program reads them) or the seed signature alone. */
/* An offset of struct cg_gso_meta_event: "?" when not known. */
static const char *off_str(__s32 v, char *buf, size_t len)
{
	if (v < 0)
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%d", v);
	return buf;
}

/* The first gso_meta_bad skb, what it said and what its bytes say. */
static void render_gso_meta_first(FILE *f, const struct cg_gso_meta_event *e, uint64_t now_ns)
{
	char addr[CG_ADDR_STRLEN], age[24], o[7][16];

	if (!e->when_ns)
		return;
	cg_addr_str(&e->dst, addr, sizeof(addr));
	cg_fmt_age(cg_age_seconds(e->when_ns, now_ns), age, sizeof(age));
	fprintf(f, "  first one %s ago, to %s (%u segments): the skb said encapsulation %u, "
		"transport %s, inner mac %s, inner network %s, inner transport %s; its bytes "
		"put transport at %s, inner mac at %s, inner network at %s\n", age, addr,
		e->gso_segs, e->encapsulation, off_str(e->transport, o[0], 16),
		off_str(e->inner_mac, o[1], 16), off_str(e->inner_net, o[2], 16),
		off_str(e->inner_trans, o[3], 16), off_str(e->want_transport, o[4], 16),
		off_str(e->want_inner_mac, o[5], 16), off_str(e->want_inner_net, o[6], 16));
}

static void render_offload_source(FILE *f, const struct cg_dst_row *rows, size_t n)
{
	uint64_t packets = 0, facts = 0, off = 0, off_fact = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		packets += rows[i].st.packets;
		facts += rows[i].st.facts;
		off += rows[i].st.state[CG_E_OFFLOADED];
		off_fact += rows[i].st.offloaded_fact;
	}
	if (!packets)
		return;
	if (!facts)
		fprintf(f, "OFFLOADED: by the seed signature alone (the checksum field holds the "
			"pseudo-header sum): no skb facts were read for these %" PRIu64 " packets "
			"(the kernel has none to give before 6.2).\n", packets);
	else if (facts >= packets)
		fprintf(f, "OFFLOADED: from skb facts for all %" PRIu64 " packets (%" PRIu64 " of "
			"the %" PRIu64 " offloaded: CHECKSUM_PARTIAL or GSO).\n", packets,
			off_fact, off);
	else
		fprintf(f, "OFFLOADED: from skb facts for %" PRIu64 " of %" PRIu64 " packets (%"
			PRIu64 " of the %" PRIu64 " offloaded); the other %" PRIu64 " by the seed "
			"signature alone.\n", facts, packets, off_fact, off, packets - facts);
}

static void render_egress_table(FILE *f, const struct cg_iface_view *v, uint64_t now_ns)
{
	const struct cg_egress_stats *t = &v->etot;
	char cell[NECOLS][CELL_LEN], hdr[NECOLS][CELL_LEN];
	int w[NECOLS], c, any_meta = 0;
	size_t i;

	fprintf(f, "%s %s: ", v->name, cg_dir_name(CG_DIR_EGRESS));
	render_where(f, v);
	fprintf(f, "  %s %" PRIu64 ": %s %" PRIu64 ", %s %" PRIu64 ", %s %" PRIu64
		", %s %" PRIu64 "\n",
		cg_egress_counter_name(CG_IF_FRAMES), (uint64_t)t->c[CG_IF_FRAMES],
		cg_egress_counter_name(CG_IF_TUNNEL), (uint64_t)t->c[CG_IF_TUNNEL],
		cg_egress_counter_name(CG_IF_NOT_TUNNEL), (uint64_t)t->c[CG_IF_NOT_TUNNEL],
		cg_egress_counter_name(CG_IF_UNPARSED), (uint64_t)t->c[CG_IF_UNPARSED],
		cg_egress_counter_name(CG_IF_UNCHECKED), (uint64_t)t->c[CG_IF_UNCHECKED]);
	fprintf(f, "  %s %" PRIu64 ":", cg_egress_counter_name(CG_IF_TUNNEL),
		(uint64_t)t->c[CG_IF_TUNNEL]);
	for (c = 0; c < CG_EGRESS_STATE_MAX; c++)
		fprintf(f, "%s %s %" PRIu64, c ? "," : "",
			cg_egress_state_name((enum cg_egress_state)c), (uint64_t)t->state[c]);
	fprintf(f, "; %s %" PRIu64 ", %s %" PRIu64 "\n", cg_dst_field_name(CG_DF_GSO),
		(uint64_t)t->gso, cg_dst_field_name(CG_DF_GSO_META_BAD), (uint64_t)t->gso_meta_bad);
	fprintf(f, "  %s %" PRIu64 ", %s %" PRIu64 ", %s %" PRIu64 "; destinations %zu of %"
		PRIu32, cg_egress_counter_name(CG_IF_DROP_BAD), (uint64_t)t->c[CG_IF_DROP_BAD],
		cg_egress_counter_name(CG_IF_DROP_BLOCKED), (uint64_t)t->c[CG_IF_DROP_BLOCKED],
		cg_egress_counter_name(CG_IF_UNACCOUNTED), (uint64_t)t->c[CG_IF_UNACCOUNTED],
		v->dests_present, v->dests_max);
	if (v->dests_bytes) {
		char mem[32];

		cg_fmt_bytes(v->dests_bytes, mem, sizeof(mem));
		fprintf(f, " in %s of kernel memory (%d CPUs)", mem, v->ncpus);
	}
	if (v->dests_evicted)
		fprintf(f, "; table full: %" PRIu64 " evicted since attach", v->dests_evicted);
	fputc('\n', f);
	if (!v->ndrows) {
		fprintf(f, "  no tunnel traffic to any destination yet\n");
		return;
	}

	snprintf(hdr[EC_DEST], CELL_LEN, "DEST");
	snprintf(hdr[EC_NODE], CELL_LEN, "NODE");
	header(hdr[EC_PACKETS], CELL_LEN, cg_dst_field_name(CG_DF_PACKETS), "");
	header(hdr[EC_GSO], CELL_LEN, cg_dst_field_name(CG_DF_GSO), "");
	for (c = 0; c < CG_EGRESS_STATE_MAX; c++)
		header(hdr[EC_FINAL_OK + c], CELL_LEN,
		       cg_egress_state_name((enum cg_egress_state)c), "");
	header(hdr[EC_GSO_META_BAD], CELL_LEN, cg_dst_field_name(CG_DF_GSO_META_BAD), "");
	header(hdr[EC_DROPPED], CELL_LEN, cg_dst_field_name(CG_DF_DROPPED), "");
	header(hdr[EC_LAST_BAD], CELL_LEN, cg_dst_field_name(CG_DF_LAST_BAD), "");

	/* Two passes with one row of cells, as for the sources. */
	for (c = 0; c < NECOLS; c++)
		w[c] = (int)strlen(hdr[c]);
	for (i = 0; i < v->ndrows; i++) {
		dst_cells(&v->drows[i], now_ns, cell, v->nodes);
		for (c = 0; c < NECOLS; c++)
			if ((int)strlen(cell[c]) > w[c])
				w[c] = (int)strlen(cell[c]);
		any_meta |= v->drows[i].st.gso_meta_bad != 0;
	}
	if (!any_meta)
		w[EC_GSO_META_BAD] = -1;	/* rare: shown only when there is one */
	if (!cg_nodes_count(v->nodes))
		w[EC_NODE] = -1;	/* names only where known nodes are configured */
	fputc('\n', f);
	print_erow(f, hdr, w);
	for (i = 0; i < v->ndrows; i++) {
		dst_cells(&v->drows[i], now_ns, cell, v->nodes);
		print_erow(f, cell, w);
	}
	render_offload_source(f, v->drows, v->ndrows);
	if (any_meta)
		fprintf(f, "GSO META BAD: GSO tunnel packets whose inner header offsets disagree "
			"with their headers: the stack may drop them while segmenting.\n");
	render_gso_meta_first(f, &v->gso_meta_first, now_ns);
}

void cg_render_stats_table(FILE *f, const struct cg_iface_view *v, uint64_t now_ns)
{
	char cell[NCOLS][CELL_LEN], hdr[NCOLS][CELL_LEN];
	const struct cg_iface_stats *t = &v->tot;
	int w[NCOLS], c, any_unfinished = 0, any_unparsed = 0;
	size_t i;

	if (v->dir == CG_DIR_EGRESS) {
		render_egress_table(f, v, now_ns);
		return;
	}

	/* Line 1: where and how. */
	fprintf(f, "%s: ", v->name);
	render_where(f, v);
	/* Totals, with the identities they obey. */
	fprintf(f, "  %s %" PRIu64 ": %s %" PRIu64 ", %s %" PRIu64 ", %s %" PRIu64
		", %s %" PRIu64 "\n",
		cg_iface_counter_name(CG_IF_FRAMES), (uint64_t)t->c[CG_IF_FRAMES],
		cg_iface_counter_name(CG_IF_TUNNEL), (uint64_t)t->c[CG_IF_TUNNEL],
		cg_iface_counter_name(CG_IF_NOT_TUNNEL), (uint64_t)t->c[CG_IF_NOT_TUNNEL],
		cg_iface_counter_name(CG_IF_UNPARSED), (uint64_t)t->c[CG_IF_UNPARSED],
		cg_iface_counter_name(CG_IF_UNCHECKED), (uint64_t)t->c[CG_IF_UNCHECKED]);
	fprintf(f, "  %s %" PRIu64 ":", cg_iface_counter_name(CG_IF_TUNNEL),
		(uint64_t)t->c[CG_IF_TUNNEL]);
	for (c = 0; c < CG_VERDICT_MAX; c++)
		fprintf(f, "%s %s %" PRIu64, c ? "," : "", cg_verdict_name((enum cg_verdict)c),
			(uint64_t)t->verdict[c]);
	fputc('\n', f);
	fprintf(f, "  %s %" PRIu64 ", %s %" PRIu64 ", %s %" PRIu64 "; sources %zu of %" PRIu32,
		cg_iface_counter_name(CG_IF_DROP_BAD), (uint64_t)t->c[CG_IF_DROP_BAD],
		cg_iface_counter_name(CG_IF_DROP_BLOCKED), (uint64_t)t->c[CG_IF_DROP_BLOCKED],
		cg_iface_counter_name(CG_IF_UNACCOUNTED), (uint64_t)t->c[CG_IF_UNACCOUNTED],
		v->sources_present, v->sources_max);
	if (v->sources_kept)
		fprintf(f, " (+%zu blocked, kept apart)", v->sources_kept);
	if (v->sources_nodes)
		fprintf(f, " (+%zu of known nodes, kept apart)", v->sources_nodes);
	if (v->sources_bytes) {
		char mem[32];

		cg_fmt_bytes(v->sources_bytes, mem, sizeof(mem));
		fprintf(f, " in %s of kernel memory (%d CPUs)", mem, v->ncpus);
	}
	/* Never silent (SPEC 2): rows pushed out by newer sources. */
	if (v->sources_evicted)
		fprintf(f, "; table full: %" PRIu64 " evicted since attach", v->sources_evicted);
	/* and the shared parts of rows (all but the common verdicts) pushed
	 * out of their own table, or gone with their evicted source */
	if (v->sources_rare_evicted)
		fprintf(f, "; %" PRIu64 " rows' rare counters evicted since attach",
			v->sources_rare_evicted);
	fputc('\n', f);

	if (!v->nrows) {
		fprintf(f, "  no tunnel traffic from any source yet\n");
		return;
	}

	/* The source table: headers from names.c. */
	snprintf(hdr[COL_SOURCE], CELL_LEN, "SOURCE");
	snprintf(hdr[COL_NODE], CELL_LEN, "NODE");
	header(hdr[COL_PACKETS], CELL_LEN, cg_src_field_name(CG_SF_PACKETS), "");
	header(hdr[COL_OK], CELL_LEN, cg_verdict_name(CG_V_OK), "");
	header(hdr[COL_BAD], CELL_LEN, cg_verdict_name(CG_V_BAD), "");
	header(hdr[COL_PCT], CELL_LEN, cg_verdict_name(CG_V_BAD), "%");
	header(hdr[COL_UNFINISHED], CELL_LEN, cg_verdict_name(CG_V_UNFINISHED), "");
	header(hdr[COL_ZERO], CELL_LEN, cg_verdict_name(CG_V_ZERO), "");
	header(hdr[COL_FRAGMENT], CELL_LEN, cg_verdict_name(CG_V_FRAGMENT), "");
	header(hdr[COL_MALFORMED], CELL_LEN, cg_verdict_name(CG_V_MALFORMED), "");
	header(hdr[COL_UNPARSED], CELL_LEN, cg_src_field_name(CG_SF_UNPARSED), "");
	header(hdr[COL_DROPPED], CELL_LEN, cg_src_field_name(CG_SF_DROPPED), "");
	header(hdr[COL_LAST_BAD], CELL_LEN, cg_src_field_name(CG_SF_LAST_BAD), "");

	/* Two passes over the rows with one row of cells: the column widths,
	 * then the lines. (An array of every row's cells took 576 B a row:
	 * 576 MB at a million sources, bench/README.md "user space".) */
	for (c = 0; c < NCOLS; c++)
		w[c] = (int)strlen(hdr[c]);
	for (i = 0; i < v->nrows; i++) {
		src_cells(&v->rows[i], now_ns, cell, v->nodes);
		for (c = 0; c < NCOLS; c++)
			if ((int)strlen(cell[c]) > w[c])
				w[c] = (int)strlen(cell[c]);
		if (v->rows[i].st.verdict[CG_V_UNFINISHED])
			any_unfinished = 1;
		any_unparsed |= v->rows[i].st.unparsed != 0;
	}
	if (!any_unparsed)
		w[COL_UNPARSED] = -1;	/* rare: shown only when there is one */
	if (!cg_nodes_count(v->nodes))
		w[COL_NODE] = -1;	/* names only where known nodes are configured */
	fputc('\n', f);
	print_row(f, hdr, w);
	for (i = 0; i < v->nrows; i++) {
		src_cells(&v->rows[i], now_ns, cell, v->nodes);
		print_row(f, cell, w);
	}
	if (any_unfinished)
		fprintf(f, "UNFINISHED: checksum left to offload and never finished: "
			"normal on veth, a NIC offload bug on a physical port.\n");
	if (any_unparsed)
		fprintf(f, "UNPARSED: headers this source sent that could not be followed to a "
			"UDP port (e.g. more than %d IPv6 extension headers): never judged.\n",
			CG_IPV6_MAX_EXT);
}

/* ---------------------------------------------------------------- text */

void cg_fmt_para(FILE *f, int width, int indent, const char *label, const char *text)
{
	const char *p = text, *sp, *brk;
	int avail = width - indent;

	fprintf(f, "%-*s", indent, label);
	for (;;) {
		while (*p == ' ')
			p++;
		if ((int)strlen(p) <= avail) {
			fprintf(f, "%s\n", p);
			return;
		}
		brk = NULL;
		for (sp = p; *sp && sp - p <= avail; sp++)
			if (*sp == ' ')
				brk = sp;
		if (!brk)	/* one long word: keep it whole */
			brk = strchr(p + avail, ' ') ? strchr(p + avail, ' ') : p + strlen(p);
		fprintf(f, "%.*s\n", (int)(brk - p), p);
		if (!*brk)
			return;
		p = brk;
		fprintf(f, "%-*s", indent, "");
	}
}

void cg_fmt_text(const char *str, char *buf, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, o = 0, l, n = strlen(str);

	if (!len)
		return;
	while (i < n && o + 1 < len) {
		l = cg_utf8_len(s + i, n - i);
		/* C0, DEL, C1 (U+0080..U+009F: 0xc2 0x80..0x9f) and invalid
		 * bytes would drive or confuse the terminal: one '?' each. */
		if (!l || s[i] < 0x20 || s[i] == 0x7f || (l == 2 && s[i] == 0xc2 && s[i + 1] < 0xa0)) {
			buf[o++] = '?';
			i += l ? l : 1;
			continue;
		}
		if (o + l >= len)
			break;
		memcpy(buf + o, s + i, l);
		o += l;
		i += l;
	}
	buf[o] = '\0';
}

/* ----------------------------------------------------------- blocklist */

uint64_t cg_unix_age(uint64_t added_unix, int64_t now_unix)
{
	return now_unix > 0 && (uint64_t)now_unix > added_unix ? (uint64_t)now_unix - added_unix : 0;
}

/* What the REASON column says: the operator's text, and for an
 * auto-block the figures it was decided on. */
static void block_reason(const struct cg_block *b, char *buf, size_t len)
{
	char raw[CG_BLOCK_REASON_LEN + 1], text[CG_BLOCK_REASON_LEN + 1], pct[16];

	snprintf(raw, sizeof(raw), "%.*s", (int)sizeof(b->reason), b->reason);
	cg_fmt_text(raw, text, sizeof(text));
	if (!(b->flags & CG_BLOCK_AUTO)) {
		snprintf(buf, len, "%s", text[0] ? text : "-");
		return;
	}
	cg_fmt_pct(b->bad, b->checked, pct, sizeof(pct));
	snprintf(buf, len, "%s%s%" PRIu64 " bad of %" PRIu64 " checked (%s) in %us%s",
		 text, text[0] ? ": " : "", (uint64_t)b->bad, (uint64_t)b->checked, pct,
		 b->window_s, b->strikes ? ", again on probation" : "");
}

/* "never", "in 9m12s", or "now" once past. */
static void block_expires(const struct cg_block *b, int64_t now_unix, char *buf, size_t len)
{
	char age[24];

	if (!b->expires_unix) {
		snprintf(buf, len, "never");
		return;
	}
	if ((int64_t)b->expires_unix <= now_unix) {
		snprintf(buf, len, "now");
		return;
	}
	cg_fmt_age((uint64_t)((int64_t)b->expires_unix - now_unix), age, sizeof(age));
	snprintf(buf, len, "in %s", age);
}

void cg_render_blocklist_table(FILE *f, const struct cg_block_row *rows, size_t n,
			       int64_t now_unix)
{
	char addr[CG_ADDR_STRLEN], age[24], exp[32], reason[160];
	int wa = (int)strlen("ADDR"), ws = (int)strlen("SCOPE"), wg = (int)strlen("AGE"), l;
	int we = (int)strlen("EXPIRES");
	size_t i;

	if (!n) {
		fprintf(f, "blocklist is empty\n");
		return;
	}
	for (i = 0; i < n; i++) {
		cg_addr_str(&rows[i].addr, addr, sizeof(addr));
		if ((l = (int)strlen(addr)) > wa)
			wa = l;
		if ((l = (int)strlen(cg_block_scope_name(rows[i].b.flags))) > ws)
			ws = l;
		cg_fmt_age(cg_unix_age(rows[i].b.added_unix, now_unix), age, sizeof(age));
		if ((l = (int)strlen(age)) > wg)
			wg = l;
		block_expires(&rows[i].b, now_unix, exp, sizeof(exp));
		if ((l = (int)strlen(exp)) > we)
			we = l;
	}
	fprintf(f, "%-*s  %-*s  %-*s  %-*s  REASON\n", wa, "ADDR", ws, "SCOPE", wg, "AGE", we,
		"EXPIRES");
	for (i = 0; i < n; i++) {
		cg_addr_str(&rows[i].addr, addr, sizeof(addr));
		cg_fmt_age(cg_unix_age(rows[i].b.added_unix, now_unix), age, sizeof(age));
		block_expires(&rows[i].b, now_unix, exp, sizeof(exp));
		block_reason(&rows[i].b, reason, sizeof(reason));
		fprintf(f, "%-*s  %-*s  %-*s  %-*s  %s\n", wa, addr, ws,
			cg_block_scope_name(rows[i].b.flags), wg, age, we, exp, reason);
	}
}
