# selftests/e2e/t20_robust.sh - the adversarial-test defects (issue 6): extension
# headers, floods, races, capabilities, namespaces, mounts, identity, old layouts.
# Sourced by run.sh.
E2E_TESTS+=(exthdr flood gate caps netns_purge mount identity race_deep layout)

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
	# (the hot-source cache inserts a row again when it flushes the counts
	# of a source whose row was evicted meanwhile: counted apart)
	eq "sources_inserted - sources_reinserted == the $n spoofed + $OK4" \
		"$((ins - $(ctr up0 sources_reinserted "$j1")))" "$((n + 1))"
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
	if [[ ${prog#* } =~ ^csumguard_xdp(lc)?$ ]]; then	# lc: 6.13+ (lib/probe.h)
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
		p=$(xdp_prog rawX | cut -d' ' -f2)	# csumguard_xdplc on 6.13+ (lib/probe.h)
		eq "ip: rawX runs csumguard_xdp or csumguard_xdplc ($p)" \
			"$([[ $p =~ ^csumguard_xdp(lc)?$ ]] && echo yes)" yes
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
	p=$(xdp_prog up0 | cut -d' ' -f2)	# csumguard_xdplc on 6.13+ (lib/probe.h)
	eq "ip: one csumguard program on up0 ($p)" "$([[ $p =~ ^csumguard_xdp(lc)?$ ]] && echo yes)" yes
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


