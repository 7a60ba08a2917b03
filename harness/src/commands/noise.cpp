// harness/commands/noise.cpp: `noise INTERPRETER`: A/A comparisons (the same interpreter twice, interleaved) in
// time and instruction modes, giving each benchmark's noise floor and a suggested gate threshold (TOML).
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "command.h"
#include "harness/analysis.h"
#include "harness/benchmark.h"
#include "harness/error.h"
#include "harness/gate.h"
#include "harness/progress_line.h"
#include "harness/result_store.h"
#include "harness/runner.h"

namespace harness {
namespace {

struct NoiseOptions {
  std::string interpreter, benchmarks = "micro", mode = "both", write_config, size;
  std::vector<std::string> benchmark_dirs;
  RunOptions run;
  int instruction_processes = 1;
};

struct NoiseRow {
  std::string benchmark, metric;
  GateRow row;
  double floor = 0, suggested = 0;
};

// Measures A=interpreter and B=interpreter interleaved, stores the run, returns its id.
std::int64_t measure_aa(const NoiseOptions& o, const RunOptions& options, const CommonOptions& common,
                        speedcenter::Database& db, ProgressLine& progress) {
  std::vector<Interpreter> interpreters = {probe_interpreter(parse_interpreter_spec("A=" + o.interpreter)),
                                           // The store keys results by interpreter command: B must differ; -X is ignored.
                                           probe_interpreter(parse_interpreter_spec("B=" + o.interpreter + " -X pb_aa"))};
  std::vector<Benchmark> benchmarks = select_benchmarks(full_catalogue(o.benchmark_dirs), o.benchmarks);
  ResultStore store(db);
  nlohmann::json stored = {{"processes", options.processes}, {"iterations", options.iterations},
                           {"warmups", options.warmups},     {"instructions", options.instructions},
                           {"benchmarks", o.benchmarks},     {"noise", true},
                           {"size", options.size},           {"sizes", options.sizes}};
  std::int64_t run_id = store.begin_run(interpreters, common.command_line, stored, std::nullopt);
  progress.note("noise run " + std::to_string(run_id) + (options.instructions ? " (instructions)" : " (time)"));
  RunCallbacks callbacks;
  callbacks.on_progress = [&](const Progress& p) { progress.show(p); };
  callbacks.on_benchmark_done = [&](const BenchmarkOutcome& outcome) {
    std::vector<ResultAnalysis> analyses;
    for (const auto& i : outcome.per_interpreter) analyses.push_back(analyse(i));
    store.record_benchmark(outcome, analyses);
  };
  bool completed = run_benchmarks(benchmarks, interpreters, options, callbacks);
  progress.clear();
  store.finish_run(completed ? "complete" : "incomplete");
  if (!completed) throw HarnessError("interrupted");
  return run_id;
}

// The threshold an A/A comparison clears with a margin: twice the floor, at least `minimum`, in 0.5% steps.
double suggest(double floor, double minimum) { return std::max(minimum, std::ceil(floor * 2 * 200) / 200); }

// One A/A run (instructions, or time: then judged on both wall time and CPU time), one row per benchmark and metric.
std::vector<NoiseRow> noise_for(bool instructions, const NoiseOptions& o, const CommonOptions& common,
                                speedcenter::Database& db, ProgressLine& progress) {
  RunOptions options = o.run;
  options.instructions = instructions;
  if (options.instructions) options.processes = o.instruction_processes;
  std::int64_t run_id = measure_aa(o, options, common, db, progress);
  std::vector<GateMetric> metrics = instructions ? std::vector{GateMetric::instructions}
                                                 : std::vector{GateMetric::time, GateMetric::cpu_time};
  std::vector<NoiseRow> rows;
  for (GateMetric metric : metrics) {
    GateReport report = run_gate(db, {run_id, "A", {}}, {run_id, "B", {}}, metric, GateThresholds{});
    for (const auto& r : report.rows) {
      NoiseRow n{r.benchmark, gate_metric_name(metric), r, std::max(std::fabs(r.ci.low), std::fabs(r.ci.high)), 0};
      n.suggested = suggest(n.floor, instructions ? 0.005 : 0.01);
      rows.push_back(n);
    }
  }
  return rows;
}

std::string toml_config(const std::vector<NoiseRow>& rows) {
  std::string out = "# pyston-bench gate thresholds suggested by `pyston-bench noise` (2x the A/A noise floor)\n";
  std::string metric;
  for (const auto& r : rows) {
    if (r.metric != metric) out += "\n[" + (metric = r.metric) + "]\n";
    char line[128];
    std::snprintf(line, sizeof line, "%s = \"%.1f%%\"  # noise floor %.2f%%\n", r.benchmark.c_str(),
                  r.suggested * 100, r.floor * 100);
    out += line;
  }
  return out;
}

int noise(const NoiseOptions& o, const CommonOptions& common) {
  if (o.mode != "time" && o.mode != "instructions" && o.mode != "both")
    throw HarnessError("unknown --mode '" + o.mode + "'", "use time, instructions or both");
  NoiseOptions options = o;
  if (!o.size.empty()) parse_size_option(o.size, options.run);
  speedcenter::Database db(common.db_path());
  ProgressLine progress;
  std::vector<NoiseRow> rows;
  for (bool instructions : {false, true}) {
    if (o.mode != "both" && o.mode != (instructions ? "instructions" : "time")) continue;
    auto part = noise_for(instructions, options, common, db, progress);
    rows.insert(rows.end(), part.begin(), part.end());
  }
  std::printf("%-22s %-13s %-10s %-24s %-12s %s\n", "benchmark", "mode", "A/A", "95% CI", "noise floor",
              "suggested threshold");
  for (const auto& r : rows) {
    if (!r.row.note.empty()) {
      std::printf("%-22s %-13s %s\n", r.benchmark.c_str(), r.metric.c_str(), r.row.note.c_str());
      continue;
    }
    std::printf("%-22s %-13s %+8.2f%%  [%+.2f%%, %+.2f%%]%*s %6.2f%%      %.1f%%\n", r.benchmark.c_str(),
                r.metric.c_str(), r.row.change * 100, r.row.ci.low * 100, r.row.ci.high * 100, 4, "", r.floor * 100,
                r.suggested * 100);
  }
  if (!o.write_config.empty()) {
    std::ofstream(o.write_config) << toml_config(rows);
    std::printf("wrote %s (use with `pyston-bench gate --config %s`)\n", o.write_config.c_str(),
                o.write_config.c_str());
  }
  return kExitOk;
}

}  // namespace

void add_noise_commands(CLI::App& app, const CommonOptions& common, CommandAction& action) {
  static NoiseOptions o;
  auto* cmd = app.add_subcommand("noise", "A/A comparisons: each benchmark's noise floor and a suggested threshold");
  cmd->add_option("interpreter", o.interpreter, "interpreter to compare with itself")->required();
  cmd->add_option("-b,--benchmarks", o.benchmarks, "benchmarks or suites (default: micro)");
  cmd->add_option("--mode", o.mode, "time (wall and CPU time of one run), instructions or both")
      ->capture_default_str();
  cmd->add_option("-p,--processes", o.run.processes, "time mode: processes per side")->capture_default_str();
  cmd->add_option("-n,--iterations", o.run.iterations, "measured iterations per process")->capture_default_str();
  cmd->add_option("-w,--warmups", o.run.warmups, "unmeasured iterations per process first")->capture_default_str();
  cmd->add_option("--size", o.size, "work per iteration: N, or NAME=N,NAME=N per benchmark (default: each's own)");
  cmd->add_option("--timeout", o.run.timeout_seconds, "seconds before a worker is killed")->capture_default_str();
  cmd->add_option("--instruction-processes", o.instruction_processes, "instruction mode: processes per side")
      ->capture_default_str();
  cmd->add_option("--write-config", o.write_config, "write the suggested thresholds as a gate --config TOML file");
  cmd->add_option("--benchmark-dir", o.benchmark_dirs, "extra folder of workloads (subfolders with manifest.json)");
  cmd->callback([&common, &action] { action = [&common] { return noise(o, common); }; });
}

}  // namespace harness
