# Frame introspection from compiled code: locals(), exec, f_lineno, sys._getframe, `del` in loops,
# settrace/setprofile installed mid-function (the rest runs in the interpreter with exact events).
import sys
from jit_support import warm, assert_compiled, check


def uses_locals(a):
    b = a * 2
    d = locals()
    return sorted(d.items())


def uses_exec(n):
    ns = {"n": n}
    exec("m = n + 1", ns)
    return ns["m"]


def lineno():
    return sys._getframe().f_lineno  # this line


def del_in_loop(n):
    total = 0
    for i in range(n):
        x = [i]
        total += x[0]
        del x
        try:
            x
        except UnboundLocalError:
            total += 1
    return total


def unbound():
    if False:
        y = 1
    return y


def deref_unbound():
    def inner():
        return z
    try:
        return inner()
    finally:
        z = 1


for _ in range(30):
    check(uses_locals(3) == [("a", 3), ("b", 6)])
    check(uses_exec(4) == 5)
    check(lineno() == lineno.__code__.co_firstlineno + 1)
    check(del_in_loop(10) == 55)
assert_compiled(uses_locals, uses_exec, lineno, del_in_loop)

try:
    warm(unbound)
except UnboundLocalError as e:
    check("local variable 'y' referenced before assignment" in str(e), str(e))
try:
    deref_unbound()
except NameError as e:
    check("free variable 'z' referenced before assignment" in str(e), str(e))

# Module-level code with names, globals and `del`.
exec("g1 = 1\nfor _i in range(3):\n    g1 += _i\ndel _i\n", globals())
check(g1 == 4 and "_i" not in globals())

# A tracer installed from inside a compiled function sees exactly what CPython reports.
events = []


def tracer(frame, event, arg):
    if frame.f_code.co_name in ("traced_callee", "installs_tracer"):
        events.append((frame.f_code.co_name, event))
    return tracer


def traced_callee():
    return 1


def installs_tracer():
    sys.settrace(tracer)
    x = traced_callee()
    sys.settrace(None)
    return x


warm(installs_tracer)
sys.settrace(None)
events.clear()
check(installs_tracer() == 1)
check(events == [("traced_callee", "call"), ("traced_callee", "line"), ("traced_callee", "return")], events)
assert_compiled(installs_tracer)

# Profiling from the start: the whole run is in the interpreter, with c_call events.
prof = []
sys.setprofile(lambda f, e, a: prof.append(e))
del_in_loop(3)
sys.setprofile(None)
check("call" in prof and "c_call" in prof and "return" in prof, prof)
print("ok")
