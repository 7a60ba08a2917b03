# generators: generator-heavy code: recursive in-order traversal of a binary tree with `yield from`, an
# incremental prime sieve built from generators, and a map/filter/zip pipeline of generator expressions.
# Frame suspension and resumption; every result has a closed form or an independent check.
DEFAULT_SIZE = 35000  # tree nodes and pipeline length; primes are generated below a tenth of it


class Node(object):
    __slots__ = ("left", "value", "right")

    def __init__(self, left, value, right):
        self.left = left
        self.value = value
        self.right = right


def build(lo, hi):
    """A balanced tree holding lo..hi-1."""
    if lo >= hi:
        return None
    mid = (lo + hi) // 2
    return Node(build(lo, mid), mid, build(mid + 1, hi))


def in_order(node):
    if node is not None:
        yield from in_order(node.left)
        yield node.value
        yield from in_order(node.right)


def primes():
    """Unbounded sieve: each composite is scheduled once per prime factor found so far."""
    composites = {}
    n = 2
    while True:
        factors = composites.pop(n, None)
        if factors is None:
            yield n
            composites[n * n] = [n]
        else:
            for p in factors:
                composites.setdefault(n + p, []).append(p)
        n += 1


def take_while_below(bound, iterable):
    for x in iterable:
        if x >= bound:
            return
        yield x


def pipeline(n):
    evens = (x for x in range(n) if x % 2 == 0)
    squares = (x * x for x in evens)
    pairs = zip(squares, (x for x in range(0, n, 2)))
    return sum(a - b for a, b in pairs)


def run(n):
    tree = build(0, n)
    traversal = list(in_order(tree))
    prime_list = list(take_while_below(n // 10, primes()))
    return traversal, prime_list, pipeline(n)


def sieve_of_eratosthenes(bound):
    """Independent reference for check(): a plain array sieve."""
    is_prime = bytearray([1]) * bound
    for i in range(2, int(bound ** 0.5) + 1):
        if is_prime[i]:
            is_prime[i * i::i] = bytearray(len(range(i * i, bound, i)))
    return [i for i in range(2, bound) if is_prime[i]]


def check(result, n):
    traversal, prime_list, piped = result
    if traversal != list(range(n)):
        raise AssertionError("in-order traversal is not sorted 0..n-1")
    if prime_list != sieve_of_eratosthenes(n // 10):
        raise AssertionError("the generator sieve disagrees with a plain sieve below %d" % (n // 10))
    # sum over even x < n of x*x - x, in closed form: x = 2k for k < m.
    m = (n + 1) // 2
    expected = 4 * (m - 1) * m * (2 * m - 1) // 6 - m * (m - 1)
    if piped != expected:
        raise AssertionError("pipeline gave %d, expected %d" % (piped, expected))
