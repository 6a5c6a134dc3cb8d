/* SPDX-License-Identifier: GPL-2.0 */
/* selftests.h - result counting shared by the BPF selftest suites. */
#ifndef CG_SELFTESTS_H
#define CG_SELFTESTS_H

#include <stddef.h>
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

/* The differential test's regression corpus (diff_corpus.h): every frame
 * once, under its configuration; each must get the same verdict from both. */
int run_diff_corpus(struct harness *h, struct st_result *res);

struct cg_ref_config;
struct cg_ref_block_entry;

/* How many table cases there are (both tables, xdp_cases.c). */
size_t st_case_count(void);

/* The frame of table case i (XDP cases, then TC cases) into buf (cap bytes),
 * the configuration it runs under (cfg; its blocklist entry in *blk, its
 * known nodes in xdp_cases.c's static set, valid until the next call), the
 * GSO fields of its skb (0, 0: not GSO) and its name. Returns the frame's
 * length, 0 if it did not build or i is past the last case. */
size_t st_case_frame(size_t i, uint8_t *buf, size_t cap, struct cg_ref_config *cfg,
		     struct cg_ref_block_entry *blk, uint32_t *gso_size, uint32_t *gso_segs,
		     const char **name);

#endif /* CG_SELFTESTS_H */
