# A long loop in a function called once gets compiled (loop-bearing code is compiled on its first call,
# since stock CPython offers no hook at backward jumps), and module-level loops too.
import pyston_lite
from jit_support import check


def called_once(n):
    t = 0
    i = 0
    while i < n:
        t += i
        i += 1
    return t


check(called_once(100000) == sum(range(100000)))
check(pyston_lite.is_compiled(called_once))
import sys
check(pyston_lite.is_compiled(sys._getframe().f_code))  # this module's code has loops? see below
for _k in range(3):
    pass
print("ok")
