"""Alternates a fixed amount of CPU work with sleeping 0.15 s in C code that keeps the GIL (libc usleep called
through ctypes.PyDLL, which does not release it). On-CPU profiling must count at most a couple of samples per
sleep; --wall-clock counts the whole sleep. argv[1]: rounds (default 6)."""
import ctypes
import sys

libc = ctypes.PyDLL(None)  # PyDLL: calls keep the GIL, so the sleeping thread still holds it
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 6


def work(n):
    for _ in range(n): pass  # LINE_BUSY


for _ in range(ROUNDS):
    work(2000000)
    libc.usleep(150000)  # LINE_SLEEP
