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
 * Usage: scale [-r ROUNDS] [-n N,N,...] [-c CSUMGUARD] [-b OTHER] [-m] [-x 'ARGS' [-X GREP]]... [-k]
 * -m: also a metrics scrape (the agent serving every source, GET /metrics).
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
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "csumguard.h"
#include "util.h"
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

/* Its counters on one CPU (the per-CPU part: ok, one in 5 with a zero
 * frame), and its shared part (one in 13 with bad frames, a last bad
 * time): the two parts of a row (include/csumguard.h). */
static void src_val(size_t i, int cpu, struct cg_src_hot *v)
{
	__u64 ok = 1000 + (i * 7 + (size_t)cpu) % 977;

	memset(v, 0, sizeof(*v));
	v->ok = ok;
	v->zero_inner[CG_ZI_UNCHECKED] = i % 5 == 0;
	v->bytes = (ok + v->zero_inner[CG_ZI_UNCHECKED]) * 1400;
}

static int src_rare_val(size_t i, struct cg_src_stats *v)
{
	__u64 bad = i % 13 ? 0 : i % 50 + 1;

	memset(v, 0, sizeof(*v));
	v->verdict[CG_V_BAD] = bad;
	v->bad_class[CG_BC_UNCLASSIFIED] = bad;
	v->packets = bad;
	v->bytes = bad * 1400;
	v->last_bad_ns = v->first_bad_ns = bad ? 1000000000ull * (i % 1000 + 1) : 0;
	return bad != 0;
}

/* Makes the pinned state of IFNAME with a source table of n rows; returns
 * how many rows the table holds (LRU: all n, or it says). */
static size_t make_state(size_t n, int ncpus)
{
	enum { P_PORTS, P_CONFIG, P_SRC, P_SRC_KEPT, P_IFACE, P_SRC_RARE, P_SRC_KEPT_RARE, P_N };
	const char *names[P_N] = { CG_PIN_PORTS, CG_PIN_CONFIG, CG_PIN_SRC, CG_PIN_SRC_KEPT,
				   CG_PIN_IFACE, CG_PIN_SRC_RARE, CG_PIN_SRC_KEPT_RARE };
	struct cg_src_stats rare;
	struct cg_config cfg = { .mode = CG_MODE_MONITOR };
	struct cg_iface_stats *tot;
	struct cg_src_hot *vals;
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
	maps[P_SRC_RARE] = skel->maps.cg_src_rare;
	maps[P_SRC_KEPT_RARE] = skel->maps.cg_src_kept_rare;
	/* Room beyond n: an LRU hash filled from one CPU evicts a few rows
	 * before it is full (its per-CPU free lists), and the point here is n
	 * rows present. */
	if (bpf_map__set_max_entries(skel->maps.cg_src, (__u32)(n + 256 * (size_t)ncpus)) ||
	    bpf_map__set_max_entries(skel->maps.cg_src_rare, (__u32)(n + 256 * (size_t)ncpus)))
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
				struct cg_src_hot *v = &vals[j * (size_t)ncpus + (size_t)c];

				src_val(i + j, c, v);
				tot[c].c[CG_IF_FRAMES] += v->ok + v->zero_inner[CG_ZI_UNCHECKED];
				tot[c].c[CG_IF_TUNNEL] += v->ok + v->zero_inner[CG_ZI_UNCHECKED];
				tot[c].verdict[CG_V_OK] += v->ok;
				tot[c].verdict[CG_V_ZERO] += v->zero_inner[CG_ZI_UNCHECKED];
			}
			if (src_rare_val(i + j, &rare)) {
				if (bpf_map_update_elem(fds[P_SRC_RARE], &keys[j], &rare, BPF_ANY))
					die("filling cg_src_rare: %s", strerror(errno));
				tot[0].c[CG_IF_SRC_RARE_INSERTED]++;
				tot[0].c[CG_IF_FRAMES] += rare.packets;
				tot[0].c[CG_IF_TUNNEL] += rare.packets;
				tot[0].verdict[CG_V_BAD] += rare.packets;
			}
		}
		if (bpf_map_update_batch(fds[P_SRC], keys, vals, &count, &opts))
			die("filling cg_src (%zu rows in): %s", i, strerror(errno));
	}
	tot[0].c[CG_IF_SRC_INSERTED] = n;
	if (bpf_map_update_elem(fds[P_IFACE], &zero, tot, BPF_ANY))
		die("writing the totals: %s", strerror(errno));

	/* How many the table holds (an LRU may evict before it is full). */
	if (cg_src_read_all(fds[P_SRC], -1, &rows, &have, NULL))
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

/* ---- the metrics scrape (the agent, -m) ------------------------------------ */

/* GET path from 127.0.0.1:port, the whole response into *buf (malloc'ed).
 * Returns its length, or -1. */
static ssize_t http_get(int port, const char *path, char **buf)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	size_t cap = 1 << 16, len = 0;
	char req[128];
	ssize_t r;
	int fd;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	*buf = NULL;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", path);
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req) || !(*buf = malloc(cap))) {
		close(fd);
		return -1;
	}
	while ((r = read(fd, *buf + len, cap - len - 1)) > 0) {
		len += (size_t)r;
		if (len + 1 == cap) {
			char *nb = realloc(*buf, cap *= 2);

			if (!nb) {
				close(fd);
				return -1;
			}
			*buf = nb;
		}
	}
	close(fd);
	(*buf)[len] = '\0';
	return r < 0 ? -1 : (ssize_t)len;
}

/* CPU ms (utime + stime) and peak RSS KiB of process pid, from /proc. */
static void proc_usage(pid_t pid, double *cpu_ms, long *hwm_kb)
{
	char path[64], line[256];
	unsigned long ut = 0, st = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r"))) {
		/* fields 14, 15 after the ")" of the name */
		if (fgets(line, sizeof(line), f)) {
			char *p = strrchr(line, ')');

			if (p)
				sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
				       &ut, &st);
		}
		fclose(f);
	}
	*cpu_ms = (double)(ut + st) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	*hwm_kb = 0;
	if ((f = fopen(path, "r"))) {
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "VmHWM:", 6))
				*hwm_kb = strtol(line + 6, NULL, 10);
		fclose(f);
	}
}

/*
 * Runs `csumguard --pin-dir DIR agent` serving every source's series on
 * loopback, checks one scrape shows n sources, then times rounds scrapes:
 * wall ms each into ms[], the agent's CPU ms each (from /proc, tick
 * resolution) into cpu_ms[], its peak RSS after them into *rss_kb, the
 * body's size into *bytes.
 */
static void scrape(const char *csumguard, size_t n, int rounds, double *ms, double *cpu_ms,
		   long *rss_kb, size_t *bytes)
{
	int port = 20000 + (int)(getpid() % 20000), devnull = open("/dev/null", O_WRONLY), i, r;
	char listen[32], *body = NULL, *p;
	double t0, c0, c1;
	size_t series = 0;
	ssize_t len = -1;
	pid_t pid;

	snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		dup2(devnull, STDOUT_FILENO);
		dup2(devnull, STDERR_FILENO);
		execl(csumguard, csumguard, "--pin-dir", pin_dir, "agent", "--listen", listen,
		      "--metrics-sources", "all", "--interval", "3600", (char *)NULL);
		_exit(127);
	}
	close(devnull);
	for (i = 0; i < 200; i++) {	/* up to 20 s to come up */
		len = http_get(port, "/readyz", &body);
		free(body);
		body = NULL;
		if (len > 0)
			break;
		usleep(100000);
	}
	if (len <= 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		die("the agent did not answer on %s (%s agent)", listen, csumguard);
	}
	/* the check: one csumguard_source_packets_total series per source */
	len = http_get(port, "/metrics", &body);
	for (p = body; len > 0 && (p = strstr(p, "\ncsumguard_source_packets_total{")); p++)
		series++;
	*bytes = len > 0 ? (size_t)len : 0;
	free(body);
	if (series != n) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		die("a metrics scrape at %zu sources shows %zu source series", n, series);
	}
	for (r = 0; r < rounds; r++) {
		proc_usage(pid, &c0, rss_kb);
		t0 = now_ms();
		len = http_get(port, "/metrics", &body);
		ms[r] = now_ms() - t0;
		free(body);
		proc_usage(pid, &c1, rss_kb);
		cpu_ms[r] = c1 - c0;
		if (len <= 0)
			die("a metrics scrape failed");
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

static double median_l(const long *v, int n)
{
	double d[MAX_ROUNDS];
	int i;

	for (i = 0; i < n; i++)
		d[i] = (double)v[i];
	return bench_median(d, n);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: scale [-r ROUNDS] [-n N,N,...] [-c CSUMGUARD] [-b OTHER] [-m [-M MAX]]\n"
		"             [-x 'ARGS' [-X TEXT]]... [-k]\n"
		"  -r  rounds per command and size, the median is shown (default 5)\n"
		"  -n  table sizes (default 16384,100000,1000000)\n"
		"  -c  the command to run (default build/csumguard)\n"
		"  -x  another command to time, its arguments after --pin-dir DIR (IFACE is\n"
		"      " IFNAME "), e.g. -x 'metrics --once'; -X: a line per source contains TEXT\n"
		"  -b  another build of csumguard: its stats and stats --json timed beside\n"
		"      (e.g. the one before a change), in the same rounds\n"
		"  -m  also time a metrics scrape: csumguard agent --metrics-sources all on\n"
		"      loopback, GET /metrics, for sizes up to -M (default 100000)\n"
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
	int nsizes = 0, ncmds = 2, rounds = 5, ncpus, opt, si, r, k, devnull, keep = 0, metrics = 0;
	size_t metrics_max = 100000;
	static double m_ms[MAX_SIZES][MAX_ROUNDS], m_cpu[MAX_SIZES][MAX_ROUNDS];
	static long m_rss[MAX_SIZES];
	static size_t m_bytes[MAX_SIZES];
	char *tok, date[64], load0[64], load1[64];
	time_t now = time(NULL);

	bench_loadavg(load0, sizeof(load0));
	while ((opt = getopt(argc, argv, "r:n:c:x:X:b:kmM:h")) != -1) {
		switch (opt) {
		case 'k':
			keep = 1;
			break;
		case 'm':
			metrics = 1;
			break;
		case 'M':
			metrics_max = strtoul(optarg, NULL, 0);
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
		if (metrics && have[si] <= metrics_max)
			scrape(csumguard, have[si], rounds, m_ms[si], m_cpu[si], &m_rss[si],
			       &m_bytes[si]);
		cleanup();	/* this size's pins go before the next is made */
	}

	bench_loadavg(load1, sizeof(load1));
	printf("load average before %s, after %s (other processes share this machine)\n", load0, load1);
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M", localtime(&now));
	printf("csumguard bench-scale, %s: %s against a pinned source table of N synthetic rows\n"
	       "(%d possible CPUs, a per-CPU value each), no program attached; median of %d runs,\n"
	       "output to /dev/null; wall time fork to exit, CPU and peak RSS from the child's rusage.\n"
	       "x: ratio to the first row (%zu sources); time x / sources x <= 1.00: linear or better.\n",
	       date, csumguard, ncpus, rounds, have[0]);
	for (k = 0; k < ncmds; k++) {
		struct cmd *c = &cmds[k];
		double base = bench_median(c->ms[0], rounds), rss0 = median_l(c->rss_kb[0], rounds);

		printf("\n`csumguard %s`%s%s\n", c->label, c->bin ? ": " : "", c->bin ? c->bin : "");
		printf("| sources | wall ms | CPU ms | peak RSS MiB | output MiB | sources x | "
		       "time x | RSS x | time x / sources x |\n");
		printf("|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
		for (si = 0; si < nsizes; si++) {
			double ms = bench_median(c->ms[si], rounds), rss = median_l(c->rss_kb[si], rounds);
			double nx = (double)have[si] / (double)have[0];

			printf("| %zu | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f |\n",
			       have[si], ms, bench_median(c->cpu_ms[si], rounds), rss / 1024,
			       c->out_bytes[si] / 1048576.0, nx, ms / base, rss / rss0,
			       (ms / base) / nx);
		}
	}
	if (metrics) {
		double base = bench_median(m_ms[0], rounds);

		printf("\nmetrics scrape: `csumguard agent --metrics-sources all`, GET /metrics on "
		       "loopback (wall ms per scrape; the agent's CPU ms per scrape from /proc, in "
		       "%ld ms ticks; its peak RSS after the scrapes)\n", 1000 / sysconf(_SC_CLK_TCK));
		printf("| sources | wall ms | agent CPU ms | agent peak RSS MiB | body MiB | sources x | "
		       "time x | time x / sources x |\n");
		printf("|--:|--:|--:|--:|--:|--:|--:|--:|\n");
		for (si = 0; si < nsizes; si++) {
			double ms = bench_median(m_ms[si], rounds);
			double nx = (double)have[si] / (double)have[0];

			if (have[si] > metrics_max) {
				printf("| %zu | not run (over -M %zu: the body of every source's series "
				       "would be ~%zu MiB) | | | | | | |\n", have[si], metrics_max,
				       m_bytes[0] / have[0] * have[si] >> 20);
				continue;
			}
			printf("| %zu | %.1f | %.0f | %.1f | %.1f | %.1f | %.1f | %.2f |\n", have[si],
			       ms, bench_median(m_cpu[si], rounds), m_rss[si] / 1024.0,
			       m_bytes[si] / 1048576.0, nx, ms / base, ms / base / nx);
		}
	}
	for (si = 0; si < nsizes; si++)
		if (have[si] == 16384) {
			double ms = bench_median(cmds[0].ms[si], rounds), js = bench_median(cmds[1].ms[si], rounds);

			printf("\ntarget at 16384 sources: < 100 ms: stats %.1f ms, stats --json %.1f ms: "
			       "%s\n", ms, js, ms < 100 && js < 100 ? "met" : "MISSED");
		}
	close(devnull);
	return 0;
}
