// SPDX-License-Identifier: GPL-2.0
/* harness.c - see harness.h. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <bpf/btf.h>
#include "harness.h"
#include "nodes.h"
#include "cg_wire.h"
#include "maps.h"
#include "names.h"
#include "ports.h"
#include "addr.h"
#include "csumguard_tc.skel.h"
#include "probe.h"
#include "xdp_obj.h"

/*
 * Binds the TC object's map to the validator's, as pinning binds the two
 * hooks' objects to one map when attached: both definitions come from
 * bpf/maps.bpf.h, and this checks they are the same map (libbpf's own check
 * on reusing a pin compares the same properties).
 */
static int share_map(struct bpf_map *tc_map, const struct bpf_map *xdp_map)
{
	if (bpf_map__type(tc_map) != bpf_map__type(xdp_map) ||
	    bpf_map__key_size(tc_map) != bpf_map__key_size(xdp_map) ||
	    bpf_map__value_size(tc_map) != bpf_map__value_size(xdp_map) ||
	    bpf_map__max_entries(tc_map) != bpf_map__max_entries(xdp_map) ||
	    bpf_map__map_flags(tc_map) != bpf_map__map_flags(xdp_map))
		return -EINVAL;
	return bpf_map__reuse_fd(tc_map, bpf_map__fd(xdp_map));
}


/* Opens the TC object with its maps bound to the validator's; only prog
 * (csumguard_tc or csumguard_tcf) or both are loaded. */
static struct csumguard_tc *open_tc_obj(struct harness *h, int load_tc, int load_tcf, int *err,
					const char **what)
{
	struct csumguard_tc *tc;

	*what = "open the TC object";
	tc = csumguard_tc__open();
	if (!tc) {
		*err = -errno ? -errno : -EINVAL;
		return NULL;
	}
	*what = "share the XDP program's maps with the TC programs";
	*err = share_map(tc->maps.cg_ports, cg_xdp_obj_map(&h->xdp, "cg_ports"));
	if (!*err)
		*err = share_map(tc->maps.cg_config, cg_xdp_obj_map(&h->xdp, "cg_config"));
	if (!*err)
		*err = share_map(tc->maps.cg_blocklist, cg_xdp_obj_map(&h->xdp, "cg_blocklist"));
	if (!*err)
		*err = share_map(tc->maps.cg_block_count,
				 cg_xdp_obj_map(&h->xdp, "cg_block_count"));
	if (!*err)
		*err = bpf_program__set_autoload(tc->progs.csumguard_tc, load_tc);
	if (!*err)
		*err = bpf_program__set_autoload(tc->progs.csumguard_tcf, load_tcf);
	if (!*err) {
		*what = "load the TC program(s)";
		*err = csumguard_tc__load(tc);
	}
	if (*err) {
		csumguard_tc__destroy(tc);
		return NULL;
	}
	return tc;
}

/*
 * Loads what the loader would load on this kernel (bpf/README.md "Facts"):
 * with bpf_cast_to_kern_ctx, both TC programs (the tests run frames through
 * both; the loader needs only csumguard_tcf); without it, csumguard_tc only,
 * after checking that the facts program is indeed refused here (its error
 * kept in tcf_load_err, libbpf's messages silenced: the failure is expected).
 */
static int open_tc(struct harness *h, const char **what)
{
	static char tc_why[512];
	struct cg_features f;
	struct csumguard_tc *tc;
	int err, facts;

	h->tcf_prog_fd = -1;
	h->tc_prog_fd = h->tc_iface_fd = h->tc_dst_fd = -1;
	/* Where the loader would refuse the TC programs (5.10), check that
	 * the kernel does refuse them, and run no TC check. */
	cg_features_init(&f);
	cg_probe_global_ptr_args(&f);
	if (cg_tc_egress_check(&f, tc_why, sizeof(tc_why))) {
		const char *w;
		libbpf_print_fn_t old = libbpf_set_print(NULL);

		tc = open_tc_obj(h, 1, 0, &err, &w);
		libbpf_set_print(old);
		h->tc_load_err = tc ? 0 : err;
		csumguard_tc__destroy(tc);
		h->tc_skip_why = tc_why;
		h->run_tc = 0;
		return 0;
	}
	*what = "read the kernel's BTF (is bpf_cast_to_kern_ctx there?)";
	facts = cg_probe_tc_facts();
	if (facts < 0)
		return facts;
	h->kernel_has_facts = facts;
	if (!facts) {
		const char *w;
		libbpf_print_fn_t old = libbpf_set_print(NULL);

		tc = open_tc_obj(h, 0, 1, &err, &w);
		libbpf_set_print(old);
		h->tcf_load_err = tc ? 0 : err;
		csumguard_tc__destroy(tc);
	}
	tc = open_tc_obj(h, 1, facts, &err, what);
	if (!tc)
		return err;
	h->tc_skel = tc;
	h->tc_prog_fd = bpf_program__fd(tc->progs.csumguard_tc);
	if (facts)
		h->tcf_prog_fd = bpf_program__fd(tc->progs.csumguard_tcf);
	h->tc_iface_fd = bpf_map__fd(tc->maps.cg_egress);
	h->tc_dst_fd = bpf_map__fd(tc->maps.cg_dst);
	return 0;
}

/* Keeps the calling thread on the CPU it runs on now. */
static int pin_cpu(const char **what)
{
	int cpu = sched_getcpu();
	cpu_set_t set;

	*what = "pin the test to one CPU (sched_setaffinity)";
	if (cpu < 0)
		return -errno;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

/* Does this kernel test-run a frame of more than one buffer through a
 * program without xdp.frags (5.18+ does: the program sees the linear part)?
 * 0 if so, else the -errno of the refused run. */
static int sb_big_run(struct harness *h)
{
	static uint8_t frame[XH_XDP_SB_LINEAR + 480];
	int action;

	memset(frame, 0, sizeof(frame));
	frame[12] = 0x88;	/* an EtherType nobody parses: not an IP frame */
	frame[13] = 0xb5;
	return xh_run(h, XH_XDP, frame, sizeof(frame), &action);
}

int xh_open(struct harness *h, enum cg_xdp_variant v, const char **what)
{
	struct cg_config cfg = { .mode = CG_MODE_MONITOR };
	int err, i;

	memset(h, 0, sizeof(*h));
	h->run_tc = 1;
	*what = v == CG_XDP_SINGLE_BUF ? "load the single-buffer XDP program (" CG_PROG_NAME_SB ")" :
		v == CG_XDP_LARGE_CHUNK ? "load the large-chunk XDP program (" CG_PROG_NAME_LC ")" :
		"load the multi-buffer XDP program (" CG_PROG_NAME ")";
	err = cg_xdp_obj_open(&h->xdp, v);
	if (!err)
		err = cg_xdp_obj_load(&h->xdp);
	if (err) {
		cg_xdp_obj_close(&h->xdp);
		return err;
	}
	h->prog_fd = bpf_program__fd(h->xdp.prog);
	h->ports_fd = bpf_map__fd(cg_xdp_obj_map(&h->xdp, "cg_ports"));
	h->src_fd = bpf_map__fd(cg_xdp_obj_map(&h->xdp, "cg_src"));
	h->src_kept_fd = bpf_map__fd(cg_xdp_obj_map(&h->xdp, "cg_src_kept"));
	h->iface_fd = bpf_map__fd(cg_xdp_obj_map(&h->xdp, "cg_iface"));
	h->config_fd = bpf_map__fd(cg_xdp_obj_map(&h->xdp, "cg_config"));
	h->block_fd = bpf_map__fd(cg_xdp_obj_map(&h->xdp, "cg_blocklist"));
	h->block_count_fd = bpf_map__fd(cg_xdp_obj_map(&h->xdp, "cg_block_count"));
	h->sample_fd = bpf_map__fd(cg_xdp_obj_map(&h->xdp, "cg_sample"));
	h->nodes_fd = bpf_map__fd(cg_xdp_obj_map(&h->xdp, "cg_nodes"));
	h->node_count_fd = bpf_map__fd(cg_xdp_obj_map(&h->xdp, "cg_node_count"));
	h->ttl_seen_fd = bpf_map__fd(cg_xdp_obj_map(&h->xdp, "cg_ttl_seen"));
	h->src_nodes_fd = bpf_map__fd(cg_xdp_obj_map(&h->xdp, "cg_src_nodes"));
	h->src_rare_fd = bpf_map__fd(cg_xdp_obj_map(&h->xdp, "cg_src_rare"));
	h->src_kept_rare_fd = bpf_map__fd(cg_xdp_obj_map(&h->xdp, "cg_src_kept_rare"));
	h->src_nodes_rare_fd = bpf_map__fd(cg_xdp_obj_map(&h->xdp, "cg_src_nodes_rare"));
	h->src_cache_fd = bpf_map__fd(cg_xdp_obj_map(&h->xdp, "cg_src_cache"));
	if (v == CG_XDP_SINGLE_BUF && (h->sb_big_refused = sb_big_run(h)))
		snprintf(h->sb_big_why, sizeof(h->sb_big_why), "this kernel's test run refuses "
			 "frames over %d bytes for a program without xdp.frags (%s; multi-buffer "
			 "test runs are 5.18+)", XH_XDP_SB_LINEAR, strerror(-h->sb_big_refused));
	err = pin_cpu(what);
	if (!err)
		err = open_tc(h, what);
	if (!err) {
		*what = "fill the port table and config";
		err = cg_ports_set_defaults(h->ports_fd);
	}
	for (i = 0; i < CG_N_DEFAULT_PORTS; i++)
		h->ports[cg_default_ports[i].port] = (uint8_t)cg_default_ports[i].encap;
	if (!err)
		err = cg_config_write(h->config_fd, &cfg);
	if (err)
		xh_close(h);
	return err;
}

void xh_close(struct harness *h)
{
	csumguard_tc__destroy(h->tc_skel);
	h->tc_skel = NULL;
	cg_xdp_obj_close(&h->xdp);
}

#define XH_STR_(x) #x
#define XH_STR(x) XH_STR_(x)

int xh_xdp_takes(const struct harness *h, size_t len, const char **why)
{
	*why = NULL;
	if (h->xdp.variant == CG_XDP_SINGLE_BUF && len > XH_XDP_SB_LINEAR && h->sb_big_refused)
		*why = h->sb_big_why;
	return *why == NULL;
}

size_t xh_xdp_seen_len(const struct harness *h, size_t len)
{
	return h->xdp.variant == CG_XDP_SINGLE_BUF && len > XH_XDP_SB_LINEAR ?
	       XH_XDP_SB_LINEAR : len;
}

const char *xh_xdp_case_name(const struct harness *h, const char *name, char *buf,
			     size_t len)
{
	if (h->xdp.variant == CG_XDP_MULTI_BUF)
		return name;
	snprintf(buf, len, "%s: %s", h->xdp.variant == CG_XDP_SINGLE_BUF ? "xdpsb" : "xdplc", name);
	return buf;
}

const char *xh_hook_name(enum xh_hook hook)
{
	return hook == XH_XDP ? "xdp" : hook == XH_TC ? "tc" : hook == XH_TCF ? "tcf" : "unknown";
}

int xh_hook_loaded(const struct harness *h, enum xh_hook hook)
{
	return hook == XH_TCF ? h->tcf_prog_fd >= 0 : 1;
}

int xh_hook_takes(enum xh_hook hook, const uint8_t *f, size_t len, const char **why)
{
	unsigned ethertype = len >= CG_ETH_HLEN ? (unsigned)f[12] << 8 | f[13] : 0;

	*why = NULL;
	if (hook == XH_XDP)
		return 1;
	if (len > XH_TC_MAX_FRAME)
		*why = "TC test runs take linear data only, at most " XH_STR(XH_TC_MAX_FRAME) " bytes";
	else if (ethertype == CG_ETH_P_IP && len < CG_ETH_HLEN + CG_IPV4_MIN_HLEN)
		*why = "TC test runs refuse an IPv4 frame shorter than 34 bytes (EINVAL)";
	else if (ethertype == CG_ETH_P_IPV6 && len < CG_ETH_HLEN + CG_IPV6_HLEN)
		*why = "TC test runs refuse an IPv6 frame shorter than 54 bytes (EINVAL)";
	return *why == NULL;
}

static int hook_fd(const struct harness *h, enum xh_hook hook)
{
	return hook == XH_TC ? h->tc_prog_fd : hook == XH_TCF ? h->tcf_prog_fd : h->prog_fd;
}

int xh_run(struct harness *h, enum xh_hook hook, const uint8_t *frame, size_t len, int *action)
{
	size_t out_len;

	return xh_run_out(h, hook, frame, len, NULL, 0, &out_len, action);
}

int xh_run_out(struct harness *h, enum xh_hook hook, const uint8_t *frame, size_t len,
	       uint8_t *out, size_t cap, size_t *out_len, int *action)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = frame,
		.data_size_in = (__u32)len,
		.data_out = out,
		.data_size_out = (__u32)cap,
		.repeat = 1,
	);
	int err = bpf_prog_test_run_opts(hook_fd(h, hook), &opts);

	if (err)
		return -errno;
	*action = (int)opts.retval;
	*out_len = opts.data_size_out;
	return 0;
}

int xh_run_skb(struct harness *h, enum xh_hook hook, const uint8_t *frame, size_t len,
	       uint32_t gso_size, uint32_t gso_segs, int *action)
{
	struct __sk_buff skb = { .gso_size = gso_size, .gso_segs = gso_segs };
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = frame,
		.data_size_in = (__u32)len,
		.ctx_in = &skb,
		.ctx_size_in = sizeof(skb),
		.repeat = 1,
	);
	int err;

	if (hook == XH_XDP)
		return -EINVAL;
	if (!gso_size && !gso_segs)
		return xh_run(h, hook, frame, len, action);
	err = bpf_prog_test_run_opts(hook_fd(h, hook), &opts);
	if (err)
		return -errno;
	*action = (int)opts.retval;
	return 0;
}

int xh_iface_read(struct harness *h, enum xh_hook hook, struct cg_iface_stats *st)
{
	struct cg_egress_stats e;
	int err;

	if (hook == XH_XDP)
		return cg_iface_read(h->iface_fd, st);
	/* the egress totals: the same per-interface counters, egress states
	 * instead of verdicts */
	err = xh_egress_read(h, &e);
	memset(st, 0, sizeof(*st));
	memcpy(st->c, e.c, sizeof(st->c));
	return err;
}

int xh_egress_read(struct harness *h, struct cg_egress_stats *st)
{
	int n = cg_ncpus(), i, j, err = 0;
	struct cg_egress_stats *v;
	__u32 key = 0;

	if (n < 0)
		return n;
	v = calloc((size_t)n, sizeof(*v));
	if (!v)
		return -ENOMEM;
	memset(st, 0, sizeof(*st));
	if (bpf_map_lookup_elem(h->tc_iface_fd, &key, v))
		err = -errno;
	/* every field is a __u64 counter: summed as an array */
	for (i = 0; !err && i < n; i++)
		for (j = 0; j < (int)(sizeof(*st) / sizeof(__u64)); j++)
			((__u64 *)st)[j] += ((const __u64 *)&v[i])[j];
	free(v);
	return err;
}

int xh_dst_read(struct harness *h, const struct cg_addr *dst, struct cg_dst_stats *st)
{
	int n = cg_ncpus(), i, j, err = 0;
	const size_t last = offsetof(struct cg_dst_stats, last_bad_ns) / sizeof(__u64);
	struct cg_dst_stats *v;

	if (n < 0)
		return n;
	v = calloc((size_t)n, sizeof(*v));
	if (!v)
		return -ENOMEM;
	memset(st, 0, sizeof(*st));
	if (bpf_map_lookup_elem(h->tc_dst_fd, dst, v))
		err = -errno;
	for (i = 0; !err && i < n; i++) {
		for (j = 0; j < (int)(sizeof(*st) / sizeof(__u64)); j++) {
			__u64 *a = &((__u64 *)st)[j], b = ((const __u64 *)&v[i])[j];

			if ((size_t)j == last)
				*a = b > *a ? b : *a;	/* the newest */
			else
				*a += b;
		}
	}
	free(v);
	return err;
}

int xh_dst_count(struct harness *h)
{
	return xh_src_count(h->tc_dst_fd);
}

/* Deletes every key of a hash map. */
static int clear_hash(int fd, size_t key_size)
{
	uint8_t key[64], next[64];

	if (key_size > sizeof(key))
		return -EINVAL;
	while (!bpf_map_get_next_key(fd, NULL, next)) {
		memcpy(key, next, key_size);
		if (bpf_map_delete_elem(fd, key))
			return -errno;
	}
	return 0;
}

int xh_reset_counters(struct harness *h)
{
	int n = cg_ncpus(), err;
	struct cg_iface_stats *zero;
	__u32 key = 0;

	err = clear_hash(h->src_fd, sizeof(struct cg_addr));
	if (!err)
		err = clear_hash(h->src_kept_fd, sizeof(struct cg_addr));
	if (!err)
		err = clear_hash(h->src_nodes_fd, sizeof(struct cg_addr));
	if (!err)
		err = clear_hash(h->src_rare_fd, sizeof(struct cg_addr));
	if (!err)
		err = clear_hash(h->src_kept_rare_fd, sizeof(struct cg_addr));
	if (!err)
		err = clear_hash(h->src_nodes_rare_fd, sizeof(struct cg_addr));
	/* and the hot-source cache: stale slots would flush into the empty
	 * tables */
	if (!err) {
		struct cg_src_slot *z = calloc((size_t)(n > 0 ? n : 1), sizeof(*z));
		__u32 i;

		if (!z)
			err = -ENOMEM;
		for (i = 0; !err && i < CG_SRC_CACHE_SLOTS; i++)
			if (bpf_map_update_elem(h->src_cache_fd, &i, z, BPF_ANY))
				err = -errno;
		free(z);
	}
	if (!err)
		err = clear_hash(h->ttl_seen_fd, sizeof(struct cg_ttl_key));
	if (!err && h->tc_dst_fd >= 0)
		err = clear_hash(h->tc_dst_fd, sizeof(struct cg_addr));
	if (err)
		return err;
	zero = calloc((size_t)n, sizeof(*zero));	/* big enough for every per-CPU value */
	if (!zero)
		return -ENOMEM;
	err = bpf_map_update_elem(h->iface_fd, &key, zero, BPF_ANY) ? -errno : 0;
	if (!err)
		err = bpf_map_update_elem(h->sample_fd, &key, zero, BPF_ANY) ? -errno : 0;
	free(zero);
	if (!err && h->tc_iface_fd >= 0) {
		struct cg_egress_stats *ezero = calloc((size_t)n, sizeof(*ezero));

		if (!ezero)
			return -ENOMEM;
		err = bpf_map_update_elem(h->tc_iface_fd, &key, ezero, BPF_ANY) ? -errno : 0;
		free(ezero);
	}
	return err;
}

int xh_clear_blocklist(struct harness *h)
{
	return clear_hash(h->block_fd, sizeof(struct cg_addr));
}

int xh_apply(struct harness *h, const struct cg_ref_config *cfg)
{
	struct cg_config c = { .mode = cfg->mode, .flags = cfg->flags, .sample = cfg->sample };
	size_t i;
	__u32 port;
	int err;

	for (port = 0; port < CG_PORT_TABLE_SIZE; port++) {
		if (h->ports[port] == cfg->port_encap[port])
			continue;
		err = cg_ports_set(h->ports_fd, (uint16_t)port, cfg->port_encap[port]);
		if (err)
			return err;
		h->ports[port] = cfg->port_encap[port];
	}
	err = cg_config_write(h->config_fd, &c);
	if (err)
		return err;
	err = xh_clear_blocklist(h);
	for (i = 0; !err && i < cfg->nblocks; i++) {
		struct cg_block b = { .flags = cfg->blocks[i].flags };

		snprintf(b.reason, sizeof(b.reason), "selftest");
		/* an expired entry: its end long past on CLOCK_BOOTTIME */
		if (cfg->blocks[i].expired)
			b.expires_ns = 1;
		if (bpf_map_update_elem(h->block_fd, &cfg->blocks[i].addr, &b, BPF_ANY))
			err = -errno;
	}
	if (!err) {
		int n = cg_block_count_sync(h->block_fd, h->block_count_fd);

		err = n < 0 ? n : n == (int)cfg->nblocks ? 0 : -EEXIST;
	}
	/* The known nodes and their gate (lib/nodes.c writes them so). */
	if (!err)
		err = clear_hash(h->nodes_fd, sizeof(struct cg_addr));
	for (i = 0; !err && i < cfg->nnodes; i++) {
		struct cg_node node = { .id = (__u32)i + 1, .ttl = cfg->nodes[i].ttl };

		snprintf(node.name, sizeof(node.name), "selftest-%zu", i);
		if (bpf_map_update_elem(h->nodes_fd, &cfg->nodes[i].addr, &node, BPF_ANY))
			err = -errno;
	}
	if (!err) {
		int n = cg_nodes_count_sync(h->nodes_fd, h->node_count_fd);

		err = n < 0 ? n : n == (int)cfg->nnodes ? 0 : -EEXIST;
	}
	return err;
}

uint64_t xh_ttl_seen(struct harness *h, const struct cg_addr *src, uint8_t ttl)
{
	struct cg_ttl_key k;
	__u64 v;

	memset(&k, 0, sizeof(k));
	k.addr = *src;
	k.ttl = ttl;
	return bpf_map_lookup_elem(h->ttl_seen_fd, &k, &v) ? 0 : v;
}

int xh_ttl_seen_count(struct harness *h)
{
	struct cg_ttl_key key, next;
	void *prev = NULL;
	int n = 0;

	while (!bpf_map_get_next_key(h->ttl_seen_fd, prev, &next)) {
		key = next;
		prev = &key;
		n++;
	}
	return n;
}

int xh_src_count(int map_fd)
{
	struct cg_addr key, next;
	int n = 0;
	void *prev = NULL;

	while (!bpf_map_get_next_key(map_fd, prev, &next)) {
		key = next;
		prev = &key;
		n++;
	}
	return n;
}

int xh_src_read(struct harness *h, int known, int kept, const struct cg_addr *a,
		struct cg_src_stats *out)
{
	struct cg_src_row *pend = NULL;
	size_t n = 0, i;
	int e;

	if (known)
		e = cg_src_read(h->src_nodes_fd, h->src_nodes_rare_fd, a, out);
	else if (kept)
		return cg_src_read(h->src_kept_fd, h->src_kept_rare_fd, a, out);
	else
		e = cg_src_read(h->src_fd, h->src_rare_fd, a, out);
	if (e)
		return e;
	e = cg_src_cache_read(h->src_cache_fd, known ? CG_SLOT_NODES : CG_SLOT_LRU, &pend, &n);
	for (i = 0; !e && i < n; i++)
		if (!memcmp(&pend[i].addr, a, sizeof(*a)))
			cg_src_add(out, &pend[i].st);
	free(pend);
	return e;
}

int xh_expect_rare(const struct xh_expect *e)
{
	if (e->row == XH_ROW_NONE)
		return 0;
	return e->row != XH_ROW_VERDICT ||
	       (e->verdict != CG_V_OK && e->verdict != CG_V_UNFINISHED &&
		e->verdict != CG_V_ZERO) ||
	       e->drop != CG_IF_FRAMES || e->repaired || e->unknown ||
	       e->ttl_state == CG_REF_TTL_MISMATCH;
}

void xh_expect_from_ref(const struct cg_ref_result *r, struct xh_expect *e)
{
	memset(e, 0, sizeof(*e));
	e->action = r->drop ? XDP_DROP : XDP_PASS;
	e->kind = r->kind;
	e->verdict = r->verdict;
	e->drop = r->drop ? r->drop_reason : CG_IF_FRAMES;
	e->cls = r->cls;
	e->zero_inner = r->zero_inner;
	e->repaired = r->repaired;
	e->row = r->kind == CG_IF_TUNNEL ? XH_ROW_VERDICT :
		 r->kind == CG_IF_UNPARSED && r->have_src ? XH_ROW_UNPARSED :
		 r->kind == CG_IF_UNVERIFIED ? XH_ROW_UNVERIFIED : XH_ROW_NONE;
	e->kept = e->row != XH_ROW_NONE && r->blocked;
	e->known = e->row != XH_ROW_NONE && r->known;
	e->unknown = r->unknown;
	e->ttl_state = r->ttl_state;
	e->learn = r->learn;
	e->ttl = r->ttl;
	e->src = r->src;
}

void xh_expect_add_iface(struct cg_iface_stats *t, const struct xh_expect *e)
{
	t->c[CG_IF_FRAMES]++;
	t->c[e->kind]++;
	if (e->kind == CG_IF_TUNNEL) {
		t->verdict[e->verdict]++;
		if (e->verdict == CG_V_BAD)
			t->bad_class[e->cls]++;
		else if (e->verdict == CG_V_ZERO)
			t->zero_inner[e->zero_inner]++;
	}
	if (e->repaired)
		t->c[CG_IF_REPAIRED]++;
	if (e->unknown)
		t->c[CG_IF_UNKNOWN_SENDER]++;
	if (e->ttl_state == CG_REF_TTL_MISMATCH)
		t->c[CG_IF_TTL_MISMATCH]++;
	if (e->drop != CG_IF_FRAMES)
		t->c[e->drop]++;
}

void xh_expect_add_src(struct cg_src_stats *s, const struct xh_expect *e, uint64_t bytes)
{
	if (e->row == XH_ROW_UNPARSED) {
		s->unparsed++;
	} else if (e->row == XH_ROW_UNVERIFIED) {
		s->unverified++;
	} else {
		s->packets++;
		s->bytes += bytes;
		s->verdict[e->verdict]++;
		if (e->verdict == CG_V_BAD) {
			s->bad_class[e->cls]++;
			/* "some time": compared as zero / non-zero */
			s->last_bad_ns = s->first_bad_ns = 1;
		} else if (e->verdict == CG_V_ZERO) {
			s->zero_inner[e->zero_inner]++;
		}
	}
	s->repaired += e->repaired;
	if (e->drop != CG_IF_FRAMES)
		s->dropped++;
	s->unknown_sender += e->unknown;
	if (e->ttl_state == CG_REF_TTL_MISMATCH) {
		s->ttl_mismatch++;
	} else if (e->ttl_state == CG_REF_TTL_MATCH && e->row == XH_ROW_VERDICT &&
		   (e->verdict == CG_V_OK || e->verdict == CG_V_BAD ||
		    e->verdict == CG_V_UNFINISHED)) {
		s->evidence_checked++;
		s->evidence_bad += e->verdict == CG_V_BAD;
	}
}

#define APPEND(...) (n += snprintf(why + n, n < whylen ? whylen - n : 0, __VA_ARGS__))

int xh_cmp_iface(const struct cg_iface_stats *want, const struct cg_iface_stats *got,
		 char *why, size_t whylen)
{
	size_t n = 0;
	int i;

	why[0] = 0;
	for (i = 0; i < CG_IFACE_COUNTER_MAX; i++)
		/* The trace counters depend on the ring buffer's and the
		 * token bucket's state across frames: the trace cases
		 * (xdp_trace.c) check them. */
		if (want->c[i] != got->c[i] && i != CG_IF_TRACE_SUPPRESSED &&
		    i != CG_IF_TRACE_LOST)
			APPEND(" totals.%s want %llu got %llu", cg_iface_counter_name(i),
			       (unsigned long long)want->c[i], (unsigned long long)got->c[i]);
	for (i = 0; i < CG_VERDICT_MAX; i++)
		if (want->verdict[i] != got->verdict[i])
			APPEND(" totals.verdict.%s want %llu got %llu", cg_verdict_name(i),
			       (unsigned long long)want->verdict[i],
			       (unsigned long long)got->verdict[i]);
	for (i = 0; i < CG_BAD_CLASS_MAX; i++)
		if (want->bad_class[i] != got->bad_class[i])
			APPEND(" totals.%s want %llu got %llu", cg_bad_class_name(i),
			       (unsigned long long)want->bad_class[i],
			       (unsigned long long)got->bad_class[i]);
	for (i = 0; i < CG_ZERO_INNER_MAX; i++)
		if (want->zero_inner[i] != got->zero_inner[i])
			APPEND(" totals.%s want %llu got %llu", cg_zero_inner_name(i),
			       (unsigned long long)want->zero_inner[i],
			       (unsigned long long)got->zero_inner[i]);
	return n ? -1 : 0;
}

int xh_cmp_src(const struct cg_src_stats *want, const struct cg_src_stats *got,
	       char *why, size_t whylen)
{
	size_t n = 0;
	int i;

	why[0] = 0;
	if (want->packets != got->packets)
		APPEND(" packets want %llu got %llu", (unsigned long long)want->packets,
		       (unsigned long long)got->packets);
	if (want->bytes != got->bytes)
		APPEND(" bytes want %llu got %llu", (unsigned long long)want->bytes,
		       (unsigned long long)got->bytes);
	for (i = 0; i < CG_VERDICT_MAX; i++)
		if (want->verdict[i] != got->verdict[i])
			APPEND(" %s want %llu got %llu", cg_verdict_name(i),
			       (unsigned long long)want->verdict[i],
			       (unsigned long long)got->verdict[i]);
	if (want->unparsed != got->unparsed)
		APPEND(" unparsed want %llu got %llu", (unsigned long long)want->unparsed,
		       (unsigned long long)got->unparsed);
	if (want->dropped != got->dropped)
		APPEND(" dropped want %llu got %llu", (unsigned long long)want->dropped,
		       (unsigned long long)got->dropped);
	for (i = 0; i < CG_BAD_CLASS_MAX; i++)
		if (want->bad_class[i] != got->bad_class[i])
			APPEND(" %s want %llu got %llu", cg_bad_class_name(i),
			       (unsigned long long)want->bad_class[i],
			       (unsigned long long)got->bad_class[i]);
	for (i = 0; i < CG_ZERO_INNER_MAX; i++)
		if (want->zero_inner[i] != got->zero_inner[i])
			APPEND(" %s want %llu got %llu", cg_zero_inner_name(i),
			       (unsigned long long)want->zero_inner[i],
			       (unsigned long long)got->zero_inner[i]);
	if (want->repaired != got->repaired)
		APPEND(" repaired want %llu got %llu", (unsigned long long)want->repaired,
		       (unsigned long long)got->repaired);
	if (want->unverified != got->unverified)
		APPEND(" unverified want %llu got %llu", (unsigned long long)want->unverified,
		       (unsigned long long)got->unverified);
	if (want->unknown_sender != got->unknown_sender)
		APPEND(" unknown_sender want %llu got %llu",
		       (unsigned long long)want->unknown_sender,
		       (unsigned long long)got->unknown_sender);
	if (want->ttl_mismatch != got->ttl_mismatch)
		APPEND(" ttl_mismatch want %llu got %llu", (unsigned long long)want->ttl_mismatch,
		       (unsigned long long)got->ttl_mismatch);
	if (want->evidence_checked != got->evidence_checked)
		APPEND(" evidence_checked want %llu got %llu",
		       (unsigned long long)want->evidence_checked,
		       (unsigned long long)got->evidence_checked);
	if (want->evidence_bad != got->evidence_bad)
		APPEND(" evidence_bad want %llu got %llu", (unsigned long long)want->evidence_bad,
		       (unsigned long long)got->evidence_bad);
	if (!want->last_bad_ns != !got->last_bad_ns)
		APPEND(" last_bad_ns want %s got %llu", want->last_bad_ns ? "set" : "0",
		       (unsigned long long)got->last_bad_ns);
	if (!want->first_bad_ns != !got->first_bad_ns)
		APPEND(" first_bad_ns want %s got %llu", want->first_bad_ns ? "set" : "0",
		       (unsigned long long)got->first_bad_ns);
	if (got->first_bad_ns > got->last_bad_ns)
		APPEND(" first_bad_ns %llu after last_bad_ns %llu",
		       (unsigned long long)got->first_bad_ns, (unsigned long long)got->last_bad_ns);
	return n ? -1 : 0;
}

const char *xh_addr_str(const struct cg_addr *a, char *buf, size_t len)
{
	cg_addr_str(a, buf, len);
	return buf;
}

void xh_egress_expect_from_ref(const struct cg_ref_egress *r, struct xh_egress_expect *e)
{
	memset(e, 0, sizeof(*e));
	e->action = r->drop ? TC_ACT_SHOT : TC_ACT_UNSPEC;
	e->kind = r->kind;
	e->state = r->state;
	e->weight = r->weight;
	e->gso = r->gso;
	e->gso_tunnel = r->gso_tunnel;
	e->dst = r->dst;
}

void xh_egress_add(struct cg_egress_stats *t, struct cg_dst_stats *d, enum xh_hook hook,
		   const struct xh_egress_expect *e, uint64_t bytes)
{
	int facts = hook == XH_TCF, drop = e->action == TC_ACT_SHOT;
	int meta_bad = facts && e->gso_tunnel;

	t->c[CG_IF_FRAMES]++;
	t->c[e->kind]++;
	if (e->kind != CG_IF_TUNNEL)
		return;
	t->state[e->state] += e->weight;
	t->gso += e->gso;
	t->gso_meta_bad += meta_bad;
	if (facts)
		t->facts += e->weight;
	else
		t->no_facts += e->weight;
	if (drop)
		t->c[CG_IF_DROP_BAD]++;
	if (!d)
		return;
	d->packets += e->weight;
	d->bytes += bytes;
	d->gso += e->gso;
	d->state[e->state] += e->weight;
	if (facts)
		d->facts += e->weight;
	d->gso_meta_bad += meta_bad;
	d->dropped += drop;
	if (e->state == CG_E_FINAL_BAD)
		d->last_bad_ns = 1;	/* "some time": compared as zero / non-zero */
}

int xh_cmp_egress(const struct cg_egress_stats *want, const struct cg_egress_stats *got,
		  char *why, size_t whylen)
{
	size_t n = 0;
	int i;

	why[0] = 0;
	for (i = 0; i < CG_IFACE_COUNTER_MAX; i++)
		if (want->c[i] != got->c[i])
			APPEND(" egress.%s want %llu got %llu", cg_iface_counter_name(i),
			       (unsigned long long)want->c[i], (unsigned long long)got->c[i]);
	for (i = 0; i < CG_EGRESS_STATE_MAX; i++)
		if (want->state[i] != got->state[i])
			APPEND(" egress.state.%s want %llu got %llu", cg_egress_state_name(i),
			       (unsigned long long)want->state[i], (unsigned long long)got->state[i]);
#define CMP_FIELD(f)								\
	if (want->f != got->f)							\
		APPEND(" egress." #f " want %llu got %llu", (unsigned long long)want->f, \
		       (unsigned long long)got->f)
	CMP_FIELD(gso);
	CMP_FIELD(gso_meta_bad);
	CMP_FIELD(facts);
	CMP_FIELD(no_facts);
#undef CMP_FIELD
	return n ? -1 : 0;
}

int xh_cmp_dst(const struct cg_dst_stats *want, const struct cg_dst_stats *got,
	       char *why, size_t whylen)
{
	size_t n = 0;
	int i;

	why[0] = 0;
#define CMP_FIELD(f)								\
	if (want->f != got->f)							\
		APPEND(" " #f " want %llu got %llu", (unsigned long long)want->f,	\
		       (unsigned long long)got->f)
	CMP_FIELD(packets);
	CMP_FIELD(bytes);
	CMP_FIELD(gso);
	CMP_FIELD(facts);
	CMP_FIELD(offloaded_fact);
	CMP_FIELD(gso_meta_bad);
	CMP_FIELD(dropped);
#undef CMP_FIELD
	for (i = 0; i < CG_EGRESS_STATE_MAX; i++)
		if (want->state[i] != got->state[i])
			APPEND(" %s want %llu got %llu", cg_egress_state_name(i),
			       (unsigned long long)want->state[i], (unsigned long long)got->state[i]);
	if (!want->last_bad_ns != !got->last_bad_ns)
		APPEND(" last_bad_ns want %s got %llu", want->last_bad_ns ? "set" : "0",
		       (unsigned long long)got->last_bad_ns);
	return n ? -1 : 0;
}

int xh_check_egress(struct harness *h, enum xh_hook hook, const uint8_t *f, size_t len,
		    uint32_t gso_size, uint32_t gso_segs, const struct xh_egress_expect *e,
		    char *why, size_t whylen)
{
	struct cg_egress_stats want = { 0 }, got;
	struct cg_dst_stats want_dst = { 0 }, got_dst;
	char sub[768], ab[INET6_ADDRSTRLEN];
	int action = -1, err, ndst, has_row = e->kind == CG_IF_TUNNEL;
	size_t n = 0;

	why[0] = 0;
	err = xh_reset_counters(h);
	if (!err)
		err = xh_run_skb(h, hook, f, len, gso_size, gso_segs, &action);
	if (!err)
		err = xh_egress_read(h, &got);
	if (err) {
		snprintf(why, whylen, "harness error: %s", strerror(-err));
		return -1;
	}
	if (action != e->action)
		APPEND(" action want %s got %d", e->action == TC_ACT_SHOT ? "TC_ACT_SHOT" : "TC_ACT_UNSPEC",
		       action);
	xh_egress_add(&want, &want_dst, hook, e, len);
	want.c[CG_IF_SRC_INSERTED] = has_row;
	if (xh_cmp_egress(&want, &got, sub, sizeof(sub)))
		APPEND("%s", sub);
	ndst = xh_dst_count(h);
	if (ndst != has_row)
		APPEND(" per-destination entries want %d got %d", has_row, ndst);
	if (!has_row)
		return n ? -1 : 0;
	if (xh_dst_read(h, &e->dst, &got_dst)) {
		APPEND(" no per-destination entry for %s", xh_addr_str(&e->dst, ab, sizeof(ab)));
		return -1;
	}
	if (xh_cmp_dst(&want_dst, &got_dst, sub, sizeof(sub)))
		APPEND(" destination %s:%s", xh_addr_str(&e->dst, ab, sizeof(ab)), sub);
	return n ? -1 : 0;
}

int xh_check_one(struct harness *h, enum xh_hook hook, const uint8_t *f, size_t len,
		 const struct xh_expect *e, char *why, size_t whylen)
{
	static uint8_t out[20000];
	size_t out_len;

	if (hook != XH_XDP) {
		snprintf(why, whylen, "harness error: xh_check_one is the XDP check (xh_check_egress)");
		return -1;
	}
	return xh_check_one_out(h, f, len, e, out, sizeof(out), &out_len, why, whylen);
}

int xh_check_one_out(struct harness *h, const uint8_t *f, size_t len, const struct xh_expect *e,
		     uint8_t *out, size_t cap, size_t *out_len, char *why, size_t whylen)
{
	struct cg_iface_stats want_if = { 0 }, got_if;
	struct cg_src_stats want_src = { 0 }, got_src;
	char sub[768], ab[INET6_ADDRSTRLEN];
	int action = -1, err, nsrc, nkept, nnodes;
	size_t n = 0;

	why[0] = 0;
	err = xh_reset_counters(h);
	if (!err)
		err = xh_run_out(h, XH_XDP, f, len, out, cap, out_len, &action);
	if (!err)
		err = cg_iface_read(h->iface_fd, &got_if);
	if (err) {
		snprintf(why, whylen, "harness error: %s", strerror(-err));
		return -1;
	}
	if (action != e->action)
		APPEND(" action want %s got %d", e->action == XDP_DROP ? "XDP_DROP" : "XDP_PASS",
		       action);
	xh_expect_add_iface(&want_if, e);
	want_if.c[CG_IF_SRC_INSERTED] = e->row != XH_ROW_NONE && !e->kept && !e->known;
	want_if.c[CG_IF_SRC_RARE_INSERTED] = xh_expect_rare(e) && !e->kept && !e->known;
	if (xh_cmp_iface(&want_if, &got_if, sub, sizeof(sub)))
		APPEND("%s", sub);

	/* TTL learning: one count of (src, its TTL), or none at all. */
	if (xh_ttl_seen_count(h) != e->learn)
		APPEND(" TTL learning entries want %d got %d", e->learn, xh_ttl_seen_count(h));
	else if (e->learn && xh_ttl_seen(h, &e->src, e->ttl) != 1)
		APPEND(" TTL learning count of TTL %u want 1 got %llu", e->ttl,
		       (unsigned long long)xh_ttl_seen(h, &e->src, e->ttl));

	/* Exactly one row, in the table the source's state says (a known
	 * node's table first, then the kept one of blocked sources), or none. */
	nsrc = xh_src_count(h->src_fd);
	nkept = xh_src_count(h->src_kept_fd);
	nnodes = xh_src_count(h->src_nodes_fd);
	if (nsrc != (e->row != XH_ROW_NONE && !e->kept && !e->known))
		APPEND(" per-source entries want %d got %d",
		       e->row != XH_ROW_NONE && !e->kept && !e->known, nsrc);
	if (nkept != (e->row != XH_ROW_NONE && e->kept && !e->known))
		APPEND(" kept per-source entries want %d got %d",
		       e->row != XH_ROW_NONE && e->kept && !e->known, nkept);
	if (nnodes != (e->row != XH_ROW_NONE && e->known))
		APPEND(" known nodes' per-source entries want %d got %d",
		       e->row != XH_ROW_NONE && e->known, nnodes);
	/* and its shared part exactly where the frame is not a common one */
	nsrc = xh_src_count(h->src_rare_fd);
	nkept = xh_src_count(h->src_kept_rare_fd);
	nnodes = xh_src_count(h->src_nodes_rare_fd);
	if (nsrc != (xh_expect_rare(e) && !e->kept && !e->known))
		APPEND(" shared parts of per-source entries want %d got %d",
		       xh_expect_rare(e) && !e->kept && !e->known, nsrc);
	if (nkept != (xh_expect_rare(e) && e->kept && !e->known))
		APPEND(" shared parts of kept entries want %d got %d",
		       xh_expect_rare(e) && e->kept && !e->known, nkept);
	if (nnodes != (xh_expect_rare(e) && e->known))
		APPEND(" shared parts of known nodes' entries want %d got %d",
		       xh_expect_rare(e) && e->known, nnodes);
	if (e->row == XH_ROW_NONE)
		return n ? -1 : 0;
	if (xh_src_read(h, e->known, e->kept, &e->src, &got_src)) {
		APPEND(" no %sper-source entry for %s",
		       e->known ? "known node's " : e->kept ? "kept " : "",
		       xh_addr_str(&e->src, ab, sizeof(ab)));
		return -1;
	}
	/* bytes: what the program sees (single-buffer: its first buffer) */
	xh_expect_add_src(&want_src, e, xh_xdp_seen_len(h, len));
	if (xh_cmp_src(&want_src, &got_src, sub, sizeof(sub)))
		APPEND(" source %s:%s", xh_addr_str(&e->src, ab, sizeof(ab)), sub);
	return n ? -1 : 0;
}
