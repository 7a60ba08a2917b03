# Deep recursion through compiled frames hits RecursionError exactly like the interpreter, and recovers.
import sys
from jit_support import warm, assert_compiled, check


def depth(n):
    return 0 if n == 0 else 1 + depth(n - 1)


def runaway(n):
    return runaway(n + 1)


warm(depth, 10)
check(depth(500) == 500)
sys.setrecursionlimit(3000)
check(depth(2900) == 2900)
for _ in range(3):
    try:
        runaway(0)
        check(False, "no RecursionError")
    except RecursionError as e:
        check("maximum recursion depth" in str(e))
assert_compiled(depth, runaway)
check(depth(100) == 100)
print("ok")
