// harness/hot_lines.h: `compare --hot-lines`: profiles each benchmark under each interpreter with measure_loc
// (out of process) and stores the hot-lines profile next to the run's results: a batch benchmark's measured
// iterations, a web benchmark's measured requests (every process of its server, after the warmup requests).
#pragma once

#include <atomic>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "harness/benchmark.h"
#include "harness/executor.h"
#include "harness/interpreter.h"
#include "harness/progress_line.h"
#include "measure_loc/profile.h"
#include "speedcenter/database.h"

namespace harness {

struct HotLinesOptions {
  double rate_hz = 10000;
  int iterations = 5;  // measured iterations of the profiled worker
  RunOptions run;      // web: requests, concurrency, affinity and environment of the profiled server
};

// Profiles a web server through its real worker run (RunOptions::load_observer): attaches to every Python
// process of it (gunicorn's master and workers) when it is ready, counts from request `count_from` (after the
// warmup requests) and stops after the last response.
class ServerProfiler : public LoadObserver {
 public:
  ServerProfiler(measure_loc::Options options, long count_from);
  ~ServerProfiler() override;
  void server_ready(pid_t server) override;
  void request_starting(long seq) override;
  void load_finished() override;
  // The profile of the counted requests; throws HarnessError when profiling failed or never started.
  measure_loc::Profile take();

 private:
  measure_loc::Options options_;
  long from_;
  std::atomic<bool> start_{false}, stop_{false};
  std::thread thread_;
  std::optional<measure_loc::Profile> profile_;
  std::string error_;
};

// Profiles and stores; prints the lines reaching 50/90/99% per benchmark and interpreter to `out`.
// Failures are reported per benchmark and do not stop the others; returns false if any failed.
bool measure_hot_lines(const speedcenter::Database& db, std::int64_t run_id, const std::vector<Benchmark>& benchmarks,
                       const std::vector<Interpreter>& interpreters, const HotLinesOptions& options,
                       ProgressLine& progress, std::ostream& out);

}  // namespace harness
