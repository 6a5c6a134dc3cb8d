// SPDX-License-Identifier: GPL-2.0
/*
 * test_commands.c - cmocka tests of the command table (loader/commands.c,
 * loader/params.c): every row is complete, every --help is generated from
 * the rows and names every option, the usage lines fit 80 columns, the -j
 * alias belongs to the commands with --json, and an error under --json is a
 * JSON document. No BPF, no privileges.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "cli.h"
#include "format.h"
#include "params.h"
#include "unit.h"


static void test_rows_complete(void **state)
{
	const struct cg_command *c;
	const struct cg_opt *o;
	int n = 0;

	(void)state;
	for (c = cg_commands; c->name; c++, n++) {
		assert_non_null(c->summary);
		assert_non_null(c->about);
		assert_non_null(c->run);
		assert_true(c->min_pos <= c->max_pos);
		if (c->max_pos)
			assert_non_null(c->positional);
		assert_ptr_equal(cg_command_by_id(c->id), c);
		assert_ptr_equal(cg_command_find(c->name), c);
		assert_string_equal(cg_cmd_name((enum cg_cmd)c->id), c->name);
		for (o = c->opts; o && o->name; o++) {
			assert_non_null(o->set);
			assert_non_null(o->help);
			assert_non_null(strstr(o->help, o->name));
		}
	}
	assert_int_equal(n, 12);	/* ... ledger, agent, nodes, diagnose, doctor, trace */
	assert_null(cg_command_find("frob"));
}

/* Every help names its command's usage and every option; no usage line is
 * wider than 80 columns. */
static void test_help_generated(void **state)
{
	const struct cg_command *c;
	const struct cg_opt *o;
	const char *h, *line;
	char want[64];

	(void)state;
	for (c = cg_commands; c->name; c++) {
		h = cg_help_text((enum cg_cmd)c->id);
		snprintf(want, sizeof(want), "Usage: csumguard %s", c->name);
		assert_memory_equal(h, want, strlen(want));
		assert_non_null(strstr(h, c->about));
		for (o = c->opts; o && o->name; o++) {
			snprintf(want, sizeof(want), "[%s", o->name);
			assert_non_null(strstr(h, want));	/* in the usage line */
		}
		/* the usage line: up to the first empty line */
		for (line = h; *line && *line != '\n'; ) {
			const char *nl = strchr(line, '\n');

			assert_true(nl - line <= 80);
			line = nl + 1;
		}
	}
	h = cg_help_text(CG_CMD_NONE);
	for (c = cg_commands; c->name; c++) {
		snprintf(want, sizeof(want), "\n  %s", c->name);
		assert_non_null(strstr(h, want));
		assert_non_null(strstr(h, c->summary));
	}
	for (o = cg_global_opts; o->name; o++)
		assert_non_null(strstr(h, o->name));
	/* the attach usage wraps under its first option, as before */
	assert_memory_equal(cg_help_text(CG_CMD_ATTACH),
		"Usage: csumguard attach IFACE [--mode monitor|drop] [--xdp-mode native|skb]\n"
		"                        [--port KIND:PORT]... [--no-default-ports] [--sources N]\n",
		strlen("Usage: csumguard attach IFACE [--mode monitor|drop] [--xdp-mode native|skb]\n"
		       "                        [--port KIND:PORT]... [--no-default-ports] [--sources N]\n"));
}

static void test_json_alias(void **state)
{
	char err[CG_ERR_LEN];
	struct cg_cli c;

	(void)state;
	assert_int_equal(PARSE(&c, err, "stats", "-j"), 0);
	assert_int_equal(c.json, 1);
	assert_int_equal(PARSE(&c, err, "blocklist", "-j"), 0);
	assert_int_equal(c.json, 1);
	assert_int_equal(PARSE(&c, err, "attach", "eth0", "-j"), -1);
	assert_string_equal(err, "unknown option '-j' for attach; see csumguard attach --help");
	assert_int_equal(PARSE(&c, err, "stats", "-j=1"), -1);
	assert_string_equal(err, "unknown option '-j=1' for stats; see csumguard stats --help");
}

static void test_error_json(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	cg_render_error_json(f, "no interface 'eth9' \"here\"\n; check `ip link`");
	fclose(f);
	assert_string_equal(buf, "{\"error\":\"no interface 'eth9' \\\"here\\\"\\n; check `ip link`\"}\n");
	free(buf);
}

/* The man page and the completion come from the rows too: every command and
 * option is in them, and roff's own characters are escaped. */
static void test_man_and_completion(void **state)
{
	const struct cg_command *c;
	const struct cg_opt *o;
	char *man = NULL, *comp = NULL, want[96];
	size_t mlen = 0, clen = 0;
	FILE *f;

	(void)state;
	f = open_memstream(&man, &mlen);
	assert_non_null(f);
	cg_params_man(f, "9.9");
	fclose(f);
	f = open_memstream(&comp, &clen);
	assert_non_null(f);
	cg_params_completion_bash(f);
	fclose(f);
	assert_memory_equal(man, ".TH CSUMGUARD 8 \"\" \"csumguard 9.9\"", 31);
	for (c = cg_commands; c->name; c++) {
		snprintf(want, sizeof(want), ".SS %s\n", c->name);
		assert_non_null(strstr(man, want));
		snprintf(want, sizeof(want), "\t%s) COMPREPLY=", c->name);
		assert_non_null(strstr(comp, want));
		for (o = c->opts; o && o->name; o++) {
			/* in roff every '-' of an option is \- */
			size_t k, n = 0;

			for (k = 0; o->name[k] && n + 3 < sizeof(want); k++) {
				if (o->name[k] == '-')
					want[n++] = '\\';
				want[n++] = o->name[k];
			}
			want[n] = '\0';
			assert_non_null(strstr(man, want));
			assert_non_null(strstr(comp, o->name));
		}
	}
	assert_non_null(strstr(comp, "--mode) COMPREPLY=($(compgen -W \"monitor drop\""));
	assert_null(strstr(man, "\n.  "));		/* no text line taken for a request */
	free(man);
	free(comp);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_complete),
		cmocka_unit_test(test_help_generated),
		cmocka_unit_test(test_json_alias),
		cmocka_unit_test(test_error_json),
		cmocka_unit_test(test_man_and_completion),
	};

	return CG_UNIT_RUN(tests, argc, argv);
}
