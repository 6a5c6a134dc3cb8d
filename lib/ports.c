// SPDX-License-Identifier: GPL-2.0
/* ports.c - see ports.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "err.h"
#include "names.h"
#include "ports.h"

/* a bad value: -1 and the "<cause>; <fix>" line (lib/err.h) */
#define ERR(...) return cg_errf(err, errlen, -1, __VA_ARGS__)

/* The defaults of SPEC 2.3. GUE has none: 6080 is not only GUE's. */
const struct cg_port_spec cg_default_ports[CG_N_DEFAULT_PORTS] = {
	{ CG_PORT_VXLAN_IANA, CG_ENCAP_VXLAN },
	{ CG_PORT_VXLAN_LINUX, CG_ENCAP_VXLAN },
	{ CG_PORT_GENEVE, CG_ENCAP_GENEVE },
};

int cg_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	const char *p;

	if (!s || !*s || strlen(s) > 10)
		return -1;
	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (unsigned long)(*p - '0');
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int cg_parse_port_spec(const char *s, struct cg_port_spec *spec, char *err, size_t errlen)
{
	const char *colon = strchr(s, ':');
	char kind[16];
	unsigned long port;
	size_t klen;
	int encap;

	if (!colon)
		ERR("bad --port '" CG_QUOTE "': expected KIND:PORT; e.g. --port vxlan:4789 "
		    "(KIND is vxlan, geneve or gue)", CG_QUOTED(s));
	klen = (size_t)(colon - s);
	if (klen == 0 || klen >= sizeof(kind))
		ERR("bad --port '" CG_QUOTE "': unknown kind '%.*s'; KIND is vxlan, geneve or gue",
		    CG_QUOTED(s), (int)(klen < sizeof(kind) ? klen : sizeof(kind)), s);
	memcpy(kind, s, klen);
	kind[klen] = '\0';
	encap = cg_encap_from_name(kind);
	if (encap < 0)
		ERR("bad --port '" CG_QUOTE "': unknown kind '%s'; KIND is vxlan, geneve or gue",
		    CG_QUOTED(s), kind);
	if (cg_parse_uint(colon + 1, 1, 65535, &port))
		ERR("bad --port '" CG_QUOTE "': port must be a number from 1 to 65535; "
		    "e.g. --port %s:6080", CG_QUOTED(s), kind);
	spec->encap = (enum cg_encap)encap;
	spec->port = (uint16_t)port;
	return 0;
}

static int port_cmp(const void *a, const void *b)
{
	const struct cg_port_spec *x = a, *y = b;

	return (int)x->port - (int)y->port;
}

int cg_port_table(const struct cg_port_spec *extra, int nextra, int no_defaults,
		  struct cg_port_spec *out, int max, char *err, size_t errlen)
{
	int n = 0, i, j, ndef = 0;

	if (!no_defaults) {
		for (i = 0; i < CG_N_DEFAULT_PORTS && n < max; i++)
			out[n++] = cg_default_ports[i];
		ndef = n;
	}
	for (i = 0; i < nextra; i++) {
		const struct cg_port_spec *p = &extra[i];

		for (j = 0; j < n; j++)
			if (out[j].port == p->port)
				break;
		if (j < n) {
			if (out[j].encap == p->encap)
				continue;	/* repeated: fine */
			ERR("--port %s:%u conflicts with %s%s:%u; %s",
			    cg_encap_name(p->encap), p->port,
			    j < ndef ? "the default " : "--port ",
			    cg_encap_name(out[j].encap), out[j].port,
			    j < ndef ? "add --no-default-ports to give a default port another kind"
				     : "give each port one kind");
		}
		if (n >= max)
			ERR("too many ports; at most %d", max);
		out[n++] = *p;
	}
	qsort(out, (size_t)n, sizeof(*out), port_cmp);
	return n;
}
