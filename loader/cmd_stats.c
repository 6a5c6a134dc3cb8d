// SPDX-License-Identifier: GPL-2.0
/* cmd_stats.c - `csumguard stats`: reads the pinned maps, prints format.c's
 * table or JSON, once or every --watch seconds. */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "cli.h"
#include "cmds.h"
#include "format.h"
#include "maps.h"
#include "pins.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Everything a view points to, owned here. */
struct snap {
	struct cg_iface_view v;
	struct cg_where w;
	char name[IF_NAMESIZE];
	struct cg_port_spec ports[256];
	struct cg_src_row *rows;
};

static void snap_free(struct snap *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(s[i].rows);
	free(s);
}

/* Reads one interface's pinned state. 0 or -1 (message printed). */
static int read_iface(const struct cg_cli *cli, const char *ifname, uint32_t *encap,
		      struct snap *s)
{
	char path[PATH_MAX];
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	int fd, e, p;

	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", ifname);
	s->v.name = s->name;
	/* Never misread another layout (a reader does not move pins). */
	if (cg_pin_layout(cli->pin_dir, ifname) == 1)
		return cg_fail("%s: " CG_PIN_V1_HINT, ifname, ifname, ifname), -1;
	/* By the attachment record and map ids, not the name (cg_locate). */
	cg_locate(cli->pin_dir, ifname, &s->w);
	s->v.ifindex = s->w.ifindex;
	switch (s->w.state) {
	case CG_WHERE_HERE:
		s->v.attached = 1;
		s->v.xdp_mode = s->w.xdp_mode;
		s->v.dispatcher = s->w.dispatcher;
		s->v.ifname_now = s->w.renamed ? s->w.ifname_now : NULL;
		break;
	case CG_WHERE_ELSEWHERE:
		s->v.attached = 1;
		s->v.attached_note = s->w.where;
		break;
	case CG_WHERE_UNKNOWN:
		s->v.attached = -1;
		s->v.attached_note = s->w.why;
		break;
	case CG_WHERE_NONE:
		break;
	}

	cg_dir_path(path, sizeof(path), cli->pin_dir, ifname, CG_DIR_INGRESS, CG_PIN_IFACE);
	fd = cg_map_open(path);
	if (fd < 0)
		goto bad_pin;
	e = cg_iface_read(fd, &s->v.tot);
	close(fd);
	if (e)
		goto bad_read;

	cg_dir_path(path, sizeof(path), cli->pin_dir, ifname, CG_DIR_INGRESS, CG_PIN_SRC);
	fd = cg_map_open(path);
	if (fd < 0)
		goto bad_pin;
	if (!bpf_obj_get_info_by_fd(fd, &info, &len))
		s->v.sources_max = info.max_entries;
	e = cg_src_read_all(fd, &s->rows, &s->v.nrows);
	close(fd);
	if (e)
		goto bad_read;
	/* Only the datapath inserts into the LRU table: what it inserted and
	 * is no longer there was evicted (never silently, SPEC 2). */
	s->v.sources_present = s->v.nrows;
	if (s->v.tot.c[CG_IF_SRC_INSERTED] > s->v.sources_present)
		s->v.sources_evicted = s->v.tot.c[CG_IF_SRC_INSERTED] - s->v.sources_present;

	/* Blocked sources' rows, kept apart from the LRU; shown as one table. */
	cg_dir_path(path, sizeof(path), cli->pin_dir, ifname, CG_DIR_INGRESS, CG_PIN_SRC_KEPT);
	fd = cg_map_open(path);
	if (fd >= 0) {
		struct cg_src_row *kept = NULL;
		size_t nkept = 0;

		e = cg_src_read_all(fd, &kept, &nkept);
		close(fd);
		if (!e)
			e = cg_src_merge(&s->rows, &s->v.nrows, kept, nkept);
		free(kept);
		if (e)
			goto bad_read;
		s->v.sources_kept = nkept;
	} else if (fd != -ENOENT) {	/* absent: state from before issue 6 */
		goto bad_pin;
	}
	cg_sort_sources(s->rows, s->v.nrows, cli->stats.sort);
	s->v.rows = s->rows;

	cg_iface_path(path, sizeof(path), cli->pin_dir, ifname, CG_PIN_CONFIG);
	fd = cg_map_open(path);
	if (fd >= 0) {
		s->v.have_config = !cg_config_read(fd, &s->v.config);
		close(fd);
	}
	cg_iface_path(path, sizeof(path), cli->pin_dir, ifname, CG_PIN_PORTS);
	fd = cg_map_open(path);
	if (fd >= 0) {
		if (!cg_ports_read(fd, encap))
			for (p = 1; p < CG_PORT_TABLE_SIZE && s->v.nports < 256; p++)
				if (encap[p] != CG_ENCAP_NONE && encap[p] < CG_ENCAP_MAX) {
					s->ports[s->v.nports].port = (uint16_t)p;
					s->ports[s->v.nports].encap = (enum cg_encap)encap[p];
					s->v.nports++;
				}
		close(fd);
	}
	s->v.ports = s->ports;
	return 0;

bad_pin:
	if (fd == -ENOENT)
		return cg_fail("%s is missing (state of %s is incomplete); start afresh: "
			       "csumguard detach %s --purge", path, ifname, ifname), -1;
	return cg_fail("cannot open %s: %s; run as root", path, strerror(-fd)), -1;
bad_read:
	return cg_fail("cannot read %s: %s; run as root", path, strerror(-e)), -1;
}

/* One snapshot of every interface asked for. 0, or -1 (message printed). */
static int take(const struct cg_cli *cli, struct snap **out, size_t *n)
{
	char (*names)[16] = NULL;
	uint32_t *encap = NULL;
	size_t count = 0, i;
	struct snap *s;
	int e;

	*out = NULL;
	*n = 0;
	if (cli->stats.iface) {
		char dir[PATH_MAX];

		cg_iface_path(dir, sizeof(dir), cli->pin_dir, cli->stats.iface, NULL);
		if (!cg_exists(dir))
			return cg_fail("csumguard has no state for %s under %s; attach it first: "
				       "csumguard attach %s", cli->stats.iface, cli->pin_dir,
				       cli->stats.iface), -1;
		names = calloc(1, sizeof(*names));
		if (!names)
			return cg_fail("out of memory"), -1;
		snprintf(names[0], sizeof(names[0]), "%s", cli->stats.iface);
		count = 1;
	} else {
		e = cg_list_ifaces(cli->pin_dir, &names, &count);
		if (e)
			return cg_fail("cannot list %s/" CG_PIN_IFACES ": %s; run as root",
				       cli->pin_dir, strerror(-e)), -1;
	}
	s = calloc(count ? count : 1, sizeof(*s));
	encap = calloc(CG_PORT_TABLE_SIZE, sizeof(*encap));
	if (!s || !encap) {
		free(names);
		free(s);
		free(encap);
		return cg_fail("out of memory"), -1;
	}
	for (i = 0; i < count; i++) {
		if (read_iface(cli, names[i], encap, &s[i])) {
			snap_free(s, i + 1);
			free(names);
			free(encap);
			return -1;
		}
	}
	free(names);
	free(encap);
	*out = s;
	*n = count;
	return 0;
}

static int show(const struct cg_cli *cli, int first)
{
	struct cg_iface_view *views;
	uint64_t now = boot_ns();
	time_t now_unix = time(NULL);
	struct snap *s;
	size_t n, i;
	char when[64];

	if (take(cli, &s, &n))
		return -1;
	if (cli->json) {
		views = calloc(n ? n : 1, sizeof(*views));
		if (!views) {
			snap_free(s, n);
			return cg_fail("out of memory"), -1;
		}
		for (i = 0; i < n; i++)
			views[i] = s[i].v;
		cg_render_stats_json(stdout, views, n, now, (int64_t)now_unix);
		free(views);
	} else {
		if (cli->stats.watch) {
			if (isatty(STDOUT_FILENO))
				fputs("\033[H\033[2J", stdout);
			else if (!first)
				fputc('\n', stdout);
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&now_unix));
			printf("csumguard stats, %s, every %us (Ctrl-C stops)\n\n", when,
			       cli->stats.watch);
		}
		if (!n)
			printf("no interface has csumguard state under %s; %s\n", cli->pin_dir,
			       CG_STATE_HINT);
		for (i = 0; i < n; i++) {
			if (i)
				fputc('\n', stdout);
			cg_render_stats_table(stdout, &s[i].v, now);
		}
	}
	fflush(stdout);
	snap_free(s, n);
	return 0;
}

int cmd_stats(const struct cg_cli *cli)
{
	char err[CG_ERR_LEN];
	struct sigaction sa = { .sa_handler = on_signal };
	struct timespec ts;
	int mounted, e, first = 1;

	if (cg_check_privileges(CG_NEED_BPF, "stats", err, sizeof(err)))
		return cg_fail("%s", err);
	e = cg_pin_dir_ready(cli->pin_dir, 0, &mounted, NULL, err, sizeof(err));
	if (e < 0)
		return cg_fail("%s", err);
	if (e == 1 && cli->stats.iface)
		return cg_fail("csumguard has no state under %s (nothing attached); %s",
			       cli->pin_dir, CG_STATE_HINT);

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (;;) {
		if (show(cli, first))
			return CG_EXIT_FAIL;
		first = 0;
		if (!cli->stats.watch)
			break;
		ts.tv_sec = cli->stats.watch;
		ts.tv_nsec = 0;
		while (!stop && nanosleep(&ts, &ts) && errno == EINTR)
			;
		if (stop)
			break;
	}
	return CG_EXIT_OK;
}
