/* SPDX-License-Identifier: GPL-2.0 */
/*
 * params.h - commands and options as data, in the manner of xdp-tools'
 * DEFINE_COMMAND / DEFINE_OPTION: one row per command (commands.c), one
 * table of options per command. The parser, the usage line and every
 * --help text are generated from the rows, so adding a command is one row,
 * one options table and one cmd_*.c file.
 */
#ifndef CG_PARAMS_H
#define CG_PARAMS_H

#include <stddef.h>
#include <stdio.h>

struct cg_cli;

/* One option of a command (or a global one). */
struct cg_opt {
	const char *name;	/* "--mode" */
	const char *alias;	/* "-j", or NULL */
	const char *metavar;	/* "monitor|drop" in the usage line; NULL: a flag */
	int repeat;		/* may be given again: "[--port KIND:PORT]..." */
	/*
	 * Rows of the options table in --help, "LEFT\tRIGHT\n" each (LEFT empty
	 * on a continuation line): the left column is padded to one width.
	 */
	const char *help;
	/* Stores the value (NULL for a flag). 0, or -1 with "<cause>; <fix>" in err. */
	int (*set)(struct cg_cli *cli, const char *val, char *err, size_t errlen);
};

/* What a command's positional argument is, for its errors. */
enum cg_pos_kind {
	CG_POS_NONE = 0,
	CG_POS_IFACE,		/* "attach needs an interface; e.g. csumguard attach eth0" */
	CG_POS_ADDR,		/* "block needs an address; e.g. csumguard block 10.0.3.17" */
	CG_POS_FILES,		/* "ledger needs two snapshots; e.g. csumguard ledger a.json b.json" */
};

/* One command. */
struct cg_command {
	int id;			/* enum cg_cmd */
	const char *name;	/* "attach" */
	const char *args;	/* positional part of the usage line: "IFACE", "[IFACE]" */
	enum cg_pos_kind pos_kind;
	int min_pos, max_pos;
	const char *summary;	/* one line in the overview's command list */
	const char *about;	/* the paragraph of CMD --help (may be NULL) */
	const char *footer;	/* after the options table (may be NULL) */
	const struct cg_opt *opts;	/* ends with a row whose name is NULL */
	/* Stores positional number i. 0, or -1 with err set. */
	int (*positional)(struct cg_cli *cli, int i, const char *arg, char *err, size_t errlen);
	/* After every argument: checks that need them all (may be NULL). */
	int (*check)(struct cg_cli *cli, char *err, size_t errlen);
	int (*run)(const struct cg_cli *cli);
};

/* The tables of commands.c. */
extern const struct cg_command cg_commands[];	/* ends with a row whose name is NULL */
extern const struct cg_opt cg_global_opts[];	/* valid before and after the command */

/* The command named name, or NULL. */
const struct cg_command *cg_command_find(const char *name);
/* The command with id, or NULL. */
const struct cg_command *cg_command_by_id(int id);

/*
 * Parses argv[start..argc) against cmd's options and positionals and the
 * global options. Returns 0, 1 when CMD --help was asked, or -1 with err set.
 */
int cg_params_parse(const struct cg_command *cmd, int argc, char **argv, int start,
		    struct cg_cli *cli, char *err, size_t errlen);

/*
 * If argv[*i] is one of opts (as "--name", "--name=VALUE" or "--name VALUE";
 * *i moves past what it consumed), stores it and returns 1; returns 0 when
 * it is none of them, -1 with err set on a bad or missing value.
 */
int cg_params_one(const struct cg_opt *opts, int argc, char **argv, int *i,
		  struct cg_cli *cli, char *err, size_t errlen);

/* Writes cmd's --help (NULL: the overview) into buf (always terminated). */
void cg_params_help(const struct cg_command *cmd, char *buf, size_t len);

/* The man page csumguard.8 (roff), from the same rows and texts as --help. */
void cg_params_man(FILE *f, const char *version);

/* A bash completion script: commands, each command's options, and the
 * values of options that take one of a few words (monitor|drop ...). */
void cg_params_completion_bash(FILE *f);

#endif /* CG_PARAMS_H */
