// harness/runner.h: the scheduler. Runs every benchmark under every interpreter in fresh processes, interleaving
// interpreters (A B A B ...) so machine drift cancels, and hands each finished benchmark to the caller.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "harness/benchmark.h"
#include "harness/executor.h"
#include "harness/interpreter.h"
#include "harness/measurement.h"
#include "harness/stats.h"

namespace harness {

// One benchmark under one interpreter.
struct InterpreterOutcome {
  bool ok = false;
  std::string error;                 // first failure's reason
  std::vector<WorkerResult> workers; // including the failed one
  std::string started_at, finished_at;
};

struct BenchmarkOutcome {
  Benchmark benchmark;
  std::vector<InterpreterOutcome> per_interpreter;  // same order as the interpreters
};

struct Progress {
  std::string benchmark;
  std::string interpreter;
  int benchmark_index = 0, benchmark_count = 0;
  int process_index = 0, process_count = 0;
  double eta_seconds = -1;  // negative while unknown
  std::string detail;       // precision mode: the interval's width so far
};

struct RunCallbacks {
  std::function<void(const Progress&)> on_progress;
  std::function<void(const BenchmarkOutcome&)> on_benchmark_done;  // store it (one transaction)
};

// Precision mode: the interleaved speedup of `candidate` against `base` from the processes measured so far
// (per-process means of the measured samples, paired by process index).
stats::PairedSpeedup precision_so_far(const InterpreterOutcome& base, const InterpreterOutcome& candidate);

// Returns false when interrupted (Ctrl-C); outcomes of finished benchmarks were already passed on.
bool run_benchmarks(const std::vector<Benchmark>& benchmarks, const std::vector<Interpreter>& interpreters,
                    const RunOptions& options, const RunCallbacks& callbacks);

std::string utc_now_iso8601();

}  // namespace harness
