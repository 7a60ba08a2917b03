#!/usr/bin/env bash
# scripts/gate-reliability.sh: the gate's acceptance loops (too slow for CI, run by hand): the gate fixture made
# to do 5% more work must fail the gate (exit 1) in every try, and an A/A comparison must pass (exit 0) in every
# try, in MODE (instructions or time). Prints one line per try and a tally; exits 1 unless all tries behave.
# Usage: scripts/gate-reliability.sh MODE [REGRESSION_TRIES=10] [AA_TRIES=20] [BUILD_BIN_DIR]
#   PB_GATE_THRESHOLD (3%), PB_GATE_PROCESSES (time mode: 8), PB_GATE_SIZE (time 300000, instructions 20000)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:?usage: gate-reliability.sh instructions|time [REGRESSION_TRIES] [AA_TRIES] [BUILD_BIN_DIR]}
regression_tries=${2:-10}
aa_tries=${3:-20}
bin=${4:-$root/build/bin}
threshold=${PB_GATE_THRESHOLD:-3%}
work=$(mktemp -d /tmp/pb-gate-reliability.XXXXXX)
trap 'rm -rf "$work"' EXIT
db="$work/r.db"
extra="$root/tests/harness/fixtures/macrobenchmarks"
if [ "$mode" = instructions ]; then
  size=${PB_GATE_SIZE:-20000}
  flags=(--instructions -w 1)
else
  size=${PB_GATE_SIZE:-300000}
  flags=(-p "${PB_GATE_PROCESSES:-8}" -n 5 -w 1)
fi

# One interleaved run of a=python3.8 and "b=python3.8 -X $1" (pb_work=105: 5% more work; pb_aa: the same);
# prints the gate's exit code.
try() {
  "$bin/pyston-bench" --db "$db" compare a=python3.8 "b=python3.8 -X $1" -b gate_work --benchmark-dir "$extra" \
    --size "$size" "${flags[@]}" >"$work/run.txt" 2>&1 || { echo 3; return; }
  local id=$(sqlite3 "$db" "select max(id) from runs")
  "$bin/pyston-bench" --db "$db" gate --baseline "$id:a" --candidate "$id:b" --metric "$mode" \
    --threshold "$threshold" >"$work/gate.txt" 2>&1
  local rc=$?
  grep gate_work "$work/gate.txt" >&2
  echo $rc
}

ok=0
for i in $(seq 1 "$regression_tries"); do
  rc=$(try pb_work=105)
  echo "5% more work, try $i: exit $rc (want 1)"
  [ "$rc" = 1 ] && ok=$((ok + 1))
done
regressions_caught=$ok
ok=0
for i in $(seq 1 "$aa_tries"); do
  rc=$(try pb_aa)
  echo "A/A, try $i: exit $rc (want 0)"
  [ "$rc" = 0 ] && ok=$((ok + 1))
done
echo "$mode mode, threshold $threshold: 5% more work failed the gate in $regressions_caught of $regression_tries;" \
  "A/A passed in $ok of $aa_tries"
[ "$regressions_caught" = "$regression_tries" ] && [ "$ok" = "$aa_tries" ]
