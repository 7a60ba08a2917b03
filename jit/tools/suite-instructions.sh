#!/bin/sh
# Exact instructions of a short-lived workload, CPython's own tests (`python -m test TESTS`), per interpreter:
# the whole process and its children under cachegrind, run twice, the second run reported (the first may write
# .pyc files). Judges compile cost against what it saves (issue 20's test-suite target: not slower than the
# stock interpreter at the default threshold).
# usage: [TESTS="test_grammar test_dict test_json"] jit/tools/suite-instructions.sh INTERPRETER...
#   e.g. jit/tools/suite-instructions.sh /root/.pyenv/versions/3.8.18/bin/python3.8 build/bin/pyston
set -eu
tests=${TESTS:-test_grammar test_dict test_json}
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%-50s %18s  %s\n' "interpreter ($tests)" "instructions" "result"
for interp in "$@"; do
    [ -x "$interp" ] || { echo "$interp: not an executable (give a path)" >&2; exit 2; }
    for run in 1 2; do
        rm -f "$tmp"/*.log
        # shellcheck disable=SC2086
        (cd "$tmp" && env -u PYTHONDONTWRITEBYTECODE -u PYTHONUNBUFFERED PYTHONHASHSEED=0 DISABLE_PYSTON= \
            valgrind --tool=cachegrind --cache-sim=no --branch-sim=no --trace-children=yes \
            --smc-check=all-non-file --cachegrind-out-file=/dev/null --log-file="$tmp/%p.log" \
            "$interp" -m test $tests >"$tmp/out" 2>&1) || true
    done
    total=$(cat "$tmp"/*.log | sed -n 's/.*I *refs: *//p' | tr -d , | awk '{s += $1} END {printf "%d", s}')
    printf '%-50s %18s  %s\n' "$interp" "$total" "$(tail -1 "$tmp/out")"
done
