/* SPDX-License-Identifier: GPL-2.0 */
/*
 * err.h - how lib/ reports a failure: it never prints. A function that can
 * fail takes (char *err, size_t errlen) last and returns a negative errno;
 * err then holds one line "<cause>; <fix>" the front end may show as it is
 * (`csumguard: <err>`), log, or put in a metric's help. On success err is
 * left alone. Functions whose only failure is obvious from the errno (a map
 * read) take no err.
 */
#ifndef CG_ERR_H
#define CG_ERR_H

#include <stddef.h>

/* Room for any message lib/ writes (they may name two paths). */
#define CG_ERRLEN	4096

/* Writes the message into err and returns code (a negative errno), so that
 * a failure is `return cg_errf(err, errlen, -EINVAL, "...; ...", ...)`. */
int cg_errf(char *err, size_t errlen, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Text someone typed, quoted in a message: at most CG_QUOTE_MAX bytes of it
 * and "..." when cut, so that a long argument cannot push the "; <fix>"
 * part out of the buffer (found by fuzz/fuzz_params.c: a 300-byte unknown
 * option left "unknown option '--reason...", cut, with no fix).
 *	cg_errf(err, errlen, -1, "bad --mode '" CG_QUOTE "'; ...", CG_QUOTED(v));
 */
#define CG_QUOTE_MAX	64
#define CG_QUOTE	"%.64s%s"
#define CG_QUOTED(s)	(s), (strlen(s) > CG_QUOTE_MAX ? "..." : "")

#endif /* CG_ERR_H */
