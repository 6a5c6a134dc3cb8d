// SPDX-License-Identifier: GPL-2.0
/* xdp_attach.c - see xdp_attach.h. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>
#include "err.h"
#include "locate.h"
#include "log.h"
#include "maps.h"
#include "netdev.h"
#include "nodes.h"
#include "pins.h"
#include "memsize.h"
#include "probe.h"
#include "xdp_attach.h"
#include "xdp_obj.h"
#include "xdp_progs.h"

/* The helper a verifier log says the kernel lacks ("unknown func
 * bpf_xdp_load_bytes#189"), into buf; 0 if none. */
static int unknown_helper(const char *log, char *buf, size_t len)
{
	const char *p = strstr(log, "unknown func ");
	size_t n = 0;

	if (!p)
		return 0;
	p += strlen("unknown func ");
	while (p[n] && p[n] != '#' && p[n] != '\n' && p[n] != ' ' && n + 1 < len)
		n++;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return n > 0;
}

/* Where the messages were saved, for the line: "in FILE (rerun with
 * --verbose to print it)", or "above (--verbose)". */
static const char *log_where(const char *what, char *buf, size_t len)
{
	char file[PATH_MAX];

	if (!cg_log_echoes() && !cg_log_save(what, file, sizeof(file)))
		snprintf(buf, len, "in %s (rerun with --verbose to print it)", file);
	else
		snprintf(buf, len, "above (--verbose)");
	return buf;
}

/* The line for a failed xdp_program__attach, naming the cause the errno and
 * libbpf's/libxdp's messages give: a verifier rejection (its log saved), a
 * helper the kernel lacks, a load flag refused before the verifier ran, no
 * native XDP, the MTU; never a guess about privileges (attach checked them
 * before it started). */
/* Did libbpf's messages say the kernel refused to load the program (a
 * verifier log, or a load that failed before the verifier)? */
static int load_refused(const char *log)
{
	return strstr(log, "PROG LOAD LOG") || strstr(log, "processed ") ||
	       strstr(log, "load failed") || strstr(log, "failed to load");
}

static int attach_failed(const struct cg_xdp_attach_opts *o, const struct cg_features *f,
			 enum cg_xdp_variant v, int e, const char *other_progs, char *err,
			 size_t errlen)
{
	const char *log = cg_log_text(), *vname = cg_xdp_variant_name(v);
	const char *pname = cg_xdp_variant_prog(v);
	char where[PATH_MAX + 64], drv[64], fn[64];
	int mtu, vlog = strstr(log, "PROG LOAD LOG") || strstr(log, "processed ");
	int load_failed = strstr(log, "load failed") || strstr(log, "failed to load");

	if (vlog && unknown_helper(log, fn, sizeof(fn)))
		return cg_errf(err, errlen, e, "the kernel (%s) has no helper %s, which csumguard's "
			       "%s XDP program (%s) calls: its verifier refused it (%s); the log is "
			       "%s; report it with that log (the program variant should have been "
			       "chosen by probing: %s)", f->release, fn, vname, pname, strerror(-e),
			       log_where("verifier", where, sizeof(where)), CG_PROG_NAME_SB);
	if (vlog && strstr(log, "Unrecognized arg#"))
		return cg_errf(err, errlen, e, "the kernel (%s) refused csumguard's %s XDP program "
			       "(%s) as a component of libxdp's dispatcher: its freplace verifier "
			       "does not take global functions with a struct xdp_md * argument "
			       "(%s); the log is %s; detach the other XDP programs on %s so that "
			       "csumguard runs alone there", f->release, vname, pname,
			       strerror(-e), log_where("verifier", where, sizeof(where)),
			       o->ifname);
	if (vlog)
		return cg_errf(err, errlen, e, "the kernel (%s) verifier rejected csumguard's %s "
			       "XDP program (%s: %s); its log is %s; report it with that log",
			       f->release, vname, pname, strerror(-e),
			       log_where("verifier", where, sizeof(where)));
	if (load_failed && e == -EINVAL)
		return cg_errf(err, errlen, e, "the kernel (%s) refused to load csumguard's %s XDP "
			       "program (%s) before its verifier ran (%s, no verifier log): a load "
			       "flag or program attribute it does not know%s; libbpf's messages are "
			       "%s", f->release, vname, pname, strerror(-e),
			       cg_xdp_variant_frags(v) ? " (BPF_F_XDP_HAS_FRAGS: 5.18+)" : "",
			       log_where("attach", where, sizeof(where)));
	if (e == -EOPNOTSUPP && o->xdp_mode == XDP_MODE_NATIVE) {
		cg_netdev_driver(o->ifname, drv, sizeof(drv));
		return cg_errf(err, errlen, e, "%s (driver %s) has no native XDP; attach it "
			       "with --xdp-mode skb", o->ifname, drv);
	}
	if (e == -EPERM || e == -EACCES)
		return cg_errf(err, errlen, e, "the kernel (%s) refused to %s csumguard's XDP "
			       "program (%s) although this process has the capabilities attach "
			       "needs: kernel lockdown, an LSM or seccomp forbids it (dmesg may "
			       "say which), or before 5.11 the memlock limit (ulimit -l); "
			       "libbpf's messages are %s", f->release, load_failed ? "load" :
			       "attach", strerror(-e), log_where("attach", where, sizeof(where)));
	mtu = cg_netdev_mtu(o->ifname);
	if ((e == -EINVAL || e == -ERANGE) && mtu > 3500 && o->xdp_mode == XDP_MODE_NATIVE)
		return cg_errf(err, errlen, e, "%s has MTU %d, too large for native XDP without "
			       "frags support (XDP programs there: %s; one without frags turns "
			       "frags off for all); load them all with frags support, or attach "
			       "with --xdp-mode skb", o->ifname, mtu, other_progs);
	return cg_errf(err, errlen, e, "attaching XDP to %s failed: %s; libbpf/libxdp log %s",
		       o->ifname, strerror(-e), log_where("attach", where, sizeof(where)));
}

enum { M_PORTS, M_CONFIG, M_SRC, M_SRC_KEPT, M_IFACE, M_BLOCK, M_BLOCK_COUNT, M_NODES,
       M_NODE_COUNT, M_TTL_SEEN, M_SRC_NODES, M_TRACE, M_SRC_RARE, M_SRC_KEPT_RARE,
       M_SRC_NODES_RARE, M_SRC_CACHE, M_N };

/* The pin dir's own maps, shared by every interface: pinned at PIN_DIR/NAME. */
#define M_GLOBAL(i) ((i) == M_BLOCK || (i) == M_BLOCK_COUNT || (i) == M_NODES || \
		     (i) == M_NODE_COUNT || (i) == M_TTL_SEEN)

/* The line for counters (at path) that csumguard program user (or a failed
 * lookup, < 0) already uses: where it runs, and what to do. */
static int in_use(const struct cg_xdp_attach_opts *o, const char *path, int user, char *err,
		  size_t errlen)
{
	struct cg_where w;

	if (user < 0)
		return cg_errf(err, errlen, user, "cannot tell whether the counters pinned at "
			       "%s are in use (%s); run as root", path, strerror(-user));
	cg_locate(o->pin_dir, o->ifname, &w);
	if (w.state == CG_WHERE_HERE && !w.renamed)
		return cg_errf(err, errlen, -EEXIST, "another csumguard attach won the race: "
			       "csumguard is attached to %s now (%s XDP); nothing to do, see it "
			       "with: csumguard stats %s", o->ifname, w.xdp_mode, o->ifname);
	if (w.state == CG_WHERE_HERE)
		return cg_errf(err, errlen, -EBUSY, "the counters pinned at %s are in use by "
			       "csumguard on %s (ifindex %d, was %s); detach it first: csumguard "
			       "--pin-dir %s detach %s", path, w.ifname_now, w.ifindex, o->ifname,
			       o->pin_dir, o->ifname);
	if (w.state == CG_WHERE_ELSEWHERE && cg_where_netns_named(&w))
		return cg_errf(err, errlen, -EBUSY, "the counters pinned at %s are in use by "
			       "csumguard program id %u in %s; detach it there first (nsenter "
			       "--net=%s csumguard --pin-dir %s detach %s), or give each namespace "
			       "its own --pin-dir", path, w.prog_id, w.where, w.netns, o->pin_dir,
			       o->ifname);
	return cg_errf(err, errlen, -EBUSY, "the counters pinned at %s are in use by csumguard "
		       "program id %d (%s attached in another network namespace?); give each "
		       "namespace its own --pin-dir", path, user, o->ifname);
}

/* Writes where the program went. 0 or -errno. */
static int record_attach(int rec_fd, const char *ifname, int ifindex, __u32 prog_id)
{
	struct cg_attachment a = {
		.ifindex = (__u32)ifindex,
		.prog_id = prog_id,
		.attached_unix = (__u64)time(NULL),
	};
	int e = cg_netns_self(&a.netns_dev, &a.netns_ino);

	snprintf(a.ifname, sizeof(a.ifname), "%s", ifname);
	return e ? e : cg_attachment_write(rec_fd, &a);
}

/* Marks the record detached (the state stays for a later attach). */
static void record_detach(const char *pin_dir, const char *ifname)
{
	struct cg_attachment a;
	char path[PATH_MAX];
	int fd;

	if (cg_attachment_read(pin_dir, ifname, CG_DIR_INGRESS, &a))
		return;
	a.prog_id = 0;
	cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_INGRESS, CG_PIN_ATTACHMENT);
	fd = cg_map_open(path);
	if (fd >= 0) {
		cg_attachment_write(fd, &a);
		close(fd);
	}
}

/*
 * After xdp_program__attach succeeded but the attach cannot be completed:
 * takes our program off ifindex again, with the handle still held (libxdp),
 * else by the kernel's compare-and-replace on its fd (only our program is
 * removed), verifies, and writes the one line: cause + outcome.
 */
static int undo_attach(const struct cg_xdp_attach_opts *o, struct xdp_program *prog, int ifindex,
		       const char *cause, char *err, size_t errlen)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, ao, .old_prog_fd = xdp_program__fd(prog));
	__u32 id = xdp_program__id(prog);
	int e;

	if (xdp_program__detach(prog, ifindex, o->xdp_mode, 0))
		bpf_xdp_detach(ifindex, o->xdp_mode == XDP_MODE_SKB ? XDP_FLAGS_SKB_MODE :
			       XDP_FLAGS_DRV_MODE, &ao);
	e = cg_xdp_prog_on(ifindex, id);
	if (e == 0)
		return cg_errf(err, errlen, -EIO, "%s; csumguard took its program off %s again "
			       "and changed nothing; rerun with --verbose and check `xdp-loader "
			       "status %s`", cause, o->ifname, o->ifname);
	return cg_errf(err, errlen, -EIO, "%s, and csumguard's program (id %u) may still be on "
		       "%s; remove it: xdp-loader unload %s --id %u (or ip link set dev %s xdp "
		       "off)", cause, id, o->ifname, o->ifname, id, o->ifname);
}

/* What is on the interface already: may csumguard join it (or, alone, take
 * it: the plan says the dispatcher cannot hold csumguard's program on this
 * kernel)? Fills progs (names, for later messages). 0, or -errno with err
 * set. */
static int check_iface(const struct cg_xdp_attach_opts *o, const struct cg_features *f,
		       const struct cg_xdp_plan *plan, int ifindex, char *progs, size_t len,
		       char *err, size_t errlen)
{
	struct xdp_multiprog *mp;
	enum xdp_attach_mode m;
	int e = 0;

	mp = cg_xdp_progs(ifindex, &e);
	if (!mp)
		return 0;
	cg_xdp_prog_names(mp, progs, len);
	m = xdp_multiprog__attach_mode(mp);
	if (cg_xdp_find_ours(mp))
		e = cg_errf(err, errlen, -EEXIST, "csumguard is already attached to %s (%s XDP); "
			    "detach it first: csumguard detach %s (its counters are kept)",
			    o->ifname, cg_xdp_mode_str(m), o->ifname);
	else if (plan->alone)
		e = cg_errf(err, errlen, -EBUSY, "%s already runs XDP programs (%s), and csumguard "
			    "cannot join them on this kernel (%s): its freplace verifier refuses "
			    "csumguard's program as a libxdp dispatcher component (global "
			    "functions taking struct xdp_md *, refused by 5.10), so csumguard "
			    "runs alone or not at all; unload them first (xdp-loader unload %s "
			    "--all), or attach csumguard to another interface", o->ifname, progs,
			    f->release, o->ifname);
	else if (xdp_multiprog__is_legacy(mp))
		e = cg_errf(err, errlen, -EBUSY, "%s already has XDP program %s attached on its "
			    "own, not through a libxdp dispatcher, so csumguard cannot join it; "
			    "unload it (xdp-loader unload %s --all) or reload it with xdp-loader "
			    "where the kernel allows the dispatcher", o->ifname, progs, o->ifname);
	else if (m != o->xdp_mode)
		e = cg_errf(err, errlen, -EBUSY, "%s already has libxdp programs (%s) in %s mode; "
			    "attach with --xdp-mode %s to share their dispatcher", o->ifname,
			    progs, cg_xdp_mode_str(m), cg_xdp_mode_str(m));
	xdp_multiprog__close(mp);
	return e;
}

/* Which variant this kernel runs (probe.h): the floor, then multi-buffer
 * where xdp.frags is, else single-buffer (up to MTU CG_XDP_SB_MAX_MTU in
 * native mode), alone where the kernel's freplace verifier refuses it as a
 * dispatcher component. */
static int make_plan(const struct cg_xdp_attach_opts *o, struct cg_features *feat,
		     struct cg_xdp_plan *plan, char *err, size_t errlen)
{
	int e;

	cg_features_init(feat);
	if ((e = cg_kernel_floor_check(feat, err, errlen)))
		return e;
	cg_probe_xdp(feat);
	if (!cg_features_multi_buf(feat))
		cg_probe_freplace(feat);
	return cg_xdp_plan(feat, o->xdp_mode == XDP_MODE_NATIVE, cg_netdev_mtu(o->ifname),
			   o->ifname, plan, err, errlen);
}

int cg_xdp_attach_precheck(const struct cg_xdp_attach_opts *o, char *err, size_t errlen)
{
	struct cg_features feat;
	struct cg_xdp_plan plan;
	char progs[256];
	int ifindex, e;

	/* The plan cg_xdp_attach makes decides what may share the interface. */
	if ((e = make_plan(o, &feat, &plan, err, errlen)))
		return e;
	ifindex = cg_netdev_index(o->ifname, err, errlen);
	if (ifindex < 0)
		return ifindex;
	return check_iface(o, &feat, &plan, ifindex, progs, sizeof(progs), err, errlen);
}

/* Another attach of the same pin dir may have finished while this one
 * waited for the lock. */
static int lost_race(const struct cg_xdp_attach_opts *o, int ifindex, char *err, size_t errlen)
{
	struct xdp_multiprog *mp;
	int e = 0;

	mp = cg_xdp_progs(ifindex, &e);
	if (!mp)
		return 0;
	e = 0;
	if (cg_xdp_find_ours(mp))
		e = cg_errf(err, errlen, -EEXIST, "another csumguard attach won the race: "
			    "csumguard is attached to %s now (%s XDP); nothing to do, see it "
			    "with: csumguard stats %s", o->ifname,
			    cg_xdp_mode_str(xdp_multiprog__attach_mode(mp)), o->ifname);
	xdp_multiprog__close(mp);
	return e;
}

/* One attach of the plan's variant, or of force_variant if >= 0. *refused:
 * the kernel refused to load the program (its verifier, or before it). */
static int attach_variant(const struct cg_xdp_attach_opts *o, struct cg_xdp_attach_result *r,
			  int force_variant, int *refused, char *err, size_t errlen)
{
	char why[CG_ERRLEN], path[PATH_MAX], before[256] = "none";
	struct cg_settings saved = {};
	struct cg_config cfg = { .mode = o->mode, .flags = o->flags, .sample = o->sample };
	struct cg_undo undo = {};
	struct cg_xdp_obj xo = {};
	struct cg_features feat;
	struct cg_xdp_plan plan;
	struct xdp_program *prog = NULL;
	struct xdp_multiprog *mp;
	struct bpf_map *maps[M_N];
	const char *pins[M_N] = { CG_PIN_PORTS, CG_PIN_CONFIG, CG_PIN_SRC, CG_PIN_SRC_KEPT,
				  CG_PIN_IFACE, CG_PIN_BLOCKLIST, CG_PIN_BLOCK_COUNT,
				  CG_PIN_NODES, CG_PIN_NODE_COUNT, CG_PIN_TTL_SEEN,
				  CG_PIN_SRC_NODES, CG_PIN_TRACE, CG_PIN_SRC_RARE,
				  CG_PIN_SRC_KEPT_RARE, CG_PIN_SRC_NODES_RARE, CG_PIN_SRC_CACHE };
	int fds[M_N], ifindex, lock = -1, e, i, ret, n_undo_pins, rec_fd = -1;
	const char *map_names[M_N] = { "cg_ports", "cg_config", "cg_src", "cg_src_kept",
				       "cg_iface", "cg_blocklist", "cg_block_count", "cg_nodes",
				       "cg_node_count", "cg_ttl_seen", "cg_src_nodes", "cg_trace",
				       "cg_src_rare", "cg_src_kept_rare", "cg_src_nodes_rare",
				       "cg_src_cache" };
	const char *skip_env;
	char *saved_skip = NULL;
	__u32 prog_id;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < M_N; i++)
		fds[i] = -1;
	if ((e = cg_check_privileges(CG_NEED_ATTACH, "attach", err, errlen)))
		return e;
	if ((e = make_plan(o, &feat, &plan, err, errlen)))
		return e;
	if (force_variant >= 0)
		plan.variant = (enum cg_xdp_variant)force_variant;
	r->variant = plan.variant;
	r->alone_planned = plan.alone;
	cg_features_str(&feat, r->features, sizeof(r->features));
	snprintf(r->kernel, sizeof(r->kernel), "%s", feat.release);
	r->nports = cg_port_table(o->ports, o->nports, o->no_default_ports, r->ports,
				  (int)(sizeof(r->ports) / sizeof(r->ports[0])), err, errlen);
	if (r->nports < 0)
		return -EINVAL;
	ifindex = cg_netdev_index(o->ifname, err, errlen);
	if (ifindex < 0)
		return ifindex;
	r->ifindex = ifindex;
	if ((e = check_iface(o, &feat, &plan, ifindex, before, sizeof(before), err, errlen)))
		return e;

	/* Pinned state: bpffs, directories, the maps. */
	if ((ret = cg_pin_dir_ready(o->pin_dir, 1, &r->mounted, &undo, err, errlen)) < 0)
		goto out;
	lock = cg_pin_lock(o->pin_dir);
	if (lock < 0) {
		ret = cg_errf(err, errlen, lock, "cannot lock %s: %s; check that it is a "
			      "directory on bpffs", o->pin_dir, strerror(-lock));
		goto out;
	}
	if ((ret = lost_race(o, ifindex, err, errlen)) ||
	    (ret = cg_dir_make(o->pin_dir, o->ifname, CG_DIR_INGRESS, &undo, &r->reused,
				err, errlen)))
		goto out;

	if ((e = cg_xdp_obj_open(&xo, plan.variant))) {
		ret = cg_errf(err, errlen, e, "cannot open the embedded BPF object (%s): %s; "
			      "rebuild csumguard (make), or rerun with --verbose",
			      cg_xdp_variant_prog(plan.variant), strerror(-e));
		goto out;
	}
	for (i = 0; i < M_N; i++)
		maps[i] = cg_xdp_obj_map(&xo, map_names[i]);
	for (i = 0; i < M_N; i++)
		if (!maps[i]) {
			ret = cg_errf(err, errlen, -ENOENT, "the embedded BPF object (%s) has no "
				      "map %s; rebuild csumguard (make)",
				      cg_xdp_variant_prog(plan.variant), map_names[i]);
			goto out;
		}
	/* The source table's size: the pinned one's, or --sources, or what
	 * fits --memory on this machine's CPUs (sizing.h). */
	cg_dir_path(path, sizeof(path), o->pin_dir, o->ifname, CG_DIR_INGRESS, CG_PIN_SRC);
	if ((ret = cg_size_table(&cg_table_src, maps[M_SRC], maps[M_SRC_RARE], path, o->ifname,
				 o->sources, o->memory, &r->table, err, errlen)))
		goto out;
	if (bpf_map__set_max_entries(maps[M_SRC], r->table.entries) ||
	    bpf_map__set_max_entries(maps[M_SRC_RARE], r->table.entries)) {
		ret = cg_errf(err, errlen, -EINVAL, "cannot size the source table to %u; use "
			      "another --sources", r->table.entries);
		goto out;
	}
	for (i = 0; i < M_N; i++) {
		if (M_GLOBAL(i))
			snprintf(path, sizeof(path), "%s/%s", o->pin_dir, pins[i]);
		else if (i == M_PORTS || i == M_CONFIG)	/* the interface's, both hooks */
			cg_iface_path(path, sizeof(path), o->pin_dir, o->ifname, pins[i]);
		else
			cg_dir_path(path, sizeof(path), o->pin_dir, o->ifname, CG_DIR_INGRESS,
				    pins[i]);
		n_undo_pins = undo.n;
		fds[i] = cg_map_open_or_create(maps[i], bpf_object__btf(xo.obj), path, &undo,
					       why, sizeof(why));
		if (fds[i] == -ESTALE) {
			if (i == M_BLOCK || i == M_BLOCK_COUNT)
				ret = cg_errf(err, errlen, -ESTALE, "%s; it was made by another "
					      "csumguard version: note the entries (csumguard "
					      "blocklist), rm %s, and block them again", why, path);
			else if (i == M_NODES || i == M_NODE_COUNT || i == M_TTL_SEEN)
				ret = cg_errf(err, errlen, -ESTALE, "%s; it was made by another "
					      "csumguard version: note the nodes (csumguard nodes "
					      "list), rm %s, and load them again", why, path);
			else
				ret = cg_errf(err, errlen, -ESTALE, "%s; keep the old setting "
					      "(e.g. the same --sources) or start afresh with "
					      "`csumguard detach %s --purge` (drops its counters)",
					      why, o->ifname);
			goto out;
		}
		if (fds[i] < 0) {
			ret = cg_errf(err, errlen, fds[i], "%s; check that %s is on bpffs and you "
				      "are root", why, o->pin_dir);
			goto out;
		}
		if (i == M_SRC && undo.n == n_undo_pins && (e = cg_map_user(fds[i]))) {
			ret = in_use(o, path, e, err, errlen);
			goto out;
		}
		if (i == M_SRC && !r->table.estimated)	/* the kernel's own figure */
			cg_map_memlock(fds[i], &r->table.bytes);
		if (i == M_SRC_RARE && !r->table.estimated) {	/* and its shared parts' */
			uint64_t b;

			if (!cg_map_memlock(fds[i], &b))
				r->table.bytes += b;
		}
		if (i == M_CONFIG && undo.n == n_undo_pins)
			cg_settings_save_config(fds[i], &saved);
		if (i == M_PORTS && undo.n == n_undo_pins)
			cg_settings_save_ports(fds[i], &saved);
		if ((e = bpf_map__reuse_fd(maps[i], fds[i]))) {
			ret = cg_errf(err, errlen, e, "cannot use pinned map %s: %s; rerun with "
				      "--verbose", path, strerror(-e));
			goto out;
		}
	}

	/* Settings first: the program starts with the right ports, mode and
	 * blocklist gate. */
	if ((ret = cg_settings_write(fds[M_PORTS], fds[M_CONFIG], fds[M_BLOCK],
				     fds[M_BLOCK_COUNT], r->ports, r->nports, &cfg, err, errlen)))
		goto out_restore;
	/* and the known nodes' gate (lib/nodes.h) */
	if ((e = cg_nodes_count_sync(fds[M_NODES], fds[M_NODE_COUNT])) < 0) {
		ret = cg_errf(err, errlen, e, "cannot count the known nodes: %s; rerun with "
			      "--verbose", strerror(-e));
		goto out_restore;
	}

	rec_fd = cg_attachment_open_or_create(o->pin_dir, o->ifname, CG_DIR_INGRESS, &undo, why,
					      sizeof(why));
	if (rec_fd < 0) {
		ret = cg_errf(err, errlen, rec_fd, "%s; %s", why, rec_fd == -ESTALE ? "it was "
			      "made by another csumguard version: start afresh with `csumguard "
			      "detach IFACE --purge`" : "check --pin-dir and that you are root");
		goto out_restore;
	}

	prog = xdp_program__from_bpf_obj(xo.obj, NULL);
	e = (int)libxdp_get_error(prog);
	if (e) {
		prog = NULL;
		ret = cg_errf(err, errlen, e, "libxdp cannot use the embedded BPF object: %s; "
			      "rerun with --verbose", strerror(-e));
		goto out_restore;
	}
	xdp_program__set_run_prio(prog, CG_RUN_PRIO);
	/* libbpf adds BPF_F_XDP_HAS_FRAGS for "xdp.frags" only when it loads
	 * the program, after libxdp has decided whether its dispatcher gets
	 * frags: say it here, or the dispatcher is built without frags. The
	 * single-buffer variant has none. */
	if (cg_xdp_variant_frags(plan.variant) &&
	    (e = xdp_program__set_xdp_frags_support(prog, true))) {
		ret = cg_errf(err, errlen, e, "libxdp cannot mark the program frags-capable: %s; "
			      "rerun with --verbose", strerror(-e));
		goto out_restore;
	}
	/* Alone: libxdp's own switch (read when it attaches) makes it attach
	 * the program without a dispatcher; the caller's setting is put back. */
	if (plan.alone) {
		skip_env = getenv("LIBXDP_SKIP_DISPATCHER");
		saved_skip = skip_env ? strdup(skip_env) : NULL;
		setenv("LIBXDP_SKIP_DISPATCHER", "1", 1);
	}
	cg_log_clear();
	e = xdp_program__attach(prog, ifindex, o->xdp_mode, 0);
	if (plan.alone) {
		if (saved_skip)
			setenv("LIBXDP_SKIP_DISPATCHER", saved_skip, 1);
		else
			unsetenv("LIBXDP_SKIP_DISPATCHER");
		free(saved_skip);
	}
	if (e) {
		*refused = load_refused(cg_log_text());
		ret = attach_failed(o, &feat, plan.variant, e, before, err, errlen);
		goto out_restore;
	}

	/* Check that our program (by id) is there and record where it went.
	 * Any failure from here detaches it again. */
	prog_id = xdp_program__id(prog);
	mp = cg_xdp_progs(ifindex, &e);
	if (mp && cg_xdp_find_id(mp, prog_id)) {
		r->frags = xdp_multiprog__xdp_frags_support(mp);
		r->dispatcher = !xdp_multiprog__is_legacy(mp);
		r->xdp_mode = cg_xdp_mode_str(xdp_multiprog__attach_mode(mp));
		cg_xdp_prog_names(mp, r->progs, sizeof(r->progs));
	} else {
		snprintf(why, sizeof(why), "libxdp reported success but %s shows no csumguard "
			 "program (id %u)%s%s", o->ifname, prog_id, e ? ": " : "",
			 e ? strerror(-e) : "");
	}
	if (mp)
		xdp_multiprog__close(mp);
	if (!r->xdp_mode || (e = record_attach(rec_fd, o->ifname, ifindex, prog_id))) {
		if (r->xdp_mode)
			snprintf(why, sizeof(why), "cannot record the attachment in %s/"
				 CG_PIN_IFACES "/%s: %s", o->pin_dir, o->ifname, strerror(-e));
		ret = undo_attach(o, prog, ifindex, why, err, errlen);
		goto out_restore;
	}
	r->prog_id = prog_id;
	/* libxdp falls back to a plain attach when the kernel refuses its
	 * dispatcher (freplace programs): its log says so. */
	r->dispatcher_refused = !r->dispatcher && !plan.alone &&
		strstr(cg_log_text(), "Compatibility check for dispatcher") != NULL;
	cg_iface_path(r->state_dir, sizeof(r->state_dir), o->pin_dir, o->ifname, NULL);
	undo.n = 0;	/* keep everything */
	ret = 0;
	goto out;

out_restore:
	cg_settings_restore(fds[M_PORTS], fds[M_CONFIG], &saved);
out:
	cg_undo_run(&undo);	/* also unmounts a bpffs this run mounted */
	if (ret)
		r->mounted = 0;
	if (rec_fd >= 0)
		close(rec_fd);
	if (prog)
		xdp_program__close(prog);
	cg_xdp_obj_close(&xo);
	for (i = 0; i < M_N; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	cg_settings_free(&saved);
	if (lock >= 0)
		close(lock);
	return ret;
}

/* Takes program id off ifindex and checks. 0, or -errno with err set. */
static int detach_id(const char *shown, int ifindex, __u32 id, char *err, size_t errlen)
{
	struct xdp_multiprog *mp;
	struct xdp_program *p;
	int e;

	mp = cg_xdp_progs(ifindex, &e);
	p = mp ? cg_xdp_find_id(mp, id) : NULL;
	if (!p) {
		if (mp)
			xdp_multiprog__close(mp);
		return cg_errf(err, errlen, -ENOENT, "csumguard's program (id %u) left %s "
			       "meanwhile; nothing to detach", id, shown);
	}
	cg_log_clear();
	if (xdp_multiprog__is_legacy(mp))
		e = xdp_multiprog__detach(mp);
	else
		e = xdp_program__detach(p, ifindex, xdp_multiprog__attach_mode(mp), 0);
	xdp_multiprog__close(mp);
	if (e)
		return cg_errf(err, errlen, e, "detaching csumguard from %s failed: %s; rerun "
			       "with --verbose and check `xdp-loader status %s`", shown,
			       strerror(-e), shown);
	if (cg_xdp_prog_on(ifindex, id) != 0)
		return cg_errf(err, errlen, -EBUSY, "csumguard is still attached to %s after "
			       "detaching; check `xdp-loader status %s` and rerun with --verbose",
			       shown, shown);
	cg_prog_gone(id);
	return 0;
}

/* detach IFACE for which this pin dir has no state: only say what is there. */
static int detach_no_state(const char *pin_dir, const char *ifname, char *err, size_t errlen)
{
	struct xdp_multiprog *mp;
	struct xdp_program *p;
	char names[256] = "none";
	int ifindex = cg_netdev_index(ifname, err, errlen), e;

	if (ifindex < 0)
		return ifindex;
	mp = cg_xdp_progs(ifindex, &e);
	p = mp ? cg_xdp_find_ours(mp) : NULL;
	if (mp)
		cg_xdp_prog_names(mp, names, sizeof(names));
	if (p)
		/* Its state is in another pin dir (or was removed by hand):
		 * removing it here would leave that state frozen. */
		e = cg_errf(err, errlen, -ENOENT, "the csumguard program on %s (id %u) does not "
			    "use %s (no state for %s there); detach it with the --pin-dir it was "
			    "attached with, or unload it: xdp-loader unload %s --id %u", ifname,
			    xdp_program__id(p), pin_dir, ifname, ifname, xdp_program__id(p));
	else
		e = cg_errf(err, errlen, -ENOENT, "csumguard is not attached to %s (XDP programs "
			    "there: %s); nothing to detach", ifname, names);
	if (mp)
		xdp_multiprog__close(mp);
	return e;
}

/* Layout 1 becomes layout 2 (under the pin lock). 0, or -errno with err set. */
static int adopt_v1(const char *pin_dir, const char *ifname, char *err, size_t errlen)
{
	struct cg_undo keep = {};
	char why[CG_ERRLEN];
	int e = 0;

	if (cg_pin_layout(pin_dir, ifname) != 1)
		return 0;
	if ((e = cg_pin_adopt_v1(pin_dir, ifname, &keep, why, sizeof(why)))) {
		cg_undo_run(&keep);
		return cg_errf(err, errlen, e, "%s; adopting the pins of an older csumguard "
			       "failed, nothing was changed", why);
	}
	keep.n = 0;
	cg_undo_run(&keep);
	return 0;
}

/* The state of ifname is used by no program here: refuse, or purge. */
static int not_attached(const char *pin_dir, const char *ifname, const struct cg_where *w,
			const struct cg_xdp_detach_result *r, char *err, size_t errlen)
{
	char names[256] = "none";

	if (!w->ifindex)
		return cg_errf(err, errlen, -ENODEV, "no interface '%s' here, and no csumguard "
			       "program uses its state (it went with the interface); its counters "
			       "stay at %s: `csumguard detach %s --purge` removes them", ifname,
			       r->state_dir, ifname);
	cg_xdp_prog_names_on(w->ifindex, names, sizeof(names));
	if (w->other_id)
		return cg_errf(err, errlen, -ENOENT, "csumguard is not attached to %s with the "
			       "state in %s (XDP programs there: %s; csumguard's, id %u, uses "
			       "another --pin-dir); its pinned counters stay: add --purge to remove "
			       "them", r->shown, pin_dir, names, w->other_id);
	return cg_errf(err, errlen, -ENOENT, "csumguard is not attached to %s (XDP programs "
		       "there: %s); its pinned counters stay: add --purge to remove them",
		       r->shown, names);
}

/* --purge: never while a loaded program still uses the state. */
static int purge_state(const char *pin_dir, const char *ifname, struct cg_xdp_detach_result *r,
		       char *err, size_t errlen)
{
	char path[PATH_MAX];
	int user, fd, e;

	cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_INGRESS, CG_PIN_SRC);
	fd = cg_map_open(path);
	user = fd >= 0 ? cg_map_user(fd) : 0;
	if (fd >= 0)
		close(fd);
	if (user)
		return cg_errf(err, errlen, user < 0 ? user : -EBUSY, "csumguard program %d "
			       "still uses %s (%s); nothing was removed, rerun the detach", user,
			       r->state_dir, user < 0 ? strerror(-user) : "it came back");
	/* The egress direction's state stays (its own detach --purge removes
	 * it, and the interface's shared pins with the last direction). */
	cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_EGRESS, NULL);
	if (cg_exists(path)) {
		cg_dir_path(r->state_dir, sizeof(r->state_dir), pin_dir, ifname, CG_DIR_INGRESS,
			    NULL);
		e = cg_dir_purge(pin_dir, ifname, CG_DIR_INGRESS);
	} else {
		e = cg_iface_purge(pin_dir, ifname);
	}
	if (!e)
		r->purged = 1;
	else
		e = cg_errf(err, errlen, e, "cannot remove %s: %s; remove it by hand (rm -r %s)",
			    r->state_dir, strerror(-e), r->state_dir);
	cg_pin_dir_tidy(pin_dir);
	return e;
}

int cg_xdp_detach(const char *pin_dir, const char *ifname, int purge,
		  struct cg_xdp_detach_result *r, char *err, size_t errlen)
{
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
	if (e == 1 || !cg_exists(r->state_dir))
		return detach_no_state(pin_dir, ifname, err, errlen);
	lock = cg_pin_lock(pin_dir);
	if ((e = adopt_v1(pin_dir, ifname, err, errlen)))
		goto out;

	cg_locate(pin_dir, ifname, &w);
	if (w.ifname_now[0])
		snprintf(r->shown, sizeof(r->shown), "%s", w.ifname_now);
	r->ifindex = w.ifindex;
	switch (w.state) {
	case CG_WHERE_UNKNOWN:
		e = cg_errf(err, errlen, -EAGAIN, "cannot tell where csumguard's program for %s "
			    "runs (%s); nothing was changed", ifname, w.why);
		goto out;
	case CG_WHERE_ELSEWHERE:
		/* Its state must outlive it here: purging would leave the program
		 * running without pins (block would no longer reach it). */
		if (cg_where_netns_named(&w))
			e = cg_errf(err, errlen, -EBUSY, "csumguard's program for %s (id %u) is "
				    "live in %s; detach it from that namespace first: nsenter "
				    "--net=%s csumguard --pin-dir %s detach %s%s", ifname,
				    w.prog_id, w.where, w.netns, pin_dir, ifname,
				    purge ? " --purge" : "");
		else
			e = cg_errf(err, errlen, -EBUSY, "csumguard's program for %s (id %u) is "
				    "live on %s; detach it there first (bpftool prog show id %u; "
				    "its network namespace: csumguard --pin-dir %s detach %s)",
				    ifname, w.prog_id, w.where, w.prog_id, pin_dir, ifname);
		goto out;
	case CG_WHERE_HERE:
		r->renamed = w.renamed;
		if ((e = detach_id(r->shown, w.ifindex, w.prog_id, err, errlen)))
			goto out;
		record_detach(pin_dir, ifname);
		r->detached = 1;
		cg_xdp_prog_names_on(w.ifindex, r->progs_left, sizeof(r->progs_left));
		if (!purge)
			goto out;
		break;
	case CG_WHERE_NONE:
		if (purge)
			break;
		e = not_attached(pin_dir, ifname, &w, r, err, errlen);
		goto out;
	}
	e = purge_state(pin_dir, ifname, r, err, errlen);
out:
	if (lock >= 0)
		close(lock);
	return e;
}

/*
 * The large-chunk program is picked by a probe of bpf_csum_diff alone
 * (lib/probe.c); it is verified on this machine's 6.18 only. A 6.13+ kernel
 * whose verifier refuses it still runs the classic multi-buffer program,
 * which is what every kernel from 5.18 takes: the refusal is kept in
 * r->fallback_why, and attach says so. Every other failure is final.
 */
int cg_xdp_attach(const struct cg_xdp_attach_opts *o, struct cg_xdp_attach_result *r,
		  char *err, size_t errlen)
{
	char first[CG_ERRLEN];
	int refused = 0, ret;

	ret = attach_variant(o, r, -1, &refused, err, errlen);
	if (!ret || r->variant != CG_XDP_LARGE_CHUNK || !refused)
		return ret;
	snprintf(first, sizeof(first), "%s", err);
	ret = attach_variant(o, r, CG_XDP_MULTI_BUF, &refused, err, errlen);
	if (!ret)
		snprintf(r->fallback_why, sizeof(r->fallback_why), "%.*s",
			 (int)sizeof(r->fallback_why) - 1, first);
	return ret;
}
