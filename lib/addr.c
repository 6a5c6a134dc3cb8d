// SPDX-License-Identifier: GPL-2.0
/* addr.c - see addr.h. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "addr.h"

int cg_parse_addr(const char *s, struct cg_addr *addr)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (!s)
		return -1;
	memset(addr, 0, sizeof(*addr));
	if (inet_pton(AF_INET, s, &a4) == 1) {
		cg_addr_from_v4(addr, &a4);
		return 0;
	}
	/* ::ffff:a.b.c.d stays an IPv6 key: not the IPv4 node a.b.c.d */
	if (inet_pton(AF_INET6, s, &a6) == 1) {
		cg_addr_from_v6(addr, &a6);
		return 0;
	}
	return -1;
}

void cg_addr_str(const struct cg_addr *a, char *buf, size_t len)
{
	/* An IPv6 ::ffff:a.b.c.d source prints as such, never as a.b.c.d */
	if (a->family == CG_AF_INET4) {
		/* By hand: glibc's inet_ntop formats IPv4 with sprintf, which
		 * was a tenth of `stats` over many sources. Same text. */
		char tmp[16], *p = tmp;
		int i;

		for (i = 12; i < 16; i++) {
			unsigned v = a->a[i];

			if (v >= 100)
				*p++ = (char)('0' + v / 100);
			if (v >= 10)
				*p++ = (char)('0' + v / 10 % 10);
			*p++ = (char)('0' + v % 10);
			*p++ = i < 15 ? '.' : '\0';
		}
		if ((size_t)(p - tmp) > len)
			snprintf(buf, len, "?");
		else
			memcpy(buf, tmp, (size_t)(p - tmp));
		return;
	}
	if (!inet_ntop(AF_INET6, a->a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
}

const char *cg_addr_not_a_source(const struct cg_addr *a)
{
	static const uint8_t zero[16];
	const uint8_t *v4 = &a->a[12];

	if (a->family == CG_AF_INET4) {
		if (!v4[0] && !v4[1] && !v4[2] && !v4[3])
			return "the unspecified address";
		if (v4[0] == 255 && v4[1] == 255 && v4[2] == 255 && v4[3] == 255)
			return "the broadcast address";
		if (v4[0] >= 224 && v4[0] <= 239)
			return "a multicast address";
		return NULL;
	}
	if (!memcmp(a->a, zero, 16))
		return "the unspecified address";
	if (a->a[0] == 0xff)
		return "a multicast address";
	return NULL;
}
