// SPDX-License-Identifier: GPL-2.0
/* probe.c - see probe.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "csumguard.h"
#include "err.h"
#include "probe.h"
#include "probe_ext.skel.h"

#ifndef ENOTSUPP
#define ENOTSUPP 524	/* the kernel's own, not in the UAPI */
#endif
#ifndef BPF_F_XDP_HAS_FRAGS
#define BPF_F_XDP_HAS_FRAGS	(1U << 5)
#endif

const char *cg_xdp_variant_name(enum cg_xdp_variant v)
{
	return v == CG_XDP_MULTI_BUF ? "multi-buffer" : v == CG_XDP_SINGLE_BUF ? "single-buffer" :
	       "unknown";
}

const char *cg_xdp_variant_prog(enum cg_xdp_variant v)
{
	return v == CG_XDP_SINGLE_BUF ? CG_PROG_NAME_SB : CG_PROG_NAME;
}

int cg_xdp_variant_of(const char *prog_name)
{
	if (!prog_name)
		return -1;
	if (!strcmp(prog_name, CG_PROG_NAME))
		return CG_XDP_MULTI_BUF;
	if (!strcmp(prog_name, CG_PROG_NAME_SB))
		return CG_XDP_SINGLE_BUF;
	return -1;
}

void cg_features_init(struct cg_features *f)
{
	struct utsname u;

	memset(f, 0, sizeof(*f));
	f->xdp_frags = f->xdp_load_bytes = f->xdp_get_buff_len = -1;
	f->freplace = f->freplace_ctx_arg = f->tc_facts = f->global_ptr_args = -1;
	if (uname(&u) == 0)
		snprintf(f->release, sizeof(f->release), "%s", u.release);
	if (sscanf(f->release, "%d.%d", &f->major, &f->minor) != 2)
		f->major = f->minor = 0;
}

/* 1 if the helper is there, 0 if not, -1 if the probe could not tell. */
static int helper(enum bpf_func_id id)
{
	int r = libbpf_probe_bpf_helper(BPF_PROG_TYPE_XDP, id, NULL);

	return r < 0 ? -1 : r > 0;
}

void cg_probe_xdp(struct cg_features *f)
{
	/* r0 = XDP_PASS; exit */
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, o, .prog_flags = BPF_F_XDP_HAS_FRAGS);
	int fd;

	/* A kernel without frags refuses the flag with EINVAL before its
	 * verifier runs (5.10); EPERM says nothing about the kernel. */
	fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "cg_probe_frags", "GPL", insns, 2, &o);
	if (fd >= 0) {
		f->xdp_frags = 1;
		close(fd);
	} else {
		f->xdp_frags = errno == EINVAL ? 0 : -1;
	}
	f->xdp_load_bytes = helper(BPF_FUNC_xdp_load_bytes);
	f->xdp_get_buff_len = helper(BPF_FUNC_xdp_get_buff_len);
}

/* Loads one of the probe's freplace programs against target_fd: 1 loaded,
 * 0 refused (the verifier: EINVAL, EACCES; or EPERM for a caller that may
 * load XDP, as the target was: a kernel or LSM refusing EXT programs, as on
 * the development VMs), -1 could not tell. */
static int load_ext(int target_fd, int ctx_arg)
{
	struct probe_ext *s = probe_ext__open();
	struct bpf_program *p;
	int e;

	if (!s)
		return -1;
	p = ctx_arg ? s->progs.cg_probe_ext : s->progs.cg_probe_ext_plain;
	bpf_program__set_autoload(s->progs.cg_probe_target, false);
	bpf_program__set_autoload(s->progs.cg_probe_tc, false);
	bpf_program__set_autoload(ctx_arg ? s->progs.cg_probe_ext_plain : s->progs.cg_probe_ext,
				  false);
	e = bpf_program__set_attach_target(p, target_fd, "cg_probe_target");
	if (!e)
		e = probe_ext__load(s);
	probe_ext__destroy(s);
	return e == 0 ? 1 : e == -EINVAL || e == -EACCES || e == -EPERM || e == -ENOTSUPP ||
	       e == -EOPNOTSUPP ? 0 : -1;
}

void cg_probe_freplace(struct cg_features *f)
{
	libbpf_print_fn_t old = libbpf_set_print(NULL);	/* refusals are expected */
	struct probe_ext *t = probe_ext__open();

	if (t) {
		bpf_program__set_autoload(t->progs.cg_probe_tc, false);
		bpf_program__set_autoload(t->progs.cg_probe_ext_plain, false);
		bpf_program__set_autoload(t->progs.cg_probe_ext, false);
		if (!probe_ext__load(t)) {
			int fd = bpf_program__fd(t->progs.cg_probe_target);

			f->freplace = load_ext(fd, 0);
			f->freplace_ctx_arg = f->freplace == 1 ? load_ext(fd, 1) : -1;
		}
		probe_ext__destroy(t);
	}
	libbpf_set_print(old);
}

void cg_probe_global_ptr_args(struct cg_features *f)
{
	libbpf_print_fn_t old = libbpf_set_print(NULL);	/* a refusal is expected */
	struct probe_ext *s = probe_ext__open();
	int e;

	if (s) {
		bpf_program__set_autoload(s->progs.cg_probe_target, false);
		bpf_program__set_autoload(s->progs.cg_probe_ext_plain, false);
		bpf_program__set_autoload(s->progs.cg_probe_ext, false);
		e = probe_ext__load(s);
		f->global_ptr_args = e == 0 ? 1 : e == -EINVAL || e == -EACCES ? 0 : -1;
		probe_ext__destroy(s);
	}
	libbpf_set_print(old);
}

int cg_tc_egress_check(const struct cg_features *f, char *err, size_t errlen)
{
	/* csumguard_tc's global functions take the context and scalars only
	 * (the parse result goes through a per-CPU map: tc/csumguard_tc.bpf.c),
	 * so 5.10's verifier takes it: the floor is all it needs.
	 * global_ptr_args stays probed and reported, for doctor. */
	return cg_kernel_floor_check(f, err, errlen);
}

int cg_probe_tc_facts(void)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	int id;

	if (libbpf_get_error(vmlinux))
		return 0;
	id = btf__find_by_name_kind(vmlinux, "bpf_cast_to_kern_ctx", BTF_KIND_FUNC);
	btf__free(vmlinux);
	return id > 0;
}

int cg_features_multi_buf(const struct cg_features *f)
{
	return f->xdp_frags == 1 && f->xdp_load_bytes == 1 && f->xdp_get_buff_len == 1;
}

void cg_features_str(const struct cg_features *f, char *buf, size_t len)
{
	const struct { const char *name; int v; } rows[] = {
		{ "xdp.frags", f->xdp_frags },
		{ "bpf_xdp_load_bytes", f->xdp_load_bytes },
		{ "bpf_xdp_get_buff_len", f->xdp_get_buff_len },
		{ "freplace", f->freplace },
		{ "freplace with ctx args", f->freplace_ctx_arg },
		{ "bpf_cast_to_kern_ctx", f->tc_facts },
		{ "global function pointer args", f->global_ptr_args },
	};
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]) && n < len; i++) {
		if (rows[i].v < 0)
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s%s %s", n ? ", " : "", rows[i].name,
				      rows[i].v ? "yes" : "no");
	}
	if (!buf[0])
		snprintf(buf, len, "none probed");
}

int cg_kernel_floor_check(const struct cg_features *f, char *err, size_t errlen)
{
	if (!f->major)
		return 0;	/* cannot tell: the probes decide */
	if (f->major > CG_KERNEL_FLOOR_MAJOR ||
	    (f->major == CG_KERNEL_FLOOR_MAJOR && f->minor >= CG_KERNEL_FLOOR_MINOR))
		return 0;
	return cg_errf(err, errlen, -EOPNOTSUPP, "kernel %s is older than csumguard's floor, "
		       CG_KERNEL_FLOOR " (the oldest kernel its BPF programs are tested on); run "
		       "it on Linux " CG_KERNEL_FLOOR " or newer", f->release);
}

int cg_xdp_plan(const struct cg_features *f, int native, int mtu, const char *ifname,
		struct cg_xdp_plan *p, char *err, size_t errlen)
{
	int e;

	memset(p, 0, sizeof(*p));
	if ((e = cg_kernel_floor_check(f, err, errlen)))
		return e;
	p->variant = cg_features_multi_buf(f) ? CG_XDP_MULTI_BUF : CG_XDP_SINGLE_BUF;
	if (p->variant == CG_XDP_SINGLE_BUF && native && mtu > CG_XDP_SB_MAX_MTU)
		return cg_errf(err, errlen, -EOPNOTSUPP, "%s has MTU %d, which native XDP takes "
			       "only with multi-buffer (xdp.frags) programs, and this kernel (%s) "
			       "has no multi-buffer XDP (xdp.frags, bpf_xdp_load_bytes: 5.18+): "
			       "csumguard's single-buffer program runs here, up to MTU %d; attach "
			       "with --xdp-mode skb (generic XDP hands it whole frames), or lower "
			       "the MTU to %d", ifname, mtu, f->release, CG_XDP_SB_MAX_MTU,
			       CG_XDP_SB_MAX_MTU);
	p->alone = f->freplace == 1 && f->freplace_ctx_arg == 0;
	return 0;
}
