#!/bin/sh
# Times each script under python3.8 and pyston, alternating A B A B (this machine is noisy), and prints the
# best time of each and the ratio python3.8/pyston (> 1 means pyston is faster), plus the geometric mean.
# usage: jit/tools/compare-speed.sh [rounds] [pyston binary]
set -u
rounds=${1:-3}
here=$(cd "$(dirname "$0")/../.." && pwd)
pyston=${2:-$here/build/bin/pyston}
python=${PYTHON38:-/root/.pyenv/versions/3.8.18/bin/python3.8}
exec "$python" - "$rounds" "$pyston" "$python" "$here"/jit/bench/scripts/*.py <<'PY'
import math, subprocess, sys, time
rounds, pyston, python, scripts = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
def once(exe, script):
    t = time.perf_counter()
    subprocess.run([exe, script], check=True)
    return time.perf_counter() - t
ratios = []
print("%-20s %10s %10s %8s" % ("script", "python3.8", "pyston", "ratio"))
for s in scripts:
    a, b = [], []
    for _ in range(rounds):
        a.append(once(python, s))
        b.append(once(pyston, s))
    ratios.append(min(a) / min(b))
    print("%-20s %9.3fs %9.3fs %7.2fx" % (s.rsplit("/", 1)[-1], min(a), min(b), ratios[-1]), flush=True)
print("geomean python3.8/pyston: %.3fx" % math.exp(sum(map(math.log, ratios)) / len(ratios)))
PY
