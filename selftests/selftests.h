/* SPDX-License-Identifier: GPL-2.0 */
/* selftests.h - result counting shared by the BPF selftest suites. */
#ifndef CG_SELFTESTS_H
#define CG_SELFTESTS_H

#include <stdint.h>

struct harness;

struct st_result {
	int passed, failed, skipped;
};

/* Prints "ok - name" or "FAIL - name: why" and counts it; status 0 = pass. */
void st_report(struct st_result *r, const char *name, int status, const char *why);

/* Prints "skip - name: why" and counts it as skipped: neither passed nor
 * failed. */
void st_skip(struct st_result *r, const char *name, const char *why);

/* The table of packet classes (xdp_cases.c), each through the XDP program
 * and, when the frame fits a TC test run, the TC program. Only the cases
 * whose name contains filter, when filter is not NULL; returns how many
 * cases ran. */
int run_xdp_cases(struct harness *h, struct st_result *res, const char *filter);

/* The TC egress table (xdp_cases.c): GSO skbs and egress-only rules, each
 * through every TC program loaded. Filter as above. */
int run_tc_cases(struct harness *h, struct st_result *res, const char *filter);

/* The trace ring buffer (xdp_trace.c): events of bad frames, none of ok
 * ones, the in-kernel rate limit. Filter as above. */
int run_trace_cases(struct harness *h, struct st_result *res, const char *filter);

/* The differential test (xdp_diff.c): frames random and mutated from seed. */
int run_xdp_diff(struct harness *h, struct st_result *res, long frames, uint32_t seed);

#endif /* CG_SELFTESTS_H */
