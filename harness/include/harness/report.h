// harness/report.h: reporters for a stored run: the console comparison table (like `pyperf compare_to`, plus the
// seeds' latency/memory/warmup table for web benchmarks) and JSON for machines. Both read a RunRecord.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>

#include "speedcenter/run_query.h"
#include "harness/stats.h"

namespace harness {

struct ComparisonRow {
  std::string benchmark;
  int candidate = 0;           // interpreter position compared against position 0
  bool available = false;      // both sides measured
  stats::Comparison comparison{};
  // Runs with --precision: the interleaved pairs' interval the stopping rule used, and whether it reached
  // the target.
  std::optional<stats::PairedSpeedup> sequential;
  bool precision_reached = false;
};

// Speedups of every interpreter against the first (the baseline), per benchmark, plus geometric means.
struct RunComparison {
  std::vector<ComparisonRow> rows;
  std::vector<stats::GeomeanResult> geomeans;  // per candidate position (index 0 unused)
  std::vector<int> geomean_benchmarks;         // benchmarks included per candidate
  double precision_target = 0;                 // the run's --precision as a fraction (0: fixed processes)
};
RunComparison compare_run(const speedcenter::RunRecord& run);

void print_comparison(std::ostream& out, const speedcenter::RunRecord& run, const RunComparison& comparison);
nlohmann::json comparison_json(const speedcenter::RunRecord& run, const RunComparison& comparison);

// A failure whose reason starts with this was not run on purpose (a pyperformance benchmark whose modules are
// missing); reports list it under "Skipped", not "Failures".
inline constexpr const char* kSkippedPrefix = "skipped: ";

// "105 ms", "62.3 us", "1.20 s"; "47.1 MB".
std::string format_seconds(double seconds);
std::string format_bytes(double bytes);

}  // namespace harness
