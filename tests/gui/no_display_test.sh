#!/bin/sh
# tests/gui/no_display_test.sh BIN_DIR DB: without any display speedcenter-gui still answers --help,
# --version and usage errors, and refuses to open a window with exit 2 and a hint (no abort), whether no
# display is named or the named X server does not answer.
set -eu
bin=$1 db=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# run EXPECTED_EXIT COMMAND...: runs COMMAND with no display named and Qt's default platform.
run() {
  expected=$1
  shift
  rc=0
  env -u DISPLAY -u WAYLAND_DISPLAY QT_QPA_PLATFORM= "$@" >"$dir/out" 2>"$dir/err" || rc=$?
  [ "$rc" = "$expected" ] || fail "'$*' exited $rc, expected $expected; stderr: $(cat "$dir/err")"
}

run 0 "$bin/speedcenter-gui" --help
grep -q "^Usage: .*speedcenter-gui" "$dir/out" && grep -q -- "--db <path>" "$dir/out" ||
  fail "--help printed: $(cat "$dir/out")"
run 0 "$bin/speedcenter-gui" --version
grep -q "speedcenter-gui" "$dir/out" || fail "--version printed: $(cat "$dir/out")"
run 2 "$bin/speedcenter-gui" --no-such-option
grep -q "^error: Unknown option 'no-such-option'" "$dir/err" && grep -q "^hint: .*--help" "$dir/err" ||
  fail "a bad option printed: $(cat "$dir/err")"
run 2 "$bin/speedcenter-gui" --db "$db" --size big
grep -q "^error: --size" "$dir/err" || fail "a bad --size printed: $(cat "$dir/err")"

# A window without a display: exit 2 (not SIGABRT's 134) with the ways out.
run 2 "$bin/speedcenter-gui" --db "$db"
grep -q "^error: no display" "$dir/err" &&
  grep -q "^hint: .*xvfb-run.*QT_QPA_PLATFORM=offscreen" "$dir/err" ||
  fail "no display printed: $(cat "$dir/err")"
# A named X server that does not exist: Qt's platform plugin fails; still exit 2 with the hint.
run 2 env DISPLAY=:77 "$bin/speedcenter-gui" --db "$db"
grep -q "^hint: .*xvfb-run" "$dir/err" || fail "a dead X server printed: $(cat "$dir/err")"
# The non-interactive modes draw offscreen by themselves.
run 0 "$bin/speedcenter-gui" --db "$db" --view timeline --list-series
[ -s "$dir/out" ] || fail "--list-series without a display printed nothing"
echo ok
