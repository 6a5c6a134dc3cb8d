/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netdev.h - facts about a network device of this network namespace: index
 * and name, MTU, driver (the ethtool GDRVINFO ioctl, which works in any
 * namespace without netlink). What `attach` needs now and `doctor` builds on
 * (driver and firmware versions today; the tx-udp_tnl-* features next).
 * Errors are values: -errno, and where the caller shows it, "cause; fix".
 */
#ifndef CG_NETDEV_H
#define CG_NETDEV_H

#include <stddef.h>

/*
 * ifindex of ifname in this network namespace, or -ENODEV with "no
 * interface 'X' in this network namespace; check `ip link` ..." in err.
 */
int cg_netdev_index(const char *ifname, char *err, size_t errlen);

/* Name of ifindex now into buf (IF_NAMESIZE). 0, or -errno. */
int cg_netdev_name(int ifindex, char *buf, size_t len);

/* MTU of ifname, or -errno. */
int cg_netdev_mtu(const char *ifname);

/* What the driver says of itself (ethtool -i). Strings "" when not given. */
struct cg_netdev_info {
	char driver[32];
	char version[32];
	char firmware[32];
	char bus[32];
};

/* Fills info for ifname. 0, or -errno (e.g. -EOPNOTSUPP: loopback has no
 * driver information) with "cause; fix" in err. */
int cg_netdev_info(const char *ifname, struct cg_netdev_info *info, char *err,
		   size_t errlen);

/* The driver's name of ifname into buf, "unknown" when it cannot be told
 * (for messages: "eth1 (driver mlx5_core) has no native XDP"). */
void cg_netdev_driver(const char *ifname, char *buf, size_t len);

/* The IPv4 and IPv6 addresses of ifname now, link-local IPv6 left out (the
 * underlay addresses its tunnel traffic comes from), in getifaddrs order, at
 * most max. Their count, or -errno. */
struct cg_addr;
int cg_netdev_addrs(const char *ifname, struct cg_addr *out, int max);

#endif /* CG_NETDEV_H */
