// Tests the store writer (harness/src/result_store.cpp) and read-back (speedcenter/src/run_query.cpp) on real
// SQLite files: every sample lands, failures are recorded, schema versions are enforced.
#include "harness/result_store.h"

#include <gtest/gtest.h>

#include "speedcenter/run_query.h"
#include "test_support.h"

namespace harness {
namespace {

Interpreter fake_interpreter(const std::string& label) {
  Interpreter i;
  i.label = label;
  i.argv = {"/usr/bin/" + label};
  i.executable = i.argv[0];
  i.executable_sha256 = std::string(64, 'a');
  i.implementation = "cpython";
  i.version = "3.8.18";
  return i;
}

InterpreterOutcome outcome_with(int processes, int iterations, double value) {
  InterpreterOutcome o;
  o.ok = true;
  for (int p = 0; p < processes; ++p) {
    WorkerResult w;
    w.process_index = p;
    w.ok = true;
    w.exit_status = 0;
    w.peak_rss_bytes = 10 << 20;
    w.samples.push_back({"iteration", 0, true, 0.0, value * 3});  // a warmup, excluded from statistics
    for (int i = 1; i <= iterations; ++i) w.samples.push_back({"iteration", i, false, 0.1 * i, value * (1 + 0.01 * i)});
    w.memory.push_back({0.05, 9 << 20, std::nullopt});
    o.workers.push_back(w);
  }
  return o;
}

TEST(ResultStore, EverySampleIsStoredAndReadBack) {
  auto dir = testing::temp_dir("store");
  speedcenter::Database db(dir / "results.db");
  ResultStore store(db);
  std::int64_t run = store.begin_run({fake_interpreter("python3.8"), fake_interpreter("python3.11")}, "test", {},
                                     RevisionInfo{"", "", "v1", "", "", ""});
  Benchmark b;
  b.name = "nbody";
  b.suite = "micro";
  b.kind = "batch";
  BenchmarkOutcome outcome{b, {outcome_with(3, 4, 0.1), outcome_with(3, 4, 0.05)}};
  std::vector<ResultAnalysis> analyses = {analyse(outcome.per_interpreter[0]), analyse(outcome.per_interpreter[1])};
  store.record_benchmark(outcome, analyses);
  store.finish_run("complete");

  EXPECT_EQ(db.scalar_int("SELECT count(*) FROM samples"), 2 * 3 * 5);
  EXPECT_EQ(db.scalar_int("SELECT count(*) FROM samples WHERE warmup = 1"), 6);
  EXPECT_EQ(db.integrity_check(), "ok");

  speedcenter::RunRecord record = speedcenter::load_run(db, run);
  EXPECT_EQ(record.status, "complete");
  EXPECT_EQ(record.revision_label, "v1");
  ASSERT_EQ(record.interpreters.size(), 2u);
  EXPECT_EQ(record.interpreters[1].label, "python3.11");
  const auto* fast = record.result("nbody", 1);
  ASSERT_NE(fast, nullptr);
  ASSERT_EQ(fast->groups.size(), 3u);
  EXPECT_EQ(fast->groups[0].size(), 4u);  // warmups excluded
  EXPECT_NEAR(fast->metrics.at("mean").value.value(), 0.05 * 1.025, 1e-9);
  EXPECT_EQ(fast->metrics.at("peak_rss").value.value(), 10 << 20);
}

TEST(ResultStore, FailuresAreRecordedWithTheirReason) {
  auto dir = testing::temp_dir("store-fail");
  speedcenter::Database db(dir / "results.db");
  ResultStore store(db);
  std::int64_t run = store.begin_run({fake_interpreter("python3.8")}, "test", {}, std::nullopt);
  Benchmark b;
  b.name = "broken";
  b.suite = "micro";
  b.kind = "batch";
  InterpreterOutcome failed;
  failed.error = "process 1: timeout";
  WorkerResult w;
  w.error = "timeout";
  w.stderr_tail = "Traceback...";
  failed.workers.push_back(w);
  store.record_benchmark({b, {failed}}, {analyse(failed)});
  store.finish_run("failed");
  auto record = speedcenter::load_run(db, run);
  ASSERT_EQ(record.failures.size(), 1u);
  EXPECT_EQ(record.failures[0].reason, "process 1: timeout");
  EXPECT_EQ(record.results[0].status, "failed");
}

TEST(Database, RefusesANewerSchema) {
  auto dir = testing::temp_dir("schema");
  {
    speedcenter::Database db(dir / "results.db");
    db.exec("PRAGMA user_version = 999");
  }
  try {
    speedcenter::Database db(dir / "results.db");
    FAIL();
  } catch (const speedcenter::StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
  }
}

TEST(Database, NotADatabaseIsAClearError) {
  auto dir = testing::temp_dir("notdb");
  std::FILE* f = std::fopen((dir / "x.db").c_str(), "w");
  std::fputs("hello, this is a text file and certainly not sqlite, padded to be long enough for the header", f);
  std::fclose(f);
  EXPECT_THROW(speedcenter::Database db(dir / "x.db"), speedcenter::StoreError);
}

TEST(Database, MigratesAFreshFileToTheCurrentSchema) {
  auto dir = testing::temp_dir("fresh");
  speedcenter::Database db(dir / "results.db");
  EXPECT_EQ(db.scalar_int("PRAGMA user_version"), speedcenter::schema_version());
  EXPECT_EQ(db.scalar_int("SELECT count(*) FROM sqlite_master WHERE name = 'samples'"), 1);
}

TEST(ResultStore, RunsOfDeadProcessesBecomeIncomplete) {
  auto dir = testing::temp_dir("abandoned");
  speedcenter::Database db(dir / "results.db");
  ResultStore store(db);
  std::int64_t run = store.begin_run({fake_interpreter("python3.8")}, "test", {}, std::nullopt);
  // Pretend the run belonged to a process that was killed with SIGKILL.
  db.prepare("UPDATE runs SET options_json = json_set(options_json, '$.pid', 999999999) WHERE id = ?").bind(1, run).run();
  mark_abandoned_runs(db);
  EXPECT_EQ(speedcenter::load_run(db, run).status, "incomplete");
}

}  // namespace
}  // namespace harness
