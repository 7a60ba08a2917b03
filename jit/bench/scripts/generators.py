# Generators, comprehensions and builtins over them.
def squares(n):
    for i in range(n):
        yield i * i

def pipeline(n):
    evens = (x for x in squares(n) if x % 2 == 0)
    return sum(evens) + len([y for y in range(n) if y & 1]) + max(squares(n // 2))

for _ in range(6):
    pipeline(500_000)
