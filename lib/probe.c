// SPDX-License-Identifier: GPL-2.0
/* probe.c - see probe.h. */
#include <errno.h>
#include <stddef.h>
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
	       v == CG_XDP_LARGE_CHUNK ? "large-chunk" : "unknown";
}

const char *cg_xdp_variant_prog(enum cg_xdp_variant v)
{
	return v == CG_XDP_SINGLE_BUF ? CG_PROG_NAME_SB : v == CG_XDP_LARGE_CHUNK ?
	       CG_PROG_NAME_LC : CG_PROG_NAME;
}

int cg_xdp_variant_frags(enum cg_xdp_variant v)
{
	return v == CG_XDP_MULTI_BUF || v == CG_XDP_LARGE_CHUNK;
}

int cg_xdp_variant_of(const char *prog_name)
{
	if (!prog_name)
		return -1;
	if (!strcmp(prog_name, CG_PROG_NAME))
		return CG_XDP_MULTI_BUF;
	if (!strcmp(prog_name, CG_PROG_NAME_SB))
		return CG_XDP_SINGLE_BUF;
	if (!strcmp(prog_name, CG_PROG_NAME_LC))
		return CG_XDP_LARGE_CHUNK;
	return -1;
}

void cg_features_init(struct cg_features *f)
{
	struct utsname u;

	memset(f, 0, sizeof(*f));
	f->xdp_frags = f->xdp_load_bytes = f->xdp_get_buff_len = -1;
	f->freplace = f->freplace_ctx_arg = f->tc_facts = f->global_ptr_args = -1;
	f->csum_any_size = -1;
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
	cg_probe_csum_any_size(f);
}

#define CSUM_PROBE_LEN	1030	/* over 512 and not a multiple of 4 */

/* The one's-complement sum of n bytes as the kernel's csum_partial makes
 * it (native 16-bit words, an odd last byte zero-padded), folded to 16 bits. */
static unsigned int csum16(const unsigned char *b, size_t n)
{
	unsigned long long sum = 0;
	unsigned short w;
	size_t i;

	for (i = 0; i + 1 < n; i += 2) {
		memcpy(&w, b + i, 2);
		sum += w;
	}
	if (n & 1) {
		unsigned char last[2] = { b[n - 1], 0 };

		memcpy(&w, last, 2);
		sum += w;
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (unsigned int)sum;
}

void cg_probe_csum_any_size(struct cg_features *f)
{
	/* r6 = ctx; r3 = data; r2 = data_end; if data + 1030 > data_end
	 * return -1; return bpf_csum_diff(NULL, 0, data, 1030, 0). The
	 * verifier of every kernel takes it (a constant size over a checked
	 * range); only the helper's own check, before 6.13, refuses the size
	 * (-EINVAL) when it runs. */
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = BPF_REG_6, .src_reg = BPF_REG_1 },
		{ .code = BPF_LDX | BPF_MEM | BPF_W, .dst_reg = BPF_REG_3, .src_reg = BPF_REG_6,
		  .off = offsetof(struct xdp_md, data) },
		{ .code = BPF_LDX | BPF_MEM | BPF_W, .dst_reg = BPF_REG_2, .src_reg = BPF_REG_6,
		  .off = offsetof(struct xdp_md, data_end) },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = BPF_REG_0, .src_reg = BPF_REG_3 },
		{ .code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = BPF_REG_0, .imm = CSUM_PROBE_LEN },
		{ .code = BPF_JMP | BPF_JGT | BPF_X, .dst_reg = BPF_REG_0, .src_reg = BPF_REG_2,
		  .off = 6 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_1, .imm = 0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_2, .imm = 0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_4, .imm = CSUM_PROBE_LEN },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_5, .imm = 0 },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_csum_diff },
		{ .code = BPF_JMP | BPF_EXIT },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = -1 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	unsigned char frame[CSUM_PROBE_LEN + 10], out[sizeof(frame)];
	/* data_out given: valgrind's bpf(2) wrapper checks it as written
	 * memory even when the kernel is asked for none (make check-valgrind) */
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .data_size_in = sizeof(frame),
		    .data_out = out, .data_size_out = sizeof(out), .repeat = 1);
	unsigned int want;
	size_t i;
	int fd;

	for (i = 0; i < sizeof(frame); i++)
		frame[i] = (unsigned char)(i * 37 + 11);
	want = csum16(frame, CSUM_PROBE_LEN);
	f->csum_any_size = -1;
	fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "cg_probe_csum", "GPL", insns,
			   sizeof(insns) / sizeof(insns[0]), NULL);
	if (fd < 0)
		return;
	if (!bpf_prog_test_run_opts(fd, &o))
		/* 6.13+ folds to 16 bits (0 and 0xffff are the same sum). */
		f->csum_any_size = o.retval <= 0xffff && o.retval % 0xffff == want % 0xffff;
	close(fd);
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
		{ "bpf_csum_diff any size", f->csum_any_size },
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
	p->variant = !cg_features_multi_buf(f) ? CG_XDP_SINGLE_BUF :
		     f->csum_any_size == 1 ? CG_XDP_LARGE_CHUNK : CG_XDP_MULTI_BUF;
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
