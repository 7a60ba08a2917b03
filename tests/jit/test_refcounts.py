# No leaks: 300,000 iterations of compiled loops (calls, attributes, containers, exceptions, generators)
# keep the total reference count and RSS flat.
import gc
import sys
from jit_support import assert_compiled, check


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def norm1(self):
        return abs(self.x) + abs(self.y)


def gen(n):
    for i in range(n):
        yield i


def body(n):
    total = 0
    for i in range(n):
        p = Point(i, -i)
        total += p.norm1()
        d = {"k": i, "l": [i, i + 1]}
        a, b = d["l"]
        total += a - b + len("%d" % i)
        s = {i, i + 1}
        total += len(s) + sum(gen(2))
        try:
            if i % 1000 == 0:
                raise ValueError(i)
        except ValueError:
            total += 1
        with open("/dev/null") as f:
            total += f.closed
        total += sum([j for j in range(3)])
    return total


def rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


body(1000)
assert_compiled(body, gen)
gc.collect()
refs0, rss0 = sys.gettotalrefcount() if hasattr(sys, "gettotalrefcount") else 0, rss_kb()
blocks0 = sys.getallocatedblocks()
for _ in range(5):
    body(60000)
gc.collect()
blocks1 = sys.getallocatedblocks()
rss1 = rss_kb()
check(blocks1 - blocks0 < 1000, "allocated blocks grew %d -> %d" % (blocks0, blocks1))
check(rss1 - rss0 < 8 * 1024, "RSS grew %d kB -> %d kB" % (rss0, rss1))
print("ok", blocks0, blocks1, rss0, rss1)
