// harness/runner.cpp: the scheduler: benchmark by benchmark, process by process, interpreters interleaved.
#include "harness/runner.h"

#include <chrono>
#include <ctime>
#include <map>

#include "harness/error.h"
#include "harness/process.h"

namespace harness {

std::string utc_now_iso8601() {
  std::time_t now = std::time(nullptr);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return buffer;
}

bool run_benchmarks(const std::vector<Benchmark>& benchmarks, const std::vector<Interpreter>& interpreters,
                    const RunOptions& options, const RunCallbacks& callbacks) {
  using clock = std::chrono::steady_clock;
  const int total_workers = static_cast<int>(benchmarks.size() * interpreters.size()) * options.processes;
  int workers_done = 0;
  double worker_seconds = 0;
  std::map<std::string, std::unique_ptr<Executor>> executors;

  for (size_t b = 0; b < benchmarks.size(); ++b) {
    const Benchmark& benchmark = benchmarks[b];
    BenchmarkOutcome outcome;
    outcome.benchmark = benchmark;
    outcome.per_interpreter.resize(interpreters.size());
    std::vector<Environment> environments(interpreters.size());
    auto& executor = executors[benchmark.kind];
    try {
      if (!executor) executor = make_executor(benchmark.kind);
    } catch (const HarnessError& e) {
      for (auto& o : outcome.per_interpreter) o.error = e.what();
    }

    for (size_t i = 0; i < interpreters.size() && executor; ++i) {
      auto& o = outcome.per_interpreter[i];
      o.started_at = utc_now_iso8601();
      try {
        environments[i] = executor->prepare(benchmark, interpreters[i], options);
      } catch (const HarnessError& e) {
        o.error = std::string("setup failed: ") + e.what() + (e.hint().empty() ? "" : " (" + e.hint() + ")");
      }
    }

    for (int p = 0; p < options.processes && executor; ++p) {
      for (size_t i = 0; i < interpreters.size(); ++i) {
        auto& o = outcome.per_interpreter[i];
        if (!o.error.empty()) {
          workers_done++;  // skipped after a failure
          continue;
        }
        if (interrupted()) return false;
        if (callbacks.on_progress) {
          Progress progress{benchmark.name, interpreters[i].label, static_cast<int>(b) + 1,
                            static_cast<int>(benchmarks.size()), p + 1, options.processes, -1};
          if (workers_done > 0) progress.eta_seconds = worker_seconds / workers_done * (total_workers - workers_done);
          callbacks.on_progress(progress);
        }
        auto start = clock::now();
        WorkerResult worker = executor->run_worker(benchmark, interpreters[i], environments[i], options, p);
        worker_seconds += std::chrono::duration<double>(clock::now() - start).count();
        workers_done++;
        if (interrupted()) return false;
        if (!worker.ok) o.error = "process " + std::to_string(p + 1) + ": " + worker.error;
        o.workers.push_back(std::move(worker));
      }
    }
    for (auto& o : outcome.per_interpreter) {
      o.ok = o.error.empty() && !o.workers.empty();
      if (o.started_at.empty()) o.started_at = utc_now_iso8601();
      o.finished_at = utc_now_iso8601();
    }
    if (callbacks.on_benchmark_done) callbacks.on_benchmark_done(outcome);
  }
  return !interrupted();
}

}  // namespace harness
