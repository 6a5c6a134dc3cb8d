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

test_autoblock() {
	begin autoblock "the agent's auto-block: the corrupting node blocked and let back, the healthy one never"
	fail "not written yet: needs csumguard agent (branch agent)"
	end
}
