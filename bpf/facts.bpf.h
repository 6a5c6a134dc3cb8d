/* SPDX-License-Identifier: GPL-2.0 */
/*
 * facts.bpf.h - what the kernel itself says about an skb, for the TC egress
 * program's facts variant (CG_TC_PROG_FACTS): its checksum state
 * (ip_summed, csum_start/csum_offset), whether it is marked encapsulated,
 * and its outer and inner header offsets.
 *
 * How: bpf_cast_to_kern_ctx() (a kfunc, kernel 6.2+) turns the program's
 * struct __sk_buff * into a trusted pointer to the kernel's struct sk_buff,
 * whose fields are then read directly (BTF-typed loads, no helper call). The
 * struct below is a local, partial definition with preserve_access_index:
 * libbpf relocates every field access against the running kernel's BTF
 * (CO-RE), so no vmlinux.h is built in and the object does not depend on the
 * build machine's kernel. Only field names are relied on, and these have
 * kept their names for a decade.
 *
 * A kernel without the kfunc (6.1) refuses any program that calls it, even
 * in dead code (the verifier resolves every kfunc call before it looks at
 * reachability), so this header is used only by the facts program; the
 * extern is weak so that libbpf still loads the object's other program
 * there (bpf/README.md, "Facts").
 */
#ifndef CG_FACTS_BPF_H
#define CG_FACTS_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

extern void *bpf_cast_to_kern_ctx(void *obj) __ksym __weak;

/* The kernel's struct sk_buff, only the fields read here. In the kernel
 * csum_start and csum_offset sit in an anonymous struct inside an anonymous
 * union with csum; CO-RE finds them through anonymous members by name. */
struct sk_buff___cg {
	unsigned char *head;
	unsigned char *data;
	__u16 transport_header;
	__u16 network_header;
	__u16 mac_header;
	__u16 inner_transport_header;
	__u16 inner_network_header;
	__u16 inner_mac_header;
	__u16 csum_start;
	__u16 csum_offset;
	__u8 ip_summed:2;
	__u8 encapsulation:1;
} __attribute__((preserve_access_index));

#define CG_CHECKSUM_PARTIAL	3	/* include/linux/skbuff.h, ip_summed */

/* The facts, header positions as offsets from the start of the frame (the
 * MAC header: where skb->data points at TC egress). */
struct cg_facts {
	__s32 transport;
	__s32 inner_mac;
	__s32 inner_net;
	__s32 inner_trans;
	__s32 csum_start;
	__u16 csum_offset;
	__u8 ip_summed;
	__u8 encapsulation;
	__u8 frame_at_mac;	/* skb->data is the MAC header: the offsets above
				 * are frame offsets (else none of them is used) */
};

static __always_inline void cg_read_facts(struct __sk_buff *ctx, struct cg_facts *f)
{
	struct sk_buff___cg *k = bpf_cast_to_kern_ctx(ctx);
	__s32 mac = k->mac_header;

	f->frame_at_mac = (long)k->data - (long)k->head == mac;
	f->transport = (__s32)k->transport_header - mac;
	f->inner_mac = (__s32)k->inner_mac_header - mac;
	f->inner_net = (__s32)k->inner_network_header - mac;
	f->inner_trans = (__s32)k->inner_transport_header - mac;
	f->csum_start = (__s32)k->csum_start - mac;
	f->csum_offset = k->csum_offset;
	f->ip_summed = BPF_CORE_READ_BITFIELD(k, ip_summed);
	f->encapsulation = BPF_CORE_READ_BITFIELD(k, encapsulation);
}

#endif /* CG_FACTS_BPF_H */
