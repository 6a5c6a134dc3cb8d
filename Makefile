# csumguard - build, test, benchmark. Every step is a plain rule below.
#
#   make              BPF objects and skeletons, libcsumguard.a, the command, tests
#   sudo make check   every test: unit, BPF selftests, end-to-end, and inside 6.1
#   sudo make bench   every benchmark figure (bench/README.md); bench-packet,
#                     bench-store, bench-scale, bench-e2e: one topic each
#   make V=1          show every command
#
# Outputs go to build/. What is where (README.md has the table):
#   include/   types both sides use (one definition of every layout)
#   bpf/       the hook-neutral BPF library (headers)
#   xdp/ tc/   the XDP and TC entry points                  -> build/*.bpf.o, *.skel.h
#   lib/       user-space library every front end links     -> build/libcsumguard.a
#   ref/       the reference verifier, tests' oracle only   -> build/libcgref.a
#   loader/    the csumguard command                        -> build/csumguard
#   tests/ selftests/ bench/                                 -> build/{tests,selftests,bench}/

CLANG   ?= clang
CC      ?= gcc
AR      ?= ar
BPFTOOL ?= bpftool
ARCH_INC := /usr/include/$(shell $(CC) -dumpmachine)

B := build

# make check SANITIZE=1: user space built with ASan + UBSan into build-san/
# (errors abort the test that hit them); the kernel runs under qemu need
# static binaries, which the sanitizers cannot make, so they are left out.
ifeq ($(SANITIZE),1)
B := build-san
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
export ASAN_OPTIONS ?= detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS ?= print_stacktrace=1
endif

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-8s %s\n' '$(1)' '$(2)'
endif

CFLAGS   ?= -O2 -g
CFLAGS   += -Wall -Wextra -Wno-unused-parameter -std=gnu11 $(SAN_FLAGS)
# -MMD -MP: every object gets a .d file of the headers it read (no hand-kept lists).
DEPFLAGS := -MMD -MP
CPPFLAGS += -Iinclude -Ilib -Iref -I$(B)
# -mcpu=v3 (alu32): clang 14's default code bounds-checked a zero-extended copy
# of a length and the 6.1 verifier rejected it (notes/bpf-checksum-facts.md).
BPF_CFLAGS := -target bpf -O2 -g -mcpu=v3 -Wall -Iinclude -Ibpf -I$(ARCH_INC)

# Spelled out, not from pkg-config: `make check` installs the packages first.
LIBBPF_LIBS := -lbpf -lelf -lz
LIBXDP_LIBS := -lxdp -lbpf -lelf -lz
CMOCKA_LIBS := -lcmocka
# csumguard agent's HTTP server (lib/agent_http.c)
AGENT_LIBS := -lmicrohttpd

.PHONY: all clean check check-unit check-selftests check-kernels check-e2e \
	check-kernels-e2e check-install install bench bench-packet bench-e2e bench-scale bench-store \
	demo deps bench-metrics check-deploy
.DELETE_ON_ERROR:

all:

deps:
	./scripts/deps.sh

# --- BPF programs and their skeletons --------------------------------------
# NAME.bpf.o -> NAME.skel.h; objects are built from the directory that holds
# their entry point.
BPF_PROGS := $(B)/csumguard.bpf.o $(B)/csumguard_tc.bpf.o $(B)/xdp_pass.bpf.o \
	     $(B)/tc_pass.bpf.o $(B)/fault_inject.bpf.o $(B)/gso_meta_bug.bpf.o
SKELS := $(B)/csumguard.skel.h $(B)/csumguard_tc.skel.h $(B)/xdp_pass.skel.h \
	 $(B)/tc_pass.skel.h

$(B)/csumguard.bpf.o: xdp/csumguard.bpf.c
# The XDP program's variants (bpf/ctx/xdp.bpf.h), from the same sources:
# single-buffer (SEC "xdp") for kernels without xdp.frags, 5.10-5.17; and
# the freplace probe the command loads to learn whether libxdp's dispatcher
# can take them (lib/probe.c).
BPF_PROGS += $(B)/csumguard_sb.bpf.o $(B)/probe_ext.bpf.o
SKELS += $(B)/csumguard_sb.skel.h $(B)/probe_ext.skel.h
$(B)/csumguard_sb.bpf.o: xdp/csumguard.bpf.c
$(B)/csumguard_sb.bpf.o: BPF_CFLAGS += -DCG_XDP_SINGLE_BUF
$(B)/probe_ext.bpf.o: xdp/probe_ext.bpf.c
# The large-chunk variant (6.13+ bpf_csum_diff of any size, probed at attach).
BPF_PROGS += $(B)/csumguard_lc.bpf.o
SKELS += $(B)/csumguard_lc.skel.h
$(B)/csumguard_lc.bpf.o: xdp/csumguard.bpf.c
$(B)/csumguard_lc.bpf.o: BPF_CFLAGS += -DCG_CSUM_LARGE
$(B)/csumguard_tc.bpf.o: tc/csumguard_tc.bpf.c
$(B)/xdp_pass.bpf.o: bench/xdp_pass.bpf.c
$(B)/tc_pass.bpf.o: bench/tc_pass.bpf.c
$(B)/fault_inject.bpf.o: selftests/fault_inject.bpf.c
$(B)/gso_meta_bug.bpf.o: selftests/gso_meta_bug.bpf.c

$(BPF_PROGS):
	@mkdir -p $(dir $@)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(DEPFLAGS) -MF $@.d -c $< -o $@

$(B)/%.skel.h: $(B)/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $* > $@

all: $(SKELS)

# --- C objects (user space) ---------------------------------------------------
# One object per source file, under build/obj/. Objects may include a
# skeleton: they wait for them (order-only), the .d files do the rest.
$(B)/obj/%.o: %.c | $(SKELS)
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) -c $< -o $@

obj = $(patsubst %.c,$(B)/obj/%.o,$(1))

# --- lib/: libcsumguard.a, built once, linked by every front end ---------------
LIB_OBJS := $(call obj,$(wildcard lib/*.c))
$(B)/libcsumguard.a: $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

# --- ref/: the reference verifier (tests, selftests, bench only) --------------
REF_OBJS := $(call obj,$(wildcard ref/*.c))
$(B)/libcgref.a: $(REF_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

LIBS := $(B)/libcsumguard.a
REF := $(B)/libcgref.a

# --- loader/: the csumguard command ----------------------------------------------
CMD_OBJS := $(call obj,$(wildcard loader/*.c))
$(B)/obj/loader/csumguard.o: CPPFLAGS += -DCG_LIBXDP_VERSION='"$(shell pkg-config --modversion libxdp)"'

$(B)/obj/loader/cmd_agent.o: CPPFLAGS += -DCG_LIBXDP_VERSION='"$(shell pkg-config --modversion libxdp)"'

$(B)/csumguard: $(CMD_OBJS) $(LIBS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LIBXDP_LIBS) $(AGENT_LIBS)

all: $(B)/csumguard

# --- unit tests (cmocka): tests/test_NAME.c -> build/tests/test_NAME -------------
# The command's parser and tables live in loader/: the tests link its objects
# (all but main).
UNIT_TESTS := $(patsubst tests/%.c,$(B)/tests/%,$(wildcard tests/test_*.c))
LOADER_LIB_OBJS := $(filter-out $(B)/obj/loader/csumguard.o,$(CMD_OBJS))
$(call obj,$(wildcard tests/*.c)): CPPFLAGS += -Iloader

$(B)/tests/%: $(B)/obj/tests/%.o $(LOADER_LIB_OBJS) $(REF) $(LIBS)
	@mkdir -p $(dir $@)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(CMOCKA_LIBS) $(LIBXDP_LIBS) $(AGENT_LIBS)

all: $(UNIT_TESTS)

# A locale with a decimal comma, for test_json's locale test (not installed
# system-wide: compiled here from the locales package's sources).
TEST_LOCALE := $(B)/locale/de_DE.UTF-8
$(TEST_LOCALE):
	@mkdir -p $(dir $@)
	$(call msg,LOCALE,$@)
	$(Q)localedef -i de_DE -f UTF-8 $@

# make check-unit T='*render*' runs only the tests whose name matches (cmocka's filter).
check-unit: $(UNIT_TESTS) $(TEST_LOCALE)
	$(foreach t,$(UNIT_TESTS),LOCPATH=$(abspath $(B)/locale) $(t) $(T) &&) true

# --- BPF selftests (BPF_PROG_TEST_RUN) ------------------------------------------
SELFTEST_OBJS := $(call obj,selftests/test_xdp.c selftests/xdp_cases.c selftests/xdp_diff.c \
		 selftests/mutate.c \
		 selftests/pkt.c selftests/harness.c selftests/xdp_trace.c)
PKT_OBJS := $(call obj,selftests/pkt.c)
$(SELFTEST_OBJS) $(call obj,selftests/sendraw.c bench/bench.c): CPPFLAGS += -Iselftests

$(B)/selftests/test_xdp: $(SELFTEST_OBJS) $(REF) $(LIBS)
	@mkdir -p $(dir $@)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LIBBPF_LIBS)

# The same runner, static, for the old kernels booted under qemu.
$(B)/selftests/test_xdp.static: $(SELFTEST_OBJS) $(REF) $(LIBS)
	$(call msg,LINK,$@)
	$(Q)$(CC) -static $(CFLAGS) $^ -o $@ $(LIBBPF_LIBS)

all: $(B)/selftests/test_xdp

check-selftests: $(B)/selftests/test_xdp
	$(B)/selftests/test_xdp

# Debian 11's 5.10 (bullseye-security: the floor; single-buffer XDP, no TC
# egress), Debian 12's 6.1 and bookworm-security's 6.12 (the first with skb
# facts at TC egress among Debian's kernels): the same table cases and
# differentials, the same verdicts required; test_xdp prints the features
# and the XDP variant each kernel gets (README "Kernel versions").
KERNELS ?= 5.10 6.1 6.12
check-kernels: $(B)/selftests/test_xdp.static
	$(foreach k,$(KERNELS),./selftests/vm/run-kernel.sh $(k) $(B)/selftests/test_xdp.static &&) true

# Installs missing Debian packages first, so it works on a fresh machine.
ifeq ($(SANITIZE),1)
check: deps
	$(MAKE) all
	$(MAKE) check-unit check-selftests check-e2e
	@echo "check SANITIZE=1: unit, selftests and e2e ran sanitized; the qemu kernel runs need static binaries and were not run (make check runs them)"
else
check: deps
	$(MAKE) all
	$(MAKE) check-unit check-install check-deploy check-selftests check-fuzz-corpus check-valgrind \
		check-e2e check-kernels check-kernels-e2e
endif

clean:
	rm -rf $(B)

# --- install -------------------------------------------------------------------
# The command (its BPF programs are inside it: skeletons), its man page and
# bash completion, both generated from the command table like --help.
#   sudo make install [PREFIX=/usr/local] [DESTDIR=/staging]
PREFIX ?= /usr/local
$(B)/csumguard.8: $(B)/csumguard
	$(call msg,GEN,$@)
	$(Q)$(B)/csumguard --man > $@
$(B)/csumguard.bash: $(B)/csumguard
	$(call msg,GEN,$@)
	$(Q)$(B)/csumguard --completion-bash > $@

# The agent's systemd unit, its command where install puts it.
$(B)/csumguard-agent.service: deploy/systemd/csumguard-agent.service
	$(call msg,GEN,$@)
	$(Q)sed 's|@SBINDIR@|$(PREFIX)/sbin|g' $< > $@
.PHONY: $(B)/csumguard-agent.service	# PREFIX may differ from the last run

install: $(B)/csumguard $(B)/csumguard.8 $(B)/csumguard.bash $(B)/csumguard-agent.service
	install -D -m 0755 $(B)/csumguard $(DESTDIR)$(PREFIX)/sbin/csumguard
	install -D -m 0644 $(B)/csumguard.8 $(DESTDIR)$(PREFIX)/share/man/man8/csumguard.8
	install -D -m 0644 $(B)/csumguard.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/csumguard
	install -D -m 0644 $(B)/csumguard-agent.service \
		$(DESTDIR)$(PREFIX)/lib/systemd/system/csumguard-agent.service
	install -D -m 0644 deploy/systemd/agent.conf $(DESTDIR)$(PREFIX)/share/csumguard/agent.conf
	@# the agent's configuration: an example, never over an operator's own
	[ -e $(DESTDIR)/etc/csumguard/agent.conf ] || \
		install -D -m 0644 deploy/systemd/agent.conf $(DESTDIR)/etc/csumguard/agent.conf

# make install into a scratch DESTDIR, then the installed command runs, its man
# page renders without a warning, and its completion completes.
check-install:
	./scripts/check-install.sh

# deploy/ checked by the real tools: promtool (rules, rule tests, the
# scrape config, the dashboard's expressions), the Kubernetes OpenAPI
# schemas (scripts/k8s-validate.sh), each also fed a broken copy that must
# fail (scripts/check-deploy.sh). The dashboard's expressions are evaluated
# against a real Prometheus in the e2e test agent_prometheus.
check-deploy:
	./scripts/check-deploy.sh

# --- benchmark (bench/) ------------------------------------------------------
# ns/packet of the validator beside XDP_PASS and a user-space checksum, one run
# (bench/README.md). BENCH_ARGS passes options, e.g. BENCH_ARGS="-r 7 -t 150".
$(B)/bench/bench: $(call obj,bench/bench.c bench/util.c) $(PKT_OBJS) $(REF) $(LIBS)
	@mkdir -p $(dir $@)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LIBBPF_LIBS)

# The fixed cost decomposed (bench/README.md): the XDP program built again
# from xdp/csumguard.bpf.c with one CG_BENCH_* switch each, compared in the
# same run. Bench builds only; the product never sets these.
BENCH_VARIANTS := nocsum nocsum-blocklist nocsum-config nocsum-iface nocsum-account \
		  upto-parse upto-entry
VFLAGS_nocsum := -DCG_BENCH_NO_CSUM
VFLAGS_nocsum-blocklist := -DCG_BENCH_NO_CSUM -DCG_BENCH_NO_BLOCKLIST
VFLAGS_nocsum-config := -DCG_BENCH_NO_CSUM -DCG_BENCH_NO_CONFIG
VFLAGS_nocsum-iface := -DCG_BENCH_NO_CSUM -DCG_BENCH_NO_IFACE
VFLAGS_nocsum-account := -DCG_BENCH_NO_CSUM -DCG_BENCH_NO_ACCOUNT
VFLAGS_upto-parse := -DCG_BENCH_UPTO_PARSE
VFLAGS_upto-entry := -DCG_BENCH_UPTO_ENTRY
BENCH_VARIANT_OBJS := $(patsubst %,$(B)/bench/variants/%.bpf.o,$(BENCH_VARIANTS))
$(B)/bench/variants/%.bpf.o: xdp/csumguard.bpf.c
	@mkdir -p $(dir $@)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(VFLAGS_$*) $(DEPFLAGS) -MF $@.d -c $< -o $@
# large-chunk: the 6.13+ program (csumguard_xdplc), left out by the bench
# where the kernel's bpf_csum_diff does not take any size.
BENCH_VARIANT_ARGS := -o validator=$(B)/csumguard.bpf.o \
	-o large-chunk=$(B)/csumguard_lc.bpf.o \
	$(foreach v,$(BENCH_VARIANTS),-o $(v)=$(B)/bench/variants/$(v).bpf.o)
# BENCH_DECOMP="" leaves the decomposition out (the built-in validator alone).
BENCH_DECOMP ?= $(BENCH_VARIANT_ARGS)

bench-packet: $(B)/bench/bench $(BENCH_VARIANT_OBJS) $(B)/csumguard.bpf.o $(B)/csumguard_lc.bpf.o
	$(B)/bench/bench $(BENCH_DECOMP) $(BENCH_ARGS)

# The user-space read path at 16384, 100000 and 1000000 sources: `stats`,
# `stats --json` and a metrics scrape (-m, up to 100000) against pinned tables
# filled by bench/scale.c (root).
#   sudo make bench-scale [SCALE_ARGS="-r 7 -n 16384,100000"]
$(B)/bench/scale: $(call obj,bench/scale.c bench/util.c) $(LIBS)
	@mkdir -p $(dir $@)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LIBBPF_LIBS)

SCALE_ARGS ?= -m
bench-scale: $(B)/bench/scale $(B)/csumguard
	$(B)/bench/scale -c $(B)/csumguard $(SCALE_ARGS)

# The per-source storage shapes (issue 13, item 1): bench/store.bpf.c, a
# bench program, not the datapath; bench/store.c runs it (root).
#   sudo make bench-store [STORE_ARGS="-r 7"]
$(B)/store.bpf.o: bench/store.bpf.c
	@mkdir -p $(dir $@)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(DEPFLAGS) -MF $@.d -c $< -o $@

$(call obj,bench/store.c): $(B)/store.skel.h
$(call obj,bench/store.c): CPPFLAGS += -Iselftests
$(B)/bench/store: $(call obj,bench/store.c bench/util.c) $(PKT_OBJS) $(REF) $(LIBS)
	@mkdir -p $(dir $@)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LIBBPF_LIBS) -lpthread

bench-store: $(B)/bench/store
	$(B)/bench/store $(STORE_ARGS)

# What a user feels: iperf3 TCP and UDP through the lab's VXLAN path with and
# without csumguard (bench/e2e.sh). Needs root and iperf3 (scripts/deps.sh).
#   sudo make bench-e2e [E2E_BENCH_ARGS="-r 7 -t 5"]
bench-e2e: $(B)/csumguard $(B)/fault_inject.bpf.o $(B)/xdp_pass.bpf.o $(B)/tc_pass.bpf.o
	LAB_BUILD=$(abspath $(B)) ./bench/e2e.sh $(E2E_BENCH_ARGS)

# Every figure of bench/README.md, one table per topic, in one run, one
# after the other (never in parallel: each would disturb the others):
# per packet, per-source storage, user-space scale, end to end.
BENCH_ALL := $(B)/bench/bench $(B)/bench/store $(B)/bench/scale $(B)/csumguard \
	     $(B)/fault_inject.bpf.o $(B)/xdp_pass.bpf.o $(B)/tc_pass.bpf.o \
	     $(BENCH_VARIANT_OBJS) $(B)/csumguard.bpf.o $(B)/csumguard_lc.bpf.o
bench: $(BENCH_ALL)
	@echo "== bench 1/4: ns per packet, the fixed cost's parts (bench/bench.c)"
	$(B)/bench/bench $(BENCH_DECOMP) $(BENCH_ARGS)
	@echo "== bench 2/4: per-source storage shapes and their memory (bench/store.c)"
	$(B)/bench/store $(STORE_ARGS)
	@echo "== bench 3/4: user-space scale (bench/scale.c)"
	$(B)/bench/scale -c $(B)/csumguard $(SCALE_ARGS)
	@echo "== bench 4/4: end to end, iperf3 through the lab (bench/e2e.sh)"
	LAB_BUILD=$(abspath $(B)) ./bench/e2e.sh $(E2E_BENCH_ARGS)

# The agent's series count and scrape time (p50, p99 of 100 scrapes) at
# 16384 sources, per --metrics-sources mode (scripts/metrics-bench.sh).
#   sudo make bench-metrics [BENCH_METRICS_ARGS="SOURCES BAD MODE..."]
$(B)/bench/metrics_bench: $(call obj,bench/metrics_bench.c) $(LIBS)
	@mkdir -p $(dir $@)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LIBXDP_LIBS) $(AGENT_LIBS)

all: $(B)/bench/metrics_bench

bench-metrics: $(B)/csumguard $(B)/bench/metrics_bench
	LAB_BUILD=$(abspath $(B)) ./scripts/metrics-bench.sh $(BENCH_METRICS_ARGS)

# --- end-to-end lab, tests and demo -----------------------------------------
# scripts/lab.sh builds a namespace lab (bridge, three nodes, kernel VXLAN);
# selftests/fault_inject.bpf.c is a TEST-ONLY TC program that plays the buggy
# NIC; selftests/sendraw sends crafted frames (VLAN, Geneve, GUE, jumbo) and
# prints the reference verifier's expectation. All need root.
#   sudo make check-e2e [E2E_TESTS="monitor drop ..."]   (selftests/e2e/run.sh)
#   sudo make demo
SENDRAW_OBJS := $(call obj,selftests/sendraw.c) $(PKT_OBJS)
E2E_DEPS := $(B)/csumguard $(B)/fault_inject.bpf.o $(B)/selftests/sendraw \
	    $(B)/csumguard_tc.bpf.o $(B)/gso_meta_bug.bpf.o $(B)/selftests/refuse_prog.so

$(B)/selftests/sendraw: $(SENDRAW_OBJS) $(REF) $(LIBS)
	@mkdir -p $(dir $@)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LIBBPF_LIBS)

# TEST-ONLY LD_PRELOAD shim: the kernel "refuses" one named BPF program
# (e2e variant_fallback). Built without the sanitizers: it is preloaded.
$(B)/selftests/refuse_prog.so: selftests/refuse_prog.c
	@mkdir -p $(dir $@)
	$(call msg,LINK,$@)
	$(Q)$(CC) -O2 -g -Wall -Wextra -shared -fPIC $< -o $@ -ldl

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
XDP_OBJ_DIR := /usr/lib/$(shell $(CC) -dumpmachine)/bpf

# Without the agent: Debian ships no static build of what libmicrohttpd
# needs (gnutls's libunistring and p11-kit have no .a), and the guests run
# attach, stats and detach only. `csumguard agent` there says so.
STATIC_CMD_OBJS := $(filter-out $(B)/obj/loader/cmd_agent.o,$(CMD_OBJS)) \
		   $(B)/obj/loader/cmd_agent.noagent.o
$(B)/obj/loader/cmd_agent.noagent.o: loader/cmd_agent.c | $(SKELS)
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) -DCG_NO_AGENT $(CFLAGS) $(DEPFLAGS) -c $< -o $@

$(B)/csumguard.static: $(STATIC_CMD_OBJS) $(LIBS)
	$(call msg,LINK,$@)
	$(Q)$(CC) -static $(CFLAGS) $^ -o $@ $(LIBXDP_LIBS)

$(B)/selftests/sendraw.static: $(SENDRAW_OBJS) $(REF) $(LIBS)
	$(call msg,LINK,$@)
	$(Q)$(CC) -static $(CFLAGS) $^ -o $@ $(LIBBPF_LIBS)

$(B)/selftests/xdpctl.static: $(call obj,selftests/vm/xdpctl.c)
	@mkdir -p $(dir $@)
	$(call msg,LINK,$@)
	$(Q)$(CC) -static $(CFLAGS) $^ -o $@ $(LIBXDP_LIBS)

VM_E2E_DEPS := $(B)/csumguard.static $(B)/selftests/sendraw.static \
	       $(B)/selftests/xdpctl.static $(B)/xdp_pass.bpf.o
VM_E2E_ADD := --module veth --module sch_ingress --module cls_bpf \
	--add $(B)/csumguard.static:/usr/sbin/csumguard \
	--add $(B)/selftests/sendraw.static:/usr/sbin/sendraw \
	--add $(B)/selftests/xdpctl.static:/usr/sbin/xdpctl \
	--add $(B)/xdp_pass.bpf.o:/usr/share/csumguard/xdp_pass.bpf.o \
	--add $(XDP_OBJ_DIR)/xdp-dispatcher.o:/usr/lib/csumguard-vm/bpf/xdp-dispatcher.o \
	--add $(XDP_OBJ_DIR)/xdpfilt_alw_all.o:/usr/lib/csumguard-vm/bpf/xdpfilt_alw_all.o \
	--add /usr/bin/ip --add /usr/sbin/xdp-loader --add /usr/sbin/tc

# coexist.sh (XDP beside other programs), then egress.sh (the TC egress
# program on frames leaving a veth), each in its own boot, per kernel. On
# 5.10 both test the intended behaviour there (the scripts' headers): XDP
# alone (no freplace of csumguard's program), egress as on 6.1 (since issue 13).
E2E_KERNELS ?= 5.10 6.1
check-kernels-e2e: $(VM_E2E_DEPS)
	$(foreach k,$(E2E_KERNELS),\
	./selftests/vm/run-kernel.sh $(VM_E2E_ADD) $(k) selftests/vm/coexist.sh && \
	./selftests/vm/run-kernel.sh $(VM_E2E_ADD) $(k) selftests/vm/egress.sh &&) true

# Header dependencies of every object built so far.
-include $(shell find $(B) -name '*.d' 2>/dev/null)

# --- flood and crash tests (selftests/e2e/t50_crash.sh) ------------------------
# selftests/flood sends one VXLAN frame from each of 100 000 spoofed sources
# (AF_PACKET, as fast as the receiving veth takes them) and prints the
# reference verifier's expectation.
FLOOD_OBJS := $(call obj,selftests/flood.c) $(PKT_OBJS)
$(call obj,selftests/flood.c): CPPFLAGS += -Iselftests

$(B)/selftests/flood: $(FLOOD_OBJS) $(REF) $(LIBS)
	@mkdir -p $(dir $@)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LIBBPF_LIBS)

all: $(B)/selftests/flood
check-e2e: $(B)/selftests/flood

# --- make fuzz: the differential test at scale ---------------------------------
# FUZZ_FRAMES frames (selftests/xdp_diff.c: random ones with every
# encapsulation and real inner packets, and mutations of every table case;
# selftests/mutate.c: bit flips, truncation, length-field edits, VLAN tag and
# IPv6 extension header insertion, inner headers) and the regression corpus
# (selftests/diff_corpus.h) through every XDP variant, the TC programs and
# the reference verifier; zero disagreements required. The seed is random
# and printed; FUZZ_SEED=N repeats a run, a disagreement prints its replay
# command and a corpus entry. make check runs the same test with 100000
# frames and a random seed (check-selftests).
FUZZ_FRAMES ?= 1000000
FUZZ_SEED ?=
.PHONY: fuzz
fuzz: $(B)/selftests/test_xdp
	$(B)/selftests/test_xdp --count $(FUZZ_FRAMES) $(if $(FUZZ_SEED),--seed $(FUZZ_SEED))

# --- fuzz/: libFuzzer harnesses of the user-space parsers ---------------------
# fuzz/fuzz_NAME.c -> build/fuzz/fuzz_NAME: clang -fsanitize=fuzzer,address,
# undefined over the lib/, ref/ and loader/ objects built again with coverage
# (build/fuzz/obj/). A new harness is its file and a few seed inputs in
# fuzz/corpus/NAME/: the wildcard below finds it (fuzz/README.md).
#   make fuzz-libfuzzer [FUZZ_TIME=SECONDS] [FUZZERS="json ledger"]
#   make check-fuzz-corpus     every committed input once (part of make check)
FUZZ_CLANG ?= clang
FB := $(B)/fuzz
FUZZERS ?= $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_TIME ?= 60
FUZZ_CFLAGS := -O1 -g -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -std=gnu11 \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_SRC_OBJS := $(patsubst %.c,$(FB)/obj/%.o,$(wildcard lib/*.c ref/*.c) \
		 $(filter-out loader/csumguard.c,$(wildcard loader/*.c)))

$(FB)/obj/%.o: %.c | $(SKELS)
	@mkdir -p $(dir $@)
	$(call msg,CC-FUZZ,$@)
	$(Q)$(FUZZ_CLANG) $(CPPFLAGS) -Iloader $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link \
		$(DEPFLAGS) -c $< -o $@

$(FB)/libfuzzsrc.a: $(FUZZ_SRC_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(FB)/fuzz_%: $(FB)/obj/fuzz/fuzz_%.o $(FB)/libfuzzsrc.a
	$(call msg,LINK,$@)
	$(Q)$(FUZZ_CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer $^ -o $@ $(LIBXDP_LIBS) $(AGENT_LIBS)

.PHONY: fuzz-build fuzz-libfuzzer check-fuzz-corpus
.SECONDARY: $(FUZZERS:%=$(FB)/obj/fuzz/fuzz_%.o)
fuzz-build: $(FUZZERS:%=$(FB)/fuzz_%)

fuzz-libfuzzer: fuzz-build
	./fuzz/run.sh fuzz $(FB) $(FUZZ_TIME) $(FUZZERS)

check-fuzz-corpus: fuzz-build
	./fuzz/run.sh corpus $(FB) $(FUZZERS)

# --- valgrind memcheck over the command's main paths -------------------------
# selftests/memcheck.sh: attach (both directions and each alone) on a veth
# pair in a namespace of its own, stats, block/unblock/blocklist, ledger,
# detach (--purge), error paths; any definite or indirect leak or memory
# error fails (suppressions, each with its reason: selftests/memcheck.supp).
# A path is one row of MEMCHECK_PATHS there. Needs root.
.PHONY: check-valgrind
check-valgrind: $(B)/csumguard
	./selftests/memcheck.sh $(B)/csumguard
