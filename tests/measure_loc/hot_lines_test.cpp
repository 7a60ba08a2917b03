// hot_lines_test.cpp: the coverage arithmetic (src/hot_lines.cpp): lines needed to reach 50/75/90/99%.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "measure_loc/profile.h"

namespace measure_loc {
namespace {

Profile profile_of(std::vector<std::int64_t> counts) {
  Profile p;
  int line = 0;
  for (std::int64_t c : counts) {
    p.lines.push_back({"f.py", ++line, c});
    p.samples += c;
  }
  return p;
}

TEST(HotLines, PicksLinesUntilTheTargetIsReached) {
  Profile p = profile_of({70, 20, 9, 1});
  std::vector<Coverage> c = p.coverage();
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c[0].lines, 1);  // 70% >= 50%
  EXPECT_DOUBLE_EQ(c[0].reached_percent, 70);
  EXPECT_EQ(c[1].lines, 2);  // 90% >= 75%
  EXPECT_EQ(c[2].lines, 2);  // exactly 90%
  EXPECT_EQ(c[3].lines, 3);  // 99%
  EXPECT_DOUBLE_EQ(c[3].reached_percent, 99);
}

TEST(HotLines, EmptyProfileNeedsNoLines) {
  Profile p;
  EXPECT_EQ(p.coverage()[3].lines, 0);
  EXPECT_EQ(p.failed_percent(), 0);
}

// A program whose lines have fixed shares, profiled for longer: the longer profile sees more of the rare lines,
// so its raw 99% count is higher, but at a fixed depth the two agree (what compare's repeats need).
Profile sampled(std::int64_t n, std::uint64_t seed) {
  std::vector<double> weights;
  // 100 hot lines with 97% of the time, and 3,000 rare lines with 3% (a web app's long tail).
  for (int i = 0; i < 3100; ++i) weights.push_back(i < 100 ? 1.0 : 0.001);
  std::mt19937_64 random(seed);
  std::discrete_distribution<int> line(weights.begin(), weights.end());
  std::vector<std::int64_t> counts(weights.size());
  for (std::int64_t i = 0; i < n; ++i) ++counts[static_cast<std::size_t>(line(random))];
  std::sort(counts.rbegin(), counts.rend());
  while (!counts.empty() && counts.back() == 0) counts.pop_back();
  return profile_of(counts);
}

TEST(HotLines, CountsAtAFixedDepthDoNotGrowWithTheSamples) {
  Profile shorter = sampled(8000, 1), longer = sampled(40000, 2);
  int raw_short = shorter.coverage()[3].lines, raw_long = longer.coverage()[3].lines;
  EXPECT_GT(raw_long, raw_short * 1.05) << "the tail grows with the samples: " << raw_short << " vs " << raw_long;
  int at_short = shorter.coverage_at_depth(5000)[3].lines, at_long = longer.coverage_at_depth(5000)[3].lines;
  EXPECT_NEAR(at_long, at_short, 0.05 * at_short) << raw_short << " " << raw_long;
  EXPECT_EQ(longer.coverage_at_depth(5000)[3].lines, at_long) << "the same profile gives the same figure";
  EXPECT_GT(longer.coverage_at_depth(5000)[3].reached_percent, 99.0 - 1e-9);
}

TEST(HotLines, ProfileNoDeeperThanTheDepthIsTakenAsIs) {
  Profile p = profile_of({70, 20, 9, 1});
  EXPECT_EQ(p.coverage_at_depth(100)[3].lines, p.coverage()[3].lines);
  EXPECT_EQ(p.coverage_at_depth(1000)[2].lines, 2);
  EXPECT_EQ(p.coverage_at_depth(50, {99}).size(), 1u);
}

TEST(HotLines, FailedPercentCountsEveryAttempt) {
  Profile p = profile_of({97});
  p.failed = 1;
  p.idle = 2;
  EXPECT_DOUBLE_EQ(p.failed_percent(), 1.0);
}

}  // namespace
}  // namespace measure_loc
