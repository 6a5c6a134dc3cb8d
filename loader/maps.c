// SPDX-License-Identifier: GPL-2.0
/* maps.c - see maps.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "maps.h"

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
	int err;

	err = cg_ports_set(ports_fd, CG_PORT_VXLAN_IANA, CG_ENCAP_VXLAN);
	if (!err)
		err = cg_ports_set(ports_fd, CG_PORT_VXLAN_LINUX, CG_ENCAP_VXLAN);
	if (!err)
		err = cg_ports_set(ports_fd, CG_PORT_GENEVE, CG_ENCAP_GENEVE);
	return err;
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

int cg_iface_read(int iface_fd, struct cg_iface_stats *out)
{
	int n = cg_ncpus(), i, j, err = 0;
	struct cg_iface_stats *v;
	__u32 key = 0;

	if (n < 0)
		return n;
	v = calloc((size_t)n, sizeof(*v));
	if (!v)
		return -ENOMEM;
	memset(out, 0, sizeof(*out));
	if (bpf_map_lookup_elem(iface_fd, &key, v)) {
		err = -errno;
		goto out;
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < CG_IFACE_COUNTER_MAX; j++)
			out->c[j] += v[i].c[j];
		for (j = 0; j < CG_VERDICT_MAX; j++)
			out->verdict[j] += v[i].verdict[j];
	}
out:
	free(v);
	return err;
}

void cg_src_sum(const struct cg_src_stats *percpu, int ncpus, struct cg_src_stats *out)
{
	int i, j;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < ncpus; i++) {
		const struct cg_src_stats *s = &percpu[i];

		out->packets += s->packets;
		out->bytes += s->bytes;
		for (j = 0; j < CG_VERDICT_MAX; j++)
			out->verdict[j] += s->verdict[j];
		out->dropped += s->dropped;
		if (s->last_bad_ns > out->last_bad_ns)
			out->last_bad_ns = s->last_bad_ns;
	}
}

int cg_src_read(int src_fd, const struct cg_addr *addr, struct cg_src_stats *out)
{
	int n = cg_ncpus(), err = 0;
	struct cg_src_stats *v;

	if (n < 0)
		return n;
	v = calloc((size_t)n, sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (bpf_map_lookup_elem(src_fd, addr, v))
		err = -errno;
	else
		cg_src_sum(v, n, out);
	free(v);
	return err;
}
