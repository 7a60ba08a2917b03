// tests/speedcenter/pyperf_json_test.cpp: pyperf files (speedcenter/pyperf_json.cpp) round-trip through the
// store with identical values and metadata, become ordinary runs, and malformed files are refused.
#include "speedcenter/pyperf_json.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "speedcenter/history.h"
#include "speedcenter/run_query.h"
#include "speedcenter/stats.h"
#include "test_db.h"

namespace {

using nlohmann::json;

// Shaped like `python3 -m pyperf timeit ... -o bench.json` output of pyperf 2.x (two benchmarks, a
// calibration run with warmups only, values that are not short decimals).
json pyperf_document() {
  return json::parse(R"json({
    "version": "1.0",
    "metadata": {"python_implementation": "cpython", "python_version": "3.11.7 (64-bit) revision fa7a6f2303",
                 "python_executable": "/usr/bin/python3.11", "hostname": "bench-host",
                 "cpu_model_name": "Example CPU", "perf_version": "2.6.2", "timer": "clock_gettime(CLOCK_MONOTONIC)",
                 "loops": 16},
    "benchmarks": [
      {"metadata": {"name": "sort_sorted", "unit": "second", "description": "sort a sorted list"},
       "runs": [
         {"metadata": {"date": "2026-01-05 10:00:00.123456", "duration": 0.5, "calibrate_loops": 16},
          "warmups": [[1, 0.0001234567890123], [2, 0.00011], [4, 0.000105], [8, 0.0001021], [16, 0.00010049]]},
         {"metadata": {"date": "2026-01-05 10:00:01.0", "duration": 0.61, "cpu_freq": "0=2400 MHz"},
          "warmups": [[16, 0.000102345]],
          "values": [0.00010012345678901234, 0.000100456, 0.0001009999, 9.98765e-05, 0.000101]},
         {"metadata": {"date": "2026-01-05 10:00:02.0", "duration": 0.58},
          "warmups": [[16, 0.0001019]],
          "values": [0.000100111, 0.000100222, 0.0001003333, 0.0001004444, 0.00010055555]}
       ]},
      {"metadata": {"name": "json_dumps", "unit": "second", "loops": 4},
       "runs": [
         {"metadata": {"date": "2026-01-05 10:01:00.0"}, "warmups": [[4, 0.0123]], "values": [0.0121, 0.01215, 0.0122]},
         {"metadata": {"date": "2026-01-05 10:01:01.0"}, "warmups": [[4, 0.0124]], "values": [0.01211, 0.01209, 0.0123456789012345]}
       ]}
    ]})json");
}

TEST(PyperfJson, RoundTripsThroughTheStoreUnchanged) {
  TempDatabase t;
  json doc = pyperf_document();
  std::int64_t run = speedcenter::import_pyperf(t.db(), doc, {"py311", "", "test"});
  json back = speedcenter::export_pyperf(t.db(), run);
  EXPECT_EQ(back, doc) << back.dump(1);
  // Bit-identical values, not merely equal after printing.
  const auto& values = back["benchmarks"][0]["runs"][1]["values"];
  EXPECT_EQ(values[0].get<double>(), 0.00010012345678901234);
}

TEST(PyperfJson, RoundTripsThroughFiles) {
  TempDatabase t;
  auto in = (t.scratch() / "in.json").string(), out = (t.scratch() / "out.json").string();
  std::ofstream(in) << pyperf_document().dump(4);
  std::int64_t run = speedcenter::import_pyperf_file(t.db(), in, {});
  speedcenter::export_pyperf_file(t.db(), run, out);
  std::ifstream back(out);
  EXPECT_EQ(json::parse(back), pyperf_document());
  std::filesystem::remove(in);
  std::filesystem::remove(out);
}

TEST(PyperfJson, AnImportIsAnOrdinaryRun) {
  TempDatabase t;
  std::int64_t run = speedcenter::import_pyperf(t.db(), pyperf_document(), {"", "v1.2", ""});
  auto record = speedcenter::load_run(t.db(), run);
  ASSERT_EQ(record.interpreters.size(), 1u);
  EXPECT_EQ(record.interpreters[0].label, "cpython-3.11.7");
  EXPECT_EQ(record.revision_label, "v1.2");
  const auto* sort = record.result("sort_sorted", 0);
  ASSERT_NE(sort, nullptr);
  // The calibration run has no values: two processes of five values are measured.
  size_t values = 0;
  for (const auto& g : sort->groups) values += g.size();
  EXPECT_EQ(values, 10u);
  ASSERT_TRUE(sort->metrics.count("mean"));
  EXPECT_NEAR(*sort->metrics.at("mean").value, 0.0001003, 0.000001);
  EXPECT_LT(*sort->metrics.at("mean").ci_low, *sort->metrics.at("mean").value);
  auto history = speedcenter::query_history(t.db(), {"json_dumps", "cpython:3.11", "", "mean"});
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].revision_label, "v1.2");
}

TEST(PyperfJson, NativeRunsExportAsPyperfDocuments) {
  TempDatabase t;
  json doc = pyperf_document();
  std::int64_t run = speedcenter::import_pyperf(t.db(), doc, {});
  // Forget that the run came from pyperf: the generic export path must still carry every value.
  t.db().exec("UPDATE runs SET options_json = '{}' WHERE id = " + std::to_string(run));
  json back = speedcenter::export_pyperf(t.db(), run);
  EXPECT_EQ(back["version"], "1.0");
  ASSERT_EQ(back["benchmarks"].size(), 2u);
  EXPECT_EQ(back["benchmarks"][1]["metadata"]["name"], "json_dumps");
  EXPECT_EQ(back["benchmarks"][1]["runs"][1]["values"], doc["benchmarks"][1]["runs"][1]["values"]);
  EXPECT_EQ(back["benchmarks"][0]["runs"][1]["warmups"][0][1], 0.000102345);
}

// An imported benchmark's intervals are the ones our own runs get: the process-level bootstrap over its
// pyperf runs (one run = one process), not a normal approximation of its own.
TEST(PyperfJson, ImportedIntervalsAreTheProcessLevelBootstrapOverPyperfRuns) {
  TempDatabase t;
  json doc = pyperf_document();
  std::int64_t run = speedcenter::import_pyperf(t.db(), doc, {});
  auto record = speedcenter::load_run(t.db(), run);  // kept: result() points into it
  const auto* sort = record.result("sort_sorted", 0);
  ASSERT_NE(sort, nullptr);
  speedcenter::stats::Groups processes;
  for (const auto& r : doc["benchmarks"][0]["runs"])
    if (r.contains("values")) processes.push_back(r["values"].get<std::vector<double>>());
  auto expected = speedcenter::stats::summarize(processes);
  for (auto [name, ci] :
       {std::pair{"mean", expected.mean_ci}, {"p50", expected.p50_ci}, {"p99", expected.p99_ci}}) {
    const auto& m = sort->metrics.at(name);
    ASSERT_TRUE(m.ci_low && m.ci_high) << name;
    EXPECT_DOUBLE_EQ(*m.ci_low, ci.low) << name;
    EXPECT_DOUBLE_EQ(*m.ci_high, ci.high) << name;
  }
  EXPECT_EQ(*sort->metrics.at("processes").value, 2);  // the calibration run measured nothing
}

// A batch worker stores each iteration twice, on the wall clock ('iteration') and as CPU seconds ('cpu'):
// pyperf gets one wall value per measured iteration and the CPU time only as run metadata.
TEST(PyperfJson, NativeExportHasOneWallValuePerMeasuredIteration) {
  TempDatabase t;
  json doc = pyperf_document();
  std::int64_t run = speedcenter::import_pyperf(t.db(), doc, {});
  t.db().exec("UPDATE runs SET options_json = '{}' WHERE id = " + std::to_string(run));
  t.db().exec(
      "INSERT INTO samples (result_id, worker_id, kind, seq, warmup, value)"
      " SELECT result_id, worker_id, 'cpu', seq, warmup, value / 2 FROM samples WHERE kind = 'iteration'");
  json back = speedcenter::export_pyperf(t.db(), run);
  ASSERT_EQ(back["benchmarks"].size(), 2u);
  const auto& runs = back["benchmarks"][1]["runs"];
  ASSERT_EQ(runs.size(), 2u);
  for (size_t r = 0; r < runs.size(); ++r) {
    const auto& original = doc["benchmarks"][1]["runs"][r];
    EXPECT_EQ(runs[r]["values"], original["values"]);
    ASSERT_EQ(runs[r]["warmups"].size(), original["warmups"].size());
    EXPECT_EQ(runs[r]["warmups"][0][1], original["warmups"][0][1]);
    auto values = original["values"].get<std::vector<double>>();
    EXPECT_DOUBLE_EQ(runs[r]["metadata"]["cpu_seconds_per_iteration"].get<double>(),
                     speedcenter::stats::mean(values) / 2);
  }
}

// pyperf refuses runs with neither values nor warmups and metadata with empty values; a failed worker's
// samples are not part of the result either.
TEST(PyperfJson, NativeExportLeavesOutFailedWorkersAndEmptyMetadata) {
  TempDatabase t;
  std::int64_t run = speedcenter::import_pyperf(t.db(), pyperf_document(), {});
  t.db().exec("UPDATE runs SET options_json = '{}' WHERE id = " + std::to_string(run));
  t.db().exec("UPDATE interpreters SET implementation = ''");
  t.db().exec("UPDATE workers SET status = 'failed' WHERE process_index = 2");
  json back = speedcenter::export_pyperf(t.db(), run);
  EXPECT_FALSE(back["metadata"].contains("python_implementation")) << back["metadata"].dump();
  // sort_sorted: the calibration run (warmups only) and process 1; process 2 failed.
  ASSERT_EQ(back["benchmarks"][0]["runs"].size(), 2u);
  EXPECT_EQ(back["benchmarks"][0]["runs"][1]["values"],
            pyperf_document()["benchmarks"][0]["runs"][1]["values"]);
}

TEST(PyperfJson, MalformedFilesAreRefusedWithoutStoringAnything) {
  TempDatabase t;
  for (const char* text : {R"({"version": "0.9", "benchmarks": []})", R"({"version": "1.0"})",
                           R"({"version": "1.0", "benchmarks": [{"runs": [{"values": ["x"]}]}]})",
                           R"({"version": "1.0", "benchmarks": [{"runs": [{"values": [1.0]}]}]})"}) {
    EXPECT_THROW(speedcenter::import_pyperf(t.db(), json::parse(text), {}), speedcenter::StoreError) << text;
  }
  EXPECT_EQ(t.db().scalar_int("SELECT count(*) FROM runs"), 0);
  EXPECT_THROW(speedcenter::import_pyperf_file(t.db(), "/nonexistent/bench.json", {}),
               speedcenter::StoreError);
}

}  // namespace
