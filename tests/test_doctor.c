// SPDX-License-Identifier: GPL-2.0
/*
 * test_doctor.c - what `csumguard doctor` makes of the facts (lib/doctor.c's
 * notes) and how it prints them (lib/doctor_render.c): a NIC with the
 * tunnel checksum offload on, a veth, a driver without native XDP, a jumbo
 * MTU without multi-buffer XDP, overlays sending zero checksums, no bpffs,
 * no BTF; the text within 80 columns and the JSON. The facts themselves
 * come from the kernel and are checked against ethtool and ip in
 * selftests/e2e/t70_operator.sh.
 */
#define _GNU_SOURCE	/* open_memstream */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "doctor.h"
#include "json_reader.h"
#include "unit.h"

/* An i40e uplink with the seed's offloads on, native XDP with rx-sg, one
 * VXLAN device over it sending computed checksums. */
static void healthy(struct cg_doctor *d)
{
	int k;

	memset(d, 0, sizeof(*d));
	snprintf(d->ifname, sizeof(d->ifname), "eth1");
	d->ifindex = 3;
	d->mtu = 1500;
	d->have_info = 1;
	snprintf(d->info.driver, sizeof(d->info.driver), "i40e");
	snprintf(d->info.version, sizeof(d->info.version), "2.14.13");
	snprintf(d->info.firmware, sizeof(d->info.firmware), "8.30 0x8000af86");
	d->have_features = 1;
	for (k = 0; k < CG_FEATURE_MAX; k++) {
		d->feat.f[k].on = 0;
		d->feat.f[k].fixed = 1;
	}
	d->feat.f[CG_FEAT_TX_UDP_TNL_SEG].on = 1;
	d->feat.f[CG_FEAT_TX_UDP_TNL_CSUM_SEG].on = 1;
	d->feat.f[CG_FEAT_TX_UDP_TNL_CSUM_SEG].fixed = 0;
	d->have_xdp_features = 1;
	d->xdp_features = CG_XDP_ACT_BASIC | CG_XDP_ACT_REDIRECT | CG_XDP_ACT_RX_SG;
	d->bpffs = 1;
	d->k.btf = 1;
	d->k.xdp_ok = 1;
	d->k.xdp_prog = "csumguard_xdp";
	d->k.xdp_variant = "multi-buffer";
	d->k.tc_prog = "csumguard_tcf";
	snprintf(d->k.release, sizeof(d->k.release), "6.1.0-27-amd64");
	d->have_ovl = 1;
	d->novl = 1;
	d->ovl[0] = (struct cg_overlay){ .name = "vxlan.calico", .kind = "vxlan", .vni = 4096,
		.port = 4789, .link = 3, .family = 4, .v4_csum = 1, .v6_zero_tx = 0,
		.v6_zero_rx = 0, .up = 1 };
}

/* Is there a note containing s? */
static int noted(const struct cg_doctor *d, const char *s)
{
	size_t i;

	for (i = 0; i < d->nnotes; i++)
		if (strstr(d->notes[i], s))
			return 1;
	return 0;
}

static void test_notes(void **state)
{
	struct cg_doctor *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	healthy(d);
	cg_doctor_notes(d);
	/* the seed's offload on: how to turn it off on this interface */
	assert_true(noted(d, "ethtool -K eth1 tx-udp_tnl-csum-segmentation off"));
	/* a real driver: compare versions */
	assert_true(noted(d, "Compare driver i40e 2.14.13, firmware 8.30 0x8000af86"));
	assert_false(noted(d, "veth"));
	assert_false(noted(d, "native XDP"));
	assert_false(noted(d, "zero outer checksums"));
	assert_int_equal(d->nnotes, 2);

	/* only segmentation on: the NIC cannot get the checksum wrong */
	d->feat.f[CG_FEAT_TX_UDP_TNL_CSUM_SEG].on = 0;
	cg_doctor_notes(d);
	assert_true(noted(d, "leaves their outer checksums to the kernel"));
	assert_false(noted(d, "ethtool -K eth1 tx-udp_tnl-csum-segmentation off"));

	/* no native XDP; and a jumbo MTU without multi-buffer */
	d->xdp_features = 0;
	cg_doctor_notes(d);
	assert_true(noted(d, "has no native XDP: attach with --xdp-mode skb"));
	d->xdp_features = CG_XDP_ACT_BASIC;
	d->mtu = 9000;
	cg_doctor_notes(d);
	assert_true(noted(d, "MTU 9000 is above one page"));
	d->xdp_features |= CG_XDP_ACT_RX_SG;
	cg_doctor_notes(d);
	assert_false(noted(d, "above one page"));

	/* overlays sending zero checksums, over this interface or by route */
	d->ovl[0].v4_csum = 0;
	d->ovl[1] = d->ovl[0];
	snprintf(d->ovl[1].name, sizeof(d->ovl[1].name), "vx6");
	d->ovl[1].family = 6;
	d->ovl[1].link = 0;
	d->ovl[1].v6_zero_tx = 1;
	d->ovl[2] = d->ovl[0];
	snprintf(d->ovl[2].name, sizeof(d->ovl[2].name), "other0");
	d->ovl[2].link = 9;	/* over another interface: not this one's business */
	d->novl = 3;
	cg_doctor_notes(d);
	assert_true(noted(d, "vxlan.calico (vxlan) sends zero outer checksums over IPv4"));
	assert_true(noted(d, "vx6 (vxlan) sends zero outer checksums over IPv6"));
	assert_false(noted(d, "other0"));

	/* no bpffs, no BTF, a kernel too old for the XDP program */
	d->bpffs = 0;
	d->k.btf = 0;
	d->k.xdp_ok = 0;
	snprintf(d->k.xdp_why, sizeof(d->k.xdp_why), "kernel 4.19 is older than 5.10");
	cg_doctor_notes(d);
	assert_true(noted(d, "bpffs is not mounted on /sys/fs/bpf"));
	assert_true(noted(d, "No kernel BTF"));
	assert_true(noted(d, "Native XDP attach of csumguard here is refused: kernel 4.19 is older "
			  "than 5.10."));

	/* a veth: unfinished, never bad */
	healthy(d);
	snprintf(d->info.driver, sizeof(d->info.driver), "veth");
	cg_doctor_notes(d);
	assert_true(noted(d, "is a veth"));
	assert_false(noted(d, "Compare driver"));
	free(d);
}

static void test_render(void **state)
{
	struct cg_doctor *d = calloc(1, sizeof(*d));
	const struct cg_jval *a;
	struct cg_jval *doc;
	char *buf = NULL, *line, *save = NULL, err[128];
	size_t len = 0;
	FILE *f;

	assert_non_null(d);
	healthy(d);
	cg_doctor_notes(d);
	f = open_memstream(&buf, &len);
	cg_doctor_render_text(f, d);
	fclose(f);
	assert_non_null(strstr(buf, "device    eth1 (ifindex 3, MTU 1500): driver i40e 2.14.13, "
			       "firmware 8.30\n          0x8000af86, bus -\n"));
	assert_non_null(strstr(buf, "          tx-udp_tnl-csum-segmentation   on\n"));
	assert_non_null(strstr(buf, "          tx-checksum-ipv4               off [fixed]\n"));
	assert_non_null(strstr(buf, "XDP       native: yes, multi-buffer (rx-sg): yes; the driver's "
			       "XDP features:\n          basic, redirect, rx-sg\n"));
	assert_non_null(strstr(buf, "overlays  vxlan.calico: vxlan 4096, port 4789, over eth1, outer "
			       "checksum IPv4\n          computed (udpcsum)\n"));
	assert_non_null(strstr(buf, "csumguard nothing attached to eth1 with this pin dir"));
	assert_non_null(strstr(buf, "notes     1.  "));
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (strlen(line) > 80)
			fail_msg("line over 80 columns: '%s'", line);
	free(buf);

	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_int_equal(cg_doctor_render_json(f, d), 0);
	fclose(f);
	assert_int_equal(cg_json_parse(buf, &doc, err, sizeof(err)), 0);
	assert_string_equal(cg_jget(doc, "name")->s, "eth1");
	assert_string_equal(cg_jget(cg_jget(doc, "driver"), "firmware")->s, "8.30 0x8000af86");
	a = cg_jget(doc, "features");
	assert_int_equal(a->n, CG_FEATURE_MAX);
	assert_string_equal(cg_jget(&a->kids[1], "name")->s, "tx-udp_tnl-csum-segmentation");
	assert_int_equal(cg_jget(&a->kids[1], "on")->b, 1);
	assert_int_equal(cg_jget(&a->kids[1], "fixed")->b, 0);
	assert_int_equal(cg_jget(cg_jget(doc, "xdp"), "native")->b, 1);
	assert_int_equal(cg_jget(cg_jget(doc, "xdp"), "features")->n, 3);
	a = cg_jget(doc, "overlays");
	assert_int_equal(a->n, 1);
	assert_int_equal(cg_jget(&a->kids[0], "udpcsum")->b, 1);
	assert_int_equal(cg_jget(&a->kids[0], "over_this_interface")->b, 1);
	assert_int_equal(cg_jget(doc, "notes")->n, d->nnotes);
	cg_jval_free(doc);
	free(buf);
	free(d);
}

/* Issue 13: the per-node tables' capacity and kernel memory, text and JSON. */
static void test_render_tables(void **state)
{
	struct cg_doctor *d = calloc(1, sizeof(*d));
	char *buf = NULL, *line, *save, err[256];
	const struct cg_jval *cg;
	struct cg_jval *doc;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_non_null(d);
	healthy(d);
	d->cg.state = 1;
	d->cg.has_ingress = d->cg.has_egress = 1;
	d->cg.src_max = 122876;
	d->cg.src_bytes = 33554176;
	d->cg.dst_max = 103474;
	d->cg.dst_bytes = 0;		/* the kernel did not say */
	d->cg.ncpus = 2;
	cg_doctor_notes(d);
	f = open_memstream(&buf, &len);
	cg_doctor_render_text(f, d);
	fclose(f);
	assert_non_null(strstr(buf, "tables 122876 sources in 32 MiB, 103474 destinations in ?"));
	assert_non_null(strstr(buf, "          memory: a value per source and possible CPU (2 here); "
			       "attach --memory\n          sizes them\n"));
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (strlen(line) > 80)
			fail_msg("line over 80 columns: '%s'", line);
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_int_equal(cg_doctor_render_json(f, d), 0);
	fclose(f);
	assert_int_equal(cg_json_parse(buf, &doc, err, sizeof(err)), 0);
	cg = cg_jget(doc, "csumguard");
	assert_non_null(cg);
	assert_string_equal(cg_jget(cg, "sources_max")->s, "122876");
	assert_string_equal(cg_jget(cg, "sources_memory_bytes")->s, "33554176");
	assert_string_equal(cg_jget(cg, "destinations_max")->s, "103474");
	assert_int_equal(cg_jget(cg, "destinations_memory_bytes")->t, CG_J_NULL);
	assert_string_equal(cg_jget(cg, "possible_cpus")->s, "2");
	cg_jval_free(doc);
	free(buf);
	free(d);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notes),
		cmocka_unit_test(test_render_tables),
		cmocka_unit_test(test_render),
	};

	return CG_UNIT_RUN(tests, argc, argv);
}
