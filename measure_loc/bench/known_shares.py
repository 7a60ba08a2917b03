"""The known-shares check, repeated: how close measure_loc gets to the true per-line shares, run after run.

tests/measure_loc/programs/shares.py does 70%, 20%, 9% and 1% of its work on four lines of the same shape. The
unit test (Profile.MeasuresKnownLineShares*) allows 2 points with ~1 s of CPU; this bench runs the program
longer (--rounds, default 2500: ~10x the test's samples, so one standard error on the 70% line is ~0.3 points)
N times in a row under one interpreter (default: the pyston launcher at threshold 0, every function compiled)
and reports each run's shares and whether all N stayed within --tolerance points of the truth on every line.

    python3 measure_loc/bench/known_shares.py [--python build/bin/pyston] [--threshold 0] [--runs 10]
        [--tolerance 1] [--rounds 2500]
Exit status 0: every run within the tolerance; 1: not.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
PROGRAM = os.path.join(SOURCE, "tests", "measure_loc", "programs", "shares.py")
TRUTH = {"LINE_70": 70.0, "LINE_20": 20.0, "LINE_9": 9.0, "LINE_1": 1.0}


def marked_lines():
    lines = {}
    with open(PROGRAM) as f:
        for number, text in enumerate(f, 1):
            at = text.find("# LINE_")
            if at >= 0:
                lines[number] = text[at + 2:].strip()
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--python", default=os.path.join(SOURCE, "build", "bin", "pyston"))
    parser.add_argument("--threshold", default="0", help="PYSTON_JIT_THRESHOLD for the target ('' to leave it)")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--tolerance", type=float, default=1.0, help="points, on every line")
    parser.add_argument("--rounds", type=int, default=2500, help="shares.py's work (250 is ~1 s on CPython 3.8)")
    parser.add_argument("--measure-loc", default=os.path.join(SOURCE, "build", "bin", "measure_loc"))
    args = parser.parse_args()
    if not os.access(args.measure_loc, os.X_OK):
        sys.exit("known_shares: %s is missing: build it first (cmake --build build --target measure_loc_tool)"
                 % args.measure_loc)
    env = dict(os.environ, DISABLE_PYSTON="")
    if args.threshold != "":
        env["PYSTON_JIT_THRESHOLD"] = args.threshold
    marks = marked_lines()
    print("%s, threshold %s: %d runs of shares.py %d, tolerance %.1f points" % (
        args.python, args.threshold or "default", args.runs, args.rounds, args.tolerance))
    print("%4s %8s %8s %8s %8s %8s %9s" % ("run", "samples", "70%", "20%", "9%", "1%", "worst"))
    worst_overall = 0.0
    passed = 0
    for run in range(1, args.runs + 1):
        with tempfile.NamedTemporaryFile(suffix=".json") as report:
            subprocess.run([args.measure_loc, "--python", args.python, "--json", "-o", report.name,
                            "--start-at", "shares.py", PROGRAM, str(args.rounds)],
                           env=env, check=True, stdout=subprocess.DEVNULL)
            profile = json.load(open(report.name))
        samples = profile["samples"]
        shares = {mark: 0.0 for mark in TRUTH}
        for line in profile["lines"]:
            if line["filename"].endswith("shares.py") and line["line"] in marks:
                shares[marks[line["line"]]] += 100.0 * line["count"] / samples
        worst = max(abs(shares[m] - TRUTH[m]) for m in TRUTH)
        worst_overall = max(worst_overall, worst)
        passed += worst <= args.tolerance
        print("%4d %8d %8.2f %8.2f %8.2f %8.2f %8.2f%s" % (
            run, samples, shares["LINE_70"], shares["LINE_20"], shares["LINE_9"], shares["LINE_1"], worst,
            "" if worst <= args.tolerance else "  over"))
        sys.stdout.flush()
    print("%d of %d runs within %.1f points on every line (worst deviation %.2f)" % (
        passed, args.runs, args.tolerance, worst_overall))
    sys.exit(0 if passed == args.runs else 1)


main()
