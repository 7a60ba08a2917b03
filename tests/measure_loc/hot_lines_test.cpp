// hot_lines_test.cpp: the coverage arithmetic (src/hot_lines.cpp): lines needed to reach 50/75/90/99%.
#include <gtest/gtest.h>

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

TEST(HotLines, FailedPercentCountsEveryAttempt) {
  Profile p = profile_of({97});
  p.failed = 1;
  p.idle = 2;
  EXPECT_DOUBLE_EQ(p.failed_percent(), 1.0);
}

}  // namespace
}  // namespace measure_loc
