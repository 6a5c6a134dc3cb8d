/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xdp_progs.h - what XDP programs an interface runs, through libxdp: its
 * multi-program dispatcher's components, or the one program attached alone
 * ("legacy" in libxdp's words). Finding them by id needs CAP_SYS_ADMIN.
 */
#ifndef CG_XDP_PROGS_H
#define CG_XDP_PROGS_H

#include <stddef.h>
#include <xdp/libxdp.h>


/* "native", "skb", "hw" ("unknown" otherwise). */
const char *cg_xdp_mode_str(enum xdp_attach_mode m);

/* The XDP programs on ifindex, or NULL when there are none (*err 0) or they
 * cannot be listed (*err -errno). Close with xdp_multiprog__close. */
struct xdp_multiprog *cg_xdp_progs(int ifindex, int *err);

/* csumguard's program (by name, either variant) among mp's, or NULL. */
struct xdp_program *cg_xdp_find_ours(struct xdp_multiprog *mp);

/* The program with this id among mp's, or NULL. */
struct xdp_program *cg_xdp_find_id(struct xdp_multiprog *mp, __u32 id);

/* Names of mp's programs, comma separated ("none" if it has none), for
 * messages; a program attached alone also gets its id: "NAME (id N)". */
void cg_xdp_prog_names(struct xdp_multiprog *mp, char *buf, size_t len);

/* The same for ifindex; buf stays as the caller set it when it has none. */
void cg_xdp_prog_names_on(int ifindex, char *buf, size_t len);

/* Is program id on ifindex (any mode, alone or in a dispatcher)? 1, 0, or
 * -errno when it cannot tell. */
int cg_xdp_prog_on(int ifindex, __u32 id);

#endif /* CG_XDP_PROGS_H */
