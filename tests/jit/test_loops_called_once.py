# A long loop in a function called once gets compiled (loop-bearing code is compiled on its first call,
# since stock CPython offers no hook at backward jumps), and module-level loops too.
import pyston_lite
from jit_support import check


def called_once(n):
    t = 0
    i = 0
    while i < n:
        t += i
        i += 1
    return t


check(called_once(100000) == sum(range(100000)))
check(pyston_lite.is_compiled(called_once))
import sys
check(pyston_lite.is_compiled(sys._getframe().f_code))  # module code with a loop (below) compiles too
for _k in range(3):
    pass


# The one real mid-loop entry: a generator frame that the interpreter suspended inside a loop (here under a
# tracer, which runs everything in the interpreter) is resumed in compiled code at that yield.
def looping_gen():
    i = 0
    while True:
        try:
            yield i
        except ValueError:
            i += 100
        i += 1


g = looping_gen()
check([next(g) for _ in range(3)] == [0, 1, 2])
check(pyston_lite.is_compiled(looping_gen))
sys.settrace(lambda *args: None)
check(g.throw(ValueError) == 103)  # interpreter: handler, loop back, next yield
sys.settrace(None)
before = pyston_lite.stats()
check(next(g) == 104 and next(g) == 105)  # compiled again, entered mid-loop
after = pyston_lite.stats()
check(after["fallbacks"]["tracing"] == before["fallbacks"]["tracing"])
check(after["compiled_runs"] >= before["compiled_runs"] + 2, (before["compiled_runs"], after["compiled_runs"]))

# Code that runs under an import (a module body, a function it calls once) is not compiled for its loop on
# the first call: it runs once, and compiling it cost a web server megabytes. Hot code still compiles by count.
import os
import tempfile

with tempfile.TemporaryDirectory() as d:
    with open(os.path.join(d, "pb_import_time_loop.py"), "w") as f:
        f.write("def setup(n):\n    t = 0\n    for i in range(n):\n        t += i\n    return t\n"
                "TOTAL = setup(1000)\nfor _i in range(3):\n    pass\n")
    sys.path.insert(0, d)
    import pb_import_time_loop
    sys.path.remove(d)
check(pb_import_time_loop.TOTAL == sum(range(1000)))
if pyston_lite.stats()["threshold"] > 0:
    check(not pyston_lite.is_compiled(pb_import_time_loop.setup))
check(pb_import_time_loop.setup(10) == 45)  # called again later, outside the import: a loop compiles at once
check(pyston_lite.is_compiled(pb_import_time_loop.setup))
print("ok")
