#!/usr/bin/env bash
# scripts/lab.sh - the namespace lab of the end-to-end tests and the demo
# (SPEC 6, 7): three "nodes" on one bridge, real kernel VXLAN between them.
# P is the prefix of this lab (default cg<pid>x), so namespaces are P-rx etc.
#
#   P-ok (healthy sender)              P-bad (bad sender: its "NIC" gets
#   up0 10.99.0.2 / fd99::2            up0 10.99.0.3 / fd99::3   a share of
#   tx offload off, fault injector     tx offload off, fault     outer UDP
#   at rate 0 (counts what it sends)   injector at rate N        checksums wrong)
#              \                                 /
#               p-ok ------- br0 (P-br) ------ p-bad         the "switch"
#                             |
#                            p-rx
#                             |
#   P-rx (receiver): up0 10.99.0.1 / fd99::1   <- csumguard attaches here and
#                                                 sees both senders by source
#                    raw0 -> raw1 (MTU 9000)   <- crafted frames (sendraw)
#
# Overlays: vx4 (VNI 42, IPv4 underlay, udpcsum)  10.100.0.N/24
#           vx6 (VNI 43, IPv6 underlay, checksums on, no zero-csum rx) 10.101.0.N/24
# FDB and neighbour entries are static: the only tunnel frames are the
# traffic the tests send (no ARP through the overlay), so counts are exact.
# The receiver also has a veth pair raw0 -> raw1 (MTU 9000, no IPv6, no
# addresses) for crafted frames: sendraw writes into raw0, csumguard on raw1
# sees them before the stack drops them.
#
# Use as a library (tests, demo):
#   . scripts/lab.sh; trap lab_down EXIT; lab_up
#   lab_cg rx attach up0; lab_fault_rate bad 30000; lab_ping ok 4 500; ...
# or as a command (to explore by hand; remove it with `down`):
#   scripts/lab.sh up [PREFIX]   |   scripts/lab.sh down PREFIX
#   scripts/lab.sh fault PREFIX NODE RATE [all|partial|final]
#                                    a sender's "NIC" corrupts RATE (3% or per
#                                    million) of the outer checksums (partial:
#                                    only those it is asked to finish)
#   scripts/lab.sh traffic PREFIX NODE SECONDS [4|6]
#                                    ping and UDP from NODE to the receiver
#   scripts/lab.sh cg PREFIX NODE ARGS...
#                                    csumguard in NODE with the lab's pin dir
#
# Rules (SPEC 7): everything it creates carries the prefix (default cg<pid>x),
# it never touches an interface it did not create, and lab_down removes every
# namespace, attachment and pin it made, whatever state the lab is in.

LAB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LAB_P=${LAB_P:-cg$$x}
LAB_BUILD=${LAB_BUILD:-$LAB_ROOT/build}
LAB_CSUMGUARD=${LAB_CSUMGUARD:-$LAB_BUILD/csumguard}
LAB_FAULT_OBJ=${LAB_FAULT_OBJ:-$LAB_BUILD/fault_inject.bpf.o}
LAB_SENDRAW=${LAB_SENDRAW:-$LAB_BUILD/selftests/sendraw}
LAB_BPFFS=${LAB_BPFFS:-/sys/fs/bpf}
LAB_VERBOSE=${LAB_VERBOSE:-0}
LAB_NODES=(rx ok bad)
# The system python (a version-manager shim in PATH can cost 0.3 s a call).
if [ -z "${LAB_PY:-}" ]; then
	if [ -x /usr/bin/python3 ]; then LAB_PY=/usr/bin/python3; else LAB_PY=$(command -v python3); fi
fi

lab_vars() {
	LAB_PIN=$LAB_BPFFS/$LAB_P		# csumguard --pin-dir of this lab
	LAB_NS_BR=$LAB_P-br
	LAB_NS_rx=$LAB_P-rx
	LAB_NS_ok=$LAB_P-ok
	LAB_NS_bad=$LAB_P-bad
}
lab_vars

# Per node: index, underlay and overlay addresses.
lab_idx() { case $1 in rx) echo 1 ;; ok) echo 2 ;; bad) echo 3 ;; *) return 1 ;; esac; }
lab_ns() { local v=LAB_NS_$1; echo "${!v}"; }
lab_ip4() { echo "10.99.0.$(lab_idx "$1")"; }		# underlay IPv4
lab_ip6() { echo "fd99::$(lab_idx "$1")"; }		# underlay IPv6
lab_ov4() { echo "10.100.0.$(lab_idx "$1")"; }		# overlay on vx4
lab_ov6() { echo "10.101.0.$(lab_idx "$1")"; }		# overlay on vx6

lab_log() { [ "$LAB_VERBOSE" = 1 ] && echo "lab: $*" >&2; return 0; }
lab_die() { echo "lab: $*" >&2; return 1; }

# Commands in a node. `ip netns exec` for the plain ones; csumguard, xdp-loader
# and bpftool run with nsenter, which keeps this mount namespace and so the
# bpffs where the pins live (SPEC 7).
lab_exec() { local ns; ns=$(lab_ns "$1") || return 1; shift; ip netns exec "$ns" "$@"; }
lab_nsenter() { local ns; ns=$(lab_ns "$1") || return 1; shift; nsenter --net="/run/netns/$ns" "$@"; }
# The --pin-dir of csumguard on NODE: the receiver's is LAB_PIN; a sender's
# (egress) is its own, since every node's uplink is called up0. Not under
# "nodes/": PIN_DIR/nodes is the known-nodes map of the receiver's pin dir.
lab_pin() { [ "$1" = rx ] && echo "$LAB_PIN" || echo "$LAB_PIN/senders/$1"; }
lab_cg() { local n=$1; shift; lab_nsenter "$n" "$LAB_CSUMGUARD" --pin-dir "$(lab_pin "$n")" "$@"; }

lab_check_tools() {
	local t missing=()

	for t in ip tc bridge ethtool nsenter bpftool xdp-loader ping "$LAB_PY"; do
		command -v "$t" >/dev/null || missing+=("$t")
	done
	[ ${#missing[@]} -eq 0 ] || lab_die "missing tools: ${missing[*]} (run scripts/deps.sh)" || return 1
	[ "$(id -u)" -eq 0 ] || lab_die "needs root (namespaces, XDP, bpffs)" || return 1
	[ -f "$LAB_FAULT_OBJ" ] || lab_die "no $LAB_FAULT_OBJ (make $LAB_FAULT_OBJ)" || return 1
	mountpoint -q "$LAB_BPFFS" || mount -t bpf bpf "$LAB_BPFFS" ||
		lab_die "cannot mount bpffs on $LAB_BPFFS" || return 1
}

# Builds the whole lab. Returns non-zero (and leaves the cleanup to lab_down)
# if any step fails.
lab_up() {
	local n i ns mac4 mac6 o oi rc

	lab_check_tools || return 1
	# Remember whether libxdp's pin directory existed, so lab_down removes
	# it only if this lab created it (and only when empty).
	[ -d "$LAB_BPFFS/xdp" ] && LAB_HAD_XDP_DIR=1 || LAB_HAD_XDP_DIR=0
	lab_log "prefix $LAB_P"
	# Every step is checked (_s): the first failure ends the subshell.
	# (Not set -e: bash ignores it when lab_up is called as `if lab_up`.)
	(
		_s() { "$@" || { lab_die "step failed: $*"; exit 1; }; }
		_s ip netns add "$LAB_NS_BR"
		_s ip netns exec "$LAB_NS_BR" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1
		_s ip -n "$LAB_NS_BR" link add br0 type bridge stp_state 0 mcast_snooping 0
		_s ip -n "$LAB_NS_BR" link set br0 up
		for n in "${LAB_NODES[@]}"; do
			i=$(lab_idx "$n") && ns=$(lab_ns "$n") || exit 1
			_s ip netns add "$ns"
			_s ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0 \
				net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.addr_gen_mode=1
			_s ip -n "$ns" link set lo up
			_s ip -n "$LAB_NS_BR" link add name "p-$n" type veth peer name up0 netns "$ns"
			_s ip -n "$LAB_NS_BR" link set "p-$n" master br0 up
			_s ip -n "$ns" link set up0 address "02:99:00:00:00:0$i" up
			_s ip -n "$ns" addr add "$(lab_ip4 "$n")/24" dev up0
			_s ip -n "$ns" addr add "$(lab_ip6 "$n")/64" dev up0 nodad
			# vx4 and vx6 get one well-known MAC each per node.
			_s ip -n "$ns" link add vx4 address "02:64:00:00:00:0$i" type vxlan id 42 \
				local "$(lab_ip4 "$n")" dev up0 dstport 4789 udpcsum nolearning
			_s ip -n "$ns" link add vx6 address "02:65:00:00:00:0$i" type vxlan id 43 \
				local "$(lab_ip6 "$n")" dev up0 dstport 4789 \
				noudp6zerocsumtx noudp6zerocsumrx nolearning
			_s ip -n "$ns" addr add "$(lab_ov4 "$n")/24" dev vx4
			_s ip -n "$ns" addr add "$(lab_ov6 "$n")/24" dev vx6
			_s ip -n "$ns" link set vx4 up
			_s ip -n "$ns" link set vx6 up
		done
		# Static underlay neighbours, FDB and overlay neighbours: full mesh.
		for n in "${LAB_NODES[@]}"; do
			ns=$(lab_ns "$n") || exit 1
			for o in "${LAB_NODES[@]}"; do
				[ "$o" = "$n" ] && continue
				oi=$(lab_idx "$o") || exit 1
				mac4=02:64:00:00:00:0$oi
				mac6=02:65:00:00:00:0$oi
				_s ip -n "$ns" neigh replace "$(lab_ip4 "$o")" lladdr "02:99:00:00:00:0$oi" \
					dev up0 nud permanent
				_s ip -n "$ns" -6 neigh replace "$(lab_ip6 "$o")" lladdr "02:99:00:00:00:0$oi" \
					dev up0 nud permanent
				_s ip netns exec "$ns" bridge fdb append "$mac4" dev vx4 dst "$(lab_ip4 "$o")"
				_s ip netns exec "$ns" bridge fdb append "$mac6" dev vx6 dst "$(lab_ip6 "$o")"
				_s ip -n "$ns" neigh replace "$(lab_ov4 "$o")" lladdr "$mac4" dev vx4 nud permanent
				_s ip -n "$ns" neigh replace "$(lab_ov6 "$o")" lladdr "$mac6" dev vx6 nud permanent
			done
		done
		# Senders: checksums finished in software before the veth, so the
		# wire carries real values (SPEC 6); the injector sits at TC egress,
		# counting (ok: rate 0) or corrupting (bad) what leaves.
		for n in ok bad; do
			ns=$(lab_ns "$n") || exit 1
			_s ip netns exec "$ns" ethtool -K up0 tx off >/dev/null
			_s ip netns exec "$ns" tc qdisc add dev up0 clsact
			# prio 65530: after csumguard's egress filter (pref 65520,
			# lib/tc_attach.h), as a NIC comes after the stack.
			_s ip netns exec "$ns" tc filter add dev up0 egress prio 65530 bpf \
				direct-action obj "$LAB_FAULT_OBJ" sec tc
		done
		# The crafted-frame pair on the receiver: raw0 (sendraw) -> raw1 (csumguard).
		ns=$LAB_NS_rx
		_s ip -n "$ns" link add name raw0 mtu 9000 type veth peer name raw1 mtu 9000
		_s ip netns exec "$ns" sysctl -qw net.ipv6.conf.raw0.disable_ipv6=1 \
			net.ipv6.conf.raw1.disable_ipv6=1
		_s ip -n "$ns" link set raw0 up
		_s ip -n "$ns" link set raw1 up
	)
	rc=$?
	if [ "$rc" -ne 0 ]; then
		lab_die "lab_up failed (prefix $LAB_P)"
		return 1
	fi
	lab_fault_maps && lab_fault_rate ok 0 && lab_fault_rate bad 0 || return 1
	lab_log "up: $LAB_NS_BR $LAB_NS_rx $LAB_NS_ok $LAB_NS_bad, pins in $LAB_PIN"
}

# --- fault injector (selftests/fault_inject.bpf.c) -------------------------
# Map id of the map NAME of the injector at tc prio PRIO (default 65530, the
# "NIC") on node N (found through the tc filter once, then remembered: the
# ids do not change while the filter is there).
lab_fault_map() {
	local n=$1 name=$2 prio=${3:-65530} prog var=LAB_MAPID_${1}_$2_${3:-65530}

	[ -n "${!var:-}" ] && { echo "${!var}"; return 0; }
	prog=$(lab_exec "$n" tc -j filter show dev up0 egress | "$LAB_PY" -c '
import json, sys
for f in json.load(sys.stdin):
    p = f.get("options", {}).get("prog")
    if p and p.get("name") == "fault_inject" and f.get("pref") == int(sys.argv[1]):
        print(p["id"]); break' "$prio") || return 1
	[ -n "$prog" ] || lab_die "no fault injector on $n" || return 1
	bpftool -j prog show id "$prog" | "$LAB_PY" -c '
import json, subprocess, sys
for m in json.load(sys.stdin)["map_ids"]:
    info = json.loads(subprocess.check_output(["bpftool", "-j", "map", "show", "id", str(m)]))
    if info["name"] == sys.argv[1]:
        print(m); break' "$name"
}

# Looks the injector maps up once (lab_up calls it), so that later calls in
# $(...) subshells find them in the variables.
lab_fault_maps() {
	local n m id

	for n in ok bad; do
		for m in fi_cfg fi_stats; do
			id=$(lab_fault_map "$n" "$m") && [ -n "$id" ] ||
				lab_die "no $m map on $n" || return 1
			printf -v "LAB_MAPID_${n}_${m}_65530" '%s' "$id"
		done
	done
}

# lab_fault_rate NODE PER_MILLION [all|partial|final] [PRIO]: corrupt that
# share of the tunnel datagrams (only those with the seed in the field, or
# only finished ones) at the injector of tc prio PRIO.
lab_fault_rate() {
	local id ppm=$2 flags=0

	case ${3:-all} in partial) flags=1 ;; final) flags=2 ;; esac
	id=$(lab_fault_map "$1" fi_cfg "${4:-65530}") && [ -n "$id" ] ||
		lab_die "no fi_cfg map on $1" || return 1
	bpftool map update id "$id" key 0 0 0 0 value \
		$((ppm & 255)) $((ppm >> 8 & 255)) $((ppm >> 16 & 255)) $((ppm >> 24 & 255)) \
		0 0 $flags 0
}

# lab_stack_bug NODE PER_MILLION: a second injector at tc prio 1, ahead of
# every other egress filter (csumguard's included), that corrupts finished
# outer checksums: a bug in the sender's own stack (NAT, encapsulation,
# another BPF program), which only egress can see. Its counters:
# lab_fault_stats NODE 1.
lab_stack_bug() {
	local n=$1

	if ! lab_exec "$n" tc filter show dev up0 egress prio 1 | grep -q fault_inject; then
		lab_exec "$n" tc filter add dev up0 egress prio 1 bpf direct-action \
			obj "$LAB_FAULT_OBJ" sec tc || return 1
	fi
	lab_fault_rate "$n" "$2" final 1
}

# lab_fault_stats NODE [PRIO]: the injector's counters as one JSON object
# {"seen","corrupted","partial","final","skipped_gso","skipped_other"}.
lab_fault_stats() {
	local id

	id=$(lab_fault_map "$1" fi_stats "${2:-65530}") && [ -n "$id" ] ||
		lab_die "no fi_stats map on $1" || return 1
	bpftool -j map lookup id "$id" key 0 0 0 0 | "$LAB_PY" -c '
import json, sys
print(json.dumps(json.load(sys.stdin)["formatted"]["value"]))'
}

# lab_snmp NODE: {"udp_in_csum_errors": N, "udp6_in_csum_errors": N, ...} of
# the node's own kernel (its network namespace's /proc/net/snmp{,6}).
lab_snmp() {
	lab_exec "$1" "$LAB_PY" -c '
import json
def table(path):
    lines = [l.split() for l in open(path)]
    out = {}
    for a, b in zip(lines, lines[1:]):
        if a[0] == b[0] and a[0].endswith(":"):
            out.update({a[0][:-1] + "_" + k: int(v) for k, v in zip(a[1:], b[1:])})
    return out
t = table("/proc/net/snmp")
six = {}
for l in open("/proc/net/snmp6"):
    k, v = l.split()
    six[k] = int(v)
print(json.dumps({"udp_in_datagrams": t["Udp_InDatagrams"],
                  "udp_in_csum_errors": t["Udp_InCsumErrors"],
                  "udp_in_errors": t["Udp_InErrors"],
                  "udp6_in_datagrams": six["Udp6InDatagrams"],
                  "udp6_in_csum_errors": six["Udp6InCsumErrors"]}))'
}

# --- traffic -----------------------------------------------------------------
# lab_ping NODE OVERLAY(4|6) COUNT: flood ping from NODE to the receiver's
# overlay address on vx4 or vx6 (bounded: 1 s wait for a lost reply, 60 s in all). ICMP: the inner
# checksum is final, so the outer one leaves as the seed (CHECKSUM_PARTIAL)
# and is finished by skb_checksum_help after TC egress. Prints the loss line.
lab_ping() {
	local n=$1 ov=$2 count=$3 dst

	[ "$ov" = 6 ] && dst=$(lab_ov6 rx) || dst=$(lab_ov4 rx)
	timeout 60 ip netns exec "$(lab_ns "$n")" ping -q -n -f -c "$count" -W 1 "$dst" 2>&1 | grep -E 'packets transmitted' || true
}

# lab_udp NODE OVERLAY(4|6) COUNT [SIZE]: COUNT datagrams of SIZE bytes to the
# receiver's overlay address, paced. UDP: the inner checksum is partial, so
# the outer one is written final by the stack (local checksum offload).
lab_udp() {
	local n=$1 ov=$2 count=$3 size=${4:-200} dst

	[ "$ov" = 6 ] && dst=$(lab_ov6 rx) || dst=$(lab_ov4 rx)
	lab_exec "$n" "$LAB_PY" -c '
import socket, sys, time
dst, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
payload = bytes(range(256)) * (size // 256 + 1)
for i in range(count):
    s.sendto(payload[i % 256:i % 256 + size], (dst, 9))
    if i % 32 == 31:
        time.sleep(0.002)   # stay well below the veth rings
' "$dst" "$count" "$size"
}

# lab_traffic NODE SECONDS [4|6]: what an application node sends to the
# receiver over the overlay for SECONDS: a flood ping (outer checksum left
# to the "NIC": offloaded) beside a paced UDP stream of varying sizes (outer
# checksum final at TC egress). Returns when both are done.
lab_traffic() {
	local n=$1 secs=$2 ov=${3:-4} dst pids=()

	[ "$ov" = 6 ] && dst=$(lab_ov6 rx) || dst=$(lab_ov4 rx)
	lab_exec "$n" ping -q -n -f -w "$secs" "$dst" >/dev/null 2>&1 &
	pids+=($!)
	lab_exec "$n" "$LAB_PY" -c '
import socket, sys, time
dst, secs = sys.argv[1], float(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end, i = time.time() + secs, 0
while time.time() < end:
    s.sendto(b"x" * (64 + i % 1200), (dst, 9))
    i += 1
    if i % 32 == 0:
        time.sleep(0.004)
' "$dst" "$secs" &
	pids+=($!)
	wait "${pids[@]}"
}

# lab_nodes_file: the lab's known nodes as a csumguard nodes file (node-1 is
# rx, node-2 ok, node-3 bad; each with its IPv4 and IPv6 underlay address):
#   lab_nodes_file | lab_cg rx nodes load -
lab_nodes_file() {
	local n

	for n in "${LAB_NODES[@]}"; do
		echo "$(lab_ip4 "$n") node-$(lab_idx "$n")"
		echo "$(lab_ip6 "$n") node-$(lab_idx "$n")"
	done
}

# lab_node NAME: the lab's node for NAME: rx, ok, bad, or as the demo calls
# them node-1 (rx), node-2 (ok), node-3 (bad).
lab_node() {
	case $1 in
	rx | node-1) echo rx ;;
	ok | node-2) echo ok ;;
	bad | node-3) echo bad ;;
	*) lab_die "no node '$1' (rx, ok, bad or node-1, node-2, node-3)" ;;
	esac
}

# lab_ppm RATE: "3%" or "0.5%" as per million, or a plain per-million number.
lab_ppm() {
	"$LAB_PY" -c '
import sys
r = sys.argv[1]
try:
    v = float(r[:-1]) * 10000 if r.endswith("%") else float(r)
except ValueError:
    sys.exit("lab: bad rate %r (give 3%% or a number per million)" % r)
if not 0 <= v <= 1000000:
    sys.exit("lab: rate %r out of range (0 to 100%%)" % r)
print(int(round(v)))' "$1"
}

# lab_underlay_ping NODE COUNT: plain ping on the underlay (not a tunnel
# frame) to the receiver; prints the number of replies received.
lab_underlay_ping() {
	lab_exec "$1" ping -q -n -c "$2" -i 0.01 -W 1 "$(lab_ip4 rx)" 2>/dev/null |
		sed -n 's/.* \([0-9]*\) received.*/\1/p'
}

# --- removal -------------------------------------------------------------------
# Removes everything of prefix LAB_P: attachments first (libxdp keeps pins
# under bpffs/xdp per interface, gone only through a proper detach), then the
# namespaces (their links go with them), then the pin directory.
lab_down() {
	local n ns ifc left

	for ifc in up0 raw1; do
		if ip netns list 2>/dev/null | grep -qw "$LAB_NS_rx"; then
			if [ -x "$LAB_CSUMGUARD" ] && [ -d "$LAB_PIN/ifaces/$ifc" ] &&
				lab_exec rx ip -d link show dev "$ifc" 2>/dev/null | grep -q 'prog/xdp'; then
				lab_cg rx detach "$ifc" --purge >/dev/null 2>&1 ||
					echo "lab: warning: csumguard detach $ifc failed" >&2
			fi
			if lab_exec rx ip -d link show dev "$ifc" 2>/dev/null | grep -q 'prog/xdp'; then
				lab_nsenter rx xdp-loader unload --all "$ifc" >/dev/null 2>&1 ||
					lab_exec rx ip link set dev "$ifc" xdp off 2>/dev/null
			fi
		fi
	done
	for ns in "$LAB_NS_rx" "$LAB_NS_ok" "$LAB_NS_bad" "$LAB_NS_BR"; do
		ip netns list 2>/dev/null | grep -qw "$ns" && ip netns del "$ns"
	done
	case $LAB_P in
	"" | */* | .*) ;;	# never anything but our own directory
	*) [ -e "$LAB_BPFFS/$LAB_P" ] && rm -rf -- "${LAB_BPFFS:?}/$LAB_P" ;;
	esac
	[ "${LAB_HAD_XDP_DIR:-1}" = 0 ] && [ -d "$LAB_BPFFS/xdp" ] &&
		rmdir "$LAB_BPFFS/xdp" 2>/dev/null
	left=$(ip netns list 2>/dev/null | grep -c "^$LAB_P-" || true)
	[ "$left" = 0 ] || echo "lab: warning: namespaces of $LAB_P remain" >&2
	[ -e "$LAB_PIN" ] && echo "lab: warning: $LAB_PIN remains" >&2
	return 0
}

# --- command-line use ----------------------------------------------------------
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -u
	case ${1:-} in
	up)
		LAB_P=${2:-$LAB_P}
		lab_vars
		lab_up || { lab_down; exit 1; }
		echo "lab $LAB_P is up: namespaces $LAB_NS_BR $LAB_NS_rx $LAB_NS_ok $LAB_NS_bad"
		echo "  csumguard: nsenter --net=/run/netns/$LAB_NS_rx $LAB_CSUMGUARD --pin-dir $LAB_PIN attach up0"
		echo "  remove it: $0 down $LAB_P"
		;;
	down)
		[ -n "${2:-}" ] || { echo "usage: $0 down PREFIX" >&2; exit 2; }
		LAB_P=$2
		LAB_HAD_XDP_DIR=1
		lab_vars
		lab_down
		;;
	fault)
		[ $# -ge 4 ] || { echo "usage: $0 fault PREFIX NODE RATE [all|partial|final]" >&2; exit 2; }
		LAB_P=$2
		lab_vars
		node=$(lab_node "$3") && ppm=$(lab_ppm "$4") || exit 2
		case $node in rx) echo "lab: the receiver has no fault injector; give ok or bad" >&2; exit 2 ;; esac
		case ${5:-all} in all | partial | final) ;; *) echo "lab: give all, partial or final" >&2; exit 2 ;; esac
		ip netns list | grep -qw "$(lab_ns "$node")" || { echo "lab: no lab $LAB_P (scripts/lab.sh up $LAB_P)" >&2; exit 1; }
		lab_fault_rate "$node" "$ppm" "${5:-all}" >/dev/null || exit 1
		echo "node $3 ($(lab_ip4 "$node")): its NIC now corrupts $ppm per million of the outer checksums (${5:-all})"
		;;
	traffic)
		[ $# -ge 4 ] || { echo "usage: $0 traffic PREFIX NODE SECONDS [4|6]" >&2; exit 2; }
		LAB_P=$2
		lab_vars
		node=$(lab_node "$3") || exit 2
		[[ $4 =~ ^[0-9]+$ ]] && [ "$4" -gt 0 ] || { echo "lab: SECONDS must be a whole number > 0" >&2; exit 2; }
		ip netns list | grep -qw "$(lab_ns "$node")" || { echo "lab: no lab $LAB_P (scripts/lab.sh up $LAB_P)" >&2; exit 1; }
		lab_traffic "$node" "$4" "${5:-4}"
		echo "node $3 sent ping and UDP over vx${5:-4} to $( [ "${5:-4}" = 6 ] && lab_ov6 rx || lab_ov4 rx) for $4 s"
		;;
	cg)
		[ $# -ge 3 ] || { echo "usage: $0 cg PREFIX NODE ARGS..." >&2; exit 2; }
		LAB_P=$2
		lab_vars
		node=$(lab_node "$3") || exit 2
		shift 3
		lab_cg "$node" "$@"
		;;
	*)
		echo "usage: $0 up [PREFIX] | down PREFIX | fault PREFIX NODE RATE [all|partial|final]" >&2
		echo "       | traffic PREFIX NODE SECONDS [4|6] | cg PREFIX NODE ARGS..." >&2
		exit 2
		;;
	esac
fi
