#!/bin/sh
# Runs macrobenchmarks/micro (every benchmark's check() included) under python3.8 and pyston through
# pb_worker.py, alternating A B A B (this machine is noisy), and prints the best iteration time of each, the
# ratio python3.8/pyston (> 1: pyston faster) and the geometric mean.
# usage: jit/tools/compare-micro.sh [rounds] [pyston binary]   (env: WARMUPS, ITERATIONS, PYTHON38)
set -u
rounds=${1:-2}
here=$(cd "$(dirname "$0")/../.." && pwd)
pyston=${2:-$here/build/bin/pyston}
python=${PYTHON38:-/root/.pyenv/versions/3.8.18/bin/python3.8}
exec "$python" - "$rounds" "$pyston" "$python" "$here/macrobenchmarks" "${WARMUPS:-2}" "${ITERATIONS:-3}" <<'PY'
import json, math, os, subprocess, sys
rounds, pyston, python, root, warmups, iterations = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
manifest = json.load(open(os.path.join(root, "micro", "manifest.json")))["benchmarks"]

def run(exe, bench):
    r, w = os.pipe()
    proc = subprocess.Popen([exe, os.path.join(root, "pb_worker.py"), "--benchmark", os.path.join(root, "micro", bench["file"]),
                             "--size", str(bench["size"]), "--warmups", warmups, "--iterations", iterations,
                             "--report-fd", str(w)], pass_fds=(w,), stdout=subprocess.DEVNULL)
    os.close(w)
    lines = os.fdopen(r).read().splitlines()
    proc.wait()
    events = [json.loads(l) for l in lines]
    if proc.returncode != 0 or not any(e["event"] == "done" for e in events):
        raise SystemExit("%s failed on %s: %s" % (exe, bench["name"], [e for e in events if e["event"] == "error"]))
    return min(e["seconds"] for e in events if e["event"] == "iteration" and not e["warmup"])

ratios = []
print("%-18s %11s %11s %8s" % ("benchmark", "python3.8", "pyston", "ratio"))
for bench in manifest:
    a, b = [], []
    for _ in range(int(rounds)):
        a.append(run(python, bench))
        b.append(run(pyston, bench))
    ratios.append(min(a) / min(b))
    print("%-18s %10.4fs %10.4fs %7.2fx" % (bench["name"], min(a), min(b), ratios[-1]), flush=True)
print("geomean python3.8/pyston: %.3fx (%d benchmarks, every check() passed)" % (
    math.exp(sum(map(math.log, ratios)) / len(ratios)), len(ratios)))
PY
