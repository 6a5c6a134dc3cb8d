#!/usr/bin/env bash
# selftests/memcheck.sh - the csumguard command's main paths under valgrind
# memcheck (make check-valgrind): attach (both directions, and each alone) on
# a veth pair in a network namespace of its own, stats (table and --json),
# block / unblock / blocklist, ledger over two real snapshots, detach and
# detach --purge, and the error paths (unknown interface, bad option, bad
# value, unknown command, missing file). A definite or indirect leak, or any
# memory error, fails the path; so does an exit status other than the one
# the row states.
#
#   sudo selftests/memcheck.sh [build/csumguard]
#
# Adding a path is one row of MEMCHECK_PATHS below. Leaves nothing behind:
# the namespace, the pins and the scratch files go on every exit path.
#
# valgrind runs with --undef-value-errors=no: valgrind 3.19 does not model
# what the kernel writes through several bpf() commands (it warns "unhandled
# eBPF command" for BPF_MAP_LOOKUP_BATCH and BPF_PROG_BIND_MAP, and does not
# mark the buffers BPF_OBJ_GET_INFO_BY_FD fills through pointers: map ids,
# BTF), so every read of them - in libbpf, libxdp and csumguard alike - would
# be reported as uninitialised. Reads of uninitialised memory in our own code
# are the ASan/UBSan build's and the compiler's (-Wall -Wextra) to find;
# leaks, invalid reads and writes, bad frees and bad syscall buffers are
# checked here. Suppressions (memcheck.supp) say each why.
set -u

CG=${1:-build/csumguard}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
P=cgvg$$
NS=$P
PIN=/sys/fs/bpf/$P
TMP=$(mktemp -d /tmp/csumguard-memcheck.XXXXXX)
VG_RC=97	# valgrind's exit status when it found an error

# --- the paths: NAME, the exit status the command must give, its arguments ---
# Run inside the namespace as `csumguard --pin-dir PIN ARGS`, in this order
# (later rows see the state earlier ones made). $TMP holds scratch files;
# arguments are read by the shell (quotes work). vg0's peer is vg1.
MEMCHECK_PATHS=(
	"attach          0  attach vg0"
	"attach-again    1  attach vg0"
	"stats           0  stats vg0"
	"stats-all       0  stats --sort packets"
	"stats-json      0  stats --json"
	"block           0  block 10.77.0.9 --reason 'memcheck test'"
	"block-all       0  block fd77::9 --all-traffic"
	"blocklist       0  blocklist"
	"blocklist-json  0  blocklist --json"
	"unblock         0  unblock 10.77.0.9"
	"unblock-v6      0  unblock fd77::9"
	"ledger          0  ledger $TMP/a.json $TMP/b.json"
	"ledger-json     0  ledger $TMP/a.json $TMP/b.json --json --a-addr 10.77.0.1"
	"detach-ingress  0  detach vg0 --ingress"
	"attach-ingress  0  attach vg0 --ingress --mode drop --port gue:6080"
	"detach          0  detach vg0"
	"attach-egress   0  attach vg1 --egress"
	"detach-purge    0  detach vg1 --purge"
	"detach-purge-0  0  detach vg0 --purge"
	"no-interface    1  attach nosuch0"
	"stats-no-iface  1  stats nosuch0"
	"detach-none     1  detach vg1"
	"bad-option      2  stats --bogus"
	"bad-value       2  attach vg0 --port vxlan:0"
	"bad-address     2  block 224.0.0.1"
	"no-command      2  frobnicate"
	"ledger-no-file  1  ledger $TMP/none.json $TMP/a.json"
	"ledger-bad-json 1  ledger $TMP/a.json $TMP/bad.json"
	"help            0  attach --help"
	"version         0  --version"
	"agent           0  agent --config $TMP/agent.conf --listen 127.0.0.1:9469 --textfile $TMP/m.prom --interval 1"
	"agent-pinned    0  agent --listen 127.0.0.1:9469 --metrics-sources all"
	"agent-detach0   0  detach vg0 --purge"
	"agent-detach1   0  detach vg1 --purge"
)
# Rows whose command is agent run in the background, driven by agent_drive:
# it waits for /metrics to answer, scrapes it (curl), writes vg1 into
# $TMP/agent.conf and sends SIGHUP (a reload that attaches vg1), scrapes
# again, then SIGTERM; the row's status is the agent's exit status. A scrape
# without an interface's series fails the row.
printf 'interface vg0\n' >"$TMP/agent.conf"

cleanup() {
	if [ -e "/run/netns/$NS" ]; then
		for i in vg0 vg1; do
			nsenter --net="/run/netns/$NS" "$CG" --pin-dir "$PIN" detach "$i" --purge \
				>/dev/null 2>&1
		done
		ip netns del "$NS" 2>/dev/null
	fi
	rm -rf -- "$PIN" "$TMP"
}
trap cleanup EXIT
trap 'echo "memcheck: interrupted" >&2; exit 130' INT TERM

die() { echo "memcheck: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (a network namespace, XDP and TC attach); run: sudo $0"
command -v valgrind >/dev/null || die "valgrind is missing; run: sudo scripts/deps.sh"
[ -x "$CG" ] || die "$CG missing; make builds it"
file -L "$CG" 2>/dev/null | grep -q 'dynamically linked' ||
	die "$CG is not a plain dynamic build (valgrind cannot run an ASan build: make check-valgrind without SANITIZE=1)"

ip netns add "$NS" || die "cannot create network namespace $NS"
ip -n "$NS" link set lo up &&
	ip -n "$NS" link add vg0 type veth peer name vg1 &&
	ip -n "$NS" addr add 10.77.0.1/24 dev vg0 &&
	ip -n "$NS" addr add 10.77.0.2/24 dev vg1 &&
	ip -n "$NS" link set vg0 up && ip -n "$NS" link set vg1 up ||
	die "cannot set up the veth pair in $NS"
cg() { nsenter --net="/run/netns/$NS" "$CG" --pin-dir "$PIN" "$@"; }

# Two real snapshots for ledger, taken by a plain run (vg1 sends, vg0
# receives; both attached for the moment), and a broken one.
cg attach vg0 >/dev/null && cg attach vg1 >/dev/null || die "attach for the snapshots failed"
cg stats vg1 --json >"$TMP/a.json" && sleep 1 && cg stats vg0 --json >"$TMP/b.json" ||
	die "stats --json for the snapshots failed"
cg detach vg0 --purge >/dev/null && cg detach vg1 --purge >/dev/null ||
	die "detach after the snapshots failed"
head -c 100 "$TMP/a.json" >"$TMP/bad.json"

VG=(valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect
    --errors-for-leak-kinds=definite,indirect --undef-value-errors=no
    --error-exitcode=$VG_RC --suppressions="$HERE/memcheck.supp"
    --log-file="$TMP/vg.log")

# scrape PORT OUT: /metrics of the agent in the namespace into OUT.
scrape() { nsenter --net="/run/netns/$NS" curl -sf --max-time 10 "http://127.0.0.1:$1/metrics" >"$2"; }
# wait_for SECONDS CMD...: CMD until it succeeds (every 0.5 s), at most SECONDS.
wait_for() {
	local end=$((SECONDS + $1))

	shift
	until "$@"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.5
	done
}
has_iface() { grep -q "^csumguard_.*interface=\"$2\"" "$1"; }	# FILE IFACE
scrape_has() { scrape "$1" "$2" && has_iface "$2" "$3"; }	# PORT OUT IFACE
# agent_drive ARGS...: the agent under valgrind (see the rows); its exit
# status, or 99 when what it served was wrong. Valgrind makes an attach
# take a minute or more on a busy machine: generous waits.
agent_drive() {
	local port=9469 pid rc why= want=vg0

	nsenter --net="/run/netns/$NS" "${VG[@]}" "$CG" --pin-dir "$PIN" "$@" \
		>"$TMP/out" 2>"$TMP/err" &
	pid=$!
	if ! wait_for 300 grep -q 'msg="serving /metrics' "$TMP/err"; then
		why="never served /metrics"
	elif ! wait_for 60 scrape_has $port "$TMP/scrape1" vg0; then
		why="/metrics without vg0's series"
	else
		case " $* " in
		*" --config "*)	# the reload attaches vg1; --textfile was written
			want=vg1
			printf 'interface vg0\ninterface vg1\n' >"$TMP/agent.conf"
			has_iface "$TMP/m.prom" vg0 || why="--textfile without vg0's series";;
		esac
		kill -HUP $pid
		wait_for 300 scrape_has $port "$TMP/scrape2" $want ||
			why=${why:-"/metrics without the series of $want after SIGHUP"}
		[ $want = vg0 ] && ! wait_for 30 grep -q 'SIGHUP: no --config' "$TMP/err" &&
			why="${why:-SIGHUP not logged}"
	fi
	kill -TERM $pid 2>/dev/null
	wait $pid
	rc=$?
	[ -z "$why" ] && return $rc
	echo "agent: $why" >>"$TMP/err"
	return 99
}

passed=0 failed=0
for row in "${MEMCHECK_PATHS[@]}"; do
	read -r name want args <<<"$row"
	eval "set -- $args"
	rm -f "$TMP/vg.log"
	if [ "$1" = agent ]; then
		agent_drive "$@"
		rc=$?
	else
		nsenter --net="/run/netns/$NS" "${VG[@]}" "$CG" --pin-dir "$PIN" "$@" \
			>"$TMP/out" 2>"$TMP/err"
		rc=$?
	fi
	# valgrind's own warnings about bpf() commands it does not model
	errs=$(grep -v 'WARNING: unhandled eBPF command' "$TMP/vg.log" 2>/dev/null)
	if [ "$rc" = "$want" ] && [ -z "$errs" ]; then
		passed=$((passed + 1))
		echo "ok   - memcheck $name: csumguard $args (exit $rc, no leak, no error)"
	else
		failed=$((failed + 1))
		if [ "$rc" = "$VG_RC" ] || [ -n "$errs" ]; then
			echo "FAIL - memcheck $name: csumguard $args: valgrind found errors:"
			printf '%s\n' "$errs" | sed 's/^/    /' | head -60
		else
			echo "FAIL - memcheck $name: csumguard $args: exit $rc, want $want"
		fi
		sed 's/^/    stderr: /' "$TMP/err" | tail -5
	fi
done
echo "memcheck: valgrind $(valgrind --version | sed 's/valgrind-//'), ${#MEMCHECK_PATHS[@]} paths"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
