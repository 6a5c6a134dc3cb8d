// SPDX-License-Identifier: GPL-2.0
/* json_pretty.c - see json_pretty.h. */
#include "json_pretty.h"

static void indent(FILE *f, int depth)
{
	fputc('\n', f);
	while (depth-- > 0)
		fputs("  ", f);
}

int cg_json_pretty(FILE *f, const char *p)
{
	int depth = 0, in_str = 0, esc = 0;
	char c;

	for (; (c = *p); p++) {
		if (in_str) {
			fputc(c, f);
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		switch (c) {
		case '"':
			in_str = 1;
			fputc(c, f);
			break;
		case '{':
		case '[':
			fputc(c, f);
			/* an empty container stays on one line: {} [] */
			if (p[1] == '}' || p[1] == ']') {
				fputc(*++p, f);
				break;
			}
			indent(f, ++depth);
			break;
		case '}':
		case ']':
			indent(f, --depth);
			fputc(c, f);
			break;
		case ',':
			fputc(c, f);
			indent(f, depth);
			break;
		case ':':
			fputs(": ", f);
			break;
		case '\n':
			fputc(c, f);
			depth = 0;
			break;
		default:
			fputc(c, f);
		}
	}
	return ferror(f) ? -1 : 0;
}
