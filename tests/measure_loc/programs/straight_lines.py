"""Straight-line code: two lines made only of local loads and stores (35 and 15 statements of one shape,
so 70% and 30% of their work), the kind of line a JIT runs without calling out. Under pyston their f_lasti is
stored only where the line starts (PYSTON_JIT_EXACT_LINES); without that store a sampling profiler would put
their time on the `for` line.
argv[1]: rounds (default 400000, about 1 s on CPython 3.8).
"""
import sys


def rounds(count):
    a = b = 0
    for _ in range(count):
        a = b; b = a; a = b; b = a; a = b; b = a; a = b; b = a; a = b; b = a; a = b; b = a; a = b; b = a; a = b; b = a; a = b; b = a; a = b; b = a; a = b; b = a; a = b; b = a; a = b; b = a; a = b; b = a; a = b; b = a; a = b; b = a; a = b; b = a; a = b  # LINE_A
        a = b; b = a; a = b; b = a; a = b; b = a; a = b; b = a; a = b; b = a; a = b; b = a; a = b; b = a; a = b  # LINE_B
    return a


rounds(int(sys.argv[1]) if len(sys.argv) > 1 else 400000)
