# Changing the world under the LOAD_ATTR / LOAD_METHOD caches: class attributes and methods replaced,
# attributes added and deleted, __class__ assigned, instance attributes shadowing methods, split dicts turned
# combined, __slots__, properties and __getattr__ added later.
from jit_support import warm, assert_compiled, check


class A:
    kind = "A"

    def __init__(self, v):
        self.v = v

    def m(self):
        return "A.m"


class B(A):
    def m(self):
        return "B.m"


class S:
    __slots__ = ("x",)

    def __init__(self, x):
        self.x = x


def get_v(o):
    return o.v


def get_kind(o):
    return o.kind


def call_m(o):
    return o.m()


def get_x(o):
    return o.x


a, b = A(1), B(2)
for _ in range(30):
    check(get_v(a) == 1 and get_v(b) == 2)
    check(call_m(a) == "A.m" and call_m(b) == "B.m")
    check(get_kind(a) == "A" and get_x(S(5)) == 5)
assert_compiled(get_v, call_m, get_kind, get_x)

a.v = 10
check(get_v(a) == 10)
del a.v
try:
    get_v(a)
    check(False, "AttributeError expected")
except AttributeError:
    pass
a.v = 11
A.m = lambda self: "patched"
check(call_m(a) == "patched" and call_m(b) == "B.m")
del B.m
check(call_m(b) == "patched")
a.m = lambda: "instance"
check(call_m(a) == "instance")
del a.m
check(call_m(a) == "patched")
A.kind = "A2"
check(get_kind(a) == "A2" and get_kind(b) == "A2")
b.kind = "own"
check(get_kind(b) == "own")

a.__class__ = B
check(get_v(a) == 11 and call_m(a) == "patched")
B.m = lambda self: "B again"
check(call_m(a) == "B again")

# A data descriptor added to the class takes precedence over the instance dict.
A.v = property(lambda self: "property")
check(get_v(a) == "property" and get_v(b) == "property")
del A.v
check(get_v(a) == 11)

# __getattr__ added later serves missing attributes.
c = A(3)
del c.v
A.__getattr__ = lambda self, name: "fallback:" + name
check(get_v(c) == "fallback:v")
del A.__getattr__

# Many attributes turn a split (shared-key) dict into a combined one.
d = A(4)
for i in range(50):
    setattr(d, "extra%d" % i, i)
check(get_v(d) == 4)
d.__dict__ = {"v": "replaced dict"}
check(get_v(d) == "replaced dict")

s = S(6)
check(get_x(s) == 6)
del s.x
try:
    get_x(s)
    check(False, "AttributeError expected")
except AttributeError:
    pass

# Split (shared-key) dicts: slots read straight from the shared layout must follow deletions, keys added
# to the shared layout later, and instances of the same class that lack a key.
class K:
    def __init__(self):
        self.p = 1
        self.q = 2

    def meth(self):
        return "meth"


def get_q(o):
    return o.q


def call_meth(o):
    return o.meth()


k1, k2 = K(), K()
for _ in range(30):
    check(get_q(k1) == 2 and get_q(k2) == 2 and call_meth(k1) == "meth")
assert_compiled(get_q, call_meth)
k2.q = "changed"
check(get_q(k2) == "changed" and get_q(k1) == 2)
del k2.q
try:
    get_q(k2)
    check(False, "AttributeError expected")
except AttributeError:
    pass
k3 = K()
k3.meth = lambda: "shadow"
check(call_meth(k3) == "shadow" and call_meth(k1) == "meth")
k4 = K()
check(call_meth(k4) == "meth")
k4.meth = lambda: "shadow4"
check(call_meth(k4) == "shadow4")
del k4.meth
check(call_meth(k4) == "meth")
k5 = K()
k5.__dict__["meth"] = lambda: "via dict"
check(call_meth(k5) == "via dict" and get_q(k5) == 2)

# A class's shared keys are replaced (and the old ones freed) when instances insert attributes in another
# order; a new keys object can reuse the address with the attribute at another slot.
class R:
    def __init__(self, order):
        for name in order:
            setattr(self, name, "value of " + name)


def get_c(o):
    return o.c


warm(get_c, R("abc"))
for i in range(300):
    r = R(("cab", "abc", "bca")[i % 3])
    check(get_c(r) == "value of c", (i, get_c(r)))

# Builtin methods and modules.
def meths(lst, mod):
    lst.append(1)
    return len(lst), mod.path is not None


import os
for _ in range(30):
    meths([], os)
check(meths([0], os) == (2, True))
print("ok")
