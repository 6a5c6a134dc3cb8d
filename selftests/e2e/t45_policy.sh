# selftests/e2e/t45_policy.sh - known nodes and the auto-block policy (issue 10,
# items 6 and 8): unknown senders counted and dropped, known nodes' counters out
# of a flood's reach, and the agent's auto-block: the corrupting sender blocked
# within the window and let back after T, the healthy one never, not even under
# a flood of bad frames forging its address from another hop count.
# Sourced by run.sh.
E2E_TESTS+=(nodes_unknown nodes_flood autoblock)

# The lab's three nodes, both families each; rx is the receiver itself.
nodes_file() {
	cat >"$E2E_TMP/nodes" <<-EOF
	# the lab's nodes (scripts/lab.sh)
	$(lab_ip4 rx) node-rx
	$(lab_ip6 rx) node-rx
	$(lab_ip4 ok) node-ok
	$(lab_ip6 ok) node-ok
	$(lab_ip4 bad) node-bad
	$(lab_ip6 bad) node-bad
	EOF
	echo "$E2E_TMP/nodes"
}

# spoof NODE SRC4 TTL COUNT [--bad]: COUNT VXLAN frames forged with source SRC4
# and IP TTL TTL, sent from NODE's namespace onto the bridge, to the receiver.
spoof() {
	local n=$1 src=$2 ttl=$3 count=$4 mac

	shift 4
	mac=$(lab_exec rx cat /sys/class/net/up0/address)
	lab_exec "$n" "$LAB_PY" "$E2E_DIR/spoof4.py" up0 "$mac" "$src" "$(lab_ip4 rx)" \
		"$ttl" "$count" "$@"
}

src_node() { Q src up0 "$1" node <<<"$2"; }	# ADDR JSON: its "node"

test_nodes_unknown() {
	local f out j0 j1 s0 s1 f0 f1 seen e4 unk1=10.99.0.77 unk2=10.99.0.78 unk3=10.99.0.79

	begin nodes_unknown "unknown senders counted, and dropped with --drop-unknown"
	f=$(nodes_file)
	out=$(lab_cg rx attach up0 --nodes "$f") || { fail "attach --nodes: $out"; end; return; }
	grep -q "known nodes: loaded $f (3 nodes, 6 addresses)" <<<"$out" ||
		fail "attach did not say it loaded 3 nodes, 6 addresses: $out"
	eq "nodes list --json: names" "$(lab_cg rx nodes list --json | "$LAB_PY" -c '
import json, sys
print(" ".join(n["name"] + ":" + str(len(n["addrs"])) for n in json.load(sys.stdin)["nodes"]))')" \
		"node-bad:2 node-ok:2 node-rx:2"

	# Known traffic and 200 bad frames from an address no node has.
	j0=$(stats up0) s0=$(lab_snmp rx) f0=$(lab_fault_stats ok)
	burst ok 100 100 0 0
	eq "spoofer sent" "$(spoof bad "$unk1" 64 200 --bad)" 200
	settle up0
	j1=$(stats up0) s1=$(lab_snmp rx) f1=$(lab_fault_stats ok)
	seen=$(($(key seen "$f1") - $(key seen "$f0")))
	e4=$(($(key udp_in_csum_errors "$s1") - $(key udp_in_csum_errors "$s0")))
	eq "$unk1: unknown_sender == the 200 forged" "$(src up0 "$unk1" unknown_sender "$j1")" 200
	eq "$unk1: bad == 200" "$(src up0 "$unk1" bad "$j1")" 200
	eq "$unk1: node null" "$(src_node "$unk1" "$j1")" None
	eq "totals: unknown_sender grows by 200" \
		"$(($(ctr up0 unknown_sender "$j1") - $(ctr up0 unknown_sender "$j0")))" 200
	eq "totals: drop_unknown stays 0 without --drop-unknown" "$(ctr up0 drop_unknown "$j1")" 0
	eq "kernel Udp InCsumErrors grows by the 200 (they reached the stack)" "$e4" 200
	eq "$OK4: named node-ok" "$(src_node "$OK4" "$j1")" node-ok
	eq "$OK4: packets == what its injector saw leave ($seen)" \
		"$(($(src up0 "$OK4" packets "$j1") - $(src up0 "$OK4" packets "$j0")))" "$seen"
	eq "$OK4: unknown_sender 0" "$(src up0 "$OK4" unknown_sender "$j1")" 0
	gt "known nodes' rows kept apart (sources_nodes)" "$(field up0 sources_nodes "$j1")" 0
	lab_cg rx detach up0 >/dev/null || fail "detach"

	# --drop-unknown: the forged frames never reach the stack; known ones do.
	out=$(lab_cg rx attach up0 --drop-unknown) || { fail "attach --drop-unknown: $out"; end; return; }
	eq "stats says drop_unknown" "$(field up0 drop_unknown "$(stats up0)")" true
	j0=$(stats up0) s0=$(lab_snmp rx)
	eq "spoofer sent" "$(spoof bad "$unk2" 64 150 --bad)" 150
	out=$(lab_ping ok 4 50)
	settle up0
	j1=$(stats up0) s1=$(lab_snmp rx)
	e4=$(($(key udp_in_csum_errors "$s1") - $(key udp_in_csum_errors "$s0")))
	eq "totals: drop_unknown grows by the 150 forged" \
		"$(($(ctr up0 drop_unknown "$j1") - $(ctr up0 drop_unknown "$j0")))" 150
	eq "$unk2: unknown_sender 150, dropped 150" \
		"$(src up0 "$unk2" unknown_sender "$j1") $(src up0 "$unk2" dropped "$j1")" "150 150"
	eq "kernel Udp InCsumErrors stays flat" "$e4" 0
	grep -q "50 packets transmitted, 50 received" <<<"$out" ||
		fail "overlay ping from the known node through --drop-unknown: $out"
	eq "$OK4: dropped 0" "$(src up0 "$OK4" dropped "$j1")" 0

	# An empty set: nobody is unknown, nothing is dropped for it.
	: >"$E2E_TMP/empty"
	lab_cg rx nodes load "$E2E_TMP/empty" >/dev/null || fail "nodes load (empty)"
	j0=$(stats up0) s0=$(lab_snmp rx)
	spoof bad "$unk3" 64 50 --bad >/dev/null
	settle up0
	j1=$(stats up0) s1=$(lab_snmp rx)
	eq "empty set: $unk3 unknown_sender 0" "$(src up0 "$unk3" unknown_sender "$j1")" 0
	eq "empty set: drop_unknown flat" \
		"$(($(ctr up0 drop_unknown "$j1") - $(ctr up0 drop_unknown "$j0")))" 0
	eq "empty set: kernel Udp InCsumErrors grows by the 50" \
		"$(($(key udp_in_csum_errors "$s1") - $(key udp_in_csum_errors "$s0")))" 50
	note "figures: 200 forged from an unknown address -> unknown_sender 200, kernel" \
		"InCsumErrors +200; with --drop-unknown 150 forged -> drop_unknown" \
		"$(ctr up0 drop_unknown "$j1"), kernel +0; the known node's ping: $out"
	lab_cg rx detach up0 --purge >/dev/null || fail "detach --purge"
	lab_cg rx nodes load "$E2E_TMP/empty" >/dev/null
	end
}

test_nodes_flood() {
	local f j0 j1 f0 f1 seen

	begin nodes_flood "a spoofed-source flood evicts unknown rows, never a known node's"
	f=$(nodes_file)
	lab_cg rx attach up0 --sources 64 --nodes "$f" >/dev/null || { fail "attach"; end; return; }
	j0=$(stats up0) f0=$(lab_fault_stats ok)
	burst ok 100 100 0 0
	lab_exec bad "$LAB_PY" "$E2E_DIR/flood4.py" up0 \
		"$(lab_exec rx cat /sys/class/net/up0/address)" "$(lab_ip4 rx)" 2000 >/dev/null
	burst ok 100 100 0 0
	settle up0
	j1=$(stats up0) f1=$(lab_fault_stats ok)
	seen=$(($(key seen "$f1") - $(key seen "$f0")))
	gt "the flood evicted rows (sources_evicted)" "$(field up0 sources_evicted "$j1")" 0
	eq "the flood's frames are unknown senders" \
		"$(($(ctr up0 unknown_sender "$j1") - $(ctr up0 unknown_sender "$j0")))" 2000
	eq "$OK4: every packet its injector saw leave is counted ($seen)" \
		"$(($(src up0 "$OK4" packets "$j1") - $(src up0 "$OK4" packets "$j0")))" "$seen"
	eq "$OK4 still named" "$(src_node "$OK4" "$j1")" node-ok
	note "figures: 2000 spoofed sources into a 64-row table: evicted" \
		"$(field up0 sources_evicted "$j1"); node-ok counted" \
		"$(($(src up0 "$OK4" packets "$j1") - $(src up0 "$OK4" packets "$j0"))) of $seen sent"
	lab_cg rx detach up0 --purge >/dev/null || fail "detach --purge"
	: >"$E2E_TMP/empty"
	lab_cg rx nodes load "$E2E_TMP/empty" >/dev/null
	end
}

# --- the agent's auto-block ------------------------------------------------------
# Short settings so the test takes about a minute: a 6 s window, 40 bad at 1 %,
# blocks of 8 s; 3 known nodes at 50 % allow one auto-block at a time.
T45_WINDOW=6 T45_BAD=40 T45_T=8
T45_PIDS=()
t45_stop_all() {
	local p

	rm -f "$E2E_TMP"/t45-run.* 2>/dev/null
	for p in "${T45_PIDS[@]}"; do
		[ -n "$p" ] && kill -TERM "$p" 2>/dev/null
	done
	for p in "${T45_PIDS[@]}"; do
		[ -n "$p" ] || continue
		timeout 10 tail --pid="$p" -f /dev/null 2>/dev/null || kill -KILL "$p" 2>/dev/null
	done
	T45_PIDS=()
}
T45_PREV_TRAP=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//")
trap "t45_stop_all; ${T45_PREV_TRAP:-:}" EXIT

# t45_loop NAME CMD...: runs CMD again and again in the background until
# t45_unloop NAME; each run's output line appended to $E2E_TMP/t45-out.NAME.
t45_loop() {
	local name=$1

	shift
	: >"$E2E_TMP/t45-run.$name"
	: >"$E2E_TMP/t45-out.$name"
	( while [ -f "$E2E_TMP/t45-run.$name" ]; do "$@" >>"$E2E_TMP/t45-out.$name" 2>&1; done ) &
	T45_PIDS+=("$!")
	printf -v "T45_LOOP_$name" '%s' "$!"
}
t45_unloop() {
	local v=T45_LOOP_$1

	rm -f "$E2E_TMP/t45-run.$1"
	wait "${!v}" 2>/dev/null
	T45_PIDS=("${T45_PIDS[@]/${!v}}")
}
traffic() { lab_ping "$1" 4 100 >/dev/null; lab_udp "$1" 4 100 200; }
# blocked ADDR: the blocklist's entry of ADDR as "origin bad checked strikes
# expires_in", or nothing.
blocked() {
	lab_cg rx blocklist --json 2>/dev/null | "$LAB_PY" -c '
import json, sys
for e in json.load(sys.stdin)["entries"]:
    if e["addr"] == sys.argv[1]:
        f = e["figures"] or {}
        print(e["origin"], f.get("bad"), f.get("checked"), f.get("strikes"),
              e["expires_in_seconds"])' "$1"
}
now_ms() { date +%s%3N; }
# wait_for SECONDS CMD...: polls CMD every 0.1 s until it succeeds; 1 on timeout.
wait_for() {
	local end=$(($(now_ms) + $1 * 1000))

	shift
	until "$@"; do
		[ "$(now_ms)" -lt "$end" ] || return 1
		sleep 0.1
	done
}
is_blocked() { [ -n "$(blocked "$1")" ]; }
not_blocked() { [ -z "$(blocked "$1")" ]; }
ttl_learned() {
	lab_cg rx nodes list --json | "$LAB_PY" -c '
import json, sys
for n in json.load(sys.stdin)["nodes"]:
    for a in n["addrs"]:
        if a["addr"] == sys.argv[1] and a["ttl_source"] == "learned":
            print(a["ttl"]); sys.exit(0)
sys.exit(1)' "$1"
}

test_autoblock() {
	local f pid log j0 j1 t0 t_block t_unblock t_reblock e want_ttl ttl_ok ttl_bad spoofed
	local mis0 mis1 ev_bad0 ev_bad1 db0 db1 line ok_ever=0 e1 e2 e3 e4

	begin autoblock "the agent's auto-block: the corrupting node blocked and let back, the healthy one never"
	f=$(nodes_file)
	lab_cg rx attach up0 --nodes "$f" >/dev/null || { fail "attach --nodes"; end; return; }
	log=$E2E_TMP/agent-autoblock.log
	nsenter --net="/run/netns/$(lab_ns rx)" "$LAB_CSUMGUARD" --pin-dir "$LAB_PIN" agent \
		--listen 127.0.0.1:9479 --interval 1 --auto-block --auto-block-window "$T45_WINDOW" \
		--auto-block-bad "$T45_BAD" --auto-block-ratio 1 --auto-block-ttl "$T45_T" \
		--auto-block-max-share 50 >"$log" 2>&1 &
	pid=$!
	T45_PIDS+=("$pid")
	wait_for 20 grep -q "auto-block on" "$log" || { fail "agent did not start: $(tail -3 "$log")"; t45_stop_all; end; return; }

	# 1. Learning: both senders healthy; each node's TTL is learned from its
	# ok frames, and it is what its kernel sends with (ip_default_ttl: the
	# VXLAN device's TTL is "inherit from the route", on one L2 segment no
	# router decrements it).
	t45_loop ok traffic ok
	t45_loop bad traffic bad
	want_ttl=$(lab_exec ok sysctl -n net.ipv4.ip_default_ttl)
	wait_for 30 ttl_learned "$OK4" >/dev/null || fail "node-ok's TTL not learned in 30 s"
	wait_for 30 ttl_learned "$BAD4" >/dev/null || fail "node-bad's TTL not learned in 30 s"
	ttl_ok=$(ttl_learned "$OK4") ttl_bad=$(ttl_learned "$BAD4")
	eq "learned TTL of node-ok == its kernel's ip_default_ttl" "$ttl_ok" "$want_ttl"
	eq "learned TTL of node-bad == its kernel's ip_default_ttl" "$ttl_bad" \
		"$(lab_exec bad sysctl -n net.ipv4.ip_default_ttl)"
	grep -q "learned TTL $want_ttl of node node-ok ($OK4)" "$log" || fail "no learning line for node-ok in the log"

	# 2. The attack: node-bad's NIC corrupts 10 % from now on, and a spoofer
	# in node-bad's namespace floods bad frames forging node-ok's address,
	# with TTL 63 (one hop further away than node-ok).
	j0=$(stats up0)
	mis0=$(src up0 "$OK4" ttl_mismatch "$j0") ev_bad0=$(src up0 "$OK4" evidence_bad "$j0")
	db0=$(ctr up0 drop_blocked "$j0")
	t0=$(now_ms)
	lab_fault_rate bad 100000
	t45_loop spoof spoof bad "$OK4" 63 200 --bad
	wait_for $((T45_WINDOW + 6)) is_blocked "$BAD4" || fail "node-bad not auto-blocked within the window + 6 s"
	t_block=$(($(now_ms) - t0))
	line=$(blocked "$BAD4")
	note "blocked $BAD4 after $t_block ms: $line (origin bad checked strikes expires_in)"
	read -r e e1 e2 e3 e4 <<<"$line"
	eq "the entry is an auto-block" "$e" auto
	[ "${e1:-0}" -ge "$T45_BAD" ] 2>/dev/null || fail "figures: bad $e1 < $T45_BAD"
	[ $((e1 * 100)) -ge "${e2:-1}" ] 2>/dev/null || fail "figures: $e1 of $e2 is below 1 %"
	eq "first block: strikes" "$e3" 0
	[ "${e4:-99}" -le "$T45_T" ] 2>/dev/null || fail "expires in $e4 s, more than $T45_T"
	is_blocked "$BAD6" || fail "node-bad's IPv6 address not blocked with it"
	grep -q "policy: auto-block node-bad: " "$log" || fail "no auto-block line for node-bad in the log"

	# 3. Blocked: its tunnel frames dropped; then let back after T.
	wait_for $((T45_T + 5)) not_blocked "$BAD4" || fail "node-bad not unblocked within T + 5 s"
	t_unblock=$(($(now_ms) - t0 - t_block))
	note "unblocked after $t_unblock ms (T = $T45_T s)"
	# detected by polling every 0.1 s, the block itself seen a poll late: T - 0.5 s
	[ "$t_unblock" -ge $((T45_T * 1000 - 500)) ] || fail "unblocked after $t_unblock ms, before T"
	# (a blocklist command purged the expired entry; the agent says so at its next tick)
	wait_for 3 grep -q "policy: auto-unblock node-bad after " "$log" ||
		fail "no auto-unblock line in the log"

	# 4. Probation: still corrupting, it is blocked again, for 2 T.
	t0=$(now_ms)
	wait_for $((T45_WINDOW + 6)) is_blocked "$BAD4" || fail "node-bad not blocked again on probation"
	t_reblock=$(($(now_ms) - t0))
	line=$(blocked "$BAD4")
	note "blocked again after $t_reblock ms on probation: $line"
	read -r e e1 e2 e3 e4 <<<"$line"
	eq "re-block on probation: strikes" "$e3" 1
	[ "${e4:-99}" -gt "$T45_T" ] && [ "${e4:-99}" -le $((2 * T45_T)) ] ||
		fail "the re-block expires in $e4 s, not within (T, 2T]"
	grep -q "policy: auto-block node-bad again, on probation" "$log" || fail "no re-block line in the log"

	# 5. The healthy node: its address forged with bad frames all along, never
	# blocked; the forged frames counted as ttl_mismatch, none as evidence.
	t45_unloop spoof
	lab_fault_rate bad 0
	t45_unloop bad
	t45_unloop ok
	settle up0
	j1=$(stats up0)
	spoofed=$(awk '{s += $1} END {print s + 0}' "$E2E_TMP/t45-out.spoof")
	mis1=$(src up0 "$OK4" ttl_mismatch "$j1") ev_bad1=$(src up0 "$OK4" evidence_bad "$j1")
	db1=$(ctr up0 drop_blocked "$j1")
	gt "frames forged as node-ok" "$spoofed" 0
	eq "node-ok: ttl_mismatch grows by the $spoofed forged" "$((mis1 - mis0))" "$spoofed"
	eq "node-ok: evidence_bad stays" "$((ev_bad1 - ev_bad0))" 0
	gt "node-bad's frames dropped while blocked (drop_blocked)" "$((db1 - db0))" 0
	grep -q "auto-block node-ok" "$log" && ok_ever=1
	eq "node-ok never auto-blocked (log)" "$ok_ever" 0
	grep -q "NOT blocking node-ok" "$log" && fail "node-ok was even a candidate"
	not_blocked "$OK4" || fail "node-ok is in the blocklist"
	note "figures: time to block $t_block ms (window $T45_WINDOW s, tick 1 s), blocked" \
		"$t_unblock ms (T $T45_T s), re-blocked on probation after $t_reblock ms;" \
		"node-ok forged $spoofed times with TTL 63: ttl_mismatch +$((mis1 - mis0))," \
		"evidence_bad +$((ev_bad1 - ev_bad0)); node-bad dropped while blocked: $((db1 - db0))"
	note "agent's decisions:"
	grep "policy:" "$log" | sed 's/^.*msg="policy: /      /; s/"$//' | head -12

	t45_stop_all
	lab_cg rx unblock "$BAD4" >/dev/null 2>&1
	lab_cg rx unblock "$BAD6" >/dev/null 2>&1
	lab_cg rx detach up0 --purge >/dev/null || fail "detach --purge"
	: >"$E2E_TMP/empty"
	lab_cg rx nodes load "$E2E_TMP/empty" >/dev/null
	end
}
