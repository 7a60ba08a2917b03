# pyperf_compat/pyperf: pyston-bench's stand-in for the `pyperf` module, so that pyperformance's benchmark
# scripts (bm_*/run_benchmark.py, written against pyperf.Runner) run unchanged under `compare --benchmark-dir`.
# Written for this project from pyperf's documented API (Runner, bench_func, bench_time_func, bench_async_func,
# timeit, bench_command, metadata, argparser and its command-line flags); it is not pyperf. One process is one
# worker: the harness starts the processes, interleaves the interpreters and does the statistics; this module
# times the benchmark's calls in-process and reports them through pyston-bench's worker protocol (JSON lines on
# --pb-report-fd, as macrobenchmarks/pb_worker.py does; docs/DEVELOPING.md). Without --pb-report-fd it prints a
# short summary, for running a script by hand.
#
# Must import on every interpreter the harness measures (CPython 3.6+, PyPy 3): standard library only.
import argparse
import json
import os
import platform
import subprocess
import sys
import time

__version__ = "2.6.0+pyston-bench"
VERSION = (2, 6, 0)

perf_counter = time.perf_counter
_WORKER_START = perf_counter()
PROTOCOL_VERSION = 1


def python_implementation():
    return platform.python_implementation().lower()


def python_has_jit():
    implementation = python_implementation()
    if implementation == "pypy":
        return sys.pypy_translation_info["translation.jit"]
    return "pyston_lite" in sys.modules or implementation == "pyston"


class _Reporter(object):
    def __init__(self, fd):
        self._stream = os.fdopen(fd, "w", closefd=False) if fd is not None else None
        self.values = []

    def send(self, event, **fields):
        if self._stream is None:
            return
        fields["pb"] = PROTOCOL_VERSION
        fields["event"] = event
        self._stream.write(json.dumps(fields, sort_keys=True, separators=(",", ":")) + "\n")
        self._stream.flush()


def _add_pyperf_flags(parser):
    """The command-line flags of a pyperf benchmark script, so that scripts (and whoever runs them) can pass
    them. The ones that shape the measurement are honoured; the ones about pyperf's own process management,
    output files and system tuning are accepted and ignored, because the harness owns those."""
    parser.add_argument("--rigorous", action="store_true", help="ignored (the harness sets the processes)")
    parser.add_argument("--fast", action="store_true", help="ignored (the harness sets the processes)")
    parser.add_argument("--debug-single-value", action="store_true", help="one value, no warmup")
    parser.add_argument("-p", "--processes", type=int, default=None, help="ignored: one process is one worker")
    parser.add_argument("-n", "--values", type=int, default=None, help="measured values in this process")
    parser.add_argument("-w", "--warmups", type=int, default=None, help="warmup values in this process")
    parser.add_argument("-l", "--loops", type=int, default=0, help="loops per value (0: calibrate to --min-time)")
    parser.add_argument("--min-time", type=float, default=None, help="minimum seconds of one value when calibrating")
    parser.add_argument("--worker", action="store_true", help="accepted (every process is a worker here)")
    parser.add_argument("--worker-task", type=int, default=None, help="ignored")
    parser.add_argument("--calibrate-loops", action="store_true", help="ignored")
    parser.add_argument("--recalibrate-loops", action="store_true", help="ignored")
    parser.add_argument("--calibrate-warmups", action="store_true", help="ignored")
    parser.add_argument("--recalibrate-warmups", action="store_true", help="ignored")
    parser.add_argument("-d", "--dump", action="store_true", help="ignored")
    parser.add_argument("-m", "--track-memory", action="store_true", help="ignored (the harness measures RSS)")
    parser.add_argument("-t", "--tracemalloc", action="store_true", help="ignored")
    parser.add_argument("--profile", default=None, help="ignored")
    parser.add_argument("-o", "--output", default=None, help="ignored (results go to the harness's store)")
    parser.add_argument("--append", default=None, help="ignored")
    parser.add_argument("--pipe", type=int, default=None, help="ignored")
    parser.add_argument("--python", default=None, help="ignored (the harness chooses the interpreter)")
    parser.add_argument("--compare-to", default=None, help="ignored")
    parser.add_argument("--python-names", default=None, help="ignored")
    parser.add_argument("--affinity", default=None, help="ignored (pyston-bench --affinity)")
    parser.add_argument("--inherit-environ", default=None, help="ignored (pyston-bench --inherit-environ)")
    parser.add_argument("--copy-env", action="store_true", help="ignored")
    parser.add_argument("--no-locale", action="store_true", help="ignored")
    parser.add_argument("--timeout", type=int, default=None, help="ignored (pyston-bench --timeout)")
    parser.add_argument("--hook", action="append", default=[], help="ignored")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("-q", "--quiet", action="store_true")
    parser.add_argument("--pb-report-fd", type=int, default=None,
                        help="pyston-bench: file descriptor for the worker protocol's JSON lines")
    parser.add_argument("--pb-benchmark", default=None,
                        help="pyston-bench: run only the bench_* call of this name (default: the first)")


class Runner(object):
    _created = False

    def __init__(self, values=None, processes=None, loops=0, min_time=0.1, metadata=None, show_name=True,
                 program_args=None, add_cmdline_args=None, _argparser=None, warmups=None, hooks=None):
        if Runner._created:
            raise RuntimeError("only one Runner instance may be created per process")
        Runner._created = True
        self._default_values = 3 if values is None else values
        self._default_warmups = 1 if warmups is None else warmups
        self._default_loops = loops
        self._default_min_time = min_time
        self.metadata = dict(metadata or {})
        self._show_name = show_name
        self._program_args = program_args
        # pyperf forwards the script's own options to the worker processes it spawns; here every process is
        # started by the harness with the script's arguments, so the callback is kept but never needed.
        self._add_cmdline_args = add_cmdline_args
        self.args = None
        self.argparser = _argparser or argparse.ArgumentParser(description="Benchmark")
        _add_pyperf_flags(self.argparser)
        self._reporter = None
        self._ran = None       # name of the bench_* call this process measured
        self._skipped = []     # names of the others

    def parse_args(self, args=None):
        if self.args is not None:
            return self.args
        self.args = self.argparser.parse_args(args)
        a = self.args
        if a.debug_single_value:
            a.values, a.warmups, a.loops = 1, 0, 1
        if a.values is None:
            a.values = self._default_values
        if a.warmups is None:
            a.warmups = self._default_warmups
        if not a.loops:
            a.loops = self._default_loops
        if a.min_time is None:
            a.min_time = self._default_min_time
        for name in ("values", "warmups", "loops"):
            if getattr(a, name) < 0:
                self.argparser.error("--%s must be >= 0" % name)
        if a.values < 1:
            self.argparser.error("--values must be >= 1")
        self._reporter = _Reporter(a.pb_report_fd)
        return a

    # The five ways to give a benchmark; each ends in _run(name, time_func(loops) -> seconds, inner_loops).

    def bench_time_func(self, name, time_func, *args, **kwargs):
        inner_loops = kwargs.pop("inner_loops", None)
        self._add_metadata(kwargs.pop("metadata", None))
        _no_more_keywords("bench_time_func", kwargs)
        return self._run(name, lambda loops: time_func(loops, *args), inner_loops)

    def bench_func(self, name, func, *args, **kwargs):
        inner_loops = kwargs.pop("inner_loops", None)
        self._add_metadata(kwargs.pop("metadata", None))
        _no_more_keywords("bench_func", kwargs)

        def time_func(loops):
            loop_range = range(loops)
            t0 = perf_counter()
            for _ in loop_range:
                func(*args)
            return perf_counter() - t0

        return self._run(name, time_func, inner_loops)

    def bench_async_func(self, name, func, *args, **kwargs):
        import asyncio
        inner_loops = kwargs.pop("inner_loops", None)
        self._add_metadata(kwargs.pop("metadata", None))
        loop_factory = kwargs.pop("loop_factory", None)
        _no_more_keywords("bench_async_func", kwargs)

        async def timed(loops):
            loop_range = range(loops)
            t0 = perf_counter()
            for _ in loop_range:
                await func(*args)
            return perf_counter() - t0

        def time_func(loops):
            loop = loop_factory() if loop_factory is not None else asyncio.new_event_loop()
            try:
                return loop.run_until_complete(timed(loops))
            finally:
                loop.close()

        return self._run(name, time_func, inner_loops)

    def timeit(self, name, stmt=None, setup="pass", teardown="pass", inner_loops=None, duplicate=None,
               metadata=None, globals=None):
        import timeit as timeit_module
        if stmt is None:
            name, stmt = name, name
        stmt, setup, teardown = _statement(stmt), _statement(setup), _statement(teardown)
        if not stmt.strip():
            raise ValueError("stmt must not be empty")
        if duplicate and duplicate > 1:
            stmt = "\n".join([stmt] * duplicate)
            inner_loops = (inner_loops or 1) * duplicate
        self._add_metadata(metadata)
        namespace = dict(globals or {})
        timer = timeit_module.Timer(stmt, setup, timer=perf_counter, globals=namespace)

        def time_func(loops):
            try:
                return timer.timeit(loops)
            finally:
                exec(teardown, namespace)

        return self._run(name, time_func, inner_loops)

    def bench_command(self, name, command):
        if not command or isinstance(command, str):
            raise ValueError("command must be a non-empty sequence of arguments, the program first")
        command = list(command)

        def time_func(loops):
            total = 0.0
            with open(os.devnull, "r+b") as devnull:
                for _ in range(loops):
                    t0 = perf_counter()
                    status = subprocess.call(command, stdin=devnull, stdout=devnull, stderr=devnull)
                    total += perf_counter() - t0
                    if status != 0:
                        raise RuntimeError("%s exited with status %d" % (command[0], status))
            return total

        return self._run(name, time_func, None)

    # Measurement.

    def _add_metadata(self, metadata):
        if metadata:
            self.metadata.update(metadata)

    def _selected(self, name):
        wanted = self.args.pb_benchmark
        if self._ran is not None:
            return False
        return wanted is None or wanted == name

    def _calibrate(self, time_func):
        """Loops per value: pyperf's rule, the smallest power of two whose value lasts at least --min-time.
        The calibrating calls run before the warmups, so they warm up too."""
        loops = 1
        while loops < 2 ** 32:
            if time_func(loops) >= self.args.min_time:
                break
            loops *= 2
        return loops

    def _run(self, name, time_func, inner_loops):
        self.parse_args()
        if not self._selected(name):
            self._skipped.append(name)
            return None
        self._ran = name
        inner_loops = inner_loops or 1
        if inner_loops < 1:
            raise ValueError("inner_loops must be >= 1")
        a = self.args
        reporter = self._reporter
        try:
            loops = a.loops or self._calibrate(time_func)
            reporter.send("start", implementation=platform.python_implementation(),
                          python_version=platform.python_version(), executable=sys.executable, pid=os.getpid(),
                          benchmark=name, warmups=a.warmups, iterations=a.values, inner_loops=loops * inner_loops)
            values = []
            for seq in range(a.warmups + a.values):
                c0 = time.process_time()
                seconds = time_func(loops)
                cpu = time.process_time() - c0
                per_loop = float(seconds) / (loops * inner_loops)
                warmup = seq < a.warmups
                if not warmup:
                    values.append(per_loop)
                reporter.send("iteration", seq=seq, warmup=warmup, seconds=per_loop,
                              cpu_seconds=cpu / (loops * inner_loops), t=perf_counter() - _WORKER_START)
            reporter.send("done", t=perf_counter() - _WORKER_START, metadata=_jsonable(self.metadata),
                          loops=loops, inner_loops=inner_loops)
        except BaseException as exc:
            reporter.send("error", message="%s: %s" % (type(exc).__name__, exc))
            raise
        if a.pb_report_fd is None and not a.quiet:
            mean = sum(values) / len(values)
            spread = (sum((v - mean) ** 2 for v in values) / (len(values) - 1)) ** 0.5 if len(values) > 1 else 0.0
            prefix = name + ": " if self._show_name else ""
            print("%sMean +- std dev: %s +- %s (%d values, %d loops)"
                  % (prefix, _format_seconds(mean), _format_seconds(spread), len(values), loops))
        return None


def _no_more_keywords(method, kwargs):
    if kwargs:
        raise TypeError("%s() got unexpected keyword arguments: %s" % (method, ", ".join(sorted(kwargs))))


def _statement(text):
    if isinstance(text, (list, tuple)):
        return "\n".join(text)
    return text


def _jsonable(metadata):
    out = {}
    for key, value in metadata.items():
        out[str(key)] = value if isinstance(value, (str, int, float, bool)) or value is None else str(value)
    return out


def _format_seconds(seconds):
    for unit, scale in (("sec", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= scale:
            return "%.3g %s" % (seconds / scale, unit)
    return "%.3g ns" % (seconds / 1e-9)
