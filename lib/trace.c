// SPDX-License-Identifier: GPL-2.0
/*
 * trace.c - decoding, formatting and reading trace events (trace.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "cg_wire.h"
#include "addr.h"
#include "err.h"
#include "json_writer.h"
#include "names.h"
#include "nodes.h"
#include "pins.h"
#include "trace.h"

static uint32_t rd16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

/* The inner IP packet at offset p (family 4 or 6) of the captured bytes. */
static void decode_ip(const struct cg_trace_event *e, uint32_t p, int family,
		      struct cg_trace_info *in)
{
	const uint8_t *b = e->data;
	uint32_t cap = e->cap_len, l4;
	int frag = 0;

	if (family == 4) {
		if (p + 20 > cap || b[p] >> 4 != 4 || (b[p] & 0x0f) < 5)
			return;
		memcpy(in->inner_src, b + p + 12, 4);
		memcpy(in->inner_dst, b + p + 16, 4);
		in->inner_proto = b[p + 9];
		frag = (rd16(b + p + 6) & 0x3fff) != 0;
		l4 = p + (b[p] & 0x0f) * 4;
	} else {
		if (p + 40 > cap || b[p] >> 4 != 6)
			return;
		memcpy(in->inner_src, b + p + 8, 16);
		memcpy(in->inner_dst, b + p + 24, 16);
		in->inner_proto = b[p + 6];	/* extension headers: shown as such */
		l4 = p + 40;
	}
	in->have_inner = 1;
	in->inner_family = family;
	if (!frag && (in->inner_proto == CG_IPPROTO_TCP || in->inner_proto == CG_IPPROTO_UDP) &&
	    l4 + 4 <= cap) {
		in->have_ports = 1;
		in->sport = (uint16_t)rd16(b + l4);
		in->dport = (uint16_t)rd16(b + l4 + 2);
	}
}

/* An inner Ethernet frame at p: up to two VLAN tags, then IP. */
static void decode_eth(const struct cg_trace_event *e, uint32_t p, struct cg_trace_info *in)
{
	const uint8_t *b = e->data;
	uint32_t et;
	int i;

	if (p + CG_ETH_HLEN > e->cap_len)
		return;
	et = rd16(b + p + 12);
	p += CG_ETH_HLEN;
	for (i = 0; i < CG_MAX_VLAN_TAGS && (et == CG_ETH_P_8021Q || et == CG_ETH_P_8021AD); i++) {
		if (p + CG_VLAN_HLEN > e->cap_len)
			return;
		et = rd16(b + p + 2);
		p += CG_VLAN_HLEN;
	}
	if (et == CG_ETH_P_IP)
		decode_ip(e, p, 4, in);
	else if (et == CG_ETH_P_IPV6)
		decode_ip(e, p, 6, in);
}

void cg_trace_decode(const struct cg_trace_event *e, struct cg_trace_info *in)
{
	const uint8_t *b = e->data;
	uint32_t cap = e->cap_len > CG_TRACE_SNAP ? CG_TRACE_SNAP : e->cap_len;
	uint32_t t = (uint32_t)e->l4 + CG_UDP_HLEN, et;
	struct cg_trace_event ev;

	memset(in, 0, sizeof(*in));
	if (e->cap_len > CG_TRACE_SNAP) {
		ev = *e;
		ev.cap_len = CG_TRACE_SNAP;
		e = &ev;
		b = e->data;
	}
	switch (e->encap) {
	case CG_ENCAP_VXLAN:
		if (t + CG_VXLAN_HLEN > cap)
			return;
		in->have_vni = 1;
		in->vni = (uint32_t)b[t + 4] << 16 | (uint32_t)b[t + 5] << 8 | b[t + 6];
		decode_eth(e, t + CG_VXLAN_HLEN, in);
		break;
	case CG_ENCAP_GENEVE:
		if (t + CG_GENEVE_HLEN > cap || b[t] >> 6)
			return;
		in->have_vni = 1;
		in->vni = (uint32_t)b[t + 4] << 16 | (uint32_t)b[t + 5] << 8 | b[t + 6];
		et = rd16(b + t + 2);
		t += CG_GENEVE_HLEN + (b[t] & 0x3f) * 4;
		if (et == CG_GENEVE_P_ETH)
			decode_eth(e, t, in);
		else if (et == CG_ETH_P_IP)
			decode_ip(e, t, 4, in);
		else if (et == CG_ETH_P_IPV6)
			decode_ip(e, t, 6, in);
		break;
	case CG_ENCAP_GUE:
		if (t >= cap)
			return;
		if (b[t] >> 6 == 1) {
			in->have_gue = 1;
			in->gue_version = 1;
			in->gue_proto = b[t] >> 4 == 4 ? CG_IPPROTO_IPIP : CG_IPPROTO_IPV6;
			if (b[t] >> 4 == 4 || b[t] >> 4 == 6)
				decode_ip(e, t, b[t] >> 4, in);
		} else if (b[t] >> 6 == 0 && t + CG_GUE_HLEN <= cap) {
			in->have_gue = 1;
			in->gue_proto = b[t + 1];
			if (b[t] & CG_GUE_C)
				return;
			et = t + CG_GUE_HLEN + (b[t] & CG_GUE_HLEN_MASK) * 4;
			if (b[t + 1] == CG_IPPROTO_IPIP)
				decode_ip(e, et, 4, in);
			else if (b[t + 1] == CG_IPPROTO_IPV6)
				decode_ip(e, et, 6, in);
		}
		break;
	default:
		break;
	}
}

uint64_t cg_trace_unix_ns(const struct cg_trace_event *e, uint64_t boot_now_ns,
			  uint64_t unix_now_ns)
{
	uint64_t ago = boot_now_ns > e->ts_ns ? boot_now_ns - e->ts_ns : 0;

	return unix_now_ns > ago ? unix_now_ns - ago : 0;
}

static void time_str(uint64_t unix_ns, char *buf, size_t len)
{
	time_t s = (time_t)(unix_ns / 1000000000ull);
	struct tm tm;
	char d[32];

	gmtime_r(&s, &tm);
	strftime(d, sizeof(d), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%09" PRIu64 "Z", d, (uint64_t)(unix_ns % 1000000000ull));
}

static const char *proto_name(uint8_t p, char *buf, size_t len)
{
	switch (p) {
	case CG_IPPROTO_TCP: return "tcp";
	case CG_IPPROTO_UDP: return "udp";
	case CG_IPPROTO_ICMP: return "icmp";
	case CG_IPPROTO_ICMPV6: return "icmpv6";
	default:
		snprintf(buf, len, "proto-%u", p);
		return buf;
	}
}

static void inner_addr(const struct cg_trace_info *in, const uint8_t *a, char *buf, size_t len)
{
	struct cg_addr k;

	if (in->inner_family == 4)
		cg_addr_from_v4(&k, a);
	else
		cg_addr_from_v6(&k, a);
	cg_addr_str(&k, buf, len);
}

/* "vxlan vni 42", "geneve vni 7", "gue proto 4", "gue v1 proto 41" */
static void encap_str(const struct cg_trace_event *e, const struct cg_trace_info *in,
		      char *buf, size_t len)
{
	const char *n = e->encap == CG_ENCAP_NONE ? "udp" : cg_encap_name(e->encap);

	if (in->have_vni)
		snprintf(buf, len, "%s vni %u", n, in->vni);
	else if (in->have_gue)
		snprintf(buf, len, "%s%s proto %u", n, in->gue_version ? " v1" : "",
			 in->gue_proto);
	else
		snprintf(buf, len, "%s port %u", n, e->dport);
}

/* "udp 10.1.0.1:5000>10.1.0.2:6000", "icmp 10.1.0.1>10.1.0.2",
 * "udp [fd00::1]:5000>[fd00::2]:6000", or "-" */
static void inner_str(const struct cg_trace_info *in, char *buf, size_t len)
{
	char s[64], d[64], pb[16];
	const char *p;
	int v6 = in->inner_family == 6;

	if (!in->have_inner) {
		snprintf(buf, len, "-");
		return;
	}
	inner_addr(in, in->inner_src, s, sizeof(s));
	inner_addr(in, in->inner_dst, d, sizeof(d));
	p = proto_name(in->inner_proto, pb, sizeof(pb));
	if (in->have_ports)
		snprintf(buf, len, "%s %s%s%s:%u>%s%s%s:%u", p, v6 ? "[" : "", s, v6 ? "]" : "",
			 in->sport, v6 ? "[" : "", d, v6 ? "]" : "", in->dport);
	else
		snprintf(buf, len, "%s %s>%s", p, s, d);
}

static const char *class_of(const struct cg_trace_event *e)
{
	return e->verdict == CG_V_BAD && e->sub < CG_BAD_CLASS_MAX ?
	       cg_bad_class_name((enum cg_bad_class)e->sub) : NULL;
}

void cg_trace_line(const struct cg_trace_event *e, uint64_t unix_ns,
		   const struct cg_nodes *nodes, char *buf, size_t len)
{
	struct cg_trace_info in;
	char t[48], a[64], src[160], enc[48], inner[160], want[16];
	const char *name = cg_nodes_name(nodes, &e->src), *cls = class_of(e);

	cg_trace_decode(e, &in);
	time_str(unix_ns, t, sizeof(t));
	cg_addr_str(&e->src, a, sizeof(a));
	if (name)
		snprintf(src, sizeof(src), "%s(%s)", name, a);
	else
		snprintf(src, sizeof(src), "%s", a);
	encap_str(e, &in, enc, sizeof(enc));
	inner_str(&in, inner, sizeof(inner));
	if (e->flags & CG_TRACE_F_EXPECTED)
		snprintf(want, sizeof(want), "0x%04x", ntohs(e->expected));
	else
		snprintf(want, sizeof(want), "-");
	snprintf(buf, len, "%s %s %s %s csum 0x%04x want %s %s%s%s%s", t, src, enc, inner,
		 ntohs(e->stored), want, cg_verdict_name((enum cg_verdict)e->verdict),
		 cls ? " " : "", cls ? cls : "",
		 e->flags & CG_TRACE_F_REPAIRED ? " repaired" : "");
}

void cg_trace_json(struct cg_json *w, const struct cg_trace_event *e, uint64_t unix_ns,
		   const struct cg_nodes *nodes)
{
	struct cg_trace_info in;
	char t[48], a[64], pb[16];
	const char *name = cg_nodes_name(nodes, &e->src), *cls = class_of(e);

	cg_trace_decode(e, &in);
	time_str(unix_ns, t, sizeof(t));
	cg_addr_str(&e->src, a, sizeof(a));
	cg_json_start_object(w);
	cg_json_string_field(w, "time", t);
	cg_json_uint_field(w, "time_ns", unix_ns);
	cg_json_string_field(w, "source", a);
	if (name)
		cg_json_string_field(w, "node", name);
	else
		cg_json_null_field(w, "node");
	cg_json_string_field(w, "verdict", cg_verdict_name((enum cg_verdict)e->verdict));
	if (cls)
		cg_json_string_field(w, "class", cls);
	else
		cg_json_null_field(w, "class");
	cg_json_string_field(w, "encap", e->encap == CG_ENCAP_NONE ? "udp" :
			     cg_encap_name(e->encap));
	cg_json_uint_field(w, "dport", e->dport);
	if (in.have_vni)
		cg_json_uint_field(w, "vni", in.vni);
	if (in.have_gue)
		cg_json_uint_field(w, "gue_proto", in.gue_proto);
	cg_json_name(w, "inner");
	if (in.have_inner) {
		char s[64], d[64];

		inner_addr(&in, in.inner_src, s, sizeof(s));
		inner_addr(&in, in.inner_dst, d, sizeof(d));
		cg_json_start_object(w);
		cg_json_uint_field(w, "family", (uint64_t)in.inner_family);
		cg_json_string_field(w, "proto", proto_name(in.inner_proto, pb, sizeof(pb)));
		cg_json_string_field(w, "src", s);
		cg_json_string_field(w, "dst", d);
		if (in.have_ports) {
			cg_json_uint_field(w, "sport", in.sport);
			cg_json_uint_field(w, "dport", in.dport);
		}
		cg_json_end_object(w);
	} else {
		cg_json_null(w);
	}
	cg_json_uint_field(w, "stored", ntohs(e->stored));
	if (e->flags & CG_TRACE_F_EXPECTED)
		cg_json_uint_field(w, "expected", ntohs(e->expected));
	else
		cg_json_null_field(w, "expected");
	cg_json_uint_field(w, "frame_len", e->frame_len);
	cg_json_uint_field(w, "cap_len", e->cap_len);
	cg_json_uint_field(w, "ifindex", e->ifindex);
	cg_json_bool_field(w, "repaired", e->flags & CG_TRACE_F_REPAIRED);
	cg_json_end_object(w);
}

void cg_trace_comment(const struct cg_trace_event *e, char *buf, size_t len)
{
	const char *cls = class_of(e);
	char a[64], want[16];

	cg_addr_str(&e->src, a, sizeof(a));
	if (e->flags & CG_TRACE_F_EXPECTED)
		snprintf(want, sizeof(want), "0x%04x", ntohs(e->expected));
	else
		snprintf(want, sizeof(want), "-");
	snprintf(buf, len, "verdict %s%s%s stored 0x%04x expected %s source %s",
		 cg_verdict_name((enum cg_verdict)e->verdict), cls ? " class " : "",
		 cls ? cls : "", ntohs(e->stored), want, a);
}

/* ---- reader */

struct cg_trace_reader {
	struct ring_buffer *rb;
	int fd;
	uint64_t since;
	cg_trace_fn fn;
	void *arg;
	int handled;
	int stop;		/* fn's non-zero return */
};

static int on_sample(void *ctx, void *data, size_t size)
{
	struct cg_trace_reader *r = ctx;
	struct cg_trace_event e;

	if (r->stop)
		return 0;	/* consumed, not handed on: fn said stop */
	memset(&e, 0, sizeof(e));
	memcpy(&e, data, size < sizeof(e) ? size : sizeof(e));
	if (e.ts_ns < r->since)
		return 0;	/* left in the ring before this reader came */
	r->handled++;
	r->stop = r->fn(&e, r->arg);
	return 0;
}

int cg_trace_open(const char *pin_dir, const char *ifname, uint64_t since_boot_ns,
		  cg_trace_fn fn, void *arg, struct cg_trace_reader **out, char *err,
		  size_t errlen)
{
	struct cg_trace_reader *r;
	char path[PATH_MAX];
	int e;

	*out = NULL;
	cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_INGRESS, CG_PIN_TRACE);
	r = calloc(1, sizeof(*r));
	if (!r)
		return cg_errf(err, errlen, -ENOMEM, "out of memory; free some memory");
	r->fd = cg_map_open(path);
	if (r->fd < 0) {
		e = r->fd;
		free(r);
		if (e == -ENOENT)
			return cg_errf(err, errlen, e, "%s has no trace ring buffer (%s); attach "
				       "csumguard to it with this version (detach, attach: the "
				       "counters continue)", ifname, path);
		return cg_errf(err, errlen, e, "cannot open %s: %s; run as root", path,
			       strerror(-e));
	}
	r->since = since_boot_ns;
	r->fn = fn;
	r->arg = arg;
	r->rb = ring_buffer__new(r->fd, on_sample, r, NULL);
	if (!r->rb) {
		e = -errno;
		close(r->fd);
		free(r);
		return cg_errf(err, errlen, e ? e : -EINVAL, "cannot read the ring buffer %s: "
			       "%s; check that it is csumguard's (BPF_MAP_TYPE_RINGBUF)", path,
			       strerror(e ? -e : EINVAL));
	}
	*out = r;
	return 0;
}

int cg_trace_poll(struct cg_trace_reader *r, int timeout_ms)
{
	int e;

	r->handled = 0;
	e = ring_buffer__poll(r->rb, timeout_ms);
	if (e < 0 && e != -EINTR)
		return e;
	return r->handled;
}

void cg_trace_close(struct cg_trace_reader *r)
{
	if (!r)
		return;
	ring_buffer__free(r->rb);
	close(r->fd);
	free(r);
}
