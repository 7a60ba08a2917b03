#!/bin/sh
# tests/speedcenter/cli_regressions_test.sh BIN_DIR: `pyston-bench regressions/history/export-csv/pyperf` on a
# synthetic history with a 5% step at r7 and on one without; checks output, exit codes and the pyperf round trip.
set -eu
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$bin/speedcenter-synthetic-db" "$dir/step.db" --revisions 12 --step-at 6 --step 0.05 --seed 3 >/dev/null
"$bin/speedcenter-synthetic-db" "$dir/noise.db" --revisions 10 --seed 4 >/dev/null

out=$("$bin/pyston-bench" regressions --db "$dir/step.db")
echo "$out" | grep -q "^REGRESSION  synthetic \[cpython\] mean: +[0-9.]*%.* between r6 (run 6) and r7 (run 7)" ||
  fail "step not reported at r6 -> r7: $out"
rc=0; "$bin/pyston-bench" regressions --db "$dir/step.db" --check >/dev/null || rc=$?
[ "$rc" = 1 ] || fail "--check should exit 1 on a regression, got $rc"
out=$("$bin/pyston-bench" regressions --db "$dir/noise.db" --check) || fail "--check on noise exited non-zero"
echo "$out" | grep -q "^no steps" || fail "noise reported steps: $out"

rows=$("$bin/pyston-bench" history -b synthetic --db "$dir/step.db" | grep -c "^r[0-9]")
[ "$rows" = 12 ] || fail "history printed $rows revisions, expected 12"
"$bin/pyston-bench" export-csv history -b synthetic --db "$dir/step.db" -o "$dir/h.csv" 2>/dev/null
[ "$(wc -l < "$dir/h.csv")" = 13 ] || fail "history CSV should have a header and 12 rows"
rc=0; "$bin/pyston-bench" history -b nonexistent --db "$dir/step.db" >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "unknown benchmark: exit $rc, expected 2"

"$bin/pyston-bench" export-pyperf 1 "$dir/run1.json" --db "$dir/step.db" >/dev/null
"$bin/pyston-bench" import-pyperf "$dir/run1.json" --label again --db "$dir/noise.db" >/dev/null
run=$("$bin/pyston-bench" list-runs --db "$dir/noise.db" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
"$bin/pyston-bench" export-pyperf "$run" "$dir/run1b.json" --db "$dir/noise.db" >/dev/null
python3 - "$dir/run1.json" "$dir/run1b.json" <<'PY' || fail "pyperf export -> import -> export changed the document"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a == b, (a, b)
PY
echo "ok"
