"""Known shares per line: the four loops below do 70%, 20%, 9% and 1% of the work.

Each loop is written on one line and all four have the same shape, so an iteration costs the same on each and
the shares hold on every interpreter, also when the machine is busy (the work, not the wall time, is fixed;
time-based busy-waits would hand the time a descheduled target lost to whichever line was running).
argv[1]: rounds (default 250, about 1 s of CPU on CPython 3.8): a fixed amount of work, so that the number of
on-CPU samples, and with it the precision of the shares, does not drop when the machine is busy. No clock is
read in the loop: a system call there would be where the target is preempted most often.
"""
import sys


def rounds(count, k=1500):
    for _ in range(count):
        for _ in range(70 * k): pass  # LINE_70
        for _ in range(20 * k): pass  # LINE_20
        for _ in range(9 * k): pass  # LINE_9
        for _ in range(1 * k): pass  # LINE_1


rounds(int(sys.argv[1]) if len(sys.argv) > 1 else 250)
