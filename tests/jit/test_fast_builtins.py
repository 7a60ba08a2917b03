# Builtin calls after a type guard (PYSTON_JIT_FAST_BUILTINS): len, isinstance and type replaced in builtins
# and shadowed in globals, containers and classes the fast paths must not answer for, builtin functions and
# method descriptors with wrong argument counts or types, raising builtins, the recursion limit.
import builtins
import collections.abc
import os
import subprocess
import sys
from jit_support import warm, assert_compiled, check


def lengths(xs):
    return [len(x) for x in xs]


class Sized:
    def __len__(self):
        return 7


class MyList(list):
    def __len__(self):
        return -1 + 100


values = [[1, 2], (1,), {"a": 1}, "héllo", "", {1, 2, 3}, frozenset(), b"abc", Sized(), MyList([1]), range(5),
          bytearray(b"xy")]
want = [2, 1, 1, 5, 0, 3, 0, 3, 7, 99, 5, 2]
for _ in range(30):
    check(lengths(values) == want, lengths(values))
assert_compiled(lengths)

# len replaced in builtins, then shadowed in the module's globals, then both restored.
real_len = builtins.len
builtins.len = lambda x: "builtin replaced"
try:
    check(lengths([[1]]) == ["builtin replaced"])
finally:
    builtins.len = real_len
len = lambda x: "shadowed"  # noqa: E731
check(lengths([[1]]) == ["shadowed"])
del len
check(lengths([[1]]) == [1])

# Errors: a wrong argument count and an object without a length raise what the interpreter raises.
def len_errors():
    out = []
    for args in ((), (1,), ([1], [2])):
        try:
            len(*args) if args != (1,) else len(1)
        except TypeError as e:
            out.append(str(e))
    return out


for _ in range(30):
    check(len_errors() == ["len() takes exactly one argument (0 given)", "object of type 'int' has no len()",
                           "len() takes exactly one argument (2 given)"], len_errors())


class Meta(type):
    def __instancecheck__(cls, inst):
        return inst == "special"


class WithMeta(metaclass=Meta):
    pass


class Base:
    pass


class Derived(Base):
    pass


class Liar:
    __class__ = Base  # isinstance(Liar(), Base) is True through __class__


def instance_checks(objs):
    return [(isinstance(o, Base), isinstance(o, int), isinstance(o, (str, Base)), isinstance(o, WithMeta),
             isinstance(o, collections.abc.Sized), type(o).__name__) for o in objs]


objs = [Base(), Derived(), Liar(), 3, True, "special", [1], Sized()]
expected = [(True, False, True, False, False, "Base"), (True, False, True, False, False, "Derived"),
            (True, False, True, False, False, "Liar"), (False, True, False, False, False, "int"),
            (False, True, False, False, False, "bool"), (False, False, True, True, True, "str"),
            (False, False, False, False, True, "list"), (False, False, False, False, True, "Sized")]
for _ in range(30):
    check(instance_checks(objs) == expected, instance_checks(objs))
real_isinstance = builtins.isinstance
builtins.isinstance = lambda o, c: "replaced"
try:
    check(instance_checks([Base()])[0][:2] == ("replaced", "replaced"))
finally:
    builtins.isinstance = real_isinstance
check(instance_checks(objs) == expected)
type = lambda o: Sized  # noqa: E731  (shadows the builtin in this module's globals)
check(instance_checks([3])[0][-1] == "Sized")
del type
check(instance_checks(objs) == expected)
try:
    isinstance(1, 2)
except TypeError as e:
    msg = str(e)


def bad_isinstance():
    try:
        isinstance(1, 2)
    except TypeError as e:
        return str(e)


for _ in range(30):
    check(bad_isinstance() == msg)


# Method descriptors through LOAD_METHOD/CALL_METHOD: exact types, subclasses overriding them, wrong counts.
class LoudList(list):
    def append(self, x):
        super().append(("loud", x))


def methods(seq, n):
    for i in range(n):
        seq.append(i)
    seq.reverse()
    return seq.pop(), len(seq), seq.count(n - 1), "-".join(["a", "b"]), "abc".upper(), {1: 2}.get(1)


for _ in range(30):
    check(methods([], 3) == (0, 2, 1, "a-b", "ABC", 2))
check(methods(LoudList(), 2) == (("loud", 0), 1, 0, "a-b", "ABC", 2))
assert_compiled(methods)


def descriptor_errors():
    out = []
    for call in (lambda: [].append(), lambda: [].append(1, 2), lambda: [].reverse(1), lambda: [].pop(),
                 lambda: list.append((), 1), lambda: list.append(), lambda: {}.get(), lambda: abs(1, 2)):
        try:
            call()
            out.append(None)
        except (TypeError, IndexError) as e:
            out.append((type(e).__name__, str(e)))
    return out


first = descriptor_errors()
for _ in range(30):
    check(descriptor_errors() == first, descriptor_errors())
check(first[3] == ("IndexError", "pop from empty list"), first)


# Builtin calls at the recursion limit raise RecursionError where the interpreter does.
def recurse_with_len(n):
    return len([n]) + recurse_with_len(n + 1)


def deepest_len():
    try:
        recurse_with_len(0)
    except RecursionError as e:
        return str(e)


limit = sys.getrecursionlimit()
sys.setrecursionlimit(300)
try:
    check("maximum recursion depth exceeded" in deepest_len())
finally:
    sys.setrecursionlimit(limit)

# Switched off, the same answers.
if os.environ.get("PYSTON_JIT_FAST_BUILTINS") != "0":
    env = dict(os.environ, PYSTON_JIT_FAST_BUILTINS="0")
    r = subprocess.run([sys.executable, __file__], env=env, capture_output=True, text=True, timeout=200)
    check(r.returncode == 0 and r.stdout.startswith("ok"), r.stdout + r.stderr)
print("ok")
