/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tc_attach.h - attaching csumguard's TC egress program (tc/csumguard_tc.bpf.c)
 * to an interface's clsact egress hook with libbpf (bpf_tc_hook_create,
 * bpf_tc_attach: netlink, kernels from 4.5; no tcx, which needs 6.6 and a
 * libbpf newer than 1.1), its state pinned under PIN_DIR/ifaces/IFNAME/egress,
 * and detaching exactly the filter it added. Errors as values (lib/err.h),
 * never printed.
 *
 * attach: the skeleton is opened, its maps bound to the pinned ones (the
 * interface's ports and config and the pin dir's blocklist and its count are
 * the XDP program's own, shared by pin; dst and egress are this hook's),
 * the ports and the mode written, the program loaded, then the clsact qdisc
 * made if the interface has none (and that recorded), and one cls_bpf filter
 * added (direct-action, protocol all, priority CG_TC_PRIORITY, handle chosen
 * by the kernel). Its identity - network namespace, ifindex, program id in
 * the attachment record (struct cg_attachment), handle, priority and "the
 * qdisc is ours" in the tc record (struct cg_tc_record) - is what detach and
 * stats go by. Like an XDP attach, the filter and the pins outlive the
 * command. A failure leaves the interface and the pin dir as they were.
 *
 * detach: the filter at the recorded handle and priority is removed only if
 * it still runs the recorded program (which uses this pin dir's egress
 * totals map);
 * a clsact qdisc csumguard created goes too once no filter is left on it
 * (ingress or egress). A qdisc that was there before, and every other
 * filter, stay.
 */
#ifndef CG_TC_ATTACH_H
#define CG_TC_ATTACH_H

#include <limits.h>
#include <net/if.h>
#include <stddef.h>
#include <stdint.h>
#include "csumguard.h"
#include "locate.h"
#include "maps.h"
#include "pins.h"
#include "ports.h"
#include "sizing.h"

/*
 * Priority ("pref") of csumguard's egress filter: late, after the filters of
 * other tools (tc's own default is 49152 and counts down; Cilium uses 1), so
 * it sees what the stack and those filters hand to the NIC - a bug in one of
 * them (a NAT or encapsulation that writes a wrong final value) shows as
 * final_bad. csumguard returns TC_ACT_UNSPEC (bpf/ctx/skb.bpf.h): a filter
 * after it still runs. The cost: a direct-action filter before it that ends
 * the chain with TC_ACT_OK (Cilium's do) hides the packets from it (stats
 * shows the egress frames standing still).
 */
#define CG_TC_PRIORITY	0xfff0

struct cg_tc_attach_opts {
	const char *pin_dir;		/* canonical (cg_pin_dir_canon) */
	const char *ifname;
	enum cg_mode mode;
	const struct cg_port_spec *ports;
	int nports;
	int no_default_ports;
	uint32_t dests;			/* size of the per-destination table; 0: as
					 * many as fit memory (sizing.h) */
	uint64_t memory;		/* --memory budget in bytes; 0: not given */
	/* The config map is shared with the XDP program (one pin): written
	 * whole, so these are the ingress settings (issue 10). */
	__u32 flags;			/* cg_config.flags */
	__u32 sample;			/* cg_config.sample */
};

struct cg_tc_attach_result {
	int ifindex;
	__u32 prog_id;
	__u32 handle, priority;		/* the filter */
	int qdisc_created;		/* csumguard made the clsact qdisc */
	int facts;			/* CG_TC_PROG_FACTS runs (skb facts, 6.2+), else CG_TC_PROG */
	struct cg_port_spec ports[CG_PORTS_MAX + CG_N_DEFAULT_PORTS];
	int nports;
	int mounted;			/* this attach mounted bpffs on /sys/fs/bpf */
	int reused;			/* the interface's state existed: continued */
	char state_dir[PATH_MAX];	/* PIN_DIR/ifaces/IFNAME */
	struct cg_table_size table;	/* the per-destination table: its size and
					 * kernel memory (memlock of the table in use) */
	/* Private: what cg_tc_attach_undo takes back. */
	struct cg_undo undo;
	struct cg_settings saved;
	const char *pin_dir, *ifname;
};

/*
 * Attaches (see above). 0 with r filled, or -errno with err set; nothing
 * of this run is left behind then. After a success, call exactly one of
 * cg_tc_attach_keep (done) or cg_tc_attach_undo (the other direction of the
 * same attach failed: take this one back).
 */
int cg_tc_attach(const struct cg_tc_attach_opts *o, struct cg_tc_attach_result *r,
		 char *err, size_t errlen);
void cg_tc_attach_keep(struct cg_tc_attach_result *r);
/* Removes the filter, the qdisc if this attach made it, the pins and
 * directories it made, and puts the old ports and mode back. 0, or -errno
 * with err set (then something may be left, and err says what). */
int cg_tc_attach_undo(struct cg_tc_attach_result *r, char *err, size_t errlen);

struct cg_tc_detach_result {
	int renamed;			/* found on a renamed interface: now shown */
	int ifindex;
	char shown[IF_NAMESIZE];
	int detached;			/* the filter was removed */
	__u32 handle, priority, prog_id;
	int qdisc_removed;		/* the clsact qdisc csumguard made went too */
	int qdisc_kept_busy;		/* csumguard made it, other filters use it: kept */
	int purged;			/* the egress state was removed (purge) */
	int purged_iface;		/* ... and the interface's, no direction left */
	char state_dir[PATH_MAX];	/* PIN_DIR/ifaces/IFNAME (or its egress/) */
};

/*
 * Removes csumguard's egress filter that uses PIN_DIR/ifaces/IFNAME/egress
 * (found by cg_tc_locate: a renamed interface is followed), and the clsact
 * qdisc if csumguard made it and nothing else uses it. The pins stay unless
 * purge (never while a loaded csumguard program uses them). 0, or -errno
 * with err set: -ENOENT when csumguard's egress is not attached (and no
 * purge was asked), -ENODEV when the interface is gone.
 */
int cg_tc_detach(const char *pin_dir, const char *ifname, int purge,
		 struct cg_tc_detach_result *r, char *err, size_t errlen);

/* Number of filters on ifindex's clsact hook (parent BPF_TC_INGRESS or
 * BPF_TC_EGRESS), by a netlink dump: >= 0, or -errno. */
int cg_tc_filter_count(int ifindex, int egress);

#endif /* CG_TC_ATTACH_H */
