# `in` / `not in` fused with the conditional jump after it (PYSTON_JIT_FUSE_CONTAINS): the same answers,
# exceptions, tracebacks and references as the interpreter's COMPARE_OP (3.8) / CONTAINS_OP (3.9+) followed by
# POP_JUMP_IF_*, for every operand kind (locals and constants read in place, values computed on the stack),
# and the fused form really is what runs: the compiled code calls PySequence_Contains itself.
import sys
from jit_support import assert_compiled, check, listing_of, warm


class Truthy:
    """__contains__ answers with objects that are not bools: `in` takes their truth."""

    def __contains__(self, x):
        if x == "boom":
            raise KeyError("boom")
        return [1] if x == 3 else ""


class Seq:
    """No __contains__: `in` iterates (__iter__), comparing with ==."""

    def __iter__(self):
        return iter([1, 2, 3])


def both_locals(x, s):
    if x in s:
        return "in"
    return "out"


def negated_locals(x, s):
    if x not in s:
        return "not in"
    return "in"


def const_container(x):
    if x in (1, 2, 3):
        return "tuple"
    if x not in frozenset({4, 5}):
        return "neither"
    return "set"


def computed(xs, d):
    out = []
    for x in xs:
        if x * 2 in d.keys():  # both operands on the value stack
            out.append(x)
        if x not in d and x + 1 in d:
            out.append(-x)
    return out


def raising(x, s):
    try:
        if x in s:
            return 1
        return 0
    except (KeyError, TypeError) as e:
        return "%s line %d" % (type(e).__name__, sys.exc_info()[2].tb_lineno - raising.__code__.co_firstlineno)


def uncaught(x, s):
    if x in s:
        return 1
    return 0


cases = [(1, [1, 2]), (3, [1, 2]), (1, {1: 2}), ("b", "abc"), ("z", "abc"), (3, Truthy()), (4, Truthy()),
         (2, Seq()), (5, Seq()), ({1, 2}, {frozenset({1, 2})}), ({9}, {frozenset({1})}), (1, range(3)),
         (5, range(3)), (None, [None]), (float("nan"), [float("nan")])]
expected_in = [True, False, True, True, False, True, False, True, False, True, False, True, False, True, False]
for _ in range(25):  # past the default threshold: the last rounds run compiled
    for (x, s), want in zip(cases, expected_in):
        check(both_locals(x, s) == ("in" if want else "out"), (x, s))
        check(negated_locals(x, s) == ("in" if want else "not in"), (x, s))
    check([const_container(x) for x in (1, 4, 9)] == ["tuple", "set", "neither"])
    got = computed(range(6), {0: 0, 2: 0, 6: 0, 10: 0})
    check(got == [0, 1, -1, 3, 5, -5], got)
    check(raising("boom", Truthy()) == "KeyError line 2", raising("boom", Truthy()))
    check(raising([], {}) == "TypeError line 2", raising([], {}))
    check(raising(3, Truthy()) == 1 and raising(2, Truthy()) == 0)
    check(raising(1, 5) == "TypeError line 2", raising(1, 5))  # an int is no container
    gen = (i for i in range(10))
    check(both_locals(3, gen) == "in" and next(gen) == 4)  # `in` consumed the generator up to 3
warm(uncaught, 1, [1])
assert_compiled(both_locals, negated_locals, const_container, computed, raising, uncaught)

# An uncaught error: the traceback names the `in` line, and the operands are released.
victim, box = object(), []
before = sys.getrefcount(victim), sys.getrefcount(box)
for _ in range(100):
    try:
        uncaught([victim], {})
        check(False, "unhashable must raise")
    except TypeError as e:
        tb = e.__traceback__
        while tb.tb_next:
            tb = tb.tb_next
        check(tb.tb_lineno == uncaught.__code__.co_firstlineno + 1, tb.tb_lineno)
        del e, tb
    both_locals(victim, box)
    computed([1], {victim: 1})
check((sys.getrefcount(victim), sys.getrefcount(box)) == before, (before, sys.getrefcount(victim)))

# The fused form is what runs: both_locals's machine code calls PySequence_Contains (the unfused form calls
# the COMPARE_OP / CONTAINS_OP helper, which calls it from C), and the switch turns it off.
PROGRAM = """
import ctypes
def f(x, s):
    if x in s:
        return 1
    return 0
for _ in range(3): f(1, {1})
print(ctypes.cast(ctypes.pythonapi.PySequence_Contains, ctypes.c_void_p).value)
"""
for switch, fused in (("1", True), ("0", False)):
    address, listing = listing_of(PROGRAM, "f", PYSTON_JIT_FUSE_CONTAINS=switch)
    calls = [line.split()[1] for line in listing.splitlines() if line.startswith("call ")]
    check((address in calls) == fused, (switch, address, calls))
print("ok")
