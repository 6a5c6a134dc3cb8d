// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_diagnose.c - `csumguard diagnose`: two snapshots --interval apart
 * (lib/snapshot.c) and the kernel's checksum error counters around them,
 * through the adapter into the rules (lib/diagnose.c), printed as text or
 * JSON (lib/diagnose_render.c).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "blocklist.h"
#include "cli.h"
#include "cmds.h"
#include "diagnose.h"
#include "err.h"
#include "json_writer.h"
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

/* One sample: the snapshot, when, and the kernel's counters with it. */
struct sample {
	struct cg_snapshot s;
	uint64_t ns;
	int64_t unix_s;
	int have_kernel;
	struct cg_snmp k;
};

static int take(const struct cg_cli *cli, struct sample *x)
{
	char err[CG_ERRLEN];

	if (cg_snapshot_take(cli->pin_dir, cli->diagnose.iface, &x->s, err, sizeof(err)))
		return cg_fail("%s", err), -1;
	x->ns = boot_ns();
	x->unix_s = (int64_t)time(NULL);
	/* After the snapshot: XDP counts a frame before the kernel's UDP layer
	 * judges it, so the kernel's count catches up with what was read. */
	x->have_kernel = !cg_snmp_read(&x->k);
	return 0;
}

static const struct cg_iface_snap *find(const struct cg_snapshot *s, const char *name)
{
	size_t i;

	for (i = 0; s && i < s->n; i++)
		if (!strcmp(s->ifaces[i].name, name))
			return &s->ifaces[i];
	return NULL;
}

struct run {
	const struct cg_cli *cli;
	struct sample *a, *b;		/* a: earlier or NULL; b: now */
	struct cg_blocklist *bl;
	struct cg_diag_input *in;
	struct cg_diag_result *res;
	size_t n;
};

static int json_doc(FILE *f, void *arg)
{
	struct run *r = arg;
	struct cg_json w;
	size_t i;

	cg_json_init(&w, f);
	cg_json_start_object(&w);
	cg_json_uint_field(&w, "version", CG_DIAG_JSON_VERSION);
	cg_json_int_field(&w, "time_unix", r->b->unix_s);
	cg_json_name(&w, "interfaces");
	cg_json_start_array(&w);
	for (i = 0; i < r->n; i++)
		cg_diag_render_json(&w, &r->in[i], &r->res[i]);
	cg_json_end_array(&w);
	cg_json_end_object(&w);
	return cg_json_finish(&w);
}

int cmd_diagnose(const struct cg_cli *cli)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct sample a = {}, b = {};
	struct cg_blocklist bl = {};
	struct run r = { .cli = cli, .b = &b, .bl = &bl };
	char err[CG_ERRLEN];
	struct timespec ts;
	size_t i;
	int rc = CG_EXIT_FAIL, e = 0;

	if (cg_snapshot_check(cli->pin_dir, cli->diagnose.iface, err, sizeof(err)))
		return cg_fail("%s", err);
	if (cli->diagnose.interval) {
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		if (take(cli, &a))
			return CG_EXIT_FAIL;
		r.a = &a;
		ts.tv_sec = cli->diagnose.interval;
		ts.tv_nsec = 0;
		while (!stop && nanosleep(&ts, &ts) && errno == EINTR)
			;
		if (stop) {
			cg_snapshot_free(&a.s);
			return cg_fail("interrupted before the second sample; for one sample "
				       "only, run diagnose --interval 0");
		}
	}
	if (take(cli, &b))
		goto out;
	/* Without a blocklist nothing is blocked. */
	if (cg_blocklist_get(cli->pin_dir, &bl, err, sizeof(err)))
		memset(&bl, 0, sizeof(bl));

	r.in = calloc(b.s.n ? b.s.n : 1, sizeof(*r.in));
	r.res = calloc(b.s.n ? b.s.n : 1, sizeof(*r.res));
	if (!r.in || !r.res) {
		cg_fail("out of memory");
		goto out;
	}
	for (i = 0; i < b.s.n; i++) {
		const struct cg_iface_snap *now = &b.s.ifaces[i];
		struct cg_diag_env env = {
			.now_unix = b.unix_s,
			.now_ns = b.ns,
			.since_unix = cg_diag_counters_since(cli->pin_dir, now->name),
			.before = r.a ? find(&a.s, now->name) : NULL,
			.interval_s = r.a ? (double)(b.ns - a.ns) / 1e9 : 0,
			.have_kernel = b.have_kernel && (!r.a || a.have_kernel),
			.k_now = b.k,
			.k_before = a.k,
			.blocked = bl.rows,
			.nblocked = bl.n,
			.nodes = b.s.nodes,
		};

		if (cg_diag_input_fill(&r.in[r.n], now, &env)) {
			cg_fail("out of memory");
			goto out;
		}
		cg_diagnose(&r.in[r.n], &r.res[r.n]);
		r.n++;
	}
	if (cli->json) {
		e = cg_print_json(cli, json_doc, &r);
	} else {
		if (!b.s.n)
			printf("no interface has csumguard state under %s; %s\n", cli->pin_dir,
			       CG_STATE_HINT);
		for (i = 0; i < r.n; i++) {
			if (i)
				fputc('\n', stdout);
			cg_diag_render_text(stdout, &r.in[i], &r.res[i]);
		}
	}
	if (fflush(stdout) || ferror(stdout) || e)
		cg_fail("cannot write the diagnosis to stdout: %s; check where the output goes "
			"(a closed pipe, a full disk)", e ? "the writer failed" : strerror(errno));
	else
		rc = CG_EXIT_OK;
out:
	for (i = 0; i < r.n; i++)
		cg_diag_input_free(&r.in[i]);
	free(r.in);
	free(r.res);
	cg_blocklist_free(&bl);
	cg_snapshot_free(&b.s);
	if (r.a)
		cg_snapshot_free(&a.s);
	return rc;
}
