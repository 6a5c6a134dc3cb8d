// SPDX-License-Identifier: GPL-2.0
/* The floor of the benchmark: an XDP program that passes every frame at once. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp.frags")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
