// tests/speedcenter/changes_test.cpp: the Changes view's data (speedcenter/src/changes.cpp) on synthetic
// histories with known steps, on SQLite and PostgreSQL: the newest revision's change, its interval and
// significance, and the regressions `pyston-bench regressions` reports.
#include "speedcenter/changes.h"

#include <gtest/gtest.h>

#include "speedcenter/synthetic_data.h"
#include "test_db.h"

namespace {

speedcenter::SyntheticHistory history(const std::string& benchmark, int revisions, unsigned seed) {
  speedcenter::SyntheticHistory h;
  h.benchmark = benchmark;
  h.revisions = revisions;
  h.run_noise = 0;  // only the within-run noise the interval accounts for
  h.seed = seed;
  return h;
}

TEST(Changes, TheNewestRevisionAgainstThePreviousWithIntervalAndRegressionsMarked) {
  TempDatabase t;
  auto slower = history("slower_now", 10, 1);
  slower.step_at = 9;  // the newest revision is 10% slower
  slower.step = 0.10;
  auto stepped = history("stepped_before", 12, 2);
  stepped.step_at = 6;  // a 5% slowdown at r7, confirmed by the revisions after it
  auto flat = history("flat", 10, 3);
  for (const auto& h : {slower, stepped, flat}) speedcenter::write_synthetic_history(t.db(), h);

  auto changes = speedcenter::changes_since_previous_revision(t.db(), {});
  EXPECT_EQ(changes.interpreter, "cpython");
  ASSERT_EQ(changes.rows.size(), 3u);
  const auto& flat_row = changes.rows[0];
  const auto& slower_row = changes.rows[1];
  const auto& stepped_row = changes.rows[2];
  EXPECT_EQ(flat_row.benchmark, "flat");
  EXPECT_EQ(slower_row.benchmark, "slower_now");
  EXPECT_EQ(slower_row.current.revision_name(), "r10");
  EXPECT_EQ(slower_row.previous.revision_name(), "r9");
  EXPECT_NEAR(slower_row.change, 0.10, 0.02);
  EXPECT_LT(slower_row.change_low, slower_row.change);
  EXPECT_GT(slower_row.change_high, slower_row.change);
  EXPECT_TRUE(slower_row.significant);
  EXPECT_FALSE(flat_row.significant) << flat_row.change_low << " .. " << flat_row.change_high;
  EXPECT_LT(flat_row.change_low, 0);
  EXPECT_GT(flat_row.change_high, 0);
  EXPECT_EQ(stepped_row.regression, "r7");
  EXPECT_EQ(flat_row.regression, "");
}

TEST(Changes, AnUnknownInterpreterOrASingleRevisionHasNoRows) {
  TempDatabase t;
  speedcenter::write_synthetic_history(t.db(), history("once", 1, 4));
  EXPECT_TRUE(speedcenter::changes_since_previous_revision(t.db(), {}).rows.empty());
  speedcenter::write_synthetic_history(t.db(), history("twice", 2, 5));
  EXPECT_EQ(speedcenter::changes_since_previous_revision(t.db(), {}).rows.size(), 1u);
  EXPECT_TRUE(speedcenter::changes_since_previous_revision(t.db(), {"", "pypy"}).rows.empty());
}

}  // namespace
