#!/bin/sh
# Steady-state instructions per request of a web workload (flask, django), in-process, for each interpreter:
# valgrind counts a run of WARMUP+N requests and one of WARMUP+3N; the difference over 2N is the cost of a
# request after warmup, exact and independent of the machine's load. Interpreter names are resolved and
# their environments built by `pyston-bench provision`.
# usage: jit/tools/web-instructions.sh APP [WARMUP] [N] INTERPRETER...
#   e.g. jit/tools/web-instructions.sh django 80 40 python3.8 build/bin/pyston
set -eu
app=$1; warmup=$2; n=$3; shift 3
here=$(cd "$(dirname "$0")/../.." && pwd)
bench=$here/build/bin/pyston-bench
[ -x "$bench" ] || { echo "build pyston-bench first (cmake --build build)" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
count() {  # interpreter requests -> total instructions
    PYTHONHASHSEED=0 PYTHONPATH=$env_dir/site DISABLE_PYSTON= valgrind --tool=cachegrind --cache-sim=no \
        --cachegrind-out-file=/dev/null --log-file="$tmp/log" \
        "$1" "$here/jit/tools/wsgi_requests.py" "$here/macrobenchmarks/$app" "$warmup" "$2" >/dev/null
    sed -n 's/.*I *refs: *//p' "$tmp/log" | tr -d ,
}
printf '%-40s %16s\n' "interpreter ($app)" "instructions/request"
for name in "$@"; do
    line=$("$bench" provision "$name" -b "$app" | awk -v app="$app" '$2 == app' | head -1)
    env_dir=$(echo "$line" | awk '{print $NF}')
    [ -d "$env_dir/site" ] || { echo "no $app environment for $name (pyston-bench provision $name -b $app)" >&2; exit 2; }
    # The environment is shared by every build of one interpreter: a path given runs that build.
    case $name in
        */*) interp=$name ;;
        *) interp=$(sed -n 's/.*"executable": "\(.*\)".*/\1/p' "$env_dir/environment.json" | head -1) ;;
    esac
    a=$(count "$interp" "$n")
    b=$(count "$interp" $((3 * n)))
    printf '%-40s %16d\n' "$name" $(((b - a) / (2 * n)))
done
