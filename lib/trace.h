/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace.h - user space of `csumguard trace` (issue 11): what one event of
 * the trace ring buffer (struct cg_trace_event, bpf/trace.bpf.h) says, as a
 * line, a JSON object and a pcapng comment; and the reader of the pinned
 * ring buffer PIN_DIR/ifaces/IFNAME/ingress/trace.
 *
 * The datapath judged the frame and sent its verdict, class, checksums and
 * header offsets with its first bytes; the tunnel's VNI or GUE protocol and
 * the inner 5-tuple are read here from those bytes, starting at the outer
 * UDP header offset the datapath gives (no second walk in the kernel).
 *
 * Several readers of one ring buffer: a BPF ring buffer is consumed, each
 * event goes to whichever reader takes it first; two `trace` processes on
 * one interface split the events between them. Events older than the reader
 * (left in the ring while nobody read it) are skipped by their time.
 */
#ifndef CG_TRACE_H
#define CG_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "csumguard.h"

struct cg_nodes;
struct cg_json;

/* What the captured bytes of an event say. */
struct cg_trace_info {
	int have_vni;		/* VXLAN, Geneve */
	uint32_t vni;
	int have_gue;		/* GUE: gue_version and gue_proto */
	int gue_version;
	uint8_t gue_proto;	/* v0: the header's protocol; v1: 4 or 41 */
	int have_inner;		/* the inner IP header is in the captured bytes */
	int inner_family;	/* 4 or 6 */
	uint8_t inner_src[16], inner_dst[16];
	uint8_t inner_proto;
	int have_ports;		/* TCP or UDP, not a fragment, ports captured */
	uint16_t sport, dport;
};

/* Decodes the captured bytes of e (never reads beyond cap_len). */
void cg_trace_decode(const struct cg_trace_event *e, struct cg_trace_info *in);

/* Wall-clock time of e: ns since the Unix epoch, from the boot-time stamp
 * and the two clocks now (boot_now_ns, unix_now_ns). */
uint64_t cg_trace_unix_ns(const struct cg_trace_event *e, uint64_t boot_now_ns,
			  uint64_t unix_now_ns);

/* The one-line form:
 *   TIME SOURCE ENCAP INNER csum STORED want EXPECTED VERDICT [CLASS]
 * e.g. "2026-11-29T22:40:01.123456789Z node-b(10.0.0.2) vxlan vni 42
 * udp 10.1.0.1:5000>10.1.0.2:6000 csum 0x1235 want 0x1234 bad bad_outer_only"
 * (TIME in UTC; SOURCE the node name when nodes knows it; want "-" when the
 * datapath did not sum the datagram: bad_ip_header). Into buf, no newline. */
void cg_trace_line(const struct cg_trace_event *e, uint64_t unix_ns,
		   const struct cg_nodes *nodes, char *buf, size_t len);

/* The same as one JSON object (fields: time, time_ns, source, node, verdict,
 * class, encap, vni, gue_proto, inner{family, proto, src, dst, sport,
 * dport}, stored, expected, frame_len, cap_len, ifindex, repaired). */
void cg_trace_json(struct cg_json *w, const struct cg_trace_event *e, uint64_t unix_ns,
		   const struct cg_nodes *nodes);

/* The pcapng per-packet comment: "verdict bad class bad_outer_only
 * stored 0x1235 expected 0x1234 source 10.0.0.2". */
void cg_trace_comment(const struct cg_trace_event *e, char *buf, size_t len);

/* ---- the reader of the pinned ring buffer */
struct cg_trace_reader;

/* Called with each event at or after since_boot_ns; after a non-zero return
 * no further event is handed on (they are consumed). */
typedef int (*cg_trace_fn)(const struct cg_trace_event *e, void *arg);

/* Opens PIN_DIR/ifaces/IFNAME/ingress/trace. 0 or -errno (-ENOENT: no
 * pinned trace, an attach before trace existed or none) with err. */
int cg_trace_open(const char *pin_dir, const char *ifname, uint64_t since_boot_ns,
		  cg_trace_fn fn, void *arg, struct cg_trace_reader **out, char *err,
		  size_t errlen);

/* Waits up to timeout_ms for events and hands each to fn. The number
 * handed on (>= 0), or -errno. */
int cg_trace_poll(struct cg_trace_reader *r, int timeout_ms);

void cg_trace_close(struct cg_trace_reader *r);

#endif /* CG_TRACE_H */
