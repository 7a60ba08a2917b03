// harness/instruction_count.h: the deterministic mode (--instructions): the exact number of instructions one
// measured iteration executes, counted by valgrind's cachegrind over the worker's process tree.
#pragma once

#include <filesystem>
#include <optional>

#include "harness/executor.h"

namespace harness {

// Runs the worker twice under cachegrind (warmups + 1 and warmups + 2 iterations, with PYTHONHASHSEED=0, no
// ASLR and a ticking fake clock) and stores the difference as the metric "instructions" (per iteration): start-up,
// imports and warmup cancel out, so two runs of the same build give the same count. The returned worker carries
// the second run's samples (durations from the fake clock, not times) and fails if either run failed.
WorkerResult count_instructions(Executor& batch, const Benchmark& benchmark, const Interpreter& interpreter,
                                const Environment& environment, const RunOptions& options, int process_index);

// Sum of the instruction counts ("summary:" lines) of the cachegrind files in `dir` named `prefix`*.
std::optional<double> sum_cachegrind_files(const std::filesystem::path& dir, const std::string& prefix);

}  // namespace harness
