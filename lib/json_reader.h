/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json_reader.h - a small JSON (RFC 8259) reader for csumguard's own
 * documents (`ledger` reads two nodes' `stats --json`): the whole text
 * into a tree. Integers keep all 64 bits (counters); other numbers keep
 * their text. Depth and size are bounded; never prints.
 */
#ifndef CG_JSON_READER_H
#define CG_JSON_READER_H

#include <stddef.h>
#include <stdint.h>

enum cg_jtype { CG_J_NULL, CG_J_BOOL, CG_J_NUM, CG_J_STR, CG_J_ARR, CG_J_OBJ };

struct cg_jval {
	enum cg_jtype t;
	char *key;		/* member name inside an object, else NULL */
	char *s;		/* CG_J_STR: the decoded string; CG_J_NUM: the text */
	int b;			/* CG_J_BOOL */
	struct cg_jval *kids;	/* CG_J_ARR, CG_J_OBJ: elements / members in order */
	size_t n;
};

#define CG_JSON_MAX_DEPTH 32

/* Parses text (NUL-terminated) into *out. 0, or -EINVAL with "at byte N:
 * what" in err. Free with cg_jval_free. */
int cg_json_parse(const char *text, struct cg_jval **out, char *err, size_t errlen);
void cg_jval_free(struct cg_jval *v);

/* The member key of object o, or NULL (also when o is not an object). */
const struct cg_jval *cg_jget(const struct cg_jval *o, const char *key);
/* A non-negative integer: 0, or -1 (not a number, negative, fraction, too big). */
int cg_ju64(const struct cg_jval *v, uint64_t *out);
/* An integer, possibly negative: 0 or -1. */
int cg_ji64(const struct cg_jval *v, int64_t *out);

#endif /* CG_JSON_READER_H */
