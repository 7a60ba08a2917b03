# Exceptions caught by handlers of compiled frames (PYSTON_JIT_HANDLE_EXCEPTIONS): the handler runs in
# compiled code, and what Python code can see (exc_info, tracebacks, chaining, finally order) is CPython's.
# The transcript of results must equal the one the same script prints with the JIT off (DISABLE_PYSTON=1:
# the launcher runs the stock interpreter), and the handlers must have run compiled (stats()).
import os
import subprocess
import sys
import traceback


def lookup(d, k):
    try:
        return d[k]
    except KeyError:
        return "missing"


def nested(x):
    try:
        try:
            raise ValueError(x)
        except TypeError:
            return "wrong handler"
    except ValueError as e:
        return "outer caught %s, inside %s" % (e, sys.exc_info()[0].__name__)


def divide(x):
    try:
        return 1 // x
    except ZeroDivisionError:
        raise


def reraise_keeps_traceback(x):
    try:
        divide(x)
    except ZeroDivisionError as e:
        return [(fr.name, fr.lineno) for fr in traceback.extract_tb(e.__traceback__)]


def finally_runs(flag):
    log = []
    try:
        try:
            if flag:
                raise KeyError(flag)
            log.append("body")
        finally:
            log.append("finally")
    except KeyError as e:
        log.append("caught %r" % e.args)
    log.append(repr(sys.exc_info()))
    return log


def unmatched(x):
    try:
        try:
            raise IndexError(x)
        except (KeyError, TypeError):
            return "no"
    except LookupError as e:
        return "propagated %s" % type(e).__name__


def chained():
    try:
        try:
            raise KeyError("first")
        except KeyError:
            raise ValueError("second")
    except ValueError as e:
        return "%s <- %r" % (e, e.__context__)


def exc_info_restored():
    try:
        raise KeyError(1)
    except KeyError:
        try:
            raise ValueError(2)
        except ValueError:
            pass
        inner = sys.exc_info()[0].__name__
    return inner, sys.exc_info()


def in_generator(n):
    for i in range(n):
        try:
            yield 10 // i
        except ZeroDivisionError:
            yield "zero %s" % sys.exc_info()[0].__name__


def yield_inside_handler():
    try:
        raise KeyError("k")
    except KeyError:
        yield sys.exc_info()[0].__name__
        yield sys.exc_info()[0].__name__
    yield repr(sys.exc_info())


def loop_of_handlers(n):
    caught = 0
    for i in range(n):
        try:
            [][i]
        except IndexError:
            caught += 1
    return caught


def bare_raise_without_exception():
    try:
        raise
    except RuntimeError as e:
        return str(e)


def with_suppresses(x):
    class Suppress:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return True

    with Suppress():
        raise ValueError(x)
    return "suppressed"


def traceback_lines():
    def inner():
        raise OSError("x")  # the line recorded for inner

    try:
        inner()
    except OSError as e:
        entries, tb = [], e.__traceback__
        while tb:
            entries.append((tb.tb_frame.f_code.co_name, tb.tb_lineno - traceback_lines.__code__.co_firstlineno,
                            tb.tb_lasti))
            tb = tb.tb_next
        return entries


def transcript():
    out = []
    for _ in range(3):  # the later rounds run compiled (threshold 0) or after warming
        out = [
            lookup({1: 2}, 1), lookup({}, 1), nested(3), reraise_keeps_traceback(0), finally_runs(1),
            finally_runs(0), unmatched(5), chained(), exc_info_restored(), list(in_generator(3)),
            list(yield_inside_handler()), loop_of_handlers(50), bare_raise_without_exception(),
            with_suppresses(1), traceback_lines(), repr(sys.exc_info()),
        ]
    return out


def main():
    for _ in range(30):
        result = transcript()
    text = "\n".join(map(repr, result))
    if len(sys.argv) > 1 and sys.argv[1] == "print":
        print(text)
        return
    import pyston_lite

    stats = pyston_lite.stats()
    expected = subprocess.run([sys.executable, os.path.abspath(__file__), "print"], check=True,
                              stdout=subprocess.PIPE, text=True,
                              env=dict(os.environ, DISABLE_PYSTON="1")).stdout.rstrip("\n")
    if text != expected:
        for a, b in zip(text.splitlines(), expected.splitlines()):
            if a != b:
                print("pyston:   ", a, "\nstock 3.8:", b)
        raise SystemExit("transcript differs from stock python3.8")
    if os.environ.get("PYSTON_JIT_HANDLE_EXCEPTIONS", "1") != "0":
        assert stats["exceptions_caught_compiled"] > 1000, stats
        assert stats["deopts_for_exceptions"] == 0, stats
    else:
        assert stats["exceptions_caught_compiled"] == 0, stats
    print("ok", stats["exceptions_caught_compiled"], "caught in compiled code")


main()
