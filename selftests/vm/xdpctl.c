// SPDX-License-Identifier: GPL-2.0
/*
 * xdpctl - the "other XDP program" of the coexistence test (TEST ONLY).
 *
 * A few lines of libxdp, linked static so it runs in the qemu guest of
 * selftests/vm/coexist.sh next to csumguard. It plays a third-party XDP
 * user (like xdp-loader) and also lists what libxdp sees on an interface, so
 * the test asserts with a tool that is not csumguard itself.
 *
 *   xdpctl load IFACE OBJ [--prio N] [--skb]   load OBJ's first program, attach
 *   xdpctl unload IFACE NAME                   detach the program named NAME
 *   xdpctl list IFACE                          what is attached, one line each
 *
 * `list` prints exactly one of
 *   none
 *   alone MODE NAME ID                 (a single program, no dispatcher)
 *   dispatcher MODE COUNT              followed by COUNT lines
 *   prog NAME ID PRIO                  in run order
 * MODE is native, skb or hw. Exit status: 0 ok, 1 failure, 2 usage.
 */
#include <errno.h>
#include <stdarg.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

static int verbose;

static int print_fn(enum libxdp_print_level level, const char *fmt, va_list args)
{
	if (level == LIBXDP_DEBUG && !verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level != LIBBPF_WARN && !verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static int usage(void)
{
	fprintf(stderr,
		"usage: xdpctl load IFACE OBJ [--prio N] [--skb]\n"
		"       xdpctl unload IFACE NAME\n"
		"       xdpctl list IFACE\n");
	return 2;
}

static const char *mode_name(enum xdp_attach_mode m)
{
	switch (m) {
	case XDP_MODE_NATIVE: return "native";
	case XDP_MODE_SKB: return "skb";
	case XDP_MODE_HW: return "hw";
	default: return "unspec";
	}
}

static int errmsg(const char *what, long err)
{
	char buf[256];

	libxdp_strerror((int)err, buf, sizeof(buf));
	fprintf(stderr, "xdpctl: %s: %s (%ld)\n", what, buf, err);
	return 1;
}

/* NULL with *err == 0: no XDP program on the interface. */
static struct xdp_multiprog *get_mp(int ifindex, long *err)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);

	*err = libxdp_get_error(mp);
	if (*err == -ENOENT) {
		*err = 0;
		return NULL;
	}
	if (*err)
		return NULL;
	if (!xdp_multiprog__is_legacy(mp) && xdp_multiprog__program_count(mp) == 0 &&
	    !xdp_multiprog__main_prog(mp)) {
		xdp_multiprog__close(mp);
		return NULL;
	}
	return mp;
}

static int cmd_list(int ifindex)
{
	struct xdp_multiprog *mp;
	struct xdp_program *p;
	long err;

	mp = get_mp(ifindex, &err);
	if (err)
		return errmsg("reading the interface's XDP programs", err);
	if (!mp) {
		printf("none\n");
		return 0;
	}
	if (xdp_multiprog__is_legacy(mp)) {
		p = xdp_multiprog__main_prog(mp);
		printf("alone %s %s %u\n", mode_name(xdp_multiprog__attach_mode(mp)),
		       p ? xdp_program__name(p) : "?", p ? xdp_program__id(p) : 0);
	} else {
		printf("dispatcher %s %d\n", mode_name(xdp_multiprog__attach_mode(mp)),
		       xdp_multiprog__program_count(mp));
		for (p = xdp_multiprog__next_prog(NULL, mp); p; p = xdp_multiprog__next_prog(p, mp))
			printf("prog %s %u %u\n", xdp_program__name(p), xdp_program__id(p),
			       xdp_program__run_prio(p));
	}
	xdp_multiprog__close(mp);
	return 0;
}

static int cmd_load(int ifindex, const char *obj, int prio, enum xdp_attach_mode mode)
{
	struct xdp_program *prog;
	long err;

	prog = xdp_program__open_file(obj, NULL, NULL);
	err = libxdp_get_error(prog);
	if (err)
		return errmsg(obj, err);
	if (prio >= 0 && (err = xdp_program__set_run_prio(prog, (unsigned int)prio)))
		return errmsg("setting the run priority", err);
	err = xdp_program__attach(prog, ifindex, mode, 0);
	if (err) {
		xdp_program__close(prog);
		return errmsg("attaching", err);
	}
	printf("loaded %s id %u prio %u\n", xdp_program__name(prog), xdp_program__id(prog),
	       xdp_program__run_prio(prog));
	xdp_program__close(prog);
	return 0;
}

static int cmd_unload(int ifindex, const char *name)
{
	struct xdp_multiprog *mp;
	struct xdp_program *p = NULL;
	enum xdp_attach_mode mode;
	long err;

	mp = get_mp(ifindex, &err);
	if (err)
		return errmsg("reading the interface's XDP programs", err);
	if (!mp) {
		fprintf(stderr, "xdpctl: no XDP program on the interface\n");
		return 1;
	}
	mode = xdp_multiprog__attach_mode(mp);
	if (xdp_multiprog__is_legacy(mp)) {
		p = xdp_multiprog__main_prog(mp);
		if (p && strcmp(xdp_program__name(p), name))
			p = NULL;
	} else {
		for (p = xdp_multiprog__next_prog(NULL, mp); p; p = xdp_multiprog__next_prog(p, mp))
			if (!strcmp(xdp_program__name(p), name))
				break;
	}
	if (!p) {
		xdp_multiprog__close(mp);
		fprintf(stderr, "xdpctl: no program named %s on the interface\n", name);
		return 1;
	}
	err = xdp_program__detach(p, ifindex, mode, 0);
	xdp_multiprog__close(mp);
	if (err)
		return errmsg("detaching", err);
	printf("unloaded %s\n", name);
	return 0;
}

int main(int argc, char **argv)
{
	enum xdp_attach_mode mode = XDP_MODE_NATIVE;
	int ifindex, prio = -1, i;
	char *end;

	if (getenv("XDPCTL_VERBOSE"))
		verbose = 1;
	libxdp_set_print(print_fn);
	libbpf_set_print(libbpf_print);
	if (argc < 3)
		return usage();
	ifindex = (int)if_nametoindex(argv[2]);
	if (!ifindex) {
		fprintf(stderr, "xdpctl: no interface '%s'\n", argv[2]);
		return 1;
	}
	if (!strcmp(argv[1], "list") && argc == 3)
		return cmd_list(ifindex);
	if (!strcmp(argv[1], "unload") && argc == 4)
		return cmd_unload(ifindex, argv[3]);
	if (!strcmp(argv[1], "load") && argc >= 4) {
		for (i = 4; i < argc; i++) {
			if (!strcmp(argv[i], "--skb")) {
				mode = XDP_MODE_SKB;
			} else if (!strcmp(argv[i], "--prio") && i + 1 < argc) {
				prio = (int)strtol(argv[++i], &end, 10);
				if (*end || prio < 0)
					return usage();
			} else {
				return usage();
			}
		}
		return cmd_load(ifindex, argv[3], prio, mode);
	}
	return usage();
}
