// SPDX-License-Identifier: GPL-2.0
/* offloads.c - see offloads.h. The feature strings are looked up by name in
 * the kernel's own ETH_SS_FEATURES string set, never by bit number: the bit
 * numbers (NETIF_F_*_BIT) change between kernel versions. */
#include <errno.h>
#include <net/if.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include "err.h"
#include "offloads.h"

static const char *const names[CG_FEATURE_MAX] = {
	[CG_FEAT_TX_UDP_TNL_SEG] = "tx-udp_tnl-segmentation",
	[CG_FEAT_TX_UDP_TNL_CSUM_SEG] = "tx-udp_tnl-csum-segmentation",
	[CG_FEAT_TX_CSUM_IP_GENERIC] = "tx-checksum-ip-generic",
	[CG_FEAT_TX_CSUM_IPV4] = "tx-checksum-ipv4",
	[CG_FEAT_TX_CSUM_IPV6] = "tx-checksum-ipv6",
	[CG_FEAT_RX_CSUM] = "rx-checksum",
	[CG_FEAT_TX_GSO_PARTIAL] = "tx-gso-partial",
	[CG_FEAT_RX_UDP_TUNNEL_PORT] = "rx-udp_tunnel-port-offload",
};

static const char *const meanings[CG_FEATURE_MAX] = {
	[CG_FEAT_TX_UDP_TNL_SEG] =
		"the NIC segments UDP-tunnel GSO packets and writes each segment's outer headers",
	[CG_FEAT_TX_UDP_TNL_CSUM_SEG] =
		"the NIC also computes each segment's outer UDP checksum: the offload i40e firmware 8.30 got wrong",
	[CG_FEAT_TX_CSUM_IP_GENERIC] =
		"the NIC finishes CHECKSUM_PARTIAL UDP/TCP checksums, outer ones included",
	[CG_FEAT_TX_CSUM_IPV4] = "the NIC finishes CHECKSUM_PARTIAL checksums of IPv4 packets",
	[CG_FEAT_TX_CSUM_IPV6] = "the NIC finishes CHECKSUM_PARTIAL checksums of IPv6 packets",
	[CG_FEAT_RX_CSUM] =
		"the NIC verifies received checksums; a bad packet may still reach XDP and the stack",
	[CG_FEAT_TX_GSO_PARTIAL] =
		"the NIC segments with the stack precomputing what it cannot (outer checksum by software)",
	[CG_FEAT_RX_UDP_TUNNEL_PORT] =
		"the NIC parses tunnel ports on receive and may validate inner checksums",
};

const char *cg_feature_name(enum cg_feature f)
{
	return (unsigned)f < CG_FEATURE_MAX ? names[f] : NULL;
}

const char *cg_feature_meaning(enum cg_feature f)
{
	return (unsigned)f < CG_FEATURE_MAX ? meanings[f] : NULL;
}

static int eth_ioctl(int fd, const char *ifname, void *cmd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
	ifr.ifr_data = cmd;
	return ioctl(fd, SIOCETHTOOL, &ifr) ? -errno : 0;
}

/* The number of strings in ETH_SS_FEATURES, or -errno. */
static int feature_count(int fd, const char *ifname)
{
	struct {
		struct ethtool_sset_info hdr;
		__u32 len;
	} info = { .hdr = { .cmd = ETHTOOL_GSSET_INFO, .sset_mask = 1ULL << ETH_SS_FEATURES } };
	int e = eth_ioctl(fd, ifname, &info);

	if (e)
		return e;
	return (info.hdr.sset_mask & (1ULL << ETH_SS_FEATURES)) ? (int)info.len : -EOPNOTSUPP;
}

static int read_features(int fd, const char *ifname, struct cg_offloads *out)
{
	struct ethtool_gstrings *str = NULL;
	struct ethtool_gfeatures *feat = NULL;
	int n, blocks, i, k, e;

	n = feature_count(fd, ifname);
	if (n < 0)
		return n;
	blocks = (n + 31) / 32;
	str = calloc(1, sizeof(*str) + (size_t)n * ETH_GSTRING_LEN);
	feat = calloc(1, sizeof(*feat) + (size_t)blocks * sizeof(feat->features[0]));
	e = -ENOMEM;
	if (!str || !feat)
		goto out;
	str->cmd = ETHTOOL_GSTRINGS;
	str->string_set = ETH_SS_FEATURES;
	str->len = (__u32)n;
	feat->cmd = ETHTOOL_GFEATURES;
	feat->size = (__u32)blocks;
	e = eth_ioctl(fd, ifname, str);
	if (!e)
		e = eth_ioctl(fd, ifname, feat);
	if (e)
		goto out;
	for (k = 0; k < CG_FEATURE_MAX; k++)
		out->f[k].on = out->f[k].fixed = -1;
	for (i = 0; i < n; i++) {
		const char *s = (const char *)str->data + (size_t)i * ETH_GSTRING_LEN;
		__u32 bit = 1U << (i % 32);

		for (k = 0; k < CG_FEATURE_MAX; k++) {
			if (strncmp(s, names[k], ETH_GSTRING_LEN))
				continue;
			out->f[k].on = !!(feat->features[i / 32].active & bit);
			/* ethtool -k: "[fixed]" = not in the changeable set. */
			out->f[k].fixed = !(feat->features[i / 32].available & bit);
		}
	}
out:
	free(str);
	free(feat);
	return e;
}

int cg_netdev_offloads(const char *ifname, struct cg_offloads *out, char *err, size_t errlen)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), e;

	if (fd < 0)
		return cg_errf(err, errlen, -errno, "cannot open a socket for ethtool: %s; "
			       "check the process's limits", strerror(errno));
	e = read_features(fd, ifname, out);
	close(fd);
	if (e == -ENODEV)
		return cg_errf(err, errlen, e, "no interface '%s' in this network namespace; "
			       "check `ip link`", ifname);
	if (e)
		return cg_errf(err, errlen, e, "cannot read the features of %s: %s; "
			       "compare with `ethtool -k %s`", ifname, strerror(-e), ifname);
	return 0;
}
