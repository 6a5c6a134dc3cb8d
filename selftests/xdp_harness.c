// SPDX-License-Identifier: GPL-2.0
/* xdp_harness.c - see xdp_harness.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xdp_harness.h"
#include "maps.h"
#include "names.h"
#include "ports.h"
#include "addr.h"
#include "csumguard.skel.h"

int xh_open(struct xdp_h *h)
{
	struct cg_config cfg = { .mode = CG_MODE_MONITOR };
	int err, i;

	memset(h, 0, sizeof(*h));
	h->skel = csumguard__open_and_load();
	if (!h->skel)
		return -errno ? -errno : -EINVAL;
	h->prog_fd = bpf_program__fd(h->skel->progs.csumguard_xdp);
	h->ports_fd = bpf_map__fd(h->skel->maps.cg_ports);
	h->src_fd = bpf_map__fd(h->skel->maps.cg_src);
	h->src_kept_fd = bpf_map__fd(h->skel->maps.cg_src_kept);
	h->iface_fd = bpf_map__fd(h->skel->maps.cg_iface);
	h->config_fd = bpf_map__fd(h->skel->maps.cg_config);
	h->block_fd = bpf_map__fd(h->skel->maps.cg_blocklist);
	h->block_count_fd = bpf_map__fd(h->skel->maps.cg_block_count);
	err = cg_ports_set_defaults(h->ports_fd);
	for (i = 0; i < CG_N_DEFAULT_PORTS; i++)
		h->ports[cg_default_ports[i].port] = (uint8_t)cg_default_ports[i].encap;
	if (!err)
		err = cg_config_write(h->config_fd, &cfg);
	if (err)
		xh_close(h);
	return err;
}

void xh_close(struct xdp_h *h)
{
	csumguard__destroy(h->skel);
	h->skel = NULL;
}

int xh_run(struct xdp_h *h, const uint8_t *frame, size_t len, int *action)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = frame,
		.data_size_in = (__u32)len,
		.repeat = 1,
	);
	int err = bpf_prog_test_run_opts(h->prog_fd, &opts);

	if (err)
		return -errno;
	*action = (int)opts.retval;
	return 0;
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

int xh_reset_counters(struct xdp_h *h)
{
	int n = cg_ncpus(), err;
	struct cg_iface_stats *zero;
	__u32 key = 0;

	err = clear_hash(h->src_fd, sizeof(struct cg_addr));
	if (!err)
		err = clear_hash(h->src_kept_fd, sizeof(struct cg_addr));
	if (err)
		return err;
	zero = calloc((size_t)n, sizeof(*zero));
	if (!zero)
		return -ENOMEM;
	err = bpf_map_update_elem(h->iface_fd, &key, zero, BPF_ANY) ? -errno : 0;
	free(zero);
	return err;
}

int xh_clear_blocklist(struct xdp_h *h)
{
	return clear_hash(h->block_fd, sizeof(struct cg_addr));
}

int xh_apply(struct xdp_h *h, const struct cg_ref_config *cfg)
{
	struct cg_config c = { .mode = cfg->mode };
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
		if (bpf_map_update_elem(h->block_fd, &cfg->blocks[i].addr, &b, BPF_ANY))
			err = -errno;
	}
	if (!err) {
		int n = cg_block_count_sync(h->block_fd, h->block_count_fd);

		err = n < 0 ? n : n == (int)cfg->nblocks ? 0 : -EEXIST;
	}
	return err;
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

void xh_expect_from_ref(const struct cg_ref_result *r, struct xh_expect *e)
{
	memset(e, 0, sizeof(*e));
	e->action = r->drop ? XDP_DROP : XDP_PASS;
	e->kind = r->kind;
	e->verdict = r->verdict;
	e->drop = r->drop ? r->drop_reason : CG_IF_FRAMES;
	e->row = r->kind == CG_IF_TUNNEL ? XH_ROW_VERDICT :
		 r->kind == CG_IF_UNPARSED && r->have_src ? XH_ROW_UNPARSED : XH_ROW_NONE;
	e->kept = e->row != XH_ROW_NONE && r->blocked;
	e->src = r->src;
}

void xh_expect_add_iface(struct cg_iface_stats *t, const struct xh_expect *e)
{
	t->c[CG_IF_FRAMES]++;
	t->c[e->kind]++;
	if (e->kind == CG_IF_TUNNEL)
		t->verdict[e->verdict]++;
	if (e->drop != CG_IF_FRAMES)
		t->c[e->drop]++;
}

void xh_expect_add_src(struct cg_src_stats *s, const struct xh_expect *e, uint64_t bytes)
{
	if (e->row == XH_ROW_UNPARSED) {
		s->unparsed++;
	} else {
		s->packets++;
		s->bytes += bytes;
		s->verdict[e->verdict]++;
		if (e->verdict == CG_V_BAD)
			s->last_bad_ns = 1;	/* "some time": compared as zero / non-zero */
	}
	if (e->drop != CG_IF_FRAMES)
		s->dropped++;
}

#define APPEND(...) (n += snprintf(why + n, n < whylen ? whylen - n : 0, __VA_ARGS__))

int xh_cmp_iface(const struct cg_iface_stats *want, const struct cg_iface_stats *got,
		 char *why, size_t whylen)
{
	size_t n = 0;
	int i;

	why[0] = 0;
	for (i = 0; i < CG_IFACE_COUNTER_MAX; i++)
		if (want->c[i] != got->c[i])
			APPEND(" totals.%s want %llu got %llu", cg_iface_counter_name(i),
			       (unsigned long long)want->c[i], (unsigned long long)got->c[i]);
	for (i = 0; i < CG_VERDICT_MAX; i++)
		if (want->verdict[i] != got->verdict[i])
			APPEND(" totals.verdict.%s want %llu got %llu", cg_verdict_name(i),
			       (unsigned long long)want->verdict[i],
			       (unsigned long long)got->verdict[i]);
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
	if (!want->last_bad_ns != !got->last_bad_ns)
		APPEND(" last_bad_ns want %s got %llu", want->last_bad_ns ? "set" : "0",
		       (unsigned long long)got->last_bad_ns);
	return n ? -1 : 0;
}

const char *xh_addr_str(const struct cg_addr *a, char *buf, size_t len)
{
	cg_addr_str(a, buf, len);
	return buf;
}

int xh_check_one(struct xdp_h *h, const uint8_t *f, size_t len, const struct xh_expect *e,
		 char *why, size_t whylen)
{
	struct cg_iface_stats want_if = { 0 }, got_if;
	struct cg_src_stats want_src = { 0 }, got_src;
	char sub[512], ab[INET6_ADDRSTRLEN];
	int action = -1, err, nsrc, nkept;
	size_t n = 0;

	why[0] = 0;
	err = xh_reset_counters(h);
	if (!err)
		err = xh_run(h, f, len, &action);
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
	want_if.c[CG_IF_SRC_INSERTED] = e->row != XH_ROW_NONE && !e->kept;
	if (xh_cmp_iface(&want_if, &got_if, sub, sizeof(sub)))
		APPEND("%s", sub);

	/* Exactly one row, in the table the source's state says, or none. */
	nsrc = xh_src_count(h->src_fd);
	nkept = xh_src_count(h->src_kept_fd);
	if (nsrc != (e->row != XH_ROW_NONE && !e->kept))
		APPEND(" per-source entries want %d got %d", e->row != XH_ROW_NONE && !e->kept,
		       nsrc);
	if (nkept != (e->row != XH_ROW_NONE && e->kept))
		APPEND(" kept per-source entries want %d got %d",
		       e->row != XH_ROW_NONE && e->kept, nkept);
	if (e->row == XH_ROW_NONE)
		return n ? -1 : 0;
	if (cg_src_read(e->kept ? h->src_kept_fd : h->src_fd, &e->src, &got_src)) {
		APPEND(" no %sper-source entry for %s", e->kept ? "kept " : "",
		       xh_addr_str(&e->src, ab, sizeof(ab)));
		return -1;
	}
	xh_expect_add_src(&want_src, e, len);
	if (xh_cmp_src(&want_src, &got_src, sub, sizeof(sub)))
		APPEND(" source %s:%s", xh_addr_str(&e->src, ab, sizeof(ab)), sub);
	return n ? -1 : 0;
}
