# String building, formatting and dict/set operations.
def words(n):
    counts = {}
    seen = set()
    out = ""
    for i in range(n):
        w = "w%d" % (i % 997)
        counts[w] = counts.get(w, 0) + 1
        if w not in seen:
            seen.add(w)
            out += w[:2]
    return len(counts), len(out), sorted(counts.items())[:3]

for _ in range(4):
    words(400_000)
