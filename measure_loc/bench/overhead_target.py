"""Target for overhead.py: runs one micro benchmark's run() repeatedly and prints, per iteration, its wall time
and the CPU time of this process (process_time), one JSON object per line. CPU time is what the profiler can
cost the target through shared caches and memory; wall time also includes scheduling, which on a busy
machine is mostly noise. argv: benchmark file, iterations."""
import importlib.util
import json
import sys
import time


def main():
    path, iterations = sys.argv[1], int(sys.argv[2])
    spec = importlib.util.spec_from_file_location("overhead_benchmark", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    state = module.setup(module.DEFAULT_SIZE) if hasattr(module, "setup") else module.DEFAULT_SIZE
    module.run(state)  # warmup
    for _ in range(iterations):
        w0, c0 = time.perf_counter(), time.process_time()
        module.run(state)
        w1, c1 = time.perf_counter(), time.process_time()
        print(json.dumps({"wall": w1 - w0, "cpu": c1 - c0}))


if __name__ == "__main__":
    main()
