// harness/batch_executor.cpp: runs one pb_worker.py process for a batch benchmark and turns its report lines
// into samples, failing the worker on a crash, a timeout, a failed self-check or garbage on the report pipe.
#include "harness/batch_executor.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "harness/environment_hook.h"
#include "harness/error.h"
#include "harness/instruction_count.h"
#include "harness/perf_counters.h"
#include "harness/process.h"
#include "harness/pyperformance.h"

namespace harness {
namespace {

std::string last_line(const std::string& text) {
  size_t end = text.find_last_not_of("\n ");
  if (end == std::string::npos) return "";
  size_t start = text.rfind('\n', end);
  return text.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1) + 1);
}

class BatchExecutor : public Executor {
 public:
  Environment prepare(const Benchmark& benchmark, const Interpreter& interpreter,
                      const RunOptions& options) override {
    Environment environment = prepare_environment(benchmark, interpreter, options);
    if (benchmark.kind == "pyperf") {
      // pyperformance's scripts import pyperf: ours, first on the path.
      auto existing = environment.find("PYTHONPATH");
      environment["PYTHONPATH"] =
          pyperf_compat_dir().string() + (existing == environment.end() ? "" : ":" + existing->second);
    }
    return environment;
  }

  WorkerResult run_worker(const Benchmark& benchmark, const Interpreter& interpreter,
                          const Environment& environment, const RunOptions& options,
                          int process_index) override {
    if (options.instructions) return count_instructions(*this, benchmark, interpreter, environment, options, process_index);
    WorkerResult result;
    result.process_index = process_index;
    long size = options.size_for(benchmark);

    ProcessOptions process;
    process.argv = interpreter.argv;
    if (benchmark.kind == "pyperf") {
      for (const auto& arg : pyperformance_worker_args(benchmark, options)) process.argv.push_back(arg);
    } else {
      for (const std::string& arg :
           {(project_root() / "macrobenchmarks" / "pb_worker.py").string(), std::string("--benchmark"),
            benchmark.file.string(), std::string("--warmups"), std::to_string(options.warmups),
            std::string("--iterations"), std::to_string(options.iterations), std::string("--report-fd"),
            std::string("3")})
        process.argv.push_back(arg);
      if (size > 0) {
        process.argv.push_back("--size");
        process.argv.push_back(std::to_string(size));
      }
      if (options.min_time > 0) {
        process.argv.push_back("--min-time");
        process.argv.push_back(std::to_string(options.min_time));
      }
    }
    process.extra_env = environment;
    apply_worker_settings(options, process);
    process.cwd = benchmark.folder;
    process.report_pipe = true;

    bool done = false;
    int iterations = 0;
    std::string protocol_error, benchmark_error;
    std::optional<CounterSession> counters;  // counts the measured iterations (from the last warmup's report on)
    ChildProcess::Watch watch;
    watch.sample_every = std::chrono::milliseconds(50);
    watch.on_memory = [&](double t, const TreeMemory& memory) {
      result.memory.push_back({t, memory.rss_bytes, memory.pss_bytes});
    };
    watch.on_report_line = [&](const std::string& line) {
      if (!protocol_error.empty()) return;
      nlohmann::json event;
      try {
        event = nlohmann::json::parse(line);
      } catch (const std::exception&) {
        protocol_error = "garbage on the report pipe: '" + line.substr(0, 120) + "'";
        return;
      }
      if (!event.is_object() || event.value("pb", 0) != 1) {
        protocol_error = "report line without \"pb\": 1: '" + line.substr(0, 120) + "'";
        return;
      }
      std::string kind = event.value("event", "");
      if (kind == "iteration") {
        Sample sample;
        sample.seq = event.value("seq", 0);
        sample.warmup = event.value("warmup", false);
        sample.t = event.value("t", 0.0);
        sample.value = event.value("seconds", -1.0);
        if (!(sample.value > 0)) protocol_error = "iteration with a non-positive duration: '" + line + "'";
        result.samples.push_back(sample);
        ++iterations;
        // The worker's CPU time for the same iteration, a sample of its own kind (the gate's cpu-time metric).
        if (event.contains("cpu_seconds") && event["cpu_seconds"].is_number()) {
          sample.kind = "cpu";
          sample.value = event["cpu_seconds"].get<double>();
          result.samples.push_back(sample);
        }
        if (counters && sample.seq + 1 == options.warmups) counters->start();
      } else if (kind == "error") {
        benchmark_error = event.value("message", "unknown error");
      } else if (kind == "done") {
        done = true;
        if (counters) counters->stop();
      } else if (kind != "start") {
        protocol_error = "unknown report event '" + kind + "'";
      }
    };

    try {
      ChildProcess child(process);
      counters.emplace(options.events, std::vector<pid_t>{child.pid()});
      if (options.warmups == 0) counters->start();
      // A workload whose iterations are long (pylint) may declare a larger per-process "timeout" in its manifest.
      double timeout = std::max(options.timeout_seconds, benchmark.manifest.value("timeout", 0.0));
      bool finished = child.wait(std::chrono::duration<double>(timeout), watch);
      if (!finished) child.kill_tree();
      counters->stop();
      for (Metric& m : counters->metrics(options.iterations, "iteration")) result.metrics.push_back(std::move(m));
      result.exit_status = child.exit_status();
      result.wall_seconds = child.wall_seconds();
      result.cpu_seconds = child.cpu_seconds();
      result.peak_rss_bytes = child.peak_rss_bytes();
      result.stderr_tail = child.stderr_tail();
      int expected = options.warmups + options.iterations;
      if (interrupted()) {
        result.error = "interrupted";
      } else if (!finished) {
        result.error = "timeout: no exit after " + std::to_string(static_cast<int>(timeout)) +
                       " s (killed)";
      } else if (!benchmark_error.empty()) {
        result.error = "benchmark raised: " + benchmark_error;
      } else if (!protocol_error.empty()) {
        result.error = protocol_error;
      } else if (*result.exit_status != 0) {
        std::string why = last_line(result.stderr_tail);
        result.error = (*result.exit_status < 0 ? "killed by signal " + std::to_string(-*result.exit_status)
                                                : "exit status " + std::to_string(*result.exit_status)) +
                       (why.empty() ? "" : ": " + why);
      } else if (!done || iterations != expected) {
        result.error = "worker exited without completing (" + std::to_string(iterations) + " of " +
                       std::to_string(expected) + " iterations reported)";
      } else {
        result.ok = true;
      }
    } catch (const HarnessError& e) {
      result.error = e.what();
    }
    return result;
  }
};

}  // namespace

std::unique_ptr<Executor> make_batch_executor() { return std::make_unique<BatchExecutor>(); }

}  // namespace harness
