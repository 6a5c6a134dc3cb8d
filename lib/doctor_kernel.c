// SPDX-License-Identifier: GPL-2.0
/*
 * doctor_kernel.c - see doctor_kernel.h. The choices are probe.h's, the
 * same attach makes: the XDP program is the multi-buffer one (SEC
 * "xdp.frags", kernel 5.18+); at TC egress the skb-facts program where the
 * kernel has bpf_cast_to_kern_ctx (6.2+), else the plain one.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "csumguard.h"
#include "doctor_kernel.h"
#include "probe.h"

void cg_doctor_kernel(struct cg_doctor_kernel *k)
{
	struct utsname u;

	memset(k, 0, sizeof(*k));
	if (!uname(&u)) {
		snprintf(k->release, sizeof(k->release), "%s", u.release);
		if (sscanf(u.release, "%d.%d", &k->major, &k->minor) != 2)
			k->major = k->minor = 0;
	}
	k->btf = !access("/sys/kernel/btf/vmlinux", R_OK);

	k->xdp_prog = CG_PROG_NAME;
	k->xdp_variant = "multi-buffer";
	k->xdp_ok = !k->major || k->major > 5 || (k->major == 5 && k->minor >= 18);
	if (!k->major)
		snprintf(k->xdp_why, sizeof(k->xdp_why), "the kernel release '%s' does not "
			 "parse; xdp.frags needs 5.18+", k->release);
	else if (k->xdp_ok)
		snprintf(k->xdp_why, sizeof(k->xdp_why), "SEC xdp.frags: frames of any MTU, "
			 "multi-buffer included (kernel 5.18+)");
	else
		snprintf(k->xdp_why, sizeof(k->xdp_why), "SEC xdp.frags needs kernel 5.18+ "
			 "(bpf_xdp_load_bytes, BPF_F_XDP_HAS_FRAGS); this is %d.%d", k->major,
			 k->minor);

	if (cg_probe_tc_facts()) {
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
