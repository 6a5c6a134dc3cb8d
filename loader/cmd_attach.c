// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_attach.c - `csumguard attach` and `csumguard detach`: lib/xdp_attach.c
 * does the work; this prints what it did.
 */
#include <stdio.h>
#include "cli.h"
#include "cmds.h"
#include "err.h"
#include "format.h"
#include "names.h"
#include "xdp_attach.h"

void cg_attach_message(const struct cg_xdp_attach_result *r, const char *ifname,
		       enum cg_mode mode, char *buf, size_t len)
{
	char ports[512];

	cg_fmt_ports(r->ports, r->nports, ports, sizeof(ports));
	if (!r->dispatcher)
		/* libxdp falls back to a plain attach when the kernel refuses
		 * its dispatcher (freplace programs): say what that means. */
		snprintf(buf, len, "attached csumguard to %s: %s XDP, alone (libxdp could not "
			 "use its dispatcher here%s, so no other XDP program can share %s), "
			 "mode %s, ports %s", ifname, r->xdp_mode ? r->xdp_mode : "?",
			 r->dispatcher_refused ? ": the kernel refused its freplace programs" : "",
			 ifname, cg_mode_name(mode), ports);
	else
		snprintf(buf, len, "attached csumguard to %s: %s XDP through the libxdp "
			 "dispatcher (frags %s; programs: %s), mode %s, ports %s", ifname,
			 r->xdp_mode ? r->xdp_mode : "?", r->frags ? "on" : "off", r->progs,
			 cg_mode_name(mode), ports);
}

int cmd_attach(const struct cg_cli *cli)
{
	struct cg_xdp_attach_opts o = {
		.pin_dir = cli->pin_dir,
		.ifname = cli->attach.iface,
		.mode = cli->attach.mode,
		.xdp_mode = cli->attach.xdp_mode == CG_XDP_SKB ? XDP_MODE_SKB : XDP_MODE_NATIVE,
		.ports = cli->attach.ports,
		.nports = cli->attach.nports,
		.no_default_ports = cli->attach.no_default_ports,
		.sources = cli->attach.sources,
	};
	struct cg_xdp_attach_result r;
	char err[CG_ERRLEN], line[2048];

	if (cg_xdp_attach(&o, &r, err, sizeof(err)))
		return cg_fail("%s", err);
	if (r.mounted)
		printf("mounted bpffs on /sys/fs/bpf (it was not mounted)\n");
	cg_attach_message(&r, cli->attach.iface, cli->attach.mode, line, sizeof(line));
	printf("%s\n", line);
	printf("counters pinned at %s (%s); see them with: csumguard stats %s\n", r.state_dir,
	       r.reused ? "continued from before" : "new", cli->attach.iface);
	return CG_EXIT_OK;
}

int cmd_detach(const struct cg_cli *cli)
{
	struct cg_xdp_detach_result r;
	char err[CG_ERRLEN];
	int e;

	e = cg_xdp_detach(cli->pin_dir, cli->detach.iface, cli->detach.purge, &r, err, sizeof(err));
	if (r.renamed)
		printf("%s is now %s (ifindex %d)\n", cli->detach.iface, r.shown, r.ifindex);
	if (r.detached) {
		printf("detached csumguard from %s", r.shown);
		if (r.progs_left[0])
			printf(" (XDP programs still there: %s)", r.progs_left);
		printf("\n");
		if (!cli->detach.purge)
			printf("counters kept at %s; `csumguard attach %s` continues them, "
			       "--purge removes them\n", r.state_dir, cli->detach.iface);
	}
	if (r.purged)
		printf("removed the pinned counters of %s (%s)\n", cli->detach.iface, r.state_dir);
	return e ? cg_fail("%s", err) : CG_EXIT_OK;
}
