/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xdp_obj.h - the XDP program's variants' embedded objects (no libxdp: the
 * selftests link this without it).
 */
#ifndef CG_XDP_OBJ_H
#define CG_XDP_OBJ_H

#include "probe.h"

/*
 * One of the XDP program's variants (probe.h), its embedded object opened
 * from its skeleton: both have the same maps (bpf/maps.bpf.h), so callers
 * take them by name. The command's attach and the selftest harness use it.
 */
struct csumguard;
struct csumguard_sb;
struct csumguard_lc;
struct cg_xdp_obj {
	enum cg_xdp_variant variant;
	struct csumguard *mb;		/* the skeleton that is open */
	struct csumguard_sb *sb;
	struct csumguard_lc *lc;
	struct bpf_object *obj;
	struct bpf_program *prog;	/* csumguard_xdp, csumguard_xdpsb or csumguard_xdplc */
};

/* Opens (does not load) variant v. 0, or -errno (o zeroed). */
int cg_xdp_obj_open(struct cg_xdp_obj *o, enum cg_xdp_variant v);
/* Loads it (the skeleton's load: maps created or reused, program loaded). */
int cg_xdp_obj_load(struct cg_xdp_obj *o);
/* Its map called name (cg_ports, cg_src, ...), or NULL. */
struct bpf_map *cg_xdp_obj_map(const struct cg_xdp_obj *o, const char *name);
/* Closes whatever is open; o may be zeroed. */
void cg_xdp_obj_close(struct cg_xdp_obj *o);

#endif /* CG_XDP_OBJ_H */
