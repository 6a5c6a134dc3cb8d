// SPDX-License-Identifier: GPL-2.0
/*
 * metrics_bench.c - what per-source series cost the agent (issue 9): fills
 * an attached interface's pinned per-source table with N sources (a share
 * of them with bad checksums, the rest clean), then serves it with the
 * agent's own code (lib/agent.c, lib/agent_http.c) and scrapes /metrics
 * over HTTP on loopback 100 times per --metrics-sources mode: the series
 * count and the scrape time p50 / p99 of each. scripts/metrics-bench.sh
 * (make bench-metrics) makes the interface and runs it.
 *
 *   metrics_bench PIN_DIR IFACE [-n SOURCES] [-b BAD] [-s SCRAPES] [-m MODE]... [-f]
 *   -f: fill only (the e2e textfile test uses a big table too)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "agent.h"
#include "err.h"
#include "maps.h"
#include "metrics.h"
#include "pins.h"

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Source i: 10.200.i/256.i%256 (i < 65536). Every (n/bad)-th one sends
 * bad checksums. Values go to CPU 0's slot; the others stay 0. */
static int fill(const char *pin_dir, const char *ifname, unsigned int n, unsigned int bad)
{
	char path[PATH_MAX];
	int ncpus = cg_ncpus(), fd, rfd, e;
	struct cg_src_stats rare;
	struct cg_src_hot *v;
	struct cg_addr a;
	unsigned int i, every = bad ? n / bad : 0;
	uint8_t ip[4] = { 10, 200, 0, 0 };

	cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_INGRESS, CG_PIN_SRC_RARE);
	rfd = cg_map_open(path);
	cg_dir_path(path, sizeof(path), pin_dir, ifname, CG_DIR_INGRESS, CG_PIN_SRC);
	fd = cg_map_open(path);
	if (fd < 0 || rfd < 0) {
		fprintf(stderr, "metrics_bench: cannot open %s(_rare): %s; attach %s first\n",
			path, strerror(fd < 0 ? -fd : -rfd), ifname);
		if (fd >= 0)
			close(fd);
		if (rfd >= 0)
			close(rfd);
		return -1;
	}
	v = calloc((size_t)ncpus, sizeof(*v));
	if (!v)
		return -1;
	for (i = 0; i < n; i++) {
		ip[2] = (uint8_t)(i >> 8);
		ip[3] = (uint8_t)i;
		cg_addr_from_v4(&a, ip);
		memset(v, 0, sizeof(*v) * (size_t)ncpus);
		memset(&rare, 0, sizeof(rare));
		v[0].ok = 10000 + i;
		if (every && i % every == 0) {
			/* the bad frames: the shared part of the row */
			rare.verdict[CG_V_BAD] = rare.packets = 30 + i % 7;
			rare.bytes = rare.packets * 150;
			v[0].ok -= rare.packets;
			if (bpf_map_update_elem(rfd, &a, &rare, BPF_ANY))
				fprintf(stderr, "metrics_bench: %s_rare: update: %s\n", path,
					strerror(errno));
		}
		v[0].bytes = v[0].ok * 150;
		if ((e = bpf_map_update_elem(fd, &a, v, BPF_ANY))) {
			fprintf(stderr, "metrics_bench: %s: update: %s (a table of fewer than %u "
				"rows? attach --sources %u)\n", path, strerror(errno), n, n);
			close(fd);
			close(rfd);
			free(v);
			return -1;
		}
	}
	close(fd);
	close(rfd);
	free(v);
	return 0;
}

/* GET /metrics on 127.0.0.1:port; *series = lines that are samples. */
static int scrape(int port, size_t *series, size_t *bytes)
{
	static char buf[1 << 16];
	struct sockaddr_in s = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	const char req[] = "GET /metrics HTTP/1.0\r\n\r\n";
	int fd = socket(AF_INET, SOCK_STREAM, 0), body = 0, bol = 1;
	ssize_t r, i;
	size_t n = 0, total = 0;
	char last[4] = { 0 };

	s.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&s, sizeof(s)) ||
	    write(fd, req, sizeof(req) - 1) != (ssize_t)(sizeof(req) - 1)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((r = read(fd, buf, sizeof(buf))) > 0) {
		total += (size_t)r;
		for (i = 0; i < r; i++) {
			if (!body) {	/* headers end at \r\n\r\n */
				memmove(last, last + 1, 3);
				last[3] = buf[i];
				body = !memcmp(last, "\r\n\r\n", 4);
				continue;
			}
			if (bol && buf[i] != '#' && buf[i] != '\n')
				n++;
			bol = buf[i] == '\n';
		}
	}
	close(fd);
	*series = n;
	*bytes = total;
	return body ? 0 : -1;
}

static int dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* A free port on loopback. */
static int free_port(void)
{
	struct sockaddr_in s = { .sin_family = AF_INET };
	socklen_t l = sizeof(s);
	int fd = socket(AF_INET, SOCK_STREAM, 0), p = -1;

	s.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && !bind(fd, (struct sockaddr *)&s, sizeof(s)) &&
	    !getsockname(fd, (struct sockaddr *)&s, &l))
		p = ntohs(s.sin_port);
	if (fd >= 0)
		close(fd);
	return p;
}

static int measure(const char *pin_dir, const char *mode, unsigned int scrapes)
{
	struct cg_agent_params p = { .pin_dir = pin_dir, .node = "bench", .version = "bench",
				     .sel.window_s = CG_METRICS_WINDOW_DEFAULT };
	char err[CG_ERRLEN], listen[32];
	struct cg_agent_http *h;
	struct cg_agent *a;
	double *t, t0;
	size_t series = 0, bytes = 0, s0 = 0;
	unsigned int i;
	int port = free_port();

	if (cg_metrics_parse_sources(mode, &p.sel, err, sizeof(err))) {
		fprintf(stderr, "metrics_bench: %s\n", err);
		return -1;
	}
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
	a = cg_agent_new(&p);
	t = calloc(scrapes, sizeof(*t));
	h = a && t ? cg_agent_http_start(a, listen, 3600, err, sizeof(err)) : NULL;
	if (!h) {
		fprintf(stderr, "metrics_bench: %s\n", a && t ? err : "out of memory");
		cg_agent_free(a);
		free(t);
		return -1;
	}
	for (i = 0; i < scrapes; i++) {
		t0 = now_s();
		if (scrape(port, &series, &bytes)) {
			fprintf(stderr, "metrics_bench: scrape %u of %s failed\n", i, listen);
			break;
		}
		t[i] = now_s() - t0;
		if (i && series != s0)
			fprintf(stderr, "metrics_bench: the series count moved: %zu, then %zu\n",
				s0, series);
		s0 = series;
	}
	cg_agent_http_stop(h);
	cg_agent_free(a);
	if (i < scrapes) {
		free(t);
		return -1;
	}
	qsort(t, scrapes, sizeof(*t), dcmp);
	printf("%-14s %8zu series %10zu bytes   scrape p50 %8.2f ms   p99 %8.2f ms   (%u scrapes)\n",
	       mode, series, bytes, 1e3 * t[(scrapes - 1) / 2],
	       1e3 * t[(size_t)((scrapes - 1) * 0.99 + 0.5)], scrapes);
	free(t);
	return 0;
}

int main(int argc, char **argv)
{
	const char *modes[8], *pin_dir, *ifname;
	unsigned int n = 16384, bad = 16, scrapes = 100;
	int nm = 0, only_fill = 0, c, i;

	while ((c = getopt(argc, argv, "n:b:s:m:f")) != -1) {
		switch (c) {
		case 'n': n = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 'b': bad = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 's': scrapes = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 'm': if (nm < 8) modes[nm++] = optarg; break;
		case 'f': only_fill = 1; break;
		default: goto usage;
		}
	}
	if (argc - optind != 2 || !n || n > 65536 || bad > n || !scrapes)
		goto usage;
	pin_dir = argv[optind];
	ifname = argv[optind + 1];
	if (!nm) {
		modes[nm++] = "all";
		modes[nm++] = "nonok";
	}
	if (fill(pin_dir, ifname, n, bad))
		return 1;
	if (only_fill)
		return 0;
	printf("%u sources in %s's table, %u of them with bad checksums; scraped over HTTP on "
	       "loopback\n", n, ifname, bad);
	for (i = 0; i < nm; i++)
		if (measure(pin_dir, modes[i], scrapes))
			return 1;
	return 0;
usage:
	fprintf(stderr, "usage: metrics_bench PIN_DIR IFACE [-n SOURCES (1..65536)] [-b BAD] "
		"[-s SCRAPES] [-m all|nonok|top:K]... [-f]\n");
	return 2;
}
