/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json_writer.h - a streaming JSON writer over a FILE*, the one way
 * csumguard writes JSON (shaped like bpftool's json_writer.h).
 *
 * The writer places the commas and colons: it keeps a stack of the open
 * objects and arrays, and the caller only says what comes next. Output is
 * compact (no spaces), one document per writer; cg_json_finish() ends it
 * with a newline.
 *
 *	struct cg_json w;
 *
 *	cg_json_init(&w, f);
 *	cg_json_start_object(&w);
 *	cg_json_uint_field(&w, "version", 2);
 *	cg_json_name(&w, "entries");
 *	cg_json_start_array(&w);
 *	cg_json_end_array(&w);
 *	cg_json_end_object(&w);
 *	return cg_json_finish(&w);	// {"version":2,"entries":[]}\n
 *
 * Misuse (a value in an object without a name, a name outside an object,
 * closing an object with end_array, a second top-level value, nesting
 * deeper than CG_JSON_MAX_DEPTH, finishing with a container open) is never
 * printed and never aborts: the writer remembers the first one, writes
 * nothing more, and cg_json_finish() returns -1; cg_json_error() says what
 * it was.
 */
#ifndef CG_JSON_WRITER_H
#define CG_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CG_JSON_MAX_DEPTH	32	/* open objects and arrays at once */
#define CG_JSON_STR_MAX		4096	/* bytes of a string or name written, at most */

/* The writer's state; its fields are its own (declared here so that a
 * writer lives on the caller's stack and cannot fail to be created). */
struct cg_json {
	FILE *f;
	const char *err;		/* first misuse, or NULL */
	unsigned int depth;		/* open containers */
	bool named;			/* a name was written; its value is due */
	bool done;			/* the top-level value is complete */
	struct {
		bool object;		/* an object (else an array) */
		bool any;		/* it has a member already: next one needs ',' */
	} open[CG_JSON_MAX_DEPTH];
};

/* A new document on f. */
void cg_json_init(struct cg_json *w, FILE *f);
/* Ends the document with '\n'. 0, or -1 after misuse (cg_json_error), an
 * incomplete document, or a write error on f. */
int cg_json_finish(struct cg_json *w);
/* What went wrong first ("value without a name in an object", ...), or NULL. */
const char *cg_json_error(const struct cg_json *w);

/* Containers. In an object, each member is cg_json_name() then a value. */
void cg_json_start_object(struct cg_json *w);
void cg_json_end_object(struct cg_json *w);
void cg_json_start_array(struct cg_json *w);
void cg_json_end_array(struct cg_json *w);

/* The name of the next member of the open object (escaped like a string). */
void cg_json_name(struct cg_json *w, const char *name);

/*
 * Values. Strings are escaped per RFC 8259 ('"', '\\', control characters;
 * DEL as \u007f too), bytes that are not valid UTF-8 become U+FFFD (\ufffd),
 * and at most CG_JSON_STR_MAX bytes of s are read (strn: at most maxlen,
 * for fixed-size fields that may lack a NUL). A NULL string is null.
 */
void cg_json_string(struct cg_json *w, const char *s);
void cg_json_strn(struct cg_json *w, const char *s, size_t maxlen);
void cg_json_uint(struct cg_json *w, uint64_t v);
void cg_json_int(struct cg_json *w, int64_t v);
/* Fixed format, 6 decimals ("0.030000"), '.' whatever the locale; NaN and
 * infinities, which JSON cannot spell, are null. */
void cg_json_float(struct cg_json *w, double v);
void cg_json_bool(struct cg_json *w, bool v);
void cg_json_null(struct cg_json *w);

/* Name and value in one call. */
void cg_json_string_field(struct cg_json *w, const char *name, const char *s);
void cg_json_strn_field(struct cg_json *w, const char *name, const char *s, size_t maxlen);
void cg_json_uint_field(struct cg_json *w, const char *name, uint64_t v);
void cg_json_int_field(struct cg_json *w, const char *name, int64_t v);
void cg_json_float_field(struct cg_json *w, const char *name, double v);
void cg_json_bool_field(struct cg_json *w, const char *name, bool v);
void cg_json_null_field(struct cg_json *w, const char *name);

#endif /* CG_JSON_WRITER_H */
