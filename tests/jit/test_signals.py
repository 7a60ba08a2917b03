# A KeyboardInterrupt (SIGINT) and a Python signal handler interrupt a hot compiled loop.
import _thread
import signal
import threading
import time
import traceback
from jit_support import assert_compiled, check


def spin(flag):
    x = 0
    while not flag:
        x += 1
    return x


def spin_forever():
    x = 0
    while True:
        x = x + 1


spin([1])
t = threading.Timer(0.3, _thread.interrupt_main)
t.start()
try:
    spin_forever()
    check(False, "no KeyboardInterrupt")
except KeyboardInterrupt as e:
    frames = traceback.extract_tb(e.__traceback__)
    check(frames[-1].name == "spin_forever", frames)
    check(frames[-1].line in ("while True:", "x = x + 1"), frames[-1].line)
assert_compiled(spin_forever)

fired = []
signal.signal(signal.SIGALRM, lambda *a: fired.append(1))
signal.setitimer(signal.ITIMER_REAL, 0.2)
flag = []


def loop_until_fired():
    n = 0
    while not fired:
        n += 1
    return n


check(loop_until_fired() > 0 and fired == [1])
assert_compiled(loop_until_fired)
print("ok")
