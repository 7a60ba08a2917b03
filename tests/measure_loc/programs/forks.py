# Three Python processes for --subprocesses: this one, a forked child (no exec, as gunicorn starts its workers)
# and an exec'd child (subprocess). Each spins on its own line for about `seconds` (argument, default 1).
import os
import subprocess
import sys
import time


def parent_work(seconds):
    end = time.time() + seconds
    while time.time() < end:
        sum(i * 1 for i in range(1000))  # LINE_PARENT


def forked_work(seconds):
    end = time.time() + seconds
    while time.time() < end:
        sum(i * 2 for i in range(1000))  # LINE_FORKED


def exec_work(seconds):
    end = time.time() + seconds
    while time.time() < end:
        sum(i * 3 for i in range(1000))  # LINE_EXEC


if __name__ == "__main__":
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    if len(sys.argv) > 2 and sys.argv[2] == "exec-child":
        exec_work(seconds)
        sys.exit(0)
    pid = os.fork()
    if pid == 0:
        forked_work(seconds)
        os._exit(0)
    child = subprocess.Popen([sys.executable, __file__, str(seconds), "exec-child"])
    parent_work(seconds)
    os.waitpid(pid, 0)
    sys.exit(child.wait())
