// SPDX-License-Identifier: GPL-2.0
/*
 * probe_ext.bpf.c - not a datapath: what lib/probe.c loads to learn whether
 * libxdp's multi-program dispatcher can take csumguard's XDP program here.
 *
 * libxdp attaches each program on an interface as an freplace
 * (BPF_PROG_TYPE_EXT) program of its dispatcher. csumguard's sums are
 * global functions taking the context, struct xdp_md * (bpf/csum.bpf.h),
 * and 5.10's verifier refuses exactly that in an EXT program ("Unrecognized
 * arg#0 type PTR": it looks the argument up as the context of the EXT type,
 * not of the program it extends), while it takes them in an XDP program.
 * So the probe loads cg_probe_target as XDP, then cg_probe_ext_plain and
 * cg_probe_ext as EXT programs replacing it: the first says whether freplace
 * works at all, the second whether a global function with a struct xdp_md *
 * argument passes in one. Nothing is attached.
 *
 * cg_probe_tc: whether the verifier takes a global function with a pointer
 * argument (to stack memory) (5.12+; 5.10 says "Arg#1 type PTR in ...() is
 * not supported yet" and refuses the whole program). The TC egress program
 * took one until issue 13 (cg_parse_skb(ctx, struct cg_pkt *)); now none of
 * csumguard's programs does, and the probe only reports (doctor).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int cg_probe_target(struct xdp_md *ctx)
{
	return XDP_PASS;
}

/* Global (not static, not inlined): verified on its own, with ctx as the
 * context argument, like cg_sum_chunks. Its result depends on ctx, or clang
 * folds the call away and the probe proves nothing (it did: "x ? PASS :
 * PASS" left no call, and 5.10 loaded it). */
__noinline int cg_probe_sub(struct xdp_md *ctx)
{
	return ctx->data_end - ctx->data > 64 ? XDP_PASS : XDP_DROP;
}

SEC("freplace/cg_probe_target")
int cg_probe_ext_plain(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("freplace/cg_probe_target")
int cg_probe_ext(struct xdp_md *ctx)
{
	return cg_probe_sub(ctx);
}

__noinline int cg_probe_ptr(struct __sk_buff *ctx, int *v)
{
	if (!v)
		return 0;
	return *v + (ctx->len > 0);
}

SEC("tc")
int cg_probe_tc(struct __sk_buff *ctx)
{
	int v = 1;

	return cg_probe_ptr(ctx, &v) > 5 ? 2 : 0;
}

char LICENSE[] SEC("license") = "GPL";
