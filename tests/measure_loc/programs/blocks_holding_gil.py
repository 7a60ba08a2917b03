"""Alternates CPU work with sleeping in C code that keeps the GIL (libc usleep called through ctypes.PyDLL,
which does not release it), about half the wall time each. On-CPU profiling must put nearly every sample on
the busy line; --wall-clock about half on each. argv[1]: rounds (default 6)."""
import ctypes
import sys
from time import perf_counter

libc = ctypes.PyDLL(None)  # PyDLL: calls keep the GIL, so the sleeping thread still holds it


def work(seconds):
    end = perf_counter() + seconds
    while perf_counter() < end: pass  # LINE_BUSY


for _ in range(int(sys.argv[1]) if len(sys.argv) > 1 else 6):
    work(0.15)
    libc.usleep(150000)  # LINE_SLEEP
