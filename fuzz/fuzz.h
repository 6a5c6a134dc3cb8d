/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz.h - what the libFuzzer harnesses share (fuzz/README.md).
 *
 * A harness is one file fuzz/fuzz_NAME.c defining LLVMFuzzerTestOneInput;
 * the Makefile finds it (wildcard), builds build/fuzz/fuzz_NAME with
 * clang -fsanitize=fuzzer,address,undefined against the lib/, ref/ and
 * loader/ objects, and runs it on fuzz/corpus/NAME/. Besides the
 * sanitizers, each harness checks what the parser promises (FZ_CHECK): a
 * broken promise aborts like a crash, and libFuzzer saves the input.
 */
#ifndef CG_FUZZ_H
#define CG_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "utf8.h"

/* A promise of the code under test: abort with the reason if broken. */
#define FZ_CHECK(cond, ...)							\
	do {									\
		if (!(cond)) {							\
			fprintf(stderr, "fuzz check failed: %s (%s:%d): ", #cond,	\
				__FILE__, __LINE__);				\
			fprintf(stderr, __VA_ARGS__);				\
			fputc('\n', stderr);					\
			abort();						\
		}								\
	} while (0)

/* The input as a NUL-terminated string in a heap block of exactly that
 * size (ASan sees a read past its end). Free it. */
static inline char *fz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * The error convention (lib/err.h): one line "<cause>; <fix>", which the
 * command prints as it is. Messages about data from elsewhere (a snapshot
 * file, a map) must hold no control character or DEL: a crafted file must
 * not write terminal escapes. Messages about the command line may quote an
 * argument as typed (FZ_MSG_QUOTES_ARGV), control characters and all, as
 * other tools do: the user wrote them.
 */
enum { FZ_MSG_STRICT = 0, FZ_MSG_QUOTES_ARGV = 1 };

static inline void fz_check_message_as(const char *err, int how)
{
	const unsigned char *p;

	size_t n = strlen(err), l;

	FZ_CHECK(err[0] != '\0', "empty error message");
	for (p = (const unsigned char *)err; how == FZ_MSG_STRICT && *p; p += l) {
		l = cg_utf8_len(p, n - (size_t)(p - (const unsigned char *)err));
		FZ_CHECK(l, "invalid UTF-8 at %zu in \"%s\"",
			 (size_t)(p - (const unsigned char *)err), err);
		/* C0, DEL, C1 (U+0080..U+009F) */
		FZ_CHECK(*p >= 0x20 && *p != 0x7f && !(l == 2 && *p == 0xc2 && p[1] < 0xa0),
			 "control character at %zu in \"%s\"",
			 (size_t)(p - (const unsigned char *)err), err);
	}
	FZ_CHECK(strstr(err, "; ") != NULL, "no \"; fix\" part in \"%s\"", err);
}

static inline void fz_check_message(const char *err)
{
	fz_check_message_as(err, FZ_MSG_STRICT);
}

#endif /* CG_FUZZ_H */
