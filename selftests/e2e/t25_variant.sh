# selftests/e2e/t25_variant.sh - which XDP program variant attach loads when the
# kernel refuses the one the probes picked (issue 12: load errors name their
# real cause; a refused large-chunk program must not leave the node unaudited).
# Sourced by run.sh.
E2E_TESTS+=(variant_fallback)

# The kernel's "refusal" comes from build/selftests/refuse_prog.so, an
# LD_PRELOAD shim that fails BPF_PROG_LOAD for the program named in
# CG_REFUSE_PROG (with a verifier-like log) and passes every other bpf call.
refused_cg() {	# PROG ARGS...: csumguard on the receiver, PROG refused
	local prog=$1

	shift
	lab_nsenter rx env CG_REFUSE_PROG="$prog" LD_PRELOAD="$LAB_BUILD/selftests/refuse_prog.so" \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
		"$LAB_CSUMGUARD" --pin-dir "$LAB_PIN" "$@"
}

test_variant_fallback() {
	local out rc j0 j1 planned pins0 p

	begin variant_fallback "a refused large-chunk program falls back to the classic one; a refused classic one fails cleanly"
	[ -r "$LAB_BUILD/selftests/refuse_prog.so" ] || { fail "$LAB_BUILD/selftests/refuse_prog.so is missing (make check-e2e builds it)"; end; return; }
	# What the probes pick on this kernel, from a plain attach.
	lab_cg rx attach up0 --ingress >/dev/null || { fail "attach up0"; end; return; }
	planned=$(field up0 xdp_variant "$(stats up0)")
	lab_cg rx detach up0 >/dev/null || fail "detach up0"
	note "this kernel ($(uname -r)) plans the $planned program"

	if [ "$planned" = '"large-chunk"' ]; then
		out=$(refused_cg csumguard_xdplc attach up0 --ingress 2>&1)
		rc=$?
		note "attach with csumguard_xdplc refused: rc $rc: $out"
		eq "attach: exit status" "$rc" 0
		grep -q 'the large-chunk program csumguard_xdplc was refused, so the classic one runs' <<<"$out" ||
			fail "attach does not say the large-chunk program was refused"
		grep -q 'refused by refuse_prog.so' <<<"$out" && note "(the shim's log reached the message)"
		p=$(lab_exec rx ip -d link show dev up0 | sed -n 's/.*prog\/xdp id [0-9]* name \([^ ]*\).*/\1/p')
		eq "ip: the program on up0" "$p" csumguard_xdp
		j0=$(stats up0)
		eq "stats: xdp_variant" "$(field up0 xdp_variant "$j0")" '"multi-buffer"'
		# and it audits: the healthy node's pings, every one counted ok
		burst ok 30 0 0 0
		settle up0
		j1=$(stats up0)
		eq "healthy $OK4 ok after 30 pings (classic program)" \
			"$(( $(src up0 "$OK4" ok "$j1") - $(src up0 "$OK4" ok "$j0") ))" 30
		lab_cg rx detach up0 >/dev/null || fail "detach up0"
	else
		note "the probes pick $planned here (no 6.13+ bpf_csum_diff): no fallback to check"
	fi

	# The program this kernel falls back to cannot fall back further: a
	# refused classic program is an error naming the verifier, and attach
	# leaves nothing behind.
	[ "$planned" = '"single-buffer"' ] && p=csumguard_xdpsb || p=csumguard_xdp
	pins0=$(ls -R "$LAB_PIN" 2>&1)
	out=$(refused_cg "$p" attach up0 --ingress 2>&1)
	rc=$?
	note "attach with $p refused: rc $rc: $out"
	if [ "$planned" = '"large-chunk"' ]; then
		eq "attach (large-chunk loads): exit status" "$rc" 0
		lab_cg rx detach up0 >/dev/null || fail "detach up0"
	else
		eq "attach: exit status" "$rc" 1
		eq "attach: one line" "$(wc -l <<<"$out")" 1
		grep -q 'verifier rejected' <<<"$out" || fail "the error does not name the verifier"
		lab_exec rx ip -d link show dev up0 | grep -q 'prog/xdp' && fail "up0 has an XDP program"
	fi
	# Refusing both on a large-chunk kernel: the classic program's refusal
	# is the error, nothing is left behind.
	if [ "$planned" = '"large-chunk"' ]; then
		out=$(lab_nsenter rx env CG_REFUSE_PROG=csumguard_xdplc LD_PRELOAD="$LAB_BUILD/selftests/refuse_prog.so" \
			ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
			CG_REFUSE_PROG2=csumguard_xdp "$LAB_CSUMGUARD" --pin-dir "$LAB_PIN" attach up0 --ingress 2>&1)
		rc=$?
		note "attach with both refused: rc $rc: $out"
		eq "attach, both refused: exit status" "$rc" 1
		eq "attach, both refused: one line" "$(wc -l <<<"$out")" 1
		grep -q "verifier rejected csumguard's multi-buffer XDP program (csumguard_xdp" <<<"$out" ||
			fail "the error is not the classic program's refusal"
		lab_exec rx ip -d link show dev up0 | grep -q 'prog/xdp' && fail "up0 has an XDP program"
	fi
	end
}
