"""Target slowdown caused by measure_loc, measured side by side.

Runs one micro benchmark (through overhead_target.py) without the profiler, under measure_loc at 1 kHz and
under measure_loc at 10 kHz, interleaved round by round so machine noise hits all three alike. The target
times its own iterations, wall and CPU, so the profiler's start-up and report are not counted. Prints the
median iteration times of each mode, the slowdown ratios, the profiler's own CPU use and its failed-sample
rate. On a machine with more runnable work than cores the wall ratio is mostly scheduling noise; the CPU
ratio still shows interference through caches and memory.

    python3 measure_loc/bench/overhead.py [--python python3.12] [--benchmark fannkuch] [--rounds 5] [--native]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))


def iteration_seconds(stdout):
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def run(args, rate):
    worker = [os.path.join(HERE, "overhead_target.py"),
              os.path.join(SOURCE, "macrobenchmarks", "micro", args.benchmark + ".py"), str(args.iterations)]
    report = None
    if rate is None:
        command = [args.python_path] + worker
    else:
        report = tempfile.NamedTemporaryFile(suffix=".json", delete=False).name
        command = [args.measure_loc, "--python", args.python_path, "--rate", str(rate), "--json", "-o", report,
                   "--start-at", args.benchmark + ".py"] + (["--normal-priority"] if args.normal_priority else []) + \
            (["--native"] if args.native else []) + worker
    done = subprocess.run(command, stdout=subprocess.PIPE, universal_newlines=True, check=True)
    failed = None
    if report:
        with open(report) as f:
            profile = json.load(f)
        os.unlink(report)
        failed = (profile["failed_samples"], profile["samples"] + profile["failed_samples"] + profile["idle_samples"] +
                  profile["off_cpu_samples"],
                  profile["profiler_cpu_seconds"], profile["profiled_seconds"], profile["samples"] / profile["seconds"])
    return iteration_seconds(done.stdout), failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default="python3.12")
    parser.add_argument("--benchmark", default="fannkuch")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=5)
    parser.add_argument("--normal-priority", action="store_true", help="pass --normal-priority to measure_loc")
    parser.add_argument("--native", action="store_true", help="pass --native to measure_loc (C stacks too)")
    parser.add_argument("--measure-loc", dest="measure_loc", default=os.path.join(
        os.environ.get("ML_BUILD_DIR", os.path.join(SOURCE, "build")), "bin", "measure_loc"))
    args = parser.parse_args()
    args.python_path = subprocess.run([args.measure_loc, "--python", args.python, "--resolve-only"],
                                      stdout=subprocess.PIPE, universal_newlines=True).stdout.strip() or args.python
    modes = [("none", None), ("1 kHz", 1000), ("10 kHz", 10000)]
    times = {name: [] for name, _ in modes}
    failures = {name: [0, 0, 0.0, 0.0, []] for name, _ in modes}
    for round_ in range(args.rounds):
        for name, rate in modes:
            seconds, failed = run(args, rate)
            times[name].extend(seconds)
            if failed:
                for i in range(4):
                    failures[name][i] += failed[i]
                failures[name][4].append(failed[4])
        sys.stderr.write("round %d/%d done\n" % (round_ + 1, args.rounds))
    base_wall = statistics.median(t["wall"] for t in times["none"])
    base_cpu = statistics.median(t["cpu"] for t in times["none"])
    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    print("%s on %s%s, %d rounds x %d iterations, interleaved; load average %s at the end" % (
        args.benchmark, args.python_path, " (--native)" if args.native else "", args.rounds, args.iterations, load))
    for name, _ in modes:
        wall = statistics.median(t["wall"] for t in times[name])
        cpu = statistics.median(t["cpu"] for t in times[name])
        failed, attempts, profiler_cpu, profiled, rates = failures[name]
        extra = ""
        if attempts:
            extra = "  samples/s %.0f, profiler CPU %.1f%% of a core, failed %d/%d (%.3f%%)" % (
                statistics.median(rates), 100.0 * profiler_cpu / profiled, failed, attempts, 100.0 * failed / attempts)
        print("%-7s wall %.4f s (%.3fx)  cpu %.4f s (%.3fx)%s" % (name, wall, wall / base_wall, cpu, cpu / base_cpu,
                                                                 extra))


if __name__ == "__main__":
    main()
