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
#include "addr.h"
#include "ports.h"

#define CG_JSON_VERSION	1
enum cg_sort {
	CG_SORT_BAD = 0,	/* most bad first (default) */
	CG_SORT_PACKETS,	/* most packets first */
};

/* 42 -> "42s", 125 -> "2m05s", 7500 -> "2h05m", 93600 -> "1d02h". */
void cg_fmt_age(uint64_t seconds, char *buf, size_t len);

/* Seconds from a CLOCK_BOOTTIME stamp to now (0 if the stamp is later). */
uint64_t cg_age_seconds(uint64_t stamp_ns, uint64_t now_ns);

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

/* What `stats` knows about one interface with pinned state. */
struct cg_iface_view {
	const char *name;
	int ifindex;			/* 0: no such interface now */
	int attached;			/* 1 our program is on it, 0 not, -1 cannot tell */
	const char *xdp_mode;		/* "native", "skb", "hw"; NULL if not attached
					 * or attached out of sight (attached_note) */
	int dispatcher;			/* attached in a libxdp dispatcher (else alone) */
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
	uint64_t sources_evicted;	/* since attach: inserted - present */
	struct cg_iface_stats tot;
	const struct cg_src_row *rows;	/* both tables, merged by address; sorted */
	size_t nrows;
};

/* The human table of one interface (header lines, then the source table). */
void cg_render_stats_table(FILE *f, const struct cg_iface_view *v, uint64_t now_boot_ns);

/* One JSON document, one line, for n interfaces. */
void cg_render_stats_json(FILE *f, const struct cg_iface_view *v, size_t n,
			  uint64_t now_boot_ns, int64_t now_unix);

/* Blocklist, sorted by address. Table and JSON (one line). */
void cg_sort_blocklist(struct cg_block_row *rows, size_t n);
void cg_render_blocklist_table(FILE *f, const struct cg_block_row *rows, size_t n,
			       int64_t now_unix);
void cg_render_blocklist_json(FILE *f, const struct cg_block_row *rows, size_t n,
			      int64_t now_unix);

/* {"error":"msg"} on one line: an error under --json (bpftool's convention). */
void cg_render_error_json(FILE *f, const char *msg);

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0 when the
 * bytes there are not one (overlong, surrogate, beyond U+10FFFF, cut). */
size_t cg_utf8_len(const unsigned char *s, size_t n);

/* s for a terminal: valid UTF-8 text kept; each control character (C0,
 * DEL, C1) and invalid byte becomes '?'. Truncated to fit len. */
void cg_fmt_text(const char *s, char *buf, size_t len);

/* A JSON string literal of s (at most maxlen bytes), escaped; invalid
 * UTF-8 becomes U+FFFD. */
void cg_json_str(FILE *f, const char *s, size_t maxlen);

#endif /* CG_FORMAT_H */
