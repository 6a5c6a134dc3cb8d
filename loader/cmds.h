/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmds.h - the subcommands of csumguard (cmd_*.c) and what they share.
 * Each returns an exit status; failures have already printed their one line.
 */
#ifndef CG_CMDS_H
#define CG_CMDS_H

#include <stddef.h>
#include "cli.h"

/* Name of the XDP program (the BPF function) as the kernel reports it. */
#define CG_PROG_NAME "csumguard_xdp"

int cmd_attach(const struct cg_cli *cli);
int cmd_detach(const struct cg_cli *cli);
int cmd_stats(const struct cg_cli *cli);
int cmd_block(const struct cg_cli *cli);
int cmd_unblock(const struct cg_cli *cli);
int cmd_blocklist(const struct cg_cli *cli);

/*
 * Is csumguard's program attached to ifindex? 1 yes (*xdp_mode "native",
 * "skb" or "hw"; *dispatcher 1 when it runs in a libxdp dispatcher, 0 when
 * it is the interface's only program), 0 no, -errno if it cannot tell.
 * dispatcher may be NULL.
 */
int cg_xdp_attached(int ifindex, const char **xdp_mode, int *dispatcher);

/*
 * libbpf and libxdp messages: kept in memory (printed only with --verbose),
 * so an error stays one line. cg_log_save writes them to a fresh file and
 * returns its path in buf (0), or -1.
 */
void cg_log_init(int verbose);
const char *cg_log_text(void);
void cg_log_clear(void);
int cg_log_save(const char *what, char *buf, size_t len);

/* "pin dir missing" etc. shared: the state directory for stats/blocklist. */
#define CG_STATE_HINT "attach an interface first: csumguard attach IFACE"

#endif /* CG_CMDS_H */
