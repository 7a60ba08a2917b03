# pb_worker.py: runs one benchmark file inside the interpreter under test and reports each iteration's
# duration to the harness as JSON lines (the worker protocol in docs/DEVELOPING.md).
#
# Must stay importable by every interpreter the harness measures (CPython 3.6+ and PyPy 3), so: no f-string
# "=" specifiers, no walrus, no dependencies outside the standard library.
#
# Debugging by hand:  python macrobenchmarks/pb_worker.py --benchmark macrobenchmarks/micro/nbody.py \
#                         --iterations 3 --report-fd 1
import time

_perf_counter = time.perf_counter
# CPU time of this process (CLOCK_PROCESS_CPUTIME_ID): unlike wall time it does not grow while the scheduler runs
# someone else, so it is the quieter clock on a loaded machine (the gate's cpu-time metric).
_cpu_clock = time.process_time
_WORKER_START = _perf_counter()

import argparse
import importlib.util
import json
import os
import platform
import sys
import traceback

PROTOCOL_VERSION = 1


class Reporter(object):
    """Writes one JSON object per line to the report fd and flushes it at once, so the harness sees
    progress (and the last event before a crash) as it happens."""

    def __init__(self, fd):
        # closefd=False: fd 1 (humans debugging) must survive the reporter.
        self._stream = os.fdopen(fd, "w", closefd=False)

    def send(self, event, **fields):
        fields["pb"] = PROTOCOL_VERSION
        fields["event"] = event
        self._stream.write(json.dumps(fields, sort_keys=True, separators=(",", ":")) + "\n")
        self._stream.flush()


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Run one pyston-bench benchmark and report its timings.")
    parser.add_argument("--benchmark", required=True, help="path of the benchmark's .py file")
    parser.add_argument("--size", type=int, default=None,
                        help="work per iteration (default: the file's DEFAULT_SIZE)")
    parser.add_argument("--warmups", type=int, default=0, help="untimed-for-results iterations first")
    parser.add_argument("--iterations", type=int, default=5, help="measured iterations")
    parser.add_argument("--inner-loops", type=int, default=1,
                        help="run() calls per timed iteration; the reported seconds are per call")
    parser.add_argument("--min-time", type=float, default=0,
                        help="calibrate --inner-loops (powers of two) so one timed iteration lasts at least this "
                             "many seconds; the calibrating calls come before the warmups")
    parser.add_argument("--report-fd", type=int, default=1, help="file descriptor for the JSON lines")
    args = parser.parse_args(argv)
    for name in ("warmups", "iterations"):
        if getattr(args, name) < 0:
            parser.error("--%s must be >= 0" % name)
    if args.inner_loops < 1:
        parser.error("--inner-loops must be >= 1")
    if args.min_time < 0:
        parser.error("--min-time must be >= 0")
    return args


def load_benchmark(path):
    path = os.path.abspath(path)
    directory, filename = os.path.split(path)
    name = "pb_benchmark_" + os.path.splitext(filename)[0]
    # Benchmarks may import helper modules that sit next to them.
    sys.path.insert(0, directory)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None:
        raise ImportError("cannot import benchmark file %r" % path)
    module = importlib.util.module_from_spec(spec)
    # Registered before executing so pickling, dataclasses and the like can find the module.
    sys.modules[name] = module
    spec.loader.exec_module(module)
    for required in ("DEFAULT_SIZE", "run", "check"):
        if not hasattr(module, required):
            raise AttributeError("benchmark %r does not define %s" % (path, required))
    return module


def warmup_iterations(iterate, count):
    for seq in range(count):
        iterate(seq, True)


def measured_iterations(iterate, first, count):
    # A function of its own so that profilers can start counting after the warmups:
    # measure_loc --start-at pb_worker.py:measured_iterations
    for seq in range(first, first + count):
        iterate(seq, False)


def calibrate_inner_loops(run, check, state, min_time):
    # As pyperf calibrates its loops: the smallest power of two whose timed block lasts at least min_time.
    loops = 1
    while loops < 2 ** 20:
        t0 = _perf_counter()
        for _ in range(loops):
            result = run(state)
        if _perf_counter() - t0 >= min_time:
            break
        check(result, state)
        loops *= 2
    return loops


def measure(module, args, reporter):
    size = module.DEFAULT_SIZE if args.size is None else args.size
    setup = getattr(module, "setup", None)
    state = setup(size) if setup is not None else size
    run = module.run
    check = module.check
    inner_loops = calibrate_inner_loops(run, check, state, args.min_time) if args.min_time > 0 else args.inner_loops
    inner_range = range(inner_loops)

    def iterate(seq, warmup):
        if inner_loops == 1:
            c0 = _cpu_clock()
            t0 = _perf_counter()
            result = run(state)
            t1 = _perf_counter()
            c1 = _cpu_clock()
        else:
            c0 = _cpu_clock()
            t0 = _perf_counter()
            for _ in inner_range:
                result = run(state)
            t1 = _perf_counter()
            c1 = _cpu_clock()
        # Checked outside the timed region, every iteration: a wrong interpreter must not look fast.
        check(result, state)
        reporter.send("iteration", seq=seq, warmup=warmup,
                      seconds=(t1 - t0) / inner_loops, cpu_seconds=(c1 - c0) / inner_loops,
                      t=t1 - _WORKER_START)

    warmup_iterations(iterate, args.warmups)
    measured_iterations(iterate, args.warmups, args.iterations)
    return inner_loops


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        reporter = Reporter(args.report_fd)
    except OSError as exc:
        sys.stderr.write("pb_worker: cannot write to --report-fd %d: %s\n" % (args.report_fd, exc))
        return 2
    try:
        module = load_benchmark(args.benchmark)
        reporter.send("start",
                      implementation=platform.python_implementation(),
                      python_version=platform.python_version(),
                      executable=sys.executable,
                      pid=os.getpid(),
                      benchmark=args.benchmark,
                      size=module.DEFAULT_SIZE if args.size is None else args.size,
                      warmups=args.warmups,
                      iterations=args.iterations,
                      inner_loops=args.inner_loops)
        inner_loops = measure(module, args, reporter)
        reporter.send("done", t=_perf_counter() - _WORKER_START, inner_loops=inner_loops)
        return 0
    except BaseException as exc:  # noqa: B902 - SystemExit/KeyboardInterrupt from a benchmark are failures too
        message = "%s: %s" % (type(exc).__name__, exc)
        try:
            reporter.send("error", message=message, traceback=traceback.format_exc())
        except Exception:
            sys.stderr.write("pb_worker: %s\n%s" % (message, traceback.format_exc()))
        return 1


if __name__ == "__main__":
    sys.exit(main())
