// tests/speedcenter/regression_test.cpp: the step detector (speedcenter/regression.cpp) on histories written
// through the real schema: an injected 5% slowdown is found at its revision, pure noise reports nothing.
#include "speedcenter/regression.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "speedcenter/synthetic_data.h"
#include "test_db.h"

namespace {

using speedcenter::find_regressions;
using speedcenter::HistoryQuery;
using speedcenter::SyntheticHistory;

HistoryQuery mean_of(const std::string& benchmark) { return HistoryQuery{benchmark, "", "", "mean"}; }

TEST(Regressions, FindsAnInjectedFivePercentSlowdownAtItsRevision) {
  // Several seeds: the result must not depend on one lucky draw of the noise.
  for (unsigned seed = 1; seed <= 10; ++seed) {
    TempDatabase t;
    SyntheticHistory spec;
    spec.revisions = 12;
    spec.step_at = 6;  // r7 is the first slow revision
    spec.step = 0.05;
    spec.seed = seed;
    speedcenter::write_synthetic_history(t.db(), spec);
    auto found = find_regressions(t.db(), mean_of(spec.benchmark));
    ASSERT_EQ(found.size(), 1u) << "seed " << seed;
    const auto& r = found.front();
    EXPECT_TRUE(r.regression);
    EXPECT_EQ(r.before.revision_label, "r6") << "seed " << seed;
    EXPECT_EQ(r.after.revision_label, "r7") << "seed " << seed;
    EXPECT_NEAR(r.step.relative, 0.05, 0.02) << "seed " << seed;
    EXPECT_LT(r.step.relative_ci_low, r.step.relative);
    EXPECT_GT(r.step.relative_ci_high, r.step.relative);
    EXPECT_GT(r.step.relative_ci_low, 0.0) << "the step's CI must exclude no change";
  }
}

TEST(Regressions, PureNoiseReportsNothing) {
  for (unsigned seed = 1; seed <= 10; ++seed) {
    TempDatabase t;
    SyntheticHistory spec;
    spec.revisions = 10;
    spec.seed = seed;
    speedcenter::write_synthetic_history(t.db(), spec);
    EXPECT_TRUE(find_regressions(t.db(), mean_of(spec.benchmark)).empty()) << "seed " << seed;
  }
}

TEST(Regressions, RunToRunNoiseBeyondEachRunsCIIsNotAStep) {
  // Each run's CI is tight (0.1% iteration noise) but revisions wander by 1%: a detector that trusted the
  // per-run CIs alone would flag steps here.
  for (unsigned seed = 1; seed <= 10; ++seed) {
    TempDatabase t;
    SyntheticHistory spec;
    spec.revisions = 10;
    spec.within_run_noise = 0.001;
    spec.run_noise = 0.01;
    spec.seed = seed;
    speedcenter::write_synthetic_history(t.db(), spec);
    EXPECT_TRUE(find_regressions(t.db(), mean_of(spec.benchmark)).empty()) << "seed " << seed;
  }
}

TEST(Regressions, AnImprovementIsReportedAsSuch) {
  TempDatabase t;
  SyntheticHistory spec;
  spec.step_at = 4;
  spec.step = -0.10;
  speedcenter::write_synthetic_history(t.db(), spec);
  auto found = find_regressions(t.db(), mean_of(spec.benchmark));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_FALSE(found[0].regression);
  EXPECT_EQ(found[0].after.revision_label, "r5");
}

TEST(Regressions, StepsBelowTheMinimumSizeAreIgnored) {
  TempDatabase t;
  SyntheticHistory spec;
  spec.step_at = 5;
  spec.step = 0.05;
  spec.run_noise = 0.002;
  speedcenter::write_synthetic_history(t.db(), spec);
  speedcenter::StepOptions options;
  options.min_step = 0.08;
  EXPECT_TRUE(find_regressions(t.db(), mean_of(spec.benchmark), options).empty());
  options.min_step = 0.02;
  EXPECT_EQ(find_regressions(t.db(), mean_of(spec.benchmark), options).size(), 1u);
}

TEST(DetectSteps, FindsTwoSteps) {
  speedcenter::Series s;
  for (int i = 0; i < 18; ++i) {
    double level = i < 6 ? 1.0 : i < 12 ? 1.1 : 0.95;
    s.values.push_back(level * (1 + 0.002 * ((i * 7) % 5 - 2)));
    s.ci_low.push_back(s.values.back() * 0.99);
    s.ci_high.push_back(s.values.back() * 1.01);
  }
  auto steps = speedcenter::detect_steps(s);
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].index, 6u);
  EXPECT_EQ(steps[1].index, 12u);
}

TEST(DetectSteps, OverlappingCIsAreNotAStep) {
  speedcenter::Series s;
  for (int i = 0; i < 10; ++i) {
    double v = i < 5 ? 1.0 : 1.05;
    s.values.push_back(v);
    // Each point is uncertain by +-20%: a 5% step cannot be told from noise.
    s.ci_low.push_back(v * 0.8);
    s.ci_high.push_back(v * 1.2);
  }
  EXPECT_TRUE(speedcenter::detect_steps(s).empty());
}

}  // namespace
