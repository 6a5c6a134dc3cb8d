#!/bin/sh
# egress.sh - csumguard's TC egress program on real traffic: the states it
# counts for frames leaving an interface equal the reference verifier's
# egress rule (ref/refcheck.h cg_ref_egress_classify). TEST ONLY, needs root.
#
# Runs in Debian 12's 6.1 kernel under qemu (make check-kernels-e2e, after
# coexist.sh), where the loader must pick csumguard_tc (no skb facts before
# 6.2); busybox sh is enough. Twice, on veth pairs cgeg<pid>0/1 (monitor
# mode) and cgeg<pid>d0/1 (drop mode):
#   csumguard attach cgeg0 --egress --mode M; sendraw --egress --mode M
#   cgeg0 egress (in drop mode the send() of each frame the filter drops
#   fails with ENOBUFS: exactly the ones the reference drops) (an
#   AF_PACKET send goes through dev_queue_xmit, so through cgeg0's clsact
#   egress filter; the peer receives and drops the frames); then
#   `stats --json`'s "egress" object: states, tunnel/unparsed/drop_bad
#   counters and every destination row (packets, bytes, each state,
#   dropped) equal sendraw's egress expectation exactly; the filter is
#   csumguard's program EGRESS_PROG (tc filter show), "skb_facts" and the
#   fact counters say what that program can read; detach --egress removes
#   the filter and the clsact qdisc csumguard made.
# Frames from user space are neither GSO nor CHECKSUM_PARTIAL: the GSO and
# LCO paths are not exercised here (the TC table tests cover them).
#
# Debian 11's 5.10 runs it too (make check-kernels-e2e E2E_KERNELS=5.10):
# since issue 13 the program's parser takes no pointer argument (5.10's
# verifier refused that: "Arg#1 type PTR in cg_parse_skb() is not supported
# yet"), so the loader attaches csumguard_tc there as on 6.1.
#
# Prints PASS:/FAIL: lines and "N passed, M failed"; exit status 1 on any
# failure (or if nothing passed). Tools come from the guest paths; override
# them to run elsewhere, e.g. on a 6.2+ host (facts variant):
#   unshare -n sh -c 'ip link set lo up; CSUMGUARD=build/csumguard \
#     SENDRAW=build/selftests/sendraw IP=ip TC=tc EGRESS_PROG=csumguard_tcf \
#     sh selftests/vm/egress.sh'
CSUMGUARD=${CSUMGUARD:-/usr/sbin/csumguard}
SENDRAW=${SENDRAW:-/usr/sbin/sendraw}
IP=${IP:-/usr/bin/ip}                   # iproute2; busybox's ip applet cannot make veths
TC=${TC:-/usr/sbin/tc}                  # iproute2's tc
EGRESS_PROG=${EGRESS_PROG:-csumguard_tc}  # csumguard_tcf where the kernel has skb facts (6.2+)
COUNT=${COUNT:-5}
export CSUMGUARD_PIN_DIR=/sys/fs/bpf/cgeg$$
BASE=cgeg$$

npass=0
nfail=0
pass() { echo "PASS: $*"; npass=$((npass + 1)); }
fail() { echo "FAIL: $*"; nfail=$((nfail + 1)); }

# run CMD...: show it and its output (indented), keep the output in $OUT.
run() {
	echo "  \$ $*"
	OUT=$("$@" 2>&1)
	RC=$?
	[ -z "$OUT" ] || printf '%s\n' "$OUT" | sed 's/^/    /'
	[ "$RC" -eq 0 ] || echo "    (exit status $RC)"
	return "$RC"
}
# quiet CMD...: as run, without showing the output.
quiet() {
	echo "  \$ $*"
	OUT=$("$@" 2>&1)
	RC=$?
	[ "$RC" -eq 0 ] || { printf '%s\n' "$OUT" | sed 's/^/    /'; echo "    (exit status $RC)"; }
	return "$RC"
}
expect() {
	d=$1
	shift
	if run "$@"; then pass "$d"; else fail "$d"; fi
}

# jget JSON SECTION KEY: value of KEY inside {"SECTION": {...}} (SECTION "" =
# anywhere; the last occurrence wins). Numbers, true/false/null, no strings.
jget() {
	j=$(printf '%s' "$1" | tr -d ' \n')
	[ -z "$2" ] || j=$(printf '%s' "$j" | sed -n "s/.*\"$2\":{\([^}]*\)}.*/\1/p")
	printf '%s' "$j" | sed -n "s/.*\"$3\":\([-0-9a-z.]*\).*/\1/p"
}
# egress JSON: the "egress" object of one interface's `stats --json`.
egress() {
	printf '%s' "$1" | tr -d ' \n' | sed -n 's/.*"egress":\({.*}\)}\]}$/\1/p'
}
# top EGRESS: the egress object without its "destinations" array.
top() {
	printf '%s' "$1" | sed 's/"destinations":\[.*\]//'
}
# row EGRESS ADDR: csumguard's destination row of ADDR, "{...}" or empty.
row() {
	a=$(printf '%s' "$2" | sed 's/\./\\./g')
	printf '%s' "$1" | grep -o "{\"addr\":\"$a\",[^}]*}"
}
# erow SENDRAW ADDR: sendraw's expected row of ADDR.
erow() {
	a=$(printf '%s' "$2" | sed 's/\./\\./g')
	printf '%s' "$1" | tr -d ' \n' | grep -o "\"$a\":{[^}]*}" | sed 's/^"[^"]*"://'
}

cleanup() {
	for v in "$BASE" "${BASE}d"; do
		"$IP" link del "${v}0" 2>/dev/null
		"$CSUMGUARD" detach "${v}0" --purge >/dev/null 2>&1
	done
	rm -rf "$CSUMGUARD_PIN_DIR" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

STATES="final_ok final_bad offloaded zero fragment malformed"

echo "== egress: csumguard's TC egress program on frames leaving a veth (sendraw --egress)"
echo "   kernel $(uname -r); program expected: $EGRESS_PROG; pins $CSUMGUARD_PIN_DIR"
for t in "$CSUMGUARD" "$SENDRAW" "$IP" "$TC"; do
	command -v "$t" >/dev/null 2>&1 || fail "missing $t"
done
run "$CSUMGUARD" --version

# scenario V MODE: one veth pair V0/V1, attach --egress --mode MODE on V0,
# send the egress cases out of V0, compare, detach.
scenario() {
	V=$1
	MODE=$2
	echo
	echo "== $MODE: ${V}0"
	if run "$IP" link add "${V}0" type veth peer name "${V}1" &&
		run "$IP" link set "${V}0" up && run "$IP" link set "${V}1" up; then
		if [ -z "$("$TC" qdisc show dev "${V}0" 2>/dev/null | grep clsact)" ]; then
			pass "${V}0: created, no clsact qdisc on it before the test"
		else
			fail "${V}0: created, but it has a clsact qdisc already"
		fi
		expect "${V}0: csumguard attach --egress --mode $MODE" "$CSUMGUARD" attach "${V}0" --egress --mode "$MODE"
		run "$TC" filter show dev "${V}0" egress
		if printf '%s\n' "$OUT" | grep -q "name $EGRESS_PROG\( \|$\)"; then
			pass "${V}0: the egress filter runs $EGRESS_PROG"
		else
			fail "${V}0: the egress filter does not run $EGRESS_PROG"
		fi

		# The expectation, then the frames, out of ${V}0 (its egress filter).
		echo "  \$ $SENDRAW --egress --mode $MODE --count $COUNT ${V}0 egress"
		if ! EXP=$("$SENDRAW" --egress --mode "$MODE" --count "$COUNT" "${V}0" egress 2>&1); then
			printf '%s\n' "$EXP" | sed 's/^/    /'
			fail "${V}0: sendraw --egress failed"
			EXP=
		fi
		printf '%s\n' "$EXP" | grep -E '"(sent|egress_kinds|egress_states|egress_dropped)"' |
			sed 's/^ */    /'
		et=$(jget "$EXP" egress_kinds tunnel)
		ed=$(jget "$EXP" "" egress_dropped)
		er=$(jget "$EXP" "" egress_refused)
		if [ "$MODE" = drop ]; then
			# The filter's TC_ACT_SHOT fails the send(): ENOBUFS for the frames dropped.
			if [ -n "$ed" ] && [ "$ed" -gt 0 ] && [ "$er" = "$ed" ]; then
				pass "${V}0: send() refused exactly the $ed frames the reference drops (ENOBUFS)"
			else
				fail "${V}0: send() refused $er frames; the reference drops $ed"
			fi
		fi
		[ -n "$et" ] && [ "$et" -gt 0 ] || fail "${V}0: sendraw sent no tunnel frames"

		# Counted in dev_queue_xmit, so at once; wait a little anyway.
		i=0
		while :; do
			OUT=$("$CSUMGUARD" stats "${V}0" --json 2>&1)
			EG=$(egress "$OUT")
			t=$(jget "$(top "$EG")" counters tunnel)
			[ -n "$t" ] && [ -n "$et" ] && [ "$t" -ge "$et" ] && break
			i=$((i + 1))
			[ $i -ge 25 ] && break
			sleep 0.2
		done
		echo "  \$ $CSUMGUARD stats ${V}0 --json   (egress object)"
		printf '%s\n' "$EG" | sed 's/"destinations":\[/&\n/; s/},{"addr"/},\n{"addr"/g' |
			sed 's/^/    /'
		TOP=$(top "$EG")

		got=
		want=
		for s in $STATES; do
			got="$got $s $(jget "$TOP" states "$s")"
			want="$want $s $(jget "$EXP" egress_states "$s")"
		done
		if [ "$got" = "$want" ]; then
			pass "${V}0: egress states as the reference:$got"
		else
			fail "${V}0: egress states:$got; reference verifier:$want"
		fi
		got="tunnel $(jget "$TOP" counters tunnel) unparsed $(jget "$TOP" counters unparsed) drop_bad $(jget "$TOP" counters drop_bad)"
		want="tunnel $et unparsed $(jget "$EXP" egress_kinds unparsed) drop_bad $ed"
		if [ "$got" = "$want" ]; then
			pass "${V}0: egress counters as the reference: $got"
		else
			fail "${V}0: egress counters: $got; reference verifier: $want"
		fi

		# Every destination row, field by field; no row csumguard has that sendraw has not.
		addrs=$(printf '%s' "$EXP" | tr -d ' \n' | sed -n 's/.*"egress_destinations":{\(.*\)},"cases".*/\1/p' |
			grep -o '"[0-9a-f.:]*":{' | sed 's/^"\([^"]*\)".*/\1/')
		nexp=$(printf '%s\n' $addrs | grep -c .)
		nrows=$(printf '%s' "$EG" | grep -o '{"addr":' | grep -c .)
		bad=0
		for a in $addrs; do
			r=$(row "$EG" "$a")
			e=$(erow "$EXP" "$a")
			g=
			w=
			for f in packets bytes $STATES dropped; do
				g="$g $f $(jget "$r" "" "$f")"
				w="$w $f $(jget "$e" "" "$f")"
			done
			if [ "$g" != "$w" ]; then
				echo "    $a: csumguard:$g"
				echo "    $a: reference:$w"
				bad=$((bad + 1))
			fi
		done
		if [ "$bad" = 0 ] && [ "$nexp" -gt 0 ] && [ "$nrows" = "$nexp" ]; then
			pass "${V}0: all $nexp destination rows as the reference (packets, bytes, states, dropped), no other row"
		else
			fail "${V}0: destination rows: $bad of $nexp differ; csumguard has $nrows rows"
		fi

		# Which program: skb facts or not.
		sf=$(jget "$TOP" "" skb_facts)
		fa=$(jget "$TOP" "" facts)
		of=$(jget "$TOP" "" offloaded_fact)
		rf=$(printf '%s' "$EG" | sed 's/.*"destinations":\[//' | grep -o '"facts":[^,}]*' | sed 's/.*://' | sort -u | tr '\n' ' ')
		if [ "$EGRESS_PROG" = csumguard_tc ]; then
			want="skb_facts false facts null offloaded_fact null rows null "
		else
			want="skb_facts true facts $(jget "$EXP" egress_kinds tunnel) offloaded_fact 0 rows $COUNT "
		fi
		got="skb_facts $sf facts $fa offloaded_fact $of rows $rf"
		if [ "$got" = "$want" ]; then
			pass "${V}0: $EGRESS_PROG's facts: $got"
		else
			fail "${V}0: facts: $got (want $want)"
		fi

		expect "${V}0: csumguard detach --egress" "$CSUMGUARD" detach "${V}0" --egress
		run "$TC" filter show dev "${V}0" egress
		fl=$OUT
		run "$TC" qdisc show dev "${V}0"
		if [ -z "$(printf '%s' "$fl" | grep filter)" ] && ! printf '%s\n' "$OUT" | grep -q clsact; then
			pass "${V}0: no egress filter and no clsact qdisc left"
		else
			fail "${V}0: left behind after detach: filter '$fl', qdisc '$OUT'"
		fi
		quiet "$CSUMGUARD" stats "${V}0" --json
		att=$(jget "$(top "$(egress "$OUT")")" "" attached)
		if [ "$att" = false ]; then
			pass "${V}0: csumguard stats --json: egress \"attached\": false"
		else
			fail "${V}0: csumguard stats --json: egress attached=$att (want false)"
		fi
		run "$CSUMGUARD" detach "${V}0" --purge
	fi
}

scenario "$BASE" monitor
scenario "${BASE}d" drop

echo
if [ "$nfail" -gt 0 ]; then
	echo "-- kernel log (last 20 lines):"
	dmesg | tail -n 20 | sed 's/^/    /'
fi
echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ] && [ "$npass" -gt 0 ]
