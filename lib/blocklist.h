/* SPDX-License-Identifier: GPL-2.0 */
/*
 * blocklist.h - blocking and unblocking a source, and reading the list.
 *
 * The blocklist is pinned at PIN_DIR/blocklist and shared by every
 * attachment; PIN_DIR/blocklist_count is its number of entries, the gate
 * the datapath reads to skip the lookup while the list is empty. Both are
 * written only by cg_block_add and cg_block_remove, under the pin lock (a
 * reader that wrote the gate could close it over a fresh entry: issue 6).
 * Blocking works before any attach: the maps are created exactly as the BPF
 * object defines them, and a later attach binds the program to them.
 *
 * A blocked source's per-source row moves from the LRU table to the kept
 * one on every interface with state (a spoofed-source flood cannot evict
 * it, SPEC 2.9), and back when it is unblocked.
 */
#ifndef CG_BLOCKLIST_H
#define CG_BLOCKLIST_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include "csumguard.h"
#include "maps.h"

struct cg_block_result {
	int existed;		/* it was blocked already: the entry was replaced */
	int mounted;		/* this call mounted bpffs on /sys/fs/bpf */
	int no_ifaces;		/* no interface has state yet: applies from the next attach */
};

/*
 * Blocks a: its tunnel traffic is dropped on every attached interface (all
 * its traffic with flags CG_BLOCK_ALL_TRAFFIC). reason may be NULL or "".
 * 0 with r filled, or -errno with err set (nothing this call made is left).
 * Never expires (cg_block_put gives an expiry).
 */
int cg_block_add(const char *pin_dir, const struct cg_addr *a, __u32 flags,
		 const char *reason, struct cg_block_result *r, char *err, size_t errlen);

/*
 * The same with the whole entry given: flags, reason, and (issue 10) the
 * expiry and an auto-block's figures. added_unix is set here; with
 * ttl_s > 0 so are expires_unix and expires_ns (ttl_s from now), else
 * they are 0: never. Expired entries are purged first (as by
 * cg_blocklist_purge_expired).
 */
int cg_block_put(const char *pin_dir, const struct cg_addr *a, const struct cg_block *b,
		 uint64_t ttl_s, struct cg_block_result *r, char *err, size_t errlen);

/*
 * Removes every entry whose expiry has passed (now: time(NULL)), under the
 * pin lock, moving its rows back as cg_block_remove does, and resyncs the
 * gate. Whoever runs does it: the agent each tick, block, unblock and
 * blocklist (the datapath already ignores an expired entry). The removed
 * entries go to *gone (malloc'ed; may be NULL: not wanted). No blocklist:
 * nothing to do. 0, or -errno with err set.
 */
int cg_blocklist_purge_expired(const char *pin_dir, struct cg_block_row **gone, size_t *ngone,
			       char *err, size_t errlen);

/* CLOCK_BOOTTIME now, in ns (the datapath's clock, bpf_ktime_get_boot_ns). */
uint64_t cg_boot_ns(void);

/* Unblocks a. 0, or -errno with err set (-ENOENT: a is not blocked). */
int cg_block_remove(const char *pin_dir, const struct cg_addr *a, char *err, size_t errlen);

/* The blocklist as read, and its gate as the datapath sees it. */
struct cg_blocklist {
	struct cg_block_row *rows;	/* malloc'ed, map order; NULL when n is 0 */
	size_t n;
	int have_gate;			/* the count map was readable */
	__u32 gate;			/* entries it says (!= n: out of sync) */
	char gate_path[PATH_MAX];	/* PIN_DIR/blocklist_count */
};

/* Reads the list (empty when nothing was ever blocked). Never writes the
 * gate. 0, or -errno with err set. Free with cg_blocklist_free. */
int cg_blocklist_get(const char *pin_dir, struct cg_blocklist *bl, char *err, size_t errlen);
void cg_blocklist_free(struct cg_blocklist *bl);

#endif /* CG_BLOCKLIST_H */
