/* SPDX-License-Identifier: GPL-2.0 */
/*
 * diagnose.h - the operator's answer (`csumguard diagnose`) as rules over
 * counters: which sources send bad outer checksums, since when, how bad
 * now and since the start, whether their payloads are intact, whether the
 * receiving kernel drops them anyway, what the evidence points to (the
 * sender's NIC offload, the path, this node's own stack) and what to do.
 *
 * The rules (cg_diagnose) read only struct cg_diag_input: counters in,
 * findings out, no BPF, no clock, so tests/test_diagnose.c drives them
 * table-driven. The input is filled from a snapshot by one adapter,
 * cg_diag_input_fill (diagnose_input.c), the only code that knows the map
 * layouts: counters the datapath does not have yet (the bad classes,
 * first_bad, bad_ip_header) are looked up by name in names.c's field table,
 * so they are used as soon as a datapath counts them.
 */
#ifndef CG_DIAGNOSE_H
#define CG_DIAGNOSE_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "csumguard.h"

/* Fewer outer checksums checked than this and none bad: too little to call
 * the interface clean ("not enough data"). One bad checksum is always
 * evidence. */
#define CG_DIAG_MIN_CHECKED	100
/* A sender counts as a clean comparison (same switch, no bad checksum) with
 * at least this many checked. */
#define CG_DIAG_MIN_CLEAN	20
#define CG_DIAG_ADDRS_MAX	8	/* addresses of one node */
#define CG_DIAG_FINDINGS_MAX	256

/* One source's counters over a span (since the start, or the interval). */
struct cg_diag_count {
	uint64_t packets;	/* tunnel frames given a verdict */
	uint64_t ok, bad, unfinished, zero, fragment, malformed;
	uint64_t bad_ip_header;	/* outer IPv4 header checksum wrong (0 if not counted) */
	/* The classes of bad (in->have_classes): the inner L4 checksum valid
	 * (payload intact), invalid (payload corrupt), or not checkable. */
	uint64_t bad_outer_only, bad_payload, bad_unclassified;
	uint64_t dropped;	/* dropped by csumguard (drop mode, blocked) */
};

/* ok + bad + unfinished: the outer checksums actually checked. */
static inline uint64_t cg_diag_checked(const struct cg_diag_count *c)
{
	return c->ok + c->bad + c->unfinished;
}

/* One source node: one or more underlay addresses. */
struct cg_diag_src {
	char name[64];		/* node name; "" when unknown (the address names it) */
	char uplink[IF_NAMESIZE];	/* its interface, when known; else "" */
	struct cg_addr addrs[CG_DIAG_ADDRS_MAX];
	size_t naddrs;
	size_t nblocked;	/* how many of addrs are on the blocklist */
	struct cg_diag_count total;	/* since the counters started */
	struct cg_diag_count now;	/* over the interval (in->interval_s > 0) */
	int64_t first_bad_unix;	/* first bad verdict, Unix seconds; 0: none or not recorded */
	int64_t last_bad_unix;	/* last bad verdict; 0: none */
};

/* Where the counters come from, as diagnose must say it. */
enum cg_diag_attached {
	CG_DIAG_ATT_UNKNOWN = -1,	/* cannot tell (privileges) */
	CG_DIAG_ATT_NONE = 0,		/* detached or the interface is gone: counters are old */
	CG_DIAG_ATT_HERE = 1,		/* counting, in this network namespace */
	CG_DIAG_ATT_ELSEWHERE = 2,	/* counting, in another network namespace */
};

struct cg_diag_input {
	char iface[IF_NAMESIZE];
	enum cg_diag_attached attached;
	char where[192];		/* ELSEWHERE: where (e.g. "network namespace /run/netns/x") */
	char netns[80];			/* ELSEWHERE: "/run/netns/NAME" when named, else "" */
	int drop_mode;			/* csumguard drops bad frames itself */
	int egress_only;		/* no ingress state: what this node sends only */
	int64_t now_unix;
	int64_t since_unix;		/* when the counters started (attach); 0: unknown */
	double interval_s;		/* the "now" span; 0: one sample only */
	int have_classes;		/* the datapath counts the bad classes */
	int have_first_bad;		/* ... and first_bad */
	struct cg_diag_src *src;	/* worst first (the adapter sorts) */
	size_t nsrc;
	uint64_t evicted;		/* source rows the table lost (counts incomplete) */
	/* The receiving kernel of this network namespace (/proc/net/snmp{,6}):
	 * UDP checksum errors since it started and over the interval. */
	int have_kernel;
	uint64_t k4_total, k6_total, k4_now, k6_now;
	/* This node's own egress (TC): what it sends. */
	int have_egress;
	uint64_t e_packets, e_final_ok, e_final_bad, e_offloaded;
	uint64_t e_now_final_bad;	/* over the interval */
	int64_t e_last_bad_unix;
	struct cg_addr e_worst;		/* the destination with the most final_bad */
	uint64_t e_worst_bad;
};

/* What a finding is about. The section groups them in the text. */
enum cg_diag_code {
	CG_DIAG_NOT_ENOUGH_DATA = 0,	/* a: checked, b: needed */
	CG_DIAG_NO_PROBLEM,		/* a: checked, b: sources (egress only: a final
					 * checksums verified, b offloaded) */
	CG_DIAG_NOT_COUNTING,		/* the program does not count here now */
	CG_DIAG_ELSEWHERE,		/* it counts in another network namespace */
	CG_DIAG_EVICTED,		/* a: rows evicted */
	CG_DIAG_BAD_SOURCE,		/* src: a bad, b checked */
	CG_DIAG_STILL_BAD,		/* src: a bad, b checked over the interval */
	CG_DIAG_STOPPED,		/* src: none bad of a checked over the interval */
	CG_DIAG_QUIET,			/* src: no traffic over the interval */
	CG_DIAG_BAD_IP_HEADER,		/* src: a frames with a bad outer IPv4 header checksum */
	CG_DIAG_UNFINISHED,		/* -1: a unfinished, from b sources */
	CG_DIAG_PAYLOAD_INTACT,		/* src: a outer-only, b payload, c unclassified */
	CG_DIAG_PAYLOAD_CORRUPT,	/* src: the same figures */
	CG_DIAG_PAYLOAD_UNKNOWN,	/* src: all c unclassified */
	CG_DIAG_NO_CLASSES,		/* classes not available on this datapath */
	CG_DIAG_KERNEL_DROPS,		/* a: kernel checksum errors, b: csumguard bad (same span) */
	CG_DIAG_KERNEL_SILENT,		/* a: 0 kernel errors, b: csumguard bad over the interval */
	CG_DIAG_CSUMGUARD_DROPS,	/* a: frames csumguard dropped (drop mode, blocked) */
	CG_DIAG_CAUSE_SENDER,		/* src: its NIC's checksum offload (driver, firmware) */
	CG_DIAG_CAUSE_PATH,		/* src, or -1 for the shared path */
	CG_DIAG_CAUSE_UNSURE,		/* src: the sender or its path, cannot tell which */
	CG_DIAG_CAUSE_OWN_STACK,	/* a: final_bad, b: final checked (this node's egress) */
	CG_DIAG_BLOCKED,		/* src: already blocked */
	CG_DIAG_DO_ETHTOOL,		/* src: turn its tunnel checksum offload off
					 * (c 1: it stopped: "if that is not what changed") */
	CG_DIAG_DO_FIRMWARE,		/* src: check its driver and firmware */
	CG_DIAG_DO_BLOCK,		/* src: block it until fixed (not once it stopped) */
	CG_DIAG_DO_CHECK_PATH,		/* src or -1: links, switch ports */
	CG_DIAG_DO_LEDGER,		/* src: its egress beside this node's ingress */
	CG_DIAG_DO_OWN_STACK,		/* this node's NAT, encapsulation, BPF programs */
	CG_DIAG_DO_VERIFY,		/* reset, then watch the rate go to 0 */
	CG_DIAG_CODE_MAX
};

/* The parts of the answer, in the order the text shows them. */
enum cg_diag_section {
	CG_DS_STATE = 0,	/* "STATE": whether the counters are live */
	CG_DS_WHICH,		/* "WHICH": which sources, or none */
	CG_DS_NOW,		/* "NOW": over the last interval */
	CG_DS_PAYLOAD,		/* "PAYLOAD": the classes */
	CG_DS_KERNEL,		/* "KERNEL": what the receiving kernel does with them */
	CG_DS_CAUSE,		/* "CAUSE": what the evidence points to */
	CG_DS_DO,		/* "DO": what to do */
	CG_DS_MAX
};

enum cg_diag_severity {
	CG_SEV_INFO = 0,
	CG_SEV_WARN,		/* not a fault, but worth knowing */
	CG_SEV_PROBLEM,		/* packets are being lost or corrupted */
	CG_SEV_ACTION,		/* something to do */
};

struct cg_finding {
	enum cg_diag_code code;
	int src;		/* index into in->src; -1: the interface */
	uint64_t a, b, c;	/* the figures it quotes (see enum cg_diag_code) */
};

/* The overall answer, for scripts (JSON "status"). */
enum cg_diag_status {
	CG_DIAG_S_NO_DATA = 0,	/* "no_data": not enough checked to say */
	CG_DIAG_S_CLEAN,	/* "clean" */
	CG_DIAG_S_PROBLEM,	/* "problem": bad checksums now (or not known to have stopped) */
	CG_DIAG_S_STOPPED,	/* "stopped": bad earlier, none over the last interval */
};

struct cg_diag_result {
	enum cg_diag_status status;
	struct cg_finding f[CG_DIAG_FINDINGS_MAX];
	size_t n;
};

/* Runs every rule over in. */
void cg_diagnose(const struct cg_diag_input *in, struct cg_diag_result *out);

/* JSON and table spellings: "bad_source", ...; "which", ...; "problem", ... */
const char *cg_diag_code_name(enum cg_diag_code c);
enum cg_diag_section cg_diag_code_section(enum cg_diag_code c);
enum cg_diag_severity cg_diag_code_severity(enum cg_diag_code c);
const char *cg_diag_section_name(enum cg_diag_section s);
const char *cg_diag_severity_name(enum cg_diag_severity s);
const char *cg_diag_status_name(enum cg_diag_status s);

/*
 * The answer as text (one block per interface: a heading, then each
 * section's findings, each a sentence with its figures) and as JSON (one
 * document, one line; schema in loader/README.md). Pure: times come from in.
 */
void cg_diag_render_text(FILE *f, const struct cg_diag_input *in,
			 const struct cg_diag_result *r);
/* The JSON object of one interface, into an open writer's array. */
struct cg_json;
void cg_diag_render_json(struct cg_json *w, const struct cg_diag_input *in,
			 const struct cg_diag_result *r);
#define CG_DIAG_JSON_VERSION	1

/* The label of a source: its node name, else its first address (and how
 * many more: "10.0.3.17 (+1)"). */
void cg_diag_src_label(const struct cg_diag_src *s, char *buf, size_t len);
/* Its addresses, ", "-separated. */
void cg_diag_src_addrs(const struct cg_diag_src *s, char *buf, size_t len);

/* ------------------------------------- the adapter (diagnose_input.c) */

struct cg_iface_snap;
struct cg_block_row;
struct cg_nodes;

/* The UDP checksum errors the kernel of this network namespace counted
 * (/proc/net/snmp Udp InCsumErrors, /proc/net/snmp6 Udp6InCsumErrors). */
struct cg_snmp {
	uint64_t udp_in_csum_errors, udp6_in_csum_errors;
};
/* 0, or -errno. */
int cg_snmp_read(struct cg_snmp *k);

/* What the adapter takes beside the snapshot. */
struct cg_diag_env {
	int64_t now_unix;
	uint64_t now_ns;			/* CLOCK_BOOTTIME of the snapshot */
	int64_t since_unix;			/* when the counters started; 0: unknown */
	double interval_s;			/* since before; 0: no earlier sample */
	const struct cg_iface_snap *before;	/* the earlier sample, or NULL */
	int have_kernel;			/* k_now (and k_before) were read */
	struct cg_snmp k_now, k_before;
	const struct cg_block_row *blocked;	/* the blocklist */
	size_t nblocked;
	const struct cg_nodes *nodes;		/* known nodes (lib/nodes.h): the
						 * addresses of one node are one
						 * source; NULL: one per address */
};

/*
 * Fills in from one interface's snapshot (and the earlier sample): one
 * source per known node (all its addresses), else per address, worst first, every
 * counter by its names.c name (the classes, first_bad and bad_ip_header
 * when the datapath has them), times as Unix seconds; the kernel's counters
 * only when csumguard counts in this network namespace. 0 or -ENOMEM. Free
 * with cg_diag_input_free.
 */
int cg_diag_input_fill(struct cg_diag_input *in, const struct cg_iface_snap *s,
		       const struct cg_diag_env *env);
void cg_diag_input_free(struct cg_diag_input *in);

/* When the counters of ifname started: the time its totals were pinned (a
 * later attach continues them). Unix seconds, 0 if unknown. */
int64_t cg_diag_counters_since(const char *pin_dir, const char *ifname);

#endif /* CG_DIAGNOSE_H */
