// SPDX-License-Identifier: GPL-2.0
/* params.c - see params.h: the parser and the help texts, from the tables. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "err.h"
#include "cli.h"
#include "params.h"

/* a bad value: -1 and the "<cause>; <fix>" line (lib/err.h) */
#define ERR(...) return cg_errf(err, errlen, -1, __VA_ARGS__)
#define HELP_WIDTH	80	/* the usage line wraps here */

const struct cg_command *cg_command_find(const char *name)
{
	const struct cg_command *c;

	for (c = cg_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

const struct cg_command *cg_command_by_id(int id)
{
	const struct cg_command *c;

	for (c = cg_commands; c->name; c++)
		if (c->id == id)
			return c;
	return NULL;
}

/* ------------------------------------------------------------- parsing */

int cg_params_one(const struct cg_opt *opts, int argc, char **argv, int *i,
		  struct cg_cli *cli, char *err, size_t errlen)
{
	const char *a = argv[*i], *val = NULL;
	const struct cg_opt *o;
	size_t n;

	for (o = opts; o->name; o++) {
		if (o->alias && !strcmp(a, o->alias) && !o->metavar)
			break;
		n = strlen(o->name);
		if (strncmp(a, o->name, n) || (a[n] != '\0' && a[n] != '='))
			continue;
		if (a[n] == '=' && !o->metavar)
			ERR("%s takes no value; drop '=%s'", o->name, a + n + 1);
		if (a[n] == '=') {
			val = a + n + 1;
		} else if (o->metavar) {
			if (*i + 1 >= argc)
				ERR("%s needs a value; see csumguard --help", o->name);
			val = argv[++*i];
		}
		break;
	}
	if (!o->name)
		return 0;
	return o->set(cli, val, err, errlen) ? -1 : 1;
}

static int is_help(const char *a)
{
	return !strcmp(a, "--help") || !strcmp(a, "-h");
}

int cg_params_parse(const struct cg_command *cmd, int argc, char **argv, int start,
		    struct cg_cli *cli, char *err, size_t errlen)
{
	const char *pos[4];
	int i, r, npos = 0;

	for (i = start; i < argc; i++) {
		const char *a = argv[i];

		if ((r = cg_params_one(cg_global_opts, argc, argv, &i, cli, err, errlen)) ||
		    (cmd->opts && (r = cg_params_one(cmd->opts, argc, argv, &i, cli, err, errlen)))) {
			if (r < 0)
				return -1;
			continue;
		}
		if (is_help(a))
			return 1;	/* CMD --help wins over anything wrong before it */
		if (a[0] == '-' && a[1] != '\0')
			ERR("unknown option '%s' for %s; see csumguard %s --help", a, cmd->name,
			    cmd->name);
		if (npos >= cmd->max_pos || npos >= (int)(sizeof(pos) / sizeof(pos[0])))
			ERR("unexpected argument '%s'; see csumguard %s --help", a, cmd->name);
		pos[npos++] = a;
	}
	if (npos < cmd->min_pos) {
		if (cmd->pos_kind == CG_POS_ADDR)
			ERR("%s needs an address; e.g. csumguard %s 10.0.3.17", cmd->name, cmd->name);
		if (cmd->pos_kind == CG_POS_FILES)
			ERR("%s needs two snapshots, the sender's then the receiver's; e.g. "
			    "csumguard %s a.json b.json", cmd->name, cmd->name);
		ERR("%s needs an interface; e.g. csumguard %s eth0", cmd->name, cmd->name);
	}
	for (i = 0; i < npos; i++)
		if (cmd->positional(cli, i, pos[i], err, errlen))
			return -1;
	return cmd->check ? (cmd->check(cli, err, errlen) ? -1 : 0) : 0;
}

/* ---------------------------------------------------------------- help */

/* Appends to a bounded buffer; the end stays terminated. */
struct sbuf {
	char *p;
	size_t len, off;
};

static void put(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->off >= b->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->off, b->len - b->off, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->off += (size_t)n;
}

/* The usage line, wrapped at HELP_WIDTH under the first option. */
static void usage_line(struct sbuf *b, const struct cg_command *c)
{
	char tok[96];
	const struct cg_opt *o;
	int col, indent;

	put(b, "Usage: csumguard %s%s%s", c->name, c->args ? " " : "", c->args ? c->args : "");
	indent = (int)strlen("Usage: csumguard ") + (int)strlen(c->name) + 1;
	col = indent + (c->args ? (int)strlen(c->args) : -1);
	for (o = c->opts; o && o->name; o++) {
		if (o->metavar)
			snprintf(tok, sizeof(tok), "[%s %s]%s", o->name, o->metavar,
				 o->repeat ? "..." : "");
		else
			snprintf(tok, sizeof(tok), "[%s]%s", o->name, o->repeat ? "..." : "");
		if (col + 1 + (int)strlen(tok) > HELP_WIDTH) {
			put(b, "\n%*s%s", indent, "", tok);
			col = indent + (int)strlen(tok);
		} else {
			put(b, " %s", tok);
			col += 1 + (int)strlen(tok);
		}
	}
	put(b, "\n");
}

/* Width of the widest LEFT in rows ("LEFT\tRIGHT\n"...). */
static int rows_width(const char *rows)
{
	const char *p = rows, *tab, *nl;
	int w = 0;

	while (p && *p) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		tab = strchr(p, '\t');
		if (tab && tab < nl && (int)(tab - p) > w)
			w = (int)(tab - p);
		p = *nl ? nl + 1 : nl;
	}
	return w;
}

/* Prints rows "LEFT\tRIGHT\n" as "  LEFT<pad>  RIGHT". */
static void put_rows(struct sbuf *b, const char *rows, int w)
{
	const char *p = rows, *tab, *nl;

	while (p && *p) {
		tab = strchr(p, '\t');
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		if (tab && tab < nl)
			put(b, "  %-*.*s  %.*s\n", w, (int)(tab - p), p, (int)(nl - tab - 1), tab + 1);
		else
			put(b, "  %.*s\n", (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
	}
}

static void options_table(struct sbuf *b, const struct cg_opt *opts, const char *extra)
{
	const struct cg_opt *o;
	int w = extra ? rows_width(extra) : 0;

	for (o = opts; o && o->name; o++)
		if (rows_width(o->help) > w)
			w = rows_width(o->help);
	for (o = opts; o && o->name; o++)
		put_rows(b, o->help, w);
	if (extra)
		put_rows(b, extra, w);
}

/* The overview: free text around two generated tables. */
extern const char cg_help_intro[], cg_help_notes[], cg_help_global_extra[];

void cg_params_help(const struct cg_command *c, char *buf, size_t len)
{
	struct sbuf b = { buf, len, 0 };
	const struct cg_command *k;
	char left[64];
	int w = 0;

	if (len)
		buf[0] = '\0';
	if (!c) {
		put(&b, "%s\nCommands:\n", cg_help_intro);
		for (k = cg_commands; k->name; k++) {
			snprintf(left, sizeof(left), "%s%s%s", k->name, k->args ? " " : "",
				 k->args ? k->args : "");
			if ((int)strlen(left) > w)
				w = (int)strlen(left);
		}
		for (k = cg_commands; k->name; k++) {
			snprintf(left, sizeof(left), "%s%s%s", k->name, k->args ? " " : "",
				 k->args ? k->args : "");
			put(&b, "  %-*s  %s\n", w, left, k->summary);
		}
		put(&b, "\nGlobal options:\n");
		options_table(&b, cg_global_opts, cg_help_global_extra);
		put(&b, "\n%s", cg_help_notes);
		return;
	}
	usage_line(&b, c);
	if (c->about)
		put(&b, "\n%s", c->about);
	if (c->opts && c->opts->name) {
		put(&b, "\n");
		options_table(&b, c->opts, NULL);
	}
	if (c->footer)
		put(&b, "\n%s", c->footer);
}
