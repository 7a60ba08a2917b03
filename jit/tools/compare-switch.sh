#!/bin/sh
# One technique's own gain on macrobenchmarks/micro: the same pyston with the switch off and on, alternating
# (this machine is noisy), best iteration time of each, the ratio off/on (> 1: the technique helps) and the
# geometric mean. Every benchmark's check() runs.
# usage: jit/tools/compare-switch.sh SWITCH [rounds] [pyston binary] [benchmark ...]
#   e.g. jit/tools/compare-switch.sh PYSTON_JIT_DIRECT_CALLS 3 build/bin/pyston richards go
set -u
switch=$1
rounds=${2:-2}
here=$(cd "$(dirname "$0")/../.." && pwd)
pyston=${3:-$here/build/bin/pyston}
[ $# -gt 3 ] && shift 3 || set --
exec "$pyston" - "$switch" "$rounds" "$pyston" "$here/macrobenchmarks" "${WARMUPS:-2}" "${ITERATIONS:-3}" "$@" <<'PY'
import json, math, os, subprocess, sys
switch, rounds, pyston, root, warmups, iterations = sys.argv[1:7]
only = set(sys.argv[7:])
manifest = [b for b in json.load(open(os.path.join(root, "micro", "manifest.json")))["benchmarks"]
            if not only or b["name"] in only]

def run(env, bench):
    r, w = os.pipe()
    proc = subprocess.Popen([pyston, os.path.join(root, "pb_worker.py"), "--benchmark",
                             os.path.join(root, "micro", bench["file"]), "--size", str(bench["size"]),
                             "--warmups", warmups, "--iterations", iterations, "--report-fd", str(w)],
                            pass_fds=(w,), stdout=subprocess.DEVNULL, env=dict(os.environ, DISABLE_PYSTON="", **env))
    os.close(w)
    events = [json.loads(l) for l in os.fdopen(r).read().splitlines()]
    proc.wait()
    if proc.returncode != 0 or not any(e["event"] == "done" for e in events):
        raise SystemExit("%s failed (%r): %s" % (bench["name"], env, [e for e in events if e["event"] == "error"]))
    return min(e["seconds"] for e in events if e["event"] == "iteration" and not e["warmup"])

ratios = []
print("%-18s %11s %11s %8s" % ("benchmark", switch[11:].lower() + " off", "on", "off/on"))
for bench in manifest:
    off, on = [], []
    for _ in range(int(rounds)):
        off.append(run({switch: "0"}, bench))
        on.append(run({}, bench))
    ratios.append(min(off) / min(on))
    print("%-18s %10.4fs %10.4fs %7.3fx" % (bench["name"], min(off), min(on), ratios[-1]), flush=True)
print("geomean gain of %s: %.3fx (%d benchmarks, every check() passed)" % (
    switch, math.exp(sum(map(math.log, ratios)) / len(ratios)), len(ratios)))
PY
