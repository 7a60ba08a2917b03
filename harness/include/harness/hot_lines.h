// harness/hot_lines.h: `compare --hot-lines`: profiles each benchmark under each interpreter with measure_loc
// (out of process) and stores the hot-lines profile next to the run's results: a batch benchmark's measured
// iterations, a web benchmark's measured requests (every process of its server, after the warmup requests).
#pragma once

#include <ostream>
#include <vector>

#include "harness/benchmark.h"
#include "harness/executor.h"
#include "harness/interpreter.h"
#include "harness/progress_line.h"
#include "speedcenter/database.h"

namespace harness {

struct HotLinesOptions {
  double rate_hz = 10000;
  int iterations = 5;  // measured iterations of the profiled worker
  RunOptions run;      // web: requests, concurrency, affinity and environment of the profiled server
};

// Profiles and stores; prints the lines reaching 50/90/99% per benchmark and interpreter to `out`.
// Failures are reported per benchmark and do not stop the others; returns false if any failed.
bool measure_hot_lines(const speedcenter::Database& db, std::int64_t run_id, const std::vector<Benchmark>& benchmarks,
                       const std::vector<Interpreter>& interpreters, const HotLinesOptions& options,
                       ProgressLine& progress, std::ostream& out);

}  // namespace harness
