// harness/environment_hook.h: the environment a benchmark's processes get under one interpreter (e.g. the
// PYTHONPATH of a provisioned set of Debian-packaged libraries). Benchmarks without packages get none.
#pragma once

#include "harness/benchmark.h"
#include "harness/executor.h"
#include "harness/interpreter.h"

namespace harness {
Environment prepare_environment(const Benchmark& benchmark, const Interpreter& interpreter,
                                const RunOptions& options);
}
