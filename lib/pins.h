/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pins.h - csumguard's pinned state in bpffs (SPEC 3):
 *
 * Pin layout 2 (a direction per hook):
 *
 *   PIN_DIR/blocklist                         shared by every attachment, both hooks
 *   PIN_DIR/blocklist_count                   its number of entries (datapath gate)
 *   PIN_DIR/nodes                             known nodes (lib/nodes.h), shared likewise
 *   PIN_DIR/nodes_count                       their number of entries (datapath gate)
 *   PIN_DIR/nodes_ttl                         TTL learning: ok frames by (address, TTL)
 *   PIN_DIR/ifaces/IFNAME/ports               port -> encap  } one interface's,
 *   PIN_DIR/ifaces/IFNAME/config              mode           } both directions
 *   PIN_DIR/ifaces/IFNAME/ingress/src         per-source counters (LRU)
 *   PIN_DIR/ifaces/IFNAME/ingress/src_kept    per-source counters of blocked sources
 *   PIN_DIR/ifaces/IFNAME/ingress/src_nodes   per-source counters of known nodes
 *   PIN_DIR/ifaces/IFNAME/ingress/iface       per-interface totals
 *   PIN_DIR/ifaces/IFNAME/ingress/attachment  where it is attached (struct cg_attachment)
 *   PIN_DIR/ifaces/IFNAME/egress/dst          per-destination counters (LRU), TC egress
 *   PIN_DIR/ifaces/IFNAME/egress/egress       per-interface totals of TC egress
 *   PIN_DIR/ifaces/IFNAME/egress/attachment   where it is attached (struct cg_attachment)
 *   PIN_DIR/ifaces/IFNAME/egress/tc_filter    which tc filter is csumguard's
 *                                             (struct cg_tc_record)
 *
 * Layout 1 (before issue 7) had the ingress files directly in ifaces/IFNAME;
 * attach and detach adopt it (the files move, a program keeps its maps: it
 * holds them by fd), readers refuse it with the fix.
 *
 * plus privileges, the bpffs mount, an undo log so a failing command leaves
 * nothing it created behind, and a lock serialising changes.
 */
#ifndef CG_PINS_H
#define CG_PINS_H

#include <limits.h>
#include <stddef.h>
#include <bpf/libbpf.h>

/* The programs' names as the kernel reports them: CG_PROG_NAME or
 * CG_PROG_NAME_SB (XDP, multi- or single-buffer),
 * CG_TC_PROG and CG_TC_PROG_FACTS (TC), all in csumguard.h. */
#include "csumguard.h"
#include "names.h"	/* enum cg_dir: a direction's directory is its name */

#define CG_PIN_BLOCKLIST	"blocklist"
#define CG_PIN_BLOCK_COUNT	"blocklist_count"
#define CG_PIN_IFACES		"ifaces"
#define CG_PIN_PORTS		"ports"
#define CG_PIN_CONFIG		"config"
#define CG_PIN_SRC		"src"
#define CG_PIN_SRC_KEPT		"src_kept"
#define CG_PIN_IFACE		"iface"
#define CG_PIN_ATTACHMENT	"attachment"
#define CG_PIN_DST		"dst"
#define CG_PIN_EGRESS		"egress"
#define CG_PIN_GSO_META	"gso_meta_first"	/* egress/: the first gso_meta_bad skb */
#define CG_PIN_TC_FILTER	"tc_filter"
#define CG_PIN_NODES		"nodes"		/* known nodes (lib/nodes.h) */
#define CG_PIN_NODE_COUNT	"nodes_count"	/* their number (datapath gate) */
#define CG_PIN_TRACE		"trace"		/* ingress/: the trace ring buffer */
#define CG_PIN_TTL_SEEN		"nodes_ttl"	/* TTL learning (struct cg_ttl_key) */
#define CG_PIN_SRC_NODES	"src_nodes"	/* ingress/: known nodes' rows */
/* ingress/: the shared parts of the rows of src, src_kept and src_nodes
 * (struct cg_src_stats; bpf/maps.bpf.h): each table's pin and this. */
#define CG_PIN_RARE_SUFFIX	"_rare"
#define CG_PIN_SRC_RARE		CG_PIN_SRC CG_PIN_RARE_SUFFIX
#define CG_PIN_SRC_KEPT_RARE	CG_PIN_SRC_KEPT CG_PIN_RARE_SUFFIX
#define CG_PIN_SRC_NODES_RARE	CG_PIN_SRC_NODES CG_PIN_RARE_SUFFIX
#define CG_PIN_SRC_CACHE	"src_cache"	/* ingress/: the hot-source cache */
#define CG_PIN_MOVE_LOG		"move_journal"	/* a row move under way (lib/movelog.h) */

/*
 * What a failing command must undo, newest first: files and directories it
 * created, a bpffs it mounted. Unbounded: an entry is reserved before the
 * thing is created, so nothing is ever made that the log could not record.
 * Empty-initialise it ({}); cg_undo_run also frees it (set n = 0 first to
 * keep everything).
 */
enum cg_undo_kind { CG_UNDO_FILE, CG_UNDO_DIR, CG_UNDO_MOUNT };
struct cg_undo_entry {
	char path[PATH_MAX];
	enum cg_undo_kind kind;
};
struct cg_undo {
	struct cg_undo_entry *e;
	int n, cap;
};

/* Room for one more entry: 0, or -ENOMEM (then create nothing). */
int cg_undo_reserve(struct cg_undo *u);
/* Records a created path or mount; call cg_undo_reserve before creating it. */
void cg_undo_add(struct cg_undo *u, const char *path, enum cg_undo_kind kind);
/* Undoes every recorded entry, newest first, and frees the log. */
void cg_undo_run(struct cg_undo *u);

/*
 * Privileges. need: CG_NEED_BPF for map access (CAP_BPF), CG_NEED_ATTACH for
 * attach and detach: CAP_NET_ADMIN and CAP_SYS_ADMIN, because libxdp (and
 * csumguard's checks) find the programs on an interface by their id
 * (BPF_PROG_GET_FD_BY_ID) and list loaded programs (BPF_PROG_GET_NEXT_ID),
 * which the kernel allows only with CAP_SYS_ADMIN; it covers CAP_BPF and
 * CAP_PERFMON (the dispatcher's freplace programs). Returns 0, or -EPERM with
 * "<cause>; <fix>" in err.
 */
#define CG_NEED_BPF	1
#define CG_NEED_ATTACH	2
int cg_check_privileges(int need, const char *cmd, char *err, size_t errlen);

/* Does this process have CAP_SYS_ADMIN (effective)? -1 if it cannot tell. */
int cg_have_sys_admin(void);

/*
 * The --pin-dir as the kernel will see it: absolute, symlinks and ".." in
 * its existing part resolved (realpath), the part still to be created
 * appended as given ("." or ".." there is refused). 0, or -errno with err set.
 */
int cg_pin_dir_canon(const char *pin_dir, char *out, size_t len, char *err, size_t errlen);

/*
 * Makes sure pin_dir (canonical: cg_pin_dir_canon) is on a bpffs and
 * exists. Only when nothing is mounted on /sys/fs/bpf and pin_dir is under
 * it, mounts bpffs there (if create), records the mount in undo and sets
 * *mounted. With create=0 (readers) a missing pin_dir is not an error:
 * returns 1. Returns 0 when pin_dir exists, -errno with err set on failure.
 * Directories it creates go in undo (may be NULL only with create=0).
 */
int cg_pin_dir_ready(const char *pin_dir, int create, int *mounted, struct cg_undo *undo,
		     char *err, size_t errlen);

/* mkdir that records in undo what it made; EEXIST is fine. 0 or -errno. */
int cg_mkdir(const char *path, struct cg_undo *undo);

/* Exclusive lock on pin_dir for the life of the process. fd or -errno. */
int cg_pin_lock(const char *pin_dir);


/* PIN_DIR/ifaces/IFNAME[/FILE] (file may be NULL): an interface's own pins
 * (ports, config), shared by its directions. */
void cg_iface_path(char *buf, size_t len, const char *pin_dir, const char *ifname,
		   const char *file);
/* PIN_DIR/ifaces/IFNAME/DIR[/FILE]: one direction's pins (src, src_kept,
 * iface, attachment). */
void cg_dir_path(char *buf, size_t len, const char *pin_dir, const char *ifname,
		 enum cg_dir dir, const char *file);

/*
 * Pin layout of PIN_DIR/ifaces/IFNAME: 2 (this one), 1 (before issue 7: the
 * ingress files in the interface directory itself), 0 (no state).
 */
int cg_pin_layout(const char *pin_dir, const char *ifname);
/* Moves a layout-1 interface's ingress files into ingress/ (undo records the
 * directory). Call with the pin lock held. 0, or -errno with err set. */
int cg_pin_adopt_v1(const char *pin_dir, const char *ifname, struct cg_undo *undo,
		    char *err, size_t errlen);
/*
 * Makes PIN_DIR/ifaces/IFNAME/DIR and what it lies in (each new directory
 * recorded in undo), adopting layout 1 on the way; *reused says whether the
 * interface had state before. 0, or -errno with err set.
 */
int cg_dir_make(const char *pin_dir, const char *ifname, enum cg_dir dir,
		struct cg_undo *undo, int *reused, char *err, size_t errlen);

/* What readers say of layout 1 (two %s: the interface name). */
#define CG_PIN_V1_HINT "its pins use the layout of an older csumguard; `csumguard detach %s` " \
	"(counters kept) or `csumguard attach %s` adopts them"


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

/* The kernel's id of the map at path (or of map_fd). 0, or -errno. */
int cg_pinned_map_id(const char *path, __u32 *id);
int cg_map_id(int map_fd, __u32 *id);

/* Is name (a loaded program's, as the kernel reports it) one of csumguard's
 * programs: CG_PROG_NAME, CG_PROG_NAME_SB, CG_TC_PROG or CG_TC_PROG_FACTS? */
int cg_is_our_prog_name(const char *name);

/*
 * Id of a loaded csumguard program (XDP or TC) that uses map_fd's map: > 0; 0 when
 * none does; -errno when it cannot tell (listing programs needs
 * CAP_SYS_ADMIN). Pins are named by interface only, so this is what tells
 * whether state is live: the same name in two network namespaces, a
 * renamed interface, a concurrent attach.
 */
int cg_map_user(int map_fd);

/*
 * Tells cg_map_user that program id is off its interface for good (this
 * process detached it and checked). libxdp 1.3.1 leaks the fd of every
 * program it looks up by id (xdp_program__from_id dups it and keeps the
 * original), so a program detached by this process stays loaded until the
 * process exits and would otherwise still count as a user of its maps.
 */
void cg_prog_gone(__u32 id);

/* Does loaded program prog_fd use the map with id map_id? 1, 0, -errno. */
int cg_prog_uses_map(int prog_fd, __u32 map_id);

/* ------------------------------------------------- attachment record */

/* This process's network namespace (the identity of /proc/self/ns/net). */
int cg_netns_self(__u64 *dev, __u64 *ino);

/* "/run/netns/NAME" for that namespace if iproute2 named it, else "net:[INO]". */
void cg_netns_describe(__u64 dev, __u64 ino, char *buf, size_t len);

/*
 * PIN_DIR/ifaces/IFNAME/DIR/attachment, created if missing (recorded in
 * undo), checked for this layout if present. fd, or -errno with err set.
 */
int cg_attachment_open_or_create(const char *pin_dir, const char *ifname, enum cg_dir dir,
				 struct cg_undo *undo, char *err, size_t errlen);
/* Reads the record. 0, -ENOENT (none: state from before records), -errno. */
int cg_attachment_read(const char *pin_dir, const char *ifname, enum cg_dir dir,
		       struct cg_attachment *a);
/* Writes the record through an fd of the map. 0 or -errno. */
int cg_attachment_write(int fd, const struct cg_attachment *a);

/*
 * Which clsact filter is csumguard's on the interface of the egress
 * attachment record, and whether csumguard created the clsact qdisc (then
 * detach removes it once no filter is left on it). User space only, pinned
 * at PIN_DIR/ifaces/IFNAME/egress/tc_filter (array[1]) beside the record
 * (struct cg_attachment, whose prog_id is the filter's program).
 */
#define CG_TC_QDISC_CREATED	(1U << 0)
struct cg_tc_record {
	__u32 handle;		/* the filter's handle (kernel-assigned) */
	__u32 priority;		/* its priority ("pref" in tc filter show) */
	__u32 flags;		/* CG_TC_* */
	__u32 pad;
};
/* As for the attachment record: created if missing, checked if present. */
int cg_tc_record_open_or_create(const char *pin_dir, const char *ifname, struct cg_undo *undo,
				char *err, size_t errlen);
int cg_tc_record_read(const char *pin_dir, const char *ifname, struct cg_tc_record *t);
int cg_tc_record_write(int fd, const struct cg_tc_record *t);

/* Removes PIN_DIR/ifaces/IFNAME, its directions and their pins. 0, or -errno. */
int cg_iface_purge(const char *pin_dir, const char *ifname);
/* Removes one direction's directory PIN_DIR/ifaces/IFNAME/DIR. 0, or -errno. */
int cg_dir_purge(const char *pin_dir, const char *ifname, enum cg_dir dir);

/*
 * After the last interface is purged: removes an empty blocklist pin and
 * the empty directories, so a full purge leaves nothing behind. The shared
 * pins stay while a loaded csumguard program uses them (or that cannot be
 * told).
 */
void cg_pin_dir_tidy(const char *pin_dir);

/* Names of the interfaces with pinned state, sorted. *names malloc'ed. */
int cg_list_ifaces(const char *pin_dir, char (**names)[16], size_t *n);

/* Does path exist? */
int cg_exists(const char *path);

#endif /* CG_PINS_H */
