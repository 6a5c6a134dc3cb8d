#!/bin/sh
# coexist.sh - csumguard shares an interface with other XDP programs through
# libxdp's multi-program dispatcher (SPEC 3). TEST ONLY, needs root.
#
# Runs in Debian 12's 6.1 kernel under qemu (make check-kernels-e2e; the
# kernel of the development machine refuses freplace programs, so libxdp
# cannot build a dispatcher there). busybox sh is enough. Three scenarios, each
# on its own veth pair:
#   A  csumguard first, then xdpctl adds xdp_pass (prio 50, runs after it);
#      detach csumguard -> xdp_pass stays; unload xdp_pass -> no XDP at all
#   B  xdpctl adds xdp_pass at prio 5 first (runs before csumguard), then
#      csumguard; unload xdp_pass -> csumguard stays and still counts
#   C  xdp-tools' xdp-loader loads xdpfilt_alw_all.o first, then csumguard;
#      detach csumguard -> xdp-loader's program stays; xdp-loader unload -a
# In each: `stats --json` says "dispatcher": true (in "ingress"), libxdp lists both programs,
# frames sent from the peer with sendraw are counted exactly as the reference
# verifier expects (behind or ahead of the other program), and at the end the
# interface is as before: no XDP program, no dispatcher pin in bpffs.
#
# On Debian 11's 5.10 the intended behaviour is different, and tested as
# such ("alone" below; make check-kernels-e2e): its verifier refuses
# csumguard's program as an freplace component of libxdp's dispatcher
# (global functions taking struct xdp_md *: "Unrecognized arg#0 type PTR"),
# so `attach` loads the single-buffer program csumguard_xdpsb on its own and
# says so; another program cannot join it, csumguard cannot join another's
# dispatcher (a one-line error, that program untouched, nothing left behind);
# native XDP with MTU 9000 is refused (single-buffer), generic XDP takes it
# and checks whole jumbo frames; the TC egress program runs on 5.10 too
# (attach attaches both directions: egress.sh tests the egress side).
#   coexist.sh [dispatcher|alone]   (default: alone on 5.10.*, else dispatcher)
#
# Prints PASS:/FAIL: lines and "N passed, M failed"; exit status 1 on any
# failure (or if nothing passed). Tools come from the guest paths below;
# override them with the environment variables to run it elsewhere.
CSUMGUARD=${CSUMGUARD:-/usr/sbin/csumguard}
XDPCTL=${XDPCTL:-/usr/sbin/xdpctl}
SENDRAW=${SENDRAW:-/usr/sbin/sendraw}
IP=${IP:-/usr/bin/ip}                   # iproute2; busybox's ip applet cannot make veths
TC=${TC:-/usr/sbin/tc}                  # iproute2's tc (5.10: the egress filter)
XDP_LOADER=${XDP_LOADER:-/usr/sbin/xdp-loader}
PASS_OBJ=${PASS_OBJ:-/usr/share/csumguard/xdp_pass.bpf.o}
FILT_OBJ=${FILT_OBJ:-/usr/lib/csumguard-vm/bpf/xdpfilt_alw_all.o}   # from xdp-tools
# Debian's libxdp 1.3.1 (static in csumguard, xdpctl and xdp-loader) uses the
# dispatcher object embedded in the library; the copy shipped here is only a
# fallback for a libxdp built without it.
export LIBXDP_OBJECT_PATH="${LIBXDP_OBJECT_PATH:-/usr/lib/csumguard-vm/bpf}"
export CSUMGUARD_PIN_DIR=/sys/fs/bpf/cgco$$
PFX=cgco$$

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
# expect DESCRIPTION CMD...: PASS if CMD succeeds, FAIL otherwise.
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

# ingress JSON: the "ingress" object of one interface's `stats --json`
# (schema 2: per interface "ingress" and "egress"), for jget.
ingress() {
	printf '%s' "$1" | tr -d ' \n' | sed -n 's/.*"ingress":\({.*}\),"egress":.*/\1/p'
}

# The interface's XDP state, from two tools that are not csumguard.
xdp_state() { # IFACE: "none" or the xdpctl list lines, joined by ';'
	"$XDPCTL" list "$1" 2>&1 | tr '\n' ';'
}
has_prog() { # IFACE NAME: libxdp lists NAME among the dispatcher's programs
	"$XDPCTL" list "$1" 2>/dev/null | grep -q "^prog $2 "
}
ip_has_xdp() { # IFACE: iproute2 sees an XDP program on IFACE
	"$IP" -d link show dev "$1" 2>/dev/null | grep -q 'prog/xdp'
}
dispatcher_pins() { # IFACE: libxdp's pinned dispatcher state for IFACE
	idx=$(cat "/sys/class/net/$1/ifindex" 2>/dev/null)
	ls -d /sys/fs/bpf/xdp/dispatch-"$idx"-* 2>/dev/null
}

cleanup() {
	for s in a b c d; do
		"$IP" link del "${PFX}${s}0" 2>/dev/null
	done
	"$CSUMGUARD" detach "${PFX}a0" --purge >/dev/null 2>&1
	"$CSUMGUARD" detach "${PFX}b0" --purge >/dev/null 2>&1
	"$CSUMGUARD" detach "${PFX}c0" --purge >/dev/null 2>&1
	"$CSUMGUARD" detach "${PFX}d0" --purge >/dev/null 2>&1
	rm -rf "$CSUMGUARD_PIN_DIR" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# mkveth NAME: NAME0 (XDP side) <-> NAME1 (sender side), both up. Records the
# XDP state before the test in $BEFORE.
mkveth() {
	run "$IP" link add "${1}0" type veth peer name "${1}1" &&
		run "$IP" link set "${1}0" up && run "$IP" link set "${1}1" up || return 1
	BEFORE=$(xdp_state "${1}0")
	if [ "$BEFORE" = "none;" ] && ! ip_has_xdp "${1}0"; then
		pass "${1}0: created, no XDP program on it before the test"
	else
		fail "${1}0: created, but it has XDP already ($BEFORE)"
		return 1
	fi
}

# assert_both IFACE WANT...: csumguard's stats say attached through the
# dispatcher, and libxdp lists exactly the programs WANT (in any order).
assert_both() {
	ifc=$1
	shift
	run "$CSUMGUARD" stats "$ifc" --json >/dev/null
	ING=$(ingress "$OUT")
	att=$(jget "$ING" "" attached)
	dsp=$(jget "$ING" "" dispatcher)
	if [ "$att" = true ] && [ "$dsp" = true ]; then
		pass "$ifc: csumguard stats --json: \"attached\": true, \"dispatcher\": true"
	else
		fail "$ifc: csumguard stats --json: attached=$att dispatcher=$dsp (want true, true)"
	fi
	run "$XDPCTL" list "$ifc"
	st=$OUT
	want=$#
	ok=1
	printf '%s\n' "$st" | grep -q "^dispatcher native $want\$" || ok=0
	for p in "$@"; do
		has_prog "$ifc" "$p" || ok=0
	done
	if [ $ok = 1 ]; then
		pass "$ifc: libxdp lists one native dispatcher with $want programs: $*"
	else
		fail "$ifc: libxdp should list a native dispatcher with exactly: $*"
	fi
	if ip_has_xdp "$ifc" && "$IP" -d link show dev "$ifc" | grep -q 'name xdp_dispatcher'; then
		pass "$ifc: iproute2 shows libxdp's xdp_dispatcher as the interface's XDP program"
	else
		fail "$ifc: iproute2 does not show xdp_dispatcher on the interface"
		"$IP" -d link show dev "$ifc" | sed 's/^/    /'
	fi
}

# traffic IFACE WHAT CASE|GROUP...: send the cases from IFACE's peer (NAME1)
# and check csumguard's tunnel counters grow exactly by sendraw's expectation.
traffic() {
	ifc=$1
	what=$2
	shift 2
	peer=${ifc%0}1
	run "$CSUMGUARD" stats "$ifc" --json >/dev/null
	ING=$(ingress "$OUT")
	t0=$(jget "$ING" counters tunnel)
	ok0=$(jget "$ING" verdicts ok)
	bad0=$(jget "$ING" verdicts bad)
	un0=$(jget "$ING" verdicts unfinished)
	z0=$(jget "$ING" verdicts zero)
	echo "  \$ $SENDRAW $peer $*"
	if ! OUT=$("$SENDRAW" "$peer" "$@" 2>&1); then
		printf '%s\n' "$OUT" | sed 's/^/    /'
		fail "$ifc: sendraw $* from $peer failed ($what)"
		return
	fi
	# Its summary only (the per-source and per-case lines follow it).
	printf '%s\n' "$OUT" | grep -E '"(sent|kinds|verdicts)"' | sed 's/^ */    /'
	et=$(jget "$OUT" kinds tunnel)
	eok=$(jget "$OUT" verdicts ok)
	ebad=$(jget "$OUT" verdicts bad)
	eun=$(jget "$OUT" verdicts unfinished)
	ez=$(jget "$OUT" verdicts zero)
	if [ -z "$et" ] || [ "$et" -eq 0 ]; then
		fail "$ifc: sendraw sent no tunnel frames ($what)"
		return
	fi
	# The peer's NAPI runs the frames soon, not at once: wait up to ~10 s.
	i=0
	while :; do
		OUT=$("$CSUMGUARD" stats "$ifc" --json 2>&1)
		ING=$(ingress "$OUT")
		t1=$(jget "$ING" counters tunnel)
		[ -n "$t1" ] && [ "$t1" -ge $((t0 + et)) ] && break
		i=$((i + 1))
		[ $i -ge 50 ] && break
		sleep 0.2
	done
	ok1=$(jget "$ING" verdicts ok)
	bad1=$(jget "$ING" verdicts bad)
	un1=$(jget "$ING" verdicts unfinished)
	z1=$(jget "$ING" verdicts zero)
	got="tunnel +$((t1 - t0)) ok +$((ok1 - ok0)) bad +$((bad1 - bad0)) unfinished +$((un1 - un0)) zero +$((z1 - z0))"
	want="tunnel +$et ok +$eok bad +$ebad unfinished +$eun zero +$ez"
	if [ "$got" = "$want" ]; then
		pass "$ifc: csumguard counted the frames $what: $got"
	else
		fail "$ifc: csumguard's counters $what: $got; reference verifier: $want"
	fi
}

# assert_clean IFACE: the interface is as before the test (no XDP, no dispatcher pin).
assert_clean() {
	ifc=$1
	st=$(xdp_state "$ifc")
	if [ "$st" = "$BEFORE" ] && ! ip_has_xdp "$ifc" && [ -z "$(dispatcher_pins "$ifc")" ]; then
		pass "$ifc: no XDP program left, as before the test (libxdp: none, iproute2: no prog/xdp, no dispatcher pin)"
	else
		fail "$ifc: left behind: libxdp '$st' (before: '$BEFORE'), pins: $(dispatcher_pins "$ifc" | tr '\n' ' ')"
		"$IP" -d link show dev "$ifc" | sed 's/^/    /'
	fi
}

# assert_only IFACE NAME: csumguard is gone, NAME alone is still attached.
assert_only() {
	ifc=$1
	run "$XDPCTL" list "$ifc"
	if has_prog "$ifc" "$2" && ! has_prog "$ifc" csumguard_xdp; then
		pass "$ifc: $2 still attached, csumguard_xdp gone"
	else
		fail "$ifc: want $2 attached and csumguard_xdp gone"
	fi
}

# egress JSON: the "egress" object of one interface's `stats --json`.
egress() {
	printf '%s' "$1" | tr -d ' \n' | sed -n 's/.*"egress":\({.*}\)}\]}$/\1/p'
}
# assert_egress IFACE WANT: csumguard's clsact egress filter attached (true)
# or not (false), as stats --json says (`attach` does both directions).
assert_egress() {
	run "$CSUMGUARD" stats "$1" --json >/dev/null
	att=$(jget "$(egress "$OUT")" "" attached)
	if [ "$att" = "$2" ]; then
		pass "$1: csumguard stats --json: egress \"attached\": $2"
	else
		fail "$1: csumguard stats --json: egress attached=$att (want $2)"
	fi
}

assert_detached_stats() { # IFACE: stats say not attached, counters kept
	run "$CSUMGUARD" stats "$1" --json >/dev/null
	ING=$(ingress "$OUT")
	att=$(jget "$ING" "" attached)
	t=$(jget "$ING" counters tunnel)
	if [ "$att" = false ] && [ -n "$t" ] && [ "$t" -gt 0 ]; then
		pass "$1: csumguard stats: \"attached\": false, counters kept (tunnel $t)"
	else
		fail "$1: csumguard stats after detach: attached=$att tunnel=$t (want false, > 0)"
	fi
}

EXPECT=${1:-}
if [ -z "$EXPECT" ]; then
	case $(uname -r) in
	5.10.*) EXPECT=alone ;;
	*) EXPECT=dispatcher ;;
	esac
fi
case $EXPECT in
dispatcher | alone) ;;
*) echo "usage: coexist.sh [dispatcher|alone]" >&2; exit 2 ;;
esac

echo "== coexist: csumguard and other XDP programs on one interface (libxdp dispatcher)"
echo "   kernel $(uname -r); expected behaviour: $EXPECT; LIBXDP_OBJECT_PATH=$LIBXDP_OBJECT_PATH; pins $CSUMGUARD_PIN_DIR"
for t in "$CSUMGUARD" "$XDPCTL" "$SENDRAW" "$IP" "$XDP_LOADER" "$PASS_OBJ" "$FILT_OBJ"; do
	[ -e "$t" ] || fail "missing $t in the guest"
done
mountpoint -q /sys/fs/bpf 2>/dev/null || grep -q ' /sys/fs/bpf bpf ' /proc/mounts ||
	fail "no bpffs on /sys/fs/bpf"
run "$CSUMGUARD" --version

# ip_xdp_name IFACE: the name of the XDP program iproute2 sees on IFACE.
ip_xdp_name() {
	"$IP" -d link show dev "$1" 2>/dev/null | sed -n 's/.*prog\/xdp id [0-9]* name \([^ ]*\).*/\1/p'
}
# no_state IFACE: csumguard left no pinned state for IFACE.
no_state() {
	[ ! -e "$CSUMGUARD_PIN_DIR/ifaces/$1" ]
}

if [ "$EXPECT" = alone ]; then
	# --- 5.10: csumguard runs alone, or not at all -------------------------------
	echo
	echo "== A (alone): csumguard attaches alone; another program cannot join it"
	A=${PFX}a
	if mkveth "$A"; then
		expect "${A}0: csumguard attach" "$CSUMGUARD" attach "${A}0"
		ATT=$OUT
		if printf '%s\n' "$ATT" | grep -q "native XDP, single-buffer program csumguard_xdpsb (kernel $(uname -r) has no multi-buffer XDP), alone: this kernel's freplace verifier refuses csumguard's program as a libxdp dispatcher component"; then
			pass "${A}0: attach says: single-buffer program, alone, and why"
		else
			fail "${A}0: attach should say single-buffer program csumguard_xdpsb, alone, and why"
		fi
		if ! printf '%s\n' "$ATT" | grep -q "^egress not attached" &&
			"$TC" filter show dev "${A}0" egress | grep -q "name csumguard_tc\( \|$\)"; then
			pass "${A}0: attach attached the egress side too (csumguard_tc)"
		else
			fail "${A}0: attach should attach egress as well (filter csumguard_tc)"
		fi
		run "$CSUMGUARD" stats "${A}0" --json >/dev/null
		ING=$(ingress "$OUT")
		if [ "$(jget "$ING" "" attached)" = true ] && [ "$(jget "$ING" "" dispatcher)" = false ] &&
			printf '%s' "$ING" | grep -q '"xdp_variant":"single-buffer"' &&
			[ "$(jget "$(egress "$OUT")" "" attached)" = true ]; then
			pass "${A}0: stats --json: attached, \"dispatcher\": false, \"xdp_variant\": \"single-buffer\", egress attached"
		else
			fail "${A}0: stats --json should say attached, dispatcher false, xdp_variant single-buffer, egress attached"
		fi
		run "$CSUMGUARD" stats "${A}0"
		if printf '%s\n' "$OUT" | grep -q "^${A}0: attached (native XDP, single-buffer program, sole XDP program)"; then
			pass "${A}0: stats: attached (native XDP, single-buffer program, sole XDP program)"
		else
			fail "${A}0: stats should say: attached (native XDP, single-buffer program, sole XDP program)"
		fi
		if [ "$(ip_xdp_name "${A}0")" = csumguard_xdpsb ]; then
			pass "${A}0: iproute2 shows csumguard_xdpsb itself as the XDP program (no dispatcher)"
		else
			fail "${A}0: iproute2 shows '$(ip_xdp_name "${A}0")', want csumguard_xdpsb"
		fi
		traffic "${A}0" "(alone)" basic
		if run "$XDPCTL" load "${A}0" "$PASS_OBJ"; then
			fail "${A}0: xdpctl loaded xdp_pass beside csumguard (it runs alone here)"
		else
			pass "${A}0: xdpctl cannot load xdp_pass beside csumguard (it runs alone)"
		fi
		if [ "$(ip_xdp_name "${A}0")" = csumguard_xdpsb ]; then
			pass "${A}0: csumguard_xdpsb still the interface's XDP program"
		else
			fail "${A}0: csumguard_xdpsb replaced by '$(ip_xdp_name "${A}0")'"
		fi
		traffic "${A}0" "(still, after the refused join)" v6_ok v6_bad v6_zero v6_unfinished
		expect "${A}0: csumguard detach" "$CSUMGUARD" detach "${A}0"
		assert_detached_stats "${A}0"
		assert_clean "${A}0"
		run "$CSUMGUARD" detach "${A}0" --purge
	fi

	# refused_join IFACE OWNER: csumguard attach must fail with the line
	# saying why, leave OWNER's program as it was and no state behind.
	refused_join() {
		before=$(xdp_state "$1")
		if run "$CSUMGUARD" attach "$1"; then
			fail "$1: csumguard attach joined $2's dispatcher (it cannot on this kernel)"
			return
		fi
		if [ "$(printf '%s\n' "$OUT" | wc -l)" -eq 1 ] &&
			printf '%s\n' "$OUT" | grep -q "^csumguard: $1 already runs XDP programs ($2), and csumguard cannot join them on this kernel ($(uname -r)): its freplace verifier refuses csumguard's program as a libxdp dispatcher component"; then
			pass "$1: csumguard attach refused in one line naming $2 and why"
		else
			fail "$1: csumguard attach should fail in one line naming $2 and the freplace refusal"
		fi
		if [ "$(xdp_state "$1")" = "$before" ] && no_state "$1"; then
			pass "$1: $2 untouched ($before), no csumguard state left"
		else
			fail "$1: after the refused attach: libxdp '$(xdp_state "$1")' (before '$before'), state: $(ls "$CSUMGUARD_PIN_DIR/ifaces" 2>&1 | tr '\n' ' ')"
		fi
	}

	echo
	echo "== B (alone): xdp_pass (xdpctl) first: csumguard cannot join its dispatcher"
	Bv=${PFX}b
	if mkveth "$Bv"; then
		expect "${Bv}0: xdpctl loads xdp_pass at prio 5" "$XDPCTL" load "${Bv}0" "$PASS_OBJ" --prio 5
		refused_join "${Bv}0" xdp_pass
		expect "${Bv}0: xdpctl unloads xdp_pass" "$XDPCTL" unload "${Bv}0" xdp_pass
		assert_clean "${Bv}0"
	fi

	echo
	echo "== C (alone): xdp-loader's xdpfilt_alw_all first: csumguard cannot join it"
	C=${PFX}c
	if mkveth "$C"; then
		expect "${C}0: xdp-loader load xdpfilt_alw_all.o" "$XDP_LOADER" load -m native "${C}0" "$FILT_OBJ"
		refused_join "${C}0" xdpfilt_alw_all
		run "$XDP_LOADER" status "${C}0"
		expect "${C}0: xdp-loader unload -a" "$XDP_LOADER" unload -a "${C}0"
		assert_clean "${C}0"
	fi

	echo
	echo "== D (alone): MTU 9000: native XDP refused (single-buffer), generic XDP checks jumbo frames"
	D=${PFX}d
	if mkveth "$D"; then
		run "$IP" link set "${D}0" mtu 9000 && run "$IP" link set "${D}1" mtu 9000
		if run "$CSUMGUARD" attach "${D}0"; then
			fail "${D}0: native attach at MTU 9000 succeeded (single-buffer cannot take it)"
		elif printf '%s\n' "$OUT" | grep -q "^csumguard: ${D}0 has MTU 9000, which native XDP takes only with multi-buffer (xdp.frags) programs, and this kernel ($(uname -r)) has no multi-buffer XDP .*attach with --xdp-mode skb" &&
			no_state "${D}0" && ! ip_has_xdp "${D}0"; then
			pass "${D}0: native attach at MTU 9000 refused in one line (MTU, kernel, --xdp-mode skb), nothing left"
		else
			fail "${D}0: native attach at MTU 9000: want the one-line MTU refusal and nothing left"
		fi
		expect "${D}0: csumguard attach --xdp-mode skb" "$CSUMGUARD" attach "${D}0" --xdp-mode skb
		if [ "$(ip_xdp_name "${D}0")" = csumguard_xdpsb ] &&
			"$IP" -d link show dev "${D}0" | grep -q 'xdpgeneric'; then
			pass "${D}0: csumguard_xdpsb in generic (skb) mode"
		else
			fail "${D}0: want csumguard_xdpsb attached in generic mode"
		fi
		traffic "${D}0" "(9000-byte frames, generic XDP: whole, linear)" jumbo
		expect "${D}0: csumguard detach --purge" "$CSUMGUARD" detach "${D}0" --purge
		assert_clean "${D}0"
	fi
	echo
	echo "$npass passed, $nfail failed"
	[ "$nfail" -eq 0 ] && [ "$npass" -gt 0 ]
	exit
fi

# --- A: csumguard first, then another program ------------------------------------
echo
echo "== A: csumguard attaches first, xdp_pass (xdpctl, prio 50) joins it"
A=${PFX}a
if mkveth "$A"; then
	expect "${A}0: csumguard attach" "$CSUMGUARD" attach "${A}0"
	assert_egress "${A}0" true
	expect "${A}0: xdpctl loads xdp_pass beside it" "$XDPCTL" load "${A}0" "$PASS_OBJ"
	assert_both "${A}0" csumguard_xdp xdp_pass
	traffic "${A}0" "(csumguard prio 10 runs first, xdp_pass after it)" basic
	expect "${A}0: csumguard detach" "$CSUMGUARD" detach "${A}0"
	assert_egress "${A}0" false
	assert_only "${A}0" xdp_pass
	assert_detached_stats "${A}0"
	expect "${A}0: xdpctl unloads xdp_pass" "$XDPCTL" unload "${A}0" xdp_pass
	assert_clean "${A}0"
	run "$CSUMGUARD" detach "${A}0" --purge
fi

# --- B: another program first (runs before csumguard), then csumguard ------------
echo
echo "== B: xdp_pass (xdpctl, prio 5: runs before csumguard) first, then csumguard"
Bv=${PFX}b
if mkveth "$Bv"; then
	expect "${Bv}0: xdpctl loads xdp_pass at prio 5" "$XDPCTL" load "${Bv}0" "$PASS_OBJ" --prio 5
	expect "${Bv}0: csumguard attach joins the dispatcher" "$CSUMGUARD" attach "${Bv}0"
	assert_both "${Bv}0" csumguard_xdp xdp_pass
	run "$XDPCTL" list "${Bv}0"
	if printf '%s\n' "$OUT" | sed -n 2p | grep -q '^prog xdp_pass ' &&
		printf '%s\n' "$OUT" | sed -n 3p | grep -q '^prog csumguard_xdp '; then
		pass "${Bv}0: run order xdp_pass (5) then csumguard_xdp (10)"
	else
		fail "${Bv}0: run order should be xdp_pass (5) then csumguard_xdp (10)"
	fi
	traffic "${Bv}0" "(behind xdp_pass, through chain-call on XDP_PASS)" basic
	expect "${Bv}0: xdpctl unloads xdp_pass" "$XDPCTL" unload "${Bv}0" xdp_pass
	run "$XDPCTL" list "${Bv}0"
	if has_prog "${Bv}0" csumguard_xdp && ! has_prog "${Bv}0" xdp_pass; then
		pass "${Bv}0: csumguard_xdp still attached, xdp_pass gone"
	else
		fail "${Bv}0: want csumguard_xdp attached and xdp_pass gone"
	fi
	traffic "${Bv}0" "(alone in the dispatcher after xdp_pass left)" v6_ok v6_bad v6_zero v6_unfinished
	expect "${Bv}0: csumguard detach --purge" "$CSUMGUARD" detach "${Bv}0" --purge
	assert_clean "${Bv}0"
fi

# --- C: xdp-tools' xdp-loader first, then csumguard ------------------------------
echo
echo "== C: xdp-loader (xdp-tools) loads xdpfilt_alw_all first, then csumguard"
C=${PFX}c
if mkveth "$C"; then
	expect "${C}0: xdp-loader load xdpfilt_alw_all.o" "$XDP_LOADER" load -m native "${C}0" "$FILT_OBJ"
	expect "${C}0: csumguard attach joins xdp-loader's dispatcher" "$CSUMGUARD" attach "${C}0"
	assert_both "${C}0" csumguard_xdp xdpfilt_alw_all
	traffic "${C}0" "(beside xdp-tools' filter)" basic
	run "$XDP_LOADER" status "${C}0"
	expect "${C}0: csumguard detach" "$CSUMGUARD" detach "${C}0"
	assert_only "${C}0" xdpfilt_alw_all
	run "$XDP_LOADER" status "${C}0"
	if printf '%s\n' "$OUT" | grep -q 'xdpfilt_alw_all' && ! printf '%s\n' "$OUT" | grep -q csumguard; then
		pass "${C}0: xdp-loader status shows its program and no csumguard"
	else
		fail "${C}0: xdp-loader status should show xdpfilt_alw_all only"
	fi
	expect "${C}0: xdp-loader unload -a" "$XDP_LOADER" unload -a "${C}0"
	assert_clean "${C}0"
	run "$CSUMGUARD" detach "${C}0" --purge
fi

echo
if [ "$nfail" -gt 0 ]; then
	echo "-- kernel log (last 20 lines):"
	dmesg | tail -n 20 | sed 's/^/    /'
fi
echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ] && [ "$npass" -gt 0 ]
