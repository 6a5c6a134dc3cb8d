// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_attach.c - `csumguard attach` and `csumguard detach`.
 *
 * attach: the skeleton's object is opened (not loaded); its maps are bound
 * to the pinned ones (created and pinned here when missing, checked for the
 * same layout when present), the port table and the mode are written, and
 * only then libxdp loads the program as a component of its multi-program
 * dispatcher and attaches it. So the program never runs with an empty port
 * table or a stale mode, and a failure removes exactly what this run made.
 *
 * libxdp and multi-buffer XDP: the program's section is "xdp.frags", so
 * libbpf opens it with BPF_F_XDP_HAS_FRAGS; libxdp 1.3 reads that flag
 * (xdp_program__xdp_frags_support) and builds a dispatcher with frags
 * support when every program on the interface has it. A program without
 * frags (e.g. xdp-tools' xdpfilt_*.o) turns frags off for the whole
 * dispatcher, and then the kernel refuses an MTU above about a page on
 * native-XDP veth: attach reports that case.
 */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>
#include "csumguard.skel.h"
#include "cli.h"
#include "cmds.h"
#include "format.h"
#include "maps.h"
#include "names.h"
#include "pins.h"

/*
 * Position among the interface's libxdp programs (lower runs first; libxdp's
 * default is 50). csumguard runs early so it audits frames as they arrived,
 * before another program rewrites (decapsulates) or drops them.
 */
#define CG_RUN_PRIO 10

static const char *attach_mode_name(enum xdp_attach_mode m)
{
	switch (m) {
	case XDP_MODE_NATIVE:	return "native";
	case XDP_MODE_SKB:	return "skb";
	case XDP_MODE_HW:	return "hw";
	default:		return "unknown";
	}
}

/* Our program among mp's, or NULL. */
static struct xdp_program *find_ours(struct xdp_multiprog *mp)
{
	struct xdp_program *p;
	const char *name;

	if (xdp_multiprog__is_legacy(mp)) {
		p = xdp_multiprog__main_prog(mp);
		name = p ? xdp_program__name(p) : NULL;
		return name && !strcmp(name, CG_PROG_NAME) ? p : NULL;
	}
	for (p = xdp_multiprog__next_prog(NULL, mp); p; p = xdp_multiprog__next_prog(p, mp)) {
		name = xdp_program__name(p);
		if (name && !strcmp(name, CG_PROG_NAME))
			return p;
	}
	return NULL;
}

/* The XDP programs on ifindex, or NULL when there are none. */
static struct xdp_multiprog *get_mp(int ifindex, int *err)
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

int cg_xdp_attached(int ifindex, const char **xdp_mode, int *dispatcher)
{
	struct xdp_multiprog *mp;
	int err, found;

	*xdp_mode = NULL;
	if (dispatcher)
		*dispatcher = 0;
	mp = get_mp(ifindex, &err);
	if (!mp)
		return err;
	found = find_ours(mp) != NULL;
	if (found)
		*xdp_mode = attach_mode_name(xdp_multiprog__attach_mode(mp));
	if (found && dispatcher)
		*dispatcher = !xdp_multiprog__is_legacy(mp);
	xdp_multiprog__close(mp);
	return found;
}

/* Names of mp's programs, comma separated, for messages. */
static void prog_names(struct xdp_multiprog *mp, char *buf, size_t len)
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

/* The interface's driver, from the ethtool ioctl (works in any netns). */
static void driver_name(const char *ifname, char *buf, size_t len)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
	struct ifreq ifr = {};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	snprintf(buf, len, "unknown");
	if (fd < 0)
		return;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (void *)&info;
	if (!ioctl(fd, SIOCETHTOOL, &ifr) && info.driver[0])
		snprintf(buf, len, "%s", info.driver);
	close(fd);
}

static int iface_mtu(const char *ifname)
{
	struct ifreq ifr = {};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), mtu = -1;

	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (!ioctl(fd, SIOCGIFMTU, &ifr))
		mtu = ifr.ifr_mtu;
	close(fd);
	return mtu;
}

static int no_such_iface(const char *ifname)
{
	return cg_fail("no interface '%s' in this network namespace; check `ip link` "
		       "(for a netns: nsenter --net=/run/netns/NAME csumguard ...)", ifname);
}

/*
 * Id of a loaded csumguard program that uses map_fd's map, or 0. Pins are
 * named by interface only, so the same name in two network namespaces with
 * one --pin-dir would share counters: this catches it.
 */
static __u32 map_user(int map_fd)
{
	struct bpf_map_info minfo = {};
	__u32 len = sizeof(minfo), id = 0, ids[16], i;
	int fd;

	if (bpf_obj_get_info_by_fd(map_fd, &minfo, &len))
		return 0;
	while (!bpf_prog_get_next_id(id, &id)) {
		struct bpf_prog_info info = {};

		fd = bpf_prog_get_fd_by_id(id);
		if (fd < 0)
			continue;
		len = sizeof(info);
		info.nr_map_ids = sizeof(ids) / sizeof(ids[0]);
		info.map_ids = (__u64)(unsigned long)ids;
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) &&
		    !strncmp(info.name, CG_PROG_NAME, sizeof(info.name))) {
			for (i = 0; i < info.nr_map_ids && i < sizeof(ids) / sizeof(ids[0]); i++)
				if (ids[i] == minfo.id) {
					close(fd);
					return id;
				}
		}
		close(fd);
	}
	return 0;
}

/* State to put back into reused (not live) maps if the attach fails. */
struct saved_state {
	int have_config;
	struct cg_config config;
	uint32_t *ports;	/* [CG_PORT_TABLE_SIZE] or NULL */
};

/* The one line for a failed xdp_program__attach. */
static void attach_failed(const struct cg_cli *cli, int e, const char *other_progs)
{
	const char *log = cg_log_text();
	char file[PATH_MAX], drv[64];
	struct utsname u;
	int mtu;

	if (strstr(log, "PROG LOAD LOG") || strstr(log, "processed ") ||
	    ((e == -EACCES || e == -EINVAL) && strstr(log, "failed to load"))) {
		uname(&u);
		if (!cli->verbose && !cg_log_save("verifier", file, sizeof(file)))
			cg_fail("the kernel (%s) verifier rejected the XDP program (%s); "
				"its log is in %s (rerun with --verbose to print it), report it "
				"with that file", u.release, strerror(-e), file);
		else
			cg_fail("the kernel (%s) verifier rejected the XDP program (%s); "
				"the log is above (--verbose), report it with that log",
				u.release, strerror(-e));
		return;
	}
	if (e == -EOPNOTSUPP && cli->xdp_mode == CG_XDP_NATIVE) {
		driver_name(cli->iface, drv, sizeof(drv));
		cg_fail("%s (driver %s) has no native XDP; attach it with --xdp-mode skb",
			cli->iface, drv);
		return;
	}
	if (e == -EPERM || e == -EACCES) {
		cg_fail("the kernel refused to load or attach XDP (%s); run as root with "
			"CAP_BPF, CAP_NET_ADMIN and CAP_PERFMON (lockdown or seccomp can also "
			"forbid BPF)", strerror(-e));
		return;
	}
	mtu = iface_mtu(cli->iface);
	if ((e == -EINVAL || e == -ERANGE) && mtu > 3500 && cli->xdp_mode == CG_XDP_NATIVE) {
		cg_fail("%s has MTU %d, too large for native XDP without frags support "
			"(XDP programs there: %s; one without frags turns frags off for all); "
			"load them all with frags support, or attach with --xdp-mode skb",
			cli->iface, mtu, other_progs);
		return;
	}
	if (!cli->verbose && !cg_log_save("attach", file, sizeof(file)))
		cg_fail("attaching XDP to %s failed: %s; libbpf/libxdp log in %s "
			"(or rerun with --verbose)", cli->iface, strerror(-e), file);
	else
		cg_fail("attaching XDP to %s failed: %s; see the log above", cli->iface,
			strerror(-e));
}

static int write_ports(int fd, const struct cg_port_spec *ports, int n)
{
	int err, i;

	err = cg_ports_clear(fd);
	for (i = 0; !err && i < n; i++)
		err = cg_ports_set(fd, ports[i].port, ports[i].encap);
	return err;
}

static void restore_state(int cfg_fd, int ports_fd, const struct saved_state *s)
{
	__u32 p;

	if (s->have_config && cfg_fd >= 0)
		cg_config_write(cfg_fd, &s->config);
	if (s->ports && ports_fd >= 0)
		for (p = 0; p < CG_PORT_TABLE_SIZE; p++)
			cg_ports_set(ports_fd, (uint16_t)p, (enum cg_encap)s->ports[p]);
}

enum { M_PORTS, M_CONFIG, M_SRC, M_SRC_KEPT, M_IFACE, M_BLOCK, M_BLOCK_COUNT, M_N };

int cmd_attach(const struct cg_cli *cli)
{
	struct cg_port_spec ports[CG_PORTS_MAX + 3];
	char err[CG_ERR_LEN], path[PATH_MAX], others[256] = "none", portstr[512];
	struct saved_state saved = {};
	struct cg_config cfg = { .mode = cli->mode };
	struct cg_undo undo = {};
	struct csumguard *skel = NULL;
	struct xdp_program *prog = NULL;
	struct xdp_multiprog *mp;
	struct bpf_map *maps[M_N];
	const char *pins[M_N] = { CG_PIN_PORTS, CG_PIN_CONFIG, CG_PIN_SRC, CG_PIN_SRC_KEPT,
				  CG_PIN_IFACE, CG_PIN_BLOCKLIST, CG_PIN_BLOCK_COUNT };
	int fds[M_N], nports, ifindex, mounted = 0, lock = -1, e, i, ret = CG_EXIT_FAIL;
	int reused = 0, frags = 0, legacy = 0, n_undo_pins;
	enum xdp_attach_mode mode = cli->xdp_mode == CG_XDP_SKB ? XDP_MODE_SKB : XDP_MODE_NATIVE;
	const char *xdp_mode;

	for (i = 0; i < M_N; i++)
		fds[i] = -1;
	if (cg_check_privileges(CG_NEED_ATTACH, "attach", err, sizeof(err)))
		return cg_fail("%s", err);
	nports = cg_cli_port_table(cli, ports, (int)(sizeof(ports) / sizeof(ports[0])),
				   err, sizeof(err));
	if (nports < 0)
		return cg_fail("%s", err);
	ifindex = (int)if_nametoindex(cli->iface);
	if (!ifindex)
		return no_such_iface(cli->iface);

	/* What is on the interface already. */
	mp = get_mp(ifindex, &e);
	if (mp) {
		prog_names(mp, others, sizeof(others));
		if (find_ours(mp)) {
			e = cg_fail("csumguard is already attached to %s (%s XDP); detach it first: "
				    "csumguard detach %s (its counters are kept)", cli->iface,
				    attach_mode_name(xdp_multiprog__attach_mode(mp)), cli->iface);
			xdp_multiprog__close(mp);
			return e;
		}
		if (xdp_multiprog__is_legacy(mp)) {
			e = cg_fail("%s already has XDP program %s attached on its own, not through "
				    "a libxdp dispatcher, so csumguard cannot join it; unload it "
				    "(xdp-loader unload %s --all) or reload it with xdp-loader where "
				    "the kernel allows the dispatcher", cli->iface, others, cli->iface);
			xdp_multiprog__close(mp);
			return e;
		}
		if (xdp_multiprog__attach_mode(mp) != mode) {
			e = cg_fail("%s already has libxdp programs (%s) in %s mode; attach with "
				    "--xdp-mode %s to share their dispatcher", cli->iface, others,
				    attach_mode_name(xdp_multiprog__attach_mode(mp)),
				    attach_mode_name(xdp_multiprog__attach_mode(mp)));
			xdp_multiprog__close(mp);
			return e;
		}
		xdp_multiprog__close(mp);
	}

	/* Pinned state: bpffs, directories, the maps. */
	e = cg_pin_dir_ready(cli->pin_dir, 1, &mounted, &undo, err, sizeof(err));
	if (e < 0)
		return cg_fail("%s", err);
	lock = cg_pin_lock(cli->pin_dir);
	if (lock < 0) {
		cg_fail("cannot lock %s: %s; check that it is a directory on bpffs",
			cli->pin_dir, strerror(-lock));
		goto out;
	}
	snprintf(path, sizeof(path), "%s/" CG_PIN_IFACES, cli->pin_dir);
	if ((e = cg_mkdir(path, &undo))) {
		cg_fail("cannot create %s: %s; check --pin-dir", path, strerror(-e));
		goto out;
	}
	cg_iface_path(path, sizeof(path), cli->pin_dir, cli->iface, NULL);
	reused = cg_exists(path);
	if ((e = cg_mkdir(path, &undo))) {
		cg_fail("cannot create %s: %s; check --pin-dir", path, strerror(-e));
		goto out;
	}

	skel = csumguard__open();
	if (!skel) {
		cg_fail("cannot open the embedded BPF object: %s; rebuild csumguard "
			"(make), or rerun with --verbose", strerror(errno));
		goto out;
	}
	maps[M_PORTS] = skel->maps.cg_ports;
	maps[M_CONFIG] = skel->maps.cg_config;
	maps[M_SRC] = skel->maps.cg_src;
	maps[M_SRC_KEPT] = skel->maps.cg_src_kept;
	maps[M_IFACE] = skel->maps.cg_iface;
	maps[M_BLOCK] = skel->maps.cg_blocklist;
	maps[M_BLOCK_COUNT] = skel->maps.cg_block_count;
	if (bpf_map__set_max_entries(skel->maps.cg_src, cli->sources)) {
		cg_fail("cannot size the source table to %u; use another --sources", cli->sources);
		goto out;
	}
	for (i = 0; i < M_N; i++) {
		if (i == M_BLOCK || i == M_BLOCK_COUNT)
			snprintf(path, sizeof(path), "%s/%s", cli->pin_dir, pins[i]);
		else
			cg_iface_path(path, sizeof(path), cli->pin_dir, cli->iface, pins[i]);
		n_undo_pins = undo.n;
		fds[i] = cg_map_open_or_create(maps[i], bpf_object__btf(skel->obj), path, &undo, err, sizeof(err));
		if (fds[i] == -ESTALE) {
			if (i == M_BLOCK || i == M_BLOCK_COUNT)
				cg_fail("%s; it was made by another csumguard version: note the "
					"entries (csumguard blocklist), rm %s, and block them again",
					err, path);
			else
				cg_fail("%s; keep the old setting (e.g. the same --sources) or "
					"start afresh with `csumguard detach %s --purge` (drops its "
					"counters)", err, cli->iface);
			goto out;
		}
		if (fds[i] < 0) {
			cg_fail("%s; check that %s is on bpffs and you are root", err,
				cli->pin_dir);
			goto out;
		}
		if (i == M_SRC && undo.n == n_undo_pins && (e = (int)map_user(fds[i]))) {
			cg_fail("the counters pinned at %s are in use by csumguard program id %d "
				"(%s attached in another network namespace?); give each namespace "
				"its own --pin-dir", path, e, cli->iface);
			goto out;
		}
		if (i == M_CONFIG && undo.n == n_undo_pins)
			saved.have_config = !cg_config_read(fds[i], &saved.config);
		if (i == M_PORTS && undo.n == n_undo_pins) {
			saved.ports = calloc(CG_PORT_TABLE_SIZE, sizeof(*saved.ports));
			if (saved.ports && cg_ports_read(fds[i], saved.ports)) {
				free(saved.ports);
				saved.ports = NULL;
			}
		}
		if ((e = bpf_map__reuse_fd(maps[i], fds[i]))) {
			cg_fail("cannot use pinned map %s: %s; rerun with --verbose", path,
				strerror(-e));
			goto out;
		}
	}

	/* Settings first: the program starts with the right ports, mode and
	 * blocklist gate. */
	if ((e = write_ports(fds[M_PORTS], ports, nports)) ||
	    (e = cg_config_write(fds[M_CONFIG], &cfg))) {
		cg_fail("cannot write the port table or mode: %s; rerun with --verbose",
			strerror(-e));
		goto out_restore;
	}
	if ((e = cg_block_count_sync(fds[M_BLOCK], fds[M_BLOCK_COUNT])) < 0) {
		cg_fail("cannot count the blocklist: %s; rerun with --verbose", strerror(-e));
		goto out_restore;
	}

	prog = xdp_program__from_bpf_obj(skel->obj, NULL);
	e = (int)libxdp_get_error(prog);
	if (e) {
		prog = NULL;
		cg_fail("libxdp cannot use the embedded BPF object: %s; rerun with --verbose",
			strerror(-e));
		goto out_restore;
	}
	xdp_program__set_run_prio(prog, CG_RUN_PRIO);
	/* libbpf adds BPF_F_XDP_HAS_FRAGS for "xdp.frags" only when it loads
	 * the program, after libxdp has decided whether its dispatcher gets
	 * frags: say it here, or the dispatcher is built without frags. */
	if ((e = xdp_program__set_xdp_frags_support(prog, true))) {
		cg_fail("libxdp cannot mark the program frags-capable: %s; rerun with --verbose",
			strerror(-e));
		goto out_restore;
	}
	cg_log_clear();
	e = xdp_program__attach(prog, ifindex, mode, 0);
	if (e) {
		attach_failed(cli, e, others);
		goto out_restore;
	}

	/* Check, and report what we got. */
	mp = get_mp(ifindex, &e);
	if (mp) {
		frags = xdp_multiprog__xdp_frags_support(mp);
		legacy = xdp_multiprog__is_legacy(mp);
		prog_names(mp, others, sizeof(others));
		xdp_multiprog__close(mp);
	}
	if (cg_xdp_attached(ifindex, &xdp_mode, NULL) != 1) {
		cg_fail("libxdp reported success but %s shows no csumguard program; rerun with "
			"--verbose and check `xdp-loader status %s`", cli->iface, cli->iface);
		/* it may be there after all: leave nothing behind */
		goto out_restore;
	}
	cg_fmt_ports(ports, nports, portstr, sizeof(portstr));
	if (mounted)
		printf("mounted bpffs on /sys/fs/bpf (it was not mounted)\n");
	if (legacy)
		/* libxdp falls back to a plain attach when the kernel refuses
		 * its dispatcher (freplace programs): say what that means. */
		printf("attached csumguard to %s: %s XDP, alone (libxdp could not use its "
		       "dispatcher here%s, so no other XDP program can share %s), "
		       "mode %s, ports %s\n", cli->iface, xdp_mode ? xdp_mode : "?",
		       strstr(cg_log_text(), "Compatibility check for dispatcher") ?
		       ": the kernel refused its freplace programs" : "",
		       cli->iface, cg_mode_name(cli->mode), portstr);
	else
		printf("attached csumguard to %s: %s XDP through the libxdp dispatcher "
		       "(frags %s; programs: %s), mode %s, ports %s\n", cli->iface,
		       xdp_mode ? xdp_mode : "?", frags ? "on" : "off", others,
		       cg_mode_name(cli->mode), portstr);
	cg_iface_path(path, sizeof(path), cli->pin_dir, cli->iface, NULL);
	printf("counters pinned at %s (%s); see them with: csumguard stats %s\n", path,
	       reused ? "continued from before" : "new", cli->iface);
	undo.n = 0;	/* keep everything */
	mounted = 0;
	ret = CG_EXIT_OK;
	goto out;

out_restore:
	restore_state(fds[M_CONFIG], fds[M_PORTS], &saved);
out:
	cg_undo_run(&undo);
	if (mounted)
		umount("/sys/fs/bpf");
	if (prog)
		xdp_program__close(prog);
	csumguard__destroy(skel);
	for (i = 0; i < M_N; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(saved.ports);
	if (lock >= 0)
		close(lock);
	return ret;
}

int cmd_detach(const struct cg_cli *cli)
{
	char err[CG_ERR_LEN], dir[PATH_MAX], names[256];
	struct xdp_multiprog *mp;
	struct xdp_program *ours;
	int ifindex, e, have_pins, lock = -1, mounted, ret;
	enum xdp_attach_mode mode;

	if (cg_check_privileges(CG_NEED_ATTACH, "detach", err, sizeof(err)))
		return cg_fail("%s", err);
	e = cg_pin_dir_ready(cli->pin_dir, 0, &mounted, NULL, err, sizeof(err));
	if (e < 0)
		return cg_fail("%s", err);
	cg_iface_path(dir, sizeof(dir), cli->pin_dir, cli->iface, NULL);
	have_pins = e == 0 && cg_exists(dir);
	if (e == 0)
		lock = cg_pin_lock(cli->pin_dir);

	ifindex = (int)if_nametoindex(cli->iface);
	if (!ifindex) {
		if (!have_pins) {
			ret = no_such_iface(cli->iface);
			goto out;
		}
		if (!cli->purge) {
			ret = cg_fail("no interface '%s' here (its XDP program went with it); its "
				      "counters stay at %s: `csumguard detach %s --purge` removes "
				      "them", cli->iface, dir, cli->iface);
			goto out;
		}
	}

	ours = NULL;
	mp = ifindex ? get_mp(ifindex, &e) : NULL;
	if (mp)
		ours = find_ours(mp);
	if (!ours) {
		if (mp) {
			prog_names(mp, names, sizeof(names));
			xdp_multiprog__close(mp);
		} else {
			snprintf(names, sizeof(names), "none");
		}
		if (cli->purge && have_pins)
			goto purge;
		ret = cg_fail("csumguard is not attached to %s (XDP programs there: %s)%s",
			      cli->iface, names,
			      have_pins ? "; its pinned counters stay: add --purge to remove them"
					: "; nothing to detach");
		goto out;
	}

	mode = xdp_multiprog__attach_mode(mp);
	cg_log_clear();
	if (xdp_multiprog__is_legacy(mp))
		e = xdp_multiprog__detach(mp);
	else
		e = xdp_program__detach(ours, ifindex, mode, 0);
	if (e) {
		xdp_multiprog__close(mp);
		ret = cg_fail("detaching csumguard from %s failed: %s; rerun with --verbose "
			      "and check `xdp-loader status %s`", cli->iface, strerror(-e),
			      cli->iface);
		goto out;
	}
	xdp_multiprog__close(mp);
	if (ifindex && cg_xdp_attached(ifindex, &(const char *){ NULL }, NULL) == 1) {
		ret = cg_fail("csumguard is still attached to %s after detaching; check "
			      "`xdp-loader status %s` and rerun with --verbose", cli->iface,
			      cli->iface);
		goto out;
	}
	printf("detached csumguard from %s", cli->iface);
	mp = get_mp(ifindex, &e);
	if (mp) {
		prog_names(mp, names, sizeof(names));
		printf(" (XDP programs still there: %s)", names);
		xdp_multiprog__close(mp);
	}
	printf("\n");
	if (!cli->purge) {
		if (have_pins)
			printf("counters kept at %s; `csumguard attach %s` continues them, "
			       "--purge removes them\n", dir, cli->iface);
		ret = CG_EXIT_OK;
		goto out;
	}

purge:
	ret = CG_EXIT_OK;
	if (have_pins) {
		e = cg_iface_purge(cli->pin_dir, cli->iface);
		if (e)
			ret = cg_fail("cannot remove %s: %s; remove it by hand (rm -r %s)",
				      dir, strerror(-e), dir);
		else
			printf("removed the pinned counters of %s (%s)\n", cli->iface, dir);
		cg_pin_dir_tidy(cli->pin_dir);
	}
out:
	if (lock >= 0)
		close(lock);
	return ret;
}
