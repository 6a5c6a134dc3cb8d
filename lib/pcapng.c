// SPDX-License-Identifier: GPL-2.0
/*
 * pcapng.c - the pcapng writer (pcapng.h has the layouts).
 */
#include <errno.h>
#include <string.h>
#include "pcapng.h"

#define SHB_TYPE	0x0A0D0D0Au
#define IDB_TYPE	0x00000001u
#define EPB_TYPE	0x00000006u
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du
#define OPT_ENDOFOPT	0
#define OPT_COMMENT	1
#define IF_TSRESOL	9

static uint32_t pad4(uint32_t n)
{
	return (n + 3) & ~3u;
}

static int put(FILE *f, const void *p, size_t n)
{
	return n && fwrite(p, 1, n, f) != n ? -EIO : 0;
}

static int put32(FILE *f, uint32_t v)
{
	return put(f, &v, 4);
}

static int put16(FILE *f, uint16_t v)
{
	return put(f, &v, 2);
}

static int put_pad(FILE *f, uint32_t n)
{
	static const uint8_t zero[4];

	return put(f, zero, pad4(n) - n);
}

int cg_pcapng_start(FILE *f, uint32_t snaplen)
{
	uint64_t section_len = UINT64_MAX;	/* not given */
	int e = 0;

	e |= put32(f, SHB_TYPE);
	e |= put32(f, 28);
	e |= put32(f, BYTE_ORDER_MAGIC);
	e |= put16(f, 1);
	e |= put16(f, 0);
	e |= put(f, &section_len, 8);
	e |= put32(f, 28);

	e |= put32(f, IDB_TYPE);
	e |= put32(f, 32);
	e |= put16(f, CG_PCAPNG_LINKTYPE_ETHERNET);
	e |= put16(f, 0);
	e |= put32(f, snaplen);
	e |= put16(f, IF_TSRESOL);		/* timestamps in 10^-9 s */
	e |= put16(f, 1);
	e |= put(f, "\x09\0\0\0", 4);
	e |= put16(f, OPT_ENDOFOPT);
	e |= put16(f, 0);
	e |= put32(f, 32);
	return e ? -EIO : 0;
}

int cg_pcapng_packet(FILE *f, uint64_t ts_ns, const void *data, uint32_t caplen,
		     uint32_t origlen, const char *comment)
{
	size_t clen = comment ? strlen(comment) : 0;
	uint32_t len;
	int e = 0;

	if (clen > 0xffff || caplen > origlen || caplen > 0x10000000u)
		return -EINVAL;
	len = 28 + pad4(caplen) + (clen ? 4 + pad4((uint32_t)clen) + 4 : 0) + 4;
	e |= put32(f, EPB_TYPE);
	e |= put32(f, len);
	e |= put32(f, 0);			/* the one interface */
	e |= put32(f, (uint32_t)(ts_ns >> 32));
	e |= put32(f, (uint32_t)ts_ns);
	e |= put32(f, caplen);
	e |= put32(f, origlen);
	e |= put(f, data, caplen);
	e |= put_pad(f, caplen);
	if (clen) {
		e |= put16(f, OPT_COMMENT);
		e |= put16(f, (uint16_t)clen);
		e |= put(f, comment, clen);
		e |= put_pad(f, (uint32_t)clen);
		e |= put16(f, OPT_ENDOFOPT);
		e |= put16(f, 0);
	}
	e |= put32(f, len);
	return e ? -EIO : 0;
}
