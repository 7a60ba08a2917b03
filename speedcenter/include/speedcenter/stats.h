// speedcenter/stats.h: the one statistics module: summaries, percentiles, bootstrap confidence intervals that
// resample whole processes, comparisons (speedup with CI, Mann-Whitney U), geometric means and warmup
// detection. Every summary and interval pyston-bench stores or prints comes from here (runs, pyperf imports,
// regressions).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace speedcenter::stats {

struct Interval {
  double low = 0, high = 0;
};
using Groups = std::vector<std::vector<double>>;  // values per worker process

// mean, median and percentile of no values are NaN.
double mean(std::span<const double> values);
double median(std::span<const double> values);
double stdev(std::span<const double> values);  // sample stdev (n-1); 0 for n < 2
// p in [0, 100], linear interpolation between closest ranks (numpy's default).
double percentile(std::span<const double> values, double p);
// Median of the absolute deviations from the median (unscaled: multiply by 1.4826 for a normal sigma); NaN
// for no values. Robust to a few outliers, such as the one step in a history of successive differences.
double median_absolute_deviation(std::span<const double> values);
std::vector<double> flatten(const Groups& groups);

struct Summary {
  size_t n = 0, processes = 0;
  double mean = 0, median = 0, stdev = 0, min = 0, max = 0, p50 = 0, p90 = 0, p99 = 0;
  Interval mean_ci, p50_ci, p99_ci;
};
struct BootstrapOptions {
  int resamples = 2000;
  double confidence = 0.95;
  std::uint64_t seed = 12345;
};

// CIs by bootstrap resampling whole processes (percentile intervals). A side with a single process has no
// between-process variation, so its values are resampled instead of reporting a zero-width interval.
Summary summarize(const Groups& groups, const BootstrapOptions& options = {});
Interval bootstrap_ci(const Groups& groups, const std::function<double(std::span<const double>)>& statistic,
                      const BootstrapOptions& options = {});

struct Comparison {
  double speedup = 0;
  Interval speedup_ci;
  double p_value = 1;
  bool significant = false;
};
// speedup = mean(base) / mean(candidate) (time-like metrics: > 1 means the candidate is faster); CI by
// resampling processes of both sides independently; significant iff the CI excludes 1.0. p_value: two-sided
// Mann-Whitney U (normal approximation with tie correction) on per-process means, informational.
Comparison compare(const Groups& base, const Groups& candidate, const BootstrapOptions& options = {});
double mann_whitney_p(std::span<const double> a, std::span<const double> b);

// Geometric mean of speedups across benchmarks, CI by a joint bootstrap (resampling processes per benchmark).
struct GeomeanResult {
  double value = 0;
  Interval ci;
};
GeomeanResult geometric_mean_speedup(
    const std::vector<std::pair<Groups, Groups>>& base_candidate_per_benchmark,
    const BootstrapOptions& options = {});

// The gate's ratio candidate / baseline of a time-like metric, built to survive a loaded machine, from one
// value per process (the gate uses each process's fastest iteration: the least disturbed one). Paired (the
// two sides ran interleaved, process i of each side one after the other): exp of the trimmed mean of the log
// ratios log(candidate_i / baseline_i), CI by bootstrap over pairs, so load that drifts over seconds cancels
// within each pair. Unpaired: the ratio of the sides' trimmed means, each side resampled independently.
// `trim` is the fraction dropped at each end (0.25: the interquartile mean; 0.5: the median). Needs 2
// processes a side.
struct RatioEstimate {
  double ratio = 0;
  Interval ci;
};
// Drops floor(n * trim) values at each end, keeping at least 1 (2 when n is even).
double trimmed_mean(std::span<const double> values, double trim);
std::vector<double> process_minimums(const Groups& groups);
RatioEstimate paired_ratio(std::span<const double> base, std::span<const double> candidate, double trim,
                           const BootstrapOptions& options = {});
RatioEstimate unpaired_ratio(std::span<const double> base, std::span<const double> candidate, double trim,
                             const BootstrapOptions& options = {});

// Precision as a target (`compare --precision P`): the speedup of interleaved process pairs. Pair i is
// process i of the baseline and process i of the candidate, run one after the other, so drift that lasts
// seconds cancels within the pair. Each pair gives d_i = log(mean(base_i) / mean(candidate_i)); the speedup is
// exp(mean d) and its interval exp(mean d -+ t * sd(d) / sqrt(n)) with Student's t on n - 1 degrees of
// freedom. `width` is the interval's full width relative to the speedup, (high - low) / speedup.
struct PairedSpeedup {
  double speedup = 0;
  Interval ci;
  double width = 0;  // +inf with fewer than 2 pairs
  size_t pairs = 0;
};
PairedSpeedup paired_speedup(std::span<const double> base_process_means,
                             std::span<const double> candidate_process_means, double confidence = 0.95);
std::vector<double> process_means(const Groups& groups);
// Two-sided quantile of Student's t: P(|T| <= q) = confidence, exact for integer degrees of freedom >= 1.
double student_t_quantile(double confidence, int degrees_of_freedom);

// The stopping rule: measure at least `min_pairs` pairs, then after each new pair stop as soon as the interval
// at `look_confidence` is narrower than the target, or the budget is spent. Looking after every pair and
// stopping on a narrow interval favours samples whose spread happens to be small, so an interval at 95% taken
// at the stopping time covers less than 95% (93.9% in the simulation below, with 6 pairs first). The rule
// therefore computes, and reports, its interval at a higher level chosen by simulation
// (tests/speedcenter/precision_rule_test.cpp: A/A runs, noise like the development VM's 50-110 ms
// iterations): with 6 pairs first and a 98% t interval the reported interval covers the true ratio in
// 96.5% of runs at worst over the targets tried, for about 40% more pairs than the naive rule; 99% covers
// 98.5% for 75% more pairs. A group-sequential alpha-spending design would need the number of looks fixed in
// advance, which a time budget does not give.
struct SequentialRule {
  size_t min_pairs = 6;
  double look_confidence = 0.98;
};
inline constexpr SequentialRule kPrecisionRule{};
// The interval the rule reports after the pairs measured so far.
PairedSpeedup sequential_speedup(std::span<const double> base_process_means,
                                 std::span<const double> candidate_process_means,
                                 const SequentialRule& rule = kPrecisionRule);
bool precision_reached(const PairedSpeedup& interval, double target_width, const SequentialRule& rule = kPrecisionRule);

// Warmup (the seeds' "time to 95% of peak"): window = max(1, n/100), steady state = mean of the last 25%;
// the index of the first point after which the rolling mean stays within `tolerance` of the steady state, or
// nullopt when the series never leaves the band (not distinguishable from noise). A result of n - window + 1
// means even the last window is outside the band (the series never settled).
std::optional<size_t> warmup_index(std::span<const double> series, double tolerance = 0.05);

}  // namespace speedcenter::stats
