// SPDX-License-Identifier: GPL-2.0
/* The TC floor of the benchmark: a TC program that passes every skb at once
 * (the TC twin of xdp_pass.bpf.c: a TC test run builds an skb, which XDP's
 * does not, so the TC columns are measured above this one). */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int tc_pass(struct __sk_buff *ctx)
{
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
