/* SPDX-License-Identifier: GPL-2.0 */
/*
 * doctor_kernel.h - for `doctor`: the running kernel and the program
 * variants csumguard's attach loads on it (doctor_kernel.c asks probe.h,
 * which makes that choice for attach). Kept apart from doctor.h so that
 * probe.h and offloads.h never meet in one file.
 */
#ifndef CG_DOCTOR_KERNEL_H
#define CG_DOCTOR_KERNEL_H

struct cg_doctor_kernel {
	char release[65];	/* uname -r */
	int major, minor;	/* 0, 0: could not parse */
	int btf;		/* /sys/kernel/btf/vmlinux present */
	const char *xdp_prog;	/* the XDP program attach loads here */
	const char *xdp_variant;	/* "multi-buffer" / "single-buffer" */
	char xdp_why[192];	/* why that one (or why none runs) */
	int xdp_ok;		/* 0: this kernel cannot run it */
	const char *tc_prog;	/* the TC egress program attach loads here */
	char tc_why[192];
};

/* Fills k (probes need CAP_BPF; without it they say so). */
void cg_doctor_kernel(struct cg_doctor_kernel *k);

#endif /* CG_DOCTOR_KERNEL_H */
