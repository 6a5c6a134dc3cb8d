/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mutate.h - the differential test's mutation engine: edits a built frame
 * the ways a broken sender, a middlebox or an attacker would, at the fields
 * the datapath reads (xdp_diff.c runs the result through the BPF programs
 * and the reference verifier, which must agree).
 *
 * Each operation finds its field with a lenient parse of its own (any
 * number of VLAN tags, IPv4 or IPv6 with extension headers), so it keeps
 * working on frames earlier operations broke; an operation with nothing to
 * edit (an IPv6 one on IPv4) leaves the frame as it is.
 */
#ifndef CG_MUTATE_H
#define CG_MUTATE_H

#include <stddef.h>
#include <stdint.h>

enum mut_op {
	MUT_FLIP_BITS = 0,	/* 1-4 bit flips, mostly in the headers */
	MUT_WRITE_BYTES,	/* 1-3 bytes set to 0x00, 0xff, 0x80 or anything */
	MUT_TRUNCATE,		/* cut, often at or next to a header boundary */
	MUT_IP4_TOTLEN,		/* IPv4 total length: 0, header-1, header, frame+1, ... */
	MUT_IP4_IHL,		/* IPv4 IHL 0..15 */
	MUT_UDP_LEN,		/* UDP length: 0..8, IP payload +-1, 0xffff, ... */
	MUT_IP6_PLEN,		/* IPv6 payload length: 0, frame +-1, inside a header, ... */
	MUT_VLAN_INSERT,	/* an 802.1Q or 802.1ad tag after the MACs */
	MUT_VLAN_REMOVE,	/* the first tag out */
	MUT_IP6_EXT_INSERT,	/* a hop-by-hop, destination, routing or fragment header
				 * anywhere in the chain, payload length kept right or not */
	MUT_CSUM,		/* UDP checksum: 0, 0xffff, right, off by one bit, the
				 * offload seed with or without the length, anything */
	MUT_ETHERTYPE,		/* the EtherType after the tags */
	MUT_L4PROTO,		/* IPv4 protocol / last IPv6 next header */
	MUT_IP4_FRAG,		/* IPv4 MF, offset, DF */
	MUT_PORT,		/* UDP destination port: a tunnel port, 53, anything */
	MUT_TRAILER,		/* bytes after the IP packet */
	MUT_INNER,		/* 1-3 bits or bytes of the tunnel header and the inner
				 * packet's headers (the 80 bytes after UDP) */
	MUT_INNER_LEN,		/* the inner packet's length fields (IPv4 total length,
				 * IHL, IPv6 payload length, UDP length): 0, the header,
				 * what the datagram holds +-1, 0xffff, ... */
	MUT_INNER_VLAN,		/* an 802.1Q/802.1ad tag after the inner MACs (VXLAN,
				 * Geneve with Ethernet), the outer lengths grown by 4 */
	MUT_OP_MAX,
	/* Not picked at random: mut_frame's last step, 3 times in 4 on IPv4,
	 * so that a length or header edit is judged for itself rather than as
	 * bad_ip_header (ingress checks that first, as ip_rcv_core does). */
	MUT_IP4_HDR_CSUM = MUT_OP_MAX,	/* the outer IPv4 header checksum made right */
	MUT_NAMES
};

/* "flip_bits", "ip6_ext_insert", ... */
const char *mut_op_name(enum mut_op op);

/* What one mut_frame call did, for a disagreement's message. */
#define MUT_LOG_MAX	6
struct mut_log {
	int n;
	enum mut_op op[MUT_LOG_MAX];
	uint32_t arg[MUT_LOG_MAX];	/* the value written, the length cut to, ... */
};

/* Applies operation op to f (len bytes, room for cap); returns the new
 * length (at least 14: BPF_PROG_TEST_RUN takes nothing shorter). rnd gives
 * the random numbers; *arg says what was done. */
size_t mut_apply(uint8_t *f, size_t len, size_t cap, enum mut_op op, uint32_t (*rnd)(void),
		 uint32_t *arg);

/* 1-3 operations picked at random, sometimes followed by a right UDP
 * checksum (so that a length or header edit is judged on its own, not as
 * "bad"), mostly by a right outer IPv4 header checksum (not as
 * bad_ip_header). Logged in log. Returns the new length. */
size_t mut_frame(uint8_t *f, size_t len, size_t cap, uint32_t (*rnd)(void), struct mut_log *log);

/* "vlan_insert(0x8100), udp_len(81), csum(right)" into buf. */
void mut_log_str(const struct mut_log *log, char *buf, size_t len);

#endif /* CG_MUTATE_H */
