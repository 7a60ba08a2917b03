# Method calls, attribute loads and stores on small objects (richards-like).
class Task:
    def __init__(self, prio):
        self.prio = prio
        self.count = 0
        self.next = None

    def run(self, v):
        self.count += 1
        return v + self.prio

class Scheduler:
    def __init__(self, n):
        self.tasks = [Task(i) for i in range(n)]

    def step(self, rounds):
        acc = 0
        for _ in range(rounds):
            for t in self.tasks:
                acc = t.run(acc) % 1000003
        return acc

Scheduler(10).step(150000)
