// SPDX-License-Identifier: GPL-2.0
/* attach.c - see attach.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "attach.h"
#include "err.h"
#include "locate.h"
#include "pins.h"
#include "probe.h"

/* attach of both directions where both are attached already: one line for
 * both (each direction's own check names only itself, and its fix would
 * leave the other one attached). 0 when they are not both here. */
static int both_attached(const struct cg_xdp_attach_opts *o, char *err, size_t errlen)
{
	struct cg_tc_record t;
	struct cg_where wi, we;

	if (cg_have_sys_admin() != 1)
		return 0;	/* the attach says what is missing */
	if (cg_locate(o->pin_dir, o->ifname, &wi) || wi.state != CG_WHERE_HERE || wi.renamed ||
	    cg_tc_locate(o->pin_dir, o->ifname, &we, &t) || we.state != CG_WHERE_HERE ||
	    we.renamed)
		return 0;
	return cg_errf(err, errlen, -EEXIST, "csumguard is already attached to %s (%s XDP, "
		       "program id %u; egress: tc filter pref %u handle 0x%x, program id %u); "
		       "detach it first: csumguard detach %s (its counters are kept)", o->ifname,
		       wi.xdp_mode ? wi.xdp_mode : "?", wi.prog_id, t.priority, t.handle,
		       we.prog_id, o->ifname);
}

int cg_attach(const struct cg_xdp_attach_opts *o, unsigned int dirs, struct cg_attach_result *r,
	      char *err, size_t errlen)
{
	struct cg_tc_attach_opts to = {
		.pin_dir = o->pin_dir,
		.ifname = o->ifname,
		.mode = o->mode,
		.ports = o->ports,
		.nports = o->nports,
		.no_default_ports = o->no_default_ports,
		.memory = o->memory,
		.flags = o->flags,
		.sample = o->sample,
	};
	char cause[CG_ERRLEN], why[CG_ERRLEN], tcwhy[sizeof(r->egress_skipped)];
	struct cg_features f;
	int e;

	memset(r, 0, sizeof(*r));
	/* The kernel: its floor, and whether the TC egress program can run
	 * here (5.10 cannot: lib/probe.h). Named with --egress: an error;
	 * by default: ingress only, and attach says why. */
	cg_features_init(&f);
	if ((e = cg_kernel_floor_check(&f, err, errlen)))
		return e;
	if (dirs & CG_DIRS_EGRESS) {
		cg_probe_global_ptr_args(&f);
		if ((e = cg_tc_egress_check(&f, tcwhy, sizeof(tcwhy)))) {
			if (!(dirs & CG_DIRS_DEFAULT) || !(dirs & CG_DIRS_INGRESS))
				return cg_errf(err, errlen, e, "%s", tcwhy);
			snprintf(r->egress_skipped, sizeof(r->egress_skipped), "%s", tcwhy);
			dirs &= ~CG_DIRS_EGRESS;
		}
	}
	if ((dirs & CG_DIRS_BOTH) == CG_DIRS_BOTH && (e = both_attached(o, err, errlen)))
		return e;
	/* What would refuse the XDP program refuses the attach before its
	 * egress filter goes on: adding and removing a clsact qdisc drops the
	 * packets the interface sends meanwhile (the kernel deactivates its
	 * queues to swap qdiscs). */
	if ((dirs & CG_DIRS_BOTH) == CG_DIRS_BOTH && cg_have_sys_admin() == 1 &&
	    (e = cg_xdp_attach_precheck(o, err, errlen)))
		return e;
	if (dirs & CG_DIRS_EGRESS) {
		if ((e = cg_tc_attach(&to, &r->eg, err, errlen)))
			return e;
		r->dirs |= CG_DIRS_EGRESS;
	}
	if (dirs & CG_DIRS_INGRESS) {
		e = cg_xdp_attach(o, &r->in, err, errlen);
		if (e) {
			if (r->dirs & CG_DIRS_EGRESS &&
			    cg_tc_attach_undo(&r->eg, why, sizeof(why))) {
				snprintf(cause, sizeof(cause), "%s", err);
				cg_errf(err, errlen, e, "%s; and the egress filter this attach "
					"added stays: %s", cause, why);
			}
			r->dirs = 0;
			return e;
		}
		r->dirs |= CG_DIRS_INGRESS;
	}
	if (r->dirs & CG_DIRS_EGRESS) {
		cg_tc_attach_keep(&r->eg);
		r->mounted = r->eg.mounted;
		r->reused = r->eg.reused;
		snprintf(r->state_dir, sizeof(r->state_dir), "%s", r->eg.state_dir);
	} else {
		r->reused = r->in.reused;
		snprintf(r->state_dir, sizeof(r->state_dir), "%s", r->in.state_dir);
	}
	r->mounted |= r->in.mounted;
	return 0;
}

/* "Not attached there" (or no interface): what a default detach skips. */
static int nothing_there(int e)
{
	return e == -ENOENT || e == -ENODEV;
}

int cg_detach(const char *pin_dir, const char *ifname, unsigned int dirs, int explicit,
	      int purge, struct cg_detach_result *r, char *err, size_t errlen)
{
	char path[PATH_MAX], first[CG_ERRLEN] = "";
	int in_state, eg_state, ei = -ENOENT, ee = -ENOENT;

	memset(r, 0, sizeof(*r));
	cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_INGRESS, NULL);
	in_state = cg_exists(path) || cg_pin_layout(pin_dir, ifname) == 1;
	cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_EGRESS, NULL);
	eg_state = cg_exists(path);
	if (!explicit) {
		/* Skip a direction without state, unless neither has any: then
		 * the ingress detach says what there is to say. */
		if (!in_state && eg_state)
			dirs &= ~CG_DIRS_INGRESS;
		if (!eg_state)
			dirs &= ~CG_DIRS_EGRESS;
		if (!dirs)
			dirs = CG_DIRS_INGRESS;
	}
	if (dirs & CG_DIRS_INGRESS) {
		r->ran |= CG_DIRS_INGRESS;
		ei = cg_xdp_detach(pin_dir, ifname, purge, &r->in, err, errlen);
		if (ei && (explicit || !nothing_there(ei)))
			return ei;
		if (ei)
			snprintf(first, sizeof(first), "%s", err);
	}
	if (dirs & CG_DIRS_EGRESS) {
		r->ran |= CG_DIRS_EGRESS;
		ee = cg_tc_detach(pin_dir, ifname, purge, &r->eg, err, errlen);
		if (ee && (explicit || !nothing_there(ee)))
			return ee;
	}
	if (!(r->ran & CG_DIRS_EGRESS))
		return ei;
	if (!(r->ran & CG_DIRS_INGRESS))
		return ee;
	if (!ei || !ee)
		return 0;	/* one direction was detached: done */
	/* Neither was attached: the ingress line. */
	snprintf(err, errlen, "%s", first);
	return ei;
}
