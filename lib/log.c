// SPDX-License-Identifier: GPL-2.0
/* log.c - see log.h. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>
#include "log.h"

static struct {
	char *buf;
	size_t len, cap;
	FILE *echo;
} lg;

static void log_append(const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n <= 0)
		return;
	if (lg.len + (size_t)n + 1 > lg.cap) {
		size_t cap = lg.cap ? lg.cap : 4096;
		char *p;

		while (cap < lg.len + (size_t)n + 1)
			cap *= 2;
		if (cap > (64u << 20))
			return;	/* a runaway log: keep what we have */
		p = realloc(lg.buf, cap);
		if (!p)
			return;
		lg.buf = p;
		lg.cap = cap;
	}
	vsnprintf(lg.buf + lg.len, lg.cap - lg.len, fmt, ap);
	lg.len += (size_t)n;
}

/* One message of either library: echoed if asked, kept unless it is a
 * debug message nobody asked to see. */
static int log_msg(int debug, const char *fmt, va_list ap)
{
	va_list ap2;

	if (lg.echo) {
		va_copy(ap2, ap);
		vfprintf(lg.echo, fmt, ap2);
		va_end(ap2);
	}
	if (!debug || lg.echo)
		log_append(fmt, ap);
	return 0;
}

static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return log_msg(level == LIBBPF_DEBUG, fmt, ap);
}

static int libxdp_log(enum libxdp_print_level level, const char *fmt, va_list ap)
{
	return log_msg(level == LIBXDP_DEBUG, fmt, ap);
}

void cg_log_init(FILE *echo)
{
	lg.echo = echo;
	libbpf_set_print(libbpf_log);
	libxdp_set_print(libxdp_log);
}

const char *cg_log_text(void)
{
	return lg.buf ? lg.buf : "";
}

int cg_log_echoes(void)
{
	return lg.echo != NULL;
}

void cg_log_clear(void)
{
	lg.len = 0;
	if (lg.buf)
		lg.buf[0] = '\0';
}

int cg_log_save(const char *what, char *buf, size_t len)
{
	const char *dir = getenv("TMPDIR");
	FILE *f;
	int fd;

	snprintf(buf, len, "%s/csumguard-%s-XXXXXX.log", dir && *dir ? dir : "/tmp", what);
	fd = mkstemps(buf, 4);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -1;
	}
	fputs(cg_log_text(), f);
	fclose(f);
	return 0;
}
