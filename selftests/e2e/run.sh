#!/usr/bin/env bash
# selftests/e2e/run.sh - end-to-end tests of csumguard in the namespace lab
# (scripts/lab.sh): real kernel VXLAN traffic, a TC egress fault injector
# playing the buggy NIC, and crafted frames for what the lab kernel cannot
# make (VLAN, Geneve, GUE, jumbo). Every figure is compared exactly with an
# expectation that does not come from csumguard: the injector's own count of
# what it corrupted or sent, the receiving kernel's Udp InCsumErrors, ping's
# replies, and the reference verifier run over the crafted frames (sendraw).
#
#   sudo selftests/e2e/run.sh [TEST...]     (make check-e2e runs them all)
#   tests: monitor drop coexist detach persist crafted blocklist exthdr flood gate
#          caps netns_purge mount identity race_deep layout
#          egress_both egress_only egress_ingress_only egress_preexisting
#          egress_qdisc_busy egress_persist egress_fail egress_ledger egress_counts
#          egress_gsometa egress_states
#   E2E_VERBOSE=1 prints every check, not only the failed ones.
#
# Needs root, build/csumguard, build/fault_inject.bpf.o, build/selftests/sendraw.
# Leaves nothing behind: lab_down runs on every exit path.
set -u
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$E2E_DIR/../../scripts/lab.sh"
Q() { "$LAB_PY" "$E2E_DIR/q.py" "$@"; }

ALL_TESTS=(monitor drop coexist detach persist crafted blocklist exthdr flood gate
	caps netns_purge mount identity race_deep layout
	egress_both egress_only egress_ingress_only egress_preexisting egress_qdisc_busy
	egress_persist egress_fail egress_ledger egress_counts egress_gsometa egress_states)
TESTS=("$@")
[ ${#TESTS[@]} -gt 0 ] || TESTS=("${ALL_TESTS[@]}")
E2E_VERBOSE=${E2E_VERBOSE:-0}
E2E_TMP=$(mktemp -d /tmp/csumguard-e2e.XXXXXX)
PASSED=0 FAILED=0 T_FAIL=0 T_NAME=
FAILED_NAMES=()

cleanup() {
	lab_down
	rm -rf -- "$E2E_TMP"
}
trap cleanup EXIT
trap 'echo "e2e: interrupted" >&2; exit 130' INT TERM

# --- checks ------------------------------------------------------------------
# eq WHAT GOT WANT: one exact check inside the current test.
eq() {
	local shown=$2

	[ "$(wc -l <<<"$2")" -gt 1 ] && shown="($(wc -l <<<"$2") lines)"
	if [ "$2" = "$3" ]; then
		[ "$E2E_VERBOSE" = 1 ] && printf '    ok    %-58s %s\n' "$1" "$shown"
	elif [ "$shown" != "$2" ] || [ "$(wc -l <<<"$3")" -gt 1 ]; then
		printf '    FAIL  %s: differs (- want, + got):\n' "$1"
		diff <(printf '%s\n' "$3") <(printf '%s\n' "$2") | sed 's/^/          /'
		T_FAIL=1
	else
		printf '    FAIL  %-58s got %s, want %s\n' "$1" "$2" "$3"
		T_FAIL=1
	fi
	return 0
}
# gt WHAT GOT MIN: GOT > MIN (used to make sure a test exercised something).
gt() {
	if [ "$2" -gt "$3" ] 2>/dev/null; then
		[ "$E2E_VERBOSE" = 1 ] && printf '    ok    %-58s %s > %s\n' "$1" "$2" "$3"
	else
		printf '    FAIL  %-58s got %s, want more than %s\n' "$1" "$2" "$3"
		T_FAIL=1
	fi
	return 0
}
fail() { echo "    FAIL  $*"; T_FAIL=1; }
note() { echo "    $*"; }

begin() { T_NAME=$1; T_FAIL=0; T_START=$(date +%s%3N); echo "--- $1: $2"; }
took() { local ms=$(($(date +%s%3N) - T_START)); echo "$((ms / 1000)).$((ms % 1000 / 100)) s"; }
end() {
	if [ "$T_FAIL" = 0 ]; then
		PASSED=$((PASSED + 1))
		echo "PASS $T_NAME ($(took))"
	else
		FAILED=$((FAILED + 1))
		FAILED_NAMES+=("$T_NAME")
		echo "FAIL $T_NAME ($(took))"
	fi
}

# --- helpers -------------------------------------------------------------------
stats() { lab_cg rx stats "$1" --json; }		# IFACE
src() { Q src "$1" "$2" "$3" <<<"$4"; }			# IFACE ADDR FIELD JSON
ctr() { Q counter "$1" "$2" <<<"$3"; }			# IFACE NAME JSON
key() { Q key "$1" <<<"$2"; }				# NAME JSON
field() { Q field "$1" "$2" <<<"$3"; }			# IFACE KEY JSON

# Waits until the receiver's frame counter on IFACE stops moving (in-flight
# frames of the last burst are counted) - at most about 3 s.
settle() {
	local prev=-1 cur

	for _ in $(seq 30); do
		sleep 0.1
		cur=$(lab_cg rx stats "$1" --json 2>/dev/null | Q counter "$1" frames)
		[ "$cur" = "$prev" ] && return 0
		prev=$cur
	done
}

attached() { lab_exec rx ip -d link show dev "$1" | grep -q 'prog/xdp'; }

# Traffic of one burst from NODE: flood pings (outer checksum finished after
# TC egress) and UDP (outer checksum final at TC egress), over IPv4 and IPv6
# underlays. COUNTS: "ping4 udp4 ping6 udp6".
burst() {
	local n=$1 p4=$2 u4=$3 p6=$4 u6=$5

	[ "$p4" -gt 0 ] && lab_ping "$n" 4 "$p4" >/dev/null
	[ "$u4" -gt 0 ] && lab_udp "$n" 4 "$u4" 300
	[ "$p6" -gt 0 ] && lab_ping "$n" 6 "$p6" >/dev/null
	[ "$u6" -gt 0 ] && lab_udp "$n" 6 "$u6" 300
	return 0
}

OK4=$(lab_ip4 ok) OK6=$(lab_ip6 ok) BAD4=$(lab_ip4 bad) BAD6=$(lab_ip6 bad)

# --- a) monitor mode -----------------------------------------------------------
test_monitor() {
	local j0 j1 s0 s1 f0 f1 g0 g1 seen corrupted seen_ok e4 e6 b4 b6

	begin monitor "per-source counters vs the injector and the kernel's InCsumErrors"
	lab_cg rx attach up0 --mode monitor >/dev/null || { fail "attach up0"; end; return; }
	lab_fault_rate ok 0
	lab_fault_rate bad 50000		# 5 %
	j0=$(stats up0) s0=$(lab_snmp rx) f0=$(lab_fault_stats bad) g0=$(lab_fault_stats ok)
	burst ok 400 300 200 200
	burst bad 400 300 200 200
	settle up0
	j1=$(stats up0) s1=$(lab_snmp rx) f1=$(lab_fault_stats bad) g1=$(lab_fault_stats ok)

	seen=$(($(key seen "$f1") - $(key seen "$f0")))
	corrupted=$(($(key corrupted "$f1") - $(key corrupted "$f0")))
	seen_ok=$(($(key seen "$g1") - $(key seen "$g0")))
	e4=$(($(key udp_in_csum_errors "$s1") - $(key udp_in_csum_errors "$s0")))
	e6=$(($(key udp6_in_csum_errors "$s1") - $(key udp6_in_csum_errors "$s0")))
	b4=$(($(src up0 "$BAD4" bad "$j1") - $(src up0 "$BAD4" bad "$j0")))
	b6=$(($(src up0 "$BAD6" bad "$j1") - $(src up0 "$BAD6" bad "$j0")))

	note "healthy sender: $seen_ok tunnel datagrams; bad sender: $seen, injector corrupted $corrupted" \
		"($(key partial "$f1") partial / $(key final "$f1") final checksums at TC egress)"
	note "csumguard bad: $BAD4 $b4, $BAD6 $b6; kernel InCsumErrors: Udp $e4, Udp6 $e6"
	# Healthy sender: 400+300 over IPv4, 200+200 over IPv6, all ok.
	eq "healthy: tunnel datagrams it sent (injector)" "$seen_ok" 1100
	eq "healthy $OK4 packets" "$(src up0 "$OK4" packets "$j1")" 700
	eq "healthy $OK4 ok" "$(src up0 "$OK4" ok "$j1")" 700
	eq "healthy $OK4 bad" "$(src up0 "$OK4" bad "$j1")" 0
	eq "healthy $OK6 packets" "$(src up0 "$OK6" packets "$j1")" 400
	eq "healthy $OK6 ok" "$(src up0 "$OK6" ok "$j1")" 400
	eq "healthy $OK6 bad" "$(src up0 "$OK6" bad "$j1")" 0
	# Bad sender: everything it sent arrives; bad == what the injector corrupted.
	gt "injector corrupted something" "$corrupted" 0
	eq "injector skipped nothing (GSO, unreadable)" \
		"$(key skipped_gso "$f1") $(key skipped_other "$f1") $(key skipped_gso "$g1") $(key skipped_other "$g1")" "0 0 0 0"
	gt "corrupted packets whose checksum was finished after TC (partial)" "$(key partial "$f1")" 0
	gt "corrupted packets whose checksum was final at TC" "$(key final "$f1")" 0
	eq "bad sender: packets counted == datagrams sent" \
		"$(($(src up0 "$BAD4" packets "$j1") + $(src up0 "$BAD6" packets "$j1")))" "$seen"
	eq "bad sender: bad == injector corrupted" "$((b4 + b6))" "$corrupted"
	eq "bad sender: ok == sent - corrupted" \
		"$(($(src up0 "$BAD4" ok "$j1") + $(src up0 "$BAD6" ok "$j1")))" "$((seen - corrupted))"
	eq "bad sender: unfinished" "$(($(src up0 "$BAD4" unfinished "$j1") + $(src up0 "$BAD6" unfinished "$j1")))" 0
	eq "kernel Udp InCsumErrors delta == csumguard bad ($BAD4)" "$e4" "$b4"
	eq "kernel Udp6InCsumErrors delta == csumguard bad ($BAD6)" "$e6" "$b6"
	eq "monitor mode: nothing dropped" "$(ctr up0 drop_bad "$j1")" 0
	eq "totals: tunnel == sum of sources" "$(ctr up0 tunnel "$j1")" \
		"$(($(src up0 "$OK4" packets "$j1") + $(src up0 "$OK6" packets "$j1") + \
		$(src up0 "$BAD4" packets "$j1") + $(src up0 "$BAD6" packets "$j1")))"
	eq "totals: unchecked" "$(ctr up0 unchecked "$j1")" 0
	eq "totals: unaccounted" "$(ctr up0 unaccounted "$j1")" 0
	E2E_FIG_MONITOR=$(printf '%s\n' \
		"  healthy node: sent $seen_ok tunnel datagrams (injector count); csumguard $OK4+$OK6: packets $(($(src up0 "$OK4" packets "$j1") + $(src up0 "$OK6" packets "$j1"))), ok $(($(src up0 "$OK4" ok "$j1") + $(src up0 "$OK6" ok "$j1"))), bad $(($(src up0 "$OK4" bad "$j1") + $(src up0 "$OK6" bad "$j1")))" \
		"  bad node:     sent $seen, injector corrupted $corrupted; csumguard $BAD4: packets $(src up0 "$BAD4" packets "$j1"), ok $(src up0 "$BAD4" ok "$j1"), bad $b4 | $BAD6: packets $(src up0 "$BAD6" packets "$j1"), ok $(src up0 "$BAD6" ok "$j1"), bad $b6" \
		"  receiver kernel: Udp InCsumErrors +$e4, Udp6InCsumErrors +$e6")
	lab_cg rx detach up0 --purge >/dev/null || fail "detach up0 --purge"
	end
}

# --- b) drop mode ----------------------------------------------------------------
test_drop() {
	local j1 s0 s1 f0 f1 seen corrupted e4 e6 d4 d6 b4 b6

	begin drop "drop mode: bad frames never reach the stack"
	lab_cg rx attach up0 --mode drop >/dev/null || { fail "attach up0 --mode drop"; end; return; }
	lab_fault_rate bad 50000
	s0=$(lab_snmp rx) f0=$(lab_fault_stats bad)
	burst ok 200 200 100 100
	burst bad 400 300 200 200
	settle up0
	j1=$(stats up0) s1=$(lab_snmp rx) f1=$(lab_fault_stats bad)
	seen=$(($(key seen "$f1") - $(key seen "$f0")))
	corrupted=$(($(key corrupted "$f1") - $(key corrupted "$f0")))
	e4=$(($(key udp_in_csum_errors "$s1") - $(key udp_in_csum_errors "$s0")))
	e6=$(($(key udp6_in_csum_errors "$s1") - $(key udp6_in_csum_errors "$s0")))
	b4=$(src up0 "$BAD4" bad "$j1") b6=$(src up0 "$BAD6" bad "$j1")
	d4=$(src up0 "$BAD4" dropped "$j1") d6=$(src up0 "$BAD6" dropped "$j1")
	note "bad sender sent $seen, injector corrupted $corrupted; csumguard dropped $d4+$d6;" \
		"kernel InCsumErrors Udp $e4, Udp6 $e6"
	gt "injector corrupted something" "$corrupted" 0
	eq "kernel Udp InCsumErrors stays flat" "$e4" 0
	eq "kernel Udp6InCsumErrors stays flat" "$e6" 0
	eq "bad sender: bad == injector corrupted" "$((b4 + b6))" "$corrupted"
	eq "bad sender: dropped == injector corrupted" "$((d4 + d6))" "$corrupted"
	eq "totals: drop_bad == injector corrupted" "$(ctr up0 drop_bad "$j1")" "$corrupted"
	eq "bad sender: packets == sent" \
		"$(($(src up0 "$BAD4" packets "$j1") + $(src up0 "$BAD6" packets "$j1")))" "$seen"
	eq "healthy: dropped" "$(($(src up0 "$OK4" dropped "$j1") + $(src up0 "$OK6" dropped "$j1")))" 0
	eq "healthy: ok" "$(($(src up0 "$OK4" ok "$j1") + $(src up0 "$OK6" ok "$j1")))" 600
	E2E_FIG_DROP="bad sent $seen, corrupted $corrupted, csumguard dropped $((d4 + d6)) (drop_bad $(ctr up0 drop_bad "$j1")), InCsumErrors $e4+$e6"
	lab_cg rx detach up0 --purge >/dev/null || fail "detach up0 --purge"
	end
}

# --- c) coexistence with another XDP program (libxdp) ------------------------------
# The other program: xdp-tools' own allow-all filter (its program name is
# xdpfilt_alw_all), else the benchmark's pass program.
OTHER_XDP=${OTHER_XDP:-/usr/lib/$(gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)/bpf/xdpfilt_alw_all.o}
xdp_status() { lab_nsenter rx xdp-loader status "$1" 2>&1; }
test_coexist() {
	local st before j0 j1 out rc other=xdpfilt_alw_all

	begin coexist "a second XDP program on the same interface through libxdp"
	[ -f "$OTHER_XDP" ] || { OTHER_XDP=$LAB_BUILD/xdp_pass.bpf.o; other=xdp_pass; }
	before=$(lab_exec rx ip -d link show dev up0)
	if ! lab_nsenter rx xdp-loader load -m native up0 "$OTHER_XDP" >"$E2E_TMP/xl" 2>&1; then
		fail "xdp-loader load up0 $OTHER_XDP: $(tail -1 "$E2E_TMP/xl")"
		end
		return
	fi
	st=$(xdp_status up0)
	if ! grep -q xdp_dispatcher <<<"$st"; then
		# libxdp fell back to attaching the program alone: this kernel
		# refuses freplace (BPF_PROG_TYPE_EXT) programs, which the
		# multi-program dispatcher is made of. Then only one program
		# fits: csumguard must refuse cleanly and leave the other alone.
		note "libxdp could not build its dispatcher here (kernel refuses freplace programs);"
		note "checking instead that csumguard refuses an occupied interface cleanly"
		out=$(lab_cg rx attach up0 2>&1)
		rc=$?
		note "csumguard attach: rc $rc: $out"
		[ "$rc" != 0 ] || fail "attach on an occupied interface succeeded without a dispatcher"
		eq "error is one line" "$(wc -l <<<"$out")" 1
		eq "other program untouched" "$(xdp_status up0)" "$st"
		[ -e "$LAB_PIN/ifaces/up0" ] && fail "refused attach left pins in $LAB_PIN/ifaces/up0"
		lab_nsenter rx xdp-loader unload --all up0 >/dev/null 2>&1 || fail "xdp-loader unload"
		eq "interface as before" "$(lab_exec rx ip -d link show dev up0)" "$before"
		# The other way round: csumguard first, then another loader must
		# not push it off the interface.
		lab_cg rx attach up0 >/dev/null || fail "attach on the free interface"
		if lab_nsenter rx xdp-loader load -m native up0 "$OTHER_XDP" >"$E2E_TMP/xl" 2>&1; then
			fail "xdp-loader replaced or joined csumguard without a dispatcher"
		else
			note "xdp-loader load after csumguard: refused: $(grep -v '^Current rlimit' "$E2E_TMP/xl" | tail -1)"
		fi
		grep -q csumguard_xdp <<<"$(xdp_status up0)" || fail "csumguard no longer attached"
		j0=$(stats up0)
		burst ok 50 0 0 0
		settle up0
		j1=$(stats up0)
		eq "csumguard still counts" "$(($(src up0 "$OK4" ok "$j1") - $(src up0 "$OK4" ok "$j0")))" 50
		lab_cg rx detach up0 --purge >/dev/null || fail "detach"
		eq "interface as before" "$(lab_exec rx ip -d link show dev up0)" "$before"
		# What passes here is the one-program fallback; the dispatcher
		# path itself runs inside Debian's 6.1 kernel (check-kernels-e2e).
		note "single-program fallback checked; dispatcher coexistence: make check-kernels-e2e"
		end
		return
	fi
	lab_cg rx attach up0 >"$E2E_TMP/att" 2>&1 || { fail "attach beside $OTHER_XDP: $(cat "$E2E_TMP/att")"; }
	st=$(xdp_status up0)
	note "$(grep -E 'up0|=>' <<<"$st" | tr -s ' ' | paste -sd';')"
	grep -q csumguard_xdp <<<"$st" || fail "xdp-loader status does not list csumguard_xdp"
	grep -q "$other" <<<"$st" || fail "other program $other missing"
	lab_fault_rate bad 0
	j0=$(stats up0)
	burst ok 100 0 0 0
	settle up0
	j1=$(stats up0)
	eq "traffic still counted beside the other program" \
		"$(($(src up0 "$OK4" ok "$j1") - $(src up0 "$OK4" ok "$j0")))" 100
	lab_cg rx detach up0 --purge >/dev/null || fail "detach"
	st=$(xdp_status up0)
	grep -q csumguard_xdp <<<"$st" && fail "csumguard still listed after detach"
	grep -q "$other" <<<"$st" || fail "detach removed the other program $other"
	lab_nsenter rx xdp-loader unload --all up0 >/dev/null 2>&1 || fail "xdp-loader unload"
	eq "interface as before" "$(lab_exec rx ip -d link show dev up0)" "$before"
	end
}

# --- d) detach leaves the interface as it was -----------------------------------
test_detach() {
	local ifc link0 xs0 tc0 pins0

	begin detach "attach + detach leave the interface exactly as before"
	for ifc in up0 raw1; do
		link0=$(lab_exec rx ip -d link show dev "$ifc")
		xs0=$(xdp_status "$ifc")
		tc0=$(lab_exec rx tc filter show dev "$ifc" ingress)
		pins0=$(ls -R "$LAB_BPFFS/xdp" 2>/dev/null)
		lab_cg rx attach "$ifc" >/dev/null || fail "attach $ifc"
		attached "$ifc" || fail "no XDP program on $ifc after attach"
		lab_cg rx detach "$ifc" --purge >/dev/null || fail "detach $ifc"
		eq "$ifc: ip -d link show" "$(lab_exec rx ip -d link show dev "$ifc")" "$link0"
		eq "$ifc: xdp-loader status" "$(xdp_status "$ifc")" "$xs0"
		eq "$ifc: tc ingress filters" "$(lab_exec rx tc filter show dev "$ifc" ingress)" "$tc0"
		eq "$ifc: libxdp pins" "$(ls -R "$LAB_BPFFS/xdp" 2>/dev/null)" "$pins0"
		eq "$ifc: pinned state removed by --purge" "$(ls "$LAB_PIN/ifaces/$ifc" 2>/dev/null)" ""
	done
	[ "$T_FAIL" = 0 ] || lab_exec rx ip -d link show dev up0 | sed 's/^/    /'
	end
}

# --- e) counters outlive the command, and detach without --purge ---------------------
test_persist() {
	local j1 j2 j3 j4 j5 f0 f1 f2 f3 n1 n2 n3 a b

	begin persist "counters survive the command exiting, re-running, and detach"
	lab_fault_rate bad 50000
	lab_cg rx attach up0 >/dev/null || { fail "attach"; end; return; }
	f0=$(lab_fault_stats bad)
	burst ok 100 0 0 0
	burst bad 200 0 0 0
	settle up0
	j1=$(stats up0)
	sleep 1
	j2=$(stats up0)			# a second run of the command, no traffic since
	f1=$(lab_fault_stats bad)
	n1=$(($(key seen "$f1") - $(key seen "$f0")))
	eq "run 1: $OK4 ok" "$(src up0 "$OK4" ok "$j1")" 100
	eq "run 1: $BAD4 packets" "$(src up0 "$BAD4" packets "$j1")" "$n1"
	eq "run 1: $BAD4 bad" "$(src up0 "$BAD4" bad "$j1")" \
		"$(($(key corrupted "$f1") - $(key corrupted "$f0")))"
	a=$(Q sources up0 <<<"$j1") b=$(Q sources up0 <<<"$j2")
	eq "run 2 without traffic shows the same counters" "$b" "$a"
	burst ok 100 0 0 0
	burst bad 200 0 0 0
	settle up0
	j3=$(stats up0) f2=$(lab_fault_stats bad)
	n2=$(($(key seen "$f2") - $(key seen "$f1")))
	eq "burst 2 adds up: $OK4 ok" "$(src up0 "$OK4" ok "$j3")" 200
	eq "burst 2 adds up: $BAD4 packets" "$(src up0 "$BAD4" packets "$j3")" "$((n1 + n2))"
	eq "burst 2 adds up: $BAD4 bad" "$(src up0 "$BAD4" bad "$j3")" \
		"$(($(key corrupted "$f2") - $(key corrupted "$f0")))"
	lab_cg rx detach up0 >/dev/null || fail "detach (keep counters)"
	attached up0 && fail "XDP program still attached after detach"
	[ -d "$LAB_PIN/ifaces/up0" ] || fail "detach without --purge removed $LAB_PIN/ifaces/up0"
	j4=$(stats up0)
	eq "after detach, stats shows the same counters" "$(Q sources up0 <<<"$j4")" \
		"$(Q sources up0 <<<"$j3")"
	burst ok 50 0 0 0			# not counted: nothing attached
	lab_cg rx attach up0 >/dev/null || fail "re-attach"
	burst ok 100 0 0 0
	burst bad 200 0 0 0
	settle up0
	j5=$(stats up0) f3=$(lab_fault_stats bad)
	n3=$(($(key seen "$f3") - $(key seen "$f2")))
	eq "re-attach continues: $OK4 ok (100+100+100, the 50 while detached not seen)" \
		"$(src up0 "$OK4" ok "$j5")" 300
	eq "re-attach continues: $BAD4 packets" "$(src up0 "$BAD4" packets "$j5")" "$((n1 + n2 + n3))"
	eq "re-attach continues: $BAD4 bad" "$(src up0 "$BAD4" bad "$j5")" \
		"$(($(key corrupted "$f3") - $(key corrupted "$f0")))"
	lab_cg rx detach up0 --purge >/dev/null || fail "detach --purge"
	[ -e "$LAB_PIN/ifaces/up0" ] && fail "--purge left $LAB_PIN/ifaces/up0"
	lab_cg rx stats up0 --json >/dev/null 2>&1 &&
		[ "$(lab_cg rx stats up0 --json | Q counter up0 frames)" != 0 ] &&
		fail "stats still shows counters after --purge"
	end
}

# --- f) crafted frames: VLAN, Geneve, GUE, IPv6, jumbo, every verdict ----------------
test_crafted() {
	local mode j0 j1 s0 s1 ex

	begin crafted "crafted frames through AF_PACKET, counted as the reference verifier says"
	for mode in monitor drop; do
		lab_cg rx attach raw1 --mode "$mode" --port gue:6080 >/dev/null ||
			{ fail "attach raw1 --mode $mode --port gue:6080"; continue; }
		ex=$E2E_TMP/expect-$mode.json
		"$LAB_SENDRAW" --expect --mode "$mode" --port gue:6080 --count 5 - >"$ex" ||
			{ fail "sendraw --expect"; continue; }
		j0=$(stats raw1) s0=$(lab_snmp rx)
		echo "$j0" >"$E2E_TMP/before.json"
		lab_exec rx "$LAB_SENDRAW" --mode "$mode" --port gue:6080 --count 5 raw0 \
			>"$E2E_TMP/sent.json" || fail "sendraw raw0"
		settle raw1
		j1=$(stats raw1) s1=$(lab_snmp rx)
		echo "$j1" >"$E2E_TMP/after.json"
		note "$mode mode: $(key frames "$(cat "$ex")") frames, $(key bytes "$(cat "$ex")") bytes" \
			"($("$LAB_PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(", ".join("%s %d" % kv for kv in d["verdicts"].items()))' "$ex"))"
		if [ "$mode" = monitor ] || [ "$E2E_VERBOSE" = 1 ]; then
			Q crafted raw1 "$ex" "$E2E_TMP/before.json" "$E2E_TMP/after.json" ||
				T_FAIL=1
		else
			Q crafted raw1 "$ex" "$E2E_TMP/before.json" "$E2E_TMP/after.json" \
				>"$E2E_TMP/cmp" || { cat "$E2E_TMP/cmp"; T_FAIL=1; }
			tail -1 "$E2E_TMP/cmp"
		fi
		eq "$mode: what was sent is what was expected" \
			"$("$LAB_PY" -c 'import json,sys; a,b=(json.load(open(p)) for p in sys.argv[1:]); a.pop("sent"); b.pop("sent"); print(a==b)' "$ex" "$E2E_TMP/sent.json")" True
		eq "$mode: receiver kernel InCsumErrors unchanged (frames not for it)" \
			"$(key udp_in_csum_errors "$s1") $(key udp6_in_csum_errors "$s1")" \
			"$(key udp_in_csum_errors "$s0") $(key udp6_in_csum_errors "$s0")"
		[ "$mode" = monitor ] && E2E_FIG_CRAFTED=$("$LAB_PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%d frames (%d bytes): %s; kinds %s" % (d["frames"], d["bytes"], ", ".join("%s %d" % kv for kv in d["verdicts"].items()), ", ".join("%s %d" % kv for kv in d["kinds"].items())))' "$ex")
		lab_cg rx detach raw1 --purge >/dev/null || fail "detach raw1 --purge"
	done
	end
}

# --- g) blocklist -------------------------------------------------------------------
test_blocklist() {
	local j0 j1 j2 f0 f1 r seen

	begin blocklist "a blocked source loses its tunnel traffic, and only that unless --all-traffic"
	lab_fault_rate bad 0
	lab_cg rx attach up0 >/dev/null || { fail "attach"; end; return; }
	lab_cg rx block "$BAD4" --reason "e2e: bad NIC" >/dev/null || fail "block $BAD4"
	lab_cg rx blocklist --json | grep -q "\"$BAD4\"" || fail "blocklist does not list $BAD4"
	j0=$(stats up0) f0=$(lab_fault_stats bad)
	r=$(lab_ping bad 4 50)
	note "blocked, overlay ping from bad: $r"
	grep -q ' 0 received' <<<"$r" || fail "tunnel traffic of a blocked source got through: $r"
	eq "blocked: underlay ping from bad still answered" "$(lab_underlay_ping bad 10)" 10
	r=$(lab_ping ok 4 50)
	grep -q '50 received' <<<"$r" || fail "healthy sender affected by the block: $r"
	settle up0
	j1=$(stats up0) f1=$(lab_fault_stats bad)
	seen=$(($(key seen "$f1") - $(key seen "$f0")))
	eq "blocked: $BAD4 dropped == tunnel datagrams it sent" \
		"$(($(src up0 "$BAD4" dropped "$j1") - $(src up0 "$BAD4" dropped "$j0")))" "$seen"
	eq "blocked: drop_blocked == tunnel datagrams it sent" \
		"$(($(ctr up0 drop_blocked "$j1") - $(ctr up0 drop_blocked "$j0")))" "$seen"
	eq "blocked: healthy $OK4 dropped" "$(src up0 "$OK4" dropped "$j1")" 0
	lab_cg rx block "$BAD4" --all-traffic --reason "e2e: all" >/dev/null || fail "block --all-traffic"
	eq "--all-traffic: underlay ping from bad answered" "$(lab_underlay_ping bad 10)" 0
	settle up0
	j2=$(stats up0)
	eq "--all-traffic: drop_blocked grows by the 10 underlay pings" \
		"$(($(ctr up0 drop_blocked "$j2") - $(ctr up0 drop_blocked "$j1")))" 10
	lab_cg rx unblock "$BAD4" >/dev/null || fail "unblock"
	r=$(lab_ping bad 4 50)
	grep -q '50 received' <<<"$r" || fail "after unblock, overlay ping: $r"
	eq "unblocked: underlay ping answered" "$(lab_underlay_ping bad 10)" 10
	eq "blocklist empty again" "$(lab_cg rx blocklist --json | "$LAB_PY" -c 'import json,sys; print(len(json.load(sys.stdin)["entries"]))')" 0
	lab_cg rx detach up0 --purge >/dev/null || fail "detach --purge"
	end
}

# --- h) IPv6 extension headers and the blocklist (issue 6, defects 1 and 8) ---------
# send6 NODE DPORT N_EXT COUNT [SRC6] [--bad]: IPv6 UDP from NODE's underlay
# (or SRC6) to the receiver's, behind N_EXT destination-options headers.
send6() {
	local n=$1 dport=$2 next=$3 count=$4 src=${5:-} mac

	shift 4
	[ $# -gt 0 ] && shift
	[ -n "$src" ] || src=$(lab_ip6 "$n")
	mac=$(lab_exec rx cat /sys/class/net/up0/address)
	lab_exec "$n" "$LAB_PY" "$E2E_DIR/send6.py" up0 "$mac" "$src" "$(lab_ip6 rx)" \
		"$dport" "$next" "$count" "$@" >/dev/null
}
# heard6 PORT CMD...: runs CMD while a listener on the receiver's underlay
# address counts the datagrams that reach PORT; prints that count.
heard6() {
	local port=$1 out=$E2E_TMP/heard.$$ pid

	shift
	lab_exec rx "$LAB_PY" "$E2E_DIR/listen6.py" "$(lab_ip6 rx)" "$port" 1 >"$out" &
	pid=$!
	for _ in $(seq 50); do grep -q ready "$out" 2>/dev/null && break; sleep 0.05; done
	"$@"
	wait "$pid"
	tail -1 "$out"
}

test_exthdr() {
	local j0 j1 s0 s1 mapped="::ffff:$(lab_ip4 ok)"

	begin exthdr "extension headers cannot carry traffic past the blocklist or hide bad checksums"
	lab_cg rx attach up0 >/dev/null || { fail "attach"; end; return; }
	# The kernel itself delivers through 5 and 9 headers: what csumguard must match.
	eq "not blocked: 5 headers, datagrams heard" "$(heard6 5555 send6 bad 5555 5 20)" 20
	eq "not blocked: 9 headers, datagrams heard" "$(heard6 5555 send6 bad 5555 9 20)" 20

	lab_cg rx block "$BAD6" --all-traffic --reason "e2e" >/dev/null || fail "block --all-traffic"
	j0=$(stats up0)
	eq "blocked all: 5 headers, datagrams heard" "$(heard6 5555 send6 bad 5555 5 20)" 0
	eq "blocked all: 9 headers, datagrams heard" "$(heard6 5555 send6 bad 5555 9 20)" 0
	settle up0
	j1=$(stats up0)
	eq "blocked all: drop_blocked grows by the 40 sent" \
		"$(($(ctr up0 drop_blocked "$j1") - $(ctr up0 drop_blocked "$j0")))" 40
	eq "blocked all: $BAD6 unparsed grows by the 20 behind 9 headers" \
		"$(($(src up0 "$BAD6" unparsed "$j1") - $(src up0 "$BAD6" unparsed "$j0")))" 20

	lab_cg rx block "$BAD6" --reason "e2e tunnel scope" >/dev/null || fail "block (tunnel)"
	j0=$(stats up0)
	eq "blocked tunnel: 5 headers to 5555 (proven no tunnel) heard" \
		"$(heard6 5555 send6 bad 5555 5 20)" 20
	eq "blocked tunnel: 9 headers to 5555 (cannot be proven) heard" \
		"$(heard6 5555 send6 bad 5555 9 20)" 0
	send6 bad 4789 9 20
	settle up0
	j1=$(stats up0)
	eq "blocked tunnel: drop_blocked grows by the 40 behind 9 headers" \
		"$(($(ctr up0 drop_blocked "$j1") - $(ctr up0 drop_blocked "$j0")))" 40
	lab_cg rx unblock "$BAD6" >/dev/null || fail "unblock"

	# Bad checksums behind 5 headers are judged; behind 9 counted, not hidden.
	j0=$(stats up0) s0=$(lab_snmp rx)
	send6 bad 4789 5 30 "" --bad
	send6 bad 4789 9 25 "" --bad
	settle up0
	j1=$(stats up0) s1=$(lab_snmp rx)
	eq "kernel Udp6InCsumErrors grows by the 55 sent bad" \
		"$(($(key udp6_in_csum_errors "$s1") - $(key udp6_in_csum_errors "$s0")))" 55
	eq "$BAD6 bad grows by the 30 behind 5 headers" \
		"$(($(src up0 "$BAD6" bad "$j1") - $(src up0 "$BAD6" bad "$j0")))" 30
	eq "$BAD6 unparsed grows by the 25 behind 9 headers" \
		"$(($(src up0 "$BAD6" unparsed "$j1") - $(src up0 "$BAD6" unparsed "$j0")))" 25

	# Defect 8: IPv6 frames from ::ffff:<ok's IPv4> are not ok's IPv4 row.
	j0=$(stats up0)
	send6 bad 4789 0 40 "$mapped" --bad
	settle up0
	j1=$(stats up0)
	eq "v4-mapped source: $mapped bad grows by 40" \
		"$(($(src up0 "$mapped" bad "$j1") - $(src up0 "$mapped" bad "$j0")))" 40
	eq "v4-mapped source: $OK4 bad unchanged" \
		"$(src up0 "$OK4" bad "$j1")" "$(src up0 "$OK4" bad "$j0")"
	lab_cg rx stats up0 | grep -q "^::ffff:$(lab_ip4 ok) " ||
		fail "stats does not show the source as ::ffff:$(lab_ip4 ok)"
	lab_cg rx detach up0 --purge >/dev/null || fail "detach --purge"
	end
}

# --- i) a spoofed-source flood (issue 6, defect 3) ---------------------------------
test_flood() {
	local j0 j1 n=4096 ins pres kept ev drop0 r mac

	begin flood "a spoofed-source flood: evictions shown, a blocked source's row kept"
	lab_cg rx attach up0 --sources 1024 >/dev/null || { fail "attach --sources 1024"; end; return; }
	lab_fault_rate bad 0
	lab_udp ok 4 200
	lab_cg rx block "$BAD4" --reason "e2e flood" >/dev/null || fail "block $BAD4"
	r=$(lab_ping bad 4 30)
	grep -q ' 0 received' <<<"$r" || fail "blocked source got through: $r"
	settle up0
	j0=$(stats up0)
	drop0=$(src up0 "$BAD4" dropped "$j0")
	gt "blocked: $BAD4 dropped before the flood" "$drop0" 0
	mac=$(lab_exec rx cat /sys/class/net/up0/address)
	lab_exec bad "$LAB_PY" "$E2E_DIR/flood4.py" up0 "$mac" "$(lab_ip4 rx)" "$n" >/dev/null
	settle up0
	j1=$(stats up0)
	ins=$(ctr up0 sources_inserted "$j1")
	pres=$(field up0 sources_present "$j1")
	kept=$(field up0 sources_kept "$j1")
	ev=$(field up0 sources_evicted "$j1")
	note "flood of $n sources into 1024 slots: inserted $ins, present $pres, kept $kept, evicted $ev"
	# Only ok ($OK4) and the spoofed sources entered the LRU table, each once.
	eq "sources_inserted == the $n spoofed + $OK4" "$ins" "$((n + 1))"
	eq "sources_evicted == inserted - present" "$ev" "$((ins - pres))"
	gt "sources_evicted" "$ev" 0
	eq "the blocked source's row is kept apart" "$kept" 1
	eq "blocked $BAD4: its dropped count survived the flood" "$(src up0 "$BAD4" dropped "$j1")" "$drop0"
	lab_cg rx stats up0 | grep -q "table full: $ev evicted since attach" ||
		fail "stats does not say: table full: $ev evicted since attach"
	lab_cg rx unblock "$BAD4" >/dev/null || fail "unblock"
	lab_cg rx detach up0 --purge >/dev/null || fail "detach --purge"
	end
}

# --- j) the blocklist gate under concurrent commands (issue 6, defect 6) --------------
# gate: the datapath's blocklist_count value.
gate() {
	bpftool -j map lookup pinned "$LAB_PIN/blocklist_count" key 0 0 0 0 2>/dev/null |
		"$LAB_PY" -c 'import json,sys; v=json.load(sys.stdin)["value"]; print(v if isinstance(v,int) else int.from_bytes(bytes(int(x,16) for x in v),"little"))'
}
entries() { lab_cg rx blocklist --json | "$LAB_PY" -c 'import json,sys; print(len(json.load(sys.stdin)["entries"]))'; }

test_gate() {
	local r pid

	begin gate "the blocklist gate always equals the entries, whatever interleaves"
	lab_fault_rate bad 0
	lab_cg rx attach up0 >/dev/null || { fail "attach"; end; return; }
	# A reader delayed at its 5th bpf call (where it used to rewrite the
	# gate) while a block lands: the issue's recipe.
	lab_nsenter rx strace -f -qq -o /dev/null -e trace=bpf \
		-e inject=bpf:delay_enter=1500000:when=5 \
		"$LAB_CSUMGUARD" --pin-dir "$LAB_PIN" blocklist >/dev/null 2>&1 &
	pid=$!
	sleep 0.5
	lab_cg rx block "$BAD4" --reason "e2e gate" >/dev/null || fail "block"
	wait "$pid"
	eq "after blocklist || block: gate == entries" "$(gate) $(entries)" "1 1"
	r=$(lab_ping bad 4 20)
	grep -q ' 0 received' <<<"$r" || fail "blocked source's overlay ping got through: $r"
	# An unblock slowed at every bpf call while another address is blocked:
	# the two serialise on the pin lock.
	lab_nsenter rx strace -f -qq -o /dev/null -e trace=bpf \
		-e inject=bpf:delay_enter=300000:when=2+ \
		"$LAB_CSUMGUARD" --pin-dir "$LAB_PIN" unblock "$BAD4" >/dev/null 2>&1 &
	pid=$!
	sleep 0.5
	lab_cg rx block "$BAD6" --reason "e2e gate 2" >/dev/null || fail "block $BAD6"
	wait "$pid"
	eq "after unblock || block: gate == entries" "$(gate) $(entries)" "1 1"
	eq "the blocklist holds $BAD6 only" \
		"$(lab_cg rx blocklist --json | "$LAB_PY" -c 'import json,sys; print(" ".join(e["addr"] for e in json.load(sys.stdin)["entries"]))')" "$BAD6"
	r=$(lab_ping bad 6 20)
	grep -q ' 0 received' <<<"$r" || fail "blocked $BAD6 overlay ping got through: $r"
	lab_cg rx unblock "$BAD6" >/dev/null || fail "unblock $BAD6"
	lab_cg rx detach up0 --purge >/dev/null || fail "detach --purge"
	end
}

# --- k) capabilities: refuse before touching anything; never claim "detached" -------
# The XDP program on IFACE as `ip -d link` shows it: "ID NAME", or "" if none.
xdp_prog() {
	lab_exec rx ip -d link show dev "$1" | sed -n 's/.*prog\/xdp id \([0-9]*\) name \([^ ]*\).*/\1 \2/p'
}
# csumguard with a reduced capability set (root's bounding set cut down).
cg_caps() {	# NODE|host CAPS ARGS...
	local n=$1 caps=$2 pre=()

	shift 2
	[ "$n" = host ] || pre=(nsenter --net="/run/netns/$(lab_ns "$n")")
	"${pre[@]}" setpriv --inh-caps=-all --bounding-set="-all,$caps" \
		"$LAB_CSUMGUARD" --pin-dir "$LAB_PIN" "$@"
}

test_caps() {
	local link0 pins0 out rc prog line j

	begin caps "attach/detach need CAP_SYS_ADMIN; stats without it never says detached"
	link0=$(lab_exec rx ip -d link show dev up0)
	pins0=$(ls -R "$LAB_PIN" 2>&1)
	# The capabilities the help used to name (CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN).
	out=$(cg_caps rx +bpf,+perfmon,+net_admin attach up0 2>&1)
	rc=$?
	note "attach with CAP_BPF CAP_PERFMON CAP_NET_ADMIN: rc $rc: $out"
	eq "attach without CAP_SYS_ADMIN: exit status" "$rc" 1
	eq "attach without CAP_SYS_ADMIN: one line" "$(wc -l <<<"$out")" 1
	grep -q 'missing CAP_SYS_ADMIN' <<<"$out" || fail "the error does not name CAP_SYS_ADMIN"
	eq "up0 exactly as before (ip -d link show)" "$(lab_exec rx ip -d link show dev up0)" "$link0"
	eq "pin dir exactly as before" "$(ls -R "$LAB_PIN" 2>&1)" "$pins0"
	[ -z "$(xdp_prog up0)" ] || lab_nsenter rx xdp-loader unload --all up0 >/dev/null 2>&1

	lab_cg rx attach up0 >/dev/null || { fail "attach up0 as root"; end; return; }
	prog=$(xdp_prog up0)
	out=$(cg_caps rx +bpf,+perfmon,+net_admin detach up0 2>&1)
	rc=$?
	eq "detach without CAP_SYS_ADMIN: exit status" "$rc" 1
	grep -q 'missing CAP_SYS_ADMIN' <<<"$out" || fail "detach error does not name CAP_SYS_ADMIN: $out"
	eq "refused detach left the program" "$(xdp_prog up0)" "$prog"

	# stats with CAP_BPF + CAP_PERFMON, in up0's namespace: ip shows the truth.
	line=$(cg_caps rx +bpf,+perfmon stats up0 | head -1)
	j=$(cg_caps rx +bpf,+perfmon stats up0 --json)
	note "stats (CAP_BPF, CAP_PERFMON) in rx, ip -d link: $prog; stats: $line"
	grep -q 'detached' <<<"$line" && fail "stats says detached while up0 runs $prog"
	if [ "${prog#* }" = csumguard_xdp ]; then
		# csumguard's program alone on up0, its id as recorded at attach
		eq "json attached (ip: $prog alone on up0)" "$(field up0 attached "$j")" true
		eq "json xdp_mode" "$(field up0 xdp_mode "$j")" '"native"'
	else
		eq "json attached (ip: dispatcher $prog)" "$(field up0 attached "$j")" null
	fi
	# From the host namespace, which has no up0: it cannot see rx's up0.
	line=$(cg_caps host +bpf,+perfmon stats up0 | head -1)
	j=$(cg_caps host +bpf,+perfmon stats up0 --json)
	note "stats (CAP_BPF, CAP_PERFMON) in the host namespace: $line"
	eq "host namespace: json attached" "$(field up0 attached "$j")" null
	grep -q "/run/netns/$LAB_NS_rx" <<<"$(field up0 attached_note "$j")" ||
		fail "the reason does not say where it was attached: $(field up0 attached_note "$j")"
	grep -q "^up0: cannot tell whether attached (.*CAP_SYS_ADMIN" <<<"$line" ||
		fail "stats line does not say it cannot tell, and why: $line"
	lab_cg rx detach up0 --purge >/dev/null || fail "detach up0 --purge (root)"
	eq "up0 as before after detach" "$(lab_exec rx ip -d link show dev up0)" "$link0"
	end
}

# --- l) --purge from another network namespace ---------------------------------------
test_netns_purge() {
	local pins0 prog out rc r

	begin netns_purge "detach --purge from another namespace keeps a live attachment's state"
	lab_fault_rate bad 0
	lab_cg rx attach up0 >/dev/null || { fail "attach up0 in rx"; end; return; }
	pins0=$(ls -R "$LAB_PIN")
	prog=$(xdp_prog up0)
	# The host namespace has no up0 of its own.
	out=$("$LAB_CSUMGUARD" --pin-dir "$LAB_PIN" detach up0 --purge 2>&1)
	rc=$?
	note "host: detach up0 --purge: rc $rc: $out"
	eq "purge of a live attachment: exit status" "$rc" 1
	eq "purge of a live attachment: one line" "$(wc -l <<<"$out")" 1
	grep -q "/run/netns/$LAB_NS_rx" <<<"$out" || fail "the error does not name where it is live"
	eq "pins untouched (ls -R $LAB_PIN)" "$(ls -R "$LAB_PIN")" "$pins0"
	eq "up0 keeps its program" "$(xdp_prog up0)" "$prog"
	# block from the host reaches the live program through the pinned blocklist
	"$LAB_CSUMGUARD" --pin-dir "$LAB_PIN" block "$BAD4" >/dev/null || fail "block $BAD4 from the host"
	r=$(lab_ping bad 4 5)
	note "blocked from the host, overlay ping from bad: $r"
	grep -q ' 0 received' <<<"$r" || fail "the live program does not see the block: $r"
	"$LAB_CSUMGUARD" --pin-dir "$LAB_PIN" unblock "$BAD4" >/dev/null || fail "unblock"
	lab_cg rx detach up0 --purge >/dev/null || fail "detach up0 --purge in rx"
	[ -e "$LAB_PIN/ifaces/up0" ] && fail "purge in rx left $LAB_PIN/ifaces/up0"
	end
}

# --- m) a failed run leaves no bpffs mounted (private mount namespace) -----------------
# Runs csumguard inside `unshare -m --propagation private`, so the host's
# mounts are never touched; prints "RC MOUNTS_BEFORE MOUNTS_AFTER LEFT".
mount_try() {	# UMOUNT(0|1) ULIMIT_N PIN_DIR ARGS...
	unshare -m --propagation private bash -c '
		bpf_mounts() { awk "\$5 == \"/sys/fs/bpf\"" /proc/self/mountinfo | wc -l; }
		umnt=$1 lim=$2 cg=$3 ns=$4 pin=$5; shift 5
		if [ "$umnt" = 1 ]; then
			while [ "$(bpf_mounts)" -gt 0 ]; do umount /sys/fs/bpf || exit 1; done
		fi
		m0=$(bpf_mounts)
		(ulimit -n "$lim"; exec nsenter --net="/run/netns/$ns" "$cg" --pin-dir "$pin" "$@") \
			>/dev/null 2>&1
		rc=$?
		left=$(ls -d "$(realpath -m "$pin")" 2>/dev/null)
		echo "$rc $m0 $(bpf_mounts) ${left:-none}"' \
		mount_try "$1" "$2" "$LAB_CSUMGUARD" "$LAB_NS_rx" "$3" "${@:4}"
}
test_mount() {
	local r mi0 m dotted=/sys/fs/bpf/../../../tmp/$LAB_P-x

	begin mount "a failed run leaves no bpffs mounted and no pin dir (inside unshare -m)"
	mi0=$(grep -c . /proc/self/mountinfo)
	m=$(awk '$5 == "/sys/fs/bpf"' /proc/self/mountinfo | wc -l)	# bpffs mounts here
	for cmd in "block 10.1.1.1" "attach raw1"; do
		# ".." out of /sys/fs/bpf: refused before mounting anything
		r=$(mount_try 0 1024 "$dotted" $cmd)
		note "$cmd --pin-dir $dotted: rc, bpf mounts before/after, left: $r"
		eq "$cmd with a '..' pin dir: rc, mounts on /sys/fs/bpf unchanged, nothing left" \
			"$r" "1 $m $m none"
		# nothing on /sys/fs/bpf: the run mounts bpffs, then fails (no fds
		# left for the maps): the mount must go again
		r=$(mount_try 1 5 "/sys/fs/bpf/$LAB_P-m" $cmd)
		note "$cmd with /sys/fs/bpf unmounted and 5 fds: $r"
		eq "$cmd failing after mounting: rc, mounts before/after, left" "$r" "1 0 0 none"
	done
	[ -z "$(xdp_prog raw1)" ] || fail "raw1 has an XDP program: $(xdp_prog raw1)"
	eq "host mount table unchanged" "$(grep -c . /proc/self/mountinfo)" "$mi0"
	[ -e "/tmp/$LAB_P-x" ] && { fail "/tmp/$LAB_P-x left"; rm -rf -- "/tmp/$LAB_P-x"; }
	end
}

# --- n) identity by record, not by name: renamed interface, second pin dir ------------
lab_rename() {	# OLD NEW (in rx; an interface is renamed down)
	lab_exec rx ip link set dev "$1" down && lab_exec rx ip link set dev "$1" name "$2" &&
		lab_exec rx ip link set dev "$2" up
}
test_identity() {
	local idx out rc j prog old=$LAB_PIN/old

	begin identity "a renamed interface is followed; another pin dir's state is not ours"
	idx=$(lab_exec rx cat /sys/class/net/raw1/ifindex)
	for purge in "" --purge; do
		lab_cg rx attach raw1 >/dev/null || { fail "attach raw1"; break; }
		lab_rename raw1 rawX || { fail "rename raw1 rawX"; break; }
		eq "ip: rawX runs csumguard_xdp" "$(xdp_prog rawX | cut -d' ' -f2)" csumguard_xdp
		j=$(lab_cg rx stats raw1 --json)
		eq "stats raw1 (now rawX): attached" "$(field raw1 attached "$j")" true
		eq "stats raw1: ifname_now" "$(field raw1 ifname_now "$j")" '"rawX"'
		out=$(lab_cg rx detach raw1 $purge 2>&1)
		rc=$?
		note "detach raw1 $purge after the rename: rc $rc: $(head -1 <<<"$out")"
		eq "detach raw1 $purge: exit status" "$rc" 0
		grep -qx "raw1 is now rawX (ifindex $idx)" <<<"$out" || fail "no 'raw1 is now rawX (ifindex $idx)': $out"
		eq "detach raw1 $purge: ip shows no XDP on rawX" "$(xdp_prog rawX)" ""
		if [ -n "$purge" ]; then
			[ -e "$LAB_PIN/ifaces/raw1" ] && fail "--purge left $LAB_PIN/ifaces/raw1"
		else
			[ -e "$LAB_PIN/ifaces/raw1/ingress/src" ] || fail "detach without --purge removed the counters"
		fi
		lab_rename rawX raw1 || { fail "rename rawX raw1"; break; }
	done
	lab_exec rx ip link show dev rawX >/dev/null 2>&1 && lab_rename rawX raw1

	# Old state of up0 in a second pin dir; the live program is the main pin dir's.
	lab_nsenter rx "$LAB_CSUMGUARD" --pin-dir "$old" attach up0 >/dev/null || fail "attach (old pin dir)"
	lab_nsenter rx "$LAB_CSUMGUARD" --pin-dir "$old" detach up0 >/dev/null || fail "detach (old pin dir)"
	lab_cg rx attach up0 >/dev/null || fail "attach up0"
	prog=$(xdp_prog up0)
	j=$(lab_nsenter rx "$LAB_CSUMGUARD" --pin-dir "$old" stats up0 --json)
	eq "old pin dir: stats attached (the program on up0 uses the other pins)" \
		"$(field up0 attached "$j")" false
	out=$(lab_nsenter rx "$LAB_CSUMGUARD" --pin-dir "$old" detach up0 2>&1)
	rc=$?
	note "old pin dir: detach up0: rc $rc: $out"
	eq "old pin dir: detach up0 exit status" "$rc" 1
	eq "old pin dir: detach left the live program ($prog)" "$(xdp_prog up0)" "$prog"
	lab_nsenter rx "$LAB_CSUMGUARD" --pin-dir "$old" detach up0 --purge >/dev/null ||
		fail "old pin dir: detach up0 --purge"
	eq "old pin dir: --purge left the live program ($prog)" "$(xdp_prog up0)" "$prog"
	[ -e "$old/ifaces/up0" ] && fail "old pin dir: --purge left $old/ifaces/up0"
	j=$(stats up0)
	eq "main pin dir: attached" "$(field up0 attached "$j")" true
	lab_cg rx detach up0 --purge >/dev/null || fail "detach up0 --purge"
	rm -rf -- "$old"
	end
}

# --- o) concurrent attaches; a deep new pin dir -------------------------------------
test_race_deep() {
	local holder a b out rc loser pins0 deep=$LAB_PIN/deep/a/b/c/d/e/f/g/h/i

	begin race_deep "the loser of two attaches says what happened; a failed deep attach leaves nothing"
	mkdir -p "$LAB_PIN"
	# Hold the pin dir's lock so both attaches pass their first check, then
	# queue on the lock; the second one in finds the first attached.
	flock "$LAB_PIN" sleep 1 &
	holder=$!
	sleep 0.2
	lab_cg rx attach up0 >"$E2E_TMP/r1" 2>&1 &
	a=$!
	lab_cg rx attach up0 >"$E2E_TMP/r2" 2>&1 &
	b=$!
	wait "$a"; a=$?
	wait "$b"; b=$?
	wait "$holder"
	note "two attaches of up0 at once: exit statuses $a and $b"
	eq "exactly one attach won" "$(( (a == 0) + (b == 0) )) $(( (a == 1) + (b == 1) ))" "1 1"
	[ "$a" = 0 ] && loser=$E2E_TMP/r2 || loser=$E2E_TMP/r1
	out=$(cat "$loser")
	note "loser: $out"
	grep -q 'another network namespace' <<<"$out" && fail "the loser blames another network namespace"
	grep -q 'another csumguard attach won the race' <<<"$out" || fail "the loser does not say it lost the race"
	eq "ip: one csumguard program on up0" "$(xdp_prog up0 | cut -d' ' -f2)" csumguard_xdp
	lab_cg rx detach up0 --purge >/dev/null || fail "detach up0 --purge"

	# A failing attach (lo has no native XDP) under a new 10-level pin dir.
	pins0=$(ls -R "$LAB_PIN" 2>&1)
	out=$(lab_nsenter rx "$LAB_CSUMGUARD" --pin-dir "$deep" attach lo 2>&1)
	rc=$?
	note "attach lo --pin-dir $deep: rc $rc: $out"
	eq "deep attach lo: exit status" "$rc" 1
	eq "deep attach lo: pin dir as before (ls -R $LAB_PIN)" "$(ls -R "$LAB_PIN" 2>&1)" "$pins0"
	[ -e "$LAB_PIN/deep" ] && { fail "left $(find "$LAB_PIN/deep" | wc -l) paths under $LAB_PIN/deep"; rm -rf -- "$LAB_PIN/deep"; }
	lab_exec rx ip -d link show dev lo | grep -q 'prog/xdp' && fail "lo has an XDP program"
	end
}

# --- p) pin layout 1 (before issue 7) adopted by attach/detach, refused by readers ------
# to_layout1 IFACE: moves IFACE's ingress pins up into its interface directory,
# where csumguard before pin layout 2 kept them.
to_layout1() {
	local d=$LAB_PIN/ifaces/$1 f

	for f in "$d"/ingress/*; do mv "$f" "$d/" || return 1; done
	rmdir "$d/ingress"
}

test_layout() {
	local j0 j1 out rc n

	begin layout "pins of the old layout: readers refuse them, attach and detach adopt them"
	lab_fault_rate bad 0
	lab_cg rx attach up0 >/dev/null || { fail "attach"; end; return; }
	lab_ping ok 4 20 >/dev/null
	settle up0
	j0=$(stats up0)
	n=$(src up0 "$OK4" packets "$j0")
	gt "packets from $OK4 before" "$n" 0
	to_layout1 up0 || fail "moving the pins to layout 1"
	out=$(lab_cg rx stats up0 2>&1)
	rc=$?
	eq "stats on layout 1: exit status" "$rc" 1
	eq "stats on layout 1: the one line" "$out" "csumguard: up0: its pins use the layout of an older csumguard; \`csumguard detach up0\` (counters kept) or \`csumguard attach up0\` adopts them"
	# The program holds its maps by fd: it counts on while the pins move.
	lab_ping ok 4 20 >/dev/null
	lab_cg rx detach up0 >/dev/null || fail "detach (adopts)"
	[ -e "$LAB_PIN/ifaces/up0/ingress/src" ] || fail "detach did not adopt the pins into ingress/"
	[ -e "$LAB_PIN/ifaces/up0/src" ] && fail "detach left a layout-1 pin"
	j1=$(stats up0)
	eq "after adoption: $OK4 packets == before + the 20 pings sent meanwhile" \
		"$(src up0 "$OK4" packets "$j1")" "$((n + 20))"
	# attach adopts too, and continues the counters.
	to_layout1 up0 || fail "moving the pins to layout 1 again"
	lab_cg rx attach up0 >/dev/null || fail "attach (adopts)"
	[ -e "$LAB_PIN/ifaces/up0/ingress/src" ] || fail "attach did not adopt the pins"
	lab_ping ok 4 20 >/dev/null
	settle up0
	eq "after attach: $OK4 packets continue" "$(src up0 "$OK4" packets "$(stats up0)")" "$((n + 40))"
	lab_cg rx detach up0 --purge >/dev/null || fail "detach --purge"
	end
}


# --- q) egress: the TC program beside the XDP one (issue 8) ------------------------
# csumguard's clsact egress filter on IFACE (in rx) as tc shows it: exit 0 if there.
cg_filter() { lab_exec rx tc filter show dev "$1" egress | grep -q 'name csumguard_tc'; }
clsact() { lab_exec rx tc qdisc show dev "$1" | grep -c 'qdisc clsact'; }
# egf IFACE KEY < stats.json: KEY of the interface's egress object as JSON
# ("" for the whole object; null when there is no egress state).
egf() {
	"$LAB_PY" -c '
import json, sys
d = json.load(sys.stdin)
i = [x for x in d["interfaces"] if x["name"] == sys.argv[1]]
e = i[0].get("egress") if i else None
print(json.dumps(e if not sys.argv[2] else (e or {}).get(sys.argv[2])))' "$1" "$2"
}
# ing IFACE < stats.json: the interface's ingress object is null? (true/false)
ing_null() { "$LAB_PY" -c 'import json,sys; d=json.load(sys.stdin); print([x for x in d["interfaces"] if x["name"]==sys.argv[1]][0]["ingress"] is None)' "$1"; }

test_egress_both() {
	local j out pins

	begin egress_both "attach: an XDP program and a clsact egress filter; detach removes both"
	[ "$(clsact up0)" = 0 ] || fail "up0 had a clsact qdisc before the test"
	out=$(lab_cg rx attach up0) || { fail "attach up0: $out"; end; return; }
	grep -q '^attached csumguard to up0 egress: tc filter pref 65520 handle 0x[0-9a-f]* (program id [0-9]*) on a new clsact qdisc, mode monitor' <<<"$out" ||
		fail "attach does not report the egress filter: $out"
	attached up0 || fail "no XDP program on up0"
	cg_filter up0 || fail "tc filter show dev up0 egress has no csumguard_tc"
	note "$(lab_exec rx tc filter show dev up0 egress | grep handle | tr -s ' ')"
	eq "one clsact qdisc" "$(clsact up0)" 1
	pins=$(ls "$LAB_PIN/ifaces/up0/egress" 2>&1 | tr '\n' ' ')
	eq "pins under egress/" "$pins" "attachment dst egress gso_meta_first tc_filter "
	eq "ingress pins stay where they were" "$(ls "$LAB_PIN/ifaces/up0/ingress" | tr '\n' ' ')" \
		"attachment iface src src_kept "
	j=$(stats up0)
	eq "stats: egress attached" "$(egf up0 attached <<<"$j")" true
	eq "stats: egress tc_priority" "$(egf up0 tc_priority <<<"$j")" 65520
	eq "stats: egress qdisc_created" "$(egf up0 qdisc_created <<<"$j")" true
	eq "stats: ingress attached" "$(field up0 attached "$j")" true
	eq "stats: addrs" "$("$LAB_PY" -c 'import json,sys; print(" ".join(json.load(sys.stdin)["interfaces"][0]["addrs"]))' <<<"$j")" \
		"$(lab_ip4 rx) $(lab_ip6 rx)"
	lab_cg rx stats up0 | grep -q '^up0 egress: attached (tc filter pref 65520 handle 0x' ||
		fail "stats table has no egress block"
	out=$(lab_cg rx detach up0) || fail "detach up0: $out"
	grep -q "^detached csumguard's egress filter from up0 (tc filter pref 65520 handle 0x[0-9a-f]*); removed the clsact qdisc it had added$" <<<"$out" ||
		fail "detach does not say it removed the filter and its qdisc: $out"
	cg_filter up0 && fail "csumguard_tc still on up0 egress after detach"
	attached up0 && fail "XDP program still on up0 after detach"
	eq "the clsact qdisc csumguard created is gone" "$(clsact up0)" 0
	j=$(stats up0)
	eq "after detach: egress attached false, counters kept" "$(egf up0 attached <<<"$j")" false
	lab_cg rx detach up0 --purge >/dev/null || fail "detach --purge"
	[ -e "$LAB_PIN/ifaces/up0" ] && fail "--purge left $LAB_PIN/ifaces/up0"
	end
}

test_egress_only() {
	local j out

	begin egress_only "attach --egress: the filter only; detach --ingress refuses, detach removes it"
	lab_cg rx attach up0 --egress >/dev/null || { fail "attach --egress"; end; return; }
	cg_filter up0 || fail "no csumguard_tc on up0 egress"
	attached up0 && fail "attach --egress put an XDP program on up0"
	[ -e "$LAB_PIN/ifaces/up0/ingress" ] && fail "attach --egress made ingress pins"
	j=$(stats up0)
	eq "stats: ingress null" "$(ing_null up0 <<<"$j")" True
	eq "stats: egress attached" "$(egf up0 attached <<<"$j")" true
	out=$(lab_cg rx attach up0 --egress 2>&1)
	eq "second attach --egress: exit status" "$?" 1
	grep -q '^csumguard: csumguard is already attached to up0 egress' <<<"$out" ||
		fail "second attach --egress: $out"
	out=$(lab_cg rx detach up0 --ingress 2>&1)
	eq "detach --ingress of an egress-only attach: exit status" "$?" 1
	note "detach --ingress: $out"
	cg_filter up0 || fail "detach --ingress removed the egress filter"
	lab_cg rx detach up0 >/dev/null || fail "detach (every direction)"
	cg_filter up0 && fail "csumguard_tc still there"
	eq "no clsact qdisc left" "$(clsact up0)" 0
	# both attached, one direction detached at a time
	lab_cg rx attach up0 >/dev/null || fail "attach (both)"
	lab_cg rx detach up0 --egress >/dev/null || fail "detach --egress"
	cg_filter up0 && fail "detach --egress left the filter"
	attached up0 || fail "detach --egress removed the XDP program"
	lab_cg rx detach up0 --ingress --purge >/dev/null || fail "detach --ingress --purge"
	[ -e "$LAB_PIN/ifaces/up0/ingress" ] && fail "--ingress --purge left ingress/"
	[ -e "$LAB_PIN/ifaces/up0/egress/dst" ] || fail "--ingress --purge removed egress/ too"
	lab_cg rx detach up0 --purge >/dev/null || fail "detach --purge (egress state)"
	[ -e "$LAB_PIN/ifaces/up0" ] && fail "--purge left $LAB_PIN/ifaces/up0"
	end
}

test_egress_ingress_only() {
	local j

	begin egress_ingress_only "attach --ingress: XDP only, no qdisc, egress null"
	lab_cg rx attach up0 --ingress >/dev/null || { fail "attach --ingress"; end; return; }
	attached up0 || fail "no XDP program"
	cg_filter up0 && fail "attach --ingress added an egress filter"
	eq "no clsact qdisc" "$(clsact up0)" 0
	[ -e "$LAB_PIN/ifaces/up0/egress" ] && fail "attach --ingress made egress pins"
	j=$(stats up0)
	eq "stats: egress null" "$(egf up0 "" <<<"$j")" null
	lab_cg rx detach up0 --purge >/dev/null || fail "detach --purge"
	end
}

test_egress_preexisting() {
	local q0 f0 fi0 out

	begin egress_preexisting "a clsact qdisc and filter that were there stay, exactly"
	lab_exec rx tc qdisc add dev raw1 clsact || { fail "tc qdisc add clsact"; end; return; }
	lab_exec rx tc filter add dev raw1 egress prio 10 bpf direct-action obj "$LAB_FAULT_OBJ" sec tc ||
		fail "tc filter add (the test's own, prio 10)"
	lab_exec rx tc filter add dev raw1 ingress prio 7 bpf direct-action obj "$LAB_FAULT_OBJ" sec tc ||
		fail "tc filter add ingress (the test's own)"
	q0=$(lab_exec rx tc qdisc show dev raw1)
	f0=$(lab_exec rx tc filter show dev raw1 egress)
	fi0=$(lab_exec rx tc filter show dev raw1 ingress)
	out=$(lab_cg rx attach raw1) || fail "attach raw1: $out"
	grep -q 'on the existing clsact qdisc' <<<"$out" || fail "attach does not say it used the existing qdisc: $out"
	eq "two egress filters: the test's and csumguard's" \
		"$(lab_exec rx tc filter show dev raw1 egress | grep -c handle)" 2
	eq "stats: qdisc_created false" "$(egf raw1 qdisc_created <<<"$(stats raw1)")" false
	out=$(lab_cg rx detach raw1 --purge) || fail "detach raw1 --purge: $out"
	grep -q "egress filter from raw1 (tc filter pref 65520 handle 0x[0-9a-f]*)$" <<<"$out" ||
		fail "detach: $out"
	eq "qdiscs exactly as before" "$(lab_exec rx tc qdisc show dev raw1)" "$q0"
	eq "egress filters exactly as before" "$(lab_exec rx tc filter show dev raw1 egress)" "$f0"
	eq "ingress filters exactly as before" "$(lab_exec rx tc filter show dev raw1 ingress)" "$fi0"
	lab_exec rx tc qdisc del dev raw1 clsact || fail "removing the test's clsact"
	end
}

test_egress_qdisc_busy() {
	local out

	begin egress_qdisc_busy "the qdisc csumguard made stays while another filter uses it"
	lab_cg rx attach raw1 --egress >/dev/null || { fail "attach --egress"; end; return; }
	lab_exec rx tc filter add dev raw1 ingress prio 7 bpf direct-action obj "$LAB_FAULT_OBJ" sec tc ||
		fail "tc filter add ingress (another tool, after csumguard)"
	out=$(lab_cg rx detach raw1 --purge) || fail "detach: $out"
	grep -q "kept the clsact qdisc it had added: other filters use it" <<<"$out" ||
		fail "detach does not say it kept the busy qdisc: $out"
	eq "the other tool's filter stays" \
		"$(lab_exec rx tc filter show dev raw1 ingress | grep -c 'name fault_inject')" 1
	eq "the qdisc stays" "$(clsact raw1)" 1
	cg_filter raw1 && fail "csumguard_tc still on raw1"
	lab_exec rx tc qdisc del dev raw1 clsact || fail "removing the clsact"
	end
}

test_egress_persist() {
	local j0 j1 f0 f1 id0 id1

	begin egress_persist "the filter outlives the command and counts; detach without --purge keeps counters"
	lab_cg rx attach up0 --egress >/dev/null || { fail "attach --egress"; end; return; }
	id0=$(lab_exec rx tc filter show dev up0 egress | sed -n 's/.* id \([0-9]*\) name csumguard_tc.*/\1/p')
	j0=$(stats up0)
	lab_ping ok 4 100 >/dev/null	# rx answers: its replies leave through up0
	sleep 0.3
	j1=$(stats up0)
	id1=$(lab_exec rx tc filter show dev up0 egress | sed -n 's/.* id \([0-9]*\) name csumguard_tc.*/\1/p')
	eq "same program on the filter after the command exited" "$id1" "$id0"
	f0=$("$LAB_PY" -c 'import json,sys; print(json.loads(sys.argv[1])["frames"])' "$(egf up0 counters <<<"$j0")")
	f1=$("$LAB_PY" -c 'import json,sys; print(json.loads(sys.argv[1])["frames"])' "$(egf up0 counters <<<"$j1")")
	note "egress frames on up0: $f0 -> $f1 over 100 overlay pings answered"
	gt "egress frames grew by at least the 100 replies" "$((f1 - f0))" 99
	lab_cg rx detach up0 --egress >/dev/null || fail "detach --egress"
	j1=$(stats up0)
	eq "counters kept after detach" \
		"$("$LAB_PY" -c 'import json,sys; print(json.loads(sys.argv[1])["frames"])' "$(egf up0 counters <<<"$j1")")" "$f1"
	lab_cg rx attach up0 --egress >/dev/null || fail "re-attach --egress"
	eq "re-attach continues the counters" \
		"$("$LAB_PY" -c 'import json,sys; print(json.loads(sys.argv[1])["frames"])' "$(egf up0 counters <<<"$(stats up0)")")" "$f1"
	lab_cg rx detach up0 --purge >/dev/null || fail "detach --purge"
	end
}

test_egress_fail() {
	local out rc q0 pins0

	begin egress_fail "a failed attach leaves nothing: no filter, no qdisc, no pins"
	pins0=$(ls -R "$LAB_PIN" 2>&1)
	q0=$(lab_exec rx tc qdisc show dev lo)
	# lo has no native XDP: the egress half attaches first, then ingress fails
	out=$(lab_cg rx attach lo 2>&1)
	rc=$?
	note "attach lo: rc $rc: $out"
	eq "attach lo: exit status" "$rc" 1
	eq "attach lo: one line" "$(wc -l <<<"$out")" 1
	eq "lo: qdiscs as before" "$(lab_exec rx tc qdisc show dev lo)" "$q0"
	eq "lo: no egress filter" "$(lab_exec rx tc filter show dev lo egress)" ""
	eq "pin dir as before" "$(ls -R "$LAB_PIN" 2>&1)" "$pins0"
	# a pin dir off bpffs: refused before anything
	out=$(lab_nsenter rx "$LAB_CSUMGUARD" --pin-dir "/tmp/$LAB_P-notbpf" attach up0 2>&1)
	rc=$?
	eq "attach with a pin dir off bpffs: exit status" "$rc" 1
	note "$out"
	eq "up0: no clsact qdisc" "$(clsact up0)" 0
	attached up0 && fail "up0 has an XDP program"
	[ -e "/tmp/$LAB_P-notbpf" ] && { fail "left /tmp/$LAB_P-notbpf"; rm -rf -- "/tmp/$LAB_P-notbpf"; }
	# the filter's slot taken by another tool's filter of another kind
	lab_exec rx tc qdisc add dev raw1 clsact
	lab_exec rx tc filter add dev raw1 egress prio 65520 protocol ip bpf direct-action \
		obj "$LAB_FAULT_OBJ" sec tc || fail "tc filter add at pref 65520"
	q0=$(lab_exec rx tc filter show dev raw1 egress)
	out=$(lab_cg rx attach raw1 2>&1)
	rc=$?
	note "attach raw1 with pref 65520 taken: rc $rc: $out"
	eq "attach with the pref taken: exit status" "$rc" 1
	eq "raw1: egress filters as before" "$(lab_exec rx tc filter show dev raw1 egress)" "$q0"
	attached raw1 && fail "raw1 has an XDP program"
	[ -e "$LAB_PIN/ifaces/raw1" ] && fail "failed attach left $LAB_PIN/ifaces/raw1"
	lab_exec rx tc qdisc del dev raw1 clsact
	end
}

# The ledger of rx -> ok: rx's egress (its overlay replies to ok) beside ok's
# ingress (csumguard --ingress on ok's up0, pins of its own). Checked against
# what the two snapshots say, not against per-destination values.
ledger_setup() {	# COUNT: prints nothing; leaves $E2E_TMP/a.json, b.json
	lab_cg rx attach up0 --egress >/dev/null || { fail "attach --egress on rx"; return 1; }
	lab_cg ok attach up0 --ingress >/dev/null ||
		{ fail "attach --ingress on ok"; return 1; }
	lab_ping ok 4 "$1" >/dev/null
	sleep 0.5
	lab_cg rx stats --json >"$E2E_TMP/a.json"
	sleep 1.1	# B after A, in another second: the loss bound is a floor
	lab_cg ok stats --json >"$E2E_TMP/b.json"
}
ledger_teardown() {
	lab_cg ok detach up0 --purge >/dev/null ||
		fail "detach on ok"
	lab_cg rx detach up0 --purge >/dev/null || fail "detach on rx"
}
lj() { "$LAB_PY" -c 'import json,sys; d=json.load(sys.stdin); v=d
for k in sys.argv[1].split("."): v=v[k]
print(json.dumps(v))' "$1"; }

test_egress_ledger() {
	local l arrived sent

	begin egress_ledger "csumguard ledger rx.json ok.json on real snapshots"
	ledger_setup 200 || { end; return; }
	l=$("$LAB_CSUMGUARD" ledger "$E2E_TMP/a.json" "$E2E_TMP/b.json" --json) || fail "ledger: $l"
	note "ledger: $l"
	arrived=$("$LAB_PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(s["packets"] for i in d["interfaces"] if i["ingress"] for s in i["ingress"]["sources"] if s["addr"] in (sys.argv[2], sys.argv[3])))' \
		"$E2E_TMP/b.json" "$(lab_ip4 rx)" "$(lab_ip6 rx)")
	sent=$("$LAB_PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(s["packets"] for i in d["interfaces"] if i["egress"] for s in i["egress"]["destinations"] if s["addr"] in (sys.argv[2], sys.argv[3])))' \
		"$E2E_TMP/a.json" "$(lab_ip4 ok)" "$(lab_ip6 ok)")
	eq "arrived == ok's ingress rows from rx's addresses" "$(lj arrived.packets <<<"$l")" "$arrived"
	eq "arrived == the 200 replies rx sent (XDP on ok)" "$arrived" 200
	eq "sent == rx's egress rows for ok's addresses" "$(lj sent.packets <<<"$l")" "$sent"
	eq "order: rx's snapshot first" "$(lj order <<<"$l")" '"a_first"'
	eq "a.addrs: rx's underlay" "$(lj a.addrs <<<"$l")" "[\"$(lab_ip4 rx)\", \"$(lab_ip6 rx)\"]"
	# the wrong order is said so
	"$LAB_CSUMGUARD" ledger "$E2E_TMP/a.json" "$E2E_TMP/b.json" | grep -q '^snapshots:       B 1 s after A (in order)$\|^snapshots:       B 2 s after A (in order)$' ||
		fail "ledger table does not say the snapshots are in order"
	ledger_teardown
	end
}

# rx's egress counts every reply to ok as offloaded (rx's veth has tx
# offload on), ok receives them unfinished, and the ledger adds up.
test_egress_counts() {
	local l j

	begin egress_counts "per-destination egress counts and the ledger, exact (needs the datapath)"
	ledger_setup 300 || { end; return; }
	j=$(cat "$E2E_TMP/a.json")
	l=$("$LAB_CSUMGUARD" ledger "$E2E_TMP/a.json" "$E2E_TMP/b.json" --json) || fail "ledger"
	note "ledger: $l"
	eq "rx egress: destinations" "$("$LAB_PY" -c 'import json,sys; print(" ".join(sorted(d["addr"] for d in json.load(sys.stdin)["interfaces"][0]["egress"]["destinations"])))' <<<"$j")" "$(lab_ip4 ok)"
	eq "sent to ok: the 300 replies" "$(lj sent.packets <<<"$l")" 300
	eq "offloaded (rx's veth finishes nothing: tx on)" "$(lj sent.offloaded <<<"$l")" 300
	eq "final_bad" "$(lj sent.final_bad <<<"$l")" 0
	eq "arrived at ok" "$(lj arrived.packets <<<"$l")" 300
	eq "arrived unfinished (veth)" "$(lj arrived.unfinished <<<"$l")" 300
	eq "lost at least" "$(lj lost_at_least <<<"$l")" 0
	eq "corruption rate" "$(lj corruption_rate <<<"$l")" 0.0
	ledger_teardown
	end
}

# --- egress_gsometa: GSO tunnel metadata at TC egress (issue 8, seed 003) ------------
# csumguard_tcf (the TC egress program with skb facts) on rx's up0 egress, loaded
# with bpftool and attached with tc (not through the command: its egress attach is
# another change). Real traffic from rx:
#  1. TCP through vx4 (VXLAN, udpcsum) over the veth up0: GSO tunnel super-packets
#     built by the kernel - their metadata agrees with their bytes: gso_meta_bad 0;
#  2. plain TCP on the underlay, turned into VXLAN datagrams to a third address by a
#     test program placed before csumguard (selftests/gso_meta_bug.bpf.c:
#     bpf_skb_adjust_room without the encapsulation flags, the seed's class of bug)
#     - every one it made must be counted gso_meta_bad for that destination.
# Everything it adds lives under the lab's pin dir and in rx's clsact, removed here
# (and with the lab's namespaces and pin dir by lab_down on any exit).
gm_dst() {	# PINNED_MAP ADDR FIELD: a field of ADDR's row in cg_dst, summed over CPUs
	bpftool -j map dump pinned "$1" | "$LAB_PY" -c '
import ipaddress, json, sys
addr, field = ipaddress.ip_address(sys.argv[1]), sys.argv[2]
states = ["final_ok", "final_bad", "offloaded", "zero", "fragment", "malformed"]
total = 0
for e in json.load(sys.stdin):
    f = e["formatted"]
    a = bytes(f["key"]["a"])
    if f["key"]["family"] != addr.version or \
            (a[12:] if addr.version == 4 else a) != addr.packed:
        continue
    for v in f["values"]:
        v = v["value"]
        total += v["state"][states.index(field)] if field in states else v[field]
print(total)' "$2" "$3"
}
gm_tcp() {	# NODE ADDR PORT: send 2 MB over TCP (stops after 4 s without progress)
	lab_exec "$1" "$LAB_PY" -c '
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=4)
try:
    s.sendall(bytes(2 << 20))
except OSError:
    pass
s.close()' "$2" "$3" 2>/dev/null
}
test_egress_gsometa() {
	local d=$LAB_PIN/egress_gsometa cg bug srv ok4 bad4 v n enc

	begin egress_gsometa "GSO tunnel metadata at TC egress: kernel VXLAN agrees, an adjust_room encap without flags is counted"
	cg=$d/cg bug=$d/bug ok4=$(lab_ip4 ok) bad4=$(lab_ip4 bad)
	mkdir -p "$cg" "$bug"
	if ! bpftool prog loadall "$LAB_BUILD/csumguard_tc.bpf.o" "$cg" pinmaps "$cg/maps" ||
		[ ! -e "$cg/csumguard_tcf" ]; then
		fail "csumguard_tcf does not load here (it needs bpf_cast_to_kern_ctx, kernel 6.2+)"
		rm -rf -- "$d"; end; return
	fi
	bpftool prog loadall "$LAB_BUILD/gso_meta_bug.bpf.o" "$bug" pinmaps "$bug/maps" ||
		fail "load gso_meta_bug"
	# port table: 4789 -> VXLAN; the bug: TCP port 5201 -> VXLAN VNI 99 to $bad4
	bpftool map update pinned "$cg/maps/cg_ports" key 0xb5 0x12 0 0 value 1 0 0 0 ||
		fail "fill cg_ports"
	# shellcheck disable=SC2046
	bpftool map update pinned "$bug/maps/gmb_cfg" key 0 0 0 0 value 0x51 0x14 0 0 \
		$(tr . ' ' <<<"$bad4") 99 0 0 0 0 0 0 0 || fail "configure gso_meta_bug"
	lab_nsenter rx tc qdisc add dev up0 clsact || fail "clsact on rx up0"
	lab_nsenter rx tc filter add dev up0 egress prio 2 handle 2 bpf da \
		object-pinned "$cg/csumguard_tcf" || fail "attach csumguard_tcf"
	lab_exec ok timeout 30 "$LAB_PY" -c '
import socket, threading
def serve(port):
    l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind(("0.0.0.0", port)); l.listen(8)
    while True:
        c, _ = l.accept()
        threading.Thread(target=lambda c=c: [None for _ in iter(lambda: c.recv(65536), b"")], daemon=True).start()
for p in (5201, 5202):
    threading.Thread(target=serve, args=(p,), daemon=True).start()
threading.Event().wait(30)' &
	srv=$!
	sleep 0.5

	# 1. The kernel's own VXLAN GSO: metadata agrees.
	gm_tcp rx "$(lab_ov4 ok)" 5202
	v=$cg/maps/cg_dst
	note "VXLAN GSO to $ok4: packets $(gm_dst "$v" "$ok4" packets), gso skbs $(gm_dst "$v" "$ok4" gso)," \
		"offloaded $(gm_dst "$v" "$ok4" offloaded) (by the skb: $(gm_dst "$v" "$ok4" offloaded_fact))," \
		"final_ok $(gm_dst "$v" "$ok4" final_ok), gso_meta_bad $(gm_dst "$v" "$ok4" gso_meta_bad)"
	gt "kernel VXLAN: GSO super-packets seen" "$(gm_dst "$v" "$ok4" gso)" 0
	gt "kernel VXLAN: wire packets > GSO skbs (gso_segs counted)" \
		"$(gm_dst "$v" "$ok4" packets)" "$(gm_dst "$v" "$ok4" gso)"
	eq "kernel VXLAN: gso_meta_bad" "$(gm_dst "$v" "$ok4" gso_meta_bad)" 0
	eq "kernel VXLAN: final_bad" "$(gm_dst "$v" "$ok4" final_bad)" 0
	gt "kernel VXLAN: offloaded (GSO seed)" "$(gm_dst "$v" "$ok4" offloaded)" 0
	eq "kernel VXLAN: the skb said so for every offloaded one" \
		"$(gm_dst "$v" "$ok4" offloaded_fact)" "$(gm_dst "$v" "$ok4" offloaded)"
	eq "kernel VXLAN: facts read for every packet" "$(gm_dst "$v" "$ok4" facts)" \
		"$(gm_dst "$v" "$ok4" packets)"

	# 2. The bug program before csumguard.
	lab_nsenter rx tc filter add dev up0 egress prio 1 handle 1 bpf da \
		object-pinned "$bug/gso_meta_bug" || fail "attach gso_meta_bug"
	gm_tcp rx "$ok4" 5201
	# The bug off first (TCP goes on retransmitting): then both counts hold still.
	lab_nsenter rx tc filter del dev up0 egress prio 1 || fail "detach gso_meta_bug"
	enc=$(bpftool -j map lookup pinned "$bug/maps/gmb_stats" key 0 0 0 0 |
		"$LAB_PY" -c 'import json,sys; v=json.load(sys.stdin)["formatted"]["value"]; print(v["encapsulated"], v["failed"], v["too_big"])')
	n=$(gm_dst "$v" "$bad4" gso_meta_bad)
	note "gso_meta_bug made (encapsulated failed too_big): $enc; csumguard to $bad4: packets" \
		"$(gm_dst "$v" "$bad4" packets), gso $(gm_dst "$v" "$bad4" gso), zero" \
		"$(gm_dst "$v" "$bad4" zero), gso_meta_bad $n"
	gt "the bug program encapsulated GSO skbs" "${enc%% *}" 0
	eq "gso_meta_bad to $bad4 == GSO skbs the bug made" "$n" "${enc%% *}"
	eq "gso skbs to $bad4 == GSO skbs the bug made" "$(gm_dst "$v" "$bad4" gso)" "${enc%% *}"
	eq "kernel VXLAN to $ok4 still: gso_meta_bad" "$(gm_dst "$v" "$ok4" gso_meta_bad)" 0
	# The first offender is kept, with what it said and where its bytes
	# put the headers: the bug leaves encapsulation unset and the inner
	# offsets where a plain TCP skb has them.
	eq "first gso_meta_bad kept: dst, encapsulation, transport == the UDP header" \
		"$(bpftool -j map lookup pinned "$cg/maps/cg_gso_meta_first" key 0 0 0 0 |
		"$LAB_PY" -c '
import ipaddress, json, sys
v = json.load(sys.stdin)["formatted"]["value"]
a = bytes(v["dst"]["a"][12:16])
print(v["when_ns"] > 0, ipaddress.ip_address(a), v["encapsulation"],
      v["want_transport"] == 14 + 20, v["want_inner_mac"] == 14 + 20 + 8 + 8)')" \
		"True $bad4 0 True True"
	E2E_FIG_GSOMETA="kernel VXLAN GSO to $ok4: $(gm_dst "$v" "$ok4" gso) GSO skbs, gso_meta_bad $(gm_dst "$v" "$ok4" gso_meta_bad); adjust_room without encap flags: $n of ${enc%% *} GSO skbs counted gso_meta_bad"

	kill "$srv" 2>/dev/null
	wait "$srv" 2>/dev/null
	lab_nsenter rx tc qdisc del dev up0 clsact || fail "remove clsact from rx up0"
	rm -rf -- "$d"
	end
}

# --- r) what a sender's egress says, state by state, against independent counts -----
# On bad's uplink: csumguard --egress (its own pin dir) sees each tunnel packet
# after the stack, before the lab's "NIC" (the injector at tc prio 65530, rate
# 0 here, which counts what it sees: partial (seed) or final). On rx:
# csumguard --ingress counts what arrived. Every egress figure is held to the
# injector's count of the same packets and to the receiver's.
est() { lab_cg bad stats up0 --json; }				# bad's stats
edst() { Q dst up0 "$1" "$2" <<<"$3"; }				# ADDR FIELD JSON
# A VXLAN pair without outer checksums (noudpcsum), bad <-> rx, VNI 44.
vxz_up() {
	local n o

	for n in bad rx; do
		o=$([ "$n" = bad ] && echo rx || echo bad)
		lab_exec "$n" ip link add vxz address "02:66:00:00:00:0$(lab_idx "$n")" type vxlan \
			id 44 local "$(lab_ip4 "$n")" dev up0 dstport 4789 noudpcsum nolearning &&
		lab_exec "$n" ip addr add "10.102.0.$(lab_idx "$n")/24" dev vxz &&
		lab_exec "$n" ip link set vxz up &&
		lab_exec "$n" bridge fdb append "02:66:00:00:00:0$(lab_idx "$o")" dev vxz \
			dst "$(lab_ip4 "$o")" &&
		lab_exec "$n" ip neigh replace "10.102.0.$(lab_idx "$o")" \
			lladdr "02:66:00:00:00:0$(lab_idx "$o")" dev vxz nud permanent || return 1
	done
}
vxz_down() { lab_exec bad ip link del vxz 2>/dev/null; lab_exec rx ip link del vxz 2>/dev/null; }

test_egress_states() {
	local e0 e1 r0 r1 f0 f1 s0 s1 b0 b1 rx4 rx6 n

	begin egress_states "a sender's egress: offloaded, final_ok, zero, IPv6, stack bug, drop; against the NIC's and the receiver's counts"
	rx4=$(lab_ip4 rx) rx6=$(lab_ip6 rx)
	lab_fault_rate bad 0
	lab_cg bad attach up0 --egress >/dev/null || { fail "attach --egress on bad"; end; return; }
	lab_cg rx attach up0 --ingress >/dev/null || { fail "attach --ingress on rx"; end; return; }
	vxz_up || fail "the noudpcsum VXLAN pair"

	# ICMP inner: the outer checksum leaves the stack as the seed (offloaded);
	# UDP inner: written final by the stack (local checksum offload).
	e0=$(est) r0=$(stats up0) f0=$(lab_fault_stats bad)
	lab_ping bad 4 100 >/dev/null
	lab_udp bad 4 100 300
	lab_ping bad 6 50 >/dev/null
	settle up0
	e1=$(est) r1=$(stats up0) f1=$(lab_fault_stats bad)
	n=$(($(edst "$rx4" offloaded "$e1") - $(edst "$rx4" offloaded "$e0")))
	eq "to $rx4: offloaded == the 100 pings" "$n" 100
	eq "to $rx4: offloaded == the NIC's partial count" \
		"$(($(edst "$rx4" offloaded "$e1") + $(edst "$rx6" offloaded "$e1") - \
		    $(edst "$rx4" offloaded "$e0") - $(edst "$rx6" offloaded "$e0")))" \
		"$(($(key partial "$f1") - $(key partial "$f0")))"
	eq "to $rx4: final_ok == the 100 UDP datagrams == the NIC's final count" \
		"$(($(edst "$rx4" final_ok "$e1") - $(edst "$rx4" final_ok "$e0"))) $(($(key final "$f1") - $(key final "$f0")))" "100 100"
	eq "to $rx6 (IPv6 underlay): offloaded == the 50 pings" \
		"$(($(edst "$rx6" offloaded "$e1") - $(edst "$rx6" offloaded "$e0")))" 50
	eq "to $rx4: packets == what rx received from bad" \
		"$(($(edst "$rx4" packets "$e1") - $(edst "$rx4" packets "$e0")))" \
		"$(($(src up0 "$BAD4" packets "$r1") - $(src up0 "$BAD4" packets "$r0")))"
	eq "to $rx4: final_bad, zero" \
		"$(edst "$rx4" final_bad "$e1") $(($(edst "$rx4" zero "$e1") - $(edst "$rx4" zero "$e0")))" "0 0"

	# noudpcsum: zero on both sides.
	e0=$(est) r0=$(stats up0)
	lab_exec bad ping -q -n -c 30 -i 0.01 -W 1 10.102.0.1 >/dev/null 2>&1
	settle up0
	e1=$(est) r1=$(stats up0)
	eq "noudpcsum: zero to $rx4 == zero at rx from $BAD4 == 30" \
		"$(($(edst "$rx4" zero "$e1") - $(edst "$rx4" zero "$e0"))) $(($(src up0 "$BAD4" zero "$r1") - $(src up0 "$BAD4" zero "$r0")))" "30 30"

	# TCP inner: the overlay hands the uplink GSO tunnel super-packets (software
	# GSO: segmented after TC egress, since the veth has tx offload off here),
	# whose outer field holds the seed (offloaded, udp_set_csum); the TCP packets
	# that are not GSO (handshake, ACKs) get the outer checksum written final by
	# the stack (local checksum offload: final_ok).
	lab_exec rx timeout 20 "$LAB_PY" -c '
import socket
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("0.0.0.0", 5204)); l.listen(1)
c, _ = l.accept()
while c.recv(65536):
    pass' &
	sleep 0.3
	e0=$(est) r0=$(stats up0) f0=$(lab_fault_stats bad)
	gm_tcp bad "$(lab_ov4 rx)" 5204
	wait
	settle up0
	e1=$(est) r1=$(stats up0) f1=$(lab_fault_stats bad)
	n=$(($(edst "$rx4" final_ok "$e1") - $(edst "$rx4" final_ok "$e0")))
	gt "TCP: final_ok (not GSO) to $rx4" "$n" 0
	eq "TCP: final_ok == the NIC's final count (it skips GSO)" \
		"$n" "$(($(key final "$f1") - $(key final "$f0")))"
	gt "TCP: GSO super-packets to $rx4" "$(($(edst "$rx4" gso "$e1") - $(edst "$rx4" gso "$e0")))" 0
	eq "TCP: wire packets == offloaded + final_ok == rx's ok from $BAD4" \
		"$(($(edst "$rx4" packets "$e1") - $(edst "$rx4" packets "$e0"))) $(($(edst "$rx4" offloaded "$e1") - $(edst "$rx4" offloaded "$e0") + n))" \
		"$(($(src up0 "$BAD4" ok "$r1") - $(src up0 "$BAD4" ok "$r0"))) $(($(src up0 "$BAD4" ok "$r1") - $(src up0 "$BAD4" ok "$r0")))"
	eq "TCP: final_bad to $rx4" "$(edst "$rx4" final_bad "$e1")" 0

	# A bug in bad's own stack (a filter ahead of csumguard writes wrong final
	# values): only egress can say it is this node's.
	lab_stack_bug bad 1000000 || fail "lab_stack_bug"
	e0=$(est) r0=$(stats up0) b0=$(lab_fault_stats bad 1) s0=$(lab_snmp rx)
	lab_udp bad 4 40 300
	settle up0
	e1=$(est) r1=$(stats up0) b1=$(lab_fault_stats bad 1) s1=$(lab_snmp rx)
	eq "stack bug: corrupted by the buggy filter" "$(($(key corrupted "$b1") - $(key corrupted "$b0")))" 40
	eq "stack bug: final_bad to $rx4 == 40" "$(($(edst "$rx4" final_bad "$e1") - $(edst "$rx4" final_bad "$e0")))" 40
	eq "stack bug: rx counted them bad, the kernel dropped them" \
		"$(($(src up0 "$BAD4" bad "$r1") - $(src up0 "$BAD4" bad "$r0"))) $(($(key udp_in_csum_errors "$s1") - $(key udp_in_csum_errors "$s0")))" "40 40"

	# Drop mode on the sender: its final_bad never leaves.
	lab_cg bad attach up0 --egress --mode drop >/dev/null 2>&1 ||
		{ lab_cg bad detach up0 --egress >/dev/null; lab_cg bad attach up0 --egress --mode drop >/dev/null; } ||
		fail "attach --egress --mode drop"
	e0=$(est) r0=$(stats up0) s0=$(lab_snmp rx)
	lab_udp bad 4 40 300
	settle up0
	e1=$(est) r1=$(stats up0) s1=$(lab_snmp rx)
	eq "drop mode: dropped at bad's egress" "$(($(edst "$rx4" dropped "$e1") - $(edst "$rx4" dropped "$e0")))" 40
	eq "drop mode: nothing of them arrived: rx packets from $BAD4, kernel errors" \
		"$(($(src up0 "$BAD4" packets "$r1") - $(src up0 "$BAD4" packets "$r0"))) $(($(key udp_in_csum_errors "$s1") - $(key udp_in_csum_errors "$s0")))" "0 0"

	lab_exec bad tc filter del dev up0 egress prio 1 2>/dev/null
	vxz_down
	lab_cg bad detach up0 --purge >/dev/null || fail "detach on bad"

	# GSO: TCP from rx to ok over vx4. rx's uplink keeps checksum offload but
	# not tunnel segmentation, so TC egress sees GSO super-packets and the
	# kernel segments them after it (validate_xmit_skb), as a NIC would: the
	# veth carries the segments, and ok's XDP counts each one.
	lab_exec rx ethtool -K up0 tx-udp_tnl-segmentation off tx-udp_tnl-csum-segmentation off \
		>/dev/null || fail "ethtool -K rx up0"
	lab_cg rx attach up0 --egress >/dev/null || fail "attach --egress on rx"
	lab_cg ok attach up0 --ingress >/dev/null || fail "attach --ingress on ok"
	lab_exec ok timeout 20 "$LAB_PY" -c '
import socket
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("0.0.0.0", 5203)); l.listen(1)
c, _ = l.accept()
while c.recv(65536):
    pass' &
	sleep 0.3
	e0=$(stats up0) r0=$(lab_cg ok stats up0 --json)
	gm_tcp rx "$(lab_ov4 ok)" 5203
	wait
	settle up0
	e1=$(stats up0) r1=$(lab_cg ok stats up0 --json)
	n=$(($(Q dst up0 "$OK4" gso <<<"$e1") - $(Q dst up0 "$OK4" gso <<<"$e0")))
	gt "GSO super-packets from rx to $OK4" "$n" 0
	eq "GSO: rx's egress packets to $OK4 (segments) == ok's XDP frames from rx" \
		"$(($(Q dst up0 "$OK4" packets <<<"$e1") - $(Q dst up0 "$OK4" packets <<<"$e0")))" \
		"$(($(Q src up0 "$(lab_ip4 rx)" packets <<<"$r1") - $(Q src up0 "$(lab_ip4 rx)" packets <<<"$r0")))"
	note "GSO: $n super-packets, $(($(Q dst up0 "$OK4" packets <<<"$e1") - $(Q dst up0 "$OK4" packets <<<"$e0"))) wire packets to $OK4"
	lab_exec rx ethtool -K up0 tx-udp_tnl-segmentation on tx-udp_tnl-csum-segmentation on >/dev/null
	lab_cg ok detach up0 --purge >/dev/null || fail "detach on ok"
	lab_cg rx detach up0 --purge >/dev/null || fail "detach on rx"
	end
}

# --- main ---------------------------------------------------------------------------
for t in "${TESTS[@]}"; do
	case " ${ALL_TESTS[*]} " in *" $t "*) ;; *) echo "e2e: unknown test '$t' (${ALL_TESTS[*]})" >&2; exit 2 ;; esac
done
for f in "$LAB_CSUMGUARD" "$LAB_FAULT_OBJ" "$LAB_SENDRAW"; do
	[ -e "$f" ] || { echo "e2e: missing $f (make check-e2e builds it)"; echo "0 passed, 1 failed"; exit 1; }
done
START=$(date +%s)
echo "e2e: lab $LAB_P (namespaces $LAB_P-{br,rx,ok,bad}, pins $LAB_PIN)"
if ! lab_up; then
	echo "FAIL lab setup"
	echo "0 passed, 1 failed"
	exit 1
fi
for t in "${TESTS[@]}"; do
	"test_$t"
	# A failed test must not leak state into the next one.
	for ifc in up0 raw1; do
		if attached "$ifc"; then
			lab_cg rx detach "$ifc" --purge >/dev/null 2>&1 ||
				lab_nsenter rx xdp-loader unload --all "$ifc" >/dev/null 2>&1
		fi
		if cg_filter "$ifc"; then
			lab_cg rx detach "$ifc" --purge >/dev/null 2>&1 ||
				lab_exec rx tc qdisc del dev "$ifc" clsact 2>/dev/null
		fi
	done
	for n in ok bad; do	# egress tests attach on the senders with their own pins
		lab_nsenter "$n" "$LAB_CSUMGUARD" --pin-dir "$LAB_PIN/$n" detach up0 --purge \
			>/dev/null 2>&1
		rm -rf -- "${LAB_PIN:?}/$n"
	done
	lab_cg rx unblock "$BAD4" >/dev/null 2>&1
	lab_cg rx unblock "$BAD6" >/dev/null 2>&1
	rm -rf -- "${LAB_PIN:?}/ifaces"
done
echo "--- figures"
[ -n "${E2E_FIG_MONITOR:-}" ] && printf 'monitor:\n%s\n' "$E2E_FIG_MONITOR"
[ -n "${E2E_FIG_DROP:-}" ] && echo "drop:    $E2E_FIG_DROP"
[ -n "${E2E_FIG_CRAFTED:-}" ] && echo "crafted: $E2E_FIG_CRAFTED"
[ -n "${E2E_FIG_GSOMETA:-}" ] && echo "gsometa: $E2E_FIG_GSOMETA"
summary="e2e: $(($(date +%s) - START)) s"
[ "$FAILED" -gt 0 ] && summary+=", failed: ${FAILED_NAMES[*]}"
echo "$summary"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
