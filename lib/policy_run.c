// SPDX-License-Identifier: GPL-2.0
/* policy_run.c - see policy_run.h: the policy against the pinned state. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "blocklist.h"
#include "err.h"
#include "nodes.h"
#include "policy_run.h"

struct cg_autoblock {
	struct cg_autoblock_opts o;
	struct cg_policy *p;
	struct cg_autoblock_totals t;
};

struct cg_autoblock *cg_autoblock_new(const struct cg_autoblock_opts *o)
{
	struct cg_autoblock *ab = calloc(1, sizeof(*ab));

	if (!ab)
		return NULL;
	ab->o = *o;
	ab->p = cg_policy_new(&o->cfg);
	if (!ab->p) {
		free(ab);
		return NULL;
	}
	return ab;
}

void cg_autoblock_free(struct cg_autoblock *ab)
{
	if (!ab)
		return;
	cg_policy_free(ab->p);
	free(ab);
}

void cg_autoblock_totals(const struct cg_autoblock *ab, struct cg_autoblock_totals *t)
{
	*t = ab->t;
}

static void say(const struct cg_autoblock *ab, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void say(const struct cg_autoblock *ab, const char *fmt, ...)
{
	char line[1200];
	va_list ap;

	if (!ab->o.log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	ab->o.log(ab->o.log_ctx, line);
}

/* "10.99.0.3, fd99::3": the addresses of node in nodes. */
static void node_addrs(const struct cg_nodes *nodes, const char *node, char *buf, size_t len)
{
	const struct cg_node_entry *e;
	char a[CG_ADDR_STRLEN];
	size_t n, i, off = 0;

	buf[0] = '\0';
	e = cg_nodes_entries(nodes, &n);
	for (i = 0; i < n && off < len; i++) {
		if (strcmp(e[i].node.name, node))
			continue;
		cg_addr_str(&e[i].addr, a, sizeof(a));
		off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? ", " : "", a);
	}
}

/* ---------------------------------------------------------------- expiry */

static int purge(struct cg_autoblock *ab, const struct cg_nodes *nodes, char *err,
		 size_t errlen)
{
	struct cg_block_row *gone;
	char a[CG_ADDR_STRLEN];
	const char *name;
	size_t n, i;
	int e;

	e = cg_blocklist_purge_expired(ab->o.pin_dir, &gone, &n, err, errlen);
	if (e)
		return e;
	for (i = 0; i < n; i++) {
		cg_addr_str(&gone[i].addr, a, sizeof(a));
		name = cg_nodes_name(nodes, &gone[i].addr);
		say(ab, "%s block of %s%s%s%s expired after %llu s: removed",
		    gone[i].b.flags & CG_BLOCK_AUTO ? "auto" : "manual", a, name ? " (node " : "",
		    name ? name : "", name ? ")" : "",
		    (unsigned long long)(gone[i].b.expires_unix - gone[i].b.added_unix));
	}
	ab->t.expired += n;
	free(gone);
	return 0;
}

/* -------------------------------------------------------------- learning */

/* Learns what can be learned; *changed: a TTL was written. */
static int learn(struct cg_autoblock *ab, const struct cg_nodes *nodes, int *changed,
		 char *err, size_t errlen)
{
	struct cg_ttl_seen *rows;
	uint64_t count[256], total;
	const struct cg_node *node;
	char a[CG_ADDR_STRLEN], why[CG_ERRLEN];
	uint32_t share;
	uint8_t ttl, top;
	size_t n, i, j;
	int e, r, ret = 0;

	*changed = 0;
	if ((e = cg_nodes_ttl_seen(ab->o.pin_dir, &rows, &n, err, errlen)))
		return e;
	for (i = 0; i < n; i++) {
		if (!rows[i].count)
			continue;	/* an address already handled in this pass */
		memset(count, 0, sizeof(count));
		for (j = i; j < n; j++)
			if (!memcmp(&rows[j].addr, &rows[i].addr, sizeof(rows[i].addr))) {
				count[rows[j].ttl] += rows[j].count;
				if (j > i)
					rows[j].count = 0;
			}
		cg_addr_str(&rows[i].addr, a, sizeof(a));
		node = cg_nodes_find(nodes, &rows[i].addr);
		if (!node || node->ttl || (node->flags & CG_NODE_TTL_SET)) {
			/* not a node any more, or its TTL is known: nothing to learn */
			cg_nodes_ttl_forget(ab->o.pin_dir, &rows[i].addr, why, sizeof(why));
			continue;
		}
		r = cg_policy_ttl_pick(count, &ttl, &top, &share, &total);
		if (r == 0)
			continue;
		if (r > 0) {
			e = cg_nodes_set_ttl(ab->o.pin_dir, &rows[i].addr, ttl, why, sizeof(why));
			if (e) {
				say(ab, "cannot store the learned TTL %u of node %s (%s): %s", ttl,
				    node->name, a, why);
				if (!ret)
					ret = cg_errf(err, errlen, e, "%s", why);
				continue;
			}
			*changed = 1;
			ab->t.learned++;
			say(ab, "learned TTL %u of node %s (%s) from %llu ok frames (%.2f %% with "
			    "it); its packets are evidence from now on, packets with another "
			    "TTL are counted as ttl_mismatch", ttl, node->name, a,
			    (unsigned long long)total, share / 10000.0);
		} else {
			say(ab, "TTL of node %s (%s) not learned: of %llu ok frames only %.2f %% "
			    "had TTL %u (a spoofer at another hop count, or paths of different "
			    "lengths); counting again. Set it if you know it: csumguard nodes "
			    "add %s %s --ttl N", node->name, a, (unsigned long long)total,
			    share / 10000.0, top, a, node->name);
		}
		cg_nodes_ttl_forget(ab->o.pin_dir, &rows[i].addr, why, sizeof(why));
	}
	free(rows);
	return ret;
}

/* ------------------------------------------------------------- evidence */

/* The known nodes as policy inputs: one per name, its addresses' evidence
 * added up over every interface of s. */
static int inputs(const struct cg_nodes *nodes, const struct cg_snapshot *s,
		  const struct cg_blocklist *bl, struct cg_policy_in **out, size_t *nout)
{
	const struct cg_node_entry *e;
	struct cg_policy_in *in;
	const struct cg_node *node;
	size_t n, i, k, r, nn = 0;

	e = cg_nodes_entries(nodes, &n);
	in = calloc(n ? n : 1, sizeof(*in));
	if (!in)
		return -ENOMEM;
	/* entries are sorted by name: one input per run of a name */
	for (i = 0; i < n; i++) {
		if (!i || strcmp(e[i].node.name, e[i - 1].node.name))
			in[nn++].name = e[i].node.name;
		if (e[i].node.ttl)
			in[nn - 1].ttl_known = 1;
		for (k = 0; k < bl->n; k++) {
			if (memcmp(&bl->rows[k].addr, &e[i].addr, sizeof(e[i].addr)))
				continue;
			if (bl->rows[k].b.flags & CG_BLOCK_AUTO)
				in[nn - 1].blocked_auto = 1;
			else
				in[nn - 1].blocked_manual = 1;
		}
	}
	for (i = 0; s && i < s->n; i++) {
		const struct cg_iface_snap *is = &s->ifaces[i];

		if (!is->has_ingress)
			continue;
		for (r = 0; r < is->v.nrows; r++) {
			const struct cg_src_row *row = &is->v.rows[r];
			size_t lo = 0, hi = nn;

			node = cg_nodes_find(nodes, &row->addr);
			if (!node)
				continue;
			/* in[] is sorted by name too */
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				int c = strcmp(in[mid].name, node->name);

				if (!c) {
					lo = mid;
					break;
				}
				if (c < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo >= nn || strcmp(in[lo].name, node->name))
				continue;
			in[lo].checked += row->st.evidence_checked;
			in[lo].bad += row->st.evidence_bad;
			in[lo].mismatch += row->st.ttl_mismatch;
		}
	}
	*out = in;
	*nout = nn;
	return 0;
}

/* ---------------------------------------------------------------- apply */

static int apply_block(struct cg_autoblock *ab, const struct cg_nodes *nodes,
		       const struct cg_policy_decision *d, char *err, size_t errlen)
{
	const struct cg_node_entry *e;
	struct cg_block_result r;
	char why[CG_ERRLEN], a[CG_ADDR_STRLEN];
	struct cg_block b = {};
	size_t n, i, k;
	int ret;

	b.flags = CG_BLOCK_AUTO;
	snprintf(b.reason, sizeof(b.reason), "auto-block %.36s", d->node);
	b.bad = d->bad;
	b.checked = d->checked;
	b.window_s = d->span_s;
	b.strikes = d->strikes;
	e = cg_nodes_entries(nodes, &n);
	for (i = 0; i < n; i++) {
		if (strcmp(e[i].node.name, d->node))
			continue;
		ret = cg_block_put(ab->o.pin_dir, &e[i].addr, &b, d->block_s, &r, why,
				   sizeof(why));
		if (!ret)
			continue;
		cg_addr_str(&e[i].addr, a, sizeof(a));
		say(ab, "cannot auto-block node %s (%s): %s; it stays unblocked, tried again "
		    "next tick", d->node, a, why);
		/* all of the node's addresses or none */
		for (k = 0; k < i; k++)
			if (!strcmp(e[k].node.name, d->node))
				cg_block_remove(ab->o.pin_dir, &e[k].addr, why, sizeof(why));
		cg_policy_block_failed(ab->p, d->node);
		ab->t.failed++;
		return cg_errf(err, errlen, ret, "cannot auto-block %s: %s", d->node, why);
	}
	ab->t.blocks++;
	return 0;
}

static int apply_unblock(struct cg_autoblock *ab, const struct cg_nodes *nodes,
			 const struct cg_blocklist *bl, const struct cg_policy_decision *d,
			 char *err, size_t errlen)
{
	const struct cg_node_entry *e;
	char why[CG_ERRLEN];
	size_t n, i, k;
	int ret = 0, x;

	e = cg_nodes_entries(nodes, &n);
	for (i = 0; i < n; i++) {
		if (strcmp(e[i].node.name, d->node))
			continue;
		/* only our own entries: an operator's block that replaced one stays */
		for (k = 0; k < bl->n; k++)
			if (!memcmp(&bl->rows[k].addr, &e[i].addr, sizeof(e[i].addr)))
				break;
		if (k == bl->n || !(bl->rows[k].b.flags & CG_BLOCK_AUTO))
			continue;
		x = cg_block_remove(ab->o.pin_dir, &e[i].addr, why, sizeof(why));
		if (x && x != -ENOENT && !ret) {
			ab->t.failed++;
			ret = cg_errf(err, errlen, x, "cannot lift the auto-block of %s: %s",
				      d->node, why);
			say(ab, "%s", err);
		}
	}
	ab->t.unblocks++;
	return ret;
}

int cg_autoblock_tick(struct cg_autoblock *ab, const struct cg_snapshot *s, uint64_t mono_s,
		      char *err, size_t errlen)
{
	struct cg_policy_decision *d = NULL;
	struct cg_policy_in *in = NULL;
	struct cg_nodes *nodes = NULL;
	struct cg_blocklist bl = {};
	char why[CG_ERRLEN], addrs[512];
	size_t nin = 0, nd = 0, i;
	int ret = 0, e, changed = 0;

	if ((e = cg_nodes_open(ab->o.pin_dir, &nodes, err, errlen)))
		return e;
	if ((e = purge(ab, nodes, why, sizeof(why))))
		ret = cg_errf(err, errlen, e, "%s", why);
	if (ab->o.learn && (e = learn(ab, nodes, &changed, why, sizeof(why))) && !ret)
		ret = cg_errf(err, errlen, e, "%s", why);
	if (changed) {
		cg_nodes_close(nodes);
		nodes = NULL;
		if ((e = cg_nodes_open(ab->o.pin_dir, &nodes, err, errlen)))
			return e;
	}
	if ((e = cg_blocklist_get(ab->o.pin_dir, &bl, why, sizeof(why)))) {
		cg_nodes_close(nodes);
		return cg_errf(err, errlen, e, "%s", why);
	}
	if ((e = inputs(nodes, s, &bl, &in, &nin)) ||
	    (e = cg_policy_step(ab->p, mono_s, in, nin, &d, &nd))) {
		ret = cg_errf(err, errlen, e, "out of memory evaluating the auto-block policy");
		goto out;
	}
	for (i = 0; i < nd; i++) {
		node_addrs(nodes, d[i].node, addrs, sizeof(addrs));
		switch (d[i].act) {
		case CG_PA_BLOCK:
			e = apply_block(ab, nodes, &d[i], why, sizeof(why));
			if (!e)
				say(ab, "%s [%s]", d[i].msg, addrs);
			break;
		case CG_PA_UNBLOCK:
			e = apply_unblock(ab, nodes, &bl, &d[i], why, sizeof(why));
			say(ab, "%s [%s]", d[i].msg, addrs);
			break;
		case CG_PA_CLEARED:
			ab->t.cleared++;
			e = 0;
			say(ab, "%s [%s]", d[i].msg, addrs);
			break;
		case CG_PA_HELD:
			ab->t.held++;
			e = 0;
			say(ab, "%s [%s]", d[i].msg, addrs);
			break;
		default:
			e = 0;
		}
		if (e && !ret)
			ret = cg_errf(err, errlen, e, "%s", why);
	}
out:
	free(d);
	free(in);
	cg_blocklist_free(&bl);
	cg_nodes_close(nodes);
	return ret;
}
