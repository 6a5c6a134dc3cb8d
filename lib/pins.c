// SPDX-License-Identifier: GPL-2.0
/* pins.c - see pins.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "csumguard.h"
#include "err.h"
#include "movelog.h"
#include "pins.h"

#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC 0xcafe4a11
#endif
#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

#define BPFFS_MNT "/sys/fs/bpf"

/* Writes "<cause>; <fix>" into err and returns code (a negative errno). */
#define ERR(code, ...) return cg_errf(err, errlen, (code), __VA_ARGS__)

int cg_undo_reserve(struct cg_undo *u)
{
	struct cg_undo_entry *e;
	int cap;

	if (!u || u->n < u->cap)
		return 0;
	cap = u->cap ? u->cap * 2 : 16;
	e = realloc(u->e, (size_t)cap * sizeof(*e));
	if (!e)
		return -ENOMEM;
	u->e = e;
	u->cap = cap;
	return 0;
}

void cg_undo_add(struct cg_undo *u, const char *path, enum cg_undo_kind kind)
{
	if (!u || u->n >= u->cap)
		return;		/* not reserved: a bug of the caller */
	snprintf(u->e[u->n].path, sizeof(u->e[0].path), "%s", path);
	u->e[u->n].kind = kind;
	u->n++;
}

/* Undoes the entries from mark on, newest first. */
static void undo_to(struct cg_undo *u, int mark)
{
	while (u->n > mark) {
		struct cg_undo_entry *e = &u->e[--u->n];

		if (e->kind == CG_UNDO_DIR)
			rmdir(e->path);
		else if (e->kind == CG_UNDO_MOUNT)
			/* lazily: the caller may still hold fds in it (its lock) */
			umount2(e->path, MNT_DETACH);
		else
			unlink(e->path);
	}
}

void cg_undo_run(struct cg_undo *u)
{
	if (!u)
		return;
	undo_to(u, 0);
	free(u->e);
	u->e = NULL;
	u->cap = 0;
}

/* ------------------------------------------------------------ privileges */

static int have_cap(const struct __user_cap_data_struct *d, int cap)
{
	return !!(d[cap / 32].effective & (1u << (cap % 32)));
}

static int caps_get(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };

	return syscall(SYS_capget, &h, d) ? -errno : 0;
}

int cg_have_sys_admin(void)
{
	struct __user_cap_data_struct d[2] = {};

	return caps_get(d) ? -1 : have_cap(d, CAP_SYS_ADMIN);
}

int cg_check_privileges(int need, const char *cmd, char *err, size_t errlen)
{
	struct __user_cap_data_struct d[2] = {};
	int bpf, net, sys;
	char missing[64] = "";

	if (caps_get(d))
		return 0;	/* cannot tell: let the kernel decide */
	sys = have_cap(d, CAP_SYS_ADMIN);
	bpf = have_cap(d, CAP_BPF) || sys;
	net = have_cap(d, CAP_NET_ADMIN);
	if (need == CG_NEED_ATTACH) {
		/* CAP_SYS_ADMIN also stands for CAP_BPF and CAP_PERFMON */
		if (!sys)
			strcat(missing, " CAP_SYS_ADMIN");
		if (!net)
			strcat(missing, " CAP_NET_ADMIN");
	} else if (!bpf) {
		strcat(missing, " CAP_BPF");
	}
	if (!missing[0])
		return 0;
	ERR(-EPERM, "%s needs root (missing%s%s); run it as root, e.g. sudo csumguard %s ...",
	    cmd, missing, need == CG_NEED_ATTACH && !sys ?
	    ": libxdp finds the XDP programs on an interface by id, which the kernel "
	    "allows only with CAP_SYS_ADMIN" : "", cmd);
}

/* ----------------------------------------------------------------- bpffs */

static int on_bpffs(const char *path)
{
	struct statfs st;

	return !statfs(path, &st) && (unsigned long)st.f_type == BPF_FS_MAGIC;
}

int cg_exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

/*
 * Is this process in a private mount namespace, like the one `ip netns exec`
 * makes (a bpffs mounted or pinned there vanishes with the command)? Compared
 * with pid 1's; where /proc hides pid 1's namespaces, recognise iproute2's
 * own mark: it mounts sysfs on /sys with the namespace's name as the source.
 */
static int private_mount_ns(void)
{
	char line[1024], src[256] = "", path[300], *dash, *p, *fstype, *source;
	struct stat a, b;
	FILE *f;

	if (!stat("/proc/self/ns/mnt", &a) && !stat("/proc/1/ns/mnt", &b))
		return a.st_ino != b.st_ino || a.st_dev != b.st_dev;
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS ... - FSTYPE SOURCE SUPEROPTS */
		p = line;
		for (int i = 0; i < 4 && p; i++)
			p = strchr(p + 1, ' ');
		if (!p || strncmp(p, " /sys ", 6))
			continue;
		dash = strstr(p, " - ");
		if (!dash)
			continue;
		fstype = strtok(dash + 3, " ");
		source = strtok(NULL, " ");
		if (fstype && source && !strcmp(fstype, "sysfs"))
			snprintf(src, sizeof(src), "%s", source);	/* the last one wins */
	}
	fclose(f);
	if (!src[0] || strchr(src, '/'))
		return 0;
	snprintf(path, sizeof(path), "/run/netns/%s", src);
	return cg_exists(path);
}

int cg_mkdir(const char *path, struct cg_undo *undo)
{
	if (cg_undo_reserve(undo))
		return -ENOMEM;
	if (mkdir(path, 0700)) {
		if (errno == EEXIST)
			return 0;
		return -errno;
	}
	cg_undo_add(undo, path, CG_UNDO_DIR);
	return 0;
}

/* mkdir -p below an existing bpffs ancestor. */
static int mkdirs(const char *path, struct cg_undo *undo)
{
	char tmp[PATH_MAX], *p;
	int err;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (!cg_exists(tmp) && (err = cg_mkdir(tmp, undo)))
			return err;
		*p = '/';
	}
	return cg_mkdir(tmp, undo);
}

/* Nearest existing ancestor of path (or path itself) into buf. */
static void existing_ancestor(const char *path, char *buf, size_t len)
{
	char *slash;

	snprintf(buf, len, "%s", path);
	while (!cg_exists(buf)) {
		slash = strrchr(buf, '/');
		if (!slash || slash == buf) {
			snprintf(buf, len, "/");
			return;
		}
		*slash = '\0';
	}
}

int cg_pin_dir_canon(const char *pin_dir, char *out, size_t len, char *err, size_t errlen)
{
	char anc[PATH_MAX], real[PATH_MAX], *tok, *save = NULL;
	size_t al, off;

	if (pin_dir[0] != '/')
		ERR(-EINVAL, "--pin-dir '%s' is not an absolute path; give one under " BPFFS_MNT,
		    pin_dir);
	if (strlen(pin_dir) >= sizeof(anc))
		ERR(-ENAMETOOLONG, "--pin-dir is too long; give a shorter one under " BPFFS_MNT);
	existing_ancestor(pin_dir, anc, sizeof(anc));
	if (!realpath(anc, real))
		ERR(-errno, "cannot resolve --pin-dir %s: %s; give a plain path under " BPFFS_MNT,
		    pin_dir, strerror(errno));
	/* What is left to create: plain names only. */
	al = strlen(anc);
	snprintf(anc, sizeof(anc), "%s", pin_dir + (al == 1 ? 0 : al));
	snprintf(out, len, "%s", real);
	off = strlen(out);
	for (tok = strtok_r(anc, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (!strcmp(tok, ".") || !strcmp(tok, ".."))
			ERR(-EINVAL, "--pin-dir %s has '%s' below a directory that does not exist; "
			    "give a plain path under " BPFFS_MNT, pin_dir, tok);
		off += (size_t)snprintf(out + off, off < len ? len - off : 0, "%s%s",
					off == 1 ? "" : "/", tok);
		if (off >= len)
			ERR(-ENAMETOOLONG, "--pin-dir is too long; give a shorter one under "
			    BPFFS_MNT);
	}
	return 0;
}

/*
 * Whoever can write the pin dir, or a directory above it on the bpffs, can
 * swap csumguard's pins for others (an empty blocklist the programs never
 * read, say): csumguard creates its directories 0700 and pins 0600, and
 * uses an existing pin dir only if the same holds for it - owned by root
 * (or this user), not writable by group or others - and for the bpffs
 * directories above it (there, sticky like /sys/fs/bpf itself is enough).
 */
static int pin_dir_trusted(const char *from, const char *pin_dir, char *err, size_t errlen)
{
	char path[PATH_MAX], *slash;
	struct stat st;
	dev_t dev = 0;
	int top = 1;

	snprintf(path, sizeof(path), "%s", from);
	for (;;) {
		if (stat(path, &st))
			return 0;	/* gone meanwhile: the caller's next step says so */
		if (!top && st.st_dev != dev)
			return 0;	/* above the bpffs: not csumguard's business */
		dev = st.st_dev;
		if (st.st_uid != 0 && st.st_uid != geteuid())
			ERR(-EPERM, "%s is owned by uid %u, so that user could replace csumguard's "
			    "pins in %s; chown root %s, or give another --pin-dir", path,
			    (unsigned)st.st_uid, pin_dir, path);
		if ((st.st_mode & (S_IWGRP | S_IWOTH)) &&
		    ((top && from == pin_dir) || !(st.st_mode & S_ISVTX)))
			ERR(-EPERM, "%s is writable by %s (mode %04o), so they could replace "
			    "csumguard's pins in %s; chmod go-w %s, or give another --pin-dir",
			    path, st.st_mode & S_IWOTH ? "others" : "its group",
			    (unsigned)(st.st_mode & 07777), pin_dir, path);
		top = 0;
		slash = strrchr(path, '/');
		if (!slash || slash == path)
			return 0;
		*slash = '\0';
	}
}

static int pin_dir_ready(const char *pin_dir, int create, int *mounted, struct cg_undo *undo,
			 char *err, size_t errlen)
{
	size_t ml = strlen(BPFFS_MNT);
	char anc[PATH_MAX];
	int e, under = !strncmp(pin_dir, BPFFS_MNT, ml) &&
		       (pin_dir[ml] == '/' || pin_dir[ml] == '\0');

	*mounted = 0;
	if (pin_dir[0] != '/')
		ERR(-EINVAL, "--pin-dir '%s' is not an absolute path; give one under " BPFFS_MNT,
		    pin_dir);
	existing_ancestor(pin_dir, anc, sizeof(anc));
	if (!on_bpffs(anc)) {
		/* Mount only where no bpffs is: on /sys/fs/bpf itself, and only
		 * for a pin dir below it. Anything else is the user's mount. */
		if (!under || on_bpffs(BPFFS_MNT))
			ERR(-ENOTSUP, "%s is not on a bpffs; give a --pin-dir under " BPFFS_MNT,
			    pin_dir);
		if (!create) {
			if (private_mount_ns())
				ERR(-ENOENT, "no bpffs on " BPFFS_MNT " in this mount namespace (ip "
				    "netns exec gives a private /sys); run csumguard with nsenter "
				    "--net=/run/netns/NAME instead");
			return 1;	/* nothing was ever pinned here */
		}
		if (private_mount_ns())
			ERR(-ENOENT, "no bpffs on " BPFFS_MNT " in this mount namespace (ip netns "
			    "exec gives a private /sys, and pins made there vanish with it); run "
			    "csumguard with nsenter --net=/run/netns/NAME instead");
		if (!cg_exists(BPFFS_MNT))
			ERR(-ENOENT, BPFFS_MNT " does not exist, so bpffs cannot be mounted; this "
			    "kernel lacks sysfs or BPF (CONFIG_BPF_SYSCALL)");
		if (cg_undo_reserve(undo))
			ERR(-ENOMEM, "out of memory; nothing was changed");
		if (mount("bpf", BPFFS_MNT, "bpf", 0, "mode=0700"))
			ERR(-errno, "no bpffs on " BPFFS_MNT " and mounting one failed (%s); mount "
			    "it: mount -t bpf bpf " BPFFS_MNT, strerror(errno));
		cg_undo_add(undo, BPFFS_MNT, CG_UNDO_MOUNT);
		*mounted = 1;
	}
	if (cg_exists(pin_dir)) {
		if (!on_bpffs(pin_dir))
			ERR(-ENOTSUP, "%s is not on a bpffs; give a --pin-dir under " BPFFS_MNT,
			    pin_dir);
		return pin_dir_trusted(pin_dir, pin_dir, err, errlen);
	}
	if (!create)
		return 1;
	existing_ancestor(pin_dir, anc, sizeof(anc));
	if ((e = pin_dir_trusted(anc, pin_dir, err, errlen)))
		return e;
	e = mkdirs(pin_dir, undo);
	if (e)
		ERR(e, "cannot create %s: %s; check the path and that you are root",
		    pin_dir, strerror(-e));
	return 0;
}

int cg_pin_dir_ready(const char *pin_dir, int create, int *mounted, struct cg_undo *undo,
		     char *err, size_t errlen)
{
	int mark = undo ? undo->n : 0, e;

	e = pin_dir_ready(pin_dir, create, mounted, undo, err, errlen);
	if (e < 0 && undo) {
		undo_to(undo, mark);	/* the caller may return at once */
		*mounted = 0;
	}
	if (e == 0)
		cg_move_recover(pin_dir, 0);	/* a row move a killed command left */
	return e;
}

int cg_pin_lock(const char *pin_dir)
{
	int fd = open(pin_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX)) {
		int e = -errno;

		close(fd);
		return e;
	}
	return fd;	/* held until exit */
}

void cg_iface_path(char *buf, size_t len, const char *pin_dir, const char *ifname,
		   const char *file)
{
	if (file)
		snprintf(buf, len, "%s/" CG_PIN_IFACES "/%s/%s", pin_dir, ifname, file);
	else
		snprintf(buf, len, "%s/" CG_PIN_IFACES "/%s", pin_dir, ifname);
}

void cg_dir_path(char *buf, size_t len, const char *pin_dir, const char *ifname,
		 enum cg_dir dir, const char *file)
{
	if (file)
		snprintf(buf, len, "%s/" CG_PIN_IFACES "/%s/%s/%s", pin_dir, ifname,
			 cg_dir_name(dir), file);
	else
		snprintf(buf, len, "%s/" CG_PIN_IFACES "/%s/%s", pin_dir, ifname, cg_dir_name(dir));
}

/* The files of one direction (layout 2: in ifaces/IFNAME/DIR/). */
static const char *const dir_files[] = {
	CG_PIN_SRC, CG_PIN_SRC_KEPT, CG_PIN_IFACE, CG_PIN_ATTACHMENT,
	/* issue 13: a row's shared parts and the hot-source cache go with
	 * the rows (a file that is not there is skipped) */
	CG_PIN_SRC_RARE, CG_PIN_SRC_KEPT_RARE, CG_PIN_SRC_CACHE,
};

int cg_dir_make(const char *pin_dir, const char *ifname, enum cg_dir dir,
		struct cg_undo *undo, int *reused, char *err, size_t errlen)
{
	char path[PATH_MAX], why[CG_ERRLEN];
	int e;

	snprintf(path, sizeof(path), "%s/" CG_PIN_IFACES, pin_dir);
	if ((e = cg_mkdir(path, undo)))
		goto mkdir_failed;
	cg_iface_path(path, sizeof(path), pin_dir, ifname, NULL);
	*reused = cg_exists(path);
	if ((e = cg_mkdir(path, undo)))
		goto mkdir_failed;
	if (cg_pin_layout(pin_dir, ifname) == 1 &&
	    (e = cg_pin_adopt_v1(pin_dir, ifname, undo, why, sizeof(why))))
		return cg_errf(err, errlen, e, "%s; adopting the pins of an older csumguard "
			       "failed, nothing else was changed: move them by hand or start "
			       "afresh (detach %s --purge)", why, ifname);
	cg_dir_path(path, sizeof(path), pin_dir, ifname, dir, NULL);
	if ((e = cg_mkdir(path, undo)))
		goto mkdir_failed;
	return 0;
mkdir_failed:
	return cg_errf(err, errlen, e, "cannot create %s: %s; check --pin-dir", path,
		       strerror(-e));
}

int cg_pin_layout(const char *pin_dir, const char *ifname)
{
	char path[PATH_MAX];

	cg_iface_path(path, sizeof(path), pin_dir, ifname, CG_PIN_SRC);
	if (cg_exists(path))
		return 1;
	cg_iface_path(path, sizeof(path), pin_dir, ifname, NULL);
	return cg_exists(path) ? 2 : 0;
}

int cg_pin_adopt_v1(const char *pin_dir, const char *ifname, struct cg_undo *undo,
		    char *err, size_t errlen)
{
	char from[PATH_MAX], to[PATH_MAX];
	size_t i;
	int e;

	cg_dir_path(to, sizeof(to), pin_dir, ifname, CG_DIR_INGRESS, NULL);
	if ((e = cg_mkdir(to, undo))) {
		snprintf(err, errlen, "cannot create %s: %s", to, strerror(-e));
		return e;
	}
	/* bpffs renames like any file system; a loaded program holds its maps
	 * by fd, so it runs on, untouched. */
	for (i = 0; i < sizeof(dir_files) / sizeof(dir_files[0]); i++) {
		cg_iface_path(from, sizeof(from), pin_dir, ifname, dir_files[i]);
		cg_dir_path(to, sizeof(to), pin_dir, ifname, CG_DIR_INGRESS, dir_files[i]);
		if (rename(from, to) && errno != ENOENT) {
			e = -errno;
			snprintf(err, errlen, "cannot move %s to %s: %s", from, to, strerror(-e));
			return e;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ maps */

int cg_map_open(const char *path)
{
	int fd = bpf_obj_get(path);

	return fd < 0 ? -errno : fd;
}

int cg_map_id(int map_fd, __u32 *id)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(map_fd, &info, &len))
		return -errno;
	*id = info.id;
	return 0;
}

int cg_pinned_map_id(const char *path, __u32 *id)
{
	int fd = cg_map_open(path), e;

	if (fd < 0)
		return fd;
	e = cg_map_id(fd, id);
	close(fd);
	return e;
}

int cg_prog_uses_map(int prog_fd, __u32 map_id)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info), ids[64], i;

	info.nr_map_ids = sizeof(ids) / sizeof(ids[0]);
	info.map_ids = (__u64)(unsigned long)ids;
	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len))
		return -errno;
	for (i = 0; i < info.nr_map_ids && i < sizeof(ids) / sizeof(ids[0]); i++)
		if (ids[i] == map_id)
			return 1;
	return 0;
}

static __u32 gone_ids[8];

void cg_prog_gone(__u32 id)
{
	for (size_t i = 0; i < sizeof(gone_ids) / sizeof(gone_ids[0]); i++)
		if (!gone_ids[i]) {
			gone_ids[i] = id;
			return;
		}
}

static int is_gone(__u32 id)
{
	for (size_t i = 0; i < sizeof(gone_ids) / sizeof(gone_ids[0]); i++)
		if (gone_ids[i] == id)
			return 1;
	return 0;
}

int cg_is_our_prog_name(const char *name)
{
	return name && (!strncmp(name, CG_PROG_NAME, BPF_OBJ_NAME_LEN) ||
			!strncmp(name, CG_PROG_NAME_SB, BPF_OBJ_NAME_LEN) ||
			!strncmp(name, CG_PROG_NAME_LC, BPF_OBJ_NAME_LEN) ||
			!strncmp(name, CG_TC_PROG, BPF_OBJ_NAME_LEN) ||
			!strncmp(name, CG_TC_PROG_FACTS, BPF_OBJ_NAME_LEN));
}

int cg_map_user(int map_fd)
{
	struct bpf_prog_info info;
	__u32 map_id = 0, id = 0, len;
	int fd, e;

	if ((e = cg_map_id(map_fd, &map_id)))
		return e;
	for (;;) {
		if (bpf_prog_get_next_id(id, &id))
			return errno == ENOENT ? 0 : -errno;	/* EPERM: needs CAP_SYS_ADMIN */
		if (is_gone(id))
			continue;
		fd = bpf_prog_get_fd_by_id(id);
		if (fd < 0) {
			if (errno == ENOENT)
				continue;	/* unloaded meanwhile */
			return -errno;
		}
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		e = !bpf_obj_get_info_by_fd(fd, &info, &len) &&
		    cg_is_our_prog_name(info.name) &&
		    cg_prog_uses_map(fd, map_id) == 1;
		close(fd);
		if (e)
			return (int)id;
	}
}

static int check_compat(int fd, const struct bpf_map *def, const char *path,
			char *err, size_t errlen)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		snprintf(err, errlen, "cannot inspect pinned map %s: %s", path, strerror(errno));
		return -errno;
	}
	if (info.type != (__u32)bpf_map__type(def) ||
	    info.key_size != bpf_map__key_size(def) ||
	    info.value_size != bpf_map__value_size(def) ||
	    info.map_flags != bpf_map__map_flags(def)) {
		snprintf(err, errlen, "pinned map %s has another layout (type %u, key %u, "
			 "value %u bytes; this csumguard wants type %u, key %u, value %u)",
			 path, info.type, info.key_size, info.value_size,
			 (unsigned)bpf_map__type(def), bpf_map__key_size(def),
			 bpf_map__value_size(def));
		return -ESTALE;
	}
	if (info.max_entries != bpf_map__max_entries(def)) {
		snprintf(err, errlen, "pinned map %s has %u entries, this attach wants %u",
			 path, info.max_entries, bpf_map__max_entries(def));
		return -ESTALE;
	}
	return 0;
}

/* BTF of the object loaded into the kernel, for pretty `bpftool map dump`.
 * A copy: libbpf loads the object's own BTF itself later. -1 if none. */
static int object_btf_fd(const struct btf *obj_btf, struct btf **keep)
{
	const void *raw;
	struct btf *copy;
	__u32 size;

	*keep = NULL;
	if (!obj_btf)
		return -1;
	raw = btf__raw_data(obj_btf, &size);
	if (!raw)
		return -1;
	copy = btf__new(raw, size);
	if (libbpf_get_error(copy))
		return -1;
	if (btf__load_into_kernel(copy)) {
		btf__free(copy);
		return -1;
	}
	*keep = copy;
	return btf__fd(copy);
}

/* Pins a map this run created at path and records it in undo (a slot was
 * reserved before the map was made). Returns fd, or -errno (fd closed). */
static int pin_new(int fd, const char *path, struct cg_undo *undo, char *err, size_t errlen)
{
	int e;

	if (bpf_obj_pin(fd, path)) {
		e = -errno;
		close(fd);
		snprintf(err, errlen, "cannot pin map at %s: %s", path, strerror(-e));
		return e;
	}
	cg_undo_add(undo, path, CG_UNDO_FILE);
	return fd;
}

int cg_map_open_or_create(const struct bpf_map *def, const struct btf *obj_btf,
			  const char *path, struct cg_undo *undo, char *err, size_t errlen)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = bpf_map__map_flags(def));
	struct btf *btf = NULL;
	int fd, e, btf_fd;

	fd = bpf_obj_get(path);
	if (fd >= 0) {
		e = check_compat(fd, def, path, err, errlen);
		if (e) {
			close(fd);
			return e;
		}
		return fd;
	}
	e = -errno;
	if (e != -ENOENT) {
		snprintf(err, errlen, "cannot open pinned map %s: %s", path, strerror(-e));
		return e;
	}

	btf_fd = obj_btf ? object_btf_fd(obj_btf, &btf) : -1;
	if (btf_fd >= 0 && bpf_map__btf_key_type_id(def) && bpf_map__btf_value_type_id(def)) {
		opts.btf_fd = (__u32)btf_fd;
		opts.btf_key_type_id = bpf_map__btf_key_type_id(def);
		opts.btf_value_type_id = bpf_map__btf_value_type_id(def);
	}
	if (cg_undo_reserve(undo)) {
		btf__free(btf);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	fd = bpf_map_create(bpf_map__type(def), bpf_map__name(def), bpf_map__key_size(def),
			    bpf_map__value_size(def), bpf_map__max_entries(def), &opts);
	if (fd < 0 && opts.btf_fd) {
		/* the kernel did not take the BTF: the map works without it */
		opts.btf_fd = 0;
		opts.btf_key_type_id = 0;
		opts.btf_value_type_id = 0;
		fd = bpf_map_create(bpf_map__type(def), bpf_map__name(def),
				    bpf_map__key_size(def), bpf_map__value_size(def),
				    bpf_map__max_entries(def), &opts);
	}
	e = -errno;
	btf__free(btf);	/* the map holds its own reference to the BTF */
	if (fd < 0) {
		snprintf(err, errlen, "cannot create map %s: %s", bpf_map__name(def),
			 strerror(-e));
		return e;
	}
	return pin_new(fd, path, undo, err, errlen);
}

/* -------------------------------------------------------------- purging */

/* Removes the pins in dir and dir itself; directories in it (the
 * directions) too, depth levels down. 0, or the first -errno. */
static int purge_dir(const char *dir, int depth)
{
	char path[PATH_MAX + 256];
	struct dirent *de;
	struct stat st;
	DIR *d;
	int e = 0;

	d = opendir(dir);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (depth > 0 && !lstat(path, &st) && S_ISDIR(st.st_mode)) {
			int e2 = purge_dir(path, depth - 1);

			e = e ? e : e2;
		} else if (unlink(path) && !e) {
			e = -errno;
		}
	}
	closedir(d);
	if (rmdir(dir) && !e)
		e = -errno;
	return e;
}

int cg_iface_purge(const char *pin_dir, const char *ifname)
{
	char dir[PATH_MAX];

	cg_iface_path(dir, sizeof(dir), pin_dir, ifname, NULL);
	return purge_dir(dir, 1);
}

int cg_dir_purge(const char *pin_dir, const char *ifname, enum cg_dir d)
{
	char dir[PATH_MAX];

	cg_dir_path(dir, sizeof(dir), pin_dir, ifname, d, NULL);
	return purge_dir(dir, 0);
}

/* Is the pinned map at path used by a loaded csumguard program (or can
 * that not be told)? A missing pin is not in use. */
static int pin_in_use(const char *path)
{
	int fd = bpf_obj_get(path), user;

	if (fd < 0)
		return 0;
	user = cg_map_user(fd);
	close(fd);
	return user != 0;
}

void cg_pin_dir_tidy(const char *pin_dir)
{
	char path[PATH_MAX], cpath[PATH_MAX];
	struct cg_addr key;
	int fd;

	snprintf(path, sizeof(path), "%s/" CG_PIN_IFACES, pin_dir);
	if (cg_exists(path) && rmdir(path))
		return;		/* other interfaces still have state */
	snprintf(path, sizeof(path), "%s/" CG_PIN_BLOCKLIST, pin_dir);
	snprintf(cpath, sizeof(cpath), "%s/" CG_PIN_BLOCK_COUNT, pin_dir);
	/* A program attached with this pin dir elsewhere (a state dir purged
	 * by hand, say) still reads them: removing the pins would cut `block`
	 * off from it. */
	if (pin_in_use(path) || pin_in_use(cpath))
		return;
	fd = bpf_obj_get(path);
	if (fd >= 0) {
		int empty = bpf_map_get_next_key(fd, NULL, &key) && errno == ENOENT;

		close(fd);
		if (!empty)
			return;	/* blocked addresses are kept */
		unlink(path);
	}
	unlink(cpath);
	/* The known nodes likewise: kept while the set holds any. */
	snprintf(path, sizeof(path), "%s/" CG_PIN_NODES, pin_dir);
	snprintf(cpath, sizeof(cpath), "%s/" CG_PIN_NODE_COUNT, pin_dir);
	if (pin_in_use(path) || pin_in_use(cpath))
		return;
	fd = bpf_obj_get(path);
	if (fd >= 0) {
		int empty = bpf_map_get_next_key(fd, NULL, &key) && errno == ENOENT;

		close(fd);
		if (!empty)
			return;
		unlink(path);
	}
	unlink(cpath);
	snprintf(path, sizeof(path), "%s/" CG_PIN_TTL_SEEN, pin_dir);
	if (pin_in_use(path))
		return;
	unlink(path);	/* what it learns is for nodes, and none is left */
	rmdir(pin_dir);
}

/* ------------------------------------------------- attachment record */

int cg_netns_self(__u64 *dev, __u64 *ino)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st))
		return -errno;
	*dev = (__u64)st.st_dev;
	*ino = (__u64)st.st_ino;
	return 0;
}

void cg_netns_describe(__u64 dev, __u64 ino, char *buf, size_t len)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d = opendir("/run/netns");

	snprintf(buf, len, "net:[%llu]", (unsigned long long)ino);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/run/netns/%s", de->d_name);
		if (!stat(path, &st) && (__u64)st.st_dev == dev && (__u64)st.st_ino == ino) {
			snprintf(buf, len, "%s", path);
			break;
		}
	}
	closedir(d);
}

/* A one-slot array map of value_size bytes (user space only) at path:
 * checked if present, else created zeroed, pinned and recorded in undo. */
static int record_open_or_create(const char *path, const char *name, __u32 value_size,
				 struct cg_undo *undo, char *err, size_t errlen)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info), key = 0;
	char none[64] = {};
	int fd, e;

	fd = bpf_obj_get(path);
	if (fd >= 0) {
		if (bpf_obj_get_info_by_fd(fd, &info, &len) ||
		    info.type != BPF_MAP_TYPE_ARRAY || info.key_size != sizeof(__u32) ||
		    info.value_size != value_size || info.max_entries != 1) {
			close(fd);
			snprintf(err, errlen, "pinned map %s has another layout (value %u bytes, "
				 "this csumguard wants %u)", path, info.value_size, value_size);
			return -ESTALE;
		}
		return fd;
	}
	if (errno != ENOENT) {
		e = -errno;
		snprintf(err, errlen, "cannot open pinned map %s: %s", path, strerror(-e));
		return e;
	}
	if (cg_undo_reserve(undo)) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, name, sizeof(__u32), value_size, 1, NULL);
	if (fd < 0) {
		e = -errno;
		snprintf(err, errlen, "cannot create map %s: %s", name, strerror(-e));
		return e;
	}
	if (bpf_map_update_elem(fd, &key, none, BPF_ANY)) {
		e = -errno;
		close(fd);
		snprintf(err, errlen, "cannot initialise map %s: %s", name, strerror(-e));
		return e;
	}
	return pin_new(fd, path, undo, err, errlen);
}

static int record_read(const char *path, void *val, size_t size)
{
	__u32 key = 0;
	int fd, e = 0;

	memset(val, 0, size);
	fd = cg_map_open(path);
	if (fd < 0)
		return fd;
	if (bpf_map_lookup_elem(fd, &key, val))
		e = -errno;
	close(fd);
	return e;
}

int cg_attachment_open_or_create(const char *pin_dir, const char *ifname, enum cg_dir dir,
				 struct cg_undo *undo, char *err, size_t errlen)
{
	char path[PATH_MAX];

	cg_dir_path(path, sizeof(path), pin_dir, ifname, dir, CG_PIN_ATTACHMENT);
	return record_open_or_create(path, "cg_attachment", sizeof(struct cg_attachment), undo,
				     err, errlen);
}

int cg_attachment_read(const char *pin_dir, const char *ifname, enum cg_dir dir,
		       struct cg_attachment *a)
{
	char path[PATH_MAX];

	cg_dir_path(path, sizeof(path), pin_dir, ifname, dir, CG_PIN_ATTACHMENT);
	return record_read(path, a, sizeof(*a));
}

int cg_tc_record_open_or_create(const char *pin_dir, const char *ifname, struct cg_undo *undo,
				char *err, size_t errlen)
{
	char path[PATH_MAX];

	cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_EGRESS, CG_PIN_TC_FILTER);
	return record_open_or_create(path, "cg_tc_filter", sizeof(struct cg_tc_record), undo,
				     err, errlen);
}

int cg_tc_record_read(const char *pin_dir, const char *ifname, struct cg_tc_record *t)
{
	char path[PATH_MAX];

	cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_EGRESS, CG_PIN_TC_FILTER);
	return record_read(path, t, sizeof(*t));
}

int cg_tc_record_write(int fd, const struct cg_tc_record *t)
{
	__u32 key = 0;

	return bpf_map_update_elem(fd, &key, t, BPF_ANY) ? -errno : 0;
}

int cg_attachment_write(int fd, const struct cg_attachment *a)
{
	__u32 key = 0;

	return bpf_map_update_elem(fd, &key, a, BPF_ANY) ? -errno : 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

int cg_list_ifaces(const char *pin_dir, char (**names)[16], size_t *n)
{
	char dir[PATH_MAX];
	struct dirent *de;
	size_t cap = 0;
	DIR *d;

	*names = NULL;
	*n = 0;
	snprintf(dir, sizeof(dir), "%s/" CG_PIN_IFACES, pin_dir);
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= 16)
			continue;
		if (*n == cap) {
			void *p = realloc(*names, (cap ? cap * 2 : 8) * sizeof(**names));

			if (!p) {
				closedir(d);
				free(*names);
				*names = NULL;
				*n = 0;
				return -ENOMEM;
			}
			*names = p;
			cap = cap ? cap * 2 : 8;
		}
		snprintf((*names)[*n], 16, "%s", de->d_name);
		(*n)++;
	}
	closedir(d);
	if (*n > 1)
		qsort(*names, *n, sizeof(**names), name_cmp);
	return 0;
}
