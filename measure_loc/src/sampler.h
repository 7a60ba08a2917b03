// sampler.h: the sampling loop: exponential intervals at the requested rate, the start condition and warmup,
// and the tally of (file, line) counts until the target exits.
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>

#include "measure_loc/profile.h"
#include "process_memory.h"
#include "python_runtime.h"

namespace measure_loc {

// Says whether the target has ended; returns its exit code once it has (0 for attached processes).
using TargetExited = std::function<std::optional<int>()>;

// `reaped_by_caller`: the target is the caller's child and `exited` reaps it (the sampler then never waits for
// its exit itself, also when it traces it for --native).
Profile sample_until_exit(const ProcessMemory& memory, const PythonRuntime& runtime, const Options& options,
                          const TargetExited& exited, bool reaped_by_caller = false);

// True once request_stop() was called (SIGINT, SIGTERM).
bool stop_requested();

}  // namespace measure_loc
