"""Target slowdown caused by measure_loc, measured side by side.

Runs one micro benchmark through macrobenchmarks/pb_worker.py without the profiler, under measure_loc at 1 kHz
and under measure_loc at 10 kHz, interleaved round by round so machine noise hits all three alike. The target
times its own iterations (the worker protocol), so the profiler's start-up and report are not counted.
Prints the median iteration time of each mode, the slowdown ratios and the profiler's failed-sample rate.

    python3 measure_loc/bench/overhead.py [--python python3.12] [--benchmark fannkuch] [--rounds 5]
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
    seconds = []
    for line in stdout.splitlines():
        if line.startswith("{"):
            event = json.loads(line)
            if event.get("event") == "iteration" and not event.get("warmup"):
                seconds.append(event["seconds"])
    return seconds


def run(args, rate):
    worker = [os.path.join(SOURCE, "macrobenchmarks", "pb_worker.py"), "--benchmark",
              os.path.join(SOURCE, "macrobenchmarks", "micro", args.benchmark + ".py"),
              "--warmups", "1", "--iterations", str(args.iterations), "--report-fd", "1"]
    report = None
    if rate is None:
        command = [args.python_path] + worker
    else:
        report = tempfile.NamedTemporaryFile(suffix=".json", delete=False).name
        command = [args.measure_loc, "--python", args.python_path, "--rate", str(rate), "--json", "-o", report,
                   "--start-at", args.benchmark + ".py"] + worker
    done = subprocess.run(command, stdout=subprocess.PIPE, universal_newlines=True, check=True)
    failed = None
    if report:
        with open(report) as f:
            profile = json.load(f)
        os.unlink(report)
        failed = (profile["failed_samples"], profile["samples"] + profile["failed_samples"] + profile["idle_samples"])
    return iteration_seconds(done.stdout), failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default="python3.12")
    parser.add_argument("--benchmark", default="fannkuch")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=5)
    parser.add_argument("--measure-loc", dest="measure_loc",
                        default=os.path.join(SOURCE, "build-loc", "bin", "measure_loc"))
    args = parser.parse_args()
    args.python_path = subprocess.run([args.measure_loc, "--python", args.python, "--resolve-only"],
                                      stdout=subprocess.PIPE, universal_newlines=True).stdout.strip() or args.python
    modes = [("none", None), ("1 kHz", 1000), ("10 kHz", 10000)]
    times = {name: [] for name, _ in modes}
    failures = {name: [0, 0] for name, _ in modes}
    for round_ in range(args.rounds):
        for name, rate in modes:
            seconds, failed = run(args, rate)
            times[name].extend(seconds)
            if failed:
                failures[name][0] += failed[0]
                failures[name][1] += failed[1]
        sys.stderr.write("round %d/%d done\n" % (round_ + 1, args.rounds))
    base = statistics.median(times["none"])
    print("%s on %s, %d rounds x %d iterations, interleaved" % (args.benchmark, args.python_path, args.rounds,
                                                                  args.iterations))
    for name, _ in modes:
        median = statistics.median(times[name])
        failed, attempts = failures[name]
        rate = " failed samples %d/%d (%.3f%%)" % (failed, attempts, 100.0 * failed / attempts) if attempts else ""
        print("%-7s median %.4f s  slowdown %.3fx%s" % (name, median, median / base, rate))


if __name__ == "__main__":
    main()
