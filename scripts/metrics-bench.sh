#!/usr/bin/env bash
# scripts/metrics-bench.sh - `make bench-metrics`: the agent's series count
# and scrape time at fleet scale (issue 9). In a network namespace of its
# own: a veth pair, csumguard attached (ingress, skb mode) with a table of
# SOURCES rows, filled directly with SOURCES sources (BAD of them with bad
# checksums), then build/bench/metrics_bench scrapes /metrics 100 times per
# --metrics-sources mode. Removes everything it made on every exit path.
#   sudo scripts/metrics-bench.sh [SOURCES] [BAD] [MODE...]
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=${LAB_BUILD:-$ROOT/build}
N=${1:-16384}
BAD=${2:-16}
shift 2 2>/dev/null || shift $#
P=cgmb$$
NS=$P-ns
PIN=/sys/fs/bpf/$P
MODES=()
for m in "${@:-all nonok top:100}"; do for w in $m; do MODES+=(-m "$w"); done; done

[ "$(id -u)" = 0 ] || { echo "metrics-bench: needs root (namespaces, XDP, bpffs)" >&2; exit 1; }
for f in "$B/csumguard" "$B/bench/metrics_bench"; do
	[ -x "$f" ] || { echo "metrics-bench: missing $f (make bench-metrics builds it)" >&2; exit 1; }
done
cleanup() {
	if ip netns list | grep -qw "$NS"; then
		nsenter --net="/run/netns/$NS" "$B/csumguard" --pin-dir "$PIN" detach mb0 --purge >/dev/null 2>&1
		ip netns del "$NS"
	fi
	[ -e "$PIN" ] && rm -rf -- "$PIN"
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf || exit 1
ip netns add "$NS" || exit 1
ip -n "$NS" link set lo up && ip -n "$NS" link add mb0 type veth peer name mb1 || exit 1
ip -n "$NS" link set mb0 up && ip -n "$NS" link set mb1 up || exit 1
nsenter --net="/run/netns/$NS" "$B/csumguard" --pin-dir "$PIN" attach mb0 --ingress \
	--xdp-mode skb --sources "$N" >/dev/null || exit 1
nsenter --net="/run/netns/$NS" "$B/bench/metrics_bench" -n "$N" -b "$BAD" "${MODES[@]}" "$PIN" mb0
