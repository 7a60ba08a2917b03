#!/bin/sh
# tests/gui/fill_db.sh BIN_DIR DB [one-run|six-interpreters]: the GUI tests' database: two revisions of
# `pyston-bench compare` (python3 against itself under -X dev, batch benchmarks), plus a synthetic web run
# (latency, warmup, memory series) and a synthetic hot-line profile, because a real web run needs the flask
# environment and minutes.
# With one-run: what a new user has after the first `compare`: one run of the whole micro suite
# (16 benchmarks x 2 interpreters), one iteration each. With six-interpreters: one run of nbody under six
# interpreters (legends with six entries per chart).
set -eu
bin=$1 db=$2 mode=${3:-}
rm -f "$db" "$db-wal" "$db-shm"
case $mode in
  one-run)
    "$bin/pyston-bench" compare base=python3 "dev=python3 -X dev" -b micro -p 1 -n 1 -w 0 --db "$db" \
      >/dev/null
    echo "filled $db ($mode)"
    exit 0 ;;
  six-interpreters)
    "$bin/pyston-bench" compare base=python3 "dev=python3 -X dev" "nosite=python3 -S" "optimized=python3 -O" \
      "nobytecode=python3 -B" "unbuffered=python3 -u" -b nbody -p 1 -n 1 -w 0 --db "$db" >/dev/null
    echo "filled $db ($mode)"
    exit 0 ;;
esac
# The synthetic runs first: the Comparison view shows the newest run comparing two interpreters, the compare
# run.
"$bin/speedcenter-synthetic-db" "$db" --web-samples 20000 --hot-lines 60 >/dev/null
for rev in r1 r2; do
  "$bin/pyston-bench" compare base=python3 "dev=python3 -X dev" -b nbody,float -p 2 -n 3 -w 1 --db "$db" \
    --revision "$rev" >/dev/null
done
echo "filled $db"
