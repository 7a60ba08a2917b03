# spectral_norm: the spectral norm of the infinite matrix A[i][j] = 1 / ((i+j)(i+j+1)/2 + i + 1), estimated
# by power iteration on A^T A truncated to n x n. Nested loops over float lists with a generator-based dot
# product. The estimate converges to 1.2742241...; exact digits are checked at known sizes.
DEFAULT_SIZE = 60  # n

POWER_STEPS = 10
# Nine-digit values of the truncated problem (100 and 5500 are the published ones).
EXPECTED_NORM = {20: 1.273839841, 60: 1.274206094, 100: 1.274219991, 5500: 1.274224153}


def entry(i, j):
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


def times(v):
    n = len(v)
    return [sum(entry(i, j) * v[j] for j in range(n)) for i in range(n)]


def times_transposed(v):
    n = len(v)
    return [sum(entry(j, i) * v[j] for j in range(n)) for i in range(n)]


def times_ata(v):
    return times_transposed(times(v))


def run(n):
    u = [1.0] * n
    for _ in range(POWER_STEPS):
        v = times_ata(u)
        u = times_ata(v)
    vbv = sum(a * b for a, b in zip(u, v))
    vv = sum(b * b for b in v)
    return (vbv / vv) ** 0.5


def check(norm, n):
    expected = EXPECTED_NORM.get(n)
    if expected is not None:
        if round(norm, 9) != expected:
            raise AssertionError("spectral norm %r for n=%d, expected %r" % (norm, n, expected))
    elif n >= 50 and abs(norm - 1.2742241) > 5e-5:
        raise AssertionError("spectral norm %r for n=%d, expected about 1.2742241" % (norm, n))
