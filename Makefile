# csumguard - build, test, benchmark. Every step is a plain rule below.
#
#   make              BPF objects, skeletons, the reference verifier, tests
#   sudo make check   every test: unit, BPF selftests on this kernel and on 6.1
#   sudo make bench   ns/packet table of the XDP validator
#
# Outputs go to build/.

CLANG   ?= clang
CC      ?= gcc
BPFTOOL ?= bpftool
ARCH_INC := /usr/include/$(shell $(CC) -dumpmachine)

B := build

CFLAGS   ?= -O2 -g
CFLAGS   += -Wall -Wextra -Wno-unused-parameter -std=gnu11
CPPFLAGS += -Iinclude -Iloader -I$(B)
# -mcpu=v3 (alu32): clang 14's default code bounds-checked a zero-extended copy
# of a length and the 6.1 verifier rejected it (notes/bpf-checksum-facts.md).
BPF_CFLAGS := -target bpf -O2 -g -mcpu=v3 -Wall -Iinclude -I$(ARCH_INC)

# Spelled out, not from pkg-config: `make check` installs the packages first.
LIBBPF_LIBS := -lbpf -lelf -lz
LIBXDP_LIBS := -lxdp -lbpf -lelf -lz
CMOCKA_LIBS := -lcmocka
STATIC_LIBS := -lbpf -lelf -lz

BPF_HDRS := include/csumguard.h include/cg_wire.h xdp/csum.bpf.h xdp/csum_fold.bpf.h xdp/parse.bpf.h

.PHONY: all clean check check-unit check-selftests check-kernels bench demo deps
.DELETE_ON_ERROR:

all: $(B)/csumguard.skel.h $(B)/xdp_pass.skel.h $(B)/tests/test_refcheck \
     $(B)/selftests/test_xdp

deps:
	./scripts/deps.sh

$(B) $(B)/tests $(B)/selftests:
	mkdir -p $@

# --- BPF programs and their skeletons --------------------------------------
$(B)/csumguard.bpf.o: xdp/csumguard.bpf.c $(BPF_HDRS) | $(B)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(B)/xdp_pass.bpf.o: bench/xdp_pass.bpf.c | $(B)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(B)/%.skel.h: $(B)/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $(subst .bpf.o,,$(notdir $<)) > $@

# --- user-space library code shared by the command and the tests -----------
LIB_SRCS := loader/refcheck.c loader/maps.c loader/names.c
LIB_OBJS := $(patsubst %.c,$(B)/%.o,$(LIB_SRCS))

$(B)/%.o: %.c $(wildcard include/*.h loader/*.h selftests/*.h) | $(B)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

# --- unit tests (cmocka) ----------------------------------------------------
$(B)/tests/test_refcheck: tests/test_refcheck.c $(B)/loader/refcheck.o | $(B)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) $^ -o $@ $(CMOCKA_LIBS)

# --- the csumguard command (loader/) -----------------------------------------
# build/csumguard: attach/detach/stats/block (loader/README.md). cli.c and
# format.c hold no BPF code, so tests/test_cli.c runs them unprivileged.
CMD_SRCS := loader/csumguard.c loader/cli.c loader/format.c loader/pins.c \
	    loader/cmd_attach.c loader/cmd_stats.c loader/cmd_block.c \
	    loader/maps.c loader/names.c
CMD_OBJS := $(patsubst %.c,$(B)/%.o,$(CMD_SRCS))
CLI_TEST_OBJS := $(B)/loader/cli.o $(B)/loader/format.o $(B)/loader/names.o

all: $(B)/csumguard $(B)/tests/test_cli

# these include the skeleton
$(B)/loader/cmd_attach.o $(B)/loader/cmd_block.o: $(B)/csumguard.skel.h
$(B)/loader/csumguard.o: CPPFLAGS += -DCG_LIBXDP_VERSION='"$(shell pkg-config --modversion libxdp)"'

$(B)/csumguard: $(CMD_OBJS)
	$(CC) $(CFLAGS) $^ -o $@ $(LIBXDP_LIBS) $(LIBBPF_LIBS)

$(B)/tests/test_cli: tests/test_cli.c $(CLI_TEST_OBJS) | $(B)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) $^ -o $@ $(CMOCKA_LIBS)

# --- benchmark (bench/) ------------------------------------------------------
# ns/packet of the validator beside XDP_PASS and a user-space checksum, one run
# (bench/README.md). BENCH_ARGS passes options, e.g. BENCH_ARGS="-r 7 -t 150".
BENCH_SRCS := bench/bench.c selftests/pkt.c loader/refcheck.c loader/maps.c loader/names.c

$(B)/bench:
	mkdir -p $@

$(B)/bench/bench: $(BENCH_SRCS) $(wildcard include/*.h loader/*.h) selftests/pkt.h \
		  $(B)/csumguard.skel.h $(B)/xdp_pass.skel.h | $(B)/bench
	$(CC) $(CPPFLAGS) -Iselftests $(CFLAGS) $(BENCH_SRCS) -o $@ $(LIBBPF_LIBS)

bench: $(B)/bench/bench
	$(B)/bench/bench $(BENCH_ARGS)

# --- BPF selftests (BPF_PROG_TEST_RUN) --------------------------------------
SELFTEST_SRCS := selftests/test_xdp.c selftests/xdp_cases.c selftests/xdp_diff.c \
		 selftests/pkt.c selftests/xdp_harness.c
$(B)/selftests/test_xdp: $(SELFTEST_SRCS) $(LIB_SRCS) $(B)/csumguard.skel.h | $(B)/selftests
	$(CC) $(CPPFLAGS) -Iselftests $(CFLAGS) $(filter %.c,$^) -o $@ $(LIBBPF_LIBS)

# The same runner, static, for the 6.1 kernel booted under qemu.
$(B)/selftests/test_xdp.static: $(SELFTEST_SRCS) $(LIB_SRCS) $(B)/csumguard.skel.h | $(B)/selftests
	$(CC) -static $(CPPFLAGS) -Iselftests $(CFLAGS) $(filter %.c,$^) -o $@ $(STATIC_LIBS)

# Installs missing Debian packages first, so it works on a fresh machine.
check: deps
	$(MAKE) all
	$(MAKE) check-unit check-selftests check-e2e check-kernels check-kernels-e2e

check-unit: $(B)/tests/test_refcheck $(B)/tests/test_cli
	$(B)/tests/test_refcheck
	$(B)/tests/test_cli

check-selftests: $(B)/selftests/test_xdp
	$(B)/selftests/test_xdp

check-kernels: $(B)/selftests/test_xdp.static
	./selftests/vm/run-kernel.sh 6.1 $(B)/selftests/test_xdp.static

clean:
	rm -rf $(B)

# --- end-to-end lab, tests and demo -----------------------------------------
# scripts/lab.sh builds a namespace lab (bridge, three nodes, kernel VXLAN);
# selftests/fault_inject.bpf.c is a TEST-ONLY TC program that plays the buggy
# NIC; selftests/sendraw sends crafted frames (VLAN, Geneve, GUE, jumbo) and
# prints the reference verifier's expectation. All need root.
#   sudo make check-e2e [E2E_TESTS="monitor drop ..."]   (selftests/e2e/run.sh)
#   sudo make demo
.PHONY: check-e2e
E2E_DEPS := $(B)/csumguard $(B)/fault_inject.bpf.o $(B)/selftests/sendraw

$(B)/fault_inject.bpf.o: selftests/fault_inject.bpf.c xdp/csum_fold.bpf.h | $(B)
	$(CLANG) $(BPF_CFLAGS) -Ixdp -c $< -o $@

$(B)/selftests/sendraw: selftests/sendraw.c selftests/pkt.c loader/refcheck.c loader/names.c \
			$(wildcard include/*.h loader/*.h selftests/*.h) | $(B)/selftests
	$(CC) $(CPPFLAGS) -Iselftests $(CFLAGS) $(filter %.c,$^) -o $@

check-e2e: $(E2E_DEPS)
	LAB_BUILD=$(abspath $(B)) ./selftests/e2e/run.sh $(E2E_TESTS)

# Installs missing Debian packages first (as check does), then builds.
demo: deps
	$(MAKE) $(E2E_DEPS)
	LAB_BUILD=$(abspath $(B)) ./scripts/demo.sh

# --- end-to-end tests inside the 6.1 kernel (qemu) ---------------------------
# selftests/vm/coexist.sh: csumguard beside other XDP programs on one veth,
# through libxdp's multi-program dispatcher (SPEC 3). The dispatcher needs
# freplace (BPF_PROG_TYPE_EXT), which this machine's kernel refuses, so the
# test runs in Debian 12's 6.1 kernel under qemu (selftests/vm/README.md).
# The guest gets static builds of csumguard, sendraw and xdpctl (the "other
# program", a few lines of libxdp), iproute2's ip and xdp-tools' xdp-loader
# with their shared libraries, xdp-tools' BPF objects and veth.ko. (libxdp
# 1.3.1 uses the dispatcher embedded in the library; the file is a fallback.)
.PHONY: check-kernels-e2e
XDP_OBJ_DIR := /usr/lib/$(shell $(CC) -dumpmachine)/bpf

$(B)/csumguard.static: $(CMD_OBJS)
	$(CC) -static $(CFLAGS) $^ -o $@ $(LIBXDP_LIBS)

$(B)/selftests/sendraw.static: selftests/sendraw.c selftests/pkt.c loader/refcheck.c loader/names.c \
			       $(wildcard include/*.h loader/*.h selftests/*.h) | $(B)/selftests
	$(CC) -static $(CPPFLAGS) -Iselftests $(CFLAGS) $(filter %.c,$^) -o $@

$(B)/selftests/xdpctl.static: selftests/vm/xdpctl.c | $(B)/selftests
	$(CC) -static $(CFLAGS) $< -o $@ $(LIBXDP_LIBS)

VM_E2E_DEPS := $(B)/csumguard.static $(B)/selftests/sendraw.static \
	       $(B)/selftests/xdpctl.static $(B)/xdp_pass.bpf.o
VM_E2E_ADD := --module veth \
	--add $(B)/csumguard.static:/usr/sbin/csumguard \
	--add $(B)/selftests/sendraw.static:/usr/sbin/sendraw \
	--add $(B)/selftests/xdpctl.static:/usr/sbin/xdpctl \
	--add $(B)/xdp_pass.bpf.o:/usr/share/csumguard/xdp_pass.bpf.o \
	--add $(XDP_OBJ_DIR)/xdp-dispatcher.o:/usr/lib/csumguard-vm/bpf/xdp-dispatcher.o \
	--add $(XDP_OBJ_DIR)/xdpfilt_alw_all.o:/usr/lib/csumguard-vm/bpf/xdpfilt_alw_all.o \
	--add /usr/bin/ip --add /usr/sbin/xdp-loader

check-kernels-e2e: $(VM_E2E_DEPS)
	./selftests/vm/run-kernel.sh $(VM_E2E_ADD) 6.1 selftests/vm/coexist.sh
