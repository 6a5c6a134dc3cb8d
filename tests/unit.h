/* SPDX-License-Identifier: GPL-2.0 */
/*
 * unit.h - what every cmocka test program here shares: running its table
 * with an optional name filter, and parsing a command line for the tests of
 * the front end. Include after <cmocka.h>.
 */
#ifndef CG_UNIT_H
#define CG_UNIT_H

#include <stdarg.h>

/* Runs tests; `test_NAME PATTERN` runs only those whose name matches the
 * pattern (cmocka's filter: * and ?), as `make check-unit T=PATTERN` does. */
#define CG_UNIT_RUN(tests, argc, argv)					\
	((argc) > 1 ? cmocka_set_test_filter((argv)[1]) : (void)0,	\
	 cmocka_run_group_tests(tests, NULL, NULL))

#ifdef CG_CLI_H
/* cg_cli_parse over a NULL-terminated list of arguments (after argv[0]). */
static inline int cg_unit_parse(struct cg_cli *cli, char *err, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;

	argv[argc++] = "csumguard";
	va_start(ap, err);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	return cg_cli_parse(argc, argv, cli, err, CG_ERR_LEN);
}
#define PARSE(cli, err, ...) cg_unit_parse(cli, err, __VA_ARGS__, (char *)NULL)
#endif

#endif /* CG_UNIT_H */
