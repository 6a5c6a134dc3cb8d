// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_ports.c - the --port parser (lib/ports.c cg_parse_port_spec), the
 * number parser under every numeric option (cg_parse_uint) and the port
 * table an attach installs (cg_port_table), on any text.
 *
 * The input is up to 70 specs separated by ','; each is parsed, the good
 * ones make a table. Promises checked: an accepted spec is KIND:DIGITS
 * with a known KIND and a port 1..65535 that strtoul reads the same, and
 * prints back to itself; cg_parse_uint accepts exactly what a strict
 * decimal reading within bounds accepts; a table is sorted, without a
 * repeated port, holds the defaults unless told not to; a refusal is one
 * "<cause>; <fix>" line.
 */
#include <errno.h>
#include "fuzz.h"
#include "err.h"
#include "names.h"
#include "ports.h"

/* The strict reading cg_parse_uint promises, by other means. */
static int strict_uint(const char *s, unsigned long min, unsigned long max, unsigned long *v)
{
	char *end;

	if (!*s || strlen(s) > 10 || strspn(s, "0123456789") != strlen(s))
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return errno || *end || *v < min || *v > max ? -1 : 0;
}

static void one_spec(const char *s, struct cg_port_spec *tab, int *n)
{
	struct cg_port_spec spec, again;
	char err[CG_ERRLEN], back[64];
	const char *colon = strchr(s, ':');
	unsigned long v = 0, w = 0;

	if (cg_parse_port_spec(s, &spec, err, sizeof(err))) {
		fz_check_message_as(err, FZ_MSG_QUOTES_ARGV);
		return;
	}
	FZ_CHECK(colon != NULL, "accepted '%s' without ':'", s);
	FZ_CHECK(!strict_uint(colon + 1, 1, 65535, &v) && v == spec.port,
		 "accepted '%s' as port %u", s, spec.port);
	FZ_CHECK(spec.encap > CG_ENCAP_NONE && spec.encap < CG_ENCAP_MAX, "kind %d", spec.encap);
	FZ_CHECK(cg_encap_from_name(cg_encap_name(spec.encap)) == (int)spec.encap, "kind name");
	snprintf(back, sizeof(back), "%s:%u", cg_encap_name(spec.encap), spec.port);
	FZ_CHECK(!cg_parse_port_spec(back, &again, err, sizeof(err)) &&
		 again.port == spec.port && again.encap == spec.encap, "'%s' does not parse back",
		 back);
	/* the number parser against the strict reading, bounds from the port */
	FZ_CHECK(!cg_parse_uint(colon + 1, 0, 4294967295UL, &w) == !strict_uint(colon + 1, 0,
		 4294967295UL, &v), "cg_parse_uint and strtoul disagree on '%s'", colon + 1);
	if (*n < CG_PORTS_MAX)
		tab[(*n)++] = spec;
}

static void check_uint(const char *s, unsigned long min, unsigned long max)
{
	unsigned long a = 0, b = 0;
	int ra = cg_parse_uint(s, min, max, &a), rb = strict_uint(s, min, max, &b);

	FZ_CHECK(ra == rb && (ra || a == b), "cg_parse_uint('%s', %lu, %lu): %d %lu, strict %d %lu",
		 s, min, max, ra, a, rb, b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_port_spec specs[CG_PORTS_MAX], out[CG_PORTS_MAX + CG_N_DEFAULT_PORTS];
	char *text = fz_cstr(data, size), *p, *save = NULL, err[CG_ERRLEN];
	int n = 0, k, i, j, no_def = size && (data[0] & 1);

	check_uint(text, 0, 4294967295UL);
	check_uint(text, 16, 1u << 20);
	for (p = strtok_r(text, ",", &save), k = 0; p && k < 70; p = strtok_r(NULL, ",", &save), k++)
		one_spec(p, specs, &n);
	k = cg_port_table(specs, n, no_def, out, (int)(sizeof(out) / sizeof(out[0])), err,
			  sizeof(err));
	if (k < 0) {
		fz_check_message_as(err, FZ_MSG_QUOTES_ARGV);
	} else {
		for (i = 1; i < k; i++)
			FZ_CHECK(out[i - 1].port < out[i].port, "table not sorted and unique");
		for (i = 0; !no_def && i < CG_N_DEFAULT_PORTS; i++) {
			for (j = 0; j < k; j++)
				if (out[j].port == cg_default_ports[i].port)
					break;
			FZ_CHECK(j < k && out[j].encap == cg_default_ports[i].encap,
				 "default port %u missing", cg_default_ports[i].port);
		}
		for (i = 0; i < n; i++) {
			for (j = 0; j < k; j++)
				if (out[j].port == specs[i].port)
					break;
			FZ_CHECK(j < k && out[j].encap == specs[i].encap, "--port %u missing",
				 specs[i].port);
		}
	}
	free(text);
	return 0;
}
