# unpack_sequence: tuple and list unpacking in tight loops: fixed-width unpacking of records, starred
# unpacking, swaps, nested patterns and unpacking in for-loop targets. Checked against sums computed
# without unpacking.
DEFAULT_SIZE = 120000  # records

WIDTH = 6


def setup(n):
    records = [tuple((i * 7 + k * 13) % 101 for k in range(WIDTH)) for i in range(n)]
    lists = [list(r) for r in records]
    pairs = [((i, i + 1), (i + 2, i + 3)) for i in range(n)]
    return records, lists, pairs


def run(state):
    records, lists, pairs = state
    acc = 0
    for r in records:
        a, b, c, d, e, f = r
        acc += a - b + c - d + e - f
    for lst in lists:
        first, *middle, last = lst
        acc += first * last + len(middle)
    for (a, b), (c, d) in pairs:
        a, b, c, d = d, c, b, a
        acc += a * b - c * d
    x, y = 0, 1
    for r in records:
        x, y = y, (x + y + r[0]) % 1000003
    head, *_ = records
    return acc, x, y, head


def check(result, state):
    records, lists, pairs = state
    acc, x, y, head = result
    expected = 0
    for r in records:
        expected += sum(r[k] if k % 2 == 0 else -r[k] for k in range(WIDTH))
    for lst in lists:
        expected += lst[0] * lst[-1] + WIDTH - 2
    for p in pairs:
        i = p[0][0]
        expected += (i + 3) * (i + 2) - (i + 1) * i
    fx = 0
    fy = 1
    for r in records:
        previous = fy
        fy = (fx + fy + r[0]) % 1000003
        fx = previous
    if (acc, x, y, head) != (expected, fx, fy, records[0]):
        raise AssertionError("unpacking results %r, expected %r" % ((acc, x, y), (expected, fx, fy)))
