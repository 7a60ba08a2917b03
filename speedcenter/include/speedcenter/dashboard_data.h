// speedcenter/dashboard_data.h: what the dashboard views draw, aggregated and downsampled for display, so
// the GUI stays responsive on databases with millions of samples and the numbers are testable without Qt.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "speedcenter/database.h"

namespace speedcenter {

// --- Comparison: one run, every benchmark under every interpreter, one metric.
struct MetricCell {
  std::optional<double> value, ci_low, ci_high;
  std::optional<std::int64_t> processes;  // worker processes behind the value
};
struct ComparisonData {
  std::int64_t run_id = 0;
  std::string revision;  // the run's revision name ("" without one)
  std::vector<std::string> interpreters, benchmarks;
  std::vector<std::vector<MetricCell>> cells;  // [benchmark][interpreter]
  std::string unit;
};
// metric: a stored metric name or "memory" (peak_rss) / "warmup" (warmup_seconds, else derived from samples).
ComparisonData comparison_data(const Database& db, std::int64_t run_id, const std::string& metric);
// Two runs side by side: every interpreter of each, named "label (run N)", benchmarks of both (the run browser's
// "compare these two runs").
ComparisonData comparison_of_runs(const Database& db, std::int64_t first, std::int64_t second, const std::string& metric);

struct Ratio {
  double value = 0, low = 0, high = 0;
};
struct RatioTable {
  std::vector<std::string> interpreters;               // the non-baseline interpreters
  std::vector<std::string> categories;                 // benchmarks, then "geomean"
  std::vector<std::vector<std::optional<Ratio>>> ratios;  // [interpreter][category]
};
// value / baseline per benchmark; the CI propagates both relative CI half-widths; the geomean's CI propagates
// the per-benchmark ones (benchmarks missing under either interpreter are left out of it).
RatioTable ratios_against(const ComparisonData& data, size_t baseline);

// The newest run on `machine` (any when empty) holding `benchmark` (any when empty); 0 when none.
std::int64_t latest_run(const Database& db, const std::string& machine = {}, const std::string& benchmark = {});
// The newest run on `machine` comparing at least two interpreters; 0 when none.
std::int64_t latest_comparison_run(const Database& db, const std::string& machine = {});
// Results of a run for one benchmark, in interpreter order.
struct ResultRef {
  std::int64_t result_id = 0;
  std::string interpreter, kind;  // kind: 'batch' or 'web'
};
std::vector<ResultRef> run_results(const Database& db, std::int64_t run_id, const std::string& benchmark);

// --- Latency: distribution (histogram) and percentile curve of the measured samples of a result.
struct Distribution {
  std::string sample_kind;
  std::vector<double> bin_low, bin_high;
  std::vector<std::int64_t> counts;
  std::vector<std::pair<double, double>> percentiles;  // (percentile 0..100, value)
  std::int64_t samples = 0;
};
// bins <= 0 chooses from the sample count (5..60).
Distribution sample_distribution(const Database& db, std::int64_t result_id, int bins = 0, int curve_points = 200);

// --- Warmup: sample value against time since the worker started, bucketed to at most max_points.
struct TimePoint {
  double t = 0, value = 0;
};
struct WarmupCurve {
  std::vector<TimePoint> points;
  std::optional<double> warmup_end;  // seconds: where measured samples start (mean over processes)
};
WarmupCurve warmup_curve(const Database& db, std::int64_t result_id, int max_points = 400);

// --- Memory: RSS over time of the result's first process with a memory series (the server for web runs).
std::vector<TimePoint> memory_curve(const Database& db, std::int64_t result_id, int max_points = 1000);

// --- Hot lines (measure_loc).
struct HotLineProfileRef {
  std::int64_t id = 0;
  std::string target, interpreter, created_at;
};
std::vector<HotLineProfileRef> hot_line_profiles(const Database& db);
struct HotLine {
  int rank = 0;
  std::string filename;
  int line = 0;
  std::int64_t count = 0;
  double share = 0, cumulative = 0;
};
struct HotLines {
  std::int64_t samples = 0;
  std::vector<HotLine> lines;  // by rank
};
HotLines hot_lines(const Database& db, std::int64_t profile_id);

}  // namespace speedcenter
