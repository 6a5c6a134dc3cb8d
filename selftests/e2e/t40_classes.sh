# selftests/e2e/t40_classes.sh - issue 10 end to end: what the inner packet of a
# bad or zero-checksum frame says, against the fault injector's own counts and
# the receiving kernel's. Sourced by run.sh.
#   classes_zero    zero outer checksums (a noudpcsum VXLAN pair): the injector
#                   corrupts inner checksums; zero_inner_bad == its count, and
#                   the kernel's Icmp InCsumErrors agrees
#   classes_split   checksum-only corruption (ok's "NIC") is bad_outer_only,
#                   payload corruption (bad's) is bad_payload, each == the
#                   injector's count, over both underlays
#   classes_repair  attach --repair: every bad_outer_only frame repaired (==
#                   the injector's count) and Udp InCsumErrors flat; the
#                   bad_payload ones are left alone and the kernel drops them
E2E_TESTS+=(classes_zero classes_split classes_repair)

# The injector's modes (selftests/fault_inject.bpf.c fi_cfg.flags).
FI_PAYLOAD=4
FI_INNER=8

# fi_mode NODE PER_MILLION FLAGS: the "NIC" injector's rate and mode.
fi_mode() {
	local id ppm=$2

	id=$(lab_fault_map "$1" fi_cfg) && [ -n "$id" ] || { fail "no fi_cfg map on $1"; return 1; }
	bpftool map update id "$id" key 0 0 0 0 value \
		$((ppm & 255)) $((ppm >> 8 & 255)) $((ppm >> 16 & 255)) $((ppm >> 24 & 255)) \
		0 0 "$3" 0
}

# NODE's kernel: Icmp InCsumErrors (/proc/net/snmp of its namespace).
icmp_csum_errors() {
	lab_exec "$1" awk '$1 == "Icmp:" { if (h) { print $(f); exit } for (i = 1; i <= NF; i++)
		if ($i == "InCsumErrors") f = i; h = 1 }' /proc/net/snmp
}

# ingress delta of source ADDR's FIELD between two stats snapshots
sd() { echo $(($(src up0 "$1" "$2" "$4") - $(src up0 "$1" "$2" "$3"))); }	# ADDR FIELD J0 J1
kd() { echo $(($(key "$1" "$3") - $(key "$1" "$2"))); }			# KEY F0 F1

# A VXLAN pair without outer checksums (noudpcsum), bad <-> rx, VNI 45,
# 10.104.0.0/24 (its own, beside t30's vxz).
vxc_up() {
	local n o

	for n in bad rx; do
		o=$([ "$n" = bad ] && echo rx || echo bad)
		lab_exec "$n" ip link add vxc address "02:68:00:00:00:0$(lab_idx "$n")" type vxlan \
			id 45 local "$(lab_ip4 "$n")" dev up0 dstport 4789 noudpcsum nolearning &&
		lab_exec "$n" ip addr add "10.104.0.$(lab_idx "$n")/24" dev vxc &&
		lab_exec "$n" ip link set vxc up &&
		lab_exec "$n" bridge fdb append "02:68:00:00:00:0$(lab_idx "$o")" dev vxc \
			dst "$(lab_ip4 "$o")" &&
		lab_exec "$n" ip neigh replace "10.104.0.$(lab_idx "$o")" \
			lladdr "02:68:00:00:00:0$(lab_idx "$o")" dev vxc nud permanent || return 1
	done
}
vxc_down() { lab_exec bad ip link del vxc 2>/dev/null; lab_exec rx ip link del vxc 2>/dev/null; }

# --- zero outer checksum: the inner one audited ------------------------------------
test_classes_zero() {
	local j0 j1 f0 f1 i0 i1 zero corrupted zbad zok

	begin classes_zero "zero outer checksums: zero_inner_bad == inner checksums the injector corrupted"
	lab_cg rx attach up0 --ingress >/dev/null || { fail "attach up0"; end; return; }
	vxc_up || fail "the noudpcsum VXLAN pair"
	fi_mode bad 200000 "$FI_INNER"		# 20 % of the zero-checksum datagrams
	j0=$(stats up0) f0=$(lab_fault_stats bad) i0=$(icmp_csum_errors rx)
	lab_exec bad ping -q -n -c 400 -i 0.002 -W 1 10.104.0.1 >/dev/null 2>&1
	settle up0
	j1=$(stats up0) f1=$(lab_fault_stats bad) i1=$(icmp_csum_errors rx)
	fi_mode bad 0 0

	zero=$(kd zero_seen "$f0" "$f1")
	corrupted=$(kd inner_corrupted "$f0" "$f1")
	zbad=$(sd "$BAD4" zero_inner_bad "$j0" "$j1")
	zok=$(sd "$BAD4" zero_inner_ok "$j0" "$j1")
	note "injector: $zero zero-checksum datagrams, $corrupted inner checksums corrupted;" \
		"csumguard $BAD4: zero $(sd "$BAD4" zero "$j0" "$j1"), zero_inner_ok $zok," \
		"zero_inner_bad $zbad; rx kernel Icmp InCsumErrors +$((i1 - i0))"
	eq "zero-checksum datagrams the injector saw" "$zero" 400
	gt "inner checksums corrupted" "$corrupted" 0
	eq "$BAD4 zero == the injector's zero-checksum datagrams" "$(sd "$BAD4" zero "$j0" "$j1")" "$zero"
	eq "$BAD4 zero_inner_bad == inner checksums corrupted" "$zbad" "$corrupted"
	eq "$BAD4 zero_inner_ok == the others" "$zok" "$((zero - corrupted))"
	eq "$BAD4 zero_inner_unfinished, zero_inner_unchecked" \
		"$(sd "$BAD4" zero_inner_unfinished "$j0" "$j1") $(sd "$BAD4" zero_inner_unchecked "$j0" "$j1")" "0 0"
	eq "rx kernel Icmp InCsumErrors == zero_inner_bad" "$((i1 - i0))" "$zbad"
	eq "interface zero_inner.zero_inner_bad == the source's" \
		"$(Q field up0 zero_inner <<<"$j1" | "$LAB_PY" -c 'import json,sys; print(json.load(sys.stdin)["zero_inner_bad"])')" \
		"$(src up0 "$BAD4" zero_inner_bad "$j1")"
	note "figure: zero-checksum datagrams $zero, inner checksums corrupted $corrupted: zero_inner_bad $zbad, zero_inner_ok $zok, kernel Icmp InCsumErrors +$((i1 - i0))"
	vxc_down
	lab_cg rx detach up0 --purge >/dev/null || fail "detach up0 --purge"
	end
}

# --- checksum-only vs payload corruption -----------------------------------------------
test_classes_split() {
	local j0 j1 g0 g1 f0 f1 s0 s1 oc pc okb bdb e4 e6

	begin classes_split "checksum-only corruption is bad_outer_only, payload corruption bad_payload"
	lab_cg rx attach up0 --ingress >/dev/null || { fail "attach up0"; end; return; }
	fi_mode ok 50000 0			# ok's NIC: 5 % wrong outer checksums
	fi_mode bad 100000 "$FI_PAYLOAD"	# bad's path: 10 % of its pings get a bit flipped
	j0=$(stats up0) g0=$(lab_fault_stats ok) f0=$(lab_fault_stats bad) s0=$(lab_snmp rx)
	burst ok 300 200 200 100
	burst bad 300 200 200 100
	settle up0
	j1=$(stats up0) g1=$(lab_fault_stats ok) f1=$(lab_fault_stats bad) s1=$(lab_snmp rx)
	fi_mode ok 0 0
	fi_mode bad 0 0

	oc=$(kd corrupted "$g0" "$g1")
	pc=$(kd payload_corrupted "$f0" "$f1")
	okb=$(($(sd "$OK4" bad "$j0" "$j1") + $(sd "$OK6" bad "$j0" "$j1")))
	bdb=$(($(sd "$BAD4" bad "$j0" "$j1") + $(sd "$BAD6" bad "$j0" "$j1")))
	e4=$(kd udp_in_csum_errors "$s0" "$s1") e6=$(kd udp6_in_csum_errors "$s0" "$s1")
	note "ok's injector: $oc outer checksums wrong; bad's: $pc inner payloads flipped" \
		"(of $(kd payload_eligible "$f0" "$f1") pings it could)"
	note "csumguard: ok bad $okb (outer_only $(($(sd "$OK4" bad_outer_only "$j0" "$j1") + $(sd "$OK6" bad_outer_only "$j0" "$j1"))))," \
		"bad bad $bdb (payload $(($(sd "$BAD4" bad_payload "$j0" "$j1") + $(sd "$BAD6" bad_payload "$j0" "$j1"))));" \
		"kernel InCsumErrors Udp $e4, Udp6 $e6"
	gt "ok's injector corrupted outer checksums" "$oc" 0
	gt "bad's injector flipped payload bits" "$pc" 0
	eq "bad's injector skipped nothing" "$(kd skipped_other "$f0" "$f1")" 0
	eq "ok: bad == outer checksums corrupted" "$okb" "$oc"
	eq "ok: bad_outer_only == outer checksums corrupted" \
		"$(($(sd "$OK4" bad_outer_only "$j0" "$j1") + $(sd "$OK6" bad_outer_only "$j0" "$j1")))" "$oc"
	eq "ok: bad_payload, bad_unclassified" \
		"$(($(sd "$OK4" bad_payload "$j0" "$j1") + $(sd "$OK6" bad_payload "$j0" "$j1"))) $(($(sd "$OK4" bad_unclassified "$j0" "$j1") + $(sd "$OK6" bad_unclassified "$j0" "$j1")))" "0 0"
	eq "bad: bad == payloads corrupted" "$bdb" "$pc"
	eq "bad: bad_payload == payloads corrupted" \
		"$(($(sd "$BAD4" bad_payload "$j0" "$j1") + $(sd "$BAD6" bad_payload "$j0" "$j1")))" "$pc"
	eq "bad: bad_outer_only, bad_unclassified" \
		"$(($(sd "$BAD4" bad_outer_only "$j0" "$j1") + $(sd "$BAD6" bad_outer_only "$j0" "$j1"))) $(($(sd "$BAD4" bad_unclassified "$j0" "$j1") + $(sd "$BAD6" bad_unclassified "$j0" "$j1")))" "0 0"
	eq "kernel Udp InCsumErrors + Udp6InCsumErrors == all bad" "$((e4 + e6))" "$((okb + bdb))"
	eq "first_bad set for both senders" \
		"$("$LAB_PY" -c '
import json, sys
d = json.load(sys.stdin)
s = {x["addr"]: x for i in d["interfaces"] if i["name"] == "up0" for x in i["ingress"]["sources"]}
print(all(s[a]["first_bad_age_seconds"] is not None for a in sys.argv[1:]))' "$OK4" "$BAD4" <<<"$j1")" "True"
	note "figure: checksum-only: injector $oc, bad_outer_only $okb; payload: injector $pc, bad_payload $bdb; kernel InCsumErrors $((e4 + e6))"
	lab_cg rx detach up0 --purge >/dev/null || fail "detach up0 --purge"
	end
}

# --- repair mode ------------------------------------------------------------------------
test_classes_repair() {
	local j0 j1 g0 g1 f0 f1 s0 s1 oc pc rep e4 e6 out rep_err

	begin classes_repair "attach --repair: bad_outer_only repaired, the kernel's InCsumErrors flat"
	out=$(lab_cg rx attach up0 --ingress --repair) || { fail "attach up0 --repair"; end; return; }
	grep -q "^repair on" <<<"$out" || fail "attach does not say repair is on: $out"
	eq "stats --json: repair" "$(field up0 repair "$(stats up0)")" true
	fi_mode ok 50000 0
	j0=$(stats up0) g0=$(lab_fault_stats ok) s0=$(lab_snmp rx)
	burst ok 400 300 200 200
	settle up0
	j1=$(stats up0) g1=$(lab_fault_stats ok) s1=$(lab_snmp rx)
	oc=$(kd corrupted "$g0" "$g1")
	rep=$(($(sd "$OK4" repaired "$j0" "$j1") + $(sd "$OK6" repaired "$j0" "$j1")))
	e4=$(kd udp_in_csum_errors "$s0" "$s1") e6=$(kd udp6_in_csum_errors "$s0" "$s1")
	note "ok's injector corrupted $oc outer checksums; csumguard repaired $rep;" \
		"kernel InCsumErrors Udp $e4, Udp6 $e6"
	gt "injector corrupted something" "$oc" 0
	eq "repaired == outer checksums corrupted" "$rep" "$oc"
	eq "bad_outer_only == repaired" \
		"$(($(sd "$OK4" bad_outer_only "$j0" "$j1") + $(sd "$OK6" bad_outer_only "$j0" "$j1")))" "$rep"
	eq "interface repaired == the sources'" "$(($(ctr up0 repaired "$j1") - $(ctr up0 repaired "$j0")))" "$rep"
	eq "kernel Udp InCsumErrors flat" "$e4" 0
	eq "kernel Udp6InCsumErrors flat" "$e6" 0
	rep_err=$((e4 + e6))
	# Payload corruption with repair on: never repaired, the kernel drops them.
	fi_mode ok 0 0
	fi_mode bad 100000 "$FI_PAYLOAD"
	j0=$(stats up0) f0=$(lab_fault_stats bad) s0=$(lab_snmp rx)
	burst bad 300 0 200 0
	settle up0
	j1=$(stats up0) f1=$(lab_fault_stats bad) s1=$(lab_snmp rx)
	fi_mode bad 0 0
	pc=$(kd payload_corrupted "$f0" "$f1")
	e4=$(kd udp_in_csum_errors "$s0" "$s1") e6=$(kd udp6_in_csum_errors "$s0" "$s1")
	gt "payloads corrupted" "$pc" 0
	eq "bad_payload == payloads corrupted, none repaired" \
		"$(($(sd "$BAD4" bad_payload "$j0" "$j1") + $(sd "$BAD6" bad_payload "$j0" "$j1"))) $(($(sd "$BAD4" repaired "$j0" "$j1") + $(sd "$BAD6" repaired "$j0" "$j1")))" "$pc 0"
	eq "kernel InCsumErrors == bad_payload (not repaired)" "$((e4 + e6))" "$pc"
	note "figure: injector corrupted $oc outer checksums: repaired $rep, kernel InCsumErrors +$rep_err; payload corrupted $pc: repaired 0, kernel InCsumErrors +$((e4 + e6))"
	lab_cg rx detach up0 --purge >/dev/null || fail "detach up0 --purge"
	end
}
