// harness/gate.h: the regression gate: compares a candidate's stored results with a baseline's, benchmark by
// benchmark, on one metric, against per-benchmark thresholds; a regression is a CI entirely beyond the threshold.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "speedcenter/database.h"
#include "harness/stats.h"

namespace harness {

// time: wall seconds per iteration; cpu-time: the worker's CPU seconds per iteration (quieter under load).
enum class GateMetric { time, p99, rss, warmup, instructions, cpu_time };
GateMetric parse_gate_metric(const std::string& text);  // throws HarnessError
std::string gate_metric_name(GateMetric metric);

// "3%", "3", "0.5%" -> 0.03, 0.03, 0.005; throws HarnessError.
double parse_threshold(const std::string& text);

// Thresholds: per benchmark and metric from a TOML file, else per metric, else the default (--threshold).
//   threshold = "3%"            # every metric
//   [instructions]
//   threshold = "1%"            # this metric
//   nbody = "2%"                # this metric, this benchmark
struct GateThresholds {
  double fallback = 0.03;
  std::map<std::string, double> per_metric;
  std::map<std::string, std::map<std::string, double>> per_benchmark;  // metric -> benchmark -> threshold
  double for_benchmark(GateMetric metric, const std::string& benchmark) const;
};
GateThresholds load_gate_thresholds(const std::filesystem::path& toml_file, double fallback);

// One side of a comparison: a stored run (id, revision label or commit) and one interpreter of it, or a baseline
// file of exact counts (see save_gate_baseline).
struct GateSide {
  std::int64_t run_id = 0;
  std::string label;             // interpreter label within the run
  std::filesystem::path file;    // a baseline file instead of a run
  std::string describe() const {
    return file.empty() ? "run " + std::to_string(run_id) + " (" + label + ")" : file.filename().string();
  }
};
// REF[:LABEL]: REF is a run id, a revision label or a commit (prefix); LABEL picks an interpreter of that run
// (needed when the run has several). A REF ending in .json is a baseline file. Throws HarnessError.
GateSide resolve_gate_ref(const speedcenter::Database& db, const std::string& ref);

// What one benchmark measured on one side, for the chosen metric.
struct GateSample {
  stats::Groups groups;         // per worker process
  std::optional<double> exact;  // exact metrics (instructions): one value, no spread
  std::string error;            // why there is nothing (failed, missing)
  std::int64_t run_id = 0;      // the run it came from (0: a baseline file); same run on both sides = paired
};
std::map<std::string, GateSample> load_gate_samples(const speedcenter::Database& db, const GateSide& side,
                                                    GateMetric metric);

// Writes the side's exact counts (instructions) as a baseline file to commit:
//   {"metric": "instructions", "interpreter": ..., "version": ..., "run": ..., "benchmarks": {"nbody": 1.2e9}}
// Throws HarnessError when a benchmark failed or has no count.
void save_gate_baseline(const speedcenter::Database& db, const GateSide& side, const std::filesystem::path& file);

enum class Verdict { pass, regression, inconclusive };
struct GateRow {
  std::string benchmark;
  Verdict verdict = Verdict::inconclusive;
  double change = 0;     // candidate / baseline - 1 (positive = worse: slower, bigger, more instructions)
  stats::Interval ci;    // of change
  double threshold = 0;
  std::string note;      // why inconclusive without numbers
};
// Regression iff the CI's low end is beyond the threshold; pass iff its high end is within it.
// time and cpu-time: each process's fastest iteration; the median of the per-pair ratios (stats::paired_ratio)
// when both sides come from one interleaved run with as many processes, else the ratio of the sides' medians
// (stats::unpaired_ratio); rss and warmup: stats::compare (means); p99: bootstrap of the p99 ratio.
Verdict judge(const stats::Interval& change_ci, double threshold);
GateRow evaluate(const std::string& benchmark, GateMetric metric, const GateSample& base, const GateSample& candidate,
                 double threshold, const stats::BootstrapOptions& options = {});

// The suite's change: geometric mean of the benchmarks' ratios, minus 1. Its interval is the geometric mean of
// the rows' interval ends, which is conservative (as wide as if every benchmark erred the same way at once);
// exact metrics give a point. Inconclusive (with a note) when any row has no numbers.
GateRow geometric_mean_row(const std::vector<GateRow>& rows, double threshold);

struct GateReport {
  std::vector<GateRow> rows;
  std::optional<GateRow> geomean;  // set with --geomean: then it alone decides the exit code
  int exit_code() const;  // 0 all pass, 1 any regression, 2 any inconclusive (and no regression)
};
GateReport run_gate(const speedcenter::Database& db, const GateSide& baseline, const GateSide& candidate,
                    GateMetric metric, const GateThresholds& thresholds, bool geomean = false);

}  // namespace harness
