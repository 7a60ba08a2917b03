# Shared by the JIT's end-to-end tests: run under build/bin/pyston, they check behaviour a user would
# notice and that the code in question really ran compiled.
import glob
import os
import subprocess
import sys
import tempfile

import pyston_lite


def warm(fn, *args, times=None, **kwargs):
    """Calls fn until it is compiled (bounded), returns the last result."""
    result = None
    for _ in range(times or 50):
        result = fn(*args, **kwargs)
        if pyston_lite.is_compiled(fn):
            break
    return result


def assert_compiled(*fns):
    for fn in fns:
        assert pyston_lite.is_compiled(fn), "%s was not compiled; stats=%r" % (fn.__name__, pyston_lite.stats())


def check(cond, message="check failed"):
    if not cond:
        raise AssertionError(message)


def listing_of(program, function, **env):
    """Runs `program` in a fresh launcher at threshold 0 with PYSTON_JIT_DUMP (and `env`), and returns its last
    stdout line and the machine-code listing of its function `function` (there must be exactly one)."""
    with tempfile.TemporaryDirectory() as dump:
        env = dict(os.environ, PYSTON_JIT_THRESHOLD="0", PYSTON_JIT_DUMP=dump, **env)
        r = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, timeout=60)
        check(r.returncode == 0, r.stderr)
        listings = glob.glob(os.path.join(dump, "py__%s__*.s" % function))
        check(len(listings) == 1, os.listdir(dump))
        with open(listings[0]) as f:
            return r.stdout.split()[-1], f.read()
