"""Two threads busy in two different functions for the same time, for --all-threads."""
import threading
from time import perf_counter


def spin_a(seconds):
    end = perf_counter() + seconds
    while perf_counter() < end: pass  # LINE_A


def spin_b(seconds):
    end = perf_counter() + seconds
    while perf_counter() < end: pass  # LINE_B


threads = [threading.Thread(target=spin_a, args=(1.0,)), threading.Thread(target=spin_b, args=(1.0,))]
for t in threads:
    t.start()
for t in threads:
    t.join()
