// SPDX-License-Identifier: GPL-2.0
/* agent.c - see agent.h: snapshot -> metrics, the tick, the textfile. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "agent.h"
#include "blocklist.h"
#include "err.h"
#include "movelog.h"
#include "netdev.h"

struct cg_agent {
	struct cg_agent_params p;
	pthread_mutex_t lock;		/* everything below, and one render at a time */
	struct cg_metrics_track *track;
	cg_agent_tick_fn tick_fn;
	void *tick_ctx;
	double start_unix;
	uint64_t last_tick_mono;	/* 0: no tick yet */
	int ever_ok, last_ok;		/* snapshots */
};

void cg_agent_now(struct cg_agent_now *now)
{
	struct timespec b, r;

	clock_gettime(CLOCK_BOOTTIME, &b);
	clock_gettime(CLOCK_REALTIME, &r);
	now->boot_ns = (uint64_t)b.tv_sec * 1000000000ull + (uint64_t)b.tv_nsec;
	now->unix_s = (double)r.tv_sec + (double)r.tv_nsec / 1e9;
	now->mono_s = (uint64_t)b.tv_sec;
}

struct cg_agent *cg_agent_new(const struct cg_agent_params *p)
{
	struct cg_agent *a = calloc(1, sizeof(*a));
	struct cg_agent_now now;

	if (!a)
		return NULL;
	a->p = *p;
	a->track = cg_metrics_track_new();
	if (!a->track) {
		free(a);
		return NULL;
	}
	pthread_mutex_init(&a->lock, NULL);
	cg_agent_now(&now);
	a->start_unix = now.unix_s;
	return a;
}

void cg_agent_free(struct cg_agent *a)
{
	if (!a)
		return;
	cg_metrics_track_free(a->track);
	pthread_mutex_destroy(&a->lock);
	free(a);
}

void cg_agent_set_names(struct cg_agent *a, cg_name_of_fn name_of, void *ctx)
{
	pthread_mutex_lock(&a->lock);
	a->p.name_of = name_of;
	a->p.name_ctx = ctx;
	pthread_mutex_unlock(&a->lock);
}

void cg_agent_set_tick(struct cg_agent *a, cg_agent_tick_fn fn, void *ctx)
{
	pthread_mutex_lock(&a->lock);
	a->tick_fn = fn;
	a->tick_ctx = ctx;
	pthread_mutex_unlock(&a->lock);
}

/* The NIC facts of an interface that exists here (by the index the
 * snapshot found it at: a same-named device elsewhere is not it). */
static void nic_facts(const struct cg_iface_snap *s, struct cg_metrics_iface *x)
{
	char name[IF_NAMESIZE], err[CG_ERRLEN];
	int ifindex = s->has_ingress ? s->v.ifindex : s->ev.ifindex;

	if (ifindex <= 0 || cg_netdev_name(ifindex, name, sizeof(name)))
		return;
	x->have_nic = !cg_netdev_info(name, &x->nic, err, sizeof(err));
	x->have_features = !cg_netdev_offloads(name, &x->features, err, sizeof(err));
}

/* Writes s as the exposition to f. Called with the lock held. */
static int render_locked(struct cg_agent *a, struct cg_snapshot *s, const struct cg_agent_now *now,
			 FILE *f, size_t *rows)
{
	const struct cg_field *sf, *df;
	struct cg_metrics_iface *xs;
	struct cg_blocklist bl = { 0 };
	struct cg_metrics_doc d = { 0 };
	unsigned char **picks;
	char err[CG_ERRLEN];
	size_t i, nsf, ndf, total = 0;
	long k;
	int e = 0;

	sf = cg_src_fields(&nsf);
	df = cg_dst_fields(&ndf);
	xs = calloc(s->n ? s->n : 1, sizeof(*xs));
	picks = calloc(2 * (s->n ? s->n : 1), sizeof(*picks));
	if (!xs || !picks) {
		e = -ENOMEM;
		goto out;
	}
	for (i = 0; i < s->n; i++) {
		struct cg_iface_snap *is = &s->ifaces[i];
		struct cg_metrics_iface *x = &xs[i];

		if (is->has_ingress) {
			/* rows in the snapshot's order (by address): Prometheus
			 * needs no order, and sorting 16384 rows a scrape costs */
			x->in = &is->v;
			picks[2 * i] = malloc(is->v.nrows ? is->v.nrows : 1);
			if (!picks[2 * i]) {
				e = -ENOMEM;
				goto out;
			}
			k = cg_metrics_pick(a->track, is->name, CG_DIR_INGRESS, is->rows,
					    is->v.nrows, sizeof(*is->rows),
					    offsetof(struct cg_src_row, st), sf, nsf, &a->p.sel,
					    now->mono_s, picks[2 * i]);
			if (k < 0) {
				e = (int)k;
				goto out;
			}
			total += (size_t)k;
			x->src_pick = picks[2 * i];
		}
		if (is->has_egress) {
			x->eg = &is->ev;
			picks[2 * i + 1] = malloc(is->ev.ndrows ? is->ev.ndrows : 1);
			if (!picks[2 * i + 1]) {
				e = -ENOMEM;
				goto out;
			}
			k = cg_metrics_pick(a->track, is->name, CG_DIR_EGRESS, is->drows,
					    is->ev.ndrows, sizeof(*is->drows),
					    offsetof(struct cg_dst_row, st), df, ndf, &a->p.sel,
					    now->mono_s, picks[2 * i + 1]);
			if (k < 0) {
				e = (int)k;
				goto out;
			}
			total += (size_t)k;
			x->dst_pick = picks[2 * i + 1];
		}
		nic_facts(is, x);
	}
	d.have_blocklist = !cg_blocklist_get(a->p.pin_dir, &bl, err, sizeof(err));
	d.blocks = bl.rows;
	d.nblocks = bl.n;
	d.ifaces = xs;
	d.n = s->n;
	d.name_of = a->p.name_of;
	d.name_ctx = a->p.name_ctx;
	d.node = a->p.node;
	d.version = a->p.version;
	d.libbpf_version = a->p.libbpf_version;
	d.libxdp_version = a->p.libxdp_version;
	d.sel = &a->p.sel;
	d.start_unix = a->start_unix;
	d.now_boot_ns = now->boot_ns;
	d.now_unix = now->unix_s;
	e = cg_metrics_write(f, &d);
	if (rows)
		*rows = total;
out:
	if (d.have_blocklist)
		cg_blocklist_free(&bl);
	for (i = 0; picks && i < 2 * s->n; i++)
		free(picks[i]);
	free(picks);
	free(xs);
	return e;
}

/* A snapshot and, with buf, its exposition. Lock held. */
static int take_and_render(struct cg_agent *a, struct cg_snapshot *s, struct cg_agent_now *now,
			   char **buf, size_t *len, size_t *rows, char *err, size_t errlen)
{
	FILE *f;
	int e;

	cg_agent_now(now);
	e = cg_snapshot_take(a->p.pin_dir, NULL, s, err, errlen);
	a->last_ok = !e;
	a->ever_ok |= !e;
	if (e || !buf)
		return e;
	*buf = NULL;
	*len = 0;
	f = open_memstream(buf, len);
	if (!f) {
		cg_snapshot_free(s);
		return cg_errf(err, errlen, -ENOMEM, "out of memory rendering the metrics");
	}
	e = render_locked(a, s, now, f, rows);
	if (fclose(f) && !e)
		e = -EIO;
	if (e) {
		free(*buf);
		*buf = NULL;
		cg_snapshot_free(s);
		return cg_errf(err, errlen, e, "cannot render the metrics: %s", strerror(-e));
	}
	return 0;
}

int cg_agent_render(struct cg_agent *a, char **buf, size_t *len, size_t *rows, char *err,
		    size_t errlen)
{
	struct cg_agent_now now;
	struct cg_snapshot s;
	int e;

	pthread_mutex_lock(&a->lock);
	e = take_and_render(a, &s, &now, buf, len, rows, err, errlen);
	if (!e)
		cg_snapshot_free(&s);
	pthread_mutex_unlock(&a->lock);
	return e;
}

int cg_agent_tick(struct cg_agent *a, const char *textfile, char *err, size_t errlen,
		  char *hook_err, size_t hook_errlen)
{
	struct cg_agent_now now;
	struct cg_snapshot s;
	char *buf = NULL;
	size_t len = 0;
	int e;

	if (hook_err && hook_errlen)
		hook_err[0] = '\0';
	/* A row move a killed command left (lib/movelog.h): finished before
	 * the rows are read, so the series count its history once. */
	cg_move_recover(a->p.pin_dir, 0);
	pthread_mutex_lock(&a->lock);
	e = take_and_render(a, &s, &now, textfile ? &buf : NULL, &len, NULL, err, errlen);
	a->last_tick_mono = now.mono_s ? now.mono_s : 1;
	if (!e) {
		if (a->tick_fn && a->tick_fn(a->tick_ctx, &s, &now, hook_err, hook_errlen) < 0 &&
		    hook_err && hook_errlen && !hook_err[0])
			snprintf(hook_err, hook_errlen, "the tick hook failed");
		cg_snapshot_free(&s);
	}
	pthread_mutex_unlock(&a->lock);
	if (!e && textfile)
		e = cg_write_atomic(textfile, buf, len, err, errlen);
	free(buf);
	return e;
}

int cg_agent_health(struct cg_agent *a, uint64_t *since_tick_s, int *ready)
{
	struct cg_agent_now now;

	cg_agent_now(&now);
	pthread_mutex_lock(&a->lock);
	*since_tick_s = a->last_tick_mono ? now.mono_s - a->last_tick_mono : UINT64_MAX;
	*ready = a->ever_ok && a->last_ok;
	pthread_mutex_unlock(&a->lock);
	return 0;
}

int cg_write_atomic(const char *path, const char *buf, size_t len, char *err, size_t errlen)
{
	char tmp[PATH_MAX];
	size_t off = 0;
	ssize_t w;
	int fd, e = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof(tmp))
		return cg_errf(err, errlen, -ENAMETOOLONG, "--textfile %s: the name is too long; "
			       "give a shorter path", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return cg_errf(err, errlen, -errno, "cannot create %s: %s; check that the "
			       "directory exists and is writable (node_exporter's "
			       "--collector.textfile.directory)", tmp, strerror(errno));
	while (off < len) {
		w = write(fd, buf + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			e = -(w < 0 ? errno : EIO);
			break;
		}
		off += (size_t)w;
	}
	if (!e && fchmod(fd, 0644))	/* whatever the umask: node_exporter reads it */
		e = -errno;
	if (!e && fsync(fd))
		e = -errno;
	if (close(fd) && !e)
		e = -errno;
	if (!e && rename(tmp, path))
		e = -errno;
	if (e) {
		unlink(tmp);
		return cg_errf(err, errlen, e, "cannot write %s: %s; check the disk and the "
			       "directory's permissions", path, strerror(-e));
	}
	return 0;
}

/* --listen (here, not in agent_http.c: the command line parses it, and the
 * static build has no HTTP library) */
int cg_listen_parse(const char *listen, struct sockaddr_storage *ss, char *err, size_t errlen)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon = strrchr(listen, ':');
	unsigned long port;
	size_t hl;
	char *end;

	memset(ss, 0, sizeof(*ss));
	if (!colon)
		goto bad;
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno || *end || !colon[1] || port < 1 || port > 65535)
		goto bad;
	hl = (size_t)(colon - listen);
	if (hl >= sizeof(host))
		goto bad;
	memcpy(host, listen, hl);
	host[hl] = '\0';
	if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
		memmove(host, host + 1, hl - 2);
		host[hl - 2] = '\0';
		if (inet_pton(AF_INET6, host, &s6->sin6_addr) != 1)
			goto bad;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		return 0;
	}
	if (!hl) {			/* ":PORT": every address, IPv4 and IPv6 */
		s6->sin6_family = AF_INET6;
		s6->sin6_addr = in6addr_any;
		s6->sin6_port = htons((uint16_t)port);
		return 0;
	}
	if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		return 0;
	}
bad:
	return cg_errf(err, errlen, -EINVAL, "bad --listen '%s'; give ADDR:PORT, e.g. "
		       CG_AGENT_LISTEN_DEFAULT ", [::1]:9469, or :9469 for every address",
		       listen);
}

/* ----------------------------------------------------------- default route */

/* Fields of a line, split at blanks, into v (at most max). */
static int split(char *line, char **v, int max)
{
	int n = 0;
	char *save = NULL, *t;

	for (t = strtok_r(line, " \t\n", &save); t && n < max; t = strtok_r(NULL, " \t\n", &save))
		v[n++] = t;
	return n;
}

/* Iface Destination Gateway Flags RefCnt Use Metric Mask ... (hex, host order) */
int cg_route4_default(const char *text, char *out, size_t len)
{
	char *copy = strdup(text), *line, *save = NULL, *v[11];
	unsigned long best = ULONG_MAX, metric;
	int first = 1, found = 0;

	if (!copy)
		return -ENOMEM;
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (first) {	/* the header */
			first = 0;
			continue;
		}
		if (split(line, v, 11) < 8)
			continue;
		/* default: destination and mask 0; RTF_UP (0x1) */
		if (strtoul(v[1], NULL, 16) || strtoul(v[7], NULL, 16) ||
		    !(strtoul(v[3], NULL, 16) & 0x1) || !strcmp(v[0], "lo"))
			continue;
		metric = strtoul(v[6], NULL, 10);
		if (!found || metric < best) {
			best = metric;
			snprintf(out, len, "%s", v[0]);
			found = 1;
		}
	}
	free(copy);
	return found ? 0 : -ENOENT;
}

/* dest plen src splen nexthop metric refcnt use flags iface (hex) */
int cg_route6_default(const char *text, char *out, size_t len)
{
	char *copy = strdup(text), *line, *save = NULL, *v[11];
	unsigned long best = ULONG_MAX, metric;
	int found = 0;

	if (!copy)
		return -ENOMEM;
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (split(line, v, 11) < 10)
			continue;
		if (strspn(v[0], "0") != 32 || strtoul(v[1], NULL, 16) ||
		    !(strtoul(v[8], NULL, 16) & 0x1) || !strcmp(v[9], "lo"))
			continue;
		metric = strtoul(v[5], NULL, 16);
		if (!found || metric < best) {
			best = metric;
			snprintf(out, len, "%s", v[9]);
			found = 1;
		}
	}
	free(copy);
	return found ? 0 : -ENOENT;
}

/* A small /proc file, whole. NULL on failure (errno set). */
static char *slurp(const char *path)
{
	char *buf = NULL;
	size_t len = 0, n;
	char chunk[4096];
	FILE *f = fopen(path, "re"), *m;

	if (!f)
		return NULL;
	m = open_memstream(&buf, &len);
	if (!m) {
		fclose(f);
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, m);
	fclose(f);
	if (fclose(m)) {
		free(buf);
		return NULL;
	}
	return buf;
}

int cg_default_route_iface(char *out, size_t len, char *err, size_t errlen)
{
	char *t;
	int e = -ENOENT;

	if ((t = slurp("/proc/net/route"))) {
		e = cg_route4_default(t, out, len);
		free(t);
	}
	if (e && (t = slurp("/proc/net/ipv6_route"))) {
		e = cg_route6_default(t, out, len);
		free(t);
	}
	if (e)
		return cg_errf(err, errlen, e == -ENOMEM ? e : -ENOENT, "this network namespace has "
			       "no default route (ip route; ip -6 route), so 'interface "
			       "default-route' names nothing; name the interface in the "
			       "configuration instead");
	return 0;
}
