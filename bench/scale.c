// SPDX-License-Identifier: GPL-2.0
/*
 * scale.c - how the user-space read path grows with the number of sources
 * (issue 13, item 5).
 *
 * For each table size N it makes the pinned state of one interface in a
 * scratch pin dir (/sys/fs/bpf/cgscale<pid>), exactly as attach makes it
 * (cg_dir_make, cg_map_open_or_create from the embedded object, the source
 * table sized to N), with no program attached, fills the per-source table
 * with N synthetic rows straight from here (batch updates, every CPU's slot
 * its own value), then runs the real command - `csumguard --pin-dir DIR
 * stats IFACE`, `... --json`, and any command given with -x - several
 * times: wall time from fork to exit (CLOCK_MONOTONIC), peak RSS and CPU
 * time from wait4's rusage of the child. Shown: the medians, and the growth
 * from the smallest N (time ratio over N ratio: 1.0 is linear).
 *
 * Every command is checked once per N before it is timed: exit status 0,
 * and its output names every source (the table has N source rows, the JSON
 * N "addr" keys, each -x command's output contains N lines matching -X if
 * given). The timed runs write to /dev/null.
 *
 * Usage: scale [-r ROUNDS] [-n N,N,...] [-c CSUMGUARD] [-b OTHER] [-x 'ARGS' [-X GREP]]... [-k]
 * Needs root (bpffs, maps). Leaves nothing behind: the pins go on every exit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "csumguard.h"
#include "csumguard.skel.h"
#include "err.h"
#include "maps.h"
#include "pins.h"

#define MAX_SIZES	8
#define MAX_ROUNDS	25
#define MAX_CMDS	6
#define MAX_ARGS	16
#define IFNAME		"scale0"

static struct cg_undo undo;	/* every pin and directory made: removed at exit */
static char pin_dir[64];

static void cleanup(void)
{
	cg_undo_run(&undo);
	undo.n = 0;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "scale: FAIL: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);	/* atexit: cleanup */
}

static void on_signal(int sig)
{
	(void)sig;
	die("interrupted");
}

/* One command: its arguments after `csumguard --pin-dir DIR`. */
struct cmd {
	const char *label;
	const char *bin;	/* NULL: the -c command */
	char *argv[MAX_ARGS];
	int argc;
	const char *grep;	/* a line of output per source contains this */
	double ms[MAX_SIZES][MAX_ROUNDS], cpu_ms[MAX_SIZES][MAX_ROUNDS];
	long rss_kb[MAX_SIZES][MAX_ROUNDS];
	size_t out_bytes[MAX_SIZES];
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Runs csumguard with c's arguments, stdout to out_fd. Returns the child's
 * rusage and wall ms; dies unless it exits 0. */
static double run_cmd(const char *csumguard, const struct cmd *c, int out_fd, struct rusage *ru)
{
	char *argv[MAX_ARGS + 4];
	double t0, t1;
	int i, n = 0, status;
	pid_t pid;

	if (c->bin)
		csumguard = c->bin;
	argv[n++] = (char *)csumguard;
	argv[n++] = "--pin-dir";
	argv[n++] = pin_dir;
	for (i = 0; i < c->argc; i++)
		argv[n++] = c->argv[i];
	argv[n] = NULL;
	t0 = now_ms();
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		dup2(out_fd, STDOUT_FILENO);
		execv(csumguard, argv);
		fprintf(stderr, "scale: cannot run %s: %s\n", csumguard, strerror(errno));
		_exit(127);
	}
	if (wait4(pid, &status, 0, ru) != pid)
		die("wait4: %s", strerror(errno));
	t1 = now_ms();
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		die("`%s --pin-dir %s %s ...` failed (status %d)", csumguard, pin_dir, c->argv[0],
		    status);
	return t1 - t0;
}

/* ---- the state ------------------------------------------------------------ */

/* Synthetic source i: three of four IPv4 (10.a.b.c), the rest IPv6. */
static void src_key(size_t i, struct cg_addr *k)
{
	__u8 a[16] = { 0xfd, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

	if (i % 4) {
		__u8 v4[4] = { 10, (__u8)(i >> 16), (__u8)(i >> 8), (__u8)i };

		cg_addr_from_v4(k, v4);
		return;
	}
	a[12] = (__u8)(i >> 24);
	a[13] = (__u8)(i >> 16);
	a[14] = (__u8)(i >> 8);
	a[15] = (__u8)i;
	cg_addr_from_v6(k, a);
}

/* Its counters on one CPU: some bad, one in 13 with a last bad time. */
static void src_val(size_t i, int cpu, struct cg_src_stats *v)
{
	__u64 bad = i % 13 ? 0 : i % 50 + 1, ok = 1000 + (i * 7 + (size_t)cpu) % 977;

	memset(v, 0, sizeof(*v));
	v->verdict[CG_V_OK] = ok;
	v->verdict[CG_V_BAD] = bad;
	v->verdict[CG_V_ZERO] = i % 5 == 0;
	v->packets = ok + bad + v->verdict[CG_V_ZERO];
	v->bytes = v->packets * 1400;
	v->last_bad_ns = bad ? 1000000000ull * (i % 1000 + 1) : 0;
}

/* Makes the pinned state of IFNAME with a source table of n rows; returns
 * how many rows the table holds (LRU: all n, or it says). */
static size_t make_state(size_t n, int ncpus)
{
	enum { P_PORTS, P_CONFIG, P_SRC, P_SRC_KEPT, P_IFACE, P_N };
	const char *names[P_N] = { CG_PIN_PORTS, CG_PIN_CONFIG, CG_PIN_SRC, CG_PIN_SRC_KEPT,
				   CG_PIN_IFACE };
	struct cg_config cfg = { .mode = CG_MODE_MONITOR };
	struct cg_iface_stats *tot;
	struct cg_src_stats *vals;
	struct cg_addr *keys;
	struct csumguard *skel;
	struct bpf_map *maps[P_N];
	char err[CG_ERRLEN], path[PATH_MAX];
	size_t chunk = 4096, i, j, have;
	struct cg_src_row *rows;
	int fds[P_N], mounted, reused, k, c;
	__u32 count, zero = 0;

	if (cg_pin_dir_ready(pin_dir, 1, &mounted, &undo, err, sizeof(err)) < 0 ||
	    cg_dir_make(pin_dir, IFNAME, CG_DIR_INGRESS, &undo, &reused, err, sizeof(err)))
		die("%s", err);
	skel = csumguard__open();
	if (!skel)
		die("opening the embedded object: %s", strerror(errno));
	maps[P_PORTS] = skel->maps.cg_ports;
	maps[P_CONFIG] = skel->maps.cg_config;
	maps[P_SRC] = skel->maps.cg_src;
	maps[P_SRC_KEPT] = skel->maps.cg_src_kept;
	maps[P_IFACE] = skel->maps.cg_iface;
	/* Room beyond n: an LRU hash filled from one CPU evicts a few rows
	 * before it is full (its per-CPU free lists), and the point here is n
	 * rows present. */
	if (bpf_map__set_max_entries(skel->maps.cg_src, (__u32)(n + 256 * (size_t)ncpus)))
		die("cannot size cg_src to %zu", n);
	for (k = 0; k < P_N; k++) {
		if (k == P_PORTS || k == P_CONFIG)
			cg_iface_path(path, sizeof(path), pin_dir, IFNAME, names[k]);
		else
			cg_dir_path(path, sizeof(path), pin_dir, IFNAME, CG_DIR_INGRESS, names[k]);
		fds[k] = cg_map_open_or_create(maps[k], bpf_object__btf(skel->obj), path, &undo,
					       err, sizeof(err));
		if (fds[k] < 0)
			die("%s", err);
	}
	if (cg_ports_set_defaults(fds[P_PORTS]) || cg_config_write(fds[P_CONFIG], &cfg))
		die("writing ports or config: %s", strerror(errno));

	keys = calloc(chunk, sizeof(*keys));
	vals = calloc(chunk * (size_t)ncpus, sizeof(*vals));
	tot = calloc((size_t)ncpus, sizeof(*tot));
	if (!keys || !vals || !tot)
		die("out of memory");
	for (i = 0; i < n; i += chunk) {
		DECLARE_LIBBPF_OPTS(bpf_map_batch_opts, opts, .elem_flags = BPF_ANY);

		count = (__u32)(n - i < chunk ? n - i : chunk);
		for (j = 0; j < count; j++) {
			src_key(i + j, &keys[j]);
			for (c = 0; c < ncpus; c++) {
				struct cg_src_stats *v = &vals[j * (size_t)ncpus + (size_t)c];
				int vv;

				src_val(i + j, c, v);
				tot[c].c[CG_IF_FRAMES] += v->packets;
				tot[c].c[CG_IF_TUNNEL] += v->packets;
				for (vv = 0; vv < CG_VERDICT_MAX; vv++)
					tot[c].verdict[vv] += v->verdict[vv];
			}
		}
		if (bpf_map_update_batch(fds[P_SRC], keys, vals, &count, &opts))
			die("filling cg_src (%zu rows in): %s", i, strerror(errno));
	}
	tot[0].c[CG_IF_SRC_INSERTED] = n;
	if (bpf_map_update_elem(fds[P_IFACE], &zero, tot, BPF_ANY))
		die("writing the totals: %s", strerror(errno));

	/* How many the table holds (an LRU may evict before it is full). */
	if (cg_src_read_all(fds[P_SRC], &rows, &have))
		die("reading cg_src back: %s", strerror(errno));
	free(rows);
	free(keys);
	free(vals);
	free(tot);
	for (k = 0; k < P_N; k++)
		close(fds[k]);
	csumguard__destroy(skel);
	return have;
}

/* ---- checks ----------------------------------------------------------------- */

/* Lines of the file at fd that contain needle (all if NULL); its size. */
static size_t count_lines(int fd, const char *needle, size_t *bytes)
{
	size_t n = 0, cap = 0;
	char *line = NULL;
	ssize_t len;
	FILE *f;

	lseek(fd, 0, SEEK_SET);
	f = fdopen(dup(fd), "r");
	if (!f)
		die("reading the output: %s", strerror(errno));
	*bytes = 0;
	while ((len = getline(&line, &cap, f)) > 0) {
		*bytes += (size_t)len;
		if (!needle || strstr(line, needle))
			n++;
	}
	free(line);
	fclose(f);
	return n;
}

/* Occurrences of needle in the file at fd (one-line JSON). */
static size_t count_occ(int fd, const char *needle)
{
	size_t n = 0, cap = 0, nl = strlen(needle);
	char *buf = NULL, *p;
	ssize_t len;
	FILE *f;

	lseek(fd, 0, SEEK_SET);
	f = fdopen(dup(fd), "r");
	if (!f)
		die("reading the output: %s", strerror(errno));
	while ((len = getline(&buf, &cap, f)) > 0)
		for (p = buf; (p = strstr(p, needle)); p += nl)
			n++;
	free(buf);
	fclose(f);
	return n;
}

/* One run of each command into a scratch file, its output checked. */
static void check_cmd(const char *csumguard, struct cmd *c, int si, size_t n)
{
	char tmpl[] = "/tmp/csumguard-scale.XXXXXX";
	struct rusage ru;
	size_t got, bytes;
	int fd = mkstemp(tmpl);

	if (fd < 0)
		die("mkstemp: %s", strerror(errno));
	unlink(tmpl);
	run_cmd(csumguard, c, fd, &ru);
	if (c->grep) {
		got = count_lines(fd, c->grep, &bytes);
	} else if (!strcmp(c->argv[c->argc - 1], "--json")) {
		count_lines(fd, NULL, &bytes);
		got = count_occ(fd, "\"addr\":");
	} else {
		/* the table: a row per source, each starting with its address */
		got = count_lines(fd, "10.", &bytes) + count_lines(fd, "fd00::", &bytes);
	}
	c->out_bytes[si] = bytes;
	close(fd);
	if (got != n)
		die("`%s` at %zu sources: its output shows %zu sources (%zu bytes), want %zu",
		    c->label, n, got, bytes, n);
}

/* The load average now, for the report: "1.05 0.98 0.75". */
static void loadavg(char *buf, size_t len)
{
	FILE *f = fopen("/proc/loadavg", "r");

	buf[0] = '\0';
	if (f) {
		if (fscanf(f, "%15s", buf) == 1) {
			size_t n = strlen(buf);
			char a[16], b[16];

			if (fscanf(f, "%15s %15s", a, b) == 2)
				snprintf(buf + n, len - n, " %s %s", a, b);
		}
		fclose(f);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(const double *v, int n)
{
	double s[MAX_ROUNDS];

	memcpy(s, v, sizeof(double) * (size_t)n);
	qsort(s, (size_t)n, sizeof(double), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static double median_l(const long *v, int n)
{
	double d[MAX_ROUNDS];
	int i;

	for (i = 0; i < n; i++)
		d[i] = (double)v[i];
	return median(d, n);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: scale [-r ROUNDS] [-n N,N,...] [-c CSUMGUARD] [-b OTHER] [-x 'ARGS' [-X TEXT]]... [-k]\n"
		"  -r  rounds per command and size, the median is shown (default 5)\n"
		"  -n  table sizes (default 16384,100000,1000000)\n"
		"  -c  the command to run (default build/csumguard)\n"
		"  -x  another command to time, its arguments after --pin-dir DIR (IFACE is\n"
		"      " IFNAME "), e.g. -x 'metrics --once'; -X: a line per source contains TEXT\n"
		"  -b  another build of csumguard: its stats and stats --json timed beside\n"
		"      (e.g. the one before a change), in the same rounds\n"
		"  -k  only make the state of the first size, keep it and say where (to profile)\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static struct cmd cmds[MAX_CMDS] = {
		{ .label = "stats", .argv = { "stats", IFNAME }, .argc = 2 },
		{ .label = "stats --json", .argv = { "stats", IFNAME, "--json" }, .argc = 3 },
	};
	size_t sizes[MAX_SIZES], have[MAX_SIZES];
	const char *csumguard = "build/csumguard";
	int nsizes = 0, ncmds = 2, rounds = 5, ncpus, opt, si, r, k, devnull, keep = 0;
	char *tok, date[64], load0[64], load1[64];
	time_t now = time(NULL);

	loadavg(load0, sizeof(load0));
	while ((opt = getopt(argc, argv, "r:n:c:x:X:b:kh")) != -1) {
		switch (opt) {
		case 'k':
			keep = 1;
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		case 'n':
			for (tok = strtok(optarg, ","); tok; tok = strtok(NULL, ",")) {
				if (nsizes == MAX_SIZES)
					usage();
				sizes[nsizes++] = strtoul(tok, NULL, 0);
			}
			break;
		case 'c':
			csumguard = optarg;
			break;
		case 'x':
			if (ncmds == MAX_CMDS)
				usage();
			cmds[ncmds].label = optarg;
			for (tok = strtok(strdup(optarg), " "); tok; tok = strtok(NULL, " ")) {
				if (cmds[ncmds].argc == MAX_ARGS - 1)
					usage();
				cmds[ncmds].argv[cmds[ncmds].argc++] =
					strcmp(tok, "IFACE") ? tok : IFNAME;
			}
			ncmds++;
			break;
		case 'X':
			if (ncmds == 2)
				usage();
			cmds[ncmds - 1].grep = optarg;
			break;
		case 'b':
			if (ncmds + 2 > MAX_CMDS)
				usage();
			cmds[ncmds] = cmds[0];
			cmds[ncmds + 1] = cmds[1];
			cmds[ncmds].bin = cmds[ncmds + 1].bin = optarg;
			cmds[ncmds].label = "stats (-b build)";
			cmds[ncmds + 1].label = "stats --json (-b build)";
			ncmds += 2;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || rounds < 1 || rounds > MAX_ROUNDS)
		usage();
	if (!nsizes) {
		sizes[0] = 16384;
		sizes[1] = 100000;
		sizes[2] = 1000000;
		nsizes = 3;
	}
	if (access(csumguard, X_OK))
		die("no %s; build it: make -j2 all", csumguard);
	if (geteuid())
		die("needs root (bpffs, maps); run: sudo make bench-scale");
	ncpus = cg_ncpus();
	if (ncpus < 1)
		die("cannot tell the possible CPUs");
	snprintf(pin_dir, sizeof(pin_dir), "/sys/fs/bpf/cgscale%d", (int)getpid());
	atexit(cleanup);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	devnull = open("/dev/null", O_WRONLY);
	if (devnull < 0)
		die("/dev/null: %s", strerror(errno));

	for (si = 0; si < nsizes; si++) {
		double t0 = now_ms();

		have[si] = make_state(sizes[si], ncpus);
		fprintf(stderr, "scale: %zu sources pinned in %.0f ms\n", sizes[si], now_ms() - t0);
		if (have[si] != sizes[si])
			die("the source table holds %zu rows, not %zu", have[si], sizes[si]);
		if (keep) {
			undo.n = 0;
			printf("pinned state of %s with %zu sources kept in %s; profile e.g.\n"
			       "  perf record -g %s --pin-dir %s stats %s >/dev/null\n"
			       "remove it: rm -rf %s\n", IFNAME, have[si], pin_dir, csumguard,
			       pin_dir, IFNAME, pin_dir);
			return 0;
		}
		for (k = 0; k < ncmds; k++)
			check_cmd(csumguard, &cmds[k], si, have[si]);
		/* Rounds: every command once per round, order rotated. */
		for (r = 0; r < rounds; r++)
			for (k = 0; k < ncmds; k++) {
				struct cmd *c = &cmds[(k + r) % ncmds];
				struct rusage ru;

				c->ms[si][r] = run_cmd(csumguard, c, devnull, &ru);
				c->cpu_ms[si][r] = ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3 +
					ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3;
				c->rss_kb[si][r] = ru.ru_maxrss;
			}
		cleanup();	/* this size's pins go before the next is made */
	}

	loadavg(load1, sizeof(load1));
	printf("load average before %s, after %s (other processes share this machine)\n", load0, load1);
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M", localtime(&now));
	printf("csumguard bench-scale, %s: %s against a pinned source table of N synthetic rows\n"
	       "(%d possible CPUs, a per-CPU value each), no program attached; median of %d runs,\n"
	       "output to /dev/null; wall time fork to exit, CPU and peak RSS from the child's rusage.\n"
	       "x: ratio to the first row (%zu sources); time x / sources x <= 1.00: linear or better.\n",
	       date, csumguard, ncpus, rounds, have[0]);
	for (k = 0; k < ncmds; k++) {
		struct cmd *c = &cmds[k];
		double base = median(c->ms[0], rounds), rss0 = median_l(c->rss_kb[0], rounds);

		printf("\n`csumguard %s`%s%s\n", c->label, c->bin ? ": " : "", c->bin ? c->bin : "");
		printf("| sources | wall ms | CPU ms | peak RSS MiB | output MiB | sources x | "
		       "time x | RSS x | time x / sources x |\n");
		printf("|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
		for (si = 0; si < nsizes; si++) {
			double ms = median(c->ms[si], rounds), rss = median_l(c->rss_kb[si], rounds);
			double nx = (double)have[si] / (double)have[0];

			printf("| %zu | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f |\n",
			       have[si], ms, median(c->cpu_ms[si], rounds), rss / 1024,
			       c->out_bytes[si] / 1048576.0, nx, ms / base, rss / rss0,
			       (ms / base) / nx);
		}
	}
	for (si = 0; si < nsizes; si++)
		if (have[si] == 16384) {
			double ms = median(cmds[0].ms[si], rounds), js = median(cmds[1].ms[si], rounds);

			printf("\ntarget at 16384 sources: < 100 ms: stats %.1f ms, stats --json %.1f ms: "
			       "%s\n", ms, js, ms < 100 && js < 100 ? "met" : "MISSED");
		}
	close(devnull);
	return 0;
}
