# Changing the world under the inline caches and fast paths: globals rebound and deleted, builtins replaced,
# the same code run with other globals, int/float fast paths at their edges (overflow, zero division,
# subclasses, big ints, NaN).
import builtins
import math
from jit_support import warm, assert_compiled, check

G = 1


def read_g():
    return G


def read_len(x):
    return len(x)


warm(read_g)
check(read_g() == 1)
G = 2
check(read_g() == 2)
del G
try:
    read_g()
    check(False, "NameError expected")
except NameError as e:
    check("name 'G' is not defined" in str(e))
builtins.G = "from builtins"
check(read_g() == "from builtins")
G = "global again"
check(read_g() == "global again")
del builtins.G

warm(read_len, [1])
real_len = builtins.len
builtins.len = lambda x: 42
try:
    check(read_len([1, 2]) == 42)
finally:
    builtins.len = real_len
check(read_len([1, 2]) == 2)
globals()["len"] = lambda x: -1
check(read_len([1]) == -1)
del globals()["len"]
check(read_len([1]) == 1)

# The same code object with other globals.
other = {"G": "other", "__builtins__": builtins}
for _ in range(30):
    check(eval(read_g.__code__, other) == "other")
    check(read_g() == "global again")
assert_compiled(read_g, read_len)


def arith(a, b):
    return (a + b, a - b, a * b, a // b, a % b, a < b, a <= b, a == b, a != b, a > b, a >= b)


def reference(a, b):
    return (a + b, a - b, a * b, a // b, a % b, a < b, a <= b, a == b, a != b, a > b, a >= b)


class MyInt(int):
    def __add__(self, other):
        return "custom"


cases = [(7, 3), (7, 2.5), (-3.5, 2), (1, 3.0), (2**29, 0.5), (2**40, 1.5), (5, float("inf")), (-7, 3), (7, -3), (-7, -3), (0, 5), (2**29, 2**29), (2**30 - 1, 2**30 - 1), (-(2**30) + 1, 3),
         (2**40, 3), (10**20, -7), (5, 2**35), (True, 2), (1.5, 0.5), (-2.5, 1.25), (1e308, 1e308)]
for _ in range(20):
    for a, b in cases:
        got, want = arith(a, b), tuple(reference(a, b))
        check(got == want and [type(x) for x in got] == [type(x) for x in want], (a, b, got, want))
assert_compiled(arith)
check(arith(MyInt(1), 2)[0] == "custom")
for a, b in ((1, 0), (1.0, 0.0)):
    try:
        arith(a, b)
        check(False, "ZeroDivisionError expected")
    except ZeroDivisionError:
        pass
nan = float("nan")
check(arith(nan, 1.0)[5:] == (False, False, False, True, False, False))


def truediv(a, b):
    return a / b


check(warm(truediv, 1.0, 4.0) == 0.25 and truediv(7, 2) == 3.5)
try:
    truediv(1.0, 0.0)
    check(False)
except ZeroDivisionError:
    pass


def branchy(a, b):
    out = []
    if a < b: out.append("lt")
    if a <= b: out.append("le")
    if a == b: out.append("eq")
    if a != b: out.append("ne")
    if a > b: out.append("gt")
    if a >= b: out.append("ge")
    if not a < b: out.append("!lt")
    return out


def branch_reference(a, b):
    ops = [("lt", a < b), ("le", a <= b), ("eq", a == b), ("ne", a != b), ("gt", a > b), ("ge", a >= b),
           ("!lt", not a < b)]
    return [name for name, value in ops if value]


values = [0, 1, -1, 2**30 - 1, -(2**30 - 1), 2**30, -(2**30), 2**62, -(2**62), True, False, 0.5, 7]
for _ in range(5):
    for a in values:
        for b in values:
            check(branchy(a, b) == branch_reference(a, b), (a, b, branchy(a, b)))
assert_compiled(branchy)


def subscr(seq, i):
    return seq[i]


for _ in range(30):
    for seq in ([1, 2, 3], (4, 5, 6), "abc", {0: "zero", -1: "m1"}):
        for i in (0, 2, -1, -3, 3, -4, 2**40, True):
            try:
                want = seq[i]
            except (IndexError, KeyError) as e:
                want = type(e)
            try:
                got = subscr(seq, i)
            except (IndexError, KeyError) as e:
                got = type(e)
            check(got == want, (seq, i, got, want))
assert_compiled(subscr)
check(truediv(7, 2) == 3.5 and truediv(-7, 2) == -3.5 and truediv(1, 3) == 1 / 3 and truediv(2**40, 3) == 2**40 / 3)
check(truediv(1.0, 3) == 1.0 / 3 and truediv(3, 1.5) == 2.0)
try:
    truediv(1, 0)
    check(False)
except ZeroDivisionError:
    pass


def closure_reader(n):
    def inner():
        return n + 1
    return inner()


check(warm(closure_reader, 4) == 5)
assert_compiled(closure_reader)

# Small-int bitwise operators (PYSTON_JIT_FAST_ARITH) against the generic operator functions.
import operator


def bitwise(a, b):
    return (a & b, a | b, a ^ b, a << b if 0 <= b < 70 else None, a >> b if b >= 0 else None)


def bitwise_reference(a, b):
    return (operator.and_(a, b), operator.or_(a, b), operator.xor(a, b),
            operator.lshift(a, b) if 0 <= b < 70 else None, operator.rshift(a, b) if b >= 0 else None)


bit_cases = [(5, 3), (-5, 3), (5, -3), (-1, 0), (0, 0), (2**30 - 1, 2**30 - 1), (-(2**30) + 1, 7), (2**29, 32),
             (-(2**29), 33), (-7, 63), (-7, 64), (7, 69), (-7, 1000), (2**40, 3), (True, True), (True, 1), (1, False)]
for _ in range(20):
    for a, b in bit_cases:
        got, want = bitwise(a, b), bitwise_reference(a, b)
        check(got == want and [type(x) for x in got] == [type(x) for x in want], (a, b, got, want))
assert_compiled(bitwise)

def shift_negative(a, b):
    return a >> b


warm(shift_negative, 8, 1)
try:
    shift_negative(1, -1)
    check(False, "negative shift count must raise")
except ValueError:
    pass

# Inline `is` / `is not`, fused with a jump and alone; the compared objects may die right there.
freed = []


class Dying:
    def __del__(self):
        freed.append(1)


def identity(a, b):
    out = []
    if a is b:
        out.append("is")
    if a is not b:
        out.append("is not")
    out.append(a is b)
    out.append(a is not b)
    return out


def dies_in_compare():
    return Dying() is None, Dying() is not None


sentinel = object()
for _ in range(30):
    check(identity(sentinel, sentinel) == ["is", True, False])
    check(identity(sentinel, None) == ["is not", False, True])
    check(identity(None, None) == ["is", True, False])
    check(identity(1, 1.0) == ["is not", False, True])
    check(warm(dies_in_compare) == (False, True))
assert_compiled(identity, dies_in_compare)
check(len(freed) >= 60, len(freed))

print("ok")
