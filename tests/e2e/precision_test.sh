#!/usr/bin/env bash
# End-to-end test of compare --precision and the exports: a target that the minimum number of pairs reaches
# stops there and says so; an unreachable target stops at --max-time and names the benchmark; bad values are
# refused before anything runs; --export-json/-csv/-markdown write files that parse. Usage: precision_test.sh BIN
set -u
bin=${1:?usage: precision_test.sh BUILD_BIN_DIR}
source "$(dirname "$0")/e2e_lib.sh"
cp -r "$here/../harness/fixtures/macrobenchmarks" "$work/extra"

echo "== a wide target: reached after the minimum of 6 pairs (or a few more on a busy machine)"
"$bin/pyston-bench" --db "$db" compare python3.8 python3.11 -b gate_work --benchmark-dir "$work/extra" \
  --precision 99% -n 3 -w 0 --export-json "$work/e.json" --export-csv "$work/e.csv" --export-markdown "$work/e.md" \
  >"$work/out1.txt" 2>"$work/err1.txt"
rc=$?
cat "$work/out1.txt"
[ $rc -eq 0 ] || { fail "compare exited $rc"; cat "$work/err1.txt"; }
pairs=$(sed -n 's/^gate_work  *python3.11  *[0-9.]*x \[[0-9., ]*\]  *\([0-9]*\)  .*reached$/\1/p' "$work/out1.txt")
[ -n "$pairs" ] && [ "$pairs" -ge 6 ] && [ "$pairs" -le 15 ] && pass "reached after $pairs pairs (minimum 6)" \
  || fail "expected 6-15 pairs and 'reached', got '$pairs'"
grep -q "1 of 1 reached 99.0%" "$work/out1.txt" && pass "summary line" || fail "no summary line"
[ "$(q "select count(*) from workers")" = "$((2 * ${pairs:-0}))" ] && pass "two worker processes per pair stored" \
  || fail "workers stored do not match the pairs"
q "select options_json from runs" | grep -q '"precision":0.99' && pass "target stored with the run" || fail "target not stored"
python3 - "$work" <<'PY' || fail "exports"
import csv, json, sys
work = sys.argv[1]
j = json.load(open(work + "/e.json"))
p = j["benchmarks"][0]["comparisons"][0]["precision"]
assert 6 <= p["pairs"] <= 15 and p["reached"] and p["target"] == 0.99 and p["ci"][0] < p["speedup"] < p["ci"][1], p
rows = list(csv.DictReader(open(work + "/e.csv")))
assert [r["interpreter"] for r in rows] == ["python3.8", "python3.11"], rows
assert float(rows[1]["speedup"]) > 0 and rows[1]["precision_pairs"] == str(p["pairs"]) and float(rows[0]["mean"]) > 0, rows
md = open(work + "/e.md").read().splitlines()
assert md[0].startswith("| Benchmark | Interpreter | Mean [ms]") and md[1].startswith("|:---"), md[:2]
assert any("`gate_work` | python3.11 |" in line and "x [" in line for line in md), md
print("ok: JSON, CSV and Markdown exports parse and agree")
PY
"$bin/pyston-bench" --db "$db" show --export-markdown "$work/show.md" >/dev/null && cmp -s "$work/e.md" "$work/show.md" \
  && pass "show --export-markdown writes the same table" || fail "show --export-markdown differs"

echo "== an unreachable target stops at --max-time and names the benchmark"
start=$(date +%s)
"$bin/pyston-bench" --db "$db" compare python3.8 python3.11 -b fault_ok,gate_work --benchmark-dir "$work/extra" \
  --precision 0.01% --max-time 3 --size gate_work=20000 -n 2 -w 0 >"$work/out2.txt" 2>"$work/err2.txt"
rc=$?
took=$(( $(date +%s) - start ))
cat "$work/out2.txt"
[ $rc -eq 0 ] || { fail "compare exited $rc"; cat "$work/err2.txt"; }
[ $took -lt 40 ] && pass "the budget held ($took s for two benchmarks of 3 s)" || fail "took $took s"
grep -q "0 of 2 reached 0.0%" "$work/out2.txt" && grep -q "Not within the budget (--max-time, --max-total-time): fault_ok .*gate_work" "$work/out2.txt" \
  && pass "both named as not reached" || fail "benchmarks not named"
grep -q "interval .*(target 0.0%)" "$work/err2.txt" && pass "progress shows the interval so far" || fail "no interval in progress"
pairs=$(q "select count(*) from workers w join results r on r.id = w.result_id where r.run_id = 2")
[ "$pairs" -gt 14 ] && pass "kept adding pairs past the minimum ($pairs workers)" || fail "only $pairs workers"

echo "== --max-total-time ends the run's last benchmarks at the minimum"
"$bin/pyston-bench" --db "$db" compare python3.8 python3.11 -b fault_ok,gate_work --benchmark-dir "$work/extra" \
  --precision 0.01% --max-time 0 --max-total-time 2 --size gate_work=20000 -n 2 -w 0 >"$work/out5.txt" 2>&1
[ "$(q "select count(*) from workers w join results r on r.id = w.result_id join benchmarks b on b.id = r.benchmark_id where r.run_id = 3 and b.name = 'gate_work'")" = "12" ] \
  && pass "the second benchmark got the minimum 6 pairs once the total was spent" || fail "total budget not applied"

echo "== bad input"
for bad in "--precision abc" "--precision 0" "--precision 150%" "--precision 3% --max-time -1"; do
  "$bin/pyston-bench" --db "$db" compare python3.8 python3.11 $bad >"$work/out3.txt" 2>"$work/err3.txt"
  rc=$?
  [ $rc -eq 2 ] && grep -q "precision\|max-time" "$work/err3.txt" && pass "'$bad' refused with exit 2" \
    || { fail "'$bad': exit $rc"; cat "$work/err3.txt"; }
done
"$bin/pyston-bench" --db "$db" run python3.8 --precision 3% >"$work/out4.txt" 2>"$work/err4.txt"
[ $? -eq 2 ] && grep -q "needs a comparison" "$work/err4.txt" && pass "--precision on one interpreter refused" \
  || fail "--precision with run"
"$bin/pyston-bench" --db "$db" compare python3.8 python3.11 -b fault_ok --benchmark-dir "$work/extra" \
  --export-csv /nonexistent/dir/x.csv >"$work/out6.txt" 2>"$work/err6.txt"
[ $? -eq 2 ] && grep -q "not a writable folder" "$work/err6.txt" && [ "$(q 'select count(*) from runs')" = "3" ] \
  && pass "an unwritable export path is refused before running" || fail "unwritable export path"

finish
