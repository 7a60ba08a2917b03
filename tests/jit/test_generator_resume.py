# Generators resumed by compiled code itself (PYSTON_JIT_RESUME_GENERATORS: FOR_ITER and YIELD_FROM enter the
# generator's machine code without CPython's gen_send_ex): everything gen_send_ex does must still be seen by
# the generator and its resumer. The counter stats()["generator_resumes"] proves the path ran
# (3.8-3.10).
import gc
import sys
import weakref

import pyston_lite
from jit_support import warm, check



def resumes():
    return pyston_lite.stats()["generator_resumes"]


def numbers(n):
    for i in range(n):
        yield i
    return "done"


def sum_loop(n):
    total = 0
    for x in numbers(n):
        total += x
    return total


def delegate(n):
    result = yield from numbers(n)
    yield result


# Values, the returned value through yield from, and the path really taken.
for _ in range(3):
    warm(numbers, 3)
    warm(sum_loop, 10)
before = resumes()
check(sum_loop(100) == 4950)
check(list(delegate(3)) == [0, 1, 2, "done"])
if pyston_lite.is_compiled(numbers) and pyston_lite.is_compiled(sum_loop):
    check(resumes() - before >= 101, "FOR_ITER resumed the compiled generator: %d" % (resumes() - before))


# The resumer's frame is the generator frame's f_back while it runs, and only then.
def who_resumed():
    while True:
        yield sys._getframe(1).f_code.co_name


def resumer():
    g = who_resumed()
    names = []
    for name in g:
        names.append(name)
        if len(names) == 3:
            break
    return names, g


for _ in range(30):
    names, g = resumer()
check(names == ["resumer"] * 3, names)
check(g.gi_frame.f_back is None, "f_back is released between resumptions")


# The generator's own exception state: sys.exc_info() inside it is its own handled exception, the resumer's
# is untouched, and an exception being handled by the resumer is the context of one raised inside.
def exc_info_gen():
    yield sys.exc_info()[0]
    try:
        raise KeyError("inner")
    except KeyError:
        yield sys.exc_info()[0]
    yield sys.exc_info()[0]
    raise ValueError("from the generator")


def exc_info_user():
    seen = []
    try:
        raise IndexError("outer")
    except IndexError:
        try:
            for t in exc_info_gen():
                seen.append(t)
                seen.append(sys.exc_info()[0])
        except ValueError as e:
            seen.append(type(e.__context__))
    return seen


for _ in range(30):
    seen = exc_info_user()
check(seen == [IndexError, IndexError, KeyError, IndexError, IndexError, IndexError, IndexError], seen)


# StopIteration raised inside becomes RuntimeError (PEP 479), with the StopIteration as its cause.
def leaks_stop():
    yield 1
    raise StopIteration("leaked")


def run_leaky():
    try:
        for _ in leaks_stop():
            pass
    except RuntimeError as e:
        return str(e), type(e.__cause__)
    return None


for _ in range(30):
    r = run_leaky()
check(r == ("generator raised StopIteration", StopIteration), r)


# Running: resuming a generator from inside itself is refused as CPython refuses it.
def reentrant():
    me = yield
    while True:
        try:
            for _ in me:
                pass
        except ValueError as e:
            yield str(e)


def run_reentrant():
    g = reentrant()
    next(g)
    return g.send(g)


for _ in range(30):
    r = run_reentrant()
check(r == "generator already executing", r)


# Finished generators release their frame (and with it the locals), whether they returned or raised; next()
# on them stops at once.
class Token:
    pass


def holds(token, fail):
    yield 1
    if fail:
        raise KeyError("x")


def finish(fail):
    t = Token()
    ref = weakref.ref(t)
    g = holds(t, fail)
    del t
    try:
        for _ in g:
            pass
    except KeyError:
        pass
    gc.collect()
    return ref() is None and g.gi_frame is None and next(g, "empty") == "empty"


for _ in range(30):
    check(finish(False) and finish(True), "frames released")


# throw() and close() after direct resumptions, and a send() of a value through yield from.
def echo():
    received = []
    try:
        while True:
            received.append((yield len(received)))
    except GeneratorExit:
        received.append("closed")
        raise
    finally:
        received.append("finally")
        log.append(received)


def relay():
    return (yield from echo())


log = []
for _ in range(30):
    g = relay()
    for _ in range(3):
        next(g)
    check(g.send("x") == 3)
    g.close()
check(log[-1] == [None, None, "x", "closed", "finally"], log[-1])

# throw() and close() enter the compiled generator at its yield (no interpreter run): the handler sees the
# exception with the yield's line in its traceback, a finally block runs on close(), and an exception the
# generator does not handle comes out of throw().
def catcher():
    while True:
        try:
            yield "ready"
        except KeyError as e:
            yield ("caught", e.args[0], e.__traceback__.tb_lineno)
        finally:
            finally_log.append("finally")


def throw_into():
    g = catcher()
    next(g)
    r = g.throw(KeyError("k"))
    next(g)
    try:
        g.throw(ValueError("v"))
    except ValueError as e:
        tb = e.__traceback__
        while tb.tb_next:
            tb = tb.tb_next
        escaped = tb.tb_lineno
    h = catcher()
    next(h)
    h.close()
    return r, escaped


YIELD_LINE = catcher.__code__.co_firstlineno + 3
finally_log = []
for _ in range(30):
    r, escaped = throw_into()
check(r == ("caught", "k", YIELD_LINE) and escaped == YIELD_LINE, (r, escaped, YIELD_LINE))
check(finally_log.count("finally") == 30 * 3, len(finally_log))
if pyston_lite.is_compiled(catcher):
    throws_before = pyston_lite.stats()["fallbacks"]["generator_throw"]
    throw_into()
    check(pyston_lite.stats()["fallbacks"]["generator_throw"] == throws_before,
          "throw() and close() of a compiled generator ran in the interpreter")

# Tracing while a compiled generator is resumed: the tracer sees its lines (CPython's path is taken).
events = []


def tracer(frame, event, arg):
    if frame.f_code is numbers.__code__:
        events.append(event)
    return tracer


sys.settrace(tracer)
sum_loop(2)
sys.settrace(None)
check(events.count("line") >= 3 and "return" in events, events)
print("ok")
