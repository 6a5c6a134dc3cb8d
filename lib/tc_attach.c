// SPDX-License-Identifier: GPL-2.0
/* tc_attach.c - see tc_attach.h. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <linux/netlink.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "csumguard_tc.skel.h"
#include "err.h"
#include "locate.h"
#include "log.h"
#include "maps.h"
#include "netdev.h"
#include "pins.h"
#include "memsize.h"
#include "tc_attach.h"
#include "probe.h"

#ifndef TC_H_CLSACT
#define TC_H_CLSACT TC_H_INGRESS
#endif
#ifndef TC_H_MIN_INGRESS
#define TC_H_MIN_INGRESS 0xFFF2U
#define TC_H_MIN_EGRESS 0xFFF3U
#endif

/* ------------------------------------------------------------ netlink */

int cg_tc_filter_count(int ifindex, int egress)
{
	struct {
		struct nlmsghdr nh;
		struct tcmsg t;
	} req = {
		.nh = {
			.nlmsg_len = NLMSG_LENGTH(sizeof(struct tcmsg)),
			.nlmsg_type = RTM_GETTFILTER,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = 1,
		},
		.t = {
			.tcm_family = AF_UNSPEC,
			.tcm_ifindex = ifindex,
			.tcm_parent = TC_H_MAKE(TC_H_CLSACT,
						egress ? TC_H_MIN_EGRESS : TC_H_MIN_INGRESS),
		},
	};
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char buf[16384];
	struct nlmsghdr *h;
	int fd, n = 0, e = 0, done = 0;
	ssize_t len;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		e = -errno;
		goto out;
	}
	while (!done) {
		len = recv(fd, buf, sizeof(buf), 0);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			e = -errno;
			break;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (unsigned int)len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *ne = NLMSG_DATA(h);

				e = ne->error;
				done = 1;
				break;
			}
			/* One message per classifier (handle 0) and per filter:
			 * an empty classifier is deleted with its last filter. */
			if (h->nlmsg_type == RTM_NEWTFILTER)
				n++;
		}
		if (len == 0)
			break;
	}
out:
	close(fd);
	/* No clsact qdisc (the kernel: no such parent): no filters. */
	if (e == -EINVAL || e == -ENOENT)
		return 0;
	return e ? e : n;
}

/* Removes the clsact qdisc of ifindex if nothing is left on it. 1 removed,
 * 0 kept (filters on it), -errno. */
static int qdisc_remove_if_unused(int ifindex)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
		    .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);
	int in = cg_tc_filter_count(ifindex, 0), eg = cg_tc_filter_count(ifindex, 1), e;

	if (in < 0 || eg < 0)
		return in < 0 ? in : eg;
	if (in || eg)
		return 0;
	/* INGRESS|EGRESS deletes the qdisc; one of them alone would flush
	 * that hook's filters - never call it so. */
	e = bpf_tc_hook_destroy(&hook);
	if (e == -ENOENT || e == -EINVAL)
		return 1;	/* gone already */
	return e ? e : 1;
}

/* ------------------------------------------------------------ attach */

enum { M_PORTS, M_CONFIG, M_DST, M_EGRESS, M_META, M_BLOCK, M_BLOCK_COUNT, M_N };

static int load_failed(int e, char *err, size_t errlen)
{
	char file[PATH_MAX];
	struct utsname u;

	uname(&u);
	if (e == -EPERM)
		return cg_errf(err, errlen, e, "the kernel refused to load the TC egress program "
			       "(%s); run as root with CAP_SYS_ADMIN and CAP_NET_ADMIN (lockdown "
			       "or seccomp can also forbid BPF)", strerror(-e));
	if (!cg_log_echoes() && !cg_log_save("verifier", file, sizeof(file)))
		return cg_errf(err, errlen, e, "the kernel (%s) verifier rejected the TC egress "
			       "program (%s); its log is in %s (rerun with --verbose to print "
			       "it), report it with that file", u.release, strerror(-e), file);
	return cg_errf(err, errlen, e, "the kernel (%s) verifier rejected the TC egress program "
		       "(%s); the log is above (--verbose), report it with that log", u.release,
		       strerror(-e));
}

/* The line for egress state (at path) that a loaded program (user, or a
 * failed lookup < 0) already uses. */
static int in_use(const struct cg_tc_attach_opts *o, const char *path, int user, char *err,
		  size_t errlen)
{
	struct cg_tc_record t;
	struct cg_where w;

	if (user < 0)
		return cg_errf(err, errlen, user, "cannot tell whether the counters pinned at "
			       "%s are in use (%s); run as root", path, strerror(-user));
	cg_tc_locate(o->pin_dir, o->ifname, &w, &t);
	if (w.state == CG_WHERE_HERE && !w.renamed)
		return cg_errf(err, errlen, -EEXIST, "another csumguard attach won the race: "
			       "csumguard is attached to %s now (tc egress filter, program id %u); "
			       "nothing to do, see it with: csumguard stats %s", o->ifname,
			       w.prog_id, o->ifname);
	if (w.state == CG_WHERE_HERE)
		return cg_errf(err, errlen, -EBUSY, "the counters pinned at %s are in use by "
			       "csumguard's egress filter on %s (ifindex %d, was %s); detach it "
			       "first: csumguard --pin-dir %s detach %s --egress", path,
			       w.ifname_now, w.ifindex, o->ifname, o->pin_dir, o->ifname);
	if (w.state == CG_WHERE_ELSEWHERE && cg_where_netns_named(&w))
		return cg_errf(err, errlen, -EBUSY, "the counters pinned at %s are in use by "
			       "csumguard program id %u in %s; detach it there first (nsenter "
			       "--net=%s csumguard --pin-dir %s detach %s --egress), or give each "
			       "namespace its own --pin-dir", path, w.prog_id, w.where, w.netns,
			       o->pin_dir, o->ifname);
	return cg_errf(err, errlen, -EBUSY, "the counters pinned at %s are in use by csumguard "
		       "program id %d (%s attached in another network namespace?); give each "
		       "namespace its own --pin-dir", path, user, o->ifname);
}

/* Is csumguard's egress (this pin dir's) on the interface already? The
 * message differs before the lock (already attached) and after it (another
 * attach got there first). 0, or -errno with err set. */
static int check_attached(const struct cg_tc_attach_opts *o, int locked, char *err,
			  size_t errlen)
{
	struct cg_tc_record t;
	struct cg_where w;

	cg_tc_locate(o->pin_dir, o->ifname, &w, &t);
	if (w.state != CG_WHERE_HERE || w.renamed)
		return 0;
	if (locked)
		return cg_errf(err, errlen, -EEXIST, "another csumguard attach won the race: "
			       "csumguard is attached to %s now (tc egress filter, program id %u); "
			       "nothing to do, see it with: csumguard stats %s", o->ifname,
			       w.prog_id, o->ifname);
	return cg_errf(err, errlen, -EEXIST, "csumguard is already attached to %s egress (tc "
		       "filter pref %u handle 0x%x, program id %u); detach it first: csumguard "
		       "detach %s --egress (its counters are kept)", o->ifname, t.priority,
		       t.handle, w.prog_id, o->ifname);
}

/* Puts the saved ports and mode back into the pinned (reused) maps. */
static void restore_settings(const struct cg_tc_attach_result *r)
{
	char path[PATH_MAX];
	int pfd, cfd;

	cg_iface_path(path, sizeof(path), r->pin_dir, r->ifname, CG_PIN_PORTS);
	pfd = cg_map_open(path);
	cg_iface_path(path, sizeof(path), r->pin_dir, r->ifname, CG_PIN_CONFIG);
	cfd = cg_map_open(path);
	cg_settings_restore(pfd, cfd, &r->saved);
	if (pfd >= 0)
		close(pfd);
	if (cfd >= 0)
		close(cfd);
}

/*
 * cls_bpf lets go of a deleted filter's program after an RCU grace period,
 * from a workqueue: until then the program is still loaded and, to the next
 * csumguard command, still "uses" the pinned maps. Waits (at most ~2 s)
 * until the kernel has unloaded it, so a detach is finished when it returns.
 */
static void prog_wait_gone(__u32 id)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int i, fd;

	for (i = 0; i < 200; i++) {
		fd = bpf_prog_get_fd_by_id(id);
		if (fd < 0)
			return;
		close(fd);
		nanosleep(&ts, NULL);
	}
}

/* Takes filter handle/priority off ifindex's egress hook if it still runs
 * prog_id, and the qdisc if qdisc_ours and nothing else is on it. Fills
 * qdisc_removed (1) or kept busy (0). 0, or -errno with a cause in why. */
static int filter_remove(int ifindex, __u32 handle, __u32 priority, __u32 prog_id,
			 int qdisc_ours, int *qdisc_removed, int *qdisc_busy, char *why,
			 size_t whylen)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, q, .handle = handle, .priority = priority);
	LIBBPF_OPTS(bpf_tc_opts, d, .handle = handle, .priority = priority);
	LIBBPF_OPTS(bpf_tc_opts, again, .handle = handle, .priority = priority);
	int e;

	*qdisc_removed = *qdisc_busy = 0;
	e = bpf_tc_query(&hook, &q);
	if (e) {
		snprintf(why, whylen, "csumguard's egress filter (pref %u handle 0x%x) left "
			 "the interface meanwhile (%s)", priority, handle, strerror(-e));
		return -ENOENT;
	}
	if (q.prog_id != prog_id) {
		snprintf(why, whylen, "the egress filter at pref %u handle 0x%x runs program "
			 "id %u, not csumguard's %u; it was left alone", priority, handle,
			 q.prog_id, prog_id);
		return -ENOENT;
	}
	cg_log_clear();
	e = bpf_tc_detach(&hook, &d);
	if (e) {
		snprintf(why, whylen, "removing the egress filter (pref %u handle 0x%x) failed: "
			 "%s", priority, handle, strerror(-e));
		return e;
	}
	if (!bpf_tc_query(&hook, &again) && again.prog_id == prog_id) {
		snprintf(why, whylen, "the egress filter (pref %u handle 0x%x) is still there "
			 "after removing it", priority, handle);
		return -EBUSY;
	}
	cg_prog_gone(prog_id);
	prog_wait_gone(prog_id);
	if (qdisc_ours) {
		e = qdisc_remove_if_unused(ifindex);
		if (e < 0) {
			snprintf(why, whylen, "the filter is gone, but removing the clsact qdisc "
				 "csumguard made failed: %s", strerror(-e));
			return e;
		}
		*qdisc_removed = e == 1;
		*qdisc_busy = e == 0;
	}
	return 0;
}

int cg_tc_attach(const struct cg_tc_attach_opts *o, struct cg_tc_attach_result *r,
		 char *err, size_t errlen)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, to, .priority = CG_TC_PRIORITY);
	char why[CG_ERRLEN], path[PATH_MAX];
	struct cg_config cfg = { .mode = o->mode, .flags = o->flags, .sample = o->sample };
	struct csumguard_tc *skel = NULL;
	struct bpf_map *maps[M_N];
	const char *pins[M_N] = { CG_PIN_PORTS, CG_PIN_CONFIG, CG_PIN_DST, CG_PIN_EGRESS,
				  CG_PIN_GSO_META, CG_PIN_BLOCKLIST, CG_PIN_BLOCK_COUNT };
	int fds[M_N], ifindex, lock = -1, e, i, ret, n_undo, rec_fd = -1, tc_fd = -1;
	int attached = 0, busy, removed;
	struct cg_attachment a = {};
	struct cg_tc_record t = {}, t_old = {};

	memset(r, 0, sizeof(*r));
	r->pin_dir = o->pin_dir;
	r->ifname = o->ifname;
	for (i = 0; i < M_N; i++)
		fds[i] = -1;
	if ((e = cg_check_privileges(CG_NEED_ATTACH, "attach", err, errlen)))
		return e;
	r->nports = cg_port_table(o->ports, o->nports, o->no_default_ports, r->ports,
				  (int)(sizeof(r->ports) / sizeof(r->ports[0])), err, errlen);
	if (r->nports < 0)
		return -EINVAL;
	ifindex = cg_netdev_index(o->ifname, err, errlen);
	if (ifindex < 0)
		return ifindex;
	r->ifindex = ifindex;
	hook.ifindex = ifindex;

	if ((ret = cg_pin_dir_ready(o->pin_dir, 1, &r->mounted, &r->undo, err, errlen)) < 0)
		goto out;
	if ((ret = check_attached(o, 0, err, errlen)))
		goto out;
	lock = cg_pin_lock(o->pin_dir);
	if (lock < 0) {
		ret = cg_errf(err, errlen, lock, "cannot lock %s: %s; check that it is a "
			      "directory on bpffs", o->pin_dir, strerror(-lock));
		goto out;
	}
	if ((ret = check_attached(o, 1, err, errlen)) ||
	    (ret = cg_dir_make(o->pin_dir, o->ifname, CG_DIR_EGRESS, &r->undo, &r->reused, err, errlen)))
		goto out;

	skel = csumguard_tc__open();
	if (!skel) {
		ret = cg_errf(err, errlen, errno ? -errno : -ENOMEM, "cannot open the embedded "
			      "TC BPF object: %s; rebuild csumguard (make), or rerun with "
			      "--verbose", strerror(errno ? errno : ENOMEM));
		goto out;
	}
	maps[M_PORTS] = skel->maps.cg_ports;
	maps[M_CONFIG] = skel->maps.cg_config;
	maps[M_DST] = skel->maps.cg_dst;
	maps[M_EGRESS] = skel->maps.cg_egress;
	maps[M_META] = skel->maps.cg_gso_meta_first;
	maps[M_BLOCK] = skel->maps.cg_blocklist;
	maps[M_BLOCK_COUNT] = skel->maps.cg_block_count;
	/* The destination table's size: the pinned one's, or what fits
	 * --memory on this machine's CPUs (sizing.h). */
	cg_dir_path(path, sizeof(path), o->pin_dir, o->ifname, CG_DIR_EGRESS, CG_PIN_DST);
	if ((ret = cg_size_table(&cg_table_dst, skel->maps.cg_dst, NULL, path, o->ifname, o->dests,
				 o->memory, &r->table, err, errlen)))
		goto out;
	if (bpf_map__set_max_entries(skel->maps.cg_dst, r->table.entries)) {
		ret = cg_errf(err, errlen, -EINVAL, "cannot size the destination table to %u",
			      r->table.entries);
		goto out;
	}
	for (i = 0; i < M_N; i++) {
		if (i == M_BLOCK || i == M_BLOCK_COUNT)
			snprintf(path, sizeof(path), "%s/%s", o->pin_dir, pins[i]);
		else if (i == M_PORTS || i == M_CONFIG)	/* the interface's, both hooks */
			cg_iface_path(path, sizeof(path), o->pin_dir, o->ifname, pins[i]);
		else
			cg_dir_path(path, sizeof(path), o->pin_dir, o->ifname, CG_DIR_EGRESS,
				    pins[i]);
		n_undo = r->undo.n;
		fds[i] = cg_map_open_or_create(maps[i], bpf_object__btf(skel->obj), path,
					       &r->undo, why, sizeof(why));
		if (fds[i] == -ESTALE) {
			if (i == M_BLOCK || i == M_BLOCK_COUNT)
				ret = cg_errf(err, errlen, -ESTALE, "%s; it was made by another "
					      "csumguard version: note the entries (csumguard "
					      "blocklist), rm %s, and block them again", why, path);
			else
				ret = cg_errf(err, errlen, -ESTALE, "%s; keep the old setting or "
					      "start afresh with `csumguard detach %s --purge` "
					      "(drops its counters)", why, o->ifname);
			goto out;
		}
		if (fds[i] < 0) {
			ret = cg_errf(err, errlen, fds[i], "%s; check that %s is on bpffs and you "
				      "are root", why, o->pin_dir);
			goto out;
		}
		/* in use: by the totals map, which every program version uses */
		if (i == M_EGRESS && r->undo.n == n_undo && (e = cg_map_user(fds[i]))) {
			ret = in_use(o, path, e, err, errlen);
			goto out;
		}
		if (i == M_DST && !r->table.estimated)	/* the kernel's own figure */
			cg_map_memlock(fds[i], &r->table.bytes);
		if (i == M_CONFIG && r->undo.n == n_undo)
			cg_settings_save_config(fds[i], &r->saved);
		if (i == M_PORTS && r->undo.n == n_undo)
			cg_settings_save_ports(fds[i], &r->saved);
		if ((e = bpf_map__reuse_fd(maps[i], fds[i]))) {
			ret = cg_errf(err, errlen, e, "cannot use pinned map %s: %s; rerun with "
				      "--verbose", path, strerror(-e));
			goto out;
		}
	}

	/* Settings first: the filter starts with the right ports, mode and
	 * blocklist gate. */
	if ((ret = cg_settings_write(fds[M_PORTS], fds[M_CONFIG], fds[M_BLOCK],
				     fds[M_BLOCK_COUNT], r->ports, r->nports, &cfg, err, errlen)))
		goto out_restore;
	rec_fd = cg_attachment_open_or_create(o->pin_dir, o->ifname, CG_DIR_EGRESS, &r->undo,
					      why, sizeof(why));
	if (rec_fd >= 0)
		tc_fd = cg_tc_record_open_or_create(o->pin_dir, o->ifname, &r->undo, why,
						    sizeof(why));
	if (rec_fd < 0 || tc_fd < 0) {
		e = rec_fd < 0 ? rec_fd : tc_fd;
		ret = cg_errf(err, errlen, e, "%s; %s", why, e == -ESTALE ? "it was made by "
			      "another csumguard version: start afresh with `csumguard detach "
			      "IFACE --purge`" : "check --pin-dir and that you are root");
		goto out_restore;
	}

	cg_log_clear();
	/* One of the two programs: the one with skb facts where the kernel has
	 * bpf_cast_to_kern_ctx, else the one without (bpf/README.md "Facts"). */
	r->facts = cg_probe_tc_facts();
	bpf_program__set_autoload(skel->progs.csumguard_tcf, r->facts);
	bpf_program__set_autoload(skel->progs.csumguard_tc, !r->facts);
	if ((e = csumguard_tc__load(skel))) {
		ret = load_failed(e, err, errlen);
		goto out_restore;
	}

	/* The clsact qdisc: made here only if the interface has none. The tc
	 * record says "ours" before the qdisc exists, and the filter is found
	 * by its map without a record (cg_tc_locate): an attach killed at any
	 * point leaves state the next detach takes off completely. A qdisc
	 * left by such an attach (the record says ours, no filter of ours on
	 * it) stays ours. */
	if (bpf_map_lookup_elem(tc_fd, &(__u32){ 0 }, &t_old))
		memset(&t_old, 0, sizeof(t_old));
	t.priority = CG_TC_PRIORITY;
	t.flags = CG_TC_QDISC_CREATED;
	if ((e = cg_tc_record_write(tc_fd, &t))) {
		ret = cg_errf(err, errlen, e, "cannot write the egress record in %s: %s; check "
			      "--pin-dir and that you are root", o->pin_dir, strerror(-e));
		goto out_restore;
	}
	e = bpf_tc_hook_create(&hook);
	if (e && e != -EEXIST) {
		ret = cg_errf(err, errlen, e, "cannot add a clsact qdisc to %s: %s; check `tc "
			      "qdisc show dev %s` (an `ingress` qdisc there must be replaced by "
			      "clsact) and that the kernel has sch_ingress (clsact)", o->ifname,
			      strerror(-e), o->ifname);
		goto out_record;
	}
	r->qdisc_created = e == 0 || (t_old.flags & CG_TC_QDISC_CREATED);
	if (!r->qdisc_created) {
		t.flags = 0;
		if ((e = cg_tc_record_write(tc_fd, &t))) {
			ret = cg_errf(err, errlen, e, "cannot write the egress record in %s: %s; "
				      "check --pin-dir and that you are root", o->pin_dir,
				      strerror(-e));
			goto out_record;
		}
	}
	to.prog_fd = bpf_program__fd(r->facts ? skel->progs.csumguard_tcf :
						     skel->progs.csumguard_tc);
	e = bpf_tc_attach(&hook, &to);
	if (e) {
		snprintf(why, sizeof(why), "cannot add csumguard's filter to %s egress (pref "
			 "%u): %s", o->ifname, CG_TC_PRIORITY, strerror(-e));
		if (e == -EINVAL || e == -EEXIST)
			ret = cg_errf(err, errlen, e, "%s; another filter of another kind may "
				      "hold that pref: check `tc filter show dev %s egress`", why,
				      o->ifname);
		else
			ret = cg_errf(err, errlen, e, "%s; check that the kernel has cls_bpf and "
				      "rerun with --verbose", why);
		goto out_qdisc;
	}
	attached = 1;
	r->handle = to.handle;
	r->priority = to.priority;
	r->prog_id = to.prog_id;

	/* Record where it went; any failure from here takes it off again. */
	a.ifindex = (__u32)ifindex;
	a.prog_id = r->prog_id;
	a.attached_unix = (__u64)time(NULL);
	snprintf(a.ifname, sizeof(a.ifname), "%s", o->ifname);
	t.handle = r->handle;
	t.priority = r->priority;
	t.flags = r->qdisc_created ? CG_TC_QDISC_CREATED : 0;
	if ((e = cg_netns_self(&a.netns_dev, &a.netns_ino)) ||
	    (e = cg_tc_record_write(tc_fd, &t)) || (e = cg_attachment_write(rec_fd, &a))) {
		ret = cg_errf(err, errlen, e, "cannot record the egress attachment in %s: %s; "
			      "csumguard took its filter off %s again", o->pin_dir, strerror(-e),
			      o->ifname);
		goto out_qdisc;
	}
	cg_iface_path(r->state_dir, sizeof(r->state_dir), o->pin_dir, o->ifname, NULL);
	ret = 0;
	goto out;

out_qdisc:
	if (attached &&
	    filter_remove(ifindex, r->handle, r->priority, r->prog_id, r->qdisc_created,
			  &removed, &busy, why, sizeof(why))) {
		char cause[CG_ERRLEN];

		snprintf(cause, sizeof(cause), "%s", err);
		ret = cg_errf(err, errlen, ret, "%s, and taking csumguard's filter off again "
			      "failed (%s): remove it: tc filter del dev %s egress pref %u handle "
			      "0x%x bpf", cause, why, o->ifname, r->priority, r->handle);
		goto out_restore;	/* the record names the filter still there */
	}
out_record:
	/* The record as it was, unless the qdisc it called ours is gone. */
	if (r->qdisc_created && qdisc_remove_if_unused(ifindex) == 1)
		t_old.flags &= ~CG_TC_QDISC_CREATED;
	cg_tc_record_write(tc_fd, &t_old);
out_restore:
	restore_settings(r);
out:
	if (ret) {
		cg_undo_run(&r->undo);	/* also unmounts a bpffs this run mounted */
		r->mounted = 0;
		cg_settings_free(&r->saved);
	}
	if (rec_fd >= 0)
		close(rec_fd);
	if (tc_fd >= 0)
		close(tc_fd);
	csumguard_tc__destroy(skel);	/* the filter holds the program */
	for (i = 0; i < M_N; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (lock >= 0)
		close(lock);
	return ret;
}

void cg_tc_attach_keep(struct cg_tc_attach_result *r)
{
	r->undo.n = 0;
	cg_undo_run(&r->undo);
	cg_settings_free(&r->saved);
}

int cg_tc_attach_undo(struct cg_tc_attach_result *r, char *err, size_t errlen)
{
	char why[CG_ERRLEN] = "";
	int removed, busy, e;

	e = filter_remove(r->ifindex, r->handle, r->priority, r->prog_id, r->qdisc_created,
			  &removed, &busy, why, sizeof(why));
	if (e) {
		/* Keep the pins: they name the filter that is still there. */
		cg_tc_attach_keep(r);
		return cg_errf(err, errlen, e, "%s; remove it: tc filter del dev %s egress pref "
			       "%u handle 0x%x bpf", why, r->ifname, r->priority, r->handle);
	}
	restore_settings(r);
	cg_undo_run(&r->undo);
	r->mounted = 0;
	cg_settings_free(&r->saved);
	return 0;
}

/* ------------------------------------------------------------ detach */

/* The tc record without "the qdisc is ours" once that qdisc is gone. */
static void record_qdisc_gone(const char *pin_dir, const char *ifname)
{
	struct cg_tc_record t;
	char path[PATH_MAX];
	int fd;

	if (cg_tc_record_read(pin_dir, ifname, &t))
		return;
	t.flags &= ~CG_TC_QDISC_CREATED;
	cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_EGRESS, CG_PIN_TC_FILTER);
	fd = cg_map_open(path);
	if (fd >= 0) {
		cg_tc_record_write(fd, &t);
		close(fd);
	}
}

/* Marks the egress record detached (the state stays for a later attach). */
static void record_detach(const char *pin_dir, const char *ifname)
{
	struct cg_attachment a;
	char path[PATH_MAX];
	int fd;

	if (cg_attachment_read(pin_dir, ifname, CG_DIR_EGRESS, &a))
		return;
	a.prog_id = 0;
	cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_EGRESS, CG_PIN_ATTACHMENT);
	fd = cg_map_open(path);
	if (fd >= 0) {
		cg_attachment_write(fd, &a);
		close(fd);
	}
}

/* --purge of the egress state: never while a loaded program uses it; the
 * interface's own pins go with the last direction. */
static int purge_state(const char *pin_dir, const char *ifname, struct cg_tc_detach_result *r,
		       char *err, size_t errlen)
{
	char path[PATH_MAX];
	int user, fd, e;

	cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_EGRESS, CG_PIN_EGRESS);
	fd = cg_map_open(path);
	user = fd >= 0 ? cg_map_user(fd) : 0;
	if (fd >= 0)
		close(fd);
	cg_dir_path(r->state_dir, sizeof(r->state_dir), pin_dir, ifname, CG_DIR_EGRESS, NULL);
	if (user)
		return cg_errf(err, errlen, user < 0 ? user : -EBUSY, "csumguard program %d "
			       "still uses %s (%s); nothing was removed, rerun the detach", user,
			       r->state_dir, user < 0 ? strerror(-user) : "it came back");
	cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_INGRESS, NULL);
	if (cg_exists(path) || cg_pin_layout(pin_dir, ifname) == 1) {
		e = cg_dir_purge(pin_dir, ifname, CG_DIR_EGRESS);
	} else {
		cg_iface_path(r->state_dir, sizeof(r->state_dir), pin_dir, ifname, NULL);
		e = cg_iface_purge(pin_dir, ifname);
		r->purged_iface = !e;
	}
	if (!e)
		r->purged = 1;
	else
		e = cg_errf(err, errlen, e, "cannot remove %s: %s; remove it by hand (rm -r %s)",
			    r->state_dir, strerror(-e), r->state_dir);
	if (r->purged_iface)
		cg_pin_dir_tidy(pin_dir);
	return e;
}

int cg_tc_detach(const char *pin_dir, const char *ifname, int purge,
		 struct cg_tc_detach_result *r, char *err, size_t errlen)
{
	char why[CG_ERRLEN], dir[PATH_MAX];
	struct cg_tc_record t;
	struct cg_where w;
	int e, lock = -1, mounted;

	memset(r, 0, sizeof(*r));
	snprintf(r->shown, sizeof(r->shown), "%s", ifname);
	if ((e = cg_check_privileges(CG_NEED_ATTACH, "detach", err, errlen)))
		return e;
	e = cg_pin_dir_ready(pin_dir, 0, &mounted, NULL, err, errlen);
	if (e < 0)
		return e;
	cg_iface_path(r->state_dir, sizeof(r->state_dir), pin_dir, ifname, NULL);
	cg_dir_path(dir, sizeof(dir), pin_dir, ifname, CG_DIR_EGRESS, NULL);
	if (e == 1 || !cg_exists(dir))
		return cg_errf(err, errlen, -ENOENT, "csumguard is not attached to %s egress (no "
			       "egress state for it under %s); nothing to detach", ifname,
			       pin_dir);
	lock = cg_pin_lock(pin_dir);
	cg_tc_locate(pin_dir, ifname, &w, &t);
	if (w.ifname_now[0])
		snprintf(r->shown, sizeof(r->shown), "%s", w.ifname_now);
	r->ifindex = w.ifindex;
	switch (w.state) {
	case CG_WHERE_UNKNOWN:
		e = cg_errf(err, errlen, -EAGAIN, "cannot tell where csumguard's egress program "
			    "for %s runs (%s); nothing was changed", ifname, w.why);
		goto out;
	case CG_WHERE_ELSEWHERE:
		if (cg_where_netns_named(&w))
			e = cg_errf(err, errlen, -EBUSY, "csumguard's egress program for %s (id "
				    "%u) is live in %s; detach it from that namespace first: "
				    "nsenter --net=%s csumguard --pin-dir %s detach %s%s", ifname,
				    w.prog_id, w.where, w.netns, pin_dir, ifname,
				    purge ? " --purge" : "");
		else
			e = cg_errf(err, errlen, -EBUSY, "csumguard's egress program for %s (id "
				    "%u) is live on %s; detach it there first (bpftool prog show "
				    "id %u)", ifname, w.prog_id, w.where, w.prog_id);
		goto out;
	case CG_WHERE_HERE:
		r->renamed = w.renamed;
		r->handle = t.handle;
		r->priority = t.priority;
		r->prog_id = w.prog_id;
		if ((e = filter_remove(w.ifindex, t.handle, t.priority, w.prog_id,
				       !!(t.flags & CG_TC_QDISC_CREATED), &r->qdisc_removed,
				       &r->qdisc_kept_busy, why, sizeof(why)))) {
			e = cg_errf(err, errlen, e, "%s; check `tc filter show dev %s egress` "
				    "and rerun with --verbose", why, r->shown);
			goto out;
		}
		record_detach(pin_dir, ifname);
		if (r->qdisc_removed)
			record_qdisc_gone(pin_dir, ifname);
		r->detached = 1;
		if (!purge)
			goto out;
		break;
	case CG_WHERE_NONE:
		/* A clsact qdisc an attach made and never put its filter on
		 * (it was killed): purging forgets it, so it goes first. */
		if (purge && w.ifindex && (t.flags & CG_TC_QDISC_CREATED))
			r->qdisc_removed = qdisc_remove_if_unused(w.ifindex) == 1;
		if (purge)
			break;
		if (!w.ifindex)
			e = cg_errf(err, errlen, -ENODEV, "no interface '%s' here, and no csumguard "
				    "egress program uses its state; its counters stay at %s: "
				    "`csumguard detach %s --purge` removes them", ifname,
				    r->state_dir, ifname);
		else
			e = cg_errf(err, errlen, -ENOENT, "csumguard is not attached to %s egress "
				    "(no csumguard filter of this pin dir there); its pinned "
				    "counters stay: add --purge to remove them", r->shown);
		goto out;
	}
	e = purge_state(pin_dir, ifname, r, err, errlen);
out:
	if (lock >= 0)
		close(lock);
	return e;
}
