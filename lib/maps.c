// SPDX-License-Identifier: GPL-2.0
/* maps.c - see maps.h. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "err.h"
#include "maps.h"
#include "names.h"
#include "pins.h"
#include "ports.h"

int cg_ncpus(void)
{
	return libbpf_num_possible_cpus();
}

int cg_ports_set(int ports_fd, uint16_t port, enum cg_encap encap)
{
	__u32 key = port, val = encap;

	return bpf_map_update_elem(ports_fd, &key, &val, BPF_ANY) ? -errno : 0;
}

int cg_ports_clear(int ports_fd)
{
	__u32 port;
	int err;

	for (port = 0; port < CG_PORT_TABLE_SIZE; port++) {
		err = cg_ports_set(ports_fd, (uint16_t)port, CG_ENCAP_NONE);
		if (err)
			return err;
	}
	return 0;
}

int cg_ports_set_defaults(int ports_fd)
{
	int err = 0, i;

	for (i = 0; !err && i < CG_N_DEFAULT_PORTS; i++)
		err = cg_ports_set(ports_fd, cg_default_ports[i].port, cg_default_ports[i].encap);
	return err;
}

int cg_ports_write(int ports_fd, const struct cg_port_spec *ports, int n)
{
	int err, i;

	err = cg_ports_clear(ports_fd);
	for (i = 0; !err && i < n; i++)
		err = cg_ports_set(ports_fd, ports[i].port, ports[i].encap);
	return err;
}

void cg_settings_save_config(int config_fd, struct cg_settings *s)
{
	s->have_config = !cg_config_read(config_fd, &s->config);
}

void cg_settings_save_ports(int ports_fd, struct cg_settings *s)
{
	s->ports = calloc(CG_PORT_TABLE_SIZE, sizeof(*s->ports));
	if (s->ports && cg_ports_read(ports_fd, s->ports)) {
		free(s->ports);
		s->ports = NULL;
	}
}

void cg_settings_restore(int ports_fd, int config_fd, const struct cg_settings *s)
{
	__u32 p;

	if (s->have_config && config_fd >= 0)
		cg_config_write(config_fd, &s->config);
	if (s->ports && ports_fd >= 0)
		for (p = 0; p < CG_PORT_TABLE_SIZE; p++)
			cg_ports_set(ports_fd, (uint16_t)p, (enum cg_encap)s->ports[p]);
}

void cg_settings_free(struct cg_settings *s)
{
	free(s->ports);
	s->ports = NULL;
}

int cg_settings_write(int ports_fd, int config_fd, int block_fd, int count_fd,
		      const struct cg_port_spec *ports, int n, const struct cg_config *cfg,
		      char *err, size_t errlen)
{
	int e;

	if ((e = cg_ports_write(ports_fd, ports, n)) || (e = cg_config_write(config_fd, cfg)))
		return cg_errf(err, errlen, e, "cannot write the port table or mode: %s; rerun "
			       "with --verbose", strerror(-e));
	if ((e = cg_block_count_sync(block_fd, count_fd)) < 0)
		return cg_errf(err, errlen, e, "cannot count the blocklist: %s; rerun with "
			       "--verbose", strerror(-e));
	return 0;
}

int cg_config_write(int config_fd, const struct cg_config *cfg)
{
	__u32 key = 0;

	return bpf_map_update_elem(config_fd, &key, cfg, BPF_ANY) ? -errno : 0;
}

int cg_config_read(int config_fd, struct cg_config *cfg)
{
	__u32 key = 0;

	return bpf_map_lookup_elem(config_fd, &key, cfg) ? -errno : 0;
}

/*
 * The one slot of a per-CPU array whose value is nothing but __u64
 * counters, summed over CPUs into out (size bytes). The per-interface
 * totals of both hooks are such values.
 */
static int percpu_counters_sum(int fd, void *out, size_t size)
{
	int n = cg_ncpus(), i, err = 0;
	size_t k, words = size / sizeof(__u64);
	__u64 *v, *o = out;
	__u32 key = 0;

	if (n < 0)
		return n;
	v = calloc((size_t)n, size);	/* per-CPU values are 8-byte aligned: size is */
	if (!v)
		return -ENOMEM;
	memset(out, 0, size);
	if (bpf_map_lookup_elem(fd, &key, v))
		err = -errno;
	for (i = 0; !err && i < n; i++)
		for (k = 0; k < words; k++)
			o[k] += v[(size_t)i * words + k];
	free(v);
	return err;
}

_Static_assert(sizeof(struct cg_iface_stats) % sizeof(__u64) == 0, "u64 counters only");
_Static_assert(sizeof(struct cg_egress_stats) % sizeof(__u64) == 0, "u64 counters only");

int cg_iface_read(int iface_fd, struct cg_iface_stats *out)
{
	return percpu_counters_sum(iface_fd, out, sizeof(*out));
}

int cg_egress_read(int egress_fd, struct cg_egress_stats *out)
{
	return percpu_counters_sum(egress_fd, out, sizeof(*out));
}

/* Adds b's counters into a (times: the newer). */
static void src_add(struct cg_src_stats *a, const struct cg_src_stats *b)
{
	size_t nf;
	const struct cg_field *f = cg_src_fields(&nf);

	cg_fields_add(a, b, f, nf);
}

void cg_src_add(struct cg_src_stats *a, const struct cg_src_stats *b)
{
	src_add(a, b);
}

void cg_src_sum(const struct cg_src_stats *percpu, int ncpus, struct cg_src_stats *out)
{
	const struct cg_field *f;
	size_t nf;
	int i;

	f = cg_src_fields(&nf);
	memset(out, 0, sizeof(*out));
	for (i = 0; i < ncpus; i++)
		cg_fields_add(out, &percpu[i], f, nf);
}

void cg_src_hot_add(struct cg_src_stats *out, const struct cg_src_hot *h)
{
	int z;

	out->packets += h->ok + h->unfinished;
	out->bytes += h->bytes;
	out->verdict[CG_V_OK] += h->ok;
	out->verdict[CG_V_UNFINISHED] += h->unfinished;
	for (z = 0; z < CG_ZERO_INNER_MAX; z++) {
		out->zero_inner[z] += h->zero_inner[z];
		out->verdict[CG_V_ZERO] += h->zero_inner[z];
		out->packets += h->zero_inner[z];
	}
	out->evidence_checked += h->evidence_checked;
}

void cg_src_join(const struct cg_src_hot *percpu, int ncpus, const struct cg_src_stats *rare,
		 struct cg_src_stats *out)
{
	int i;

	if (rare)
		*out = *rare;
	else
		memset(out, 0, sizeof(*out));
	for (i = 0; i < ncpus; i++)
		cg_src_hot_add(out, &percpu[i]);
}

int cg_src_read(int src_fd, int rare_fd, const struct cg_addr *addr, struct cg_src_stats *out)
{
	int n = cg_ncpus(), err = 0, have_rare = 0;
	struct cg_src_stats rare;
	struct cg_src_hot *v;

	if (n < 0)
		return n;
	v = calloc((size_t)n, sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (rare_fd >= 0 && !bpf_map_lookup_elem(rare_fd, addr, &rare))
		have_rare = 1;
	else if (rare_fd >= 0 && errno != ENOENT)
		err = -errno;
	if (!err && bpf_map_lookup_elem(src_fd, addr, v)) {
		err = -errno;
		if (err == -ENOENT && have_rare) {
			memset(v, 0, (size_t)n * sizeof(*v));	/* the shared part alone */
			err = 0;
		}
	}
	if (!err)
		cg_src_join(v, n, have_rare ? &rare : NULL, out);
	free(v);
	return err;
}

int cg_src_cache_read(int cache_fd, int table, struct cg_src_row **rows, size_t *n)
{
	int ncpus = cg_ncpus(), c, err = 0;
	struct cg_src_slot *v;
	struct cg_src_row one;
	__u32 i;

	*rows = NULL;
	*n = 0;
	if (ncpus < 0)
		return ncpus;
	v = calloc((size_t)ncpus, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; !err && i < CG_SRC_CACHE_SLOTS; i++) {
		if (bpf_map_lookup_elem(cache_fd, &i, v)) {
			err = -errno;
			break;
		}
		for (c = 0; !err && c < ncpus; c++) {
			if (v[c].table == CG_SLOT_FREE || (table && (int)v[c].table != table))
				continue;
			memset(&one, 0, sizeof(one));
			one.addr = v[c].key;
			cg_src_hot_add(&one.st, &v[c].c);
			/* one source may wait in this slot on several CPUs */
			err = cg_src_merge(rows, n, &one, 1);
		}
	}
	free(v);
	if (err) {
		free(*rows);
		*rows = NULL;
		*n = 0;
	}
	return err;
}

/* Grows *rows to hold at least want entries. */
static int grow(void **rows, size_t *cap, size_t want, size_t elem)
{
	size_t ncap = *cap ? *cap : 64;
	void *p;

	if (want <= *cap)
		return 0;
	while (ncap < want)
		ncap *= 2;
	p = realloc(*rows, ncap * elem);
	if (!p)
		return -ENOMEM;
	*rows = p;
	*cap = ncap;
	return 0;
}

/* Index of addr in rows[0..n), or n. */
static size_t find_addr(const void *rows, size_t n, size_t elem, const struct cg_addr *addr)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!memcmp((const char *)rows + i * elem, addr, sizeof(*addr)))
			break;
	return i;
}

/*
 * Every entry of a hash keyed by struct cg_addr (per-CPU: ncpus values a
 * key; else 1), summed over CPUs by sum, as rows of row_size bytes (the key first, the summed value at
 * val_off), in map order. Batch lookups (kernel 5.6+).
 */
static int addr_read_all(int fd, int ncpus, size_t val_size, size_t row_size, size_t val_off,
			 void (*sum)(const void *percpu, int ncpus, void *out),
			 void **rows, size_t *n)
{
	DECLARE_LIBBPF_OPTS(bpf_map_batch_opts, opts);
	int err = 0, first = 1;
	char *vals = NULL;
	struct cg_addr *keys = NULL;
	size_t cap = 0, chunk = 512, i;
	__u64 in_batch = 0, out_batch = 0;	/* opaque cursor (a bucket index) */
	__u32 count;

	*rows = NULL;
	*n = 0;
	if (ncpus < 0)
		return ncpus;
	for (;;) {
		if (!keys) {
			keys = calloc(chunk, sizeof(*keys));
			vals = calloc(chunk * (size_t)ncpus, val_size);
			if (!keys || !vals) {
				err = -ENOMEM;
				break;
			}
		}
		count = (__u32)chunk;
		err = bpf_map_lookup_batch(fd, first ? NULL : &in_batch, &out_batch,
					   keys, vals, &count, &opts) ? -errno : 0;
		if (err == -ENOSPC && chunk < (1u << 16)) {
			/* one hash bucket holds more than a chunk: retry bigger */
			free(keys);
			free(vals);
			keys = NULL;
			vals = NULL;
			chunk *= 4;
			continue;
		}
		if (err && err != -ENOENT)
			break;	/* batch lookup: every kernel from 5.6, so from our floor 6.1 */
		if (grow(rows, &cap, *n + count, row_size)) {
			err = -ENOMEM;
			break;
		}
		/* A key lives in one bucket: batches never repeat one. */
		for (i = 0; i < count; i++) {
			char *row = (char *)*rows + *n * row_size;

			memcpy(row, &keys[i], sizeof(keys[i]));
			sum(vals + i * (size_t)ncpus * val_size, ncpus, row + val_off);
			(*n)++;
		}
		if (err == -ENOENT) {
			err = 0;
			break;
		}
		in_batch = out_batch;
		first = 0;
	}
	free(keys);
	free(vals);
	if (err) {
		free(*rows);
		*rows = NULL;
		*n = 0;
	}
	return err;
}

static void src_hot_sum_any(const void *percpu, int ncpus, void *out)
{
	cg_src_join(percpu, ncpus, NULL, out);
}

static void src_copy_any(const void *v, int ncpus, void *out)
{
	(void)ncpus;
	memcpy(out, v, sizeof(struct cg_src_stats));
}

int cg_src_read_all(int src_fd, int rare_fd, struct cg_src_row **rows, size_t *n,
		    size_t nparts[2])
{
	struct cg_src_row *rare = NULL;
	size_t nr = 0;
	int ncpus = cg_ncpus(), e;

	if (nparts)
		nparts[0] = nparts[1] = 0;
	if (ncpus < 0)
		return ncpus;
	e = addr_read_all(src_fd, ncpus, sizeof(struct cg_src_hot), sizeof(**rows),
			  offsetof(struct cg_src_row, st), src_hot_sum_any, (void **)rows, n);
	if (!e && nparts)
		nparts[0] = *n;
	if (e || rare_fd < 0)
		return e;
	e = addr_read_all(rare_fd, 1, sizeof(struct cg_src_stats), sizeof(**rows),
			  offsetof(struct cg_src_row, st), src_copy_any, (void **)&rare, &nr);
	if (!e)
		e = cg_src_merge(rows, n, rare, nr);
	free(rare);
	if (e) {
		free(*rows);
		*rows = NULL;
		*n = 0;
	} else if (nparts) {
		nparts[1] = nr;
	}
	return e;
}

void cg_dst_sum(const struct cg_dst_stats *percpu, int ncpus, struct cg_dst_stats *out)
{
	const struct cg_field *f;
	size_t nf;
	int i;

	f = cg_dst_fields(&nf);
	memset(out, 0, sizeof(*out));
	for (i = 0; i < ncpus; i++)
		cg_fields_add(out, &percpu[i], f, nf);
}

static void dst_sum_any(const void *percpu, int ncpus, void *out)
{
	cg_dst_sum(percpu, ncpus, out);
}

int cg_dst_read_all(int dst_fd, struct cg_dst_row **rows, size_t *n)
{
	int ncpus = cg_ncpus();

	if (ncpus < 0)
		return ncpus;
	return addr_read_all(dst_fd, ncpus, sizeof(struct cg_dst_stats), sizeof(**rows),
			     offsetof(struct cg_dst_row, st), dst_sum_any, (void **)rows, n);
}

int cg_ports_read(int ports_fd, uint32_t *encap)
{
	DECLARE_LIBBPF_OPTS(bpf_map_batch_opts, opts);
	__u32 port, val, count = CG_PORT_TABLE_SIZE, out_batch = 0;
	__u32 *keys = calloc(CG_PORT_TABLE_SIZE, sizeof(*keys));
	int err;

	/* One batch call where the kernel has it (5.6+), else 65536 lookups. */
	if (keys) {
		err = bpf_map_lookup_batch(ports_fd, NULL, &out_batch, keys, encap,
					   &count, &opts) ? -errno : 0;
		free(keys);
		if ((!err || err == -ENOENT) && count == CG_PORT_TABLE_SIZE)
			return 0;
	}
	for (port = 0; port < CG_PORT_TABLE_SIZE; port++) {
		if (bpf_map_lookup_elem(ports_fd, &port, &val))
			return -errno;
		encap[port] = val;
	}
	return 0;
}

int cg_blocklist_read_all(int block_fd, struct cg_block_row **rows, size_t *n)
{
	struct cg_addr key, next;
	size_t cap = 0, steps;
	void *prev = NULL;
	struct cg_block b;
	int err = 0;

	*rows = NULL;
	*n = 0;
	/* A plain hash changed only by the command: a key-by-key walk is
	 * enough. A key deleted under the walk restarts it at the first key,
	 * so it is bounded and skips keys it has seen. */
	for (steps = 0; steps < 4 * (size_t)CG_BLOCKLIST_MAX; steps++) {
		if (bpf_map_get_next_key(block_fd, prev, &next)) {
			err = errno == ENOENT ? 0 : -errno;
			break;
		}
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(block_fd, &key, &b))
			continue;	/* removed meanwhile */
		if (find_addr(*rows, *n, sizeof(**rows), &key) < *n)
			continue;	/* seen before a restart */
		err = grow((void **)rows, &cap, *n + 1, sizeof(**rows));
		if (err)
			break;
		(*rows)[*n].addr = key;
		(*rows)[*n].b = b;
		(*n)++;
	}
	if (err) {
		free(*rows);
		*rows = NULL;
		*n = 0;
	}
	return err;
}

int cg_block_count_sync(int block_fd, int count_fd)
{
	struct cg_block_row *rows;
	__u32 zero = 0, count;
	size_t n;
	int err;

	err = cg_blocklist_read_all(block_fd, &rows, &n);
	if (err)
		return err;
	free(rows);
	count = (__u32)n;
	if (bpf_map_update_elem(count_fd, &zero, &count, BPF_ANY))
		return -errno;
	return (int)count;
}

/* Order of rows by address (then family), for merging. */
static int row_addr_cmp(const void *a, const void *b)
{
	return memcmp(&((const struct cg_src_row *)a)->addr,
		      &((const struct cg_src_row *)b)->addr, sizeof(struct cg_addr));
}

int cg_src_merge(struct cg_src_row **rows, size_t *n, const struct cg_src_row *add,
		 size_t nadd)
{
	size_t cap = *n, i, old = *n;
	struct cg_src_row *hit;

	if (!nadd)
		return 0;
	if (old > 1)
		qsort(*rows, old, sizeof(**rows), row_addr_cmp);
	for (i = 0; i < nadd; i++) {
		hit = old ? bsearch(&add[i], *rows, old, sizeof(**rows), row_addr_cmp) : NULL;
		if (hit) {
			src_add(&hit->st, &add[i].st);
			continue;
		}
		if (grow((void **)rows, &cap, *n + 1, sizeof(**rows)))
			return -ENOMEM;
		(*rows)[(*n)++] = add[i];
	}
	return 0;
}

/* Adds one part's counters: the per-CPU part is counters only, the shared
 * one has times (the newer, the first). */
static void hot_add_any(void *a, const void *b)
{
	const __u64 *y = b;
	__u64 *x = a;
	size_t k;

	for (k = 0; k < sizeof(struct cg_src_hot) / sizeof(__u64); k++)
		x[k] += y[k];
}

_Static_assert(sizeof(struct cg_src_hot) % sizeof(__u64) == 0, "u64 counters only");

static void rare_add_any(void *a, const void *b)
{
	src_add(a, b);
}

/*
 * Adds the counters of a's row in from_fd (ncpus values of size bytes: a
 * per-CPU part, or 1 for the shared one) to its row in to_fd, value by
 * value, then empties the row in from_fd. An LRU table is never inserted
 * into or deleted from here: only the datapath inserts there, which keeps
 * evicted = inserted - present exact. So with to_lru the row must already
 * be in to_fd (BPF_EXIST, which also takes no free node and so can evict
 * nothing), and with from_lru the row is zeroed in place, not deleted.
 */
static int src_move(int from_fd, int to_fd, const struct cg_addr *a, int from_lru, int to_lru,
		    int ncpus, size_t size, void (*add)(void *a, const void *b))
{
	char *from, *to;
	int err = 0, c;

	from = calloc((size_t)ncpus, size);
	to = calloc((size_t)ncpus, size);
	if (!from || !to) {
		err = -ENOMEM;
		goto out;
	}
	if (bpf_map_lookup_elem(from_fd, a, from)) {
		err = -errno;
		goto out;
	}
	if (bpf_map_lookup_elem(to_fd, a, to)) {
		err = -errno;
		if (err != -ENOENT || to_lru)
			goto out;
		err = 0;	/* a fresh row in a plain hash */
	}
	for (c = 0; c < ncpus; c++)
		add(to + (size_t)c * size, from + (size_t)c * size);
	if (bpf_map_update_elem(to_fd, a, to, to_lru ? BPF_EXIST : BPF_ANY)) {
		err = -errno;
		goto out;
	}
	if (from_lru) {
		memset(from, 0, (size_t)ncpus * size);
		err = bpf_map_update_elem(from_fd, a, from, BPF_EXIST) ? -errno : 0;
	} else {
		err = bpf_map_delete_elem(from_fd, a) ? -errno : 0;
	}
out:
	free(from);
	free(to);
	return err;
}

/* Both parts of a's row (each moved on its own: a part that is not there,
 * or whose LRU destination is not, stays where it is, and stats adds the
 * tables up by address either way). The per-CPU part's error, else the
 * shared part's (-ENOENT: not there). */
static int src_move_row(const struct cg_src_fds *from, const struct cg_src_fds *to,
			const struct cg_addr *a, int from_lru, int to_lru)
{
	int ncpus = cg_ncpus(), e, er = 0;

	if (ncpus < 0)
		return ncpus;
	e = src_move(from->hot, to->hot, a, from_lru, to_lru, ncpus, sizeof(struct cg_src_hot),
		     hot_add_any);
	if (from->rare >= 0 && to->rare >= 0)
		er = src_move(from->rare, to->rare, a, from_lru, to_lru, 1,
			      sizeof(struct cg_src_stats), rare_add_any);
	return e ? e : er;
}

int cg_src_keep(const struct cg_src_fds *lru, const struct cg_src_fds *kept,
		const struct cg_addr *a)
{
	return src_move_row(lru, kept, a, 1, 0);
}

int cg_src_unkeep(const struct cg_src_fds *kept, const struct cg_src_fds *lru,
		  const struct cg_addr *a)
{
	return src_move_row(kept, lru, a, 0, 1);
}

/* The two parts of the table pinned as table_pin of ifname (rare -1 when
 * absent). 0, or -errno of the per-CPU part. */
static int src_fds_open(const char *pin_dir, const char *ifname, const char *table_pin,
			struct cg_src_fds *f)
{
	char path[PATH_MAX];

	cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_INGRESS, table_pin);
	f->hot = cg_map_open(path);
	if (strlen(path) + sizeof(CG_PIN_RARE_SUFFIX) <= sizeof(path))
		strcat(path, CG_PIN_RARE_SUFFIX);
	f->rare = f->hot >= 0 ? cg_map_open(path) : -1;
	return f->hot < 0 ? f->hot : 0;
}

static void src_fds_close(struct cg_src_fds *f)
{
	if (f->hot >= 0)
		close(f->hot);
	if (f->rare >= 0)
		close(f->rare);
}

void cg_src_move_rows(const char *pin_dir, const char *table_pin, const struct cg_addr *a,
		      int keep)
{
	char (*names)[16] = NULL;
	struct cg_src_fds lru, tab;
	size_t n = 0, i;

	if (cg_list_ifaces(pin_dir, &names, &n))
		return;
	for (i = 0; i < n; i++) {
		src_fds_open(pin_dir, names[i], CG_PIN_SRC, &lru);
		src_fds_open(pin_dir, names[i], table_pin, &tab);
		if (lru.hot >= 0 && tab.hot >= 0) {
			if (keep)
				cg_src_keep(&lru, &tab, a);
			else
				cg_src_unkeep(&tab, &lru, a);
		}
		src_fds_close(&lru);
		src_fds_close(&tab);
	}
	free(names);
}
