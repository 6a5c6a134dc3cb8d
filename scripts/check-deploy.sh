#!/usr/bin/env bash
# scripts/check-deploy.sh - `make check-deploy`: what deploy/ ships, checked
# by the tools that will read it, each also fed a broken copy that must fail
# (so a check that cannot fail does not pass):
#   promtool check rules / test rules   deploy/prometheus/csumguard.rules*.yml
#   promtool check config               deploy/prometheus/prometheus.yml
#   promtool check rules                the Grafana dashboard's expressions
#   the Kubernetes OpenAPI schemas      deploy/kubernetes/*.yaml (k8s-validate.sh)
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d /tmp/csumguard-deploy.XXXXXX)
trap 'rm -rf -- "$T"' EXIT
pass=0 fail=0
ok() { echo "PASS: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
# expect RC WHAT CMD...: CMD exits RC; its output saved in $T/out
expect() {
	local want=$1 what=$2 rc
	shift 2
	"$@" >"$T/out" 2>&1
	rc=$?
	if [ "$rc" = "$want" ]; then ok "$what"; else bad "$what (exit $rc, want $want): $(tail -5 "$T/out")"; fi
}
command -v promtool >/dev/null || { echo "FAIL: no promtool; run scripts/deps.sh (Debian package prometheus)"; exit 1; }
P=$ROOT/deploy/prometheus

expect 0 "promtool check rules csumguard.rules.yml" promtool check rules "$P/csumguard.rules.yml"
expect 0 "promtool test rules csumguard.rules.test.yml" promtool test rules "$P/csumguard.rules.test.yml"
grep -q SUCCESS "$T/out" && ok "  the rule tests said: $(grep -c . "$T/out") lines, SUCCESS" || bad "no SUCCESS from promtool test rules"
expect 0 "promtool check config prometheus.yml" promtool check config "$P/prometheus.yml"

# The rule tests must catch a broken rule: the agent-down alert waiting 10
# minutes instead of 2, a threshold moved, a join on the wrong label.
cp "$P/csumguard.rules.test.yml" "$T/"
sed 's/^        for: 2m$/        for: 10m/' "$P/csumguard.rules.yml" >"$T/csumguard.rules.yml"
expect 1 "rule tests fail on a broken CsumguardAgentDown" promtool test rules "$T/csumguard.rules.test.yml"
sed 's/ > 0.001$/ > 0.05/' "$P/csumguard.rules.yml" >"$T/csumguard.rules.yml"
expect 1 "rule tests fail on a moved bad-ratio threshold" promtool test rules "$T/csumguard.rules.test.yml"
sed 's/group_left (instance, interface)/group_left (instance)/' "$P/csumguard.rules.yml" >"$T/csumguard.rules.yml"
expect 1 "rule tests fail on a join that loses the interface" promtool test rules "$T/csumguard.rules.test.yml"

# The dashboard: JSON, and every expression parses (as a recording rule);
# the e2e test agent_prometheus evaluates each against a real Prometheus.
D=$ROOT/deploy/grafana/csumguard-dashboard.json
python3 - "$D" "$T/dash.rules.yml" <<'EOF' && ok "dashboard: JSON with $(grep -c 'record:' "$T/dash.rules.yml") expressions" || bad "dashboard: not JSON or no expressions"
import json, sys
d = json.load(open(sys.argv[1]))
exprs = [t["expr"] for p in d["panels"] for t in p.get("targets", [])]
assert exprs and d["uid"] and d["title"]
with open(sys.argv[2], "w") as f:
    f.write("groups:\n  - name: dashboard\n    rules:\n")
    for i, e in enumerate(exprs):
        f.write("      - record: dashboard:expr%d\n        expr: %s\n" % (i, json.dumps(e)))
EOF
expect 0 "promtool parses every dashboard expression" promtool check rules "$T/dash.rules.yml"
printf 'groups:\n  - name: x\n    rules:\n      - record: x:y\n        expr: "sum by (source (rate(x[5m]))"\n' >"$T/broken.yml"
expect 1 "promtool refuses a broken expression" promtool check rules "$T/broken.yml"

# Kubernetes: the manifests, then broken copies of the DaemonSet
expect 0 "Kubernetes schemas: deploy/kubernetes/*.yaml" "$ROOT/scripts/k8s-validate.sh"
echo "      $(tail -1 "$T/out")"
DS=$ROOT/deploy/kubernetes/daemonset.yaml
sed 's/containerPort: 9469/containerPort: "9469x"/' "$DS" >"$T/type.yaml"
expect 1 "schemas refuse a port that is not a number" "$ROOT/scripts/k8s-validate.sh" "$T/type.yaml"
grep -q 'containerPort must be integer' "$T/out" || bad "  not said why: $(cat "$T/out")"
sed '/^      containers:/,/^      volumes:/{/^      volumes:/!d}' "$DS" >"$T/nocontainers.yaml"
expect 1 "schemas refuse a pod without containers" "$ROOT/scripts/k8s-validate.sh" "$T/nocontainers.yaml"
grep -q "must have required property 'containers'\|must have required property containers" "$T/out" || bad "  not said why: $(cat "$T/out")"
sed 's/^kind: DaemonSet$/kind: DaemonSett/' "$DS" >"$T/kind.yaml"
expect 1 "schemas refuse an unknown kind" "$ROOT/scripts/k8s-validate.sh" "$T/kind.yaml"
sed 's/^      hostNetwork: true$/      hostNetwork: "yes"/' "$DS" >"$T/bool.yaml"
expect 1 "schemas refuse hostNetwork: \"yes\"" "$ROOT/scripts/k8s-validate.sh" "$T/bool.yaml"
# what the DaemonSet must keep (issue 9): checked on the real file
for want in 'hostNetwork: true' 'privileged: true' 'path: /sys/fs/bpf' 'path: /sys/kernel/btf' \
	'fieldPath: spec.nodeName' 'path: /readyz' 'path: /healthz' 'interface default-route'; do
	grep -q -- "$want" "$ROOT"/deploy/kubernetes/*.yaml || bad "deploy/kubernetes lacks '$want'"
done

echo "$pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
