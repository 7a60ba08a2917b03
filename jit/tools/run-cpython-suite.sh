#!/bin/sh
# Runs a CPython version's whole regression suite under its launcher (`pyston` for 3.8, `pyston3.9`,
# `pyston3.10`), with the same exclusions as for the stock interpreter here: the GUI tests, and test_socket's
# VSOCK stream test, whose accept() never returns on this VM, stock included.
# usage: jit/tools/run-cpython-suite.sh [threshold] [version | launcher binary]
#   threshold: "default" = the built-in one (default 0: every function compiled)
#   version:   3.8 (default), 3.9 or 3.10: build/bin's launcher for it; or the path of a launcher
# Prints regrtest's summary (failed tests are run again verbosely, -w); the exit code is regrtest's. Run the stock interpreter the same way for the
# comparison: jit/tools/run-cpython-suite.sh default /root/.pyenv/versions/3.10.13/bin/python3.10
set -u
threshold=${1:-0}
here=$(cd "$(dirname "$0")/../.." && pwd)
target=${2:-3.8}
case "$target" in
    3.8) pyston=$here/build/bin/pyston ;;
    3.*) pyston=$here/build/bin/pyston$target ;;
    *) pyston=$target ;;
esac
if [ ! -x "$pyston" ]; then
    echo "run-cpython-suite.sh: $pyston does not exist (build it: cmake --build build, or give a launcher's path)" >&2
    exit 2
fi
if [ "$threshold" != "default" ]; then
    PYSTON_JIT_THRESHOLD=$threshold
    export PYSTON_JIT_THRESHOLD
fi
# Settings of the caller's environment that some tests check against the defaults (test_cmd_line's stdio
# buffering, test_compileall's byte code): unset, so a run here compares with a stock run anywhere.
unset PYTHONUNBUFFERED PYTHONDONTWRITEBYTECODE
cd "${TMPDIR:-/tmp}" || exit 2
# A background job of a non-interactive shell starts with SIGINT ignored, which several tests (test_pdb,
# test_generators, test_unittest's break tests) notice; the shell cannot undo that, so reset it before exec.
exec "$pyston" -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])' \
    "$pyston" -m test -j2 -w -x test_tkinter test_ttk_guionly test_idle test_tix \
    --ignore '*ThreadedVSOCKSocketStreamTest*'
