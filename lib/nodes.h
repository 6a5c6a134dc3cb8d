/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nodes.h - known nodes: the cluster's tunnel endpoints by name (issue 10).
 *
 * The set is pinned per pin dir at PIN_DIR/nodes (struct cg_node by struct
 * cg_addr, include/csumguard.h) with its entry count at PIN_DIR/nodes_count,
 * global to every interface. One node may have several addresses (IPv4 and
 * IPv6): each address is an entry carrying the node's name and id. Both maps
 * are created on demand, exactly as the BPF object defines them, by the
 * first writer (nodes add/load, attach); writers hold the pin lock.
 *
 * Three parts:
 *  - the nodes file (cg_nodes_parse*): "ADDR NAME [ttl=N]" a line;
 *  - the pinned set (cg_nodes_add, _del, _load, _read, _set_ttl);
 *  - lookups for everything that prints a source or destination
 *    (cg_nodes_open / cg_nodes_name / cg_nodes_close): a snapshot of the set
 *    in memory, read once, looked up many times, never failing a caller that
 *    has no set (an empty set: every name NULL).
 *
 * A typical reader:
 *
 *	struct cg_nodes *nodes;
 *	if (cg_nodes_open(pin_dir, &nodes, err, sizeof(err)))
 *		... print err, or go on without names (nodes is NULL: lookups
 *		    on NULL return NULL) ...
 *	name = cg_nodes_name(nodes, &row->addr);	// NULL: not a known node
 *	cg_nodes_close(nodes);
 */
#ifndef CG_NODES_H
#define CG_NODES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "csumguard.h"

/* One address of a node: one entry of the nodes map. */
struct cg_node_entry {
	struct cg_addr addr;
	struct cg_node node;
};

/* ------------------------------------------------------------ the file */

/*
 * A nodes file: one "ADDR NAME" a line, optionally "ADDR NAME ttl=N" (the
 * IP TTL / hop limit that node's tunnel packets arrive with, 1..255: then it
 * is never learned, see README "Threat model"); '#' starts a comment; blank
 * lines are skipped. ADDR is one IPv4 or IPv6 address (cg_parse_addr) that
 * can be a packet's source. A node with several addresses has several
 * lines with the same NAME. An address listed twice must say the same
 * thing both times.
 *
 * Fills *out (malloc'ed, file order, id 0: ids are given when loaded) and
 * *n. 0, or -EINVAL with err "FILE:LINE: cause; fix" (fname names the
 * file in messages), -ENOMEM, or -errno of the read.
 */
int cg_nodes_parse(FILE *f, const char *fname, struct cg_node_entry **out, size_t *n,
		   char *err, size_t errlen);
/* The same for the file at path ("-": standard input). */
int cg_nodes_parse_file(const char *path, struct cg_node_entry **out, size_t *n,
			char *err, size_t errlen);

/* Why name cannot be a node's name, or NULL when it can: 1..63 bytes of
 * letters, digits, '.', '-', '_', starting with a letter or digit, and not
 * an address (nodes del takes either). */
const char *cg_node_name_invalid(const char *name);

/* ------------------------------------------------------ the pinned set */

/* What a change did. */
struct cg_nodes_result {
	int mounted;		/* this call mounted bpffs on /sys/fs/bpf */
	int existed;		/* add: the address was known already (same name) */
	size_t added;		/* addresses new to the set */
	size_t changed;		/* addresses kept, their entry changed (ttl) */
	size_t removed;		/* addresses taken out */
	size_t total;		/* addresses in the set afterwards */
	size_t nodes;		/* distinct names in the set afterwards */
};

/*
 * Adds address a as node name (its other addresses keep theirs; the id is
 * the name's, or a new one). ttl 1..255: the expected TTL, configured
 * (CG_NODE_TTL_SET); 0: learned (an entry that exists keeps what it had);
 * -1: ttl 0 and learned afresh. An address that belongs to another node is
 * refused (-EEXIST): one address, one node. 0, or -errno with err set.
 */
int cg_nodes_add(const char *pin_dir, const struct cg_addr *a, const char *name, int ttl,
		 struct cg_nodes_result *r, char *err, size_t errlen);

/*
 * Removes what (an address, or a node's name: all its addresses). 0 with
 * r->removed set, -ENOENT when nothing matched, or -errno; err set.
 */
int cg_nodes_del(const char *pin_dir, const char *what, struct cg_nodes_result *r,
		 char *err, size_t errlen);

/*
 * Replaces the whole set by e[0..n) (a parsed file). Checked first (the
 * same rules as the file; at most CG_NODES_MAX); then every new or changed
 * entry is written before any stale one is deleted, so an address in both
 * sets is never missing from the map, not even for a moment; if a write
 * fails the old set is put back. A node keeps its id, and an address that
 * keeps its name and has no ttl= keeps its learned TTL. n 0 empties it.
 * 0, or -errno with err set.
 */
int cg_nodes_load(const char *pin_dir, const struct cg_node_entry *e, size_t n,
		  struct cg_nodes_result *r, char *err, size_t errlen);

/*
 * Every entry, sorted by name, then family (IPv4 first), then address
 * (*rows malloc'ed, NULL when *n is 0). No set yet: 0 entries. 0, or -errno
 * with err set.
 */
int cg_nodes_read(const char *pin_dir, struct cg_node_entry **rows, size_t *n,
		  char *err, size_t errlen);

/*
 * Writes a learned TTL for address a (lib/policy.c's learning). Refused for
 * a configured one (CG_NODE_TTL_SET: -EPERM) and an unknown address
 * (-ENOENT). 0, or -errno with err set.
 */
int cg_nodes_set_ttl(const char *pin_dir, const struct cg_addr *a, __u8 ttl,
		     char *err, size_t errlen);

/* Writes the number of entries of the nodes map fd into its count map cfd
 * (the datapath's gate); attach calls it when it binds a program to them.
 * Returns the number, or -errno. */
int cg_nodes_count_sync(int fd, int cfd);

/* ------------------------------------------------------------ lookups */

/* A snapshot of the set, for lookups (opaque). */
struct cg_nodes;

/*
 * Reads the set under pin_dir into *out (an empty set when there is none
 * yet). 0, or -errno with err set (then *out is NULL, and every lookup on
 * NULL answers NULL/0: a caller may go on without names). Needs CAP_BPF.
 */
int cg_nodes_open(const char *pin_dir, struct cg_nodes **out, char *err, size_t errlen);

/* The same from entries in memory (a parsed file, tests). 0 or -ENOMEM. */
int cg_nodes_from(const struct cg_node_entry *e, size_t n, struct cg_nodes **out);

/* The name of the node that has address a, or NULL (unknown, or nodes NULL).
 * Valid until cg_nodes_close. */
const char *cg_nodes_name(const struct cg_nodes *nodes, const struct cg_addr *a);

/* Its whole entry, or NULL. */
const struct cg_node *cg_nodes_find(const struct cg_nodes *nodes, const struct cg_addr *a);

/* Addresses in the set, and distinct nodes (names). 0 for NULL. */
size_t cg_nodes_count(const struct cg_nodes *nodes);
size_t cg_nodes_nodes(const struct cg_nodes *nodes);

/* The entries, sorted as cg_nodes_read sorts them. */
const struct cg_node_entry *cg_nodes_entries(const struct cg_nodes *nodes, size_t *n);

void cg_nodes_close(struct cg_nodes *nodes);

/* Sorts entries as cg_nodes_read does (by name, family, address). */
void cg_nodes_sort(struct cg_node_entry *e, size_t n);

/* ---------------------------------------------------------- rendering */

/* Where an address's expected TTL comes from: "set" (configured), "learned",
 * or NULL (not known yet). */
const char *cg_node_ttl_source(const struct cg_node *node);

/*
 * `nodes list` (format_nodes.c), rows sorted (cg_nodes_sort): the table
 * (NODE  ID  ADDRESS  TTL, a node's addresses on lines of their own) and
 * the JSON document, one line:
 * {"version":2,"time_unix":T,"nodes":[{"name":"node-1","id":1,"addrs":
 *  [{"addr":"10.99.0.1","ttl":64,"ttl_source":"set"}]}]}
 * ("ttl" and "ttl_source" null while not known). JSON: 0, or -1 if it could
 * not be written.
 */
void cg_render_nodes_table(FILE *f, const struct cg_node_entry *rows, size_t n);
int cg_render_nodes_json(FILE *f, const struct cg_node_entry *rows, size_t n, int64_t now_unix);

#endif /* CG_NODES_H */
