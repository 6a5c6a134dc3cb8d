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
for n in ok bad; do
	lab_cg "$n" attach up0 --egress >/dev/null || exit 1
done

step "Traffic: both senders ping and send UDP to node-1 through the overlay for ${DEMO_SECONDS} s"
snmp0=$(lab_snmp rx)
f0=$(lab_fault_stats bad)
pids=()
for n in ok bad; do
	lab_exec "$n" ping -q -n -f -w "$DEMO_SECONDS" "$(lab_ov4 rx)" >"$DEMO_TMP/ping-$n" 2>&1 &
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
' "$(lab_ov4 rx)" "$DEMO_SECONDS" &
	pids+=($!)
done
wait "${pids[@]}"
sleep 0.5
snmp1=$(lab_snmp rx)
f1=$(lab_fault_stats bad)

say "What the applications saw (ping through the overlay):"
for n in ok bad; do
	say "  node-$(lab_idx "$n") -> node-1: $(grep -o '[0-9]* packets transmitted.*loss' "$DEMO_TMP/ping-$n")"
done
say "The network looks flaky from one node. Nothing in any log says why."

step "What csumguard counted on node-1"
run "csumguard stats up0"
lab_cg rx stats up0
json=$(lab_cg rx stats up0 --json)

step "Verdict"
"$LAB_PY" - "$json" "$snmp0" "$snmp1" "$f0" "$f1" "$DEMO_SECONDS" <<'EOF'
import ipaddress, json, sys

stats, s0, s1, f0, f1 = (json.loads(a) for a in sys.argv[1:6])
seconds = sys.argv[6]
names = {"10.99.0.1": "node-1", "10.99.0.2": "node-2", "10.99.0.3": "node-3"}
srcs = stats["interfaces"][0]["ingress"]["sources"]  # schema 2: per direction

def checked(s):
    return s["ok"] + s["bad"] + s["unfinished"]

def rate(s):
    return s["bad"] / checked(s) if checked(s) else 0.0

def addr(s):
    a = ipaddress.ip_address(s["addr"])
    if a.version == 6 and a.ipv4_mapped:
        a = a.ipv4_mapped
    return str(a)

def label(s):
    return "%s (%s)" % (names.get(addr(s), "node"), addr(s))

srcs.sort(key=rate, reverse=True)
worst, rest = srcs[0], srcs[1:]
kernel = s1["udp_in_csum_errors"] - s0["udp_in_csum_errors"]
truth = f1["corrupted"] - f0["corrupted"]

if worst["bad"] == 0:
    print("No source sent a bad outer checksum: nothing to hunt.")
    sys.exit(0)
who = label(worst)
print("WHICH NODE  %s sends VXLAN packets with wrong outer UDP checksums:" % who)
print("            %d of %d checked (%.2f %%) in %s s." % (
    worst["bad"], checked(worst), 100 * rate(worst), seconds))
for s in rest:
    print("            %s: %d of %d (%.2f %%)%s" % (label(s), s["bad"], checked(s), 100 * rate(s),
                                                "  - clean" if s["bad"] == 0 else ""))
if kernel == worst["bad"]:
    print("HOW BAD     The receiving kernel dropped exactly these %d packets without a log" % kernel)
    print("            line: Udp InCsumErrors on node-1 rose by %d. To the applications this" % kernel)
else:
    print("HOW BAD     The receiving kernel counted %d checksum errors meanwhile (Udp" % kernel)
    print("            InCsumErrors on node-1), and dropped them. To the applications this")
print("            is %.1f %% random loss on everything %s sends over the overlay," % (
    100 * rate(worst), names.get(addr(worst), addr(worst))))
print("            and timeouts nobody can explain.")
print("WHAT IT     One sender at a steady rate, every other sender clean through the same")
print("MEANS       switch: the checksum is already wrong when it leaves %s." % names.get(addr(worst), addr(worst)))
print("            Its NIC's UDP-tunnel checksum offload (tx-udp_tnl-csum-segmentation),")
print("            i.e. the driver or firmware, computes it wrongly: not the network, not")
print("            the application. (A corrupting link or switch would hit every sender")
print("            behind it. Whether the payload itself is intact - inner checksum valid -")
print("            is the next csumguard release's bad_outer_only/bad_payload split.)")
print("WHAT TO DO  On %s:" % who)
print("            1. ethtool -K up0 tx-udp_tnl-csum-segmentation off tx-udp_tnl-segmentation off")
print("               (up0: its uplink), keep it off across reboots, and watch the bad count")
print("               stop here: csumguard stats --watch 5")
print("            2. ethtool -i up0: check driver and firmware against the vendor's known")
print("               issues, and update the firmware.")
print("            3. Until fixed: drain the node, or csumguard block %s to drop its" % addr(worst))
print("               tunnel traffic loudly everywhere (its SSH/kubelet traffic still passes).")
print()
print("Lab ground truth: the fault injector on node-3's uplink corrupted %d checksums;" % truth)
print("csumguard counted %d bad from %s, the kernel %d checksum errors." % (worst["bad"], who, kernel))
EOF

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

step "Second act: a bug in node-3's own stack"
say "Now a filter on node-3 itself (standing in for a NAT, an encapsulation or"
say "another BPF program) writes wrong *final* outer checksums on 2 % of its UDP"
say "tunnel packets. The receiver sees bad checksums from node-3 either way; only"
say "node-3's egress can say they were already wrong when its stack handed them on."
lab_fault_rate bad 0 || exit 1
lab_stack_bug bad 20000 || exit 1
lab_udp bad 4 2000 300
sleep 0.5
run "csumguard stats up0        # on node-3"
lab_cg bad stats up0
say "final_bad: the stack wrote a value that does not verify - a bug on this node,"
say "not its NIC (its NIC never touched these: they were not offloaded)."

step "Cleaning up"
run "csumguard detach up0 --purge"
lab_cg rx detach up0 --purge
for n in ok bad; do
	lab_cg "$n" detach up0 --purge >/dev/null
done
