/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmds.h - the subcommands of csumguard (cmd_*.c): each calls lib/ and
 * prints what it did, or the one-line error lib/ returned (cg_fail).
 * Each returns an exit status; failures have already printed their one line.
 */
#ifndef CG_CMDS_H
#define CG_CMDS_H

#include <stddef.h>
#include "cli.h"
#include "tc_attach.h"
#include "xdp_attach.h"

int cmd_attach(const struct cg_cli *cli);
int cmd_detach(const struct cg_cli *cli);
int cmd_stats(const struct cg_cli *cli);
int cmd_block(const struct cg_cli *cli);
int cmd_unblock(const struct cg_cli *cli);
int cmd_blocklist(const struct cg_cli *cli);
int cmd_ledger(const struct cg_cli *cli);
int cmd_agent(const struct cg_cli *cli);
int cmd_nodes(const struct cg_cli *cli);
int cmd_diagnose(const struct cg_cli *cli);
int cmd_doctor(const struct cg_cli *cli);
int cmd_trace(const struct cg_cli *cli);

/*
 * What attach says on success, from its result: the "attached csumguard to
 * IFACE: ..." line (how, mode, ports). Into buf; the caller prints it.
 */
void cg_attach_message(const struct cg_xdp_attach_result *r, const char *ifname,
		       enum cg_mode mode, char *buf, size_t len);
/* A per-node table's line of attach (what: "source", "destination"):
 * entries, kernel memory, CPUs. */
struct cg_table_size;
void cg_table_message(const struct cg_table_size *t, const char *what, char *buf, size_t len);

/* The same for the egress direction: "attached csumguard to IFACE egress: tc
 * filter pref P handle 0xH (program id N) on a new|the existing clsact
 * qdisc, mode M, ports ...". */
void cg_attach_egress_message(const struct cg_tc_attach_result *r, const char *ifname,
			      enum cg_mode mode, char *buf, size_t len);

/* JSON on stdout: render(stdout, arg), or with --pretty its output indented.
 * 0, or -1 when it could not be written. */
#include <stdio.h>
int cg_print_json(const struct cg_cli *cli, int (*render)(FILE *f, void *arg), void *arg);

#endif /* CG_CMDS_H */
