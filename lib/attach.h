/* SPDX-License-Identifier: GPL-2.0 */
/*
 * attach.h - `attach` and `detach` of both directions of an interface
 * (SPEC 3: both by default, --ingress / --egress restrict it): the XDP
 * validator (xdp_attach.h) and the TC egress program (tc_attach.h), as one
 * operation that either completes or leaves the interface as it was.
 *
 * Order in attach: egress first, then ingress. Taking a TC filter back is
 * exact (the filter by its handle and priority, the clsact qdisc if this
 * attach made it); taking an XDP program back out of a libxdp dispatcher
 * rebuilds the dispatcher for the programs that stay. So the direction
 * whose undo is exact goes first, and the one that fails most often (no
 * native XDP, an occupied interface, the verifier) goes last, with nothing
 * after it to undo.
 *
 * Order in detach: ingress, then egress (as before issue 8, the XDP errors
 * first). Without --ingress/--egress a direction that has no state or is
 * not attached is skipped; only when neither is attached does detach fail,
 * with the ingress message.
 */
#ifndef CG_ATTACH_H
#define CG_ATTACH_H

#include "tc_attach.h"
#include "xdp_attach.h"

#define CG_DIRS_INGRESS	(1U << CG_DIR_INGRESS)
#define CG_DIRS_EGRESS	(1U << CG_DIR_EGRESS)
#define CG_DIRS_BOTH	(CG_DIRS_INGRESS | CG_DIRS_EGRESS)
/* With CG_DIRS_BOTH: the directions were not named (attach IFACE), so one
 * this kernel cannot run (egress before 5.12: lib/probe.h) is left out and
 * said (egress_skipped), not an error. */
#define CG_DIRS_DEFAULT	(1U << 8)

struct cg_attach_result {
	unsigned int dirs;			/* what was attached */
	struct cg_xdp_attach_result in;		/* dirs & CG_DIRS_INGRESS */
	struct cg_tc_attach_result eg;		/* dirs & CG_DIRS_EGRESS */
	int mounted;				/* this attach mounted bpffs */
	int reused;				/* the interface's state existed before */
	char egress_skipped[512];		/* CG_DIRS_DEFAULT: why egress was left
						 * out ("" if it was not) */
	char state_dir[PATH_MAX];		/* PIN_DIR/ifaces/IFNAME */
};

/* Attaches the directions in dirs (CG_DIRS_*) with o's settings (the mode
 * and the ports are the interface's, shared by both). 0, or -errno with
 * err set and nothing of this run left behind. */
int cg_attach(const struct cg_xdp_attach_opts *o, unsigned int dirs, struct cg_attach_result *r,
	      char *err, size_t errlen);

struct cg_detach_result {
	unsigned int ran;			/* directions tried */
	struct cg_xdp_detach_result in;
	struct cg_tc_detach_result eg;
};

/*
 * Detaches the directions in dirs; explicit: they were asked for by name
 * (--ingress / --egress), so "not attached" there is an error; otherwise a
 * direction without state or attachment is skipped. 0, or -errno with err
 * set; r says what was done either way.
 */
int cg_detach(const char *pin_dir, const char *ifname, unsigned int dirs, int explicit,
	      int purge, struct cg_detach_result *r, char *err, size_t errlen);

#endif /* CG_ATTACH_H */
