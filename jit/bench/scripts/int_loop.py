# Integer arithmetic and comparisons in a tight loop.
def run(n):
    total = 0
    i = 0
    while i < n:
        if i % 3 == 0:
            total += i * 2
        else:
            total -= i // 2
        i += 1
    return total
for _ in range(5):
    run(1_000_000)
