# Method calls on builtin types straight to their C function (PYSTON_JIT_BUILTIN_METHODS): `obj.m(...)` whose
# method is a builtin type's method descriptor (METH_NOARGS, METH_O, METH_FASTCALL with or without keywords)
# gives what CPython gives: results, subclasses that override or inherit the method, the errors of a wrong
# argument count or receiver, RecursionError, references; and the fast path is what runs (stats()).
import sys
import pyston_lite
from jit_support import assert_compiled, check, warm


class MyList(list):
    pass


class MyDict(dict):
    def get(self, key, default=None):  # a Python override: not a descriptor call
        return ("mine", key, default)


def calls(xs, s, d, lst, text):
    out = []
    for x in xs:
        out.append(x)  # METH_O
        s.add(x)  # METH_O
        out.append(d.get(x))  # METH_FASTCALL
        out.append(d.get(x, -1))
        out.append(text.upper())  # METH_NOARGS
        out.append(",".join([text, text]))  # METH_O
        out.append(text.startswith("a"))  # METH_VARARGS: the generic route
        lst.append(x)
    out.append(lst.pop())  # METH_FASTCALL, no argument
    out.append(sorted(s))
    return out


def no_argument(o):
    try:
        return o.append()
    except TypeError as e:
        return str(e)


def two_arguments(o):
    try:
        return o.append(1, 2)
    except TypeError as e:
        return str(e)


def deep(n):
    return [] if n == 0 else [].__add__(deep(n - 1))  # a METH_O descriptor call at each level


def message_of(call):
    try:
        call()
    except TypeError as e:
        return str(e)


# CPython's own messages for these calls, through a bound method (not the compiled CALL_METHOD path).
append = [].append
no_argument_message, two_arguments_message = message_of(lambda: append()), message_of(lambda: append(1, 2))
want = [0, None, -1, "ABC", "abc,abc", True, 1, 2, 2, "ABC", "abc,abc", True, 1, [0, 1]]
for _ in range(25):  # past the default threshold
    check(calls(range(2), set(), {1: 2}, [], "abc") == want, calls(range(2), set(), {1: 2}, [], "abc"))
    got = calls([7], set(), MyDict(), MyList(), "xy")
    check(got == [7, ("mine", 7, None), ("mine", 7, -1), "XY", "xy,xy", False, 7, [7]], got)
    check(no_argument([]) == no_argument_message, (no_argument([]), no_argument_message))
    check(two_arguments([]) == two_arguments_message, (two_arguments([]), two_arguments_message))
warm(deep, 3)
assert_compiled(calls, no_argument, two_arguments, deep)

before = pyston_lite.stats()["builtin_method_calls"]
calls(range(10), set(), {}, [], "abc")
made = pyston_lite.stats()["builtin_method_calls"] - before
# Per element: out.append x6, add, get x2, upper, join, lst.append (12); then pop and two more out.append.
# startswith is METH_VARARGS (the generic route), sorted a builtin function.
check(made == 123, "builtin_method_calls went up by %d, not 123" % made)

# A C method the recursion limit stops raises RecursionError, as the interpreter's call does.
try:
    deep(sys.getrecursionlimit() + 100)
    check(False, "RecursionError expected")
except RecursionError:
    pass

# References: the receiver, the arguments and the descriptor are released after the call, on success and error.
victim, box = object(), []
refs = sys.getrefcount(victim), sys.getrefcount(box)
for _ in range(100):
    calls([victim], set(), {}, box, "abc")
    box.clear()
    no_argument(box)
    two_arguments(box)
check((sys.getrefcount(victim), sys.getrefcount(box)) == refs, (refs, sys.getrefcount(victim), sys.getrefcount(box)))
print("ok")
