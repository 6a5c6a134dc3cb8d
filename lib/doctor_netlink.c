// SPDX-License-Identifier: GPL-2.0
/*
 * doctor_netlink.c - the netlink facts of `doctor` (doctor.h), straight
 * from the kernel's rtnetlink and generic netlink, no library:
 *  - every VXLAN and Geneve device of this network namespace with the
 *    settings that decide its outer UDP checksum (RTM_GETLINK dump,
 *    IFLA_LINKINFO / IFLA_INFO_DATA: what `ip -d link` prints as udpcsum,
 *    udp6zerocsumtx, udp6zerocsumrx);
 *  - the driver's XDP features (generic netlink family "netdev",
 *    NETDEV_CMD_DEV_GET, kernel 6.3+).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include "doctor.h"

/* The netdev family's UAPI (include/uapi/linux/netdev.h, 6.3+): Debian 12's
 * linux-libc-dev (6.1) does not have the header; the values are ABI. */
#define CG_NETDEV_FAMILY_NAME	"netdev"
#define CG_NETDEV_CMD_DEV_GET	1
#define CG_NETDEV_A_DEV_IFINDEX	1
#define CG_NETDEV_A_DEV_XDP_FEATURES	3

static const char *const xdp_act_names[] = {
	"basic", "redirect", "ndo-xmit", "xsk-zerocopy", "hw-offload", "rx-sg", "ndo-xmit-sg",
};

const char *cg_xdp_act_name(int bit)
{
	return bit >= 0 && bit < (int)(sizeof(xdp_act_names) / sizeof(xdp_act_names[0])) ?
		xdp_act_names[bit] : NULL;
}

/* ------------------------------------------------------------- netlink */

#define NL_BUF	32768

static int nl_open(int proto)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);
	int one = 1;

	if (fd < 0)
		return -errno;
	/* Errors come with the request echoed; ask for them short. */
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int e = -errno;

		close(fd);
		return e;
	}
	return fd;
}

/* Appends an attribute to the message at m (room: NL_BUF). */
static void nl_put(struct nlmsghdr *m, unsigned short type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)m + NLMSG_ALIGN(m->nlmsg_len));

	a->nla_type = type;
	a->nla_len = (unsigned short)(NLA_HDRLEN + len);
	memcpy((char *)a + NLA_HDRLEN, data, len);
	m->nlmsg_len = NLMSG_ALIGN(m->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

/* Walks the attributes in [p, p+len): tb[type] for type < max. */
static void nl_parse(const void *p, size_t len, const struct nlattr **tb, int max)
{
	const struct nlattr *a = p;
	size_t step;
	int type;

	memset(tb, 0, sizeof(*tb) * (size_t)max);
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && (size_t)a->nla_len <= len) {
		type = a->nla_type & NLA_TYPE_MASK;
		if (type < max)
			tb[type] = a;
		step = (size_t)NLA_ALIGN(a->nla_len);
		len -= step < len ? step : len;
		a = (const struct nlattr *)((const char *)a + step);
	}
}

static const void *nl_data(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

static size_t nl_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static uint32_t nl_u32(const struct nlattr *a)
{
	uint32_t v = 0;

	memcpy(&v, nl_data(a), nl_len(a) < 4 ? nl_len(a) : 4);
	return v;
}

static int nl_u8(const struct nlattr *a)
{
	return a && nl_len(a) >= 1 ? *(const uint8_t *)nl_data(a) : -1;
}

/*
 * Sends m and hands every reply message to cb until the dump's NLMSG_DONE
 * or, without NLM_F_DUMP, the first reply or error. 0, or -errno (the
 * kernel's NLMSG_ERROR, or cb's).
 */
static int nl_talk(int fd, struct nlmsghdr *m, int (*cb)(const struct nlmsghdr *h, void *arg),
		   void *arg)
{
	static __thread char buf[NL_BUF];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int dump = !!(m->nlmsg_flags & NLM_F_DUMP), e;
	ssize_t n;

	m->nlmsg_seq = 1;
	if (sendto(fd, m, m->nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	for (;;) {
		struct nlmsghdr *h;

		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *er = NLMSG_DATA(h);

				return er->error;	/* 0: an ACK */
			}
			if ((e = cb(h, arg)))
				return e;
			if (!dump)
				return 0;
		}
	}
}

/* ------------------------------------------------------------- overlays */

struct ovl_ctx {
	struct cg_overlay *out;
	size_t max, n;
};

static void vxlan_info(struct cg_overlay *o, const struct nlattr *data)
{
	const struct nlattr *tb[IFLA_VXLAN_MAX + 1];

	nl_parse(nl_data(data), nl_len(data), tb, IFLA_VXLAN_MAX + 1);
	if (tb[IFLA_VXLAN_ID])
		o->vni = nl_u32(tb[IFLA_VXLAN_ID]);
	if (tb[IFLA_VXLAN_PORT] && nl_len(tb[IFLA_VXLAN_PORT]) >= 2)
		o->port = ntohs(*(const uint16_t *)nl_data(tb[IFLA_VXLAN_PORT]));
	if (tb[IFLA_VXLAN_LINK])
		o->link = (int)nl_u32(tb[IFLA_VXLAN_LINK]);
	if (tb[IFLA_VXLAN_LOCAL] || tb[IFLA_VXLAN_GROUP])
		o->family = 4;
	else if (tb[IFLA_VXLAN_LOCAL6] || tb[IFLA_VXLAN_GROUP6])
		o->family = 6;
	o->v4_csum = nl_u8(tb[IFLA_VXLAN_UDP_CSUM]);
	o->v6_zero_tx = nl_u8(tb[IFLA_VXLAN_UDP_ZERO_CSUM6_TX]);
	o->v6_zero_rx = nl_u8(tb[IFLA_VXLAN_UDP_ZERO_CSUM6_RX]);
	o->external = tb[IFLA_VXLAN_COLLECT_METADATA] &&
		nl_u8(tb[IFLA_VXLAN_COLLECT_METADATA]) > 0;
}

static void geneve_info(struct cg_overlay *o, const struct nlattr *data)
{
	const struct nlattr *tb[IFLA_GENEVE_MAX + 1];

	nl_parse(nl_data(data), nl_len(data), tb, IFLA_GENEVE_MAX + 1);
	if (tb[IFLA_GENEVE_ID])
		o->vni = nl_u32(tb[IFLA_GENEVE_ID]);
	if (tb[IFLA_GENEVE_PORT] && nl_len(tb[IFLA_GENEVE_PORT]) >= 2)
		o->port = ntohs(*(const uint16_t *)nl_data(tb[IFLA_GENEVE_PORT]));
	if (tb[IFLA_GENEVE_REMOTE])
		o->family = 4;
	else if (tb[IFLA_GENEVE_REMOTE6])
		o->family = 6;
	o->v4_csum = nl_u8(tb[IFLA_GENEVE_UDP_CSUM]);
	o->v6_zero_tx = nl_u8(tb[IFLA_GENEVE_UDP_ZERO_CSUM6_TX]);
	o->v6_zero_rx = nl_u8(tb[IFLA_GENEVE_UDP_ZERO_CSUM6_RX]);
	o->external = tb[IFLA_GENEVE_COLLECT_METADATA] != NULL;	/* a flag */
}

static int on_link(const struct nlmsghdr *h, void *arg)
{
	struct ovl_ctx *c = arg;
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	const struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1];
	const char *kind;
	struct cg_overlay *o;
	size_t len;

	if (h->nlmsg_type != RTM_NEWLINK || h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		return 0;
	len = h->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi));
	nl_parse((const char *)ifi + NLMSG_ALIGN(sizeof(*ifi)), len, tb, IFLA_MAX + 1);
	if (!tb[IFLA_LINKINFO] || !tb[IFLA_IFNAME])
		return 0;
	nl_parse(nl_data(tb[IFLA_LINKINFO]), nl_len(tb[IFLA_LINKINFO]), li, IFLA_INFO_MAX + 1);
	if (!li[IFLA_INFO_KIND])
		return 0;
	kind = nl_data(li[IFLA_INFO_KIND]);
	if (strncmp(kind, "vxlan", nl_len(li[IFLA_INFO_KIND])) &&
	    strncmp(kind, "geneve", nl_len(li[IFLA_INFO_KIND])))
		return 0;
	if (c->n >= c->max)
		return 0;
	o = &c->out[c->n++];
	memset(o, 0, sizeof(*o));
	o->v4_csum = o->v6_zero_tx = o->v6_zero_rx = -1;
	snprintf(o->name, sizeof(o->name), "%.*s", (int)nl_len(tb[IFLA_IFNAME]),
		 (const char *)nl_data(tb[IFLA_IFNAME]));
	snprintf(o->kind, sizeof(o->kind), "%.*s", (int)nl_len(li[IFLA_INFO_KIND]), kind);
	o->ifindex = ifi->ifi_index;
	o->up = !!(ifi->ifi_flags & IFF_UP);
	if (li[IFLA_INFO_DATA]) {
		if (!strcmp(o->kind, "vxlan"))
			vxlan_info(o, li[IFLA_INFO_DATA]);
		else
			geneve_info(o, li[IFLA_INFO_DATA]);
	}
	return 0;
}

int cg_overlays_read(struct cg_overlay *out, size_t max)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
	} req = {
		.h = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
		       .nlmsg_type = RTM_GETLINK, .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP },
		.i = { .ifi_family = AF_UNSPEC },
	};
	struct ovl_ctx c = { .out = out, .max = max };
	int fd = nl_open(NETLINK_ROUTE), e;

	if (fd < 0)
		return fd;
	e = nl_talk(fd, &req.h, on_link, &c);
	close(fd);
	return e ? e : (int)c.n;
}

/* ---------------------------------------------------------- XDP features */

struct genl_req {
	struct nlmsghdr h;
	struct genlmsghdr g;
	char attrs[256];
};

static int on_family(const struct nlmsghdr *h, void *arg)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	const struct genlmsghdr *g = NLMSG_DATA(h);

	nl_parse((const char *)g + GENL_HDRLEN, h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), tb,
		 CTRL_ATTR_MAX + 1);
	if (!tb[CTRL_ATTR_FAMILY_ID] || nl_len(tb[CTRL_ATTR_FAMILY_ID]) < 2)
		return -EPROTO;
	*(uint16_t *)arg = *(const uint16_t *)nl_data(tb[CTRL_ATTR_FAMILY_ID]);
	return 0;
}

struct feat_ctx {
	uint64_t features;
	int found;
};

static int on_dev(const struct nlmsghdr *h, void *arg)
{
	const struct nlattr *tb[CG_NETDEV_A_DEV_XDP_FEATURES + 1];
	const struct genlmsghdr *g = NLMSG_DATA(h);
	struct feat_ctx *c = arg;

	nl_parse((const char *)g + GENL_HDRLEN, h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), tb,
		 CG_NETDEV_A_DEV_XDP_FEATURES + 1);
	if (tb[CG_NETDEV_A_DEV_XDP_FEATURES] && nl_len(tb[CG_NETDEV_A_DEV_XDP_FEATURES]) >= 8) {
		memcpy(&c->features, nl_data(tb[CG_NETDEV_A_DEV_XDP_FEATURES]), 8);
		c->found = 1;
	}
	return 0;
}

int cg_xdp_features_read(int ifindex, uint64_t *features)
{
	struct genl_req req;
	struct feat_ctx c = {};
	uint32_t idx = (uint32_t)ifindex;
	uint16_t family = 0;
	int fd = nl_open(NETLINK_GENERIC), e;

	if (fd < 0)
		return fd;
	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	req.h.nlmsg_type = GENL_ID_CTRL;
	req.h.nlmsg_flags = NLM_F_REQUEST;
	req.g.cmd = CTRL_CMD_GETFAMILY;
	req.g.version = 1;
	nl_put(&req.h, CTRL_ATTR_FAMILY_NAME, CG_NETDEV_FAMILY_NAME,
	       sizeof(CG_NETDEV_FAMILY_NAME));
	e = nl_talk(fd, &req.h, on_family, &family);
	if (e == -ENOENT) {	/* no such family: kernel before 6.3 */
		close(fd);
		return -EOPNOTSUPP;
	}
	if (!e) {
		memset(&req, 0, sizeof(req));
		req.h.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
		req.h.nlmsg_type = family;
		req.h.nlmsg_flags = NLM_F_REQUEST;
		req.g.cmd = CG_NETDEV_CMD_DEV_GET;
		req.g.version = 1;
		nl_put(&req.h, CG_NETDEV_A_DEV_IFINDEX, &idx, sizeof(idx));
		e = nl_talk(fd, &req.h, on_dev, &c);
	}
	close(fd);
	if (e)
		return e;
	if (!c.found)
		return -EOPNOTSUPP;
	*features = c.features;
	return 0;
}
