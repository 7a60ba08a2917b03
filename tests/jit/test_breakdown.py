# jit/tools/breakdown.py end to end: a small nbody under the launcher and under the stock interpreter it runs on.
# Under the JIT, nbody's hot function is compiled code named from the perf map, its arithmetic runs in the
# JIT's helpers and almost nothing in the interpreter loop; under stock CPython there is no compiled code and
# the loop dominates. The categories add up to the total, and the JIT's counters per iteration are there.
# usage: python3 test_breakdown.py BREAKDOWN_PY LAUNCHER STOCK_PYTHON
import json
import os
import subprocess
import sys
import tempfile


def breakdown(tool, interpreter, folder):
    out = os.path.join(folder, os.path.basename(interpreter) + ".json")
    run = subprocess.run([sys.executable, tool, "--size", "40", "--top", "5", "--json", out, interpreter, "nbody"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    if run.returncode != 0:
        raise SystemExit("breakdown failed for %s:\n%s\n%s" % (interpreter, run.stdout, run.stderr))
    print(run.stdout)
    return json.load(open(out))


def check(cond, message):
    if not cond:
        raise SystemExit("FAILED: " + message)


def main():
    tool, launcher, stock = sys.argv[1:4]
    with tempfile.TemporaryDirectory() as folder:
        jit = breakdown(tool, launcher, folder)
        base = breakdown(tool, stock, folder)
    for result in (jit, base):
        total = sum(result["categories"].values())
        check(abs(total - result["total"]) <= 1e-6 * result["total"], "categories add up to the total")
        check(result["total"] > 1e5, "an iteration of nbody counts instructions: %r" % result["total"])
    share = lambda r, c: r["categories"].get(c, 0) / r["total"]
    top = lambda r, c: [f["name"] for f in r["functions"] if f["category"] == c][:1]
    check(share(jit, "compiled code") > 0.05, "compiled code's share under the JIT: %r" % jit["categories"])
    check(top(jit, "compiled code") and top(jit, "compiled code")[0].startswith("py::advance:")
          and top(jit, "compiled code")[0].endswith("nbody.py:58"),
          "nbody's advance() is the hottest compiled function: %r" % top(jit, "compiled code"))
    check(share(jit, "JIT helpers") > 0.1, "helpers' share: %r" % jit["categories"])
    check(share(jit, "interpreter") < 0.05, "the interpreter loop's share under the JIT: %r" % jit["categories"])
    check(jit["jit"] and jit["jit"]["compiled_runs"] >= 1, "the JIT's counters per iteration: %r" % jit["jit"])
    check(share(base, "compiled code") == 0 and share(base, "JIT helpers") == 0,
          "no JIT under stock python: %r" % base["categories"])
    check(share(base, "interpreter") > 0.3, "the loop dominates stock python: %r" % base["categories"])
    check(base["jit"] is None, "no JIT counters under stock python")
    check(jit["total"] < base["total"], "the JIT runs fewer instructions: %d vs %d" % (jit["total"], base["total"]))
    print("ok")


main()
