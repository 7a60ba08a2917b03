# BUILD_SLICE fused with BINARY_SUBSCR / STORE_SUBSCR (PYSTON_JIT_FUSE_SLICES): every combination of
# None/int/large-int/index-object bounds and steps on lists, tuples, strs and other containers gives what the
# generic operator.getitem/setitem with a slice object gives.
import operator
from jit_support import assert_compiled, check


class Index:
    def __init__(self, v):
        self.v = v

    def __index__(self):
        return self.v


class MyList(list):
    def __getitem__(self, item):
        return ("custom", item.start, item.stop, item.step)


def get2(c, a, b):
    return c[a:b]


def get3(c, a, b, s):
    return c[a:b:s]


def put2(c, a, b, v):
    c[a:b] = v


bounds = [None, 0, 1, 3, -1, -3, 7, 100, -100, 2**40, -(2**40), Index(2)]
steps = [None, 1, 2, -1, -2, 3, 2**40, Index(-1)]
containers = [list(range(7)), tuple(range(7)), "abcdefg", b"abcdefg", range(7), MyList([1, 2, 3]), [], ""]
for _ in range(3):
    for c in containers:
        for a in bounds:
            for b in bounds:
                check(get2(c, a, b) == operator.getitem(c, slice(a, b)), (c, a, b))
                for s in steps:
                    want = operator.getitem(c, slice(a, b, s))
                    got = get3(c, a, b, s)
                    check(got == want and type(got) is type(want), (c, a, b, s, got, want))
                if type(c) is list:
                    for make in (list, lambda: [9], lambda: [8, 9, 10], lambda: (5, 6), lambda: "xy",
                                 lambda: iter([1, 2])):
                        mine, ref = list(c), list(c)
                        put2(mine, a, b, make())
                        operator.setitem(ref, slice(a, b), make())
                        check(mine == ref, (c, a, b, mine, ref))
assert_compiled(get2, get3, put2)

# Errors: a zero step, bad bound types, a non-sliceable container; the same exception types as CPython.
for args, exc in (((list(range(5)), 0, 3, 0), ValueError), (([1], "a", 1, None), TypeError),
                  ((5, 0, 1, None), TypeError)):
    try:
        get3(*args)
        check(False, "%r should raise" % (args,))
    except exc:
        pass
try:
    put2((1, 2), 0, 1, [3])
    check(False)
except TypeError:
    pass
lst = [1, 2, 3]
put2(lst, 0, 2, lst)  # a list assigned into itself
check(lst == [1, 2, 3, 3])
print("ok")
