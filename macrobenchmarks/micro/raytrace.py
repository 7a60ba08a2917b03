# raytrace: a small Whitted ray tracer (spheres over a checkered plane, two lights, shadows and mirror
# reflections) rendering a square image. Vector objects with operator overloading and many short-lived
# allocations. The scene is mirror-symmetric, so the image must be too; exact checksums at known sizes.
import math

DEFAULT_SIZE = 40  # image width and height in pixels
MAX_DEPTH = 3

# (checksum of the quantised image, colour total) for sizes the manifest and tests use.
EXPECTED_CHECKSUM = {10: (1355623913, 115.185261), 40: (1799661854, 2073.16721)}


class Vec(object):
    __slots__ = ("x", "y", "z")

    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y, self.z + o.z)

    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y, self.z - o.z)

    def __mul__(self, k):
        return Vec(self.x * k, self.y * k, self.z * k)

    def dot(self, o):
        return self.x * o.x + self.y * o.y + self.z * o.z

    def times(self, o):
        return Vec(self.x * o.x, self.y * o.y, self.z * o.z)

    def length(self):
        return math.sqrt(self.dot(self))

    def unit(self):
        return self * (1.0 / self.length())


class Ray(object):
    __slots__ = ("origin", "direction")

    def __init__(self, origin, direction):
        self.origin = origin
        self.direction = direction

    def at(self, t):
        return self.origin + self.direction * t


class Sphere(object):
    def __init__(self, center, radius, color, reflectivity):
        self.center = center
        self.radius = radius
        self.color = color
        self.reflectivity = reflectivity

    def intersect(self, ray):
        oc = ray.origin - self.center
        b = oc.dot(ray.direction)
        c = oc.dot(oc) - self.radius * self.radius
        disc = b * b - c
        if disc < 0:
            return None
        root = math.sqrt(disc)
        t = -b - root
        if t > 1e-6:
            return t
        t = -b + root
        return t if t > 1e-6 else None

    def normal_at(self, point):
        return (point - self.center).unit()

    def color_at(self, point):
        return self.color


class CheckeredPlane(object):
    """The plane y = 0 with a checkerboard of unit squares."""

    reflectivity = 0.3

    def intersect(self, ray):
        dy = ray.direction.y
        if abs(dy) < 1e-9:
            return None
        t = -ray.origin.y / dy
        return t if t > 1e-6 else None

    def normal_at(self, point):
        return Vec(0.0, 1.0, 0.0)

    def color_at(self, point):
        # abs() keeps the pattern symmetric about x = 0.
        if (int(math.floor(abs(point.x))) + int(math.floor(point.z))) % 2 == 0:
            return Vec(0.9, 0.9, 0.9)
        return Vec(0.1, 0.1, 0.1)


class Scene(object):
    def __init__(self):
        self.objects = [
            CheckeredPlane(),
            Sphere(Vec(0.0, 1.0, 5.0), 1.0, Vec(0.9, 0.2, 0.2), 0.4),
            Sphere(Vec(-2.0, 0.7, 6.0), 0.7, Vec(0.2, 0.9, 0.3), 0.2),
            Sphere(Vec(2.0, 0.7, 6.0), 0.7, Vec(0.2, 0.9, 0.3), 0.2),
            Sphere(Vec(0.0, 0.4, 3.2), 0.4, Vec(0.3, 0.3, 0.9), 0.6),
        ]
        self.lights = [(Vec(-4.0, 6.0, 0.0), Vec(0.6, 0.6, 0.6)), (Vec(4.0, 6.0, 0.0), Vec(0.6, 0.6, 0.6))]
        self.ambient = 0.1
        self.eye = Vec(0.0, 1.5, -1.0)

    def nearest(self, ray):
        best_t, best = None, None
        for obj in self.objects:
            t = obj.intersect(ray)
            if t is not None and (best_t is None or t < best_t):
                best_t, best = t, obj
        return best_t, best

    def shadowed(self, point, light_pos):
        to_light = light_pos - point
        distance = to_light.length()
        t, _ = self.nearest(Ray(point, to_light * (1.0 / distance)))
        return t is not None and t < distance

    def trace(self, ray, depth):
        t, obj = self.nearest(ray)
        if obj is None:
            return Vec(0.2, 0.3, 0.5)
        point = ray.at(t)
        normal = obj.normal_at(point)
        base = obj.color_at(point)
        color = base * self.ambient
        for light_pos, light_color in self.lights:
            if self.shadowed(point, light_pos):
                continue
            lambert = normal.dot((light_pos - point).unit())
            if lambert > 0:
                color = color + base.times(light_color) * lambert
        if depth < MAX_DEPTH and obj.reflectivity > 0:
            d = ray.direction
            reflected = Ray(point, d - normal * (2 * d.dot(normal)))
            color = color + self.trace(reflected, depth + 1) * obj.reflectivity
        return color


def quantise(v):
    return int(min(1.0, max(0.0, v)) * 255 + 0.5)


def render(size):
    scene = Scene()
    rows = []
    # The unquantised total is sensitive to small arithmetic errors that quantisation would hide.
    total = 0.0
    for j in range(size):
        row = []
        # Pixel centres are symmetric about x = 0: column i and size-1-i see mirrored rays.
        y = 1.0 - 2.0 * (j + 0.5) / size
        for i in range(size):
            x = (2.0 * (i + 0.5) - size) / size
            ray = Ray(scene.eye, Vec(x, y, 1.5).unit())
            c = scene.trace(ray, 0)
            total += c.x + c.y + c.z
            row.append((quantise(c.x), quantise(c.y), quantise(c.z)))
        rows.append(row)
    return rows, total


def run(size):
    return render(size)


def checksum(image):
    total = 0
    for row in image:
        for r, g, b in row:
            total = (total * 131 + r * 65536 + g * 256 + b) % 2147483647
    return total


def check(result, size):
    image, total = result
    if len(image) != size or any(len(row) != size for row in image):
        raise AssertionError("image is not %dx%d" % (size, size))
    for row in image:
        for i in range(size // 2):
            a, b = row[i], row[size - 1 - i]
            if any(abs(p - q) > 1 for p, q in zip(a, b)):
                raise AssertionError("image is not mirror-symmetric: %r vs %r" % (a, b))
    colors = set(p for row in image for p in row)
    if len(colors) < 10:
        raise AssertionError("only %d distinct colours rendered" % len(colors))
    expected = EXPECTED_CHECKSUM.get(size)
    if expected is not None and (checksum(image), round(total, 6)) != expected:
        raise AssertionError("image checksum and total %r, expected %r" % ((checksum(image), total), expected))
