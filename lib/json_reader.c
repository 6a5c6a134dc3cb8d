// SPDX-License-Identifier: GPL-2.0
/* json_reader.c - see json_reader.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json_reader.h"

struct rd {
	const char *p, *start;
	char *err;
	size_t errlen;
	int failed;
};

static int fail(struct rd *r, const char *what)
{
	if (!r->failed)
		snprintf(r->err, r->errlen, "at byte %zu: %s", (size_t)(r->p - r->start), what);
	r->failed = 1;
	return -1;
}

static void ws(struct rd *r)
{
	while (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')
		r->p++;
}

static int hex4(const char *p, unsigned int *u)
{
	int i;

	*u = 0;
	for (i = 0; i < 4; i++) {
		char c = p[i];

		*u <<= 4;
		if (c >= '0' && c <= '9')
			*u |= (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*u |= (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*u |= (unsigned int)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

static size_t utf8_put(char *o, unsigned int u)
{
	if (u < 0x80) {
		o[0] = (char)u;
		return 1;
	}
	if (u < 0x800) {
		o[0] = (char)(0xc0 | u >> 6);
		o[1] = (char)(0x80 | (u & 0x3f));
		return 2;
	}
	if (u < 0x10000) {
		o[0] = (char)(0xe0 | u >> 12);
		o[1] = (char)(0x80 | (u >> 6 & 0x3f));
		o[2] = (char)(0x80 | (u & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | u >> 18);
	o[1] = (char)(0x80 | (u >> 12 & 0x3f));
	o[2] = (char)(0x80 | (u >> 6 & 0x3f));
	o[3] = (char)(0x80 | (u & 0x3f));
	return 4;
}

/* A string at r->p (the opening quote), decoded into a malloc'ed copy. */
static char *string(struct rd *r)
{
	const char *q = r->p + 1;
	size_t len = 0, o = 0;
	unsigned int u, lo;
	char *s;

	/* decoded is never longer than the text */
	while (*q && *q != '"') {
		if (*q == '\\' && q[1])
			q++;
		q++;
		len++;
	}
	if (*q != '"') {
		fail(r, "unterminated string");
		return NULL;
	}
	s = malloc((size_t)(q - r->p) + 1);
	if (!s) {
		fail(r, "out of memory");
		return NULL;
	}
	for (r->p++; *r->p != '"'; r->p++) {
		unsigned char c = (unsigned char)*r->p;

		if (c < 0x20) {
			free(s);
			fail(r, "control character in a string");
			return NULL;
		}
		if (c != '\\') {
			s[o++] = (char)c;
			continue;
		}
		r->p++;
		switch (*r->p) {
		case '"': s[o++] = '"'; break;
		case '\\': s[o++] = '\\'; break;
		case '/': s[o++] = '/'; break;
		case 'b': s[o++] = '\b'; break;
		case 'f': s[o++] = '\f'; break;
		case 'n': s[o++] = '\n'; break;
		case 'r': s[o++] = '\r'; break;
		case 't': s[o++] = '\t'; break;
		case 'u':
			if (hex4(r->p + 1, &u))
				goto bad;
			r->p += 4;
			if (u >= 0xd800 && u < 0xdc00 && r->p[1] == '\\' && r->p[2] == 'u' &&
			    !hex4(r->p + 3, &lo) && lo >= 0xdc00 && lo < 0xe000) {
				u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
				r->p += 6;
			} else if (u >= 0xd800 && u < 0xe000) {
				u = 0xfffd;	/* a lone surrogate */
			} else if (u == 0) {
				/* a C string cannot hold it: "version\u0000x" would
				 * read as the key "version" (fuzz/fuzz_json.c) */
				free(s);
				fail(r, "\\u0000 in a string");
				return NULL;
			}
			o += utf8_put(s + o, u);
			break;
		default:
			goto bad;
		}
	}
	r->p++;
	s[o] = '\0';
	(void)len;
	return s;
bad:
	free(s);
	fail(r, "bad escape in a string");
	return NULL;
}

/* Skips decimal digits; how many there were. */
static size_t digits(struct rd *r)
{
	const char *s = r->p;

	while (*r->p >= '0' && *r->p <= '9')
		r->p++;
	return (size_t)(r->p - s);
}

static int value(struct rd *r, struct cg_jval *v, int depth);

static int push(struct rd *r, struct cg_jval *v, size_t *cap)
{
	struct cg_jval *k;

	if (v->n < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 8;
	k = realloc(v->kids, *cap * sizeof(*k));
	if (!k)
		return fail(r, "out of memory");
	v->kids = k;
	return 0;
}

static int container(struct rd *r, struct cg_jval *v, int depth, char close)
{
	size_t cap = 0;
	char *key = NULL;

	if (depth >= CG_JSON_MAX_DEPTH)
		return fail(r, "nested too deep");
	r->p++;
	ws(r);
	if (*r->p == close) {
		r->p++;
		return 0;
	}
	for (;;) {
		ws(r);
		if (close == '}') {
			if (*r->p != '"')
				return fail(r, "expected a member name");
			if (!(key = string(r)))
				return -1;
			ws(r);
			if (*r->p != ':') {
				free(key);
				return fail(r, "expected ':'");
			}
			r->p++;
		}
		if (push(r, v, &cap)) {
			free(key);
			return -1;
		}
		memset(&v->kids[v->n], 0, sizeof(v->kids[0]));
		v->kids[v->n].key = key;
		key = NULL;
		v->n++;
		if (value(r, &v->kids[v->n - 1], depth + 1))
			return -1;
		ws(r);
		if (*r->p == ',') {
			r->p++;
			continue;
		}
		if (*r->p == close) {
			r->p++;
			return 0;
		}
		return fail(r, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static int value(struct rd *r, struct cg_jval *v, int depth)
{
	const char *s;

	ws(r);
	switch (*r->p) {
	case '{':
		v->t = CG_J_OBJ;
		return container(r, v, depth, '}');
	case '[':
		v->t = CG_J_ARR;
		return container(r, v, depth, ']');
	case '"':
		v->t = CG_J_STR;
		return (v->s = string(r)) ? 0 : -1;
	case 't':
		if (strncmp(r->p, "true", 4))
			break;
		v->t = CG_J_BOOL;
		v->b = 1;
		r->p += 4;
		return 0;
	case 'f':
		if (strncmp(r->p, "false", 5))
			break;
		v->t = CG_J_BOOL;
		r->p += 5;
		return 0;
	case 'n':
		if (strncmp(r->p, "null", 4))
			break;
		v->t = CG_J_NULL;
		r->p += 4;
		return 0;
	default:
		/* RFC 8259: [-] (0 / [1-9]*DIGIT) [. 1*DIGIT] [(e/E) [+/-] 1*DIGIT];
		 * nothing looser ("08192", "1.", "1-2" were read as numbers:
		 * found by fuzz/fuzz_json.c) */
		s = r->p;
		if (*r->p == '-')
			r->p++;
		if (*r->p < '0' || *r->p > '9')
			break;
		if (*r->p++ != '0')
			digits(r);
		if (*r->p == '.' && (r->p++, !digits(r)))
			return fail(r, "a digit must follow '.' in a number");
		if (*r->p == 'e' || *r->p == 'E') {
			r->p++;
			if (*r->p == '+' || *r->p == '-')
				r->p++;
			if (!digits(r))
				return fail(r, "a digit must follow the exponent in a number");
		}
		v->t = CG_J_NUM;
		v->s = strndup(s, (size_t)(r->p - s));
		return v->s ? 0 : fail(r, "out of memory");
	}
	return fail(r, "expected a JSON value");
}

int cg_json_parse(const char *text, struct cg_jval **out, char *err, size_t errlen)
{
	struct rd r = { .p = text, .start = text, .err = err, .errlen = errlen };
	struct cg_jval *v = calloc(1, sizeof(*v));

	*out = NULL;
	if (!v) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (!value(&r, v, 0)) {
		ws(&r);
		if (*r.p)
			fail(&r, "text after the document");
	}
	if (r.failed) {
		cg_jval_free(v);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static void jfree(struct cg_jval *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		jfree(&v->kids[i]);
	free(v->kids);
	free(v->key);
	free(v->s);
}

void cg_jval_free(struct cg_jval *v)
{
	if (!v)
		return;
	jfree(v);
	free(v);
}

const struct cg_jval *cg_jget(const struct cg_jval *o, const char *key)
{
	size_t i;

	if (!o || o->t != CG_J_OBJ)
		return NULL;
	for (i = 0; i < o->n; i++)
		if (o->kids[i].key && !strcmp(o->kids[i].key, key))
			return &o->kids[i];
	return NULL;
}

int cg_ju64(const struct cg_jval *v, uint64_t *out)
{
	char *end;

	if (!v || v->t != CG_J_NUM || v->s[0] == '-')
		return -1;
	errno = 0;
	*out = strtoull(v->s, &end, 10);
	return errno || *end ? -1 : 0;
}

int cg_ji64(const struct cg_jval *v, int64_t *out)
{
	char *end;

	if (!v || v->t != CG_J_NUM)
		return -1;
	errno = 0;
	*out = strtoll(v->s, &end, 10);
	return errno || *end ? -1 : 0;
}
