// SPDX-License-Identifier: GPL-2.0
/* policy.c - see policy.h: the auto-block state machine, pure. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "policy.h"

void cg_policy_cfg_default(struct cg_policy_cfg *c)
{
	c->window_s = CG_POLICY_WINDOW_DEFAULT;
	c->min_bad = CG_POLICY_MIN_BAD_DEFAULT;
	c->min_ratio_ppm = CG_POLICY_RATIO_DEFAULT;
	c->block_s = CG_POLICY_BLOCK_DEFAULT;
	c->max_share_ppm = CG_POLICY_SHARE_DEFAULT;
}

uint32_t cg_policy_cap(const struct cg_policy_cfg *cfg, size_t known)
{
	/* Rounded down: "never more than the share". */
	return (uint32_t)(((unsigned __int128)known * cfg->max_share_ppm) / 1000000u);
}

/* A node's cumulative evidence at one tick. */
struct sample {
	uint64_t t, checked, bad, mismatch;
};

enum node_st {
	ST_WATCH = 0,		/* evaluated every tick */
	ST_BLOCKED,		/* auto-blocked by this policy until `until` */
	ST_PROBATION,		/* unblocked; a trip before `until` re-blocks it longer */
};

struct node_state {
	char name[CG_NODE_NAME_LEN];
	enum node_st st;
	uint64_t until;
	uint32_t strikes;	/* re-blocks on probation since the last clear */
	uint64_t blocked_at;	/* when the last block began */
	int held;		/* HELD was logged and the node still trips */
	int paused;		/* a block not ours holds it (manual, or an earlier run's) */
	int seen;		/* in this tick's input */
	struct sample *s;	/* oldest first; s[0] is the window's base */
	size_t ns, cap;
};

struct cg_policy {
	struct cg_policy_cfg cfg;
	struct node_state *n;
	size_t nn, cap;
};

struct cg_policy *cg_policy_new(const struct cg_policy_cfg *cfg)
{
	struct cg_policy *p = calloc(1, sizeof(*p));

	if (p)
		p->cfg = *cfg;
	return p;
}

void cg_policy_free(struct cg_policy *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nn; i++)
		free(p->n[i].s);
	free(p->n);
	free(p);
}

static struct node_state *find(struct cg_policy *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nn; i++)
		if (!strcmp(p->n[i].name, name))
			return &p->n[i];
	return NULL;
}

static struct node_state *add_node(struct cg_policy *p, const char *name)
{
	struct node_state *ns;

	if (p->nn == p->cap) {
		size_t nc = p->cap ? 2 * p->cap : 16;
		void *q = realloc(p->n, nc * sizeof(*p->n));

		if (!q)
			return NULL;
		p->n = q;
		p->cap = nc;
	}
	ns = &p->n[p->nn++];
	memset(ns, 0, sizeof(*ns));
	snprintf(ns->name, sizeof(ns->name), "%s", name);
	return ns;
}

/* The window starts afresh at sample cur. */
static void restart(struct node_state *ns, const struct sample *cur)
{
	ns->s[0] = *cur;
	ns->ns = 1;
}

/* Appends cur, drops samples older than the window (the oldest kept is the
 * base). A counter that went back restarts the window. 0 or -ENOMEM. */
static int push(struct node_state *ns, const struct sample *cur, uint32_t window_s)
{
	const struct sample *last;
	size_t drop = 0;

	if (ns->ns == ns->cap) {
		size_t nc = ns->cap ? 2 * ns->cap : 8;
		void *q = realloc(ns->s, nc * sizeof(*ns->s));

		if (!q)
			return -ENOMEM;
		ns->s = q;
		ns->cap = nc;
	}
	if (!ns->ns) {
		restart(ns, cur);
		return 0;
	}
	last = &ns->s[ns->ns - 1];
	if (cur->checked < last->checked || cur->bad < last->bad ||
	    cur->mismatch < last->mismatch || cur->t < last->t) {
		restart(ns, cur);
		return 0;
	}
	ns->s[ns->ns++] = *cur;
	while (drop + 1 < ns->ns && ns->s[drop].t + window_s < cur->t)
		drop++;
	if (drop) {
		memmove(ns->s, ns->s + drop, (ns->ns - drop) * sizeof(*ns->s));
		ns->ns -= drop;
	}
	return 0;
}

/* Evidence in the window: the newest sample minus the base. */
struct figures {
	uint64_t bad, checked, mismatch;
	uint32_t span;
};

static struct figures window(const struct node_state *ns)
{
	const struct sample *a = &ns->s[0], *b = &ns->s[ns->ns - 1];
	struct figures f = {
		.bad = b->bad - a->bad,
		.checked = b->checked - a->checked,
		.mismatch = b->mismatch - a->mismatch,
		.span = (uint32_t)(b->t - a->t),
	};

	return f;
}

static int trips(const struct cg_policy_cfg *c, const struct figures *f)
{
	return f->checked && f->bad >= c->min_bad &&
	       (unsigned __int128)f->bad * 1000000u >=
	       (unsigned __int128)f->checked * c->min_ratio_ppm;
}

/* "7.50 %" of num/den. */
static void pct(uint64_t num, uint64_t den, char *buf, size_t len)
{
	snprintf(buf, len, "%.2f %%", den ? 100.0 * (double)num / (double)den : 0.0);
}

static void ppm_pct(uint32_t ppm, char *buf, size_t len)
{
	snprintf(buf, len, "%.2f %%", (double)ppm / 10000.0);
}

static struct cg_policy_decision *emit(struct cg_policy_decision **out, size_t *nout,
				       enum cg_policy_act act, const struct node_state *ns,
				       const struct figures *f)
{
	struct cg_policy_decision *d;
	void *q = realloc(*out, (*nout + 1) * sizeof(**out));

	if (!q)
		return NULL;
	*out = q;
	d = &(*out)[(*nout)++];
	memset(d, 0, sizeof(*d));
	d->act = act;
	snprintf(d->node, sizeof(d->node), "%s", ns->name);
	if (f) {
		d->bad = f->bad;
		d->checked = f->checked;
		d->mismatch = f->mismatch;
		d->span_s = f->span;
	}
	return d;
}

/* The evidence, as every message states it. */
static void evidence_str(const struct figures *f, char *buf, size_t len)
{
	char r[32];

	pct(f->bad, f->checked, r, sizeof(r));
	snprintf(buf, len, "%llu bad of %llu checked (%s) in the last %u s, counting only "
		 "packets with the node's TTL (%llu with another TTL left out)",
		 (unsigned long long)f->bad, (unsigned long long)f->checked, r, f->span,
		 (unsigned long long)f->mismatch);
}

struct cand {
	struct node_state *ns;
	struct figures f;
};

/* Worst first: bad ratio, then bad, then name. */
static int cand_cmp(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;
	unsigned __int128 x = (unsigned __int128)a->f.bad * b->f.checked,
			  y = (unsigned __int128)b->f.bad * a->f.checked;

	if (x != y)
		return x > y ? -1 : 1;
	if (a->f.bad != b->f.bad)
		return a->f.bad > b->f.bad ? -1 : 1;
	return strcmp(a->ns->name, b->ns->name);
}

int cg_policy_step(struct cg_policy *p, uint64_t now_s, const struct cg_policy_in *in,
		   size_t n, struct cg_policy_decision **out, size_t *nout)
{
	const struct cg_policy_cfg *c = &p->cfg;
	struct cand *cand = NULL;
	struct cg_policy_decision *d;
	struct node_state *ns;
	struct figures f;
	char ev[256], rule[64], share[32];
	size_t i, nc = 0, k;
	uint32_t in_use = 0, cap = cg_policy_cap(c, n);
	int ret = 0;

	for (i = 0; i < p->nn; i++)
		p->n[i].seen = 0;
	cand = calloc(n ? n : 1, sizeof(*cand));
	if (!cand)
		return -ENOMEM;
	ppm_pct(c->min_ratio_ppm, share, sizeof(share));
	snprintf(rule, sizeof(rule), ">= %llu bad and >= %s in %u s",
		 (unsigned long long)c->min_bad, share, c->window_s);

	for (i = 0; i < n; i++) {
		struct sample cur = { now_s, in[i].checked, in[i].bad, in[i].mismatch };

		ns = find(p, in[i].name);
		if (!ns && !(ns = add_node(p, in[i].name))) {
			ret = -ENOMEM;
			goto out;
		}
		ns->seen = 1;
		if ((ret = push(ns, &cur, c->window_s)))
			goto out;
		f = window(ns);

		/* An operator's block: not ours to judge or lift. Packets counted
		 * while a block not ours held it are no evidence after it. */
		if (in[i].blocked_manual) {
			ns->st = ST_WATCH;
			ns->strikes = 0;
			ns->held = 0;
			ns->paused = 1;
			restart(ns, &cur);
			continue;
		}
		if (ns->paused && !in[i].blocked_auto) {
			ns->paused = 0;
			restart(ns, &cur);
			f = window(ns);
		}
		if (ns->st == ST_BLOCKED) {
			/* Its entry gone before its time: lifted by hand, or purged
			 * at its expiry a moment before this tick. Either way the
			 * block has ended. */
			int early = !in[i].blocked_auto && now_s < ns->until;

			/* While its entry is there it is blocked: the entry's
			 * own expiry (exact, in ns, from cg_block_put) ends it,
			 * never this whole-second clock, which would lift it up
			 * to a second early (e2e autoblock saw 7.4 s of 8). */
			if (in[i].blocked_auto) {
				in_use++;
				continue;
			}
			/* Unblocked, watched afresh on probation. */
			d = emit(out, nout, CG_PA_UNBLOCK, ns, NULL);
			if (!d) {
				ret = -ENOMEM;
				goto out;
			}
			ns->st = ST_PROBATION;
			ns->until = now_s + c->window_s;
			restart(ns, &cur);
			snprintf(d->msg, sizeof(d->msg), "auto-unblock %s after %llu s%s: on probation "
				 "for %u s (a trip of the rule, %s, blocks it again for %u s)",
				 ns->name, (unsigned long long)(now_s - ns->blocked_at),
				 early ? " (its block was lifted before its time)" : "", c->window_s, rule,
				 c->block_s << (ns->strikes + 1 > CG_POLICY_BACKOFF_MAX ?
						CG_POLICY_BACKOFF_MAX : ns->strikes + 1));
			continue;
		}
		if (in[i].blocked_auto) {
			/* An auto-block from before (another run): it runs out by
			 * its expiry; its evidence starts then. */
			in_use++;
			ns->paused = 1;
			restart(ns, &cur);
			continue;
		}
		if (in[i].ttl_known && trips(c, &f)) {
			cand[nc].ns = ns;
			cand[nc++].f = f;
			continue;
		}
		ns->held = 0;
		if (ns->st == ST_PROBATION && now_s >= ns->until) {
			d = emit(out, nout, CG_PA_CLEARED, ns, &f);
			if (!d) {
				ret = -ENOMEM;
				goto out;
			}
			evidence_str(&f, ev, sizeof(ev));
			snprintf(d->msg, sizeof(d->msg), "%s passed probation: %s; cleared", ns->name,
				 ev);
			ns->st = ST_WATCH;
			ns->strikes = 0;
		}
	}

	/* The worst first, as far as the share cap allows. */
	if (nc > 1)
		qsort(cand, nc, sizeof(*cand), cand_cmp);
	ppm_pct(c->max_share_ppm, share, sizeof(share));
	for (k = 0; k < nc; k++) {
		ns = cand[k].ns;
		f = cand[k].f;
		evidence_str(&f, ev, sizeof(ev));
		if (in_use >= cap) {
			if (ns->held)
				continue;	/* said already; said again once it clears */
			d = emit(out, nout, CG_PA_HELD, ns, &f);
			if (!d) {
				ret = -ENOMEM;
				goto out;
			}
			d->cap = cap;
			ns->held = 1;
			snprintf(d->msg, sizeof(d->msg), "NOT blocking %s: %s trips the rule (%s), "
				 "but the share cap allows %u auto-block%s (%s of %zu known nodes, "
				 "rounded down) and %u %s in force; raise --auto-block-max-share to "
				 "allow more", ns->name, ev, rule, cap, cap == 1 ? "" : "s", share, n,
				 in_use, in_use == 1 ? "is" : "are");
			continue;
		}
		d = emit(out, nout, CG_PA_BLOCK, ns, &f);
		if (!d) {
			ret = -ENOMEM;
			goto out;
		}
		if (ns->st == ST_PROBATION)
			ns->strikes++;
		d->strikes = ns->strikes;
		d->block_s = c->block_s << (ns->strikes > CG_POLICY_BACKOFF_MAX ?
					     CG_POLICY_BACKOFF_MAX : ns->strikes);
		d->cap = cap;
		snprintf(d->msg, sizeof(d->msg), "auto-block %s%s: %s; rule %s; blocked for %u s",
			 ns->name, ns->st == ST_PROBATION ? " again, on probation" : "", ev, rule,
			 d->block_s);
		ns->st = ST_BLOCKED;
		ns->until = now_s + d->block_s;
		ns->blocked_at = now_s;
		ns->held = 0;
		in_use++;
	}
out:
	free(cand);
	/* Nodes no longer known are forgotten. */
	for (i = 0, k = 0; i < p->nn; i++) {
		if (p->n[i].seen || ret) {
			p->n[k++] = p->n[i];
			continue;
		}
		free(p->n[i].s);
	}
	p->nn = k;
	return ret;
}

void cg_policy_block_failed(struct cg_policy *p, const char *node)
{
	struct node_state *ns = find(p, node);

	if (ns && ns->st == ST_BLOCKED) {
		ns->st = ST_WATCH;
		ns->held = 0;
	}
}

int cg_policy_ttl_pick(const uint64_t count[256], uint8_t *ttl, uint8_t *top,
		       uint32_t *top_share_ppm, uint64_t *total)
{
	uint64_t sum = 0, best = 0;
	int t, bt = 0;

	/* TTL 0 is "not known" in struct cg_node: never learned. */
	for (t = 1; t < 256; t++) {
		sum += count[t];
		if (count[t] > best) {
			best = count[t];
			bt = t;
		}
	}
	*top = (uint8_t)bt;
	*total = sum;
	*top_share_ppm = sum ? (uint32_t)((unsigned __int128)best * 1000000u / sum) : 0;
	if (sum < CG_POLICY_LEARN_MIN)
		return 0;
	if (*top_share_ppm >= CG_POLICY_LEARN_SHARE) {
		*ttl = (uint8_t)bt;
		return 1;
	}
	return sum >= (uint64_t)CG_POLICY_LEARN_GIVE_UP * CG_POLICY_LEARN_MIN ? -1 : 0;
}
