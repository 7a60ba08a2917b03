# Definite assignment: compiled code skips the NULL test for a local that is bound on every path, and leaves
# it (an unbound read deopts, and the interpreter raises UnboundLocalError) everywhere else. Each function
# here is run compiled and must behave exactly as in CPython, including the error message.
from jit_support import assert_compiled, check, warm


def expect_unbound(fn, *args, name):
    try:
        fn(*args)
    except UnboundLocalError as e:
        check(str(e) == "local variable '%s' referenced before assignment" % name, str(e))
    else:
        raise AssertionError("%s%r did not raise" % (fn.__name__, args))


def conditional(flag):
    if flag:
        x = 1
    return x


def deleted(flag):
    x = 1
    if flag:
        del x
    return x


def except_as():
    try:
        raise KeyError(1)
    except KeyError as e:
        pass
    return e  # the compiler deletes `e` after the handler


def loop_assigns_late(n):
    total = 0
    for i in range(n):
        if i > 0:
            total += last
        last = i
    return total


def assigned_in_try(fail):
    try:
        if fail:
            raise ValueError
        y = 2
    except ValueError:
        pass
    return y


def after_finally(flag):
    try:
        if flag:
            z = 3
    finally:
        w = 4
    return z + w


def arg_then_delete(a, b):
    r = a + b
    del a
    if b:
        return r
    return a


def cell_arg(a):
    def inner():
        return a
    a = a + 1
    return inner()


def generator(flag):
    if flag:
        v = 1
    yield 0
    yield v


def string_build(parts):
    s = ""
    for p in parts:
        s = s + p  # the STORE_FAST after the add sees the local emptied for an in-place resize
        s += "."
    return s


def while_else(n):
    i = 0
    while i < n:
        found = i
        i += 1
    else:
        pass
    return found


for fn, args in [(conditional, (True,)), (deleted, (False,)), (loop_assigns_late, (3,)), (assigned_in_try, (False,)),
                 (after_finally, (True,)), (arg_then_delete, (1, 2)), (cell_arg, (1,)), (string_build, ("ab",)),
                 (while_else, (3,))]:
    warm(fn, *args)
assert_compiled(conditional, deleted, loop_assigns_late, assigned_in_try, after_finally, arg_then_delete,
                cell_arg, string_build, while_else)

for _ in range(3):
    check(conditional(True) == 1)
    expect_unbound(conditional, False, name="x")
    check(deleted(False) == 1)
    expect_unbound(deleted, True, name="x")
    expect_unbound(except_as, name="e")
    check(loop_assigns_late(4) == 0 + 1 + 2)
    check(assigned_in_try(False) == 2)
    expect_unbound(assigned_in_try, True, name="y")
    check(after_finally(True) == 7)
    expect_unbound(after_finally, False, name="z")
    check(arg_then_delete(1, 2) == 3)
    expect_unbound(arg_then_delete, 1, 0, name="a")
    check(cell_arg(1) == 2)
    check(list(generator(True)) == [0, 1])
    g = generator(False)
    check(next(g) == 0)
    expect_unbound(next, g, name="v")
    check(string_build(["x", "yz"] * 50) == "x.yz." * 50)
    check(while_else(3) == 2)
    expect_unbound(while_else, 0, name="found")


# A tracer deletes a local of a suspended generator through frame.f_locals while the interpreter runs it; the
# generator is then resumed in compiled code, which must still find the local unbound (not crash).
import sys
import pyston_lite


def traced_gen():
    x = 1
    yield 0
    yield 1  # runs under the tracer, which deletes x
    yield x


def deleting_tracer(frame, event, arg):
    if frame.f_code is traced_gen.__code__ and "x" in frame.f_locals:
        del frame.f_locals["x"]
    return deleting_tracer


for _ in range(30):
    list(traced_gen())
check(pyston_lite.is_compiled(traced_gen))
g = traced_gen()
check(next(g) == 0)
sys.settrace(deleting_tracer)
try:
    check(next(g) == 1)
finally:
    sys.settrace(None)
expect_unbound(next, g, name="x")
print("ok")
