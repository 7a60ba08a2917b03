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
print("ok")
