# selftests/e2e/t70_operator.sh - the operator's answers (issue 11): diagnose
# naming the bad node and the cause, a fix showing at once (stats --reset,
# --since), this node's own stack; doctor's facts against ethtool, ip and a
# real attach; the live view in a real terminal (tmux, 80x24, 14 sources);
# the installed command; what another network namespace's attachment looks
# like from here. Every figure against the fault injector's own count, the
# kernel's counters, the sender's count, or the tool that owns the fact.
# Sourced by run.sh.
E2E_TESTS+=(diagnose diagnose_fixed own_stack doctor_features watch_tmux install_stats
	netns_truth)

# J EXPR < JSON: a Python expression over the document d.
J() { "$LAB_PY" -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
# The finding CODE about SOURCE (a node name, or None) of the first
# interface of a diagnose --json document: its "a" figures are in its text,
# so this prints the whole finding as JSON, or "none".
finding() {
	"$LAB_PY" -c '
import json, sys
d = json.load(sys.stdin)
src = None if sys.argv[2] == "-" else sys.argv[2]
hits = [f for f in d["interfaces"][0]["findings"]
        if f["code"] == sys.argv[1] and f["source"] == src]
print(json.dumps(hits[0]) if len(hits) == 1 else ("none" if not hits else "twice"))' "$1" "$2"
}
codes() { J '" ".join(f["code"] for f in d["interfaces"][0]["findings"])'; }
nodes_load() { lab_nodes_file | lab_cg rx nodes load - >/dev/null; }
nodes_clear() { lab_cg rx nodes load - </dev/null >/dev/null 2>&1; }

# --- diagnose: the bad node and the cause, against the injector and the kernel ----
test_diagnose() {
	local d s0 s1 f0 f1 j1 p1 p2 corrupted kernel bad3 t

	begin diagnose "diagnose names node-3 and its NIC; its counts are the injector's and the kernel's"
	lab_cg rx attach up0 >/dev/null || { fail "attach up0"; end; return; }
	nodes_load || fail "nodes load"
	d=$(lab_cg rx diagnose up0 --json --interval 0)
	eq "before any traffic: status" "$(J 'd["interfaces"][0]["status"]' <<<"$d")" no_data
	eq "before any traffic: the finding" "$(codes <<<"$d")" not_enough_data

	lab_fault_rate ok 0
	lab_fault_rate bad 30000 partial	# 3 % of the checksums its "NIC" finishes
	s0=$(lab_snmp rx) f0=$(lab_fault_stats bad)
	lab_traffic ok 4 &
	p1=$!
	lab_traffic bad 4 &
	p2=$!
	sleep 1
	d=$(lab_cg rx diagnose up0 --json --interval 2)
	wait "$p1" "$p2"
	settle up0
	s1=$(lab_snmp rx) f1=$(lab_fault_stats bad) j1=$(stats up0)

	eq "status" "$(J 'd["interfaces"][0]["status"]' <<<"$d")" problem
	eq "the worst source is node-3, by name" "$(J 'd["interfaces"][0]["sources"][0]["node"]' <<<"$d")" node-3
	eq "its address" "$(J 'd["interfaces"][0]["sources"][0]["addrs"][0]' <<<"$d")" "$BAD4"
	eq "node-2 is clean" "$(J '[s["bad"] for s in d["interfaces"][0]["sources"] if s["node"] == "node-2"]' <<<"$d")" "[0]"
	t=$(finding bad_source node-3 <<<"$d")
	[ "$t" != none ] || fail "no bad_source finding for node-3: $(codes <<<"$d")"
	t=$(finding cause_sender_nic node-3 <<<"$d")
	[ "$t" != none ] || fail "the cause is not node-3's NIC: $(codes <<<"$d")"
	[[ $t == *tx-udp_tnl-csum-segmentation* ]] || fail "the cause does not name the offload: $t"
	t=$(finding do_offload_off node-3 <<<"$d")
	[[ $t == *"ethtool -K"*"tx-udp_tnl-csum-segmentation off"* ]] || fail "no ethtool advice: $t"
	t=$(finding do_block node-3 <<<"$d")
	[[ $t == *"csumguard block $BAD4"* ]] || fail "no block advice: $t"
	eq "nothing names node-2" "$(J '[f["code"] for f in d["interfaces"][0]["findings"] if f["source"] == "node-2"]' <<<"$d")" "[]"
	# How bad now: the interval was sampled and had bad ones from node-3.
	gt "node-3 bad in the interval" "$(J 'd["interfaces"][0]["sources"][0]["interval"]["bad"]' <<<"$d")" 0
	[ "$(finding still_bad node-3 <<<"$d")" != none ] || fail "no still_bad: $(codes <<<"$d")"
	# The kernel drops them: its counter moved in the interval too.
	gt "kernel InCsumErrors in the interval" "$(J 'd["interfaces"][0]["kernel"]["interval"]["udp_in_csum_errors"]' <<<"$d")" 0
	[ "$(finding kernel_drops - <<<"$d")" != none ] || fail "no kernel_drops: $(codes <<<"$d")"
	# And the totals behind it are the injector's and the kernel's.
	corrupted=$(($(key corrupted "$f1") - $(key corrupted "$f0")))
	kernel=$(($(key udp_in_csum_errors "$s1") - $(key udp_in_csum_errors "$s0")))
	bad3=$(src up0 "$BAD4" bad "$j1")
	gt "injector corrupted" "$corrupted" 0
	eq "csumguard bad from node-3 == injector corrupted" "$bad3" "$corrupted"
	eq "kernel Udp InCsumErrors == injector corrupted" "$kernel" "$corrupted"
	note "node-3: injector corrupted $corrupted, csumguard $bad3 bad, kernel $kernel errors;" \
		"diagnose: $(codes <<<"$d")"
	E2E_FIG_DIAG="node-3 named, cause sender NIC; injector $corrupted = csumguard $bad3 = kernel $kernel"
	lab_fault_rate bad 0
	nodes_clear
	lab_cg rx detach up0 --purge >/dev/null || fail "detach --purge"
	end
}

# --- the fix shows at once: stats --reset / --since, diagnose "stopped" ------------
test_diagnose_fixed() {
	local d j f0 f1 seen p1 p2 out

	begin diagnose_fixed "after the fix: stats --since counts from 0 at once, diagnose says it stopped"
	lab_cg rx attach up0 >/dev/null || { fail "attach up0"; end; return; }
	nodes_load || fail "nodes load"
	lab_fault_rate bad 50000 partial
	lab_traffic bad 2
	settle up0
	gt "bad before the fix" "$(src up0 "$BAD4" bad "$(stats up0)")" 0
	out=$(lab_cg rx stats up0 --since 2>&1)
	[[ $out == *"no baseline for up0; take one: csumguard stats up0 --reset"* ]] ||
		fail "--since without a baseline: $out"

	# The fix: node-3's "NIC" stops corrupting; a baseline right then.
	lab_cg rx stats up0 --reset >/dev/null || fail "stats --reset"
	lab_fault_rate bad 0
	f0=$(lab_fault_stats bad)
	lab_traffic ok 4 &
	p1=$!
	lab_traffic bad 4 &
	p2=$!
	sleep 1
	d=$(lab_cg rx diagnose up0 --json --interval 2)
	wait "$p1" "$p2"
	settle up0
	f1=$(lab_fault_stats bad)
	j=$(lab_cg rx stats up0 --since --json)
	seen=$(($(key seen "$f1") - $(key seen "$f0")))

	eq "diagnose: status" "$(J 'd["interfaces"][0]["status"]' <<<"$d")" stopped
	[ "$(finding stopped node-3 <<<"$d")" != none ] || fail "no 'stopped' for node-3: $(codes <<<"$d")"
	eq "diagnose: no block advice once it stopped" "$(finding do_block node-3 <<<"$d")" none
	eq "--since: node-3 bad" "$(src up0 "$BAD4" bad "$j")" 0
	eq "--since: node-3 packets == what its injector saw since the reset" \
		"$(src up0 "$BAD4" packets "$j")" "$seen"
	eq "--since: the interface's bad" "$(Q verdict up0 bad <<<"$j")" 0
	gt "--since: the baseline's time" "$(J 'd["interfaces"][0]["since_unix"]' <<<"$j")" 0
	gt "without --since: the bad ones are still counted" "$(src up0 "$BAD4" bad "$(stats up0)")" 0
	nodes_clear
	lab_cg rx detach up0 --purge >/dev/null || fail "detach --purge"
	end
}

# --- this node's own stack: egress final_bad, against the injector ahead of it ----
test_own_stack() {
	local d g0 g1 corrupted

	begin own_stack "diagnose on a sender: its own stack's wrong checksums, one for one"
	lab_cg bad attach up0 --egress >/dev/null || { fail "attach --egress on node-3"; end; return; }
	lab_stack_bug bad 0 || fail "stack bug filter"
	g0=$(lab_fault_stats bad 1)
	lab_fault_rate bad 20000 final 1
	lab_udp bad 4 3000 300
	lab_fault_rate bad 0 final 1
	g1=$(lab_fault_stats bad 1)
	corrupted=$(($(key corrupted "$g1") - $(key corrupted "$g0")))
	d=$(lab_cg bad diagnose up0 --json --interval 0)
	gt "stack bug corrupted" "$corrupted" 0
	eq "status" "$(J 'd["interfaces"][0]["status"]' <<<"$d")" problem
	eq "egress only" "$(J 'd["interfaces"][0]["egress_only"]' <<<"$d")" True
	eq "final_bad == what the stack bug corrupted" \
		"$(J 'd["interfaces"][0]["egress"]["final_bad"]' <<<"$d")" "$corrupted"
	[ "$(finding cause_own_stack - <<<"$d")" != none ] || fail "no cause_own_stack: $(codes <<<"$d")"
	[ "$(finding do_check_own_stack - <<<"$d")" != none ] || fail "no advice: $(codes <<<"$d")"
	eq "nothing about a NIC" "$(finding cause_sender_nic - <<<"$d")" none
	lab_exec bad tc filter del dev up0 egress prio 1 2>/dev/null
	lab_cg bad detach up0 --purge >/dev/null || fail "detach"
	end
}

# --- doctor: the features are ethtool's, the overlays ip's, native XDP a real attach's
# ethtool_k NODE IFACE: "name on|off [fixed]" lines of the features doctor shows.
ethtool_k() {
	lab_exec "$1" ethtool -k "$2" | "$LAB_PY" -c '
import sys
want = ["tx-udp_tnl-segmentation", "tx-udp_tnl-csum-segmentation", "tx-checksum-ip-generic",
        "tx-checksum-ipv4", "tx-checksum-ipv6", "rx-checksum", "tx-gso-partial",
        "rx-udp_tunnel-port-offload"]
seen = {}
for line in sys.stdin:
    if ":" not in line:
        continue
    k, v = line.split(":", 1)
    seen[k.strip()] = v.split()
# ethtool prints NETIF_F_RXCSUM under its old name
seen.setdefault("rx-checksum", seen.get("rx-checksumming"))
for k in want:
    v = seen.get(k)
    print(k, "n/a" if v is None else v[0] + (" fixed" if "[fixed]" in v else ""))'
}
doctor_k() {
	J '"\n".join("%s %s" % (f["name"], "n/a" if f["on"] is None else ("on" if f["on"] else "off") + (" fixed" if f["fixed"] else "")) for f in d["features"])'
}

test_doctor_features() {
	local d n w iph

	begin doctor_features "doctor's features are ethtool -k's, its overlays ip -d's, its XDP answer a real attach's"
	for n in rx bad; do	# bad has tx off (lab_up): the two differ
		d=$(lab_cg "$n" doctor up0 --json) || { fail "doctor on $n"; continue; }
		eq "$n up0: features == ethtool -k" "$(doctor_k <<<"$d")" "$(ethtool_k "$n" up0)"
		eq "$n up0: driver == ethtool -i" "$(J 'd["driver"]["driver"]' <<<"$d")" \
			"$(lab_exec "$n" ethtool -i up0 | sed -n 's/^driver: //p')"
	done
	# A change shows: the seed's offload off on rx's uplink, then back on.
	lab_exec rx ethtool -K up0 tx-udp_tnl-csum-segmentation off >/dev/null 2>&1 ||
		fail "ethtool -K up0 tx-udp_tnl-csum-segmentation off"
	d=$(lab_cg rx doctor up0 --json)
	eq "after ethtool -K: features == ethtool -k" "$(doctor_k <<<"$d")" "$(ethtool_k rx up0)"
	eq "after ethtool -K: tx-udp_tnl-csum-segmentation" \
		"$(J '[f["on"] for f in d["features"] if f["name"] == "tx-udp_tnl-csum-segmentation"][0]' <<<"$d")" False
	lab_exec rx ethtool -K up0 tx-udp_tnl-csum-segmentation on >/dev/null 2>&1
	# Overlays: what ip -d -j link says of vx4 and vx6.
	d=$(lab_cg rx doctor up0 --json)
	for n in vx4 vx6; do
		iph=$(lab_exec rx ip -d -j link show "$n" | J 'd[0]["linkinfo"]["info_data"]["udp_csum"], d[0]["linkinfo"]["info_data"]["udp_zero_csum6_tx"], d[0]["linkinfo"]["info_data"]["udp_zero_csum6_rx"], d[0]["linkinfo"]["info_data"]["id"], d[0]["linkinfo"]["info_data"]["port"]')
		eq "$n: udpcsum, udp6zerocsumtx, udp6zerocsumrx, vni, port == ip -d" \
			"$(J '[(o["udpcsum"], o["udp6zerocsumtx"], o["udp6zerocsumrx"], o["vni"], o["port"]) for o in d["overlays"] if o["name"] == "'"$n"'"][0]' <<<"$d")" \
			"$iph"
	done
	eq "vx4 over up0" "$(J '[o["over_this_interface"] for o in d["overlays"] if o["name"] == "vx4"][0]' <<<"$d")" True
	# Native XDP: veth yes, a VXLAN device no; a native attach agrees each time.
	eq "up0 native XDP" "$(J 'd["xdp"]["native"]' <<<"$d")" True
	d=$(lab_cg rx doctor vx4 --json)
	eq "vx4 native XDP" "$(J 'd["xdp"]["native"]' <<<"$d")" False
	w=$(lab_cg rx attach vx4 --ingress 2>&1) && fail "native attach on vx4 worked: $w"
	[[ $w == *"--xdp-mode skb"* ]] || fail "vx4 attach refused without the skb hint: $w"
	lab_cg rx attach up0 --ingress >/dev/null || fail "native attach on up0"
	d=$(lab_cg rx doctor up0 --json)
	eq "doctor sees csumguard attached here" "$(J 'd["csumguard"]["ingress"]["state"]' <<<"$d")" here
	eq "its program id == the kernel's" "$(J 'd["csumguard"]["ingress"]["prog_id"]' <<<"$d")" \
		"$(lab_exec rx ip -d -j link show up0 | J 'd[0]["xdp"]["prog"]["id"]')"
	# Text: within 80 columns.
	w=$(lab_cg rx doctor up0 | awk 'length > 80' | head -3)
	eq "doctor text within 80 columns" "$w" ""
	lab_cg rx detach up0 --purge >/dev/null || fail "detach"
	E2E_FIG_DOCTOR=$(lab_cg bad doctor up0 2>&1 | sed -n '/^features/,/^XDP/p' | grep -E '^ {10}[a-z]' | tr -s ' ' | paste -sd';')
	end
}

# --- the live view in a real terminal: tmux, 80 x 24, 14 sources ----------------
test_watch_tmux() {
	local mac sent frames bad shot live lines hist T="tmux -L $LAB_P" j row

	begin watch_tmux "stats --watch at 80x24 in tmux: 14 sources, the worst first, the totals, nothing scrolls"
	command -v tmux >/dev/null || { fail "tmux missing (scripts/deps.sh)"; end; return; }
	lab_cg rx attach raw1 >/dev/null || { fail "attach raw1"; end; return; }
	mac=$(lab_exec rx cat /sys/class/net/raw1/address)
	lab_exec rx "$LAB_PY" "$E2E_DIR/many4.py" raw0 "$mac" 10.0.0.2 14 4 7 20 >"$E2E_TMP/many4" &
	sent=$!
	$T new-session -d -s watch -x 80 -y 24 \
		"nsenter --net=/run/netns/$LAB_NS_rx $LAB_CSUMGUARD --pin-dir $LAB_PIN stats raw1 --watch 1" ||
		{ fail "tmux new-session"; lab_cg rx detach raw1 --purge >/dev/null; end; return; }
	sleep 2.5
	live=$($T capture-pane -p -t watch)	# while the traffic runs
	wait "$sent"
	frames=$(J 'd["frames"]' <"$E2E_TMP/many4")
	bad=$(J 'd["bad"]' <"$E2E_TMP/many4")
	sleep 3				# two more frames after the last packet
	shot=$($T capture-pane -p -t watch)
	hist=$($T display -p -t watch '#{history_size}')
	$T kill-server 2>/dev/null
	printf '%s\n' "$shot" >"$E2E_TMP/watch.txt"
	E2E_FIG_WATCH=$shot
	E2E_FIG_WATCH_LIVE=$live
	# While the traffic ran: the worst source first, bad now, at a rate.
	row=$(grep -E '^ *10\.200\.0\.[0-9]+ ' <<<"$live" | head -1)
	eq "live: the first row" "$(awk '{print $1}' <<<"$row")" 10.200.0.7
	gt "live: its bad/s (x10)" "$(awk '{printf "%d", $3 * 10}' <<<"$row")" 0
	gt "live: its pkt/s" "$(awk '{printf "%d", $2}' <<<"$row")" 0
	grep -q '^  last 1\.[0-9] s: [0-9.]* pkt/s, [0-9.]* bad/s, BAD [0-9.]*%$' <<<"$live" ||
		fail "live: no rates line: $(grep 'last ' <<<"$live" | head -1)"
	lines=$(grep -c '' <<<"$shot")
	gt "sender: frames" "$frames" 1000
	gt "sender: bad ones" "$bad" 0
	[ "$lines" -le 24 ] || fail "the view has $lines lines, more than 24"
	eq "no line wider than 80" "$(awk 'length > 80' <<<"$shot")" ""
	eq "nothing scrolled into tmux's history" "$hist" 0
	grep -q '^raw1 in: native XDP, monitor, 14 sources$' <<<"$shot" || fail "no interface line with 14 sources"
	grep -q "^  total: $frames pkts, $bad bad, BAD " <<<"$shot" ||
		fail "totals line is not the sender's $frames pkts, $bad bad: $(grep total: <<<"$shot")"
	grep -q '^  last 1\.[0-9] s: 0\.0 pkt/s, 0\.0 bad/s' <<<"$shot" ||
		fail "no interval line at rest: $(grep 'last ' <<<"$shot" | head -1)"
	eq "source rows" "$(grep -cE '^ *10\.200\.0\.[0-9]+ ' <<<"$shot")" 14
	eq "the first row is the worst source" \
		"$(grep -E '^ *10\.200\.0\.[0-9]+ ' <<<"$shot" | head -1 | awk '{print $1}')" 10.200.0.7
	eq "its bad count is the sender's" \
		"$(grep -E '^ *10\.200\.0\.7 ' <<<"$shot" | awk '{print $6}')" "$bad"
	# The same figures from csumguard's own JSON.
	j=$(stats raw1)
	eq "JSON: 10.200.0.7 bad == sender" "$(src raw1 10.200.0.7 bad "$j")" "$bad"
	eq "JSON: frames == sender" "$(ctr raw1 tunnel "$j")" "$frames"
	lab_cg rx detach raw1 --purge >/dev/null || fail "detach raw1"
	end
}

# --- make install DESTDIR=...: the installed command runs stats ---------------------
test_install_stats() {
	local d="$E2E_TMP/inst" bin j1 j2

	begin install_stats "make install DESTDIR=...; the installed command runs stats, diagnose, doctor"
	make -s -C "$E2E_DIR/../.." install DESTDIR="$d" PREFIX=/usr >/dev/null ||
		{ fail "make install"; end; return; }
	bin=$d/usr/sbin/csumguard
	[ -x "$bin" ] || { fail "no $bin"; end; return; }
	lab_cg rx attach up0 >/dev/null || { fail "attach up0"; end; return; }
	burst bad 100 0 0 0
	settle up0
	j1=$(lab_nsenter rx "$bin" --pin-dir "$LAB_PIN" stats up0 --json) || fail "installed stats"
	j2=$(stats up0)
	eq "installed stats: sources == the build's" "$(Q sources up0 <<<"$j1")" "$(Q sources up0 <<<"$j2")"
	eq "installed stats: node-3's packets" "$(src up0 "$BAD4" packets "$j1")" 100
	lab_nsenter rx "$bin" --pin-dir "$LAB_PIN" diagnose up0 --interval 0 | grep -q '^WHICH' ||
		fail "installed diagnose"
	lab_nsenter rx "$bin" --pin-dir "$LAB_PIN" doctor up0 | grep -q '^features' ||
		fail "installed doctor"
	[ -f "$d/usr/share/man/man8/csumguard.8" ] && grep -q 'diagnose' "$d/usr/share/man/man8/csumguard.8" ||
		fail "the installed man page lacks diagnose"
	lab_cg rx detach up0 --purge >/dev/null || fail "detach"
	rm -rf -- "$d"
	end
}

# --- another network namespace's attachment, seen from here ---------------------------
test_netns_truth() {
	local out r

	begin netns_truth "from the host namespace: 'attached elsewhere' (never 'gone'), block says where it applies"
	lab_cg rx attach up0 >/dev/null || { fail "attach up0"; end; return; }
	out=$("$LAB_CSUMGUARD" --pin-dir "$LAB_PIN" stats up0 2>&1)
	[[ $out == *"up0: attached elsewhere: network namespace /run/netns/$LAB_NS_rx"* ]] ||
		fail "stats from the host: $(head -1 <<<"$out")"
	[[ $out == *"interface gone"* ]] && fail "stats from the host says 'interface gone'"
	eq "JSON from the host: attached" \
		"$("$LAB_CSUMGUARD" --pin-dir "$LAB_PIN" stats up0 --json | Q field up0 attached)" true
	out=$("$LAB_CSUMGUARD" --pin-dir "$LAB_PIN" diagnose up0 --interval 0 2>&1 | tr -s ' \n' '  ')
	[[ $out == *"nsenter --net=/run/netns/$LAB_NS_rx csumguard diagnose up0"* ]] ||
		fail "diagnose from the host does not say where to run: $out"
	# block from the host: it names the attachment and where, and it works there.
	out=$("$LAB_CSUMGUARD" --pin-dir "$LAB_PIN" block "$BAD4" --reason e2e 2>&1)
	[[ $out == *"up0: attached in network namespace /run/netns/$LAB_NS_rx"* ]] ||
		fail "block does not say which attachments: $out"
	r=$(lab_ping bad 4 20)
	[[ $r == *" 0 received"* ]] || fail "blocked from the host, yet ping from node-3: $r"
	"$LAB_CSUMGUARD" --pin-dir "$LAB_PIN" unblock "$BAD4" >/dev/null || fail "unblock"
	r=$(lab_ping bad 4 20)
	[[ $r == *" 20 received"* ]] || fail "unblocked, yet ping from node-3: $r"
	lab_cg rx detach up0 --purge >/dev/null || fail "detach"
	end
}
