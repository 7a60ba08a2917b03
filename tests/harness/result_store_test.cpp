// Tests the store writer (harness/src/result_store.cpp) and read-back (speedcenter/src/run_query.cpp) on a real
// SQLite file or PostgreSQL database (test_store.h): every sample lands, failures are recorded, schema versions are
// enforced, the run of a killed process becomes incomplete.
#include "harness/result_store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "speedcenter/run_query.h"
#include "test_store.h"
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
  test_store::TestStore where;
  speedcenter::Database db(where.location());
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
  test_store::TestStore where;
  speedcenter::Database db(where.location());
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
  test_store::TestStore where;
  {
    speedcenter::Database db(where.location());
    db.exec(db.backend() == speedcenter::Backend::SQLite ? "PRAGMA user_version = 999"
                                                         : "UPDATE pyston_bench_schema SET version = 999");
  }
  try {
    speedcenter::Database db(where.location());
    FAIL();
  } catch (const speedcenter::StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
  }
}

TEST(Database, NotADatabaseIsAClearError) {
  test_store::TestStore where;
  if (where.postgres()) {  // the PostgreSQL counterpart: no server behind the URL
    try {
      speedcenter::Database db("postgresql://nobody@localhost/none?host=" + where.scratch().string() + "&port=1");
      FAIL();
    } catch (const speedcenter::StoreError& e) {
      EXPECT_NE(std::string(e.what()).find("cannot connect to the PostgreSQL results store"), std::string::npos);
      EXPECT_NE(e.hint().find("postgresql://user@host"), std::string::npos);
    }
    return;
  }
  auto file = where.scratch() / "x.db";
  std::FILE* f = std::fopen(file.c_str(), "w");
  std::fputs("hello, this is a text file and certainly not sqlite, padded to be long enough for the header", f);
  std::fclose(f);
  EXPECT_THROW(speedcenter::Database db(file.string()), speedcenter::StoreError);
}

TEST(Database, MigratesAFreshStoreToTheCurrentSchema) {
  test_store::TestStore where;
  speedcenter::Database db(where.location());
  bool sqlite = db.backend() == speedcenter::Backend::SQLite;
  EXPECT_EQ(db.scalar_int(sqlite ? "PRAGMA user_version" : "SELECT version FROM pyston_bench_schema"),
            speedcenter::schema_version());
  EXPECT_EQ(db.scalar_int(sqlite ? "SELECT count(*) FROM sqlite_master WHERE name = 'samples'"
                                 : "SELECT count(*) FROM information_schema.tables WHERE table_name = 'samples'"),
            1);
  // 64-bit values survive (peak RSS of a big process, in bytes).
  db.exec("INSERT INTO machines (fingerprint, hostname, memory_bytes) VALUES ('m', 'h', 1099511627776)");
  EXPECT_EQ(db.scalar_int("SELECT memory_bytes FROM machines"), 1099511627776);
}

// Several processes opening a new store at once migrate it once.
TEST(Database, ConcurrentOpeningMigratesOnce) {
  test_store::TestStore where;
  std::vector<pid_t> children;
  for (int i = 0; i < 4; ++i) {
    pid_t pid = fork();
    if (pid == 0) {
      try {
        speedcenter::Database db(where.location());
        _exit(db.scalar_int("SELECT count(*) FROM runs") == 0 ? 0 : 1);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "child: %s\n", e.what());
        _exit(2);
      }
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
}

// A child process begins a run and is killed with SIGKILL (no handler, no clean-up): the next writer marks the run
// incomplete, and never while its owner lives. On PostgreSQL the owner's run lock tells, whatever machine the run
// came from; on SQLite only runs of this host can be judged (by their process id).
void check_killed_owner(bool other_host) {
  test_store::TestStore where;
  speedcenter::Database db(where.location());
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  pid_t child = fork();
  if (child == 0) {
    speedcenter::Database own(where.location());
    ResultStore store(own);
    std::int64_t run = store.begin_run({fake_interpreter("python3.8")}, "test", {}, std::nullopt);
    if (write(pipe_fds[1], &run, sizeof run) != sizeof run) _exit(1);
    pause();
    _exit(0);
  }
  std::int64_t run = 0;
  ASSERT_EQ(read(pipe_fds[0], &run, sizeof run), static_cast<ssize_t>(sizeof run));
  if (other_host)
    db.prepare("UPDATE runs SET options_json = replace(options_json, '\"host\":', '\"host\":\"elsewhere\",\"was\":')"
               " WHERE id = ?").bind(1, run).run();
  mark_abandoned_runs(db);
  EXPECT_EQ(speedcenter::load_run(db, run).status, "running");  // its owner lives
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  close(pipe_fds[0]);
  close(pipe_fds[1]);
  bool judged = where.postgres() || !other_host;
  std::string status;
  for (int attempt = 0; attempt < 50; ++attempt) {  // the server notices a dead client within milliseconds
    mark_abandoned_runs(db);
    status = speedcenter::load_run(db, run).status;
    if (status != "running") break;
    usleep(20000);
  }
  EXPECT_EQ(status, judged ? "incomplete" : "running");
}

TEST(ResultStore, RunsOfKilledProcessesBecomeIncomplete) { check_killed_owner(false); }
TEST(ResultStore, RunsOfKilledProcessesOnOtherMachines) { check_killed_owner(true); }

}  // namespace
}  // namespace harness
