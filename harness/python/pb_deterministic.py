# pb_deterministic.py: runs pb_worker.py (the next argument) with every source of run-to-run variation in what
# the interpreter executes replaced by something fixed, for exact instruction counts under valgrind
# (pyston-bench --instructions). The harness also sets PYTHONHASHSEED=0 and disables ASLR.
#   - time.perf_counter ticks by 1 ms per call: reported durations (whose repr length varies) become fixed;
#   - os.getpid returns 1 for the report's start event (its digit count varies between runs).
import os
import runpy
import sys
import time

_ticks = [0]


def _perf_counter():
    _ticks[0] += 1
    return _ticks[0] * 0.001


time.perf_counter = _perf_counter
os.getpid = lambda: 1
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
