# Python-to-Python calls: recursion and small helpers with keyword arguments.
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)

def helper(a, b=2, *, c=3):
    return a * b + c

def calls(n):
    t = 0
    for i in range(n):
        t += helper(i, c=1) + helper(i, 3)
    return t

fib(27)
calls(1_000_000)
