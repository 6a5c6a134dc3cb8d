/* SPDX-License-Identifier: GPL-2.0 */
/*
 * addr.h - node addresses (struct cg_addr, include/csumguard.h) as people
 * type and read them: the one parser and the one printer.
 */
#ifndef CG_ADDR_H
#define CG_ADDR_H

#include <stddef.h>
#include "csumguard.h"

#define CG_ADDR_STRLEN	46	/* INET6_ADDRSTRLEN */

/*
 * An IPv4 or IPv6 address (no prefix, no zone, no host name) -> cg_addr.
 * ::ffff:a.b.c.d is an IPv6 key, never the IPv4 node. Returns 0 or -1.
 */
int cg_parse_addr(const char *s, struct cg_addr *addr);

/* IPv4 as a dotted quad, IPv6 compressed (RFC 5952; ::ffff:a.b.c.d stays so). */
void cg_addr_str(const struct cg_addr *a, char *buf, size_t len);

/* Why a can never be a packet's source (unspecified, broadcast, multicast),
 * or NULL when it can. block refuses those. */
const char *cg_addr_not_a_source(const struct cg_addr *a);

#endif /* CG_ADDR_H */
