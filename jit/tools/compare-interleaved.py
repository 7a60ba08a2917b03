#!/usr/bin/env python3
# Interleaved A/B timing of the micro suite: for each benchmark, ROUNDS processes of A and B alternate (A B A B
# ...), each 1 warmup + $ITER iterations (default 5) through pb_worker.py; prints the lower quartile of each side's
# iteration times (robust to load spikes on a shared machine), the ratio A/B (> 1: B faster) and the geomean.
# usage: jit/tools/compare-interleaved.py ROUNDS EXE_A EXE_B [bench,bench,...]
import json, math, os, subprocess, sys
M = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "macrobenchmarks")
rounds, A, B = int(sys.argv[1]), sys.argv[2], sys.argv[3]
only = sys.argv[4].split(",") if len(sys.argv) > 4 and sys.argv[4] else None
iters = os.environ.get("ITER", "5")
man = json.load(open(M + "/micro/manifest.json"))["benchmarks"]
def run(exe, b):
    r, w = os.pipe()
    p = subprocess.Popen([exe, M + "/pb_worker.py", "--benchmark", M + "/micro/" + b["file"], "--size", str(b["size"]),
                          "--warmups", "1", "--iterations", iters, "--report-fd", str(w)], pass_fds=(w,), stdout=subprocess.DEVNULL)
    os.close(w)
    ev = [json.loads(l) for l in os.fdopen(r).read().splitlines()]
    p.wait()
    if p.returncode: raise SystemExit("%s failed on %s" % (exe, b["name"]))
    return [e["seconds"] for e in ev if e["event"] == "iteration" and not e["warmup"]]
ratios = []
for b in man:
    if only and b["name"] not in only: continue
    a, c = [], []
    for _ in range(rounds):
        a += run(A, b); c += run(B, b)
    a.sort(); c.sort()
    q = lambda xs: xs[len(xs) // 4]  # lower quartile: robust to load spikes
    ratios.append(q(a) / q(c))
    print("%-18s %8.4f %8.4f %6.2fx" % (b["name"], q(a), q(c), ratios[-1]), flush=True)
print("geomean A/B: %.3fx (%d benchmarks)" % (math.exp(sum(map(math.log, ratios)) / len(ratios)), len(ratios)))
