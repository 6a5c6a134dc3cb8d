// SPDX-License-Identifier: GPL-2.0
/* doctor.c - gathering the facts of `csumguard doctor` and what they mean
 * (see doctor.h). */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "doctor.h"
#include "memsize.h"
#include "err.h"
#include "format.h"
#include "maps.h"
#include "pins.h"
#include "snapshot.h"

/* One page of native XDP, as a program without frags support gets it:
 * veth's limit (4096 - 256 headroom - 320 skb_shared_info - 14), SPEC 7. */
#define ONE_PAGE_MTU	3506

static void note(struct cg_doctor *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(struct cg_doctor *d, const char *fmt, ...)
{
	va_list ap;

	if (d->nnotes >= CG_DOCTOR_NOTES_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(d->notes[d->nnotes++], sizeof(d->notes[0]), fmt, ap);
	va_end(ap);
}

static int feat_on(const struct cg_doctor *d, enum cg_feature f)
{
	return d->have_features ? d->feat.f[f].on : -1;
}

/* Does overlay o send over d's interface (or by route: maybe)? */
static int over_us(const struct cg_doctor *d, const struct cg_overlay *o)
{
	return o->link == d->ifindex || o->link == 0;
}

/* Outer checksums o sends on an IPv4 / IPv6 underlay: 1 computed, 0 zero,
 * -1 not said. */
static int sends_v4(const struct cg_overlay *o)
{
	return o->v4_csum;
}

static int sends_v6(const struct cg_overlay *o)
{
	return o->v6_zero_tx < 0 ? -1 : !o->v6_zero_tx;
}

void cg_doctor_notes(struct cg_doctor *d)
{
	const char *n = d->ifname;
	size_t i;

	d->nnotes = 0;
	if (feat_on(d, CG_FEAT_TX_UDP_TNL_CSUM_SEG) == 1)
		note(d, "%s's NIC writes the outer UDP checksums of the tunnel packets it "
		     "segments (tx-udp_tnl-csum-segmentation on): if the receivers count bad "
		     "checksums from this node (csumguard diagnose there), turn it off: "
		     "ethtool -K %s tx-udp_tnl-csum-segmentation off.", n, n);
	else if (feat_on(d, CG_FEAT_TX_UDP_TNL_SEG) == 1)
		note(d, "%s segments tunnel packets but leaves their outer checksums to the "
		     "kernel (tx-udp_tnl-csum-segmentation off): the NIC cannot get them wrong.",
		     n);
	if (feat_on(d, CG_FEAT_TX_CSUM_IP_GENERIC) == 1 || feat_on(d, CG_FEAT_TX_CSUM_IPV4) == 1 ||
	    feat_on(d, CG_FEAT_TX_CSUM_IPV6) == 1)
		note(d, "%s finishes checksums the stack leaves partial (tx checksumming on): "
		     "csumguard's egress counts those packets as offloaded, and the receivers' "
		     "bad count over that is the NIC's corruption rate (csumguard ledger).", n);
	if (d->have_info && !strcmp(d->info.driver, "veth"))
		note(d, "%s is a veth: a peer receives offloaded checksums unfinished (the "
		     "pseudo-header seed), counted as unfinished, never bad; for real checksums "
		     "on the wire turn tx off on the sender: ethtool -K %s tx off.", n, n);
	if (d->have_info && d->info.driver[0] && strcmp(d->info.driver, "veth"))
		note(d, "Compare driver %s %s, firmware %s with the vendor's known tunnel "
		     "checksum offload issues (one reported: i40e 2.14.13 with firmware 8.30 "
		     "corrupted 1-5 %% of the VXLAN checksums).", d->info.driver,
		     d->info.version[0] ? d->info.version : "?",
		     d->info.firmware[0] ? d->info.firmware : "?");
	if (d->have_xdp_features && !(d->xdp_features & CG_XDP_ACT_BASIC))
		note(d, "The driver of %s has no native XDP: attach with --xdp-mode skb "
		     "(generic XDP: every frame checked, at a higher cost).", n);
	else if (d->have_xdp_features && !(d->xdp_features & CG_XDP_ACT_RX_SG) &&
		 d->mtu > ONE_PAGE_MTU)
		note(d, "MTU %d is above one page, and the driver of %s has no multi-buffer "
		     "XDP (rx-sg): native attach is refused; use --xdp-mode skb or an MTU up "
		     "to %d.", d->mtu, n, ONE_PAGE_MTU);
	if (!d->bpffs)
		note(d, "bpffs is not mounted on /sys/fs/bpf: attach mounts it (the pinned "
		     "counters live there).");
	if (!d->k.btf)
		note(d, "No kernel BTF (/sys/kernel/btf/vmlinux): the egress program cannot read "
		     "skb facts (CO-RE); offloaded is known by the seed signature alone.");
	if (!d->k.xdp_ok)
		note(d, "Native XDP attach of csumguard here is refused: %s.", d->k.xdp_why);
	for (i = 0; i < d->novl; i++) {
		const struct cg_overlay *o = &d->ovl[i];

		if (!over_us(d, o))
			continue;
		if ((o->family == 4 || !o->family) && sends_v4(o) == 0)
			note(d, "%s (%s) sends zero outer checksums over IPv4 (the Linux default; "
			     "Cilium and Antrea too): receivers count them as zero, and there is "
			     "no outer checksum to get wrong or to verify.", o->name, o->kind);
		if ((o->family == 6 || !o->family) && sends_v6(o) == 0)
			note(d, "%s (%s) sends zero outer checksums over IPv6 (udp6zerocsumtx): "
			     "receivers drop them unless their device has udp6zerocsumrx.",
			     o->name, o->kind);
	}
}

/* A pinned table's capacity and memlock (issue 13); zeros if unreadable. */
static void table_facts(const char *path, uint32_t *max, uint64_t *bytes)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	int fd = cg_map_open(path);

	*max = 0;
	*bytes = 0;
	if (fd < 0)
		return;
	if (!bpf_obj_get_info_by_fd(fd, &info, &len))
		*max = info.max_entries;
	if (cg_map_memlock(fd, bytes))
		*bytes = 0;
	close(fd);
}

static void gather_cg(const char *pin_dir, struct cg_doctor *d)
{
	char path[PATH_MAX];
	uint32_t *encap;
	struct cg_port_spec ports[CG_SNAP_PORTS_MAX];
	struct cg_config cfg;
	struct cg_tc_record t;
	int fd, n;

	cg_iface_path(path, sizeof(path), pin_dir, d->ifname, NULL);
	d->cg.state = cg_exists(path);
	if (!d->cg.state)
		return;
	cg_dir_path(path, sizeof(path), pin_dir, d->ifname, CG_DIR_INGRESS, NULL);
	if ((d->cg.has_ingress = cg_exists(path)))
		cg_locate(pin_dir, d->ifname, &d->cg.in);
	cg_dir_path(path, sizeof(path), pin_dir, d->ifname, CG_DIR_EGRESS, NULL);
	if ((d->cg.has_egress = cg_exists(path)))
		cg_tc_locate(pin_dir, d->ifname, &d->cg.eg, &t);
	d->cg.ncpus = cg_ncpus();
	if (d->cg.has_ingress) {
		cg_dir_path(path, sizeof(path), pin_dir, d->ifname, CG_DIR_INGRESS, CG_PIN_SRC);
		table_facts(path, &d->cg.src_max, &d->cg.src_bytes);
		if (d->cg.src_bytes) {	/* and its rows' shared parts (bpf/maps.bpf.h) */
			uint32_t rmax;
			uint64_t rb;

			cg_dir_path(path, sizeof(path), pin_dir, d->ifname, CG_DIR_INGRESS,
				    CG_PIN_SRC_RARE);
			table_facts(path, &rmax, &rb);
			d->cg.src_bytes = rb ? d->cg.src_bytes + rb : 0;
		}
	}
	if (d->cg.has_egress) {
		cg_dir_path(path, sizeof(path), pin_dir, d->ifname, CG_DIR_EGRESS, CG_PIN_DST);
		table_facts(path, &d->cg.dst_max, &d->cg.dst_bytes);
	}
	cg_iface_path(path, sizeof(path), pin_dir, d->ifname, CG_PIN_CONFIG);
	if ((fd = cg_map_open(path)) >= 0) {
		if (!cg_config_read(fd, &cfg)) {
			d->cg.have_mode = 1;
			d->cg.drop_mode = cfg.mode == CG_MODE_DROP;
		}
		close(fd);
	}
	cg_iface_path(path, sizeof(path), pin_dir, d->ifname, CG_PIN_PORTS);
	encap = calloc(CG_PORT_TABLE_SIZE, sizeof(*encap));
	if (encap && (fd = cg_map_open(path)) >= 0) {
		if (!cg_ports_read(fd, encap)) {
			n = cg_snap_ports(encap, ports, CG_SNAP_PORTS_MAX);
			cg_fmt_ports(ports, n, d->cg.ports, sizeof(d->cg.ports));
		}
		close(fd);
	}
	free(encap);
}

int cg_doctor_gather(const char *pin_dir, const char *ifname, struct cg_doctor *d,
		     char *err, size_t errlen)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	struct statfs sfs;
	int e, n;

	memset(d, 0, sizeof(*d));
	snprintf(d->ifname, sizeof(d->ifname), "%s", ifname);
	d->ifindex = cg_netdev_index(ifname, err, errlen);
	if (d->ifindex < 0)
		return d->ifindex;
	d->mtu = cg_netdev_mtu(ifname);
	d->have_info = !cg_netdev_info(ifname, &d->info, d->info_why, sizeof(d->info_why));
	d->have_features = !cg_netdev_offloads(ifname, &d->feat, d->feat_why,
					       sizeof(d->feat_why));

	e = cg_xdp_features_read(d->ifindex, &d->xdp_features);
	d->have_xdp_features = !e;
	if (e == -EOPNOTSUPP)
		snprintf(d->xdp_why, sizeof(d->xdp_why), "this kernel does not say (the netdev "
			 "netlink family came in 6.3): attach tries native and says if refused");
	else if (e)
		snprintf(d->xdp_why, sizeof(d->xdp_why), "cannot ask the kernel: %s",
			 strerror(-e));
	if (!bpf_xdp_query(d->ifindex, 0, &q)) {
		d->xdp_drv_id = q.drv_prog_id;
		d->xdp_skb_id = q.skb_prog_id;
		d->xdp_hw_id = q.hw_prog_id;
	}

	d->bpffs = !statfs("/sys/fs/bpf", &sfs) && sfs.f_type == BPF_FS_MAGIC;
	cg_doctor_kernel(&d->k, ifname, d->mtu);
	if (d->bpffs)
		gather_cg(pin_dir, d);

	n = cg_overlays_read(d->ovl, CG_DOCTOR_OVERLAYS_MAX);
	d->have_ovl = n >= 0;
	if (n < 0)
		snprintf(d->ovl_why, sizeof(d->ovl_why), "cannot list the links (rtnetlink): %s",
			 strerror(-n));
	else
		d->novl = (size_t)n;
	cg_doctor_notes(d);
	return 0;
}
