#!/usr/bin/env python3
"""Where an interpreter's instructions go, for one workload, in steady state (issue 20, item 1).

Runs the workload twice under callgrind (exact instruction counts, independent of the machine's load): once
for WARMUP+N units of work and once for WARMUP+2N (a unit is a request of a web workload or an iteration of a
batch one); each function's count in the second run minus the first, over N, is its cost per unit after
warmup. Functions are sorted into:
  compiled code    machine code the JIT wrote, per Python function (named from the JIT's perf map)
  JIT helpers      the pyston_lite module's C++ (runtime helpers, the eval hook, the compiler)
  interpreter      CPython's _PyEval_EvalFrameDefault: uncompiled code and deopts
  CPython runtime  every other function of libpython (objects, calls, dicts, allocation, ...)
  extensions       C extension modules (lib-dynload, site-packages)
  system           libc, libm, the dynamic linker
For a JIT launcher it also gives the JIT's own counters per unit (frames run by the interpreter, by reason;
deopts, by opcode), from pyston_lite.stats() at exit.

usage: jit/tools/breakdown.py [--warmup W] [-n N] [--size S] [--top K] [--json FILE] INTERPRETER WORKLOAD
  INTERPRETER: a name pyston-bench knows (python3.8, pyston, pyston3.10, ...) or a path
  WORKLOAD: flask or django (in-process through the WSGI app, jit/tools/wsgi_requests.py), or any batch
            benchmark of macrobenchmarks/ (pylint, nbody, richards, ...; pb_worker.py)
  e.g. jit/tools/breakdown.py pyston flask      (about 5 minutes on this machine)
"""
import argparse
import collections
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WEB = ("flask", "django")
CATEGORIES = ("compiled code", "JIT helpers", "interpreter", "CPython runtime", "extensions", "system",
              "unmapped code")
INTERPRETER_LOOP = "_PyEval_EvalFrameDefault"
# pyston_lite.stats() counters reported per unit of work.
COUNTERS = ("compiled_runs", "direct_calls", "generator_resumes", "builtin_method_calls", "deopts",
            "deopts_for_exceptions", "functions_compiled")

# Run inside the measured interpreter: dumps the JIT's counters at exit (when the JIT is loaded), then runs the
# workload's script as __main__.
STATS_WRAPPER = """
import atexit, json, runpy, sys
def _dump(path=sys.argv[1]):
    mod = sys.modules.get("pyston_lite")
    with open(path, "w") as out:
        json.dump(mod.stats() if mod is not None else None, out)
atexit.register(_dump)
sys.argv = sys.argv[2:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def fail(message):
    sys.exit("breakdown: " + message)


def find_benchmark(name):
    """(manifest entry, its folder) of a benchmark of macrobenchmarks/."""
    base = os.path.join(ROOT, "macrobenchmarks")
    for entry in sorted(os.listdir(base)):
        manifest = os.path.join(base, entry, "manifest.json")
        if not os.path.isfile(manifest):
            continue
        for bench in json.load(open(manifest))["benchmarks"]:
            if bench["name"] == name:
                return bench, os.path.join(base, entry)
    fail("no benchmark named %r in macrobenchmarks/*/manifest.json (try flask, django, pylint, nbody)" % name)


def resolve(interpreter, benchmark):
    """(executable, PYTHONPATH for the benchmark's packages or None). pyston-bench provisions the environment of
    a benchmark with packages; one without is run by the interpreter as given."""
    needs_packages = benchmark in WEB or find_benchmark(benchmark)[0].get("packages")
    if not needs_packages:
        for candidate in (interpreter, os.path.join(ROOT, "build", "bin", interpreter)):
            if os.sep in candidate and os.access(candidate, os.X_OK):
                return os.path.abspath(candidate), None
        # pyenv's shims answer only for the selected version: look in its versions first.
        pyenv = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/*/bin/" + interpreter)))
        path = pyenv[-1] if pyenv else shutil.which(interpreter)
        if path:
            return path, None
    bench = os.path.join(ROOT, "build", "bin", "pyston-bench")
    if not os.access(bench, os.X_OK):
        bench = shutil.which("pyston-bench")
    if not bench:
        fail("%s needs pyston-bench to provision its packages: build it first (cmake --build build)" % benchmark)
    out = subprocess.run([bench, "provision", interpreter, "-b", benchmark], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, universal_newlines=True)
    if out.returncode != 0:
        fail("pyston-bench provision %s -b %s failed:\n%s" % (interpreter, benchmark, out.stderr.strip()))
    for line in out.stdout.splitlines():
        fields = line.split()
        if len(fields) >= 2 and fields[1] == benchmark:
            env_dir = fields[-1]
            # The environment is shared by every build of the same interpreter: run the one asked for.
            if os.sep in interpreter and os.access(interpreter, os.X_OK):
                return os.path.abspath(interpreter), os.path.join(env_dir, "site")
            info = json.load(open(os.path.join(env_dir, "environment.json")))
            return info["interpreter"]["executable"], os.path.join(env_dir, "site")
    fail("pyston-bench provision %s -b %s gave no environment for %s" % (interpreter, benchmark, benchmark))


def workload_argv(name, warmup, units, size):
    if name in WEB:
        return [os.path.join(HERE, "wsgi_requests.py"), os.path.join(ROOT, "macrobenchmarks", name),
                str(warmup), str(units)]
    bench, folder = find_benchmark(name)
    if bench.get("kind", "batch") != "batch":
        fail("%s is a %s benchmark: only flask, django and batch benchmarks are supported" % (name, bench["kind"]))
    argv = [os.path.join(ROOT, "macrobenchmarks", "pb_worker.py"), "--benchmark", os.path.join(folder, bench["file"]),
            "--warmups", str(warmup), "--iterations", str(units), "--report-fd", "1"]
    if size:
        argv += ["--size", str(size)]
    return argv


def read_perf_map(path):
    """Sorted (start, end, name) of the JIT's code, from /tmp/perf-PID.map."""
    ranges = []
    if os.path.exists(path):
        for line in open(path):
            start, size, name = line.rstrip("\n").split(" ", 2)
            ranges.append((int(start, 16), int(start, 16) + int(size, 16), name))
    ranges.sort()
    return ranges


def lookup(ranges, address):
    lo, hi = 0, len(ranges)
    while lo < hi:
        mid = (lo + hi) // 2
        if ranges[mid][1] <= address:
            lo = mid + 1
        else:
            hi = mid
    if lo < len(ranges) and ranges[lo][0] <= address < ranges[lo][1]:
        return ranges[lo][2]
    return None


COMPRESSED = re.compile(r"\((\d+)\)(?: (.*))?$")


def self_costs(path):
    """{(object, function): self instructions} from a callgrind output file (the format's name compression,
    and the inclusive cost line after each `calls=` skipped)."""
    names = {"ob": {}, "fl": {}, "fn": {}}
    kind_of = {"ob": "ob", "cob": "ob", "fl": "fl", "fi": "fl", "fe": "fl", "cfi": "fl", "cfl": "fl",
               "fn": "fn", "cfn": "fn"}
    costs = collections.Counter()
    ob = fn = None
    skip_next = False
    with open(path) as f:
        for line in f:
            if not line or line[0] in "#\n":
                continue
            c = line[0]
            if c.isdigit() or c in "+-*":
                if skip_next:
                    skip_next = False
                    continue
                parts = line.split()
                if len(parts) >= 2:
                    costs[(ob, fn)] += int(parts[1])
                continue
            key, _, value = line.rstrip("\n").partition("=")
            if key == "calls":
                skip_next = True
                continue
            kind = kind_of.get(key)
            if kind is None:
                continue
            m = COMPRESSED.match(value)
            if m:
                if m.group(2) is not None:
                    names[kind][m.group(1)] = m.group(2)
                value = names[kind].get(m.group(1), "?")
            if key == "ob":
                ob = value
            elif key == "fn":
                fn = value
    return costs


def categorize(ob, fn, perf_ranges):
    """(category, name) of a function of the callgrind output."""
    fn = fn.split("'")[0]  # callgrind's recursion-level suffix ('2)
    if fn.startswith("0x") and (not ob or ob == "???" or not os.path.exists(ob)):
        name = lookup(perf_ranges, int(fn, 16))
        return ("compiled code", name) if name else ("unmapped code", "code outside any file, not in a perf map")
    base = os.path.basename(ob or "")
    if "pyston_lite" in base or "pyston_jit" in base or base.startswith("pyston"):
        return "JIT helpers", fn.replace("pyston_jit::", "").replace("(anonymous namespace)::", "")
    if base.startswith("libpython"):
        return ("interpreter", fn) if fn == INTERPRETER_LOOP else ("CPython runtime", fn)
    if "lib-dynload" in ob or "-packages" in ob or ".cpython-" in base:
        return "extensions", "%s (%s)" % (fn, base.split(".")[0])
    if not base or base.startswith("python"):  # a statically linked interpreter's own functions
        return ("interpreter", fn) if fn == INTERPRETER_LOOP else ("CPython runtime", fn)
    return "system", "%s (%s)" % (fn, base)


def measure(executable, pythonpath, argv, folder, tag):
    """One callgrind run: ({(category, name): instructions}, JIT stats or None, total)."""
    out_file = os.path.join(folder, "callgrind." + tag)
    stats_file = os.path.join(folder, "stats." + tag)
    env = dict(os.environ, PYSTON_PERF_MAP="1", PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1")
    env.pop("DISABLE_PYSTON", None)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    cmd = ["setarch", "-R", "valgrind", "-q", "--tool=callgrind", "--smc-check=all-non-file",
           "--callgrind-out-file=" + out_file, executable, "-c", STATS_WRAPPER, stats_file] + argv
    run = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, universal_newlines=True)
    if run.returncode != 0:
        fail("the workload failed under callgrind (%s):\n%s" % (" ".join(cmd[:8]) + " ...", run.stderr[-3000:]))
    pid = None
    for line in open(out_file):
        if line.startswith("pid:"):
            pid = int(line.split()[1])
            break
    perf_map = "/tmp/perf-%d.map" % pid
    ranges = read_perf_map(perf_map)
    if os.path.exists(perf_map):
        shutil.move(perf_map, os.path.join(folder, "perf.map." + tag))
    by_name = collections.Counter()
    for (ob, fn), n in self_costs(out_file).items():
        by_name[categorize(ob, fn or "?", ranges)] += n
    stats = json.load(open(stats_file)) if os.path.exists(stats_file) else None
    return by_name, stats


def stats_delta(a, b, units):
    """Per-unit JIT counters: frames run by the interpreter (by reason), deopts (by opcode), compiled runs."""
    if not a or not b:
        return None
    per = lambda x, y: (y - x) / units
    out = {key: per(a.get(key, 0), b.get(key, 0)) for key in COUNTERS}
    out["interpreted_frames"] = {k: per(a["fallbacks"].get(k, 0), v) for k, v in b["fallbacks"].items()
                                 if v != a["fallbacks"].get(k, 0)}
    out["deopts_by_opcode"] = {k: per(a["deopts_by_opcode"].get(k, 0), v) for k, v in b["deopts_by_opcode"].items()
                               if v != a["deopts_by_opcode"].get(k, 0)}
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("interpreter")
    parser.add_argument("workload")
    parser.add_argument("--warmup", type=int, default=None, help="units before counting (web 80, batch 1)")
    parser.add_argument("-n", type=int, default=None, help="units counted (web 40, batch 1)")
    parser.add_argument("--size", type=int, default=None, help="a batch benchmark's size (its manifest's default)")
    parser.add_argument("--top", type=int, default=15, help="functions listed per category")
    parser.add_argument("--json", help="write the whole breakdown here")
    parser.add_argument("--keep", metavar="DIR", help="keep the two callgrind outputs and perf maps here "
                        "(for callgrind_annotate --tree=caller)")
    args = parser.parse_args()
    if not shutil.which("valgrind"):
        fail("valgrind is needed (apt-get install valgrind)")
    web = args.workload in WEB
    warmup = args.warmup if args.warmup is not None else (80 if web else 1)
    n = args.n if args.n is not None else (40 if web else 1)
    if n < 1 or warmup < 0:
        fail("-n must be at least 1 and --warmup at least 0")
    executable, pythonpath = resolve(args.interpreter, args.workload)
    unit = "request" if web else "iteration"
    with tempfile.TemporaryDirectory(prefix="pb-breakdown-") as scratch:
        folder = args.keep or scratch
        os.makedirs(folder, exist_ok=True)
        print("%s, %s: callgrind over %d+%d and %d+%d %ss ..." % (args.interpreter, args.workload, warmup, n,
                                                                    warmup, 2 * n, unit), file=sys.stderr)
        a, stats_a = measure(executable, pythonpath, workload_argv(args.workload, warmup, n, args.size), folder, "a")
        b, stats_b = measure(executable, pythonpath, workload_argv(args.workload, warmup, 2 * n, args.size), folder, "b")
    per_unit = {key: (b.get(key, 0) - a.get(key, 0)) / n for key in set(a) | set(b)}
    total = sum(per_unit.values())
    by_category = collections.Counter()
    for (category, _), v in per_unit.items():
        by_category[category] += v
    print("%s, %s: %.2fM instructions per %s after %d warmup %ss (exact, callgrind; %s)" % (
        args.interpreter, args.workload, total / 1e6, unit, warmup, unit, executable))
    print("\n%-18s %14s %7s" % ("category", "instructions", "share"))
    for category in CATEGORIES:
        if by_category.get(category):
            print("%-18s %14.0f %6.1f%%" % (category, by_category[category], 100 * by_category[category] / total))
    for category in CATEGORIES:
        rows = sorted(((v, name) for (c, name), v in per_unit.items() if c == category), reverse=True)
        if not rows or not by_category.get(category):
            continue
        print("\n%s: top %d of %d (share of the whole)" % (category, min(args.top, len(rows)), len(rows)))
        for v, name in rows[:args.top]:
            if v <= 0:
                break
            print("  %12.0f %6.2f%%  %s" % (v, 100 * v / total, name))
    jit = stats_delta(stats_a, stats_b, n)
    if jit:
        print("\nJIT counters per %s:" % unit)
        for key in COUNTERS:
            print("  %-24s %10.1f" % (key, jit[key]))
        for group in ("interpreted_frames", "deopts_by_opcode"):
            if jit[group]:
                print("  %s:" % group)
            for name, v in sorted(jit[group].items(), key=lambda kv: -kv[1]):
                print("    %-22s %10.1f" % (name, v))
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"interpreter": args.interpreter, "executable": executable, "workload": args.workload,
                       "unit": unit, "warmup": warmup, "n": n, "total": total, "categories": dict(by_category),
                       "functions": [{"category": c, "name": name, "instructions": v}
                                     for (c, name), v in sorted(per_unit.items(), key=lambda kv: -kv[1])],
                       "jit": jit}, out, indent=1)


if __name__ == "__main__":
    main()
