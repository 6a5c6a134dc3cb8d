/* SPDX-License-Identifier: GPL-2.0 */
/* bench/util.h - what every bench tool reports the same way: the machine's
 * load average and the median of a run's rounds. */
#ifndef CG_BENCH_UTIL_H
#define CG_BENCH_UTIL_H

#include <stddef.h>

/* The load average now, for the report: "1.05 0.98 0.75" ("" if unknown). */
void bench_loadavg(char *buf, size_t len);

/* The median of v[0..n-1] (v is left as it is); n >= 1. */
double bench_median(const double *v, int n);

#endif
