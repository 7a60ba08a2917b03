# PYSTON_JIT_MAX_MEM caps machine code: once reached, code keeps running in the interpreter (counted as
# fallbacks), and everything still works.
import os
import subprocess
import sys
from jit_support import check

PROGRAM = """
import pyston_lite
fns = []
for i in range(200):
    ns = {}
    exec("def f(x):\\n    t = 0\\n    for i in range(x):\\n        t += i * %d\\n    return t" % i, ns)
    fns.append(ns["f"])
for i, f in enumerate(fns):
    assert f(10) == 45 * i
s = pyston_lite.stats()
print(s["code_bytes"], s["code_bytes_cap"], s["fallbacks"]["memory_cap"], s["functions_compiled"])
"""
r = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=60,
                   env=dict(os.environ, PYSTON_JIT_MAX_MEM="30000", PYSTON_JIT_THRESHOLD="0"))
check(r.returncode == 0, r.stderr)
used, cap, capped, compiled = map(int, r.stdout.split())
check(cap == 30000 and used <= cap and capped > 0 and compiled > 0, r.stdout)

# stats()["cache_bytes"] follows the caches of live compiled functions: a function with one LOAD_GLOBAL and
# two attribute sites adds one GlobalCache and two AttrCaches; a site that sees a second receiver type adds
# its overflow entries; freeing the code gives it all back.
CACHES = """
import gc, pyston_lite
def cache_bytes():
    gc.collect()
    return pyston_lite.stats()["cache_bytes"]
class A:
    def __init__(self): self.x = 1
class B(A): pass
a, b = A(), B()  # __init__ is compiled (at threshold 0) and its caches filled before counting
before = cache_bytes()
ns = {}
exec("def f(o):\\n    return len(o.x.__class__.__name__)", ns)
f = ns["f"]
f(a)
one = cache_bytes() - before
f(b)
two = cache_bytes() - before
del f, ns
gone = cache_bytes() - before
print(one, two, gone)
"""
r = subprocess.run([sys.executable, "-c", CACHES], capture_output=True, text=True, timeout=60,
                   env=dict(os.environ, PYSTON_JIT_THRESHOLD="0"))
check(r.returncode == 0, r.stderr)
one, two, gone = map(int, r.stdout.split())
check(one == 32 + 3 * 48 and two > one and gone == 0, r.stdout)
print("ok")
