/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json_pretty.h - `--pretty`: a compact JSON document (what json_writer.h
 * writes) re-indented for people, two spaces a level, as `jq .` shows it.
 * Strings are copied byte for byte, so nothing in them changes.
 */
#ifndef CG_JSON_PRETTY_H
#define CG_JSON_PRETTY_H

#include <stdio.h>

/* Writes text (one or more documents, one a line) indented to f. 0, or -1
 * on a write error. */
int cg_json_pretty(FILE *f, const char *text);

#endif /* CG_JSON_PRETTY_H */
