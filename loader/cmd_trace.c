// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_trace.c - `csumguard trace`: the bad tunnel frames from the pinned
 * trace ring buffer of an interface (lib/trace.h), one line (or JSON
 * object) each, optionally into a pcapng file (lib/pcapng.h); at the end,
 * what the in-kernel rate limit held back while it ran.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "cmds.h"
#include "err.h"
#include "json_writer.h"
#include "maps.h"
#include "names.h"
#include "nodes.h"
#include "pcapng.h"
#include "pins.h"
#include "trace.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t clock_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct run {
	const struct cg_cli *cli;
	struct cg_nodes *nodes;
	FILE *pcap;
	unsigned long seen;
	int write_err;
};

static int on_event(const struct cg_trace_event *e, void *arg)
{
	struct run *r = arg;
	uint64_t unix_ns = cg_trace_unix_ns(e, clock_ns(CLOCK_BOOTTIME), clock_ns(CLOCK_REALTIME));
	char line[512];

	if (r->cli->json) {
		struct cg_json w;

		cg_json_init(&w, stdout);
		cg_trace_json(&w, e, unix_ns, r->nodes);
		if (cg_json_finish(&w))
			r->write_err = -EIO;
	} else {
		cg_trace_line(e, unix_ns, r->nodes, line, sizeof(line));
		printf("%s\n", line);
	}
	fflush(stdout);
	if (r->pcap) {
		cg_trace_comment(e, line, sizeof(line));
		if (cg_pcapng_packet(r->pcap, unix_ns, e->data, e->cap_len, e->frame_len, line))
			r->write_err = -EIO;
	}
	r->seen++;
	return r->cli->trace.count && r->seen >= r->cli->trace.count;
}

/* The interface: IFACE, or the one under PIN_DIR/ifaces with a trace. */
static int pick_iface(const struct cg_cli *cli, char *name, size_t len)
{
	char path[PATH_MAX], found[256] = "";
	struct dirent *d;
	int n = 0;
	DIR *dir;

	if (cli->trace.iface) {
		snprintf(name, len, "%s", cli->trace.iface);
		return 0;
	}
	snprintf(path, sizeof(path), "%s/" CG_PIN_IFACES, cli->pin_dir);
	dir = opendir(path);
	if (!dir)
		return cg_fail("no pinned state in %s: %s; attach csumguard first, or give "
			       "--pin-dir", cli->pin_dir, strerror(errno)), -1;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		cg_dir_path(path, sizeof(path), cli->pin_dir, d->d_name, CG_DIR_INGRESS,
			    CG_PIN_TRACE);
		if (access(path, F_OK))
			continue;
		if (!n++)
			snprintf(found, sizeof(found), "%s", d->d_name);
	}
	closedir(dir);
	if (n > 1)
		return cg_fail("%d interfaces have a trace ring buffer; name one: csumguard "
			       "trace IFACE", n), -1;
	if (!n)
		return cg_fail("no interface in %s has a trace ring buffer; attach csumguard "
			       "(this version) first", cli->pin_dir), -1;
	snprintf(name, len, "%s", found);
	return 0;
}

/* The interface's ingress totals (summed over CPUs), or -errno. */
static int read_totals(const struct cg_cli *cli, const char *ifname, struct cg_iface_stats *st)
{
	char path[PATH_MAX];
	int fd, e;

	cg_dir_path(path, sizeof(path), cli->pin_dir, ifname, CG_DIR_INGRESS, CG_PIN_IFACE);
	fd = cg_map_open(path);
	if (fd < 0)
		return fd;
	e = cg_iface_read(fd, st);
	close(fd);
	return e;
}

/* --unfinished: sets CG_CFG_TRACE_UNFINISHED (on = 1) or takes it back. */
static int set_unfinished(const struct cg_cli *cli, const char *ifname, int on, int *was)
{
	struct cg_config cfg;
	char path[PATH_MAX];
	int fd, e;

	cg_iface_path(path, sizeof(path), cli->pin_dir, ifname, CG_PIN_CONFIG);
	fd = cg_map_open(path);
	if (fd < 0)
		return fd;
	e = cg_config_read(fd, &cfg);
	if (!e && on)
		*was = !!(cfg.flags & CG_CFG_TRACE_UNFINISHED);
	if (!e && (on || !*was)) {
		cfg.flags = on ? cfg.flags | CG_CFG_TRACE_UNFINISHED :
			    cfg.flags & ~CG_CFG_TRACE_UNFINISHED;
		e = cg_config_write(fd, &cfg);
	}
	close(fd);
	return e;
}

int cmd_trace(const struct cg_cli *cli)
{
	struct cg_iface_stats before = {}, after = {};
	struct cg_trace_reader *rd = NULL;
	struct run r = { .cli = cli };
	char err[CG_ERRLEN], ifname[64];
	struct sigaction sa = { .sa_handler = on_signal };
	uint64_t start, deadline = 0;
	int e, ret = CG_EXIT_FAIL, was = 0, set = 0, have_before;

	if (cli->json)
		cg_fail_json(1);
	if ((e = cg_check_privileges(CG_NEED_BPF, "trace", err, sizeof(err))))
		return cg_fail("%s", err);
	if (pick_iface(cli, ifname, sizeof(ifname)))
		return CG_EXIT_FAIL;
	start = clock_ns(CLOCK_BOOTTIME);
	if (cli->trace.timeout)
		deadline = start + (uint64_t)cli->trace.timeout * 1000000000ull;
	if ((e = cg_trace_open(cli->pin_dir, ifname, start, on_event, &r, &rd, err,
			       sizeof(err))))
		return cg_fail("%s", err);
	if (cg_nodes_open(cli->pin_dir, &r.nodes, err, sizeof(err)))
		r.nodes = NULL;	/* names are a courtesy: addresses without them */
	have_before = !read_totals(cli, ifname, &before);
	if (cli->trace.pcap) {
		r.pcap = fopen(cli->trace.pcap, "wb");
		if (!r.pcap) {
			cg_fail("cannot write %s: %s; give a writable --pcap path",
				cli->trace.pcap, strerror(errno));
			goto out;
		}
		if (cg_pcapng_start(r.pcap, CG_TRACE_SNAP)) {
			cg_fail("cannot write %s: %s; check the disk", cli->trace.pcap,
				strerror(EIO));
			goto out;
		}
	}
	if (cli->trace.unfinished) {
		if ((e = set_unfinished(cli, ifname, 1, &was))) {
			cg_fail("cannot set --unfinished in %s's config: %s; run as root", ifname,
				strerror(-e));
			goto out;
		}
		set = 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (!cli->json)
		fprintf(stderr, "tracing bad tunnel frames on %s (Ctrl-C to stop)\n", ifname);
	while (!stop && !(cli->trace.count && r.seen >= cli->trace.count) && !r.write_err) {
		if (deadline && clock_ns(CLOCK_BOOTTIME) >= deadline)
			break;
		e = cg_trace_poll(rd, 200);
		if (e < 0) {
			cg_fail("reading the trace ring buffer of %s failed: %s; run it again",
				ifname, strerror(-e));
			goto out;
		}
	}
	if (r.write_err) {
		cg_fail("cannot write %s: %s; check the disk", r.pcap ? cli->trace.pcap : "stdout",
			strerror(-r.write_err));
		goto out;
	}
	ret = CG_EXIT_OK;
out:
	if (set)
		set_unfinished(cli, ifname, 0, &was);
	if (r.pcap && fclose(r.pcap) && ret == CG_EXIT_OK)
		ret = cg_fail("cannot write %s: %s; check the disk", cli->trace.pcap,
			      strerror(errno));
	if (ret == CG_EXIT_OK && have_before && !read_totals(cli, ifname, &after)) {
		uint64_t sup = after.c[CG_IF_TRACE_SUPPRESSED] - before.c[CG_IF_TRACE_SUPPRESSED];
		uint64_t lost = after.c[CG_IF_TRACE_LOST] - before.c[CG_IF_TRACE_LOST];

		if (cli->json) {
			struct cg_json w;

			cg_json_init(&w, stdout);
			cg_json_start_object(&w);
			cg_json_name(&w, "summary");
			cg_json_start_object(&w);
			cg_json_string_field(&w, "interface", ifname);
			cg_json_uint_field(&w, "events", r.seen);
			cg_json_uint_field(&w, cg_iface_counter_name(CG_IF_TRACE_SUPPRESSED), sup);
			cg_json_uint_field(&w, cg_iface_counter_name(CG_IF_TRACE_LOST), lost);
			cg_json_end_object(&w);
			cg_json_end_object(&w);
			if (cg_json_finish(&w))
				ret = CG_EXIT_FAIL;
		} else {
			fprintf(stderr, "%s: %lu events; not traced while it ran: %s %llu, %s "
				"%llu\n", ifname, r.seen,
				cg_iface_counter_name(CG_IF_TRACE_SUPPRESSED),
				(unsigned long long)sup, cg_iface_counter_name(CG_IF_TRACE_LOST),
				(unsigned long long)lost);
		}
	}
	cg_nodes_close(r.nodes);
	cg_trace_close(rd);
	return ret;
}
