#!/usr/bin/env python3
# bench/e2e_table.py RUNS.tsv CLK_TCK UDP_LEN - the tables of bench/e2e.sh.
# Each line of RUNS.tsv: round proto config Gbit/s seconds client_cpu%
# server_cpu% busy_jiffies total_jiffies (one iperf3 run).
import statistics
import sys

rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
hz = float(sys.argv[2])
ulen = sys.argv[3]
CONFIGS = ["none", "pass", "csumguard"]

runs = {}  # (proto, config) -> list of dicts, by round
for r, proto, cfg, gbps, secs, host, remote, busy, total in rows:
    gbps, secs = float(gbps), float(secs)
    gbit = gbps * secs
    runs.setdefault((proto, cfg), {})[int(r)] = {
        "gbps": gbps,
        # iperf3's cpu_utilization_percent: CPU time / wall time of its run
        "rusage": (float(host) + float(remote)) / 100.0 * secs / gbit,
        "stat": int(busy) / hz / gbit,
        "busy": int(busy) / int(total) * 100.0 if int(total) else 0.0,
    }


def med(proto, cfg, key):
    return statistics.median(v[key] for v in runs[(proto, cfg)].values())


def paired(proto, a, b, key):
    """Median over rounds of b/a, each round's runs side by side."""
    ra, rb = runs[(proto, a)], runs[(proto, b)]
    return statistics.median(rb[k][key] / ra[k][key] for k in ra if k in rb)


for proto in ("tcp", "udp"):
    what = "TCP, one stream" if proto == "tcp" else f"UDP, -b 0 (as fast as it goes), {ulen} B payload"
    print(f"\n{what}: medians of {len(runs[(proto, 'none')])} rounds")
    print("| configuration | Gbit/s received | CPU s/Gbit (iperf3 rusage) | CPU s/Gbit (/proc/stat, all CPUs) | all CPUs busy % |")
    print("|---|--:|--:|--:|--:|")
    for cfg in CONFIGS:
        print(f"| {cfg} | {med(proto, cfg, 'gbps'):.3f} | {med(proto, cfg, 'rusage'):.3f} "
              f"| {med(proto, cfg, 'stat'):.3f} | {med(proto, cfg, 'busy'):.0f} |")
    print("| **csumguard vs none**, paired by round | throughput "
          f"{(1 - paired(proto, 'none', 'csumguard', 'gbps')) * 100:+.1f} % lost | CPU/Gbit "
          f"x{paired(proto, 'none', 'csumguard', 'rusage'):.2f} | "
          f"x{paired(proto, 'none', 'csumguard', 'stat'):.2f} | |")
    print("| **csumguard vs pass**, paired by round | throughput "
          f"{(1 - paired(proto, 'pass', 'csumguard', 'gbps')) * 100:+.1f} % lost | CPU/Gbit "
          f"x{paired(proto, 'pass', 'csumguard', 'rusage'):.2f} | "
          f"x{paired(proto, 'pass', 'csumguard', 'stat'):.2f} | |")

print("\nthroughput lost = 1 - csumguard/none (negative: csumguard's run was faster). "
      "Target (issue 13): <= 5 %.")
print("every round (Gbit/s none / pass / csumguard):")
for proto in ("tcp", "udp"):
    line = [f"{proto}:"]
    for k in sorted(runs[(proto, "none")]):
        line.append("/".join(f"{runs[(proto, c)][k]['gbps']:.2f}" for c in CONFIGS))
    print("  " + "  ".join(line))
