#!/usr/bin/env bash
# scripts/gate-reliability.sh: the gate's acceptance loops (too slow for CI, run by hand): the gate fixture made
# to do 5% more work must fail the gate (exit 1) in every try, and an A/A comparison must pass (exit 0) in every
# try. MODE instructions gates exact counts; MODE time gates each run on the worker's CPU time per iteration
# (cpu-time) and on wall time (time), tallied separately. Prints one line per try and metric and the tallies;
# exits 1 unless every try of every metric behaves.
# Usage: scripts/gate-reliability.sh instructions|time [REGRESSION_TRIES=10] [AA_TRIES=20] [BUILD_BIN_DIR]
#   PB_GATE_THRESHOLD (3%), PB_GATE_PROCESSES (time mode: 40 a side), PB_GATE_SIZE (time 300000, instructions
#   20000), PB_GATE_METRICS (time mode: "cpu-time time"), PB_GATE_DB (keep the runs in this database; default: a
#   temporary one, removed)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:?usage: gate-reliability.sh instructions|time [REGRESSION_TRIES] [AA_TRIES] [BUILD_BIN_DIR]}
regression_tries=${2:-10}
aa_tries=${3:-20}
bin=${4:-$root/build/bin}
threshold=${PB_GATE_THRESHOLD:-3%}
work=$(mktemp -d /tmp/pb-gate-reliability.XXXXXX)
trap 'rm -rf "$work"' EXIT
db=${PB_GATE_DB:-$work/r.db}
extra="$root/tests/harness/fixtures/macrobenchmarks"
case "$mode" in
  instructions)
    size=${PB_GATE_SIZE:-20000}
    flags=(--instructions -w 1)
    metrics=(instructions) ;;
  time)
    size=${PB_GATE_SIZE:-300000}
    flags=(-p "${PB_GATE_PROCESSES:-40}" -n 5 -w 1)
    read -r -a metrics <<<"${PB_GATE_METRICS:-cpu-time time}" ;;
  *) echo "gate-reliability: MODE is instructions or time" >&2; exit 2 ;;
esac
declare -A caught passed

# One interleaved run of a=python3.8 and "b=python3.8 -X $1" (pb_work=105: 5% more work; pb_aa: the same),
# gated on every metric; prints "metric exit-code" lines.
try() {
  "$bin/pyston-bench" --db "$db" compare a=python3.8 "b=python3.8 -X $1" -b gate_work --benchmark-dir "$extra" \
    --size "$size" "${flags[@]}" >"$work/run.txt" 2>&1 || { for m in "${metrics[@]}"; do echo "$m 3"; done; return; }
  local id=$(sqlite3 "$db" "select max(id) from runs")
  for m in "${metrics[@]}"; do
    "$bin/pyston-bench" --db "$db" gate --baseline "$id:a" --candidate "$id:b" --metric "$m" \
      --threshold "$threshold" >"$work/gate.txt" 2>&1
    local rc=$?
    echo "$m $rc $(grep gate_work "$work/gate.txt" | tr -s ' ')"
  done
}

for m in "${metrics[@]}"; do caught[$m]=0; passed[$m]=0; done
for i in $(seq 1 "$regression_tries"); do
  while read -r m rc row; do
    echo "5% more work, try $i, $m: exit $rc (want 1)  $row  (load $(cut -d' ' -f1 /proc/loadavg))"
    [ "$rc" = 1 ] && caught[$m]=$((caught[$m] + 1))
  done < <(try pb_work=105)
done
for i in $(seq 1 "$aa_tries"); do
  while read -r m rc row; do
    echo "A/A, try $i, $m: exit $rc (want 0)  $row  (load $(cut -d' ' -f1 /proc/loadavg))"
    [ "$rc" = 0 ] && passed[$m]=$((passed[$m] + 1))
  done < <(try pb_aa)
done
status=0
for m in "${metrics[@]}"; do
  echo "$m, threshold $threshold: 5% more work failed the gate in ${caught[$m]} of $regression_tries;" \
    "A/A passed in ${passed[$m]} of $aa_tries"
  [ "${caught[$m]}" = "$regression_tries" ] && [ "${passed[$m]}" = "$aa_tries" ] || status=1
done
exit $status
