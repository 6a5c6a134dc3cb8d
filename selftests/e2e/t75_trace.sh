# selftests/e2e/t75_trace.sh - `csumguard trace` (issue 11): the bad frames
# of a corrupting sender from the pinned ring buffer, as lines and as pcapng.
# The number of events is the fault injector's own count of the frames it
# corrupted (a burst under the in-kernel rate limit: nothing suppressed), each
# names node-3, and tshark - with UDP checksum validation on - finds every
# frame's outer checksum bad and the comment's expected value the one it
# computes. --count stops after exactly N. Sourced by run.sh.
E2E_TESTS+=(trace_pcap trace_count)

# T_TRACE_PID of the trace running in the background; waits until it is
# reading (its "tracing" line on stderr) - at most about 5 s.
trace_start() {	# OUT ERR ARGS...
	local out=$1 err=$2 i

	shift 2
	# exec: $! is csumguard itself (nsenter execs it), so a signal reaches it.
	(exec nsenter --net="/run/netns/$(lab_ns rx)" "$LAB_CSUMGUARD" --pin-dir "$(lab_pin rx)" \
		trace "$@" >"$out" 2>"$err") &
	T_TRACE_PID=$!
	for i in $(seq 50); do
		grep -q '^tracing' "$err" 2>/dev/null && return 0
		kill -0 "$T_TRACE_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

test_trace_pcap() {
	local out=$E2E_TMP/trace.out err=$E2E_TMP/trace.err pcap=$E2E_TMP/trace.pcapng
	local f0 f1 corrupted lines t n_bad n_frames exp_ok

	begin trace_pcap "trace --pcap: one event per corrupted frame (injector's count), tshark marks each outer checksum bad"
	command -v tshark >/dev/null || { fail "tshark missing: run scripts/deps.sh"; end; return; }
	lab_cg rx attach up0 >/dev/null || { fail "attach up0"; end; return; }
	lab_nodes_file | lab_cg rx nodes load - >/dev/null || fail "nodes load"
	lab_fault_rate ok 0
	lab_fault_rate bad 0
	# Frames left in the ring before the trace started are skipped: bad ones
	# now, before it, must not show up.
	lab_fault_rate bad 1000000 partial
	lab_ping bad 4 5 >/dev/null
	settle up0
	lab_fault_rate bad 0

	trace_start "$out" "$err" up0 --pcap "$pcap" --count 1000 --timeout 60 ||
		{ fail "trace did not start: $(cat "$err")"; kill "$T_TRACE_PID" 2>/dev/null; end; return; }
	f0=$(lab_fault_stats bad)
	# About 30 of 300 pings' outer checksums corrupted: under the burst of
	# 64 events, so the rate limit suppresses none of them.
	lab_fault_rate bad 100000 partial
	lab_ping bad 4 300 >/dev/null
	lab_fault_rate bad 0
	settle up0
	f1=$(lab_fault_stats bad)
	sleep 0.5
	kill -INT "$T_TRACE_PID"
	wait "$T_TRACE_PID" || fail "trace exited with $? after SIGINT: $(cat "$err")"
	corrupted=$(($(key corrupted "$f1") - $(key corrupted "$f0")))
	lines=$(grep -c . "$out")
	note "injector corrupted $corrupted; trace printed $lines lines; $(tail -1 "$err")"
	gt "injector corrupted" "$corrupted" 0
	eq "trace events == injector corrupted" "$lines" "$corrupted"
	eq "every line names node-3 and is bad" \
		"$(grep -c " node-3($BAD4) vxlan vni 42 icmp .* csum 0x[0-9a-f]\{4\} want 0x[0-9a-f]\{4\} bad " "$out")" "$corrupted"
	[[ $(tail -1 "$err") == *"trace_suppressed 0, trace_lost 0"* ]] ||
		fail "the summary says something was not traced: $(tail -1 "$err")"

	# tshark: every frame's outer UDP checksum (the first UDP layer) bad.
	n_frames=$(tshark -r "$pcap" 2>/dev/null | grep -c .)
	eq "tshark reads every frame" "$n_frames" "$corrupted"
	t=$(tshark -r "$pcap" -o udp.check_checksum:TRUE -T fields -E occurrence=f \
		-e udp.checksum.status -e udp.checksum -e frame.comment -e udp.checksum_calculated \
		2>"$E2E_TMP/tshark.err") ||
		fail "tshark -r failed: $(grep -v 'Running as user' "$E2E_TMP/tshark.err" | head -3)"
	grep -qv 'Running as user' "$E2E_TMP/tshark.err" &&
		fail "tshark: $(grep -v 'Running as user' "$E2E_TMP/tshark.err" | head -3)"
	n_bad=$(awk -F'\t' '$1 == "0" || $1 == "Bad"' <<<"$t" | grep -c .)
	note "tshark -o udp.check_checksum:TRUE: $n_bad of $n_frames frames with a bad outer checksum"
	eq "tshark: outer checksum bad in every frame" "$n_bad" "$corrupted"
	# The comment's stored value is the field tshark read, its expected
	# value the one tshark computes, its verdict bad.
	exp_ok=$(awk -F'\t' '{ split($3, c, " "); if (c[2] == "bad" && c[6] == $2 && c[8] == $4) n++ }
		END { print n + 0 }' <<<"$t")
	eq "comments: verdict bad, stored == tshark's udp.checksum, expected == its udp.checksum_calculated" \
		"$exp_ok" "$corrupted"
	note "first event: $(head -1 "$out")"
	tshark -r "$pcap" -o udp.check_checksum:TRUE -V -c 1 2>/dev/null |
		grep -m2 -E 'Checksum: 0x[0-9a-f]+ incorrect|\[Checksum Status: Bad\]' | sed 's/^/    tshark: /'

	lab_cg rx detach up0 --purge >/dev/null || fail "detach --purge"
	lab_cg rx nodes load - </dev/null >/dev/null 2>&1
	end
}

test_trace_count() {
	local out=$E2E_TMP/trace_count.out err=$E2E_TMP/trace_count.err f0 f1 corrupted

	begin trace_count "trace --count 3 stops after exactly 3 events"
	lab_cg rx attach up0 >/dev/null || { fail "attach up0"; end; return; }
	trace_start "$out" "$err" up0 --count 3 --timeout 60 ||
		{ fail "trace did not start: $(cat "$err")"; kill "$T_TRACE_PID" 2>/dev/null; end; return; }
	f0=$(lab_fault_stats bad)
	lab_fault_rate bad 1000000 partial
	lab_ping bad 4 10 >/dev/null
	lab_fault_rate bad 0
	f1=$(lab_fault_stats bad)
	corrupted=$(($(key corrupted "$f1") - $(key corrupted "$f0")))
	gt "injector corrupted more than 3" "$corrupted" 3
	wait "$T_TRACE_PID" || fail "trace exited with $?: $(cat "$err")"
	eq "lines" "$(grep -c . "$out")" 3
	eq "each bad, from $BAD4" "$(grep -c " $BAD4 vxlan vni 42 .* bad " "$out")" 3
	lab_cg rx detach up0 --purge >/dev/null || fail "detach --purge"
	end
}
