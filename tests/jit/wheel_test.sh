#!/usr/bin/env bash
# The pyston_lite wheel installs the JIT into a user's own interpreter, as Pyston-lite did: in a fresh venv of
# stock CPython, `pip install --no-index` of the wheel makes every `python script.py` run with the JIT (autoload
# .pth), DISABLE_PYSTON=1 turns it off for one process, and `pip uninstall` removes it again.
# Usage: wheel_test.sh WHEEL STOCK_PYTHON
set -u
wheel=${1:?usage: wheel_test.sh WHEEL STOCK_PYTHON}
python=${2:?usage: wheel_test.sh WHEEL STOCK_PYTHON}
work=$(mktemp -d /tmp/pb-wheel.XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

"$python" -m venv "$work/venv" || { echo "FAIL: venv"; exit 1; }
py="$work/venv/bin/python"
cat >"$work/hot.py" <<'PY'
import sys
def f(n):
    total = 0
    for i in range(n):
        total += i * i
    return total
for _ in range(300):
    f(1000)
try:
    import pyston_lite
except ImportError:
    print("jit=absent")
    sys.exit(0)
print("jit=%s compiled=%s" % (pyston_lite.is_enabled(), pyston_lite.is_compiled(f)))
PY
[ "$("$py" "$work/hot.py")" = "jit=absent" ] && pass "the fresh venv has no JIT" || fail "JIT present before install"

PIP_DISABLE_PIP_VERSION_CHECK=1 "$py" -m pip install --no-index "$wheel" >"$work/pip.txt" 2>&1 \
  && pass "pip install --no-index $(basename "$wheel")" || { fail "pip install"; cat "$work/pip.txt"; }
out=$("$py" "$work/hot.py")
[ "$out" = "jit=True compiled=True" ] && pass "a plain \`python hot.py\` runs with the JIT: $out" || fail "after install: $out"
out=$(DISABLE_PYSTON=1 "$py" "$work/hot.py")
[ "$out" = "jit=False compiled=False" ] && pass "DISABLE_PYSTON=1 turns it off: $out" || fail "DISABLE_PYSTON=1: $out"
"$py" -c 'import json, sys; json.dumps({"a": [1, 2]}); sys.exit(0)' && pass "the stdlib runs under it" || fail "stdlib"

PIP_DISABLE_PIP_VERSION_CHECK=1 "$py" -m pip uninstall -y pyston_lite >"$work/un.txt" 2>&1 \
  && pass "pip uninstall" || { fail "pip uninstall"; cat "$work/un.txt"; }
[ "$("$py" "$work/hot.py")" = "jit=absent" ] && pass "gone after uninstall" || fail "still there after uninstall"
site=$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["platlib"])')
ls "$site" | grep -q pyston && fail "files left in $site: $(ls "$site" | grep pyston)" || pass "no files left behind"
exit $failures
