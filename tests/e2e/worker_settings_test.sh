#!/usr/bin/env bash
# End-to-end test of what workers get and what a run records about the machine: the chosen environment
# (default set, --inherit-environ, --copy-env), --affinity, --min-time, `pyston-bench system`, the machine's
# figures stored with each run (run_metadata) and the noisy-run warning. Usage: worker_settings_test.sh BIN
set -u
bin=${1:?usage: worker_settings_test.sh BUILD_BIN_DIR}
source "$(dirname "$0")/e2e_lib.sh"
cp -r "$here/../harness/fixtures/macrobenchmarks" "$work/extra"
log="$work/settings.log"
last_cpu=$(( $(nproc) - 1 ))

echo "== default: a chosen environment; --inherit-environ adds names; --affinity pins"
PB_SETTINGS_LOG="$log" PB_STRAY_SETTING=1 PYTHONMALLOC=debug "$bin/pyston-bench" --db "$db" run python3.8 \
  -b worker_settings --benchmark-dir "$work/extra" -p 1 -n 1 -w 0 --inherit-environ PB_SETTINGS_LOG \
  --affinity "$last_cpu" >"$work/out1.txt" 2>"$work/err1.txt" || { fail "run exited $?"; cat "$work/err1.txt"; }
python3 - "$log" "$last_cpu" <<'PY' || fail "environment or affinity"
import json, sys
entry = json.loads(open(sys.argv[1]).read().splitlines()[-1])
env = set(entry["environ"])
assert "PB_SETTINGS_LOG" in env and "PATH" in env, env
assert "PB_STRAY_SETTING" not in env and "PYTHONMALLOC" not in env, env
assert entry["cpus"] == [int(sys.argv[2])], entry["cpus"]
print("ok: worker got PATH and PB_SETTINGS_LOG, not PB_STRAY_SETTING or PYTHONMALLOC; ran on CPU %s" % sys.argv[2])
PY
q "select options_json from runs order by id desc limit 1" | grep -q "\"affinity\":\[$last_cpu\]" \
  && pass "affinity stored with the run" || fail "affinity not stored"

echo "== --copy-env passes everything"
PB_SETTINGS_LOG="$log" PB_STRAY_SETTING=1 "$bin/pyston-bench" --db "$db" run python3.8 -b worker_settings \
  --benchmark-dir "$work/extra" -p 1 -n 1 -w 0 --copy-env >/dev/null 2>&1 || fail "run --copy-env"
tail -1 "$log" | grep -q '"PB_STRAY_SETTING"' && pass "--copy-env: the stray variable reached the worker" || fail "--copy-env"

echo "== bad input"
for bad in "--affinity 9999" "--affinity x" "--affinity 1-0" "--copy-env --inherit-environ A" "--inherit-environ A=B"; do
  "$bin/pyston-bench" --db "$db" run python3.8 -b worker_settings --benchmark-dir "$work/extra" $bad \
    >"$work/out2.txt" 2>"$work/err2.txt"
  rc=$?
  [ $rc -eq 2 ] && grep -q "hint:\|give" "$work/err2.txt" && pass "'$bad' refused with a hint" || { fail "'$bad': exit $rc"; cat "$work/err2.txt"; }
done

echo "== --min-time calibrates pb_worker's inner loops"
"$bin/pyston-bench" --db "$db" run python3.8 -b worker_settings --benchmark-dir "$work/extra" -p 1 -n 2 -w 0 \
  --min-time 0.2 >/dev/null 2>&1 || fail "run --min-time"
last="(select id from results where run_id = (select max(id) from runs))"
v=$(q "select max(value) from samples where result_id = $last and kind = 'iteration'")
wall=$(q "select value from metrics where result_id = $last and name = 'worker_wall'")
# Two iterations of at least 0.2 s each (a call takes about 10 us): the worker ran for 0.4 s or more, and the
# stored value is still one call's time.
python3 -c "
v, wall = float('$v'), float('$wall')
assert v < 1e-3 and wall >= 0.4, (v, wall)
print('ok: worker ran %.2f s for 2 iterations; per-call value %.2g s' % (wall, v))" || fail "--min-time value $v wall $wall"

echo "== the machine's figures are stored with the run and reported"
for name in load1_before load1_after steal_fraction busy_fraction context_switches_per_second aslr governor isolation; do
  [ "$(q "select count(*) from run_metadata where run_id = (select max(id) from runs) and name = '$name'")" = "1" ] \
    || fail "run_metadata lacks $name"
done
pass "run_metadata has load, steal, busy, context switches, ASLR, governor, isolation"
"$bin/pyston-bench" --db "$db" show >"$work/show.txt"
grep -q "^Machine during the run: load .* CPU steal .* context switches/s" "$work/show.txt" \
  && pass "the report shows the machine during the run" || { fail "no machine line"; cat "$work/show.txt"; }
# A run that started on a loaded machine is reported as noisy (the stored load is made high for the test).
sqlite3 "$db" "update run_metadata set value = 64 where name = 'load1_before' and run_id = (select max(id) from runs)"
"$bin/pyston-bench" --db "$db" show >"$work/show2.txt"
grep -q "WARNING: this run was noisy" "$work/show2.txt" && grep -q "load average was 64.00 on" "$work/show2.txt" \
  && pass "a loaded machine gives the noisy-run warning" || { fail "no warning"; cat "$work/show2.txt"; }
"$bin/pyston-bench" --db "$db" --json show | python3 -c "import json,sys; m = json.load(sys.stdin)['machine_activity']; assert m['load1_before'] == 64, m; print('ok: JSON has machine_activity')" \
  || fail "JSON machine_activity"

echo "== pyston-bench system"
"$bin/pyston-bench" system --window 0.5 >"$work/system.txt" 2>&1 || fail "system exited $?"
cat "$work/system.txt"
for what in "CPU steal time .* since boot" "CPU frequency control" "ASLR" "CPU isolation" "Load average" "Hardware performance counters"; do
  grep -q "$what" "$work/system.txt" || fail "system does not report '$what'"
done
grep -q "sources add noise here" "$work/system.txt" && pass "system names each source with a figure" || fail "system summary"
"$bin/pyston-bench" --json system --window 0.2 | python3 -c "import json,sys; j = json.load(sys.stdin); assert all(set(f) == {'name','figure','noisy','advice'} for f in j), j; print('ok: system --json')" \
  || fail "system --json"
"$bin/pyston-bench" system --window -1 >/dev/null 2>&1; [ $? -eq 2 ] && pass "bad --window refused" || fail "bad --window"

finish
