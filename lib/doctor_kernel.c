// SPDX-License-Identifier: GPL-2.0
/*
 * doctor_kernel.c - see doctor_kernel.h. The probes and the choice are
 * probe.h's, the very ones attach runs: the kernel's floor, the XDP variant
 * (multi-buffer where the kernel has xdp.frags and its helpers, else
 * single-buffer, which native XDP refuses above one page), whether it has
 * to run without libxdp's dispatcher, and the TC egress program (with skb
 * facts where the kernel has bpf_cast_to_kern_ctx, none where it lacks
 * global functions with pointer arguments).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "csumguard.h"
#include "doctor_kernel.h"
#include "probe.h"

void cg_doctor_kernel(struct cg_doctor_kernel *k, const char *ifname, int mtu)
{
	struct cg_xdp_plan plan;
	struct cg_features f;
	char err[256];

	memset(k, 0, sizeof(*k));
	cg_features_init(&f);
	cg_probe_xdp(&f);
	cg_probe_freplace(&f);
	cg_probe_global_ptr_args(&f);
	f.tc_facts = cg_probe_tc_facts();
	snprintf(k->release, sizeof(k->release), "%s", f.release);
	k->major = f.major;
	k->minor = f.minor;
	k->btf = !access("/sys/kernel/btf/vmlinux", R_OK);
	cg_features_str(&f, k->probes, sizeof(k->probes));

	if (f.xdp_frags < 0) {
		snprintf(k->xdp_why, sizeof(k->xdp_why), "the kernel's features could not be "
			 "probed (loading a probe needs CAP_BPF: run as root)");
	} else if (cg_kernel_floor_check(&f, err, sizeof(err)) ||
		   cg_xdp_plan(&f, 1, mtu, ifname, &plan, err, sizeof(err))) {
		snprintf(k->xdp_why, sizeof(k->xdp_why), "%s", err);
	} else {
		k->xdp_ok = 1;
		k->xdp_prog = cg_xdp_variant_prog(plan.variant);
		k->xdp_variant = cg_xdp_variant_name(plan.variant);
		k->xdp_alone = plan.alone;
		snprintf(k->xdp_why, sizeof(k->xdp_why), "%s%s",
			 plan.variant == CG_XDP_LARGE_CHUNK ?
			 "SEC xdp.frags: frames of any MTU, multi-buffer included; checksums in "
			 "2-4 KiB bpf_csum_diff calls (this kernel's helper takes any size, 6.13+)" :
			 plan.variant == CG_XDP_MULTI_BUF ?
			 "SEC xdp.frags: frames of any MTU, multi-buffer included" :
			 "SEC xdp: this kernel lacks xdp.frags; native XDP up to one page (MTU "
			 "3506), generic (--xdp-mode skb) any MTU",
			 plan.alone ? "; alone: the kernel refuses libxdp's dispatcher for it" : "");
	}

	if (cg_tc_egress_check(&f, err, sizeof(err))) {
		snprintf(k->tc_why, sizeof(k->tc_why), "%s", err);
	} else if (f.tc_facts == 1) {
		k->tc_prog = CG_TC_PROG_FACTS;
		snprintf(k->tc_why, sizeof(k->tc_why), "reads the skb's own checksum and GSO "
			 "state (bpf_cast_to_kern_ctx, kernel 6.2+, CO-RE on the kernel's BTF)");
	} else {
		k->tc_prog = CG_TC_PROG;
		snprintf(k->tc_why, sizeof(k->tc_why), "%s: offloaded known by the seed "
			 "signature alone", k->btf ? "no bpf_cast_to_kern_ctx (kernel before 6.2)" :
			 "no kernel BTF to read the skb with");
	}
}
