#!/usr/bin/env bash
# scripts/k8s-validate.sh - checks Kubernetes manifests against the
# Kubernetes OpenAPI schemas (deploy/validate/validate.mjs: the npm packages
# kubernetes-models and js-yaml at the versions pinned in
# deploy/validate/package-lock.json, installed with `npm ci` into
# build/k8s-validate the first time and whenever the lock changes).
#   scripts/k8s-validate.sh [FILE.yaml...]    (default: deploy/kubernetes/*.yaml)
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
D=${LAB_BUILD:-$ROOT/build}/k8s-validate
command -v node >/dev/null && command -v npm >/dev/null ||
	{ echo "k8s-validate: node and npm are missing; run scripts/deps.sh" >&2; exit 1; }
mkdir -p "$D" || exit 1
if ! cmp -s "$ROOT/deploy/validate/package-lock.json" "$D/package-lock.json" ||
	[ ! -d "$D/node_modules/kubernetes-models" ]; then
	cp "$ROOT/deploy/validate/package.json" "$ROOT/deploy/validate/package-lock.json" "$D/" || exit 1
	(cd "$D" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) ||
		{ echo "k8s-validate: npm ci in $D failed; check the npm registry is reachable" >&2
		  rm -f "$D/package-lock.json"; exit 1; }
fi
cp "$ROOT/deploy/validate/validate.mjs" "$D/" || exit 1
[ $# -gt 0 ] || set -- "$ROOT"/deploy/kubernetes/*.yaml
node "$D/validate.mjs" "$@"
