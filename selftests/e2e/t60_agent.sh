# selftests/e2e/t60_agent.sh - `csumguard agent` in the lab (issue 9), checked by
# the real tools: promtool on the agents' real output, a real Prometheus
# server (Debian's) scraping the three nodes' agents with csumguard's rules
# loaded, the fault injector's own counts, the receiving kernel's. Sourced
# by run.sh.
#
# The lab's nodes are network namespaces: an agent's 127.0.0.1 is its
# namespace's loopback. The receiver's agent listens there; the senders'
# agents listen on their underlay addresses (10.99.0.2/3:9469); Prometheus
# runs in the receiver's namespace, on its loopback, and reaches all three.
# Every agent and Prometheus this file starts is stopped by its pid on every
# exit path (t60_stop_all, chained into run.sh's EXIT trap).
E2E_TESTS+=(agent_metrics agent_textfile agent_lifecycle agent_prometheus)

T60_PIDS=()
T60_PROM_PID=
T60_PORT=9469
t60_stop_all() {
	local p

	for p in "${T60_PIDS[@]}" $T60_PROM_PID; do
		[ -n "$p" ] && kill -TERM "$p" 2>/dev/null
	done
	for p in "${T60_PIDS[@]}" $T60_PROM_PID; do
		[ -n "$p" ] || continue
		timeout 10 tail --pid="$p" -f /dev/null 2>/dev/null || kill -KILL "$p" 2>/dev/null
	done
	T60_PIDS=()
	T60_PROM_PID=
}
T60_PREV_TRAP=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//")
trap "t60_stop_all; ${T60_PREV_TRAP:-:}" EXIT

# HTTP from inside a node: get NODE URL [curl options] (body on stdout).
get() { local n=$1; shift; lab_exec "$n" curl -sS --max-time 20 "$@"; }
# the code only
code() { lab_exec "$1" curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$2"; }
listen_of() { [ "$1" = rx ] && echo "127.0.0.1:$T60_PORT" || echo "$(lab_ip4 "$1"):$T60_PORT"; }

# agent_start NODE VAR CONFIG [ARGS...]: csumguard agent on NODE (its pin dir,
# --listen listen_of NODE unless ARGS give one) in the background; its pid in
# VAR; waits until /readyz answers 200 (at most 20 s). CONFIG "" : none.
agent_start() {
	local n=$1 var=$2 cfg=$3 _p i listen
	shift 3
	listen=$(listen_of "$n")
	case " $* " in *" --listen "*) listen=$(sed -n 's/.*--listen \([^ ]*\).*/\1/p' <<<"$*") ;;
	*) set -- --listen "$listen" "$@" ;; esac
	[ -n "$cfg" ] && set -- --config "$cfg" "$@"
	# not through lab_nsenter: a function in the background is a subshell,
	# and its pid would not be the agent's
	nsenter --net="/run/netns/$(lab_ns "$n")" "$LAB_CSUMGUARD" --pin-dir "$(lab_pin "$n")" \
		agent --interval 1 --node-name "$n" "$@" >>"$E2E_TMP/agent-$n.log" 2>&1 &
	_p=$!
	T60_PIDS+=("$_p")
	printf -v "$var" '%s' "$_p"
	for i in $(seq 100); do
		[ "$(code "$n" "http://$listen/readyz")" = 200 ] && return 0
		if ! kill -0 "$_p" 2>/dev/null; then
			wait "$_p"
			fail "agent on $n exited ($?): $(tail -4 "$E2E_TMP/agent-$n.log")"
			return 1
		fi
		sleep 0.2
	done
	fail "agent on $n not ready on $listen in 20 s: $(tail -3 "$E2E_TMP/agent-$n.log")"
	return 1
}
# agent_stop PID [SIGNAL]: signals it and waits for its exit status (in $?).
agent_stop() {
	local rc

	kill -"${2:-TERM}" "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	rc=$?
	T60_PIDS=("${T60_PIDS[@]/$1}")
	return $rc
}
# Removes what the agents attached on every node (their pins too).
agents_detach() {
	local n

	for n in rx ok bad; do
		lab_cg "$n" detach up0 --purge >/dev/null 2>&1
	done
	return 0
}
# metric FILE NAME LABELS: the value of the sample NAME{LABELS} ("" if none).
metric() { grep -F "$2{$3} " "$1" | head -1 | awk '{print $NF}'; }

# A small parser of the exposition for exact comparisons (name{labels} value).
expo() {
	"$LAB_PY" - "$@" <<'EOF'
import json, re, sys
mode, path = sys.argv[1], sys.argv[2]
samples = {}
for line in open(path):
    if line.startswith('#') or not line.strip():
        continue
    m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$', line.rstrip('\n'))
    if not m:
        print("unparsable: " + line.rstrip()); sys.exit(1)
    labels = dict(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', m.group(2) or ''))
    samples[(m.group(1), tuple(sorted(labels.items())))] = float(m.group(3))
if mode == "src":	# src ADDR: the source's counters as {"field": value}
    out = {}
    for (name, labels), v in samples.items():
        l = dict(labels)
        if l.get("source") != sys.argv[3] or not name.endswith("_total"):
            continue
        # a family of a group (names.c): csumguard_source_GROUP_packets_total
        # {GROUP="VALUE"}; VALUE is the field's name without a "GROUP_" prefix
        fam = name[len("csumguard_source_"):-len("_total")]
        grp = fam[:-len("_packets")] if fam.endswith("_packets") else None
        if grp and grp in l:
            key = l[grp] if l[grp].startswith(grp) or grp in ("verdict", "class") else grp + "_" + l[grp]
        else:
            key = fam
        out[key] = int(v)
    print(json.dumps(out, sort_keys=True))
elif mode == "counters":	# every counter sample as "name{labels} value" lines
    for (name, labels), v in sorted(samples.items()):
        if name.endswith("_total"):
            print("%s%s %d" % (name, json.dumps(dict(labels), sort_keys=True, separators=(",", ":")), v))
EOF
}
# The source's counters as stats --json gives them (the same keys).
src_json() {
	"$LAB_PY" -c '
import json, sys
d = json.load(sys.stdin)
for i in d["interfaces"]:
    for s in (i["ingress"] or {}).get("sources", []):
        if s["addr"] == sys.argv[1]:
            print(json.dumps({k: v for k, v in s.items() if isinstance(v, int) and not isinstance(v, bool) and not k.endswith("_seconds")}, sort_keys=True))' "$1"
}

# --- agent_metrics: the exposition after real traffic, checked by promtool -------
test_agent_metrics() {
	local pid pid2 pid3 f0 f1 s0 s1 corrupted m j out rc

	begin agent_metrics "agent: /metrics after real traffic passes promtool; counters equal the injector's and stats'"
	printf '%s node-bad\n%s node-bad\n%s node-ok\n' "$BAD4" "$BAD6" "$OK4" >"$E2E_TMP/nodes"
	printf 'interface up0   # the uplink\nnodes %s\n' "$E2E_TMP/nodes" >"$E2E_TMP/rx.conf"
	agent_start rx pid "$E2E_TMP/rx.conf" || { agents_detach; end; return; }
	grep -q 'msg="known nodes from .*: 3 addresses of 2 nodes' "$E2E_TMP/agent-rx.log" ||
		fail "known nodes not loaded: $(grep nodes "$E2E_TMP/agent-rx.log")"
	lab_fault_rate bad 30000 partial
	f0=$(lab_fault_stats bad)
	s0=$(lab_snmp rx)
	lab_ping ok 4 500 >/dev/null
	lab_ping bad 4 1000 >/dev/null
	settle up0
	f1=$(lab_fault_stats bad)
	s1=$(lab_snmp rx)
	lab_fault_rate bad 0
	corrupted=$(($(key corrupted "$f1") - $(key corrupted "$f0")))
	gt "the injector corrupted some" "$corrupted" 0
	get rx "http://127.0.0.1:$T60_PORT/metrics" >"$E2E_TMP/m.txt" || fail "GET /metrics"
	m=$E2E_TMP/m.txt
	gt "exposition lines" "$(wc -l <"$m")" 50
	out=$(promtool check metrics <"$m" 2>&1)
	rc=$?
	eq "promtool check metrics: exit status" "$rc" 0
	eq "promtool check metrics: says nothing" "$out" ""
	note "promtool check metrics: rc $rc, $(grep -vc '^#' "$m") samples, no complaint"
	eq "bad sender's bad counter = the injector's corruptions" \
		"$(metric "$m" csumguard_source_verdict_packets_total "interface=\"up0\",source=\"$BAD4\",node=\"node-bad\",verdict=\"bad\"")" "$corrupted"
	eq "= the receiving kernel's Udp InCsumErrors" \
		"$(($(key udp_in_csum_errors "$s1") - $(key udp_in_csum_errors "$s0")))" "$corrupted"
	j=$(stats up0)
	eq "every counter of the bad sender = stats --json" "$(expo src "$m" "$BAD4")" "$(src_json "$BAD4" <<<"$j")"
	eq "interface ok total = stats" \
		"$(metric "$m" csumguard_interface_verdict_packets_total 'interface="up0",direction="ingress",verdict="ok"')" \
		"$("$LAB_PY" -c 'import json,sys; print(json.load(sys.stdin)["interfaces"][0]["ingress"]["verdicts"]["ok"])' <<<"$j")"
	# The interface's bad frames by class add up to its bad verdict (both
	# from the datapath's per-interface array; stats --json says the same).
	eq "interface classes: sum = the bad verdict = stats" \
		"$(awk '/^csumguard_interface_class_packets_total\{interface="up0",direction="ingress",/ { s += $2 } END { print s + 0 }' "$m") $(metric "$m" csumguard_interface_verdict_packets_total 'interface="up0",direction="ingress",verdict="bad"')" \
		"$("$LAB_PY" -c 'import json,sys; v=json.load(sys.stdin)["interfaces"][0]["ingress"]["verdicts"]["bad"]; print(v, v)' <<<"$j")"
	eq "interface zero_inner series (ok bad unfinished unchecked)" \
		"$(grep -c '^csumguard_interface_zero_inner_packets_total{interface="up0",direction="ingress",' "$m")" 4
	grep -q '^csumguard_nic_info{interface="up0",driver="veth",driver_version="1.0",tx_udp_tnl_segmentation="on",tx_udp_tnl_csum_segmentation="on",' "$m" ||
		fail "no csumguard_nic_info for up0 (veth): $(grep nic_info "$m")"
	grep -q "^csumguard_interface_address_info{interface=\"up0\",address=\"$(lab_ip4 rx)\"} 1$" "$m" ||
		fail "no address info"
	eq "/healthz" "$(code rx "http://127.0.0.1:$T60_PORT/healthz")" 200
	eq "/readyz" "$(code rx "http://127.0.0.1:$T60_PORT/readyz")" 200
	eq "/other" "$(code rx "http://127.0.0.1:$T60_PORT/other")" 404

	# the same state, every source (all) and the top one (top:1)
	agent_start rx pid2 "" --listen "127.0.0.1:$((T60_PORT + 1))" --metrics-sources all || true
	get rx "http://127.0.0.1:$((T60_PORT + 1))/metrics" >"$E2E_TMP/all.txt"
	# (its 500 pings, and whatever a previous test left in flight from it)
	gt "all: the clean sender's packets" \
		"$(metric "$E2E_TMP/all.txt" csumguard_source_packets_total "interface=\"up0\",source=\"$OK4\",node=\"node-ok\"")" 499
	eq "all: every counter of the clean sender = stats --json" "$(expo src "$E2E_TMP/all.txt" "$OK4")" \
		"$(src_json "$OK4" <<<"$(stats up0)")"
	eq "all: promtool check metrics" "$(promtool check metrics <"$E2E_TMP/all.txt" 2>&1; echo "rc $?")" "rc 0"
	agent_start rx pid3 "" --listen "127.0.0.1:$((T60_PORT + 2))" --metrics-sources top:1 || true
	get rx "http://127.0.0.1:$((T60_PORT + 2))/metrics" >"$E2E_TMP/top.txt"
	eq "top:1: sources with series" "$(grep -o 'source="[^"]*"' "$E2E_TMP/top.txt" | sort -u)" "source=\"$BAD4\""
	agent_stop "$pid2"
	eq "SIGTERM: exit status 0" "$?" 0
	agent_stop "$pid3"
	grep -q 'level=info msg="signal 15: stopping; the datapath stays attached' "$E2E_TMP/agent-rx.log" ||
		fail "no stopping line in the log"

	# errors: one line, exit 1
	out=$(lab_nsenter rx "$LAB_CSUMGUARD" --pin-dir "$LAB_PIN" agent --listen "127.0.0.1:$T60_PORT" 2>&1 | grep -v '^ts=')
	eq "port taken: one line" "$out" "csumguard: cannot listen on 127.0.0.1:$T60_PORT: Address already in use; another process has that port (ss -ltnp), give another with --listen"
	printf 'interface up0\nmode loud\n' >"$E2E_TMP/bad.conf"
	out=$(lab_nsenter rx "$LAB_CSUMGUARD" --pin-dir "$LAB_PIN" agent --config "$E2E_TMP/bad.conf" 2>&1)
	eq "bad config: exit status" "$?" 1
	eq "bad config: file:line and the fix" "$out" "csumguard: $E2E_TMP/bad.conf:2: bad --mode 'loud'; use --mode monitor or --mode drop"
	agent_stop "$pid"
	agents_detach
	lab_cg rx nodes load - </dev/null >/dev/null || fail "nodes load - (empty)"
	end
}

# --- agent_textfile: node_exporter's textfile, written atomically -----------------
# The file is rewritten every second (--interval 1) with 16000 sources and
# --metrics-sources all (about 14 MB), while a reader reads it whole in a loop:
# every read must be a whole exposition. The same reader against a plain
# rewrite in place (cp) must catch partial files: the check can fail.
textfile_reader() {	# FILE SECONDS: prints "reads N versions V partial P"
	"$LAB_PY" - "$1" "$2" <<'EOF'
import os, sys, time
path, secs = sys.argv[1], float(sys.argv[2])
end, reads, partial, versions, shape = time.time() + secs, 0, 0, set(), None
while time.time() < end:
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            data = f.read()
    except FileNotFoundError:
        continue
    reads += 1
    versions.add((st.st_ino, st.st_mtime_ns))
    # Complete: the first family first, every family's TYPE line, and the
    # last family's TYPE line where it ends a complete file. The number of
    # samples is not part of the shape: a real source may arrive meanwhile.
    last = data.rsplit(b"\n# TYPE ", 1)[-1].split(b" ", 1)[0]
    s = (data.split(b"\n", 1)[0], data.count(b"\n# TYPE "), last)
    ok = data.startswith(b"# HELP csumguard_build_info") and data.endswith(b"\n")
    if shape is None and ok:
        shape = s
    if not ok or s != shape:
        partial += 1
print("reads %d versions %d partial %d" % (reads, len(versions), partial))
EOF
}

test_agent_textfile() {
	local pid tf r n

	begin agent_textfile "agent --textfile: a reader racing the writer never sees a partial file"
	[ -x "$LAB_BUILD/bench/metrics_bench" ] || { fail "missing $LAB_BUILD/bench/metrics_bench (make all builds it)"; end; return; }
	mkdir -p "$E2E_TMP/textfile"
	tf=$E2E_TMP/textfile/csumguard.prom
	printf 'interface up0\ningress\n' >"$E2E_TMP/rx.conf"
	lab_cg rx attach up0 --ingress >/dev/null || { fail "attach"; end; return; }
	lab_nsenter rx "$LAB_BUILD/bench/metrics_bench" -f -n 16000 -b 16 "$LAB_PIN" up0 ||
		fail "fill the table"
	agent_start rx pid "$E2E_TMP/rx.conf" --textfile "$tf" --metrics-sources all || { agents_detach; end; return; }
	for _ in $(seq 50); do [ -s "$tf" ] && break; sleep 0.2; done
	r=$(textfile_reader "$tf" 8)
	note "atomic writer: $r"
	eq "partial reads" "$(sed 's/.*partial //' <<<"$r")" 0
	gt "versions seen" "$(sed 's/.*versions \([0-9]*\).*/\1/' <<<"$r")" 2
	# the 16 000 synthetic rows (10.200.0.0/16); real lab sources may come too
	n=$(grep -c '^csumguard_source_packets_total{.*source="10\.200\.' "$tf")
	eq "every synthetic source in the file" "$n" 16000
	eq "promtool check metrics on the textfile" "$(promtool check metrics <"$tf" 2>&1; echo "rc $?")" "rc 0"
	# after SIGTERM (while it runs, a write under way has its temporary
	# file: CI once listed one mid-write)
	agent_stop "$pid"
	ls "$E2E_TMP/textfile" | grep -q 'tmp' && fail "a temporary file was left after SIGTERM: $(ls "$E2E_TMP/textfile")"
	# the control: the same reader catches a writer that rewrites in place
	cp "$tf" "$E2E_TMP/big.prom"
	( end=$((SECONDS + 6)); while [ $SECONDS -lt $end ]; do cp "$E2E_TMP/big.prom" "$tf"; done ) &
	r=$(textfile_reader "$tf" 5)
	wait
	note "control, cp in place: $r"
	gt "the reader catches partial files of a non-atomic writer" "$(sed 's/.*partial //' <<<"$r")" 0
	agents_detach
	end
}

# --- agent_lifecycle: kill -9 and restart lose no count; SIGHUP; default route ---
test_agent_lifecycle() {
	local pid before after a b tun0 tun1 out rc

	begin agent_lifecycle "agent: kill -9 and restart lose nothing; SIGHUP reloads; default route"
	printf 'interface up0\n' >"$E2E_TMP/rx.conf"
	agent_start rx pid "$E2E_TMP/rx.conf" --metrics-sources all || { agents_detach; end; return; }
	lab_fault_rate bad 30000 partial
	lab_ping bad 4 600 >/dev/null
	lab_ping ok 4 100 >/dev/null
	settle up0
	lab_fault_rate bad 0
	get rx "http://127.0.0.1:$T60_PORT/metrics" >"$E2E_TMP/before.txt"
	agent_stop "$pid" KILL
	eq "kill -9: killed" "$?" 137
	attached up0 || fail "the XDP program went with the agent"
	lab_ping ok 4 200 >/dev/null	# counted while no agent runs
	settle up0
	agent_start rx pid "$E2E_TMP/rx.conf" --metrics-sources all || { agents_detach; end; return; }
	grep -q 'msg="up0: adopted what is attached (ingress and egress); its counters go on"' "$E2E_TMP/agent-rx.log" ||
		fail "the restarted agent did not adopt: $(tail -3 "$E2E_TMP/agent-rx.log")"
	get rx "http://127.0.0.1:$T60_PORT/metrics" >"$E2E_TMP/after.txt"
	expo counters "$E2E_TMP/before.txt" >"$E2E_TMP/before.c"
	expo counters "$E2E_TMP/after.txt" >"$E2E_TMP/after.c"
	# every counter of before is in after, never smaller
	out=$(join -j1 <(sed 's/ \([0-9]*\)$/\t\1/' "$E2E_TMP/before.c" | sort -t$'\t' -k1,1) \
		<(sed 's/ \([0-9]*\)$/\t\1/' "$E2E_TMP/after.c" | sort -t$'\t' -k1,1) -t$'\t' |
		awk -F'\t' '$3 < $2 {print "went back: " $0}')
	eq "no counter went back" "$out" ""
	eq "counters before, all still there" "$(wc -l <"$E2E_TMP/before.c")" \
		"$(join -t$'\t' <(cut -d' ' -f1 "$E2E_TMP/before.c" | sort) <(cut -d' ' -f1 "$E2E_TMP/after.c" | sort) | wc -l)"
	a=$(metric "$E2E_TMP/before.txt" csumguard_source_packets_total "interface=\"up0\",source=\"$BAD4\"")
	b=$(metric "$E2E_TMP/after.txt" csumguard_source_packets_total "interface=\"up0\",source=\"$BAD4\"")
	eq "bad sender's packets: the same after the restart" "$b" "$a"
	a=$(metric "$E2E_TMP/before.txt" csumguard_source_packets_total "interface=\"up0\",source=\"$OK4\"")
	b=$(metric "$E2E_TMP/after.txt" csumguard_source_packets_total "interface=\"up0\",source=\"$OK4\"")
	eq "ok sender: + the 200 pings sent while the agent was dead" "$((b - a))" 200

	# SIGHUP: mode and ports of the file set on the adopted interface
	printf 'interface up0\nmode drop\nport gue:6080\n' >"$E2E_TMP/rx.conf"
	kill -HUP "$pid"
	for _ in $(seq 50); do grep -q 'mode drop (was monitor)' "$E2E_TMP/agent-rx.log" && break; sleep 0.1; done
	j=$(stats up0)
	eq "after SIGHUP: mode" "$(field up0 mode "$j")" '"drop"'
	lab_cg rx stats up0 | head -1 | grep -q 'ports vxlan:4789,8472 geneve:6081 gue:6080$' ||
		fail "after SIGHUP: ports: $(lab_cg rx stats up0 | head -1)"
	printf 'interface up0\nmode sideways\n' >"$E2E_TMP/rx.conf"
	kill -HUP "$pid"
	for _ in $(seq 50); do grep -q 'kept the configuration in force' "$E2E_TMP/agent-rx.log" && break; sleep 0.1; done
	grep -q "level=error msg=\"SIGHUP: $E2E_TMP/rx.conf:2: bad --mode 'sideways'; use --mode monitor or --mode drop; kept the configuration in force\"" "$E2E_TMP/agent-rx.log" ||
		fail "a bad config on SIGHUP: $(tail -2 "$E2E_TMP/agent-rx.log")"
	eq "still serving after a bad reload" "$(code rx "http://127.0.0.1:$T60_PORT/healthz")" 200
	agent_stop "$pid"
	eq "SIGTERM after reloads: exit status" "$?" 0
	attached up0 || fail "SIGTERM took the XDP program off"
	agents_detach

	# interface default-route: none in the sender's namespace yet, then one
	printf 'interface default-route\negress\n' >"$E2E_TMP/ok.conf"
	out=$(lab_nsenter ok "$LAB_CSUMGUARD" --pin-dir "$(lab_pin ok)" agent --config "$E2E_TMP/ok.conf" --listen "$(listen_of ok)" 2>&1)
	rc=$?
	eq "no default route: exit status" "$rc" 1
	grep -q 'level=error msg="this network namespace has no default route' <<<"$out" || fail "no default route: $out"
	lab_exec ok ip route add default via 10.99.0.254 dev up0 || fail "ip route add default"
	agent_start ok pid "$E2E_TMP/ok.conf" || { lab_exec ok ip route del default; agents_detach; end; return; }
	grep -q 'msg="the default route goes through up0"' "$E2E_TMP/agent-ok.log" || fail "the log does not name up0"
	lab_exec ok tc filter show dev up0 egress | grep -q 'csumguard_tc' || fail "no egress filter on ok's up0"
	agent_stop "$pid"
	lab_exec ok ip route del default
	agents_detach
	end
}

# --- agent_prometheus: a real Prometheus over the three agents ---------------------
# prom_q EXPR: the query's result as JSON lines [labels, value], or "error: ..."
prom_q() {
	get rx --get --data-urlencode "query=$1" "http://127.0.0.1:$T60_PROM_PORT/api/v1/query" |
		"$LAB_PY" -c '
import json, sys
d = json.load(sys.stdin)
if d["status"] != "success":
    print("error: " + d.get("error", "?")); sys.exit(0)
r = d["data"]["result"]
if d["data"]["resultType"] == "scalar": r = [{"metric": {}, "value": r}]
for x in sorted(r, key=lambda x: json.dumps(x["metric"], sort_keys=True)):
    print(json.dumps([x["metric"], x["value"][1]], sort_keys=True))'
}
prom_v() { prom_q "$1" | head -1 | "$LAB_PY" -c 'import json,sys; l=sys.stdin.read().strip(); print(json.loads(l)[1] if l and not l.startswith("error") else l)'; }
prom_start() {	# starts Prometheus in rx on T60_PROM_PORT with storage $E2E_TMP/prom
	ip netns exec "$(lab_ns rx)" prometheus --config.file="$E2E_TMP/prometheus.yml" \
		--storage.tsdb.path="$E2E_TMP/prom" --web.listen-address="127.0.0.1:$T60_PROM_PORT" \
		>>"$E2E_TMP/prometheus.log" 2>&1 &
	T60_PROM_PID=$!
	for _ in $(seq 100); do
		[ "$(code rx "http://127.0.0.1:$T60_PROM_PORT/-/ready")" = 200 ] && return 0
		sleep 0.2
	done
	fail "Prometheus not ready: $(tail -3 "$E2E_TMP/prometheus.log")"
	return 1
}
prom_stop() {
	[ -n "$T60_PROM_PID" ] || return 0
	kill -TERM "$T60_PROM_PID"
	wait "$T60_PROM_PID" 2>/dev/null
	T60_PROM_PID=
}
# prom_wait EXPR WANT: until the query's first value is WANT (at most 30 s).
prom_wait() {
	local got

	for _ in $(seq 150); do
		got=$(prom_v "$1")
		[ "$got" = "$2" ] && return 0
		sleep 0.2
	done
	fail "Prometheus: $1 = '$got', never '$2' in 30 s"
	return 1
}

test_agent_prometheus() {
	local prx pok pbad f0 fw f1 w corrupted partial exact v r e n bad_before t0 span out

	begin agent_prometheus "Prometheus scraping the lab's agents: the bad sender's counter, the NIC corruption rate, the dashboard, agent down, restarts"
	T60_PROM_PORT=$(lab_exec rx "$LAB_PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	printf 'interface up0\n' >"$E2E_TMP/rx.conf"
	printf 'interface up0\negress\n' >"$E2E_TMP/tx.conf"
	agent_start rx prx "$E2E_TMP/rx.conf" || { agents_detach; end; return; }
	agent_start ok pok "$E2E_TMP/tx.conf" || { agents_detach; end; return; }
	agent_start bad pbad "$E2E_TMP/tx.conf" || { agents_detach; end; return; }
	cat >"$E2E_TMP/prometheus.yml" <<EOF
global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: ["$(cd "$E2E_DIR/../.." && pwd)/deploy/prometheus/csumguard.rules.yml"]
scrape_configs:
  - job_name: csumguard
    static_configs:
      - {targets: ["127.0.0.1:$T60_PORT"], labels: {instance: rx}}
      - {targets: ["$(lab_ip4 ok):$T60_PORT"], labels: {instance: ok}}
      - {targets: ["$(lab_ip4 bad):$T60_PORT"], labels: {instance: bad}}
EOF
	eq "promtool check config" "$(promtool check config "$E2E_TMP/prometheus.yml" >/dev/null 2>&1; echo $?)" 0
	prom_start || { agents_detach; end; return; }
	t0=$(date +%s)
	prom_wait 'count(up{job="csumguard"} == 1)' 3
	lab_fault_rate bad 30000 partial
	f0=$(lab_fault_stats bad)
	# Warm-up: in the default --metrics-sources nonok a source gets its series
	# with its first bad count, so Prometheus's first sample of it is not 0
	# and rate() cannot see what came before it. A short burst first (its
	# row appears and is scraped), then the measured one.
	lab_ping bad 4 200 >/dev/null
	settle up0
	fw=$(lab_fault_stats bad)
	prom_wait "csumguard_source_verdict_packets_total{instance=\"rx\",source=\"$BAD4\",verdict=\"bad\"}" \
		"$(($(key corrupted "$fw") - $(key corrupted "$f0")))"
	sleep 2
	lab_ping bad 4 3000 >/dev/null	# the outer checksum is the NIC's to finish
	lab_udp bad 4 300		# written final by the stack: never corrupted here
	lab_ping ok 4 500 >/dev/null
	settle up0
	f1=$(lab_fault_stats bad)
	lab_fault_rate bad 0
	corrupted=$(($(key corrupted "$f1") - $(key corrupted "$f0")))
	partial=$(($(key partial "$f1") - $(key partial "$f0")))
	note "injector: corrupted $corrupted of $partial offloaded"
	gt "corrupted" "$corrupted" 0
	# Prometheus has the bad sender's counter: the injector's count, exactly
	prom_wait "csumguard_source_verdict_packets_total{instance=\"rx\",source=\"$BAD4\",verdict=\"bad\"}" "$corrupted"
	prom_wait "sum(csumguard_interface_state_packets_total{instance=\"bad\",state=\"offloaded\"})" "$partial"
	exact=$("$LAB_PY" -c "print(repr($corrupted / $partial))")
	# the rule is evaluated every second: its value after the last scrape
	for _ in $(seq 50); do
		v=$(prom_v 'csumguard:nic_corruption:ratio{node="bad"}')
		"$LAB_PY" -c "import sys; sys.exit(0 if abs(float('$v' or 'nan') - $exact) <= 1e-12 * $exact else 1)" 2>/dev/null && break
		sleep 0.2
	done
	note "csumguard:nic_corruption:ratio{node=\"bad\"} = $v; injector $corrupted/$partial = $exact"
	eq "recording rule nic_corruption:ratio = injector's rate" \
		"$("$LAB_PY" -c "print(abs($v - $exact) <= 1e-12 * $exact)")" True
	# its series appears with the rule evaluation after ok's first scrape
	for _ in $(seq 50); do
		v=$(prom_v 'csumguard:nic_corruption:ratio{node="ok"}')
		[ -n "$v" ] && break
		sleep 0.2
	done
	eq "the clean sender's rate" "$v" 0
	# The 5 m rate: rate() extrapolates each series by up to one scrape
	# interval (1 s) over the span of its samples, and the bad series missed
	# at most the warm-up's corruptions (w): the rate lies in
	# [(c - w) / p * (1 - 2 s/span), c / p * (1 + 2 s/span)].
	sleep 5
	span=$(($(date +%s) - t0))
	w=$(($(key corrupted "$fw") - $(key corrupted "$f0")))
	v=$(prom_v 'csumguard:nic_corruption:ratio_rate5m{node="bad"}')
	note "csumguard:nic_corruption:ratio_rate5m{node=\"bad\"} = $v (samples over ${span} s; warm-up corrupted $w)"
	eq "ratio_rate5m within Prometheus's extrapolation of the injector's rate" \
		"$("$LAB_PY" -c "c, w, p, s, v = $corrupted, $w, $partial, $span, $v; print((c - w) / p * (1 - 2 / s) <= v <= c / p * (1 + 2 / s))")" True
	out=$(prom_q 'topk(3, csumguard:nic_corruption_by_firmware:ratio_rate5m)')
	note "which firmware corrupts: $out"
	grep -q '"driver": "veth"' <<<"$out" || fail "no by-firmware series: $out"
	# every expression of the dashboard evaluates without error
	n=0
	while IFS= read -r e; do
		n=$((n + 1))
		r=$(prom_q "$e")
		[[ $r == error:* ]] && fail "dashboard expression fails: $e: $r"
	done < <("$LAB_PY" -c '
import json, sys
for p in json.load(open(sys.argv[1]))["panels"]:
    for t in p.get("targets", []):
        print(t["expr"].replace("$__rate_interval", "5m").replace("\n", " "))' \
		"$(cd "$E2E_DIR/../.." && pwd)/deploy/grafana/csumguard-dashboard.json")
	gt "dashboard expressions evaluated" "$n" 5
	out=$(prom_q 'topk(10, sum by (source, node) (rate(csumguard_source_verdict_packets_total{verdict="bad"}[5m])) / sum by (source, node) (rate(csumguard_source_verdict_packets_total{verdict=~"ok|bad|unfinished"}[5m])) > 0)')
	eq "the dashboard's worst senders: the bad one alone" "$(cut -d, -f1 <<<"$out")" "[{\"source\": \"$BAD4\"}"

	# stopping an agent: Prometheus sees it down, the alert goes pending
	agent_stop "$prx"
	prom_wait 'up{instance="rx"}' 0
	prom_wait 'count(ALERTS{alertname="CsumguardAgentDown",instance="rx",alertstate="pending"})' 1
	agent_start rx prx "$E2E_TMP/rx.conf" || true
	prom_wait 'up{instance="rx"}' 1

	# kill -9 of the bad sender's agent and a restart of Prometheus: no
	# counter goes back (pinned state), resets() sees none
	bad_before=$(prom_v "csumguard_source_verdict_packets_total{instance=\"rx\",source=\"$BAD4\",verdict=\"bad\"}")
	agent_stop "$pbad" KILL
	prom_stop
	lab_fault_rate bad 30000 partial
	lab_ping bad 4 1000 >/dev/null
	settle up0
	lab_fault_rate bad 0
	f1=$(lab_fault_stats bad)
	agent_start bad pbad "$E2E_TMP/tx.conf" || true
	prom_start || { agents_detach; end; return; }
	prom_wait 'count(up{job="csumguard"} == 1)' 3
	corrupted=$(($(key corrupted "$f1") - $(key corrupted "$f0")))
	prom_wait "csumguard_source_verdict_packets_total{instance=\"rx\",source=\"$BAD4\",verdict=\"bad\"}" "$corrupted"
	gt "bad counter grew across the restarts" "$corrupted" "$bad_before"
	for e in csumguard_source_verdict_packets_total csumguard_source_packets_total \
		csumguard_interface_verdict_packets_total csumguard_interface_state_packets_total \
		csumguard_interface_frames_total csumguard_interface_tunnel_total; do
		eq "resets($e) over the restarts" "$(prom_v "sum(resets($e[10m]))")" 0
	done
	gt "counters seen" "$(prom_v 'count({__name__=~"csumguard_.*_total"})')" 20

	prom_stop
	agent_stop "$prx"
	agent_stop "$pok"
	agent_stop "$pbad"
	agents_detach
	end
}
