#!/usr/bin/env bash
# scripts/ci-gate.sh: CI's performance gate, on exact instruction counts (valgrind), so it is not flaky on shared
# machines. (1) The subject interpreter's instructions per iteration on the CI benchmarks against the baseline
# committed in ci/instructions-baseline.json: a change making it execute more than $PB_GATE_THRESHOLD (2%) more
# instructions on any benchmark fails. (2) pyston executes fewer instructions than python3.8 on every benchmark.
#
# Usage: scripts/ci-gate.sh [BUILD_BIN_DIR]                    gate; exit 0 pass, 1 regression, 2 inconclusive/error
#        scripts/ci-gate.sh --update-baseline [BUILD_BIN_DIR]  re-measure and rewrite ci/instructions-baseline.json
# The subject is $PB_GATE_SUBJECT, else BUILD_BIN_DIR/pyston (default build/bin; then build-jit/bin) when built,
# else python3.8 gated against itself (check 2 is skipped then). A baseline measured for another subject fails
# with exit 2 and says to run --update-baseline (that is the switch when pyston first appears).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
update=0
if [ "${1:-}" = "--update-baseline" ]; then update=1; shift; fi
bin=${1:-$root/build/bin}
pb="$bin/pyston-bench"
baseline="$root/ci/instructions-baseline.json"
benchmarks=${PB_GATE_BENCHMARKS:-nbody,richards}
threshold=${PB_GATE_THRESHOLD:-2%}
work=$(mktemp -d /tmp/pb-ci-gate.XXXXXX)
trap 'rm -rf "$work"' EXIT
db="$work/gate.db"

subject=${PB_GATE_SUBJECT:-}
if [ -z "$subject" ]; then
  for candidate in "$bin/pyston" "$root/build/bin/pyston" "$root/build-jit/bin/pyston"; do
    if [ -x "$candidate" ]; then subject=$candidate; break; fi
  done
fi
if [ -z "$subject" ]; then
  subject=python3.8
  echo "ci-gate: no pyston built; gating python3.8 against the committed baseline"
fi
name=$(basename "${subject%% *}")

measure() {  # measure LABEL=INTERPRETER...: one --instructions run, prints its id
  "$pb" --db "$db" compare "$@" -b "$benchmarks" --instructions -w 0 >"$work/compare.txt" 2>&1 ||
    { cat "$work/compare.txt" >&2; echo "ci-gate: measuring failed" >&2; exit 2; }
  sqlite3 "$db" "select max(id) from runs"
}

if [ $update -eq 1 ]; then
  id=$(measure "$name=$subject")
  "$pb" --db "$db" gate --candidate "$id:$name" --save-baseline "$baseline" || exit 2
  echo "ci-gate: commit $baseline (subject $name)"
  exit 0
fi

[ -f "$baseline" ] || { echo "ci-gate: no $baseline; run scripts/ci-gate.sh --update-baseline" >&2; exit 2; }
recorded=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['interpreter'])" "$baseline")
if [ "$recorded" != "$name" ]; then
  echo "ci-gate: the baseline was measured for '$recorded', the subject is '$name';" \
    "run scripts/ci-gate.sh --update-baseline and commit ci/instructions-baseline.json" >&2
  exit 2
fi

if [ "$name" = "python3.8" ]; then
  id=$(measure "$name=$subject")
else
  id=$(measure "python3.8=python3.8" "$name=$subject")
fi
echo "== $name against the committed baseline (threshold $threshold)"
"$pb" --db "$db" gate --baseline "$baseline" --candidate "$id:$name" --metric instructions --threshold "$threshold"
verdict=$?
if [ "$name" != "python3.8" ]; then
  echo "== $name ahead of python3.8 (no benchmark may execute more instructions per iteration)"
  "$pb" --db "$db" gate --baseline "$id:python3.8" --candidate "$id:$name" --metric instructions --threshold 0%
  ahead=$?
  if [ $verdict -eq 1 ] || [ $ahead -eq 1 ]; then verdict=1; elif [ $ahead -ne 0 ]; then verdict=$ahead; fi
fi
exit $verdict
