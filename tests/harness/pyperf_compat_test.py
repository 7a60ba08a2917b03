# Tests of harness/python/pyperf_compat (our pyperf stand-in) with real scripts in subprocesses: the events it
# reports, loop calibration, inner_loops and duplicate normalisation, the pyperf flags it accepts, its
# refusals. Usage: python3 pyperf_compat_test.py SOURCE_DIR
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

SOURCE = sys.argv.pop(1) if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
COMPAT = os.path.join(SOURCE, "harness", "python", "pyperf_compat")


def run_script(body, *args, check=True):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "run_benchmark.py")
        with open(path, "w") as f:
            f.write(textwrap.dedent(body))
        env = dict(os.environ, PYTHONPATH=COMPAT)
        proc = subprocess.run([sys.executable, path] + list(args), env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, universal_newlines=True, timeout=120)
    if check and proc.returncode != 0:
        raise AssertionError("script failed:\n" + proc.stderr)
    return proc


def events(body, *args):
    proc = run_script(body, "--pb-report-fd", "1", *args)
    return [json.loads(line) for line in proc.stdout.splitlines()]


SLEEPER = """
    import time
    import pyperf
    calls = []
    def time_func(loops):
        calls.append(loops)
        t0 = pyperf.perf_counter()
        time.sleep(0.001 * loops)
        return pyperf.perf_counter() - t0
    runner = pyperf.Runner()
    runner.bench_time_func("sleeper", time_func, inner_loops=INNER)
    print(json.dumps({"event": "calls", "calls": calls}))
"""


def sleeper(inner=1):
    return "import json\n" + textwrap.dedent(SLEEPER).replace("INNER", str(inner))


class ReportedEvents(unittest.TestCase):
    def test_protocol_and_calibration(self):
        ev = events(sleeper(), "-w", "1", "-n", "3", "--min-time", "0.02")
        kinds = [e["event"] for e in ev]
        self.assertEqual(kinds, ["start", "iteration", "iteration", "iteration", "iteration", "done", "calls"])
        calls = ev[-1]["calls"]
        # Each loop sleeps at least 1 ms (longer on a busy machine): calibration doubles from 1 until a value
        # lasts 20 ms, so it stops at 32 loops at the most; then the 4 values use that count.
        loops = calls[-1]
        self.assertEqual(calls[:-4], [2 ** i for i in range(len(calls) - 4)])
        self.assertEqual(calls[-4:], [loops] * 4)
        self.assertLessEqual(loops, 32)
        self.assertEqual(ev[0]["inner_loops"], loops)
        self.assertEqual([e["warmup"] for e in ev[1:5]], [True, False, False, False])
        for e in ev[1:5]:
            self.assertEqual(e["pb"], 1)
            self.assertGreaterEqual(e["seconds"], 0.00099)  # per loop, not per value
            self.assertLess(e["seconds"], 0.02)

    def test_loops_given_and_inner_loops_divide(self):
        ev = events(sleeper(inner=4), "-w", "0", "-n", "2", "--loops", "8")
        self.assertEqual(ev[-1]["calls"], [8, 8])
        for e in ev[1:3]:
            self.assertGreaterEqual(e["seconds"], 0.00099 / 4)  # 1 ms per loop, 4 inner loops each
            self.assertLess(e["seconds"], 0.005)

    def test_debug_single_value(self):
        ev = events(sleeper(), "--debug-single-value")
        self.assertEqual([e["event"] for e in ev], ["start", "iteration", "done", "calls"])
        self.assertEqual(ev[-1]["calls"], [1])

    def test_only_the_first_benchmark_is_measured_and_metadata_is_reported(self):
        ev = events("""
            import pyperf
            runner = pyperf.Runner(metadata={"a": 1})
            runner.metadata["description"] = "two calls"
            runner.bench_func("first", lambda: None, metadata={"b": "x"})
            runner.bench_func("second", lambda: 1 / 0)
        """, "-n", "1", "-w", "0", "-l", "1")
        self.assertEqual(ev[0]["benchmark"], "first")
        self.assertEqual(ev[-1]["metadata"], {"a": 1, "b": "x", "description": "two calls"})

    def test_timeit_duplicate_counts_each_copy(self):
        ev = events("""
            import pyperf
            runner = pyperf.Runner()
            runner.timeit("t", stmt="x.append(1)", setup="x = []", teardown="pass", duplicate=10, globals={})
        """, "-n", "1", "-w", "0", "-l", "1000")
        self.assertEqual(ev[-1]["inner_loops"], 10)
        self.assertEqual(ev[0]["inner_loops"], 10000)

    def test_pyperformance_flags_are_accepted(self):
        ev = events(sleeper(), "-n", "1", "-w", "0", "-l", "1", "--inherit-environ", "PATH", "--affinity", "0",
                    "-p", "20", "--rigorous", "-o", "ignored.json", "--worker")
        self.assertEqual(ev[0]["iterations"], 1)


class ByHand(unittest.TestCase):
    def test_prints_a_summary_without_the_report_fd(self):
        proc = run_script(sleeper(), "-n", "2", "-w", "0", "-l", "4")
        self.assertRegex(proc.stdout, r"sleeper: Mean \+- std dev: [0-9.]+ ms \+- [0-9.]+ (ms|us|ns) \(2 values, 4 loops\)")


class Refusals(unittest.TestCase):
    def test_two_runners(self):
        proc = run_script("import pyperf\npyperf.Runner()\npyperf.Runner()\n", check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("only one Runner", proc.stderr)

    def test_unknown_keyword(self):
        proc = run_script("import pyperf\npyperf.Runner().bench_func('x', len, [], loops=3)\n", check=False)
        self.assertIn("unexpected keyword arguments: loops", proc.stderr)

    def test_bad_values(self):
        proc = run_script(sleeper(), "-n", "0", check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("--values must be >= 1", proc.stderr)

    def test_error_event_before_the_exception(self):
        proc = run_script("import pyperf\npyperf.Runner().bench_func('x', lambda: 1 / 0)\n", "--pb-report-fd", "1",
                          "-l", "1", check=False)
        last = json.loads(proc.stdout.splitlines()[-1])
        self.assertEqual(last["event"], "error")
        self.assertIn("ZeroDivisionError", last["message"])
        self.assertNotEqual(proc.returncode, 0)


if __name__ == "__main__":
    unittest.main()
