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
			ERR("%s takes no value; drop '=" CG_QUOTE "'", o->name, CG_QUOTED(a + n + 1));
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
			ERR("unknown option '" CG_QUOTE "' for %s; see csumguard %s --help", CG_QUOTED(a),
			    cmd->name,
			    cmd->name);
		if (npos >= cmd->max_pos || npos >= (int)(sizeof(pos) / sizeof(pos[0])))
			ERR("unexpected argument '" CG_QUOTE "'; see csumguard %s --help", CG_QUOTED(a),
			    cmd->name);
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

/* ------------------------------------------------------ man, completion */

/* Text as roff: a leading '.' or '\'' would be a request, '\' an escape,
 * '-' a hyphen rather than the minus of an option. */
static void roff_text(FILE *f, const char *s)
{
	int bol = 1;

	for (; *s; s++) {
		if (bol && (*s == '.' || *s == '\''))
			fputs("\\&", f);
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
		bol = *s == '\n';
	}
}

/* Rows "LEFT\tRIGHT\n" as .TP paragraphs. */
static void roff_rows(FILE *f, const char *rows)
{
	const char *p = rows, *tab, *nl;
	char buf[512];

	while (p && *p) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		tab = strchr(p, '\t');
		if (tab && tab < nl) {
			if (tab > p) {
				fputs(".TP\n.B ", f);
				snprintf(buf, sizeof(buf), "%.*s", (int)(tab - p), p);
				roff_text(f, buf);
				fputc('\n', f);
			}
			snprintf(buf, sizeof(buf), "%.*s\n", (int)(nl - tab - 1), tab + 1);
			roff_text(f, buf);
		}
		p = *nl ? nl + 1 : nl;
	}
}

void cg_params_man(FILE *f, const char *version)
{
	const struct cg_command *c;
	const struct cg_opt *o;
	char usage[1024];
	const char *nl;

	fprintf(f, ".TH CSUMGUARD 8 \"\" \"csumguard %s\" \"System Administration\"\n", version);
	fputs(".SH NAME\ncsumguard \\- audit the outer UDP checksums of VXLAN, Geneve and GUE "
	      "traffic per node, in XDP and TC\n.SH SYNOPSIS\n", f);
	for (c = cg_commands; c->name; c++) {
		cg_params_help(c, usage, sizeof(usage));
		nl = strstr(usage, "\n\n");	/* the usage line(s) end at the blank line */
		if (nl)
			usage[nl - usage + 1] = '\0';
		fputs(".nf\n", f);
		roff_text(f, usage + strlen("Usage: "));
		fputs(".fi\n", f);
	}
	fputs(".SH DESCRIPTION\n", f);
	roff_text(f, strstr(cg_help_intro, "\n\n") ? strstr(cg_help_intro, "\n\n") + 2 : "");
	fputs(".SH COMMANDS\n", f);
	for (c = cg_commands; c->name; c++) {
		fprintf(f, ".SS %s\n", c->name);
		roff_text(f, c->about);
		for (o = c->opts; o && o->name; o++)
			roff_rows(f, o->help);
		if (c->footer) {
			fputs(".PP\n", f);
			roff_text(f, c->footer);
		}
	}
	fputs(".SH GLOBAL OPTIONS\n", f);
	for (o = cg_global_opts; o->name; o++)
		roff_rows(f, o->help);
	roff_rows(f, cg_help_global_extra);
	fputs(".SH NOTES\n", f);
	roff_text(f, cg_help_notes);
	fputs(".SH EXIT STATUS\n0: done. 1: the operation failed (one line on stderr saying why "
	      "and what to do; under \\-\\-json a {\"error\": ...} document on stdout). 2: the "
	      "command line is wrong.\n", f);
}

/* The words of "a|b|c" as "a b c" (metavars that list their values). */
static int choice_words(const char *metavar, char *buf, size_t len)
{
	size_t i;

	if (!metavar || !strchr(metavar, '|') || strlen(metavar) >= len)
		return 0;
	for (i = 0; metavar[i]; i++)
		buf[i] = metavar[i] == '|' ? ' ' : metavar[i];
	buf[i] = '\0';
	return 1;
}

void cg_params_completion_bash(FILE *f)
{
	const struct cg_command *c;
	const struct cg_opt *o;
	char words[128];

	fputs("# bash completion for csumguard, generated by `csumguard --completion-bash`\n"
	      "# from its command table (loader/commands.c).\n"
	      "_csumguard() {\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd= i\n"
	      "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	      "\t\tcase ${COMP_WORDS[i]} in --pin-dir) ((i++)) ;; -*) ;; *) cmd=${COMP_WORDS[i]}; break ;; esac\n"
	      "\tdone\n"
	      "\tcase $prev in\n"
	      "\t--pin-dir) COMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n", f);
	for (c = cg_commands; c->name; c++)
		for (o = c->opts; o && o->name; o++)
			if (choice_words(o->metavar, words, sizeof(words)))
				fprintf(f, "\t%s) COMPREPLY=($(compgen -W \"%s\" -- \"$cur\")); return ;;\n",
					o->name, words);
	fputs("\tesac\n\tcase $cmd in\n\t\"\") COMPREPLY=($(compgen -W \"", f);
	for (c = cg_commands; c->name; c++)
		fprintf(f, "%s ", c->name);
	fputs("--pin-dir --verbose --version --help\" -- \"$cur\")); return ;;\n", f);
	for (c = cg_commands; c->name; c++) {
		fprintf(f, "\t%s) COMPREPLY=($(compgen -W \"", c->name);
		for (o = c->opts; o && o->name; o++)
			fprintf(f, "%s ", o->name);
		fputs("--help\" -- \"$cur\"))", f);
		if (c->pos_kind == CG_POS_IFACE)
			fputs("; [[ $cur == -* ]] || COMPREPLY+=($(compgen -W \"$(ls /sys/class/net "
			      "2>/dev/null)\" -- \"$cur\"))", f);
		else if (c->pos_kind == CG_POS_FILES)
			fputs("; [[ $cur == -* ]] || COMPREPLY+=($(compgen -f -- \"$cur\"))", f);
		fputs(" ;;\n", f);
	}
	fputs("\tesac\n}\ncomplete -F _csumguard csumguard\n", f);
}
