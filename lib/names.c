// SPDX-License-Identifier: GPL-2.0
/* names.c - see names.h. Indexed by the enums of csumguard.h. */
#include <string.h>
#include "names.h"

static const char *const verdict_names[CG_VERDICT_MAX] = {
	[CG_V_OK] = "ok",
	[CG_V_BAD] = "bad",
	[CG_V_UNFINISHED] = "unfinished",
	[CG_V_ZERO] = "zero",
	[CG_V_FRAGMENT] = "fragment",
	[CG_V_MALFORMED] = "malformed",
	[CG_V_BAD_IP_HEADER] = "bad_ip_header",
};

static const char *const bad_class_names[CG_BAD_CLASS_MAX] = {
	[CG_BC_OUTER_ONLY] = "bad_outer_only",
	[CG_BC_PAYLOAD] = "bad_payload",
	[CG_BC_UNCLASSIFIED] = "bad_unclassified",
};

static const char *const zero_inner_names[CG_ZERO_INNER_MAX] = {
	[CG_ZI_OK] = "zero_inner_ok",
	[CG_ZI_BAD] = "zero_inner_bad",
	[CG_ZI_UNFINISHED] = "zero_inner_unfinished",
	[CG_ZI_UNCHECKED] = "zero_inner_unchecked",
};

static const char *const egress_state_names[CG_EGRESS_STATE_MAX] = {
	[CG_E_FINAL_OK] = "final_ok",
	[CG_E_FINAL_BAD] = "final_bad",
	[CG_E_OFFLOADED] = "offloaded",
	[CG_E_ZERO] = "zero",
	[CG_E_FRAGMENT] = "fragment",
	[CG_E_MALFORMED] = "malformed",
};

static const char *const iface_names[CG_IFACE_COUNTER_MAX] = {
	[CG_IF_FRAMES] = "frames",
	[CG_IF_NOT_TUNNEL] = "not_tunnel",
	[CG_IF_UNPARSED] = "unparsed",
	[CG_IF_UNCHECKED] = "unchecked",
	[CG_IF_TUNNEL] = "tunnel",
	[CG_IF_UNACCOUNTED] = "unaccounted",
	[CG_IF_DROP_BAD] = "drop_bad",
	[CG_IF_DROP_BLOCKED] = "drop_blocked",
	[CG_IF_SRC_INSERTED] = "sources_inserted",
	[CG_IF_REPAIRED] = "repaired",
	[CG_IF_UNVERIFIED] = "unverified",
	[CG_IF_TRACE_SUPPRESSED] = "trace_suppressed",
	[CG_IF_TRACE_LOST] = "trace_lost",
	[CG_IF_UNKNOWN_SENDER] = "unknown_sender",
	[CG_IF_DROP_UNKNOWN] = "drop_unknown",
	[CG_IF_TTL_MISMATCH] = "ttl_mismatch",
	[CG_IF_SRC_RARE_INSERTED] = "sources_rare_inserted",
	[CG_IF_SRC_REINSERTED] = "sources_reinserted",
};

static const char *const dst_field_names[CG_DST_FIELD_MAX] = {
	[CG_DF_PACKETS] = "packets",
	[CG_DF_BYTES] = "bytes",
	[CG_DF_GSO] = "gso",
	[CG_DF_FACTS] = "facts",
	[CG_DF_OFFLOADED_FACT] = "offloaded_fact",
	[CG_DF_GSO_META_BAD] = "gso_meta_bad",
	[CG_DF_DROPPED] = "dropped",
	[CG_DF_LAST_BAD] = "last_bad",
};

static const char *const encap_names[CG_ENCAP_MAX] = {
	[CG_ENCAP_NONE] = "none",
	[CG_ENCAP_VXLAN] = "vxlan",
	[CG_ENCAP_GENEVE] = "geneve",
	[CG_ENCAP_GUE] = "gue",
};

static const char *const mode_names[] = {
	[CG_MODE_MONITOR] = "monitor",
	[CG_MODE_DROP] = "drop",
};

static const char *const src_field_names[CG_SRC_FIELD_MAX] = {
	[CG_SF_PACKETS] = "packets",
	[CG_SF_BYTES] = "bytes",
	[CG_SF_DROPPED] = "dropped",
	[CG_SF_LAST_BAD] = "last_bad",
	[CG_SF_UNPARSED] = "unparsed",
};

static const char *const dir_names[CG_DIR_MAX] = {
	[CG_DIR_INGRESS] = "ingress",
	[CG_DIR_EGRESS] = "egress",
};

#define SF(member) (unsigned int)offsetof(struct cg_src_stats, member)
#define DF(member) (unsigned int)offsetof(struct cg_dst_stats, member)

static const struct cg_field src_fields[] = {
	{ "packets", NULL, SF(packets), CG_FK_COUNT,
	  "Tunnel frames from this source given a verdict (the sum of the verdicts)" },
	{ "bytes", NULL, SF(bytes), CG_FK_COUNT, "Bytes of those frames, whole frame" },
	{ "ok", "verdict", SF(verdict[CG_V_OK]), CG_FK_COUNT,
	  "The full outer UDP checksum verifies" },
	{ "bad", "verdict", SF(verdict[CG_V_BAD]), CG_FK_COUNT,
	  "The outer UDP checksum does not verify" },
	{ "unfinished", "verdict", SF(verdict[CG_V_UNFINISHED]), CG_FK_COUNT,
	  "The checksum field holds the pseudo-header seed: offload never finished it" },
	{ "zero", "verdict", SF(verdict[CG_V_ZERO]), CG_FK_COUNT,
	  "Checksum field 0: the sender did not checksum" },
	{ "fragment", "verdict", SF(verdict[CG_V_FRAGMENT]), CG_FK_COUNT,
	  "IP fragments carrying UDP: cannot be checked" },
	{ "malformed", "verdict", SF(verdict[CG_V_MALFORMED]), CG_FK_COUNT,
	  "UDP length below 8 or beyond the IP payload" },
	{ "unparsed", NULL, SF(unparsed), CG_FK_COUNT,
	  "Frames from this source whose headers could not be followed to a UDP port" },
	{ "dropped", NULL, SF(dropped), CG_FK_COUNT,
	  "Frames from this source dropped (bad in drop mode, or blocked)" },
	{ "last_bad", NULL, SF(last_bad_ns), CG_FK_TIME, "Time of the newest bad verdict" },
	/* Issue 10 */
	{ "bad_ip_header", "verdict", SF(verdict[CG_V_BAD_IP_HEADER]), CG_FK_COUNT,
	  "The outer IPv4 header checksum does not verify (the kernel drops it)" },
	{ "bad_outer_only", "class", SF(bad_class[CG_BC_OUTER_ONLY]), CG_FK_COUNT,
	  "Bad, inner L4 checksum valid: payload intact, only the outer value wrong" },
	{ "bad_payload", "class", SF(bad_class[CG_BC_PAYLOAD]), CG_FK_COUNT,
	  "Bad, inner L4 checksum invalid too: corrupted on the path" },
	{ "bad_unclassified", "class", SF(bad_class[CG_BC_UNCLASSIFIED]), CG_FK_COUNT,
	  "Bad, no checkable inner L4 checksum" },
	{ "zero_inner_ok", "zero_inner", SF(zero_inner[CG_ZI_OK]), CG_FK_COUNT,
	  "Outer checksum 0, inner L4 checksum valid" },
	{ "zero_inner_bad", "zero_inner", SF(zero_inner[CG_ZI_BAD]), CG_FK_COUNT,
	  "Outer checksum 0, inner L4 checksum invalid" },
	{ "zero_inner_unfinished", "zero_inner", SF(zero_inner[CG_ZI_UNFINISHED]), CG_FK_COUNT,
	  "Outer checksum 0, inner L4 checksum holds its pseudo-header seed" },
	{ "zero_inner_unchecked", "zero_inner", SF(zero_inner[CG_ZI_UNCHECKED]), CG_FK_COUNT,
	  "Outer checksum 0, no checkable inner L4 checksum" },
	{ "repaired", NULL, SF(repaired), CG_FK_COUNT,
	  "Bad_outer_only frames passed with their outer checksum rewritten" },
	{ "unverified", NULL, SF(unverified), CG_FK_COUNT,
	  "Tunnel frames sampling let pass unchecked (not in packets)" },
	{ "first_bad", NULL, SF(first_bad_ns), CG_FK_TIME_FIRST,
	  "Time of the first bad verdict" },
	/* known nodes (issue 10) */
	{ "unknown_sender", NULL, SF(unknown_sender), CG_FK_COUNT,
	  "Tunnel frames from this source while it is not a known node" },
	{ "ttl_mismatch", NULL, SF(ttl_mismatch), CG_FK_COUNT,
	  "Tunnel frames from this known node with another IP TTL than its own: not evidence" },
	{ "evidence_checked", NULL, SF(evidence_checked), CG_FK_COUNT,
	  "Checked frames from this known node with its own IP TTL: the auto-block evidence" },
	{ "evidence_bad", NULL, SF(evidence_bad), CG_FK_COUNT,
	  "Of the evidence frames, those with a bad outer checksum" },
};

static const struct cg_field dst_fields[] = {
	{ "packets", NULL, DF(packets), CG_FK_COUNT,
	  "Tunnel wire packets to this destination (a GSO packet counts its segments)" },
	{ "bytes", NULL, DF(bytes), CG_FK_COUNT, "Bytes of the packets handed on" },
	{ "gso", NULL, DF(gso), CG_FK_COUNT, "GSO super-packets among them" },
	{ "final_ok", "state", DF(state[CG_E_FINAL_OK]), CG_FK_COUNT,
	  "The stack wrote the final outer checksum and it verifies" },
	{ "final_bad", "state", DF(state[CG_E_FINAL_BAD]), CG_FK_COUNT,
	  "A final outer checksum that does not verify: a bug on this node" },
	{ "offloaded", "state", DF(state[CG_E_OFFLOADED]), CG_FK_COUNT,
	  "The pseudo-header seed: the NIC finishes the checksum" },
	{ "zero", "state", DF(state[CG_E_ZERO]), CG_FK_COUNT, "Outer checksum 0" },
	{ "fragment", "state", DF(state[CG_E_FRAGMENT]), CG_FK_COUNT,
	  "IP fragments carrying UDP: cannot be checked" },
	{ "malformed", "state", DF(state[CG_E_MALFORMED]), CG_FK_COUNT,
	  "UDP length below 8 or beyond the IP payload" },
	{ "facts", NULL, DF(facts), CG_FK_FACT, "Packets whose skb facts were read" },
	{ "offloaded_fact", NULL, DF(offloaded_fact), CG_FK_FACT,
	  "Offloaded packets the skb itself said were partial or GSO" },
	{ "gso_meta_bad", NULL, DF(gso_meta_bad), CG_FK_COUNT,
	  "GSO tunnel packets whose inner header offsets disagree with their bytes" },
	{ "dropped", NULL, DF(dropped), CG_FK_COUNT, "Packets dropped (final_bad in drop mode)" },
	{ "last_bad", NULL, DF(last_bad_ns), CG_FK_TIME, "Time of the newest final_bad" },
};

const struct cg_field *cg_src_fields(size_t *n)
{
	*n = sizeof(src_fields) / sizeof(src_fields[0]);
	return src_fields;
}

const struct cg_field *cg_dst_fields(size_t *n)
{
	*n = sizeof(dst_fields) / sizeof(dst_fields[0]);
	return dst_fields;
}

void cg_fields_add(void *a, const void *b, const struct cg_field *f, size_t n)
{
	__u64 *x;
	size_t i;

	for (i = 0; i < n; i++) {
		x = (__u64 *)((char *)a + f[i].off);
		if (f[i].kind == CG_FK_TIME) {
			if (cg_field_get(b, &f[i]) > *x)
				*x = cg_field_get(b, &f[i]);
		} else if (f[i].kind == CG_FK_TIME_FIRST) {
			if (cg_field_get(b, &f[i]) && (!*x || cg_field_get(b, &f[i]) < *x))
				*x = cg_field_get(b, &f[i]);
		} else {
			*x += cg_field_get(b, &f[i]);
		}
	}
}

#define NAME_OR_UNKNOWN(tab, i) \
	((unsigned)(i) < sizeof(tab) / sizeof(tab[0]) && tab[i] ? tab[i] : "unknown")

const char *cg_verdict_name(enum cg_verdict v)
{
	return NAME_OR_UNKNOWN(verdict_names, v);
}

const char *cg_bad_class_name(enum cg_bad_class c)
{
	return NAME_OR_UNKNOWN(bad_class_names, c);
}

const char *cg_zero_inner_name(enum cg_zero_inner z)
{
	return NAME_OR_UNKNOWN(zero_inner_names, z);
}

const char *cg_egress_state_name(enum cg_egress_state s)
{
	return NAME_OR_UNKNOWN(egress_state_names, s);
}

const char *cg_iface_counter_name(enum cg_iface_counter c)
{
	return NAME_OR_UNKNOWN(iface_names, c);
}

const char *cg_egress_counter_name(enum cg_iface_counter c)
{
	return c == CG_IF_SRC_INSERTED ? "destinations_inserted" : cg_iface_counter_name(c);
}

const char *cg_dst_field_name(enum cg_dst_field f)
{
	return NAME_OR_UNKNOWN(dst_field_names, f);
}

const char *cg_encap_name(enum cg_encap e)
{
	return NAME_OR_UNKNOWN(encap_names, e);
}

const char *cg_mode_name(enum cg_mode m)
{
	return NAME_OR_UNKNOWN(mode_names, m);
}

const char *cg_src_field_name(enum cg_src_field f)
{
	return NAME_OR_UNKNOWN(src_field_names, f);
}

const char *cg_dir_name(enum cg_dir d)
{
	return NAME_OR_UNKNOWN(dir_names, d);
}

const char *cg_block_scope_name(__u32 block_flags)
{
	return (block_flags & CG_BLOCK_ALL_TRAFFIC) ? "all" : "tunnel";
}

static int lookup(const char *const *tab, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (tab[i] && !strcmp(tab[i], name))
			return i;
	return -1;
}

int cg_encap_from_name(const char *name)
{
	int e = lookup(encap_names, CG_ENCAP_MAX, name);

	return e == CG_ENCAP_NONE ? -1 : e;
}

int cg_mode_from_name(const char *name)
{
	return lookup(mode_names, sizeof(mode_names) / sizeof(mode_names[0]), name);
}

/* One line each (Prometheus # HELP of the agent's per-interface counters). */
static const char *const iface_helps[CG_IFACE_COUNTER_MAX] = {
	[CG_IF_FRAMES] = "Every frame the program saw",
	[CG_IF_NOT_TUNNEL] = "Frames that are not tunnel datagrams nor UDP fragments: passed untouched",
	[CG_IF_UNPARSED] = "Frames whose L2/L3 headers are truncated or inconsistent: passed untouched",
	[CG_IF_UNCHECKED] = "Tunnel datagrams whose checksum could not be computed: passed",
	[CG_IF_TUNNEL] = "Frames given a verdict (tunnel datagrams and UDP fragments)",
	[CG_IF_UNACCOUNTED] = "Frames given a verdict but no per-address row (table full)",
	[CG_IF_DROP_BAD] = "Frames dropped in drop mode because their checksum was bad",
	[CG_IF_DROP_BLOCKED] = "Frames dropped because their source is blocklisted",
	[CG_IF_SRC_INSERTED] = "Rows the datapath inserted into its per-address table",
	[CG_IF_TRACE_SUPPRESSED] = "Bad frames not traced: over the in-kernel trace rate limit",
	[CG_IF_TRACE_LOST] = "Bad frames not traced: the trace ring buffer was full",
	[CG_IF_SRC_RARE_INSERTED] = "Shared parts of source rows (all but the common "
				    "verdicts) the datapath inserted",
	[CG_IF_SRC_REINSERTED] = "Of sources_inserted, evicted rows the hot-source cache "
				 "inserted again to flush their pending counts",
};

const char *cg_iface_counter_help(enum cg_iface_counter c)
{
	return (unsigned)c < CG_IFACE_COUNTER_MAX && iface_helps[c] ? iface_helps[c] :
		"A per-interface counter of the datapath (lib/names.c)";
}
