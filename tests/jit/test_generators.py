# Generators and coroutines run compiled, with resumption at yields; throw() and close() are exact.
import asyncio
from jit_support import warm, assert_compiled, check


def counter(n):
    total = 0
    for i in range(n):
        try:
            got = yield i
        except ValueError as e:
            total += 100
            yield "caught %s" % e
        else:
            if got is not None:
                total += got
    return total


def delegating(n):
    result = yield from counter(n)
    yield ("done", result)


def cleanup_log(log):
    try:
        while True:
            yield len(log)
    finally:
        log.append("closed")


async def adder(a, b):
    await asyncio.sleep(0)
    return a + b


async def many(n):
    t = 0
    for i in range(n):
        t += await adder(i, 1)
    return t


async def agen(n):
    for i in range(n):
        yield i * 2


async def consume(n):
    return [x async for x in agen(n)]


for _ in range(30):
    check(list(counter(5)) == [0, 1, 2, 3, 4])
assert_compiled(counter)

g = counter(10)
check(next(g) == 0)
check(g.send(5) == 1)
check(g.throw(ValueError("boom")) == "caught boom")
check(next(g) == 2)
try:
    g.throw(KeyError("k"))
    check(False, "KeyError not propagated")
except KeyError:
    pass

for _ in range(30):
    out = list(delegating(4))
check(out[-1] == ("done", 0), out)
g = delegating(3)
next(g)
check(g.throw(ValueError("x")) == "caught x")
assert_compiled(delegating)

log = []
for _ in range(30):
    g = cleanup_log(log)
    next(g)
    g.close()
check(log.count("closed") == 30)
assert_compiled(cleanup_log)

for _ in range(30):
    check(asyncio.run(many(20)) == sum(range(20)) + 20)
    check(asyncio.run(consume(5)) == [0, 2, 4, 6, 8])
assert_compiled(many, adder)
print("ok")
