// SPDX-License-Identifier: GPL-2.0
/* bench/util.c - see util.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

void bench_loadavg(char *buf, size_t len)
{
	FILE *f = fopen("/proc/loadavg", "r");

	buf[0] = '\0';
	if (f) {
		if (fscanf(f, "%15s", buf) == 1) {
			size_t n = strlen(buf);
			char a[16], b[16];

			if (fscanf(f, "%15s %15s", a, b) == 2)
				snprintf(buf + n, len - n, " %s %s", a, b);
		}
		fclose(f);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double bench_median(const double *v, int n)
{
	double *s = malloc(sizeof(double) * (size_t)n), m;

	if (!s) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	memcpy(s, v, sizeof(double) * (size_t)n);
	qsort(s, (size_t)n, sizeof(double), cmp_double);
	m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return m;
}
