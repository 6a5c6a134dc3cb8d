# selftests/e2e/t40_memory.sh - the per-source table sized from a memory budget
# (issue 13): attach --memory, --sources against the budget, the pinned table
# kept, and what attach and stats say, all compared with what the kernel says
# (bpftool's memlock of the pinned map, and of a map bpftool creates itself);
# the egress per-destination table from the same budget.
# Sourced by run.sh.
E2E_TESTS+=(memory_budget)

# memlock and max_entries of the pinned map at PATH, from bpftool.
bpftool_map() {
	bpftool -j map show pinned "$1" | "$LAB_PY" -c '
import json, sys
m = json.load(sys.stdin)
print(m["bytes_memlock"], m["max_entries"], m["bytes_value"])'
}

test_memory_budget() {
	local out j mem n vsize n1 m1 src=$LAB_PIN/ifaces/up0/ingress/src tmp
	local rmem rn rvsize rm1

	begin memory_budget "attach --memory sizes the source table for this machine's CPUs; --sources must fit"
	# 8 MiB: as many sources as fit, by the kernel's formula.
	out=$(lab_cg rx attach up0 --ingress --memory 8M) || { fail "attach --memory 8M: $out"; end; return; }
	read -r mem n vsize <<<"$(bpftool_map "$src")"
	# and its rows' shared parts (issue 13: src_rare, the same max_entries,
	# in the same budget): the source table's memory is both maps'
	read -r rmem rn rvsize <<<"$(bpftool_map "${src}_rare")"
	eq "src_rare: max_entries = src's" "$rn" "$n"
	note "8 MiB on $(nproc --all) CPUs: $n sources, memlock $mem + $rmem B (values $vsize B per CPU, $rvsize B shared)"
	mem=$((mem + rmem))
	grep -q "^per-source table: $n sources, .* of kernel memory for $(nproc --all) possible CPUs (--memory 8 MiB)$" <<<"$out" ||
		fail "attach does not report the table bpftool shows ($n sources): $out"
	[ "$mem" -le $((8 << 20)) ] || fail "the table takes $mem B, over 8 MiB"
	gt "sources in 8 MiB" "$n" 1000
	# The fit is the largest: a table of n + 1 made by bpftool itself is over 8 MiB.
	tmp=$LAB_PIN/memprobe
	bpftool map create "$tmp" type lru_percpu_hash key 20 value "$vsize" entries $((n + 1)) \
		name memprobe || fail "bpftool map create"
	read -r m1 n1 _ <<<"$(bpftool_map "$tmp")"
	rm -f -- "$tmp"
	bpftool map create "$tmp" type lru_hash key 20 value "$rvsize" entries $((n + 1)) \
		name memprobe || fail "bpftool map create (shared parts)"
	read -r rm1 _ _ <<<"$(bpftool_map "$tmp")"
	rm -f -- "$tmp"
	m1=$((m1 + rm1))
	[ "$m1" -gt $((8 << 20)) ] || fail "a table of $n1 sources takes $m1 B: $n was not the most that fit"
	j=$(stats up0)
	eq "stats: sources_max" "$(field up0 sources_max "$j")" "$n"
	eq "stats: sources_memory_bytes = bpftool's memlock" "$(field up0 sources_memory_bytes "$j")" "$mem"
	eq "stats: possible_cpus" "$(field up0 possible_cpus "$j")" "$(nproc --all)"
	lab_cg rx stats up0 | grep -q "; sources 0 of $n in .* of kernel memory ($(nproc --all) CPUs)$" ||
		fail "stats table does not show the table's memory"
	j=$(lab_cg rx doctor up0 --json)
	eq "doctor: sources_memory_bytes = bpftool's memlock" \
		"$("$LAB_PY" -c 'import json,sys; c=json.load(sys.stdin)["csumguard"]; print(c["sources_max"], c["sources_memory_bytes"])' <<<"$j")" \
		"$n $mem"

	# Re-attach without options: the pinned table is kept as it is.
	lab_cg rx detach up0 >/dev/null || fail "detach"
	out=$(lab_cg rx attach up0 --ingress) || fail "re-attach: $out"
	grep -q "^per-source table: $n sources, .* (the pinned table, kept)$" <<<"$out" ||
		fail "re-attach does not keep the pinned table: $out"
	# ...but not when --memory is given and the table does not fit it.
	lab_cg rx detach up0 >/dev/null || fail "detach"
	out=$(lab_cg rx attach up0 --ingress --memory 4M 2>&1) && fail "attach --memory 4M over an 8 MiB table succeeded"
	grep -q "^csumguard: the pinned source table of up0 holds $n sources in .*, over --memory 4 MiB; give --memory .* or more, or start afresh (its counters go) with \`csumguard detach up0 --purge\`, then attach sizes it to fit$" <<<"$out" ||
		fail "wrong error for a pinned table over the budget: $out"
	attached up0 && fail "a refused attach left a program on up0"
	lab_cg rx detach up0 --purge >/dev/null 2>&1

	# --sources over the budget: refused before anything is made, with the fix.
	out=$(lab_cg rx attach up0 --ingress --sources 1048576 --memory 8M 2>&1) &&
		fail "--sources 1048576 in 8 MiB succeeded"
	grep -q "^csumguard: --sources 1048576 needs .* of kernel memory on this machine's $(nproc --all) possible CPUs, over the --memory budget of 8 MiB; give --memory .* or more, or --sources $n or fewer$" <<<"$out" ||
		fail "wrong error for --sources over the budget: $out"
	[ -e "$LAB_PIN/ifaces/up0" ] && fail "a refused attach left $LAB_PIN/ifaces/up0"
	# --sources that fits: exactly that many.
	out=$(lab_cg rx attach up0 --ingress --sources 1000 --memory 8M) || fail "attach --sources 1000: $out"
	read -r mem n _ <<<"$(bpftool_map "$src")"
	eq "--sources 1000: max_entries" "$n" 1000
	grep -q "^per-source table: 1000 sources, " <<<"$out" || fail "attach --sources 1000 says: $out"
	lab_cg rx detach up0 --purge >/dev/null || fail "detach --purge"

	# Egress: the per-destination table from the same budget.
	out=$(lab_cg rx attach up0 --egress --memory 8M) || { fail "attach --egress --memory 8M: $out"; end; return; }
	read -r mem n vsize <<<"$(bpftool_map "$LAB_PIN/ifaces/up0/egress/dst")"
	note "egress, 8 MiB: $n destinations, memlock $mem B (value $vsize B)"
	grep -q "^per-destination table: $n destinations, .* of kernel memory for $(nproc --all) possible CPUs (--memory 8 MiB)$" <<<"$out" ||
		fail "attach --egress does not report the table bpftool shows ($n destinations): $out"
	[ "$mem" -le $((8 << 20)) ] || fail "the destination table takes $mem B, over 8 MiB"
	gt "destinations in 8 MiB" "$n" 1000
	j=$(stats up0)
	eq "stats: destinations_memory_bytes = bpftool's memlock" "$(egf up0 destinations_memory_bytes <<<"$j")" "$mem"
	lab_cg rx detach up0 --purge >/dev/null || fail "detach --purge"
	end
}
