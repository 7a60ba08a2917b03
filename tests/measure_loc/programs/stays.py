"""Short and long stays at one position: lines A and B each do 25% of the work in 10 short C calls a round,
alternating, and LINE_LONG 50% in one call twenty times as long.

Each line is one call of a C function (sum over a range of ints above the small-int cache, so every item
costs the same), so on every interpreter the sampled position (frame and f_lasti) stays the same for the
whole call, as it does for a whole line of compiled code under pyston. A short call (k items, about 0.15 ms on
CPython 3.8) spans about one sample at 10 kHz, the long one a few dozen: a profiler whose count depends on how
often a position is entered rather than on the time spent there reads A and B low and LONG high.
argv[1]: rounds (default 160, about 1 s of CPU on CPython 3.8); argv[2]: k (default 6000).
"""
import sys


def rounds(count, k):
    for _ in range(count):
        for _ in range(10):
            sum(range(1000, 1000 + k))  # LINE_A
            sum(range(1000, 1000 + k))  # LINE_B
        sum(range(1000, 1000 + 20 * k))  # LINE_LONG


rounds(int(sys.argv[1]) if len(sys.argv) > 1 else 160, int(sys.argv[2]) if len(sys.argv) > 2 else 6000)
