// Tests of speedcenter/stats.cpp against hand-computed values: descriptive statistics, Mann-Whitney U,
// process-level bootstrap intervals, comparisons, geometric means and warmup detection.
#include "speedcenter/stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "speedcenter/synthetic_data.h"

namespace speedcenter::stats {
namespace {

double width(const Interval& i) {
  return i.high - i.low;
}

TEST(Descriptive, MeanMedianStdev) {
  std::vector<double> v{2, 4, 4, 4, 5, 5, 7, 9};
  EXPECT_DOUBLE_EQ(mean(v), 5.0);
  EXPECT_DOUBLE_EQ(median(v), 4.5);
  // Squared deviations sum to 32 over n - 1 = 7 degrees of freedom.
  EXPECT_DOUBLE_EQ(stdev(v), std::sqrt(32.0 / 7.0));
  std::vector<double> odd{3, 1, 2};
  EXPECT_DOUBLE_EQ(median(odd), 2.0);
}

TEST(Descriptive, DegenerateInputs) {
  std::vector<double> one{7.5}, none;
  EXPECT_DOUBLE_EQ(stdev(one), 0.0);
  EXPECT_DOUBLE_EQ(median(one), 7.5);
  EXPECT_TRUE(std::isnan(mean(none)));
  EXPECT_TRUE(std::isnan(percentile(none, 50)));
  EXPECT_DOUBLE_EQ(stdev(none), 0.0);
}

TEST(Descriptive, PercentileInterpolatesLikeNumpy) {
  std::vector<double> v{50, 15, 40, 20, 35};  // unsorted on purpose
  EXPECT_DOUBLE_EQ(percentile(v, 0), 15.0);
  EXPECT_DOUBLE_EQ(percentile(v, 100), 50.0);
  EXPECT_DOUBLE_EQ(percentile(v, 40), 29.0);  // rank 1.6: 20 + 0.6 * (35 - 20)
  EXPECT_DOUBLE_EQ(percentile(v, 90), 46.0);  // rank 3.6: 40 + 0.6 * (50 - 40)
  std::vector<double> hundred;
  for (int i = 1; i <= 100; ++i) hundred.push_back(i);
  EXPECT_NEAR(percentile(hundred, 99), 99.01, 1e-12);
  EXPECT_NEAR(percentile(hundred, 90), 90.1, 1e-12);
}

TEST(Descriptive, MedianAbsoluteDeviationIgnoresOneOutlier) {
  // median 3; deviations 2, 1, 0, 1, 97 -> median 1. The outlier moves it no more than a fifth ordinary value
  // would.
  std::vector<double> v{1, 2, 3, 4, 100};
  EXPECT_DOUBLE_EQ(median_absolute_deviation(v), 1.0);
  std::vector<double> even{1, 2, 4, 8};  // median 3; deviations 2, 1, 1, 5 -> (1 + 2) / 2
  EXPECT_DOUBLE_EQ(median_absolute_deviation(even), 1.5);
  std::vector<double> none;
  EXPECT_TRUE(std::isnan(median_absolute_deviation(none)));
}

TEST(Descriptive, FlattenKeepsEveryValueInOrder) {
  Groups g{{1, 2}, {}, {3}};
  EXPECT_EQ(flatten(g), (std::vector<double>{1, 2, 3}));
}

TEST(MannWhitney, TextbookExample) {
  // Five males vs four females: U = 17; scipy.stats.mannwhitneyu(method="asymptotic") gives 0.1113468865.
  std::vector<double> males{19, 22, 16, 29, 24}, females{20, 11, 17, 12};
  EXPECT_NEAR(mann_whitney_p(males, females), 0.11134688653314041, 1e-12);
  EXPECT_NEAR(mann_whitney_p(females, males), 0.11134688653314041, 1e-12);
}

TEST(MannWhitney, TiesAreCorrected) {
  // Ranks 1, 3, 3 | 3, 5, 6: U = 1, variance = 9/12 * (7 - 24/30) = 4.65, z = (3.5 - 0.5) / sqrt(4.65).
  std::vector<double> a{1, 2, 2}, b{2, 3, 4};
  EXPECT_NEAR(mann_whitney_p(a, b), 0.16415972847851523, 1e-12);
  std::vector<double> same{5, 5, 5};
  EXPECT_DOUBLE_EQ(mann_whitney_p(same, same), 1.0);
}

TEST(MannWhitney, SeparatedSamplesAreSignificant) {
  std::vector<double> low{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, high{11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
  // U = 0: z = (50 - 0.5) / sqrt(100 * 21 / 12).
  EXPECT_NEAR(mann_whitney_p(low, high), std::erfc(49.5 / std::sqrt(175.0) / std::sqrt(2.0)), 1e-12);
  EXPECT_LT(mann_whitney_p(low, high), 0.001);
}

TEST(Bootstrap, ResamplesWholeProcesses) {
  // Two processes, each perfectly steady but at different levels. Resampling values would give a narrow
  // interval around 1.5; resampling processes must allow either process alone (means 1.0 and 2.0).
  Groups g{std::vector<double>(100, 1.0), std::vector<double>(100, 2.0)};
  Interval ci = bootstrap_ci(g, mean);
  EXPECT_DOUBLE_EQ(ci.low, 1.0);
  EXPECT_DOUBLE_EQ(ci.high, 2.0);
}

TEST(Bootstrap, ContainsTrueMeanAndShrinksWithMoreProcesses) {
  Groups few = simulated_processes(5, 20, 1.0, 1);
  Groups many = simulated_processes(80, 20, 1.0, 2);
  Interval few_ci = bootstrap_ci(few, mean), many_ci = bootstrap_ci(many, mean);
  EXPECT_LE(few_ci.low, 1.0);
  EXPECT_GE(few_ci.high, 1.0);
  EXPECT_LE(many_ci.low, 1.0);
  EXPECT_GE(many_ci.high, 1.0);
  // 16x the processes: the interval narrows by about 4x.
  EXPECT_LT(width(many_ci), width(few_ci) / 2);
  EXPECT_GT(width(many_ci), 0.0);
}

TEST(Bootstrap, IsDeterministicPerSeed) {
  Groups g = simulated_processes(10, 10, 3.0, 7);
  Interval a = bootstrap_ci(g, mean), b = bootstrap_ci(g, mean);
  EXPECT_EQ(a.low, b.low);
  EXPECT_EQ(a.high, b.high);
  BootstrapOptions other;
  other.seed = 999;
  Interval c = bootstrap_ci(g, mean, other);
  EXPECT_TRUE(c.low != a.low || c.high != a.high);
}

TEST(Bootstrap, SingleProcessStillHasAnInterval) {
  Groups g{{1.0, 1.1, 0.9, 1.05, 0.95, 1.0, 1.02, 0.98}};
  Interval ci = bootstrap_ci(g, mean);
  EXPECT_GT(width(ci), 0.0);
  EXPECT_LE(ci.low, 1.0);
  EXPECT_GE(ci.high, 1.0);
}

TEST(Summarize, FillsEveryField) {
  Groups g{{1, 2, 3}, {4, 5}, {}};
  Summary s = summarize(g);
  EXPECT_EQ(s.n, 5u);
  EXPECT_EQ(s.processes, 2u);
  EXPECT_DOUBLE_EQ(s.mean, 3.0);
  EXPECT_DOUBLE_EQ(s.median, 3.0);
  EXPECT_DOUBLE_EQ(s.p50, 3.0);
  EXPECT_DOUBLE_EQ(s.p90, 4.6);
  EXPECT_DOUBLE_EQ(s.p99, 4.96);
  EXPECT_DOUBLE_EQ(s.min, 1.0);
  EXPECT_DOUBLE_EQ(s.max, 5.0);
  EXPECT_DOUBLE_EQ(s.stdev, std::sqrt(2.5));
  // Resampling the two processes gives {1,2,3} x2 (mean 2), {4,5} x2 (4.5) or both (3).
  EXPECT_DOUBLE_EQ(s.mean_ci.low, 2.0);
  EXPECT_DOUBLE_EQ(s.mean_ci.high, 4.5);
  EXPECT_LE(s.p99_ci.low, s.p99);
  EXPECT_GE(s.p99_ci.high, s.p99);
}

TEST(Summarize, EmptyGroupsGiveZeroCounts) {
  Summary s = summarize(Groups{});
  EXPECT_EQ(s.n, 0u);
  EXPECT_EQ(s.processes, 0u);
}

TEST(Compare, ClearlyFasterCandidateIsSignificant) {
  Groups base = simulated_processes(10, 20, 2.0, 11), candidate = simulated_processes(10, 20, 1.0, 12);
  Comparison c = compare(base, candidate);
  EXPECT_NEAR(c.speedup, 2.0, 0.1);
  EXPECT_GT(c.speedup_ci.low, 1.5);
  EXPECT_LT(c.speedup_ci.high, 2.5);
  EXPECT_LE(c.speedup_ci.low, c.speedup);
  EXPECT_GE(c.speedup_ci.high, c.speedup);
  EXPECT_TRUE(c.significant);
  EXPECT_LT(c.p_value, 0.001);
  // The other way round it is a slowdown, also significant.
  Comparison reverse = compare(candidate, base);
  EXPECT_NEAR(reverse.speedup, 0.5, 0.03);
  EXPECT_LT(reverse.speedup_ci.high, 1.0);
  EXPECT_TRUE(reverse.significant);
}

TEST(Compare, IdenticalGroupsAreNotSignificant) {
  Groups base = simulated_processes(10, 20, 1.0, 21);
  Comparison same = compare(base, base);
  EXPECT_DOUBLE_EQ(same.speedup, 1.0);
  EXPECT_LT(same.speedup_ci.low, 1.0);
  EXPECT_GT(same.speedup_ci.high, 1.0);
  EXPECT_FALSE(same.significant);
  EXPECT_DOUBLE_EQ(same.p_value, 1.0);
  // Two independent samples of the same distribution: no difference to find.
  Comparison twins = compare(base, simulated_processes(10, 20, 1.0, 22));
  EXPECT_FALSE(twins.significant);
  EXPECT_GT(twins.p_value, 0.05);
}

TEST(Geomean, OfKnownRatios) {
  auto constant = [](double v) { return Groups{{v, v}, {v, v}, {v, v}}; };
  // Speedups 2, 8 and 1/4: geometric mean = cbrt(4).
  std::vector<std::pair<Groups, Groups>> pairs{
      {constant(2.0), constant(1.0)}, {constant(8.0), constant(1.0)}, {constant(1.0), constant(4.0)}};
  GeomeanResult g = geometric_mean_speedup(pairs);
  EXPECT_NEAR(g.value, std::cbrt(4.0), 1e-12);
  // Noise-free processes: the interval collapses onto the value.
  EXPECT_NEAR(g.ci.low, g.value, 1e-12);
  EXPECT_NEAR(g.ci.high, g.value, 1e-12);
}

TEST(Geomean, NoisyBenchmarksGiveAnIntervalAroundTheValue) {
  std::vector<std::pair<Groups, Groups>> pairs;
  for (int b = 0; b < 16; ++b)
    pairs.emplace_back(simulated_processes(6, 10, 1.5, 100 + b), simulated_processes(6, 10, 1.0, 200 + b));
  GeomeanResult g = geometric_mean_speedup(pairs);
  EXPECT_NEAR(g.value, 1.5, 0.05);
  EXPECT_LT(g.ci.low, g.value);
  EXPECT_GT(g.ci.high, g.value);
  EXPECT_GT(g.ci.low, 1.4);
  EXPECT_LT(g.ci.high, 1.6);
}

TEST(Ratio, TrimmedMeanDropsBothEnds) {
  std::vector<double> v{100, 1, 2, 3, 4, 5, 6, 7, -50};  // 9 values: trim 0.25 drops floor(2.25) = 2 each end
  EXPECT_DOUBLE_EQ(trimmed_mean(v, 0.25), (2 + 3 + 4 + 5 + 6) / 5.0);
  EXPECT_DOUBLE_EQ(trimmed_mean(v, 0), mean(v));
  EXPECT_DOUBLE_EQ(trimmed_mean(v, 0.5), 4.0);  // the median
  std::vector<double> even{1, 2, 3, 40};
  EXPECT_DOUBLE_EQ(trimmed_mean(even, 0.5), 2.5);
  std::vector<double> three{1, 2, 30};  // floor(0.75) = 0: nothing dropped
  EXPECT_DOUBLE_EQ(trimmed_mean(three, 0.25), 11.0);
  EXPECT_TRUE(std::isnan(trimmed_mean(std::vector<double>{}, 0.25)));
}

TEST(Ratio, ProcessMinimumsAreEachProcesssFastestValue) {
  Groups g{{1.2, 1.1, 9}, {2, 2, 2, 50}, {}};
  EXPECT_EQ(process_minimums(g), (std::vector<double>{1.1, 2}));
}

TEST(Ratio, PairedRatioOfHandComputedPairs) {
  // Per-pair ratios 1.04, 1.05, 1.06, 1.05; load drifts 2x between pairs, which pairing cancels. The
  // interquartile mean of the 4 logs drops one at each end: exp(mean(log 1.05, log 1.05)) = 1.05.
  std::vector<double> base{1.0, 2.0, 1.0, 2.0}, cand{1.04, 2.10, 1.06, 2.10};
  RatioEstimate r = paired_ratio(base, cand, 0.25);
  EXPECT_NEAR(r.ratio, 1.05, 1e-12);
  EXPECT_GE(r.ci.low, 1.04 - 1e-12);
  EXPECT_LE(r.ci.high, 1.06 + 1e-12);
  EXPECT_NEAR(paired_ratio(base, cand, 0.5).ratio, 1.05, 1e-12);  // median of the logs: the middle two
  // Unpaired, the 2x drift swamps a 5% difference: the interval is far wider.
  RatioEstimate u = unpaired_ratio(base, cand, 0.25);
  EXPECT_NEAR(u.ratio, (2.10 + 1.06) / 2 / 1.5, 1e-12);  // trimmed means of the sorted values (middle two)
  EXPECT_GT(u.ci.high - u.ci.low, 5 * (r.ci.high - r.ci.low));
}

TEST(Ratio, PairedIdenticalSidesGiveExactlyOne) {
  std::vector<double> v = process_minimums(simulated_processes(10, 5, 1.0, 3));
  RatioEstimate r = paired_ratio(v, v, 0.5);
  EXPECT_DOUBLE_EQ(r.ratio, 1.0);
  EXPECT_DOUBLE_EQ(r.ci.low, 1.0);
  EXPECT_DOUBLE_EQ(r.ci.high, 1.0);
}

TEST(Ratio, FewerThanTwoProcessesIsNaN) {
  std::vector<double> one{1};
  EXPECT_TRUE(std::isnan(paired_ratio(one, one, 0.5).ratio));
  EXPECT_TRUE(std::isnan(unpaired_ratio(one, one, 0.5).ci.low));
}

TEST(Warmup, DecayingSeriesSettlesWhereHandComputed) {
  // 1 + 2 e^(-i/20), n = 1000, window 10: the window starting at i has excess 1.6135 e^(-i/20) over the
  // steady state 1.0, inside the 5% band from i = 70 on.
  std::vector<double> series;
  for (int i = 0; i < 1000; ++i) series.push_back(1.0 + 2.0 * std::exp(-i / 20.0));
  auto index = warmup_index(series);
  ASSERT_TRUE(index.has_value());
  EXPECT_EQ(*index, 70u);
}

TEST(Warmup, StepSeriesEndsAtTheStep) {
  std::vector<double> series(100, 2.0);
  series.insert(series.end(), 300, 1.0);
  auto index = warmup_index(series);
  ASSERT_TRUE(index.has_value());
  EXPECT_EQ(*index, 100u);  // window 4: every window starting before 100 holds a 2.0
}

TEST(Warmup, FlatNoisySeriesHasNoWarmup) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> noise(-0.02, 0.02);
  std::vector<double> series;
  for (int i = 0; i < 500; ++i) series.push_back(1.0 + noise(rng));
  EXPECT_FALSE(warmup_index(series).has_value());
  EXPECT_FALSE(warmup_index(std::vector<double>{}).has_value());
}

}  // namespace
}  // namespace speedcenter::stats
