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

#define ERR(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

void cg_undo_add(struct cg_undo *u, const char *path, int is_dir)
{
	if (!u || u->n >= CG_UNDO_MAX)
		return;
	snprintf(u->path[u->n], sizeof(u->path[0]), "%s", path);
	u->is_dir[u->n] = is_dir;
	u->n++;
}

void cg_undo_run(struct cg_undo *u)
{
	if (!u)
		return;
	while (u->n > 0) {
		u->n--;
		if (u->is_dir[u->n])
			rmdir(u->path[u->n]);
		else
			unlink(u->path[u->n]);
	}
}

/* ------------------------------------------------------------ privileges */

static int have_cap(const struct __user_cap_data_struct *d, int cap)
{
	return !!(d[cap / 32].effective & (1u << (cap % 32)));
}

int cg_check_privileges(int need, const char *cmd, char *err, size_t errlen)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = {};
	int bpf, net, perfmon;
	char missing[64] = "";

	if (syscall(SYS_capget, &h, d))
		return 0;	/* cannot tell: let the kernel decide */
	bpf = have_cap(d, CAP_BPF) || have_cap(d, CAP_SYS_ADMIN);
	perfmon = have_cap(d, CAP_PERFMON) || have_cap(d, CAP_SYS_ADMIN);
	net = have_cap(d, CAP_NET_ADMIN);
	if (!bpf)
		strcat(missing, " CAP_BPF");
	if (need == CG_NEED_ATTACH && !net)
		strcat(missing, " CAP_NET_ADMIN");
	if (need == CG_NEED_ATTACH && !perfmon)
		strcat(missing, " CAP_PERFMON");
	if (!missing[0])
		return 0;
	ERR("%s needs root (missing%s); run it as root, e.g. sudo csumguard %s ...",
	    cmd, missing, cmd);
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
	if (mkdir(path, 0700)) {
		if (errno == EEXIST)
			return 0;
		return -errno;
	}
	cg_undo_add(undo, path, 1);
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

int cg_pin_dir_ready(const char *pin_dir, int create, int *mounted, struct cg_undo *undo,
		     char *err, size_t errlen)
{
	size_t ml = strlen(BPFFS_MNT);
	char anc[PATH_MAX];
	int e;

	*mounted = 0;
	if (pin_dir[0] != '/')
		ERR("--pin-dir '%s' is not an absolute path; give one under " BPFFS_MNT, pin_dir);
	existing_ancestor(pin_dir, anc, sizeof(anc));
	if (!on_bpffs(anc)) {
		int under = !strncmp(pin_dir, BPFFS_MNT, ml) &&
			    (pin_dir[ml] == '/' || pin_dir[ml] == '\0');

		if (!under)
			ERR("%s is not on a bpffs; give a --pin-dir under " BPFFS_MNT, pin_dir);
		if (!create) {
			if (private_mount_ns())
				ERR("no bpffs on " BPFFS_MNT " in this mount namespace (ip netns "
				    "exec gives a private /sys); run csumguard with nsenter "
				    "--net=/run/netns/NAME instead");
			return 1;	/* nothing was ever pinned here */
		}
		if (private_mount_ns())
			ERR("no bpffs on " BPFFS_MNT " in this mount namespace (ip netns exec "
			    "gives a private /sys, and pins made there vanish with it); run "
			    "csumguard with nsenter --net=/run/netns/NAME instead");
		if (!cg_exists(BPFFS_MNT))
			ERR(BPFFS_MNT " does not exist, so bpffs cannot be mounted; this kernel "
			    "lacks sysfs or BPF (CONFIG_BPF_SYSCALL)");
		if (mount("bpf", BPFFS_MNT, "bpf", 0, "mode=0700"))
			ERR("no bpffs on " BPFFS_MNT " and mounting one failed (%s); mount it: "
			    "mount -t bpf bpf " BPFFS_MNT, strerror(errno));
		*mounted = 1;
	}
	if (cg_exists(pin_dir)) {
		if (!on_bpffs(pin_dir))
			ERR("%s is not on a bpffs; give a --pin-dir under " BPFFS_MNT, pin_dir);
		return 0;
	}
	if (!create)
		return 1;
	e = mkdirs(pin_dir, undo);
	if (e)
		ERR("cannot create %s: %s; check the path and that you are root",
		    pin_dir, strerror(-e));
	return 0;
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

/* ------------------------------------------------------------------ maps */

int cg_map_open(const char *path)
{
	int fd = bpf_obj_get(path);

	return fd < 0 ? -errno : fd;
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
	if (bpf_obj_pin(fd, path)) {
		e = -errno;
		close(fd);
		snprintf(err, errlen, "cannot pin map at %s: %s", path, strerror(-e));
		return e;
	}
	cg_undo_add(undo, path, 0);
	return fd;
}

/* -------------------------------------------------------------- purging */

int cg_iface_purge(const char *pin_dir, const char *ifname)
{
	char dir[PATH_MAX], path[PATH_MAX + 256];
	struct dirent *de;
	DIR *d;
	int e = 0;

	cg_iface_path(dir, sizeof(dir), pin_dir, ifname, NULL);
	d = opendir(dir);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (unlink(path) && !e)
			e = -errno;
	}
	closedir(d);
	if (rmdir(dir) && !e)
		e = -errno;
	return e;
}

void cg_pin_dir_tidy(const char *pin_dir)
{
	char path[PATH_MAX];
	struct cg_addr key;
	int fd;

	snprintf(path, sizeof(path), "%s/" CG_PIN_IFACES, pin_dir);
	if (cg_exists(path) && rmdir(path))
		return;		/* other interfaces still have state */
	snprintf(path, sizeof(path), "%s/" CG_PIN_BLOCKLIST, pin_dir);
	fd = bpf_obj_get(path);
	if (fd >= 0) {
		int empty = bpf_map_get_next_key(fd, NULL, &key) && errno == ENOENT;

		close(fd);
		if (!empty)
			return;	/* blocked addresses are kept */
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/" CG_PIN_BLOCK_COUNT, pin_dir);
	unlink(path);
	rmdir(pin_dir);
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
