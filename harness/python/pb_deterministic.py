# pb_deterministic.py: runs pb_worker.py (the next argument) with every source of run-to-run variation in what
# the interpreter executes replaced by something fixed, for exact instruction counts under valgrind
# (pyston-bench --instructions). The harness also sets PYTHONHASHSEED=0 and disables ASLR.
#   - time.perf_counter and time.process_time tick by 1 ms per call: reported wall and CPU durations (whose repr
#     length varies) become fixed;
#   - os.getpid returns 1 for the report's start event (its digit count varies between runs).
import os
import runpy
import sys
import time

def _ticking_clock():
    ticks = [0]

    def clock():
        ticks[0] += 1
        return ticks[0] * 0.001

    return clock


time.perf_counter = _ticking_clock()
time.process_time = _ticking_clock()
os.getpid = lambda: 1
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
