# Float results written into a dying operand (PYSTON_JIT_INPLACE_FLOAT): only floats nothing else can see
# are reused. A float also held by a list, another variable, a closure cell, an attribute, a default or a
# constant must keep its value; results and exceptions match the interpreter.
import os
import subprocess
import sys
from jit_support import warm, assert_compiled, check


def temporaries(a, b, c):
    return (a * b + c) * (a - c) / (b + 1.0) - (a / b) * (c - 1)


def reference(a, b, c):
    return (a * b + c) * (a - c) / (b + 1.0) - (a / b) * (c - 1)


cases = [(1.5, 2.0, 3.25), (2, 0.5, -1.0), (-1e308, 1e308, 2.0), (float("inf"), 1.0, 2.0), (0.1, 3, 7)]
for _ in range(30):
    for a, b, c in cases:
        got, want = temporaries(a, b, c), reference(a, b, c)
        check(got == want or (got != got and want != want), (a, b, c, got, want))
assert_compiled(temporaries)


def shared(n):
    b = 1.5
    held = [b]
    other = b
    out = []
    for i in range(n):
        a = b + 0.25  # b is held by the list and `other`: must not change
        a = a * 2.0  # a temporary now only held by `a` and the stack: may be reused
        a += 1.0
        out.append(a)
        x = held[0] * 1.0
        held.append(x)
        only_in_list = [b * 1.0]
        r = only_in_list[0] + 1.0  # held by the list and the stack: must not be reused
        out.append(only_in_list[0])
    return b, other, held[0], held[1:3], out[:3], r


for _ in range(30):
    check(shared(5) == (1.5, 1.5, 1.5, [1.5, 1.5], [4.5, 1.5, 4.5], 2.5), shared(5))


def accumulate(xs):
    total = 0.0
    alias = None
    for i, x in enumerate(xs):
        total = total + x  # the old total is only in the local being overwritten: reused
        if i == 2:
            alias = total  # from now on the same float is in two locals: must not be reused
            snapshot = alias + 0.0
    return total, alias, snapshot


for _ in range(30):
    check(accumulate([1.0, 2.0, 3.0, 4.0, 5.0]) == (15.0, 6.0, 6.0), accumulate([1.0, 2.0, 3.0, 4.0, 5.0]))


class Body:
    def __init__(self):
        self.v = 0.5


def attributes(n, body, default=2.5):
    cell = 1.0

    def get():
        return cell

    for _ in range(n):
        body.v = body.v * 1.0 + default  # the attribute's float is shared with the instance dict
        cell = cell + 0.0
        z = get() * 1.0
    return body.v, default, cell, z


for _ in range(30):
    b = Body()
    check(attributes(4, b) == (10.5, 2.5, 1.0, 1.0))


def constants():
    x = 0.5
    for _ in range(3):
        x = x + 0.5  # the constant 0.5 (co_consts) must stay 0.5
    return x, 0.5 + 0.0


for _ in range(30):
    check(constants() == (2.0, 0.5))


def division(a, b):
    return (a * 1.0) / (b * 1.0)


for _ in range(30):
    check(division(1, 4) == 0.25)
try:
    division(1.0, 0.0)
    check(False, "ZeroDivisionError expected")
except ZeroDivisionError as e:
    check(str(e) == "float division by zero")


class MyFloat(float):
    def __add__(self, other):
        return "custom"


def subclasses(a):
    return (a * 1) + 1.0, MyFloat(2.0) + (a * 1.0), (a * 1.0) + MyFloat(2.0)


for _ in range(30):
    check(subclasses(1.0) == (2.0, "custom", 3.0) and type(subclasses(1.0)[2]) is float, subclasses(1.0))
check((MyFloat(1.0) * 1) + 1.0 == 2.0)

if os.environ.get("PYSTON_JIT_INPLACE_FLOAT") != "0":
    env = dict(os.environ, PYSTON_JIT_INPLACE_FLOAT="0")
    r = subprocess.run([sys.executable, __file__], env=env, capture_output=True, text=True, timeout=200)
    check(r.returncode == 0 and r.stdout.startswith("ok"), r.stdout + r.stderr)
print("ok")
