#!/usr/bin/env bash
# The configure step refuses to leave a component out silently: with Qt6OpenGL's CMake files missing (the
# package a --no-install-recommends machine lacks) it fails and names the Debian packages and the way out;
# with the GUI turned off explicitly it succeeds; without libpq it fails naming libpq-dev.
# Usage: configure_test.sh SOURCE_DIR
set -u
source=${1:?usage: configure_test.sh SOURCE_DIR}
work=$(mktemp -d /tmp/pb-configure.XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

cmake -S "$source" -B "$work/no-opengl" -DCMAKE_DISABLE_FIND_PACKAGE_Qt6OpenGL=ON >"$work/out1.txt" 2>&1
rc=$?
[ $rc -ne 0 ] && pass "configure fails without Qt6OpenGL" || fail "configure succeeded without Qt6OpenGL"
for word in libqt6opengl6-dev qt6-charts-dev "apt-get install --no-install-recommends" "-DPB_GUI=OFF"; do
  grep -qF -- "$word" "$work/out1.txt" && pass "message names '$word'" || fail "message lacks '$word'"
done
[ $failures -eq 0 ] || cat "$work/out1.txt"

cmake -S "$source" -B "$work/no-gui" -DCMAKE_DISABLE_FIND_PACKAGE_Qt6=ON -DPB_GUI=OFF >"$work/out2.txt" 2>&1
rc=$?
[ $rc -eq 0 ] && pass "configure succeeds with -DPB_GUI=OFF and no Qt" || { fail "-DPB_GUI=OFF configure: $rc"; tail -20 "$work/out2.txt"; }
grep -q "speedcenter-gui" "$work/no-gui/Makefile" 2>/dev/null && fail "gui still built with PB_GUI=OFF" \
  || pass "no speedcenter-gui target with PB_GUI=OFF"
# libpq is no optional part: the results store speaks PostgreSQL too.
cmake -S "$source" -B "$work/no-libpq" -DCMAKE_DISABLE_FIND_PACKAGE_PostgreSQL=ON >"$work/out3.txt" 2>&1
rc=$?
[ $rc -ne 0 ] && pass "configure fails without libpq" || fail "configure succeeded without libpq"
grep -qF "libpq-dev" "$work/out3.txt" && pass "message names 'libpq-dev'" || { fail "message lacks 'libpq-dev'"; tail -20 "$work/out3.txt"; }
exit $failures
