// harness/hot_lines.cpp: runs a benchmark's worker under measure_loc's sampler and stores the profile.
#include "harness/hot_lines.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "harness/environment_hook.h"
#include "harness/error.h"
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

}  // namespace

bool measure_hot_lines(const speedcenter::Database& db, std::int64_t run_id, const std::vector<Benchmark>& benchmarks,
                       const std::vector<Interpreter>& interpreters, const HotLinesOptions& options,
                       ProgressLine& progress, std::ostream& out) {
  // The worker's report lines are not needed here: they go to /dev/null through an inherited descriptor.
  int devnull = open("/dev/null", O_WRONLY);
  bool all_ok = true;
  char line[256];
  std::snprintf(line, sizeof line, "\nHot lines (measure_loc, %.0f Hz): lines covering 50%% / 90%% / 99%% of samples\n",
                options.rate_hz);
  out << line;
  for (const auto& benchmark : benchmarks) {
    if (benchmark.kind != "batch") continue;
    for (size_t i = 0; i < interpreters.size(); ++i) {
      const Interpreter& interpreter = interpreters[i];
      progress.note("hot lines: " + benchmark.name + " under " + interpreter.label);
      std::vector<std::string> argv = interpreter.argv;
      for (const std::string& arg :
           {(project_root() / "macrobenchmarks" / "pb_worker.py").string(), std::string("--benchmark"),
            benchmark.file.string(), std::string("--warmups"), std::string("1"), std::string("--iterations"),
            std::to_string(options.iterations), std::string("--report-fd"), std::to_string(devnull)})
        argv.push_back(arg);
      measure_loc::Options profile_options;
      profile_options.rate_hz = options.rate_hz;
      // Counted from the first measured iteration: the warmups (and imports) are left out, as in the timings.
      profile_options.start_files = {"pb_worker.py:measured_iterations"};
      try {
        profile_options.environment = prepare_environment(benchmark, interpreter, RunOptions{});
        measure_loc::Profile profile = measure_loc::profile_command(argv, profile_options);
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
        std::snprintf(line, sizeof line, "  %-20s %-14s %4d / %4d / %4d   (%lld samples, %.2f%% failed)\n",
                      benchmark.name.c_str(), interpreter.label.c_str(), coverage[0].lines, coverage[1].lines,
                      coverage[2].lines, static_cast<long long>(profile.samples), profile.failed_percent());
        out << line;
        if (profile.exit_code != 0) {
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
