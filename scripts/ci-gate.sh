#!/usr/bin/env bash
# scripts/ci-gate.sh: CI's performance gate, on exact instruction counts (valgrind), so it is not flaky on shared
# machines. (1) The subject interpreter's instructions per iteration on the CI benchmarks against the baseline
# committed in ci/instructions-baseline.json: a change making it execute more than $PB_GATE_THRESHOLD (2%) more
# instructions on any benchmark fails. (2) pyston is ahead of python3.8 on the CI benchmarks as a suite: the
# geometric mean of pyston/python3.8 instruction ratios must be at most 1 (each benchmark's ratio is printed).
# Counts are of steady state: $PB_GATE_WARMUPS (2) warmup iterations first (the JIT compiles hot code within
# the first), then iteration warmups+2 counted exactly (two cachegrind runs, their difference).
#
# Usage: scripts/ci-gate.sh [BUILD_BIN_DIR]                    gate; exit 0 pass, 1 regression, 2 inconclusive/error
#        scripts/ci-gate.sh --update-baseline [BUILD_BIN_DIR]  re-measure and rewrite ci/instructions-baseline.json
# The subject is $PB_GATE_SUBJECT, else BUILD_BIN_DIR/pyston (default build/bin; then build-jit/bin) when built,
# else python3.8 gated against itself (check 2 is skipped then). A baseline measured for another subject, other
# benchmarks, sizes or warmups fails with exit 2 and says to run --update-baseline.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
update=0
if [ "${1:-}" = "--update-baseline" ]; then update=1; shift; fi
bin=${1:-$root/build/bin}
pb="$bin/pyston-bench"
baseline="$root/ci/instructions-baseline.json"
# One micro benchmark per kind of work, each sized to ~10 ms an iteration natively (valgrind runs ~50x slower):
# float arithmetic, method calls on objects, object allocation, polymorphic calls, generators, and one bound by
# C library code (json), where a JIT helps least.
sizes=${PB_GATE_SIZES:-nbody=600,richards=500,float=3500,deltablue=70,generators=3500,json_dumps_loads=100}
benchmarks=$(echo "$sizes" | sed -E 's/=[0-9]+//g')
warmups=${PB_GATE_WARMUPS:-2}
threshold=${PB_GATE_THRESHOLD:-2%}
work=$(mktemp -d /tmp/pb-ci-gate.XXXXXX)
trap 'rm -rf "$work"' EXIT
db="$work/gate.db"
started=$(date +%s)

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
  "$pb" --db "$db" compare "$@" -b "$benchmarks" --size "$sizes" --instructions -w "$warmups" \
    >"$work/compare.txt" 2>&1 || { cat "$work/compare.txt" >&2; echo "ci-gate: measuring failed" >&2; exit 2; }
  sqlite3 "$db" "select max(id) from runs"
}

if [ $update -eq 1 ]; then
  id=$(measure "$name=$subject")
  "$pb" --db "$db" gate --candidate "$id:$name" --save-baseline "$baseline" || exit 2
  echo "ci-gate: commit $baseline (subject $name, $(($(date +%s) - started)) s)"
  exit 0
fi

[ -f "$baseline" ] || { echo "ci-gate: no $baseline; run scripts/ci-gate.sh --update-baseline" >&2; exit 2; }
# The baseline must have been measured the way this run measures, or the comparison means nothing.
mismatch=$(python3 - "$baseline" "$name" "$warmups" "$sizes" <<'EOF'
import json, sys
b = json.load(open(sys.argv[1]))
options = b.get("options", {})
want = {"interpreter": sys.argv[2], "warmups": int(sys.argv[3]),
        "sizes": dict((k, int(v)) for k, v in (item.split("=") for item in sys.argv[4].split(",")))}
have = {"interpreter": b.get("interpreter"), "warmups": options.get("warmups"), "sizes": options.get("sizes")}
print("; ".join("%s: baseline %s, now %s" % (k, have[k], want[k]) for k in want if have[k] != want[k]))
EOF
)
if [ -n "$mismatch" ]; then
  echo "ci-gate: the baseline was measured differently ($mismatch);" \
    "run scripts/ci-gate.sh --update-baseline and commit ci/instructions-baseline.json" >&2
  exit 2
fi

if [ "$name" = "python3.8" ]; then
  id=$(measure "$name=$subject")
else
  id=$(measure "python3.8=python3.8" "$name=$subject")
fi
echo "== $name against the committed baseline (threshold $threshold per benchmark)"
"$pb" --db "$db" gate --baseline "$baseline" --candidate "$id:$name" --metric instructions --threshold "$threshold"
verdict=$?
if [ "$name" != "python3.8" ]; then
  echo "== $name ahead of python3.8: geometric mean of instruction ratios at most 1 (negative change = ahead)"
  "$pb" --db "$db" gate --baseline "$id:python3.8" --candidate "$id:$name" --metric instructions --threshold 0% \
    --geomean
  ahead=$?
  if [ $verdict -eq 1 ] || [ $ahead -eq 1 ]; then verdict=1; elif [ $ahead -ne 0 ]; then verdict=$ahead; fi
fi
echo "ci-gate: exit $verdict after $(($(date +%s) - started)) s"
exit $verdict
