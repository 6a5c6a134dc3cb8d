/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ports.h - the tunnel port table as people give it (KIND:PORT) and the
 * default ports: the one place they are written.
 */
#ifndef CG_PORTS_H
#define CG_PORTS_H

#include <stddef.h>
#include <stdint.h>
#include "csumguard.h"

struct cg_port_spec {
	uint16_t port;
	enum cg_encap encap;
};

#define CG_PORTS_MAX		64	/* --port options per attach */
#define CG_N_DEFAULT_PORTS	3
/* VXLAN 4789 and 8472, Geneve 6081 (SPEC 2.3). */
extern const struct cg_port_spec cg_default_ports[CG_N_DEFAULT_PORTS];

/* A decimal integer in [min, max], nothing else. Returns 0 or -1. */
int cg_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out);

/* "vxlan:4789" -> spec; trailing junk refused. Returns 0, or -1 with a
 * "<cause>; <fix>" message in err. */
int cg_parse_port_spec(const char *s, struct cg_port_spec *spec, char *err, size_t errlen);

/*
 * The port table an attach installs: the defaults unless no_defaults, then
 * extra[]. Fills out[] (sorted by port) and returns the count, or -1 with a
 * message in err when an extra port gives a default port another kind.
 */
int cg_port_table(const struct cg_port_spec *extra, int nextra, int no_defaults,
		  struct cg_port_spec *out, int max, char *err, size_t errlen);

#endif /* CG_PORTS_H */
