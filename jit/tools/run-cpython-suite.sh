#!/bin/sh
# Runs CPython 3.8's whole regression suite under `pyston` (the same exclusions as for stock python3.8 here:
# the GUI tests, and test_socket's VSOCK stream test, whose accept() never returns on this VM, stock included).
# usage: jit/tools/run-cpython-suite.sh [threshold] [pyston binary]   (threshold "default" = the built-in one)
# Prints regrtest's summary; the exit code is regrtest's.
set -u
threshold=${1:-0}
here=$(cd "$(dirname "$0")/../.." && pwd)
pyston=${2:-$here/build/bin/pyston}
if [ "$threshold" != "default" ]; then
    PYSTON_JIT_THRESHOLD=$threshold
    export PYSTON_JIT_THRESHOLD
fi
cd "${TMPDIR:-/tmp}" || exit 2
# A background job of a non-interactive shell starts with SIGINT ignored, which several tests (test_pdb,
# test_generators, test_unittest's break tests) notice; the shell cannot undo that, so reset it before exec.
exec "$pyston" -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])' \
    "$pyston" -m test -j2 -x test_tkinter test_ttk_guionly test_idle test_tix \
    --ignore '*ThreadedVSOCKSocketStreamTest*'
