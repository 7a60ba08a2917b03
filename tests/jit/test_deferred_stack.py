# The deferred value stack (PYSTON_JIT_DEFER_STACK): LOAD_FAST of a bound local and LOAD_CONST read in place
# by STORE_FAST, RETURN_VALUE, POP_JUMP_IF_*, LOAD_ATTR/LOAD_METHOD and fused compares. Each pattern is run
# compiled against the values that make its slow paths run (non-bools, non-ints, raising __bool__/__lt__,
# missing attributes, finalizers), and reference counts must not drift.
import sys
from jit_support import assert_compiled, check, warm

N = 300  # calls: past the default threshold


class Finalized:
    lines = []

    def __del__(self):
        # The frame that released us must report the line doing it (f_lasti is stored before a dealloc).
        Finalized.lines.append(sys._getframe(1).f_lineno)


def store_copy(a):
    b = a  # LOAD_FAST; STORE_FAST
    c = 7  # LOAD_CONST; STORE_FAST
    b = b  # a self-assignment keeps the value alive
    return b, c


def release_in_store():
    x = Finalized()
    x = None  # the finalizer runs here
    return x


def return_local(a):
    return a


def return_const():
    return "constant"


def truth(v):
    if v:
        return 1
    return 0


def truth_not(v):
    if not v:
        return 1
    return 0


class Bool:
    def __init__(self, value):
        self.value = value

    def __bool__(self):
        if self.value is None:
            raise ValueError("no truth")
        return self.value


class BadBool:
    def __bool__(self):
        return 2  # TypeError: __bool__ should return bool


def compare_locals(a, b):
    if a < b:
        return "lt"
    if a == b:
        return "eq"
    return "gt"


def compare_const(a):
    if a <= 10:
        return "small"
    return "big"


def compare_stack_and_local(seq, b):
    if len(seq) > b:
        return "longer"
    return "not longer"


def identity(a, b):
    if a is b:
        return "same"
    if a is not None:
        return "other"
    return "none"


class Ordered:
    def __init__(self, key):
        self.key = key

    def __lt__(self, other):
        if self.key is None:
            raise KeyError("unordered")
        return self.key < other.key

    def __eq__(self, other):
        return self.key == other.key


class Point:
    def __init__(self, x):
        self.x = x

    def norm(self):
        return abs(self.x)

    @property
    def broken(self):
        raise RuntimeError("property failed")


def attr_of_local(p):
    return p.x


def method_of_local(p):
    return p.norm()


def attr_or_default(p):
    try:
        return p.x
    except AttributeError:
        return "missing"


def broken_property(p):
    try:
        return p.broken
    except RuntimeError as e:
        return str(e)


def method_or_error(p):
    try:
        return p.norm()
    except AttributeError:
        return "no method"


class Slotted:
    __slots__ = ("x",)


class Guarded:
    @property
    def x(self):
        return 0

    @x.setter
    def x(self, value):
        if value < 0:
            raise ValueError("negative")


def set_attr(o, v):
    o.x = v  # LOAD_FAST v; LOAD_FAST o; STORE_ATTR: the owner deferred
    return o


def set_attr_or_error(o, v):
    try:
        o.x = v
        return "set"
    except (ValueError, AttributeError) as e:
        return type(e).__name__


fns = [set_attr, set_attr_or_error, store_copy, return_local, return_const, truth, truth_not, compare_locals, compare_const,
       compare_stack_and_local, identity, attr_of_local, method_of_local, attr_or_default, broken_property,
       method_or_error]

for _ in range(N):
    check(store_copy([1]) == ([1], 7))
    check(return_local("x") == "x" and return_const() == "constant")
    check(truth(True) == 1 and truth(False) == 0 and truth(0) == 0 and truth([1]) == 1 and truth("") == 0)
    check(truth_not(None) == 1 and truth_not(Bool(True)) == 0 and truth_not(Bool(False)) == 1)
    check(compare_locals(1, 2) == "lt" and compare_locals(2, 2) == "eq" and compare_locals(3, 2) == "gt")
    check(compare_locals(1.5, 2) == "lt" and compare_locals("b", "a") == "gt" and compare_locals(2 ** 70, 2 ** 70) == "eq")
    check(compare_locals(Ordered(1), Ordered(1)) == "eq")
    check(compare_const(3) == "small" and compare_const(11) == "big" and compare_const(10.0) == "small")
    check(compare_stack_and_local("abc", 2) == "longer" and compare_stack_and_local("", 0) == "not longer")
    o = object()
    check(identity(o, o) == "same" and identity(o, None) == "other" and identity(None, 1) == "none")
    check(attr_of_local(Point(3)) == 3 and method_of_local(Point(-4)) == 4)
    check(attr_or_default(Point(1)) == 1 and attr_or_default(object()) == "missing")
    check(broken_property(Point(0)) == "property failed")
    check(method_or_error(Point(-2)) == 2 and method_or_error(object()) == "no method")
    check(set_attr(Point(1), 5).x == 5 and set_attr(Slotted(), "s").x == "s")
    check(set_attr_or_error(Guarded(), 1) == "set" and set_attr_or_error(Guarded(), -1) == "ValueError")
    check(set_attr_or_error(object(), 1) == "AttributeError" and set_attr_or_error(Point(2), 3) == "set")
assert_compiled(*fns)

# Slow paths that raise: the exception comes from the consumer's line, with the stack left consistent.
for bad, fn, exc in [(Bool(None), truth, ValueError), (BadBool(), truth_not, TypeError)]:
    try:
        fn(bad)
        check(False, "%s did not raise" % fn.__name__)
    except exc:
        tb = sys.exc_info()[2]
        while tb and tb.tb_frame.f_code is not fn.__code__:
            tb = tb.tb_next
        check(tb is not None and tb.tb_lineno == fn.__code__.co_firstlineno + 1, fn.__name__)
try:
    compare_locals(Ordered(None), Ordered(1))
    check(False, "no KeyError")
except KeyError:
    pass
try:
    compare_locals(1, "a")
    check(False, "no TypeError")
except TypeError as e:
    check("'<' not supported" in str(e), str(e))
try:
    attr_of_local(object())
    check(False, "no AttributeError")
except AttributeError as e:
    check("'object' object has no attribute 'x'" in str(e), str(e))

# The finalizer of the value a STORE_FAST overwrites sees the store's line.
Finalized.lines.clear()
for _ in range(N):
    release_in_store()
assert_compiled(release_in_store)
check(set(Finalized.lines) == {release_in_store.__code__.co_firstlineno + 2}, set(Finalized.lines))

# No reference leaks or over-releases through the borrowed operands.
p, s, big = Point(5), "some string", 2 ** 80
before = []
for i in range(1001):
    if i == 1:  # after one round: the first handled exception may change the thread's exception state
        before = [sys.getrefcount(x) for x in (p, s, big, None, True, False)]
    store_copy(s)
    return_local(p)
    truth(p)
    truth_not(s)
    compare_locals(big, big)
    compare_const(big)
    identity(p, p)
    identity(s, None)
    attr_of_local(p)
    method_of_local(p)
    attr_or_default(s)
    set_attr(p, big)
    set_attr_or_error(s, p)
after = [sys.getrefcount(x) for x in (p, s, big, None, True, False)]
check(before == after, (before, after))
print("ok")
