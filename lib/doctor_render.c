// SPDX-License-Identifier: GPL-2.0
/* doctor_render.c - `csumguard doctor` as text and JSON (doctor.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "doctor.h"
#include "memsize.h"
#include "format.h"
#include "json_writer.h"

#define WIDTH	80
#define LABEL	10

static void para(FILE *f, const char *label, const char *text)
{
	cg_fmt_para(f, WIDTH, LABEL, label, text);
}

static const char *onoff(signed char v)
{
	return v < 0 ? "n/a" : v ? "on" : "off";
}

/* "basic, redirect, rx-sg" */
static void xdp_acts(uint64_t feat, char *buf, size_t len)
{
	size_t off = 0;
	int b;

	buf[0] = '\0';
	for (b = 0; cg_xdp_act_name(b) && off < len; b++)
		if (feat & (1ULL << b))
			off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? ", " : "",
						cg_xdp_act_name(b));
	if (!off)
		snprintf(buf, len, "none");
}

/* Where one direction of csumguard runs, in words. */
static void where_str(const struct cg_where *w, char *buf, size_t len)
{
	switch (w->state) {
	case CG_WHERE_HERE:
		if (w->xdp_mode)
			snprintf(buf, len, "attached (%s XDP, %s, program id %u)", w->xdp_mode,
				 w->dispatcher ? "libxdp dispatcher" : "sole XDP program",
				 w->prog_id);
		else
			snprintf(buf, len, "attached (tc clsact egress, program id %u)", w->prog_id);
		break;
	case CG_WHERE_ELSEWHERE:
		snprintf(buf, len, "attached elsewhere: %s", w->where);
		break;
	case CG_WHERE_UNKNOWN:
		snprintf(buf, len, "cannot tell (%s)", w->why);
		break;
	case CG_WHERE_NONE:
		snprintf(buf, len, "detached, counters kept");
		break;
	}
}

/* What overlay o does with the outer checksum, per underlay family. */
static void ovl_csum(const struct cg_overlay *o, char *buf, size_t len)
{
	char v4[64] = "", v6[96] = "";

	if (o->family != 6)
		snprintf(v4, sizeof(v4), "IPv4 %s", o->v4_csum < 0 ? "not said" :
			 o->v4_csum ? "computed (udpcsum)" : "zero (noudpcsum)");
	if (o->family != 4)
		snprintf(v6, sizeof(v6), "IPv6 %s%s", o->v6_zero_tx < 0 ? "not said" :
			 o->v6_zero_tx ? "zero (udp6zerocsumtx)" : "computed (noudp6zerocsumtx)",
			 o->v6_zero_rx == 1 ? ", zero accepted on receive (udp6zerocsumrx)" : "");
	snprintf(buf, len, "%s%s%s", v4, v4[0] && v6[0] ? "; " : "", v6);
}

static void ovl_line(const struct cg_doctor *d, const struct cg_overlay *o, char *buf,
		     size_t len)
{
	char cs[192], via[48];

	ovl_csum(o, cs, sizeof(cs));
	if (o->link == d->ifindex)
		snprintf(via, sizeof(via), "over %s", d->ifname);
	else if (o->link)
		snprintf(via, sizeof(via), "over ifindex %d", o->link);
	else
		snprintf(via, sizeof(via), "by route");
	snprintf(buf, len, "%s: %s %u, port %u, %s%s%s, outer checksum %s", o->name, o->kind,
		 o->vni, o->port, via, o->up ? "" : ", down", o->external ? ", external" : "",
		 cs);
}

void cg_doctor_render_text(FILE *f, const struct cg_doctor *d)
{
	char line[512], acts[128], w[320];
	size_t i;
	int k;

	snprintf(line, sizeof(line), "%s (ifindex %d, MTU %d): driver %s %s, firmware %s, "
		 "bus %s", d->ifname, d->ifindex, d->mtu, d->have_info ? d->info.driver : "-",
		 d->have_info && d->info.version[0] ? d->info.version : "-",
		 d->have_info && d->info.firmware[0] ? d->info.firmware : "-",
		 d->have_info && d->info.bus[0] ? d->info.bus : "-");
	para(f, "device", line);
	if (!d->have_info)
		para(f, "", d->info_why);

	snprintf(line, sizeof(line), "as ethtool -k %s shows them; what each means for "
		 "tunnel checksums:", d->ifname);
	para(f, "features", line);
	if (!d->have_features) {
		para(f, "", d->feat_why);
	} else {
		for (k = 0; k < CG_FEATURE_MAX; k++) {
			const struct cg_feature_state *s = &d->feat.f[k];

			fprintf(f, "%-*s%-30s %s%s\n", LABEL, "", cg_feature_name((enum cg_feature)k),
				onoff(s->on), s->fixed == 1 && s->on >= 0 ? " [fixed]" : "");
			cg_fmt_para(f, WIDTH, LABEL + 4, "", cg_feature_meaning((enum cg_feature)k));
		}
	}

	if (d->have_xdp_features) {
		xdp_acts(d->xdp_features, acts, sizeof(acts));
		snprintf(line, sizeof(line), "native: %s, multi-buffer (rx-sg): %s; the "
			 "driver's XDP features: %s",
			 d->xdp_features & CG_XDP_ACT_BASIC ? "yes" : "no",
			 d->xdp_features & CG_XDP_ACT_RX_SG ? "yes" : "no", acts);
	} else {
		snprintf(line, sizeof(line), "native: %s", d->xdp_why);
	}
	para(f, "XDP", line);
	if (d->xdp_drv_id || d->xdp_skb_id || d->xdp_hw_id) {
		size_t off = (size_t)snprintf(line, sizeof(line), "XDP programs on %s now:",
					      d->ifname);

		if (d->xdp_drv_id)
			off += (size_t)snprintf(line + off, sizeof(line) - off, " native id %u",
						d->xdp_drv_id);
		if (d->xdp_skb_id)
			off += (size_t)snprintf(line + off, sizeof(line) - off, " skb id %u",
						d->xdp_skb_id);
		if (d->xdp_hw_id)
			snprintf(line + off, sizeof(line) - off, " hw id %u", d->xdp_hw_id);
		para(f, "", line);
	}

	snprintf(line, sizeof(line), "%s; kernel BTF %s; bpffs %s", d->k.release[0] ?
		 d->k.release : "?", d->k.btf ? "yes" : "no (/sys/kernel/btf/vmlinux missing)",
		 d->bpffs ? "mounted on /sys/fs/bpf" : "not mounted on /sys/fs/bpf");
	para(f, "kernel", line);
	if (d->k.probes[0])
		para(f, "", d->k.probes);
	if (d->k.xdp_prog)
		snprintf(line, sizeof(line), "XDP: %s (%s), %s", d->k.xdp_prog, d->k.xdp_variant,
			 d->k.xdp_why);
	else
		snprintf(line, sizeof(line), "XDP: none natively: %s", d->k.xdp_why);
	para(f, "programs", line);
	if (d->k.tc_prog)
		snprintf(line, sizeof(line), "TC egress: %s, %s", d->k.tc_prog, d->k.tc_why);
	else
		snprintf(line, sizeof(line), "TC egress: none: %s", d->k.tc_why);
	para(f, "", line);

	if (!d->bpffs) {
		para(f, "csumguard", "no state (bpffs not mounted)");
	} else if (!d->cg.state) {
		snprintf(line, sizeof(line), "nothing attached to %s with this pin dir: "
			 "csumguard attach %s", d->ifname, d->ifname);
		para(f, "csumguard", line);
	} else {
		if (d->cg.has_ingress) {
			where_str(&d->cg.in, w, sizeof(w));
			snprintf(line, sizeof(line), "ingress %s", w);
			para(f, "csumguard", line);
		}
		if (d->cg.has_egress) {
			where_str(&d->cg.eg, w, sizeof(w));
			snprintf(line, sizeof(line), "egress %s", w);
			para(f, d->cg.has_ingress ? "" : "csumguard", line);
		}
		snprintf(line, sizeof(line), "mode %s, ports %s", d->cg.have_mode ?
			 (d->cg.drop_mode ? "drop" : "monitor") : "?",
			 d->cg.ports[0] ? d->cg.ports : "none");
		para(f, "", line);
		if (d->cg.src_max || d->cg.dst_max) {
			char sb[32], db[32];
			size_t o = 0;

			cg_fmt_bytes(d->cg.src_bytes, sb, sizeof(sb));
			cg_fmt_bytes(d->cg.dst_bytes, db, sizeof(db));
			o += (size_t)snprintf(line + o, sizeof(line) - o, "tables");
			if (d->cg.src_max)
				o += (size_t)snprintf(line + o, sizeof(line) - o, " %u sources in %s",
						      d->cg.src_max, d->cg.src_bytes ? sb : "?");
			if (d->cg.dst_max)
				o += (size_t)snprintf(line + o, sizeof(line) - o, "%s %u destinations "
						      "in %s", d->cg.src_max ? "," : "",
						      d->cg.dst_max, d->cg.dst_bytes ? db : "?");
			snprintf(line + o, sizeof(line) - o, " of kernel memory: a value per "
				 "source and possible CPU (%d here); attach --memory sizes them",
				 d->cg.ncpus);
			para(f, "", line);
		}
	}

	if (!d->have_ovl)
		para(f, "overlays", d->ovl_why);
	else if (!d->novl)
		para(f, "overlays", "no VXLAN or Geneve device in this network namespace");
	for (i = 0; i < d->novl; i++) {
		ovl_line(d, &d->ovl[i], line, sizeof(line));
		para(f, i ? "" : "overlays", line);
	}

	for (i = 0; i < d->nnotes; i++) {
		snprintf(line, sizeof(line), "%-*s%zu.", LABEL, i ? "" : "notes", i + 1);
		cg_fmt_para(f, WIDTH, LABEL + 4, line, d->notes[i]);
	}
}

/* ---------------------------------------------------------------- JSON */

static void json_tri(struct cg_json *w, const char *name, int v)
{
	if (v < 0)
		cg_json_null_field(w, name);
	else
		cg_json_bool_field(w, name, v);
}

static void json_id(struct cg_json *w, const char *name, uint32_t id)
{
	if (id)
		cg_json_uint_field(w, name, id);
	else
		cg_json_null_field(w, name);
}

static void json_where(struct cg_json *w, const char *name, int has, const struct cg_where *wh)
{
	static const char *const states[] = {
		[CG_WHERE_NONE] = "detached", [CG_WHERE_HERE] = "here",
		[CG_WHERE_ELSEWHERE] = "elsewhere", [CG_WHERE_UNKNOWN] = "unknown",
	};

	if (!has) {
		cg_json_null_field(w, name);
		return;
	}
	cg_json_name(w, name);
	cg_json_start_object(w);
	cg_json_string_field(w, "state", states[wh->state]);
	cg_json_string_field(w, "xdp_mode", wh->state == CG_WHERE_HERE ? wh->xdp_mode : NULL);
	json_id(w, "prog_id", wh->prog_id);
	cg_json_string_field(w, "where", wh->state == CG_WHERE_ELSEWHERE ? wh->where : NULL);
	cg_json_string_field(w, "why", wh->state == CG_WHERE_UNKNOWN ? wh->why : NULL);
	cg_json_end_object(w);
}

int cg_doctor_render_json(FILE *f, const struct cg_doctor *d)
{
	struct cg_json w;
	size_t i;
	int k;

	cg_json_init(&w, f);
	cg_json_start_object(&w);
	cg_json_uint_field(&w, "version", CG_DOCTOR_JSON_VERSION);
	cg_json_string_field(&w, "name", d->ifname);
	cg_json_int_field(&w, "ifindex", d->ifindex);
	cg_json_int_field(&w, "mtu", d->mtu);
	if (d->have_info) {
		cg_json_name(&w, "driver");
		cg_json_start_object(&w);
		cg_json_string_field(&w, "driver", d->info.driver);
		cg_json_string_field(&w, "version", d->info.version);
		cg_json_string_field(&w, "firmware", d->info.firmware);
		cg_json_string_field(&w, "bus", d->info.bus);
		cg_json_end_object(&w);
	} else {
		cg_json_null_field(&w, "driver");
	}
	cg_json_name(&w, "features");
	cg_json_start_array(&w);
	for (k = 0; d->have_features && k < CG_FEATURE_MAX; k++) {
		cg_json_start_object(&w);
		cg_json_string_field(&w, "name", cg_feature_name((enum cg_feature)k));
		json_tri(&w, "on", d->feat.f[k].on);
		json_tri(&w, "fixed", d->feat.f[k].on < 0 ? -1 : d->feat.f[k].fixed);
		cg_json_string_field(&w, "meaning", cg_feature_meaning((enum cg_feature)k));
		cg_json_end_object(&w);
	}
	cg_json_end_array(&w);
	cg_json_name(&w, "xdp");
	cg_json_start_object(&w);
	if (d->have_xdp_features) {
		cg_json_bool_field(&w, "native", d->xdp_features & CG_XDP_ACT_BASIC);
		cg_json_bool_field(&w, "multi_buffer", d->xdp_features & CG_XDP_ACT_RX_SG);
		cg_json_name(&w, "features");
		cg_json_start_array(&w);
		for (k = 0; cg_xdp_act_name(k); k++)
			if (d->xdp_features & (1ULL << k))
				cg_json_string(&w, cg_xdp_act_name(k));
		cg_json_end_array(&w);
		cg_json_null_field(&w, "why");
	} else {
		cg_json_null_field(&w, "native");
		cg_json_null_field(&w, "multi_buffer");
		cg_json_null_field(&w, "features");
		cg_json_string_field(&w, "why", d->xdp_why);
	}
	cg_json_name(&w, "programs");
	cg_json_start_object(&w);
	json_id(&w, "native", d->xdp_drv_id);
	json_id(&w, "skb", d->xdp_skb_id);
	json_id(&w, "hw", d->xdp_hw_id);
	cg_json_end_object(&w);
	cg_json_end_object(&w);
	cg_json_name(&w, "kernel");
	cg_json_start_object(&w);
	cg_json_string_field(&w, "release", d->k.release);
	cg_json_bool_field(&w, "btf", d->k.btf);
	cg_json_bool_field(&w, "bpffs", d->bpffs);
	cg_json_string_field(&w, "probes", d->k.probes);
	cg_json_string_field(&w, "xdp_program", d->k.xdp_prog);
	cg_json_string_field(&w, "xdp_variant", d->k.xdp_variant);
	cg_json_bool_field(&w, "xdp_supported", d->k.xdp_ok);
	cg_json_bool_field(&w, "xdp_alone", d->k.xdp_alone);
	cg_json_string_field(&w, "xdp_why", d->k.xdp_why);
	cg_json_string_field(&w, "tc_program", d->k.tc_prog);
	cg_json_string_field(&w, "tc_why", d->k.tc_why);
	cg_json_end_object(&w);
	cg_json_name(&w, "csumguard");
	cg_json_start_object(&w);
	cg_json_bool_field(&w, "state", d->cg.state);
	json_where(&w, "ingress", d->cg.has_ingress, &d->cg.in);
	json_where(&w, "egress", d->cg.has_egress, &d->cg.eg);
	cg_json_string_field(&w, "mode", d->cg.have_mode ? (d->cg.drop_mode ? "drop" :
			     "monitor") : NULL);
	cg_json_string_field(&w, "ports", d->cg.state ? d->cg.ports : NULL);
	/* issue 13, additive: the per-node tables' capacity and kernel memory */
	if (d->cg.src_max) {
		cg_json_uint_field(&w, "sources_max", d->cg.src_max);
		if (d->cg.src_bytes)
			cg_json_uint_field(&w, "sources_memory_bytes", d->cg.src_bytes);
		else
			cg_json_null_field(&w, "sources_memory_bytes");
	} else {
		cg_json_null_field(&w, "sources_max");
		cg_json_null_field(&w, "sources_memory_bytes");
	}
	if (d->cg.dst_max) {
		cg_json_uint_field(&w, "destinations_max", d->cg.dst_max);
		if (d->cg.dst_bytes)
			cg_json_uint_field(&w, "destinations_memory_bytes", d->cg.dst_bytes);
		else
			cg_json_null_field(&w, "destinations_memory_bytes");
	} else {
		cg_json_null_field(&w, "destinations_max");
		cg_json_null_field(&w, "destinations_memory_bytes");
	}
	if (d->cg.ncpus > 0)
		cg_json_uint_field(&w, "possible_cpus", (uint64_t)d->cg.ncpus);
	else
		cg_json_null_field(&w, "possible_cpus");
	cg_json_end_object(&w);
	if (d->have_ovl) {
		cg_json_name(&w, "overlays");
		cg_json_start_array(&w);
		for (i = 0; i < d->novl; i++) {
			const struct cg_overlay *o = &d->ovl[i];

			cg_json_start_object(&w);
			cg_json_string_field(&w, "name", o->name);
			cg_json_string_field(&w, "kind", o->kind);
			cg_json_uint_field(&w, "vni", o->vni);
			cg_json_uint_field(&w, "port", o->port);
			cg_json_int_field(&w, "link", o->link);
			cg_json_bool_field(&w, "over_this_interface", o->link == d->ifindex);
			if (o->family)
				cg_json_int_field(&w, "family", o->family);
			else
				cg_json_null_field(&w, "family");
			json_tri(&w, "udpcsum", o->v4_csum);
			json_tri(&w, "udp6zerocsumtx", o->v6_zero_tx);
			json_tri(&w, "udp6zerocsumrx", o->v6_zero_rx);
			cg_json_bool_field(&w, "external", o->external);
			cg_json_end_object(&w);
		}
		cg_json_end_array(&w);
	} else {
		cg_json_null_field(&w, "overlays");
	}
	cg_json_name(&w, "notes");
	cg_json_start_array(&w);
	for (i = 0; i < d->nnotes; i++)
		cg_json_string(&w, d->notes[i]);
	cg_json_end_array(&w);
	cg_json_end_object(&w);
	return cg_json_finish(&w);
}
