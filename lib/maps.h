/* SPDX-License-Identifier: GPL-2.0 */
/*
 * maps.h - reading and writing the datapath's maps (layouts in csumguard.h).
 * The one place user space sums per-CPU values and fills the port table.
 */
#ifndef CG_MAPS_H
#define CG_MAPS_H

#include <stddef.h>
#include <stdint.h>
#include "csumguard.h"
#include "ports.h"

/* Number of possible CPUs (per-CPU map values have one slot each), or <0. */
int cg_ncpus(void);

/* One destination (TC egress) and its counters summed over CPUs. */
struct cg_dst_row {
	struct cg_addr addr;
	struct cg_dst_stats st;
};

/* Sums one per-CPU cg_dst_stats value array (last_bad_ns: the newest). */
void cg_dst_sum(const struct cg_dst_stats *percpu, int ncpus, struct cg_dst_stats *out);

/* Every destination in the per-destination map (cg_dst), as cg_src_read_all. */
int cg_dst_read_all(int dst_fd, struct cg_dst_row **rows, size_t *n);

/* Port table (array indexed by UDP port). Return 0 or -errno. */
int cg_ports_set(int ports_fd, uint16_t port, enum cg_encap encap);
int cg_ports_set_defaults(int ports_fd);	/* cg_default_ports (ports.h) */
int cg_ports_clear(int ports_fd);

/* Replaces the whole port table by ports[0..n). 0 or -errno. */
int cg_ports_write(int ports_fd, const struct cg_port_spec *ports, int n);

/* An interface's settings (port table, mode) as a reused pin held them
 * before an attach wrote its own: what a failed attach puts back. */
struct cg_settings {
	int have_config;
	struct cg_config config;
	uint32_t *ports;	/* [CG_PORT_TABLE_SIZE] or NULL: nothing to put back */
};
void cg_settings_save_config(int config_fd, struct cg_settings *s);
void cg_settings_save_ports(int ports_fd, struct cg_settings *s);
/* Puts back what was saved (an fd < 0 is skipped). */
void cg_settings_restore(int ports_fd, int config_fd, const struct cg_settings *s);
void cg_settings_free(struct cg_settings *s);
/* What an attach writes before its program runs: the port table, the mode,
 * and the blocklist count (the datapath's gate). 0, or -errno with err set. */
int cg_settings_write(int ports_fd, int config_fd, int block_fd, int count_fd,
		      const struct cg_port_spec *ports, int n, const struct cg_config *cfg,
		      char *err, size_t errlen);

int cg_config_write(int config_fd, const struct cg_config *cfg);
int cg_config_read(int config_fd, struct cg_config *cfg);

/* Egress per-interface totals summed over CPUs. 0 or -errno. */
int cg_egress_read(int egress_fd, struct cg_egress_stats *out);

/* Per-interface totals summed over CPUs. */
int cg_iface_read(int iface_fd, struct cg_iface_stats *out);

/* One source's counters: its per-CPU part in src_fd (struct cg_src_hot)
 * summed over CPUs, plus its shared part in rare_fd (struct cg_src_stats;
 * rare_fd < 0: none). -ENOENT if neither holds it. */
int cg_src_read(int src_fd, int rare_fd, const struct cg_addr *addr, struct cg_src_stats *out);

/* Sums one per-CPU cg_src_stats value array (ncpus slots) into out. */
void cg_src_sum(const struct cg_src_stats *percpu, int ncpus, struct cg_src_stats *out);

/* Adds row b's counters to row a's (times: the newer, the first). */
void cg_src_add(struct cg_src_stats *a, const struct cg_src_stats *b);

/* Adds one CPU's per-CPU part of a row to the whole row out. */
void cg_src_hot_add(struct cg_src_stats *out, const struct cg_src_hot *h);

/* A whole row: the shared part rare (NULL: none) plus every CPU's per-CPU
 * part (percpu[0..ncpus)). */
void cg_src_join(const struct cg_src_hot *percpu, int ncpus, const struct cg_src_stats *rare,
		 struct cg_src_stats *out);

/* The two tables of one kind of source row (bpf/maps.bpf.h): the per-CPU
 * parts (cg_src, cg_src_kept, cg_src_nodes) and their shared parts
 * (..._rare; -1: none). */
struct cg_src_fds {
	int hot;
	int rare;
};

/* One source and its counters summed over CPUs. */
struct cg_src_row {
	struct cg_addr addr;
	struct cg_src_stats st;
};

/*
 * Every source in the per-source map: its per-CPU parts in src_fd summed
 * over CPUs, plus the shared parts in rare_fd (< 0: none) by address; a
 * source with a shared part alone is a row too. *rows is malloc'ed (free
 * it; NULL when *n is 0); nparts (may be NULL): [0] the per-CPU parts
 * read (the sources present), [1] the shared parts.
 * Batch lookups (kernel 5.6+). Returns 0 or -errno.
 */
int cg_src_read_all(int src_fd, int rare_fd, struct cg_src_row **rows, size_t *n,
		    size_t nparts[2]);

/* The counts waiting in the hot-source cache (cg_src_cache: include/
 * csumguard.h struct cg_src_slot) of table (CG_SLOT_LRU, CG_SLOT_NODES; 0:
 * both), one row per source, summed over CPUs, to add to the sources' rows
 * (cg_src_merge). *rows malloc'ed as cg_src_read_all's. 0 or -errno. */
int cg_src_cache_read(int cache_fd, int table, struct cg_src_row **rows, size_t *n);

/*
 * Adds rows add[0..nadd) into *rows (n entries; reordered by address):
 * counters of one address are summed, new addresses appended. For stats,
 * which shows cg_src and cg_src_kept as one table. 0 or -ENOMEM.
 */
int cg_src_merge(struct cg_src_row **rows, size_t *n, const struct cg_src_row *add,
		 size_t nadd);

/*
 * A source's row between the LRU tables (cg_src, cg_src_rare) and a kept
 * pair (cg_src_kept or cg_src_nodes and their _rare), each part's counters
 * added to the destination's. keep: when the source is blocked or known
 * (its LRU parts are zeroed, not deleted). unkeep: back, each part only if
 * its LRU row still exists (-ENOENT otherwise: the kept part stays, and
 * stats still adds it in). User space never inserts into or deletes from
 * an LRU table: evicted = inserted - present stays exact. Packets counted
 * between the read and the write (microseconds) are lost.
 */
int cg_src_keep(const struct cg_src_fds *lru, const struct cg_src_fds *kept,
		const struct cg_addr *a);
int cg_src_unkeep(const struct cg_src_fds *kept, const struct cg_src_fds *lru,
		  const struct cg_addr *a);

/* On every interface with pinned ingress state under pin_dir: moves a's row
 * from the LRU table into the non-evictable table pinned as table_pin
 * (CG_PIN_SRC_KEPT for blocked sources, CG_PIN_SRC_NODES for known nodes)
 * when keep, back when not. Best effort: a table or row that is not there
 * stays as it is (stats adds the tables up either way). */
void cg_src_move_rows(const char *pin_dir, const char *table_pin, const struct cg_addr *a,
		      int keep);

/* The whole port table: encap[port] for every port (65536 entries). */
int cg_ports_read(int ports_fd, uint32_t *encap /* [CG_PORT_TABLE_SIZE] */);

/* One blocklist entry. */
struct cg_block_row {
	struct cg_addr addr;
	struct cg_block b;
};

/* Every blocklist entry; *rows malloc'ed as above. Returns 0 or -errno. */
int cg_blocklist_read_all(int block_fd, struct cg_block_row **rows, size_t *n);

/* Counts the blocklist's entries and stores the number in the count map the
 * datapath reads to skip the lookup while the list is empty. Call after
 * every change to the blocklist and when binding a program to it. Returns
 * the number of entries, or -errno. */
int cg_block_count_sync(int block_fd, int count_fd);

#endif /* CG_MAPS_H */
