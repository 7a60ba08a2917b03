# `local.name` cache hits in machine code (PYSTON_JIT_INLINE_ATTRS): a split instance dict's slot or a
# __slots__ member read inline, guarded on the exact type and its version tag, the shared keys object, its size
# and the name's key; everything else (a miss, a changed class, a combined or missing dict, an unset attribute)
# takes the cached helper and gives what CPython gives. And the inline form is what runs: the listing holds
# the name object the inline test compares with.
import sys
from jit_support import assert_compiled, check, listing_of, warm


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


class Slotted:
    __slots__ = ("a", "b")

    def __init__(self, a):
        self.a = a


class Other:  # the same attribute names, another class (other shared keys)
    def __init__(self, y, x):
        self.y = y
        self.x = x


def get_x(o):
    return o.x


def get_y(o):
    return o.y


def get_a(o):
    return o.a


def get_b(o):
    return o.b


def attribute_error(fn, o):
    try:
        fn(o)
    except AttributeError as e:
        return str(e)
    return None


for _ in range(25):  # past the default threshold
    p = Point(1, 2)
    check(get_x(p) == 1 and get_y(p) == 2)
    s = Slotted(5)
    check(get_a(s) == 5)
    check(attribute_error(get_b, s) is not None)  # an empty slot: AttributeError from the helper
assert_compiled(get_x, get_y, get_a, get_b, attribute_error)

p, q = Point(1, 2), Point(3, 4)
check((get_x(p), get_x(q), get_y(q)) == (1, 3, 4))
q.x = "changed"  # a store into the same slot
check(get_x(q) == "changed")
o = Other(10, 20)  # another type at the same site: a miss, then its own entry
check((get_x(o), get_y(o), get_x(p)) == (20, 10, 1))
del q.x  # the instance dict is no longer split, or the slot is empty: the helper
check(attribute_error(get_x, q) is not None and get_y(q) == 4)
q.x = 7
check(get_x(q) == 7)
d = Point(1, 2)
d.__dict__["x"] = "via dict"
check(get_x(d) == "via dict")
d.__dict__ = {"x": "new dict", "y": 0}  # a combined dict
check(get_x(d) == "new dict")
before = Point(1, 2)
Point.x = property(lambda self: "property")  # a data descriptor on the class: the version tag changes
check(get_x(before) == "property")
del Point.x
check(get_x(before) == 1 and get_x(Point(9, 2)) == 9)
p.__class__ = Other  # the type changes
check(get_x(p) == 1 and type(p) is Other)
s = Slotted(6)
s.a = "slot"
check(get_a(s) == "slot")
del s.a
check(attribute_error(get_a, s) is not None)


# Many classes whose instances get the same attribute names in other orders: their shared keys objects are
# made and freed, and one can be allocated where an older one was; the key and size checks keep each read right.
def make_class(i):
    names = ["n%d" % ((i + k) % 5) for k in range(5)]

    def init(self):
        for k, n in enumerate(names):
            setattr(self, n, (i, n))
    return type("C%d" % i, (), {"__init__": init})


def get_n2(o):
    return o.n2


warm(get_n2, make_class(0)())
for round_ in range(3):
    for i in range(200):
        obj = make_class(i)()
        check(get_n2(obj) == (i, "n2"), (i, get_n2(obj)))
        del obj

# An owner on the value stack (not a local): `o.inner.x`, and a temporary whose last reference the read drops
# (its __del__ runs then, inside the compiled frame).
class Holder:
    def __init__(self, inner):
        self.inner = inner


deleted = []


class Temporary:
    def __init__(self, v):
        self.v = v

    def __del__(self):
        deleted.append(sys._getframe(1).f_code.co_name)


def inner_x(o):
    return o.inner.x


def temporary_v(n):
    return Temporary(n).v


for _ in range(25):
    check(inner_x(Holder(Point(5, 6))) == 5)
    check(temporary_v(3) == 3)
assert_compiled(inner_x, temporary_v)
check(inner_x(Holder(Other(1, 2))) == 2)  # another type at the site: the helper
check(deleted[-1] == "temporary_v" and len(deleted) == 25, deleted[-3:])

# LOAD_METHOD hits for types without an instance dict (nothing can shadow the method): builtin types and
# __slots__ classes, on a local and on a value from the stack; a type with an instance dict takes the helper,
# which honours an instance attribute of the method's name.
class Bag:
    __slots__ = ("items",)

    def __init__(self):
        self.items = []

    def size(self):
        return len(self.items)


class MyList(list):
    pass


def append_local(lst, x):
    lst.append(x)
    return lst.copy()


def append_nested(bag, x):
    bag.items.append(x)
    return bag.size()


for _ in range(25):
    check(append_local([1], 2) == [1, 2])
    b = Bag()
    check(append_nested(b, 1) == 1 and append_nested(b, 2) == 2)
assert_compiled(append_local, append_nested)
shadowed = MyList([0])
shadowed.copy = lambda: "instance attribute"
check(append_local(shadowed, 1) == "instance attribute" and shadowed == [0, 1])
Bag.size = lambda self: "replaced"  # the class changes: its version tag too
check(append_nested(Bag(), 1) == "replaced")
victim = object()
refs = sys.getrefcount(victim)
for _ in range(50):
    append_local([], victim)
check(sys.getrefcount(victim) == refs, (refs, sys.getrefcount(victim)))

# The inline form is what runs: get's listing holds the name object it compares with (the helper alone takes the
# name's index), and the switch turns it off.
PROGRAM = """
class P:
    def __init__(self): self.attr_name_here = 1
def get(o):
    return o.attr_name_here
p = P()
for _ in range(3): get(p)
print(id(get.__code__.co_names[0]))
"""
for switch, inline in (("1", True), ("0", False)):
    name_id, listing = listing_of(PROGRAM, "get", PYSTON_JIT_INLINE_ATTRS=switch)
    check((name_id in listing) == inline, (switch, name_id))
print("ok")
