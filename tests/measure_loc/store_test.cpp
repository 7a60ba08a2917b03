// store_test.cpp: saving a profile into a real results store, SQLite or PostgreSQL (src/store.cpp; the store per
// test comes from tests/speedcenter/test_store.h).
#include "measure_loc/store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "test_store.h"

namespace measure_loc {
namespace {

TEST(Store, WritesTheProfileAndEveryLine) {
  test_store::TestStore where;
  {
    speedcenter::Database db(where.location());
    Profile p;
    p.target = "fannkuch.py";
    p.lines = {{"a.py", 3, 70}, {"a.py", 4, 29}, {"b.py", -1, 1}};
    p.samples = 100;
    p.failed = 2;
    p.requested_rate_hz = 10000;
    std::int64_t id = store_profile(db, p);
    auto row = db.prepare(
        "SELECT target, samples, failed_samples, lines_50, lines_99 FROM hot_line_profiles WHERE id=?");
    row.bind(1, id);
    ASSERT_TRUE(row.step());
    EXPECT_EQ(row.column_text(0), "fannkuch.py");
    EXPECT_EQ(row.column_int(1), 100);
    EXPECT_EQ(row.column_int(2), 2);
    EXPECT_EQ(row.column_int(3), 1);
    EXPECT_EQ(row.column_int(4), 2);
    EXPECT_EQ(db.scalar_int("SELECT count(*) FROM hot_line_entries"), 3);
    EXPECT_EQ(db.scalar_int("SELECT line FROM hot_line_entries WHERE rank = 3"), -1);
  }
}

TEST(Store, KeepsStacksAsATreeOfSharedPrefixes) {
  test_store::TestStore where;
  speedcenter::Database db(where.location());
  Profile p;
  p.target = "tree.py";
  p.frames = {{"a.py", "main", 10}, {"a.py", "f", 20}, {"a.py", "g", 30}, {"a.py", "h", 40}};
  p.stacks = {{{0, 1, 2}, 5}, {{0, 1, 3}, 3}, {{0, 1}, 2}};  // main;f;g 5, main;f;h 3, main;f 2
  p.lines = {{"a.py", 30, 5}, {"a.py", 40, 3}, {"a.py", 20, 2}};
  p.samples = 10;
  std::int64_t id = store_profile(db, p);
  speedcenter::HotLineStacks stored = speedcenter::hot_line_stacks(db, id);
  ASSERT_EQ(stored.frames.size(), 4u);
  EXPECT_EQ(stored.frames[3].function, "h");
  EXPECT_EQ(stored.frames[3].line, 40);
  // main and f once each, then g and h: four nodes for three stacks of 3, 3 and 2 frames.
  ASSERT_EQ(stored.nodes.size(), 4u);
  std::int64_t total = 0;
  for (const auto& node : stored.nodes) {
    EXPECT_LT(node.parent, static_cast<int>(&node - stored.nodes.data()));
    total += node.count;
  }
  EXPECT_EQ(total, 10);
  EXPECT_EQ(stored.nodes[0].parent, -1);
  EXPECT_EQ(stored.nodes[1].count, 2);  // main;f ends there twice
  EXPECT_EQ(db.scalar_int("SELECT count(*) FROM hot_line_stack_nodes WHERE parent_index IS NULL"), 1);
  // Deleting the profile takes its frames and nodes with it.
  db.exec("DELETE FROM hot_line_profiles WHERE id = " + std::to_string(id));
  EXPECT_EQ(db.scalar_int("SELECT count(*) FROM hot_line_frames"), 0);
  EXPECT_EQ(db.scalar_int("SELECT count(*) FROM hot_line_stack_nodes"), 0);
}

}  // namespace
}  // namespace measure_loc
