#!/usr/bin/env python3
"""measure_loc --native never leaves its target stopped or traced (src/native_stack.cpp, tool/main.cpp): killed
with SIGTERM (or SIGKILL) while it samples, attached with --pid or launching the target, it is gone and the target
runs on untraced (/proc/PID/status: TracerPid 0, State not t/T, its CPU time advancing). A signal sent to the
traced target reaches it (a traced thread stops on each signal until its tracer lets it through): SIGINT ends it
with KeyboardInterrupt, and measure_loc passes its exit code on.

usage: native_detach_test.py MEASURE_LOC PYTHON   (a name measure_loc resolves, or a path)"""
import os
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAM = os.path.join(HERE, "programs", "json_dumps.py")


def status(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return fields


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def wait_until(condition, what, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def child_of(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            children = f.read().split()
    except FileNotFoundError:
        return None
    return int(children[0]) if children else None


def check_left_running(target, what):
    s = status(target)
    assert s["TracerPid"] == "0", f"{what}: target still traced by {s['TracerPid']}"
    assert s["State"][0] not in "tT", f"{what}: target left stopped ({s['State']})"
    before = cpu_ticks(target)
    wait_until(lambda: cpu_ticks(target) > before + 5, f"{what}: the target's CPU time to advance", timeout=10)


def stop_profiler(profiler, target, sig, what):
    # It must be tracing before it is stopped: otherwise this test would pass without --native doing anything.
    wait_until(lambda: status(target)["TracerPid"] == str(profiler.pid), f"{what}: measure_loc to trace the target")
    time.sleep(0.3)  # some samples: stops and resumes
    profiler.send_signal(sig)
    code = profiler.wait(timeout=15)
    assert code == -sig, f"{what}: measure_loc ended with {code}, not by the signal"
    check_left_running(target, what)
    print(f"{what}: target {target} left running, untraced")


def main():
    measure_loc = sys.argv[1]
    python = subprocess.check_output([measure_loc, "--resolve-only", "--python", sys.argv[2]], text=True).strip()
    for sig in (signal.SIGTERM, signal.SIGKILL):
        name = signal.Signals(sig).name
        target = subprocess.Popen([python, PROGRAM, "100000"])
        try:
            profiler = subprocess.Popen([measure_loc, "--native", "--pid", str(target.pid), "-o", os.devnull])
            stop_profiler(profiler, target.pid, sig, f"--pid, {name}")
        finally:
            target.kill()
            target.wait()
        profiler = subprocess.Popen([measure_loc, "--native", "--python", python, "-o", os.devnull, PROGRAM, "100000"])
        launched = wait_until(lambda: child_of(profiler.pid), "the launched target")
        try:
            stop_profiler(profiler, launched, sig, f"launched, {name}")
        finally:
            os.kill(launched, signal.SIGKILL)
    profiler = subprocess.Popen([measure_loc, "--native", "--python", python, "-o", os.devnull, PROGRAM, "100000"],
                                stderr=subprocess.PIPE, text=True)
    launched = wait_until(lambda: child_of(profiler.pid), "the launched target")
    wait_until(lambda: status(launched)["TracerPid"] == str(profiler.pid), "measure_loc to trace the target")
    time.sleep(0.3)
    os.kill(launched, signal.SIGINT)
    try:
        _, stderr = profiler.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        os.kill(launched, signal.SIGKILL)
        profiler.kill()
        raise AssertionError("SIGINT did not reach the traced target: it still runs (or is held stopped)")
    assert profiler.returncode == 128 + signal.SIGINT and "KeyboardInterrupt" in stderr, (profiler.returncode, stderr)
    print("SIGINT reached the traced target; exit code 130 passed on")
    print("ok")


if __name__ == "__main__":
    main()
