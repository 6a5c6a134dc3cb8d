// SPDX-License-Identifier: GPL-2.0
/* agent_http.c - the agent's HTTP endpoints (agent.h) through libmicrohttpd:
 * csumguard does not implement HTTP. The listening socket is made here, so
 * that a failure to listen says why (address in use, not local). */
#define _GNU_SOURCE	/* vasprintf */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <stdarg.h>
#include <microhttpd.h>
#include "agent.h"
#include "err.h"

struct cg_agent_http {
	struct MHD_Daemon *d;
	struct cg_agent *a;
	unsigned int max_tick_age_s;
	int fd;
};

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, const char *type,
			     void *body, size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, mode);
	enum MHD_Result ret;

	if (!r) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result text(struct MHD_Connection *c, unsigned int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum MHD_Result text(struct MHD_Connection *c, unsigned int status, const char *fmt, ...)
{
	char *body = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&body, fmt, ap);
	va_end(ap);
	if (n < 0)
		return MHD_NO;
	return reply(c, status, "text/plain; charset=utf-8", body, (size_t)n,
		     MHD_RESPMEM_MUST_FREE);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **con_cls)
{
	struct cg_agent_http *h = cls;
	char err[CG_ERRLEN];
	uint64_t since;
	char *buf;
	size_t len;
	int ready;

	(void)version;
	(void)upload;
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET\n");
	if (*upload_size)
		return MHD_NO;
	(void)con_cls;
	if (!strcmp(url, "/metrics")) {
		if (cg_agent_render(h->a, &buf, &len, NULL, err, sizeof(err)))
			return text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "%s\n", err);
		return reply(c, MHD_HTTP_OK, CG_METRICS_CONTENT_TYPE, buf, len,
			     MHD_RESPMEM_MUST_FREE);
	}
	if (!strcmp(url, "/healthz")) {
		cg_agent_health(h->a, &since, &ready);
		if (since > h->max_tick_age_s)
			return text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "stuck: no tick for %s s\n",
				     since == UINT64_MAX ? "ever" : "many");
		return text(c, MHD_HTTP_OK, "ok\n");
	}
	if (!strcmp(url, "/readyz")) {
		cg_agent_health(h->a, &since, &ready);
		return ready ? text(c, MHD_HTTP_OK, "ready\n") :
			text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "not ready: the pinned state cannot "
			     "be read (the agent's log says why)\n");
	}
	return text(c, MHD_HTTP_NOT_FOUND, "csumguard agent: /metrics, /healthz, /readyz\n");
}

struct cg_agent_http *cg_agent_http_start(struct cg_agent *a, const char *where,
					  unsigned int max_tick_age_s, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	struct cg_agent_http *h;
	int fd, one = 1, zero = 0;
	socklen_t sl;

	if (cg_listen_parse(where, &ss, err, errlen))
		return NULL;
	h = calloc(1, sizeof(*h));
	if (!h) {
		cg_errf(err, errlen, -ENOMEM, "out of memory");
		return NULL;
	}
	h->a = a;
	h->max_tick_age_s = max_tick_age_s;
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		cg_errf(err, errlen, -errno, "cannot make a socket for %s: %s", where,
			strerror(errno));
		goto fail;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6)	/* ":PORT" takes IPv4 too */
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	sl = ss.ss_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
	if (bind(fd, (struct sockaddr *)&ss, sl) || listen(fd, 64)) {
		int e = errno;

		cg_errf(err, errlen, -e, "cannot listen on %s: %s; %s", where, strerror(e),
			e == EADDRINUSE ? "another process has that port (ss -ltnp), give another "
			"with --listen" : e == EADDRNOTAVAIL ? "that address is not on this node "
			"(ip addr), give one that is with --listen" : "check --listen");
		close(fd);
		goto fail;
	}
	h->fd = fd;
	h->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
				(ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0), 0, NULL, NULL,
				handle, h, MHD_OPTION_LISTEN_SOCKET, fd,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned int)32, MHD_OPTION_END);
	if (!h->d) {
		cg_errf(err, errlen, -EIO, "libmicrohttpd could not serve %s; run with --verbose "
			"and check the address", where);
		close(fd);
		goto fail;
	}
	return h;
fail:
	free(h);
	return NULL;
}

void cg_agent_http_stop(struct cg_agent_http *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->d);	/* closes the listening socket it was given */
	free(h);
}
