# selftests/e2e/t30_egress.sh - TC egress end to end (issue 8): both hooks, one hook,
# pre-existing qdiscs, persistence, failures, the ledger, GSO metadata, states.
# Sourced by run.sh.
E2E_TESTS+=(egress_both egress_only egress_ingress_only egress_preexisting egress_qdisc_busy
	egress_persist egress_fail egress_ledger egress_counts egress_gsometa egress_states)

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
		"attachment iface src src_cache src_kept src_kept_rare src_nodes src_nodes_rare src_rare trace "
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

