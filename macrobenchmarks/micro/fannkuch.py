# fannkuch: for every permutation of 1..n, repeatedly reverse the prefix whose length is the first element
# until 1 comes first, counting flips. Permutation generation and list slicing. The maximum flip count is a
# known sequence (OEIS A000375), the total is checked exactly at known sizes.
DEFAULT_SIZE = 8  # n

# Maximum pancake flips over all permutations of n (OEIS A000375).
MAX_FLIPS = {1: 0, 2: 1, 3: 2, 4: 4, 5: 7, 6: 10, 7: 16, 8: 22, 9: 30, 10: 38, 11: 51, 12: 65}
EXPECTED_TOTAL_FLIPS = {5: 265, 7: 18508, 8: 180260}


def permutations(n):
    """Heap's algorithm, iteratively; yields the same list object mutated in place."""
    perm = list(range(1, n + 1))
    counters = [0] * n
    yield perm
    i = 1
    while i < n:
        if counters[i] < i:
            j = counters[i] if i % 2 else 0
            perm[j], perm[i] = perm[i], perm[j]
            yield perm
            counters[i] += 1
            i = 1
        else:
            counters[i] = 0
            i += 1


def flips(perm):
    p = perm[:]
    count = 0
    first = p[0]
    while first != 1:
        p[:first] = p[first - 1::-1]
        count += 1
        first = p[0]
    return count


def run(n):
    seen = 0
    total = 0
    most = 0
    for perm in permutations(n):
        seen += 1
        f = flips(perm)
        total += f
        if f > most:
            most = f
    return seen, total, most


def check(result, n):
    seen, total, most = result
    factorial = 1
    for k in range(2, n + 1):
        factorial *= k
    if seen != factorial:
        raise AssertionError("%d permutations of %d, expected %d" % (seen, n, factorial))
    if n in MAX_FLIPS and most != MAX_FLIPS[n]:
        raise AssertionError("maximum flips %d for n=%d, expected %d" % (most, n, MAX_FLIPS[n]))
    expected = EXPECTED_TOTAL_FLIPS.get(n)
    if expected is not None and total != expected:
        raise AssertionError("total flips %d for n=%d, expected %d" % (total, n, expected))
