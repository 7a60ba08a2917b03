"""99%-hot-lines counts for the micro suite, several runs each, to judge stability.

For every benchmark of macrobenchmarks/micro/manifest.json (or --benchmarks) and every interpreter of --pythons,
runs measure_loc on pb_worker.py long enough for about --seconds of profiled work (iterations are sized from
one unprofiled iteration), counting from the benchmark file's first frame, and prints the lines needed for
50/75/90/99% per run with the sample count and failed-sample rate.

    python3 measure_loc/bench/hot_lines_suite.py --pythons 3.8,3.12 --benchmarks fannkuch,nbody --runs 3
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
MICRO = os.path.join(SOURCE, "macrobenchmarks", "micro")
WORKER = os.path.join(SOURCE, "macrobenchmarks", "pb_worker.py")


def worker_args(benchmark, size, iterations):
    return [WORKER, "--benchmark", os.path.join(MICRO, benchmark["file"]), "--size", str(size),
            "--warmups", "0", "--iterations", str(iterations), "--report-fd", "1"]


def iteration_time(python, benchmark, size):
    out = subprocess.run([python] + worker_args(benchmark, size, 1), stdout=subprocess.PIPE,
                         universal_newlines=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith("{") and json.loads(line).get("event") == "iteration":
            return json.loads(line)["seconds"]
    raise RuntimeError("no iteration reported by " + benchmark["name"])


def profile(args, python, benchmark, iterations):
    report = tempfile.NamedTemporaryFile(suffix=".json", delete=False).name
    command = [args.measure_loc, "--python", python, "--rate", str(args.rate), "--json", "-o", report,
               "--start-at", benchmark["file"]] + worker_args(benchmark, benchmark["size"], iterations)
    if args.db:
        command[1:1] = ["--db", args.db]
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
    with open(report) as f:
        result = json.load(f)
    os.unlink(report)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pythons", default="3.8,3.12", help="comma-separated names or versions")
    parser.add_argument("--benchmarks", default="", help="comma-separated names (default: the whole suite)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--rate", type=float, default=10000)
    parser.add_argument("--db", default="")
    parser.add_argument("--measure-loc", dest="measure_loc",
                        default=os.path.join(SOURCE, "build-loc", "bin", "measure_loc"))
    args = parser.parse_args()
    with open(os.path.join(MICRO, "manifest.json")) as f:
        benchmarks = json.load(f)["benchmarks"]
    if args.benchmarks:
        wanted = args.benchmarks.split(",")
        benchmarks = [b for b in benchmarks if b["name"] in wanted]
    print("%-18s %-7s %-22s %-22s %9s %8s" % ("benchmark", "python", "lines 99% per run", "50/75/90% (run 1)",
                                              "samples", "failed"))
    for benchmark in benchmarks:
        for name in args.pythons.split(","):
            python_name = name if not name[0].isdigit() else "python" + name
            python = subprocess.run([args.measure_loc, "--python", python_name, "--resolve-only"],
                                    stdout=subprocess.PIPE, universal_newlines=True, check=True).stdout.strip()
            seconds = iteration_time(python, benchmark, benchmark["size"])
            iterations = max(1, int(math.ceil(args.seconds / seconds)))
            runs = [profile(args, python, benchmark, iterations) for _ in range(args.runs)]
            lines99 = [next(c["lines"] for c in r["coverage"] if c["target_percent"] == 99) for r in runs]
            first = "/".join(str(c["lines"]) for c in runs[0]["coverage"][:3])
            samples = sum(r["samples"] for r in runs) // len(runs)
            failed = sum(r["failed_samples"] for r in runs)
            attempts = sum(r["samples"] + r["failed_samples"] + r["idle_samples"] for r in runs)
            print("%-18s %-7s %-22s %-22s %9d %7.3f%%" % (benchmark["name"], runs[0]["python_version"],
                                                         ",".join(map(str, lines99)), first, samples,
                                                         100.0 * failed / attempts))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
