/* SPDX-License-Identifier: GPL-2.0 */
/*
 * agent.h - the long-running side of csumguard (`csumguard agent`): the
 * read path (snapshot.h) turned into Prometheus metrics (metrics.h) on
 * demand, a tick every interval for what must run on its own (the
 * node_exporter textfile, the policy engine), and the HTTP server that
 * serves /metrics (agent_http.c, libmicrohttpd). What to attach is the
 * front end's (loader/cmd_agent.c); this never prints: failures are
 * "cause; fix" lines in err, as everywhere in lib/.
 *
 * Threads: the HTTP server answers in its own thread; cg_agent_render and
 * cg_agent_tick may run at the same time and are serialised inside.
 */
#ifndef CG_AGENT_H
#define CG_AGENT_H

#include <stddef.h>
#include <stdint.h>
#include "metrics.h"
#include "snapshot.h"

#define CG_AGENT_LISTEN_DEFAULT	"127.0.0.1:9469"
#define CG_AGENT_INTERVAL_DEFAULT	10	/* seconds between ticks */

/* The moment of a tick or a scrape, in the three clocks csumguard uses. */
struct cg_agent_now {
	uint64_t boot_ns;	/* CLOCK_BOOTTIME: the datapath's timestamps */
	double unix_s;		/* CLOCK_REALTIME: what metrics and logs show */
	uint64_t mono_s;	/* CLOCK_BOOTTIME seconds: windows (never jumps back) */
};
void cg_agent_now(struct cg_agent_now *now);

/*
 * The per-tick hook: called once every interval, from the agent's main
 * loop, with the snapshot just taken (every interface with state under the
 * pin dir) and its time; the snapshot is freed when it returns. This is
 * where the policy engine (auto-block) plugs in: cg_agent_set_tick(agent,
 * policy_tick, policy). Return 0, or -errno with "cause; fix" in err: the
 * front end logs it and the agent goes on (the next tick calls it again).
 * No hook is set by default.
 */
typedef int (*cg_agent_tick_fn)(void *ctx, const struct cg_snapshot *s,
				const struct cg_agent_now *now, char *err, size_t errlen);

struct cg_agent_params {
	const char *pin_dir;		/* canonical */
	const char *node;		/* this node's name: csumguard_agent_info */
	struct cg_metrics_sel sel;	/* which per-address rows get series */
	const char *version, *libbpf_version, *libxdp_version;	/* csumguard_build_info */
	cg_name_of_fn name_of;		/* known nodes, or NULL: no node labels */
	void *name_ctx;
};

struct cg_agent;

/* NULL on out of memory. p's strings must outlive the agent. */
struct cg_agent *cg_agent_new(const struct cg_agent_params *p);
void cg_agent_free(struct cg_agent *a);

/* Replaces the name lookup (after a reload of the known nodes). */
void cg_agent_set_names(struct cg_agent *a, cg_name_of_fn name_of, void *ctx);

/* Sets (or with NULL clears) the per-tick hook. */
void cg_agent_set_tick(struct cg_agent *a, cg_agent_tick_fn fn, void *ctx);

/*
 * A fresh snapshot as the exposition: *buf (malloc'ed, *len bytes; not
 * NUL-terminated). Also how many per-address rows it wrote (*rows, may be
 * NULL). 0, or -errno with err set.
 */
int cg_agent_render(struct cg_agent *a, char **buf, size_t *len, size_t *rows, char *err,
		    size_t errlen);

/*
 * One tick: a snapshot, the hook (its failure goes to hook_err, the tick
 * goes on), and with textfile set, the exposition written there
 * atomically. 0, or -errno with err set when the snapshot or the textfile
 * failed. Also keeps what /healthz and /readyz say.
 */
int cg_agent_tick(struct cg_agent *a, const char *textfile, char *err, size_t errlen,
		  char *hook_err, size_t hook_errlen);

/* Seconds since the last tick that ran (a stuck main loop: not live), and
 * whether the last snapshot succeeded (ready). */
int cg_agent_health(struct cg_agent *a, uint64_t *since_tick_s, int *ready);

/*
 * Writes len bytes of buf to path atomically: a temporary file in the same
 * directory ("PATH.tmp.PID", which node_exporter's *.prom glob skips),
 * flushed to disk, mode 0644, renamed over path. A reader sees the old file
 * or the new one, never a part. 0, or -errno with err set (the temporary
 * file removed).
 */
int cg_write_atomic(const char *path, const char *buf, size_t len, char *err, size_t errlen);

/*
 * The interface of the default route (IPv4 first, then IPv6; the lowest
 * metric; "lo" and routes that are not up never count), as in
 * /proc/net/route and /proc/net/ipv6_route of this network namespace.
 * 0, or -errno with err set (-ENOENT: no default route).
 */
int cg_default_route_iface(char *out, size_t len, char *err, size_t errlen);
/* The parsers, pure: 0 and out filled, or -ENOENT. */
int cg_route4_default(const char *proc_net_route, char *out, size_t len);
int cg_route6_default(const char *proc_net_ipv6_route, char *out, size_t len);

/* ---------------------------------------------------- the HTTP server */

struct cg_agent_http;

/*
 * Serves the agent on listen ("ADDR:PORT", "[V6ADDR]:PORT", "V6ADDR:PORT"
 * split at the last colon, or ":PORT" for every address) from a thread of
 * libmicrohttpd's:
 *   GET /metrics   the exposition (cg_agent_render; 503 and the error line
 *                  when the state cannot be read)
 *   GET /healthz   200 while the main loop ticks (liveness), else 503
 *   GET /readyz    200 once a snapshot succeeded and the last one did
 *                  (readiness), else 503
 *   anything else  404 naming the paths
 * max_tick_age_s: /healthz fails when the last tick is older.
 * NULL with err set when it cannot listen (the address taken, not local).
 */
struct cg_agent_http *cg_agent_http_start(struct cg_agent *a, const char *listen,
					  unsigned int max_tick_age_s, char *err, size_t errlen);
void cg_agent_http_stop(struct cg_agent_http *h);

/* listen as a socket address. 0, or -EINVAL with err set. */
struct sockaddr_storage;
int cg_listen_parse(const char *listen, struct sockaddr_storage *ss, char *err, size_t errlen);

#endif /* CG_AGENT_H */
