"""99%-hot-lines counts of benchmarks, several runs each, to judge their stability.

For every benchmark given (the micro suite by default; any benchmark of macrobenchmarks/*/manifest.json, e.g.
pylint, whose provisioned environment is used) and every interpreter of --pythons, runs measure_loc on
pb_worker.py with --warmups warmup iterations and enough measured iterations for about --samples on-CPU samples
at --rate (sized from one iteration's CPU time), counting from the first measured iteration
(--start-at pb_worker.py:measured_iterations), and prints the lines needed for 99% per run, their spread, the
50/75/90% counts of the first run, the mean sample count and the failed and off-CPU sample rates, with the
load average.

    python3 measure_loc/bench/hot_lines_suite.py --pythons 3.8,3.11,3.13,build/bin/pyston \\
        --benchmarks fannkuch,nbody,pylint --runs 3
"""
import argparse
import glob
import json
import math
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
MACRO = os.path.join(SOURCE, "macrobenchmarks")
WORKER = os.path.join(MACRO, "pb_worker.py")

# Imports the benchmark as pb_worker does, runs one warmup iteration, then prints the CPU seconds of one more.
CPU_PROBE = """
import sys, time
sys.path.insert(0, sys.argv[1])
import pb_worker
module = pb_worker.load_benchmark(sys.argv[2])
size = int(sys.argv[3])
state = module.setup(size) if hasattr(module, "setup") else size
module.run(state)
t = time.process_time()
module.run(state)
print(time.process_time() - t)
"""


def all_benchmarks():
    found = {}
    for manifest in sorted(glob.glob(os.path.join(MACRO, "*", "manifest.json"))):
        with open(manifest) as f:
            for benchmark in json.load(f)["benchmarks"]:
                if benchmark.get("kind", "batch") == "batch":
                    benchmark["path"] = os.path.join(os.path.dirname(manifest), benchmark["file"])
                    benchmark["suite"] = os.path.basename(os.path.dirname(manifest))
                    found[benchmark["name"]] = benchmark
    return found


def environment(args, python, benchmark):
    """The process environment for the benchmark: its provisioned library environment, if it has one."""
    env = dict(os.environ)
    if not benchmark.get("packages"):
        return env
    out = subprocess.run([args.pyston_bench, "provision", python, "-b", benchmark["name"]], stdout=subprocess.PIPE,
                         universal_newlines=True, check=True).stdout
    directory = next(line.split()[-1] for line in out.splitlines() if line.split()[1:2] == [benchmark["name"]])
    env.update(PYTHONPATH=os.path.join(directory, "site"), PYTHONNOUSERSITE="1")
    return env


def cpu_per_iteration(python, benchmark, env):
    out = subprocess.run([python, "-c", CPU_PROBE, MACRO, benchmark["path"], str(benchmark.get("size", 1))],
                         stdout=subprocess.PIPE, universal_newlines=True, env=env, check=True).stdout
    return float(out.split()[-1])


def profile(args, python, benchmark, iterations, env):
    report = tempfile.NamedTemporaryFile(suffix=".json", delete=False).name
    command = [args.measure_loc, "--python", python, "--rate", str(args.rate), "--json", "-o", report,
               "--start-at", "pb_worker.py:measured_iterations", WORKER, "--benchmark", benchmark["path"],
               "--size", str(benchmark.get("size", 1)), "--warmups", str(args.warmups), "--iterations",
               str(iterations), "--report-fd", "1"]
    if args.db:
        command[1:1] = ["--db", args.db]
    subprocess.run(command, stdout=subprocess.DEVNULL, env=env, check=True)
    with open(report) as f:
        result = json.load(f)
    os.unlink(report)
    return result


def load():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def label(name, result):
    """The version for a version given as such (3.8), else the interpreter's file name (pyston)."""
    return result["python_version"] if name[0].isdigit() else os.path.basename(name)


def lines_at(result, percent):
    return next(c["lines"] for c in result["coverage"] if c["target_percent"] == percent)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pythons", default="3.8,3.12", help="comma-separated versions, names or paths")
    parser.add_argument("--benchmarks", default="", help="comma-separated names (default: the micro suite)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--samples", type=float, default=100000, help="on-CPU samples to aim for per run")
    parser.add_argument("--warmups", type=int, default=1, help="iterations before counting starts")
    parser.add_argument("--rate", type=float, default=10000)
    parser.add_argument("--db", default="")
    parser.add_argument("--json-out", default="", help="also write every run's summary to this file")
    build = os.environ.get("ML_BUILD_DIR", os.path.join(SOURCE, "build"))
    parser.add_argument("--measure-loc", dest="measure_loc", default=os.path.join(build, "bin", "measure_loc"))
    parser.add_argument("--pyston-bench", dest="pyston_bench", default=os.path.join(build, "bin", "pyston-bench"))
    args = parser.parse_args()
    catalogue = all_benchmarks()
    if args.benchmarks:
        benchmarks = [catalogue[name] for name in args.benchmarks.split(",")]
    else:
        benchmarks = [b for b in catalogue.values() if b["suite"] == "micro"]
    print("%-16s %-8s %-20s %-7s %-16s %9s %-7s %-8s %s" % (
        "benchmark", "python", "lines 99% per run", "spread", "50/75/90% (run1)", "samples", "failed",
        "off-CPU", "load"))
    summary = []
    for benchmark in benchmarks:
        for name in args.pythons.split(","):
            python_name = "python" + name if name[0].isdigit() else name
            python = subprocess.run([args.measure_loc, "--python", python_name, "--resolve-only"],
                                    stdout=subprocess.PIPE, universal_newlines=True, check=True).stdout.strip()
            env = environment(args, python, benchmark)
            seconds = cpu_per_iteration(python, benchmark, env)
            iterations = max(1, int(math.ceil(args.samples / (args.rate * seconds))))
            loads = [load()]
            runs = []
            for _ in range(args.runs):
                runs.append(profile(args, python, benchmark, iterations, env))
                loads.append(load())
            lines99 = [lines_at(r, 99) for r in runs]
            spread = 100.0 * (max(lines99) - min(lines99)) / min(lines99) if min(lines99) else float("inf")
            first = "/".join(str(lines_at(runs[0], p)) for p in (50, 75, 90))
            samples = sum(r["samples"] for r in runs) // len(runs)
            attempts = sum(r["samples"] + r["failed_samples"] + r["idle_samples"] + r["off_cpu_samples"]
                           for r in runs)
            failed = 100.0 * sum(r["failed_samples"] for r in runs) / attempts
            off_cpu = 100.0 * sum(r["off_cpu_samples"] for r in runs) / attempts
            print("%-16s %-8s %-20s %6.1f%% %-16s %9d %6.3f%% %6.1f%%  %s" % (
                benchmark["name"], label(name, runs[0]), ",".join(map(str, lines99)), spread, first, samples,
                failed, off_cpu, "-".join("%.1f" % l for l in (min(loads), max(loads)))))
            sys.stdout.flush()
            summary.append({"benchmark": benchmark["name"], "python": python, "version": runs[0]["python_version"],
                            "iterations": iterations, "lines_99": lines99, "spread_percent": spread,
                            "coverage_run1": runs[0]["coverage"], "samples": [r["samples"] for r in runs],
                            "failed_percent": failed, "off_cpu_percent": off_cpu, "load": loads})
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(summary, f, indent=1)


if __name__ == "__main__":
    main()
