/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pins.h - csumguard's pinned state in bpffs (SPEC 3):
 *
 *   PIN_DIR/blocklist                 shared by every attachment
 *   PIN_DIR/blocklist_count           its number of entries (datapath gate)
 *   PIN_DIR/ifaces/IFNAME/ports       port -> encap
 *   PIN_DIR/ifaces/IFNAME/config      mode
 *   PIN_DIR/ifaces/IFNAME/src         per-source counters (LRU)
 *   PIN_DIR/ifaces/IFNAME/src_kept    per-source counters of blocked sources
 *   PIN_DIR/ifaces/IFNAME/iface       per-interface totals
 *
 * plus privileges, the bpffs mount, an undo log so a failing command leaves
 * nothing it created behind, and a lock serialising changes.
 */
#ifndef CG_PINS_H
#define CG_PINS_H

#include <limits.h>
#include <stddef.h>
#include <bpf/libbpf.h>

#define CG_PIN_BLOCKLIST	"blocklist"
#define CG_PIN_BLOCK_COUNT	"blocklist_count"
#define CG_PIN_IFACES		"ifaces"
#define CG_PIN_PORTS		"ports"
#define CG_PIN_CONFIG		"config"
#define CG_PIN_SRC		"src"
#define CG_PIN_SRC_KEPT		"src_kept"
#define CG_PIN_IFACE		"iface"

/* What a failing command must remove: files and dirs it created. */
#define CG_UNDO_MAX 16
struct cg_undo {
	char path[CG_UNDO_MAX][PATH_MAX];
	int is_dir[CG_UNDO_MAX];
	int n;
};

/* Adds a created path. */
void cg_undo_add(struct cg_undo *u, const char *path, int is_dir);
/* Removes every recorded path, newest first, and empties the log. */
void cg_undo_run(struct cg_undo *u);

/*
 * Privileges. need: CG_NEED_BPF for map access, CG_NEED_ATTACH for loading
 * and attaching XDP (CAP_BPF, CAP_NET_ADMIN, CAP_PERFMON; CAP_SYS_ADMIN
 * covers BPF and PERFMON). Returns 0, or -1 with "<cause>; <fix>" in err.
 */
#define CG_NEED_BPF	1
#define CG_NEED_ATTACH	2
int cg_check_privileges(int need, const char *cmd, char *err, size_t errlen);

/*
 * Makes sure pin_dir is on a bpffs and exists. When nothing is mounted on
 * /sys/fs/bpf and pin_dir is under it, mounts bpffs there (if create) and
 * sets *mounted. With create=0 (readers) a missing pin_dir is not an error:
 * returns 1. Returns 0 when pin_dir exists, -1 with err set on failure.
 * Directories it creates go in undo (may be NULL).
 */
int cg_pin_dir_ready(const char *pin_dir, int create, int *mounted, struct cg_undo *undo,
		     char *err, size_t errlen);

/* mkdir that records in undo what it made; EEXIST is fine. 0 or -errno. */
int cg_mkdir(const char *path, struct cg_undo *undo);

/* Exclusive lock on pin_dir for the life of the process. fd or -errno. */
int cg_pin_lock(const char *pin_dir);

/* PIN_DIR/ifaces/IFNAME[/FILE] (file may be NULL). */
void cg_iface_path(char *buf, size_t len, const char *pin_dir, const char *ifname,
		   const char *file);

/*
 * The pinned map at path if it exists and matches def (type, key and value
 * size, max_entries, flags); otherwise creates one exactly as def (with its
 * BTF when the kernel takes it), pins it and records it in undo. Returns an
 * fd, -ESTALE with err saying what differs, or -errno with err set.
 * obj_btf: the BPF object's BTF (bpf_object__btf), or NULL.
 */
struct btf;
int cg_map_open_or_create(const struct bpf_map *def, const struct btf *obj_btf,
			  const char *path, struct cg_undo *undo, char *err, size_t errlen);

/* Opens a pinned map read/write. fd or -errno. */
int cg_map_open(const char *path);

/* Removes PIN_DIR/ifaces/IFNAME and its pins. 0, or -errno. */
int cg_iface_purge(const char *pin_dir, const char *ifname);

/*
 * After the last interface is purged: removes an empty blocklist pin and
 * the empty directories, so a full purge leaves nothing behind.
 */
void cg_pin_dir_tidy(const char *pin_dir);

/* Names of the interfaces with pinned state, sorted. *names malloc'ed. */
int cg_list_ifaces(const char *pin_dir, char (**names)[16], size_t *n);

/* Does path exist? */
int cg_exists(const char *path);

#endif /* CG_PINS_H */
