# float: many small objects holding floats. Points on a twisted curve are created with sin/cos, normalised
# and folded into a component-wise maximum. Float boxing, attribute access and allocation; checked by
# unit lengths and the exact maximum at known sizes.
import math

DEFAULT_SIZE = 35000  # points per iteration

# Rounded maxima (x, y, z) for sizes the manifest and tests use.
EXPECTED_MAXIMUM = {
    1000: (0.894367538568, 1.0, 0.447179508317),
    35000: (0.894420411961, 1.0, 0.447209721762),
}


class Point(object):
    __slots__ = ("x", "y", "z")

    def __init__(self, i):
        self.x = x = math.sin(i)
        self.y = math.cos(i) * 3
        self.z = (x * x) / 2

    def normalise(self):
        norm = math.sqrt(self.x * self.x + self.y * self.y + self.z * self.z)
        self.x /= norm
        self.y /= norm
        self.z /= norm

    def maximise(self, other):
        self.x = self.x if self.x > other.x else other.x
        self.y = self.y if self.y > other.y else other.y
        self.z = self.z if self.z > other.z else other.z
        return self


def run(count):
    points = [Point(i) for i in range(count)]
    for p in points:
        p.normalise()
    # Kept for check(): normalisation must leave unit vectors.
    samples = [(p.x, p.y, p.z) for p in points[:: max(1, count // 100)]]
    best = points[0]
    for p in points[1:]:
        best = best.maximise(p)
    return (best.x, best.y, best.z), samples


def check(result, count):
    maximum, samples = result
    for x, y, z in samples:
        if abs(x * x + y * y + z * z - 1.0) > 1e-12:
            raise AssertionError("point (%r, %r, %r) is not unit length" % (x, y, z))
    if not all(0.0 < c <= 1.0 for c in maximum):
        raise AssertionError("maximum %r outside (0, 1]" % (maximum,))
    expected = EXPECTED_MAXIMUM.get(count)
    if expected is not None and tuple(round(c, 12) for c in maximum) != expected:
        raise AssertionError("maximum %r, expected %r" % (maximum, expected))
