// SPDX-License-Identifier: GPL-2.0
/* metrics.c - see metrics.h. Names: Prometheus conventions (csumguard_
 * prefix, _total counters, base units: bytes, seconds; # HELP and # TYPE
 * before each family's first sample; a family's samples together). */
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "err.h"
#include "metrics.h"
#include "utf8.h"

/* ------------------------------------------------------------- selection */

int cg_metrics_parse_sources(const char *s, struct cg_metrics_sel *sel, char *err,
			     size_t errlen)
{
	unsigned long k;
	char *end;

	if (!strcmp(s, "all")) {
		sel->mode = CG_MSRC_ALL;
		return 0;
	}
	if (!strcmp(s, "nonok")) {
		sel->mode = CG_MSRC_NONOK;
		return 0;
	}
	if (!strncmp(s, "top:", 4) && s[4] >= '0' && s[4] <= '9') {
		errno = 0;
		k = strtoul(s + 4, &end, 10);
		if (!errno && !*end && k >= 1 && k <= (1ul << 20)) {
			sel->mode = CG_MSRC_TOP;
			sel->top_k = (unsigned int)k;
			return 0;
		}
	}
	return cg_errf(err, errlen, -EINVAL, "bad --metrics-sources '%s'; use all, nonok or "
		       "top:K with K from 1 to 1048576", s);
}

void cg_metrics_sel_str(const struct cg_metrics_sel *sel, char *buf, size_t len)
{
	if (sel->mode == CG_MSRC_ALL)
		snprintf(buf, len, "all");
	else if (sel->mode == CG_MSRC_TOP)
		snprintf(buf, len, "top:%u", sel->top_k);
	else
		snprintf(buf, len, "nonok");
}

/*
 * Counters that say nothing is wrong: the sums (packets, bytes, gso), a
 * checksum that verifies (ok, final_ok), one the NIC will finish
 * (offloaded), none by the sender's choice (zero: the default of Linux
 * VXLAN over IPv4, Cilium and Antrea - a zero-checksum fleet would
 * otherwise export every pair), one that cannot be checked by nature
 * (fragment), the inner audits that found nothing wrong, and frames
 * sampling let pass unchecked. Everything else - bad, unfinished,
 * malformed, dropped, unparsed, final_bad, gso_meta_bad, and any counter
 * added later - is non-ok.
 */
static const char *const healthy[] = {
	"packets", "bytes", "gso", "ok", "final_ok", "offloaded", "zero", "fragment",
	"zero_inner_ok", "zero_inner_unfinished", "zero_inner_unchecked", "unverified",
};

int cg_metrics_field_healthy(const struct cg_field *f)
{
	size_t i;

	if (f->kind != CG_FK_COUNT)
		return 1;
	for (i = 0; i < sizeof(healthy) / sizeof(healthy[0]); i++)
		if (!strcmp(f->name, healthy[i]))
			return 1;
	return 0;
}

uint64_t cg_metrics_nonok(const void *st, const struct cg_field *f, size_t n)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (!cg_metrics_field_healthy(&f[i]))
			sum += cg_field_get(st, &f[i]);
	return sum;
}

/* One remembered row: its non-ok sum and when it last moved (0: never). */
struct trow {
	struct cg_addr addr;
	uint64_t nonok;
	uint64_t moved;
};

struct ttab {
	char ifname[IF_NAMESIZE];
	enum cg_dir dir;
	struct trow *rows;	/* sorted by address */
	size_t n;
	int seen;		/* in the current pass */
};

struct cg_metrics_track {
	struct ttab *tabs;
	size_t n;
};

struct cg_metrics_track *cg_metrics_track_new(void)
{
	return calloc(1, sizeof(struct cg_metrics_track));
}

void cg_metrics_track_free(struct cg_metrics_track *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++)
		free(t->tabs[i].rows);
	free(t->tabs);
	free(t);
}

static int addr_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct cg_addr));
}

static struct ttab *track_tab(struct cg_metrics_track *t, const char *ifname, enum cg_dir dir)
{
	struct ttab *n;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->tabs[i].dir == dir && !strcmp(t->tabs[i].ifname, ifname))
			return &t->tabs[i];
	n = realloc(t->tabs, (t->n + 1) * sizeof(*n));
	if (!n)
		return NULL;
	t->tabs = n;
	n = &t->tabs[t->n++];
	memset(n, 0, sizeof(*n));
	snprintf(n->ifname, sizeof(n->ifname), "%s", ifname);
	n->dir = dir;
	return n;
}

/* Order of the top: most non-ok first, then by address. */
struct topk {
	uint64_t nonok;
	const struct cg_addr *addr;
	size_t i;
};

static int topk_cmp(const void *a, const void *b)
{
	const struct topk *x = a, *y = b;

	if (x->nonok != y->nonok)
		return x->nonok > y->nonok ? -1 : 1;
	return addr_cmp(x->addr, y->addr);
}

long cg_metrics_pick(struct cg_metrics_track *t, const char *ifname, enum cg_dir dir,
		     const void *rows, size_t n, size_t stride, size_t st_off,
		     const struct cg_field *f, size_t nf, const struct cg_metrics_sel *sel,
		     uint64_t now_s, unsigned char *pick)
{
	struct ttab *tab = track_tab(t, ifname, dir);
	struct trow *next, *old, key;
	struct topk *top = NULL;
	unsigned int off[64];
	size_t i, j, nbad = 0, picked = 0;

	if (!tab)
		return -ENOMEM;
	/* the non-ok fields' offsets, once (not a name compare per row) */
	for (j = 0; j < nf && nbad < sizeof(off) / sizeof(off[0]); j++)
		if (!cg_metrics_field_healthy(&f[j]))
			off[nbad++] = f[j].off;
	next = calloc(n ? n : 1, sizeof(*next));
	if (!next)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const char *r = (const char *)rows + i * stride;

		memcpy(&key.addr, r, sizeof(key.addr));
		next[i].addr = key.addr;
		next[i].nonok = 0;
		for (j = 0; j < nbad; j++)
			next[i].nonok += *(const uint64_t *)(r + st_off + off[j]);
		old = tab->n ? bsearch(&key, tab->rows, tab->n, sizeof(*old), addr_cmp) : NULL;
		if (!old)
			next[i].moved = next[i].nonok ? now_s : 0;
		else if (next[i].nonok != old->nonok && next[i].nonok)
			next[i].moved = now_s;	/* grew (or restarted after a purge) */
		else
			next[i].moved = next[i].nonok ? old->moved : 0;
		pick[i] = sel->mode == CG_MSRC_ALL ||
			  (next[i].moved && now_s - next[i].moved <= sel->window_s);
		picked += pick[i];
	}
	if (sel->mode == CG_MSRC_TOP && picked > sel->top_k) {
		size_t m = 0;

		top = malloc(picked * sizeof(*top));
		if (!top) {
			free(next);
			return -ENOMEM;
		}
		for (i = 0; i < n; i++)
			if (pick[i]) {
				top[m].nonok = next[i].nonok;
				top[m].addr = &next[i].addr;
				top[m++].i = i;
			}
		qsort(top, m, sizeof(*top), topk_cmp);
		for (i = sel->top_k; i < m; i++)
			pick[top[i].i] = 0;
		picked = sel->top_k;
		free(top);
	}
	qsort(next, n, sizeof(*next), addr_cmp);
	free(tab->rows);
	tab->rows = next;
	tab->n = n;
	return (long)picked;
}

/* -------------------------------------------------------------- escaping */

/* s with esc(c) for the bytes to escape; invalid UTF-8 becomes U+FFFD
 * (the format is UTF-8). label: also '"'. */
static void put_escaped(FILE *f, const char *s, size_t n, int label)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0, l;

	while (i < n) {
		if (p[i] == '\\' || p[i] == '\n' || (label && p[i] == '"')) {
			fwrite(p + run, 1, i - run, f);
			fputs(p[i] == '\\' ? "\\\\" : p[i] == '\n' ? "\\n" : "\\\"", f);
			run = ++i;
		} else if (p[i] < 0x80) {
			i++;
		} else if ((l = cg_utf8_len(p + i, n - i))) {
			i += l;
		} else {
			fwrite(p + run, 1, i - run, f);
			fputs("\xef\xbf\xbd", f);
			run = ++i;
		}
	}
	fwrite(p + run, 1, i - run, f);
}

void cg_metrics_label_value(FILE *f, const char *s)
{
	put_escaped(f, s, strlen(s), 1);
}

void cg_metrics_help_text(FILE *f, const char *s)
{
	put_escaped(f, s, strlen(s), 0);
}

/* ------------------------------------------------------ families, samples */

/* A family: # HELP and # TYPE go out before its first sample, so a family
 * without samples leaves no trace. */
struct fam {
	FILE *f;
	char name[128];
	const char *type;	/* "counter", "gauge" */
	char help[1024];
	int started;
};

static void fam_init(struct fam *m, FILE *f, const char *type, const char *help,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void fam_init(struct fam *m, FILE *f, const char *type, const char *help,
		     const char *fmt, ...)
{
	va_list ap;

	m->f = f;
	m->type = type;
	m->started = 0;
	snprintf(m->help, sizeof(m->help), "%s", help);
	va_start(ap, fmt);
	vsnprintf(m->name, sizeof(m->name), fmt, ap);
	va_end(ap);
}

/* Starts a sample: the header if it is the first, then the name. Labels
 * follow (lab), then the value (val_*). */
static void sample(struct fam *m)
{
	if (!m->started) {
		fprintf(m->f, "# HELP %s ", m->name);
		cg_metrics_help_text(m->f, m->help);
		fprintf(m->f, "\n# TYPE %s %s\n", m->name, m->type);
		m->started = 1;
	}
	fputs(m->name, m->f);
}

/* Labels: lab_open, lab(...)..., lab_close; first tracks the comma. */
struct labs {
	FILE *f;
	int n;
};

static void lab(struct labs *l, const char *name, const char *value)
{
	if (!value || !*value)	/* an empty label is an absent one */
		return;
	fputc(l->n++ ? ',' : '{', l->f);
	fprintf(l->f, "%s=\"", name);
	cg_metrics_label_value(l->f, value);
	fputc('"', l->f);
}

/* Already escaped text ("a=\"b\",c=\"d\""), from row_labels. */
static void lab_raw(struct labs *l, const char *text)
{
	if (!text || !*text)
		return;
	fputc(l->n++ ? ',' : '{', l->f);
	fputs(text, l->f);
}

static void lab_close(struct labs *l)
{
	if (l->n)
		fputc('}', l->f);
}

static void val_u64(FILE *f, uint64_t v)
{
	fprintf(f, " %llu\n", (unsigned long long)v);
}

static void val_f(FILE *f, double v)
{
	fprintf(f, " %.3f\n", v);
}

/* ------------------------------------------------------ what is written */

static const char *dir_word(enum cg_dir d)
{
	return cg_dir_name(d);
}

/* The views of the document's interfaces in one direction. */
static const struct cg_iface_view *view_of(const struct cg_metrics_iface *i, enum cg_dir d)
{
	return d == CG_DIR_INGRESS ? i->in : i->eg;
}

/* Labels interface="IF",direction="DIR". */
static void iface_labs(struct labs *l, const struct cg_iface_view *v)
{
	lab(l, "interface", v->name);
	lab(l, "direction", dir_word(v->dir));
}

static void write_info(FILE *f, const struct cg_metrics_doc *d)
{
	struct fam m;
	struct labs l = { f, 0 };
	char sel[32];

	fam_init(&m, f, "gauge", "csumguard's version and the libraries it runs with (always 1)",
		 "csumguard_build_info");
	sample(&m);
	lab(&l, "version", d->version);
	lab(&l, "libbpf_version", d->libbpf_version);
	lab(&l, "libxdp_version", d->libxdp_version);
	lab_close(&l);
	val_u64(f, 1);

	fam_init(&m, f, "gauge", "The node this agent runs on and how it chooses per-address "
		 "series (always 1)", "csumguard_agent_info");
	sample(&m);
	l.n = 0;
	lab(&l, "node", d->node);
	if (d->sel) {
		cg_metrics_sel_str(d->sel, sel, sizeof(sel));
		lab(&l, "metrics_sources", sel);
	}
	lab_close(&l);
	val_u64(f, 1);
	if (d->start_unix > 0) {
		fam_init(&m, f, "gauge", "When the agent started (Unix time)",
			 "csumguard_agent_start_time_seconds");
		sample(&m);
		val_f(f, d->start_unix);
	}
}

static int facts_ok(const struct cg_iface_view *v)
{
	return v->dir != CG_DIR_EGRESS || v->etot.facts > 0;
}

/*
 * The per-interface arrays that split a verdict (struct cg_iface_stats):
 * one family a row, one sample per interface and value, named as the
 * per-source families of the same group (csumguard_source_class_...), with
 * the same label values: the names of lib/names.c, zero_inner's without
 * its "zero_inner_" prefix (as cg_src_fields' groups give them).
 */
static const struct iface_group {
	const char *group;	/* metric name part and label name */
	int n;
	size_t off;		/* of the __u64 array in struct cg_iface_stats */
	const char *help;
} iface_groups[] = {
	{ "class", CG_BAD_CLASS_MAX, offsetof(struct cg_iface_stats, bad_class),
	  "Bad tunnel frames this interface received, by what their inner packet says: "
	  "bad_outer_only (inner L4 checksum valid: only the outer value wrong), "
	  "bad_payload (inner invalid too: corrupted on the path), bad_unclassified "
	  "(no checkable inner L4 checksum)" },
	{ "zero_inner", CG_ZERO_INNER_MAX, offsetof(struct cg_iface_stats, zero_inner),
	  "Zero-checksum tunnel frames this interface received, by their inner L4 "
	  "checksum: ok (valid), bad (invalid), unfinished (its pseudo-header seed), "
	  "unchecked (none to check)" },
};

static const char *iface_group_value(const struct iface_group *g, int k)
{
	const char *n = !strcmp(g->group, "class") ?
		cg_bad_class_name((enum cg_bad_class)k) : cg_zero_inner_name((enum cg_zero_inner)k);
	size_t gl = strlen(g->group);

	return !strncmp(n, g->group, gl) && n[gl] == '_' && n[gl + 1] ? n + gl + 1 : n;
}

static void write_iface_groups(FILE *f, const struct cg_metrics_doc *d)
{
	const struct cg_iface_view *v;
	const __u64 *arr;
	struct fam m;
	struct labs l;
	size_t g, i;
	int k;

	for (g = 0; g < sizeof(iface_groups) / sizeof(iface_groups[0]); g++) {
		fam_init(&m, f, "counter", iface_groups[g].help,
			 "csumguard_interface_%s_packets_total", iface_groups[g].group);
		for (i = 0; i < d->n; i++) {
			if (!(v = d->ifaces[i].in))
				continue;
			arr = (const __u64 *)((const char *)&v->tot + iface_groups[g].off);
			for (k = 0; k < iface_groups[g].n; k++) {
				sample(&m);
				l = (struct labs){ f, 0 };
				iface_labs(&l, v);
				lab(&l, iface_groups[g].group, iface_group_value(&iface_groups[g], k));
				lab_close(&l);
				val_u64(f, arr[k]);
			}
		}
	}
}

static void write_ifaces(FILE *f, const struct cg_metrics_doc *d)
{
	const struct cg_iface_view *v;
	struct fam m;
	struct labs l;
	size_t i;
	int c, dir, k;

	fam_init(&m, f, "gauge", "Is csumguard's program on this interface and direction "
		 "(1 yes, 0 no: its counters are kept)", "csumguard_interface_attached");
	for (i = 0; i < d->n; i++)
		for (dir = 0; dir < CG_DIR_MAX; dir++) {
			v = view_of(&d->ifaces[i], (enum cg_dir)dir);
			if (!v || v->attached < 0)
				continue;
			sample(&m);
			l = (struct labs){ f, 0 };
			iface_labs(&l, v);
			lab_close(&l);
			val_u64(f, v->attached > 0);
		}

	/* The counters of both directions, one family per spelling (ingress
	 * counts sources_inserted where egress counts destinations_inserted). */
	for (c = 0; c < CG_IFACE_COUNTER_MAX; c++) {
		const char *name[CG_DIR_MAX] = {
			cg_iface_counter_name((enum cg_iface_counter)c),
			cg_egress_counter_name((enum cg_iface_counter)c),
		};

		for (k = 0; k < CG_DIR_MAX; k++) {
			if (k == CG_DIR_EGRESS && !strcmp(name[0], name[1]))
				break;	/* the same family as ingress */
			fam_init(&m, f, "counter", cg_iface_counter_help((enum cg_iface_counter)c),
				 "csumguard_interface_%s_total", name[k]);
			for (i = 0; i < d->n; i++)
				for (dir = 0; dir < CG_DIR_MAX; dir++) {
					v = view_of(&d->ifaces[i], (enum cg_dir)dir);
					if (!v || strcmp(name[dir], name[k]))
						continue;
					sample(&m);
					l = (struct labs){ f, 0 };
					iface_labs(&l, v);
					lab_close(&l);
					val_u64(f, dir == CG_DIR_INGRESS ? v->tot.c[c] : v->etot.c[c]);
				}
		}
	}

	fam_init(&m, f, "counter", "Tunnel frames this interface received, by verdict",
		 "csumguard_interface_verdict_packets_total");
	for (i = 0; i < d->n; i++) {
		if (!(v = d->ifaces[i].in))
			continue;
		for (c = 0; c < CG_VERDICT_MAX; c++) {
			sample(&m);
			l = (struct labs){ f, 0 };
			iface_labs(&l, v);
			lab(&l, "verdict", cg_verdict_name((enum cg_verdict)c));
			lab_close(&l);
			val_u64(f, v->tot.verdict[c]);
		}
	}
	write_iface_groups(f, d);
	fam_init(&m, f, "counter", "Tunnel wire packets this interface sent, by the state of "
		 "their outer UDP checksum", "csumguard_interface_state_packets_total");
	for (i = 0; i < d->n; i++) {
		if (!(v = d->ifaces[i].eg))
			continue;
		for (c = 0; c < CG_EGRESS_STATE_MAX; c++) {
			sample(&m);
			l = (struct labs){ f, 0 };
			iface_labs(&l, v);
			lab(&l, "state", cg_egress_state_name((enum cg_egress_state)c));
			lab_close(&l);
			val_u64(f, v->etot.state[c]);
		}
	}
	for (k = 0; k < 2; k++) {
		fam_init(&m, f, "counter", k ? "GSO tunnel packets whose inner header offsets "
			 "disagree with their bytes" : "GSO super-packets among the tunnel packets sent",
			 "csumguard_interface_%s_total", k ? "gso_meta_bad" : "gso");
		for (i = 0; i < d->n; i++) {
			if (!(v = d->ifaces[i].eg))
				continue;
			sample(&m);
			l = (struct labs){ f, 0 };
			iface_labs(&l, v);
			lab_close(&l);
			val_u64(f, k ? v->etot.gso_meta_bad : v->etot.gso);
		}
	}
	fam_init(&m, f, "gauge", "Does the egress program read skb facts (1: kernel 6.2+ "
		 "variant, 0: it cannot; absent until a tunnel packet tells)",
		 "csumguard_interface_skb_facts");
	for (i = 0; i < d->n; i++) {
		if (!(v = d->ifaces[i].eg) || (!v->etot.facts && !v->etot.no_facts))
			continue;
		sample(&m);
		l = (struct labs){ f, 0 };
		iface_labs(&l, v);
		lab_close(&l);
		val_u64(f, v->etot.facts > 0);
	}
}

/* Per-address tables and the blocklist: size, used, evicted. */
static void write_tables(FILE *f, const struct cg_metrics_doc *d)
{
	static const char *const what[3] = { "csumguard_table_entries_max",
		"csumguard_table_entries", "csumguard_table_evicted_total" };
	static const char *const help[3] = {
		"Size of a table csumguard keeps (rows)",
		"Rows in a table csumguard keeps now",
		"Rows a table's LRU pushed out (a spoofed-source flood shows here)" };
	const struct cg_iface_view *v;
	struct fam m;
	struct labs l;
	size_t i;
	int k, t;

	for (k = 0; k < 3; k++) {
		fam_init(&m, f, k == 2 ? "counter" : "gauge", help[k], "%s", what[k]);
		for (i = 0; i < d->n; i++) {
			for (t = 0; t < 3; t++) {
				uint64_t val[3];
				const char *name;

				v = t < 2 ? d->ifaces[i].in : d->ifaces[i].eg;
				if (!v)
					continue;
				if (t == 0) {
					name = "sources";
					val[0] = v->sources_max;
					val[1] = v->sources_present;
					val[2] = v->sources_evicted;
				} else if (t == 1) {
					name = "sources_kept";	/* never evicted */
					if (k == 2)
						continue;
					val[0] = CG_SRC_KEPT_MAX;
					val[1] = v->sources_kept;
				} else {
					name = "destinations";
					val[0] = v->dests_max;
					val[1] = v->dests_present;
					val[2] = v->dests_evicted;
				}
				sample(&m);
				l = (struct labs){ f, 0 };
				iface_labs(&l, v);
				lab(&l, "table", name);
				lab_close(&l);
				val_u64(f, val[k]);
			}
		}
		if (d->have_blocklist && k < 2) {	/* shared by every interface */
			sample(&m);
			l = (struct labs){ f, 0 };
			lab(&l, "table", "blocklist");
			lab_close(&l);
			val_u64(f, k == 0 ? CG_BLOCKLIST_MAX : d->nblocks);
		}
	}
}

/* The NIC of each interface (ethtool -i and -k), and its addresses. */
static void write_nics(FILE *f, const struct cg_metrics_doc *d)
{
	const struct cg_metrics_iface *x;
	const struct cg_iface_view *v;
	char lname[64], addr[CG_ADDR_STRLEN];
	struct fam m;
	struct labs l;
	size_t i, a;
	int k;

	fam_init(&m, f, "gauge", "The network device of an interface csumguard watches: driver, "
		 "driver version, firmware version, bus, and its UDP-tunnel and checksum "
		 "offload features (ethtool -i, -k; always 1)", "csumguard_nic_info");
	for (i = 0; i < d->n; i++) {
		x = &d->ifaces[i];
		v = x->in ? x->in : x->eg;
		if (!v || (!x->have_nic && !x->have_features))
			continue;
		sample(&m);
		l = (struct labs){ f, 0 };
		lab(&l, "interface", v->name);
		if (x->have_nic) {
			lab(&l, "driver", x->nic.driver);
			lab(&l, "driver_version", x->nic.version);
			lab(&l, "firmware_version", x->nic.firmware);
			lab(&l, "bus_info", x->nic.bus);
		}
		for (k = 0; x->have_features && k < CG_FEATURE_MAX; k++) {
			const char *fn = cg_feature_name((enum cg_feature)k);
			size_t j;

			if (!fn || x->features.f[k].on < 0)
				continue;
			for (j = 0; fn[j] && j < sizeof(lname) - 1; j++)
				lname[j] = fn[j] == '-' ? '_' : fn[j];
			lname[j] = '\0';
			lab(&l, lname, x->features.f[k].on ? "on" : "off");
		}
		lab_close(&l);
		val_u64(f, 1);
	}

	fam_init(&m, f, "gauge", "An address of an interface csumguard watches: what other "
		 "nodes see as its source (always 1)", "csumguard_interface_address_info");
	for (i = 0; i < d->n; i++) {
		x = &d->ifaces[i];
		v = x->in ? x->in : x->eg;
		for (a = 0; v && a < v->naddrs; a++) {
			cg_addr_str(&v->addrs[a], addr, sizeof(addr));
			sample(&m);
			l = (struct labs){ f, 0 };
			lab(&l, "interface", v->name);
			lab(&l, "address", addr);
			lab_close(&l);
			val_u64(f, 1);
		}
	}
}

/* Escaped labels of one row: interface="IF",source="ADDR"[,node="NAME"]. */
static char *row_labels(const char *ifname, const char *key, const struct cg_addr *a,
			const struct cg_metrics_doc *d)
{
	char addr[CG_ADDR_STRLEN], *buf = NULL;
	const char *name = d->name_of ? d->name_of(a, d->name_ctx) : NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return NULL;
	cg_addr_str(a, addr, sizeof(addr));
	fputs("interface=\"", m);
	cg_metrics_label_value(m, ifname);
	fprintf(m, "\",%s=\"%s\"", key, addr);
	if (name && *name) {
		fputs(",node=\"", m);
		cg_metrics_label_value(m, name);
		fputc('"', m);
	}
	if (fclose(m)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* The rows of one direction of every interface, each with its labels. */
struct rowset {
	const struct cg_iface_view *v;
	const char *base;	/* cg_src_row or cg_dst_row array */
	size_t n, stride, st_off;	/* st_off: offsetof(row, st) */
	const unsigned char *pick;
	char **labels;		/* [n]; NULL where not picked */
};

static size_t group_value_off(const struct cg_field *f)
{
	size_t g = strlen(f->group);

	return !strncmp(f->name, f->group, g) && f->name[g] == '_' && f->name[g + 1] ? g + 1 : 0;
}

/* One family of per-address metrics: field i alone, or the fields of its
 * group (j in [i, n) with that group). */
static void write_field_family(FILE *f, const struct cg_metrics_doc *d, const char *scope,
			       const struct cg_field *fl, size_t nf, size_t i,
			       const struct rowset *rs, size_t nrs)
{
	char help[1024];
	struct fam m;
	struct labs l;
	size_t r, s, j, off;
	uint64_t val;

	if (fl[i].group) {
		int w = snprintf(help, sizeof(help), "Tunnel packets %s this %s, by %s:",
				 !strcmp(scope, "source") ? "from" : "to", scope, fl[i].group);

		for (j = i; j < nf && w > 0 && (size_t)w < sizeof(help); j++)
			if (fl[j].group && !strcmp(fl[j].group, fl[i].group))
				w += snprintf(help + w, sizeof(help) - (size_t)w, "%s %s (%s)",
					      j == i ? "" : ";", fl[j].name + group_value_off(&fl[j]),
					      fl[j].help);
		fam_init(&m, f, "counter", help, "csumguard_%s_%s_packets_total", scope,
			 fl[i].group);
	} else if (cg_field_is_time(&fl[i])) {
		snprintf(help, sizeof(help), "%s (Unix time; absent: never)", fl[i].help);
		fam_init(&m, f, "gauge", help, "csumguard_%s_%s_timestamp_seconds", scope,
			 fl[i].name);
	} else {
		fam_init(&m, f, "counter", fl[i].help, "csumguard_%s_%s_total", scope, fl[i].name);
	}
	for (s = 0; s < nrs; s++) {
		const struct rowset *x = &rs[s];

		if (fl[i].kind == CG_FK_FACT && !facts_ok(x->v))
			continue;
		for (r = 0; r < x->n; r++) {
			const char *st;

			if (!x->labels[r])
				continue;
			st = x->base + r * x->stride + x->st_off;
			for (j = i; j < nf; j++) {
				if (j > i && (!fl[i].group || !fl[j].group ||
					      strcmp(fl[j].group, fl[i].group)))
					continue;
				val = cg_field_get(st, &fl[j]);
				if (cg_field_is_time(&fl[j]) && !val)
					continue;
				sample(&m);
				l = (struct labs){ f, 0 };
				lab_raw(&l, x->labels[r]);
				if (fl[i].group) {
					off = group_value_off(&fl[j]);
					lab(&l, fl[j].group, fl[j].name + off);
				}
				lab_close(&l);
				if (cg_field_is_time(&fl[j])) {
					double age = val < d->now_boot_ns ?
						(double)(d->now_boot_ns - val) / 1e9 : 0;

					val_f(f, d->now_unix - age);
				} else {
					val_u64(f, val);
				}
				if (!fl[i].group)
					break;
			}
		}
	}
}

static int write_scope(FILE *f, const struct cg_metrics_doc *d, enum cg_dir dir)
{
	const char *scope = dir == CG_DIR_INGRESS ? "source" : "destination";
	const struct cg_field *fl;
	struct rowset *rs;
	size_t nf, i, j, r, nrs = 0;
	int e = 0;

	fl = dir == CG_DIR_INGRESS ? cg_src_fields(&nf) : cg_dst_fields(&nf);
	rs = calloc(d->n ? d->n : 1, sizeof(*rs));
	if (!rs)
		return -ENOMEM;
	for (i = 0; i < d->n; i++) {
		const struct cg_metrics_iface *x = &d->ifaces[i];
		struct rowset *s = &rs[nrs];

		s->v = view_of(x, dir);
		if (!s->v)
			continue;
		nrs++;
		if (dir == CG_DIR_INGRESS) {
			s->base = (const char *)s->v->rows;
			s->n = s->v->nrows;
			s->stride = sizeof(struct cg_src_row);
			s->st_off = offsetof(struct cg_src_row, st);
			s->pick = x->src_pick;
		} else {
			s->base = (const char *)s->v->drows;
			s->n = s->v->ndrows;
			s->stride = sizeof(struct cg_dst_row);
			s->st_off = offsetof(struct cg_dst_row, st);
			s->pick = x->dst_pick;
		}
		s->labels = calloc(s->n ? s->n : 1, sizeof(char *));
		if (!s->labels) {
			e = -ENOMEM;
			goto out;
		}
		for (r = 0; r < s->n; r++) {
			if (s->pick && !s->pick[r])
				continue;
			s->labels[r] = row_labels(s->v->name, scope,
						  (const struct cg_addr *)(s->base + r * s->stride), d);
			if (!s->labels[r]) {
				e = -ENOMEM;
				goto out;
			}
		}
	}
	for (i = 0; i < nf; i++) {
		/* a group's family goes out at its first field */
		for (j = 0; fl[i].group && j < i; j++)
			if (fl[j].group && !strcmp(fl[j].group, fl[i].group))
				break;
		if (fl[i].group && j < i)
			continue;
		write_field_family(f, d, scope, fl, nf, i, rs, nrs);
	}
out:
	for (i = 0; i < nrs; i++) {
		for (r = 0; rs[i].labels && r < rs[i].n; r++)
			free(rs[i].labels[r]);
		free(rs[i].labels);
	}
	free(rs);
	return e;
}

static void write_blocklist(FILE *f, const struct cg_metrics_doc *d)
{
	char addr[CG_ADDR_STRLEN], reason[CG_BLOCK_REASON_LEN + 1];
	const char *name;
	struct fam m;
	struct labs l;
	size_t i;

	fam_init(&m, f, "gauge", "A blocked source: when it was blocked (Unix time), its scope "
		 "(tunnel: its tunnel frames are dropped; all: every IP frame) and the reason "
		 "given", "csumguard_blocked_timestamp_seconds");
	for (i = 0; i < d->nblocks; i++) {
		const struct cg_block *b = &d->blocks[i].b;

		cg_addr_str(&d->blocks[i].addr, addr, sizeof(addr));
		/* written by block, or by anyone with bpftool: maybe no NUL */
		memcpy(reason, b->reason, sizeof(b->reason));
		reason[sizeof(b->reason)] = '\0';
		name = d->name_of ? d->name_of(&d->blocks[i].addr, d->name_ctx) : NULL;
		sample(&m);
		l = (struct labs){ f, 0 };
		lab(&l, "source", addr);
		lab(&l, "node", name);
		lab(&l, "scope", cg_block_scope_name(b->flags));
		lab(&l, "reason", reason);
		lab_close(&l);
		val_f(f, (double)b->added_unix);
	}
}

int cg_metrics_write(FILE *f, const struct cg_metrics_doc *d)
{
	int e;

	write_info(f, d);
	write_ifaces(f, d);
	write_tables(f, d);
	write_nics(f, d);
	if ((e = write_scope(f, d, CG_DIR_INGRESS)) || (e = write_scope(f, d, CG_DIR_EGRESS)))
		return e;
	write_blocklist(f, d);
	return ferror(f) ? -EIO : 0;
}
