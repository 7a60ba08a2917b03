"""Works briefly, then dies from SIGTERM: measure_loc must exit with 128 + 15, as a shell would report."""
import os
import signal
from time import perf_counter

end = perf_counter() + 0.3
while perf_counter() < end: pass
os.kill(os.getpid(), signal.SIGTERM)
