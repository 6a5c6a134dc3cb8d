// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_addr.c - the address parser and printer (lib/addr.c) on any text,
 * and the printer on any 20-byte key.
 *
 * Promises checked: a parsed address has its family's layout (IPv4 behind
 * the v4-mapped prefix, pad zero), prints back to a text that parses to the
 * same key, and an IPv4 literal is never an IPv6 key (nor ::ffff:a.b.c.d
 * the IPv4 one); the printer always terminates what it writes.
 */
#include <arpa/inet.h>
#include "fuzz.h"
#include "addr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t v4_prefix[12] = { [10] = 0xff, [11] = 0xff };
	char *text = fz_cstr(data, size), buf[CG_ADDR_STRLEN];
	struct cg_addr a, b, raw;
	struct in_addr in4;

	if (!cg_parse_addr(text, &a)) {
		FZ_CHECK(a.family == CG_AF_INET4 || a.family == CG_AF_INET6, "family %u", a.family);
		FZ_CHECK(!a.pad[0] && !a.pad[1] && !a.pad[2], "pad not zero");
		FZ_CHECK(a.family != CG_AF_INET4 || !memcmp(a.a, v4_prefix, 12),
			 "IPv4 key without the v4-mapped prefix");
		FZ_CHECK((a.family == CG_AF_INET4) == (inet_pton(AF_INET, text, &in4) == 1),
			 "'%s': family %u", text, a.family);
		FZ_CHECK(a.family == CG_AF_INET6 || !strchr(text, ':'), "'%s' is IPv4", text);
		memset(buf, 0x5a, sizeof(buf));
		cg_addr_str(&a, buf, sizeof(buf));
		FZ_CHECK(memchr(buf, 0, sizeof(buf)) != NULL, "printed address not terminated");
		FZ_CHECK(!cg_parse_addr(buf, &b) && !memcmp(&a, &b, sizeof(a)),
			 "'%s' printed as '%s', which parses to another key", text, buf);
		(void)cg_addr_not_a_source(&a);
	}
	if (size >= sizeof(raw)) {
		memcpy(&raw, data, sizeof(raw));
		memset(buf, 0x5a, sizeof(buf));
		cg_addr_str(&raw, buf, sizeof(buf));
		FZ_CHECK(memchr(buf, 0, sizeof(buf)) != NULL, "printed key not terminated");
		(void)cg_addr_not_a_source(&raw);
	}
	free(text);
	return 0;
}
