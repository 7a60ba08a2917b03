// harness/executor.h: how one worker process of a benchmark is run and measured, per benchmark kind.
// The scheduler (runner.h) decides order and interleaving; an executor runs one process and measures it.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/benchmark.h"
#include "harness/interpreter.h"
#include "harness/measurement.h"

namespace harness {

// The variables workers inherit by default, as pyperf chooses them: what finding programs, a home and
// temporary files, and the locale need. Anything else (a stray PYTHONOPTIMIZE, PYTHONMALLOC, an exported
// DISABLE_PYSTON) would silently change what is measured; --inherit-environ adds names.
inline const std::vector<std::string> kDefaultWorkerEnvironment = {"PATH", "HOME", "TMPDIR", "TEMP", "TMP",
                                                                   "LANG", "LC_*", "USER", "LOGNAME"};
// Watches a web worker's load (compare --hot-lines profiles the server's measured requests through it). Calls
// come from the worker's thread, request_starting from the load generator's connection threads.
class LoadObserver {
 public:
  virtual ~LoadObserver() = default;
  virtual void server_ready(pid_t server) = 0;   // before the first request
  virtual void request_starting(long seq) = 0;  // as request seq (0-based) is sent
  virtual void load_finished() = 0;             // after the last response, before the server is stopped
};

struct RunOptions {
  int processes = 6;           // fresh worker processes per benchmark and interpreter
  int iterations = 5;          // measured iterations per process (batch)
  int warmups = 1;             // unmeasured iterations first (batch)
  long size = 0;               // 0 = the manifest's size
  std::map<std::string, long> sizes;  // per benchmark name, overriding `size` (--size nbody=600,richards=500)
  long size_for(const Benchmark& benchmark) const;  // the work per iteration to ask for; 0 = the file's own
  double timeout_seconds = 120; // per worker process
  int requests = 0;            // web: requests per server process (0 = manifest default)
  int concurrency = 1;         // web: parallel connections
  double rate = 0;             // web: open-loop requests/s (0 = closed loop)
  std::vector<std::string> events; // hardware/libpfm4 events to count (software events always are)
  bool instructions = false;       // deterministic mode: exact instruction counts under cachegrind
  double min_time = 0;             // --min-time: calibrate loops so one iteration lasts at least this (0 = off)
  std::vector<int> affinity;       // --affinity: CPUs the workers (and servers) run on; empty = any
  // --inherit-environ: the harness's environment variables workers get (besides what the harness sets); by
  // default a chosen set (kDefaultWorkerEnvironment), with --copy-env the whole environment.
  std::optional<std::vector<std::string>> inherit_environ = kDefaultWorkerEnvironment;
  // --precision: keep adding interleaved process pairs until every candidate's speedup interval (stats.h,
  // sequential_speedup) is narrower than this fraction of the speedup; `processes` is then the minimum.
  // 0 = a fixed number of processes.
  double precision = 0;
  double max_seconds_per_benchmark = 300;  // --max-time: budget of one benchmark in precision mode (0 = none)
  double max_seconds_total = 0;          // --max-total-time: budget of the whole run in precision mode (0 = none)
  LoadObserver* load_observer = nullptr;  // web: see LoadObserver; not owned
};

// Applies --affinity and the chosen environment to a worker's or server's process options.
struct ProcessOptions;
void apply_worker_settings(const RunOptions& options, ProcessOptions& process);

// Environment variables to add when starting a process, e.g. PYTHONPATH of a provisioned environment.
using Environment = std::map<std::string, std::string>;

class Executor {
 public:
  virtual ~Executor() = default;
  // Called once per benchmark and interpreter before any worker runs (e.g. provision an environment, run
  // migrations). Throws HarnessError when the benchmark cannot run under this interpreter.
  virtual Environment prepare(const Benchmark& benchmark, const Interpreter& interpreter,
                              const RunOptions& options) = 0;
  // Runs and measures one worker process. Never throws for a benchmark failure: returns ok = false + error.
  virtual WorkerResult run_worker(const Benchmark& benchmark, const Interpreter& interpreter,
                                  const Environment& environment, const RunOptions& options,
                                  int process_index) = 0;
};

// --size: "N" (every benchmark) or "NAME=N,NAME=N" (those benchmarks; the others keep their own). Throws HarnessError.
void parse_size_option(const std::string& text, RunOptions& options);

// The executor for a benchmark kind ("batch", "web"); throws HarnessError for an unknown kind.
std::unique_ptr<Executor> make_executor(const std::string& kind);

}  // namespace harness
