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

}  // namespace
}  // namespace measure_loc
