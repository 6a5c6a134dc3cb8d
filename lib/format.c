// SPDX-License-Identifier: GPL-2.0
/* format.c - see format.h. */
#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "format.h"
#include "names.h"
#include "cg_wire.h"


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
	uint64_t ca = cg_src_checked(&a->st), cb = cg_src_checked(&b->st);
	/* bad share, compared exactly: bad_a/ca vs bad_b/cb */
	unsigned __int128 la = (unsigned __int128)a->st.verdict[CG_V_BAD] * cb;
	unsigned __int128 lb = (unsigned __int128)b->st.verdict[CG_V_BAD] * ca;

	CMP_DESC(a->st.verdict[CG_V_BAD], b->st.verdict[CG_V_BAD]);
	if (ca && cb)
		CMP_DESC(la, lb);
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
	COL_SOURCE, COL_PACKETS, COL_OK, COL_BAD, COL_PCT, COL_UNFINISHED, COL_ZERO,
	COL_FRAGMENT, COL_MALFORMED, COL_UNPARSED, COL_DROPPED, COL_LAST_BAD, NCOLS
};

#define CELL_LEN 48

static void src_cells(const struct cg_src_row *r, uint64_t now_ns, char cell[NCOLS][CELL_LEN])
{
	const struct cg_src_stats *st = &r->st;
	char age[24];

	cg_addr_str(&r->addr, cell[COL_SOURCE], CELL_LEN);
	snprintf(cell[COL_PACKETS], CELL_LEN, "%" PRIu64, (uint64_t)st->packets);
	snprintf(cell[COL_OK], CELL_LEN, "%" PRIu64, (uint64_t)st->verdict[CG_V_OK]);
	snprintf(cell[COL_BAD], CELL_LEN, "%" PRIu64, (uint64_t)st->verdict[CG_V_BAD]);
	cg_fmt_pct(st->verdict[CG_V_BAD], cg_src_checked(st), cell[COL_PCT], CELL_LEN);
	snprintf(cell[COL_UNFINISHED], CELL_LEN, "%" PRIu64,
		 (uint64_t)st->verdict[CG_V_UNFINISHED]);
	snprintf(cell[COL_ZERO], CELL_LEN, "%" PRIu64, (uint64_t)st->verdict[CG_V_ZERO]);
	snprintf(cell[COL_FRAGMENT], CELL_LEN, "%" PRIu64,
		 (uint64_t)st->verdict[CG_V_FRAGMENT]);
	snprintf(cell[COL_MALFORMED], CELL_LEN, "%" PRIu64,
		 (uint64_t)st->verdict[CG_V_MALFORMED]);
	snprintf(cell[COL_UNPARSED], CELL_LEN, "%" PRIu64, (uint64_t)st->unparsed);
	snprintf(cell[COL_DROPPED], CELL_LEN, "%" PRIu64, (uint64_t)st->dropped);
	if (st->last_bad_ns) {
		cg_fmt_age(cg_age_seconds(st->last_bad_ns, now_ns), age, sizeof(age));
		snprintf(cell[COL_LAST_BAD], CELL_LEN, "%s ago", age);
	} else {
		snprintf(cell[COL_LAST_BAD], CELL_LEN, "never");
	}
}

/* Columns with w[c] < 0 are hidden. */
static void print_row(FILE *f, char cell[NCOLS][CELL_LEN], const int *w)
{
	int c;

	for (c = 0; c < NCOLS; c++) {
		if (w[c] < 0)
			continue;
		if (c == COL_SOURCE)
			fprintf(f, "%-*s", w[c], cell[c]);
		else if (c == COL_LAST_BAD)
			fprintf(f, "  %s", cell[c]);	/* last: no trailing spaces */
		else
			fprintf(f, "  %*s", w[c], cell[c]);
	}
	fputc('\n', f);
}

void cg_render_stats_table(FILE *f, const struct cg_iface_view *v, uint64_t now_ns)
{
	char (*cells)[NCOLS][CELL_LEN];
	char hdr[NCOLS][CELL_LEN], ports[512];
	const struct cg_iface_stats *t = &v->tot;
	int w[NCOLS], c, any_unfinished = 0, any_unparsed = 0;
	size_t i;

	/* Line 1: where and how. */
	fprintf(f, "%s: ", v->name);
	if (v->attached < 0)
		fprintf(f, "cannot tell whether attached (%s), counters kept",
			v->attached_note ? v->attached_note : "?");
	else if (v->attached && !v->xdp_mode && v->attached_note)
		fprintf(f, "attached elsewhere: %s", v->attached_note);
	else if (v->attached)
		fprintf(f, "attached (%s XDP, %s%s%s)", v->xdp_mode ? v->xdp_mode : "?",
			v->dispatcher ? "libxdp dispatcher" : "sole XDP program",
			v->ifname_now ? ", interface now named " : "",
			v->ifname_now ? v->ifname_now : "");
	else if (!v->ifindex)
		fprintf(f, "interface gone, counters kept");
	else
		fprintf(f, "detached, counters kept");
	if (v->have_config)
		fprintf(f, ", mode %s", cg_mode_name((enum cg_mode)v->config.mode));
	cg_fmt_ports(v->ports, v->nports, ports, sizeof(ports));
	fprintf(f, ", ports %s\n", v->nports ? ports : "none");

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
	/* Never silent (SPEC 2): rows pushed out by newer sources. */
	if (v->sources_evicted)
		fprintf(f, "; table full: %" PRIu64 " evicted since attach", v->sources_evicted);
	fputc('\n', f);

	if (!v->nrows) {
		fprintf(f, "  no tunnel traffic from any source yet\n");
		return;
	}

	/* The source table: headers from names.c. */
	snprintf(hdr[COL_SOURCE], CELL_LEN, "SOURCE");
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

	cells = calloc(v->nrows, sizeof(*cells));
	if (!cells) {
		fprintf(f, "  (out of memory rendering %zu sources)\n", v->nrows);
		return;
	}
	for (c = 0; c < NCOLS; c++)
		w[c] = (int)strlen(hdr[c]);
	for (i = 0; i < v->nrows; i++) {
		src_cells(&v->rows[i], now_ns, cells[i]);
		for (c = 0; c < NCOLS; c++)
			if ((int)strlen(cells[i][c]) > w[c])
				w[c] = (int)strlen(cells[i][c]);
		if (v->rows[i].st.verdict[CG_V_UNFINISHED])
			any_unfinished = 1;
		any_unparsed |= v->rows[i].st.unparsed != 0;
	}
	if (!any_unparsed)
		w[COL_UNPARSED] = -1;	/* rare: shown only when there is one */
	fputc('\n', f);
	print_row(f, hdr, w);
	for (i = 0; i < v->nrows; i++)
		print_row(f, cells[i], w);
	free(cells);
	if (any_unfinished)
		fprintf(f, "UNFINISHED: checksum left to offload and never finished: "
			"normal on veth, a NIC offload bug on a physical port.\n");
	if (any_unparsed)
		fprintf(f, "UNPARSED: headers this source sent that could not be followed to a "
			"UDP port (e.g. more than %d IPv6 extension headers): never judged.\n",
			CG_IPV6_MAX_EXT);
}

/* ---------------------------------------------------------------- JSON */

size_t cg_utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
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

void cg_json_str(FILE *f, const char *str, size_t maxlen)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strnlen(str, maxlen), i = 0, l;

	fputc('"', f);
	while (i < n) {
		unsigned char ch = s[i];

		switch (ch) {
		case '"':  fputs("\\\"", f); i++; continue;
		case '\\': fputs("\\\\", f); i++; continue;
		case '\b': fputs("\\b", f); i++; continue;
		case '\f': fputs("\\f", f); i++; continue;
		case '\n': fputs("\\n", f); i++; continue;
		case '\r': fputs("\\r", f); i++; continue;
		case '\t': fputs("\\t", f); i++; continue;
		default:
			break;
		}
		if (ch < 0x20 || ch == 0x7f) {
			fprintf(f, "\\u%04x", ch);
			i++;
			continue;
		}
		l = cg_utf8_len(s + i, n - i);
		if (!l) {
			fputs("\\ufffd", f);
			i++;
			continue;
		}
		fwrite(s + i, 1, l, f);
		i += l;
	}
	fputc('"', f);
}

void cg_render_error_json(FILE *f, const char *msg)
{
	fputs("{\"error\":", f);
	cg_json_str(f, msg, 1024);
	fputs("}\n", f);
}

static void json_u64(FILE *f, const char *key, uint64_t v, int comma)
{
	fprintf(f, "%s\"%s\":%" PRIu64, comma ? "," : "", key, v);
}

static void json_src(FILE *f, const struct cg_src_row *r, uint64_t now_ns)
{
	const struct cg_src_stats *st = &r->st;
	char addr[CG_ADDR_STRLEN];
	uint64_t checked = cg_src_checked(st);
	int v;

	cg_addr_str(&r->addr, addr, sizeof(addr));
	fputs("{\"addr\":", f);
	cg_json_str(f, addr, sizeof(addr));
	json_u64(f, cg_src_field_name(CG_SF_PACKETS), st->packets, 1);
	json_u64(f, cg_src_field_name(CG_SF_BYTES), st->bytes, 1);
	for (v = 0; v < CG_VERDICT_MAX; v++)
		json_u64(f, cg_verdict_name((enum cg_verdict)v), st->verdict[v], 1);
	json_u64(f, cg_src_field_name(CG_SF_UNPARSED), st->unparsed, 1);
	json_u64(f, cg_src_field_name(CG_SF_DROPPED), st->dropped, 1);
	if (checked)
		fprintf(f, ",\"bad_ratio\":%.6f", (double)st->verdict[CG_V_BAD] / (double)checked);
	else
		fputs(",\"bad_ratio\":null", f);
	fprintf(f, ",\"%s_age_seconds\":", cg_src_field_name(CG_SF_LAST_BAD));
	if (st->last_bad_ns)
		fprintf(f, "%" PRIu64, cg_age_seconds(st->last_bad_ns, now_ns));
	else
		fputs("null", f);
	fputc('}', f);
}

static void json_iface(FILE *f, const struct cg_iface_view *v, uint64_t now_ns)
{
	size_t i;
	int c;

	fputs("{\"name\":", f);
	cg_json_str(f, v->name, 64);
	json_u64(f, "ifindex", (uint64_t)(v->ifindex > 0 ? v->ifindex : 0), 1);
	fprintf(f, ",\"attached\":%s", v->attached < 0 ? "null" : v->attached ? "true" : "false");
	fputs(",\"xdp_mode\":", f);
	if (v->attached > 0 && v->xdp_mode)
		cg_json_str(f, v->xdp_mode, 16);
	else
		fputs("null", f);
	fputs(",\"dispatcher\":", f);
	fputs(v->attached <= 0 || !v->xdp_mode ? "null" : v->dispatcher ? "true" : "false", f);
	/* Only when there is something to say, so version-1 readers see the
	 * same keys as before. */
	if (v->attached_note) {
		fputs(",\"attached_note\":", f);
		cg_json_str(f, v->attached_note, 256);
	}
	if (v->ifname_now) {
		fputs(",\"ifname_now\":", f);
		cg_json_str(f, v->ifname_now, 16);
	}
	fputs(",\"mode\":", f);
	if (v->have_config)
		cg_json_str(f, cg_mode_name((enum cg_mode)v->config.mode), 16);
	else
		fputs("null", f);
	fputs(",\"ports\":[", f);
	for (c = 0; c < v->nports; c++) {
		fprintf(f, "%s{\"port\":%u,\"encap\":", c ? "," : "", v->ports[c].port);
		cg_json_str(f, cg_encap_name(v->ports[c].encap), 16);
		fputc('}', f);
	}
	fputc(']', f);
	json_u64(f, "sources_max", v->sources_max, 1);
	json_u64(f, "sources_present", v->sources_present, 1);
	json_u64(f, "sources_kept", v->sources_kept, 1);
	json_u64(f, "sources_evicted", v->sources_evicted, 1);
	fputs(",\"counters\":{", f);
	for (c = 0; c < CG_IFACE_COUNTER_MAX; c++)
		json_u64(f, cg_iface_counter_name((enum cg_iface_counter)c), v->tot.c[c], c);
	fputs("},\"verdicts\":{", f);
	for (c = 0; c < CG_VERDICT_MAX; c++)
		json_u64(f, cg_verdict_name((enum cg_verdict)c), v->tot.verdict[c], c);
	fputs("},\"sources\":[", f);
	for (i = 0; i < v->nrows; i++) {
		if (i)
			fputc(',', f);
		json_src(f, &v->rows[i], now_ns);
	}
	fputs("]}", f);
}

void cg_render_stats_json(FILE *f, const struct cg_iface_view *v, size_t n,
			  uint64_t now_ns, int64_t now_unix)
{
	size_t i;

	fprintf(f, "{\"version\":%d,\"time_unix\":%" PRId64 ",\"interfaces\":[",
		CG_JSON_VERSION, now_unix);
	for (i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		json_iface(f, &v[i], now_ns);
	}
	fputs("]}\n", f);
}

/* ----------------------------------------------------------- blocklist */

static uint64_t unix_age(uint64_t added, int64_t now)
{
	return now > 0 && (uint64_t)now > added ? (uint64_t)now - added : 0;
}

void cg_render_blocklist_table(FILE *f, const struct cg_block_row *rows, size_t n,
			       int64_t now_unix)
{
	char addr[CG_ADDR_STRLEN], age[24];
	int wa = (int)strlen("ADDR"), ws = (int)strlen("SCOPE"), wg = (int)strlen("AGE"), l;
	char reason[CG_BLOCK_REASON_LEN + 1], raw[CG_BLOCK_REASON_LEN + 1];
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
		cg_fmt_age(unix_age(rows[i].b.added_unix, now_unix), age, sizeof(age));
		if ((l = (int)strlen(age)) > wg)
			wg = l;
	}
	fprintf(f, "%-*s  %-*s  %-*s  REASON\n", wa, "ADDR", ws, "SCOPE", wg, "AGE");
	for (i = 0; i < n; i++) {
		cg_addr_str(&rows[i].addr, addr, sizeof(addr));
		cg_fmt_age(unix_age(rows[i].b.added_unix, now_unix), age, sizeof(age));
		snprintf(raw, sizeof(raw), "%.*s", (int)sizeof(rows[i].b.reason), rows[i].b.reason);
		cg_fmt_text(raw, reason, sizeof(reason));
		fprintf(f, "%-*s  %-*s  %-*s  %s\n", wa, addr, ws,
			cg_block_scope_name(rows[i].b.flags), wg, age, reason[0] ? reason : "-");
	}
}

void cg_render_blocklist_json(FILE *f, const struct cg_block_row *rows, size_t n,
			      int64_t now_unix)
{
	char addr[CG_ADDR_STRLEN];
	size_t i;

	fprintf(f, "{\"version\":%d,\"time_unix\":%" PRId64 ",\"entries\":[",
		CG_JSON_VERSION, now_unix);
	for (i = 0; i < n; i++) {
		const struct cg_block *b = &rows[i].b;

		cg_addr_str(&rows[i].addr, addr, sizeof(addr));
		fputs(i ? ",{\"addr\":" : "{\"addr\":", f);
		cg_json_str(f, addr, sizeof(addr));
		fputs(",\"scope\":", f);
		cg_json_str(f, cg_block_scope_name(b->flags), 16);
		json_u64(f, "added_unix", b->added_unix, 1);
		json_u64(f, "age_seconds", unix_age(b->added_unix, now_unix), 1);
		fputs(",\"reason\":", f);
		cg_json_str(f, b->reason, sizeof(b->reason));
		fputc('}', f);
	}
	fputs("]}\n", f);
}
