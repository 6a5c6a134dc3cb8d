// SPDX-License-Identifier: GPL-2.0
/* probe.c - see probe.h. */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "probe.h"

int cg_probe_tc_facts(void)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	int id;

	if (libbpf_get_error(vmlinux))
		return 0;
	id = btf__find_by_name_kind(vmlinux, "bpf_cast_to_kern_ctx", BTF_KIND_FUNC);
	btf__free(vmlinux);
	return id > 0;
}
