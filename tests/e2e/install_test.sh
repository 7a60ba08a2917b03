#!/usr/bin/env bash
# End-to-end test of the installed product: `cmake --install` into a temporary prefix and the .deb from CPack,
# then, in a private mount namespace where the source and build trees are hidden (empty tmpfs mounted over
# them), the installed pyston-bench runs a real comparison of python3.8 and the installed pyston, measure_loc
# profiles a script under it, and the .deb's files run the same way. Usage: install_test.sh BUILD_DIR SOURCE_DIR
set -u
build=$(cd "${1:?usage: install_test.sh BUILD_DIR SOURCE_DIR}" && pwd)
source=$(cd "${2:?usage: install_test.sh BUILD_DIR SOURCE_DIR}" && pwd)
work=$(mktemp -d /tmp/pb-install.XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

echo "== cmake --install $build --prefix $work/pb"
cmake --install "$build" --prefix "$work/pb" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "cmake --install"; }
for f in bin/pyston-bench bin/measure_loc bin/speedcenter-gui bin/pyston \
         lib/pyston_lite/pyston_lite.cpython-38-x86_64-linux-gnu.so lib/pyston_lite/pyston_lite_autoload.pth \
         share/pyston-bench/macrobenchmarks/pb_worker.py share/pyston-bench/macrobenchmarks/micro/nbody.py \
         share/pyston-bench/harness/python/pb_deterministic.py lib/python3.8/os.py \
         share/pyston-bench/wheels/pyston_lite-0.1-cp38-cp38-linux_x86_64.whl; do
  [ -e "$work/pb/$f" ] || fail "not installed: $f"
done
# The launchers of the other CPython versions the JIT was built for (pyston3.9, pyston3.10 where found).
launchers=""
for v in 3.9 3.10; do
  [ -x "$build/bin/pyston$v" ] || continue
  launchers="$launchers $v"
  t=${v/./}
  for f in bin/pyston$v lib/pyston_lite/pyston_lite.cpython-$t-x86_64-linux-gnu.so lib/python$v/os.py \
           share/pyston-bench/wheels/pyston_lite-0.1-cp$t-cp$t-linux_x86_64.whl; do
    [ -e "$work/pb/$f" ] || fail "not installed: $f"
  done
done
if strings "$work/pb/bin/pyston-bench" "$work/pb/bin/measure_loc" | grep -qF "$source/"; then
  fail "an installed binary still names the source tree ($source)"
else
  pass "no source path compiled into pyston-bench or measure_loc"
fi

echo "== cpack -G DEB"
(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/deb" >"$work/cpack.log" 2>&1) \
  || { cat "$work/cpack.log"; fail "cpack"; }
deb=$(ls "$work"/deb/pyston-bench_*.deb 2>/dev/null | head -1)
if [ -n "$deb" ]; then
  dpkg-deb -x "$deb" "$work/debroot" && pass "built and unpacked $(basename "$deb")" || fail "dpkg-deb -x"
  dpkg-deb -f "$deb" Depends | grep -q libqt6charts6 && pass ".deb declares its run-time dependencies" \
    || fail ".deb Depends"
else
  fail "no .deb written"
fi

# Everything below runs with the source and build trees out of sight, as on a machine that only installed.
hidden=$(cat <<INNER
set -u
mount -t tmpfs none "$source" || exit 97
case "$build/" in "$source"/*) ;; *) mount -t tmpfs none "$build" || exit 97 ;; esac
export PATH=/usr/local/bin:/usr/bin:/bin HOME="$work/home"
mkdir -p "\$HOME"
fails=0
check() { if "\$@"; then echo "ok: \$*"; else echo "FAIL: \$*"; fails=\$((fails + 1)); fi; }
[ ! -e "$source/macrobenchmarks" ] && echo "ok: source tree hidden"
for prefix in "$work/pb" "$work/debroot/opt/pyston-bench"; do
  echo "== \$prefix/bin/pyston-bench compare python3.8 pyston -b nbody --fast"
  "\$prefix/bin/pyston-bench" --db "$work/results.db" compare python3.8 pyston -b nbody --fast \
      >"$work/out.txt" 2>"$work/err.txt"
  rc=\$?
  cat "$work/out.txt"
  [ \$rc -eq 0 ] || { echo "FAIL: compare exited \$rc"; tail -20 "$work/err.txt"; fails=\$((fails + 1)); }
  check grep -q "Geometric mean" "$work/out.txt"
  check test "\$(sqlite3 "$work/results.db" "select i.executable from interpreters i join run_interpreters ri on ri.interpreter_id = i.id where ri.run_id = (select max(id) from runs) and ri.label = 'pyston'")" = "\$prefix/bin/pyston"
  check "\$prefix/bin/pyston" -c "import pyston_lite, sys; assert pyston_lite.is_enabled(); assert sys.version_info[:2] == (3, 8)"
  for v in $launchers; do
    check "\$prefix/bin/pyston\$v" -c "import pyston_lite, sys; assert pyston_lite.is_enabled(); assert '%d.%d' % sys.version_info[:2] == '\$v'"
  done
  echo 'def f(n):
    return sum(i * i for i in range(n))
for _ in range(30): f(20000)' >"$work/hot.py"
  check "\$prefix/bin/measure_loc" --python pyston --json "$work/hot.py" -o "$work/hot.json" >/dev/null
  check "\$prefix/bin/speedcenter-gui" --help >/dev/null
done
exit \$fails
INNER
)
unshare -m bash -c "$hidden"
rc=$?
case $rc in
  0) pass "the installed product works with the sources hidden" ;;
  97) fail "could not hide the source tree (unshare/mount need root)" ;;
  *) fail "$rc checks failed with the sources hidden" ;;
esac

[ $failures -eq 0 ] && echo "install_test: all passed" || echo "install_test: $failures failed"
exit $failures
