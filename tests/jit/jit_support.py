# Shared by the JIT's end-to-end tests: run under build/bin/pyston, they check behaviour a user would
# notice and that the code in question really ran compiled.
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
