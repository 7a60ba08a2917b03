#!/usr/bin/env bash
# jit/tools/compare-listings.sh: does a change to the JIT leave its machine code alone? Runs the micro benchmarks
# (small sizes) and the JIT's test scripts at PYSTON_JIT_THRESHOLD=0 with PYSTON_JIT_DUMP under a build's
# pyston, rewrites each listing's absolute addresses (pointers into pyston_lite's .so become symbol+offset,
# others ADDR) and the build's path, and diffs two such sets.
#
# Usage: jit/tools/compare-listings.sh [--switches-off] --dump BUILD OUT   write BUILD's listings into OUT
#        jit/tools/compare-listings.sh [--switches-off] BEFORE AFTER       0 identical, 1 different, 2 error
#   BUILD/BEFORE/AFTER: a build folder or install prefix (bin/pyston, lib/pyston_lite/*.so); BEFORE or AFTER may
#   also be an OUT of --dump. A change that should not touch code generation: copy the old build's bin/pyston
#   and lib/pyston_lite (and the lib/python3.8 link) aside first, or --dump it before rebuilding.
#   --switches-off: every PYSTON_JIT_* speed switch set to 0 (the emitters' declined paths).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
scripts="test_exceptions test_generators test_handlers_compiled test_slices test_deferred_stack test_attr_caches
  test_caches"
die() { echo "compare-listings: $1" >&2; [ -n "${2:-}" ] && echo "  hint: $2" >&2; exit 2; }

if [ "${1:-}" = "--switches-off" ]; then
  shift
  for s in $(sed -n 's/^JIT_SWITCH([a-z_]*, *\(PYSTON_JIT_[A-Z_]*\)).*/\1/p' "$root/jit/include/jit/settings.def"); do
    export "$s=0"
  done
fi
work=$(mktemp -d /tmp/compare-listings.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The workload (runs in pyston) and the normaliser (runs in any python3), each printing what it needs.
cat >"$work/run.py" <<'EOF'
import importlib.util, os, runpy, sys
what = sys.argv[1]
if what == "micro":
    micro = sys.argv[2]
    for name in sorted(f for f in os.listdir(micro) if f.endswith(".py")):
        spec = importlib.util.spec_from_file_location(name[:-3], os.path.join(micro, name))
        m = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(m)
        size = max(1, m.DEFAULT_SIZE // 50)
        state = m.setup(size) if hasattr(m, "setup") else size
        for _ in range(2):
            m.run(state)
else:
    sys.argv = sys.argv[1:]
    sys.path.insert(0, os.path.dirname(os.path.abspath(what)))
    try:
        runpy.run_path(what, run_name="__main__")
    except SystemExit:
        pass
with open("/proc/self/maps") as maps:
    for line in maps:
        if "pyston_lite" in line:
            f = line.split()
            lo, hi = (int(x, 16) for x in f[0].split("-"))
            print("MAP", lo, hi, int(f[2], 16), file=sys.stderr)
EOF
cat >"$work/normalize.py" <<'EOF'
import bisect, os, re, subprocess, sys
raw, log, so, prefix, out, work = sys.argv[1:7]
maps = [[int(x) for x in l.split()[1:4]] for l in open(log) if l.startswith("MAP ")]
if not maps:
    sys.exit("no MAP line in %s: did the workload finish?" % log)
base = min(lo - off for lo, hi, off in maps)
lo, hi = min(m[0] for m in maps), max(m[1] for m in maps)
symbols = []
for line in subprocess.run(["nm", "-C", "--defined-only", so], capture_output=True, text=True).stdout.splitlines():
    f = line.split(" ", 2)
    if len(f) == 3 and f[1] in "tTwW":
        symbols.append((int(f[0], 16), f[2]))
symbols.sort()
starts = [s[0] for s in symbols]
def name(match):
    n = int(match.group(0))
    i = bisect.bisect_right(starts, n - base) - 1 if lo <= n < hi else -1
    if i < 0:
        return "ADDR"
    off = n - base - symbols[i][0]
    return "<%s%s>" % (symbols[i][1], "+%d" % off if off else "")
def flat(path):
    return re.sub(r"[^A-Za-z0-9]", "_", path)
os.makedirs(out, exist_ok=True)
for f in os.listdir(raw):
    text = re.sub(r"\b\d{10,}\b", name, open(os.path.join(raw, f)).read())
    text = text.replace(prefix, "PREFIX").replace(work, "WORK")
    # <name>_<pid>_<counter>.s: the pid goes, the counter stays (compilation order is part of the behaviour)
    f = re.sub(r"_\d+_(\d+)\.s$", r"_\1.s", f).replace(flat(prefix), "PREFIX").replace(flat(work), "WORK")
    open(os.path.join(out, f), "w").write(text)
EOF

dump() {  # dump BUILD OUT
  local build=$1 out=$2 so
  [ -x "$build/bin/pyston" ] || die "no $build/bin/pyston" "pass a build folder or an install prefix"
  so=$(ls "$build"/lib/pyston_lite/*.so 2>/dev/null | head -1)
  [ -n "$so" ] || die "no $build/lib/pyston_lite/*.so" "build the pyston_lite target"
  build=$(cd "$build" && pwd)
  mkdir -p "$out" || die "cannot create $out"
  touch "$out/.listings"
  local name args
  for name in micro $scripts; do
    if [ "$name" = micro ]; then args=(micro "$root/macrobenchmarks/micro"); else args=("$name.py"); fi
    rm -rf "$work/raw" && mkdir -p "$work/raw"
    (cd "$root/tests/jit" && DISABLE_PYSTON= PYSTON_JIT_THRESHOLD=0 PYSTON_JIT_DUMP="$work/raw" \
      "$build/bin/pyston" "$work/run.py" "${args[@]}" >"$out/$name.out" 2>&1)
    echo "$name exit $?" >>"$out/exit-codes"
    grep -v '^MAP ' "$out/$name.out" >"$out/$name.output"
    python3 "$work/normalize.py" "$work/raw" "$out/$name.out" "$so" "$build" "$out/$name" "$work" || exit 2
    rm "$out/$name.out"
  done
  echo "compare-listings: $(find "$out" -name '*.s' | wc -l) listings of $build in $out" >&2
}

if [ "${1:-}" = "--dump" ]; then
  [ $# -eq 3 ] || die "--dump takes BUILD OUT" "jit/tools/compare-listings.sh --dump build /tmp/before"
  dump "$2" "$3"
  exit 0
fi
[ $# -eq 2 ] || die "expected BEFORE AFTER (or --dump BUILD OUT)" "see the usage at the top of $0"
sides=()
for side in "$1" "$2"; do
  if [ -f "$side/.listings" ]; then
    sides+=("$side")
  else
    dump "$side" "$work/side${#sides[@]}"
    sides+=("$work/side${#sides[@]}")
  fi
done
if diff -r "${sides[0]}" "${sides[1]}" >"$work/diff"; then
  echo "compare-listings: identical ($(find "${sides[0]}" -name '*.s' | wc -l) listings, same outputs and exit codes)"
  exit 0
fi
head -100 "$work/diff"
echo "compare-listings: DIFFERENT ($(grep -c '^[<>]' "$work/diff") lines; the first 100 above)"
exit 1
