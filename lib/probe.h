/* SPDX-License-Identifier: GPL-2.0 */
/*
 * probe.h - what the running kernel can do, asked once where a choice
 * depends on it (which program variant to load).
 */
#ifndef CG_PROBE_H
#define CG_PROBE_H

/*
 * Does the kernel have bpf_cast_to_kern_ctx (6.2+)? Then the TC egress
 * program with skb facts (CG_TC_PROG_FACTS) loads; otherwise only
 * CG_TC_PROG does (a kernel refuses a program that calls a kfunc it lacks,
 * even in dead code). 1 yes, 0 no (or no kernel BTF to tell).
 */
int cg_probe_tc_facts(void);

#endif /* CG_PROBE_H */
