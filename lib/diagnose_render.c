// SPDX-License-Identifier: GPL-2.0
/*
 * diagnose_render.c - `csumguard diagnose` as text and JSON (diagnose.h).
 * Every finding becomes one sentence with its figures (finding_text); the
 * text groups them by section under a label column, wrapped at 80
 * columns, and the JSON carries the same sentence beside the figures.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "addr.h"
#include "diagnose.h"
#include "format.h"
#include "json_writer.h"

#define TEXT_WIDTH	80
#define LABEL_WIDTH	10
#define SENT_LEN	1024

/* ------------------------------------------------------------- helpers */

void cg_diag_src_label(const struct cg_diag_src *s, char *buf, size_t len)
{
	char a[CG_ADDR_STRLEN];

	if (s->name[0]) {
		cg_fmt_text(s->name, buf, len);
		return;
	}
	if (!s->naddrs) {
		snprintf(buf, len, "?");
		return;
	}
	cg_addr_str(&s->addrs[0], a, sizeof(a));
	if (s->naddrs > 1)
		snprintf(buf, len, "%s (+%zu)", a, s->naddrs - 1);
	else
		snprintf(buf, len, "%s", a);
}

void cg_diag_src_addrs(const struct cg_diag_src *s, char *buf, size_t len)
{
	char a[CG_ADDR_STRLEN];
	size_t i, off = 0;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < s->naddrs && off < len; i++) {
		cg_addr_str(&s->addrs[i], a, sizeof(a));
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? ", " : "", a);
	}
}

/* "a" or "a (node-3)": the node's name with its addresses. */
static void src_who(const struct cg_diag_src *s, char *buf, size_t len)
{
	char name[64], addrs[CG_DIAG_ADDRS_MAX * (CG_ADDR_STRLEN + 2)];

	cg_diag_src_addrs(s, addrs, sizeof(addrs));
	if (s->name[0]) {
		cg_fmt_text(s->name, name, sizeof(name));
		snprintf(buf, len, "%s (%s)", name, addrs);
	} else {
		snprintf(buf, len, "%s", addrs);
	}
}

/* Short: the node's name or its first address. */
static void src_short(const struct cg_diag_src *s, char *buf, size_t len)
{
	char a[CG_ADDR_STRLEN];

	if (s->name[0])
		cg_fmt_text(s->name, buf, len);
	else if (s->naddrs)
		cg_addr_str(&s->addrs[0], a, sizeof(a)), snprintf(buf, len, "%s", a);
	else
		snprintf(buf, len, "?");
}

static void fmt_when(int64_t unix_s, char *buf, size_t len)
{
	time_t t = (time_t)unix_s;
	struct tm tm;

	if (!unix_s || !localtime_r(&t, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, len, "?");
}

/* "2026-12-01 14:02:11 (3m12s ago)" */
static void fmt_when_ago(const struct cg_diag_input *in, int64_t unix_s, char *buf, size_t len)
{
	char when[32], age[24];

	fmt_when(unix_s, when, sizeof(when));
	cg_fmt_age(cg_unix_age((uint64_t)unix_s, in->now_unix), age, sizeof(age));
	snprintf(buf, len, "%s (%s ago)", when, age);
}

/* "2.0 s" */
static void fmt_secs(double s, char *buf, size_t len)
{
	if (s < 10)
		snprintf(buf, len, "%.1f s", s);
	else
		snprintf(buf, len, "%.0f s", s);
}

/* A rate per second: "6.0", "1203", "0.02". */
static void fmt_rate(double r, char *buf, size_t len)
{
	if (r < 0.1 && r > 0)
		snprintf(buf, len, "%.2f", r);
	else if (r < 100)
		snprintf(buf, len, "%.1f", r);
	else
		snprintf(buf, len, "%.0f", r);
}

static int sampled(const struct cg_diag_input *in)
{
	return in->interval_s > 0 && (in->attached == CG_DIAG_ATT_HERE ||
				      in->attached == CG_DIAG_ATT_ELSEWHERE);
}

/* The interface's name as commands take it. */
static const char *ifname(const struct cg_diag_input *in)
{
	return in->iface[0] ? in->iface : "IFACE";
}

/* "csumguard block A; csumguard block B" for the addresses not blocked. */
static void block_cmds(const struct cg_diag_src *s, char *buf, size_t len)
{
	char a[CG_ADDR_STRLEN];
	size_t i, off = 0;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < s->naddrs && off < len; i++) {
		cg_addr_str(&s->addrs[i], a, sizeof(a));
		off += (size_t)snprintf(buf + off, len - off, "%scsumguard block %s", i ? " and " :
					"", a);
	}
}

#define S(...) (off += (off < len ? (size_t)snprintf(buf + off, len - off, __VA_ARGS__) : 0))

/* The sentence of one finding. */
static void finding_text(const struct cg_diag_input *in, const struct cg_finding *fd,
			 char *buf, size_t len)
{
	const struct cg_diag_src *s = fd->src >= 0 ? &in->src[fd->src] : NULL;
	char who[512] = "", sh[64] = "", pct[16], when[64], since[80], iv[16], rate[16];
	char up[IF_NAMESIZE + 16], cmds[512], age[24], dst[CG_ADDR_STRLEN];
	size_t off = 0;

	if (s) {
		src_who(s, who, sizeof(who));
		src_short(s, sh, sizeof(sh));
		snprintf(up, sizeof(up), "%s", s->uplink[0] ? s->uplink : "IFACE");
	}
	fmt_secs(in->interval_s, iv, sizeof(iv));
	if (in->since_unix)
		fmt_when_ago(in, in->since_unix, since, sizeof(since));
	else
		snprintf(since, sizeof(since), "the counters started");
	buf[0] = '\0';

	switch (fd->code) {
	case CG_DIAG_NOT_COUNTING:
		S("csumguard is not attached to %s now: these counters stopped when it was "
		  "detached (or the interface went), so they say nothing about now; attach it "
		  "again to see what happens: csumguard attach %s.", ifname(in), ifname(in));
		break;
	case CG_DIAG_ELSEWHERE:
		S("csumguard counts on %s in %s; the receiving kernel's counters of this "
		  "network namespace say nothing about it: run diagnose there (nsenter "
		  "--net=%s csumguard diagnose %s).", ifname(in), in->where,
		  in->netns[0] ? in->netns : "/run/netns/NAME", ifname(in));
		break;
	case CG_DIAG_EVICTED:
		S("The source table overflowed: %" PRIu64 " rows were evicted since attach "
		  "(a flood of new source addresses?), so some sources' counts are incomplete.",
		  fd->a);
		break;
	case CG_DIAG_NO_PROBLEM:
		if (in->egress_only)
			S("This node's stack sent no wrong outer checksum: %" PRIu64 " final "
			  "checksums verified on egress since %s (and %" PRIu64 " left to the NIC, "
			  "which only the receivers can judge: csumguard diagnose there).", fd->a,
			  since, fd->b);
		else
			S("No source sent a bad outer UDP checksum: %" PRIu64 " checked from %"
			  PRIu64 " source%s since %s.", fd->a, fd->b, fd->b == 1 ? "" : "s", since);
		break;
	case CG_DIAG_NOT_ENOUGH_DATA:
		if (in->egress_only) {
			S("Not enough data: %" PRIu64 " final outer checksums sent and verified "
			  "since %s (%" PRIu64 " left to the NIC, which only the receivers can "
			  "judge).", fd->a, since, fd->c);
			break;
		}
		if (!fd->a && !fd->c)
			S("Not enough data: no tunnel packet with an outer checksum has arrived "
			  "since %s.", since);
		else
			S("Not enough data: %" PRIu64 " outer checksum%s checked since %s, none "
			  "bad; diagnose calls an interface clean after %" PRIu64 " (one bad "
			  "checksum names its source at once).", fd->a, fd->a == 1 ? "" : "s",
			  since, fd->b);
		if (fd->c)
			S(" %" PRIu64 " tunnel packets carried no outer checksum (0): nothing to "
			  "verify on their outer header.", fd->c);
		break;
	case CG_DIAG_BAD_SOURCE:
		cg_fmt_pct(fd->a, fd->b, pct, sizeof(pct));
		S("%s sends bad outer UDP checksums: %" PRIu64 " of %" PRIu64 " checked (%s) "
		  "since %s", who, fd->a, fd->b, pct, since);
		if (in->since_unix && in->now_unix > in->since_unix) {
			fmt_rate((double)fd->a / (double)(in->now_unix - in->since_unix), rate,
				 sizeof(rate));
			S(", %s bad/s on average", rate);
		}
		S(".");
		if (in->have_first_bad && s->first_bad_unix) {
			fmt_when_ago(in, s->first_bad_unix, when, sizeof(when));
			S(" First bad %s", when);
		} else {
			S(" First bad: not recorded by this datapath");
		}
		if (s->last_bad_unix) {
			fmt_when_ago(in, s->last_bad_unix, when, sizeof(when));
			S("; last bad %s.", when);
		} else {
			S(".");
		}
		break;
	case CG_DIAG_BAD_IP_HEADER:
		S("%s sends packets whose outer IPv4 header checksum is wrong: %" PRIu64 " of %"
		  PRIu64 "; the receiving kernel drops them (Ip InCsumErrors).", who, fd->a,
		  fd->b + fd->a);
		break;
	case CG_DIAG_UNFINISHED:
		S("%" PRIu64 " outer checksums from %" PRIu64 " source%s were left for offload "
		  "and never finished (the field holds the pseudo-header seed): normal when the "
		  "sender is a veth or container interface; from a physical NIC it means the "
		  "NIC ignored the request.", fd->a, fd->b, fd->b == 1 ? "" : "s");
		break;
	case CG_DIAG_STILL_BAD:
		cg_fmt_pct(fd->a, fd->b, pct, sizeof(pct));
		fmt_rate((double)fd->a / in->interval_s, rate, sizeof(rate));
		S("%s: %" PRIu64 " of %" PRIu64 " bad in the last %s (%s, %s bad/s): still "
		  "going on.", sh, fd->a, fd->b, iv, pct, rate);
		break;
	case CG_DIAG_STOPPED:
		S("%s: none of %" PRIu64 " bad in the last %s: fixed, or the fault paused",
		  sh, fd->b, iv);
		if (s->last_bad_unix) {
			cg_fmt_age(cg_unix_age((uint64_t)s->last_bad_unix, in->now_unix), age,
				   sizeof(age));
			S(" (last bad %s ago)", age);
		}
		S(".");
		break;
	case CG_DIAG_QUIET:
		S("%s sent no tunnel traffic in the last %s: whether it is still bad cannot be "
		  "told.", sh, iv);
		break;
	case CG_DIAG_PAYLOAD_INTACT:
		S("%s: the payload is intact in %" PRIu64 " of its bad packets (%" PRIu64
		  " corrupt, %" PRIu64 " not checkable): the inner checksums verify and only "
		  "the outer one is wrong - the signature of a checksum offload bug.", sh,
		  fd->a, fd->b, fd->c);
		break;
	case CG_DIAG_PAYLOAD_CORRUPT:
		S("%s: %" PRIu64 " of its bad packets have a corrupt payload too (inner "
		  "checksum wrong; %" PRIu64 " intact, %" PRIu64 " not checkable): bytes "
		  "changed on the way, not only the checksum.", sh, fd->b, fd->a, fd->c);
		break;
	case CG_DIAG_PAYLOAD_UNKNOWN:
		S("%s: none of its %" PRIu64 " bad packets had an inner checksum that could be "
		  "checked (not TCP/UDP, inner fragments, inner UDP without checksum).", sh,
		  fd->c);
		break;
	case CG_DIAG_NO_CLASSES:
		S("Classes not available on this datapath: whether the payloads are intact "
		  "(inner checksum valid) cannot be told, so the cause below rests on which "
		  "senders are bad and which are not.");
		break;
	case CG_DIAG_KERNEL_DROPS:
		if (fd->c)
			S("The receiving kernel drops them: Udp InCsumErrors rose by %" PRIu64
			  " while csumguard counted %" PRIu64 " bad in the same %s%s. To the "
			  "applications this is packet loss nobody logs.", fd->a, fd->b, iv,
			  fd->a == fd->b ? " (exactly these)" : "");
		else
			S("The receiving kernel drops them: this network namespace has counted %"
			  PRIu64 " UDP checksum errors (Udp InCsumErrors, since it started) beside "
			  "csumguard's %" PRIu64 " bad since %s. To the applications this is "
			  "packet loss nobody logs.", fd->a, fd->b, since);
		if (!in->drop_mode)
			S(" (csumguard in monitor mode passes them on; the loss is the kernel's.)");
		break;
	case CG_DIAG_KERNEL_SILENT:
		S("The receiving kernel counted no UDP checksum errors while csumguard saw %"
		  PRIu64 " bad%s%s: they were dropped before the UDP layer, or were not for "
		  "this node.", fd->b, fd->c ? " in the last " : "", fd->c ? iv : "");
		break;
	case CG_DIAG_CSUMGUARD_DROPS:
		S("csumguard itself dropped %" PRIu64 " frames of these sources%s%s (drop "
		  "mode, or blocked sources) before the kernel saw them.", fd->a,
		  fd->c ? " in the last " : " since ", fd->c ? iv : since);
		break;
	case CG_DIAG_CAUSE_SENDER:
		if (fd->c)
			S("%s's NIC: its packets arrive with an intact payload and a wrong outer "
			  "checksum, which only its checksum offload writes "
			  "(tx-udp_tnl-csum-segmentation: the driver or firmware).", sh);
		else
			S("%s's NIC: it sends bad checksums while %" PRIu64 " other sender%s "
			  "through the same path %s clean, so the path is fine; its checksum "
			  "offload (tx-udp_tnl-csum-segmentation: the driver or firmware) "
			  "computes the outer checksum wrongly.", sh, fd->b, fd->b == 1 ? "" : "s",
			  fd->b == 1 ? "is" : "are");
		if (fd->a > 1)
			S(" It is one of %" PRIu64 " such senders: compare their drivers and "
			  "firmware.", fd->a);
		break;
	case CG_DIAG_CAUSE_PATH:
		if (s)
			S("The path from %s: its payloads are corrupt too, which no checksum "
			  "offload does - a link, transceiver or switch port between it and here "
			  "(or its NIC's memory).", sh);
		else
			S("A shared part of the path: %" PRIu64 " of %" PRIu64 " senders are bad - "
			  "this node's link or NIC, or the switch they share; or all of them run "
			  "the same faulty NIC firmware (payload classes, or csumguard --egress "
			  "on the senders, would tell).", fd->a, fd->b);
		break;
	case CG_DIAG_CAUSE_UNSURE:
		S("%s or its path: there is no other sender to compare it with%s. Its NIC's "
		  "checksum offload is the common cause (1-5 %% of the packets of specific "
		  "nodes, seen with certain driver and firmware versions).", sh,
		  in->have_classes ? "" : " and no payload classes");
		break;
	case CG_DIAG_CAUSE_OWN_STACK:
		S("This node's own stack: %" PRIu64 " of the %" PRIu64 " final outer checksums "
		  "it sent were already wrong when they left it (egress final_bad)", fd->a, fd->b);
		if (in->e_worst_bad) {
			cg_addr_str(&in->e_worst, dst, sizeof(dst));
			S(", %" PRIu64 " of them to %s", in->e_worst_bad, dst);
		}
		if (sampled(in))
			S(", %" PRIu64 " in the last %s", fd->c, iv);
		S(": a NAT, an encapsulation or another BPF program on this node writes them, "
		  "not a NIC or the network.");
		break;
	case CG_DIAG_BLOCKED:
		S("%s is already blocked (csumguard blocklist): its tunnel traffic is dropped.",
		  sh);
		break;
	case CG_DIAG_DO_ETHTOOL:
		if (fd->c)
			S("If that is not what changed: ");
		S("%sn %s%s: ethtool -K %s tx-udp_tnl-csum-segmentation off (also "
		  "tx-udp_tnl-segmentation off if the driver then still corrupts them); the "
		  "kernel computes the checksums itself. Keep it across reboots (a udev rule "
		  "or systemd .link file).", fd->c ? "o" : "O", sh,
		  s->uplink[0] ? "" : " (IFACE: its uplink)", up);
		break;
	case CG_DIAG_DO_FIRMWARE:
		S("On %s: csumguard doctor %s (or ethtool -i %s): compare the driver and "
		  "firmware versions with the vendor's known issues, and update the firmware.",
		  sh, up, up);
		break;
	case CG_DIAG_DO_BLOCK:
		block_cmds(s, cmds, sizeof(cmds));
		S("Until it is fixed: %s drops its tunnel traffic on every interface attached "
		  "with this pin dir (its SSH and kubelet traffic still passes); or drain the "
		  "node.", cmds);
		break;
	case CG_DIAG_DO_CHECK_PATH:
		if (s)
			S("Check the links and switch ports between %s and here (ethtool -S: CRC "
			  "and symbol errors; the switch's port counters), and move it to "
			  "another cable or port.", sh);
		else
			S("Check this node's link and NIC (ethtool -S %s: CRC errors) and the "
			  "switch's port counters, and compare with another receiver behind "
			  "another switch.", ifname(in));
		break;
	case CG_DIAG_DO_LEDGER:
		S("Attach csumguard --egress on %s and set both sides side by side: "
		  "csumguard ledger SENDER.json THIS.json (each from stats --json) tells what "
		  "left it already bad, what it left to its NIC, and what arrived bad.",
		  s ? sh : "the bad senders");
		break;
	case CG_DIAG_DO_OWN_STACK:
		S("On this node: list what rewrites outgoing tunnel packets (tc filter show "
		  "dev %s egress, bpftool net, nft list ruleset); csumguard stats %s names the "
		  "destinations.", ifname(in), ifname(in));
		break;
	case CG_DIAG_DO_VERIFY:
		S("After a change: csumguard stats %s --reset, then csumguard stats %s --since "
		  "--watch 2 shows the new rate from 0 at once; run csumguard diagnose %s "
		  "again.", ifname(in), ifname(in), ifname(in));
		break;
	case CG_DIAG_CODE_MAX:
		break;
	}
}

#undef S

/* ---------------------------------------------------------------- text */

static void para(FILE *f, const char *label, const char *text)
{
	cg_fmt_para(f, TEXT_WIDTH, LABEL_WIDTH, label, text);
}

static const char *const section_labels[CG_DS_MAX] = {
	[CG_DS_STATE] = "STATE", [CG_DS_WHICH] = "WHICH", [CG_DS_NOW] = "NOW",
	[CG_DS_PAYLOAD] = "PAYLOAD", [CG_DS_KERNEL] = "KERNEL", [CG_DS_CAUSE] = "CAUSE",
	[CG_DS_DO] = "DO",
};

/* The clean senders, as the comparison the cause rests on. */
static void clean_line(const struct cg_diag_input *in, char *buf, size_t len)
{
	char sh[64];
	size_t i, shown = 0, nclean = 0, off = 0;

	buf[0] = '\0';
	for (i = 0; i < in->nsrc; i++)
		nclean += !in->src[i].total.bad && cg_diag_checked(&in->src[i].total);
	if (!nclean)
		return;
	off += (size_t)snprintf(buf, len, "Clean: ");
	for (i = 0; i < in->nsrc && off < len; i++) {
		const struct cg_diag_src *s = &in->src[i];

		if (s->total.bad || !cg_diag_checked(&s->total))
			continue;
		if (shown == 4) {
			off += (size_t)snprintf(buf + off, len - off, ", and %zu more",
						nclean - shown);
			break;
		}
		src_short(s, sh, sizeof(sh));
		off += (size_t)snprintf(buf + off, len - off, "%s%s (%" PRIu64 " checked)",
					shown ? ", " : "", sh, cg_diag_checked(&s->total));
		shown++;
	}
	if (off < len)
		snprintf(buf + off, len - off, ".");
}

static void heading(FILE *f, const struct cg_diag_input *in, const struct cg_diag_result *r)
{
	char when[64], iv[16], sh[64];
	size_t i, nbad = 0, first = 0;

	for (i = 0; i < in->nsrc; i++)
		if (in->src[i].total.bad && !nbad++)
			first = i;
	fprintf(f, "%s: ", ifname(in));
	switch (r->status) {
	case CG_DIAG_S_PROBLEM:
		if (nbad) {
			src_short(&in->src[first], sh, sizeof(sh));
			fprintf(f, "PROBLEM - %s%s sends bad outer UDP checksums\n", sh,
				nbad > 1 ? " and others" : "");
		} else if (in->have_egress && in->e_final_bad) {
			fprintf(f, "PROBLEM - this node's own stack sends bad outer UDP "
				"checksums\n");
		} else {
			fprintf(f, "PROBLEM - bad outer checksums\n");
		}
		break;
	case CG_DIAG_S_STOPPED:
		fmt_secs(in->interval_s, iv, sizeof(iv));
		fprintf(f, "bad outer UDP checksums earlier, none in the last %s\n", iv);
		break;
	case CG_DIAG_S_CLEAN:
		fprintf(f, "clean\n");
		break;
	case CG_DIAG_S_NO_DATA:
		fprintf(f, "not enough data\n");
		break;
	}
	fmt_when(in->now_unix, when, sizeof(when));
	fprintf(f, "  at %s", when);
	if (sampled(in)) {
		fmt_secs(in->interval_s, iv, sizeof(iv));
		fprintf(f, ", rates over the last %s", iv);
	}
	fprintf(f, "%s\n", in->drop_mode ? "; drop mode" : "");
	if (in->since_unix) {
		fmt_when_ago(in, in->since_unix, when, sizeof(when));
		fprintf(f, "  counting since %s\n", when);
	}
}

void cg_diag_render_text(FILE *f, const struct cg_diag_input *in, const struct cg_diag_result *r)
{
	char text[SENT_LEN], label[16];
	int sec, any, step;
	size_t i;

	heading(f, in, r);
	for (sec = 0; sec < CG_DS_MAX; sec++) {
		any = 0;
		step = 0;
		for (i = 0; i < r->n; i++) {
			if (cg_diag_code_section(r->f[i].code) != (enum cg_diag_section)sec)
				continue;
			finding_text(in, &r->f[i], text, sizeof(text));
			/* "DO  1.", "    2.": the steps numbered under the label */
			if (sec == CG_DS_DO && cg_diag_code_severity(r->f[i].code) == CG_SEV_ACTION)
				snprintf(label, sizeof(label), "%-4s%d.", any ? "" : "DO", ++step);
			else
				snprintf(label, sizeof(label), "%s", any ? "" : section_labels[sec]);
			para(f, label, text);
			any = 1;
		}
		if (sec == CG_DS_WHICH && any) {
			for (i = 0; i < in->nsrc && !in->src[i].total.bad; i++)
				;
			if (i < in->nsrc) {	/* there are bad ones: show the comparison */
				clean_line(in, text, sizeof(text));
				if (text[0])
					para(f, "", text);
			}
		}
	}
}

/* ---------------------------------------------------------------- JSON */

static void json_count(struct cg_json *w, const struct cg_diag_count *c, int classes)
{
	cg_json_uint_field(w, "packets", c->packets);
	cg_json_uint_field(w, "checked", cg_diag_checked(c));
	cg_json_uint_field(w, "ok", c->ok);
	cg_json_uint_field(w, "bad", c->bad);
	cg_json_uint_field(w, "unfinished", c->unfinished);
	cg_json_uint_field(w, "zero", c->zero);
	cg_json_uint_field(w, "fragment", c->fragment);
	cg_json_uint_field(w, "malformed", c->malformed);
	cg_json_uint_field(w, "bad_ip_header", c->bad_ip_header);
	cg_json_uint_field(w, "dropped", c->dropped);
	if (cg_diag_checked(c))
		cg_json_float_field(w, "bad_ratio", (double)c->bad / (double)cg_diag_checked(c));
	else
		cg_json_null_field(w, "bad_ratio");
	if (classes) {
		cg_json_name(w, "classes");
		cg_json_start_object(w);
		cg_json_uint_field(w, "bad_outer_only", c->bad_outer_only);
		cg_json_uint_field(w, "bad_payload", c->bad_payload);
		cg_json_uint_field(w, "bad_unclassified", c->bad_unclassified);
		cg_json_end_object(w);
	} else {
		cg_json_null_field(w, "classes");
	}
}

static void json_time(struct cg_json *w, const char *name, int64_t t)
{
	if (t)
		cg_json_int_field(w, name, t);
	else
		cg_json_null_field(w, name);
}

static void json_addrs(struct cg_json *w, const struct cg_diag_src *s)
{
	char a[CG_ADDR_STRLEN];
	size_t i;

	cg_json_name(w, "addrs");
	cg_json_start_array(w);
	for (i = 0; i < s->naddrs; i++) {
		cg_addr_str(&s->addrs[i], a, sizeof(a));
		cg_json_string(w, a);
	}
	cg_json_end_array(w);
}

static const char *attached_name(enum cg_diag_attached a)
{
	switch (a) {
	case CG_DIAG_ATT_HERE: return "here";
	case CG_DIAG_ATT_ELSEWHERE: return "elsewhere";
	case CG_DIAG_ATT_NONE: return "no";
	default: return "unknown";
	}
}

void cg_diag_render_json(struct cg_json *w, const struct cg_diag_input *in,
			 const struct cg_diag_result *r)
{
	char text[SENT_LEN], label[64];
	size_t i;
	int now = sampled(in);

	cg_json_start_object(w);
	cg_json_string_field(w, "name", in->iface);
	cg_json_string_field(w, "status", cg_diag_status_name(r->status));
	cg_json_string_field(w, "attached", attached_name(in->attached));
	cg_json_string_field(w, "where", in->where[0] ? in->where : NULL);
	cg_json_string_field(w, "mode", in->drop_mode ? "drop" : "monitor");
	cg_json_bool_field(w, "egress_only", in->egress_only);
	cg_json_int_field(w, "time_unix", in->now_unix);
	json_time(w, "since_unix", in->since_unix);
	if (now)
		cg_json_float_field(w, "interval_seconds", in->interval_s);
	else
		cg_json_null_field(w, "interval_seconds");
	cg_json_bool_field(w, "classes_available", in->have_classes);
	cg_json_bool_field(w, "first_bad_recorded", in->have_first_bad);
	cg_json_uint_field(w, "sources_evicted", in->evicted);
	if (in->have_kernel) {
		cg_json_name(w, "kernel");
		cg_json_start_object(w);
		cg_json_uint_field(w, "udp_in_csum_errors", in->k4_total);
		cg_json_uint_field(w, "udp6_in_csum_errors", in->k6_total);
		if (now) {
			cg_json_name(w, "interval");
			cg_json_start_object(w);
			cg_json_uint_field(w, "udp_in_csum_errors", in->k4_now);
			cg_json_uint_field(w, "udp6_in_csum_errors", in->k6_now);
			cg_json_end_object(w);
		} else {
			cg_json_null_field(w, "interval");
		}
		cg_json_end_object(w);
	} else {
		cg_json_null_field(w, "kernel");
	}
	if (in->have_egress) {
		cg_json_name(w, "egress");
		cg_json_start_object(w);
		cg_json_uint_field(w, "packets", in->e_packets);
		cg_json_uint_field(w, "final_ok", in->e_final_ok);
		cg_json_uint_field(w, "final_bad", in->e_final_bad);
		cg_json_uint_field(w, "offloaded", in->e_offloaded);
		if (now)
			cg_json_uint_field(w, "interval_final_bad", in->e_now_final_bad);
		else
			cg_json_null_field(w, "interval_final_bad");
		json_time(w, "last_bad_unix", in->e_last_bad_unix);
		cg_json_end_object(w);
	} else {
		cg_json_null_field(w, "egress");
	}
	cg_json_name(w, "sources");
	cg_json_start_array(w);
	for (i = 0; i < in->nsrc; i++) {
		const struct cg_diag_src *s = &in->src[i];

		cg_json_start_object(w);
		cg_json_string_field(w, "node", s->name[0] ? s->name : NULL);
		json_addrs(w, s);
		cg_json_bool_field(w, "blocked", s->naddrs && s->nblocked >= s->naddrs);
		json_count(w, &s->total, in->have_classes);
		json_time(w, "first_bad_unix", in->have_first_bad ? s->first_bad_unix : 0);
		json_time(w, "last_bad_unix", s->last_bad_unix);
		if (now) {
			cg_json_name(w, "interval");
			cg_json_start_object(w);
			json_count(w, &s->now, in->have_classes);
			cg_json_end_object(w);
		} else {
			cg_json_null_field(w, "interval");
		}
		cg_json_end_object(w);
	}
	cg_json_end_array(w);
	cg_json_name(w, "findings");
	cg_json_start_array(w);
	for (i = 0; i < r->n; i++) {
		const struct cg_finding *fd = &r->f[i];

		finding_text(in, fd, text, sizeof(text));
		cg_json_start_object(w);
		cg_json_string_field(w, "code", cg_diag_code_name(fd->code));
		cg_json_string_field(w, "section", cg_diag_section_name(cg_diag_code_section(fd->code)));
		cg_json_string_field(w, "severity",
				     cg_diag_severity_name(cg_diag_code_severity(fd->code)));
		if (fd->src >= 0) {
			cg_diag_src_label(&in->src[fd->src], label, sizeof(label));
			cg_json_string_field(w, "source", label);
			json_addrs(w, &in->src[fd->src]);
		} else {
			cg_json_null_field(w, "source");
			cg_json_null_field(w, "addrs");
		}
		cg_json_string_field(w, "text", text);
		cg_json_end_object(w);
	}
	cg_json_end_array(w);
	cg_json_end_object(w);
}
