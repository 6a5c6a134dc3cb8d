// SPDX-License-Identifier: GPL-2.0
/* locate.c - see locate.h. */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>
#include "locate.h"
#include "tc_attach.h"
#include "pins.h"
#include "probe.h"
#include "xdp_progs.h"

/*
 * Is the csumguard program on ifindex the one of this state: does it use
 * the pinned src map (map id src_id), or, without that map, is it the
 * recorded program (rec_id)? 1 found (w filled), 0 not, -errno.
 */
static int look_here(int ifindex, __u32 src_id, __u32 rec_id, struct cg_where *w)
{
	struct xdp_multiprog *mp;
	struct xdp_program *p;
	const char *name;
	int e, mine, legacy, variant;

	mp = cg_xdp_progs(ifindex, &e);
	if (!mp)
		return e;
	legacy = xdp_multiprog__is_legacy(mp);
	p = legacy ? xdp_multiprog__main_prog(mp) : xdp_multiprog__next_prog(NULL, mp);
	for (; p; p = legacy ? NULL : xdp_multiprog__next_prog(p, mp)) {
		name = xdp_program__name(p);
		variant = cg_xdp_variant_of(name);	/* either variant is csumguard's */
		if (variant < 0)
			continue;
		mine = src_id ? cg_prog_uses_map(xdp_program__fd(p), src_id) :
			rec_id && xdp_program__id(p) == rec_id;
		if (mine == 1) {
			w->state = CG_WHERE_HERE;
			w->ifindex = ifindex;
			w->prog_id = xdp_program__id(p);
			w->xdp_mode = cg_xdp_mode_str(xdp_multiprog__attach_mode(mp));
			w->dispatcher = !legacy;
			w->xdp_variant = cg_xdp_variant_name((enum cg_xdp_variant)variant);
			break;
		}
		w->other_id = xdp_program__id(p);
	}
	xdp_multiprog__close(mp);
	return w->state == CG_WHERE_HERE;
}

/* Without CAP_SYS_ADMIN: what netlink tells (the ids on the interface). */
static void look_unprivileged(int ifindex, const struct cg_attachment *rec, int rec_here,
			      const char *ifname, struct cg_where *w)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	__u32 id = 0;

	if (bpf_xdp_query(ifindex, 0, &q)) {
		w->state = CG_WHERE_UNKNOWN;
		snprintf(w->why, sizeof(w->why), "cannot query the XDP programs of %s: %s",
			 ifname, strerror(errno));
		return;
	}
	if (q.attach_mode == XDP_ATTACHED_NONE)
		return;		/* no XDP program at all: certainly detached */
	if (rec_here && rec->prog_id) {
		if (q.drv_prog_id == rec->prog_id)
			w->xdp_mode = "native";
		else if (q.skb_prog_id == rec->prog_id)
			w->xdp_mode = "skb";
		else if (q.hw_prog_id == rec->prog_id)
			w->xdp_mode = "hw";
		if (w->xdp_mode) {	/* our recorded program, alone */
			w->state = CG_WHERE_HERE;
			w->prog_id = rec->prog_id;
			return;
		}
	}
	id = q.drv_prog_id ? q.drv_prog_id : q.skb_prog_id ? q.skb_prog_id : q.hw_prog_id;
	w->state = CG_WHERE_UNKNOWN;
	snprintf(w->why, sizeof(w->why), "%s runs XDP program id %u, and looking inside it "
		 "needs CAP_SYS_ADMIN; run as root", ifname, id);
}

/* What both directions' locators start from: the attachment record (is it
 * this network namespace's?), the id of the map that identifies the program
 * (id_pin in the direction's directory; its fd stays open in *id_fd), and
 * the candidate interfaces here: the recorded one (it may have been renamed
 * since), then whatever has the name now. */
struct loc_base {
	struct cg_attachment rec;
	int rec_here, rec_away;
	__u32 map_id;
	int id_fd;
	int cand[2];
};

static void loc_base(const char *pin_dir, const char *ifname, enum cg_dir dir,
		     const char *id_pin, struct cg_where *w, struct loc_base *b)
{
	char path[PATH_MAX], name[IF_NAMESIZE];
	__u64 dev = 0, ino = 0;

	memset(b, 0, sizeof(*b));
	/* A record with ifindex 0 was made by an attach that never finished. */
	if (!cg_attachment_read(pin_dir, ifname, dir, &b->rec) && b->rec.ifindex &&
	    !cg_netns_self(&dev, &ino)) {
		b->rec_here = b->rec.netns_dev == dev && b->rec.netns_ino == ino;
		b->rec_away = !b->rec_here;
	}
	if (b->rec_away)
		cg_netns_describe(b->rec.netns_dev, b->rec.netns_ino, w->netns, sizeof(w->netns));
	cg_dir_path(path, sizeof(path), pin_dir, ifname, dir, id_pin);
	b->id_fd = cg_map_open(path);
	if (b->id_fd >= 0 && cg_map_id(b->id_fd, &b->map_id))
		b->map_id = 0;
	b->cand[0] = b->rec_here && if_indextoname(b->rec.ifindex, name) ? (int)b->rec.ifindex : 0;
	b->cand[1] = (int)if_nametoindex(ifname);
	w->ifindex = b->cand[0] ? b->cand[0] : b->cand[1];
}

/* Not on an interface here: does a loaded csumguard program still use the
 * state (then it runs elsewhere)? 0, or -errno (w says why). */
static int loc_elsewhere(const struct loc_base *b, struct cg_where *w)
{
	int user = b->id_fd >= 0 ? cg_map_user(b->id_fd) : 0;

	if (user < 0) {
		w->state = CG_WHERE_UNKNOWN;
		snprintf(w->why, sizeof(w->why), "cannot list the loaded BPF programs: %s",
			 strerror(-user));
		return user;
	}
	if (user > 0) {
		w->state = CG_WHERE_ELSEWHERE;
		w->prog_id = (__u32)user;
		if (b->rec_away)
			snprintf(w->where, sizeof(w->where), "network namespace %s (ifindex %u "
				 "there)", w->netns, b->rec.ifindex);
		else
			snprintf(w->where, sizeof(w->where), "no interface of this network "
				 "namespace (another namespace?)");
	}
	return 0;
}

/* Closes what loc_base opened, names the interface as it is called now. */
static int loc_finish(struct loc_base *b, const char *ifname, struct cg_where *w, int e)
{
	char name[IF_NAMESIZE];

	if (b->id_fd >= 0)
		close(b->id_fd);
	if (w->ifindex && if_indextoname((unsigned int)w->ifindex, name)) {
		snprintf(w->ifname_now, sizeof(w->ifname_now), "%s", name);
		w->renamed = strcmp(name, ifname) != 0;
	} else {
		w->ifindex = 0;
	}
	return e < 0 ? e : 0;
}

int cg_locate(const char *pin_dir, const char *ifname, struct cg_where *w)
{
	struct loc_base b;
	int i, e = 0;
	int priv = cg_have_sys_admin() == 1;

	memset(w, 0, sizeof(*w));
	loc_base(pin_dir, ifname, CG_DIR_INGRESS, CG_PIN_SRC, w, &b);

	if (priv) {
		for (i = 0; i < 2 && w->state != CG_WHERE_HERE; i++) {
			if (!b.cand[i] || (i == 1 && b.cand[1] == b.cand[0]))
				continue;
			e = look_here(b.cand[i], b.map_id, b.rec_here ? b.rec.prog_id : 0, w);
			if (e < 0) {
				w->state = CG_WHERE_UNKNOWN;
				snprintf(w->why, sizeof(w->why), "cannot list the XDP programs "
					 "of ifindex %d: %s", b.cand[i], strerror(-e));
				goto out;
			}
		}
		if (w->state == CG_WHERE_HERE)
			goto out;
		/* Not here: is a loaded program still using the state? */
		e = loc_elsewhere(&b, w);
	} else if (b.rec_away) {
		w->state = CG_WHERE_UNKNOWN;
		snprintf(w->why, sizeof(w->why), "it was attached in network namespace %s, "
			 "and checking it from here needs CAP_SYS_ADMIN", w->netns);
	} else if (w->ifindex) {
		look_unprivileged(w->ifindex, &b.rec, b.rec_here, ifname, w);
	}
out:
	return loc_finish(&b, ifname, w, e);
}

int cg_where_netns_named(const struct cg_where *w)
{
	return w->netns[0] && !strncmp(w->netns, "/run/", 5);
}

/* ------------------------------------------------------------ TC egress */

/* Id of the program of the filter at handle/priority on ifindex's clsact
 * egress hook: 0 when there is none (no clsact qdisc, no such filter). */
static __u32 tc_prog_at(int ifindex, __u32 handle, __u32 priority)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, o, .handle = handle, .priority = priority);

	if (!handle || !priority || bpf_tc_query(&hook, &o))
		return 0;
	return o.prog_id;
}

/*
 * An attach killed after the kernel took its filter but before it wrote the
 * filter's handle down leaves the record without it. The filter is found
 * all the same by what identifies it: priority CG_TC_PRIORITY, the lowest
 * free handle there when it was added (cls_bpf hands them out from 1), a
 * csumguard program that uses this pin dir's egress totals map (map_id).
 * 1 found (*handle, *prog_id set), 0 not.
 */
#define TC_HANDLE_PROBE	32
static int tc_find_ours(int ifindex, __u32 map_id, __u32 *handle, __u32 *prog_id)
{
	struct bpf_prog_info info;
	__u32 h, id, len;
	int fd, mine;

	for (h = 1; h <= TC_HANDLE_PROBE; h++) {
		LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_EGRESS);
		LIBBPF_OPTS(bpf_tc_opts, q, .handle = h, .priority = CG_TC_PRIORITY);
		int e = bpf_tc_query(&hook, &q);

		if (e == -EINVAL)
			return 0;	/* no clsact qdisc, or no filter on it at all */
		id = e ? 0 : q.prog_id;
		if (!id)
			continue;
		fd = bpf_prog_get_fd_by_id(id);
		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		mine = !bpf_obj_get_info_by_fd(fd, &info, &len) &&
		       cg_is_our_prog_name(info.name) && cg_prog_uses_map(fd, map_id) == 1;
		close(fd);
		if (mine) {
			*handle = h;
			*prog_id = id;
			return 1;
		}
	}
	return 0;
}

int cg_tc_locate(const char *pin_dir, const char *ifname, struct cg_where *w,
		 struct cg_tc_record *t)
{
	struct loc_base b;
	__u32 id;
	int i, e = 0, fd, mine;
	int priv = cg_have_sys_admin() == 1;

	memset(w, 0, sizeof(*w));
	if (cg_tc_record_read(pin_dir, ifname, t))
		memset(t, 0, sizeof(*t));
	/* By the totals map: every version of the program uses it. */
	loc_base(pin_dir, ifname, CG_DIR_EGRESS, CG_PIN_EGRESS, w, &b);

	/* The recorded filter, on the recorded interface or the one with the
	 * name now, running the recorded program, which uses our egress totals map. */
	for (i = 0; b.rec_here && b.rec.prog_id && i < 2; i++) {
		if (!b.cand[i] || (i == 1 && b.cand[1] == b.cand[0]))
			continue;
		id = tc_prog_at(b.cand[i], t->handle, t->priority);
		if (!id || id != b.rec.prog_id)
			continue;
		mine = 1;
		if (priv && b.map_id) {
			fd = bpf_prog_get_fd_by_id(id);
			mine = fd >= 0 && cg_prog_uses_map(fd, b.map_id) == 1;
			if (fd >= 0)
				close(fd);
		}
		if (mine) {
			w->state = CG_WHERE_HERE;
			w->ifindex = b.cand[i];
			w->prog_id = id;
			goto out;
		}
	}
	/* No record of the filter (an attach that did not finish): look for
	 * it on the interface here by its map. */
	for (i = 0; priv && b.map_id && i < 2; i++) {
		if (!b.cand[i] || (i == 1 && b.cand[1] == b.cand[0]))
			continue;
		if (tc_find_ours(b.cand[i], b.map_id, &t->handle, &id)) {
			t->priority = CG_TC_PRIORITY;
			w->state = CG_WHERE_HERE;
			w->ifindex = b.cand[i];
			w->prog_id = id;
			goto out;
		}
	}
	if (priv) {
		e = loc_elsewhere(&b, w);
	} else if (b.rec_away && b.rec.prog_id) {
		w->state = CG_WHERE_UNKNOWN;
		snprintf(w->why, sizeof(w->why), "it was attached in network namespace %s, "
			 "and checking it from here needs CAP_SYS_ADMIN", w->netns);
	}
out:
	return loc_finish(&b, ifname, w, e);
}
