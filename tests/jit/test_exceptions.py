# Exceptions cross compiled and interpreted frames; try/except/finally/with semantics and tracebacks exact.
import os
import traceback
import pyston_lite
from jit_support import warm, assert_compiled, check


def raiser(kind):
    if kind == 1:
        raise ValueError("one")          # line A
    if kind == 2:
        return {}["missing"]             # line B
    return kind


def middle(kind):
    try:
        return raiser(kind)
    finally:
        middle.finally_count += 1


middle.finally_count = 0


def outer(kind):
    try:
        return middle(kind)
    except ValueError as e:
        return "value:" + str(e)
    except KeyError as e:
        return "key:" + str(e)


class Ctx:
    def __init__(self, log):
        self.log = log

    def __enter__(self):
        self.log.append("enter")
        return self

    def __exit__(self, *exc):
        self.log.append("exit:%s" % (exc[0].__name__ if exc[0] else None))
        return exc[0] is KeyError


def with_user(kind, log):
    with Ctx(log):
        raiser(kind)
    return "after"


def loop_with_break_in_finally(n):
    out = []
    for i in range(n):
        try:
            if i == 3:
                break
            out.append(i)
        finally:
            out.append(-i)
    return out


for _ in range(40):
    check(outer(0) == 0)
    check(outer(1) == "value:one")
    check(outer(2) == "key:'missing'")
    log = []
    check(with_user(0, log) == "after" and log == ["enter", "exit:None"], log)
    log = []
    check(with_user(2, log) == "after" and log == ["enter", "exit:KeyError"], log)
    check(loop_with_break_in_finally(10) == [0, 0, 1, -1, 2, -2, -3])
check(middle.finally_count == 120)
assert_compiled(raiser, middle, outer, with_user, loop_with_break_in_finally)

try:
    middle(1)
except ValueError as e:
    tb = traceback.extract_tb(e.__traceback__)
    check([f.name for f in tb] == ["<module>", "middle", "raiser"], tb)
    check(tb[-1].line == 'raise ValueError("one")          # line A', tb[-1].line)
    check(tb[1].line == "return raiser(kind)")

log = []
try:
    with_user(1, log)
except ValueError:
    check(log == ["enter", "exit:ValueError"], log)
else:
    check(False)

# The exception context chain is kept across compiled frames.
def chained():
    try:
        raise KeyError("inner")
    except KeyError:
        raise ValueError("outer")


warm(lambda: None)
for _ in range(30):
    try:
        chained()
    except ValueError as e:
        check(isinstance(e.__context__, KeyError))
assert_compiled(chained)
# Handlers run compiled (PYSTON_JIT_HANDLE_EXCEPTIONS, default on), or in the interpreter after a deopt.
stats = pyston_lite.stats()
if os.environ.get("PYSTON_JIT_HANDLE_EXCEPTIONS", "1") != "0":
    check(stats["exceptions_caught_compiled"] > 0 and stats["deopts_for_exceptions"] == 0, stats)
else:
    check(stats["deopts_for_exceptions"] > 0 and stats["exceptions_caught_compiled"] == 0, stats)
print("ok")
