// SPDX-License-Identifier: GPL-2.0
/*
 * refuse_prog.so - an LD_PRELOAD shim for tests: the kernel "refuses" to
 * load the BPF programs named in $CG_REFUSE_PROG and $CG_REFUSE_PROG2
 * (BPF_PROG_LOAD fails with
 * EACCES and a verifier-like log), every other bpf(2) call goes through.
 * It stands in for a kernel whose verifier rejects one of csumguard's
 * program variants (e2e xdp_variant_fallback): the test changes nothing in
 * the product, it only wraps libbpf's syscall(2).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>

static long (*real)(long, ...);

long syscall(long nr, ...)
{
	const char *name = getenv("CG_REFUSE_PROG"), *name2 = getenv("CG_REFUSE_PROG2");
	long a[6];
	union bpf_attr *attr;
	va_list ap;
	int i;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	attr = (union bpf_attr *)a[1];
	if (nr == __NR_bpf && a[0] == BPF_PROG_LOAD && attr &&
	    ((name && *name && !strncmp(attr->prog_name, name, sizeof(attr->prog_name))) ||
	     (name2 && *name2 && !strncmp(attr->prog_name, name2, sizeof(attr->prog_name))))) {
		name = !strncmp(attr->prog_name, name ? name : "", sizeof(attr->prog_name)) ?
		       name : name2;
		if (attr->log_buf && attr->log_size > 1)
			snprintf((char *)(unsigned long)attr->log_buf, attr->log_size,
				 "refused by refuse_prog.so (CG_REFUSE_PROG=%s)\n"
				 "processed 0 insns (limit 1000000)\n", name);
		errno = EACCES;
		return -1;
	}
	/* The real call: glibc's syscall(2), the next definition of this symbol. */
	if (!real)
		real = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	return real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}
