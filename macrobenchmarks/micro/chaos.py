# chaos: the chaos game. An iterated function system (four affine maps chosen with fixed weights, drawing a
# fern) is played from a seeded generator and the visited points are rasterised into a hit-count grid.
# Float arithmetic, tuple indexing and list stores. Checked by point counts, bounds and a grid checksum.
DEFAULT_SIZE = 60000  # points plotted per iteration

WIDTH, HEIGHT = 120, 200
# (a, b, c, d, e, f, cumulative weight out of 100): x' = a x + b y + e, y' = c x + d y + f.
MAPS = (
    (0.00, 0.00, 0.00, 0.16, 0.0, 0.00, 1),
    (0.85, 0.04, -0.04, 0.85, 0.0, 1.60, 86),
    (0.20, -0.26, 0.23, 0.22, 0.0, 1.60, 93),
    (-0.15, 0.28, 0.26, 0.24, 0.0, 0.44, 100),
)
# The attractor lies inside this box; the grid covers it with a margin.
X_MIN, X_MAX, Y_MIN, Y_MAX = -2.75, 2.75, -0.05, 10.05

# Grid checksums for sizes the manifest and tests use (computed once; the arithmetic is IEEE-exact).
EXPECTED_CHECKSUM = {1000: 199423698, 60000: 844409777}


class Lcg(object):
    """Numerical Recipes' 32-bit LCG: identical on every interpreter, unlike library generators."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF

    def below(self, n):
        self.state = (self.state * 1664525 + 1013904223) & 0xFFFFFFFF
        return (self.state >> 16) * n >> 16


def play(points, seed):
    grid = [[0] * WIDTH for _ in range(HEIGHT)]
    rng = Lcg(seed)
    sx = (WIDTH - 1) / (X_MAX - X_MIN)
    sy = (HEIGHT - 1) / (Y_MAX - Y_MIN)
    x = y = 0.0
    outside = 0
    for _ in range(points):
        pick = rng.below(100)
        for a, b, c, d, e, f, weight in MAPS:
            if pick < weight:
                break
        x, y = a * x + b * y + e, c * x + d * y + f
        col = int((x - X_MIN) * sx)
        row = int((y - Y_MIN) * sy)
        if 0 <= col < WIDTH and 0 <= row < HEIGHT:
            grid[row][col] += 1
        else:
            outside += 1
    return grid, outside


def run(points):
    return play(points, 2024)


def checksum(grid):
    total = 0
    for r, row in enumerate(grid):
        for c, hits in enumerate(row):
            total = (total * 31 + hits * (r + 1) + c) % 1000000007
    return total


def check(result, points):
    grid, outside = result
    if outside:
        raise AssertionError("%d points fell outside the attractor's box" % outside)
    plotted = sum(sum(row) for row in grid)
    if plotted != points:
        raise AssertionError("%d points plotted, expected %d" % (plotted, points))
    # A fern, not a blob: its stem column and its tip are hit, the far corners are not.
    if grid[0][0] or grid[0][WIDTH - 1] or grid[HEIGHT - 1][0]:
        raise AssertionError("points in the corners of the grid")
    expected = EXPECTED_CHECKSUM.get(points)
    if expected is not None and checksum(grid) != expected:
        raise AssertionError("grid checksum %d, expected %d" % (checksum(grid), expected))
