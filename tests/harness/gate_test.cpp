// Tests the gate's judgement (harness/src/gate.cpp): thresholds from the command line and TOML files, the
// verdict rule (regression only when the whole CI is beyond the threshold), and each metric's comparison.
#include "harness/gate.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "harness/error.h"
#include "test_support.h"

namespace harness {
namespace {

// `processes` groups of `n` values around `mean` with relative noise `spread`.
stats::Groups noisy(double mean, double spread, int processes, int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> d(mean, mean * spread);
  stats::Groups groups(processes);
  for (auto& g : groups)
    for (int i = 0; i < n; ++i) g.push_back(d(rng));
  return groups;
}

GateSample sample(stats::Groups groups) {
  GateSample s;
  s.groups = std::move(groups);
  return s;
}

GateSample exact(double value) {
  GateSample s;
  s.exact = value;
  return s;
}

TEST(GateTest, ThresholdsAreParsedAsPercentages) {
  EXPECT_DOUBLE_EQ(parse_threshold("3%"), 0.03);
  EXPECT_DOUBLE_EQ(parse_threshold("0.5%"), 0.005);
  EXPECT_DOUBLE_EQ(parse_threshold("5"), 0.05);
  EXPECT_THROW(parse_threshold("three"), HarnessError);
  EXPECT_THROW(parse_threshold("-1%"), HarnessError);
  EXPECT_THROW(parse_threshold("3%%"), HarnessError);
}

TEST(GateTest, VerdictNeedsTheWholeIntervalBeyondTheThreshold) {
  EXPECT_EQ(judge({0.031, 0.06}, 0.03), Verdict::regression);
  EXPECT_EQ(judge({0.02, 0.04}, 0.03), Verdict::inconclusive);
  EXPECT_EQ(judge({-0.01, 0.03}, 0.03), Verdict::pass);
  EXPECT_EQ(judge({-0.20, -0.10}, 0.03), Verdict::pass);  // faster is never a regression
}

TEST(GateTest, ExactCountsAreComparedWithoutSpread) {
  GateRow more = evaluate("b", GateMetric::instructions, exact(1e9), exact(1.05e9), 0.03);
  EXPECT_EQ(more.verdict, Verdict::regression);
  EXPECT_NEAR(more.change, 0.05, 1e-12);
  EXPECT_EQ(more.ci.low, more.ci.high);
  EXPECT_EQ(evaluate("b", GateMetric::instructions, exact(1e9), exact(1e9), 0.03).verdict, Verdict::pass);
  EXPECT_EQ(evaluate("b", GateMetric::instructions, exact(1e9), exact(1.029e9), 0.03).verdict, Verdict::pass);
}

TEST(GateTest, TimeRegressionBeyondTheNoiseFails) {
  auto base = sample(noisy(1.0, 0.01, 6, 5, 1)), slower = sample(noisy(1.10, 0.01, 6, 5, 2));
  GateRow row = evaluate("b", GateMetric::time, base, slower, 0.03);
  EXPECT_EQ(row.verdict, Verdict::regression);
  EXPECT_NEAR(row.change, 0.10, 0.02);
  EXPECT_GT(row.ci.low, 0.03);
}

TEST(GateTest, AATimeComparisonWithinTheNoisePasses) {
  for (unsigned seed = 0; seed < 20; ++seed) {
    GateRow row = evaluate("b", GateMetric::time, sample(noisy(1.0, 0.01, 6, 5, seed)),
                           sample(noisy(1.0, 0.01, 6, 5, seed + 100)), 0.03);
    EXPECT_EQ(row.verdict, Verdict::pass) << "seed " << seed << ": " << row.change;
  }
}

TEST(GateTest, NoisyDataStraddlingTheThresholdIsInconclusive) {
  // The candidate is the baseline made exactly 3% slower: the estimate sits on the threshold, the CI around it.
  stats::Groups base = noisy(1.0, 0.15, 4, 3, 7), candidate = base;
  for (auto& g : candidate)
    for (double& v : g) v *= 1.03;
  GateRow row = evaluate("b", GateMetric::time, sample(base), sample(candidate), 0.03);
  EXPECT_NEAR(row.change, 0.03, 1e-9);
  EXPECT_EQ(row.verdict, Verdict::inconclusive) << row.ci.low << " " << row.ci.high;
}

TEST(GateTest, CpuTimeIsAMetricOfItsOwn) {
  EXPECT_EQ(parse_gate_metric("cpu-time"), GateMetric::cpu_time);
  EXPECT_EQ(gate_metric_name(GateMetric::cpu_time), "cpu-time");
  EXPECT_THROW(parse_gate_metric("cpu"), HarnessError);
}

// An interleaved run on a loaded machine: process i of both sides ran back to back under the same load
// (a slowdown factor between 1x and 2x that changes from pair to pair), plus 0.5% noise per iteration.
std::pair<GateSample, GateSample> interleaved(double candidate_factor, unsigned seed, std::int64_t run_id = 7) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> load(1.0, 2.0);
  std::normal_distribution<double> noise(1.0, 0.005);
  GateSample base, candidate;
  base.run_id = candidate.run_id = run_id;
  for (int p = 0; p < 20; ++p) {
    double factor = load(rng);
    base.groups.emplace_back();
    candidate.groups.emplace_back();
    for (int i = 0; i < 5; ++i) {
      base.groups.back().push_back(0.1 * factor * noise(rng));
      candidate.groups.back().push_back(0.1 * candidate_factor * factor * noise(rng));
    }
  }
  return {base, candidate};
}

TEST(GateTest, PairedProcessesOfOneRunCancelTheLoad) {
  for (unsigned seed = 0; seed < 10; ++seed) {
    auto [base, slower] = interleaved(1.05, seed);
    GateRow row = evaluate("b", GateMetric::cpu_time, base, slower, 0.03);
    EXPECT_EQ(row.verdict, Verdict::regression) << "seed " << seed << ": " << row.ci.low << " " << row.ci.high;
    EXPECT_NEAR(row.change, 0.05, 0.01);
    auto [a, a2] = interleaved(1.0, seed + 100);
    EXPECT_EQ(evaluate("b", GateMetric::time, a, a2, 0.03).verdict, Verdict::pass) << "seed " << seed;
  }
}

TEST(GateTest, SidesFromDifferentRunsAreNotPaired) {
  // The same numbers, but from two runs: nothing says which processes shared the load, so the 1x-2x load
  // spread is in the interval and a 5% change cannot be told from it.
  auto [base, slower] = interleaved(1.05, 3);
  slower.run_id = 8;
  GateRow row = evaluate("b", GateMetric::cpu_time, base, slower, 0.03);
  EXPECT_EQ(row.verdict, Verdict::inconclusive) << row.ci.low << " " << row.ci.high;
  EXPECT_GT(row.ci.high - row.ci.low, 0.1);
}

TEST(GateTest, TimeNeedsTwoProcessesASide) {
  GateRow row = evaluate("b", GateMetric::time, sample({{1, 1, 1}}), sample({{1, 1, 1}}), 0.03);
  EXPECT_EQ(row.verdict, Verdict::inconclusive);
  EXPECT_NE(row.note.find("2 processes"), std::string::npos) << row.note;
}

TEST(GateTest, GeometricMeanJudgesTheSuite) {
  // pyston-like: 22.5% more instructions on one benchmark, 30% and 20% fewer on two others.
  std::vector<GateRow> rows = {evaluate("richards", GateMetric::instructions, exact(1e9), exact(1.225e9), 0),
                               evaluate("nbody", GateMetric::instructions, exact(1e9), exact(0.7e9), 0),
                               evaluate("float", GateMetric::instructions, exact(1e9), exact(0.8e9), 0)};
  GateRow g = geometric_mean_row(rows, 0);
  EXPECT_NEAR(g.change, std::cbrt(1.225 * 0.7 * 0.8) - 1, 1e-12);  // 0.8826 - 1: ahead on the suite
  EXPECT_EQ(g.verdict, Verdict::pass);
  EXPECT_EQ(g.ci.low, g.ci.high);
  GateReport report;
  report.rows = rows;
  EXPECT_EQ(report.exit_code(), 1);  // per benchmark, richards is behind
  report.geomean = g;
  EXPECT_EQ(report.exit_code(), 0);  // as a suite, ahead
  rows[1] = evaluate("nbody", GateMetric::instructions, exact(1e9), exact(0.9e9), 0);
  report.geomean = geometric_mean_row(rows, 0);  // 1.225 * 0.9 * 0.8 = 0.882 -> still ahead
  EXPECT_EQ(report.exit_code(), 0);
  rows[2] = evaluate("float", GateMetric::instructions, exact(1e9), exact(0.95e9), 0);
  report.geomean = geometric_mean_row(rows, 0);  // 1.225 * 0.9 * 0.95 = 1.047 -> behind
  EXPECT_EQ(report.exit_code(), 1);
  rows[0].note = "candidate failed";
  EXPECT_EQ(geometric_mean_row(rows, 0).verdict, Verdict::inconclusive);
}

TEST(GateTest, P99ComparesTheTail) {
  stats::Groups base = noisy(1.0, 0.01, 6, 200, 3), candidate = base;
  for (auto& g : candidate)
    for (size_t i = 0; i < g.size(); i += 50) g[i] *= 3;  // 2% of requests three times slower
  GateRow row = evaluate("b", GateMetric::p99, sample(base), sample(candidate), 0.03);
  EXPECT_EQ(row.verdict, Verdict::regression);
  EXPECT_EQ(evaluate("b", GateMetric::time, sample(base), sample(base), 0.03).verdict, Verdict::pass);
}

TEST(GateTest, MissingOrFailedResultsAreInconclusive) {
  GateSample failed;
  failed.error = "failed: exit status 1";
  GateRow row = evaluate("b", GateMetric::time, sample(noisy(1, 0.01, 3, 3, 1)), failed, 0.03);
  EXPECT_EQ(row.verdict, Verdict::inconclusive);
  EXPECT_NE(row.note.find("exit status 1"), std::string::npos);
  GateReport report;
  report.rows = {row};
  EXPECT_EQ(report.exit_code(), 2);
  report.rows.push_back(evaluate("c", GateMetric::instructions, exact(1), exact(2), 0.03));
  EXPECT_EQ(report.exit_code(), 1);
  EXPECT_EQ(GateReport{}.exit_code(), 2);  // nothing compared is not a pass
}

TEST(GateTest, ConfigGivesPerBenchmarkAndPerMetricThresholds) {
  auto dir = testing::temp_dir("gate-config");
  std::ofstream(dir / "gate.toml") << "threshold = \"4%\"\n[instructions]\nthreshold = \"1%\"\nnbody = \"2.5%\"\n"
                                      "[time]\nchaos = 10\n";
  GateThresholds t = load_gate_thresholds(dir / "gate.toml", 0.03);
  EXPECT_DOUBLE_EQ(t.for_benchmark(GateMetric::instructions, "nbody"), 0.025);
  EXPECT_DOUBLE_EQ(t.for_benchmark(GateMetric::instructions, "float"), 0.01);
  EXPECT_DOUBLE_EQ(t.for_benchmark(GateMetric::time, "chaos"), 0.10);
  EXPECT_DOUBLE_EQ(t.for_benchmark(GateMetric::time, "float"), 0.04);
  std::ofstream(dir / "typo.toml") << "[instrucions]\nnbody = \"2%\"\n";
  EXPECT_THROW(load_gate_thresholds(dir / "typo.toml", 0.03), HarnessError);
  std::ofstream(dir / "broken.toml") << "[time\n";
  EXPECT_THROW(load_gate_thresholds(dir / "broken.toml", 0.03), HarnessError);
}

}  // namespace
}  // namespace harness
