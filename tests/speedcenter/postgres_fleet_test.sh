#!/bin/bash
# tests/speedcenter/postgres_fleet_test.sh BIN_DIR URL_FILE: pyston-bench against a real PostgreSQL server (the
# 'postgres' fixture): two compare processes writing at once end with every sample stored in its own run; a
# SQLite run copied in twice is stored once, and the dashboard shows all three; kill -9 of a compare leaves the store consistent and its run
# incomplete; history, regressions and the exports read the server.
set -euo pipefail
bin=$1
server=$(cat "$2")
db=fleet_$$
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }
psql "$server" -c "CREATE DATABASE $db"
url=${server/\/postgres\?//$db?}
dir=$(mktemp -d)
cleanup() { psql "$server" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true; rm -rf "$dir"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
q() { psql -At "$url" -c "$1"; }
pb() { "$bin/pyston-bench" "$@"; }

# Two writers at once (one of them through $PYSTON_BENCH_DB), sharing a benchmark and an interpreter.
pb --db "$url" compare python3 -b spectral_norm,float --fast --size 500 > "$dir/a.log" 2>&1 &
a=$!
PYSTON_BENCH_DB=$url pb compare python3 -b richards,float --fast --size 500 > "$dir/b.log" 2>&1 &
b=$!
wait $a || { cat "$dir/a.log"; fail "compare a failed"; }
wait $b || { cat "$dir/b.log"; fail "compare b failed"; }
[ "$(q "SELECT count(*) FROM runs WHERE status = 'complete'")" = 2 ] || fail "two complete runs expected: $(q "SELECT id, status FROM runs")"
# --fast: 3 processes x (1 warmup + 3 iterations) per benchmark and interpreter, each sample in its worker's result.
[ "$(q "SELECT count(*) FROM results WHERE status = 'ok'")" = 4 ] || fail "4 results expected"
bad=$(q "SELECT count(*) FROM (SELECT w.id FROM workers w LEFT JOIN samples s ON s.worker_id = w.id AND s.kind = 'iteration' GROUP BY w.id HAVING count(s.id) <> 4) AS x")
[ "$bad" = 0 ] || fail "$bad workers without their 4 iteration samples"
[ "$(q "SELECT count(*) FROM workers")" = 12 ] || fail "12 workers expected"
[ "$(q "SELECT count(*) FROM samples s JOIN workers w ON w.id = s.worker_id WHERE w.result_id <> s.result_id")" = 0 ] ||
  fail "samples mixed between results"
[ "$(q "SELECT count(DISTINCT r.run_id) FROM results r JOIN benchmarks b ON b.id = r.benchmark_id WHERE b.name = 'float'")" = 2 ] ||
  fail "float in both runs expected"
samples=$(q "SELECT count(*) FROM samples")

# A laptop's SQLite run joins them; copied twice, stored once.
pb --db "$dir/laptop.db" compare python3 -b float --fast --size 500 > /dev/null 2>&1 || fail "laptop compare failed"
pb copy --from "$dir/laptop.db" --to "$url" | grep -q "^copied 1 run" || fail "first copy did not copy the run"
pb copy --from "$dir/laptop.db" --to "$url" | grep -q "^already there, not copied again: run(s) 1" || fail "second copy"
[ "$(q "SELECT count(*) FROM runs")" = 3 ] || fail "three runs expected after copying twice"
[ "$(q "SELECT count(*) FROM samples")" = $((samples + $(sqlite3 "$dir/laptop.db" "SELECT count(*) FROM samples"))) ] ||
  fail "the copied run's samples"

# The dashboard on the server shows all three runs (when it is built: -DPB_GUI=OFF leaves it out).
if [ -x "$bin/speedcenter-gui" ]; then
  env -u DISPLAY -u WAYLAND_DISPLAY QT_QPA_PLATFORM= "$bin/speedcenter-gui" --db "$url" --dump-model > "$dir/model.json" 2>/dev/null ||
    fail "speedcenter-gui --db $url --dump-model"
  python3 -c "import json,sys; v={v['view']: v for v in json.load(open(sys.argv[1]))['views']}; r=v['runs']['table']['rows']; assert [x[0] for x in r] == ['3', '2', '1'] and all(x[7] == 'complete' for x in r), r; assert v['comparison']['has_data']" "$dir/model.json" ||
    fail "the dashboard does not show the three runs"
fi

# The readers on the server.
pb --db "$url" history -b float | grep -c "python3" | grep -q 3 || fail "history of float should have 3 points"
pb --db "$url" regressions --min-revisions 1 > /dev/null || fail "regressions"
pb --db "$url" export-csv samples 1 | head -1 | grep -q "^run,benchmark" || fail "export-csv"
pb --db "$url" export-pyperf 1 "$dir/run1.json" && python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['benchmarks']" "$dir/run1.json" ||
  fail "export-pyperf"

# kill -9 in the middle of a run: what was committed stays whole, the run becomes incomplete.
"$bin/pyston-bench" --db "$url" compare python3 -b richards,float,chaos,go,spectral_norm --fast > "$dir/killed.log" 2>&1 &
victim=$!
for _ in $(seq 300); do
  [ "$(q "SELECT count(*) FROM results r JOIN runs x ON x.id = r.run_id WHERE x.status = 'running'")" -ge 1 ] && break
  sleep 0.1
done
run=$(q "SELECT id FROM runs WHERE status = 'running'")
[ -n "$run" ] || fail "the victim's run never showed a result"
workers=$(pgrep -P $victim || true)
kill -9 $victim
wait $victim 2>/dev/null || true
# SIGKILL leaves the compare's current worker orphaned (it would finish its iteration); not the store's concern,
# but this test leaves no process behind (nbody is avoided here: e2e.compare looks for stray nbody workers).
[ -z "$workers" ] || kill -9 $workers 2>/dev/null || true
status=$(pb --db "$url" list-runs --json | python3 -c "import json,sys; print([r['status'] for r in json.load(sys.stdin) if r['id'] == $run][0])")
[ "$status" = incomplete ] || fail "killed run is '$status', not incomplete"
bad=$(q "SELECT count(*) FROM (SELECT w.id FROM workers w JOIN results r ON r.id = w.result_id LEFT JOIN samples s ON s.worker_id = w.id AND s.kind = 'iteration' WHERE r.run_id = $run GROUP BY w.id HAVING count(s.id) <> 4) AS x")
[ "$bad" = 0 ] || fail "a committed benchmark of the killed run lost samples"
echo "ok: $(q "SELECT count(*) FROM runs") runs, $(q "SELECT count(*) FROM samples") samples on $url"
