# selftests/e2e/t50_crash.sh - flood and crash (issue 12, item 4): 100 000 spoofed
# sources, kill -9 of every csumguard process mid-traffic and at every step of an
# attach, block and unblock, attach twice and beside a program of another loader,
# detach under traffic, who may write the pins, concurrent block/unblock.
# Sourced by run.sh; uses t20_robust.sh's gate, entries and xdp_prog.
#
# Beside t20's flood (4096 sources into 1024 slots), gate (two interleavings
# slowed by strace) and race_deep (two attaches at once), these tests count
# what those do not: every figure against the sender (selftests/flood and the
# reference verifier, ping, the fault injector's count), the receiving
# kernel's /proc/net/snmp, bpftool's own dump of the maps, or ip/tc.
E2E_TESTS+=(flood100k crash crash_points attach_twice detach_traffic pins block_race)

LAB_FLOOD=${LAB_FLOOD:-$LAB_BUILD/selftests/flood}
FLOOD_BASE4=10.200.0.0

# --- helpers -----------------------------------------------------------------------
need_flood() { [ -x "$LAB_FLOOD" ] || { fail "no $LAB_FLOOD (make check-e2e builds it)"; return 1; }; }
# flood_send ARGS...: selftests/flood from the bridge's port to the receiver
# (p-rx: up0's peer, the receiver's "wire"), to up0's MAC; prints its JSON.
flood_send() {
	local mac

	mac=$(lab_exec rx cat /sys/class/net/up0/address)
	ip netns exec "$LAB_NS_BR" "$LAB_FLOOD" --dst-mac "$mac" "$@"
}
# FLOOD_BASE4 + I as a dotted quad: the I-th source of a flood.
flood_src4() {
	local b=(${FLOOD_BASE4//./ }) v

	v=$(((b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]) + $1))
	echo "$((v >> 24 & 255)).$((v >> 16 & 255)).$((v >> 8 & 255)).$((v & 255))"
}
J() { "$LAB_PY" -c "import json,sys; d=json.load(sys.stdin); print($1)"; }	# EXPR < JSON
# Rows and size of a pinned map as bpftool (not csumguard) reads them.
bpf_rows() { bpftool -j map dump pinned "$1" | J 'len(d)'; }
bpf_max() { bpftool -j map show pinned "$1" | J 'd["max_entries"]'; }
# eg IFACE KEY JSON: KEY of the interface's egress object (null if none).
eg() { J "json.dumps(next(((i.get('egress') or {}) for i in d['interfaces'] if i['name'] == '$1'), {}).get('$2'))" <<<"$3"; }
# The receiver's Icmp InEchos (echo requests that reached its kernel).
in_echos() {
	lab_exec rx awk '$1 == "Icmp:" { if ($2 ~ /^[0-9]/) print $k; else for (i = 2; i <= NF; i++) if ($i == "InEchos") k = i }' /proc/net/snmp
}
tx_dropped() { lab_exec rx cat /sys/class/net/up0/statistics/tx_dropped; }
blocked_addrs() { lab_cg rx blocklist --json | J '" ".join(sorted(e["addr"] for e in d["entries"]))'; }
unblock_all() {
	local a

	for a in $(blocked_addrs 2>/dev/null); do lab_cg rx unblock "$a" >/dev/null 2>&1; done
}
# "transmitted received" of ping's summary line.
ping_tr() { sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1 \2/p' <<<"$1"; }
# lab_quiet / lab_loud: the senders' switch ports down and up again, so that
# nothing but what a test sends itself on p-rx reaches the receiver (a TCP
# connection an earlier test left may still send its last segments).
lab_quiet() { ip -n "$LAB_NS_BR" link set p-ok down && ip -n "$LAB_NS_BR" link set p-bad down; }
lab_loud() { ip -n "$LAB_NS_BR" link set p-ok up && ip -n "$LAB_NS_BR" link set p-bad up; }
# The state of an interface of rx as ip and tc show it (no counters).
if_state() {
	lab_exec rx ip -d link show dev "$1" | sed 's/ load_time [0-9]*//'
	lab_exec rx tc qdisc show dev "$1"
	lab_exec rx tc filter show dev "$1" egress
	lab_exec rx tc filter show dev "$1" ingress
}

# cg_bg PIDFILE ARGS...: csumguard ARGS in rx (lab pin dir) in the background,
# its own pid (not a wrapper's) in PIDFILE once it runs.
cg_bg() {
	local pidf=$1

	shift
	lab_nsenter rx sh -c 'echo $$ >"$0"; exec "$@"' "$pidf" "$LAB_CSUMGUARD" \
		--pin-dir "$LAB_PIN" "$@" &
	for _ in $(seq 100); do [ -s "$pidf" ] && return 0; sleep 0.02; done
	return 1
}

# frozen OUT SET N enter|exit ARGS...: csumguard ARGS in rx under strace, held
# on entering (before it runs) or exiting (after it ran) its N-th syscall of
# SET for up to a minute. Returns once it is held there (0), or 1. Sets
# FROZEN_PID (csumguard itself), FROZEN_TRACER (its strace) and FROZEN_JOB
# (the background job); its output goes to OUT. The pin dir: FROZEN_PIN
# (default the lab's). A held process killed with -9 dies only once its
# tracer lets go: kill_frozen kills both.
frozen() {
	local out=$1 set=$2 n=$3 ph=$4 pidf=$E2E_TMP/frozen.pid held=0

	shift 4
	rm -f "$pidf"
	FROZEN_PID=
	lab_nsenter rx strace --seccomp-bpf -f -qq -o /dev/null -e trace="$set" \
		-e inject="$set:delay_$ph=60s:when=$n" \
		sh -c 'echo $$ >"$0"; exec "$@"' "$pidf" "$LAB_CSUMGUARD" \
		--pin-dir "${FROZEN_PIN:-$LAB_PIN}" "$@" >"$out" 2>&1 &
	FROZEN_JOB=$!
	FROZEN_TRACER=
	for _ in $(seq 400); do
		sleep 0.05
		[ -n "$FROZEN_PID" ] || FROZEN_PID=$(cat "$pidf" 2>/dev/null)
		# Held: in ptrace stop for 4 polls in a row (with --seccomp-bpf it
		# stops only at the traced syscalls, each for microseconds).
		if [ -n "$FROZEN_PID" ] && grep -q '^State:.*tracing stop' "/proc/$FROZEN_PID/status" 2>/dev/null; then
			held=$((held + 1))
			if [ "$held" -ge 4 ]; then
				FROZEN_TRACER=$(awk '/^TracerPid:/ { print $2 }' "/proc/$FROZEN_PID/status")
				return 0
			fi
		else
			held=0
		fi
		kill -0 "$FROZEN_JOB" 2>/dev/null || return 1
	done
	return 1
}
# Kills the held csumguard (-9), then its tracer, which would wait out the delay.
kill_frozen() {
	[ -n "$FROZEN_PID" ] && kill -9 "$FROZEN_PID" 2>/dev/null
	[ -n "$FROZEN_TRACER" ] && [ "$FROZEN_TRACER" != 0 ] && kill -9 "$FROZEN_TRACER" 2>/dev/null
	wait "$FROZEN_JOB" 2>/dev/null
	gone "$FROZEN_PID"
}
# gone PID...: waits (at most 2 s) until each process is gone or a zombie.
gone() {
	local p

	for p in "$@"; do
		[ -n "$p" ] || continue
		for _ in $(seq 100); do
			grep -qs '^State:[[:space:]]*[^Z]' "/proc/$p/status" || break
			sleep 0.02
		done
		grep -qs '^State:[[:space:]]*[^Z]' "/proc/$p/status" && return 1
	done
	return 0
}

# trace_points TRACE: the steps of a traced attach (strace -o TRACE -e
# trace=bpf,sendto,mkdir), as "NAME SET N PHASE" (what frozen takes): the
# first map pinned, the clsact qdisc made, the egress filter added, the
# ingress directory made, the XDP program attached.
trace_points() {
	awk '
	/ bpf\(/ { b++ } / sendto\(/ { s++ } / mkdir\(/ { m++ }
	/ bpf\(BPF_OBJ_PIN/ && !pin { print "pinned bpf", b, "exit"; pin = 1 }
	/RTM_NEWQDISC/ { print "qdisc sendto", s, "exit" }
	/RTM_NEWTFILTER/ { print "filter sendto", s, "exit" }
	/ mkdir\(.*\/ingress"/ { print "ingress mkdir", m, "exit" }
	/RTM_SETLINK/ { print "xdp sendto", s, "exit" }' "$1"
}

# --- rows the flood must never evict ------------------------------------------------
# flood_protect_setup makes, before the flood, every row csumguard promises to
# keep through it, checks each against what its sender sent, and names it in
# FLOOD_ROWS; FLOOD_ENTRIES: the blocklist entries the flood must leave as
# they are. flood_protect_record JSON notes those rows, field by field, just
# before the flood (FLOOD_KEEP: "ADDR FIELD=VALUE ..."), flood_protect_check
# JSON holds them to it afterwards. This is the one place for such rows:
# blocked sources today; the known nodes of issue 12 join here (configure
# them, send their traffic, check it, append them to FLOOD_ROWS).
flood_protect_setup() {
	local r f0 f1 j

	FLOOD_ROWS=() FLOOD_ENTRIES=()
	f0=$(lab_fault_stats bad)
	# A real node with history before its block: 30 overlay pings pass (a
	# row in the LRU table), the block moves the row to the kept table, 20
	# more are dropped there.
	r=$(lab_ping bad 4 30)
	[ "$(ping_tr "$r")" = "30 30" ] || { fail "bad's 30 pings before the block: $r"; return 1; }
	lab_cg rx block "$BAD4" --reason "e2e flood100k" >/dev/null || { fail "block $BAD4"; return 1; }
	r=$(lab_ping bad 4 20)
	[ "$(ping_tr "$r")" = "20 0" ] || { fail "bad's 20 pings after the block: $r"; return 1; }
	settle up0
	j=$(stats up0)
	f1=$(lab_fault_stats bad)
	# bad's tunnel datagrams, as its fault injector counted them: the 50
	# pings (and anything an earlier test's connection still sent).
	eq "setup: $BAD4 + $BAD6 packets == what bad sent (its injector)" \
		"$(($(src up0 "$BAD4" packets "$j") + $(src up0 "$BAD6" packets "$j")))" \
		"$(($(key seen "$f1") - $(key seen "$f0")))"
	gt "setup: $BAD4 dropped at least the 20 pings after the block" \
		"$(($(src up0 "$BAD4" dropped "$j") + 1))" 20
	FLOOD_ROWS+=("$BAD4")
	# Entries without traffic: an IPv6 node (all traffic) and an address never seen.
	lab_cg rx block "$BAD6" --all-traffic --reason "e2e flood100k" >/dev/null || return 1
	lab_cg rx block 10.250.0.1 --reason "e2e flood100k" >/dev/null || return 1
	FLOOD_ENTRIES+=("$BAD4" "$BAD6" 10.250.0.1)
}
flood_protect_record() {
	local a f kv

	FLOOD_KEEP=()
	for a in "${FLOOD_ROWS[@]}"; do
		kv=""
		for f in packets ok bad dropped unparsed; do kv+=" $f=$(src up0 "$a" "$f" "$1")"; done
		FLOOD_KEEP+=("$a$kv")
	done
}
flood_protect_check() {
	local row a kv

	for row in "${FLOOD_KEEP[@]}"; do
		a=${row%% *}
		for kv in ${row#* }; do
			eq "kept through the flood: $a ${kv%%=*}" "$(src up0 "$a" "${kv%%=*}" "$1")" "${kv#*=}"
		done
	done
}

# --- q) 100 000 spoofed sources at the receiver ----------------------------------------
test_flood100k() {
	local n=100000 j0 j1 s0 s1 e ins0 ins pres kept ev max rows_lru rows_kept rows_rare spoof=() a i
	local blk=() want_ins r line drop0 okp v f f0 f1 bmax

	begin flood100k "100 000 spoofed sources: table pressure told exactly; blocked rows and entries never evicted"
	need_flood || { end; return; }
	lab_fault_rate ok 0
	lab_fault_rate bad 0
	# The flood's sources have no route back: no reverse-path filter in the lab's receiver.
	lab_exec rx sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.up0.rp_filter=0
	lab_cg rx attach up0 >/dev/null || { fail "attach"; unblock_all; end; return; }
	flood_protect_setup || { unblock_all; end; return; }
	# Spoofed sources that are blocked too: the 8th, a bad one (every 100th
	# frame is bad), the 10 001st and the last.
	for i in 7 499 10000 $((n - 1)); do
		a=$(flood_src4 "$i")
		spoof+=("$a")
		blk+=(--block "$a")
		lab_cg rx block "$a" --reason "e2e flood100k spoofed" >/dev/null || fail "block $a"
	done
	FLOOD_ENTRIES+=("${spoof[@]}")
	lab_udp ok 4 300			# a healthy node's row before the flood
	lab_quiet || fail "senders' ports down"
	settle up0
	j0=$(stats up0)
	s0=$(lab_snmp rx)
	flood_protect_record "$j0"
	note "rows to keep: ${FLOOD_KEEP[*]}"
	ins0=$(ctr up0 sources_inserted "$j0")
	drop0=$(ctr up0 drop_blocked "$j0")
	gt "sources in the table before the flood" "$ins0" 0

	e=$(flood_send --count "$n" --src "$FLOOD_BASE4" --bad-every 100 "${blk[@]}" p-rx "$(lab_ip4 rx)")
	[ -n "$e" ] || { fail "selftests/flood failed"; lab_loud; unblock_all; end; return; }
	settle up0
	j1=$(stats up0)
	s1=$(lab_snmp rx)
	# bpftool's view and stats' words, while nothing else arrives.
	rows_lru=$(bpf_rows "$LAB_PIN/ifaces/up0/ingress/src")
	rows_kept=$(bpf_rows "$LAB_PIN/ifaces/up0/ingress/src_kept")
	bmax=$(bpf_max "$LAB_PIN/ifaces/up0/ingress/src")
	rows_rare=$(bpf_rows "$LAB_PIN/ifaces/up0/ingress/src_rare")
	line=$(lab_cg rx stats up0 | sed -n 4p)
	lab_loud || fail "senders' ports up"
	note "flood: $(J '"%d frames from %d sources in %.2f s (%d refused by the veth and sent again), reference: ok %d bad %d, dropped %d" % (d["sent"], d["sources"], d["seconds"], d["refused"], d["verdicts"]["ok"], d["verdicts"]["bad"], d["dropped"])' <<<"$e")"
	eq "frames handed to up0's peer" "$(J 'd["sent"]' <<<"$e")" "$n"
	note "receiving kernel: Udp InDatagrams +$(($(key udp_in_datagrams "$s1") - $(key udp_in_datagrams "$s0"))), InCsumErrors +$(($(key udp_in_csum_errors "$s1") - $(key udp_in_csum_errors "$s0"))); csumguard: frames +$(($(ctr up0 frames "$j1") - $(ctr up0 frames "$j0"))), drop_blocked +$(($(ctr up0 drop_blocked "$j1") - drop0)), unaccounted +$(($(ctr up0 unaccounted "$j1") - $(ctr up0 unaccounted "$j0")))"

	# Every frame counted once, as the reference verifier and the kernel say.
	eq "frames == the $n sent" "$(($(ctr up0 frames "$j1") - $(ctr up0 frames "$j0")))" "$n"
	eq "tunnel == the $n sent" "$(($(ctr up0 tunnel "$j1") - $(ctr up0 tunnel "$j0")))" "$n"
	eq "unaccounted (no slot for a frame)" "$(($(ctr up0 unaccounted "$j1") - $(ctr up0 unaccounted "$j0")))" 0
	for v in ok bad; do
		eq "verdict $v == the reference verifier's" \
			"$(($(Q verdict up0 "$v" <<<"$j1") - $(Q verdict up0 "$v" <<<"$j0")))" \
			"$(J "d['verdicts']['$v']" <<<"$e")"
	done
	eq "drop_blocked == the reference's drops (the blocked spoofed sources)" \
		"$(($(ctr up0 drop_blocked "$j1") - drop0))" "$(J 'd["dropped"]' <<<"$e")"
	eq "receiving kernel: Udp InDatagrams grows by the frames passed with a right checksum" \
		"$(($(key udp_in_datagrams "$s1") - $(key udp_in_datagrams "$s0")))" \
		"$(J 'd["kernel_udp"]' <<<"$e")"
	eq "receiving kernel: Udp InCsumErrors grows by the frames passed with a wrong one" \
		"$(($(key udp_in_csum_errors "$s1") - $(key udp_in_csum_errors "$s0")))" \
		"$(J 'd["kernel_csum_errors"]' <<<"$e")"

	# Table pressure, against bpftool's own view of the maps.
	ins=$(ctr up0 sources_inserted "$j1")
	pres=$(field up0 sources_present "$j1")
	kept=$(field up0 sources_kept "$j1")
	ev=$(field up0 sources_evicted "$j1")
	max=$(field up0 sources_max "$j1")
	note "table: inserted $ins, present $pres of $max, kept $kept, evicted $ev (bpftool: $rows_lru rows of $bmax, $rows_kept kept)"
	# Only the datapath inserts into the LRU table: the spoofed sources not
	# blocked, each once (the blocked ones go to the kept table).
	# (rows the hot-source cache inserted again to flush an evicted source's
	# pending counts are inserts too, counted apart)
	want_ins=$((ins0 + n - ${#spoof[@]} + $(ctr up0 sources_reinserted "$j1") -
		    $(ctr up0 sources_reinserted "$j0")))
	eq "sources_inserted - sources_reinserted == before + the $n spoofed - the ${#spoof[@]} blocked" \
		"$((ins - $(ctr up0 sources_reinserted "$j1") + $(ctr up0 sources_reinserted "$j0")))" \
		"$((ins0 + n - ${#spoof[@]}))"
	eq "sources_max == the LRU map's max_entries (bpftool)" "$max" "$bmax"
	eq "sources_present == rows in the LRU map (bpftool)" "$pres" "$rows_lru"
	eq "sources_kept == rows in the kept map (bpftool)" "$kept" "$rows_kept"
	gt "kept rows: at least $BAD4 and the ${#spoof[@]} blocked spoofed" "$((rows_kept + 1))" "$((1 + ${#spoof[@]}))"
	eq "sources_evicted == inserted - present (bpftool)" "$ev" "$((want_ins - rows_lru))"
	# the rows' shared parts (issue 13: every bad frame's counts), evicted
	# exactly as honestly: their inserts - their rows (bpftool)
	eq "sources_rare_evicted == sources_rare_inserted - rows in src_rare (bpftool)" \
		"$(field up0 sources_rare_evicted "$j1")" \
		"$(($(ctr up0 sources_rare_inserted "$j1") - rows_rare))"
	# (each spoofed source sends one frame; the blocked ones' go to the kept
	# table's shared parts)
	gt "shared parts made: at least the flood's bad sources not blocked" \
		"$(($(ctr up0 sources_rare_inserted "$j1") + ${#spoof[@]} + 1))" \
		"$(J 'd["verdicts"]["bad"]' <<<"$e")"
	gt "evicted: at least the $n spoofed beyond the $max slots" "$((ev + max))" "$((n - ${#spoof[@]}))"
	# the table's kernel memory as stats words it (issue 13; t40_memory checks
	# the figure itself against bpftool)
	memtxt=$("$LAB_PY" -c '
import sys
b = int(sys.argv[1]); v = float(b); u = 0
while v >= 1024 and u < 4:
    v /= 1024; u += 1
unit = ["B", "KiB", "MiB", "GiB", "TiB"][u]
print("%d B" % b if u == 0 else ("%.1f" if v < 10 and v != int(v) else "%.0f") % v + " " + unit)' \
		"$(field up0 sources_memory_bytes "$j1")")
	eq "stats says it in words" "$line" "  drop_bad 0, drop_blocked $(ctr up0 drop_blocked "$j1"), unaccounted $(ctr up0 unaccounted "$j1"); sources $rows_lru of $max (+$rows_kept blocked, kept apart) in $memtxt of kernel memory ($(nproc --all) CPUs); table full: $((want_ins - rows_lru)) evicted since attach"

	# Never evicted: the protected rows, the blocked spoofed sources' rows,
	# the blocklist entries and its gate.
	flood_protect_check "$j1"
	for a in "${spoof[@]}"; do
		for f in packets ok bad dropped; do
			eq "blocked spoofed $a: $f == the reference's" "$(src up0 "$a" "$f" "$j1")" \
				"$(J "d['blocked']['$a']['$f']" <<<"$e")"
		done
	done
	eq "blocklist entries after the flood" "$(blocked_addrs)" \
		"$(printf '%s\n' "${FLOOD_ENTRIES[@]}" | sort | tr '\n' ' ' | sed 's/ $//')"
	eq "gate == entries" "$(gate)" "${#FLOOD_ENTRIES[@]}"
	okp=$(src up0 "$OK4" packets "$j1")
	note "$OK4 (a healthy node, no protection asked): $okp of its 300 packets left in the table"

	# The blocks still hold, for the real node and a spoofed source.
	settle up0
	j0=$(stats up0) f0=$(lab_fault_stats bad)
	r=$(lab_ping bad 4 10)
	eq "after the flood: $BAD4 overlay pings answered" "$(ping_tr "$r")" "10 0"
	e=$(flood_send --count 1 --src "${spoof[0]}" --block "${spoof[0]}" p-rx "$(lab_ip4 rx)")
	settle up0
	j1=$(stats up0) f1=$(lab_fault_stats bad)
	eq "after the flood: $BAD4 + $BAD6 dropped grow by what bad sent (its injector: the 10 pings)" \
		"$(($(src up0 "$BAD4" dropped "$j1") - $(src up0 "$BAD4" dropped "$j0") + \
		    $(src up0 "$BAD6" dropped "$j1") - $(src up0 "$BAD6" dropped "$j0")))" \
		"$(($(key seen "$f1") - $(key seen "$f0")))"
	eq "after the flood: ${spoof[0]} dropped again" \
		"$(($(src up0 "${spoof[0]}" dropped "$j1") - $(src up0 "${spoof[0]}" dropped "$j0")))" 1
	unblock_all
	lab_cg rx detach up0 --purge >/dev/null || fail "detach --purge"
	end
}

# --- r) kill -9 of every csumguard process mid-traffic --------------------------------
# block_point ADDR: the step of `block ADDR` (in the state there is now)
# right after its blocklist entry is written, as "bpf N exit"; ADDR is
# unblocked again.
block_point() {
	local tr=$E2E_TMP/block.trace

	# Once first, so that the maps exist as they will for the real run.
	lab_cg rx block "$1" >/dev/null 2>&1 && lab_cg rx unblock "$1" >/dev/null 2>&1
	lab_nsenter rx strace -f -qq -o "$tr" -e trace=bpf "$LAB_CSUMGUARD" --pin-dir "$LAB_PIN" \
		block "$1" >/dev/null 2>&1 || return 1
	lab_cg rx unblock "$1" >/dev/null 2>&1
	# The blocklist's fd, then the first update of that map.
	awk '/ bpf\(/ { b++ }
	     /BPF_OBJ_GET, \{pathname=".*\/blocklist",/ { fd = $NF }
	     fd != "" && /BPF_MAP_UPDATE_ELEM, \{map_fd=/ {
		split($0, x, "map_fd="); split(x[2], y, ",");
		if (y[1] == fd) { print "bpf", b, "exit"; exit } }' "$tr"
}

test_crash() {
	local j0 jm j1 f0 f1 g0 g1 s0 s1 o0 o1 p4 p6 w1 w2 pa pb ta tb ja jb seen other out rc pt_a pt_b
	local pids=() r raw0 p
	local n4 n6 tr=$E2E_TMP/attach.trace pin2=$LAB_PIN/second

	begin crash "kill -9 of every csumguard process mid-traffic: the datapath counts on, the next command adopts the state"
	lab_fault_rate ok 0
	lab_fault_rate bad 0
	raw0=$(if_state raw1)
	lab_cg rx attach up0 >/dev/null || { fail "attach up0"; unblock_all; end; return; }
	# Where to stop the in-flight commands: an attach of raw1 right after
	# the kernel took its egress filter, a block right after its entry is
	# written (dry runs of each). The attach uses a second pin dir: each
	# command holds its pin dir's lock while it changes things.
	lab_nsenter rx strace -f -qq -o "$tr" -e trace=bpf,sendto,mkdir "$LAB_CSUMGUARD" \
		--pin-dir "$pin2" attach raw1 >/dev/null 2>&1 || fail "dry run: attach raw1"
	lab_nsenter rx "$LAB_CSUMGUARD" --pin-dir "$pin2" detach raw1 --purge >/dev/null ||
		fail "dry run: detach raw1 --purge"
	pt_a=$(trace_points "$tr" | sed -n 's/^filter //p')
	pt_b=$(block_point "$BAD4")
	note "in flight: attach raw1 held at its filter ($pt_a), block $BAD4 at its entry ($pt_b)"
	[ -n "$pt_a" ] && [ -n "$pt_b" ] || { fail "no kill points from the dry runs"; end; return; }
	lab_ping ok 4 20 >/dev/null
	settle up0
	j0=$(stats up0) f0=$(lab_fault_stats ok) g0=$(lab_fault_stats bad) s0=$(lab_snmp rx) o0=$(lab_snmp ok)

	# 3 s of overlay pings from ok, over IPv4 and IPv6.
	lab_exec ok ping -q -n -i 0.002 -c 1500 -W 1 "$(lab_ov4 rx)" >"$E2E_TMP/p4" 2>&1 &
	p4=$!
	lab_exec ok ping -q -n -i 0.004 -c 750 -W 1 "$(lab_ov6 rx)" >"$E2E_TMP/p6" 2>&1 &
	p6=$!
	sleep 0.3
	cg_bg "$E2E_TMP/w1.pid" stats up0 --watch 1 >"$E2E_TMP/w1" 2>&1 || fail "stats --watch"
	cg_bg "$E2E_TMP/w2.pid" stats --json --watch 1 >"$E2E_TMP/w2" 2>&1 || fail "stats --json --watch"
	FROZEN_PIN=$pin2 frozen "$E2E_TMP/fa" $pt_a attach raw1 || fail "attach raw1 not held at its filter"
	pa=$FROZEN_PID ta=$FROZEN_TRACER ja=$FROZEN_JOB
	frozen "$E2E_TMP/fb" $pt_b block "$BAD4" || fail "block not held at its entry"
	pb=$FROZEN_PID tb=$FROZEN_TRACER jb=$FROZEN_JOB
	w1=$(cat "$E2E_TMP/w1.pid") w2=$(cat "$E2E_TMP/w2.pid")
	sleep 1
	jm=$(stats up0)
	for p in "$w1" "$w2" "$pa" "$pb"; do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = csumguard ] && pids+=("$p")
	done
	eq "csumguard processes running mid-traffic (2 stats --watch, attach, block)" "${#pids[@]}" 4
	kill -9 "${pids[@]}"
	kill -9 "$ta" "$tb" 2>/dev/null		# the tracers hold the last two
	wait "$ja" "$jb" 2>/dev/null
	gone "${pids[@]}" || fail "a killed csumguard still runs"
	wait "$p4" "$p6"
	settle up0
	j1=$(stats up0) f1=$(lab_fault_stats ok) g1=$(lab_fault_stats bad) s1=$(lab_snmp rx) o1=$(lab_snmp ok)
	note "killed at $(date +%T) mid-traffic: $(grep -c '^up0:' "$E2E_TMP/w1") text and $(grep -c '^{' "$E2E_TMP/w2") JSON snapshots printed before"
	gt "stats --watch printed before it was killed" "$(grep -c ' up0 ingress: ' "$E2E_TMP/w1")" 0

	# The datapath counted on: everything the sender sent, exactly.
	n4=$(ping_tr "$(cat "$E2E_TMP/p4")")
	n6=$(ping_tr "$(cat "$E2E_TMP/p6")")
	eq "IPv4 overlay pings answered across the kill" "$n4" "1500 1500"
	eq "IPv6 overlay pings answered across the kill" "$n6" "750 750"
	# The senders' own count (their fault injectors, at rate 0): the pings
	# and whatever else they sent meanwhile.
	seen=$(($(key seen "$f1") - $(key seen "$f0")))
	other=$(($(key seen "$g1") - $(key seen "$g0")))
	note "senders: $seen tunnel datagrams left ok (2250 pings), $other left bad; csumguard: $(($(ctr up0 frames "$j1") - $(ctr up0 frames "$j0"))) frames, $(($(ctr up0 frames "$jm") - $(ctr up0 frames "$j0"))) of them counted before the kill"
	gt "ok's tunnel datagrams: at least the 2250 pings" "$((seen + 1))" 2250
	eq "tunnel frames == the senders' count" "$(($(ctr up0 tunnel "$j1") - $(ctr up0 tunnel "$j0")))" "$((seen + other))"
	eq "$OK4 + $OK6 packets == ok's count" \
		"$(($(src up0 "$OK4" packets "$j1") - $(src up0 "$OK4" packets "$j0") + \
		    $(src up0 "$OK6" packets "$j1") - $(src up0 "$OK6" packets "$j0")))" "$seen"
	eq "verdict ok == the senders' count" \
		"$(($(Q verdict up0 ok <<<"$j1") - $(Q verdict up0 ok <<<"$j0")))" "$((seen + other))"
	eq "receiving kernel: Udp InDatagrams (VXLAN) == the senders' count" \
		"$(($(key udp_in_datagrams "$s1") - $(key udp_in_datagrams "$s0") + \
		    $(key udp6_in_datagrams "$s1") - $(key udp6_in_datagrams "$s0")))" "$((seen + other))"
	# What up0 sent to ok: the replies, and ok's kernel counted each.
	eq "egress: to $OK4 + $OK6 == ok's kernel's Udp InDatagrams (VXLAN)" \
		"$(($(Q dst up0 "$OK4" packets <<<"$j1") - $(Q dst up0 "$OK4" packets <<<"$j0") + \
		    $(Q dst up0 "$OK6" packets <<<"$j1") - $(Q dst up0 "$OK6" packets <<<"$j0")))" \
		"$(($(key udp_in_datagrams "$o1") - $(key udp_in_datagrams "$o0") + \
		    $(key udp6_in_datagrams "$o1") - $(key udp6_in_datagrams "$o0")))"

	# The next commands adopt what the killed ones left.
	eq "stats: up0 attached" "$(field up0 attached "$j1")" true
	eq "the killed block's entry is listed" "$(blocked_addrs)" "$BAD4"
	gt "the gate covers it (the datapath looks it up)" "$(gate)" 0
	r=$(lab_ping bad 4 10)
	eq "$BAD4 overlay pings answered (blocked by the killed block)" "$(ping_tr "$r")" "10 0"
	lab_cg rx block "$BAD4" >/dev/null || fail "block $BAD4 again"
	eq "block again: gate == entries" "$(gate) $(entries)" "1 1"
	j0=$(lab_nsenter rx "$LAB_CSUMGUARD" --pin-dir "$pin2" stats raw1 --json 2>/dev/null)
	eq "stats raw1: the killed attach's egress filter is found" "$(eg raw1 attached "$j0")" true
	out=$(lab_nsenter rx "$LAB_CSUMGUARD" --pin-dir "$pin2" attach raw1 2>&1)
	rc=$?
	note "attach raw1 after the kill: rc $rc: $out"
	eq "attach raw1 after the kill: exit status, one line" "$rc $(wc -l <<<"$out")" "1 1"
	grep -q "^csumguard: csumguard is already attached to raw1 egress (tc filter pref 65520 handle 0x[0-9a-f]*, program id [0-9]*); detach it first" <<<"$out" ||
		fail "attach raw1 does not say what is there: $out"
	out=$(lab_nsenter rx "$LAB_CSUMGUARD" --pin-dir "$pin2" detach raw1 --purge 2>&1) ||
		fail "detach raw1 --purge: $out"
	eq "raw1 exactly as before (ip -d link, tc qdisc and filters)" "$(if_state raw1)" "$raw0"
	[ -e "$pin2" ] && fail "detach --purge left $pin2: $(find "$pin2" | tr '\n' ' ')"
	# up0's counters continue through a detach and attach.
	n4=$(src up0 "$OK4" packets "$j1")
	lab_cg rx detach up0 >/dev/null || fail "detach up0"
	out=$(lab_cg rx attach up0) || fail "attach up0"
	grep -q '(continued from before)' <<<"$out" || fail "attach up0 did not continue the counters: $out"
	eq "$OK4 packets kept through detach/attach" "$(src up0 "$OK4" packets "$(stats up0)")" "$n4"
	unblock_all
	lab_cg rx detach up0 --purge >/dev/null || fail "detach up0 --purge"
	end
}

# --- s) kill -9 at every step of attach, block and unblock ----------------------------
# After each kill, the next commands adopt what is left: attach says what is
# live (or attaches), detach --purge leaves raw1 exactly as before; a
# blocklist entry that exists is enforced (the gate is never below the
# entries), and the next block or unblock makes gate and entries equal.
test_crash_points() {
	local tr=$E2E_TMP/attach.trace raw0 pts name set n ph out rc live j r k nb listed
	local sent=0 drops=0 cnt op p0 d0

	begin crash_points "kill -9 at every step of attach, block and unblock: the next command adopts what is left"
	lab_fault_rate bad 0
	raw0=$(if_state raw1)
	lab_nsenter rx strace -f -qq -o "$tr" -e trace=bpf,sendto,mkdir "$LAB_CSUMGUARD" \
		--pin-dir "$LAB_PIN" attach raw1 >/dev/null 2>&1 || fail "dry run: attach raw1"
	lab_cg rx detach raw1 --purge >/dev/null || fail "dry run: detach raw1 --purge"
	pts=$(trace_points "$tr")
	eq "steps found in the dry run" "$(cut -d' ' -f1 <<<"$pts" | tr '\n' ' ')" "pinned qdisc filter ingress xdp "
	while read -r name set n ph; do
		frozen "$E2E_TMP/f" "$set" "$n" "$ph" attach raw1 || { fail "attach raw1 not held at $name"; kill_frozen; continue; }
		kill_frozen || fail "$name: the killed attach still runs"
		live=$( (xdp_prog raw1; lab_exec rx tc filter show dev raw1 egress) | grep -c csumguard)
		out=$(lab_cg rx attach raw1 2>&1)
		rc=$?
		note "killed at $name ($set $n $ph): $live csumguard programs on raw1; attach: rc $rc: $(head -1 <<<"$out")"
		if [ "$live" -gt 0 ]; then
			eq "$name: attach says what is live (exit status, lines)" "$rc $(wc -l <<<"$out")" "1 1"
			grep -q '^csumguard: csumguard is already attached to raw1' <<<"$out" ||
				fail "$name: attach does not say it is attached: $out"
		else
			eq "$name: attach continues the pins left" "$rc" 0
		fi
		out=$(lab_cg rx detach raw1 --purge 2>&1) || fail "$name: detach raw1 --purge: $out"
		eq "$name: raw1 exactly as before" "$(if_state raw1)" "$raw0"
		[ -e "$LAB_PIN/ifaces/raw1" ] && fail "$name: --purge left $LAB_PIN/ifaces/raw1"
	done <<<"$pts"

	# block and unblock: killed before each of their bpf calls in turn.
	lab_cg rx attach up0 >/dev/null || { fail "attach up0"; unblock_all; end; return; }
	# The row's history before (another test's pings, if any): p0, d0.
	j=$(stats up0)
	p0=$(src up0 "$BAD4" packets "$j") d0=$(src up0 "$BAD4" dropped "$j")
	[[ "$p0" =~ ^[0-9]+$ ]] || p0=0
	[[ "$d0" =~ ^[0-9]+$ ]] || d0=0
	r=$(lab_ping bad 4 5)	# a row in the LRU table, which block moves
	sent=$((p0 + 5)) drops=$d0
	for op in block unblock; do
		lab_cg rx block 10.250.0.2 >/dev/null && lab_cg rx unblock 10.250.0.2 >/dev/null
		[ "$op" = unblock ] && lab_cg rx block "$BAD4" >/dev/null
		lab_nsenter rx strace -f -qq -o "$E2E_TMP/b.trace" -e trace=bpf "$LAB_CSUMGUARD" \
			--pin-dir "$LAB_PIN" "$op" "$BAD4" >/dev/null 2>&1 || fail "dry run: $op"
		nb=$(grep -c ' bpf(' "$E2E_TMP/b.trace")
		[ "$op" = block ] && lab_cg rx unblock "$BAD4" >/dev/null
		cnt=""
		for k in $(seq "$nb"); do
			[ "$op" = unblock ] && lab_cg rx block "$BAD4" >/dev/null
			frozen "$E2E_TMP/f" bpf "$k" enter "$op" "$BAD4" || { fail "$op not held at bpf $k"; kill_frozen; continue; }
			kill_frozen || fail "$op at bpf $k: still runs"
			listed=$(blocked_addrs)
			r=$(lab_exec bad ping -q -n -c 3 -i 0.01 -W 0.3 "$(lab_ov4 rx)" 2>&1)
			sent=$((sent + 3))
			cnt+="$k:$(gate)/$( [ -n "$listed" ] && echo 1 || echo 0)"
			if [ "$listed" = "$BAD4" ]; then
				gt "$op killed before bpf call $k: listed, so the gate is open" "$(gate)" 0
				eq "$op killed before bpf call $k: listed $BAD4's pings answered" "$(ping_tr "$r")" "3 0"
				drops=$((drops + 3))
			else
				eq "$op killed before bpf call $k: not listed, pings answered" "$(ping_tr "$r")" "3 3"
			fi
			# The row against the pings sent, read at once (the reader
			# finishes the move the kill left, lib/movelog.h): none
			# lost, none counted twice.
			settle up0
			j=$(stats up0)
			eq "$op killed before bpf call $k: $BAD4's packets, dropped == pings sent, dropped" \
				"$(src up0 "$BAD4" packets "$j") $(src up0 "$BAD4" dropped "$j")" \
				"$sent $drops"
			# The next block and unblock: gate == entries, exactly.
			lab_cg rx block "$BAD4" >/dev/null || fail "$op at $k: block after"
			eq "$op killed before bpf call $k: then block: gate, entries" "$(gate) $(entries)" "1 1"
			lab_cg rx unblock "$BAD4" >/dev/null || fail "$op at $k: unblock after"
			eq "$op killed before bpf call $k: then unblock: gate, entries" "$(gate) $(entries)" "0 0"
			cnt+=" "
		done
		note "$op killed before each of its $nb bpf calls (call:gate/listed): $cnt"
	done
	# The row against the pings sent: a kill between the two writes that
	# move a blocked source's row (block: kept += LRU, then LRU = 0;
	# unblock: LRU += kept, then kept deleted) used to count its history
	# twice; the journal (lib/movelog.h) counts it once.
	settle up0
	j=$(stats up0)
	note "$BAD4 row after $sent pings ($drops dropped): packets $(src up0 "$BAD4" packets "$j"), dropped $(src up0 "$BAD4" dropped "$j")"
	eq "$BAD4's pings counted exactly once (packets, dropped)" \
		"$(src up0 "$BAD4" packets "$j") $(src up0 "$BAD4" dropped "$j")" "$sent $drops"
	[ -e "$LAB_PIN/move_journal" ] && fail "a move journal is left in $LAB_PIN"
	unblock_all
	lab_cg rx detach up0 --purge >/dev/null || fail "detach up0 --purge"
	end
}

# --- t) attach twice; attach beside another loader's XDP program -------------------------
# The one line each attach must print, from what ip and tc show.
twice_both() {	# XDP_ID TC_HANDLE TC_ID
	echo "csumguard: csumguard is already attached to up0 (native XDP, program id $1; egress: tc filter pref 65520 handle $2, program id $3); detach it first: csumguard detach up0 (its counters are kept)"
}
# tc_ours IFACE: "HANDLE ID" of csumguard's egress filter as tc shows it.
tc_ours() {
	lab_exec rx tc filter show dev "$1" egress |
		sed -n 's/.* handle \(0x[0-9a-f]*\) csumguard_tc[f]*:\[\([0-9]*\)\].*/\1 \2/p'
}

# tc_watch_start / tc_watch_stop: what `tc monitor` in rx saw meanwhile
# (qdiscs and filters added or deleted), one event a line.
tc_watch_start() {
	lab_exec rx tc monitor >"$E2E_TMP/tcmon" 2>&1 &
	TC_WATCH=$!
	sleep 0.2
}
tc_watch_stop() {
	sleep 0.2
	kill "$TC_WATCH" 2>/dev/null
	wait "$TC_WATCH" 2>/dev/null
	grep -E 'qdisc|filter' "$E2E_TMP/tcmon" | tr '\n' ';'
}

test_attach_twice() {
	local out rc prog tcf j0 j1 r st0 pins0 obj=$E2E_TMP/other_pass.bpf.o m other

	begin attach_twice "attach twice: one clear line, nothing changed; beside another loader's XDP program: one line, that program untouched"
	lab_fault_rate ok 0
	lab_cg rx attach up0 >/dev/null || { fail "attach"; unblock_all; end; return; }
	prog=$(xdp_prog up0)
	tcf=$(tc_ours up0)
	st0=$(if_state up0)
	j0=$(stats up0)
	# Asked again, with other settings: refused, nothing changed.
	tc_watch_start
	out=$(lab_cg rx attach up0 --mode drop --port gue:6080 2>&1)
	rc=$?
	note "attach up0 again: rc $rc: $out"
	eq "attach again: exit status, lines" "$rc $(wc -l <<<"$out")" "1 1"
	eq "attach again: the line (ids from ip and tc)" "$out" "$(twice_both "${prog%% *}" $tcf)"
	out=$(lab_cg rx attach up0 --ingress 2>&1)
	eq "attach --ingress again" "$? $out" "1 csumguard: csumguard is already attached to up0 (native XDP); detach it first: csumguard detach up0 (its counters are kept)"
	out=$(lab_cg rx attach up0 --egress 2>&1)
	eq "attach --egress again" "$? $out" "1 csumguard: csumguard is already attached to up0 egress (tc filter pref 65520 handle ${tcf% *}, program id ${tcf#* }); detach it first: csumguard detach up0 --egress (its counters are kept)"
	eq "up0 exactly as before (ip -d link, tc)" "$(if_state up0)" "$st0"
	eq "no qdisc or filter came and went meanwhile (tc monitor)" "$(tc_watch_stop)" ""
	j1=$(stats up0)
	eq "mode and ports as before" "$(field up0 mode "$j1") $(field up0 ports "$j1")" \
		"$(field up0 mode "$j0") $(field up0 ports "$j0")"
	r=$(lab_ping ok 4 50)
	settle up0
	j1=$(stats up0)
	eq "counting on: $OK4 packets grow by the 50 pings" \
		"$(ping_tr "$r") $(($(src up0 "$OK4" packets "$j1") - $(src up0 "$OK4" packets "$j0")))" "50 50 50"
	lab_cg rx detach up0 --purge >/dev/null || fail "detach --purge"

	# Another loader's XDP program: a plain XDP_PASS, built here, attached
	# with ip (no libxdp dispatcher), native and generic.
	printf '%s\n' '#include <linux/bpf.h>' '#include <bpf/bpf_helpers.h>' \
		'SEC("xdp") int other_pass(struct xdp_md *ctx) { return XDP_PASS; }' \
		'char LICENSE[] SEC("license") = "GPL";' >"$E2E_TMP/other_pass.bpf.c"
	clang -target bpf -O2 -g -I"/usr/include/$(gcc -dumpmachine)" -c "$E2E_TMP/other_pass.bpf.c" \
		-o "$obj" || { fail "cannot build the XDP_PASS object (clang)"; end; return; }
	for m in xdpdrv xdpgeneric; do
		lab_exec rx ip link set dev up0 "$m" obj "$obj" sec xdp || { fail "ip link set $m"; continue; }
		other=$(xdp_prog up0)
		st0=$(if_state up0)
		pins0=$(ls -R "$LAB_PIN" 2>&1)
		tc_watch_start
		out=$(lab_cg rx attach up0 2>&1)
		rc=$?
		eq "$m: no qdisc or filter came and went meanwhile (tc monitor)" "$(tc_watch_stop)" ""
		note "$m other_pass (id ${other%% *}); csumguard attach: rc $rc: $out"
		eq "$m: attach exit status, lines" "$rc $(wc -l <<<"$out")" "1 1"
		eq "$m: the line" "$out" "csumguard: up0 already has XDP program other_pass (id ${other%% *}) attached on its own, not through a libxdp dispatcher, so csumguard cannot join it; unload it (xdp-loader unload up0 --all) or reload it with xdp-loader where the kernel allows the dispatcher"
		eq "$m: the other program untouched (same id)" "$(xdp_prog up0)" "$other"
		eq "$m: up0 exactly as before (ip -d link, tc)" "$(if_state up0)" "$st0"
		eq "$m: pin dir as before" "$(ls -R "$LAB_PIN" 2>&1)" "$pins0"
		r=$(lab_ping ok 4 20)
		eq "$m: traffic passes the other program" "$(ping_tr "$r")" "20 20"
		lab_exec rx ip link set dev up0 "$m" off || fail "ip link set $m off"
	done
	end
}

# --- u) detach under continuous traffic --------------------------------------------------
# Counted on the receiver: every datagram of a steady stream from ok reaches a
# listener there, every echo request its kernel (Icmp InEchos), while
# csumguard is detached, attached again and detached again. The replies
# leave through up0's egress hook: with a clsact qdisc that was there before
# (as Cilium's is), none may be lost; when csumguard made the qdisc, detach
# removes it, and the kernel drops what up0 sends while it swaps qdiscs
# (qdisc_graft deactivates the device's queues): each lost reply must be one
# the kernel counts in up0's tx_dropped, and they are shown.
test_detach_traffic() {
	local phase st0 lp n=14000 rate=2000 got e0 e1 d0 d1 r p4 t0 steps op

	begin detach_traffic "detach under traffic: every datagram and echo request arrives; replies too where the qdisc stays"
	lab_fault_rate ok 0
	for phase in existing-qdisc own-qdisc; do
		[ "$phase" = existing-qdisc ] && { lab_exec rx tc qdisc add dev up0 clsact || fail "tc qdisc add"; }
		st0=$(if_state up0)
		lab_cg rx attach up0 >/dev/null || { fail "$phase: attach"; continue; }
		lab_exec rx "$LAB_PY" "$E2E_DIR/stream.py" listen "$(lab_ov4 rx)" 7777 2 >"$E2E_TMP/lis" &
		lp=$!
		for _ in $(seq 50); do grep -q ready "$E2E_TMP/lis" 2>/dev/null && break; sleep 0.05; done
		e0=$(in_echos) d0=$(tx_dropped)
		lab_exec ok "$LAB_PY" "$E2E_DIR/stream.py" send "$(lab_ov4 rx)" 7777 "$n" "$rate" >/dev/null &
		lab_exec ok ping -q -n -i 0.002 -c 3500 -W 1 "$(lab_ov4 rx)" >"$E2E_TMP/p4" 2>&1 &
		p4=$!
		# Of the 7 s of traffic: detach after 1 s, attach 0.5 s after
		# that, detach 0.5 s after the attach is done.
		t0=$(date +%s%N)
		steps=""
		for op in detach attach detach; do
			sleep "$([ -z "$steps" ] && echo 1 || echo 0.5)"
			lab_cg rx "$op" up0 >/dev/null || fail "$phase: $op"
			steps+="$op $(( ($(date +%s%N) - t0) / 1000000 )) ms, "
		done
		gt "$phase: the last detach was done before the traffic ended (ms)" 6500 \
			"$(( ($(date +%s%N) - t0) / 1000000 ))"
		wait "$p4"
		wait
		e1=$(in_echos) d1=$(tx_dropped)
		got=$(tail -1 "$E2E_TMP/lis")
		r=$(ping_tr "$(cat "$E2E_TMP/p4")")
		note "$phase: ${steps}datagrams received, distinct (missing): $got; echo requests at the receiver $((e1 - e0)); replies $r; up0 tx_dropped +$((d1 - d0))"
		eq "$phase: datagrams received, distinct, none missing" "$got" "$n $n"
		eq "$phase: echo requests that reached the receiver's kernel" "$((e1 - e0))" 3500
		if [ "$phase" = existing-qdisc ]; then
			eq "$phase: every reply arrived" "$r" "3500 3500"
			eq "$phase: up0 dropped nothing it sent" "$((d1 - d0))" 0
		else
			# Every lost reply is one the kernel dropped on up0's way out.
			gt "$phase: up0's tx_dropped covers the replies lost" \
				"$((d1 - d0 + 1))" "$((3500 - ${r#* }))"
		fi
		eq "$phase: up0 as before (ip -d link, tc)" "$(if_state up0)" "$st0"
		[ "$phase" = existing-qdisc ] && lab_exec rx tc qdisc del dev up0 clsact
		lab_cg rx detach up0 --purge >/dev/null 2>&1
	done
	end
}

# --- v) every pin and directory csumguard makes: root's alone ----------------------------
# A pin dir csumguard did not make is used only if nobody else could write
# it (or a bpffs directory above it that is not sticky).
test_pins() {
	local modes bad out rc d=$LAB_PIN/hostile nobody=65534

	begin pins "every pinned object and directory csumguard creates is writable by root only, whatever the umask"
	# Created under umask 000: the modes must not come from the umask.
	(umask 000 && lab_cg rx attach up0 >/dev/null && lab_cg rx block 10.250.0.3 >/dev/null) ||
		{ fail "attach and block under umask 000"; unblock_all; end; return; }
	modes=$(find "$LAB_PIN" -printf '%M %u %g\n' | sort | uniq -c | awk '{ print $2, $3, $4, "x" $1 }' | tr '\n' ';')
	note "under $LAB_PIN (umask 000): $modes"
	eq "every directory and pin: mode and owner" "$(find "$LAB_PIN" -printf '%M %u %g\n' | sort -u | tr '\n' ';')" \
		"-rw------- root root;drwx------ root root;"
	bad=$(find "$LAB_PIN" -perm /022 -o ! -user root)
	eq "group- or other-writable, or not root's" "$bad" ""
	eq "pins found" "$(($(find "$LAB_PIN" -type f | wc -l) > 10))" 1
	# And the kernel says so: another user can neither read nor write them.
	out=$(setpriv --reuid="$nobody" --regid="$nobody" --clear-groups --inh-caps=-all \
		bpftool map update pinned "$LAB_PIN/blocklist_count" key 0 0 0 0 value 0 0 0 0 2>&1)
	rc=$?
	note "as uid $nobody: bpftool map update pinned blocklist_count: rc $rc: $(tail -1 <<<"$out")"
	eq "as uid $nobody: writing the gate fails" "$rc" 255
	eq "gate unchanged" "$(gate)" 1
	out=$(setpriv --reuid="$nobody" --regid="$nobody" --clear-groups --inh-caps=-all ls "$LAB_PIN" 2>&1)
	eq "as uid $nobody: listing the pin dir fails" "$?" 2
	lab_cg rx unblock 10.250.0.3 >/dev/null
	lab_cg rx detach up0 --purge >/dev/null || fail "detach --purge"

	# A pin dir made by someone else: refused before anything is made in it.
	mkdir -p "$d"
	for how in "chown $nobody" "chmod 0770" "chmod 0702"; do
		chown root "$d" && chmod 0700 "$d" && $how "$d"
		out=$(lab_nsenter rx "$LAB_CSUMGUARD" --pin-dir "$d" attach up0 2>&1)
		rc=$?
		note "pin dir after '$how': rc $rc: $out"
		eq "pin dir after '$how': exit status, lines" "$rc $(wc -l <<<"$out")" "1 1"
		case $how in
		chown*) grep -q "is owned by uid $nobody, so that user could replace csumguard's pins" <<<"$out" ||
			fail "the line does not name the owner: $out" ;;
		*) grep -q "is writable by .* (mode 0[0-7]*), so they could replace csumguard's pins" <<<"$out" ||
			fail "the line does not name the mode: $out" ;;
		esac
		eq "pin dir after '$how': nothing made in it" "$(ls -A "$d")" ""
		eq "pin dir after '$how': up0 has no XDP program" "$(xdp_prog up0)" ""
		out=$(lab_nsenter rx "$LAB_CSUMGUARD" --pin-dir "$d" block 10.250.0.4 2>&1)
		eq "pin dir after '$how': block refused too" "$? $(ls -A "$d")" "1 "
	done
	# ... or a directory above it that another user owns.
	chown root "$d" && chmod 0700 "$d" && chown "$nobody" "$d"
	out=$(lab_nsenter rx "$LAB_CSUMGUARD" --pin-dir "$d/cg" attach up0 2>&1)
	eq "pin dir below another user's directory: exit status" "$?" 1
	eq "pin dir below another user's directory: nothing made" "$(ls -A "$d")" ""
	chown root "$d"
	out=$(lab_nsenter rx "$LAB_CSUMGUARD" --pin-dir "$d/cg" attach up0 2>&1) ||
		fail "root's 0700 directory refused: $out"
	lab_nsenter rx "$LAB_CSUMGUARD" --pin-dir "$d/cg" detach up0 --purge >/dev/null ||
		fail "detach (pin dir of root's)"
	rm -rf -- "$d"
	end
}

# --- w) concurrent block/unblock from two processes --------------------------------------
# race_ops WHO: one process's operations, one "OP ADDR" a line. Each side
# blocks, unblocks and re-blocks its own addresses (a known end state: the
# odd ones of A, every third of B stay blocked) and toggles two shared ones
# against the other side (BAD4 ends blocked on both sides, 10.250.0.99
# unblocked on both).
race_ops() {
	local i a

	for i in $(seq 60); do
		if [ "$1" = A ]; then a=10.250.1.$i; else a=fd25::$(printf '%x' "$i"); fi
		echo "block $a"
		echo "unblock $a"
		if { [ "$1" = A ] && [ $((i % 2)) = 1 ]; } || { [ "$1" = B ] && [ $((i % 3)) = 0 ]; }; then
			echo "block $a"
		fi
		if [ $((i % 3)) = 0 ]; then
			echo "unblock $BAD4"
			echo "block 10.250.0.99"
			echo "block $BAD4"
			echo "unblock 10.250.0.99"
		fi
	done
}
# race_run WHO LOG: runs race_ops WHO; LOG gets "RC OP ADDR: OUTPUT" a line.
race_run() {
	local op a out rc

	race_ops "$1" | while read -r op a; do
		out=$(lab_cg rx "$op" "$a" 2>&1)
		rc=$?
		# one line per operation (block also names the attachments it reaches)
		echo "$rc $op $a: ${out//$'\n'/ | }"
	done >"$2"
}

test_block_race() {
	local pa pb want wa=() wb=() a i e e6 j0 j1 jq s0 s1 r nops bad

	begin block_race "hundreds of concurrent block/unblock: the datapath's view equals the entries; no blocked source passes"
	need_flood || { end; return; }
	lab_fault_rate bad 0
	lab_exec rx sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.up0.rp_filter=0
	lab_cg rx attach up0 >/dev/null || { fail "attach"; unblock_all; end; return; }
	race_run A "$E2E_TMP/race.a" &
	pa=$!
	race_run B "$E2E_TMP/race.b" &
	pb=$!
	wait "$pa" "$pb"
	nops=$(($(wc -l <"$E2E_TMP/race.a") + $(wc -l <"$E2E_TMP/race.b")))
	note "$nops operations ($(wc -l <"$E2E_TMP/race.a") and $(wc -l <"$E2E_TMP/race.b")) from two processes at once"
	eq "operations run" "$nops" "$(($(race_ops A | wc -l) + $(race_ops B | wc -l)))"
	# Every operation on a side's own addresses succeeds; on the shared
	# ones, an unblock may find the other side was first.
	bad=$(cat "$E2E_TMP/race.a" "$E2E_TMP/race.b" | grep -v '^0 ' |
		grep -v -E "^1 unblock ($BAD4|10\.250\.0\.99): csumguard: \S+ is not blocked; see csumguard blocklist$")
	eq "failed operations (other than an unblock the other side beat)" "$bad" ""
	for i in $(seq 60); do
		[ $((i % 2)) = 1 ] && wa+=("10.250.1.$i")
		[ $((i % 3)) = 0 ] && wb+=("fd25::$(printf '%x' "$i")")
	done
	want=$(printf '%s\n' "${wa[@]}" "${wb[@]}" "$BAD4" | sort | tr '\n' ' ' | sed 's/ $//')
	eq "the entries: the end state both sides wrote" "$(blocked_addrs)" "$want"
	eq "the gate == the entries ($((${#wa[@]} + ${#wb[@]} + 1)))" "$(gate) $(entries)" \
		"$((${#wa[@]} + ${#wb[@]} + 1)) $((${#wa[@]} + ${#wb[@]} + 1))"

	# Traffic after the race, from every address either side touched: the
	# blocked ones are dropped, the others pass (the reference verifier and
	# the receiving kernel say which).
	lab_quiet || fail "senders' ports down"
	settle up0
	j0=$(stats up0) s0=$(lab_snmp rx)
	e=$(flood_send --count 60 --src 10.250.1.1 $(printf -- '--block %s ' "${wa[@]}") p-rx "$(lab_ip4 rx)")
	e6=$(flood_send --count 60 --src fd25::1 $(printf -- '--block %s ' "${wb[@]}") p-rx "$(lab_ip6 rx)")
	settle up0
	s1=$(lab_snmp rx) jq=$(stats up0)
	lab_loud || fail "senders' ports up"
	r=$(lab_ping bad 4 10)
	settle up0
	j1=$(stats up0)
	note "after the race: IPv4 $(J '"%d sent, %d to drop" % (d["sent"], d["dropped"])' <<<"$e"), IPv6 $(J '"%d sent, %d to drop" % (d["sent"], d["dropped"])' <<<"$e6"); $BAD4 pings: $r"
	eq "the reference drops the blocked: ${#wa[@]} + ${#wb[@]}" \
		"$(J 'd["dropped"]' <<<"$e") $(J 'd["dropped"]' <<<"$e6")" "${#wa[@]} ${#wb[@]}"
	eq "drop_blocked == the blocked sources' frames" \
		"$(($(ctr up0 drop_blocked "$jq") - $(ctr up0 drop_blocked "$j0")))" \
		"$(($(J 'd["dropped"]' <<<"$e") + $(J 'd["dropped"]' <<<"$e6")))"
	eq "receiving kernel: Udp InDatagrams == the unblocked IPv4 frames" \
		"$(($(key udp_in_datagrams "$s1") - $(key udp_in_datagrams "$s0")))" "$(J 'd["kernel_udp"]' <<<"$e")"
	eq "receiving kernel: Udp6 InDatagrams == the unblocked IPv6 frames" \
		"$(($(key udp6_in_datagrams "$s1") - $(key udp6_in_datagrams "$s0")))" "$(J 'd["kernel_udp"]' <<<"$e6")"
	eq "$BAD4 (blocked) overlay pings answered" "$(ping_tr "$r")" "10 0"
	for a in "${wa[@]:0:3}" "${wb[@]:0:3}"; do
		eq "blocked $a: dropped" "$(($(src up0 "$a" dropped "$j1") - $(src up0 "$a" dropped "$j0")))" 1
	done
	unblock_all
	eq "after unblocking all: gate, entries" "$(gate) $(entries)" "0 0"
	lab_cg rx detach up0 --purge >/dev/null || fail "detach --purge"
	end
}
