// SPDX-License-Identifier: GPL-2.0
/* snapshot.c - see snapshot.h. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "err.h"
#include "locate.h"
#include "maps.h"
#include "memsize.h"
#include "netdev.h"
#include "pins.h"
#include "snapshot.h"
#include "nodes.h"
#include "tc_attach.h"

void cg_snap_where(struct cg_iface_view *v, const struct cg_where *w)
{
	v->ifindex = w->ifindex;
	switch (w->state) {
	case CG_WHERE_HERE:
		v->attached = 1;
		v->xdp_mode = w->xdp_mode;
		v->dispatcher = w->dispatcher;
		v->xdp_variant = w->xdp_variant;
		v->ifname_now = w->renamed ? w->ifname_now : NULL;
		break;
	case CG_WHERE_ELSEWHERE:
		v->attached = 1;
		v->attached_note = w->where;
		break;
	case CG_WHERE_UNKNOWN:
		v->attached = -1;
		v->attached_note = w->why;
		break;
	case CG_WHERE_NONE:
		break;
	}
}

int cg_snap_ports(const uint32_t *encap, struct cg_port_spec *out, int max)
{
	int p, n = 0;

	for (p = 1; p < CG_PORT_TABLE_SIZE && n < max; p++)
		if (encap[p] != CG_ENCAP_NONE && encap[p] < CG_ENCAP_MAX) {
			out[n].port = (uint16_t)p;
			out[n].encap = (enum cg_encap)encap[p];
			n++;
		}
	return n;
}

int cg_snap_sources(struct cg_iface_snap *s, struct cg_src_row *lru, size_t nlru,
		    const struct cg_src_row *kept, size_t nkept)
{
	uint64_t inserted = s->v.tot.c[CG_IF_SRC_INSERTED];

	s->rows = lru;
	s->v.nrows = nlru;
	s->v.sources_present = nlru;
	s->v.sources_evicted = inserted > nlru ? inserted - nlru : 0;
	s->v.sources_kept = nkept;
	s->v.rows = s->rows;
	if (cg_src_merge(&s->rows, &s->v.nrows, kept, nkept))
		return -ENOMEM;
	s->v.rows = s->rows;
	return 0;
}

void cg_snap_dests(struct cg_iface_snap *s, struct cg_dst_row *rows, size_t n)
{
	uint64_t inserted = s->ev.etot.c[CG_IF_SRC_INSERTED];

	s->drows = rows;
	s->ev.drows = rows;
	s->ev.ndrows = n;
	s->ev.dests_present = n;
	s->ev.dests_evicted = inserted > n ? inserted - n : 0;
}

size_t cg_snapshot_views(const struct cg_snapshot *s, struct cg_iface_view *out)
{
	size_t i, n = 0;

	for (i = 0; i < s->n; i++) {
		if (s->ifaces[i].has_ingress) {
			out[n] = s->ifaces[i].v;
			out[n++].nodes = s->nodes;
		}
		if (s->ifaces[i].has_egress) {
			out[n] = s->ifaces[i].ev;
			out[n++].nodes = s->nodes;
		}
	}
	return n;
}

/* A pin of ifname that cannot be opened (fd) or read (e). */
static int bad_pin(const char *path, const char *ifname, int fd, char *err, size_t errlen)
{
	if (fd == -ENOENT)
		return cg_errf(err, errlen, fd, "%s is missing (state of %s is incomplete); "
			       "start afresh: csumguard detach %s --purge", path, ifname, ifname);
	return cg_errf(err, errlen, fd, "cannot open %s: %s; run as root", path, strerror(-fd));
}

static int bad_read(const char *path, int e, char *err, size_t errlen)
{
	return cg_errf(err, errlen, e, "cannot read %s: %s; run as root", path, strerror(-e));
}

/* Opens the pinned table pin of ifname's ingress and its shared parts'
 * (pin_rare): f->hot < 0 when the table is not there (-ENOENT) or cannot be
 * opened; f->rare -1 when its shared parts are not (state from before issue
 * 13: refused by attach, read as per-CPU parts alone here is wrong, so a
 * missing _rare of a present table is an error). */
static int open_pair(const char *pin_dir, const char *ifname, const char *pin,
		     const char *pin_rare, struct cg_src_fds *f, char *path, size_t len)
{
	cg_dir_path(path, len, pin_dir, ifname, CG_DIR_INGRESS, pin);
	f->rare = -1;
	f->hot = cg_map_open(path);
	if (f->hot < 0)
		return f->hot;
	cg_dir_path(path, len, pin_dir, ifname, CG_DIR_INGRESS, pin_rare);
	f->rare = cg_map_open(path);
	if (f->rare < 0) {
		close(f->hot);
		f->hot = -1;
		return f->rare;
	}
	return 0;
}

static void close_pair(struct cg_src_fds *f)
{
	if (f->hot >= 0)
		close(f->hot);
	if (f->rare >= 0)
		close(f->rare);
}

/* The per-source rows: the LRU tables, and the kept ones when there are
 * (absent: state from before issue 6). */
static int read_sources(const char *pin_dir, const char *ifname, struct cg_iface_snap *s,
			char *err, size_t errlen)
{
	char path[PATH_MAX];
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	struct cg_src_row *lru = NULL, *kept = NULL;
	size_t nlru = 0, nkept = 0, parts[2] = { 0, 0 }, kparts[2] = { 0, 0 };
	uint64_t b, rins;
	struct cg_src_fds f;
	int e, fd;

	e = open_pair(pin_dir, ifname, CG_PIN_SRC, CG_PIN_SRC_RARE, &f, path, sizeof(path));
	if (e)
		return bad_pin(path, ifname, e, err, errlen);
	if (!bpf_obj_get_info_by_fd(f.hot, &info, &len))
		s->v.sources_max = info.max_entries;
	if (cg_map_memlock(f.hot, &s->v.sources_bytes))
		s->v.sources_bytes = 0;	/* the kernel does not say */
	else if (!cg_map_memlock(f.rare, &b))
		s->v.sources_bytes += b;
	else
		s->v.sources_bytes = 0;
	s->v.ncpus = cg_ncpus();
	e = cg_src_read_all(f.hot, f.rare, &lru, &nlru, parts);
	close_pair(&f);
	if (e)
		return bad_read(path, e, err, errlen);

	e = open_pair(pin_dir, ifname, CG_PIN_SRC_KEPT, CG_PIN_SRC_KEPT_RARE, &f, path,
		      sizeof(path));
	if (!e) {
		e = cg_src_read_all(f.hot, f.rare, &kept, &nkept, kparts);
		close_pair(&f);
	} else if (e != -ENOENT) {
		free(lru);
		return bad_pin(path, ifname, e, err, errlen);
	} else {
		e = 0;
	}
	if (!e)
		e = cg_snap_sources(s, lru, nlru, kept, nkept);
	else
		free(lru);
	free(kept);
	if (e)
		return bad_read(path, e, err, errlen);
	/* Present: the per-CPU parts (every accounted frame makes one); a
	 * source with a shared part alone is shown, not counted present. */
	s->v.sources_present = parts[0];
	s->v.sources_evicted = s->v.tot.c[CG_IF_SRC_INSERTED] > parts[0] ?
			       s->v.tot.c[CG_IF_SRC_INSERTED] - parts[0] : 0;
	rins = s->v.tot.c[CG_IF_SRC_RARE_INSERTED];
	s->v.sources_rare = parts[1];
	s->v.sources_rare_evicted = rins > parts[1] ? rins - parts[1] : 0;
	s->v.sources_kept = kparts[0];

	/* Known nodes' rows (issue 10; absent before it), merged likewise. */
	e = open_pair(pin_dir, ifname, CG_PIN_SRC_NODES, CG_PIN_SRC_NODES_RARE, &f, path,
		      sizeof(path));
	if (e && e != -ENOENT)
		return bad_pin(path, ifname, e, err, errlen);
	if (!e) {
		e = cg_src_read_all(f.hot, f.rare, &kept, &nkept, kparts);
		close_pair(&f);
		if (!e) {
			s->v.sources_nodes = kparts[0];
			e = cg_src_merge(&s->rows, &s->v.nrows, kept, nkept);
			s->v.rows = s->rows;
		}
		free(kept);
		kept = NULL;
		if (e)
			return bad_read(path, e, err, errlen);
	}
	/* The counts waiting in the hot-source cache (absent before it), added
	 * to their sources' rows. */
	cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_INGRESS, CG_PIN_SRC_CACHE);
	fd = cg_map_open(path);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return bad_pin(path, ifname, fd, err, errlen);
	e = cg_src_cache_read(fd, 0, &kept, &nkept);
	close(fd);
	if (!e) {
		e = cg_src_merge(&s->rows, &s->v.nrows, kept, nkept);
		s->v.rows = s->rows;
	}
	free(kept);
	return e ? bad_read(path, e, err, errlen) : 0;
}

/* The egress direction: where, totals, destinations, the tc record. */
static int read_egress(const char *pin_dir, const char *ifname, struct cg_iface_snap *s,
		       char *err, size_t errlen)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	struct cg_tc_record t;
	struct cg_dst_row *rows = NULL;
	char path[PATH_MAX];
	size_t n = 0;
	int fd, e;

	s->ev.name = s->name;
	s->ev.dir = CG_DIR_EGRESS;
	cg_tc_locate(pin_dir, ifname, &s->ew, &t);
	cg_snap_where(&s->ev, &s->ew);
	s->ev.tc_handle = t.handle;
	s->ev.tc_priority = t.priority;
	s->ev.tc_qdisc_created = !!(t.flags & CG_TC_QDISC_CREATED);

	cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_EGRESS, CG_PIN_EGRESS);
	fd = cg_map_open(path);
	if (fd < 0)
		return bad_pin(path, ifname, fd, err, errlen);
	e = cg_egress_read(fd, &s->ev.etot);
	close(fd);
	if (e)
		return bad_read(path, e, err, errlen);
	cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_EGRESS, CG_PIN_GSO_META);
	fd = cg_map_open(path);
	if (fd >= 0) {
		__u32 zero = 0;

		if (bpf_map_lookup_elem(fd, &zero, &s->ev.gso_meta_first))
			memset(&s->ev.gso_meta_first, 0, sizeof(s->ev.gso_meta_first));
		close(fd);
	}
	cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_EGRESS, CG_PIN_DST);
	fd = cg_map_open(path);
	if (fd < 0)
		return bad_pin(path, ifname, fd, err, errlen);
	if (!bpf_obj_get_info_by_fd(fd, &info, &len))
		s->ev.dests_max = info.max_entries;
	if (cg_map_memlock(fd, &s->ev.dests_bytes))
		s->ev.dests_bytes = 0;	/* the kernel does not say */
	s->ev.ncpus = cg_ncpus();
	e = cg_dst_read_all(fd, &rows, &n);
	close(fd);
	if (e)
		return bad_read(path, e, err, errlen);
	cg_snap_dests(s, rows, n);
	return 0;
}

/* Reads one interface's pinned state into s. 0, or -errno with err set. */
static int read_iface(const char *pin_dir, const char *ifname, uint32_t *encap,
		      struct cg_iface_snap *s, char *err, size_t errlen)
{
	char path[PATH_MAX];
	const char *now;
	int fd, e, n;

	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", ifname);
	s->v.name = s->name;
	/* Never misread another layout (a reader does not move pins). */
	if (cg_pin_layout(pin_dir, ifname) == 1)
		return cg_errf(err, errlen, -EPROTO, "%s: " CG_PIN_V1_HINT, ifname, ifname,
			       ifname);
	cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_EGRESS, NULL);
	s->has_egress = cg_exists(path);
	cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_INGRESS, NULL);
	/* Neither direction: the ingress read says what is missing. */
	s->has_ingress = cg_exists(path) || !s->has_egress;

	if (s->has_ingress) {
		/* By the attachment record and map ids, not the name (cg_locate). */
		cg_locate(pin_dir, ifname, &s->w);
		cg_snap_where(&s->v, &s->w);

		cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_INGRESS, CG_PIN_IFACE);
		fd = cg_map_open(path);
		if (fd < 0)
			return bad_pin(path, ifname, fd, err, errlen);
		e = cg_iface_read(fd, &s->v.tot);
		close(fd);
		if (e)
			return bad_read(path, e, err, errlen);
		if ((e = read_sources(pin_dir, ifname, s, err, errlen)))
			return e;
	}
	if (s->has_egress && (e = read_egress(pin_dir, ifname, s, err, errlen)))
		return e;

	cg_iface_path(path, sizeof(path), pin_dir, ifname, CG_PIN_CONFIG);
	fd = cg_map_open(path);
	if (fd >= 0) {
		s->v.have_config = !cg_config_read(fd, &s->v.config);
		close(fd);
	}
	cg_iface_path(path, sizeof(path), pin_dir, ifname, CG_PIN_PORTS);
	fd = cg_map_open(path);
	if (fd >= 0) {
		if (!cg_ports_read(fd, encap))
			s->v.nports = cg_snap_ports(encap, s->ports, CG_SNAP_PORTS_MAX);
		close(fd);
	}
	s->v.ports = s->ports;
	/* The interface's own: both directions show them. */
	s->ev.have_config = s->v.have_config;
	s->ev.config = s->v.config;
	s->ev.ports = s->ports;
	s->ev.nports = s->v.nports;
	if (!s->has_ingress)	/* the interface's index from the egress side */
		s->v.ifindex = s->ev.ifindex;
	now = s->v.ifname_now ? s->v.ifname_now : s->ev.ifname_now ? s->ev.ifname_now : ifname;
	n = (s->v.ifindex || s->ev.ifindex) ?
		cg_netdev_addrs(now, s->addrs, CG_SNAP_ADDRS_MAX) : 0;
	s->v.addrs = s->ev.addrs = s->addrs;
	s->v.naddrs = s->ev.naddrs = n > 0 ? (size_t)n : 0;
	return 0;
}

int cg_snapshot_check(const char *pin_dir, const char *ifname, char *err, size_t errlen)
{
	int e, mounted;

	if ((e = cg_check_privileges(CG_NEED_BPF, "stats", err, errlen)))
		return e;
	e = cg_pin_dir_ready(pin_dir, 0, &mounted, NULL, err, errlen);
	if (e < 0)
		return e;
	if (e == 1 && ifname)
		return cg_errf(err, errlen, -ENOENT, "csumguard has no state under %s (nothing "
			       "attached); %s", pin_dir, CG_STATE_HINT);
	return 0;
}

int cg_snapshot_take(const char *pin_dir, const char *ifname, struct cg_snapshot *s,
		     char *err, size_t errlen)
{
	char (*names)[16] = NULL, dir[PATH_MAX];
	uint32_t *encap = NULL;
	size_t count = 0, i;
	int e = 0;

	memset(s, 0, sizeof(*s));
	if (ifname) {
		cg_iface_path(dir, sizeof(dir), pin_dir, ifname, NULL);
		if (!cg_exists(dir))
			return cg_errf(err, errlen, -ENOENT, "csumguard has no state for %s under "
				       "%s; attach it first: csumguard attach %s", ifname, pin_dir,
				       ifname);
		names = calloc(1, sizeof(*names));
		if (!names)
			return cg_errf(err, errlen, -ENOMEM, "out of memory");
		snprintf(names[0], sizeof(names[0]), "%s", ifname);
		count = 1;
	} else {
		e = cg_list_ifaces(pin_dir, &names, &count);
		if (e)
			return cg_errf(err, errlen, e, "cannot list %s/" CG_PIN_IFACES ": %s; run "
				       "as root", pin_dir, strerror(-e));
	}
	s->ifaces = calloc(count ? count : 1, sizeof(*s->ifaces));
	encap = calloc(CG_PORT_TABLE_SIZE, sizeof(*encap));
	if (!s->ifaces || !encap) {
		e = cg_errf(err, errlen, -ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < count; i++) {
		s->n = i + 1;	/* what cg_snapshot_free has to free */
		if ((e = read_iface(pin_dir, names[i], encap, &s->ifaces[i], err, errlen)))
			goto out;
	}
	/* Names of the sources and destinations that are known nodes. */
	e = cg_nodes_open(pin_dir, &s->nodes, err, errlen);
out:
	free(names);
	free(encap);
	if (e)
		cg_snapshot_free(s);
	return e;
}

void cg_snapshot_free(struct cg_snapshot *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->ifaces[i].rows);
		free(s->ifaces[i].drows);
	}
	free(s->ifaces);
	s->ifaces = NULL;
	s->n = 0;
	cg_nodes_close(s->nodes);
	s->nodes = NULL;
}
