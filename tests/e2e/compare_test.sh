#!/usr/bin/env bash
# End-to-end test of the pyston-bench binary: a tiny real comparison stored in SQLite and read back; faults
# (a raising, a hanging benchmark, a nonexistent interpreter) reported clearly; Ctrl-C leaves a consistent
# database and no processes behind. Usage: compare_test.sh BUILD_BIN_DIR
set -u
bin=${1:?usage: compare_test.sh BUILD_BIN_DIR}
source "$(dirname "$0")/e2e_lib.sh"
cp -r "$here/../harness/fixtures/macrobenchmarks" "$work/extra"

echo "== a real comparison of python3.8 and python3.11"
"$bin/pyston-bench" --db "$db" compare python3.8 python3.11 -b nbody,float,fault_ok \
  --benchmark-dir "$work/extra" -p 2 -n 2 -w 1 >"$work/out.txt" 2>"$work/err.txt"
rc=$?
cat "$work/out.txt"
[ $rc -eq 0 ] || { fail "compare exited $rc"; cat "$work/err.txt"; }
grep -q "Geometric mean" "$work/out.txt" && pass "table has a geometric mean" || fail "no geometric mean row"
grep -q "python3.11 vs python3.8" "$work/out.txt" && pass "comparison column" || fail "no comparison column"
grep -q "process 2/2" "$work/err.txt" && pass "progress shown" || fail "no progress line"
n=$(q "select count(*) from samples where kind = 'iteration'")
[ "$n" = "36" ] && pass "36 raw samples stored (3 benchmarks x 2 interpreters x 2 processes x 3)" || fail "expected 36 samples, got $n"
[ "$(q 'select status from runs order by id desc limit 1')" = "complete" ] && pass "run complete" || fail "run not complete"
[ "$(q 'select count(*) from metrics where name = "mean" and value > 0')" = "6" ] && pass "mean metric per result" || fail "missing mean metrics"
"$bin/pyston-bench" --db "$db" --json show >"$work/show.json" || fail "show --json failed"
python3 -c "
import json, sys
j = json.load(open('$work/show.json'))
assert len(j['benchmarks']) == 3, j['benchmarks']
g = j['geometric_mean'][0]
assert g['ci'][0] <= g['speedup'] <= g['ci'][1], g
print('ok: JSON report parses; python3.11/python3.8 geomean %.3f' % g['speedup'])
" || fail "JSON report"

echo "== a benchmark that raises and one that hangs: recorded as failed, the run continues"
"$bin/pyston-bench" --db "$db" compare python3.8 -b fault_raises,fault_hangs,fault_ok --benchmark-dir "$work/extra" \
  -p 1 -n 2 -w 0 --timeout 4 >"$work/out2.txt" 2>"$work/err2.txt"
rc=$?
[ $rc -eq 1 ] && pass "exit code 1 when a benchmark failed" || fail "exit code $rc, expected 1"
grep -q "deliberate failure in iteration 2" "$work/err2.txt" && pass "exception message shown" || fail "exception message missing"
grep -q "timeout" "$work/err2.txt" && pass "timeout shown" || fail "timeout missing"
grep -q "Failures:" "$work/out2.txt" && pass "failures listed in the report" || fail "no failure list"
[ "$(q "select count(*) from samples s join results r on r.id = s.result_id join benchmarks b on b.id = r.benchmark_id where s.kind = 'iteration' and b.name = 'fault_ok' and r.run_id = (select max(id) from runs)")" = "2" ] \
  && pass "the healthy benchmark after the failures was measured" || fail "fault_ok not measured after failures"
[ "$(q 'select status from runs order by id desc limit 1')" = "failed" ] && pass "run marked failed" || fail "run status"
[ "$(q 'select count(*) from failures where run_id = (select max(id) from runs)')" = "2" ] && pass "2 failure records" || fail "failure records"

echo "== a nonexistent interpreter"
"$bin/pyston-bench" --db "$db" compare python3.8 python9.9 >"$work/out3.txt" 2>"$work/err3.txt"
rc=$?
[ $rc -eq 2 ] && pass "exit code 2" || fail "exit code $rc, expected 2"
grep -q "unknown interpreter 'python9.9'" "$work/err3.txt" && grep -q "pyenv" "$work/err3.txt" \
  && pass "message names the interpreter and where it looked" || { fail "unclear message"; cat "$work/err3.txt"; }

echo "== the same interpreter twice under two labels"
"$bin/pyston-bench" --db "$db" compare a=python3.8 b=python3.8 -b nbody >"$work/out5.txt" 2>"$work/err5.txt"
rc=$?
[ $rc -eq 2 ] && pass "exit code 2" || fail "exit code $rc, expected 2"
grep -q "are the same interpreter" "$work/err5.txt" && grep -q "pyston-bench noise" "$work/err5.txt" \
  && pass "message says why and points to noise" || { fail "unclear message"; cat "$work/err5.txt"; }
grep -qi "constraint\|sqlite" "$work/err5.txt" && fail "a raw SQL error reached the user" || pass "no SQL error"

echo "== Ctrl-C in the middle of a run"
"$bin/pyston-bench" --db "$db" compare python3.8 python3.11 -b fault_ok,nbody --benchmark-dir "$work/extra" \
  -p 50 --size 40000 >"$work/out4.txt" 2>"$work/err4.txt" &
pid=$!
for _ in $(seq 1 100); do
  sleep 0.2
  [ "$(q "select count(*) from results where run_id = (select max(id) from runs) and status = 'ok'")" -ge 2 ] 2>/dev/null && break
done
sleep 1
# This run's own workers (its children and theirs), not other tests' nbody workers running at the same time.
workers=$(pgrep -P $pid; for child in $(pgrep -P $pid); do pgrep -P "$child"; done)
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 130 ] && pass "exit code 130 after Ctrl-C" || fail "exit code $rc after Ctrl-C"
sleep 0.5
left=""
for w in $workers; do kill -0 "$w" 2>/dev/null && left="$left $w"; done
left="$left $(pgrep -f "$work/extra" | tr '\n' ' ')"
[ -z "${left// /}" ] && pass "no worker left behind (of: $(echo $workers))" \
  || { fail "processes left behind:$left"; ps -o pid,args -p "$(echo $left | tr " " ",")" 2>/dev/null; }
[ "$(q 'select status from runs order by id desc limit 1')" = "incomplete" ] && pass "run marked incomplete" || fail "run not marked incomplete"
[ "$(q "select count(*) from results where run_id = (select max(id) from runs)")" = "2" ] \
  && pass "the finished benchmark was kept" || fail "finished benchmark not kept"
[ "$(q 'pragma integrity_check')" = "ok" ] && pass "integrity_check ok" || fail "integrity check"

echo "== list-runs"
"$bin/pyston-bench" --db "$db" list-runs >"$work/list.txt" || fail "list-runs"
[ "$(grep -c -E '^[0-9]+ ' "$work/list.txt")" = "3" ] && pass "list-runs shows the 3 runs that started" || { fail "list-runs"; cat "$work/list.txt"; }

echo "== $failures failure(s)"
[ $failures -eq 0 ]
