/* SPDX-License-Identifier: GPL-2.0 */
/*
 * names.h - the one place counter, verdict, encapsulation and mode names
 * are spelled for people and machines (tables, JSON keys, metric labels).
 */
#ifndef CG_NAMES_H
#define CG_NAMES_H

#include "csumguard.h"

/* "ok", "bad", "unfinished", "zero", "fragment", "malformed" */
const char *cg_verdict_name(enum cg_verdict v);
/* "frames", "not_tunnel", "unparsed", "unchecked", "tunnel", "unaccounted",
 * "drop_bad", "drop_blocked" */
const char *cg_iface_counter_name(enum cg_iface_counter c);
/* "none", "vxlan", "geneve", "gue" */
const char *cg_encap_name(enum cg_encap e);
/* "monitor", "drop" */
const char *cg_mode_name(enum cg_mode m);

/* Reverse lookups: return the value, or -1 for an unknown name. */
int cg_encap_from_name(const char *name);
int cg_mode_from_name(const char *name);

#endif /* CG_NAMES_H */
