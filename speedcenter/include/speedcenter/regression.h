// speedcenter/regression.h: finding steps (regressions and improvements) in a metric's history.
//
// Method (binary segmentation with confidence intervals):
//  1. Each point i has a value x_i and a standard error s_i = (ci_high - ci_low) / (2 * 1.96) from its stored
//     95% CI. Run-to-run noise that a single run's CI cannot see (a different boot, a busy neighbour) is
//     estimated robustly from the whole series as sigma = MAD(x_{i+1} - x_i) / (0.6745 * sqrt 2); a step
//     contributes one outlying difference, which the median ignores. Each point's error is max(s_i, sigma).
//  2. A segment's mean is the inverse-variance weighted mean with standard error sqrt(1 / sum(1 / e_i^2)).
//  3. The split of a segment is where the weighted squared error of the two halves is smallest. It is a
//     step only when (a) the 95% CIs of the two halves' means do not overlap and (b) the relative change
//     |m_after - m_before| / m_before is at least `min_step` (default 2%).
//  4. Each side of a split holds at least `min_segment` points (default 2), so one outlying run at the end of
//     the history is not a step; accepted splits are searched again on both sides, so several steps are found.
// A step's CI is (m_after - m_before) +- 1.96 * sqrt(se_before^2 + se_after^2), relative to m_before.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "speedcenter/history.h"

namespace speedcenter {

struct StepOptions {
  double min_step = 0.02;         // smallest relative change reported
  double z = 1.96;                // CI width of segment means (95%)
  // Revisions on each side of a step. With 1, a single outlying run at either end of the history is reported
  // as a step too often; with 2 a step in the newest revision is reported once a second revision confirms it.
  size_t min_segment = 2;
};

struct Series {
  std::vector<double> values;
  std::vector<std::optional<double>> ci_low, ci_high;
};

struct Step {
  size_t index = 0;                // first point after the step
  double mean_before = 0, mean_after = 0;
  double ci_before_low = 0, ci_before_high = 0, ci_after_low = 0, ci_after_high = 0;
  double relative = 0;             // (after - before) / before
  double relative_ci_low = 0, relative_ci_high = 0;
};

// Steps in index order.
std::vector<Step> detect_steps(const Series& series, const StepOptions& options = {});

// A step found in a stored history, with the revisions around it. For time and memory metrics a positive
// step is a regression (slower / bigger); `regression` says so.
struct Regression {
  std::string benchmark, interpreter, machine, metric;
  Step step;
  HistoryPoint before, after;     // the last point before and the first after the step
  bool regression = false;
};

// Splits the history into series per (benchmark, interpreter, machine) and finds steps in each.
std::vector<Regression> find_regressions(const Database& db, const HistoryQuery& query,
                                         const StepOptions& options = {});

// For lower-is-better metrics (times, memory) an increase is a regression.
bool higher_is_worse(const std::string& metric);

}  // namespace speedcenter
