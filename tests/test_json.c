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
#include "unit.h"

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

/*
 * Drives the writer from a script, so that a case is one line. Steps are
 * separated by spaces: "{" "}" "[" "]" start and end an object or array,
 * ":a" names the next member "a", "'x" is the string x, "t" "f" "n" are
 * true, false and null, "7" a uint and "-4" an int.
 */
static void run_script(struct cg_json *w, const char *script)
{
	char buf[256], *save = NULL, *tok;

	assert_true(strlen(script) < sizeof(buf));
	strcpy(buf, script);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		switch (tok[0]) {
		case '{': cg_json_start_object(w); break;
		case '}': cg_json_end_object(w); break;
		case '[': cg_json_start_array(w); break;
		case ']': cg_json_end_array(w); break;
		case ':': cg_json_name(w, tok + 1); break;
		case '\'': cg_json_string(w, tok + 1); break;
		case 't': cg_json_bool(w, true); break;
		case 'f': cg_json_bool(w, false); break;
		case 'n': cg_json_null(w); break;
		case '-': cg_json_int(w, strtoll(tok, NULL, 10)); break;
		default:
			assert_in_range(tok[0], '0', '9');
			cg_json_uint(w, strtoull(tok, NULL, 10));
		}
	}
}

/* Commas and colons at every level, empty containers, top-level scalars. */
static void test_shapes(void **state)
{
	static const struct { const char *script, *want; } t[] = {
		{ "{ }", "{}\n" },
		{ "[ ]", "[]\n" },
		/* empties inside empties: no stray commas */
		{ "[ [ ] { } [ [ ] ] ]", "[[],{},[[]]]\n" },
		{ "{ :a { } :b [ ] }", "{\"a\":{},\"b\":[]}\n" },
		{ "[ { :a [ { } ] } { } ]", "[{\"a\":[{}]},{}]\n" },
		/* a comma after every member but the last, at every level */
		{ "{ :a 1 :b [ 1 2 { :c 3 :d [ ] } [ t f n ] ] :e { :f n :g t :h 'x } :i -4 }",
		  "{\"a\":1,\"b\":[1,2,{\"c\":3,\"d\":[]},[true,false,null]],"
		  "\"e\":{\"f\":null,\"g\":true,\"h\":\"x\"},\"i\":-4}\n" },
		{ "[ [ 1 ] [ 2 [ 3 4 ] ] 5 ]", "[[1],[2,[3,4]],5]\n" },
		/* top-level scalars are documents too (an error string, a count) */
		{ "42", "42\n" },
		{ "'x", "\"x\"\n" },
		{ "n", "null\n" },
	};
	struct doc d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		run_script(doc_open(&d), t[i].script);
		expect_doc(&d, t[i].want);
	}
}

/* The deepest nesting allowed: [0,[1,[2,...[1]]]...]. */
static void test_deepest(void **state)
{
	char want[4 * CG_JSON_MAX_DEPTH + 2], *p = want;
	struct doc d;
	struct cg_json *w = doc_open(&d);
	int i;

	(void)state;
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

/* Each name + value shorthand is its name, then its value. */
static void test_fields(void **state)
{
	char field[4] = { 'a', 'b', 'c', 'd' };		/* no NUL */
	struct doc d;
	struct cg_json *w = doc_open(&d);

	(void)state;
	cg_json_start_object(w);
	cg_json_string_field(w, "s", "x");
	cg_json_string_field(w, "s0", NULL);
	cg_json_strn_field(w, "sn", field, 3);
	cg_json_uint_field(w, "u", 7);
	cg_json_int_field(w, "i", -7);
	cg_json_float_field(w, "f", 0.5);
	cg_json_bool_field(w, "b", false);
	cg_json_null_field(w, "n");
	cg_json_end_object(w);
	expect_doc(&d, "{\"s\":\"x\",\"s0\":null,\"sn\":\"abc\",\"u\":7,\"i\":-7,"
		       "\"f\":0.500000,\"b\":false,\"n\":null}\n");
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
	cg_json_strn(doc_open(&d), field, 6);
	expect_doc(&d, "\"reason\"\n");
	/* NULL is null */
	cg_json_string(doc_open(&d), NULL);
	expect_doc(&d, "null\n");
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

/* A front end that calls setlocale() must still get '.'. `make check-unit`
 * compiles a de_DE.UTF-8 locale (decimal comma) into build/locale with
 * localedef (Debian package locales, scripts/deps.sh) and runs this with
 * LOCPATH there; without it the test fails, saying so. */
static void test_float_locale(void **state)
{
	static const char *const locales[] = { "de_DE.UTF-8", "de_DE.utf8" };
	struct doc d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(locales) / sizeof(locales[0]); i++)
		if (setlocale(LC_NUMERIC, locales[i]))
			break;
	if (i == sizeof(locales) / sizeof(locales[0]))
		fail_msg("no de_DE.UTF-8 locale (LOCPATH=%s); run it through `make check-unit`, "
			 "which builds one", getenv("LOCPATH") ? getenv("LOCPATH") : "unset");
	assert_string_equal(localeconv()->decimal_point, ",");	/* the case it tests */
	cg_json_float(doc_open(&d), 0.25);
	setlocale(LC_NUMERIC, "C");
	expect_doc(&d, "0.250000\n");
}

/* ------------------------------------------------------------ misuse */

static void test_misuse(void **state)
{
	/* what the script does wrong, what was written before it, the error */
	static const struct { const char *script, *written, *why; } t[] = {
		/* nothing is written after the first misuse */
		{ "{ 1 :a 2 }", "{", "value without a name in an object" },
		{ "[ :a ]", "[", "a name outside an object" },
		{ ":a", "", "a name outside an object" },
		{ "{ :a :b 1 }", "{\"a\":", "a name without a value" },
		{ "{ :a }", "{\"a\":", "a name without a value" },
		{ "[ }", "[", "end_object without an open object" },
		{ "{ ]", "{", "end_array without an open array" },
		{ "]", "", "end_array without an open array" },
		{ "{ :a [", "{\"a\":[", "an object or array left open" },
		{ "", "", "no value written" },
		{ "{ } {", "{}", "a second value at the top level" },
		{ "1 2", "1", "a second value at the top level" },
	};
	char deep[CG_JSON_MAX_DEPTH + 1];
	struct doc d;
	struct cg_json *w;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		run_script(doc_open(&d), t[i].script);
		expect_misuse(&d, t[i].written, t[i].why);
	}

	/* a NULL name */
	w = doc_open(&d);
	cg_json_start_object(w);
	cg_json_name(w, NULL);
	expect_misuse(&d, "{", "a NULL name");

	/* deeper than CG_JSON_MAX_DEPTH */
	w = doc_open(&d);
	for (i = 0; i <= CG_JSON_MAX_DEPTH; i++)
		cg_json_start_array(w);
	memset(deep, '[', CG_JSON_MAX_DEPTH);
	deep[CG_JSON_MAX_DEPTH] = '\0';
	expect_misuse(&d, deep, "objects and arrays nested too deep");
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

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_deepest),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_string_escaping),
		cmocka_unit_test(test_string_bounds),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_float_locale),
		cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_write_error),
	};

	return CG_UNIT_RUN(tests, argc, argv);
}
