"""End-to-end tests of the measure_loc binary on bad input, with real processes: each case must end with its
documented exit code and a message saying what is wrong, and a target's own exit code must come through.
argv[1]: the measure_loc binary."""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

MEASURE_LOC = None
PROGRAMS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "programs")


def python(version):
    found = sorted(glob.glob("/root/.pyenv/versions/%s.*/bin/python%s" % (version, version)))
    return found[-1] if found else None


def measure_loc(*args, **kwargs):
    done = subprocess.run([MEASURE_LOC] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=60, **kwargs)
    return done.returncode, done.stderr


class Running(object):
    """A child process for --pid tests, killed and reaped on exit."""

    def __init__(self, *argv):
        self.process = subprocess.Popen(list(argv))
        time.sleep(0.5)

    def __enter__(self):
        return self.process.pid

    def __exit__(self, *exc):
        self.process.kill()
        self.process.wait()


class TargetExitCode(unittest.TestCase):
    def test_a_program_that_exits_at_once_passes_its_code_through(self):
        with tempfile.NamedTemporaryFile(suffix=".json") as report:
            code, err = measure_loc("--python", python("3.12") or "python3", "--json", "-o", report.name,
                                    os.path.join(PROGRAMS, "exits_at_once.py"))
            self.assertEqual(code, 7, err)
            with open(report.name) as f:
                text = f.read()
        if not text:
            # On a busy machine the target can exit before measure_loc has found its runtime (it polls every
            # 200 us); then no report is written, and the code must still pass through with the reason.
            self.assertIn("before Python started", err)
            return
        profile = json.loads(text)
        # Its one line and the interpreter's shutdown after it take about a millisecond, and a sample can fall
        # on them (the sampler shares the target's CPU and preempts it on time).
        if profile["samples"] == 0:
            self.assertIn("no samples were counted", err)
        else:
            self.assertLess(profile["samples"], 100, profile["lines"])

    def test_a_target_killed_by_a_signal_gives_128_plus_the_signal(self):
        code, err = measure_loc("--python", python("3.12") or "python3",
                                os.path.join(PROGRAMS, "killed_by_signal.py"))
        self.assertEqual(code, 128 + 15, err)

    def test_a_program_that_exits_before_python_starts(self):
        code, err = measure_loc("--python", "/bin/false", "x.py")
        self.assertEqual(code, 1, err)
        self.assertIn("exited (code 1) before Python started", err)

    def test_a_program_that_cannot_start(self):
        code, err = measure_loc("--python", "/nonexistent/python3", "x.py")
        self.assertEqual(code, 2, err)
        self.assertIn("no interpreter at /nonexistent/python3", err)


class NotReadable(unittest.TestCase):
    def test_a_program_that_is_not_python(self):
        with Running("sleep", "30") as pid:
            code, err = measure_loc("--pid", str(pid))
        self.assertEqual(code, 3, err)
        self.assertIn("is not a Python program", err)

    def test_a_kernel_thread(self):
        code, err = measure_loc("--pid", "2")  # kthreadd: no memory map at all
        self.assertEqual(code, 3, err)
        self.assertIn("process 2 is not a Python program", err)

    def test_a_process_that_has_exited(self):
        gone = subprocess.Popen(["true"])
        gone.wait()
        code, err = measure_loc("--pid", str(gone.pid))
        self.assertEqual(code, 5, err)
        self.assertIn("no such process: %d" % gone.pid, err)

    @unittest.skipUnless(os.geteuid() == 0 and shutil.which("setpriv"), "needs root and setpriv")
    def test_a_process_of_another_user(self):
        # Root's Python, profiled by an unprivileged user: the kernel refuses to show its memory.
        with Running(python("3.12") or sys.executable, "-c", "import time; time.sleep(30)") as pid:
            code, err = self._as_nobody("--pid", str(pid))
        self.assertEqual(code, 6, err)
        self.assertIn("may not read the memory map of process %d" % pid, err)
        self.assertIn("hint:", err)

    def _as_nobody(self, *args):
        done = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", MEASURE_LOC] +
                              list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                              timeout=60)
        return done.returncode, done.stderr


class NoLayout(unittest.TestCase):
    @unittest.skipUnless(python("3.7"), "no Python 3.7 installed")
    def test_python_3_7(self):
        code, err = measure_loc("--python", python("3.7"), os.path.join(PROGRAMS, "shares.py"), "3")
        self.assertEqual(code, 4, err)
        self.assertIn("the target runs Python 3.7, which this build of measure_loc has no struct layout for", err)
        self.assertIn("this build has layouts for: 3.8", err)

    @unittest.skipUnless(python("2.7"), "no Python 2.7 installed")
    def test_python_2_7(self):
        code, err = measure_loc("--python", python("2.7"), os.path.join(PROGRAMS, "shares.py"), "3")
        self.assertEqual(code, 4, err)
        self.assertIn("is a Python older than 3.7", err)


if __name__ == "__main__":
    MEASURE_LOC = sys.argv.pop(1)
    unittest.main()
