// SPDX-License-Identifier: GPL-2.0
/* netdev.c - see netdev.h. */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include "csumguard.h"
#include "netdev.h"

int cg_netdev_index(const char *ifname, char *err, size_t errlen)
{
	unsigned int i = if_nametoindex(ifname);

	if (!i) {
		snprintf(err, errlen, "no interface '%s' in this network namespace; check "
			 "`ip link` (for a netns: nsenter --net=/run/netns/NAME csumguard ...)",
			 ifname);
		return -ENODEV;
	}
	return (int)i;
}

int cg_netdev_name(int ifindex, char *buf, size_t len)
{
	char name[IF_NAMESIZE];

	if (ifindex <= 0 || !if_indextoname((unsigned int)ifindex, name))
		return ifindex <= 0 ? -ENODEV : -errno;
	snprintf(buf, len, "%s", name);
	return 0;
}

/* An ioctl on ifname through a throwaway socket. 0 or -errno. */
static int netdev_ioctl(const char *ifname, unsigned long req, struct ifreq *ifr)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), e = 0;

	if (fd < 0)
		return -errno;
	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", ifname);
	if (ioctl(fd, req, ifr))
		e = -errno;
	close(fd);
	return e;
}

int cg_netdev_mtu(const char *ifname)
{
	struct ifreq ifr = {};
	int e = netdev_ioctl(ifname, SIOCGIFMTU, &ifr);

	return e ? e : ifr.ifr_mtu;
}

int cg_netdev_info(const char *ifname, struct cg_netdev_info *info, char *err,
		   size_t errlen)
{
	struct ethtool_drvinfo d = { .cmd = ETHTOOL_GDRVINFO };
	struct ifreq ifr = { .ifr_data = (void *)&d };
	int e = netdev_ioctl(ifname, SIOCETHTOOL, &ifr);

	memset(info, 0, sizeof(*info));
	if (e) {
		if (e == -ENODEV)
			snprintf(err, errlen, "no interface '%s' in this network namespace; "
				 "check `ip link`", ifname);
		else
			snprintf(err, errlen, "cannot get the driver information of %s: %s; "
				 "compare `ethtool -i %s`", ifname, strerror(-e), ifname);
		return e;
	}
	/* The kernel's strings are NUL-terminated within their arrays. */
	snprintf(info->driver, sizeof(info->driver), "%.*s", (int)sizeof(d.driver) - 1, d.driver);
	snprintf(info->version, sizeof(info->version), "%.*s", (int)sizeof(d.version) - 1,
		 d.version);
	snprintf(info->firmware, sizeof(info->firmware), "%.*s", (int)sizeof(d.fw_version) - 1,
		 d.fw_version);
	snprintf(info->bus, sizeof(info->bus), "%.*s", (int)sizeof(d.bus_info) - 1, d.bus_info);
	return 0;
}

void cg_netdev_driver(const char *ifname, char *buf, size_t len)
{
	struct cg_netdev_info info;
	char err[8];

	if (!cg_netdev_info(ifname, &info, err, sizeof(err)) && info.driver[0])
		snprintf(buf, len, "%s", info.driver);
	else
		snprintf(buf, len, "unknown");
}

int cg_netdev_addrs(const char *ifname, struct cg_addr *out, int max)
{
	struct ifaddrs *ifa, *i;
	int n = 0, j, dup;
	struct cg_addr a;

	if (getifaddrs(&ifa))
		return -errno;
	for (i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr || !i->ifa_name || strcmp(i->ifa_name, ifname))
			continue;
		if (i->ifa_addr->sa_family == AF_INET) {
			cg_addr_from_v4(&a, &((struct sockaddr_in *)i->ifa_addr)->sin_addr);
		} else if (i->ifa_addr->sa_family == AF_INET6) {
			const struct in6_addr *v6 = &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;

			if (IN6_IS_ADDR_LINKLOCAL(v6))
				continue;	/* never a tunnel endpoint between nodes */
			cg_addr_from_v6(&a, v6);
		} else {
			continue;
		}
		for (dup = 0, j = 0; j < n; j++)
			dup |= !memcmp(&out[j], &a, sizeof(a));
		if (!dup && n < max)
			out[n++] = a;
	}
	freeifaddrs(ifa);
	return n;
}
