// tests/speedcenter/store_copy_test.cpp: copy_runs (speedcenter/src/store_copy.cpp) moves whole runs between a
// SQLite file and the store under test (SQLite, or PostgreSQL when the binary runs against the test server), with
// every value intact, and copies a run that is already there no second time.
#include "speedcenter/store_copy.h"

#include <gtest/gtest.h>

#include "speedcenter/run_query.h"
#include "speedcenter/synthetic_data.h"
#include "test_db.h"

namespace {

// Everything a run's numbers amount to, comparable across stores.
std::string fingerprint(const speedcenter::Database& db) {
  auto st = db.prepare(
      "SELECT r.started_at, r.status, b.name, ri.label, count(s.id), sum(s.value), sum(s.seq)"
      " FROM runs r JOIN results x ON x.run_id = r.id JOIN benchmarks b ON b.id = x.benchmark_id"
      " JOIN run_interpreters ri ON ri.run_id = r.id AND ri.interpreter_id = x.interpreter_id"
      " JOIN samples s ON s.result_id = x.id GROUP BY r.started_at, r.status, b.name, ri.label"
      " ORDER BY r.started_at, b.name, ri.label");
  std::string out;
  char value[64];
  while (st.step()) {
    std::snprintf(value, sizeof value, "%.12g", st.column_double(5));
    out += st.column_text(0) + " " + st.column_text(1) + " " + st.column_text(2) + " " + st.column_text(3) + " " +
           std::to_string(st.column_int(4)) + " " + value + " " + std::to_string(st.column_int(6)) + "\n";
  }
  return out;
}

std::int64_t count(const speedcenter::Database& db, const char* table) {
  return db.scalar_int(std::string("SELECT count(*) FROM ") + table);
}

TEST(StoreCopy, RunsTravelBothWaysWithEveryValueAndOnlyOnce) {
  TempDatabase store;  // the backend under test
  speedcenter::Database laptop((store.scratch() / "laptop.db").string());
  speedcenter::SyntheticHistory spec;
  spec.revisions = 4;
  auto runs = speedcenter::write_synthetic_history(laptop, spec);
  speedcenter::SyntheticWebRun web;
  web.samples_per_interpreter = 2000;
  runs.push_back(speedcenter::write_synthetic_web_run(laptop, web));
  speedcenter::write_synthetic_hot_lines(laptop, "nbody", 5);

  auto report = speedcenter::copy_runs(laptop, store.db());
  EXPECT_EQ(report.copied, runs);
  EXPECT_EQ(report.samples, count(laptop, "samples"));
  EXPECT_EQ(fingerprint(store.db()), fingerprint(laptop));
  for (const char* table : {"runs", "results", "workers", "samples", "memory_series", "metrics", "run_interpreters"})
    EXPECT_EQ(count(store.db(), table), count(laptop, table)) << table;

  // Copied again: stored once.
  auto again = speedcenter::copy_runs(laptop, store.db());
  EXPECT_TRUE(again.copied.empty());
  EXPECT_EQ(again.already_there, runs);
  EXPECT_EQ(count(store.db(), "runs"), static_cast<std::int64_t>(runs.size()));
  EXPECT_EQ(count(store.db(), "samples"), count(laptop, "samples"));

  // And back into a fresh file, through the store's own ids: the same numbers.
  speedcenter::Database back((store.scratch() / "back.db").string());
  EXPECT_EQ(speedcenter::copy_runs(store.db(), back).copied.size(), runs.size());
  EXPECT_EQ(fingerprint(back), fingerprint(laptop));
  auto record = speedcenter::load_run(back, speedcenter::latest_run_id(back));
  EXPECT_EQ(record.interpreters.size(), 2u);
}

TEST(StoreCopy, ARunStillBeingWrittenIsLeftAndAnUnknownRunIsAnError) {
  TempDatabase store;
  speedcenter::Database laptop((store.scratch() / "laptop.db").string());
  speedcenter::SyntheticHistory spec;
  spec.revisions = 2;
  auto runs = speedcenter::write_synthetic_history(laptop, spec);
  laptop.prepare("UPDATE runs SET status = 'running' WHERE id = ?").bind(1, runs[1]).run();
  auto report = speedcenter::copy_runs(laptop, store.db());
  EXPECT_EQ(report.copied, std::vector<std::int64_t>{runs[0]});
  EXPECT_EQ(report.still_running, std::vector<std::int64_t>{runs[1]});
  EXPECT_THROW(speedcenter::copy_runs(laptop, store.db(), {{12345}}), speedcenter::StoreError);
}

}  // namespace
