// SPDX-License-Identifier: GPL-2.0
/*
 * watch_delta.c - counters over a span: one sample minus an earlier one (the
 * live view's interval, diagnose's "now", stats --since's baseline), field
 * by field from names.c's tables, so a counter added to a value struct is
 * carried without a change here. See watch.h.
 */
#include <stdlib.h>
#include <string.h>
#include "names.h"
#include "watch.h"

/* Did any counter go back? Then the row was made anew in between (evicted
 * and seen again, a purge): all of cur is new. */
static int went_back(const void *cur, const void *prev, const struct cg_field *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!cg_field_is_time(&f[i]) && cg_field_get(cur, &f[i]) < cg_field_get(prev, &f[i]))
			return 1;
	return 0;
}

static void delta(void *out, const void *cur, const void *prev, size_t size,
		  const struct cg_field *f, size_t n)
{
	size_t i;
	__u64 c, p;

	memcpy(out, cur, size);
	if (!prev || went_back(cur, prev, f, n))
		return;
	for (i = 0; i < n; i++) {
		c = cg_field_get(cur, &f[i]);
		p = cg_field_get(prev, &f[i]);
		/* an event time counts only if it happened in the span */
		*(__u64 *)((char *)out + f[i].off) = cg_field_is_time(&f[i]) ? (c != p ? c : 0) :
			c - p;
	}
}

void cg_src_stats_delta(const struct cg_src_stats *cur, const struct cg_src_stats *prev,
			struct cg_src_stats *out)
{
	const struct cg_field *f;
	size_t n;

	f = cg_src_fields(&n);
	delta(out, cur, prev, sizeof(*out), f, n);
}

void cg_dst_stats_delta(const struct cg_dst_stats *cur, const struct cg_dst_stats *prev,
			struct cg_dst_stats *out)
{
	const struct cg_field *f;
	size_t n;

	f = cg_dst_fields(&n);
	delta(out, cur, prev, sizeof(*out), f, n);
}

/* Totals are never re-created while the pins live; a purge starts them at
 * 0, which "went back" catches as for rows. */
void cg_iface_stats_delta(const struct cg_iface_stats *cur, const struct cg_iface_stats *prev,
			  struct cg_iface_stats *out)
{
	size_t i, n = sizeof(*cur) / sizeof(__u64);
	const __u64 *c = (const __u64 *)cur, *p = (const __u64 *)prev;
	__u64 *o = (__u64 *)out;

	*out = *cur;
	if (!prev)
		return;
	for (i = 0; i < n; i++)
		if (c[i] < p[i])
			return;
	for (i = 0; i < n; i++)
		o[i] = c[i] - p[i];
}

void cg_egress_stats_delta(const struct cg_egress_stats *cur, const struct cg_egress_stats *prev,
			   struct cg_egress_stats *out)
{
	size_t i, n = sizeof(*cur) / sizeof(__u64);
	const __u64 *c = (const __u64 *)cur, *p = (const __u64 *)prev;
	__u64 *o = (__u64 *)out;

	*out = *cur;
	if (!prev)
		return;
	for (i = 0; i < n; i++)
		if (c[i] < p[i])
			return;
	for (i = 0; i < n; i++)
		o[i] = c[i] - p[i];
}

static int addr_cmp(const void *a, const void *b)
{
	const struct cg_addr *x = a, *y = b;
	int c = memcmp(x->a, y->a, sizeof(x->a));

	return c ? c : (int)x->family - (int)y->family;
}

/* Rows begin with their struct cg_addr, so one comparison serves both. */
void cg_src_rows_sort_addr(struct cg_src_row *rows, size_t n)
{
	if (n > 1)
		qsort(rows, n, sizeof(*rows), addr_cmp);
}

void cg_dst_rows_sort_addr(struct cg_dst_row *rows, size_t n)
{
	if (n > 1)
		qsort(rows, n, sizeof(*rows), addr_cmp);
}

const struct cg_src_row *cg_src_rows_find(const struct cg_src_row *sorted, size_t n,
					  const struct cg_addr *a)
{
	return n ? bsearch(a, sorted, n, sizeof(*sorted), addr_cmp) : NULL;
}

const struct cg_dst_row *cg_dst_rows_find(const struct cg_dst_row *sorted, size_t n,
					  const struct cg_addr *a)
{
	return n ? bsearch(a, sorted, n, sizeof(*sorted), addr_cmp) : NULL;
}
