/* SPDX-License-Identifier: GPL-2.0 */
/*
 * names.h - the one place counter, verdict, encapsulation and mode names
 * are spelled for people and machines (tables, JSON keys, metric labels).
 */
#ifndef CG_NAMES_H
#define CG_NAMES_H

#include <stddef.h>
#include "csumguard.h"

/* "ok", "bad", "unfinished", "zero", "fragment", "malformed", "bad_ip_header" */
const char *cg_verdict_name(enum cg_verdict v);
/* "bad_outer_only", "bad_payload", "bad_unclassified" */
const char *cg_bad_class_name(enum cg_bad_class c);
/* "zero_inner_ok", "zero_inner_bad", "zero_inner_unfinished", "zero_inner_unchecked" */
const char *cg_zero_inner_name(enum cg_zero_inner z);
/* "final_ok", "final_bad", "offloaded", "zero", "fragment", "malformed" */
const char *cg_egress_state_name(enum cg_egress_state s);
/* "frames", "not_tunnel", "unparsed", "unchecked", "tunnel", "unaccounted",
 * "drop_bad", "drop_blocked", "sources_inserted", "repaired", "unverified" */
const char *cg_iface_counter_name(enum cg_iface_counter c);
/* The same counters read for what leaves (struct cg_egress_stats.c[]): the
 * same names, but CG_IF_SRC_INSERTED counts destinations there:
 * "destinations_inserted". */
const char *cg_egress_counter_name(enum cg_iface_counter c);
/* What the counter counts, one line without a period (metrics # HELP); a
 * generic line for a counter without one. */
const char *cg_iface_counter_help(enum cg_iface_counter c);
/* "none", "vxlan", "geneve", "gue" */
const char *cg_encap_name(enum cg_encap e);
/* "monitor", "drop" */
const char *cg_mode_name(enum cg_mode m);

/*
 * Fields of struct cg_src_stats other than the verdicts, as user space
 * names them (table headers, JSON keys, later metric names).
 */
enum cg_src_field {
	CG_SF_PACKETS = 0,	/* "packets" */
	CG_SF_BYTES,		/* "bytes" */
	CG_SF_DROPPED,		/* "dropped" */
	CG_SF_LAST_BAD,		/* "last_bad" */
	CG_SF_UNPARSED,		/* "unparsed" */
	CG_SRC_FIELD_MAX
};
const char *cg_src_field_name(enum cg_src_field f);

/*
 * Fields of struct cg_dst_stats other than the states (egress table
 * headers, JSON keys of "destinations").
 */
enum cg_dst_field {
	CG_DF_PACKETS = 0,	/* "packets" */
	CG_DF_BYTES,		/* "bytes" */
	CG_DF_GSO,		/* "gso" */
	CG_DF_FACTS,		/* "facts" */
	CG_DF_OFFLOADED_FACT,	/* "offloaded_fact" */
	CG_DF_GSO_META_BAD,	/* "gso_meta_bad" */
	CG_DF_DROPPED,		/* "dropped" */
	CG_DF_LAST_BAD,		/* "last_bad" */
	CG_DST_FIELD_MAX
};
const char *cg_dst_field_name(enum cg_dst_field f);

/*
 * Directions of an interface csumguard watches: ingress (the XDP program,
 * per source) and egress (TC, per destination). JSON keys of stats and the
 * directories of their pins (PIN_DIR/ifaces/IFNAME/DIR, pins.h).
 */
enum cg_dir {
	CG_DIR_INGRESS = 0,	/* "ingress" */
	CG_DIR_EGRESS,		/* "egress" */
	CG_DIR_MAX
};
const char *cg_dir_name(enum cg_dir d);

/* Scope of a blocklist entry: "all" with CG_BLOCK_ALL_TRAFFIC, else "tunnel". */
const char *cg_block_scope_name(__u32 block_flags);

/*
 * Field descriptors: every __u64 of struct cg_src_stats and struct
 * cg_dst_stats, in the order JSON shows them, with the one spelling of its
 * name and a one-line meaning (Prometheus # HELP, docs). Summing per-CPU
 * values, JSON, tables and metrics iterate these tables, so a counter added
 * to a value struct appears everywhere by adding one row here (tests/
 * test_lib.c checks that every byte of the structs is described once).
 */
enum cg_field_kind {
	CG_FK_COUNT = 0,	/* a counter: per-CPU values are summed */
	CG_FK_FACT,		/* a counter only the skb-facts program moves: null
				 * (not 0) where the running program cannot read facts */
	CG_FK_TIME,		/* CLOCK_BOOTTIME ns of an event, 0 = never: newest wins */
	CG_FK_TIME_FIRST,	/* the same, of a first event: the oldest non-zero wins */
};
struct cg_field {
	const char *name;	/* JSON key; metric name part or label value */
	const char *group;	/* NULL: a counter of its own; else the label name of
				 * the family it is one value of ("verdict", "state",
				 * "class", "zero_inner") */
	unsigned int off;	/* offsetof() in its struct */
	enum cg_field_kind kind;
	const char *help;	/* what it counts, one line, no trailing period */
};
const struct cg_field *cg_src_fields(size_t *n);
const struct cg_field *cg_dst_fields(size_t *n);
/* The field's value in st (a struct cg_src_stats or cg_dst_stats). */
static inline __u64 cg_field_get(const void *st, const struct cg_field *f)
{
	return *(const __u64 *)((const char *)st + f->off);
}
/* A time (either kind): shown as an age or a timestamp, never summed. */
static inline int cg_field_is_time(const struct cg_field *f)
{
	return f->kind == CG_FK_TIME || f->kind == CG_FK_TIME_FIRST;
}
/* a += b, field by field: counters add, times keep the newer (first times:
 * the older non-zero). */
void cg_fields_add(void *a, const void *b, const struct cg_field *f, size_t n);

/* Reverse lookups: return the value, or -1 for an unknown name. */
int cg_encap_from_name(const char *name);
int cg_mode_from_name(const char *name);

#endif /* CG_NAMES_H */
