// tests/speedcenter/history_test.cpp: history queries (speedcenter/history.cpp): ordering by commit date,
// interpreter filters by label / implementation / version, machines, derived metrics and the catalogue.
#include "speedcenter/history.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "speedcenter/synthetic_data.h"
#include "test_db.h"

namespace {

TEST(History, OrderedByCommitDateNotByRunOrder) {
  TempDatabase t;
  speedcenter::SyntheticHistory spec;
  spec.revisions = 5;
  speedcenter::write_synthetic_history(t.db(), spec);
  // Measure an old revision again, later: it belongs between its neighbours, not at the end.
  t.db().exec("UPDATE runs SET started_at = '2030-01-01T00:00:00Z' WHERE id = 2");
  auto points = speedcenter::query_history(t.db(), {spec.benchmark, "", "", "mean"});
  ASSERT_EQ(points.size(), 5u);
  for (size_t i = 0; i < points.size(); ++i) EXPECT_EQ(points[i].revision_label, "r" + std::to_string(i + 1));
  // Without commit dates the run's start decides.
  t.db().exec("UPDATE revisions SET committed_at = NULL");
  points = speedcenter::query_history(t.db(), {spec.benchmark, "", "", "mean"});
  EXPECT_EQ(points.back().revision_label, "r2");
}

TEST(History, FiltersByInterpreterAndMachine) {
  TempDatabase t;
  speedcenter::SyntheticHistory a, b;
  a.revisions = b.revisions = 3;
  a.interpreter = "cpython-3.8";
  b.interpreter = "cpython-3.11";
  b.machine = "other-host";
  speedcenter::write_synthetic_history(t.db(), a);
  speedcenter::write_synthetic_history(t.db(), b);
  EXPECT_EQ(speedcenter::query_history(t.db(), {a.benchmark, "", "", "mean"}).size(), 6u);
  EXPECT_EQ(speedcenter::query_history(t.db(), {a.benchmark, "cpython-3.8", "", "mean"}).size(), 3u);
  EXPECT_EQ(speedcenter::query_history(t.db(), {a.benchmark, "cpython:3.11", "", "mean"}).size(), 3u);
  EXPECT_EQ(speedcenter::query_history(t.db(), {a.benchmark, "cpython:3.1", "", "mean"}).size(), 0u);
  EXPECT_EQ(speedcenter::query_history(t.db(), {a.benchmark, "", "other-host", "mean"}).size(), 3u);
  EXPECT_EQ(speedcenter::query_history(t.db(), {a.benchmark, "", "", "no_such_metric"}).size(), 0u);
}

TEST(History, InterpreterFilterForms) {
  EXPECT_TRUE(speedcenter::interpreter_matches("", "x", "cpython", "3.11.7"));
  EXPECT_TRUE(speedcenter::interpreter_matches("py311", "py311", "cpython", "3.11.7"));
  EXPECT_TRUE(speedcenter::interpreter_matches("CPython", "py311", "cpython", "3.11.7"));
  EXPECT_TRUE(speedcenter::interpreter_matches("cpython:3.11", "py311", "cpython", "3.11.7"));
  EXPECT_FALSE(speedcenter::interpreter_matches("cpython:3.1", "py311", "cpython", "3.11.7"));
  EXPECT_FALSE(speedcenter::interpreter_matches("pypy", "py311", "cpython", "3.11.7"));
}

TEST(History, CatalogueListsWhatTheStoreHolds) {
  TempDatabase t;
  speedcenter::SyntheticHistory spec;
  spec.revisions = 2;
  speedcenter::write_synthetic_history(t.db(), spec);
  speedcenter::SyntheticWebRun web;
  web.samples_per_interpreter = 100;
  speedcenter::write_synthetic_web_run(t.db(), web);
  auto c = speedcenter::read_catalogue(t.db());
  EXPECT_EQ(c.benchmarks, (std::vector<std::string>{"synthetic", "synthetic_web"}));
  EXPECT_EQ(c.web_benchmarks, (std::vector<std::string>{"synthetic_web"}));
  EXPECT_EQ(c.machines, (std::vector<std::string>{"synthetic-host"}));
  // "warmup" resolves to the stored warmup_seconds of web runs.
  auto warmup = speedcenter::query_history(t.db(), {"synthetic_web", "", "", "warmup"});
  ASSERT_EQ(warmup.size(), 2u);
  EXPECT_DOUBLE_EQ(warmup[0].value, 12.0);
}

}  // namespace
