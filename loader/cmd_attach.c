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
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
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

/* The program with this id among mp's, or NULL. */
static struct xdp_program *find_id(struct xdp_multiprog *mp, __u32 id)
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
	int e, mine, legacy;

	mp = get_mp(ifindex, &e);
	if (!mp)
		return e;
	legacy = xdp_multiprog__is_legacy(mp);
	p = legacy ? xdp_multiprog__main_prog(mp) : xdp_multiprog__next_prog(NULL, mp);
	for (; p; p = legacy ? NULL : xdp_multiprog__next_prog(p, mp)) {
		name = xdp_program__name(p);
		if (!name || strcmp(name, CG_PROG_NAME))
			continue;
		mine = src_id ? cg_prog_uses_map(xdp_program__fd(p), src_id) :
			rec_id && xdp_program__id(p) == rec_id;
		if (mine == 1) {
			w->state = CG_WHERE_HERE;
			w->ifindex = ifindex;
			w->prog_id = xdp_program__id(p);
			w->xdp_mode = attach_mode_name(xdp_multiprog__attach_mode(mp));
			w->dispatcher = !legacy;
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

int cg_locate(const char *pin_dir, const char *ifname, struct cg_where *w)
{
	char path[PATH_MAX], name[IF_NAMESIZE];
	struct cg_attachment rec;
	__u64 dev = 0, ino = 0;
	__u32 src_id = 0;
	int rec_here = 0, rec_away = 0, cand[2], i, e = 0, user = 0, src_fd;
	int priv = cg_have_sys_admin() == 1;

	memset(w, 0, sizeof(*w));
	/* A record with ifindex 0 was made by an attach that never finished. */
	if (!cg_attachment_read(pin_dir, ifname, &rec) && rec.ifindex &&
	    !cg_netns_self(&dev, &ino)) {
		rec_here = rec.netns_dev == dev && rec.netns_ino == ino;
		rec_away = !rec_here;
	}
	if (rec_away)
		cg_netns_describe(rec.netns_dev, rec.netns_ino, w->netns, sizeof(w->netns));
	cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_INGRESS, CG_PIN_SRC);
	src_fd = cg_map_open(path);
	if (src_fd >= 0 && cg_map_id(src_fd, &src_id))
		src_id = 0;

	/* This namespace's candidates: the recorded interface (it may have
	 * been renamed since), then whatever has the name now. */
	cand[0] = rec_here && if_indextoname(rec.ifindex, name) ? (int)rec.ifindex : 0;
	cand[1] = (int)if_nametoindex(ifname);
	w->ifindex = cand[0] ? cand[0] : cand[1];

	if (priv) {
		for (i = 0; i < 2 && w->state != CG_WHERE_HERE; i++) {
			if (!cand[i] || (i == 1 && cand[1] == cand[0]))
				continue;
			e = look_here(cand[i], src_id, rec_here ? rec.prog_id : 0, w);
			if (e < 0) {
				w->state = CG_WHERE_UNKNOWN;
				snprintf(w->why, sizeof(w->why), "cannot list the XDP programs "
					 "of ifindex %d: %s", cand[i], strerror(-e));
				goto out;
			}
		}
		if (w->state == CG_WHERE_HERE)
			goto out;
		/* Not here: is a loaded program still using the state? */
		user = src_fd >= 0 ? cg_map_user(src_fd) : 0;
		if (user < 0) {
			w->state = CG_WHERE_UNKNOWN;
			snprintf(w->why, sizeof(w->why), "cannot list the loaded BPF programs: %s",
				 strerror(-user));
			e = user;
		} else if (user > 0) {
			w->state = CG_WHERE_ELSEWHERE;
			w->prog_id = (__u32)user;
			if (rec_away)
				snprintf(w->where, sizeof(w->where), "network namespace %s "
					 "(ifindex %u there)", w->netns, rec.ifindex);
			else
				snprintf(w->where, sizeof(w->where), "no interface of this "
					 "network namespace (another namespace?)");
		}
	} else if (rec_away) {
		w->state = CG_WHERE_UNKNOWN;
		snprintf(w->why, sizeof(w->why), "it was attached in network namespace %s, "
			 "and checking it from here needs CAP_SYS_ADMIN", w->netns);
	} else if (w->ifindex) {
		look_unprivileged(w->ifindex, &rec, rec_here, ifname, w);
	}
out:
	if (src_fd >= 0)
		close(src_fd);
	if (w->ifindex && if_indextoname((unsigned int)w->ifindex, name)) {
		snprintf(w->ifname_now, sizeof(w->ifname_now), "%s", name);
		w->renamed = strcmp(name, ifname) != 0;
	} else {
		w->ifindex = 0;
	}
	return e < 0 ? e : 0;
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
	if (e == -EOPNOTSUPP && cli->attach.xdp_mode == CG_XDP_NATIVE) {
		driver_name(cli->attach.iface, drv, sizeof(drv));
		cg_fail("%s (driver %s) has no native XDP; attach it with --xdp-mode skb",
			cli->attach.iface, drv);
		return;
	}
	if (e == -EPERM || e == -EACCES) {
		cg_fail("the kernel refused to load or attach XDP (%s); run as root with "
			"CAP_SYS_ADMIN and CAP_NET_ADMIN (lockdown or seccomp can also "
			"forbid BPF)", strerror(-e));
		return;
	}
	mtu = iface_mtu(cli->attach.iface);
	if ((e == -EINVAL || e == -ERANGE) && mtu > 3500 && cli->attach.xdp_mode == CG_XDP_NATIVE) {
		cg_fail("%s has MTU %d, too large for native XDP without frags support "
			"(XDP programs there: %s; one without frags turns frags off for all); "
			"load them all with frags support, or attach with --xdp-mode skb",
			cli->attach.iface, mtu, other_progs);
		return;
	}
	if (!cli->verbose && !cg_log_save("attach", file, sizeof(file)))
		cg_fail("attaching XDP to %s failed: %s; libbpf/libxdp log in %s "
			"(or rerun with --verbose)", cli->attach.iface, strerror(-e), file);
	else
		cg_fail("attaching XDP to %s failed: %s; see the log above", cli->attach.iface,
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

/* The line for counters (at path) that csumguard program user (or a failed
 * lookup, < 0) already uses: where it runs, and what to do. */
static void in_use(const struct cg_cli *cli, const char *path, int user)
{
	struct cg_where w;

	if (user < 0) {
		cg_fail("cannot tell whether the counters pinned at %s are in use (%s); run "
			"as root", path, strerror(-user));
		return;
	}
	cg_locate(cli->pin_dir, cli->attach.iface, &w);
	if (w.state == CG_WHERE_HERE && !w.renamed)
		cg_fail("another csumguard attach won the race: csumguard is attached to %s "
			"now (%s XDP); nothing to do, see it with: csumguard stats %s",
			cli->attach.iface, w.xdp_mode, cli->attach.iface);
	else if (w.state == CG_WHERE_HERE)
		cg_fail("the counters pinned at %s are in use by csumguard on %s (ifindex %d, "
			"was %s); detach it first: csumguard --pin-dir %s detach %s",
			path, w.ifname_now, w.ifindex, cli->attach.iface, cli->pin_dir, cli->attach.iface);
	else if (w.state == CG_WHERE_ELSEWHERE && w.netns[0] && !strncmp(w.netns, "/run/", 5))
		cg_fail("the counters pinned at %s are in use by csumguard program id %u in %s; "
			"detach it there first (nsenter --net=%s csumguard --pin-dir %s detach "
			"%s), or give each namespace its own --pin-dir", path, w.prog_id,
			w.where, w.netns, cli->pin_dir, cli->attach.iface);
	else
		cg_fail("the counters pinned at %s are in use by csumguard program id %d "
			"(%s attached in another network namespace?); give each namespace "
			"its own --pin-dir", path, user, cli->attach.iface);
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

/* Is program id on ifindex (any mode, alone or in a dispatcher)? 1, 0, or
 * -errno when it cannot tell. */
static int prog_on(int ifindex, __u32 id)
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
	mp = get_mp(ifindex, &e);	/* a dispatcher: look inside */
	if (!mp)
		return e;
	found = find_id(mp, id) != NULL;
	xdp_multiprog__close(mp);
	return found;
}

/*
 * After xdp_program__attach succeeded but the attach cannot be completed:
 * takes our program off ifindex again, with the handle still held (libxdp),
 * else by the kernel's compare-and-replace on its fd (only our program is
 * removed), verifies, and prints the one line: cause + outcome.
 */
static void undo_attach(const struct cg_cli *cli, struct xdp_program *prog, int ifindex,
			enum xdp_attach_mode mode, const char *cause)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, o, .old_prog_fd = xdp_program__fd(prog));
	__u32 id = xdp_program__id(prog);
	int e;

	if (xdp_program__detach(prog, ifindex, mode, 0))
		bpf_xdp_detach(ifindex, mode == XDP_MODE_SKB ? XDP_FLAGS_SKB_MODE :
			       XDP_FLAGS_DRV_MODE, &o);
	e = prog_on(ifindex, id);
	if (e == 0)
		cg_fail("%s; csumguard took its program off %s again and changed nothing; "
			"rerun with --verbose and check `xdp-loader status %s`", cause,
			cli->attach.iface, cli->attach.iface);
	else
		cg_fail("%s, and csumguard's program (id %u) may still be on %s; remove it: "
			"xdp-loader unload %s --id %u (or ip link set dev %s xdp off)", cause, id,
			cli->attach.iface, cli->attach.iface, id, cli->attach.iface);
}

int cmd_attach(const struct cg_cli *cli)
{
	struct cg_port_spec ports[CG_PORTS_MAX + 3];
	char err[CG_ERR_LEN], path[PATH_MAX], others[256] = "none", portstr[512];
	struct saved_state saved = {};
	struct cg_config cfg = { .mode = cli->attach.mode };
	struct cg_undo undo = {};
	struct csumguard *skel = NULL;
	struct xdp_program *prog = NULL;
	struct xdp_multiprog *mp;
	struct bpf_map *maps[M_N];
	const char *pins[M_N] = { CG_PIN_PORTS, CG_PIN_CONFIG, CG_PIN_SRC, CG_PIN_SRC_KEPT,
				  CG_PIN_IFACE, CG_PIN_BLOCKLIST, CG_PIN_BLOCK_COUNT };
	int fds[M_N], nports, ifindex, mounted = 0, lock = -1, e, i, ret = CG_EXIT_FAIL;
	int reused = 0, frags = 0, legacy = 0, n_undo_pins, rec_fd = -1;
	enum xdp_attach_mode mode = cli->attach.xdp_mode == CG_XDP_SKB ? XDP_MODE_SKB : XDP_MODE_NATIVE;
	const char *xdp_mode = NULL;
	__u32 prog_id;

	for (i = 0; i < M_N; i++)
		fds[i] = -1;
	if (cg_check_privileges(CG_NEED_ATTACH, "attach", err, sizeof(err)))
		return cg_fail("%s", err);
	nports = cg_cli_port_table(&cli->attach, ports, (int)(sizeof(ports) / sizeof(ports[0])),
				   err, sizeof(err));
	if (nports < 0)
		return cg_fail("%s", err);
	ifindex = (int)if_nametoindex(cli->attach.iface);
	if (!ifindex)
		return no_such_iface(cli->attach.iface);

	/* What is on the interface already. */
	mp = get_mp(ifindex, &e);
	if (mp) {
		prog_names(mp, others, sizeof(others));
		if (find_ours(mp)) {
			e = cg_fail("csumguard is already attached to %s (%s XDP); detach it first: "
				    "csumguard detach %s (its counters are kept)", cli->attach.iface,
				    attach_mode_name(xdp_multiprog__attach_mode(mp)), cli->attach.iface);
			xdp_multiprog__close(mp);
			return e;
		}
		if (xdp_multiprog__is_legacy(mp)) {
			e = cg_fail("%s already has XDP program %s attached on its own, not through "
				    "a libxdp dispatcher, so csumguard cannot join it; unload it "
				    "(xdp-loader unload %s --all) or reload it with xdp-loader where "
				    "the kernel allows the dispatcher", cli->attach.iface, others, cli->attach.iface);
			xdp_multiprog__close(mp);
			return e;
		}
		if (xdp_multiprog__attach_mode(mp) != mode) {
			e = cg_fail("%s already has libxdp programs (%s) in %s mode; attach with "
				    "--xdp-mode %s to share their dispatcher", cli->attach.iface, others,
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
	/* Another attach of the same pin dir may have finished while this one
	 * waited for the lock. */
	mp = get_mp(ifindex, &e);
	if (mp && find_ours(mp)) {
		cg_fail("another csumguard attach won the race: csumguard is attached to %s "
			"now (%s XDP); nothing to do, see it with: csumguard stats %s",
			cli->attach.iface, attach_mode_name(xdp_multiprog__attach_mode(mp)), cli->attach.iface);
		xdp_multiprog__close(mp);
		goto out;
	}
	if (mp)
		xdp_multiprog__close(mp);
	snprintf(path, sizeof(path), "%s/" CG_PIN_IFACES, cli->pin_dir);
	if ((e = cg_mkdir(path, &undo))) {
		cg_fail("cannot create %s: %s; check --pin-dir", path, strerror(-e));
		goto out;
	}
	cg_iface_path(path, sizeof(path), cli->pin_dir, cli->attach.iface, NULL);
	reused = cg_exists(path);
	if ((e = cg_mkdir(path, &undo))) {
		cg_fail("cannot create %s: %s; check --pin-dir", path, strerror(-e));
		goto out;
	}
	if (cg_pin_layout(cli->pin_dir, cli->attach.iface) == 1 &&
	    cg_pin_adopt_v1(cli->pin_dir, cli->attach.iface, &undo, err, sizeof(err))) {
		cg_fail("%s; adopting the pins of an older csumguard failed, nothing else was "
			"changed: move them by hand or start afresh (detach %s --purge)", err,
			cli->attach.iface);
		goto out;
	}
	cg_dir_path(path, sizeof(path), cli->pin_dir, cli->attach.iface, CG_DIR_INGRESS, NULL);
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
	if (bpf_map__set_max_entries(skel->maps.cg_src, cli->attach.sources)) {
		cg_fail("cannot size the source table to %u; use another --sources", cli->attach.sources);
		goto out;
	}
	for (i = 0; i < M_N; i++) {
		if (i == M_BLOCK || i == M_BLOCK_COUNT)
			snprintf(path, sizeof(path), "%s/%s", cli->pin_dir, pins[i]);
		else if (i == M_PORTS || i == M_CONFIG)	/* the interface's, both hooks */
			cg_iface_path(path, sizeof(path), cli->pin_dir, cli->attach.iface, pins[i]);
		else
			cg_dir_path(path, sizeof(path), cli->pin_dir, cli->attach.iface, CG_DIR_INGRESS,
				    pins[i]);
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
					"counters)", err, cli->attach.iface);
			goto out;
		}
		if (fds[i] < 0) {
			cg_fail("%s; check that %s is on bpffs and you are root", err,
				cli->pin_dir);
			goto out;
		}
		if (i == M_SRC && undo.n == n_undo_pins && (e = cg_map_user(fds[i]))) {
			in_use(cli, path, e);
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

	rec_fd = cg_attachment_open_or_create(cli->pin_dir, cli->attach.iface, &undo, err, sizeof(err));
	if (rec_fd < 0) {
		cg_fail("%s; %s", err, rec_fd == -ESTALE ? "it was made by another csumguard "
			"version: start afresh with `csumguard detach IFACE --purge`" :
			"check --pin-dir and that you are root");
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

	/* Check that our program (by id) is there, record where it went, and
	 * report. Any failure from here detaches it again. */
	prog_id = xdp_program__id(prog);
	mp = get_mp(ifindex, &e);
	if (mp && find_id(mp, prog_id)) {
		frags = xdp_multiprog__xdp_frags_support(mp);
		legacy = xdp_multiprog__is_legacy(mp);
		xdp_mode = attach_mode_name(xdp_multiprog__attach_mode(mp));
		prog_names(mp, others, sizeof(others));
	} else {
		snprintf(err, sizeof(err), "libxdp reported success but %s shows no csumguard "
			 "program (id %u)%s%s", cli->attach.iface, prog_id, e ? ": " : "",
			 e ? strerror(-e) : "");
	}
	if (mp)
		xdp_multiprog__close(mp);
	if (!xdp_mode || (e = record_attach(rec_fd, cli->attach.iface, ifindex, prog_id))) {
		if (xdp_mode)
			snprintf(err, sizeof(err), "cannot record the attachment in %s/"
				 CG_PIN_IFACES "/%s: %s", cli->pin_dir, cli->attach.iface, strerror(-e));
		undo_attach(cli, prog, ifindex, mode, err);
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
		       "mode %s, ports %s\n", cli->attach.iface, xdp_mode ? xdp_mode : "?",
		       strstr(cg_log_text(), "Compatibility check for dispatcher") ?
		       ": the kernel refused its freplace programs" : "",
		       cli->attach.iface, cg_mode_name(cli->attach.mode), portstr);
	else
		printf("attached csumguard to %s: %s XDP through the libxdp dispatcher "
		       "(frags %s; programs: %s), mode %s, ports %s\n", cli->attach.iface,
		       xdp_mode ? xdp_mode : "?", frags ? "on" : "off", others,
		       cg_mode_name(cli->attach.mode), portstr);
	cg_iface_path(path, sizeof(path), cli->pin_dir, cli->attach.iface, NULL);
	printf("counters pinned at %s (%s); see them with: csumguard stats %s\n", path,
	       reused ? "continued from before" : "new", cli->attach.iface);
	undo.n = 0;	/* keep everything */
	ret = CG_EXIT_OK;
	goto out;

out_restore:
	restore_state(fds[M_CONFIG], fds[M_PORTS], &saved);
out:
	cg_undo_run(&undo);	/* also unmounts a bpffs this run mounted */
	if (rec_fd >= 0)
		close(rec_fd);
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

/* Takes program id off ifindex and checks. 0, or -1 (message printed). */
static int detach_id(const char *shown, int ifindex, __u32 id)
{
	struct xdp_multiprog *mp;
	struct xdp_program *p;
	int e;

	mp = get_mp(ifindex, &e);
	p = mp ? find_id(mp, id) : NULL;
	if (!p) {
		if (mp)
			xdp_multiprog__close(mp);
		return cg_fail("csumguard's program (id %u) left %s meanwhile; nothing to "
			       "detach", id, shown), -1;
	}
	cg_log_clear();
	if (xdp_multiprog__is_legacy(mp))
		e = xdp_multiprog__detach(mp);
	else
		e = xdp_program__detach(p, ifindex, xdp_multiprog__attach_mode(mp), 0);
	xdp_multiprog__close(mp);
	if (e)
		return cg_fail("detaching csumguard from %s failed: %s; rerun with --verbose "
			       "and check `xdp-loader status %s`", shown, strerror(-e),
			       shown), -1;
	if (prog_on(ifindex, id) != 0)
		return cg_fail("csumguard is still attached to %s after detaching; check "
			       "`xdp-loader status %s` and rerun with --verbose", shown,
			       shown), -1;
	cg_prog_gone(id);
	return 0;
}

/* Marks the record detached (the state stays for a later attach). */
static void record_detach(const char *pin_dir, const char *ifname)
{
	struct cg_attachment a;
	char path[PATH_MAX];
	int fd;

	if (cg_attachment_read(pin_dir, ifname, &a))
		return;
	a.prog_id = 0;
	cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_INGRESS, CG_PIN_ATTACHMENT);
	fd = cg_map_open(path);
	if (fd >= 0) {
		cg_attachment_write(fd, &a);
		close(fd);
	}
}

/* detach IFACE for which this pin dir has no state: only say what is there. */
static int detach_no_state(const struct cg_cli *cli)
{
	struct xdp_multiprog *mp;
	struct xdp_program *p;
	char names[256] = "none";
	int ifindex = (int)if_nametoindex(cli->detach.iface), e, ret;

	if (!ifindex)
		return no_such_iface(cli->detach.iface);
	mp = get_mp(ifindex, &e);
	p = mp ? find_ours(mp) : NULL;
	if (mp)
		prog_names(mp, names, sizeof(names));
	if (p)
		/* Its state is in another pin dir (or was removed by hand):
		 * removing it here would leave that state frozen. */
		ret = cg_fail("the csumguard program on %s (id %u) does not use %s (no state "
			      "for %s there); detach it with the --pin-dir it was attached "
			      "with, or unload it: xdp-loader unload %s --id %u", cli->detach.iface,
			      xdp_program__id(p), cli->pin_dir, cli->detach.iface, cli->detach.iface,
			      xdp_program__id(p));
	else
		ret = cg_fail("csumguard is not attached to %s (XDP programs there: %s); "
			      "nothing to detach", cli->detach.iface, names);
	if (mp)
		xdp_multiprog__close(mp);
	return ret;
}

int cmd_detach(const struct cg_cli *cli)
{
	char err[CG_ERR_LEN], dir[PATH_MAX], names[256] = "none", path[PATH_MAX];
	struct xdp_multiprog *mp;
	struct cg_where w;
	const char *shown;
	int e, lock = -1, mounted, ret = CG_EXIT_FAIL, user, fd;

	if (cg_check_privileges(CG_NEED_ATTACH, "detach", err, sizeof(err)))
		return cg_fail("%s", err);
	e = cg_pin_dir_ready(cli->pin_dir, 0, &mounted, NULL, err, sizeof(err));
	if (e < 0)
		return cg_fail("%s", err);
	cg_iface_path(dir, sizeof(dir), cli->pin_dir, cli->detach.iface, NULL);
	if (e == 1 || !cg_exists(dir))
		return detach_no_state(cli);
	lock = cg_pin_lock(cli->pin_dir);
	if (cg_pin_layout(cli->pin_dir, cli->detach.iface) == 1) {
		struct cg_undo keep = {};

		if (cg_pin_adopt_v1(cli->pin_dir, cli->detach.iface, &keep, err, sizeof(err))) {
			cg_undo_run(&keep);
			cg_fail("%s; adopting the pins of an older csumguard failed, nothing was "
				"changed", err);
			goto out;
		}
		keep.n = 0;
		cg_undo_run(&keep);
	}

	cg_locate(cli->pin_dir, cli->detach.iface, &w);
	shown = w.ifname_now[0] ? w.ifname_now : cli->detach.iface;
	switch (w.state) {
	case CG_WHERE_UNKNOWN:
		cg_fail("cannot tell where csumguard's program for %s runs (%s); nothing was "
			"changed", cli->detach.iface, w.why);
		goto out;
	case CG_WHERE_ELSEWHERE:
		/* Its state must outlive it here: purging would leave the program
		 * running without pins (block would no longer reach it). */
		if (w.netns[0] && !strncmp(w.netns, "/run/", 5))
			cg_fail("csumguard's program for %s (id %u) is live in %s; detach it "
				"from that namespace first: nsenter --net=%s csumguard --pin-dir "
				"%s detach %s%s", cli->detach.iface, w.prog_id, w.where, w.netns,
				cli->pin_dir, cli->detach.iface, cli->detach.purge ? " --purge" : "");
		else
			cg_fail("csumguard's program for %s (id %u) is live on %s; detach it "
				"there first (bpftool prog show id %u; its network namespace: "
				"csumguard --pin-dir %s detach %s)", cli->detach.iface, w.prog_id,
				w.where, w.prog_id, cli->pin_dir, cli->detach.iface);
		goto out;
	case CG_WHERE_HERE:
		if (w.renamed)
			printf("%s is now %s (ifindex %d)\n", cli->detach.iface, w.ifname_now, w.ifindex);
		if (detach_id(shown, w.ifindex, w.prog_id))
			goto out;
		record_detach(cli->pin_dir, cli->detach.iface);
		printf("detached csumguard from %s", shown);
		mp = get_mp(w.ifindex, &e);
		if (mp) {
			prog_names(mp, names, sizeof(names));
			printf(" (XDP programs still there: %s)", names);
			xdp_multiprog__close(mp);
		}
		printf("\n");
		if (!cli->detach.purge) {
			printf("counters kept at %s; `csumguard attach %s` continues them, "
			       "--purge removes them\n", dir, cli->detach.iface);
			ret = CG_EXIT_OK;
			goto out;
		}
		break;
	case CG_WHERE_NONE:
		if (cli->detach.purge)
			break;
		if (!w.ifindex) {
			cg_fail("no interface '%s' here, and no csumguard program uses its "
				"state (it went with the interface); its counters stay at %s: "
				"`csumguard detach %s --purge` removes them", cli->detach.iface, dir,
				cli->detach.iface);
			goto out;
		}
		mp = get_mp(w.ifindex, &e);
		if (mp) {
			prog_names(mp, names, sizeof(names));
			xdp_multiprog__close(mp);
		}
		if (w.other_id)
			cg_fail("csumguard is not attached to %s with the state in %s (XDP "
				"programs there: %s; csumguard's, id %u, uses another --pin-dir); "
				"its pinned counters stay: add --purge to remove them", shown,
				cli->pin_dir, names, w.other_id);
		else
			cg_fail("csumguard is not attached to %s (XDP programs there: %s); "
				"its pinned counters stay: add --purge to remove them", shown,
				names);
		goto out;
	}

	/* --purge: never while a loaded program still uses the state. */
	cg_dir_path(path, sizeof(path), cli->pin_dir, cli->detach.iface, CG_DIR_INGRESS, CG_PIN_SRC);
	fd = cg_map_open(path);
	user = fd >= 0 ? cg_map_user(fd) : 0;
	if (fd >= 0)
		close(fd);
	if (user) {
		cg_fail("csumguard program %d still uses %s (%s); nothing was removed, "
			"rerun the detach", user, dir, user < 0 ? strerror(-user) : "it came back");
		goto out;
	}
	e = cg_iface_purge(cli->pin_dir, cli->detach.iface);
	if (e) {
		cg_fail("cannot remove %s: %s; remove it by hand (rm -r %s)", dir,
			strerror(-e), dir);
	} else {
		printf("removed the pinned counters of %s (%s)\n", cli->detach.iface, dir);
		ret = CG_EXIT_OK;
	}
	cg_pin_dir_tidy(cli->pin_dir);
out:
	if (lock >= 0)
		close(lock);
	return ret;
}
