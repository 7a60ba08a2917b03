// harness/analysis.h: from raw worker measurements to the derived metrics that are stored and reported.
#pragma once

#include <string>
#include <vector>

#include "harness/measurement.h"
#include "harness/runner.h"
#include "harness/stats.h"

namespace harness {

struct ResultAnalysis {
  std::string sample_kind;   // "iteration" or "latency"
  stats::Groups groups;      // measured (non-warmup) values per worker process
  stats::Summary summary;
  std::vector<Metric> metrics;
};

// Analyses one benchmark under one interpreter (only its successful workers).
ResultAnalysis analyse(const InterpreterOutcome& outcome, const stats::BootstrapOptions& options = {});

const Metric* find_metric(const std::vector<Metric>& metrics, const std::string& name);

}  // namespace harness
