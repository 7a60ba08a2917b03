# Float arithmetic on lists (n-body style).
def advance(bodies, dt, steps):
    for _ in range(steps):
        for i in range(len(bodies)):
            b1 = bodies[i]
            for j in range(i + 1, len(bodies)):
                b2 = bodies[j]
                dx = b1[0] - b2[0]
                dy = b1[1] - b2[1]
                dz = b1[2] - b2[2]
                mag = dt / ((dx * dx + dy * dy + dz * dz) ** 1.5)
                b1[3] -= dx * b2[6] * mag
                b1[4] -= dy * b2[6] * mag
                b1[5] -= dz * b2[6] * mag
                b2[3] += dx * b1[6] * mag
                b2[4] += dy * b1[6] * mag
                b2[5] += dz * b1[6] * mag
        for b in bodies:
            b[0] += dt * b[3]
            b[1] += dt * b[4]
            b[2] += dt * b[5]
bodies = [[float(i), float(i * 2 + 1), float(-i), 0.1, 0.2, 0.3, 1.0 + i] for i in range(5)]
advance(bodies, 0.01, 60000)
