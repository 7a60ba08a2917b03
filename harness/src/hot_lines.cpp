// harness/hot_lines.cpp: runs a benchmark's worker (batch) or server (web) under measure_loc's sampler and stores
// the profile.
#include "harness/hot_lines.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <optional>
#include <thread>

#include "harness/environment_hook.h"
#include "harness/error.h"
#include "harness/web_executor.h"
#include "measure_loc/profile.h"
#include "measure_loc/store.h"

namespace harness {
namespace {

std::optional<std::int64_t> lookup(const speedcenter::Database& db, const std::string& sql, std::int64_t run_id,
                                   int position, const std::string& benchmark = {}) {
  auto q = db.prepare(sql);
  q.bind(1, run_id).bind(2, position);
  if (!benchmark.empty()) q.bind(3, benchmark);
  if (!q.step()) return std::nullopt;
  return q.column_int(0);
}

measure_loc::Profile profile_batch(const Benchmark& benchmark, const Interpreter& interpreter,
                                   const HotLinesOptions& options, measure_loc::Options profile_options, int devnull) {
  std::vector<std::string> argv = interpreter.argv;
  for (const std::string& arg :
       {(project_root() / "macrobenchmarks" / "pb_worker.py").string(), std::string("--benchmark"),
        benchmark.file.string(), std::string("--warmups"), std::string("1"), std::string("--iterations"),
        std::to_string(options.iterations), std::string("--report-fd"), std::to_string(devnull)})
    argv.push_back(arg);
  // Counted from the first measured iteration: the warmups (and imports) are left out, as in the timings.
  profile_options.start_files = {"pb_worker.py:measured_iterations"};
  profile_options.environment = prepare_environment(benchmark, interpreter, RunOptions{});
  return measure_loc::profile_command(argv, profile_options);
}

measure_loc::Profile profile_web(const Benchmark& benchmark, const Interpreter& interpreter,
                                 const HotLinesOptions& options, const measure_loc::Options& profile_options) {
  WebWorkload workload = web_workload(benchmark);
  RunOptions run = options.run;
  long requests = run.requests > 0 ? run.requests : workload.requests;
  // The warmup requests: the manifest's, else the first fifth (flask and django settle within ~100 requests).
  long warmup = workload.warmup_requests > 0 ? workload.warmup_requests : requests / 5;
  ServerProfiler profiler(profile_options, warmup);
  run.load_observer = &profiler;
  std::unique_ptr<Executor> executor = make_executor(benchmark.kind);
  Environment environment = executor->prepare(benchmark, interpreter, run);
  WorkerResult worker = executor->run_worker(benchmark, interpreter, environment, run, 0);
  measure_loc::Profile profile = profiler.take();
  if (!worker.ok) throw HarnessError("the profiled server run failed: " + worker.error);
  return profile;
}

}  // namespace

ServerProfiler::ServerProfiler(measure_loc::Options options, long count_from)
    : options_(std::move(options)), from_(count_from) {
  options_.subprocesses = true;
  options_.start = &start_;
  options_.stop = &stop_;
}

ServerProfiler::~ServerProfiler() { load_finished(); }

void ServerProfiler::server_ready(pid_t server) {
  thread_ = std::thread([this, server] {
    try {
      profile_ = measure_loc::profile_pid(server, options_);
    } catch (const std::exception& e) {
      error_ = e.what();
    }
  });
}

void ServerProfiler::request_starting(long seq) {
  if (seq >= from_) start_ = true;
}

void ServerProfiler::load_finished() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

measure_loc::Profile ServerProfiler::take() {
  load_finished();
  if (!error_.empty()) throw HarnessError("profiling the server failed: " + error_);
  if (!profile_) throw HarnessError("the server never became ready, so it was not profiled");
  return std::move(*profile_);
}

bool measure_hot_lines(const speedcenter::Database& db, std::int64_t run_id, const std::vector<Benchmark>& benchmarks,
                       const std::vector<Interpreter>& interpreters, const HotLinesOptions& options,
                       ProgressLine& progress, std::ostream& out) {
  // The worker's report lines are not needed here: they go to /dev/null through an inherited descriptor.
  int devnull = open("/dev/null", O_WRONLY);
  bool all_ok = true;
  char line[256];
  std::snprintf(line, sizeof line,
                "\nHot lines (measure_loc, %.0f Hz): lines covering 50%% / 90%% / 99%% of samples, then the same at "
                "%lld samples\n(comparable across runs: the rare tail grows with the samples taken)\n",
                options.rate_hz, static_cast<long long>(measure_loc::kComparableDepth));
  out << line;
  for (const auto& benchmark : benchmarks) {
    if (benchmark.kind != "batch" && benchmark.kind != "web") {
      out << "  " << benchmark.name << ": not profiled (kind " << benchmark.kind << ")\n";
      continue;
    }
    for (size_t i = 0; i < interpreters.size(); ++i) {
      const Interpreter& interpreter = interpreters[i];
      progress.note("hot lines: " + benchmark.name + " under " + interpreter.label);
      measure_loc::Options profile_options;
      profile_options.rate_hz = options.rate_hz;
      try {
        measure_loc::Profile profile = benchmark.kind == "web"
                                           ? profile_web(benchmark, interpreter, options, profile_options)
                                           : profile_batch(benchmark, interpreter, options, profile_options, devnull);
        profile.target = benchmark.name;
        measure_loc::StoreContext context;
        context.run_id = run_id;
        context.interpreter_id = lookup(db, "SELECT interpreter_id FROM run_interpreters WHERE run_id = ? AND position = ?",
                                        run_id, static_cast<int>(i));
        context.result_id = lookup(db,
                                   "SELECT r.id FROM results r JOIN run_interpreters ri ON ri.run_id = r.run_id AND"
                                   " ri.interpreter_id = r.interpreter_id JOIN benchmarks b ON b.id = r.benchmark_id"
                                   " WHERE r.run_id = ? AND ri.position = ? AND b.name = ?",
                                   run_id, static_cast<int>(i), benchmark.name);
        measure_loc::store_profile(db, profile, context);
        auto coverage = profile.coverage({50, 90, 99});
        auto comparable = profile.coverage_at_depth(measure_loc::kComparableDepth, {50, 90, 99});
        std::snprintf(line, sizeof line,
                      "  %-20s %-14s %4d / %4d / %4d   at depth: %4d / %4d / %4d%s   (%lld samples, %.2f%% failed%s)\n",
                      benchmark.name.c_str(), interpreter.label.c_str(), coverage[0].lines, coverage[1].lines,
                      coverage[2].lines, comparable[0].lines, comparable[1].lines, comparable[2].lines,
                      profile.samples <= measure_loc::kComparableDepth ? " (fewer samples: as is)" : "",
                      static_cast<long long>(profile.samples), profile.failed_percent(),
                      profile.processes.size() > 1
                          ? (", " + std::to_string(profile.processes.size()) + " processes").c_str()
                          : "");
        out << line;
        if (profile.exit_code != 0 && benchmark.kind == "batch") {
          all_ok = false;
          out << "    (the profiled worker exited with " << profile.exit_code << ")\n";
        }
      } catch (const std::exception& e) {
        all_ok = false;
        out << "  " << benchmark.name << " " << interpreter.label << ": FAILED: " << e.what() << "\n";
      }
    }
  }
  close(devnull);
  return all_ok;
}

}  // namespace harness
