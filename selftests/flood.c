// SPDX-License-Identifier: GPL-2.0
/*
 * flood - sends one VXLAN frame from each of COUNT spoofed source addresses
 * into an interface with AF_PACKET, as fast as the interface takes them, and
 * says what csumguard and the receiving kernel must count for them. TEST
 * ONLY (selftests/e2e/t50_crash.sh): the 100 000-source flood, which Python
 * sends too slowly.
 *
 *   flood [--count N] [--src ADDR] [--bad-every K] [--block ADDR]...
 *         [--mode monitor|drop] [--dst-mac MAC] [--expect] IFACE DST_ADDR
 *
 * Frame i comes from ADDR + i (IPv4: the address as a number; IPv6: its last
 * 32 bits), goes to DST_ADDR port 4789 (VXLAN, VNI 99: no device of the lab
 * has it, so the receiving kernel drops it after its UDP checksum check) and
 * carries the right outer UDP checksum, or a wrong one for every K-th frame
 * (i % K == K - 1). Frames are built by selftests/pkt.c and each is judged by
 * the reference verifier (ref/refcheck.h) with the default port table, the
 * given mode and blocklist (--block, tunnel scope): the expectation never
 * comes from csumguard.
 *
 * Sending: a frame the interface refuses (ENOBUFS: the veth peer's XDP ring
 * is full) is sent again after 20 us, so every frame counted as sent was
 * handed to the peer; "refused" says how often that happened.
 *
 * Output (one JSON object):
 *   {"sent": N, "sources": N, "bytes": B, "refused": R, "seconds": S,
 *    "verdicts": {"ok": .., "bad": .., ...}, "dropped": D,
 *    "kernel_udp": U, "kernel_csum_errors": E,
 *    "blocked": {"ADDR": {"packets": .., "ok": .., "bad": .., "dropped": ..}}}
 * kernel_udp: frames csumguard passes with a valid checksum (the receiving
 * kernel's Udp InDatagrams grows by them); kernel_csum_errors: frames it
 * passes with a wrong one (Udp InCsumErrors). blocked: per --block address
 * that is among the sources, what its row must hold.
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
#include <time.h>
#include <unistd.h>
#include "cg_wire.h"
#include "names.h"
#include "pkt.h"
#include "addr.h"
#include "refcheck.h"

#define MAX_BLOCK	64
#define FLOOD_VNI	99
#define STALL_LIMIT_S	30	/* give up when the interface refuses for this long */

struct row {
	uint64_t packets, dropped;
	uint64_t verdict[CG_VERDICT_MAX];
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: flood [--count N] [--src ADDR] [--bad-every K] [--block ADDR]...\n"
		"             [--mode monitor|drop] [--dst-mac MAC] [--expect] IFACE DST_ADDR\n"
		"  Sends one VXLAN frame from each of N spoofed sources ADDR + i (default\n"
		"  100000 from 10.200.0.0) to DST_ADDR into IFACE, every K-th with a wrong\n"
		"  outer UDP checksum, and prints the reference verifier's expectation as\n"
		"  JSON. --expect only prints.\n");
}

/* a + i: IPv4 as a 32-bit number, IPv6 in its last 32 bits. */
static void addr_add(uint8_t out[16], const uint8_t base[16], int family, uint32_t i)
{
	size_t off = family == 4 ? 0 : 12;
	uint32_t v;

	memcpy(out, base, 16);
	memcpy(&v, out + off, 4);
	v = htonl(ntohl(v) + i);
	memcpy(out + off, &v, 4);
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
		return -1;
	for (i = 0; i < 6; i++) {
		if (b[i] > 255)
			return -1;
		mac[i] = (uint8_t)b[i];
	}
	return 0;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/*
 * Frame i into buf: built by pkt.c, then its VNI set to FLOOD_VNI and its
 * outer checksum computed anew (right, or wrong when bad: the right one plus
 * 1 + i % 251, never 0). Returns the length, 0 if it does not fit.
 */
static size_t build(uint8_t *buf, size_t cap, const struct pkt_spec *tmpl, uint32_t i, bool bad,
		    const uint8_t dmac[6], const uint8_t smac[6])
{
	struct pkt_spec s = *tmpl;
	struct pkt_layout lay;
	size_t alen = s.family == 4 ? 4 : 16, len;
	uint8_t *udp, *vx;
	uint16_t c;

	addr_add(s.saddr, tmpl->saddr, s.family, i);
	s.sport = (uint16_t)(40000 + i % 20000);
	s.seed = i;
	s.csum = PKT_CSUM_ZERO;
	len = pkt_build(buf, cap, &s, &lay);
	if (!len)
		return 0;
	udp = buf + lay.l4;
	vx = udp + CG_UDP_HLEN;
	vx[4] = (FLOOD_VNI >> 16) & 0xff;
	vx[5] = (FLOOD_VNI >> 8) & 0xff;
	vx[6] = FLOOD_VNI & 0xff;
	c = cg_ref_udp_csum(s.saddr, s.daddr, alen, udp, lay.udp_len);
	if (bad) {
		c = (uint16_t)(c + 1 + i % 251);
		if (!c)
			c = 1;
	}
	put16(udp + 6, c);
	memcpy(buf, dmac, 6);
	memcpy(buf + 6, smac, 6);
	return len;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sends len bytes, again and again while the interface refuses them.
 * 0, or -1 (message printed). */
static int send_frame(int fd, const uint8_t *buf, size_t len, const char *ifname,
		      uint64_t *refused)
{
	struct timespec pause = { 0, 20 * 1000 };
	double stalled = 0;
	ssize_t n;

	for (;;) {
		n = send(fd, buf, len, 0);
		if (n == (ssize_t)len)
			return 0;
		if (n < 0 && (errno == ENOBUFS || errno == EAGAIN || errno == EBUSY)) {
			(*refused)++;
			if (!stalled)
				stalled = now_s();
			else if (now_s() - stalled > STALL_LIMIT_S) {
				fprintf(stderr, "flood: %s refused every frame for %d s (%s); is "
					"its peer receiving?\n", ifname, STALL_LIMIT_S,
					strerror(errno));
				return -1;
			}
			nanosleep(&pause, NULL);
			continue;
		}
		fprintf(stderr, "flood: send on %s: %s\n", ifname,
			n < 0 ? strerror(errno) : "short write");
		return -1;
	}
}

int main(int argc, char **argv)
{
	static struct cg_ref_block_entry blocks[MAX_BLOCK];
	static struct row brow[MAX_BLOCK];
	static struct cg_ref_config cfg;
	static uint8_t buf[2048];
	uint8_t dmac[6] = { 2, 0, 0, 0, 0, 2 }, smac[6] = { 2, 0, 0, 0, 0, 1 };
	uint64_t verdicts[CG_VERDICT_MAX] = { 0 }, sent = 0, bytes = 0, dropped = 0;
	uint64_t kernel_udp = 0, kernel_err = 0, refused = 0;
	uint32_t count = 100000, bad_every = 0, i;
	const char *ifname, *src = NULL;
	struct pkt_spec tmpl;
	bool expect = false;
	size_t nblocks = 0, b;
	double t0, secs;
	int fd = -1, opt, family, v, first;
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "src", required_argument, NULL, 's' },
		{ "bad-every", required_argument, NULL, 'b' },
		{ "block", required_argument, NULL, 'B' },
		{ "mode", required_argument, NULL, 'm' },
		{ "dst-mac", required_argument, NULL, 'd' },
		{ "expect", no_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};

	cg_ref_config_default(&cfg);
	while ((opt = getopt_long(argc, argv, "c:s:b:B:m:d:eh", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			count = (uint32_t)strtoul(optarg, NULL, 10);
			if (count < 1 || count > 10000000) {
				fprintf(stderr, "flood: --count must be 1..10000000\n");
				return 2;
			}
			break;
		case 's':
			src = optarg;
			break;
		case 'b':
			bad_every = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		case 'B':
			if (nblocks == MAX_BLOCK || cg_parse_addr(optarg, &blocks[nblocks].addr)) {
				fprintf(stderr, "flood: bad or too many --block '%s'\n", optarg);
				return 2;
			}
			nblocks++;
			break;
		case 'm':
			if (cg_mode_from_name(optarg) < 0) {
				fprintf(stderr, "flood: --mode monitor|drop\n");
				return 2;
			}
			cfg.mode = (enum cg_mode)cg_mode_from_name(optarg);
			break;
		case 'd':
			if (parse_mac(optarg, dmac)) {
				fprintf(stderr, "flood: bad --dst-mac '%s'\n", optarg);
				return 2;
			}
			break;
		case 'e':
			expect = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind != 2) {
		usage(stderr);
		return 2;
	}
	ifname = argv[optind];
	family = strchr(argv[optind + 1], ':') ? 6 : 4;
	if (!src)
		src = family == 4 ? "10.200.0.0" : "fd20::";
	if ((strchr(src, ':') ? 6 : 4) != family) {
		fprintf(stderr, "flood: --src %s and %s are not of one family\n", src,
			argv[optind + 1]);
		return 2;
	}
	pkt_spec_init(&tmpl, family);
	pkt_addr(tmpl.saddr, family, src);
	pkt_addr(tmpl.daddr, family, argv[optind + 1]);
	tmpl.inner_len = 64;
	cfg.blocks = blocks;
	cfg.nblocks = nblocks;

	if (!expect && (fd = pkt_raw_open("flood", ifname, smac)) < 0)
		return 1;

	t0 = now_s();
	for (i = 0; i < count; i++) {
		bool bad = bad_every && i % bad_every == bad_every - 1;
		struct cg_ref_result r;
		size_t len = build(buf, sizeof(buf), &tmpl, i, bad, dmac, smac);

		if (!len) {
			fprintf(stderr, "flood: frame %u does not fit\n", i);
			return 1;
		}
		cg_ref_classify(buf, len, &cfg, &r);
		if (r.kind != CG_IF_TUNNEL || r.verdict != (bad ? CG_V_BAD : CG_V_OK)) {
			fprintf(stderr, "flood: the reference verifier calls frame %u %s/%s, not "
				"tunnel/%s\n", i, cg_iface_counter_name(r.kind),
				cg_verdict_name(r.verdict), bad ? "bad" : "ok");
			return 1;
		}
		if (fd >= 0 && send_frame(fd, buf, len, ifname, &refused))
			return 1;
		sent++;
		bytes += len;
		verdicts[r.verdict]++;
		dropped += r.drop;
		if (!r.drop && r.verdict == CG_V_OK)
			kernel_udp++;
		else if (!r.drop)
			kernel_err++;
		for (b = 0; r.blocked && b < nblocks; b++) {
			if (memcmp(&blocks[b].addr, &r.src, sizeof(r.src)))
				continue;
			brow[b].packets++;
			brow[b].dropped += r.drop;
			brow[b].verdict[r.verdict]++;
		}
	}
	secs = now_s() - t0;
	if (fd >= 0)
		close(fd);

	printf("{\"sent\": %llu, \"sources\": %u, \"bytes\": %llu, \"refused\": %llu, "
	       "\"seconds\": %.2f,\n \"verdicts\": {", (unsigned long long)(expect ? 0 : sent),
	       count, (unsigned long long)bytes, (unsigned long long)refused, secs);
	for (v = 0; v < CG_VERDICT_MAX; v++)
		printf("%s\"%s\": %llu", v ? ", " : "", cg_verdict_name((enum cg_verdict)v),
		       (unsigned long long)verdicts[v]);
	printf("},\n \"dropped\": %llu, \"kernel_udp\": %llu, \"kernel_csum_errors\": %llu,\n"
	       " \"blocked\": {", (unsigned long long)dropped, (unsigned long long)kernel_udp,
	       (unsigned long long)kernel_err);
	for (b = 0, first = 1; b < nblocks; b++) {
		char a[CG_ADDR_STRLEN];

		if (!brow[b].packets)
			continue;
		cg_addr_str(&blocks[b].addr, a, sizeof(a));
		printf("%s\"%s\": {\"packets\": %llu, \"ok\": %llu, \"bad\": %llu, "
		       "\"dropped\": %llu}", first ? "" : ", ", a,
		       (unsigned long long)brow[b].packets,
		       (unsigned long long)brow[b].verdict[CG_V_OK],
		       (unsigned long long)brow[b].verdict[CG_V_BAD],
		       (unsigned long long)brow[b].dropped);
		first = 0;
	}
	printf("}}\n");
	return 0;
}
