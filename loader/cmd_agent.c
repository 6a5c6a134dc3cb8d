// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_agent.c - `csumguard agent`: the long-running front end. It attaches
 * (or adopts) what its configuration names, serves lib/agent.c's metrics
 * over HTTP, ticks every --interval (textfile, the policy hook), reloads
 * its configuration on SIGHUP and exits cleanly on SIGTERM/SIGINT, leaving
 * the datapath attached and its counters pinned. One event a line on
 * stderr, logfmt (ts=... level=... msg="..."), for journald and kubectl logs.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "agent.h"
#include "attach.h"
#include "cli.h"
#include "cmds.h"
#include "err.h"
#include "locate.h"
#include "nodes.h"
#include "maps.h"
#include "params.h"
#include "pins.h"
#include "policy_run.h"
#include "snapshot.h"

#ifndef CG_LIBXDP_VERSION
#define CG_LIBXDP_VERSION "?"
#endif

/* ------------------------------------------------------ the config file */

int cg_agent_cfg_parse(const char *text, const char *path, struct cg_agent_cfg *cfg,
		       char *err, size_t errlen)
{
	const struct cg_command *attach = cg_command_by_id(CG_CMD_ATTACH);
	char *copy = strdup(text), *line, *next, *key, *val, *end, opt[64], msg[CG_ERR_LEN];
	struct cg_cli scratch;
	int lineno = 0, i, r;

	memset(cfg, 0, sizeof(*cfg));
	cfg->attach.mode = CG_MODE_MONITOR;
	cfg->attach.xdp_mode = CG_XDP_NATIVE;
	cfg->attach.sources = 0;	/* as many as fit the memory budget (sizing.h) */
	if (!copy || !attach)
		return cg_errf(err, errlen, -1, "out of memory");
	memset(&scratch, 0, sizeof(scratch));
	scratch.cmd = CG_CMD_ATTACH;
	scratch.attach = cfg->attach;
	for (line = copy; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if ((end = strchr(line, '#')))
			*end = '\0';
		key = line + strspn(line, " \t\r");
		end = key + strlen(key);
		while (end > key && strchr(" \t\r", end[-1]))
			*--end = '\0';
		if (!*key)
			continue;
		val = key + strcspn(key, " \t");
		if (*val) {
			*val++ = '\0';
			val += strspn(val, " \t");
		}
		if (!strcmp(key, "interface")) {
			if (!*val || strlen(val) >= sizeof(cfg->ifaces[0]) || strpbrk(val, " \t/:")) {
				cg_errf(err, errlen, -1, "%s:%d: bad interface '%s'; give one name "
					"from `ip link`, or %s", path, lineno, val,
					CG_AGENT_DEFAULT_ROUTE);
				goto fail;
			}
			for (i = 0; i < cfg->nifaces; i++)
				if (!strcmp(cfg->ifaces[i], val))
					break;
			if (i < cfg->nifaces)
				continue;
			if (cfg->nifaces >= CG_AGENT_IFACES_MAX) {
				cg_errf(err, errlen, -1, "%s:%d: too many interfaces; at most %d",
					path, lineno, CG_AGENT_IFACES_MAX);
				goto fail;
			}
			snprintf(cfg->ifaces[cfg->nifaces++], sizeof(cfg->ifaces[0]), "%s", val);
			continue;
		}
		/* anything else: attach's own option, through its table */
		{
			char *argv[3] = { opt, *val ? val : NULL, NULL };
			int argc = *val ? 2 : 1;

			i = 0;
			snprintf(opt, sizeof(opt), "--%s", key);
			r = cg_params_one(attach->opts, argc, argv, &i, &scratch, msg, sizeof(msg));
			if (r == 0) {
				cg_errf(err, errlen, -1, "%s:%d: unknown setting '%s'; use interface, "
					"or an option of attach without its dashes (csumguard attach "
					"--help)", path, lineno, key);
				goto fail;
			}
			if (r < 0) {
				cg_errf(err, errlen, -1, "%s:%d: %s", path, lineno, msg);
				goto fail;
			}
			if (i + 1 != argc) {	/* a flag given a value */
				cg_errf(err, errlen, -1, "%s:%d: '%s' takes no value; write it "
					"alone", path, lineno, key);
				goto fail;
			}
		}
	}
	cfg->attach = scratch.attach;
	cfg->attach.iface = NULL;
	if (cfg->attach.nodes_file)	/* points into copy */
		snprintf(cfg->nodes_path, sizeof(cfg->nodes_path), "%s", cfg->attach.nodes_file);
	cfg->attach.nodes_file = NULL;
	free(copy);
	{
		struct cg_port_spec tab[CG_PORTS_MAX + CG_N_DEFAULT_PORTS];

		msg[0] = '\0';
		if (cg_cli_port_table(&cfg->attach, tab, (int)(sizeof(tab) / sizeof(tab[0])), msg,
				      sizeof(msg)) <= 0)
			return cg_errf(err, errlen, -1, "%s: %s", path, msg[0] ? msg :
				       "no tunnel port to audit; drop no-default-ports or add "
				       "port KIND:PORT");
	}
	return 0;
fail:
	free(copy);
	return -1;
}

/* ------------------------------------------------------------- logging */

/* One event, one line: ts=RFC3339 level=L msg="..." (quotes escaped). */
static void ev(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void ev(const char *level, const char *fmt, ...)
{
	char msg[4096], ts[40];
	struct timespec now;
	struct tm tm;
	va_list ap;
	char *p;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "ts=%s.%03ldZ level=%s msg=\"", ts, now.tv_nsec / 1000000, level);
	for (p = msg; *p; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', stderr);
		fputc(*p == '\n' ? ' ' : *p, stderr);
	}
	fputs("\"\n", stderr);
	fflush(stderr);
}

/* -------------------------------------------------- attach or adopt */

static char *read_file(const char *path, char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0, n;
	char chunk[4096];
	FILE *f = fopen(path, "re"), *m;

	if (!f) {
		cg_errf(err, errlen, -errno, "cannot read --config %s: %s; give the agent's "
			"configuration file", path, strerror(errno));
		return NULL;
	}
	m = open_memstream(&buf, &len);
	while (m && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, m);
	fclose(f);
	if (!m || fclose(m)) {
		free(buf);
		cg_errf(err, errlen, -ENOMEM, "out of memory reading %s", path);
		return NULL;
	}
	return buf;
}

static int load_cfg(const char *path, struct cg_agent_cfg *cfg, char *err, size_t errlen)
{
	char *text = read_file(path, err, errlen);
	int e;

	if (!text)
		return -1;
	e = cg_agent_cfg_parse(text, path, cfg, err, errlen);
	free(text);
	return e;
}

/* Sets an adopted interface's mode and port table to the file's (the
 * rest of its config, e.g. flags, stays). Logs what changed. */
static int adopt_settings(const char *pin_dir, const char *ifname, const struct cg_agent_cfg *cfg,
			  char *err, size_t errlen)
{
	struct cg_port_spec tab[CG_PORTS_MAX + CG_N_DEFAULT_PORTS], now[CG_SNAP_PORTS_MAX];
	uint32_t *encap = calloc(CG_PORT_TABLE_SIZE, sizeof(*encap));
	char path[PATH_MAX], a[512], b[512];
	struct cg_config c = { 0 };
	int n, nn = 0, fd, e = 0;

	if (!encap)
		return cg_errf(err, errlen, -ENOMEM, "out of memory");
	n = cg_cli_port_table(&cfg->attach, tab, (int)(sizeof(tab) / sizeof(tab[0])), err,
			      errlen);
	cg_iface_path(path, sizeof(path), pin_dir, ifname, CG_PIN_PORTS);
	fd = cg_map_open(path);
	if (n < 0 || fd < 0) {
		e = n < 0 ? -EINVAL : cg_errf(err, errlen, fd, "cannot open %s: %s", path,
					       strerror(-fd));
		goto out;
	}
	if (!cg_ports_read(fd, encap))
		nn = cg_snap_ports(encap, now, CG_SNAP_PORTS_MAX);
	cg_fmt_ports(now, nn, a, sizeof(a));
	cg_fmt_ports(tab, n, b, sizeof(b));
	if (strcmp(a, b)) {
		e = cg_ports_write(fd, tab, n);
		if (e)
			cg_errf(err, errlen, e, "cannot write %s: %s", path, strerror(-e));
		else
			ev("info", "%s: ports %s (were %s)", ifname, b, a);
	}
	close(fd);
	if (e)
		goto out;
	cg_iface_path(path, sizeof(path), pin_dir, ifname, CG_PIN_CONFIG);
	fd = cg_map_open(path);
	if (fd < 0) {
		e = cg_errf(err, errlen, fd, "cannot open %s: %s", path, strerror(-fd));
		goto out;
	}
	if (!cg_config_read(fd, &c) && c.mode != (uint32_t)cfg->attach.mode) {
		enum cg_mode was = (enum cg_mode)c.mode;

		c.mode = cfg->attach.mode;
		e = cg_config_write(fd, &c);
		if (e)
			cg_errf(err, errlen, e, "cannot write %s: %s", path, strerror(-e));
		else
			ev("info", "%s: mode %s (was %s)", ifname, cg_mode_name(cfg->attach.mode),
			   cg_mode_name(was));
	}
	close(fd);
out:
	free(encap);
	return e;
}

/* One configured interface: attach the directions not attached here yet,
 * adopt the others. 0, or -1 with err set. */
static int apply_iface(const char *pin_dir, const char *name, const struct cg_agent_cfg *cfg,
		       char *err, size_t errlen)
{
	unsigned int want = cfg->attach.dirs ? cfg->attach.dirs : CG_DIRS_BOTH, todo = 0, have = 0;
	struct cg_xdp_attach_opts o = {
		.pin_dir = pin_dir,
		.ifname = name,
		.mode = cfg->attach.mode,
		.xdp_mode = cfg->attach.xdp_mode == CG_XDP_SKB ? XDP_MODE_SKB : XDP_MODE_NATIVE,
		.ports = cfg->attach.ports,
		.nports = cfg->attach.nports,
		.no_default_ports = cfg->attach.no_default_ports,
		.sources = cfg->attach.sources,
		.memory = cfg->attach.memory,
	};
	struct cg_attach_result r;
	struct cg_tc_record t;
	struct cg_where w[CG_DIR_MAX];
	char line[2048];
	int d;

	cg_locate(pin_dir, name, &w[CG_DIR_INGRESS]);
	cg_tc_locate(pin_dir, name, &w[CG_DIR_EGRESS], &t);
	for (d = 0; d < CG_DIR_MAX; d++) {
		if (!(want & (1U << d)))
			continue;
		if (w[d].state == CG_WHERE_HERE)
			have |= 1U << d;
		else if (w[d].state == CG_WHERE_ELSEWHERE)
			return cg_errf(err, errlen, -1, "%s %s: %s", name, cg_dir_name((enum cg_dir)d),
				       w[d].where);
		else
			todo |= 1U << d;
	}
	if (have) {
		ev("info", "%s: adopted what is attached (%s%s%s); its counters go on", name,
		   have & CG_DIRS_INGRESS ? "ingress" : "", have == CG_DIRS_BOTH ? " and " : "",
		   have & CG_DIRS_EGRESS ? "egress" : "");
		if (adopt_settings(pin_dir, name, cfg, err, errlen))
			return -1;
	}
	if (!todo)
		return 0;
	if (cg_attach(&o, todo, &r, err, errlen))
		return -1;
	if (r.dirs & CG_DIRS_INGRESS) {
		cg_attach_message(&r.in, name, cfg->attach.mode, line, sizeof(line));
		ev("info", "%s", line);
	}
	if (r.dirs & CG_DIRS_EGRESS) {
		cg_attach_egress_message(&r.eg, name, cfg->attach.mode, line, sizeof(line));
		ev("info", "%s", line);
	}
	ev("info", "%s: counters pinned at %s (%s)", name, r.state_dir,
	   r.reused ? "continued from before" : "new");
	return 0;
}

/* "nodes FILE": the known nodes replaced by the file's (checked first:
 * nothing changes on an error). */
static int load_nodes(const char *pin_dir, const char *path, char *err, size_t errlen)
{
	struct cg_node_entry *e = NULL;
	struct cg_nodes_result r;
	size_t n = 0;
	int rc;

	if (cg_nodes_parse_file(path, &e, &n, err, errlen))
		return -1;
	rc = cg_nodes_load(pin_dir, e, n, &r, err, errlen);
	free(e);
	if (rc)
		return -1;
	ev("info", "known nodes from %s: %zu addresses of %zu nodes (%zu added, %zu changed, "
	   "%zu removed)", path, r.total, r.nodes, r.added, r.changed, r.removed);
	return 0;
}

/* Every configured interface. At start a failure ends the agent; on a
 * reload it is logged and the others go on. Returns failures. */
static int apply_cfg(const char *pin_dir, const struct cg_agent_cfg *cfg, int at_start)
{
	char err[CG_ERRLEN], name[16];
	int i, failed = 0;

	if (cfg->nodes_path[0] && load_nodes(pin_dir, cfg->nodes_path, err, sizeof(err))) {
		ev("error", "%s", err);
		failed++;
		if (at_start)
			return failed;
	}

	for (i = 0; i < cfg->nifaces; i++) {
		snprintf(name, sizeof(name), "%s", cfg->ifaces[i]);
		if (!strcmp(name, CG_AGENT_DEFAULT_ROUTE)) {
			if (cg_default_route_iface(name, sizeof(name), err, sizeof(err))) {
				ev("error", "%s", err);
				failed++;
				if (at_start)
					return failed;
				continue;
			}
			ev("info", "the default route goes through %s", name);
		}
		if (apply_iface(pin_dir, name, cfg, err, sizeof(err))) {
			ev("error", "%s", err);
			failed++;
			if (at_start)
				return failed;
		}
	}
	return failed;
}

/* ------------------------------------------------------------- the loop */

#ifdef CG_NO_AGENT
/* csumguard.static, the qemu guests' build (Makefile): no HTTP library. */
int cmd_agent(const struct cg_cli *cli)
{
	(void)cli;
	(void)apply_cfg;
	(void)load_cfg;

	return cg_fail("this csumguard is the static build of the kernel tests, without the "
		       "agent; run the csumguard that `make` builds (build/csumguard)");
}
#else

static volatile sig_atomic_t got_stop, got_hup;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_stop = sig;
}

/* Known nodes for the node label, read afresh every tick (nodes add/del
 * and reloads show at once); a set that cannot be read: no names. */
static const char *name_of(const struct cg_addr *a, void *ctx)
{
	return cg_nodes_name(ctx, a);
}

static struct cg_nodes *refresh_names(struct cg_agent *agent, const char *pin_dir,
				      struct cg_nodes *old)
{
	struct cg_nodes *n = NULL;
	char err[CG_ERRLEN];

	if (cg_nodes_open(pin_dir, &n, err, sizeof(err)))
		n = NULL;
	cg_agent_set_names(agent, n ? name_of : NULL, n);	/* waits for a render */
	cg_nodes_close(old);
	return n;
}

/* --auto-block: the policy (lib/policy_run.h) on every tick; each decision,
 * learned TTL and expiry is one event line. */
static void policy_log(void *ctx, const char *line)
{
	(void)ctx;
	ev("info", "policy: %s", line);
}

static int policy_tick(void *ctx, const struct cg_snapshot *s, const struct cg_agent_now *now,
		       char *err, size_t errlen)
{
	return cg_autoblock_tick(ctx, s, now->mono_s, err, errlen);
}

/* The node's name: --node-name, $NODE_NAME (the DaemonSet's downward API),
 * or the host name. */
static void node_name(const struct cg_cli *cli, char *buf, size_t len)
{
	const char *env = getenv("NODE_NAME");

	if (cli->agent.node_name)
		snprintf(buf, len, "%s", cli->agent.node_name);
	else if (env && *env)
		snprintf(buf, len, "%s", env);
	else if (gethostname(buf, len))
		snprintf(buf, len, "unknown");
	buf[len - 1] = '\0';
}

int cmd_agent(const struct cg_cli *cli)
{
	const struct cg_agent_opts *o = &cli->agent;
	struct sigaction sa = { .sa_handler = on_signal };
	struct cg_agent_params p = { 0 };
	struct cg_agent_http *http = NULL;
	struct cg_agent_cfg cfg = { 0 };
	struct cg_agent *agent;
	struct cg_nodes *names = NULL;
	struct cg_autoblock *ab = NULL;
	char err[CG_ERRLEN], herr[CG_ERRLEN], node[256], libbpf[32], sel[32];
	struct timespec ts;
	int failing = 0, rc = CG_EXIT_OK;

	if (o->config && load_cfg(o->config, &cfg, err, sizeof(err)))
		return cg_fail("%s", err);
	if (cg_snapshot_check(cli->pin_dir, NULL, err, sizeof(err)))
		return cg_fail("%s", err);
	node_name(cli, node, sizeof(node));
	snprintf(libbpf, sizeof(libbpf), "%u.%u", libbpf_major_version(), libbpf_minor_version());
	p.pin_dir = cli->pin_dir;
	p.node = node;
	p.sel.mode = (enum cg_msrc_mode)o->msrc_mode;
	p.sel.top_k = o->msrc_top;
	p.sel.window_s = o->window;
	p.version = CG_VERSION;
	p.libbpf_version = libbpf;
	p.libxdp_version = CG_LIBXDP_VERSION;
	/* Known nodes (lib/nodes.h) give the node label: refresh_names. */
	agent = cg_agent_new(&p);
	if (!agent)
		return cg_fail("out of memory");
	if (o->auto_block) {
		struct cg_autoblock_opts ao = {
			.pin_dir = cli->pin_dir,
			.cfg = o->policy,
			.log = policy_log,
			.learn = 1,
		};

		ab = cg_autoblock_new(&ao);
		if (!ab) {
			cg_agent_free(agent);
			return cg_fail("out of memory");
		}
		cg_agent_set_tick(agent, policy_tick, ab);
	}

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	cg_metrics_sel_str(&p.sel, sel, sizeof(sel));
	ev("info", "csumguard %s agent starting on node %s: pin dir %s, config %s, metrics "
	   "sources %s (window %u s), tick every %u s", CG_VERSION, node, cli->pin_dir,
	   o->config ? o->config : "none (serving what is pinned)", sel, o->window, o->interval);
	if (o->config && apply_cfg(cli->pin_dir, &cfg, 1)) {
		rc = cg_fail("the configuration %s could not be applied (the line above says "
			     "why); fix it and start again", o->config);
		goto out;
	}
	/* /healthz fails after three missed ticks */
	http = cg_agent_http_start(agent, o->listen, 3 * o->interval + 5, err, sizeof(err));
	if (!http) {
		rc = cg_fail("%s", err);
		goto out;
	}
	ev("info", "serving /metrics, /healthz, /readyz on %s%s%s", o->listen,
	   o->textfile ? "; writing " : "", o->textfile ? o->textfile : "");
	if (ab)
		ev("info", "auto-block on: a known node with >= %llu bad and >= %.2f %% bad of "
		   "its checked packets with its own TTL within %u s is blocked for %u s, then "
		   "on probation; at most %.2f %% of the known nodes at once",
		   (unsigned long long)o->policy.min_bad, o->policy.min_ratio_ppm / 10000.0,
		   o->policy.window_s, o->policy.block_s, o->policy.max_share_ppm / 10000.0);

	while (!got_stop) {
		if (got_hup) {
			struct cg_agent_cfg next;

			got_hup = 0;
			if (!o->config)
				ev("info", "SIGHUP: no --config to reload");
			else if (load_cfg(o->config, &next, err, sizeof(err)))
				ev("error", "SIGHUP: %s; kept the configuration in force", err);
			else {
				ev("info", "SIGHUP: reloading %s", o->config);
				cfg = next;
				apply_cfg(cli->pin_dir, &cfg, 0);
			}
		}
		names = refresh_names(agent, cli->pin_dir, names);
		if (cg_agent_tick(agent, o->textfile, err, sizeof(err), herr, sizeof(herr))) {
			if (!failing)	/* once, not every tick */
				ev("error", "%s", err);
			failing = 1;
		} else if (failing) {
			ev("info", "the pinned state reads again");
			failing = 0;
		}
		if (herr[0])
			ev("error", "tick hook: %s", herr);
		ts.tv_sec = o->interval;
		ts.tv_nsec = 0;
		while (!got_stop && !got_hup && nanosleep(&ts, &ts) && errno == EINTR)
			;
	}
	ev("info", "signal %d: stopping; the datapath stays attached and its counters pinned",
	   (int)got_stop);
out:
	cg_agent_http_stop(http);
	cg_agent_free(agent);
	cg_autoblock_free(ab);
	cg_nodes_close(names);
	return rc;
}
#endif /* CG_NO_AGENT */
