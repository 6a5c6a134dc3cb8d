// SPDX-License-Identifier: GPL-2.0
/*
 * watch.c - the live view of `stats --watch` (watch.h): per interface its
 * rates over the last interval beside its totals, then its sources, worst
 * first, as many as the terminal holds, in columns that fit its width.
 *
 * What the operator asked of it (issue 11): the totals and the worst
 * sources always on screen; a fix visible at once (rates over the
 * interval, not only running totals); no scrollback flood (the frame is
 * redrawn from the top left, each line cleared to its end, the screen below
 * cleared, and the last line never ends in a newline, so nothing scrolls);
 * 80 columns at most by default (columns whose values are all 0 hidden,
 * --wide shows them); blocked sources marked.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "addr.h"
#include "names.h"
#include "nodes.h"
#include "watch.h"

#define CELL	48
#define COLS_MAX	48
#define LINE_MAX_LEN	1024
#define SRC_MIN		12	/* narrowest source column before columns go */

/* --------------------------------------------------------------- rows */

static int rows_cmp(const void *pa, const void *pb)
{
	const struct cg_watch_row *a = pa, *b = pb;
	uint64_t ca = cg_src_checked(&a->tot), cb = cg_src_checked(&b->tot);
	unsigned __int128 la = (unsigned __int128)a->tot.verdict[CG_V_BAD] * cb;
	unsigned __int128 lb = (unsigned __int128)b->tot.verdict[CG_V_BAD] * ca;

#define DESC(x, y) do { if ((x) != (y)) return (x) > (y) ? -1 : 1; } while (0)
	DESC(a->now.verdict[CG_V_BAD], b->now.verdict[CG_V_BAD]);
	DESC(a->tot.verdict[CG_V_BAD], b->tot.verdict[CG_V_BAD]);
	if (ca && cb)
		DESC(la, lb);
	DESC(a->now.packets, b->now.packets);
	DESC(a->tot.packets, b->tot.packets);
#undef DESC
	return memcmp(&a->addr, &b->addr, sizeof(a->addr));
}

int cg_watch_iface_fill(struct cg_watch_iface *wi, const struct cg_iface_view *in,
			const struct cg_iface_view *eg, const struct cg_iface_view *prev_in,
			const struct cg_iface_view *prev_eg, const struct cg_src_row *prev_rows,
			size_t nprev, const struct cg_block_row *blocked, size_t nblocked,
			const struct cg_nodes *nodes)
{
	const struct cg_field *f;
	const struct cg_src_row *p;
	struct cg_src_stats now;
	struct cg_watch_row *r;
	const char *name;
	size_t i, k, nf;

	memset(wi, 0, sizeof(*wi));
	wi->in = in;
	wi->eg = eg;
	if (in && prev_in)
		cg_iface_stats_delta(&in->tot, &prev_in->tot, &wi->in_now);
	if (eg && prev_eg)
		cg_egress_stats_delta(&eg->etot, &prev_eg->etot, &wi->eg_now);
	if (!in || !in->nrows)
		return 0;
	wi->rows = calloc(in->nrows, sizeof(*wi->rows));
	if (!wi->rows)
		return -ENOMEM;
	f = cg_src_fields(&nf);
	for (i = 0; i < in->nrows; i++) {
		/* a known node's addresses are one row (IPv4 and IPv6 of one node) */
		name = cg_nodes_name(nodes, &in->rows[i].addr);
		for (k = 0, r = NULL; name && k < wi->nrows && !r; k++)
			if (!strcmp(wi->rows[k].name, name))
				r = &wi->rows[k];
		if (!r) {
			r = &wi->rows[wi->nrows++];
			r->addr = in->rows[i].addr;
			if (name)
				snprintf(r->name, sizeof(r->name), "%s", name);
		}
		r->naddrs++;
		cg_fields_add(&r->tot, &in->rows[i].st, f, nf);
		if (prev_in) {
			p = cg_src_rows_find(prev_rows, nprev, &in->rows[i].addr);
			cg_src_stats_delta(&in->rows[i].st, p ? &p->st : NULL, &now);
			cg_fields_add(&r->now, &now, f, nf);
		}
		for (k = 0; k < nblocked; k++)
			if (!memcmp(&blocked[k].addr, &in->rows[i].addr, sizeof(r->addr)))
				r->blocked = 1;
	}
	qsort(wi->rows, wi->nrows, sizeof(*wi->rows), rows_cmp);
	return 0;
}

void cg_watch_iface_free(struct cg_watch_iface *wi)
{
	free(wi->rows);
	wi->rows = NULL;
	wi->nrows = 0;
}

/* ---------------------------------------------------------- formatting */

/* A count in at most 8 characters: 12345678, then 123.4M, 12.3G. */
static void fmt_count(uint64_t v, char *buf, size_t len)
{
	if (v < 100000000ull)
		snprintf(buf, len, "%" PRIu64, v);
	else if (v < 100000000000ull)
		snprintf(buf, len, "%.1fM", (double)v / 1e6);
	else
		snprintf(buf, len, "%.1fG", (double)v / 1e9);
}

/* A rate per second; "-" without an interval. */
static void fmt_rate(uint64_t n, double secs, char *buf, size_t len)
{
	double r;

	if (secs <= 0) {
		snprintf(buf, len, "-");
		return;
	}
	r = (double)n / secs;
	if (r < 10)
		snprintf(buf, len, "%.1f", r);
	else if (r < 100000)
		snprintf(buf, len, "%.0f", r);
	else if (r < 100000000)
		snprintf(buf, len, "%.0fk", r / 1e3);
	else
		snprintf(buf, len, "%.0fM", r / 1e6);
}

static void fmt_ago(uint64_t stamp_ns, uint64_t now_ns, char *buf, size_t len)
{
	char age[24];

	if (!stamp_ns) {
		snprintf(buf, len, "-");
		return;
	}
	cg_fmt_age(cg_age_seconds(stamp_ns, now_ns), age, sizeof(age));
	snprintf(buf, len, "%s ago", age);
}

/* "last_bad" -> "LAST BAD" */
static void upper(const char *name, char *buf, size_t len)
{
	size_t i;

	snprintf(buf, len, "%s", name);
	for (i = 0; buf[i]; i++)
		buf[i] = buf[i] == '_' ? ' ' : (char)toupper((unsigned char)buf[i]);
}

/* "a...z": s shortened to w bytes in the middle (addresses keep both ends). */
static void shorten(char *s, int w)
{
	int n = (int)strlen(s), head;

	if (n <= w || w < 5)
		return;
	head = (w - 2) / 2;
	memmove(s + head + 2, s + n - (w - 2 - head), (size_t)(w - 2 - head) + 1);
	s[head] = '.';
	s[head + 1] = '.';
}

/* ------------------------------------------------------------- columns */

enum ckind {
	CK_MARK, CK_SOURCE, CK_NOW_PKTS, CK_NOW_BAD, CK_NOW_PCT, CK_PACKETS, CK_BAD, CK_PCT,
	CK_FIELD, CK_LAST_BAD,
};

struct col {
	enum ckind kind;
	const struct cg_field *f;	/* CK_FIELD */
	char head[CELL];
	int w;				/* width; < 0 hidden */
	int optional;			/* may go to fit the width: 1 first, 2 then */
	int group;			/* 1 the interval's, 2 the totals' */
	int nonzero;			/* some row has a value */
};

/* The columns of the source table: fixed ones, then every per-source
 * counter of names.c not shown already (so new counters appear as
 * columns), then the last bad one's age. */
static int columns(struct col *c, int any_blocked)
{
	const struct cg_field *f;
	size_t nf, i;
	int n = 0;

	memset(c, 0, sizeof(*c) * COLS_MAX);
	if (any_blocked)
		c[n++] = (struct col){ .kind = CK_MARK, .head = " " };
	c[n++] = (struct col){ .kind = CK_SOURCE, .head = "SOURCE" };
	/* On a narrow terminal the extra counters go first, then the
	 * totals' packets and share, then the packet rate: what is bad now,
	 * how many in all and since when stay. */
	c[n++] = (struct col){ .kind = CK_NOW_PKTS, .head = "PKT/S", .group = 1, .optional = 2 };
	c[n++] = (struct col){ .kind = CK_NOW_BAD, .head = "BAD/S", .group = 1 };
	c[n++] = (struct col){ .kind = CK_NOW_PCT, .head = "BAD%", .group = 1 };
	c[n++] = (struct col){ .kind = CK_PACKETS, .head = "PACKETS", .group = 2, .optional = 2 };
	c[n++] = (struct col){ .kind = CK_BAD, .head = "BAD", .group = 2 };
	c[n++] = (struct col){ .kind = CK_PCT, .head = "BAD%", .group = 2, .optional = 2 };
	f = cg_src_fields(&nf);
	for (i = 0; i < nf && n < COLS_MAX - 1; i++) {
		if (!strcmp(f[i].name, "packets") || !strcmp(f[i].name, "bytes") ||
		    !strcmp(f[i].name, "ok") || !strcmp(f[i].name, "bad") ||
		    !strcmp(f[i].name, "last_bad"))
			continue;
		c[n] = (struct col){ .kind = CK_FIELD, .f = &f[i], .optional = 1, .group = 2 };
		upper(f[i].name, c[n].head, CELL);
		n++;
	}
	c[n++] = (struct col){ .kind = CK_LAST_BAD, .head = "LAST BAD" };
	return n;
}

static void cell(const struct col *c, const struct cg_watch_row *r, const struct cg_watch_frame *fr,
		 char *buf, size_t len)
{
	uint64_t v;

	switch (c->kind) {
	case CK_MARK:
		snprintf(buf, len, "%s", r->blocked ? "B" : " ");
		break;
	case CK_SOURCE:
		if (r->name[0])
			cg_fmt_text(r->name, buf, len);
		else
			cg_addr_str(&r->addr, buf, len);
		break;
	case CK_NOW_PKTS:
		fmt_rate(r->now.packets, fr->interval_s, buf, len);
		break;
	case CK_NOW_BAD:
		fmt_rate(r->now.verdict[CG_V_BAD], fr->interval_s, buf, len);
		break;
	case CK_NOW_PCT:
		if (fr->interval_s > 0)
			cg_fmt_pct(r->now.verdict[CG_V_BAD], cg_src_checked(&r->now), buf, len);
		else
			snprintf(buf, len, "-");
		break;
	case CK_PACKETS:
		fmt_count(r->tot.packets, buf, len);
		break;
	case CK_BAD:
		fmt_count(r->tot.verdict[CG_V_BAD], buf, len);
		break;
	case CK_PCT:
		cg_fmt_pct(r->tot.verdict[CG_V_BAD], cg_src_checked(&r->tot), buf, len);
		break;
	case CK_FIELD:
		v = cg_field_get(&r->tot, c->f);
		if (cg_field_is_time(c->f))
			fmt_ago(v, fr->now_ns, buf, len);
		else
			fmt_count(v, buf, len);
		break;
	case CK_LAST_BAD:
		fmt_ago(r->tot.last_bad_ns, fr->now_ns, buf, len);
		break;
	}
}

/* --------------------------------------------------------------- lines */

/* The frame being drawn: lines so far, the limits. */
struct screen {
	FILE *f;
	int width, height, n;
};

/* One line, cut to the width; none past the height. No newline after the
 * last one a frame has room for, so the terminal never scrolls. */
static void line(struct screen *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void line(struct screen *s, const char *fmt, ...)
{
	char buf[LINE_MAX_LEN];
	va_list ap;

	if (s->n >= s->height)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if ((int)strlen(buf) > s->width)
		buf[s->width] = '\0';
	fprintf(s->f, "%s%s\033[K", s->n ? "\n" : "", buf);
	s->n++;
}

static void fmt_secs(double s, char *buf, size_t len)
{
	if (s <= 0)
		snprintf(buf, len, "-");
	else if (s < 10)
		snprintf(buf, len, "%.1f s", s);
	else
		snprintf(buf, len, "%.0f s", s);
}

/* How the ingress program is attached, briefly. */
static void where_short(const struct cg_iface_view *v, char *buf, size_t len)
{
	if (v->attached < 0)
		snprintf(buf, len, "cannot tell whether attached");
	else if (v->attached && v->dir == CG_DIR_EGRESS && !v->attached_note)
		snprintf(buf, len, "tc egress");
	else if (v->attached && !v->xdp_mode && v->attached_note)
		snprintf(buf, len, "attached elsewhere: %s", v->attached_note);
	else if (v->attached)
		snprintf(buf, len, "%s XDP", v->xdp_mode ? v->xdp_mode : "?");
	else if (!v->ifindex)
		snprintf(buf, len, "interface gone, counters kept");
	else
		snprintf(buf, len, "detached, counters kept");
}

/* Egress wire packets: the states add up to them (c[] counts skbs). */
static uint64_t eg_packets(const struct cg_egress_stats *t)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < CG_EGRESS_STATE_MAX; i++)
		n += t->state[i];
	return n;
}

static const char *total_word(const struct cg_watch_frame *fr)
{
	return fr->since_unix ? "since reset" : "total";
}

/* The interface's lines: ingress (how it runs, the interval, the totals)
 * and egress (rates and totals in one line). */
static void iface_head(struct screen *s, const struct cg_watch_frame *fr,
		       const struct cg_watch_iface *wi)
{
	char where[256], iv[16], r1[16], r2[16], p1[16], c1[16], c2[16], p2[16], extra[96] = "";
	const struct cg_iface_view *v = wi->in, *e = wi->eg;
	uint64_t chk;

	fmt_secs(fr->interval_s, iv, sizeof(iv));
	if (v) {
		where_short(v, where, sizeof(where));
		if (v->sources_evicted)
			snprintf(extra, sizeof(extra), "; table full: %" PRIu64 " evicted",
				 v->sources_evicted);
		line(s, "%s in: %s, %s, %zu source%s%s", v->name, where, v->have_config ?
		     cg_mode_name((enum cg_mode)v->config.mode) : "?", v->nrows,
		     v->nrows == 1 ? "" : "s", extra);
		chk = wi->in_now.verdict[CG_V_OK] + wi->in_now.verdict[CG_V_BAD] +
			wi->in_now.verdict[CG_V_UNFINISHED];
		fmt_rate(wi->in_now.c[CG_IF_TUNNEL], fr->interval_s, r1, sizeof(r1));
		fmt_rate(wi->in_now.verdict[CG_V_BAD], fr->interval_s, r2, sizeof(r2));
		cg_fmt_pct(wi->in_now.verdict[CG_V_BAD], chk, p1, sizeof(p1));
		if (fr->interval_s > 0)
			line(s, "  last %s: %s pkt/s, %s bad/s, BAD %s", iv, r1, r2, p1);
		else
			line(s, "  last -: rates from the next sample on (every %us)", fr->every);
		fmt_count(v->tot.c[CG_IF_TUNNEL], c1, sizeof(c1));
		fmt_count(v->tot.verdict[CG_V_BAD], c2, sizeof(c2));
		cg_fmt_pct(v->tot.verdict[CG_V_BAD], v->tot.verdict[CG_V_OK] +
			   v->tot.verdict[CG_V_BAD] + v->tot.verdict[CG_V_UNFINISHED], p2,
			   sizeof(p2));
		fmt_count(v->tot.verdict[CG_V_UNFINISHED], r1, sizeof(r1));
		line(s, "  %s: %s pkts, %s bad, BAD %s; unfinished %s", total_word(fr), c1, c2,
		     p2, r1);
	}
	if (e) {
		where_short(e, where, sizeof(where));
		fmt_rate(eg_packets(&wi->eg_now), fr->interval_s, r1, sizeof(r1));
		fmt_rate(wi->eg_now.state[CG_E_FINAL_BAD], fr->interval_s, r2, sizeof(r2));
		fmt_count(eg_packets(&e->etot), c1, sizeof(c1));
		fmt_count(e->etot.state[CG_E_FINAL_BAD], c2, sizeof(c2));
		line(s, "%s out: %s%s%s pkt/s, %s final_bad/s | %s: %s pkts, %s final_bad", e->name,
		     e->attached > 0 && !e->attached_note ? "" : where,
		     e->attached > 0 && !e->attached_note ? "" : "; ", r1, r2, total_word(fr), c1,
		     c2);
	}
}

/* Puts the cells of the rows shown into cells, sizes the columns to them
 * and the width. Returns the number of optional columns with values that
 * did not fit. */
static int fit(struct col *c, int nc, const struct cg_watch_iface *wi, size_t shown,
	       const struct cg_watch_frame *fr, const struct cg_watch_opts *o,
	       char (*cells)[COLS_MAX][CELL])
{
	int i, total, hidden = 0;
	size_t r;

	for (i = 0; i < nc; i++) {
		c[i].w = (int)strlen(c[i].head);
		for (r = 0; r < wi->nrows; r++)	/* every row decides what is all zero */
			if (c[i].kind == CK_FIELD && cg_field_get(&wi->rows[r].tot, c[i].f))
				c[i].nonzero = 1;
		if (c[i].kind == CK_FIELD && !c[i].nonzero && !o->wide)
			c[i].w = -1;
	}
	for (r = 0; r < shown; r++)
		for (i = 0; i < nc; i++) {
			cell(&c[i], &wi->rows[r], fr, cells[r][i], CELL);
			if (c[i].w >= 0 && (int)strlen(cells[r][i]) > c[i].w)
				c[i].w = (int)strlen(cells[r][i]);
		}
	if (o->wide)
		return 0;
	for (;;) {
		total = -2;
		for (i = 0; i < nc; i++)
			if (c[i].w >= 0)
				total += c[i].w + 2;
		if (total <= o->width)
			break;
		/* the last optional column of the first tier goes first */
		for (i = nc - 1; i >= 0 && !(c[i].optional == 1 && c[i].w >= 0); i--)
			;
		if (i >= 0) {
			c[i].w = -1;
			hidden += c[i].nonzero;
			continue;
		}
		/* then the source column narrows */
		for (i = 0; i < nc && c[i].kind != CK_SOURCE; i++)
			;
		if (i < nc && c[i].w > SRC_MIN) {
			c[i].w = c[i].w - (total - o->width) < SRC_MIN ? SRC_MIN :
				c[i].w - (total - o->width);
			for (r = 0; r < shown; r++)
				shorten(cells[r][i], c[i].w);
			continue;
		}
		/* then the second tier, in the order columns() says */
		for (i = 0; i < nc; i++)
			if (c[i].optional == 2 && c[i].w >= 0 && c[i].kind == CK_PACKETS)
				break;
		if (i == nc)
			for (i = 0; i < nc; i++)
				if (c[i].optional == 2 && c[i].w >= 0 && c[i].kind == CK_PCT)
					break;
		if (i == nc)
			for (i = 0; i < nc; i++)
				if (c[i].optional == 2 && c[i].w >= 0)
					break;
		if (i < nc) {
			c[i].w = -1;
			hidden++;
			continue;
		}
		break;	/* lines are cut at the width */
	}
	return hidden;
}

/* A row of cells, in the visible columns. */
static void table_line(struct screen *s, const struct col *c, int nc, char cells[][CELL])
{
	char buf[LINE_MAX_LEN];
	size_t off = 0;
	int i, first = 1;

	buf[0] = '\0';
	for (i = 0; i < nc && off < sizeof(buf); i++) {
		if (c[i].w < 0)
			continue;
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%*s", first ? "" : "  ",
					c[i].kind == CK_SOURCE || c[i].kind == CK_MARK ? -c[i].w :
					c[i].w, cells[i]);
		first = 0;
	}
	while (off > 0 && buf[off - 1] == ' ')	/* no trailing blanks */
		buf[--off] = '\0';
	line(s, "%s", buf);
}

/* "        --- last 2.0 s ---  ---- since reset ----" over the groups. */
static void band_line(struct screen *s, const struct col *c, int nc,
		      const struct cg_watch_frame *fr)
{
	char buf[LINE_MAX_LEN], label[48], iv[16];
	int i, j, x = 0, start, width, g, prev = -1;

	memset(buf, ' ', sizeof(buf));
	fmt_secs(fr->interval_s, iv, sizeof(iv));
	for (i = 0; i < nc; i++) {
		if (c[i].w < 0)
			continue;
		if (x)
			x += 2;
		g = c[i].group;
		if (!g || g == prev || x >= (int)sizeof(buf) - 64) {
			prev = g;
			x += c[i].w;
			continue;
		}
		prev = g;
		/* this group's extent */
		start = x;
		width = c[i].w;
		for (j = i + 1; j < nc && (c[j].group == g || c[j].w < 0); j++)
			if (c[j].w >= 0)
				width += 2 + c[j].w;
		if (g == 1)
			snprintf(label, sizeof(label), " last %s ", iv);
		else
			snprintf(label, sizeof(label), " %s ", total_word(fr));
		if ((int)strlen(label) + 2 <= width) {
			int pad = width - (int)strlen(label), k;

			for (k = 0; k < width; k++)
				buf[start + k] = '-';
			memcpy(buf + start + pad / 2, label, strlen(label));
		}
		x += c[i].w;
	}
	x = x < (int)sizeof(buf) ? x : (int)sizeof(buf) - 1;
	while (x > 0 && buf[x - 1] == ' ')
		x--;
	buf[x] = '\0';
	line(s, "%s", buf);
}

static void source_table(struct screen *s, const struct cg_watch_frame *fr,
			 const struct cg_watch_iface *wi, size_t shown,
			 const struct cg_watch_opts *o, int *hidden_cols)
{
	struct col c[COLS_MAX];
	char (*cells)[COLS_MAX][CELL];
	char head[COLS_MAX][CELL];
	int nc, i, any_blocked = 0;
	size_t r;

	for (r = 0; r < wi->nrows; r++)
		any_blocked |= wi->rows[r].blocked;
	nc = columns(c, any_blocked);
	cells = calloc(shown ? shown : 1, sizeof(*cells));
	if (!cells) {
		line(s, "  (out of memory)");
		return;
	}
	*hidden_cols += fit(c, nc, wi, shown, fr, o, cells);
	for (i = 0; i < nc; i++)
		snprintf(head[i], CELL, "%s", c[i].head);
	band_line(s, c, nc, fr);
	table_line(s, c, nc, head);
	for (r = 0; r < shown; r++)
		table_line(s, c, nc, cells[r]);
	free(cells);
}

void cg_watch_render_screen(FILE *f, const struct cg_watch_frame *fr,
			    const struct cg_watch_opts *opt)
{
	struct cg_watch_opts o = *opt;
	struct screen s = { .f = f };
	char when[64], since[64] = "", foot[LINE_MAX_LEN];
	size_t i, *shown, more = 0, more_bad = 0, r, off = 0;
	int fixed, avail, hidden = 0, blocked = 0, left;
	time_t t = (time_t)fr->now_unix;
	struct tm tm;

	if (o.width <= 0 || o.height <= 0) {
		o.width = 80;
		o.height = 24;
	}
	s.width = o.wide ? LINE_MAX_LEN - 1 : o.width;
	s.height = o.height;
	shown = calloc(fr->n ? fr->n : 1, sizeof(*shown));
	if (!shown)
		return;
	/* Lines that are not source rows: the title and the footer, per
	 * interface its head (2 or 3), the band and the header, a blank
	 * between interfaces. */
	fixed = 2;
	for (i = 0; i < fr->n; i++) {
		fixed += (fr->ifs[i].in ? 3 : 0) + (fr->ifs[i].eg ? 1 : 0) + (i ? 1 : 0);
		fixed += fr->ifs[i].nrows ? 2 : 0;
	}
	/* Share the rest out, worst interfaces first in line order. */
	avail = o.height - fixed;
	for (left = 1; left && avail > 0;) {
		left = 0;
		for (i = 0; i < fr->n && avail > 0; i++)
			if (shown[i] < fr->ifs[i].nrows) {
				shown[i]++;
				avail--;
				left = 1;
			}
	}

	fputs("\033[H", f);
	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	if (fr->since_unix) {
		t = (time_t)fr->since_unix;
		localtime_r(&t, &tm);
		strftime(since, sizeof(since), ", counting since the reset at %H:%M:%S", &tm);
	}
	line(&s, "csumguard stats  %s  every %us%s  (Ctrl-C quits)", when, fr->every, since);
	for (i = 0; i < fr->n; i++) {
		const struct cg_watch_iface *wi = &fr->ifs[i];

		if (i)
			line(&s, "%s", "");
		iface_head(&s, fr, wi);
		if (wi->nrows)
			source_table(&s, fr, wi, shown[i], &o, &hidden);
		for (r = shown[i]; r < wi->nrows; r++) {
			more++;
			more_bad += wi->rows[r].tot.verdict[CG_V_BAD] != 0;
		}
		for (r = 0; r < wi->nrows; r++)
			blocked |= wi->rows[r].blocked;
	}
	if (!fr->n)
		line(&s, "no interface has csumguard state; attach one: csumguard attach IFACE");
	foot[0] = '\0';
	if (more)
		off += (size_t)snprintf(foot + off, sizeof(foot) - off, "%zu more source%s (%zu "
					"with bad checksums)", more, more == 1 ? "" : "s", more_bad);
	if (hidden && off < sizeof(foot))
		off += (size_t)snprintf(foot + off, sizeof(foot) - off, "%s%d more column%s: "
					"--wide", off ? "; " : "", hidden, hidden == 1 ? "" : "s");
	if (blocked && off < sizeof(foot))
		off += (size_t)snprintf(foot + off, sizeof(foot) - off, "%sB: blocked",
					off ? "; " : "");
	if (off)
		line(&s, "%s", foot);
	fputs("\033[J", f);
	free(shown);
}

/* ---------------------------------------------------------- plain lines */

void cg_watch_render_lines(FILE *f, const struct cg_watch_frame *fr)
{
	char when[64], iv[16], r1[16], r2[16], p1[16], p2[16], addr[CG_ADDR_STRLEN], ago[32];
	time_t t = (time_t)fr->now_unix;
	struct tm tm;
	size_t i, r;
	uint64_t chk;

	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S%z", &tm);
	fmt_secs(fr->interval_s, iv, sizeof(iv));
	for (i = 0; i < fr->n; i++) {
		const struct cg_watch_iface *wi = &fr->ifs[i];
		const struct cg_iface_view *v = wi->in, *e = wi->eg;

		if (v) {
			chk = wi->in_now.verdict[CG_V_OK] + wi->in_now.verdict[CG_V_BAD] +
				wi->in_now.verdict[CG_V_UNFINISHED];
			fmt_rate(wi->in_now.c[CG_IF_TUNNEL], fr->interval_s, r1, sizeof(r1));
			fmt_rate(wi->in_now.verdict[CG_V_BAD], fr->interval_s, r2, sizeof(r2));
			if (fr->interval_s > 0)
				cg_fmt_pct(wi->in_now.verdict[CG_V_BAD], chk, p1, sizeof(p1));
			else
				snprintf(p1, sizeof(p1), "-");
			cg_fmt_pct(v->tot.verdict[CG_V_BAD], v->tot.verdict[CG_V_OK] +
				   v->tot.verdict[CG_V_BAD] + v->tot.verdict[CG_V_UNFINISHED], p2,
				   sizeof(p2));
			fprintf(f, "%s %s ingress: ", when, v->name);
			if (fr->interval_s > 0)
				fprintf(f, "last %s %s pkt/s %s bad/s %s bad | ", iv, r1, r2, p1);
			fprintf(f, "%s %" PRIu64 " pkts %" PRIu64 " bad %s | sources %zu\n",
				total_word(fr), (uint64_t)v->tot.c[CG_IF_TUNNEL],
				(uint64_t)v->tot.verdict[CG_V_BAD], p2, v->nrows);
		}
		/* The sources that sent bad ones in the interval (first: ever). */
		for (r = 0; r < wi->nrows; r++) {
			const struct cg_watch_row *w = &wi->rows[r];

			if (fr->interval_s > 0 ? !w->now.verdict[CG_V_BAD] : !w->tot.verdict[CG_V_BAD])
				continue;
			if (w->name[0])
				cg_fmt_text(w->name, addr, sizeof(addr));
			else
				cg_addr_str(&w->addr, addr, sizeof(addr));
			fmt_rate(w->now.packets, fr->interval_s, r1, sizeof(r1));
			fmt_rate(w->now.verdict[CG_V_BAD], fr->interval_s, r2, sizeof(r2));
			if (fr->interval_s > 0)
				cg_fmt_pct(w->now.verdict[CG_V_BAD], cg_src_checked(&w->now), p1,
					   sizeof(p1));
			else
				snprintf(p1, sizeof(p1), "-");
			cg_fmt_pct(w->tot.verdict[CG_V_BAD], cg_src_checked(&w->tot), p2, sizeof(p2));
			fmt_ago(w->tot.last_bad_ns, fr->now_ns, ago, sizeof(ago));
			fprintf(f, "%s %s source %s: ", when, v->name, addr);
			if (fr->interval_s > 0)
				fprintf(f, "last %s %s pkt/s %s bad/s %s bad | ", iv, r1, r2, p1);
			fprintf(f, "%s %" PRIu64 " pkts %" PRIu64 " bad %s | last bad %s%s\n",
				total_word(fr), (uint64_t)w->tot.packets,
				(uint64_t)w->tot.verdict[CG_V_BAD], p2, ago,
				w->blocked ? " | blocked" : "");
		}
		if (e) {
			fmt_rate(eg_packets(&wi->eg_now), fr->interval_s, r1, sizeof(r1));
			fmt_rate(wi->eg_now.state[CG_E_FINAL_BAD], fr->interval_s, r2, sizeof(r2));
			fprintf(f, "%s %s egress: ", when, e->name);
			if (fr->interval_s > 0)
				fprintf(f, "last %s %s pkt/s %s final_bad/s | ", iv, r1, r2);
			fprintf(f, "%s %" PRIu64 " pkts %" PRIu64 " final_bad %" PRIu64 " offloaded\n",
				total_word(fr), eg_packets(&e->etot),
				(uint64_t)e->etot.state[CG_E_FINAL_BAD],
				(uint64_t)e->etot.state[CG_E_OFFLOADED]);
		}
	}
}
