# go: a Go-like board game. Monte Carlo move selection on a 9x9 board: each playout picks a random first
# move for Black, then both sides play uniformly random legal moves (no suicide, simple ko, no filling
# their own eyes) until both pass; the area score decides the winner. Integer lists, flood fills and a
# seeded generator. Every final position is re-validated by check() with an independent group scan.
DEFAULT_SIZE = 3  # playouts per iteration

N = 9
EMPTY, BLACK, WHITE = 0, 1, 2
KOMI = 7
MAX_MOVES = 3 * N * N
# (black wins, total moves, total captures, best first move) for sizes the manifest and tests use.
EXPECTED = {1: (0, 115, 46, 77), 3: (1, 469, 215, 3), 4: (1, 639, 314, 3)}


class Lcg(object):
    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF

    def below(self, n):
        self.state = (self.state * 1103515245 + 12345) & 0x7FFFFFFF
        return (self.state >> 8) % n


def neighbour_table():
    table = []
    for p in range(N * N):
        r, c = divmod(p, N)
        table.append([q for q, ok in ((p - N, r > 0), (p + N, r < N - 1), (p - 1, c > 0), (p + 1, c < N - 1))
                      if ok])
    return table


NEIGHBOURS = neighbour_table()


class Board(object):
    def __init__(self):
        self.cells = [EMPTY] * (N * N)
        self.ko = -1
        self.captures = 0

    def group(self, p):
        """Returns (stones, has_liberty) of the group containing p."""
        cells = self.cells
        color = cells[p]
        stones = [p]
        seen = {p}
        liberty = False
        i = 0
        while i < len(stones):
            for q in NEIGHBOURS[stones[i]]:
                v = cells[q]
                if v == EMPTY:
                    liberty = True
                elif v == color and q not in seen:
                    seen.add(q)
                    stones.append(q)
            i += 1
        return stones, liberty

    def is_eye(self, p, color):
        return all(self.cells[q] == color for q in NEIGHBOURS[p])

    def play(self, p, color):
        """Plays if legal; returns False (board unchanged) otherwise."""
        cells = self.cells
        if cells[p] != EMPTY or p == self.ko:
            return False
        enemy = 3 - color
        cells[p] = color
        captured = []
        for q in NEIGHBOURS[p]:
            if cells[q] == enemy:
                stones, liberty = self.group(q)
                if not liberty:
                    captured.extend(stones)
                    for s in stones:
                        cells[s] = EMPTY
        if not captured and not self.group(p)[1]:
            cells[p] = EMPTY
            return False
        self.captures += len(captured)
        # Simple ko: a single-stone capture by a lone stone may not be retaken at once.
        self.ko = captured[0] if len(captured) == 1 and len(self.group(p)[0]) == 1 else -1
        return True

    def random_move(self, color, rng):
        cells = self.cells
        candidates = [p for p in range(N * N) if cells[p] == EMPTY and not self.is_eye(p, color)]
        while candidates:
            i = rng.below(len(candidates))
            p = candidates[i]
            if self.play(p, color):
                return p
            candidates[i] = candidates[-1]
            candidates.pop()
        return -1

    def score(self):
        """Area score (Black minus White): stones plus empty regions bordered by one colour only."""
        cells = self.cells
        total = 0
        seen = set()
        for p in range(N * N):
            v = cells[p]
            if v == BLACK:
                total += 1
            elif v == WHITE:
                total -= 1
            elif p not in seen:
                region, borders = [p], set()
                seen.add(p)
                i = 0
                while i < len(region):
                    for q in NEIGHBOURS[region[i]]:
                        if cells[q] == EMPTY:
                            if q not in seen:
                                seen.add(q)
                                region.append(q)
                        else:
                            borders.add(cells[q])
                    i += 1
                if borders == {BLACK}:
                    total += len(region)
                elif borders == {WHITE}:
                    total -= len(region)
        return total


def playout(rng):
    board = Board()
    first = board.random_move(BLACK, rng)
    color = WHITE
    passes = 0
    moves = 1
    while passes < 2 and moves < MAX_MOVES:
        passes = passes + 1 if board.random_move(color, rng) < 0 else 0
        color = 3 - color
        moves += 1
    return first, board, moves


def run(playouts):
    rng = Lcg(7)
    wins = {}
    tries = {}
    boards = []
    total_moves = 0
    total_captures = 0
    black_wins = 0
    for _ in range(playouts):
        first, board, moves = playout(rng)
        won = board.score() > KOMI
        black_wins += won
        tries[first] = tries.get(first, 0) + 1
        wins[first] = wins.get(first, 0) + won
        total_moves += moves
        total_captures += board.captures
        boards.append(board.cells)
    best = max(sorted(tries), key=lambda m: (wins[m] / tries[m], tries[m]))
    return black_wins, total_moves, total_captures, best, boards


def check_position(cells):
    """Every group on a finished board must have a liberty (independent of Board.group)."""
    if len(cells) != N * N or any(v not in (EMPTY, BLACK, WHITE) for v in cells):
        raise AssertionError("malformed board")
    labels = {}
    for p in range(N * N):
        if cells[p] == EMPTY or p in labels:
            continue
        stack, members, liberties = [p], [], 0
        labels[p] = p
        while stack:
            s = stack.pop()
            members.append(s)
            r, c = divmod(s, N)
            for rr, cc in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)):
                if 0 <= rr < N and 0 <= cc < N:
                    q = rr * N + cc
                    if cells[q] == EMPTY:
                        liberties += 1
                    elif cells[q] == cells[p] and q not in labels:
                        labels[q] = p
                        stack.append(q)
        if liberties == 0:
            raise AssertionError("group of %d stones at %d has no liberty" % (len(members), p))


def check(result, playouts):
    black_wins, total_moves, total_captures, best, boards = result
    if len(boards) != playouts or not 0 <= black_wins <= playouts:
        raise AssertionError("wrong number of playouts")
    for cells in boards:
        check_position(cells)
        # Random play until both pass fills the board except for eyes.
        if cells.count(EMPTY) > N * N // 3:
            raise AssertionError("playout stopped early: %d empty points" % cells.count(EMPTY))
    expected = EXPECTED.get(playouts)
    if expected is not None and (black_wins, total_moves, total_captures, best) != expected:
        raise AssertionError("go results %r, expected %r" % ((black_wins, total_moves, total_captures, best),
                                                               expected))
