/* SPDX-License-Identifier: GPL-2.0 */
/* selftests.h - result counting shared by the BPF selftest suites. */
#ifndef CG_SELFTESTS_H
#define CG_SELFTESTS_H

#include <stdint.h>

struct xdp_h;

struct st_result {
	int passed, failed;
};

/* Prints "ok - name" or "FAIL - name: why" and counts it; status 0 = pass. */
void st_report(struct st_result *r, const char *name, int status, const char *why);

/* The table of packet classes (xdp_cases.c). */
int run_xdp_cases(struct xdp_h *h, struct st_result *res);

/* The differential test (xdp_diff.c): frames random and mutated from seed. */
int run_xdp_diff(struct xdp_h *h, struct st_result *res, long frames, uint32_t seed);

#endif /* CG_SELFTESTS_H */
