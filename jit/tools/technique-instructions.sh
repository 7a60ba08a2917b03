#!/bin/sh
# Each speed technique's own effect in exact instructions: one `pyston-bench compare --instructions` run of
# build/bin/pyston as is ("on") and with each PYSTON_JIT_<switch>=0 alone ("no_<switch>"), over the CI gate's
# benchmarks and sizes. The report gives instructions per steady-state iteration and, per switch, how many
# more the code runs without it. About 15 minutes on 2 cores.
# usage: [PYSTON=launcher] jit/tools/technique-instructions.sh [SWITCH...]   (default: all of them)
#   PYSTON: the launcher to measure (default build/bin/pyston; e.g. build/bin/pyston3.10)
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
pyston=${PYSTON:-$here/build/bin/pyston}
[ -x "$pyston" ] && [ -x "$here/build/bin/pyston-bench" ] || { echo "$pyston or pyston-bench missing: build first (cmake --build build)" >&2; exit 2; }
# Every switch of the settings table (jit/include/jit/settings.def) unless named.
all=$(sed -n 's/^JIT_SWITCH([a-z_]*, "PYSTON_JIT_\([A-Z_]*\)").*/\1/p' "$here/jit/include/jit/settings.def" | tr '\n' ' ')
switches=${*:-$all}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
set -- "on=$pyston"
for s in $switches; do
    printf '#!/bin/sh\nPYSTON_JIT_%s=0 exec %s "$@"\n' "$s" "$pyston" >"$tmp/$s"
    chmod +x "$tmp/$s"
    set -- "$@" "no_$(echo "$s" | tr 'A-Z' 'a-z')=$tmp/$s"
done
"$here/build/bin/pyston-bench" --db "$tmp/techniques.db" compare "$@" \
    -b nbody,richards,float,deltablue,generators,json_dumps_loads \
    --size nbody=600,richards=500,float=3500,deltablue=70,generators=3500,json_dumps_loads=100 --instructions -w 2
