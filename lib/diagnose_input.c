// SPDX-License-Identifier: GPL-2.0
/*
 * diagnose_input.c - the one adapter from the read path (snapshot.h) to the
 * rules' input (struct cg_diag_input, diagnose.h). Counters are read by
 * their names.c names, so the ones a datapath does not count yet (the bad
 * classes, first_bad, bad_ip_header) are simply absent here until a row of
 * that name exists, and then used with no change.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "diagnose.h"
#include "maps.h"
#include "names.h"
#include "nodes.h"
#include "pins.h"
#include "snapshot.h"
#include "watch.h"

/* ------------------------------------------------------ the kernel's */

/* "Udp:" header line then its values line: the value under InCsumErrors. */
static int snmp4(const char *path, uint64_t *out)
{
	char head[1024], vals[1024], *hs, *vs, *h, *v;
	FILE *f = fopen(path, "re");
	int found = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(head, sizeof(head), f)) {
		if (strncmp(head, "Udp: ", 5) || !fgets(vals, sizeof(vals), f))
			continue;
		h = strtok_r(head, " \n", &hs);
		v = strtok_r(vals, " \n", &vs);
		while ((h = strtok_r(NULL, " \n", &hs)) && (v = strtok_r(NULL, " \n", &vs)))
			if (!strcmp(h, "InCsumErrors")) {
				*out = strtoull(v, NULL, 10);
				found = 0;
			}
		break;
	}
	fclose(f);
	return found;
}

static int snmp6(const char *path, uint64_t *out)
{
	char line[256], key[128];
	unsigned long long v;
	FILE *f = fopen(path, "re");
	int found = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%127s %llu", key, &v) == 2 && !strcmp(key, "Udp6InCsumErrors")) {
			*out = v;
			found = 0;
			break;
		}
	fclose(f);
	return found;
}

int cg_snmp_read(struct cg_snmp *k)
{
	int e;

	memset(k, 0, sizeof(*k));
	if ((e = snmp4("/proc/net/snmp", &k->udp_in_csum_errors)))
		return e;
	/* No IPv6 in this kernel: no IPv6 checksum errors either. */
	e = snmp6("/proc/net/snmp6", &k->udp6_in_csum_errors);
	return e == -ENOENT ? 0 : e;
}

int64_t cg_diag_counters_since(const char *pin_dir, const char *ifname)
{
	char path[PATH_MAX];
	struct stat st;

	/* bpffs stamps a pin when it is made; a later attach reuses it. */
	cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_INGRESS, CG_PIN_IFACE);
	if (stat(path, &st)) {
		cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_EGRESS, CG_PIN_EGRESS);
		if (stat(path, &st))
			return 0;
	}
	return (int64_t)st.st_mtime;
}

/* ------------------------------------------------------------ counters */

/* The per-source fields the rules read, found by name once. */
struct src_fields {
	const struct cg_field *packets, *ok, *bad, *unfinished, *zero, *fragment, *malformed;
	const struct cg_field *dropped, *last_bad;
	const struct cg_field *bad_ip_header, *outer_only, *payload, *unclassified, *first_bad;
};

static const struct cg_field *field(const char *name)
{
	const struct cg_field *f;
	size_t n, i;

	f = cg_src_fields(&n);
	for (i = 0; i < n; i++)
		if (!strcmp(f[i].name, name))
			return &f[i];
	return NULL;
}

static void find_fields(struct src_fields *sf)
{
	sf->packets = field("packets");
	sf->ok = field("ok");
	sf->bad = field("bad");
	sf->unfinished = field("unfinished");
	sf->zero = field("zero");
	sf->fragment = field("fragment");
	sf->malformed = field("malformed");
	sf->dropped = field("dropped");
	sf->last_bad = field("last_bad");
	sf->bad_ip_header = field("bad_ip_header");
	sf->outer_only = field("bad_outer_only");
	sf->payload = field("bad_payload");
	sf->unclassified = field("bad_unclassified");
	sf->first_bad = field("first_bad");
}

static uint64_t get(const struct cg_src_stats *st, const struct cg_field *f)
{
	return f ? cg_field_get(st, f) : 0;
}

static void count_add(struct cg_diag_count *c, const struct cg_src_stats *st,
		      const struct src_fields *sf)
{
	c->packets += get(st, sf->packets);
	c->ok += get(st, sf->ok);
	c->bad += get(st, sf->bad);
	c->unfinished += get(st, sf->unfinished);
	c->zero += get(st, sf->zero);
	c->fragment += get(st, sf->fragment);
	c->malformed += get(st, sf->malformed);
	c->dropped += get(st, sf->dropped);
	c->bad_ip_header += get(st, sf->bad_ip_header);
	c->bad_outer_only += get(st, sf->outer_only);
	c->bad_payload += get(st, sf->payload);
	c->bad_unclassified += get(st, sf->unclassified);
}

/* A CLOCK_BOOTTIME stamp as Unix seconds; 0 stays 0. */
static int64_t boot_to_unix(uint64_t t_ns, const struct cg_diag_env *env)
{
	if (!t_ns)
		return 0;
	if (t_ns >= env->now_ns)
		return env->now_unix;
	return env->now_unix - (int64_t)((env->now_ns - t_ns + 500000000ull) / 1000000000ull);
}

static int blocked(const struct cg_diag_env *env, const struct cg_addr *a)
{
	size_t i;

	for (i = 0; i < env->nblocked; i++)
		if (!memcmp(&env->blocked[i].addr, a, sizeof(*a)))
			return 1;
	return 0;
}

/* Worst first: most bad, then the higher bad share, then most checked. */
static int worse(const void *pa, const void *pb)
{
	const struct cg_diag_src *a = pa, *b = pb;
	uint64_t ca = cg_diag_checked(&a->total), cb = cg_diag_checked(&b->total);
	unsigned __int128 la = (unsigned __int128)a->total.bad * cb;
	unsigned __int128 lb = (unsigned __int128)b->total.bad * ca;

	if (a->total.bad != b->total.bad)
		return a->total.bad > b->total.bad ? -1 : 1;
	if (la != lb)
		return la > lb ? -1 : 1;
	if (ca != cb)
		return ca > cb ? -1 : 1;
	return memcmp(&a->addrs[0], &b->addrs[0], sizeof(a->addrs[0]));
}

static enum cg_diag_attached attached_of(const struct cg_where *w, struct cg_diag_input *in)
{
	switch (w->state) {
	case CG_WHERE_HERE:
		return CG_DIAG_ATT_HERE;
	case CG_WHERE_ELSEWHERE:
		snprintf(in->where, sizeof(in->where), "%s", w->where);
		if (cg_where_netns_named(w))
			snprintf(in->netns, sizeof(in->netns), "%s", w->netns);
		return CG_DIAG_ATT_ELSEWHERE;
	case CG_WHERE_NONE:
		return CG_DIAG_ATT_NONE;
	case CG_WHERE_UNKNOWN:
		break;
	}
	return CG_DIAG_ATT_UNKNOWN;
}

static void fill_egress(struct cg_diag_input *in, const struct cg_iface_snap *s,
			const struct cg_diag_env *env)
{
	const struct cg_egress_stats *t = &s->ev.etot;
	struct cg_egress_stats d;
	uint64_t last = 0;
	size_t i;

	in->have_egress = 1;
	in->e_packets = t->state[CG_E_FINAL_OK] + t->state[CG_E_FINAL_BAD] +
		t->state[CG_E_OFFLOADED] + t->state[CG_E_ZERO] + t->state[CG_E_FRAGMENT] +
		t->state[CG_E_MALFORMED];
	in->e_final_ok = t->state[CG_E_FINAL_OK];
	in->e_final_bad = t->state[CG_E_FINAL_BAD];
	in->e_offloaded = t->state[CG_E_OFFLOADED];
	if (env->before && env->before->has_egress) {
		cg_egress_stats_delta(t, &env->before->ev.etot, &d);
		in->e_now_final_bad = d.state[CG_E_FINAL_BAD];
	}
	for (i = 0; i < s->ev.ndrows; i++) {
		const struct cg_dst_stats *st = &s->ev.drows[i].st;

		if (st->state[CG_E_FINAL_BAD] > in->e_worst_bad) {
			in->e_worst_bad = st->state[CG_E_FINAL_BAD];
			in->e_worst = s->ev.drows[i].addr;
		}
		if (st->last_bad_ns > last)
			last = st->last_bad_ns;
	}
	in->e_last_bad_unix = boot_to_unix(last, env);
}

int cg_diag_input_fill(struct cg_diag_input *in, const struct cg_iface_snap *s,
		       const struct cg_diag_env *env)
{
	struct cg_src_row *prev = NULL;
	struct src_fields sf;
	size_t i, nprev = 0;

	memset(in, 0, sizeof(*in));
	find_fields(&sf);
	snprintf(in->iface, sizeof(in->iface), "%s", s->name);
	in->now_unix = env->now_unix;
	in->since_unix = env->since_unix;
	in->have_classes = sf.outer_only && sf.payload && sf.unclassified;
	in->have_first_bad = sf.first_bad != NULL;
	in->attached = attached_of(s->has_ingress ? &s->w : &s->ew, in);
	in->drop_mode = s->v.have_config && s->v.config.mode == CG_MODE_DROP;
	in->egress_only = !s->has_ingress;
	in->evicted = s->v.sources_evicted;
	in->interval_s = env->before ? env->interval_s : 0;
	if (s->has_egress)
		fill_egress(in, s, env);
	/* The kernel's counters are of this namespace: only worth anything
	 * when csumguard counts here. */
	if (env->have_kernel && in->attached == CG_DIAG_ATT_HERE) {
		in->have_kernel = 1;
		in->k4_total = env->k_now.udp_in_csum_errors;
		in->k6_total = env->k_now.udp6_in_csum_errors;
		if (env->before) {
			in->k4_now = env->k_now.udp_in_csum_errors - env->k_before.udp_in_csum_errors;
			in->k6_now = env->k_now.udp6_in_csum_errors -
				env->k_before.udp6_in_csum_errors;
		}
	}
	if (!s->has_ingress || !s->v.nrows)
		return 0;

	if (env->before && env->before->has_ingress && env->before->v.nrows) {
		nprev = env->before->v.nrows;
		prev = malloc(nprev * sizeof(*prev));
		if (!prev)
			return -ENOMEM;
		memcpy(prev, env->before->v.rows, nprev * sizeof(*prev));
		cg_src_rows_sort_addr(prev, nprev);
	}
	in->src = calloc(s->v.nrows, sizeof(*in->src));
	if (!in->src) {
		free(prev);
		return -ENOMEM;
	}
	/* One source per known node (its addresses together), else per address. */
	for (i = 0; i < s->v.nrows; i++) {
		const struct cg_src_row *r = &s->v.rows[i];
		const struct cg_src_row *p = cg_src_rows_find(prev, nprev, &r->addr);
		const char *name = cg_nodes_name(env->nodes, &r->addr);
		struct cg_diag_src *d = NULL;
		struct cg_src_stats now;
		int64_t t;
		size_t k;

		for (k = 0; name && k < in->nsrc; k++)
			if (!strcmp(in->src[k].name, name) &&
			    in->src[k].naddrs < CG_DIAG_ADDRS_MAX)
				d = &in->src[k];
		if (!d) {
			d = &in->src[in->nsrc++];
			if (name)
				snprintf(d->name, sizeof(d->name), "%s", name);
		}
		d->addrs[d->naddrs++] = r->addr;
		d->nblocked += blocked(env, &r->addr);
		count_add(&d->total, &r->st, &sf);
		if (env->before) {
			cg_src_stats_delta(&r->st, p ? &p->st : NULL, &now);
			count_add(&d->now, &now, &sf);
		}
		t = boot_to_unix(get(&r->st, sf.last_bad), env);
		if (t > d->last_bad_unix)
			d->last_bad_unix = t;
		t = boot_to_unix(get(&r->st, sf.first_bad), env);
		if (t && (!d->first_bad_unix || t < d->first_bad_unix))
			d->first_bad_unix = t;
	}
	free(prev);
	qsort(in->src, in->nsrc, sizeof(*in->src), worse);
	return 0;
}

void cg_diag_input_free(struct cg_diag_input *in)
{
	free(in->src);
	in->src = NULL;
	in->nsrc = 0;
}
