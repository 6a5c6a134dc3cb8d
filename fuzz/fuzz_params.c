// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_params.c - the command line parser (loader/params.c over the
 * command table of loader/commands.c, with every option's value parser) on
 * any argument vector: the input split at NUL bytes, each argument in a heap
 * block of exactly its size. Nothing runs: parse, the attach port table,
 * the help text of the command asked about.
 *
 * Promises checked: a refusal is one "<cause>; <fix>" line with no control
 * character (fuzz.h); what a success stores is in range (ports, --sources,
 * --watch, --reason, ledger addresses) and the positional the command needs
 * is there.
 */
#include "fuzz.h"
#include "cli.h"
#include "params.h"
#include "utf8.h"

#define MAX_ARGS	192	/* room for more --port (64) and --a-addr (16) than allowed */

static void check_parsed(const struct cg_cli *cli)
{
	struct cg_port_spec tab[CG_PORTS_MAX + CG_N_DEFAULT_PORTS];
	char err[CG_ERR_LEN];
	int i, n;

	switch (cli->cmd) {
	case CG_CMD_ATTACH:
		FZ_CHECK(cli->attach.iface && *cli->attach.iface, "attach without an interface");
		/* 0: not given, sized from the memory budget (sizing.h) */
		FZ_CHECK(cli->attach.sources == 0 || (cli->attach.sources >= CG_SOURCES_MIN &&
			 cli->attach.sources <= CG_SOURCES_MAX), "--sources %u", cli->attach.sources);
		FZ_CHECK(cli->attach.nports >= 0 && cli->attach.nports <= CG_PORTS_MAX, "nports %d",
			 cli->attach.nports);
		for (i = 0; i < cli->attach.nports; i++)
			FZ_CHECK(cli->attach.ports[i].port >= 1 &&
				 cli->attach.ports[i].encap > CG_ENCAP_NONE &&
				 cli->attach.ports[i].encap < CG_ENCAP_MAX, "--port %u kind %d",
				 cli->attach.ports[i].port, cli->attach.ports[i].encap);
		/* parse already built it once (attach_check): it must build again */
		n = cg_cli_port_table(&cli->attach, tab, (int)(sizeof(tab) / sizeof(tab[0])), err,
				      sizeof(err));
		FZ_CHECK(n > 0, "an accepted attach has no port table: %s", n < 0 ? err : "empty");
		for (i = 1; i < n; i++)
			FZ_CHECK(tab[i - 1].port < tab[i].port, "port table not sorted and unique");
		break;
	case CG_CMD_DETACH:
		FZ_CHECK(cli->detach.iface && *cli->detach.iface, "detach without an interface");
		break;
	case CG_CMD_STATS:
		FZ_CHECK(cli->stats.watch <= CG_WATCH_MAX, "--watch %u", cli->stats.watch);
		break;
	case CG_CMD_BLOCK:
	case CG_CMD_UNBLOCK:
		FZ_CHECK(cli->block.addr_str != NULL, "no address");
		FZ_CHECK(cli->block.addr.family == CG_AF_INET4 ||
			 cli->block.addr.family == CG_AF_INET6, "family %d", cli->block.addr.family);
		if (cli->block.reason) {
			size_t l = strlen(cli->block.reason), k, m;

			FZ_CHECK(l > 0 && l < CG_BLOCK_REASON_LEN, "--reason of %zu bytes", l);
			for (k = 0; k < l; k += m) {
				m = cg_utf8_len((const unsigned char *)cli->block.reason + k, l - k);
				FZ_CHECK(m > 0, "--reason not UTF-8 at %zu", k);
				FZ_CHECK((unsigned char)cli->block.reason[k] >= 0x20 &&
					 (unsigned char)cli->block.reason[k] != 0x7f,
					 "--reason has a control character");
			}
		}
		break;
	case CG_CMD_LEDGER:
		FZ_CHECK(cli->ledger.a_path && cli->ledger.b_path, "ledger without two files");
		FZ_CHECK(cli->ledger.na <= CG_LEDGER_ADDRS_MAX && cli->ledger.nb <= CG_LEDGER_ADDRS_MAX,
			 "%d, %d addresses", cli->ledger.na, cli->ledger.nb);
		break;
	case CG_CMD_HELP:
		FZ_CHECK(strlen(cg_help_text(cli->help_cmd)) > 0, "empty help");
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_ARGS + 1], err[CG_ERR_LEN];
	struct cg_cli cli;
	size_t off = 0;
	int argc = 0, r, i;

	argv[argc++] = strdup("csumguard");
	while (off < size && argc < MAX_ARGS) {
		const uint8_t *nul = memchr(data + off, 0, size - off);
		size_t n = nul ? (size_t)(nul - (data + off)) : size - off;

		argv[argc++] = fz_cstr(data + off, n);
		off += n + 1;
	}
	argv[argc] = NULL;

	memset(err, 0x5a, sizeof(err));
	r = cg_cli_parse(argc, argv, &cli, err, sizeof(err));
	if (r) {
		FZ_CHECK(r == -1, "returned %d", r);
		FZ_CHECK(memchr(err, 0, sizeof(err)) != NULL, "error not terminated");
		fz_check_message_as(err, FZ_MSG_QUOTES_ARGV);
	} else {
		check_parsed(&cli);
	}
	for (i = 0; i < argc; i++)
		free(argv[i]);
	return 0;
}
