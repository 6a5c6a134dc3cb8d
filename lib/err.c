// SPDX-License-Identifier: GPL-2.0
/* err.c - see err.h. */
#include <stdarg.h>
#include <stdio.h>
#include "err.h"

int cg_errf(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}
