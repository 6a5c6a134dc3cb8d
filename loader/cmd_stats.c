// SPDX-License-Identifier: GPL-2.0
/* cmd_stats.c - `csumguard stats`: takes lib/snapshot.c's snapshot and
 * prints format.c's table or JSON, once or every --watch seconds. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "cmds.h"
#include "err.h"
#include "format.h"
#include "snapshot.h"

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

static int show(const struct cg_cli *cli, int first)
{
	char err[CG_ERRLEN], when[64];
	struct cg_iface_view *views;
	uint64_t now = boot_ns();
	time_t now_unix = time(NULL);
	struct cg_snapshot s;
	size_t i, nv;
	int e = 0;

	if (cg_snapshot_take(cli->pin_dir, cli->stats.iface, &s, err, sizeof(err)))
		return cg_fail("%s", err), -1;
	for (i = 0; i < s.n; i++) {
		cg_sort_sources(s.ifaces[i].rows, s.ifaces[i].v.nrows, cli->stats.sort);
		cg_sort_dests(s.ifaces[i].drows, s.ifaces[i].ev.ndrows, cli->stats.sort);
	}
	views = calloc(s.n ? 2 * s.n : 1, sizeof(*views));
	if (!views) {
		cg_snapshot_free(&s);
		return cg_fail("out of memory"), -1;
	}
	nv = cg_snapshot_views(&s, views);
	if (cli->json) {
		e = cg_render_stats_json(stdout, views, nv, now, (int64_t)now_unix);
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
		if (!s.n)
			printf("no interface has csumguard state under %s; %s\n", cli->pin_dir,
			       CG_STATE_HINT);
		for (i = 0; i < nv; i++) {
			if (i)
				fputc('\n', stdout);
			cg_render_stats_table(stdout, &views[i], now);
		}
	}
	free(views);
	cg_snapshot_free(&s);
	if (fflush(stdout) || ferror(stdout) || e)
		return cg_fail("cannot write the stats to stdout: %s; check where the output "
			       "goes (a closed pipe, a full disk)", e ? "the writer failed" :
			       strerror(errno)), -1;
	return 0;
}

int cmd_stats(const struct cg_cli *cli)
{
	char err[CG_ERRLEN];
	struct sigaction sa = { .sa_handler = on_signal };
	struct timespec ts;
	int first = 1;

	if (cg_snapshot_check(cli->pin_dir, cli->stats.iface, err, sizeof(err)))
		return cg_fail("%s", err);
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
