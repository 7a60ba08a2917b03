# richards: Martin Richards' operating-system simulation (a scheduler switching between an idle task, a
# worker, two packet handlers and two devices). Object attribute access and method calls; every
# simulation must end with the well-known counts (23246 packets queued, 9297 holds).
DEFAULT_SIZE = 5000  # idle-task steps, i.e. the length of the simulation

IDLE, WORKER, HANDLER_A, HANDLER_B, DEVICE_A, DEVICE_B = range(1, 7)
DEVICE_PACKET, WORK_PACKET = 0, 1
BUFFER_SIZE = 4
# (packets queued, holds) per simulation length; 10000 is the classic published configuration.
EXPECTED_COUNTS = {100: (239, 95), 1000: (2322, 928), 5000: (11544, 4617), 10000: (23246, 9297)}

# State bits of a task: a packet is waiting, the task waits for one, the task is held.
HAS_PACKET, WAITING, HELD = 1, 2, 4


class Packet(object):
    __slots__ = ("link", "destination", "kind", "count", "data")

    def __init__(self, link, destination, kind):
        self.link = link
        self.destination = destination
        self.kind = kind
        self.count = 0
        self.data = [0] * BUFFER_SIZE


def append_packet(packet, queue):
    """Appends packet to the end of the linked queue and returns the queue's head."""
    packet.link = None
    if queue is None:
        return packet
    tail = queue
    while tail.link is not None:
        tail = tail.link
    tail.link = packet
    return queue


class Task(object):
    def __init__(self, system, ident, priority, queue, state):
        self.system = system
        self.ident = ident
        self.priority = priority
        self.queue = queue
        self.state = state
        self.next = system.task_list
        system.task_list = self
        system.tasks[ident] = self

    def runnable(self):
        return self.state & (WAITING | HELD) == 0 or self.state == WAITING | HAS_PACKET

    def take_packet(self):
        packet = self.queue
        if self.state == WAITING | HAS_PACKET:
            self.queue = packet.link
            self.state = HAS_PACKET if self.queue is not None else 0
            return packet
        return None


class IdleTask(Task):
    def __init__(self, system, steps):
        Task.__init__(self, system, IDLE, 0, None, 0)
        self.seed = 1
        self.remaining = steps

    def step(self, packet):
        self.remaining -= 1
        if self.remaining == 0:
            return self.system.hold_current()
        if self.seed & 1 == 0:
            self.seed >>= 1
            return self.system.release(DEVICE_A)
        self.seed = (self.seed >> 1) ^ 0xD008
        return self.system.release(DEVICE_B)


class WorkerTask(Task):
    def __init__(self, system, queue):
        Task.__init__(self, system, WORKER, 1000, queue, WAITING | HAS_PACKET)
        self.handler = HANDLER_A
        self.letter = 0

    def step(self, packet):
        if packet is None:
            return self.system.wait_current()
        self.handler = HANDLER_A + HANDLER_B - self.handler
        packet.destination = self.handler
        packet.count = 0
        data = packet.data
        for i in range(BUFFER_SIZE):
            self.letter = self.letter + 1 if self.letter < 26 else 1
            data[i] = self.letter
        return self.system.queue_packet(packet)


class HandlerTask(Task):
    def __init__(self, system, ident, priority, queue):
        Task.__init__(self, system, ident, priority, queue, WAITING | HAS_PACKET)
        self.work = None
        self.devices = None

    def step(self, packet):
        if packet is not None:
            if packet.kind == WORK_PACKET:
                self.work = append_packet(packet, self.work)
            else:
                self.devices = append_packet(packet, self.devices)
        work = self.work
        if work is not None:
            if work.count >= BUFFER_SIZE:
                self.work = work.link
                return self.system.queue_packet(work)
            device = self.devices
            if device is not None:
                self.devices = device.link
                device.count = work.data[work.count]
                work.count += 1
                return self.system.queue_packet(device)
        return self.system.wait_current()


class DeviceTask(Task):
    def __init__(self, system, ident, priority):
        Task.__init__(self, system, ident, priority, None, WAITING)
        self.pending = None

    def step(self, packet):
        if packet is None:
            pending = self.pending
            if pending is None:
                return self.system.wait_current()
            self.pending = None
            return self.system.queue_packet(pending)
        self.pending = packet
        return self.system.hold_current()


class System(object):
    def __init__(self, idle_steps):
        self.task_list = None
        self.tasks = [None] * 7
        self.current = None
        self.queued = 0
        self.holds = 0
        IdleTask(self, idle_steps)
        WorkerTask(self, Packet(Packet(None, 0, WORK_PACKET), 0, WORK_PACKET))
        for ident, device, priority in ((HANDLER_A, DEVICE_A, 2000), (HANDLER_B, DEVICE_B, 3000)):
            queue = None
            for _ in range(3):
                queue = Packet(queue, device, DEVICE_PACKET)
            HandlerTask(self, ident, priority, queue)
        DeviceTask(self, DEVICE_A, 4000)
        DeviceTask(self, DEVICE_B, 5000)

    def schedule(self):
        task = self.task_list
        while task is not None:
            if task.runnable():
                self.current = task
                task = task.step(task.take_packet())
            else:
                task = task.next

    def wait_current(self):
        self.current.state |= WAITING
        return self.current

    def hold_current(self):
        self.holds += 1
        self.current.state |= HELD
        return self.current.next

    def release(self, ident):
        task = self.tasks[ident]
        task.state &= ~HELD
        return task if task.priority > self.current.priority else self.current

    def queue_packet(self, packet):
        target = self.tasks[packet.destination]
        self.queued += 1
        packet.link = None
        packet.destination = self.current.ident
        if target.queue is None:
            target.queue = packet
            target.state |= HAS_PACKET
            return target if target.priority > self.current.priority else self.current
        append_packet(packet, target.queue)
        return self.current


def run(idle_steps):
    system = System(idle_steps)
    system.schedule()
    return system.queued, system.holds


def check(counts, idle_steps):
    queued, holds = counts
    expected = EXPECTED_COUNTS.get(idle_steps)
    if expected is not None and counts != expected:
        raise AssertionError("richards counts %r, expected %r" % (counts, expected))
    # Whatever the length, the idle task holds itself once and each device hold follows a queued packet.
    if not 0 < holds < queued:
        raise AssertionError("implausible richards counts %r" % (counts,))
