// harness/runner.cpp: the scheduler: benchmark by benchmark, process by process, interpreters interleaved.
#include "harness/runner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
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

namespace {

std::vector<double> measured_process_means(const InterpreterOutcome& outcome) {
  std::vector<double> means;
  for (const auto& worker : outcome.workers) {
    if (!worker.ok) break;  // pairs stay aligned by process index
    double sum = 0;
    int n = 0;
    bool latency = false;
    for (const auto& s : worker.samples) latency = latency || s.kind == "latency";
    for (const auto& s : worker.samples)
      if (!s.warmup && s.kind == (latency ? "latency" : "iteration")) {
        sum += s.value;
        ++n;
      }
    if (n) means.push_back(sum / n);
  }
  return means;
}

// Precision mode: after round `p` (0-based) of every interpreter, whether another round is needed and, for
// the progress line, the widest candidate's interval so far.
struct PrecisionState {
  bool more = false;
  std::string detail;
};

PrecisionState precision_after_round(const BenchmarkOutcome& outcome, const RunOptions& options) {
  PrecisionState state;
  double widest = 0;
  const auto& base = outcome.per_interpreter[0];
  if (!base.error.empty()) return state;
  for (size_t i = 1; i < outcome.per_interpreter.size(); ++i) {
    const auto& candidate = outcome.per_interpreter[i];
    if (!candidate.error.empty()) continue;
    stats::PairedSpeedup s = precision_so_far(base, candidate);
    widest = std::max(widest, s.width);
    if (!stats::precision_reached(s, options.precision)) state.more = true;
  }
  char text[96];
  std::snprintf(text, sizeof text, "interval %.1f%% (target %.1f%%)", widest * 100, options.precision * 100);
  state.detail = std::isinf(widest) ? "" : text;
  return state;
}

}  // namespace

stats::PairedSpeedup precision_so_far(const InterpreterOutcome& base, const InterpreterOutcome& candidate) {
  return stats::sequential_speedup(measured_process_means(base), measured_process_means(candidate));
}

bool run_benchmarks(const std::vector<Benchmark>& benchmarks, const std::vector<Interpreter>& interpreters,
                    const RunOptions& options, const RunCallbacks& callbacks) {
  using clock = std::chrono::steady_clock;
  const bool precision_mode = options.precision > 0 && interpreters.size() >= 2;
  const int total_workers = static_cast<int>(benchmarks.size() * interpreters.size()) * options.processes;
  int workers_done = 0;
  double worker_seconds = 0;
  const auto run_start = clock::now();
  auto seconds_since = [](clock::time_point t) { return std::chrono::duration<double>(clock::now() - t).count(); };
  std::map<std::string, std::unique_ptr<Executor>> executors;

  for (size_t b = 0; b < benchmarks.size(); ++b) {
    const Benchmark& benchmark = benchmarks[b];
    const auto benchmark_start = clock::now();
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

    // Fixed mode: `processes` rounds. Precision mode: at least `processes` rounds, then one more while the
    // interval is too wide and the benchmark's and the run's budgets allow.
    PrecisionState precision;
    auto another_round = [&](int p) {
      if (!precision_mode) return p < options.processes;
      if (p < options.processes) return true;
      precision = precision_after_round(outcome, options);
      if (!precision.more) return false;
      if (options.max_seconds_per_benchmark > 0 && seconds_since(benchmark_start) >= options.max_seconds_per_benchmark)
        return false;
      return !(options.max_seconds_total > 0 && seconds_since(run_start) >= options.max_seconds_total);
    };
    for (int p = 0; executor && another_round(p); ++p) {
      for (size_t i = 0; i < interpreters.size(); ++i) {
        auto& o = outcome.per_interpreter[i];
        if (!o.error.empty()) {
          workers_done++;  // skipped after a failure
          continue;
        }
        if (interrupted()) return false;
        if (callbacks.on_progress) {
          Progress progress{benchmark.name, interpreters[i].label, static_cast<int>(b) + 1,
                            static_cast<int>(benchmarks.size()), p + 1, options.processes, -1, precision.detail};
          if (precision_mode) progress.process_count = 0;  // open-ended
          else if (workers_done > 0) progress.eta_seconds = worker_seconds / workers_done * (total_workers - workers_done);
          callbacks.on_progress(progress);
        }
        auto start = clock::now();
        WorkerResult worker = executor->run_worker(benchmark, interpreters[i], environments[i], options, p);
        worker_seconds += seconds_since(start);
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
