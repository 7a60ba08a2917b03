// speedcenter/synthetic_data.h: histories and large runs with known properties, written through the real
// schema, for tests of the regression detector and for the dashboard's scale benchmark (a million samples).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "speedcenter/database.h"
#include "speedcenter/stats.h"

namespace speedcenter {

struct SyntheticHistory {
  std::string benchmark = "synthetic", interpreter = "cpython", machine = "synthetic-host";
  // A suite instead: every run holds each of these benchmarks under each of these interpreters (the step applies
  // to the first benchmark only; the others run at base_seconds times 1..2.5, later interpreters faster).
  std::vector<std::string> benchmarks, interpreters;
  int revisions = 12;
  double base_seconds = 0.1;
  double run_noise = 0.01;          // relative sd of a revision's mean from run to run
  double within_run_noise = 0.005;  // relative sd of one iteration around its run's mean
  int processes = 4, iterations = 5;
  std::optional<int> step_at;  // first revision (0-based) after the step
  double step = 0.05;          // relative change at step_at
  unsigned seed = 1;
  int resamples = 2000;  // of the metrics' bootstrap CIs (a suite of thousands of results may take fewer)
};
// One run per revision (labels r1..rN, commit dates one day apart from 2026-01-01); mean, median and p99 metrics with the
// process-level bootstrap CIs a real run of the written samples gets. Returns the run ids in revision order.
std::vector<std::int64_t> write_synthetic_history(const Database& db, const SyntheticHistory& spec);

struct SyntheticWebRun {
  std::string benchmark = "synthetic_web";
  std::vector<std::string> interpreters = {"cpython-3.8", "cpython-3.11"};
  std::int64_t samples_per_interpreter = 500000;
  double seconds = 120;  // length of the run (t of the last sample)
  unsigned seed = 7;
};
// One web run: latency samples with a warmup phase, a memory series per server and metrics; returns the run
// id.
std::int64_t write_synthetic_web_run(const Database& db, const SyntheticWebRun& spec);

// A measure_loc-style hot-line profile of `lines` lines with Zipf-like counts; returns the profile id.
std::int64_t write_synthetic_hot_lines(const Database& db, const std::string& target, int lines);

// Measured values of `processes` worker processes without a database: process means scatter by 5% around
// `true_mean`, values by 2% around their process's mean, as real workers' do (for tests and benchmarks of
// the statistics).
stats::Groups simulated_processes(int processes, int values, double true_mean, std::uint64_t seed);

}  // namespace speedcenter
