#!/usr/bin/env bash
# run-tests.sh: every test (GoogleTest unit tests, end-to-end tests of the real binaries, the JIT's tests and
# a regression-suite subset of CPython 3.8, 3.9 and 3.10 under pyston, pyston3.9, pyston3.10), via CTest.
# Builds first if needed. Needs ./setup.sh once.
set -euo pipefail
cd "$(dirname "$0")"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DPB_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)"
cd build
ctest --output-on-failure --timeout 1800 -j"$(nproc)" "$@"
