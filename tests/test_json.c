// SPDX-License-Identifier: GPL-2.0
/*
 * test_json.c - cmocka tests of the JSON writer (lib/json_writer.c): the
 * commas and colons it places at every level, empty containers, string
 * escaping and bounds, numbers, and the misuse it refuses. Exact expected
 * text, written out by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "json_writer.h"

/* A writer over a memory buffer. */
struct doc {
	struct cg_json w;
	char *buf;
	size_t len;
	FILE *f;
};

static struct cg_json *doc_open(struct doc *d)
{
	d->buf = NULL;
	d->len = 0;
	d->f = open_memstream(&d->buf, &d->len);
	assert_non_null(d->f);
	cg_json_init(&d->w, d->f);
	return &d->w;
}

/* Finishes the document; its text (free d->buf), and finish's result in *rc. */
static const char *doc_close(struct doc *d, int *rc)
{
	*rc = cg_json_finish(&d->w);
	fclose(d->f);
	return d->buf;
}

/* The document must finish cleanly with exactly want. */
static void expect_doc(struct doc *d, const char *want)
{
	int rc;
	const char *got = doc_close(d, &rc);

	assert_string_equal(got, want);
	assert_int_equal(rc, 0);
	assert_null(cg_json_error(&d->w));
	free(d->buf);
}

/* The document must fail with error why, having written exactly want. */
static void expect_misuse(struct doc *d, const char *want, const char *why)
{
	int rc;
	const char *got = doc_close(d, &rc);

	assert_string_equal(got, want);
	assert_int_equal(rc, -1);
	assert_non_null(cg_json_error(&d->w));
	assert_string_equal(cg_json_error(&d->w), why);
	free(d->buf);
}

/* ------------------------------------------------------------ shapes */

static void test_empty_containers(void **state)
{
	struct doc d;
	struct cg_json *w;

	(void)state;
	w = doc_open(&d);
	cg_json_start_object(w);
	cg_json_end_object(w);
	expect_doc(&d, "{}\n");

	w = doc_open(&d);
	cg_json_start_array(w);
	cg_json_end_array(w);
	expect_doc(&d, "[]\n");

	/* empties inside empties: no stray commas */
	w = doc_open(&d);
	cg_json_start_array(w);
	cg_json_start_array(w);
	cg_json_end_array(w);
	cg_json_start_object(w);
	cg_json_end_object(w);
	cg_json_start_array(w);
	cg_json_start_array(w);
	cg_json_end_array(w);
	cg_json_end_array(w);
	cg_json_end_array(w);
	expect_doc(&d, "[[],{},[[]]]\n");

	w = doc_open(&d);
	cg_json_start_object(w);
	cg_json_name(w, "a");
	cg_json_start_object(w);
	cg_json_end_object(w);
	cg_json_name(w, "b");
	cg_json_start_array(w);
	cg_json_end_array(w);
	cg_json_end_object(w);
	expect_doc(&d, "{\"a\":{},\"b\":[]}\n");
}

static void test_commas_every_level(void **state)
{
	struct doc d;
	struct cg_json *w;

	(void)state;
	w = doc_open(&d);
	cg_json_start_object(w);
	cg_json_uint_field(w, "a", 1);
	cg_json_name(w, "b");
	cg_json_start_array(w);
	cg_json_uint(w, 1);
	cg_json_uint(w, 2);
	cg_json_start_object(w);
	cg_json_uint_field(w, "c", 3);
	cg_json_name(w, "d");
	cg_json_start_array(w);
	cg_json_end_array(w);
	cg_json_end_object(w);
	cg_json_start_array(w);
	cg_json_bool(w, true);
	cg_json_bool(w, false);
	cg_json_null(w);
	cg_json_end_array(w);
	cg_json_end_array(w);
	cg_json_name(w, "e");
	cg_json_start_object(w);
	cg_json_null_field(w, "f");
	cg_json_bool_field(w, "g", true);
	cg_json_string_field(w, "h", "x");
	cg_json_end_object(w);
	cg_json_int_field(w, "i", -4);
	cg_json_end_object(w);
	expect_doc(&d, "{\"a\":1,\"b\":[1,2,{\"c\":3,\"d\":[]},[true,false,null]],"
		       "\"e\":{\"f\":null,\"g\":true,\"h\":\"x\"},\"i\":-4}\n");

	/* the deepest nesting allowed: [0,[1,[2,...[1]]]...] */
	w = doc_open(&d);
	{
		char want[4 * CG_JSON_MAX_DEPTH + 2], *p = want;
		int i;

		for (i = 0; i < CG_JSON_MAX_DEPTH; i++) {
			cg_json_start_array(w);
			cg_json_uint(w, (uint64_t)i % 10);
			p += sprintf(p, i + 1 < CG_JSON_MAX_DEPTH ? "[%d," : "[%d", i % 10);
		}
		for (i = 0; i < CG_JSON_MAX_DEPTH; i++) {
			cg_json_end_array(w);
			*p++ = ']';
		}
		strcpy(p, "\n");
		expect_doc(&d, want);
	}
}

/* Top-level scalars are documents too (an error string, a count). */
static void test_scalars_at_top(void **state)
{
	struct doc d;

	(void)state;
	cg_json_uint(doc_open(&d), 42);
	expect_doc(&d, "42\n");
	cg_json_string(doc_open(&d), "x");
	expect_doc(&d, "\"x\"\n");
	cg_json_null(doc_open(&d));
	expect_doc(&d, "null\n");
}

/* ---------------------------------------------------------- strings */

/* The escaper's cases (they were test_cli.c's test_json_str). */
static void test_string_escaping(void **state)
{
	static const struct { const char *in; size_t max; const char *want; } t[] = {
		{ "plain", 64, "\"plain\"\n" },
		{ "q\"b\\s/", 64, "\"q\\\"b\\\\s/\"\n" },
		{ "a\nb\tc\rd\be\ff", 64, "\"a\\nb\\tc\\rd\\be\\ff\"\n" },
		{ "\x01\x1f\x7f", 64, "\"\\u0001\\u001f\\u007f\"\n" },
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 64,
		  "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"\n" },	/* valid UTF-8 kept */
		{ "bad\xff\xc3(", 64, "\"bad\\ufffd\\ufffd(\"\n" },	/* invalid bytes replaced */
		{ "\xc0\xaf", 64, "\"\\ufffd\\ufffd\"\n" },		/* overlong '/' */
		{ "\xed\xa0\x80", 64, "\"\\ufffd\\ufffd\\ufffd\"\n" },	/* a surrogate */
		{ "\xf4\x90\x80\x80", 64, "\"\\ufffd\\ufffd\\ufffd\\ufffd\"\n" }, /* > U+10FFFF */
		{ "abcdef", 3, "\"abc\"\n" },				/* bounded */
		{ "caf\xc3\xa9", 4, "\"caf\\ufffd\"\n" },		/* cut mid-character */
		{ "", 64, "\"\"\n" },
	};
	struct doc d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cg_json_strn(doc_open(&d), t[i].in, t[i].max);
		expect_doc(&d, t[i].want);
	}

	/* names are escaped the same way */
	{
		struct cg_json *w = doc_open(&d);

		cg_json_start_object(w);
		cg_json_uint_field(w, "a\"b\n\xff", 1);
		cg_json_end_object(w);
		expect_doc(&d, "{\"a\\\"b\\n\\ufffd\":1}\n");
	}
}

static void test_string_bounds(void **state)
{
	char big[CG_JSON_STR_MAX + 100], want[CG_JSON_STR_MAX + 8];
	char field[8] = { 'r', 'e', 'a', 's', 'o', 'n', '!', '!' };	/* no NUL */
	struct doc d;

	(void)state;
	/* cg_json_string reads at most CG_JSON_STR_MAX bytes */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	want[0] = '"';
	memset(want + 1, 'x', CG_JSON_STR_MAX);
	memcpy(want + 1 + CG_JSON_STR_MAX, "\"\n", 3);
	cg_json_string(doc_open(&d), big);
	expect_doc(&d, want);
	/* and so does strn, whatever larger bound it is given */
	cg_json_strn(doc_open(&d), big, sizeof(big));
	expect_doc(&d, want);

	/* a fixed-size field without a NUL stays within it */
	cg_json_strn(doc_open(&d), field, sizeof(field));
	expect_doc(&d, "\"reason!!\"\n");
	{
		struct cg_json *w = doc_open(&d);

		cg_json_start_object(w);
		cg_json_strn_field(w, "r", field, 6);
		cg_json_end_object(w);
		expect_doc(&d, "{\"r\":\"reason\"}\n");
	}

	/* NULL is null */
	{
		struct cg_json *w = doc_open(&d);

		cg_json_start_object(w);
		cg_json_string_field(w, "s", NULL);
		cg_json_end_object(w);
		expect_doc(&d, "{\"s\":null}\n");
	}
}

/* ---------------------------------------------------------- numbers */

static void test_numbers(void **state)
{
	struct doc d;
	struct cg_json *w;

	(void)state;
	w = doc_open(&d);
	cg_json_start_array(w);
	cg_json_uint(w, 0);
	cg_json_uint(w, UINT64_MAX);
	cg_json_int(w, INT64_MIN);
	cg_json_int(w, -1);
	cg_json_int(w, INT64_MAX);
	cg_json_end_array(w);
	expect_doc(&d, "[0,18446744073709551615,-9223372036854775808,-1,"
		       "9223372036854775807]\n");

	w = doc_open(&d);
	cg_json_start_array(w);
	cg_json_float(w, 0.0);
	cg_json_float(w, 3.0 / 100.0);
	cg_json_float(w, 1.0 / 3.0);
	cg_json_float(w, 1.0);
	cg_json_float(w, -2.5);
	cg_json_float(w, 0.0000004);		/* rounds to 0 at 6 decimals */
	cg_json_float(w, 0.0000005000001);	/* rounds up */
	cg_json_float(w, 1e15);
	cg_json_end_array(w);
	expect_doc(&d, "[0.000000,0.030000,0.333333,1.000000,-2.500000,0.000000,"
		       "0.000001,1000000000000000.000000]\n");

	/* JSON has no NaN or infinity: null */
	w = doc_open(&d);
	cg_json_start_object(w);
	cg_json_float_field(w, "nan", NAN);
	cg_json_float_field(w, "inf", INFINITY);
	cg_json_float_field(w, "-inf", -INFINITY);
	cg_json_float_field(w, "r", 0.5);
	cg_json_end_object(w);
	expect_doc(&d, "{\"nan\":null,\"inf\":null,\"-inf\":null,\"r\":0.500000}\n");
}

/* A front end that calls setlocale() must still get '.' (needs a locale
 * with a decimal comma installed; skipped otherwise). */
static void test_float_locale(void **state)
{
	static const char *const locales[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
					       "fr_FR.utf8", "de_DE", "fr_FR" };
	struct doc d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(locales) / sizeof(locales[0]); i++)
		if (setlocale(LC_NUMERIC, locales[i]))
			break;
	if (i == sizeof(locales) / sizeof(locales[0])) {
		skip();
		return;
	}
	cg_json_float(doc_open(&d), 0.25);
	setlocale(LC_NUMERIC, "C");
	expect_doc(&d, "0.250000\n");
}

/* ------------------------------------------------------------ misuse */

static void test_misuse(void **state)
{
	struct doc d;
	struct cg_json *w;
	int i;

	(void)state;
	/* a value in an object without a name; nothing written after it */
	w = doc_open(&d);
	cg_json_start_object(w);
	cg_json_uint(w, 1);
	cg_json_uint_field(w, "a", 2);
	cg_json_end_object(w);
	expect_misuse(&d, "{", "value without a name in an object");

	/* a name in an array */
	w = doc_open(&d);
	cg_json_start_array(w);
	cg_json_name(w, "a");
	cg_json_end_array(w);
	expect_misuse(&d, "[", "a name outside an object");

	/* a name at the top level */
	w = doc_open(&d);
	cg_json_name(w, "a");
	expect_misuse(&d, "", "a name outside an object");

	/* two names in a row */
	w = doc_open(&d);
	cg_json_start_object(w);
	cg_json_name(w, "a");
	cg_json_name(w, "b");
	expect_misuse(&d, "{\"a\":", "a name without a value");

	/* an object closed with its name's value missing */
	w = doc_open(&d);
	cg_json_start_object(w);
	cg_json_name(w, "a");
	cg_json_end_object(w);
	expect_misuse(&d, "{\"a\":", "a name without a value");

	/* a NULL name */
	w = doc_open(&d);
	cg_json_start_object(w);
	cg_json_name(w, NULL);
	expect_misuse(&d, "{", "a NULL name");

	/* closed with the wrong call */
	w = doc_open(&d);
	cg_json_start_array(w);
	cg_json_end_object(w);
	expect_misuse(&d, "[", "end_object without an open object");
	w = doc_open(&d);
	cg_json_start_object(w);
	cg_json_end_array(w);
	expect_misuse(&d, "{", "end_array without an open array");
	w = doc_open(&d);
	cg_json_end_array(w);
	expect_misuse(&d, "", "end_array without an open array");

	/* left open */
	w = doc_open(&d);
	cg_json_start_object(w);
	cg_json_name(w, "a");
	cg_json_start_array(w);
	expect_misuse(&d, "{\"a\":[", "an object or array left open");

	/* nothing written */
	doc_open(&d);
	expect_misuse(&d, "", "no value written");

	/* two documents in one */
	w = doc_open(&d);
	cg_json_start_object(w);
	cg_json_end_object(w);
	cg_json_start_object(w);
	expect_misuse(&d, "{}", "a second value at the top level");

	/* deeper than CG_JSON_MAX_DEPTH */
	w = doc_open(&d);
	for (i = 0; i <= CG_JSON_MAX_DEPTH; i++)
		cg_json_start_array(w);
	{
		char want[CG_JSON_MAX_DEPTH + 1];

		memset(want, '[', CG_JSON_MAX_DEPTH);
		want[CG_JSON_MAX_DEPTH] = '\0';
		expect_misuse(&d, want, "objects and arrays nested too deep");
	}
}

/* A write error (here: a stream opened for reading) is an error too. */
static void test_write_error(void **state)
{
	struct cg_json w;
	FILE *f = fopen("/dev/null", "r");

	(void)state;
	assert_non_null(f);
	cg_json_init(&w, f);
	cg_json_start_object(&w);
	cg_json_end_object(&w);
	assert_int_equal(cg_json_finish(&w), -1);
	assert_string_equal(cg_json_error(&w), "write error");
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_containers),
		cmocka_unit_test(test_commas_every_level),
		cmocka_unit_test(test_scalars_at_top),
		cmocka_unit_test(test_string_escaping),
		cmocka_unit_test(test_string_bounds),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_float_locale),
		cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
