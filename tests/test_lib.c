// SPDX-License-Identifier: GPL-2.0
/*
 * test_lib.c - cmocka tests of lib/'s operations that need no privileges:
 * the read path's arithmetic (lib/snapshot.c: where -> view, port table,
 * LRU + kept merge, evictions), the error convention (lib/err.c), network
 * device lookups on loopback (lib/netdev.c), and the attach result ->
 * message the command prints (loader/cmd_attach.c). Expected values are
 * written out by hand.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "cmds.h"
#include "err.h"
#include "offloads.h"
#include "maps.h"
#include "names.h"
#include "netdev.h"
#include "snapshot.h"
#include "unit.h"

/* ------------------------------------------------------------ helpers */

static struct cg_src_row row4(uint8_t last, uint64_t ok, uint64_t bad, uint64_t last_bad_ns)
{
	struct cg_src_row r = {};

	r.addr.family = CG_AF_INET4;
	r.addr.a[0] = 10;
	r.addr.a[3] = last;
	r.st.verdict[CG_V_OK] = ok;
	r.st.verdict[CG_V_BAD] = bad;
	r.st.packets = ok + bad;
	r.st.bytes = 100 * (ok + bad);
	r.st.last_bad_ns = last_bad_ns;
	return r;
}

/* Copies n rows into a malloc'ed array (cg_snap_sources takes it over). */
static struct cg_src_row *heap_rows(const struct cg_src_row *rows, size_t n)
{
	struct cg_src_row *p = malloc(n * sizeof(*p));

	assert_non_null(p);
	memcpy(p, rows, n * sizeof(*p));
	return p;
}

static const struct cg_src_row *find(const struct cg_iface_snap *s, uint8_t last)
{
	size_t i;

	for (i = 0; i < s->v.nrows; i++)
		if (s->v.rows[i].addr.a[3] == last)
			return &s->v.rows[i];
	return NULL;
}

/* ------------------------------------------------------------ snapshot */

/* Every __u64 of a value struct is described exactly once in its field
 * table (names.c), names are unique, and summing uses the kinds: a counter
 * added to a struct but not to the table fails here, not in a dashboard. */
static void check_fields(const struct cg_field *f, size_t n, size_t size)
{
	unsigned char seen[512] = { 0 };
	size_t i, j;

	assert_true(size % 8 == 0 && size / 8 <= sizeof(seen));
	for (i = 0; i < n; i++) {
		assert_true(f[i].off % 8 == 0 && f[i].off < size);
		seen[f[i].off / 8]++;
		assert_non_null(f[i].help);
		assert_true(strlen(f[i].help) > 0 && f[i].help[strlen(f[i].help) - 1] != '.');
		for (j = 0; j < i; j++)
			assert_false(!strcmp(f[i].name, f[j].name) &&
				     (f[i].group == f[j].group ||
				      (f[i].group && f[j].group && !strcmp(f[i].group, f[j].group))));
	}
	for (i = 0; i < size / 8; i++) {
		if (seen[i] != 1)
			fail_msg("u64 #%zu of the struct is described %u times", i, seen[i]);
	}
}

static void test_field_tables(void **state)
{
	struct cg_src_stats pc[3] = { 0 }, sum;
	const struct cg_field *f;
	size_t n;

	(void)state;
	f = cg_src_fields(&n);
	check_fields(f, n, sizeof(struct cg_src_stats));
	f = cg_dst_fields(&n);
	check_fields(f, n, sizeof(struct cg_dst_stats));

	/* Counters add across CPUs, the newest time wins. */
	pc[0].packets = 3, pc[1].packets = 4, pc[2].packets = 5;
	pc[0].verdict[CG_V_BAD] = 1, pc[2].verdict[CG_V_BAD] = 2;
	pc[0].last_bad_ns = 900, pc[1].last_bad_ns = 100, pc[2].last_bad_ns = 700;
	/* first_bad (issue 10): the oldest non-zero one wins. */
	pc[0].first_bad_ns = 800, pc[1].first_bad_ns = 0, pc[2].first_bad_ns = 600;
	cg_src_sum(pc, 3, &sum);
	assert_int_equal(sum.packets, 12);
	assert_int_equal(sum.verdict[CG_V_BAD], 3);
	assert_int_equal(sum.last_bad_ns, 900);
	assert_int_equal(sum.first_bad_ns, 600);

	/* A row's two parts (issue 13): the shared part as it is, plus every
	 * CPU's per-CPU part, whose packets and zero are derived. */
	{
		struct cg_src_hot hot[2] = { { 0 } };
		struct cg_src_stats rare = { 0 }, row;

		hot[0].ok = 5, hot[0].bytes = 500, hot[0].zero_inner[CG_ZI_UNFINISHED] = 2;
		hot[1].unfinished = 3, hot[1].bytes = 300, hot[1].zero_inner[CG_ZI_OK] = 1;
		hot[1].evidence_checked = 4;
		rare.packets = 2, rare.bytes = 100, rare.verdict[CG_V_BAD] = 1;
		rare.verdict[CG_V_ZERO] = 1, rare.zero_inner[CG_ZI_BAD] = 1;
		rare.bad_class[CG_BC_PAYLOAD] = 1, rare.evidence_checked = 1;
		rare.last_bad_ns = 77, rare.dropped = 1;
		cg_src_join(hot, 2, &rare, &row);
		assert_int_equal(row.packets, 2 + 5 + 2 + 3 + 1);
		assert_int_equal(row.bytes, 900);
		assert_int_equal(row.verdict[CG_V_OK], 5);
		assert_int_equal(row.verdict[CG_V_UNFINISHED], 3);
		assert_int_equal(row.verdict[CG_V_ZERO], 1 + 2 + 1);
		assert_int_equal(row.verdict[CG_V_BAD], 1);
		assert_int_equal(row.zero_inner[CG_ZI_OK], 1);
		assert_int_equal(row.zero_inner[CG_ZI_BAD], 1);
		assert_int_equal(row.zero_inner[CG_ZI_UNFINISHED], 2);
		assert_int_equal(row.bad_class[CG_BC_PAYLOAD], 1);
		assert_int_equal(row.evidence_checked, 5);
		assert_int_equal(row.last_bad_ns, 77);
		assert_int_equal(row.dropped, 1);
		/* no shared part: the per-CPU parts alone */
		cg_src_join(hot, 2, NULL, &row);
		assert_int_equal(row.packets, 11);
		assert_int_equal(row.verdict[CG_V_BAD], 0);
		assert_int_equal(row.last_bad_ns, 0);
	}
}

/* The features read through the ioctl equal what ethtool -k prints for the
 * same device (an independent reader of the same kernel facts). */
static void test_features_vs_ethtool(void **state)
{
	struct cg_offloads ft;
	char err[256], line[256], want[64];
	int k, matched = 0;
	FILE *p;

	(void)state;
	assert_int_equal(cg_netdev_offloads("lo", &ft, err, sizeof(err)), 0);
	p = popen("ethtool -k lo 2>/dev/null", "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		const char *l = line + strspn(line, " \t");

		for (k = 0; k < CG_FEATURE_MAX; k++) {
			/* ethtool shows the kernel's rx-checksum under its legacy name. */
			const char *name = k == CG_FEAT_RX_CSUM ? "rx-checksumming" : cg_feature_name(k);
			size_t len = strlen(name);
			const char *v = l + len + 2;

			if (strncmp(l, name, len) || l[len] != ':')
				continue;
			snprintf(want, sizeof(want), "%s%s", ft.f[k].on ? "on" : "off",
				 ft.f[k].fixed ? " [fixed]" : "");
			if (strncmp(v, want, strlen(want)))
				fail_msg("%s: ethtool says '%s', we read '%s'", cg_feature_name(k),
					 v, want);
			matched++;
		}
	}
	assert_int_equal(pclose(p), 0);
	/* ethtool prints every feature the kernel has; ours all exist on 6.1+. */
	assert_int_equal(matched, CG_FEATURE_MAX);
	assert_int_equal(cg_netdev_offloads("cgnosuch0", &ft, err, sizeof(err)), -ENODEV);
	assert_string_equal(err, "no interface 'cgnosuch0' in this network namespace; check `ip link`");
}

static void test_snap_where(void **state)
{
	struct cg_iface_view v;
	struct cg_where w;

	(void)state;
	/* Here, renamed: the view names the interface now. */
	memset(&v, 0, sizeof(v));
	memset(&w, 0, sizeof(w));
	w.state = CG_WHERE_HERE;
	w.ifindex = 7;
	w.xdp_mode = "skb";
	w.dispatcher = 1;
	w.renamed = 1;
	snprintf(w.ifname_now, sizeof(w.ifname_now), "rawX");
	cg_snap_where(&v, &w);
	assert_int_equal(v.attached, 1);
	assert_int_equal(v.ifindex, 7);
	assert_string_equal(v.xdp_mode, "skb");
	assert_int_equal(v.dispatcher, 1);
	assert_string_equal(v.ifname_now, "rawX");
	assert_null(v.attached_note);

	/* Here, same name: no ifname_now. */
	memset(&v, 0, sizeof(v));
	w.renamed = 0;
	cg_snap_where(&v, &w);
	assert_null(v.ifname_now);

	/* Elsewhere: attached, no mode, where as the note. */
	memset(&v, 0, sizeof(v));
	memset(&w, 0, sizeof(w));
	w.state = CG_WHERE_ELSEWHERE;
	snprintf(w.where, sizeof(w.where), "network namespace /run/netns/rx (ifindex 2 there)");
	cg_snap_where(&v, &w);
	assert_int_equal(v.attached, 1);
	assert_null(v.xdp_mode);
	assert_string_equal(v.attached_note, "network namespace /run/netns/rx (ifindex 2 there)");

	/* Unknown: -1 and why. */
	memset(&v, 0, sizeof(v));
	memset(&w, 0, sizeof(w));
	w.state = CG_WHERE_UNKNOWN;
	w.ifindex = 3;
	snprintf(w.why, sizeof(w.why), "needs CAP_SYS_ADMIN");
	cg_snap_where(&v, &w);
	assert_int_equal(v.attached, -1);
	assert_int_equal(v.ifindex, 3);
	assert_string_equal(v.attached_note, "needs CAP_SYS_ADMIN");

	/* None: detached, nothing else said. */
	memset(&v, 0, sizeof(v));
	memset(&w, 0, sizeof(w));
	cg_snap_where(&v, &w);
	assert_int_equal(v.attached, 0);
	assert_null(v.xdp_mode);
	assert_null(v.attached_note);
}

static void test_snap_ports(void **state)
{
	uint32_t *encap = calloc(CG_PORT_TABLE_SIZE, sizeof(*encap));
	struct cg_port_spec out[4];
	int n, p;

	(void)state;
	assert_non_null(encap);
	encap[0] = CG_ENCAP_VXLAN;		/* port 0 is never a tunnel port */
	encap[4789] = CG_ENCAP_VXLAN;
	encap[6080] = CG_ENCAP_GUE;
	encap[6081] = CG_ENCAP_GENEVE;
	encap[7000] = CG_ENCAP_MAX;		/* not a known encap: skipped */
	encap[8472] = CG_ENCAP_VXLAN;
	encap[65535] = CG_ENCAP_GENEVE;
	n = cg_snap_ports(encap, out, 4);
	assert_int_equal(n, 4);			/* capped at max, by port */
	assert_int_equal(out[0].port, 4789);
	assert_int_equal(out[0].encap, CG_ENCAP_VXLAN);
	assert_int_equal(out[1].port, 6080);
	assert_int_equal(out[1].encap, CG_ENCAP_GUE);
	assert_int_equal(out[2].port, 6081);
	assert_int_equal(out[3].port, 8472);

	for (p = 0; p < CG_PORT_TABLE_SIZE; p++)
		encap[p] = CG_ENCAP_NONE;
	encap[65535] = CG_ENCAP_GENEVE;
	n = cg_snap_ports(encap, out, 4);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].port, 65535);
	free(encap);
}

static void test_snap_sources_merge(void **state)
{
	const struct cg_src_row lru[] = {
		row4(2, 90, 10, 5),
		row4(3, 50, 0, 0),
		row4(7, 1, 1, 9),	/* also kept: blocked after its LRU row was made */
	};
	const struct cg_src_row kept[] = {
		row4(7, 3, 2, 20),	/* newer bad: 20 wins over 9 */
		row4(9, 0, 4, 4),	/* only kept */
	};
	struct cg_iface_snap s = {};
	const struct cg_src_row *r;

	(void)state;
	s.v.tot.c[CG_IF_SRC_INSERTED] = 8;
	assert_int_equal(cg_snap_sources(&s, heap_rows(lru, 3), 3, kept, 2), 0);
	assert_int_equal(s.v.sources_present, 3);	/* LRU rows */
	assert_int_equal(s.v.sources_kept, 2);
	assert_int_equal(s.v.sources_evicted, 5);	/* 8 inserted - 3 present */
	assert_int_equal(s.v.nrows, 4);			/* 2, 3, 7 (both), 9 */
	assert_ptr_equal(s.v.rows, s.rows);
	r = find(&s, 7);
	assert_non_null(r);
	assert_int_equal(r->st.verdict[CG_V_OK], 4);	/* 1 + 3 */
	assert_int_equal(r->st.verdict[CG_V_BAD], 3);	/* 1 + 2 */
	assert_int_equal(r->st.packets, 7);
	assert_int_equal(r->st.bytes, 700);
	assert_int_equal(r->st.last_bad_ns, 20);
	r = find(&s, 9);
	assert_non_null(r);
	assert_int_equal(r->st.verdict[CG_V_BAD], 4);
	r = find(&s, 2);
	assert_non_null(r);
	assert_int_equal(r->st.packets, 100);
	free(s.rows);
}

static void test_snap_sources_evictions(void **state)
{
	const struct cg_src_row lru[] = { row4(1, 1, 0, 0), row4(2, 1, 0, 0) };
	struct cg_iface_snap s = {};

	(void)state;
	/* Fewer inserted than present (state from before the counter, or
	 * rows moved back by unblock): never a negative eviction count. */
	s.v.tot.c[CG_IF_SRC_INSERTED] = 1;
	assert_int_equal(cg_snap_sources(&s, heap_rows(lru, 2), 2, NULL, 0), 0);
	assert_int_equal(s.v.sources_evicted, 0);
	assert_int_equal(s.v.sources_present, 2);
	assert_int_equal(s.v.sources_kept, 0);
	assert_int_equal(s.v.nrows, 2);
	free(s.rows);

	/* Exactly full, nothing evicted; then a flood of 16384 more. */
	memset(&s, 0, sizeof(s));
	s.v.tot.c[CG_IF_SRC_INSERTED] = 2;
	assert_int_equal(cg_snap_sources(&s, heap_rows(lru, 2), 2, NULL, 0), 0);
	assert_int_equal(s.v.sources_evicted, 0);
	free(s.rows);
	memset(&s, 0, sizeof(s));
	s.v.tot.c[CG_IF_SRC_INSERTED] = 16386;
	assert_int_equal(cg_snap_sources(&s, heap_rows(lru, 2), 2, NULL, 0), 0);
	assert_int_equal(s.v.sources_evicted, 16384);
	free(s.rows);

	/* Empty tables. */
	memset(&s, 0, sizeof(s));
	assert_int_equal(cg_snap_sources(&s, NULL, 0, NULL, 0), 0);
	assert_int_equal(s.v.nrows, 0);
	assert_int_equal(s.v.sources_evicted, 0);
}

/* ------------------------------------------------------------ err, netdev */

static void test_errf(void **state)
{
	char err[32] = "untouched";

	(void)state;
	assert_int_equal(cg_errf(err, sizeof(err), -ENOENT, "no %s; do %d", "x", 7), -ENOENT);
	assert_string_equal(err, "no x; do 7");
	/* Truncated to the buffer, never past it. */
	assert_int_equal(cg_errf(err, 8, -EINVAL, "%s", "0123456789"), -EINVAL);
	assert_string_equal(err, "0123456");
	/* No buffer: only the code. */
	assert_int_equal(cg_errf(NULL, 0, -EPERM, "ignored"), -EPERM);
}

static void test_netdev_lo(void **state)
{
	char err[CG_ERRLEN], name[IF_NAMESIZE] = "";
	int ifindex;

	(void)state;
	/* Every network namespace has lo; its name round-trips. */
	ifindex = cg_netdev_index("lo", err, sizeof(err));
	assert_true(ifindex > 0);
	assert_int_equal(cg_netdev_name(ifindex, name, sizeof(name)), 0);
	assert_string_equal(name, "lo");
	assert_true(cg_netdev_mtu("lo") >= 68);
	assert_int_equal(cg_netdev_name(0, name, sizeof(name)), -ENODEV);

	assert_int_equal(cg_netdev_index("cgnosuch0", err, sizeof(err)), -ENODEV);
	assert_string_equal(err, "no interface 'cgnosuch0' in this network namespace; check "
			    "`ip link` (for a netns: nsenter --net=/run/netns/NAME csumguard ...)");
	assert_true(cg_netdev_mtu("cgnosuch0") < 0);
}

static void test_netdev_info_missing(void **state)
{
	struct cg_netdev_info info;
	char err[CG_ERRLEN], drv[32];

	(void)state;
	assert_int_equal(cg_netdev_info("cgnosuch0", &info, err, sizeof(err)), -ENODEV);
	assert_string_equal(err, "no interface 'cgnosuch0' in this network namespace; "
			    "check `ip link`");
	assert_string_equal(info.driver, "");
	cg_netdev_driver("cgnosuch0", drv, sizeof(drv));
	assert_string_equal(drv, "unknown");
}

/* ------------------------------------------------------------ attach message */

static void test_attach_message(void **state)
{
	struct cg_xdp_attach_result r = {};
	char buf[1024];

	(void)state;
	r.xdp_mode = "native";
	r.dispatcher = 1;
	r.frags = 1;
	snprintf(r.progs, sizeof(r.progs), "csumguard_xdp, xdp_pass");
	r.ports[0] = (struct cg_port_spec){ 4789, CG_ENCAP_VXLAN };
	r.ports[1] = (struct cg_port_spec){ 6081, CG_ENCAP_GENEVE };
	r.ports[2] = (struct cg_port_spec){ 8472, CG_ENCAP_VXLAN };
	r.nports = 3;
	cg_attach_message(&r, "veth0", CG_MODE_MONITOR, buf, sizeof(buf));
	assert_string_equal(buf, "attached csumguard to veth0: native XDP, multi-buffer program "
			    "csumguard_xdp, through the libxdp dispatcher (frags on; programs: "
			    "csumguard_xdp, xdp_pass), mode monitor, ports vxlan:4789,8472 "
			    "geneve:6081");

	r.frags = 0;
	cg_attach_message(&r, "veth0", CG_MODE_DROP, buf, sizeof(buf));
	assert_string_equal(buf, "attached csumguard to veth0: native XDP, multi-buffer program "
			    "csumguard_xdp, through the libxdp dispatcher (frags off; programs: "
			    "csumguard_xdp, xdp_pass), mode drop, ports vxlan:4789,8472 "
			    "geneve:6081");

	/* Alone, because the kernel refused the dispatcher. */
	r.dispatcher = 0;
	r.dispatcher_refused = 1;
	r.ports[3] = (struct cg_port_spec){ 6080, CG_ENCAP_GUE };
	r.nports = 4;
	cg_attach_message(&r, "up0", CG_MODE_MONITOR, buf, sizeof(buf));
	assert_string_equal(buf, "attached csumguard to up0: native XDP, multi-buffer program "
			    "csumguard_xdp, alone (libxdp could not use its dispatcher here: the "
			    "kernel refused its freplace programs, so no other XDP program can "
			    "share up0), mode monitor, ports vxlan:4789,8472 geneve:6081 gue:6080");

	/* Alone for another reason: no cause claimed. */
	r.dispatcher_refused = 0;
	r.xdp_mode = "skb";
	r.nports = 1;
	cg_attach_message(&r, "up0", CG_MODE_MONITOR, buf, sizeof(buf));
	assert_string_equal(buf, "attached csumguard to up0: skb XDP, multi-buffer program "
			    "csumguard_xdp, alone (libxdp could not use its dispatcher here, so "
			    "no other XDP program can share up0), mode monitor, ports vxlan:4789");

	/* The single-buffer variant (5.10), alone by choice: its freplace
	 * verifier refuses the program as a dispatcher component. */
	r.variant = CG_XDP_SINGLE_BUF;
	r.alone_planned = 1;
	r.xdp_mode = "native";
	snprintf(r.kernel, sizeof(r.kernel), "5.10.0-46-cloud-amd64");
	cg_attach_message(&r, "up0", CG_MODE_MONITOR, buf, sizeof(buf));
	assert_string_equal(buf, "attached csumguard to up0: native XDP, single-buffer program "
			    "csumguard_xdpsb (kernel 5.10.0-46-cloud-amd64 has no multi-buffer "
			    "XDP), alone: this kernel's freplace verifier refuses csumguard's "
			    "program as a libxdp dispatcher component (global functions taking "
			    "struct xdp_md *), so no other XDP program can share up0; mode "
			    "monitor, ports vxlan:4789");

	/* 6.13+: the large-chunk program refused, the classic one runs. */
	r.variant = CG_XDP_MULTI_BUF;
	r.alone_planned = 0;
	r.dispatcher = 1;
	r.frags = 1;
	snprintf(r.progs, sizeof(r.progs), "csumguard_xdp");
	snprintf(r.fallback_why, sizeof(r.fallback_why), "the kernel (6.14.0) verifier "
		 "rejected it");
	cg_attach_message(&r, "up0", CG_MODE_MONITOR, buf, sizeof(buf));
	assert_string_equal(buf, "attached csumguard to up0: native XDP, multi-buffer program "
			    "csumguard_xdp (the large-chunk program csumguard_xdplc was refused, "
			    "so the classic one runs: the kernel (6.14.0) verifier rejected it), "
			    "through the libxdp dispatcher (frags on; programs: csumguard_xdp), "
			    "mode monitor, ports vxlan:4789");
}


/* The egress line of attach, and the snapshot's views in order. */
static void test_attach_egress_message(void **state)
{
	struct cg_tc_attach_result r = { .handle = 1, .priority = 65520, .prog_id = 77,
					 .qdisc_created = 1 };
	char buf[512];

	(void)state;
	r.ports[0] = (struct cg_port_spec){ 4789, CG_ENCAP_VXLAN };
	r.nports = 1;
	cg_attach_egress_message(&r, "up0", CG_MODE_MONITOR, buf, sizeof(buf));
	assert_string_equal(buf, "attached csumguard to up0 egress: tc filter pref 65520 handle "
			    "0x1 (program id 77) on a new clsact qdisc, mode monitor, ports "
			    "vxlan:4789; skb facts unsupported by this kernel (csumguard_tc; "
			    "offloaded from the seed signature)");
	r.qdisc_created = 0;
	r.facts = 1;
	cg_attach_egress_message(&r, "up0", CG_MODE_DROP, buf, sizeof(buf));
	assert_string_equal(buf, "attached csumguard to up0 egress: tc filter pref 65520 handle "
			    "0x1 (program id 77) on the existing clsact qdisc, mode drop, ports "
			    "vxlan:4789; skb facts read (csumguard_tcf)");
}

static void test_snapshot_views(void **state)
{
	struct cg_iface_snap ifs[3];
	struct cg_snapshot s = { .ifaces = ifs, .n = 3 };
	struct cg_iface_view out[6];
	struct cg_dst_row *rows = calloc(2, sizeof(*rows));

	(void)state;
	memset(ifs, 0, sizeof(ifs));
	ifs[0].has_ingress = 1;
	ifs[0].has_egress = 1;
	ifs[0].v.name = "a";
	ifs[0].ev.name = "a";
	ifs[0].ev.dir = CG_DIR_EGRESS;
	ifs[1].has_egress = 1;		/* attach --egress only */
	ifs[1].ev.name = "b";
	ifs[1].ev.dir = CG_DIR_EGRESS;
	ifs[2].has_ingress = 1;
	ifs[2].v.name = "c";
	assert_int_equal(cg_snapshot_views(&s, out), 4);
	assert_string_equal(out[0].name, "a");
	assert_int_equal(out[0].dir, CG_DIR_INGRESS);
	assert_int_equal(out[1].dir, CG_DIR_EGRESS);
	assert_string_equal(out[2].name, "b");
	assert_string_equal(out[3].name, "c");

	/* evicted destinations = inserted - present */
	ifs[1].ev.etot.c[CG_IF_SRC_INSERTED] = 7;
	cg_snap_dests(&ifs[1], rows, 2);
	assert_int_equal(ifs[1].ev.dests_present, 2);
	assert_int_equal(ifs[1].ev.dests_evicted, 5);
	assert_ptr_equal(ifs[1].ev.drows, rows);
	free(rows);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_field_tables),
		cmocka_unit_test(test_features_vs_ethtool),
		cmocka_unit_test(test_snap_where),
		cmocka_unit_test(test_snap_ports),
		cmocka_unit_test(test_snap_sources_merge),
		cmocka_unit_test(test_snap_sources_evictions),
		cmocka_unit_test(test_errf),
		cmocka_unit_test(test_netdev_lo),
		cmocka_unit_test(test_netdev_info_missing),
		cmocka_unit_test(test_attach_message),
		cmocka_unit_test(test_attach_egress_message),
		cmocka_unit_test(test_snapshot_views),
	};

	return CG_UNIT_RUN(tests, argc, argv);
}
