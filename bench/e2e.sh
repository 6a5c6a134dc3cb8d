#!/usr/bin/env bash
# bench/e2e.sh - what a user feels (issue 13, item 4): iperf3 TCP and UDP
# through the lab's real VXLAN-over-veth path (scripts/lab.sh: node "ok"
# sends to the receiver "rx" over vx4, 10.100.0.2 -> 10.100.0.1), in three
# configurations measured in the same run, interleaved, the order rotated
# every round:
#   none       nothing attached
#   pass       an XDP program that passes at once (bench/xdp_pass.bpf.c) on
#              the receiver's up0 and a TC one (bench/tc_pass.bpf.c) at the
#              sender's up0 egress: the cost of having *a* program there
#              (native XDP on veth switches the receive path to NAPI)
#   csumguard  csumguard attach up0 --ingress on the receiver (XDP) and
#              attach up0 --egress on the sender (TC)
# The lab's fault injector on the sender (a TC program) is removed first:
# nothing else runs on the path.
#
# Per run: received throughput (iperf3 -J sum_received), and CPU two ways:
#   rusage  the iperf3 client's and server's own CPU (iperf3 reports its
#           getrusage(RUSAGE_SELF) user+system; with tick accounting, as
#           here, that includes the softirq work - veth, VXLAN, XDP, TC -
#           that ran in their context, not what ran in ksoftirqd)
#   stat    every CPU's busy time from /proc/stat (user+nice+system+irq+
#           softirq): all the path's work, but also every other process on
#           the machine
# each as CPU-seconds per Gbit received. Each csumguard run is checked:
# csumguard's ingress counters moved (tunnel frames, verdict ok only) and its
# egress counters moved, or the run fails.
#
#   sudo make bench-e2e [E2E_BENCH_ARGS="-r 7 -t 5"]
#   sudo bench/e2e.sh [-r ROUNDS] [-t SECONDS] [-l UDP_LEN] [-s]
# -s: after the rounds, one more csumguard run per protocol with the kernel's
# BPF run-time statistics on (sysctl kernel.bpf_stats_enabled, put back as it
# was): the XDP and TC programs' own ns per run on the real path. Off by
# default: while on, every BPF program on the machine pays for it.
# Needs root, iperf3 (scripts/deps.sh), build/csumguard, build/*.bpf.o. Not
# part of make check: its figures depend on the machine.
set -u
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROUNDS=5 SECS=5 ULEN=1350 STATS=0

die() { echo "bench-e2e: FAIL: $*" >&2; exit 1; }
while getopts "r:t:l:sh" o; do
	case $o in
	s) STATS=1 ;;
	r) ROUNDS=$OPTARG ;;
	t) SECS=$OPTARG ;;
	l) ULEN=$OPTARG ;;
	*) echo "usage: $0 [-r ROUNDS] [-t SECONDS] [-l UDP_PAYLOAD_LEN] [-s]" >&2; exit 2 ;;
	esac
done
[ "$ROUNDS" -ge 1 ] 2>/dev/null && [ "$SECS" -ge 1 ] 2>/dev/null ||
	die "-r and -t take positive numbers"

command -v iperf3 >/dev/null || die "iperf3 is missing; install it: sudo scripts/deps.sh"
[ "$(id -u)" -eq 0 ] || die "needs root (namespaces, XDP, TC); run: sudo make bench-e2e"

LAB_P=cgbe$$x
. "$BENCH_DIR/../scripts/lab.sh"
for f in "$LAB_CSUMGUARD" "$LAB_BUILD/xdp_pass.bpf.o" "$LAB_BUILD/tc_pass.bpf.o" "$LAB_FAULT_OBJ"; do
	[ -e "$f" ] || die "no $f; build it: make -j2 all"
done

TMP=$(mktemp -d /tmp/csumguard-bench-e2e.XXXXXX)
SERVER= STATS_WAS=
cleanup() {
	[ -n "$STATS_WAS" ] && sysctl -qw kernel.bpf_stats_enabled="$STATS_WAS"
	[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
	lab_down
	rm -rf -- "$TMP"
}
trap cleanup EXIT
trap 'echo "bench-e2e: interrupted" >&2; exit 130' INT TERM

DST=$(lab_ov4 rx)

# Busy and total jiffies of all CPUs (the "cpu" line of /proc/stat).
stat_jiffies() {
	awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat
}

config_on() {
	case $1 in
	none) ;;
	pass)
		lab_exec rx ip link set dev up0 xdpdrv obj "$LAB_BUILD/xdp_pass.bpf.o" sec xdp.frags ||
			return 1
		lab_exec ok tc filter add dev up0 egress prio 65520 bpf direct-action \
			obj "$LAB_BUILD/tc_pass.bpf.o" sec tc || return 1
		;;
	csumguard)
		lab_cg rx attach up0 --ingress >/dev/null || return 1
		lab_cg ok attach up0 --egress >/dev/null || return 1
		;;
	esac
}

config_off() {
	case $1 in
	none) ;;
	pass)
		lab_exec rx ip link set dev up0 xdpdrv off &&
			lab_exec ok tc filter del dev up0 egress prio 65520
		;;
	csumguard)
		lab_cg rx detach up0 >/dev/null && lab_cg ok detach up0 >/dev/null
		;;
	esac
}

# ingress tunnel, ok, every other verdict summed, unchecked; egress frames.
cg_counts() {
	{ lab_cg rx stats up0 --json; lab_cg ok stats up0 --json; } | "$LAB_PY" -c '
import json, sys
rx, ok = (json.loads(l) for l in sys.stdin)
i = rx["interfaces"][0]["ingress"]
e = ok["interfaces"][0]["egress"]
v = i["verdicts"]
print(i["counters"]["tunnel"], v["ok"], sum(v.values()) - v["ok"], i["counters"]["unchecked"],
      e["counters"]["tunnel"])'
}

# run ROUND PROTO CONFIG: one iperf3 test, one line appended to runs.tsv.
run() {
	local r=$1 proto=$2 cfg=$3 j=$TMP/$1-$2-$3.json before after s0 s1 args=()

	[ "$proto" = udp ] && args=(-u -b 0 -l "$ULEN")
	config_on "$cfg" || die "cannot set up configuration $cfg"
	[ "$cfg" = csumguard ] && before=$(cg_counts)
	s0=$(stat_jiffies)
	lab_exec ok iperf3 -c "$DST" -t "$SECS" -J "${args[@]}" >"$j" ||
		die "iperf3 $proto ($cfg) failed: $(head -c 300 "$j")"
	s1=$(stat_jiffies)
	if [ "$cfg" = csumguard ]; then
		after=$(cg_counts)
		read -r t0 ok0 oth0 un0 e0 <<<"$before"
		read -r t1 ok1 oth1 un1 e1 <<<"$after"
		[ $((t1 - t0)) -gt 1000 ] && [ $((ok1 - ok0)) = $((t1 - t0)) ] &&
			[ "$oth1" = "$oth0" ] && [ "$un1" = "$un0" ] && [ $((e1 - e0)) -gt 100 ] ||
			die "csumguard did not see the $proto run as expected: ingress tunnel" \
				"$t0->$t1, ok $ok0->$ok1, other verdicts $oth0->$oth1, unchecked" \
				"$un0->$un1, egress tunnel $e0->$e1"
	fi
	config_off "$cfg" || die "cannot remove configuration $cfg"
	"$LAB_PY" -c '
import json, sys
j = json.load(open(sys.argv[1]))
e = j["end"]
rx = e["sum_received"]
c = e["cpu_utilization_percent"]
b0, t0, b1, t1 = map(int, sys.argv[5:9])
print(sys.argv[2], sys.argv[3], sys.argv[4], rx["bits_per_second"] / 1e9, rx["seconds"],
      c["host_total"], c["remote_total"], b1 - b0, t1 - t0, sep="\t")' \
		"$j" "$r" "$proto" "$cfg" $s0 $s1 >>"$TMP/runs.tsv" ||
		die "cannot read iperf3's JSON of the $proto run ($cfg)"
}

echo "bench-e2e: building the lab ($LAB_P)" >&2
lab_up || die "the lab did not come up"
lab_exec ok tc filter del dev up0 egress prio 65530 || die "cannot remove the lab's fault injector"
# Not through lab_exec (a shell function: $! would be its subshell, and the
# server would outlive the kill): ip netns exec execs iperf3 in place.
ip netns exec "$(lab_ns rx)" iperf3 -s -B "$DST" >"$TMP/server.log" 2>&1 &
SERVER=$!
for i in $(seq 50); do
	lab_exec ok iperf3 -c "$DST" -t 1 -J >/dev/null 2>&1 && break	# also a warm-up
	sleep 0.1
done
[ "$i" -lt 50 ] || die "the iperf3 server on $DST does not answer: $(cat "$TMP/server.log")"

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
CONFIGS=(none pass csumguard)
for ((r = 0; r < ROUNDS; r++)); do
	for p in tcp udp; do
		for ((k = 0; k < 3; k++)); do
			run "$r" "$p" "${CONFIGS[$(((k + r) % 3))]}"
		done
	done
	echo "bench-e2e: round $((r + 1))/$ROUNDS done" >&2
done
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

# prog_ns NODE IFACE-SIDE: "run_cnt run_time_ns" of csumguard's program on
# up0 of NODE (rx: the XDP program, ok: the TC egress filter).
prog_ns() {
	local id
	if [ "$1" = rx ]; then
		id=$(lab_exec rx ip -j -d link show dev up0 | "$LAB_PY" -c '
import json, sys
print(json.load(sys.stdin)[0]["xdp"]["prog"]["id"])')
	else
		id=$(lab_exec ok tc -j filter show dev up0 egress | "$LAB_PY" -c '
import json, sys
for f in json.load(sys.stdin):
    p = f.get("options", {}).get("prog")
    if p and p.get("name", "").startswith("csumguard"):
        print(p["id"]); break')
	fi
	bpftool -j prog show id "$id" | "$LAB_PY" -c '
import json, sys
p = json.load(sys.stdin)
print(p.get("run_cnt", 0), p.get("run_time_ns", 0))'
}

STATS_LINES=()
if [ "$STATS" = 1 ]; then
	STATS_WAS=$(sysctl -n kernel.bpf_stats_enabled)
	for p in tcp udp; do
		config_on csumguard || die "cannot attach csumguard"
		sysctl -qw kernel.bpf_stats_enabled=1
		args=()
		[ "$p" = udp ] && args=(-u -b 0 -l "$ULEN")
		lab_exec ok iperf3 -c "$DST" -t "$SECS" "${args[@]}" >/dev/null || die "iperf3 $p (-s)"
		read -r xc xt <<<"$(prog_ns rx)"
		read -r tcn tct <<<"$(prog_ns ok)"
		sysctl -qw kernel.bpf_stats_enabled="$STATS_WAS"
		config_off csumguard || die "cannot detach csumguard"
		[ "$xc" -gt 0 ] && [ "$tcn" -gt 0 ] || die "no BPF run-time statistics (run_cnt 0)"
		STATS_LINES+=("| $p | $xc | $((xt / xc)) | $tcn | $((tct / tcn)) |")
	done
	STATS_WAS=
fi

echo "csumguard bench-e2e, $(date '+%Y-%m-%d %H:%M'), $(uname -r), $(nproc) CPUs:" \
	"iperf3 $SECS s per run, $ROUNDS rounds, configurations interleaved;"
echo "load average before $LOAD0, after $LOAD1"
"$LAB_PY" "$BENCH_DIR/e2e_table.py" "$TMP/runs.tsv" "$(getconf CLK_TCK)" "$ULEN"
if [ ${#STATS_LINES[@]} -gt 0 ]; then
	echo
	echo "csumguard's programs on this path, the kernel's own run-time statistics (one more run"
	echo "each, kernel.bpf_stats_enabled on; a TC run is one skb, a GSO one counts once):"
	echo "| iperf3 | XDP runs | XDP ns per run | TC runs | TC ns per run |"
	echo "|---|--:|--:|--:|--:|"
	printf '%s\n' "${STATS_LINES[@]}"
fi
