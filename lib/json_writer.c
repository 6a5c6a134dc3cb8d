// SPDX-License-Identifier: GPL-2.0
/* json_writer.c - see json_writer.h. */
#define _GNU_SOURCE	/* the *_unlocked stdio calls */
#include <inttypes.h>
#include <math.h>
#include <string.h>
#include "json_writer.h"
#include "utf8.h"

/* stdio without its per-call lock: a writer's FILE is used by one thread
 * at a time (its own stdout or memstream), and a big `stats --json` makes
 * about 40 calls a source (bench/README.md, "User-space scale"). */
#define fputc(c, f)		putc_unlocked(c, f)
#define fwrite(p, s, n, f)	fwrite_unlocked(p, s, n, f)
#define fputs(s, f)		fputs_unlocked(s, f)

void cg_json_init(struct cg_json *w, FILE *f)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
}

const char *cg_json_error(const struct cg_json *w)
{
	return w->err;
}

/* Remembers the first misuse; every call after it writes nothing. */
static bool misuse(struct cg_json *w, const char *what)
{
	if (!w->err)
		w->err = what;
	return false;
}

/*
 * Before a value: may one come here? Writes the ',' an array needs (in an
 * object, cg_json_name() wrote it). false: nothing may be written.
 */
static bool value_begin(struct cg_json *w)
{
	if (w->err)
		return false;
	if (!w->depth)
		return w->done ? misuse(w, "a second value at the top level") : true;
	if (w->open[w->depth - 1].object) {
		if (!w->named)
			return misuse(w, "value without a name in an object");
		w->named = false;
		return true;
	}
	if (w->open[w->depth - 1].any)
		fputc(',', w->f);
	w->open[w->depth - 1].any = true;
	return true;
}

/* After a value: the document is complete when it was the top level. */
static void value_end(struct cg_json *w)
{
	if (!w->depth)
		w->done = true;
}

/* RFC 8259 string literal of at most n bytes of s; invalid UTF-8 -> U+FFFD.
 * Runs of bytes that need no escape go out in one fwrite (one call per
 * character made `stats --json` spend a fifth of its time in stdio). */
static void put_string(FILE *f, const char *str, size_t maxlen)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strnlen(str, maxlen), i = 0, run = 0, l;

	fputc('"', f);
	while (i < n) {
		unsigned char ch = s[i];
		const char *esc = NULL;

		if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\') {
			i++;	/* plain ASCII: part of the run */
			continue;
		}
		if (ch >= 0x80 && (l = cg_utf8_len(s + i, n - i))) {
			i += l;	/* valid UTF-8: as it is */
			continue;
		}
		if (i > run)
			fwrite(s + run, 1, i - run, f);
		switch (ch) {
		case '"':  esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			break;
		}
		if (esc)
			fputs(esc, f);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(f, "\\u%04x", ch);
		else
			fputs("\\ufffd", f);	/* a byte that starts no valid UTF-8 */
		run = ++i;
	}
	if (i > run)
		fwrite(s + run, 1, i - run, f);
	fputc('"', f);
}

/* v in decimal, without printf's format parsing (a row of stats --json
 * is mostly integers). */
static void put_uint(FILE *f, uint64_t v)
{
	char buf[24], *p = buf + sizeof(buf);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	fwrite(p, 1, (size_t)(buf + sizeof(buf) - p), f);
}

static void open_container(struct cg_json *w, bool object)
{
	if (!value_begin(w))
		return;
	if (w->depth == CG_JSON_MAX_DEPTH) {
		misuse(w, "objects and arrays nested too deep");
		return;
	}
	fputc(object ? '{' : '[', w->f);
	w->open[w->depth].object = object;
	w->open[w->depth].any = false;
	w->depth++;
}

static void close_container(struct cg_json *w, bool object)
{
	if (w->err)
		return;
	if (!w->depth || w->open[w->depth - 1].object != object) {
		misuse(w, object ? "end_object without an open object"
				 : "end_array without an open array");
		return;
	}
	if (w->named) {
		misuse(w, "a name without a value");
		return;
	}
	fputc(object ? '}' : ']', w->f);
	w->depth--;
	value_end(w);
}

void cg_json_start_object(struct cg_json *w)
{
	open_container(w, true);
}

void cg_json_end_object(struct cg_json *w)
{
	close_container(w, true);
}

void cg_json_start_array(struct cg_json *w)
{
	open_container(w, false);
}

void cg_json_end_array(struct cg_json *w)
{
	close_container(w, false);
}

void cg_json_name(struct cg_json *w, const char *name)
{
	if (w->err)
		return;
	if (!w->depth || !w->open[w->depth - 1].object) {
		misuse(w, "a name outside an object");
		return;
	}
	if (w->named) {
		misuse(w, "a name without a value");
		return;
	}
	if (!name) {
		misuse(w, "a NULL name");
		return;
	}
	if (w->open[w->depth - 1].any)
		fputc(',', w->f);
	w->open[w->depth - 1].any = true;
	put_string(w->f, name, CG_JSON_STR_MAX);
	fputc(':', w->f);
	w->named = true;
}

void cg_json_strn(struct cg_json *w, const char *s, size_t maxlen)
{
	if (!value_begin(w))
		return;
	if (s)
		put_string(w->f, s, maxlen < CG_JSON_STR_MAX ? maxlen : CG_JSON_STR_MAX);
	else
		fputs("null", w->f);
	value_end(w);
}

void cg_json_string(struct cg_json *w, const char *s)
{
	cg_json_strn(w, s, CG_JSON_STR_MAX);
}

void cg_json_uint(struct cg_json *w, uint64_t v)
{
	if (!value_begin(w))
		return;
	put_uint(w->f, v);
	value_end(w);
}

void cg_json_int(struct cg_json *w, int64_t v)
{
	if (!value_begin(w))
		return;
	fprintf(w->f, "%" PRId64, v);
	value_end(w);
}

void cg_json_float(struct cg_json *w, double v)
{
	char buf[400];	/* %.6f of DBL_MAX: 309 digits, '.', 6 decimals */
	char *p;

	if (!isfinite(v)) {
		cg_json_null(w);
		return;
	}
	if (!value_begin(w))
		return;
	snprintf(buf, sizeof(buf), "%.6f", v);
	/* A front end that set LC_NUMERIC may get "0,030000": JSON wants '.'. */
	for (p = buf; *p; p++)
		if (*p != '-' && (*p < '0' || *p > '9'))
			*p = '.';
	fputs(buf, w->f);
	value_end(w);
}

void cg_json_bool(struct cg_json *w, bool v)
{
	if (!value_begin(w))
		return;
	fputs(v ? "true" : "false", w->f);
	value_end(w);
}

void cg_json_null(struct cg_json *w)
{
	if (!value_begin(w))
		return;
	fputs("null", w->f);
	value_end(w);
}

int cg_json_finish(struct cg_json *w)
{
	if (!w->err && w->depth)
		misuse(w, "an object or array left open");
	else if (!w->err && !w->done)
		misuse(w, "no value written");
	if (!w->err) {
		fputc('\n', w->f);
		if (ferror(w->f))
			w->err = "write error";
	}
	return w->err ? -1 : 0;
}

/* ------------------------------------------------------- name + value */

/* cg_json_T_field(w, name, v): cg_json_name(w, name), then cg_json_T(w, v). */
#define NAME_AND_VALUE(T, type)							\
	void cg_json_##T##_field(struct cg_json *w, const char *name, type v)	\
	{									\
		cg_json_name(w, name);						\
		cg_json_##T(w, v);						\
	}

NAME_AND_VALUE(string, const char *)
NAME_AND_VALUE(uint, uint64_t)
NAME_AND_VALUE(int, int64_t)
NAME_AND_VALUE(float, double)
NAME_AND_VALUE(bool, bool)

void cg_json_strn_field(struct cg_json *w, const char *name, const char *s, size_t maxlen)
{
	cg_json_name(w, name);
	cg_json_strn(w, s, maxlen);
}

void cg_json_null_field(struct cg_json *w, const char *name)
{
	cg_json_name(w, name);
	cg_json_null(w);
}
