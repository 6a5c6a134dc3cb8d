/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcapng.h - a minimal pcapng writer (draft-ietf-opsawg-pcapng): one
 * section, one Ethernet interface with nanosecond timestamps, enhanced
 * packet blocks with an opt_comment each. Host byte order (the section
 * header's byte-order magic says which), as every pcapng reader expects.
 *
 * Layouts written (offsets in bytes, u32 unless said):
 *   SHB  0 type 0x0A0D0D0A, 4 length 28, 8 magic 0x1A2B3C4D, 12 u16 major 1,
 *        14 u16 minor 0, 16 u64 section length -1, 24 length 28
 *   IDB  0 type 1, 4 length 32, 8 u16 linktype 1 (Ethernet), 10 u16 0,
 *        12 snaplen, 16 if_tsresol (u16 9, u16 1, u8 9, 3 pad),
 *        24 opt_endofopt (0, 0), 28 length 32
 *   EPB  0 type 6, 4 length, 8 interface 0, 12 ts high, 16 ts low (ns since
 *        the epoch), 20 captured length, 24 original length, 28 data padded
 *        to 4, opt_comment (u16 1, u16 n, text padded to 4),
 *        opt_endofopt, length
 */
#ifndef CG_PCAPNG_H
#define CG_PCAPNG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CG_PCAPNG_LINKTYPE_ETHERNET	1

/* Writes the section header and the one interface (snaplen bytes a packet
 * at most). 0 or -errno. */
int cg_pcapng_start(FILE *f, uint32_t snaplen);

/* One enhanced packet block: caplen bytes of a frame of origlen bytes,
 * captured at ts_ns (nanoseconds since the Unix epoch), with comment (NULL or
 * "": none; at most 65535 bytes). 0 or -errno. */
int cg_pcapng_packet(FILE *f, uint64_t ts_ns, const void *data, uint32_t caplen,
		     uint32_t origlen, const char *comment);

#endif /* CG_PCAPNG_H */
