/* SPDX-License-Identifier: GPL-2.0 */
/*
 * locate.h - where the program that uses one interface's pinned state runs
 * (cg_locate). Identity is the attachment record (network namespace,
 * ifindex, program id) and the program's map ids, never the interface name
 * alone: the name may have moved to another interface, live in another
 * namespace, or belong to the state of another --pin-dir.
 */
#ifndef CG_LOCATE_H
#define CG_LOCATE_H

#include <linux/types.h>

enum cg_where_state {
	CG_WHERE_NONE = 0,	/* no loaded program uses the state: detached */
	CG_WHERE_HERE,		/* on w.ifindex, in this network namespace */
	CG_WHERE_ELSEWHERE,	/* a loaded program uses it, not on an interface here */
	CG_WHERE_UNKNOWN,	/* cannot tell; w.why says why */
};

struct cg_where {
	enum cg_where_state state;
	int ifindex;		/* the interface here the state is for, 0: none */
	char ifname_now[16];	/* its name now; "" if none */
	int renamed;		/* ifname_now is not the pinned name */
	__u32 prog_id;		/* HERE, ELSEWHERE: csumguard's program */
	const char *xdp_mode;	/* HERE: "native", "skb", "hw" */
	int dispatcher;		/* HERE: in a libxdp dispatcher (else alone) */
	const char *xdp_variant;	/* HERE, seen by name: "multi-buffer" or
					 * "single-buffer" (probe.h); NULL: unknown */
	__u32 other_id;		/* a csumguard program on ifindex using other pins */
	char netns[80];		/* ELSEWHERE with a record: "/run/netns/NAME" or "net:[INO]" */
	char where[192];	/* ELSEWHERE: where, for messages */
	char why[224];		/* UNKNOWN: why */
};

/* Fills w for PIN_DIR/ifaces/IFNAME. 0, or -errno (w.state UNKNOWN). */
int cg_locate(const char *pin_dir, const char *ifname, struct cg_where *w);

/*
 * The same for csumguard's TC egress program of PIN_DIR/ifaces/IFNAME, by
 * its attachment record (network namespace, ifindex, program id), its tc
 * record (the filter's handle and priority: struct cg_tc_record, pins.h)
 * and the egress totals map's id: HERE when the filter at the recorded handle and
 * priority on the interface (followed through a rename) runs the recorded
 * program and that program uses this pin dir's egress map (the
 * totals: every version of the program uses them). xdp_mode and
 * dispatcher stay unset. t gets the tc record (zeroed if none).
 */
struct cg_tc_record;
int cg_tc_locate(const char *pin_dir, const char *ifname, struct cg_where *w,
		 struct cg_tc_record *t);

/* Is w's netns a name iproute2 gave ("/run/netns/NAME"), so that a message
 * can say `nsenter --net=NAME`? */
int cg_where_netns_named(const struct cg_where *w);

#endif /* CG_LOCATE_H */
