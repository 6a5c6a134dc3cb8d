// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_ledger.c - what `csumguard ledger` does with two files (lib/ledger.c
 * over lib/json_reader.c): each read as a `stats --json` snapshot, the pair
 * computed, and rendered as the table and as JSON. The input is the two
 * documents separated by a NUL byte (none: the same text twice).
 *
 * Promises checked: a refused snapshot or pair gives one "<cause>; <fix>"
 * line with no control character (a snapshot's text must not reach the
 * terminal raw); sent and arrived are the sums of the matching rows (at
 * most 2^64-1, never wrapped), the difference and the time between the
 * snapshots are exact within +-(2^63-1) (worked out here in 128 bits); the
 * numbers the ledger derives hold together (lost and bad_after_a bounds,
 * the order from the times) and render as valid JSON the reader reads back.
 */
#include <errno.h>
#include "fuzz.h"
#include "err.h"
#include "json_reader.h"
#include "ledger.h"

static void render(const struct cg_ledger *l, const struct cg_node_snap *a,
		   const struct cg_node_snap *b)
{
	char *buf = NULL, err[256];
	struct cg_jval *v = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	cg_render_ledger_table(f, l, a, b);
	fclose(f);
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	if (!f)
		abort();
	FZ_CHECK(!cg_render_ledger_json(f, l, a, b), "JSON rendering failed");
	fclose(f);
	FZ_CHECK(!cg_json_parse(buf, &v, err, sizeof(err)), "rendered JSON unreadable: %s", err);
	cg_jval_free(v);
	free(buf);
}

static int has_addr(const struct cg_node_snap *n, const struct cg_addr *a)
{
	size_t i;

	for (i = 0; i < n->naddrs; i++)
		if (!memcmp(&n->addrs[i], a, sizeof(*a)))
			return 1;
	return 0;
}

static int64_t clamp(__int128 v)
{
	return v > INT64_MAX ? INT64_MAX : v < -INT64_MAX ? -INT64_MAX : (int64_t)v;
}

/* The sums and differences, in 128 bits. */
static void check_sums(const struct cg_ledger *l, const struct cg_node_snap *a,
		       const struct cg_node_snap *b)
{
	unsigned __int128 sent = 0, arrived = 0;
	size_t i;

	for (i = 0; i < a->ndsts; i++)
		if (has_addr(b, &a->dsts[i].addr))
			sent += a->dsts[i].st.packets;
	for (i = 0; i < b->nsrcs; i++)
		if (has_addr(a, &b->srcs[i].addr))
			arrived += b->srcs[i].st.packets;
	if (sent > UINT64_MAX)
		sent = UINT64_MAX;
	if (arrived > UINT64_MAX)
		arrived = UINT64_MAX;
	FZ_CHECK(l->sent == (uint64_t)sent && l->arrived == (uint64_t)arrived,
		 "sent %llu arrived %llu, the rows add up to %llu and %llu",
		 (unsigned long long)l->sent, (unsigned long long)l->arrived,
		 (unsigned long long)sent, (unsigned long long)arrived);
	FZ_CHECK(l->difference == clamp((__int128)sent - (__int128)arrived), "difference %lld",
		 (long long)l->difference);
	FZ_CHECK(l->dt == clamp((__int128)b->time_unix - a->time_unix), "dt %lld from %lld and %lld",
		 (long long)l->dt, (long long)a->time_unix, (long long)b->time_unix);
}

static void check_ledger(const struct cg_ledger *l)
{
	FZ_CHECK((l->order == CG_LEDGER_A_FIRST) == (l->dt > 0) &&
		 (l->order == CG_LEDGER_B_FIRST) == (l->dt < 0), "order %d with dt %lld", l->order,
		 (long long)l->dt);
	FZ_CHECK(l->bad_after_a <= l->verdict[CG_V_BAD], "bad_after_a %llu > bad %llu",
		 (unsigned long long)l->bad_after_a, (unsigned long long)l->verdict[CG_V_BAD]);
	FZ_CHECK(!l->lost_at_least_known || l->lost_at_least <= l->sent,
		 "lost at least %llu of %llu sent", (unsigned long long)l->lost_at_least,
		 (unsigned long long)l->sent);
	FZ_CHECK(!l->lost_at_most_known || l->lost_at_most <= l->sent,
		 "lost at most %llu of %llu sent", (unsigned long long)l->lost_at_most,
		 (unsigned long long)l->sent);
	FZ_CHECK(!l->inconsistent || l->arrived > l->sent, "inconsistent with %llu arrived of "
		 "%llu sent", (unsigned long long)l->arrived, (unsigned long long)l->sent);
	FZ_CHECK(!l->rate_known || l->corruption_rate >= 0, "negative rate");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t alen = nul ? (size_t)(nul - data) : size;
	char *ta = fz_cstr(data, alen);
	char *tb = nul ? fz_cstr(nul + 1, size - alen - 1) : fz_cstr(data, size);
	struct cg_node_snap a, b;
	struct cg_ledger l;
	char err[CG_ERRLEN];
	int ea, eb, e;

	ea = cg_node_snap_from_json(ta, &a, err, sizeof(err));
	if (ea)
		fz_check_message(err);
	eb = cg_node_snap_from_json(tb, &b, err, sizeof(err));
	if (eb)
		fz_check_message(err);
	if (!ea && !eb) {
		e = cg_ledger_compute(&a, &b, size % 20, &l, err, sizeof(err));
		if (e) {
			fz_check_message(err);
		} else {
			check_sums(&l, &a, &b);
			check_ledger(&l);
			render(&l, &a, &b);
		}
	}
	if (!ea)
		cg_node_snap_free(&a);
	if (!eb)
		cg_node_snap_free(&b);
	free(ta);
	free(tb);
	return 0;
}
