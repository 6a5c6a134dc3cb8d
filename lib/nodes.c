// SPDX-License-Identifier: GPL-2.0
/* nodes.c - see nodes.h. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "csumguard.skel.h"
#include "addr.h"
#include "err.h"
#include "maps.h"
#include "movelog.h"
#include "nodes.h"
#include "pins.h"

/* ------------------------------------------------------------ ordering */

static int addr_cmp(const struct cg_addr *a, const struct cg_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;	/* IPv4 first */
	return memcmp(a->a, b->a, sizeof(a->a));
}

static int by_name(const void *pa, const void *pb)
{
	const struct cg_node_entry *a = pa, *b = pb;
	int c = strncmp(a->node.name, b->node.name, CG_NODE_NAME_LEN);

	return c ? c : addr_cmp(&a->addr, &b->addr);
}

static int by_addr(const void *pa, const void *pb)
{
	return addr_cmp(&((const struct cg_node_entry *)pa)->addr,
			&((const struct cg_node_entry *)pb)->addr);
}

void cg_nodes_sort(struct cg_node_entry *e, size_t n)
{
	if (n > 1)
		qsort(e, n, sizeof(*e), by_name);
}

/* ---------------------------------------------------------------- names */

const char *cg_node_name_invalid(const char *name)
{
	struct cg_addr a;
	size_t n = strlen(name), i;

	if (!n)
		return "it is empty";
	if (n >= CG_NODE_NAME_LEN)
		return "it is longer than 63 bytes";
	if (!isalnum((unsigned char)name[0]))
		return "it does not start with a letter or digit";
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (!(c < 0x80 && (isalnum(c) || c == '.' || c == '-' || c == '_')))
			return "it has a character other than letters, digits, '.', '-', '_'";
	}
	if (!cg_parse_addr(name, &a))
		return "it is an address (nodes del takes either)";
	return NULL;
}

/* ------------------------------------------------------------- the file */

#define NAME_FIX "use letters, digits, '.', '-', '_' (up to 63, starting with a letter or " \
	"digit), e.g. node-17"

/* The entry of address a in e[0..n), or NULL. Linear: files are small and
 * this runs once per line of at most CG_NODES_MAX lines. */
static const struct cg_node_entry *find_addr(const struct cg_node_entry *e, size_t n,
					     const struct cg_addr *a)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!addr_cmp(&e[i].addr, a))
			return &e[i];
	return NULL;
}

/* Parses one line (comment already cut) into *e. 1: an entry, 0: blank,
 * -EINVAL with err "cause; fix" (no position: the caller adds it). */
static int parse_line(char *line, struct cg_node_entry *e, char *err, size_t errlen)
{
	char *tok[4], *save = NULL, *p, *end;
	const char *why;
	unsigned long ttl;
	int nt = 0;

	for (p = strtok_r(line, " \t\r\n", &save); p && nt < 4; p = strtok_r(NULL, " \t\r\n", &save))
		tok[nt++] = p;
	if (!nt)
		return 0;
	memset(e, 0, sizeof(*e));
	if (cg_parse_addr(tok[0], &e->addr))
		return cg_errf(err, errlen, -EINVAL, "bad address '%s'; give one IPv4 or IPv6 "
			       "address per line, e.g. '10.0.3.17 node-17' (no prefix length, no "
			       "host name)", tok[0]);
	if ((why = cg_addr_not_a_source(&e->addr)))
		return cg_errf(err, errlen, -EINVAL, "%s is %s, never the source of a packet; "
			       "give the node's unicast underlay address", tok[0], why);
	if (nt < 2)
		return cg_errf(err, errlen, -EINVAL, "no node name after %s; write 'ADDR NAME', "
			       "e.g. '%s node-17'", tok[0], tok[0]);
	if ((why = cg_node_name_invalid(tok[1])))
		return cg_errf(err, errlen, -EINVAL, "bad node name '%.80s': %s; " NAME_FIX,
			       tok[1], why);
	memcpy(e->node.name, tok[1], strlen(tok[1]) + 1);
	if (nt >= 3) {
		if (strncmp(tok[2], "ttl=", 4) || !isdigit((unsigned char)tok[2][4]))
			return cg_errf(err, errlen, -EINVAL, "unexpected '%.80s' after the name; "
				       "a line is 'ADDR NAME' or 'ADDR NAME ttl=N' (N 1..255)",
				       tok[2]);
		errno = 0;
		ttl = strtoul(tok[2] + 4, &end, 10);
		if (errno || *end || ttl < 1 || ttl > 255)
			return cg_errf(err, errlen, -EINVAL, "bad '%.80s'; the TTL its packets "
				       "arrive with is 1..255, e.g. ttl=64", tok[2]);
		e->node.ttl = (__u8)ttl;
		e->node.flags |= CG_NODE_TTL_SET;
	}
	if (nt >= 4)
		return cg_errf(err, errlen, -EINVAL, "unexpected '%.80s' at the end; a line is "
			       "'ADDR NAME' or 'ADDR NAME ttl=N'", tok[3]);
	return 1;
}

/*
 * Does e (from line `line`) contradict an entry already in have[0..n)
 * (whose lines are in lines[])? 1: the same entry again (skip it), 0: new,
 * -EINVAL with err set.
 */
static int check_dup(const struct cg_node_entry *have, const size_t *lines, size_t n,
		     const struct cg_node_entry *e, char *err, size_t errlen)
{
	const struct cg_node_entry *o = find_addr(have, n, &e->addr);
	char addr[CG_ADDR_STRLEN];

	if (!o)
		return 0;
	cg_addr_str(&e->addr, addr, sizeof(addr));
	if (strcmp(o->node.name, e->node.name))
		return cg_errf(err, errlen, -EINVAL, "%s is node %s already (line %zu); an "
			       "address belongs to one node: remove one of the two lines", addr,
			       o->node.name, lines[o - have]);
	if (o->node.ttl != e->node.ttl || o->node.flags != e->node.flags)
		return cg_errf(err, errlen, -EINVAL, "%s is listed again with another ttl (line "
			       "%zu); keep one line for it", addr, lines[o - have]);
	return 1;
}

int cg_nodes_parse(FILE *f, const char *fname, struct cg_node_entry **out, size_t *n,
		   char *err, size_t errlen)
{
	char why[512], *line = NULL, *hash;
	struct cg_node_entry e, *tab = NULL;
	size_t cap = 0, lineno = 0, *lines = NULL, len = 0;
	ssize_t got;
	int ret = 0, r;

	*out = NULL;
	*n = 0;
	errno = 0;
	while ((got = getline(&line, &len, f)) >= 0) {
		lineno++;
		if (memchr(line, '\0', (size_t)got)) {
			ret = cg_errf(err, errlen, -EINVAL, "%s:%zu: a NUL byte; a nodes file is "
				      "text: 'ADDR NAME' a line", fname, lineno);
			break;
		}
		if ((hash = strchr(line, '#')))
			*hash = '\0';
		r = parse_line(line, &e, why, sizeof(why));
		if (r < 0) {
			ret = cg_errf(err, errlen, r, "%s:%zu: %s", fname, lineno, why);
			break;
		}
		if (!r)
			continue;
		r = check_dup(tab, lines, *n, &e, why, sizeof(why));
		if (r < 0) {
			ret = cg_errf(err, errlen, r, "%s:%zu: %s", fname, lineno, why);
			break;
		}
		if (r)
			continue;
		if (*n >= CG_NODES_MAX) {
			ret = cg_errf(err, errlen, -E2BIG, "%s:%zu: more than %d addresses; "
				      "csumguard keeps at most %d known node addresses", fname,
				      lineno, CG_NODES_MAX, CG_NODES_MAX);
			break;
		}
		if (*n == cap) {
			size_t nc = cap ? 2 * cap : 64;
			void *p = realloc(tab, nc * sizeof(*tab)), *q;

			if (p)
				tab = p;
			q = p ? realloc(lines, nc * sizeof(*lines)) : NULL;
			if (!q) {
				ret = cg_errf(err, errlen, -ENOMEM, "out of memory reading %s",
					      fname);
				break;
			}
			lines = q;
			cap = nc;
		}
		lines[*n] = lineno;
		tab[(*n)++] = e;
	}
	if (!ret && ferror(f))
		ret = cg_errf(err, errlen, errno ? -errno : -EIO, "cannot read %s: %s; check the "
			      "file", fname, strerror(errno ? errno : EIO));
	free(line);
	free(lines);
	if (ret) {
		free(tab);
		*n = 0;
		return ret;
	}
	*out = tab;
	return 0;
}

int cg_nodes_parse_file(const char *path, struct cg_node_entry **out, size_t *n,
			char *err, size_t errlen)
{
	FILE *f;
	int e;

	if (!strcmp(path, "-"))
		return cg_nodes_parse(stdin, "<stdin>", out, n, err, errlen);
	f = fopen(path, "re");
	if (!f)
		return cg_errf(err, errlen, -errno, "cannot open nodes file %s: %s; give a file "
			       "of 'ADDR NAME' lines", path, strerror(errno));
	e = cg_nodes_parse(f, path, out, n, err, errlen);
	fclose(f);
	return e;
}

/* -------------------------------------------------------- map access */

static void nodes_path(const char *pin_dir, char *buf, size_t len)
{
	snprintf(buf, len, "%s/" CG_PIN_NODES, pin_dir);
}

static void count_path(const char *pin_dir, char *buf, size_t len)
{
	snprintf(buf, len, "%s/" CG_PIN_NODE_COUNT, pin_dir);
}

/*
 * The nodes map and its count under pin_dir: opened, or (undo not NULL)
 * created exactly as the BPF object defines them (recorded in undo).
 * 0 with *fd, *cfd open; -ENOENT (undo NULL, no set yet); -errno with err.
 */
static int node_maps(const char *pin_dir, struct cg_undo *undo, int *fd, int *cfd,
		     char *err, size_t errlen)
{
	struct csumguard *skel;
	const struct btf *btf;
	char why[CG_ERRLEN], path[PATH_MAX];
	int ret = 0;

	*fd = *cfd = -1;
	if (!undo) {
		nodes_path(pin_dir, path, sizeof(path));
		*fd = cg_map_open(path);
		if (*fd < 0)
			return *fd == -ENOENT ? -ENOENT :
			       cg_errf(err, errlen, *fd, "cannot open %s: %s; run as root", path,
				       strerror(-*fd));
		count_path(pin_dir, path, sizeof(path));
		*cfd = cg_map_open(path);
		if (*cfd < 0 && *cfd != -ENOENT) {
			ret = cg_errf(err, errlen, *cfd, "cannot open %s: %s; run as root", path,
				      strerror(-*cfd));
			close(*fd);
			*fd = -1;
		}
		return ret;
	}
	skel = csumguard__open();
	if (!skel)
		return cg_errf(err, errlen, errno ? -errno : -ENOMEM, "cannot open the embedded "
			       "BPF object: %s; rebuild csumguard (make)", strerror(errno));
	btf = bpf_object__btf(skel->obj);
	nodes_path(pin_dir, path, sizeof(path));
	*fd = cg_map_open_or_create(skel->maps.cg_nodes, btf, path, undo, why, sizeof(why));
	if (*fd == -ESTALE)
		ret = cg_errf(err, errlen, *fd, "%s; it was made by another csumguard version: "
			      "note the nodes (csumguard nodes list), rm %s, and load them again",
			      why, path);
	else if (*fd < 0)
		ret = cg_errf(err, errlen, *fd, "%s; check that %s is on bpffs and you are root",
			      why, pin_dir);
	if (!ret) {
		count_path(pin_dir, path, sizeof(path));
		*cfd = cg_map_open_or_create(skel->maps.cg_node_count, btf, path, undo, why,
					     sizeof(why));
		if (*cfd < 0)
			ret = cg_errf(err, errlen, *cfd, "%s; remove %s (csumguard recreates it) "
				      "and run the command again", why, path);
	}
	csumguard__destroy(skel);
	if (ret) {
		if (*fd >= 0)
			close(*fd);
		*fd = *cfd = -1;
	}
	return ret;
}

/* Every entry of the map (map order). 0 or -errno. */
static int read_map(int fd, struct cg_node_entry **rows, size_t *n)
{
	struct cg_addr key, next;
	struct cg_node v;
	size_t cap = 0, steps;
	void *prev = NULL;
	int err = 0;

	*rows = NULL;
	*n = 0;
	/* Written only under the pin lock; a key deleted under the walk
	 * restarts it at the first key, so it is bounded and skips what it saw. */
	for (steps = 0; steps < 4 * (size_t)CG_NODES_MAX; steps++) {
		if (bpf_map_get_next_key(fd, prev, &next)) {
			err = errno == ENOENT ? 0 : -errno;
			break;
		}
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &v))
			continue;
		if (find_addr(*rows, *n, &key))
			continue;
		if (*n == cap) {
			void *p = realloc(*rows, (cap ? 2 * cap : 64) * sizeof(**rows));

			if (!p) {
				err = -ENOMEM;
				break;
			}
			*rows = p;
			cap = cap ? 2 * cap : 64;
		}
		v.name[CG_NODE_NAME_LEN - 1] = '\0';	/* written by anyone with bpftool */
		(*rows)[*n].addr = key;
		(*rows)[*n].node = v;
		(*n)++;
	}
	if (err) {
		free(*rows);
		*rows = NULL;
		*n = 0;
	}
	return err;
}

int cg_nodes_count_sync(int fd, int cfd)
{
	struct cg_node_entry *rows;
	__u32 zero = 0, count;
	size_t n;
	int e = read_map(fd, &rows, &n);

	if (e)
		return e;
	free(rows);
	count = (__u32)n;
	return bpf_map_update_elem(cfd, &zero, &count, BPF_ANY) ? -errno : (int)count;
}

/* The same, 0 or -errno (the writers' form). */
static int count_sync(int fd, int cfd)
{
	int e = cg_nodes_count_sync(fd, cfd);

	return e < 0 ? e : 0;
}

/* Distinct names in rows. */
static size_t count_names(const struct cg_node_entry *rows, size_t n)
{
	struct cg_node_entry *c;
	size_t i, k = 0;

	if (!n)
		return 0;
	c = malloc(n * sizeof(*c));
	if (!c)
		return 0;
	memcpy(c, rows, n * sizeof(*c));
	cg_nodes_sort(c, n);
	for (i = 0; i < n; i++)
		k += !i || strcmp(c[i].node.name, c[i - 1].node.name);
	free(c);
	return k;
}

/* The id of name in rows, or the lowest id no other name in rows uses. */
static __u32 id_for(const struct cg_node_entry *rows, size_t n, const char *name)
{
	__u32 id;
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(rows[i].node.name, name) && rows[i].node.id)
			return rows[i].node.id;
	for (id = 1;; id++) {
		for (i = 0; i < n && rows[i].node.id != id; i++)
			;
		if (i == n)
			return id;
	}
}

/* What every writer holds: privileges checked, pin dir ready, the lock, the
 * maps (created if missing). */
struct writer {
	struct cg_undo undo;
	int lock, fd, cfd;
	char path[PATH_MAX];	/* PIN_DIR/nodes */
};

static int writer_open(struct writer *w, const char *pin_dir, const char *cmd, int create,
		       int *mounted, char *err, size_t errlen)
{
	int e, m = 0;

	memset(w, 0, sizeof(*w));
	w->lock = w->fd = w->cfd = -1;
	if (mounted)
		*mounted = 0;
	nodes_path(pin_dir, w->path, sizeof(w->path));
	if ((e = cg_check_privileges(CG_NEED_BPF, cmd, err, errlen)))
		return e;
	e = cg_pin_dir_ready(pin_dir, create, &m, create ? &w->undo : NULL, err, errlen);
	if (e < 0)
		return e;
	if (e == 1)
		return -ENOENT;		/* create == 0: nothing pinned there */
	w->lock = cg_pin_lock(pin_dir);
	if (w->lock < 0) {
		e = cg_errf(err, errlen, w->lock, "cannot lock %s: %s; check --pin-dir", pin_dir,
			    strerror(-w->lock));
		cg_undo_run(&w->undo);
		return e;
	}
	cg_move_recover(pin_dir, 1);	/* a move a killed command left */
	e = node_maps(pin_dir, create ? &w->undo : NULL, &w->fd, &w->cfd, err, errlen);
	if (e) {
		cg_undo_run(&w->undo);
		close(w->lock);
		w->lock = -1;
		return e;
	}
	if (mounted)
		*mounted = m;
	return 0;
}

/* ok: keep what was created. */
static void writer_close(struct writer *w, int ok)
{
	if (ok)
		w->undo.n = 0;
	cg_undo_run(&w->undo);
	if (w->fd >= 0)
		close(w->fd);
	if (w->cfd >= 0)
		close(w->cfd);
	if (w->lock >= 0)
		close(w->lock);
}

/* r's totals from the map as it is now. */
static void result_totals(int fd, struct cg_nodes_result *r)
{
	struct cg_node_entry *rows;
	size_t n;

	if (read_map(fd, &rows, &n))
		return;
	r->total = n;
	r->nodes = count_names(rows, n);
	free(rows);
}

static int sync_failed(int e, const char *path, char *err, size_t errlen)
{
	return cg_errf(err, errlen, e, "the nodes changed, but their count (%s_count) could "
		       "not be written: %s; run the command again as root", path, strerror(-e));
}

int cg_nodes_add(const char *pin_dir, const struct cg_addr *a, const char *name, int ttl,
		 struct cg_nodes_result *r, char *err, size_t errlen)
{
	char addr[CG_ADDR_STRLEN];
	struct cg_node_entry *rows = NULL;
	struct cg_node v = {}, old;
	struct writer w;
	const char *why;
	size_t n = 0;
	int e, ret;

	memset(r, 0, sizeof(*r));
	cg_addr_str(a, addr, sizeof(addr));
	if ((why = cg_node_name_invalid(name)))
		return cg_errf(err, errlen, -EINVAL, "bad node name '%.80s': %s; " NAME_FIX, name,
			       why);
	if ((why = cg_addr_not_a_source(a)))
		return cg_errf(err, errlen, -EINVAL, "%s is %s, never the source of a packet; "
			       "give the node's unicast underlay address", addr, why);
	if (ttl < -1 || ttl > 255)
		return cg_errf(err, errlen, -EINVAL, "bad ttl %d; give 1..255", ttl);
	if ((ret = writer_open(&w, pin_dir, "nodes", 1, &r->mounted, err, errlen)))
		return ret;
	if ((ret = read_map(w.fd, &rows, &n))) {
		ret = cg_errf(err, errlen, ret, "cannot read %s: %s; run as root", w.path,
			      strerror(-ret));
		goto out;
	}
	r->existed = !bpf_map_lookup_elem(w.fd, a, &old);
	if (r->existed && strcmp(old.name, name)) {
		ret = cg_errf(err, errlen, -EEXIST, "%s is node %.63s already; an address belongs "
			      "to one node: remove it first (csumguard nodes del %s)", addr,
			      old.name, addr);
		goto out;
	}
	if (!r->existed && n >= CG_NODES_MAX) {
		ret = cg_errf(err, errlen, -E2BIG, "the nodes map is full (%d addresses); remove "
			      "some first (csumguard nodes list, csumguard nodes del)",
			      CG_NODES_MAX);
		goto out;
	}
	if (r->existed)
		v = old;
	snprintf(v.name, sizeof(v.name), "%s", name);
	v.id = id_for(rows, n, name);
	if (ttl > 0) {
		v.ttl = (__u8)ttl;
		v.flags |= CG_NODE_TTL_SET;
	} else if (ttl < 0) {
		v.ttl = 0;
		v.flags &= ~CG_NODE_TTL_SET;
	}
	if (bpf_map_update_elem(w.fd, a, &v, BPF_ANY)) {
		e = errno;
		ret = cg_errf(err, errlen, -e, "cannot add %s to %s: %s; run as root", addr,
			      w.path, strerror(e));
		goto out;
	}
	if ((e = count_sync(w.fd, w.cfd))) {
		if (r->existed)
			bpf_map_update_elem(w.fd, a, &old, BPF_ANY);
		else
			bpf_map_delete_elem(w.fd, a);
		ret = sync_failed(e, w.path, err, errlen);
		goto out;
	}
	if (r->existed) {
		r->changed = memcmp(&old, &v, sizeof(v)) != 0;
	} else {
		r->added = 1;
		cg_move_rows_logged(pin_dir, CG_PIN_SRC_NODES, a, 1);
	}
	result_totals(w.fd, r);
	ret = 0;
out:
	free(rows);
	writer_close(&w, !ret);
	if (ret)
		r->mounted = 0;
	return ret;
}

int cg_nodes_del(const char *pin_dir, const char *what, struct cg_nodes_result *r,
		 char *err, size_t errlen)
{
	struct cg_node_entry *rows = NULL;
	struct cg_addr a;
	struct writer w;
	size_t n = 0, i;
	int by_address = !cg_parse_addr(what, &a), e, ret;

	memset(r, 0, sizeof(*r));
	ret = writer_open(&w, pin_dir, "nodes", 0, NULL, err, errlen);
	if (ret == -ENOENT)
		return cg_errf(err, errlen, -ENOENT, "%s is not a known node (no nodes under %s); "
			       "nothing to do", what, pin_dir);
	if (ret)
		return ret;
	if ((ret = read_map(w.fd, &rows, &n))) {
		ret = cg_errf(err, errlen, ret, "cannot read %s: %s; run as root", w.path,
			      strerror(-ret));
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (by_address ? addr_cmp(&rows[i].addr, &a) : strcmp(rows[i].node.name, what))
			continue;
		if (bpf_map_delete_elem(w.fd, &rows[i].addr) && errno != ENOENT) {
			e = errno;
			ret = cg_errf(err, errlen, -e, "cannot remove an address of %s from %s: %s; "
				      "run as root", what, w.path, strerror(e));
			break;
		}
		r->removed++;
		cg_move_rows_logged(pin_dir, CG_PIN_SRC_NODES, &rows[i].addr, 0);
	}
	if (!ret && !r->removed)
		ret = cg_errf(err, errlen, -ENOENT, "%s is not a known %s; see csumguard nodes "
			      "list", what, by_address ? "node address" : "node name");
	if (r->removed && (e = count_sync(w.fd, w.cfd)) && !ret)
		ret = sync_failed(e, w.path, err, errlen);
	result_totals(w.fd, r);
out:
	free(rows);
	writer_close(&w, 1);
	return ret;
}

int cg_nodes_load(const char *pin_dir, const struct cg_node_entry *e, size_t n,
		  struct cg_nodes_result *r, char *err, size_t errlen)
{
	struct cg_node_entry *old = NULL, *want = NULL;
	const struct cg_node_entry *o;
	char addr[CG_ADDR_STRLEN], why[512];
	size_t nold = 0, i, j, done = 0, *lines = NULL;
	struct writer w;
	int ret, x;

	memset(r, 0, sizeof(*r));
	if (n > CG_NODES_MAX)
		return cg_errf(err, errlen, -E2BIG, "%zu addresses; csumguard keeps at most %d "
			       "known node addresses", n, CG_NODES_MAX);
	/* The file's rules, for sets that did not come from a file. */
	lines = calloc(n ? n : 1, sizeof(*lines));
	want = calloc(n ? n : 1, sizeof(*want));
	if (!lines || !want) {
		free(lines);
		free(want);
		return cg_errf(err, errlen, -ENOMEM, "out of memory");
	}
	for (i = 0, j = 0; i < n; i++) {
		const char *bad = cg_node_name_invalid(e[i].node.name);

		cg_addr_str(&e[i].addr, addr, sizeof(addr));
		if (bad || cg_addr_not_a_source(&e[i].addr)) {
			ret = cg_errf(err, errlen, -EINVAL, "entry %zu (%s %.63s): %s; " NAME_FIX,
				      i + 1, addr, e[i].node.name, bad ? bad :
				      "not a unicast source address");
			goto out_free;
		}
		x = check_dup(want, lines, j, &e[i], why, sizeof(why));
		if (x < 0) {
			ret = cg_errf(err, errlen, x, "entry %zu: %s", i + 1, why);
			goto out_free;
		}
		if (x)
			continue;
		lines[j] = i + 1;
		want[j++] = e[i];
	}
	n = j;
	if ((ret = writer_open(&w, pin_dir, "nodes", 1, &r->mounted, err, errlen)))
		goto out_free;
	if ((ret = read_map(w.fd, &old, &nold))) {
		ret = cg_errf(err, errlen, ret, "cannot read %s: %s; run as root", w.path,
			      strerror(-ret));
		goto out;
	}
	/* Ids: a name that stays keeps its id; new names get the lowest free
	 * ones, after every kept name has claimed its own. */
	for (i = 0; i < n; i++) {
		want[i].node.id = 0;
		for (j = 0; j < nold; j++)
			if (!strcmp(old[j].node.name, want[i].node.name)) {
				want[i].node.id = old[j].node.id;
				break;
			}
	}
	for (i = 0; i < n; i++)
		if (!want[i].node.id)
			want[i].node.id = id_for(want, n, want[i].node.name);
	/* A learned TTL stays with an address that keeps its name. */
	for (i = 0; i < n; i++) {
		o = find_addr(old, nold, &want[i].addr);
		if (o && !strcmp(o->node.name, want[i].node.name) &&
		    !(want[i].node.flags & CG_NODE_TTL_SET) && !(o->node.flags & CG_NODE_TTL_SET))
			want[i].node.ttl = o->node.ttl;
	}
	/* New and changed entries first: an address in both sets is never
	 * missing from the map. */
	for (i = 0; i < n; i++) {
		o = find_addr(old, nold, &want[i].addr);
		if (o && !memcmp(&o->node, &want[i].node, sizeof(o->node)))
			continue;
		if (bpf_map_update_elem(w.fd, &want[i].addr, &want[i].node, BPF_ANY)) {
			x = errno;
			cg_addr_str(&want[i].addr, addr, sizeof(addr));
			ret = cg_errf(err, errlen, -x, "cannot write %s to %s: %s; the old set was "
				      "put back; run as root", addr, w.path, strerror(x));
			goto rollback;
		}
		done = i + 1;
		if (o)
			r->changed++;
		else
			r->added++;
	}
	for (i = 0; i < nold; i++) {
		if (find_addr(want, n, &old[i].addr))
			continue;
		if (bpf_map_delete_elem(w.fd, &old[i].addr) && errno != ENOENT) {
			x = errno;
			cg_addr_str(&old[i].addr, addr, sizeof(addr));
			ret = cg_errf(err, errlen, -x, "cannot remove %s from %s: %s; the old set "
				      "was put back; run as root", addr, w.path, strerror(x));
			goto rollback;
		}
		r->removed++;
	}
	if ((x = count_sync(w.fd, w.cfd))) {
		ret = sync_failed(x, w.path, err, errlen);
		goto out;
	}
	/* The rows follow: new nodes' into their table, old ones' back. */
	for (i = 0; i < n; i++)
		if (!find_addr(old, nold, &want[i].addr))
			cg_move_rows_logged(pin_dir, CG_PIN_SRC_NODES, &want[i].addr, 1);
	for (i = 0; i < nold; i++)
		if (!find_addr(want, n, &old[i].addr))
			cg_move_rows_logged(pin_dir, CG_PIN_SRC_NODES, &old[i].addr, 0);
	result_totals(w.fd, r);
	ret = 0;
	goto out;
rollback:
	/* Every old entry back as it was, every new one out. */
	for (i = 0; i < nold; i++)
		bpf_map_update_elem(w.fd, &old[i].addr, &old[i].node, BPF_ANY);
	for (i = 0; i < done; i++)
		if (!find_addr(old, nold, &want[i].addr))
			bpf_map_delete_elem(w.fd, &want[i].addr);
	count_sync(w.fd, w.cfd);
	memset(r, 0, sizeof(*r));
out:
	writer_close(&w, 1);	/* maps created are kept: they held or hold the set */
out_free:
	free(old);
	free(want);
	free(lines);
	return ret;
}

int cg_nodes_read(const char *pin_dir, struct cg_node_entry **rows, size_t *n,
		  char *err, size_t errlen)
{
	int e, fd, cfd, mounted;

	*rows = NULL;
	*n = 0;
	if ((e = cg_check_privileges(CG_NEED_BPF, "nodes", err, errlen)))
		return e;
	e = cg_pin_dir_ready(pin_dir, 0, &mounted, NULL, err, errlen);
	if (e < 0)
		return e;
	if (e == 1)
		return 0;
	e = node_maps(pin_dir, NULL, &fd, &cfd, err, errlen);
	if (e == -ENOENT)
		return 0;
	if (e)
		return e;
	e = read_map(fd, rows, n);
	close(fd);
	if (cfd >= 0)
		close(cfd);
	if (e)
		return cg_errf(err, errlen, e, "cannot read %s/" CG_PIN_NODES ": %s; run as root",
			       pin_dir, strerror(-e));
	cg_nodes_sort(*rows, *n);
	return 0;
}

int cg_nodes_set_ttl(const char *pin_dir, const struct cg_addr *a, __u8 ttl,
		     char *err, size_t errlen)
{
	char addr[CG_ADDR_STRLEN];
	struct cg_node v;
	struct writer w;
	int ret;

	cg_addr_str(a, addr, sizeof(addr));
	ret = writer_open(&w, pin_dir, "nodes", 0, NULL, err, errlen);
	if (ret == -ENOENT)
		return cg_errf(err, errlen, -ENOENT, "%s is not a known node; nothing learned",
			       addr);
	if (ret)
		return ret;
	if (bpf_map_lookup_elem(w.fd, a, &v))
		ret = cg_errf(err, errlen, -ENOENT, "%s is not a known node (any more); nothing "
			      "learned", addr);
	else if (v.flags & CG_NODE_TTL_SET)
		ret = cg_errf(err, errlen, -EPERM, "%s has a configured ttl (%u); learning never "
			      "overrides it", addr, v.ttl);
	else {
		v.ttl = ttl;
		/* BPF_EXIST: a node removed meanwhile is not brought back */
		if (bpf_map_update_elem(w.fd, a, &v, BPF_EXIST))
			ret = cg_errf(err, errlen, -errno, "cannot write the ttl of %s: %s; run "
				      "as root", addr, strerror(errno));
	}
	writer_close(&w, 1);
	return ret;
}

/* --------------------------------------------------------- TTL learning */

static void ttl_path(const char *pin_dir, char *buf, size_t len)
{
	snprintf(buf, len, "%s/" CG_PIN_TTL_SEEN, pin_dir);
}

int cg_nodes_ttl_seen(const char *pin_dir, struct cg_ttl_seen **rows, size_t *n,
		      char *err, size_t errlen)
{
	struct cg_ttl_key key, next;
	char path[PATH_MAX];
	size_t cap = 0, steps;
	void *prev = NULL;
	__u64 v;
	int fd, e = 0;

	*rows = NULL;
	*n = 0;
	ttl_path(pin_dir, path, sizeof(path));
	fd = cg_map_open(path);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return cg_errf(err, errlen, fd, "cannot open %s: %s; run as root", path,
			       strerror(-fd));
	/* The datapath inserts while this walks: bounded, duplicates skipped. */
	for (steps = 0; steps < 2 * (size_t)CG_TTL_SEEN_MAX; steps++) {
		size_t i;

		if (bpf_map_get_next_key(fd, prev, &next)) {
			e = errno == ENOENT ? 0 : -errno;
			break;
		}
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &v))
			continue;
		for (i = 0; i < *n; i++)
			if (!addr_cmp(&(*rows)[i].addr, &key.addr) && (*rows)[i].ttl == key.ttl)
				break;
		if (i < *n)
			continue;
		if (*n == cap) {
			void *p = realloc(*rows, (cap ? 2 * cap : 32) * sizeof(**rows));

			if (!p) {
				e = -ENOMEM;
				break;
			}
			*rows = p;
			cap = cap ? 2 * cap : 32;
		}
		(*rows)[*n].addr = key.addr;
		(*rows)[*n].ttl = key.ttl;
		(*rows)[*n].count = v;
		(*n)++;
	}
	close(fd);
	if (e) {
		free(*rows);
		*rows = NULL;
		*n = 0;
		return cg_errf(err, errlen, e, "cannot read %s: %s; run as root", path,
			       strerror(-e));
	}
	return 0;
}

int cg_nodes_ttl_forget(const char *pin_dir, const struct cg_addr *a, char *err, size_t errlen)
{
	char path[PATH_MAX];
	struct cg_ttl_key key = {};
	int fd, t, e = 0;

	ttl_path(pin_dir, path, sizeof(path));
	fd = cg_map_open(path);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return cg_errf(err, errlen, fd, "cannot open %s: %s; run as root", path,
			       strerror(-fd));
	/* At most 256 keys per address: delete them by key, no walk. */
	key.addr = *a;
	for (t = 0; t < 256; t++) {
		key.ttl = (__u8)t;
		if (bpf_map_delete_elem(fd, &key) && errno != ENOENT && !e)
			e = -errno;
	}
	close(fd);
	if (e)
		return cg_errf(err, errlen, e, "cannot clear %s: %s; run as root", path,
			       strerror(-e));
	return 0;
}

/* ------------------------------------------------------------ lookups */

struct cg_nodes {
	struct cg_node_entry *by_name;	/* sorted by name (listing) */
	struct cg_node_entry *by_addr;	/* the same, sorted by address (lookups) */
	size_t n, nnames;
};

int cg_nodes_from(const struct cg_node_entry *e, size_t n, struct cg_nodes **out)
{
	struct cg_nodes *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return -ENOMEM;
	if (n) {
		s->by_name = malloc(n * sizeof(*e));
		s->by_addr = malloc(n * sizeof(*e));
		if (!s->by_name || !s->by_addr) {
			cg_nodes_close(s);
			return -ENOMEM;
		}
		memcpy(s->by_name, e, n * sizeof(*e));
		memcpy(s->by_addr, e, n * sizeof(*e));
		cg_nodes_sort(s->by_name, n);
		qsort(s->by_addr, n, sizeof(*e), by_addr);
	}
	s->n = n;
	s->nnames = count_names(e, n);
	*out = s;
	return 0;
}

int cg_nodes_open(const char *pin_dir, struct cg_nodes **out, char *err, size_t errlen)
{
	struct cg_node_entry *rows;
	size_t n;
	int e;

	*out = NULL;
	if ((e = cg_nodes_read(pin_dir, &rows, &n, err, errlen)))
		return e;
	e = cg_nodes_from(rows, n, out);
	free(rows);
	if (e)
		return cg_errf(err, errlen, e, "out of memory reading the known nodes");
	return 0;
}

const struct cg_node *cg_nodes_find(const struct cg_nodes *s, const struct cg_addr *a)
{
	struct cg_node_entry key, *hit;

	if (!s || !s->n)
		return NULL;
	key.addr = *a;
	hit = bsearch(&key, s->by_addr, s->n, sizeof(key), by_addr);
	return hit ? &hit->node : NULL;
}

const char *cg_nodes_name(const struct cg_nodes *s, const struct cg_addr *a)
{
	const struct cg_node *node = cg_nodes_find(s, a);

	return node ? node->name : NULL;
}

size_t cg_nodes_count(const struct cg_nodes *s)
{
	return s ? s->n : 0;
}

size_t cg_nodes_nodes(const struct cg_nodes *s)
{
	return s ? s->nnames : 0;
}

const struct cg_node_entry *cg_nodes_entries(const struct cg_nodes *s, size_t *n)
{
	*n = s ? s->n : 0;
	return s ? s->by_name : NULL;
}

void cg_nodes_close(struct cg_nodes *s)
{
	if (!s)
		return;
	free(s->by_name);
	free(s->by_addr);
	free(s);
}
