// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_json.c - the JSON reader (lib/json_reader.c) on any text, against
 * a strict RFC 8259 grammar written here for the purpose (no tree, no
 * decoding: a separate reading of the same rules).
 *
 * Promises checked: the reader accepts exactly the documents the grammar
 * accepts, within its documented limits (nesting up to CG_JSON_MAX_DEPTH;
 * no \u0000, which a C string cannot hold; bytes >= 0x80 are not checked
 * for UTF-8, as by the reader); a refusal says where ("at byte N: ...");
 * every decoded string that is valid UTF-8 goes through the JSON writer and
 * reads back the same; the number accessors agree with strtoull/strtoll.
 */
#include <errno.h>
#include "fuzz.h"
#include "json_reader.h"
#include "json_writer.h"
#include "utf8.h"

/* ---- the grammar: 1 if p starts with a valid value, p moved past it ---- */

static void ws(const char **p)
{
	while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
		(*p)++;
}

static int digits(const char **p)
{
	const char *s = *p;

	while (**p >= '0' && **p <= '9')
		(*p)++;
	return *p > s;
}

static int number(const char **p)
{
	if (**p == '-')
		(*p)++;
	if (**p == '0')
		(*p)++;
	else if (!(**p >= '1' && **p <= '9') || !digits(p))
		return 0;
	if (**p == '.') {
		(*p)++;
		if (!digits(p))
			return 0;
	}
	if (**p == 'e' || **p == 'E') {
		(*p)++;
		if (**p == '+' || **p == '-')
			(*p)++;
		if (!digits(p))
			return 0;
	}
	return 1;
}

static int hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int string(const char **p)
{
	const char *s = *p + 1;

	for (;;) {
		unsigned char c = (unsigned char)*s;

		if (c == '"')
			break;
		if (c < 0x20)		/* the end of the text, or a raw control */
			return 0;
		if (c == '\\') {
			s++;
			if (*s == 'u') {
				if (!hex(s[1]) || !hex(s[2]) || !hex(s[3]) || !hex(s[4]))
					return 0;
				if (!strncmp(s + 1, "0000", 4))
					return 0;	/* the reader's documented limit */
				s += 4;
			} else if (!*s || !strchr("\"\\/bfnrt", *s)) {
				return 0;
			}
		}
		s++;
	}
	*p = s + 1;
	return 1;
}

static int value(const char **p, int depth)
{
	ws(p);
	if (**p == '{' || **p == '[') {
		char close = **p == '{' ? '}' : ']';

		if (depth >= CG_JSON_MAX_DEPTH)
			return 0;
		(*p)++;
		ws(p);
		if (**p == close) {
			(*p)++;
			return 1;
		}
		for (;;) {
			ws(p);
			if (close == '}') {
				if (**p != '"' || !string(p))
					return 0;
				ws(p);
				if (**p != ':')
					return 0;
				(*p)++;
			}
			if (!value(p, depth + 1))
				return 0;
			ws(p);
			if (**p == ',') {
				(*p)++;
				continue;
			}
			if (**p != close)
				return 0;
			(*p)++;
			return 1;
		}
	}
	if (**p == '"')
		return string(p);
	if (!strncmp(*p, "true", 4) || !strncmp(*p, "null", 4)) {
		*p += 4;
		return 1;
	}
	if (!strncmp(*p, "false", 5)) {
		*p += 5;
		return 1;
	}
	return number(p);
}

static int grammar_ok(const char *text)
{
	const char *p = text;

	if (!value(&p, 0))
		return 0;
	ws(&p);
	return *p == '\0';
}

/* ---- the tree ---------------------------------------------------------- */

static int valid_utf8(const char *s)
{
	size_t n = strlen(s), i, l;

	for (i = 0; i < n; i += l)
		if (!(l = cg_utf8_len((const unsigned char *)s + i, n - i)))
			return 0;
	return 1;
}

/* s through the writer and back through the reader. */
static void round_trip(const char *s)
{
	char *buf = NULL, err[256];
	size_t len = 0;
	struct cg_jval *v = NULL;
	struct cg_json w;
	FILE *f;

	if (strlen(s) > CG_JSON_STR_MAX || !valid_utf8(s))
		return;
	f = open_memstream(&buf, &len);
	if (!f)
		abort();
	cg_json_init(&w, f);
	cg_json_string(&w, s);
	FZ_CHECK(!cg_json_finish(&w), "writer refused a string");
	fclose(f);
	FZ_CHECK(!cg_json_parse(buf, &v, err, sizeof(err)), "writer's '%s' unreadable: %s", buf,
		 err);
	FZ_CHECK(v->t == CG_J_STR && !strcmp(v->s, s), "'%s' read back differently", buf);
	cg_jval_free(v);
	free(buf);
}

static void walk(const struct cg_jval *v)
{
	uint64_t u;
	int64_t i;
	size_t k;
	char *end;

	switch (v->t) {
	case CG_J_NUM: {
		const char *p = v->s;

		FZ_CHECK(number(&p) && !*p, "number text '%s'", v->s);
		errno = 0;
		u = strtoull(v->s, &end, 10);
		FZ_CHECK(!cg_ju64(v, &u) == (v->s[0] != '-' && !errno && !*end), "cg_ju64('%s')",
			 v->s);
		errno = 0;
		i = strtoll(v->s, &end, 10);
		FZ_CHECK(!cg_ji64(v, &i) == (!errno && !*end), "cg_ji64('%s')", v->s);
		break;
	}
	case CG_J_STR:
		FZ_CHECK(v->s != NULL, "string without text");
		round_trip(v->s);
		break;
	case CG_J_ARR:
	case CG_J_OBJ:
		for (k = 0; k < v->n; k++) {
			FZ_CHECK((v->t == CG_J_OBJ) == (v->kids[k].key != NULL), "member key");
			if (v->kids[k].key) {
				round_trip(v->kids[k].key);
				FZ_CHECK(cg_jget(v, v->kids[k].key) != NULL, "cg_jget misses a key");
			}
			walk(&v->kids[k]);
		}
		break;
	default:
		FZ_CHECK(v->n == 0 && !v->kids, "a scalar with members");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fz_cstr(data, size), err[256];
	struct cg_jval *v = (struct cg_jval *)1;
	int r, want = grammar_ok(text);

	memset(err, 0x5a, sizeof(err));
	r = cg_json_parse(text, &v, err, sizeof(err));
	FZ_CHECK((r == 0) == want, "reader %s, RFC 8259 grammar %s", r ? "refused" : "accepted",
		 want ? "accepts" : "refuses");
	if (r) {
		FZ_CHECK(r == -EINVAL && v == NULL, "refusal %d", r);
		FZ_CHECK(!strncmp(err, "at byte ", 8), "refusal says '%.*s'", 40, err);
	} else {
		walk(v);
		cg_jval_free(v);
	}
	free(text);
	return 0;
}
