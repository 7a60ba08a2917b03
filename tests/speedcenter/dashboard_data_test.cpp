// tests/speedcenter/dashboard_data_test.cpp: the dashboard's aggregates (speedcenter/dashboard_data.cpp): ratios
// with CIs and geomean, SQL histograms and percentile curves, warmup and memory downsampling.
#include "speedcenter/dashboard_data.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <numeric>

#include "speedcenter/synthetic_data.h"
#include "test_db.h"

namespace {

using speedcenter::MetricCell;

TEST(Ratios, AgainstTheBaselineWithPropagatedCIsAndGeomean) {
  speedcenter::ComparisonData d;
  d.interpreters = {"base", "fast"};
  d.benchmarks = {"a", "b", "missing"};
  d.cells = {{MetricCell{2.0, 1.9, 2.1, {}}, MetricCell{1.0, 0.95, 1.05, {}}},
             {MetricCell{4.0, 4.0, 4.0, {}}, MetricCell{1.0, 1.0, 1.0, {}}},
             {MetricCell{}, MetricCell{1.0, {}, {}, {}}}};
  auto t = speedcenter::ratios_against(d, 0);
  ASSERT_EQ(t.interpreters, std::vector<std::string>{"fast"});
  ASSERT_EQ(t.categories.back(), "geomean");
  const auto& r = t.ratios[0];
  ASSERT_TRUE(r[0] && r[1]);
  EXPECT_DOUBLE_EQ(r[0]->value, 0.5);
  EXPECT_NEAR(r[0]->high - r[0]->value, 0.5 * std::hypot(0.05, 0.05), 1e-12);
  EXPECT_DOUBLE_EQ(r[1]->value, 0.25);
  EXPECT_FALSE(r[2]) << "a benchmark missing under the baseline has no ratio";
  EXPECT_NEAR(r[3]->value, std::sqrt(0.5 * 0.25), 1e-12);
}

TEST(DashboardData, DistributionAndPercentilesFromSql) {
  TempDatabase t;
  speedcenter::SyntheticWebRun web;
  web.samples_per_interpreter = 20000;
  std::int64_t run = speedcenter::write_synthetic_web_run(t.db(), web);
  EXPECT_EQ(speedcenter::latest_run(t.db()), run);
  auto results = speedcenter::run_results(t.db(), run, web.benchmark);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].kind, "web");
  auto d = speedcenter::sample_distribution(t.db(), results[0].result_id, 40, 200);
  EXPECT_EQ(d.sample_kind, "latency");
  EXPECT_EQ(d.samples, 18000);  // the first 10% of the run is warmup
  EXPECT_EQ(std::accumulate(d.counts.begin(), d.counts.end(), std::int64_t{0}), d.samples);
  ASSERT_GE(d.percentiles.size(), 200u);
  EXPECT_LE(d.percentiles.size(), 202u);
  for (size_t i = 1; i < d.percentiles.size(); ++i) {
    EXPECT_GE(d.percentiles[i].first, d.percentiles[i - 1].first);
    EXPECT_GE(d.percentiles[i].second, d.percentiles[i - 1].second);
  }
  EXPECT_DOUBLE_EQ(d.percentiles.back().first, 100.0);
  // The median of a lognormal with median 4 ms.
  auto median = std::find_if(d.percentiles.begin(), d.percentiles.end(), [](auto p) { return p.first >= 50; });
  EXPECT_NEAR(median->second, 0.004, 0.0003);
}

TEST(DashboardData, WarmupCurveIsBucketedAndMarksTheWarmupEnd) {
  TempDatabase t;
  speedcenter::SyntheticWebRun web;
  web.samples_per_interpreter = 20000;
  std::int64_t run = speedcenter::write_synthetic_web_run(t.db(), web);
  auto results = speedcenter::run_results(t.db(), run, web.benchmark);
  auto curve = speedcenter::warmup_curve(t.db(), results[0].result_id, 100);
  EXPECT_LE(curve.points.size(), 100u);
  EXPECT_GE(curve.points.size(), 90u);
  ASSERT_TRUE(curve.warmup_end);
  EXPECT_NEAR(*curve.warmup_end, 12.0, 0.1);
  // Buckets of ~180 samples: the first (3x slower while warming up) against one from the steady state.
  EXPECT_GT(curve.points.front().value, 2 * curve.points[curve.points.size() / 2].value) << "warmup is slower";
  auto memory = speedcenter::memory_curve(t.db(), results[1].result_id, 50);
  EXPECT_LE(memory.size(), 50u);
  EXPECT_GT(memory.back().value, memory.front().value);
}

TEST(DashboardData, ComparisonDataReadsMetricsOfARun) {
  TempDatabase t;
  speedcenter::SyntheticWebRun web;
  web.samples_per_interpreter = 1000;
  std::int64_t run = speedcenter::write_synthetic_web_run(t.db(), web);
  auto d = speedcenter::comparison_data(t.db(), run, "memory");
  ASSERT_EQ(d.benchmarks.size(), 1u);
  EXPECT_EQ(d.unit, "bytes");
  EXPECT_DOUBLE_EQ(*d.cells[0][1].value, 80.0 * 1024 * 1024);
}

}  // namespace
