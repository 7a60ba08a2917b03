# Two threads in hot compiled loops hand the GIL to each other (a loop that never released it would hang).
import sys
import threading
import time
from jit_support import assert_compiled, check

sys.setswitchinterval(0.001)
state = {"a": 0, "b": 0, "stop": False}


def worker(key, other):
    n = 0
    # Wait until the other thread has made progress: only possible if the GIL is handed over.
    while state[other] < 1000 and not state["stop"]:
        n += 1
        state[key] = n
    while not state["stop"] and n < 200000:
        n += 1
        state[key] = n
    return n


ta = threading.Thread(target=worker, args=("a", "b"))
tb = threading.Thread(target=worker, args=("b", "a"))
ta.start()
tb.start()
deadline = time.time() + 60
while (ta.is_alive() or tb.is_alive()) and time.time() < deadline:
    time.sleep(0.05)
state["stop"] = True
ta.join()
tb.join()
check(state["a"] >= 1000 and state["b"] >= 1000, state)
assert_compiled(worker)
print("ok")
