#!/usr/bin/env bash
# scripts/demo.sh - `sudo make demo`: the first seed's three-day hunt in a
# minute. Three nodes on one switch talk over kernel VXLAN; one sender's "NIC"
# gets about 3 % of the outer UDP checksums wrong (a TC egress fault injector
# from selftests/, standing in for the buggy i40e firmware). csumguard on the
# receiver names the node, the rate, and what to do. The lab is removed on
# every exit path. Run from the top of the tree, as root, after `make demo`'s
# build (the make target does both).
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/scripts/lab.sh"
DEMO_SECONDS=${DEMO_SECONDS:-5}
DEMO_RATE_PPM=${DEMO_RATE_PPM:-30000}	# 3 %
DEMO_TMP=$(mktemp -d /tmp/csumguard-demo.XXXXXX)
trap 'lab_down; rm -rf -- "$DEMO_TMP"' EXIT
trap 'echo; echo "demo: interrupted" >&2; exit 130' INT TERM

say() { printf '%s\n' "$*"; }
if [ -t 1 ]; then
	step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
else
	step() { printf '\n== %s\n' "$*"; }
fi
run() { printf '$ %s\n' "$*"; }		# shows the command a user would type
key_of() { "$LAB_PY" -c 'import json,sys; print(json.loads(sys.argv[2])[sys.argv[1]])' "$1" "$2"; }
rate_of() { "$LAB_PY" -c 'import json,sys; d=json.loads(sys.argv[1]); print("%.2f %%" % (100.0 * d["corrupted"] / d["partial"]) if d["partial"] else "-")' "$1"; }

for f in "$LAB_CSUMGUARD" "$LAB_FAULT_OBJ"; do
	[ -e "$f" ] || { echo "demo: missing $f: run 'sudo make demo'" >&2; exit 1; }
done

step "The lab"
say "Three nodes on one switch, each with a VXLAN overlay (VNI 42, UDP 4789, outer"
say "UDP checksums on), like Kubernetes nodes running Calico or flannel in VXLAN mode:"
say "  node-1  10.99.0.1  receiver: csumguard attaches to its uplink up0"
say "  node-2  10.99.0.2  sender"
say "  node-3  10.99.0.3  sender"
say "One of the senders has a NIC that gets about $((DEMO_RATE_PPM / 10000)) % of the outer UDP checksums it is"
say "asked to finish (checksum offload) wrong. Which one? The receiving kernel drops those"
say "packets without a log line."
lab_up || exit 1
# The "NIC" (tc prio 65530, after csumguard's egress filter) corrupts only
# checksums left to it: the seed of CHECKSUM_PARTIAL packets.
lab_fault_rate bad "$DEMO_RATE_PPM" partial || exit 1

step "Attach csumguard everywhere (monitor mode: counts, drops nothing)"
say "node-1 (receiver): both directions; node-2, node-3: what they send (--egress)"
run "csumguard attach up0"
lab_cg rx attach up0 >/dev/null || exit 1
say "and tells it the nodes' names (one per node, IPv4 and IPv6 underlay address):"
run "csumguard nodes load nodes.txt"
lab_nodes_file >"$DEMO_TMP/nodes.txt"
lab_cg rx nodes load - <"$DEMO_TMP/nodes.txt" || exit 1
for n in ok bad; do
	lab_cg "$n" attach up0 --egress >/dev/null || exit 1
done

step "Traffic: both senders ping and send UDP to node-1 through the overlay for ${DEMO_SECONDS} s"
say "Meanwhile, on node-1, csumguard's answer (it samples the counters twice, 2 s apart):"
snmp0=$(lab_snmp rx)
f0=$(lab_fault_stats bad)
pids=()
for n in ok bad; do
	lab_traffic "$n" "$DEMO_SECONDS" &
	pids+=($!)
done
sleep 1
run "csumguard diagnose up0"
lab_cg rx diagnose up0 --interval 2
wait "${pids[@]}"
sleep 0.5
snmp1=$(lab_snmp rx)
f1=$(lab_fault_stats bad)

step "What csumguard counted on node-1"
run "csumguard stats up0"
lab_cg rx stats up0
json=$(lab_cg rx stats up0 --json)
# The lab's ground truth beside it: the injector's own count, the kernel's.
"$LAB_PY" - "$json" "$snmp0" "$snmp1" "$f0" "$f1" <<'EOF2'
import json, sys
stats, s0, s1, f0, f1 = (json.loads(a) for a in sys.argv[1:6])
bad = {s["addr"]: s["bad"] for s in stats["interfaces"][0]["ingress"]["sources"]}
print("Lab ground truth: the fault injector on node-3's uplink corrupted %d checksums;"
      % (f1["corrupted"] - f0["corrupted"]))
print("csumguard counted %d bad from node-3 (10.99.0.3), the kernel %d checksum errors."
      % (bad.get("10.99.0.3", 0), s1["udp_in_csum_errors"] - s0["udp_in_csum_errors"]))
EOF2

step "What node-3 itself sent (csumguard --egress on node-3's uplink)"
run "csumguard stats up0        # on node-3"
lab_cg bad stats up0
lab_cg bad stats --json >"$DEMO_TMP/node3.json"
lab_cg rx stats --json >"$DEMO_TMP/node1.json"
say
say "Sender and receiver side by side: how many node-3 left to its NIC to finish"
say "(offloaded), how many arrived bad at node-1, and the NIC's corruption rate:"
run "csumguard ledger node3.json node1.json"
"$LAB_CSUMGUARD" ledger "$DEMO_TMP/node3.json" "$DEMO_TMP/node1.json"
f2=$(lab_fault_stats bad)
say "(Lab ground truth: the injector saw $(key_of partial "$f2") partial checksums to finish and"
say " corrupted $(key_of corrupted "$f2"): $(rate_of "$f2").)"

step "The fix: node-3's NIC stops corrupting (tx-udp_tnl-csum-segmentation off)"
say "In the lab: node-3's fault injector to 0. A baseline first, so the new rate shows at once:"
run "csumguard stats up0 --reset"
lab_cg rx stats up0 --reset
lab_fault_rate bad 0 || exit 1
pids=()
for n in ok bad; do
	lab_traffic "$n" 3 &
	pids+=($!)
done
sleep 0.5
run "csumguard diagnose up0"
lab_cg rx diagnose up0 --interval 2
wait "${pids[@]}"
sleep 0.5
run "csumguard stats up0 --since"
lab_cg rx stats up0 --since

step "Second act: a bug in node-3's own stack"
say "Now a filter on node-3 itself (standing in for a NAT, an encapsulation or"
say "another BPF program) writes wrong *final* outer checksums on 2 % of its UDP"
say "tunnel packets. node-1 sees bad checksums from node-3 either way; node-3's"
say "egress sees them leave already wrong. On node-3:"
lab_stack_bug bad 20000 || exit 1
lab_traffic bad 3 &
pid=$!
sleep 0.5
run "csumguard diagnose up0        # on node-3"
lab_cg bad diagnose up0 --interval 2
wait "$pid"

step "Cleaning up"
run "csumguard detach up0 --purge"
lab_cg rx detach up0 --purge
for n in ok bad; do
	lab_cg "$n" detach up0 --purge >/dev/null
done
