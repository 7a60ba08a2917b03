"""Known shares per line: the four loops below do 70%, 20%, 9% and 1% of the work.

Each loop is written on one line and all four have the same shape, so an iteration costs the same on each and
the shares hold on every interpreter, also when the machine is busy (the work, not the wall time, is fixed;
time-based busy-waits would hand the time a descheduled target lost to whichever line was running).
argv[1]: CPU seconds to run for (default 2): CPU, not wall, time so that the number of on-CPU samples, and
with it the precision of the shares, does not drop when the machine is busy.
"""
import sys
from time import process_time


def rounds(seconds, k=1500):
    end = process_time() + seconds
    while process_time() < end:
        for _ in range(70 * k): pass  # LINE_70
        for _ in range(20 * k): pass  # LINE_20
        for _ in range(9 * k): pass  # LINE_9
        for _ in range(1 * k): pass  # LINE_1


rounds(float(sys.argv[1]) if len(sys.argv) > 1 else 2.0)
