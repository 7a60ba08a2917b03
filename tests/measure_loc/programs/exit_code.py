"""Works briefly, then exits with code 3 (the profiler must pass it through)."""
import sys
from time import perf_counter

end = perf_counter() + 0.3
while perf_counter() < end: pass
sys.exit(3)
