# Tools for people debugging the JIT: PYSTON_PERF_MAP, PYSTON_JIT_DUMP, the GDB JIT interface, stats().
import os
import shutil
import subprocess
import sys
import tempfile
import pyston_lite
from jit_support import check

PROGRAM = """
import os, pyston_lite
def hot_function(n):
    t = 0
    for i in range(n):
        t += i
    return t
for _ in range(3):
    hot_function(100)
assert pyston_lite.is_compiled(hot_function)
print(os.getpid())
"""

with tempfile.TemporaryDirectory() as d:
    env = dict(os.environ, PYSTON_PERF_MAP="1", PYSTON_JIT_DUMP=d)
    r = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, env=env, timeout=60)
    check(r.returncode == 0, r.stderr)
    pid = int(r.stdout.split()[-1])
    path = "/tmp/perf-%d.map" % pid
    with open(path) as f:
        lines = f.read().splitlines()
    os.unlink(path)
    entries = [l.split(" ", 2) for l in lines]
    check(all(int(a, 16) > 0 and int(s, 16) > 0 for a, s, _ in entries), lines[:3])
    # Each symbol covers its own code only: gdb drops overlapping ranges (and cannot unwind through them).
    spans = sorted((int(a, 16), int(s, 16)) for a, s, _ in entries)
    check(all(a + s <= b for (a, s), (b, _) in zip(spans, spans[1:])), "overlapping symbols in the perf map")
    names = [n for _, _, n in entries]
    check(any(n.startswith("py::hot_function:<string>:") for n in names), names[:10])
    dumps = [f for f in os.listdir(d) if f.startswith("py__hot_function")]
    check(len(dumps) == 1, os.listdir(d)[:10])
    with open(os.path.join(d, dumps[0])) as f:
        listing = f.read()
    check("FOR_ITER" in listing and "INPLACE_ADD" in listing and "call" in listing, listing[:500])

# A forked child (a gunicorn worker) writes its own map, starting with its parent's entries from before the
# fork (that code is its too); the parent's map never gets the child's entries.
FORKING = PROGRAM.replace("print(os.getpid())", """
pid = os.fork()
if pid == 0:
    def child_function(n):
        return sum(i for i in range(n))
    for _ in range(30):
        child_function(10)
    assert pyston_lite.is_compiled(child_function)
    os._exit(0)
os.waitpid(pid, 0)
def parent_after_fork(n):
    return n + 1
for _ in range(30):
    parent_after_fork(1)
print(os.getpid(), pid)
""")
r = subprocess.run([sys.executable, "-c", FORKING], capture_output=True, text=True,
                   env=dict(os.environ, PYSTON_PERF_MAP="1"), timeout=60)
check(r.returncode == 0, r.stderr)
parent, child = (int(x) for x in r.stdout.split()[-2:])
maps = {}
for who, pid in (("parent", parent), ("child", child)):
    path = "/tmp/perf-%d.map" % pid
    check(os.path.exists(path), "no perf map for the %s" % who)
    with open(path) as f:
        maps[who] = [l.split(" ", 2)[2] for l in f.read().splitlines()]
    os.unlink(path)
has = lambda who, prefix: any(n.startswith(prefix) for n in maps[who])
check(has("parent", "py::hot_function:") and has("parent", "py::parent_after_fork:"), maps["parent"][-5:])
check(not has("parent", "py::child_function:"), "the child wrote into its parent's perf map")
check(has("child", "py::child_function:") and has("child", "py::hot_function:"), maps["child"][-5:])
check(not has("child", "py::parent_after_fork:"), maps["child"][-5:])

stats = pyston_lite.stats()
for key in ("functions_compiled", "code_bytes", "compile_time_s", "deopts", "deopts_by_opcode", "fallbacks"):
    check(key in stats, key)
check(stats["functions_compiled"] > 0 and stats["code_bytes"] > 0 and stats["compile_time_s"] > 0, stats)

# gdb: a breakpoint in a C function called from compiled code; `bt` names the JIT frame.
gdb = shutil.which("gdb")
if gdb:
    prog = PROGRAM.replace("t += i", "t += i\n        if i == 50 and n == 100: os.getppid()")
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(prog)
    r = subprocess.run([gdb, "-batch", "-nx", "-ex", "set breakpoint pending on", "-ex", "break getppid",
                        "-ex", "run", "-ex", "bt", "--args", sys.executable, f.name],
                       capture_output=True, text=True, timeout=180, env=dict(os.environ, PYSTON_JIT_THRESHOLD="0"))
    os.unlink(f.name)
    check("py::hot_function" in r.stdout, r.stdout[-3000:] + r.stderr[-2000:])
    check("main" in r.stdout.split("py::hot_function", 1)[1], "bt did not walk through the JIT frame")
print("ok")
