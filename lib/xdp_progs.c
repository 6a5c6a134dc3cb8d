// SPDX-License-Identifier: GPL-2.0
/* xdp_progs.c - see xdp_progs.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/if_link.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <xdp/libxdp.h>
#include "pins.h"
#include "probe.h"
#include "xdp_progs.h"

const char *cg_xdp_mode_str(enum xdp_attach_mode m)
{
	switch (m) {
	case XDP_MODE_NATIVE:	return "native";
	case XDP_MODE_SKB:	return "skb";
	case XDP_MODE_HW:	return "hw";
	default:		return "unknown";
	}
}

struct xdp_multiprog *cg_xdp_progs(int ifindex, int *err)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
	long e = libxdp_get_error(mp);

	*err = 0;
	if (e) {
		*err = e == -ENOENT ? 0 : (int)e;
		return NULL;
	}
	if (!mp)
		return NULL;
	if (!xdp_multiprog__is_legacy(mp) && xdp_multiprog__program_count(mp) == 0 &&
	    !xdp_multiprog__main_prog(mp)) {
		xdp_multiprog__close(mp);
		return NULL;
	}
	return mp;
}

struct xdp_program *cg_xdp_find_ours(struct xdp_multiprog *mp)
{
	struct xdp_program *p;
	const char *name;

	if (xdp_multiprog__is_legacy(mp)) {
		p = xdp_multiprog__main_prog(mp);
		name = p ? xdp_program__name(p) : NULL;
		return cg_xdp_variant_of(name) >= 0 ? p : NULL;
	}
	for (p = xdp_multiprog__next_prog(NULL, mp); p; p = xdp_multiprog__next_prog(p, mp)) {
		name = xdp_program__name(p);
		if (cg_xdp_variant_of(name) >= 0)
			return p;
	}
	return NULL;
}

struct xdp_program *cg_xdp_find_id(struct xdp_multiprog *mp, __u32 id)
{
	struct xdp_program *p;

	if (xdp_multiprog__is_legacy(mp)) {
		p = xdp_multiprog__main_prog(mp);
		return p && xdp_program__id(p) == id ? p : NULL;
	}
	for (p = xdp_multiprog__next_prog(NULL, mp); p; p = xdp_multiprog__next_prog(p, mp))
		if (xdp_program__id(p) == id)
			return p;
	return NULL;
}

void cg_xdp_prog_names(struct xdp_multiprog *mp, char *buf, size_t len)
{
	struct xdp_program *p;
	size_t off = 0;

	buf[0] = '\0';
	if (xdp_multiprog__is_legacy(mp)) {
		p = xdp_multiprog__main_prog(mp);
		snprintf(buf, len, "%s (id %u)", p ? xdp_program__name(p) : "?",
			 p ? xdp_program__id(p) : 0);
		return;
	}
	for (p = xdp_multiprog__next_prog(NULL, mp); p && off < len;
	     p = xdp_multiprog__next_prog(p, mp))
		off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? ", " : "",
					xdp_program__name(p));
	if (!buf[0])
		snprintf(buf, len, "none");
}

void cg_xdp_prog_names_on(int ifindex, char *buf, size_t len)
{
	struct xdp_multiprog *mp;
	int e;

	mp = cg_xdp_progs(ifindex, &e);
	if (mp) {
		cg_xdp_prog_names(mp, buf, len);
		xdp_multiprog__close(mp);
	}
}

int cg_xdp_prog_on(int ifindex, __u32 id)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	struct xdp_multiprog *mp;
	int e, found;

	if (bpf_xdp_query(ifindex, 0, &q))
		return -errno;
	if (q.drv_prog_id == id || q.skb_prog_id == id || q.hw_prog_id == id)
		return 1;
	if (q.attach_mode == XDP_ATTACHED_NONE)
		return 0;
	mp = cg_xdp_progs(ifindex, &e);	/* a dispatcher: look inside */
	if (!mp)
		return e;
	found = cg_xdp_find_id(mp, id) != NULL;
	xdp_multiprog__close(mp);
	return found;
}
