// SPDX-License-Identifier: GPL-2.0
/*
 * sendraw - sends crafted frames into an interface with AF_PACKET, and says
 * what csumguard must count for them. TEST ONLY (selftests/e2e).
 *
 * The lab has no 802.1Q, Geneve or GUE devices (SPEC 7), so frames the
 * kernel cannot make are built here with selftests/pkt.h and sent raw into
 * one end of a veth pair; the XDP program on the other end sees them before
 * the stack drops them. The expectation is computed by running the very
 * same bytes through the reference verifier (ref/refcheck.h), never by
 * reading csumguard.
 *
 *   sendraw [--expect] [--egress] [--port KIND:PORT]... [--count N]
 *           [--mode monitor|drop] [--list] IFACE|- [CASE|GROUP]...
 *
 * Without --expect the frames are sent; either way a JSON summary of the
 * reference verdicts is printed on stdout:
 *   {"frames":N, "bytes":B, "kinds":{...}, "verdicts":{...}, "dropped":D,
 *    "sources":{"ADDR":{"packets","bytes","ok",...,"unparsed","dropped"}},
 *    "cases":[{"name","count","len","kind","verdict","src"}]}
 * Every case has its own source address (10.77.0.K, fd77::K), so the
 * per-source counters of csumguard can be compared case by case.
 *
 * --egress: the frames are also what csumguard's TC egress program must see
 * when they are sent out of the interface it is attached to (an AF_PACKET
 * send goes through dev_queue_xmit, so through clsact egress). Every case
 * then also has its own destination address (10.78.0.K, fd78::K; without
 * --egress all go to 10.0.0.2 / fd00::2), and the JSON gets the egress rule
 * of the reference verifier (cg_ref_egress_classify) beside the above:
 *   "egress_kinds": {"not_tunnel","unparsed","tunnel"},
 *   "egress_states": {"final_ok","final_bad","offloaded","zero","fragment","malformed"},
 *   "egress_dropped": D, "egress_refused": R,
 *   "egress_destinations": {"ADDR": {"packets","bytes","final_ok",...,"malformed","dropped"}},
 * and each case gets "egress_state" ("" unless kind tunnel) and "dst".
 * With --mode drop the egress filter drops final_bad frames in
 * dev_queue_xmit, so their send() fails with ENOBUFS: with --egress that is
 * expected for exactly the frames the reference drops and counted as
 * "egress_refused" (any other send failure is still an error).
 * States count wire packets, bytes the frame length (skb->len). A frame sent
 * from user space is neither GSO nor CHECKSUM_PARTIAL, so it is classified
 * as a non-GSO skb (weight 1): the seed case counts "offloaded" by its bytes,
 * and the LCO rule applies to a wrong final value only if the reference
 * says so. Group "egress" selects cases covering every state (IPv4, IPv6,
 * VXLAN on 4789 and 8472, Geneve, one VLAN tag; no GUE, no jumbo frames,
 * which exceed a 1500-byte MTU on the way out).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "cg_wire.h"
#include "names.h"
#include "pkt.h"
#include "ports.h"
#include "addr.h"
#include "refcheck.h"

#define MAX_FRAME	9216
#define JUMBO_IP_LEN	9000	/* IP packet of a 9000-MTU jumbo frame */

struct tcase {
	const char *name;
	const char *groups;	/* space-separated groups it belongs to */
	int family;
	int vlan_tags;
	enum cg_encap encap;
	int gue_version;
	uint16_t dport;
	enum pkt_csum csum;
	size_t inner_len;	/* 0: default 64; JUMBO, JUMBO_ODD: see below */
	enum pkt_frag frag;
	int ulen_delta;		/* >0: UDP length field = real + delta; <0: 4 (malformed) */
	size_t trailer;
	int n_ext;		/* IPv6: hop-by-hop + destination options */
	int ipv4_opt_len;
};

#define JUMBO ((size_t)-1)		/* IP packet of JUMBO_IP_LEN bytes */
#define JUMBO_ODD ((size_t)-2)		/* one byte less: an odd-length datagram */
#define P_VX CG_PORT_VXLAN_IANA
#define P_GE CG_PORT_GENEVE
#define P_GUE PKT_GUE_PORT

/* Every class of SPEC 2, with a good and a bad twin where it matters. */
#define C(n, g, fam, tags, enc, port, cs, ...) \
	{ .name = n, .groups = g, .family = fam, .vlan_tags = tags, .encap = enc, \
	  .dport = port, .csum = cs, __VA_ARGS__ }
#define VX CG_ENCAP_VXLAN
#define GE CG_ENCAP_GENEVE
#define GUE CG_ENCAP_GUE
#define OK PKT_CSUM_VALID
#define BAD PKT_CSUM_VALUE
#define ZERO PKT_CSUM_ZERO
#define SEED PKT_CSUM_SEED
static const struct tcase cases[] = {
	C("v4_ok", "basic egress", 4, 0, VX, P_VX, OK),
	C("v4_bad", "basic bad egress", 4, 0, VX, P_VX, BAD),
	C("v4_zero", "basic zero egress", 4, 0, VX, P_VX, ZERO),
	C("v4_unfinished", "basic unfinished egress", 4, 0, VX, P_VX, SEED),
	C("v4_computes_zero", "basic egress", 4, 0, VX, P_VX, PKT_CSUM_COMPUTES_ZERO),
	C("v4_8472_ok", "basic egress", 4, 0, VX, CG_PORT_VXLAN_LINUX, OK),
	C("v4_options_ok", "basic egress", 4, 0, VX, P_VX, OK, .ipv4_opt_len = 12),
	C("v4_padding_ok", "basic egress", 4, 0, VX, P_VX, OK, .inner_len = 4, .trailer = 20),
	C("v4_odd_ok", "basic egress", 4, 0, VX, P_VX, OK, .inner_len = 63),
	C("v4_ulen_short", "malformed egress", 4, 0, VX, P_VX, OK, .ulen_delta = -1),
	C("v4_ulen_long", "malformed egress", 4, 0, VX, P_VX, OK, .ulen_delta = 9),
	C("v4_frag_first", "fragment egress", 4, 0, VX, P_VX, OK, .frag = PKT_FRAG_FIRST),
	C("v4_frag_later", "fragment egress", 4, 0, VX, P_VX, OK, .frag = PKT_FRAG_LATER),
	C("v4_not_tunnel", "basic egress", 4, 0, CG_ENCAP_NONE, 53, OK),
	C("vlan1_ok", "vlan egress", 4, 1, VX, P_VX, OK),
	C("vlan1_bad", "vlan bad egress", 4, 1, VX, P_VX, BAD),
	C("vlan2_ok", "vlan", 4, 2, VX, P_VX, OK),
	C("vlan2_bad", "vlan bad", 4, 2, VX, P_VX, BAD),
	C("vlan2_v6_unfinished", "vlan ipv6 unfinished", 6, 2, VX, P_VX, SEED),
	C("vlan3_unparsed", "vlan", 4, 3, VX, P_VX, BAD),
	C("geneve_ok", "geneve egress", 4, 0, GE, P_GE, OK),
	C("geneve_bad", "geneve bad egress", 4, 0, GE, P_GE, BAD),
	C("geneve_v6_ok", "geneve ipv6 egress", 6, 0, GE, P_GE, OK),
	C("gue0_ok", "gue", 4, 0, GUE, P_GUE, OK, .gue_version = 0),
	C("gue0_bad", "gue bad", 4, 0, GUE, P_GUE, BAD, .gue_version = 0),
	C("gue1_ok", "gue", 4, 0, GUE, P_GUE, OK, .gue_version = 1),
	C("gue1_bad", "gue bad", 4, 0, GUE, P_GUE, BAD, .gue_version = 1),
	C("gue1_v6_zero", "gue ipv6 zero", 6, 0, GUE, P_GUE, ZERO, .gue_version = 1),
	C("v6_ok", "ipv6 egress", 6, 0, VX, P_VX, OK),
	C("v6_bad", "ipv6 bad egress", 6, 0, VX, P_VX, BAD),
	C("v6_zero", "ipv6 zero egress", 6, 0, VX, P_VX, ZERO),
	C("v6_unfinished", "ipv6 unfinished egress", 6, 0, VX, P_VX, SEED),
	C("v6_ext_ok", "ipv6 egress", 6, 0, VX, P_VX, OK, .n_ext = 2),
	C("v6_ulen_long", "ipv6 malformed egress", 6, 0, VX, P_VX, OK, .ulen_delta = 1),
	C("v6_frag_first", "ipv6 fragment egress", 6, 0, VX, P_VX, OK, .frag = PKT_FRAG_FIRST),
	C("jumbo_ok", "jumbo", 4, 0, VX, P_VX, OK, .inner_len = JUMBO),
	C("jumbo_bad", "jumbo bad", 4, 0, VX, P_VX, BAD, .inner_len = JUMBO),
	C("jumbo_unfinished", "jumbo unfinished", 4, 0, VX, P_VX, SEED, .inner_len = JUMBO),
	C("jumbo_odd_ok", "jumbo geneve", 4, 0, GE, P_GE, OK, .inner_len = JUMBO_ODD),
	C("jumbo_v6_ok", "jumbo ipv6", 6, 0, VX, P_VX, OK, .inner_len = JUMBO),
	C("jumbo_v6_bad", "jumbo ipv6 bad", 6, 0, VX, P_VX, BAD, .inner_len = JUMBO),
	C("jumbo_gue1_ok", "jumbo gue", 4, 0, GUE, P_GUE, OK, .gue_version = 1,
	  .inner_len = JUMBO),
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

struct counts {
	uint64_t packets, bytes, dropped, unparsed;
	uint64_t verdict[CG_VERDICT_MAX];
};

struct ecounts {
	uint64_t packets, bytes, dropped;
	uint64_t state[CG_EGRESS_STATE_MAX];
};

struct result {
	struct cg_ref_result ref;
	struct cg_ref_egress eg;
	size_t len;
	char src[INET6_ADDRSTRLEN];
	char dst[INET6_ADDRSTRLEN];
};

static bool egress_dsts;	/* --egress: a destination address per case */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: sendraw [--expect] [--egress] [--port KIND:PORT]... [--count N]\n"
		"               [--mode monitor|drop] [--list] IFACE|- [CASE|GROUP|all]...\n"
		"  Sends crafted tunnel frames (built by selftests/pkt.c) into IFACE with\n"
		"  AF_PACKET and prints, as JSON, what the reference verifier says about\n"
		"  them. --expect (or IFACE '-') only prints, sends nothing. --port adds a\n"
		"  tunnel port to the verifier's table as csumguard attach --port does.\n"
		"  --egress adds the verifier's TC egress expectation (frames sent out of\n"
		"  IFACE pass its clsact egress) and gives every case its own destination.\n"
		"  Default cases: all. --list shows cases and groups.\n");
}

/* Fills s for case k, copy i. Returns the frame length or 0. */
static size_t build_case(uint8_t *buf, size_t cap, size_t k, unsigned i)
{
	const struct tcase *c = &cases[k];
	struct pkt_spec s;
	struct pkt_layout lay;
	char a[64];
	size_t len;

	pkt_spec_init(&s, c->family);
	if (c->family == 4)
		snprintf(a, sizeof(a), "10.77.0.%zu", k + 1);
	else
		snprintf(a, sizeof(a), "fd77::%zx", k + 1);
	pkt_addr(s.saddr, c->family, a);
	if (egress_dsts) {
		if (c->family == 4)
			snprintf(a, sizeof(a), "10.78.0.%zu", k + 1);
		else
			snprintf(a, sizeof(a), "fd78::%zx", k + 1);
		pkt_addr(s.daddr, c->family, a);
	}
	s.vlan_tags = c->vlan_tags;
	s.encap = c->encap;
	s.gue_version = c->gue_version;
	s.dport = c->dport;
	s.sport = (uint16_t)(40000 + i);
	s.csum = c->csum;
	s.frag = c->frag;
	s.trailer = c->trailer;
	s.ipv4_opt_len = c->ipv4_opt_len;
	s.seed = (uint32_t)(k * 1000 + i);
	if (c->family == 6 && c->n_ext) {
		s.ipv6_ext[0] = CG_IPPROTO_HOPOPTS;
		s.ipv6_ext[1] = CG_IPPROTO_DSTOPTS;
		s.n_ipv6_ext = c->n_ext;
	}
	if (c->inner_len == JUMBO || c->inner_len == JUMBO_ODD) {
		/* First build with no payload to learn the header sizes. */
		s.inner_len = 0;
		if (!pkt_build(buf, cap, &s, &lay))
			return 0;
		s.inner_len = JUMBO_IP_LEN - (lay.ip_end - lay.l3) - (c->inner_len == JUMBO_ODD);
	} else if (c->inner_len) {
		s.inner_len = c->inner_len;
	}
	if (c->csum == PKT_CSUM_VALUE) {
		/* A wrong value: the right one plus 1 + i (never 0, never the seed
		 * unless by accident, which the reference verifier would show). */
		struct pkt_spec v = s;

		v.csum = PKT_CSUM_VALID;
		if (!pkt_build(buf, cap, &v, &lay))
			return 0;
		s.csum_value = (uint16_t)(lay.csum + 1 + i);
		if (s.csum_value == 0)
			s.csum_value = 1;
	}
	len = pkt_build(buf, cap, &s, &lay);
	if (len && c->ulen_delta) {
		/* The builder writes the UDP length after summing: malformed. */
		s.ulen_override = c->ulen_delta < 0 ? 4 : (int)lay.udp_len + c->ulen_delta;
		len = pkt_build(buf, cap, &s, &lay);
	}
	return len;
}

static bool in_groups(const struct tcase *c, const char *g)
{
	size_t n = strlen(g);
	const char *p = c->groups;

	if (!strcmp(g, "all") || !strcmp(g, c->name))
		return true;
	while ((p = strstr(p, g))) {
		if ((p == c->groups || p[-1] == ' ') && (p[n] == ' ' || p[n] == 0))
			return true;
		p += n;
	}
	return false;
}

/* --port KIND:PORT, parsed as the command parses it (lib/ports.c). */
static int parse_port(struct cg_ref_config *cfg, const char *arg, char *err, size_t errlen)
{
	struct cg_port_spec p;

	if (cg_parse_port_spec(arg, &p, err, errlen))
		return -1;
	cfg->port_encap[p.port] = (uint8_t)p.encap;
	return 0;
}

static void print_counts(const struct counts *c)
{
	int v;

	printf("{\"packets\": %llu, \"bytes\": %llu", (unsigned long long)c->packets,
	       (unsigned long long)c->bytes);
	for (v = 0; v < CG_VERDICT_MAX; v++)
		printf(", \"%s\": %llu", cg_verdict_name((enum cg_verdict)v),
		       (unsigned long long)c->verdict[v]);
	printf(", \"unparsed\": %llu, \"dropped\": %llu}", (unsigned long long)c->unparsed,
	       (unsigned long long)c->dropped);
}

static void print_ecounts(const struct ecounts *c)
{
	int s;

	printf("{\"packets\": %llu, \"bytes\": %llu", (unsigned long long)c->packets,
	       (unsigned long long)c->bytes);
	for (s = 0; s < CG_EGRESS_STATE_MAX; s++)
		printf(", \"%s\": %llu", cg_egress_state_name((enum cg_egress_state)s),
		       (unsigned long long)c->state[s]);
	printf(", \"dropped\": %llu}", (unsigned long long)c->dropped);
}

int main(int argc, char **argv)
{
	static struct cg_ref_config cfg;
	static uint8_t buf[MAX_FRAME];
	static struct counts per_case[NCASES];
	static struct ecounts eper_case[NCASES];
	static struct result res[NCASES];
	bool expect = false, list = false, sel[NCASES] = { false };
	uint64_t kinds[CG_IFACE_COUNTER_MAX] = { 0 }, verdicts[CG_VERDICT_MAX] = { 0 };
	uint64_t frames = 0, bytes = 0, dropped = 0;
	uint64_t ekinds[CG_IFACE_COUNTER_MAX] = { 0 }, estates[CG_EGRESS_STATE_MAX] = { 0 };
	uint64_t edropped = 0, erefused = 0;
	bool egress = false;
	unsigned count = 5, i;
	const char *ifname;
	char perr[256];
	int fd = -1, opt, a, v, nsel = 0;
	size_t k;
	static const struct option opts[] = {
		{ "expect", no_argument, NULL, 'e' },
		{ "egress", no_argument, NULL, 'E' },
		{ "port", required_argument, NULL, 'p' },
		{ "count", required_argument, NULL, 'c' },
		{ "mode", required_argument, NULL, 'm' },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};

	cg_ref_config_default(&cfg);
	while ((opt = getopt_long(argc, argv, "eEp:c:m:lh", opts, NULL)) != -1) {
		switch (opt) {
		case 'e':
			expect = true;
			break;
		case 'E':
			egress = egress_dsts = true;
			break;
		case 'p':
			if (parse_port(&cfg, optarg, perr, sizeof(perr))) {
				fprintf(stderr, "sendraw: %s\n", perr);
				return 2;
			}
			break;
		case 'c':
			count = (unsigned)strtoul(optarg, NULL, 10);
			if (count < 1 || count > 100000) {
				fprintf(stderr, "sendraw: --count must be 1..100000\n");
				return 2;
			}
			break;
		case 'm':
			if (cg_mode_from_name(optarg) < 0) {
				fprintf(stderr, "sendraw: --mode monitor|drop\n");
				return 2;
			}
			cfg.mode = (enum cg_mode)cg_mode_from_name(optarg);
			break;
		case 'l':
			list = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (list) {
		for (k = 0; k < NCASES; k++)
			printf("%-22s %s\n", cases[k].name, cases[k].groups);
		return 0;
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	ifname = argv[optind++];
	if (!strcmp(ifname, "-"))
		expect = true;
	for (a = optind; a < argc; a++) {
		bool any = false;

		for (k = 0; k < NCASES; k++)
			if (in_groups(&cases[k], argv[a])) {
				sel[k] = true;
				any = true;
			}
		if (!any) {
			fprintf(stderr, "sendraw: no case or group '%s' (see --list)\n", argv[a]);
			return 2;
		}
	}
	for (k = 0; k < NCASES; k++)
		nsel += sel[k];
	if (!nsel)
		for (k = 0; k < NCASES; k++)
			sel[k] = true;

	if (!expect && (fd = pkt_raw_open("sendraw", ifname, NULL)) < 0)
		return 1;

	/* Copies interleaved (case 0..n, then again) so no case is sent in one burst. */
	for (i = 0; i < count; i++) {
		for (k = 0; k < NCASES; k++) {
			struct cg_ref_result r;
			struct cg_ref_egress e;
			size_t len;

			if (!sel[k])
				continue;
			len = build_case(buf, sizeof(buf), k, i);
			if (!len) {
				fprintf(stderr, "sendraw: case %s does not fit\n", cases[k].name);
				return 1;
			}
			cg_ref_classify(buf, len, &cfg, &r);
			/* Not CHECKSUM_PARTIAL, not GSO: one wire packet. */
			cg_ref_egress_classify(buf, len, &cfg, false, 0, &e);
			if (i == 0) {
				res[k].ref = r;
				res[k].eg = e;
				res[k].len = len;
				if (r.have_src && (r.kind == CG_IF_TUNNEL || r.kind == CG_IF_UNPARSED))
					cg_addr_str(&r.src, res[k].src, sizeof(res[k].src));
				if (e.kind == CG_IF_TUNNEL)
					cg_addr_str(&e.dst, res[k].dst, sizeof(res[k].dst));
			} else if (r.kind != res[k].ref.kind || r.verdict != res[k].ref.verdict ||
				   e.kind != res[k].eg.kind || e.state != res[k].eg.state) {
				/* Copies differ only in ports and payload; the verdict
				 * must not (a wrong value that hits the seed would). */
				fprintf(stderr, "sendraw: case %s copy %u classifies differently\n",
					cases[k].name, i);
			}
			if (fd >= 0) {
				ssize_t n = send(fd, buf, len, 0);

				if (n < 0 && errno == ENOBUFS && egress && e.drop) {
					erefused++;	/* the egress filter dropped it */
				} else if (n != (ssize_t)len) {
					fprintf(stderr, "sendraw: send %s (%zu bytes) on %s: %s\n",
						cases[k].name, len, ifname,
						n < 0 ? strerror(errno) : "short write");
					return 1;
				}
			}
			frames++;
			bytes += len;
			if (r.kind < CG_IFACE_COUNTER_MAX)
				kinds[r.kind]++;
			if (r.drop)
				dropped++;
			if (r.kind == CG_IF_TUNNEL) {
				verdicts[r.verdict]++;
				per_case[k].packets++;
				per_case[k].bytes += len;
				per_case[k].verdict[r.verdict]++;
				per_case[k].dropped += r.drop;
			} else if (r.kind == CG_IF_UNPARSED && r.have_src) {
				/* counted for its source, never judged (issue 6) */
				per_case[k].unparsed++;
				per_case[k].dropped += r.drop;
			}
			if (e.kind < CG_IFACE_COUNTER_MAX)
				ekinds[e.kind]++;
			if (e.kind == CG_IF_TUNNEL) {
				estates[e.state] += e.weight;
				edropped += e.drop;
				eper_case[k].packets += e.weight;
				eper_case[k].bytes += len;
				eper_case[k].state[e.state] += e.weight;
				eper_case[k].dropped += e.drop;
			}
		}
	}
	if (fd >= 0)
		close(fd);

	printf("{\"sent\": %s, \"frames\": %llu, \"bytes\": %llu, \"dropped\": %llu,\n",
	       expect ? "false" : "true", (unsigned long long)frames, (unsigned long long)bytes,
	       (unsigned long long)dropped);
	printf(" \"kinds\": {");
	for (v = 0, a = 0; v < CG_IFACE_COUNTER_MAX; v++) {
		if (v != CG_IF_NOT_TUNNEL && v != CG_IF_UNPARSED && v != CG_IF_TUNNEL)
			continue;
		printf("%s\"%s\": %llu", a++ ? ", " : "",
		       cg_iface_counter_name((enum cg_iface_counter)v),
		       (unsigned long long)kinds[v]);
	}
	printf("},\n \"verdicts\": {");
	for (v = 0; v < CG_VERDICT_MAX; v++)
		printf("%s\"%s\": %llu", v ? ", " : "", cg_verdict_name((enum cg_verdict)v),
		       (unsigned long long)verdicts[v]);
	printf("},\n \"sources\": {");
	for (k = 0, a = 0; k < NCASES; k++) {
		if (!sel[k] || (!per_case[k].packets && !per_case[k].unparsed))
			continue;
		printf("%s\n  \"%s\": ", a++ ? "," : "", res[k].src);
		print_counts(&per_case[k]);
	}
	printf("},\n");
	if (egress) {
		printf(" \"egress_kinds\": {");
		for (v = 0, a = 0; v < CG_IFACE_COUNTER_MAX; v++) {
			if (v != CG_IF_NOT_TUNNEL && v != CG_IF_UNPARSED && v != CG_IF_TUNNEL)
				continue;
			printf("%s\"%s\": %llu", a++ ? ", " : "",
			       cg_iface_counter_name((enum cg_iface_counter)v),
			       (unsigned long long)ekinds[v]);
		}
		printf("},\n \"egress_states\": {");
		for (v = 0; v < CG_EGRESS_STATE_MAX; v++)
			printf("%s\"%s\": %llu", v ? ", " : "",
			       cg_egress_state_name((enum cg_egress_state)v),
			       (unsigned long long)estates[v]);
		printf("},\n \"egress_dropped\": %llu, \"egress_refused\": %llu,\n"
		       " \"egress_destinations\": {",
		       (unsigned long long)edropped, (unsigned long long)erefused);
		for (k = 0, a = 0; k < NCASES; k++) {
			if (!sel[k] || !eper_case[k].packets)
				continue;
			printf("%s\n  \"%s\": ", a++ ? "," : "", res[k].dst);
			print_ecounts(&eper_case[k]);
		}
		printf("},\n");
	}
	printf(" \"cases\": [");
	for (k = 0, a = 0; k < NCASES; k++) {
		if (!sel[k])
			continue;
		printf("%s\n  {\"name\": \"%s\", \"count\": %u, \"len\": %zu, \"kind\": \"%s\", "
		       "\"verdict\": \"%s\", \"src\": \"%s\"",
		       a++ ? "," : "", cases[k].name, count, res[k].len,
		       cg_iface_counter_name(res[k].ref.kind),
		       res[k].ref.kind == CG_IF_TUNNEL ? cg_verdict_name(res[k].ref.verdict) : "",
		       res[k].src);
		if (egress)
			printf(", \"egress_state\": \"%s\", \"dst\": \"%s\"}",
			       res[k].eg.kind == CG_IF_TUNNEL ?
			       cg_egress_state_name(res[k].eg.state) : "", res[k].dst);
		else
			printf("}");
	}
	printf("\n]}\n");
	return 0;
}
