// SPDX-License-Identifier: GPL-2.0
/*
 * diagnose.c - the rules of `csumguard diagnose` (see diagnose.h). Each rule
 * is a function over struct cg_diag_input that adds findings; the text and
 * JSON are in diagnose_render.c, the input from a snapshot in
 * diagnose_input.c.
 *
 * What the rules rest on (seed 000, SPEC 2 and 6):
 * - A NIC whose checksum offload is wrong corrupts only the outer UDP
 *   checksum it writes: the inner packet, with its own L4 checksum, is
 *   intact (class bad_outer_only). Bytes changed on the path break the
 *   inner checksum too (bad_payload).
 * - A faulty link or switch hits every sender behind it; one sender bad
 *   while the others through the same path are clean points at that sender.
 * - Egress final_bad is a value this node's own stack wrote wrong: no NIC
 *   and no path has touched it yet.
 * - The receiving kernel verifies UDP checksums and drops a bad datagram
 *   as Udp InCsumErrors, whatever csumguard's mode (monitor passes it on).
 */
#include <string.h>
#include "diagnose.h"

static const struct {
	const char *name;
	enum cg_diag_section section;
	enum cg_diag_severity sev;
} codes[CG_DIAG_CODE_MAX] = {
	[CG_DIAG_NOT_ENOUGH_DATA] = { "not_enough_data", CG_DS_WHICH, CG_SEV_INFO },
	[CG_DIAG_NO_PROBLEM] = { "no_problem", CG_DS_WHICH, CG_SEV_INFO },
	[CG_DIAG_NOT_COUNTING] = { "not_counting", CG_DS_STATE, CG_SEV_WARN },
	[CG_DIAG_ELSEWHERE] = { "elsewhere", CG_DS_STATE, CG_SEV_INFO },
	[CG_DIAG_EVICTED] = { "evicted", CG_DS_STATE, CG_SEV_WARN },
	[CG_DIAG_BAD_SOURCE] = { "bad_source", CG_DS_WHICH, CG_SEV_PROBLEM },
	[CG_DIAG_STILL_BAD] = { "still_bad", CG_DS_NOW, CG_SEV_PROBLEM },
	[CG_DIAG_STOPPED] = { "stopped", CG_DS_NOW, CG_SEV_INFO },
	[CG_DIAG_QUIET] = { "quiet", CG_DS_NOW, CG_SEV_INFO },
	[CG_DIAG_BAD_IP_HEADER] = { "bad_ip_header", CG_DS_WHICH, CG_SEV_PROBLEM },
	[CG_DIAG_UNFINISHED] = { "unfinished", CG_DS_WHICH, CG_SEV_WARN },
	[CG_DIAG_PAYLOAD_INTACT] = { "payload_intact", CG_DS_PAYLOAD, CG_SEV_INFO },
	[CG_DIAG_PAYLOAD_CORRUPT] = { "payload_corrupt", CG_DS_PAYLOAD, CG_SEV_PROBLEM },
	[CG_DIAG_PAYLOAD_UNKNOWN] = { "payload_unknown", CG_DS_PAYLOAD, CG_SEV_INFO },
	[CG_DIAG_NO_CLASSES] = { "no_classes", CG_DS_PAYLOAD, CG_SEV_INFO },
	[CG_DIAG_KERNEL_DROPS] = { "kernel_drops", CG_DS_KERNEL, CG_SEV_PROBLEM },
	[CG_DIAG_KERNEL_SILENT] = { "kernel_silent", CG_DS_KERNEL, CG_SEV_INFO },
	[CG_DIAG_CSUMGUARD_DROPS] = { "csumguard_drops", CG_DS_KERNEL, CG_SEV_INFO },
	[CG_DIAG_CAUSE_SENDER] = { "cause_sender_nic", CG_DS_CAUSE, CG_SEV_PROBLEM },
	[CG_DIAG_CAUSE_PATH] = { "cause_path", CG_DS_CAUSE, CG_SEV_PROBLEM },
	[CG_DIAG_CAUSE_UNSURE] = { "cause_sender_or_path", CG_DS_CAUSE, CG_SEV_PROBLEM },
	[CG_DIAG_CAUSE_OWN_STACK] = { "cause_own_stack", CG_DS_CAUSE, CG_SEV_PROBLEM },
	[CG_DIAG_BLOCKED] = { "blocked", CG_DS_DO, CG_SEV_INFO },
	[CG_DIAG_DO_ETHTOOL] = { "do_offload_off", CG_DS_DO, CG_SEV_ACTION },
	[CG_DIAG_DO_FIRMWARE] = { "do_check_firmware", CG_DS_DO, CG_SEV_ACTION },
	[CG_DIAG_DO_BLOCK] = { "do_block", CG_DS_DO, CG_SEV_ACTION },
	[CG_DIAG_DO_CHECK_PATH] = { "do_check_path", CG_DS_DO, CG_SEV_ACTION },
	[CG_DIAG_DO_LEDGER] = { "do_ledger", CG_DS_DO, CG_SEV_ACTION },
	[CG_DIAG_DO_OWN_STACK] = { "do_check_own_stack", CG_DS_DO, CG_SEV_ACTION },
	[CG_DIAG_DO_VERIFY] = { "do_verify", CG_DS_DO, CG_SEV_ACTION },
};

static const char *const section_names[CG_DS_MAX] = {
	[CG_DS_STATE] = "state", [CG_DS_WHICH] = "which", [CG_DS_NOW] = "now",
	[CG_DS_PAYLOAD] = "payload", [CG_DS_KERNEL] = "kernel", [CG_DS_CAUSE] = "cause",
	[CG_DS_DO] = "do",
};

const char *cg_diag_code_name(enum cg_diag_code c)
{
	return (unsigned)c < CG_DIAG_CODE_MAX && codes[c].name ? codes[c].name : "unknown";
}

enum cg_diag_section cg_diag_code_section(enum cg_diag_code c)
{
	return (unsigned)c < CG_DIAG_CODE_MAX ? codes[c].section : CG_DS_STATE;
}

enum cg_diag_severity cg_diag_code_severity(enum cg_diag_code c)
{
	return (unsigned)c < CG_DIAG_CODE_MAX ? codes[c].sev : CG_SEV_INFO;
}

const char *cg_diag_section_name(enum cg_diag_section s)
{
	return (unsigned)s < CG_DS_MAX ? section_names[s] : "unknown";
}

const char *cg_diag_severity_name(enum cg_diag_severity s)
{
	switch (s) {
	case CG_SEV_INFO: return "info";
	case CG_SEV_WARN: return "warning";
	case CG_SEV_PROBLEM: return "problem";
	case CG_SEV_ACTION: return "action";
	}
	return "unknown";
}

const char *cg_diag_status_name(enum cg_diag_status s)
{
	switch (s) {
	case CG_DIAG_S_NO_DATA: return "no_data";
	case CG_DIAG_S_CLEAN: return "clean";
	case CG_DIAG_S_PROBLEM: return "problem";
	case CG_DIAG_S_STOPPED: return "stopped";
	}
	return "unknown";
}

static void add(struct cg_diag_result *r, enum cg_diag_code c, int src, uint64_t a,
		uint64_t b, uint64_t cc)
{
	if (r->n >= CG_DIAG_FINDINGS_MAX)
		return;
	r->f[r->n].code = c;
	r->f[r->n].src = src;
	r->f[r->n].a = a;
	r->f[r->n].b = b;
	r->f[r->n].c = cc;
	r->n++;
}

static int has(const struct cg_diag_result *r, enum cg_diag_code c, int src)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->f[i].code == c && r->f[i].src == src)
			return 1;
	return 0;
}

/* Is the program counting now (here or in another namespace)? Then the
 * interval says what happens now; otherwise its counters stand still. */
static int counting(const struct cg_diag_input *in)
{
	return in->attached == CG_DIAG_ATT_HERE || in->attached == CG_DIAG_ATT_ELSEWHERE;
}

static int sampled(const struct cg_diag_input *in)
{
	return in->interval_s > 0 && counting(in);
}

/* ------------------------------------------------------------ the rules */

/* Whether the counters are live at all. */
static void rule_state(const struct cg_diag_input *in, struct cg_diag_result *r)
{
	if (in->attached == CG_DIAG_ATT_NONE)
		add(r, CG_DIAG_NOT_COUNTING, -1, 0, 0, 0);
	else if (in->attached == CG_DIAG_ATT_ELSEWHERE)
		add(r, CG_DIAG_ELSEWHERE, -1, 0, 0, 0);
	if (in->evicted)
		add(r, CG_DIAG_EVICTED, -1, in->evicted, 0, 0);
}

/* Which sources are bad; else clean, or too little to tell. */
static void rule_which(const struct cg_diag_input *in, struct cg_diag_result *r)
{
	uint64_t checked = 0, bad = 0, zero = 0, unfinished = 0, nunf = 0;
	size_t i;

	/* Only what this node sends: its own checksums, verified on egress. */
	if (in->egress_only) {
		checked = in->e_final_ok + in->e_final_bad;
		if (in->e_final_bad)
			return;		/* the cause rule names it */
		if (checked >= CG_DIAG_MIN_CHECKED)
			add(r, CG_DIAG_NO_PROBLEM, -1, checked, in->e_offloaded, 0);
		else
			add(r, CG_DIAG_NOT_ENOUGH_DATA, -1, checked, CG_DIAG_MIN_CHECKED,
			    in->e_offloaded);
		return;
	}

	for (i = 0; i < in->nsrc; i++) {
		const struct cg_diag_count *c = &in->src[i].total;

		checked += cg_diag_checked(c);
		bad += c->bad;
		zero += c->zero;
		if (c->unfinished) {
			unfinished += c->unfinished;
			nunf++;
		}
		if (c->bad)
			add(r, CG_DIAG_BAD_SOURCE, (int)i, c->bad, cg_diag_checked(c), 0);
		if (c->bad_ip_header)
			add(r, CG_DIAG_BAD_IP_HEADER, (int)i, c->bad_ip_header, c->packets, 0);
	}
	if (!bad && checked >= CG_DIAG_MIN_CHECKED)
		add(r, CG_DIAG_NO_PROBLEM, -1, checked, in->nsrc, 0);
	else if (!bad)
		add(r, CG_DIAG_NOT_ENOUGH_DATA, -1, checked, CG_DIAG_MIN_CHECKED, zero);
	/* Offload asked for and never done: normal from a veth (SPEC 6). */
	if (unfinished)
		add(r, CG_DIAG_UNFINISHED, -1, unfinished, nunf, 0);
}

/* How bad now: the interval, for every bad source. */
static void rule_now(const struct cg_diag_input *in, struct cg_diag_result *r)
{
	size_t i;

	if (!sampled(in))
		return;
	for (i = 0; i < in->nsrc; i++) {
		const struct cg_diag_src *s = &in->src[i];

		if (!s->total.bad)
			continue;
		if (!cg_diag_checked(&s->now))
			add(r, CG_DIAG_QUIET, (int)i, 0, 0, 0);
		else if (!s->now.bad)
			add(r, CG_DIAG_STOPPED, (int)i, 0, cg_diag_checked(&s->now), 0);
		else
			add(r, CG_DIAG_STILL_BAD, (int)i, s->now.bad, cg_diag_checked(&s->now), 0);
	}
}

enum payload { P_NONE, P_INTACT, P_CORRUPT, P_UNKNOWN };

/* An offload bug never touches the payload: more than an occasional corrupt
 * one (over a tenth of the classified) means bytes changed on the way. */
static enum payload payload_of(const struct cg_diag_input *in, const struct cg_diag_src *s)
{
	const struct cg_diag_count *c = &s->total;
	uint64_t classified = c->bad_outer_only + c->bad_payload;

	if (!in->have_classes || !c->bad)
		return P_NONE;
	if (!classified)
		return P_UNKNOWN;
	return c->bad_payload * 10 > classified ? P_CORRUPT : P_INTACT;
}

static void rule_payload(const struct cg_diag_input *in, struct cg_diag_result *r)
{
	static const enum cg_diag_code of[] = {
		[P_INTACT] = CG_DIAG_PAYLOAD_INTACT, [P_CORRUPT] = CG_DIAG_PAYLOAD_CORRUPT,
		[P_UNKNOWN] = CG_DIAG_PAYLOAD_UNKNOWN,
	};
	size_t i, nbad = 0;
	enum payload p;

	for (i = 0; i < in->nsrc; i++) {
		const struct cg_diag_count *c = &in->src[i].total;

		if (!c->bad)
			continue;
		nbad++;
		p = payload_of(in, &in->src[i]);
		if (p != P_NONE)
			add(r, of[p], (int)i, c->bad_outer_only, c->bad_payload, c->bad_unclassified);
	}
	if (nbad && !in->have_classes)
		add(r, CG_DIAG_NO_CLASSES, -1, 0, 0, 0);
}

/* What the receiving kernel does with them: it verifies UDP checksums and
 * drops a bad datagram (Udp InCsumErrors), unless csumguard dropped it
 * first (drop mode, blocked). Over the interval when there is one (the same
 * span for both counts), else since each started (not the same span). */
static void rule_kernel(const struct cg_diag_input *in, struct cg_diag_result *r)
{
	uint64_t bad = 0, dropped = 0, k;
	int now = sampled(in);
	size_t i;

	for (i = 0; i < in->nsrc; i++) {
		const struct cg_diag_count *c = now ? &in->src[i].now : &in->src[i].total;

		bad += c->bad;
		dropped += c->dropped;
	}
	if (!bad)
		return;
	if (dropped)
		add(r, CG_DIAG_CSUMGUARD_DROPS, -1, dropped, bad, now);
	if (!in->have_kernel || (in->drop_mode && dropped >= bad))
		return;
	k = now ? in->k4_now + in->k6_now : in->k4_total + in->k6_total;
	if (k)
		add(r, CG_DIAG_KERNEL_DROPS, -1, k, bad, now);
	else
		add(r, CG_DIAG_KERNEL_SILENT, -1, 0, bad, now);
}

/* What the evidence points to, and what to do about each. A source the
 * interval shows stopped (fixed, or the fault paused) is not worth a block;
 * the offload advice then reads "if that is not what changed". */
static void do_block(const struct cg_diag_input *in, struct cg_diag_result *r, int i)
{
	if (in->src[i].naddrs && in->src[i].nblocked >= in->src[i].naddrs)
		add(r, CG_DIAG_BLOCKED, i, 0, 0, 0);
	else if (!has(r, CG_DIAG_STOPPED, i))
		add(r, CG_DIAG_DO_BLOCK, i, 0, 0, 0);
}

static void do_ethtool(struct cg_diag_result *r, int i)
{
	add(r, CG_DIAG_DO_ETHTOOL, i, 0, 0, has(r, CG_DIAG_STOPPED, i));
}

static void rule_cause(const struct cg_diag_input *in, struct cg_diag_result *r)
{
	size_t i, nbad = 0, nclean = 0, ntraffic;
	int shared = 0, any = 0;
	enum payload p;

	for (i = 0; i < in->nsrc; i++) {
		const struct cg_diag_count *c = &in->src[i].total;

		if (c->bad)
			nbad++;
		else if (cg_diag_checked(c) >= CG_DIAG_MIN_CLEAN)
			nclean++;
	}
	ntraffic = nbad + nclean;
	for (i = 0; i < in->nsrc; i++) {
		if (!in->src[i].total.bad)
			continue;
		any = 1;
		p = payload_of(in, &in->src[i]);
		if (p == P_CORRUPT) {
			/* Its bytes changed on the way: its link, a switch port. */
			add(r, CG_DIAG_CAUSE_PATH, (int)i, nbad, ntraffic, 0);
			add(r, CG_DIAG_DO_CHECK_PATH, (int)i, 0, 0, 0);
			add(r, CG_DIAG_DO_LEDGER, (int)i, 0, 0, 0);
			do_block(in, r, (int)i);
		} else if (p == P_INTACT || (nbad * 2 <= ntraffic && nclean)) {
			/* Payload intact, or one of few bad senders beside clean
			 * ones through the same path: the sender's own NIC. */
			add(r, CG_DIAG_CAUSE_SENDER, (int)i, nbad, nclean, p == P_INTACT);
			do_ethtool(r, (int)i);
			add(r, CG_DIAG_DO_FIRMWARE, (int)i, 0, 0, 0);
			do_block(in, r, (int)i);
		} else if (nbad >= 2) {
			/* Most senders bad, payloads not known: what they share
			 * (this node's link or NIC, the switch), or the same NIC
			 * and firmware on all of them. */
			shared = 1;
		} else {
			/* One sender, nothing to compare it with. */
			add(r, CG_DIAG_CAUSE_UNSURE, (int)i, nbad, nclean, 0);
			add(r, CG_DIAG_DO_LEDGER, (int)i, 0, 0, 0);
			do_ethtool(r, (int)i);
			do_block(in, r, (int)i);
		}
	}
	if (shared) {
		add(r, CG_DIAG_CAUSE_PATH, -1, nbad, ntraffic, 0);
		add(r, CG_DIAG_DO_CHECK_PATH, -1, 0, 0, 0);
		add(r, CG_DIAG_DO_LEDGER, -1, 0, 0, 0);
	}
	if (in->have_egress && in->e_final_bad) {
		add(r, CG_DIAG_CAUSE_OWN_STACK, -1, in->e_final_bad,
		    in->e_final_ok + in->e_final_bad, in->e_now_final_bad);
		add(r, CG_DIAG_DO_OWN_STACK, -1, 0, 0, 0);
		any = 1;
	}
	if (any)
		add(r, CG_DIAG_DO_VERIFY, -1, 0, 0, 0);
}

static void status(const struct cg_diag_input *in, struct cg_diag_result *r)
{
	int bad = 0, going = 0;
	size_t i;

	for (i = 0; i < r->n; i++) {
		switch (r->f[i].code) {
		case CG_DIAG_BAD_SOURCE:
			bad = 1;
			/* going on unless the interval shows it stopped */
			if (!has(r, CG_DIAG_STOPPED, r->f[i].src))
				going = 1;
			break;
		case CG_DIAG_BAD_IP_HEADER:
			bad = going = 1;
			break;
		case CG_DIAG_CAUSE_OWN_STACK:
			bad = 1;
			if (!sampled(in) || r->f[i].c)
				going = 1;
			break;
		default:
			break;
		}
	}
	if (going)
		r->status = CG_DIAG_S_PROBLEM;
	else if (bad)
		r->status = CG_DIAG_S_STOPPED;
	else if (has(r, CG_DIAG_NO_PROBLEM, -1))
		r->status = CG_DIAG_S_CLEAN;
	else
		r->status = CG_DIAG_S_NO_DATA;
}

void cg_diagnose(const struct cg_diag_input *in, struct cg_diag_result *out)
{
	memset(out, 0, sizeof(*out));
	rule_state(in, out);
	rule_which(in, out);
	rule_now(in, out);
	rule_payload(in, out);
	rule_kernel(in, out);
	rule_cause(in, out);
	status(in, out);
}
