/* SPDX-License-Identifier: GPL-2.0 */
/*
 * offloads.h - the ethtool features (`ethtool -k`) that decide who writes a
 * tunnel packet's outer UDP checksum, read through the ETHTOOL_GFEATURES
 * ioctl (any network namespace, no netlink). The facts seed 000 correlated
 * by hand; `doctor` explains them and the agent's csumguard_nic_info carries
 * them. Names are the kernel's own feature strings, spelled in offloads.c.
 */
#ifndef CG_OFFLOADS_H
#define CG_OFFLOADS_H

#include <stddef.h>

enum cg_feature {
	CG_FEAT_TX_UDP_TNL_SEG = 0,	/* "tx-udp_tnl-segmentation" */
	CG_FEAT_TX_UDP_TNL_CSUM_SEG,	/* "tx-udp_tnl-csum-segmentation" */
	CG_FEAT_TX_CSUM_IP_GENERIC,	/* "tx-checksum-ip-generic" */
	CG_FEAT_TX_CSUM_IPV4,		/* "tx-checksum-ipv4" */
	CG_FEAT_TX_CSUM_IPV6,		/* "tx-checksum-ipv6" */
	CG_FEAT_RX_CSUM,		/* "rx-checksum" */
	CG_FEAT_TX_GSO_PARTIAL,		/* "tx-gso-partial" */
	CG_FEAT_RX_UDP_TUNNEL_PORT,	/* "rx-udp_tunnel-port-offload" */
	CG_FEATURE_MAX
};

/* One feature of one device, as `ethtool -k` shows it. */
struct cg_feature_state {
	signed char on;		/* 1 on, 0 off, -1 the kernel has no such feature */
	signed char fixed;	/* 1: the driver does not let it change ("[fixed]") */
};

struct cg_offloads {
	struct cg_feature_state f[CG_FEATURE_MAX];	/* indexed by enum cg_feature */
};

/* Reads ifname's features. 0, or -errno with "cause; fix" in err. */
int cg_netdev_offloads(const char *ifname, struct cg_offloads *out, char *err, size_t errlen);

/* The kernel's name of a feature; NULL past the end. */
const char *cg_feature_name(enum cg_feature f);

/* What the feature being on means for the outer checksum of tunnel packets
 * this device sends or receives: one sentence, for `doctor`. */
const char *cg_feature_meaning(enum cg_feature f);

#endif /* CG_OFFLOADS_H */
