/* SPDX-License-Identifier: GPL-2.0 */
/*
 * utf8.h - the one UTF-8 validator: the JSON writer's escaper, the
 * terminal filter (format.c) and --reason's check (loader/cli.c) use it.
 */
#ifndef CG_UTF8_H
#define CG_UTF8_H

#include <stddef.h>

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0 when the
 * bytes there are not one (overlong, surrogate, beyond U+10FFFF, cut). */
size_t cg_utf8_len(const unsigned char *s, size_t n);

#endif /* CG_UTF8_H */
