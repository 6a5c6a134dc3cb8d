/* SPDX-License-Identifier: GPL-2.0 */
/*
 * doctor.h - `csumguard doctor IFACE`: the facts of one interface and of
 * this node that decide who writes the outer checksum of tunnel packets and
 * whether csumguard can check them, gathered read-only:
 *   doctor.c         the gathering (driver, features, XDP, kernel, bpffs,
 *                    BTF, what csumguard has attached) and the notes;
 *   doctor_netlink.c the netlink parts: the node's own VXLAN and Geneve
 *                    devices (rtnetlink, IFLA_INFO_DATA) and the driver's
 *                    XDP features (the "netdev" generic netlink family,
 *                    kernel 6.3+);
 *   doctor_kernel.c  the kernel and the program variants it gets (probe.h);
 *   doctor_render.c  text and JSON.
 * Never prints; never changes anything.
 */
#ifndef CG_DOCTOR_H
#define CG_DOCTOR_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "doctor_kernel.h"
#include "locate.h"
#include "netdev.h"
#include "offloads.h"

#define CG_DOCTOR_OVERLAYS_MAX	32
#define CG_DOCTOR_NOTES_MAX	16
#define CG_DOCTOR_WHY_LEN	256

/* One VXLAN or Geneve device of this network namespace. */
struct cg_overlay {
	char name[IF_NAMESIZE];
	char kind[8];		/* "vxlan", "geneve" */
	int ifindex;
	int up;
	uint32_t vni;
	uint16_t port;		/* UDP destination port */
	int link;		/* underlay ifindex (VXLAN "dev"); 0: by route */
	int family;		/* underlay family from its local/remote address: 4, 6; 0 unknown */
	int v4_csum;		/* IPv4 underlay: outer checksum computed (udpcsum); -1 not said */
	int v6_zero_tx;		/* IPv6 underlay: zero checksum sent (udp6zerocsumtx); -1 */
	int v6_zero_rx;		/* IPv6 underlay: zero checksum accepted (udp6zerocsumrx); -1 */
	int external;		/* collect_metadata / external: a CNI's (Cilium) device */
};

/* The driver's XDP features (netdev netlink family, NETDEV_A_DEV_XDP_FEATURES). */
#define CG_XDP_ACT_BASIC	(1ULL << 0)
#define CG_XDP_ACT_REDIRECT	(1ULL << 1)
#define CG_XDP_ACT_NDO_XMIT	(1ULL << 2)
#define CG_XDP_ACT_XSK_ZEROCOPY	(1ULL << 3)
#define CG_XDP_ACT_HW_OFFLOAD	(1ULL << 4)
#define CG_XDP_ACT_RX_SG	(1ULL << 5)
#define CG_XDP_ACT_NDO_XMIT_SG	(1ULL << 6)
/* "basic", "redirect", ... (the kernel's netdev.yaml names); NULL past the end. */
const char *cg_xdp_act_name(int bit);

/* What csumguard has on the interface, by this pin dir's state. */
struct cg_doctor_cg {
	int state;		/* the pin dir has state for the interface */
	int has_ingress, has_egress;
	struct cg_where in, eg;	/* where each direction runs */
	int have_mode;
	int drop_mode;
	char ports[256];	/* "vxlan:4789,8472 geneve:6081" */
	/* The per-node tables (issue 13): capacity and the kernel's memlock
	 * (0: no such table or the kernel does not say), possible CPUs. */
	uint32_t src_max, dst_max;
	uint64_t src_bytes, dst_bytes;
	int ncpus;
};

struct cg_doctor {
	char ifname[IF_NAMESIZE];
	int ifindex;
	int mtu;
	int have_info;
	struct cg_netdev_info info;
	char info_why[CG_DOCTOR_WHY_LEN];
	int have_features;
	struct cg_offloads feat;
	char feat_why[CG_DOCTOR_WHY_LEN];
	/* XDP */
	int have_xdp_features;		/* the kernel said (6.3+) */
	uint64_t xdp_features;		/* CG_XDP_ACT_* */
	char xdp_why[CG_DOCTOR_WHY_LEN];	/* !have_xdp_features: why not */
	uint32_t xdp_drv_id, xdp_skb_id, xdp_hw_id;	/* programs on it now */
	/* the node */
	int bpffs;			/* bpffs mounted at /sys/fs/bpf */
	struct cg_doctor_kernel k;
	struct cg_doctor_cg cg;
	struct cg_overlay ovl[CG_DOCTOR_OVERLAYS_MAX];
	size_t novl;
	int have_ovl;
	char ovl_why[CG_DOCTOR_WHY_LEN];
	/* what it all means: one sentence each */
	char notes[CG_DOCTOR_NOTES_MAX][320];
	size_t nnotes;
};

/*
 * Gathers everything about ifname (its pinned state under pin_dir). Facts
 * that cannot be read are said so in their *_why, not an error. 0, or
 * -ENODEV with err set when there is no such interface here.
 */
int cg_doctor_gather(const char *pin_dir, const char *ifname, struct cg_doctor *d,
		     char *err, size_t errlen);

/* The notes: what the facts mean for tunnel checksums, and what to do. Pure
 * (tests/test_doctor.c); cg_doctor_gather calls it. */
void cg_doctor_notes(struct cg_doctor *d);

/* The node's VXLAN and Geneve devices (rtnetlink dump). Count, or -errno. */
int cg_overlays_read(struct cg_overlay *out, size_t max);

/* The driver's XDP features of ifindex: 0, -EOPNOTSUPP when the kernel has
 * no netdev netlink family (before 6.3), or -errno. */
int cg_xdp_features_read(int ifindex, uint64_t *features);

/* Text (at most 80 columns but for long names) and one JSON document. */
void cg_doctor_render_text(FILE *f, const struct cg_doctor *d);
int cg_doctor_render_json(FILE *f, const struct cg_doctor *d);
#define CG_DOCTOR_JSON_VERSION	1

#endif /* CG_DOCTOR_H */
