# nbody: the outer solar system (Sun, Jupiter, Saturn, Uranus, Neptune) integrated with a symplectic Euler
# step; float arithmetic on small lists. Checked by energy conservation and exact energies at known sizes.
DEFAULT_SIZE = 6000  # time steps per iteration

PI = 3.14159265358979323
SOLAR_MASS = 4 * PI * PI
DAYS_PER_YEAR = 365.24

# (position AU, velocity AU/day, mass in solar masses) from published ephemerides.
PLANETS = [
    ((4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01),
     (1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05),
     9.54791938424326609e-04),
    ((8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01),
     (-2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05),
     2.85885980666130812e-04),
    ((1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01),
     (2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05),
     4.36624404335156298e-05),
    ((1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01),
     (2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05),
     5.15138902046611451e-05),
]

# Energies for sizes the manifest and tests use, as computed by CPython (IEEE doubles make them portable).
EXPECTED_ENERGY = {100: -0.169050762, 1000: -0.169087605, 6000: -0.169064514}


def make_system():
    """Bodies as [x, y, z, vx, vy, vz, mass] lists, momentum-corrected so the Sun balances the planets."""
    bodies = [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, SOLAR_MASS]]
    for (x, y, z), (vx, vy, vz), m in PLANETS:
        bodies.append([x, y, z, vx * DAYS_PER_YEAR, vy * DAYS_PER_YEAR, vz * DAYS_PER_YEAR, m * SOLAR_MASS])
    px = py = pz = 0.0
    for b in bodies:
        px += b[3] * b[6]
        py += b[4] * b[6]
        pz += b[5] * b[6]
    sun = bodies[0]
    sun[3] = -px / SOLAR_MASS
    sun[4] = -py / SOLAR_MASS
    sun[5] = -pz / SOLAR_MASS
    return bodies


def energy(bodies):
    e = 0.0
    for i, a in enumerate(bodies):
        e += 0.5 * a[6] * (a[3] * a[3] + a[4] * a[4] + a[5] * a[5])
        for b in bodies[i + 1:]:
            dx = a[0] - b[0]
            dy = a[1] - b[1]
            dz = a[2] - b[2]
            e -= a[6] * b[6] / (dx * dx + dy * dy + dz * dz) ** 0.5
    return e


def advance(bodies, steps, dt):
    pairs = [(bodies[i], bodies[j]) for i in range(len(bodies)) for j in range(i + 1, len(bodies))]
    for _ in range(steps):
        for a, b in pairs:
            dx = a[0] - b[0]
            dy = a[1] - b[1]
            dz = a[2] - b[2]
            d2 = dx * dx + dy * dy + dz * dz
            mag = dt / (d2 * d2 ** 0.5)
            bm = b[6] * mag
            am = a[6] * mag
            a[3] -= dx * bm
            a[4] -= dy * bm
            a[5] -= dz * bm
            b[3] += dx * am
            b[4] += dy * am
            b[5] += dz * am
        for body in bodies:
            body[0] += dt * body[3]
            body[1] += dt * body[4]
            body[2] += dt * body[5]


def run(steps):
    bodies = make_system()
    before = energy(bodies)
    advance(bodies, steps, 0.01)
    return before, energy(bodies)


def check(result, steps):
    before, after = result
    if round(before, 9) != -0.169075164:
        raise AssertionError("initial energy %r, expected -0.169075164" % before)
    # The integrator is symplectic: energy drifts only slightly whatever the number of steps.
    if abs(after - before) > 1e-3 * abs(before):
        raise AssertionError("energy not conserved: %r -> %r" % (before, after))
    expected = EXPECTED_ENERGY.get(steps)
    if expected is not None and round(after, 9) != expected:
        raise AssertionError("final energy %r after %d steps, expected %r" % (after, steps, expected))
