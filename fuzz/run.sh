#!/usr/bin/env bash
# fuzz/run.sh - runs the libFuzzer harnesses (fuzz/README.md).
#
#   fuzz/run.sh corpus FUZZ_BUILD NAME...         every committed input once
#   fuzz/run.sh fuzz FUZZ_BUILD SECONDS NAME...   each harness SECONDS long
#
# corpus: fuzz/corpus/NAME/* through build/fuzz/fuzz_NAME, each once (a
# crash or a broken promise fails); make check runs it. fuzz: new inputs
# go to FUZZ_BUILD/corpus/NAME (the committed seeds are read, never
# written), crashes to FUZZ_BUILD/artifacts/; a dictionary
# fuzz/dict/NAME.dict is used when there is one. Prints per harness the
# executions, the coverage, and when coverage last grew (the plateau).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:?usage: fuzz/run.sh corpus|fuzz FUZZ_BUILD [SECONDS] NAME...}
fb=${2:?FUZZ_BUILD missing}
shift 2
if [ "$mode" = fuzz ]; then
	secs=${1:?SECONDS missing}
	shift
fi
[ $# -gt 0 ] || { echo "fuzz/run.sh: no harness named" >&2; exit 2; }

fail=0
for n in "$@"; do
	bin=$fb/fuzz_$n
	seeds=fuzz/corpus/$n
	[ -x "$bin" ] || { echo "fuzz: $bin missing; make fuzz-build builds it" >&2; exit 1; }
	[ -d "$seeds" ] && [ -n "$(ls -A "$seeds")" ] ||
		{ echo "fuzz: no seed corpus $seeds; commit a few inputs there" >&2; exit 1; }
	case $mode in
	corpus)
		count=$(find "$seeds" -type f | wc -l)
		if out=$("$bin" $(find "$seeds" -type f | sort) 2>&1); then
			echo "ok   - fuzz corpus $n: $count inputs"
		else
			printf '%s\n' "$out" | grep -v '^Running: \|^Executed ' | tail -30
			echo "FAIL - fuzz corpus $n: an input crashed or broke a promise (above)"
			fail=1
		fi
		;;
	fuzz)
		mkdir -p "$fb/corpus/$n" "$fb/artifacts"
		dict=()
		[ -f "fuzz/dict/$n.dict" ] && dict=(-dict="fuzz/dict/$n.dict")
		log=$fb/fuzz_$n.log
		echo "fuzz: $n for $secs s (log $log)"
		start=$(date +%s)
		set +e
		"$bin" -max_total_time="$secs" -print_final_stats=1 -rss_limit_mb=1024 \
			-artifact_prefix="$fb/artifacts/$n-" "${dict[@]}" "$fb/corpus/$n" "$seeds" 2>&1 |
			while IFS= read -r l; do printf '%s\t%s\n' "$(($(date +%s) - start))" "$l"; done > "$log"
		rc=${PIPESTATUS[0]}
		set -e
		# Lines "SECONDS<TAB>#EXECS  NEW cov: EDGES ft: FEATURES ...". The
		# plateau: when the edges reached their final count, and when the
		# features (edges by hit count, finer) last grew.
		execs=$(grep -ao 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' || echo ?)
		cov=$(grep -aoP 'cov: \d+' "$log" | grep -o '[0-9]*' | sort -n | tail -1)
		ft=$(grep -aoP 'ft: \d+' "$log" | grep -o '[0-9]*' | sort -n | tail -1)
		at_cov=$(grep -m1 -aP "\t#\d+\s+\S+\s+cov: ${cov:-x} " "$log" || true)
		at_ft=$(grep -aP '\t#\d+\s+NEW' "$log" | tail -1 || true)
		grow="edges $cov since $(cut -f1 <<<"$at_cov") s (exec $(cut -f2 <<<"$at_cov" | grep -o '^#[0-9]*'))"
		grow+=", features $ft, last new at $(cut -f1 <<<"${at_ft:-0}") s"
		if [ "$rc" -ne 0 ]; then
			grep -v '^[0-9]*\t#' "$log" | cut -f2- | tail -40
			echo "FAIL - fuzz $n: crash or broken promise after $execs executions; input in $fb/artifacts/"
			fail=1
		else
			echo "ok   - fuzz $n: $execs executions in $secs s; $grow"
		fi
		;;
	*)
		echo "fuzz/run.sh: unknown mode '$mode'" >&2
		exit 2
		;;
	esac
done
exit $fail
