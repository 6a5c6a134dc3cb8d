// SPDX-License-Identifier: GPL-2.0
/* xdp_obj.c - see xdp_obj.h. */
#include <errno.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "csumguard.skel.h"
#include "csumguard_sb.skel.h"
#include "csumguard_lc.skel.h"
#include "xdp_obj.h"

int cg_xdp_obj_open(struct cg_xdp_obj *o, enum cg_xdp_variant v)
{
	memset(o, 0, sizeof(*o));
	o->variant = v;
	if (v == CG_XDP_SINGLE_BUF) {
		o->sb = csumguard_sb__open();
		if (o->sb) {
			o->obj = o->sb->obj;
			o->prog = o->sb->progs.csumguard_xdpsb;
		}
	} else if (v == CG_XDP_LARGE_CHUNK) {
		o->lc = csumguard_lc__open();
		if (o->lc) {
			o->obj = o->lc->obj;
			o->prog = o->lc->progs.csumguard_xdplc;
		}
	} else {
		o->mb = csumguard__open();
		if (o->mb) {
			o->obj = o->mb->obj;
			o->prog = o->mb->progs.csumguard_xdp;
		}
	}
	if (!o->obj) {
		int e = errno ? -errno : -ENOMEM;

		memset(o, 0, sizeof(*o));
		return e;
	}
	return 0;
}

int cg_xdp_obj_load(struct cg_xdp_obj *o)
{
	if (o->sb)
		return csumguard_sb__load(o->sb);
	if (o->lc)
		return csumguard_lc__load(o->lc);
	if (o->mb)
		return csumguard__load(o->mb);
	return -EINVAL;
}

struct bpf_map *cg_xdp_obj_map(const struct cg_xdp_obj *o, const char *name)
{
	return o->obj ? bpf_object__find_map_by_name(o->obj, name) : NULL;
}

void cg_xdp_obj_close(struct cg_xdp_obj *o)
{
	csumguard_sb__destroy(o->sb);
	csumguard_lc__destroy(o->lc);
	csumguard__destroy(o->mb);
	memset(o, 0, sizeof(*o));
}
