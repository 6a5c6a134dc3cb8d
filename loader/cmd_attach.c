// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_attach.c - `csumguard attach` and `csumguard detach`: lib/attach.c
 * (over xdp_attach.c and tc_attach.c) does the work; this prints what it did.
 */
#include <stdio.h>
#include <stdlib.h>
#include "cli.h"
#include "cmds.h"
#include "err.h"
#include "format.h"
#include "names.h"
#include "nodes.h"
#include "attach.h"
#include "probe.h"
#include "xdp_attach.h"
#include "memsize.h"

void cg_attach_message(const struct cg_xdp_attach_result *r, const char *ifname,
		       enum cg_mode mode, char *buf, size_t len)
{
	char ports[512], variant[1400];

	cg_fmt_ports(r->ports, r->nports, ports, sizeof(ports));
	/* Which program variant runs (lib/probe.h), and why single-buffer. */
	if (r->variant == CG_XDP_SINGLE_BUF)
		snprintf(variant, sizeof(variant), "single-buffer program %s (kernel %s has no "
			 "multi-buffer XDP)", cg_xdp_variant_prog(r->variant),
			 r->kernel[0] ? r->kernel : "?");
	else if (r->variant == CG_XDP_LARGE_CHUNK)
		snprintf(variant, sizeof(variant), "multi-buffer program %s (large checksum "
			 "chunks: kernel %s's bpf_csum_diff takes any size)",
			 cg_xdp_variant_prog(r->variant), r->kernel[0] ? r->kernel : "?");
	else if (r->fallback_why[0])
		snprintf(variant, sizeof(variant), "multi-buffer program %s (the large-chunk "
			 "program %s was refused, so the classic one runs: %s)",
			 cg_xdp_variant_prog(r->variant), CG_PROG_NAME_LC, r->fallback_why);
	else
		snprintf(variant, sizeof(variant), "multi-buffer program %s",
			 cg_xdp_variant_prog(r->variant));
	if (!r->dispatcher && r->alone_planned)
		snprintf(buf, len, "attached csumguard to %s: %s XDP, %s, alone: this kernel's "
			 "freplace verifier refuses csumguard's program as a libxdp dispatcher "
			 "component (global functions taking struct xdp_md *), so no other XDP "
			 "program can share %s; mode %s, ports %s", ifname,
			 r->xdp_mode ? r->xdp_mode : "?", variant, ifname, cg_mode_name(mode), ports);
	else if (!r->dispatcher)
		/* libxdp falls back to a plain attach when the kernel refuses
		 * its dispatcher (freplace programs): say what that means. */
		snprintf(buf, len, "attached csumguard to %s: %s XDP, %s, alone (libxdp could not "
			 "use its dispatcher here%s, so no other XDP program can share %s), "
			 "mode %s, ports %s", ifname, r->xdp_mode ? r->xdp_mode : "?", variant,
			 r->dispatcher_refused ? ": the kernel refused its freplace programs" : "",
			 ifname, cg_mode_name(mode), ports);
	else
		snprintf(buf, len, "attached csumguard to %s: %s XDP, %s, through the libxdp "
			 "dispatcher (frags %s; programs: %s), mode %s, ports %s", ifname,
			 r->xdp_mode ? r->xdp_mode : "?", variant, r->frags ? "on" : "off", r->progs,
			 cg_mode_name(mode), ports);
}

void cg_attach_egress_message(const struct cg_tc_attach_result *r, const char *ifname,
			      enum cg_mode mode, char *buf, size_t len)
{
	char ports[512];

	cg_fmt_ports(r->ports, r->nports, ports, sizeof(ports));
	snprintf(buf, len, "attached csumguard to %s egress: tc filter pref %u handle 0x%x "
		 "(program id %u) on %s clsact qdisc, mode %s, ports %s; skb facts %s", ifname,
		 r->priority, r->handle, r->prog_id, r->qdisc_created ? "a new" : "the existing",
		 cg_mode_name(mode), ports, r->facts ? "read (" CG_TC_PROG_FACTS ")" :
		 "unsupported by this kernel (" CG_TC_PROG "; offloaded from the seed signature)");
}

void cg_table_message(const struct cg_table_size *t, const char *what, char *buf, size_t len)
{
	char bytes[32], budget[32];

	cg_fmt_bytes(t->bytes, bytes, sizeof(bytes));
	cg_fmt_bytes(t->budget, budget, sizeof(budget));
	if (t->from_pin)
		snprintf(buf, len, "per-%s table: %u %ss, %s%s of kernel memory for %d possible "
			 "CPUs (the pinned table, kept)", what, t->entries, what,
			 t->estimated ? "about " : "", bytes, t->ncpus);
	else
		snprintf(buf, len, "per-%s table: %u %ss, %s%s of kernel memory for %d possible "
			 "CPUs (--memory %s)", what, t->entries, what, t->estimated ? "about " : "",
			 bytes, t->ncpus, budget);
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
		.memory = cli->attach.memory,
		.flags = (cli->attach.repair ? CG_CFG_REPAIR : 0) |
			 (cli->attach.drop_unknown ? CG_CFG_DROP_UNKNOWN : 0),
		.sample = cli->attach.sample > 1 ? cli->attach.sample : 0,
	};
	unsigned int dirs = cli->attach.dirs ? cli->attach.dirs : CG_DIRS_BOTH | CG_DIRS_DEFAULT;
	struct cg_node_entry *nodes = NULL, *old = NULL;
	size_t nnodes = 0, nold = 0;
	struct cg_nodes_result nr;
	struct cg_attach_result r;
	char err[CG_ERRLEN], line[2048];
	int e;

	/* --nodes FILE: checked before anything changes, loaded before the
	 * program runs, and the old set put back if the attach fails. */
	if (cli->attach.nodes_file) {
		if (cg_nodes_parse_file(cli->attach.nodes_file, &nodes, &nnodes, err, sizeof(err)))
			return cg_fail("%s", err);
		if (cg_nodes_read(cli->pin_dir, &old, &nold, err, sizeof(err)) ||
		    cg_nodes_load(cli->pin_dir, nodes, nnodes, &nr, err, sizeof(err))) {
			free(nodes);
			free(old);
			return cg_fail("%s", err);
		}
		free(nodes);
	}
	e = cg_attach(&o, dirs, &r, err, sizeof(err));
	if (e && cli->attach.nodes_file) {
		struct cg_nodes_result back;
		char why[CG_ERRLEN];

		if (cg_nodes_load(cli->pin_dir, old, nold, &back, why, sizeof(why)))
			fprintf(stderr, "csumguard: the known nodes of %s stay loaded: %s\n",
				cli->attach.nodes_file, why);
	}
	free(old);
	if (e)
		return cg_fail("%s", err);
	if (r.mounted || (cli->attach.nodes_file && nr.mounted))
		printf("mounted bpffs on /sys/fs/bpf (it was not mounted)\n");
	if (cli->attach.nodes_file)
		printf("known nodes: loaded %s (%zu node%s, %zu address%s)\n",
		       cli->attach.nodes_file, nr.nodes, nr.nodes == 1 ? "" : "s", nr.total,
		       nr.total == 1 ? "" : "es");
	if (cli->attach.drop_unknown)
		printf("tunnel frames from sources that are not known nodes are dropped%s\n",
		       cli->attach.nodes_file && nr.total ? "" :
		       " once any node is known (csumguard nodes add ADDR NAME)");
	if (r.dirs & CG_DIRS_INGRESS) {
		cg_attach_message(&r.in, cli->attach.iface, cli->attach.mode, line, sizeof(line));
		printf("%s\n", line);
		cg_table_message(&r.in.table, "source", line, sizeof(line));
		printf("%s\n", line);
		if (o.flags & CG_CFG_REPAIR)
			printf("repair on: bad_outer_only frames (inner packet intact) get their "
			       "outer checksum rewritten and pass, counted repaired\n");
		if (o.sample > 1)
			printf("sampling: one tunnel frame in %u verified per CPU, the others "
			       "counted unverified\n", o.sample);
	}
	if (r.dirs & CG_DIRS_EGRESS) {
		cg_attach_egress_message(&r.eg, cli->attach.iface, cli->attach.mode, line,
					 sizeof(line));
		printf("%s\n", line);
		cg_table_message(&r.eg.table, "destination", line, sizeof(line));
		printf("%s\n", line);
	}
	if (r.egress_skipped[0])
		printf("egress not attached: %s\n", r.egress_skipped);
	printf("counters pinned at %s (%s); see them with: csumguard stats %s\n", r.state_dir,
	       r.reused ? "continued from before" : "new", cli->attach.iface);
	return CG_EXIT_OK;
}

int cmd_detach(const struct cg_cli *cli)
{
	unsigned int dirs = cli->detach.dirs ? cli->detach.dirs : CG_DIRS_BOTH;
	const struct cg_tc_detach_result *eg;
	const struct cg_xdp_detach_result *in;
	struct cg_detach_result r;
	char err[CG_ERRLEN];
	const char *state_dir = NULL;
	int e;

	e = cg_detach(cli->pin_dir, cli->detach.iface, dirs, cli->detach.dirs != 0,
		      cli->detach.purge, &r, err, sizeof(err));
	in = &r.in;
	eg = &r.eg;
	if (in->renamed)
		printf("%s is now %s (ifindex %d)\n", cli->detach.iface, in->shown, in->ifindex);
	else if (eg->renamed)
		printf("%s is now %s (ifindex %d)\n", cli->detach.iface, eg->shown, eg->ifindex);
	if (in->detached) {
		printf("detached csumguard from %s", in->shown);
		if (in->progs_left[0])
			printf(" (XDP programs still there: %s)", in->progs_left);
		printf("\n");
		state_dir = in->state_dir;
	}
	if (eg->detached) {
		printf("detached csumguard's egress filter from %s (tc filter pref %u handle "
		       "0x%x)%s\n", eg->shown, eg->priority, eg->handle,
		       eg->qdisc_removed ? "; removed the clsact qdisc it had added" :
		       eg->qdisc_kept_busy ? "; kept the clsact qdisc it had added: other "
		       "filters use it" : "");
		state_dir = eg->state_dir;
	}
	if (state_dir && !cli->detach.purge)
		printf("counters kept at %s; `csumguard attach %s` continues them, "
		       "--purge removes them\n", state_dir, cli->detach.iface);
	if (eg->purged)
		printf("removed the pinned counters of %s (%s)\n", cli->detach.iface,
		       eg->state_dir);
	else if (in->purged)
		printf("removed the pinned counters of %s (%s)\n", cli->detach.iface,
		       in->state_dir);
	return e ? cg_fail("%s", err) : CG_EXIT_OK;
}
