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

#define NAME_OR_UNKNOWN(tab, i) \
	((unsigned)(i) < sizeof(tab) / sizeof(tab[0]) && tab[i] ? tab[i] : "unknown")

const char *cg_verdict_name(enum cg_verdict v)
{
	return NAME_OR_UNKNOWN(verdict_names, v);
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
