// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_stats.c - `csumguard stats`: takes lib/snapshot.c's snapshot (counts
 * since the --reset baseline with --since: lib/watch_baseline.c) and prints
 * format.c's tables or JSON once, or with --watch every SECONDS: the live
 * view of lib/watch.c on a terminal, timestamped lines otherwise, or one
 * JSON document a line.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "blocklist.h"
#include "cli.h"
#include "cmds.h"
#include "err.h"
#include "format.h"
#include "snapshot.h"
#include "watch.h"

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

/* One sample of the counters, as the options ask (--since: since the
 * baseline), rows sorted as --sort says. */
struct sample {
	struct cg_snapshot s;
	uint64_t ns;
	int64_t unix_s;
	int64_t since_unix;
};

static int take(const struct cg_cli *cli, struct sample *x)
{
	char err[CG_ERRLEN];
	size_t i;

	if (cg_snapshot_take(cli->pin_dir, cli->stats.iface, &x->s, err, sizeof(err)))
		return cg_fail("%s", err), -1;
	x->ns = boot_ns();
	x->unix_s = (int64_t)time(NULL);
	x->since_unix = 0;
	if (cli->stats.since &&
	    cg_baseline_apply(cli->pin_dir, &x->s, &x->since_unix, err, sizeof(err))) {
		cg_snapshot_free(&x->s);
		return cg_fail("%s", err), -1;
	}
	for (i = 0; i < x->s.n; i++) {
		cg_sort_sources(x->s.ifaces[i].rows, x->s.ifaces[i].v.nrows, cli->stats.sort);
		cg_sort_dests(x->s.ifaces[i].drows, x->s.ifaces[i].ev.ndrows, cli->stats.sort);
	}
	return 0;
}

static int write_failed(int e)
{
	return cg_fail("cannot write the stats to stdout: %s; check where the output goes (a "
		       "closed pipe, a full disk)", e ? "the writer failed" : strerror(errno));
}

struct json_arg {
	struct cg_iface_view *views;
	size_t n;
	const struct sample *x;
};

static int json_doc(FILE *f, void *arg)
{
	struct json_arg *a = arg;

	return cg_render_stats_json(f, a->views, a->n, a->x->ns, a->x->unix_s);
}

/* The tables, or one JSON document. */
static int show(const struct cg_cli *cli, const struct sample *x)
{
	struct cg_iface_view *views;
	struct json_arg a = { .x = x };
	char when[64], age[24];
	time_t t = (time_t)x->since_unix;
	size_t i;
	int e = 0;

	views = calloc(x->s.n ? 2 * x->s.n : 1, sizeof(*views));
	if (!views)
		return cg_fail("out of memory"), -1;
	a.views = views;
	a.n = cg_snapshot_views(&x->s, views);
	if (cli->json) {
		e = cg_print_json(cli, json_doc, &a);
	} else {
		if (!x->s.n)
			printf("no interface has csumguard state under %s; %s\n", cli->pin_dir,
			       CG_STATE_HINT);
		if (x->since_unix) {
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&t));
			cg_fmt_age(cg_unix_age((uint64_t)x->since_unix, x->unix_s), age, sizeof(age));
			printf("counts since the reset at %s (%s ago); the datapath's own counters "
			       "run on (stats without --since)\n\n", when, age);
		}
		for (i = 0; i < a.n; i++) {
			if (i)
				fputc('\n', stdout);
			cg_render_stats_table(stdout, &views[i], x->ns);
		}
	}
	free(views);
	if (fflush(stdout) || ferror(stdout) || e)
		return write_failed(e), -1;
	return 0;
}

static const struct cg_iface_snap *find(const struct sample *x, const char *name)
{
	size_t i;

	for (i = 0; x && i < x->s.n; i++)
		if (!strcmp(x->s.ifaces[i].name, name))
			return &x->s.ifaces[i];
	return NULL;
}

/* One frame of the live view (tty) or its lines, from x and the sample
 * before it (prev: rows sorted by address; NULL for the first frame). */
static int frame(const struct cg_cli *cli, const struct sample *x, const struct sample *prev,
		 int tty)
{
	struct cg_watch_frame fr = {
		.now_unix = x->unix_s, .now_ns = x->ns, .every = cli->stats.watch,
		.since_unix = x->since_unix,
		.interval_s = prev ? (double)(x->ns - prev->ns) / 1e9 : 0,
	};
	struct cg_watch_opts o = { .wide = cli->stats.wide };
	struct cg_blocklist bl = {};
	char err[CG_ERRLEN];
	struct winsize ws;
	size_t i;
	int e = 0;

	fr.ifs = calloc(x->s.n ? x->s.n : 1, sizeof(*fr.ifs));
	if (!fr.ifs)
		return cg_fail("out of memory"), -1;
	if (cg_blocklist_get(cli->pin_dir, &bl, err, sizeof(err)))
		memset(&bl, 0, sizeof(bl));	/* none: nothing blocked */
	for (i = 0; i < x->s.n && !e; i++) {
		const struct cg_iface_snap *now = &x->s.ifaces[i], *p = find(prev, now->name);

		e = cg_watch_iface_fill(&fr.ifs[i], now->has_ingress ? &now->v : NULL,
					now->has_egress ? &now->ev : NULL,
					p && p->has_ingress ? &p->v : NULL,
					p && p->has_egress ? &p->ev : NULL,
					p ? p->rows : NULL, p ? p->v.nrows : 0, bl.rows, bl.n,
					x->s.nodes);
		fr.n++;
	}
	if (e) {
		cg_fail("out of memory");
	} else if (tty) {
		if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col && ws.ws_row) {
			o.width = ws.ws_col;
			o.height = ws.ws_row;
		}
		cg_watch_render_screen(stdout, &fr, &o);
	} else {
		cg_watch_render_lines(stdout, &fr);
	}
	for (i = 0; i < fr.n; i++)
		cg_watch_iface_free(&fr.ifs[i]);
	free(fr.ifs);
	cg_blocklist_free(&bl);
	if (e)
		return -1;
	if (fflush(stdout) || ferror(stdout))
		return write_failed(0), -1;
	return 0;
}

static int reset(const struct cg_cli *cli)
{
	char err[CG_ERRLEN], when[64];
	time_t now = time(NULL);
	size_t n;

	if (cg_baseline_take(cli->pin_dir, cli->stats.iface, &n, err, sizeof(err)))
		return cg_fail("%s", err);
	if (!n) {
		fprintf(cli->json ? stderr : stdout, "no interface has csumguard state under %s: "
			"nothing to take a baseline of; %s\n", cli->pin_dir, CG_STATE_HINT);
		return CG_EXIT_OK;
	}
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&now));
	/* On stdout unless that carries JSON. */
	fprintf(cli->json ? stderr : stdout, "baseline of %s recorded at %s (pinned in %s); "
		"csumguard stats%s%s --since counts from here\n",
		cli->stats.iface ? cli->stats.iface : n == 1 ? "1 interface" : "every interface",
		when, cli->pin_dir, cli->stats.iface ? " " : "",
		cli->stats.iface ? cli->stats.iface : "");
	return CG_EXIT_OK;
}

int cmd_stats(const struct cg_cli *cli)
{
	char err[CG_ERRLEN];
	struct sigaction sa = { .sa_handler = on_signal };
	struct sample a = {}, b = {}, *cur = &a, *prev = NULL, *tmp;
	int tty = !cli->json && isatty(STDOUT_FILENO), rc = CG_EXIT_OK;
	struct timespec ts;
	size_t i;

	if (cg_snapshot_check(cli->pin_dir, cli->stats.iface, err, sizeof(err)))
		return cg_fail("%s", err);
	if (cli->stats.reset && (rc = reset(cli)) != CG_EXIT_OK)
		return rc;
	if (!cli->stats.watch) {
		if (cli->stats.reset && !cli->json)
			return CG_EXIT_OK;
		if (take(cli, cur))
			return CG_EXIT_FAIL;
		rc = show(cli, cur) ? CG_EXIT_FAIL : CG_EXIT_OK;
		cg_snapshot_free(&cur->s);
		return rc;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (tty)
		fputs("\033[?25l", stdout);	/* no cursor blinking in the frame */
	while (!stop) {
		if (take(cli, cur)) {
			rc = CG_EXIT_FAIL;
			break;
		}
		if (cli->json ? show(cli, cur) : frame(cli, cur, prev, tty)) {
			cg_snapshot_free(&cur->s);
			rc = CG_EXIT_FAIL;
			break;
		}
		/* The next frame's interval is against this sample. */
		for (i = 0; i < cur->s.n; i++)
			cg_src_rows_sort_addr(cur->s.ifaces[i].rows, cur->s.ifaces[i].v.nrows);
		if (prev)
			cg_snapshot_free(&prev->s);
		prev = cur;
		tmp = prev == &a ? &b : &a;
		cur = tmp;
		ts.tv_sec = cli->stats.watch;
		ts.tv_nsec = 0;
		while (!stop && nanosleep(&ts, &ts) && errno == EINTR)
			;
	}
	if (prev)
		cg_snapshot_free(&prev->s);
	if (tty)
		fputs("\033[?25h\n", stdout);
	fflush(stdout);
	return rc;
}
