/* SPDX-License-Identifier: GPL-2.0 */
/*
 * format.h - everything csumguard prints: addresses, ages, ratios, the stats
 * and blocklist tables and their JSON documents (schema in loader/README.md).
 * Pure functions of their inputs (time is passed in), no BPF, so
 * tests/test_cli.c checks the exact text.
 */
#ifndef CG_FORMAT_H
#define CG_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "csumguard.h"
#include "maps.h"
#include "names.h"
#include "addr.h"
#include "ports.h"
#include "utf8.h"	/* cg_utf8_len, for the front ends that include only this */

#define CG_JSON_VERSION	2	/* loader/README.md; 1 had no directions */
enum cg_sort {
	CG_SORT_BAD = 0,	/* most bad first (default) */
	CG_SORT_PACKETS,	/* most packets first */
};

/* 42 -> "42s", 125 -> "2m05s", 7500 -> "2h05m", 93600 -> "1d02h". */
void cg_fmt_age(uint64_t seconds, char *buf, size_t len);

/* Seconds from a CLOCK_BOOTTIME stamp to now (0 if the stamp is later). */
uint64_t cg_age_seconds(uint64_t stamp_ns, uint64_t now_ns);

/* Seconds from a Unix time to now (0 if it is later, or now is unknown). */
uint64_t cg_unix_age(uint64_t added_unix, int64_t now_unix);

/* Checksums actually checked: ok + bad + unfinished (the BAD% denominator). */
uint64_t cg_src_checked(const struct cg_src_stats *st);

/* 100*num/den as "3.00%"; "<0.01%" for a tiny non-zero share; "-" if den is 0. */
void cg_fmt_pct(uint64_t num, uint64_t den, char *buf, size_t len);

/* Ports grouped by kind: "vxlan:4789,8472 geneve:6081". */
void cg_fmt_ports(const struct cg_port_spec *ports, int n, char *buf, size_t len);

/*
 * Sorts sources worst first: CG_SORT_BAD by bad, then bad share, then
 * packets; CG_SORT_PACKETS by packets, then bad. Ties by address.
 */
void cg_sort_sources(struct cg_src_row *rows, size_t n, enum cg_sort sort);

/*
 * What `stats` knows about one direction of one interface with pinned
 * state. name, ifindex and ifname_now are the interface's; the rest is the
 * direction's (ingress: the XDP program and its per-source table).
 */
struct cg_nodes;

struct cg_iface_view {
	const char *name;
	int ifindex;			/* 0: no such interface now */
	enum cg_dir dir;		/* which direction; 0 (zeroed view): ingress */
	int attached;			/* 1 our program is on it, 0 not, -1 cannot tell */
	const char *xdp_mode;		/* "native", "skb", "hw"; NULL if not attached
					 * or attached out of sight (attached_note) */
	int dispatcher;			/* attached in a libxdp dispatcher (else alone) */
	const char *xdp_variant;	/* "multi-buffer" / "single-buffer" program
					 * (lib/probe.h); NULL: not known */
	const char *attached_note;	/* attached -1: why it cannot tell; attached 1
					 * without xdp_mode: where (not here); or NULL */
	const char *ifname_now;		/* the interface's name now, if renamed; or NULL */
	int have_config;
	struct cg_config config;
	const struct cg_port_spec *ports;
	int nports;
	uint32_t sources_max;		/* size of the LRU table (cg_src) */
	size_t sources_present;		/* rows in it now */
	size_t sources_kept;		/* rows in cg_src_kept (blocked sources) */
	size_t sources_nodes;		/* rows in cg_src_nodes (known nodes) */
	uint64_t sources_evicted;	/* since attach: inserted - present */
	uint64_t sources_bytes;		/* the tables' kernel memory (memlock of cg_src
					 * and cg_src_rare), 0: unknown */
	size_t sources_rare;		/* shared parts of rows in cg_src_rare now */
	uint64_t sources_rare_evicted;	/* since attach: rare inserted - present (with
					 * their source when it was evicted, or alone) */
	int ncpus;			/* possible CPUs: each source has a value per CPU */
	struct cg_iface_stats tot;
	const struct cg_src_row *rows;	/* both tables, merged by address; sorted */
	size_t nrows;
	/* The interface's IP addresses now (no IPv6 link-local): the underlay
	 * addresses of its tunnel traffic, which `csumguard ledger` matches
	 * across nodes. Interface-wide: taken from the first view. */
	const struct cg_addr *addrs;
	size_t naddrs;
	/* dir CG_DIR_EGRESS: the TC program and its per-destination table.
	 * attached, attached_note, ifname_now, config and ports as above
	 * (xdp_mode NULL). */
	__u32 tc_handle, tc_priority;	/* the filter (attached) */
	int tc_qdisc_created;		/* csumguard added the clsact qdisc */
	uint32_t dests_max;		/* size of the LRU table (cg_dst) */
	uint64_t dests_bytes;		/* its kernel memory (memlock), 0: unknown */
	size_t dests_present;		/* rows in it now */
	uint64_t dests_evicted;		/* inserted - present */
	struct cg_egress_stats etot;
	struct cg_gso_meta_event gso_meta_first;	/* when_ns 0: none */
	const struct cg_dst_row *drows;	/* sorted (cg_sort_dests) */
	size_t ndrows;
	/* The known nodes (lib/nodes.h): the "node" of each row; NULL: none. */
	const struct cg_nodes *nodes;
	/* stats --since: the counters are counts since the baseline taken
	 * then (Unix seconds); 0: since the start. */
	int64_t since_unix;
};

/* Sorts destinations: CG_SORT_BAD by final_bad, then packets;
 * CG_SORT_PACKETS by packets, then final_bad. Ties by address. */
void cg_sort_dests(struct cg_dst_row *rows, size_t n, enum cg_sort sort);

/* final_ok + final_bad: the egress checksums actually verified. */
uint64_t cg_dst_checked(const struct cg_dst_stats *st);

/* The human table of one direction of an interface: header lines, then the
 * source table (ingress) or the destination table (egress). */
void cg_render_stats_table(FILE *f, const struct cg_iface_view *v, uint64_t now_boot_ns);

/*
 * One JSON document, one line (format_json.c). Adjacent views with the same
 * name and different directions are one interface (its name, ifindex and
 * ifname_now from the first of them), each direction's object in its place,
 * null where no view gives it; a direction seen twice starts a new interface.
 * 0, or -1 if it could not be written (cg_json_finish) or a view has no
 * known direction (it is left out).
 */
int cg_render_stats_json(FILE *f, const struct cg_iface_view *v, size_t n,
			 uint64_t now_boot_ns, int64_t now_unix);

/* Blocklist, sorted by address. Table and JSON (one line). */
void cg_sort_blocklist(struct cg_block_row *rows, size_t n);
void cg_render_blocklist_table(FILE *f, const struct cg_block_row *rows, size_t n,
			       int64_t now_unix);
int cg_render_blocklist_json(FILE *f, const struct cg_block_row *rows, size_t n,
			     int64_t now_unix);

/* An error as a JSON document for --json callers, as bpftool -j does:
 * {"error":"MSG"} and a newline. 0, or -1 if it could not be written. */
int cg_render_error_json(FILE *f, const char *msg);

/* text word-wrapped to width columns: the first line after label (padded
 * to indent), the others indented as far; a word longer than a line is
 * kept whole. Ends with a newline. */
void cg_fmt_para(FILE *f, int width, int indent, const char *label, const char *text);

/* s for a terminal: valid UTF-8 text kept; each control character (C0,
 * DEL, C1) and invalid byte becomes '?'. Truncated to fit len. */
void cg_fmt_text(const char *s, char *buf, size_t len);

#endif /* CG_FORMAT_H */
