/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xdp_attach.h - attaching csumguard's XDP program to an interface with its
 * state pinned under a pin dir, and detaching it (SPEC 3). The operations
 * take plain inputs and return a result struct (what a front end reports on
 * success) or -errno with one line "cause; fix" in err (lib/err.h). They
 * print nothing.
 *
 * attach: the skeleton's object is opened (not loaded); its maps are bound
 * to the pinned ones (created and pinned when missing, checked for the same
 * layout when present), the port table and the mode are written, and only
 * then libxdp loads the program as a component of its multi-program
 * dispatcher and attaches it. So the program never runs with an empty port
 * table or a stale mode, and a failure removes exactly what this run made
 * (pins, directories, a bpffs it mounted), puts the old ports and mode back
 * into reused maps, and takes the program off the interface again if libxdp
 * had attached it (then checks that it is gone).
 *
 * libxdp and multi-buffer XDP: the program's section is "xdp.frags", so
 * libbpf opens it with BPF_F_XDP_HAS_FRAGS; libxdp 1.3 reads that flag
 * (xdp_program__xdp_frags_support) and builds a dispatcher with frags
 * support when every program on the interface has it. A program without
 * frags (e.g. xdp-tools' xdpfilt_*.o) turns frags off for the whole
 * dispatcher, and then the kernel refuses an MTU above about a page on
 * native-XDP veth: attach says so.
 *
 * Which program: attach probes the kernel first (probe.h) and loads the
 * multi-buffer csumguard_xdp where xdp.frags and its helpers exist, else the
 * single-buffer csumguard_xdpsb (refused in native mode above
 * CG_XDP_SB_MAX_MTU); where the kernel's freplace verifier refuses the
 * program as a dispatcher component (5.10) it attaches it alone, through
 * libxdp's LIBXDP_SKIP_DISPATCHER, and refuses an interface that already has
 * libxdp programs. Kernels below the floor are refused first.
 */
#ifndef CG_XDP_ATTACH_H
#define CG_XDP_ATTACH_H

#include <limits.h>
#include <net/if.h>
#include <stddef.h>
#include <stdint.h>
#include <xdp/libxdp.h>
#include "csumguard.h"
#include "ports.h"
#include "probe.h"
#include "sizing.h"

/*
 * Position among the interface's libxdp programs (lower runs first; libxdp's
 * default is 50). csumguard runs early so it audits frames as they arrived,
 * before another program rewrites (decapsulates) or drops them.
 */
#define CG_RUN_PRIO 10

struct cg_xdp_attach_opts {
	const char *pin_dir;		/* canonical (cg_pin_dir_canon) */
	const char *ifname;
	enum cg_mode mode;
	enum xdp_attach_mode xdp_mode;	/* XDP_MODE_NATIVE or XDP_MODE_SKB */
	const struct cg_port_spec *ports;	/* KIND:PORT given, on top of the defaults */
	int nports;
	int no_default_ports;		/* only ports[] */
	uint32_t sources;		/* size of the per-source (LRU) table; 0: as
					 * many as fit memory (sizing.h) */
	uint64_t memory;		/* --memory budget in bytes; 0: not given */
	__u32 flags;			/* cg_config.flags: CG_CFG_REPAIR, CG_CFG_DROP_UNKNOWN */
	__u32 sample;			/* cg_config.sample: verify 1 in sample (0, 1: all) */
};

struct cg_xdp_attach_result {
	int ifindex;
	__u32 prog_id;
	const char *xdp_mode;		/* "native", "skb", "hw" */
	int dispatcher;			/* through libxdp's dispatcher (else alone) */
	int dispatcher_refused;		/* alone: the kernel refused the dispatcher's
					 * freplace programs (libxdp's log says so) */
	int frags;			/* dispatcher: built with frags support */
	enum cg_xdp_variant variant;	/* the program variant loaded (probe.h) */
	int alone_planned;		/* alone by choice: this kernel's freplace
					 * verifier refuses the program as a
					 * dispatcher component (5.10) */
	char kernel[65];		/* uname -r */
	char features[256];		/* what the probes found (cg_features_str) */
	char fallback_why[1024];	/* "": the planned variant runs; else why
					 * the large-chunk program was refused
					 * and the classic one runs instead */
	char progs[256];		/* dispatcher: its programs now, comma separated */
	struct cg_port_spec ports[CG_PORTS_MAX + CG_N_DEFAULT_PORTS];
	int nports;			/* the port table installed, sorted by port */
	int mounted;			/* this attach mounted bpffs on /sys/fs/bpf */
	int reused;			/* the counters existed: continued */
	struct cg_table_size table;	/* the per-source table: its size and kernel
					 * memory (memlock of the table in use) */
	char state_dir[PATH_MAX];	/* PIN_DIR/ifaces/IFNAME */
};

/* What cg_xdp_attach checks on the interface before it changes anything:
 * csumguard there already, or an XDP program it cannot join. Lets an attach
 * of both directions refuse before it adds its egress filter. 0, or -errno
 * with err set. */
int cg_xdp_attach_precheck(const struct cg_xdp_attach_opts *o, char *err, size_t errlen);

/* Attaches (see above). 0 with r filled, or -errno with err set; nothing
 * of this run is left behind then. */
int cg_xdp_attach(const struct cg_xdp_attach_opts *o, struct cg_xdp_attach_result *r,
		  char *err, size_t errlen);

struct cg_xdp_detach_result {
	int renamed;			/* csumguard's program was found on a renamed
					 * interface: now called shown (ifindex) */
	int ifindex;			/* the interface the state is for, 0: none */
	char shown[IF_NAMESIZE];	/* the interface's name now, else the pinned one */
	int detached;			/* csumguard's program was taken off */
	char progs_left[256];		/* detached: XDP programs still there, "" if none */
	int purged;			/* the pinned state was removed (purge) */
	char state_dir[PATH_MAX];	/* PIN_DIR/ifaces/IFNAME */
};

/*
 * Takes the program that uses PIN_DIR/ifaces/IFNAME off its interface (found
 * by cg_locate: a renamed interface is followed) and checks it is gone; the
 * pinned counters stay unless purge, which removes them, never while a
 * loaded program still uses them. 0, or -errno with err set; r says what
 * was done either way (a detach can succeed and its purge fail).
 */
int cg_xdp_detach(const char *pin_dir, const char *ifname, int purge,
		  struct cg_xdp_detach_result *r, char *err, size_t errlen);

#endif /* CG_XDP_ATTACH_H */
