#!/usr/bin/env bash
# selftests/e2e/run.sh - end-to-end tests of csumguard in the namespace lab
# (scripts/lab.sh): real kernel VXLAN traffic, a TC egress fault injector
# playing the buggy NIC, and crafted frames for what the lab kernel cannot
# make (VLAN, Geneve, GUE, jumbo). Every figure is compared exactly with an
# expectation that does not come from csumguard: the injector's own count of
# what it corrupted or sent, the receiving kernel's Udp InCsumErrors, ping's
# replies, and the reference verifier run over the crafted frames (sendraw).
#
#   sudo selftests/e2e/run.sh [TEST...]     (make check-e2e runs them all)
#   selftests/e2e/run.sh --list             the tests, in the order they run
# The tests live one file per topic, tNN_TOPIC.sh, sourced in name order; each
# appends its test names to E2E_TESTS and defines test_NAME for each.
#   E2E_VERBOSE=1 prints every check, not only the failed ones.
#
# Needs root, build/csumguard, build/fault_inject.bpf.o, build/selftests/sendraw.
# Leaves nothing behind: lab_down runs on every exit path.
set -u
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$E2E_DIR/../../scripts/lab.sh"
Q() { "$LAB_PY" "$E2E_DIR/q.py" "$@"; }

E2E_VERBOSE=${E2E_VERBOSE:-0}
E2E_TMP=$(mktemp -d /tmp/csumguard-e2e.XXXXXX)
PASSED=0 FAILED=0 T_FAIL=0 T_NAME=
FAILED_NAMES=()

cleanup() {
	lab_down
	rm -rf -- "$E2E_TMP"
}
trap cleanup EXIT
trap 'echo "e2e: interrupted" >&2; exit 130' INT TERM

# --- checks ------------------------------------------------------------------
# eq WHAT GOT WANT: one exact check inside the current test.
eq() {
	local shown=$2

	[ "$(wc -l <<<"$2")" -gt 1 ] && shown="($(wc -l <<<"$2") lines)"
	if [ "$2" = "$3" ]; then
		[ "$E2E_VERBOSE" = 1 ] && printf '    ok    %-58s %s\n' "$1" "$shown"
	elif [ "$shown" != "$2" ] || [ "$(wc -l <<<"$3")" -gt 1 ]; then
		printf '    FAIL  %s: differs (- want, + got):\n' "$1"
		diff <(printf '%s\n' "$3") <(printf '%s\n' "$2") | sed 's/^/          /'
		T_FAIL=1
	else
		printf '    FAIL  %-58s got %s, want %s\n' "$1" "$2" "$3"
		T_FAIL=1
	fi
	return 0
}
# gt WHAT GOT MIN: GOT > MIN (used to make sure a test exercised something).
gt() {
	if [ "$2" -gt "$3" ] 2>/dev/null; then
		[ "$E2E_VERBOSE" = 1 ] && printf '    ok    %-58s %s > %s\n' "$1" "$2" "$3"
	else
		printf '    FAIL  %-58s got %s, want more than %s\n' "$1" "$2" "$3"
		T_FAIL=1
	fi
	return 0
}
fail() { echo "    FAIL  $*"; T_FAIL=1; }
note() { echo "    $*"; }

begin() { T_NAME=$1; T_FAIL=0; T_START=$(date +%s%3N); echo "--- $1: $2"; }
took() { local ms=$(($(date +%s%3N) - T_START)); echo "$((ms / 1000)).$((ms % 1000 / 100)) s"; }
end() {
	if [ "$T_FAIL" = 0 ]; then
		PASSED=$((PASSED + 1))
		echo "PASS $T_NAME ($(took))"
	else
		FAILED=$((FAILED + 1))
		FAILED_NAMES+=("$T_NAME")
		echo "FAIL $T_NAME ($(took))"
	fi
}

# --- helpers -------------------------------------------------------------------
stats() { lab_cg rx stats "$1" --json; }		# IFACE
src() { Q src "$1" "$2" "$3" <<<"$4"; }			# IFACE ADDR FIELD JSON
ctr() { Q counter "$1" "$2" <<<"$3"; }			# IFACE NAME JSON
key() { Q key "$1" <<<"$2"; }				# NAME JSON
field() { Q field "$1" "$2" <<<"$3"; }			# IFACE KEY JSON

# Waits until the receiver's frame counter on IFACE stops moving (in-flight
# frames of the last burst are counted) - at most about 3 s.
settle() {
	local prev=-1 cur

	for _ in $(seq 30); do
		sleep 0.1
		cur=$(lab_cg rx stats "$1" --json 2>/dev/null | Q counter "$1" frames)
		[ "$cur" = "$prev" ] && return 0
		prev=$cur
	done
}

attached() { lab_exec rx ip -d link show dev "$1" | grep -q 'prog/xdp'; }

# Traffic of one burst from NODE: flood pings (outer checksum finished after
# TC egress) and UDP (outer checksum final at TC egress), over IPv4 and IPv6
# underlays. COUNTS: "ping4 udp4 ping6 udp6".
burst() {
	local n=$1 p4=$2 u4=$3 p6=$4 u6=$5

	[ "$p4" -gt 0 ] && lab_ping "$n" 4 "$p4" >/dev/null
	[ "$u4" -gt 0 ] && lab_udp "$n" 4 "$u4" 300
	[ "$p6" -gt 0 ] && lab_ping "$n" 6 "$p6" >/dev/null
	[ "$u6" -gt 0 ] && lab_udp "$n" 6 "$u6" 300
	return 0
}

OK4=$(lab_ip4 ok) OK6=$(lab_ip6 ok) BAD4=$(lab_ip4 bad) BAD6=$(lab_ip6 bad)

# --- the tests: one file per topic, each appends its names to E2E_TESTS -------------
E2E_TESTS=()
for t_file in "$E2E_DIR"/t[0-9][0-9]_*.sh; do
	. "$t_file"
done
ALL_TESTS=("${E2E_TESTS[@]}")
if [ "${1:-}" = --list ]; then
	printf '%s\n' "${ALL_TESTS[@]}"
	exit 0
fi
TESTS=("$@")
[ ${#TESTS[@]} -gt 0 ] || TESTS=("${ALL_TESTS[@]}")

# --- main ---------------------------------------------------------------------------
for t in "${TESTS[@]}"; do
	case " ${ALL_TESTS[*]} " in *" $t "*) ;; *) echo "e2e: unknown test '$t' (${ALL_TESTS[*]})" >&2; exit 2 ;; esac
done
for f in "$LAB_CSUMGUARD" "$LAB_FAULT_OBJ" "$LAB_SENDRAW"; do
	[ -e "$f" ] || { echo "e2e: missing $f (make check-e2e builds it)"; echo "0 passed, 1 failed"; exit 1; }
done
START=$(date +%s)
echo "e2e: lab $LAB_P (namespaces $LAB_P-{br,rx,ok,bad}, pins $LAB_PIN)"
if ! lab_up; then
	echo "FAIL lab setup"
	echo "0 passed, 1 failed"
	exit 1
fi
for t in "${TESTS[@]}"; do
	"test_$t"
	# A failed test must not leak state into the next one.
	for ifc in up0 raw1; do
		if attached "$ifc"; then
			lab_cg rx detach "$ifc" --purge >/dev/null 2>&1 ||
				lab_nsenter rx xdp-loader unload --all "$ifc" >/dev/null 2>&1
		fi
		if cg_filter "$ifc"; then
			lab_cg rx detach "$ifc" --purge >/dev/null 2>&1 ||
				lab_exec rx tc qdisc del dev "$ifc" clsact 2>/dev/null
		fi
	done
	for n in ok bad; do	# egress tests attach on the senders with their own pins
		lab_nsenter "$n" "$LAB_CSUMGUARD" --pin-dir "$(lab_pin "$n")" detach up0 --purge \
			>/dev/null 2>&1
		rm -rf -- "$(lab_pin "$n")"
	done
	lab_cg rx unblock "$BAD4" >/dev/null 2>&1
	lab_cg rx unblock "$BAD6" >/dev/null 2>&1
	rm -rf -- "${LAB_PIN:?}/ifaces"
done
echo "--- figures"
[ -n "${E2E_FIG_MONITOR:-}" ] && printf 'monitor:\n%s\n' "$E2E_FIG_MONITOR"
[ -n "${E2E_FIG_DROP:-}" ] && echo "drop:    $E2E_FIG_DROP"
[ -n "${E2E_FIG_CRAFTED:-}" ] && echo "crafted: $E2E_FIG_CRAFTED"
[ -n "${E2E_FIG_GSOMETA:-}" ] && echo "gsometa: $E2E_FIG_GSOMETA"
[ -n "${E2E_FIG_DIAG:-}" ] && echo "diagnose: $E2E_FIG_DIAG"
[ -n "${E2E_FIG_DOCTOR:-}" ] && echo "doctor (node-3's up0): $E2E_FIG_DOCTOR"
[ -n "${E2E_FIG_WATCH_LIVE:-}" ] && printf 'watch (tmux 80x24, during the traffic):\n%s\n' "$E2E_FIG_WATCH_LIVE"
[ -n "${E2E_FIG_WATCH:-}" ] && printf 'watch (tmux 80x24, after it):\n%s\n' "$E2E_FIG_WATCH"
summary="e2e: $(($(date +%s) - START)) s"
[ "$FAILED" -gt 0 ] && summary+=", failed: ${FAILED_NAMES[*]}"
echo "$summary"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
