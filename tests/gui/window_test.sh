#!/bin/sh
# tests/gui/window_test.sh BIN_DIR DB: under Xvfb (xcb platform) speedcenter-gui opens a real window on the
# database, stays up for 2 s, notices another process writing the database, renders a screenshot through a
# real X server, and refuses a missing database with exit code 2.
set -eu
bin=$1 db=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cp "$db" "$dir/copy.db"

start=$(date +%s)
xvfb-run -a env QT_QPA_PLATFORM=xcb "$bin/speedcenter-gui" --db "$dir/copy.db" --quit-after 5000 \
  2> "$dir/stderr.txt" &
pid=$!
sleep 2
kill -0 "$pid" 2>/dev/null || fail "the window exited early: $(cat "$dir/stderr.txt")"
"$bin/speedcenter-synthetic-db" "$dir/copy.db" --revisions 2 --seed 9 >/dev/null
wait "$pid" || fail "speedcenter-gui exited with $? ($(cat "$dir/stderr.txt"))"
[ $(( $(date +%s) - start )) -ge 4 ] || fail "the window did not stay up"
grep -q "database changed" "$dir/stderr.txt" || fail "no reload after the database changed: $(cat "$dir/stderr.txt")"

xvfb-run -a env QT_QPA_PLATFORM=xcb "$bin/speedcenter-gui" --db "$db" --view timeline --screenshot "$dir/t.png" \
  >/dev/null 2>&1 || fail "xcb screenshot failed"
set -- $(python3 "$(dirname "$0")/png_stats.py" "$dir/t.png")
[ "$3" -ge 50 ] || fail "xcb screenshot has only $3 colours"

rc=0
"$bin/speedcenter-gui" --db "$dir/none.db" --screenshot "$dir/x.png" >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "a missing database should exit 2, got $rc"
echo ok
