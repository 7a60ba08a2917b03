# coroutines: async/await on a tiny hand-rolled event loop (a ready queue and awaitable yield points, no
# asyncio so every interpreter runs the same scheduler). Producers, a chain of transforming stages and
# consumers pass items through bounded channels, forcing frequent suspensions. The totals each consumer
# receives have a closed form.
import collections
import types

DEFAULT_SIZE = 6000  # items per producer

PRODUCERS = 4
STAGES = 3
CAPACITY = 8


@types.coroutine
def suspend():
    """Yields control back to the loop; the task is resumed in FIFO order."""
    yield


class Loop(object):
    def __init__(self):
        self.ready = collections.deque()
        self.switches = 0

    def spawn(self, coro):
        self.ready.append(coro)

    def run(self):
        ready = self.ready
        while ready:
            coro = ready.popleft()
            self.switches += 1
            try:
                coro.send(None)
            except StopIteration:
                continue
            ready.append(coro)


class Channel(object):
    """A bounded FIFO; senders wait while it is full, receivers while it is empty."""

    def __init__(self, capacity):
        self.items = collections.deque()
        self.capacity = capacity

    async def send(self, item):
        while len(self.items) >= self.capacity:
            await suspend()
        self.items.append(item)

    async def receive(self):
        while not self.items:
            await suspend()
        return self.items.popleft()


DONE = None


async def produce(channel, ident, count):
    for i in range(count):
        await channel.send((ident, i))
    await channel.send(DONE)


async def transform(inbox, outbox, senders, factor):
    remaining = senders
    while remaining:
        item = await inbox.receive()
        if item is DONE:
            remaining -= 1
            continue
        ident, value = item
        await outbox.send((ident, value * factor + 1))
    await outbox.send(DONE)


async def consume(inbox, totals):
    while True:
        item = await inbox.receive()
        if item is DONE:
            return
        ident, value = item
        totals[ident] = totals.get(ident, 0) + value


def run(count):
    loop = Loop()
    first = Channel(CAPACITY)
    for ident in range(PRODUCERS):
        loop.spawn(produce(first, ident, count))
    inbox, senders = first, PRODUCERS
    for stage in range(STAGES):
        outbox = Channel(CAPACITY)
        loop.spawn(transform(inbox, outbox, senders, stage + 2))
        inbox, senders = outbox, 1
    totals = {}
    loop.spawn(consume(inbox, totals))
    loop.run()
    return totals, loop.switches


def check(result, count):
    totals, switches = result
    # Each stage maps v -> v * factor + 1 with factors 2, 3, 4: v -> ((2v + 1) * 3 + 1) * 4 + 1 = 24v + 17.
    expected = 24 * (count * (count - 1) // 2) + 17 * count
    if totals != {ident: expected for ident in range(PRODUCERS)}:
        raise AssertionError("consumer totals %r, expected %d each" % (totals, expected))
    # Bounded channels force a suspension at least once per CAPACITY items sent.
    if switches < count * PRODUCERS // CAPACITY:
        raise AssertionError("only %d task switches" % switches)
