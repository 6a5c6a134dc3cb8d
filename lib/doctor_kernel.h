/* SPDX-License-Identifier: GPL-2.0 */
/*
 * doctor_kernel.h - for `doctor`: the running kernel and the program
 * variants csumguard's attach loads on it, by the same probes and the same
 * decision attach makes (probe.h). Kept apart from doctor.h so that only
 * doctor_kernel.c sees probe.h.
 */
#ifndef CG_DOCTOR_KERNEL_H
#define CG_DOCTOR_KERNEL_H

struct cg_doctor_kernel {
	char release[65];	/* uname -r */
	int major, minor;	/* 0, 0: could not parse */
	int btf;		/* /sys/kernel/btf/vmlinux present */
	char probes[256];	/* what the probes found, one line (probe.h) */
	const char *xdp_prog;	/* the XDP program a native attach loads here; NULL: none */
	const char *xdp_variant;	/* "multi-buffer" / "single-buffer" */
	int xdp_alone;		/* attached without libxdp's dispatcher */
	char xdp_why[256];	/* why that one (or why none runs) */
	int xdp_ok;		/* 0: this kernel (or MTU) cannot run it natively */
	const char *tc_prog;	/* the TC egress program attach loads here; NULL: none */
	char tc_why[256];
};

/* Fills k for a native attach on ifname of MTU mtu (probes need CAP_BPF;
 * without it they say so). */
void cg_doctor_kernel(struct cg_doctor_kernel *k, const char *ifname, int mtu);

#endif /* CG_DOCTOR_KERNEL_H */
