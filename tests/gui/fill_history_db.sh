#!/bin/sh
# tests/gui/fill_history_db.sh BIN_DIR DB: a synthetic history of 12 revisions (r1..r12) of five benchmarks, for
# the run browser and the Changes view: float slows down 5% at r7 (a regression `pyston-bench regressions`
# reports), richards is 10% slower in the newest revision, chaos 8% faster; nbody and go only wobble.
set -eu
bin=$1 db=$2
rm -f "$db" "$db-wal" "$db-shm"
synthetic() { "$bin/speedcenter-synthetic-db" "$db" --revisions 12 "$@" >/dev/null; }
synthetic --benchmark nbody --base-seconds 0.12 --seed 1
synthetic --benchmark float --base-seconds 0.05 --seed 2 --step-at 6 --step 0.05
synthetic --benchmark richards --base-seconds 0.08 --seed 3 --step-at 11 --step 0.10
synthetic --benchmark chaos --base-seconds 0.03 --seed 4 --step-at 11 --step -0.08
synthetic --benchmark go --base-seconds 0.2 --seed 5
echo "filled $db"
