# nqueens: count the placements of n non-attacking queens by backtracking over rows, keeping the attacked
# columns and diagonals in sets. Recursion, set operations and generators; the counts are OEIS A000170.
DEFAULT_SIZE = 10  # board size

SOLUTIONS = {1: 1, 2: 0, 3: 0, 4: 2, 5: 10, 6: 4, 7: 40, 8: 92, 9: 352, 10: 724, 11: 2680, 12: 14200}


def free_columns(n, row, columns, diagonals, antidiagonals):
    for col in range(n):
        if col not in columns and row - col not in diagonals and row + col not in antidiagonals:
            yield col


def place(n, row, columns, diagonals, antidiagonals, placed, solutions):
    if row == n:
        solutions.append(tuple(placed))
        return
    for col in free_columns(n, row, columns, diagonals, antidiagonals):
        columns.add(col)
        diagonals.add(row - col)
        antidiagonals.add(row + col)
        placed.append(col)
        place(n, row + 1, columns, diagonals, antidiagonals, placed, solutions)
        placed.pop()
        columns.remove(col)
        diagonals.remove(row - col)
        antidiagonals.remove(row + col)


def run(n):
    solutions = []
    place(n, 0, set(), set(), set(), [], solutions)
    return solutions


def check(solutions, n):
    if n in SOLUTIONS and len(solutions) != SOLUTIONS[n]:
        raise AssertionError("%d solutions for n=%d, expected %d" % (len(solutions), n, SOLUTIONS[n]))
    if len(set(solutions)) != len(solutions):
        raise AssertionError("duplicate solutions")
    # Each solution is verified independently of the search.
    for cols in solutions:
        if sorted(cols) != list(range(n)):
            raise AssertionError("queens share a column in %r" % (cols,))
        for r1 in range(n):
            for r2 in range(r1 + 1, n):
                if abs(cols[r1] - cols[r2]) == r2 - r1:
                    raise AssertionError("queens share a diagonal in %r" % (cols,))
