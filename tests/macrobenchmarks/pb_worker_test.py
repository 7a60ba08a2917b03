# Tests of macrobenchmarks/pb_worker.py and the micro suite with real worker processes: the JSON-lines
# protocol on a separate fd, failures reported as error events, and every micro benchmark passing its own
# check -- and failing it when the interpreter computes wrong answers.
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WORKER = os.path.join(ROOT, "macrobenchmarks", "pb_worker.py")
MICRO = os.path.join(ROOT, "macrobenchmarks", "micro")
PYTHON = os.environ.get("PB_TEST_PYTHON", sys.executable)


def run_worker(benchmark, *args, **kwargs):
    """Runs the worker with the report on a pipe of its own; returns (exit code, events, stdout)."""
    read_fd, write_fd = os.pipe()
    cmd = [PYTHON, WORKER, "--benchmark", benchmark, "--report-fd", str(write_fd)] + list(args)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, pass_fds=(write_fd,),
                            env=kwargs.get("env"))
    os.close(write_fd)
    with os.fdopen(read_fd) as report:
        lines = report.read().splitlines()
    out, _ = proc.communicate(timeout=120)
    return proc.returncode, [json.loads(line) for line in lines], out.decode()


def write_benchmark(directory, body):
    path = os.path.join(directory, "bench.py")
    with open(path, "w") as f:
        f.write(textwrap.dedent(body))
    return path


class ProtocolTest(unittest.TestCase):
    def test_events_go_to_the_report_fd_in_order(self):
        code, events, stdout = run_worker(os.path.join(MICRO, "nqueens.py"), "--size", "6", "--warmups", "2",
                                          "--iterations", "3")
        self.assertEqual(code, 0)
        self.assertEqual(stdout, "")
        self.assertTrue(all(e["pb"] == 1 for e in events))
        self.assertEqual([e["event"] for e in events], ["start"] + ["iteration"] * 5 + ["done"])
        start, iterations = events[0], events[1:-1]
        self.assertEqual(start["size"], 6)
        self.assertIn(start["implementation"], ("CPython", "PyPy"))
        self.assertEqual([e["seq"] for e in iterations], list(range(5)))
        self.assertEqual([e["warmup"] for e in iterations], [True, True, False, False, False])
        self.assertTrue(all(e["seconds"] > 0 for e in iterations))
        times = [e["t"] for e in iterations]
        self.assertEqual(times, sorted(times))

    def test_min_time_calibrates_inner_loops(self):
        # A call sleeps at least 1 ms (longer on a busy machine): calibration doubles from 1 call until a block
        # lasts 50 ms, so it ends at a power of two between 2 and 64; seconds stay per call.
        with tempfile.TemporaryDirectory() as tmp:
            path = write_benchmark(tmp, """
                import time
                DEFAULT_SIZE = 1
                calls = []
                def run(n):
                    calls.append(n)
                    time.sleep(0.001)
                    return len(calls)
                def check(result, n):
                    assert result == len(calls)
            """)
            code, events, _ = run_worker(path, "--warmups", "0", "--iterations", "2", "--min-time", "0.05")
        self.assertEqual(code, 0)
        loops = events[-1]["inner_loops"]
        self.assertIn(loops, (2, 4, 8, 16, 32, 64))
        for e in events[1:-1]:
            self.assertGreaterEqual(e["seconds"], 0.00099)
            self.assertLess(e["seconds"], 0.05)

    def test_default_size_and_setup_state(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = write_benchmark(tmp, """
                DEFAULT_SIZE = 41
                def setup(size):
                    return {"size": size}
                def run(state):
                    return state["size"] + 1
                def check(result, state):
                    assert result == 42, result
            """)
            code, events, _ = run_worker(path, "--iterations", "2", "--inner-loops", "3")
        self.assertEqual(code, 0, events)
        self.assertEqual(events[0]["size"], 41)
        self.assertEqual(events[-1]["event"], "done")

    def test_failed_check_is_an_error_event_and_exit_1(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = write_benchmark(tmp, """
                DEFAULT_SIZE = 1
                def run(n):
                    return n
                def check(result, n):
                    raise ValueError("wrong answer %d" % result)
            """)
            code, events, _ = run_worker(path, "--iterations", "2")
        self.assertEqual(code, 1)
        self.assertEqual(events[-1]["event"], "error")
        self.assertEqual(events[-1]["message"], "ValueError: wrong answer 1")
        self.assertIn("Traceback", events[-1]["traceback"])
        self.assertNotIn("iteration", [e["event"] for e in events])

    def test_missing_benchmark_and_missing_run_are_errors(self):
        code, events, _ = run_worker("/nonexistent/bench.py")
        self.assertEqual((code, events[-1]["event"]), (1, "error"))
        with tempfile.TemporaryDirectory() as tmp:
            code, events, _ = run_worker(write_benchmark(tmp, "DEFAULT_SIZE = 1\n"))
        self.assertEqual((code, events[-1]["event"]), (1, "error"))
        self.assertIn("run", events[-1]["message"])


class MicroSuiteTest(unittest.TestCase):
    def manifest(self):
        with open(os.path.join(MICRO, "manifest.json")) as f:
            return json.load(f)["benchmarks"]

    def test_manifest_lists_every_benchmark_file(self):
        entries = self.manifest()
        files = sorted(f for f in os.listdir(MICRO) if f.endswith(".py"))
        self.assertEqual(sorted(e["file"] for e in entries), files)
        for e in entries:
            self.assertEqual((e["kind"], e["packages"]), ("batch", []))
            self.assertGreater(e["size"], 0)

    def test_every_benchmark_passes_its_check_at_the_manifest_size(self):
        for e in self.manifest():
            with self.subTest(benchmark=e["name"]):
                code, events, _ = run_worker(os.path.join(MICRO, e["file"]), "--size", str(e["size"]),
                                             "--iterations", "1")
                self.assertEqual(code, 0, events[-1])
                self.assertEqual(events[-1]["event"], "done")

    def test_wrong_arithmetic_is_caught(self):
        # An "interpreter" whose float square roots are slightly off must fail the float-heavy checks.
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "sitecustomize.py"), "w") as f:
                f.write("import math\n_sqrt = math.sqrt\nmath.sqrt = lambda x: _sqrt(x) * (1 + 1e-9)\n")
            env = dict(os.environ, PYTHONPATH=tmp)
            for name in ("raytrace", "float"):
                with self.subTest(benchmark=name):
                    code, events, _ = run_worker(os.path.join(MICRO, name + ".py"), "--iterations", "1",
                                                 env=env)
                    self.assertEqual(code, 1)
                    self.assertEqual(events[-1]["event"], "error")


if __name__ == "__main__":
    unittest.main()
