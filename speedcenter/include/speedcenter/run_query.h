// speedcenter/run_query.h: reading runs back from the store (for `show`, `list-runs`, reports and the GUI).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "speedcenter/database.h"

namespace speedcenter {

struct MetricRecord {
  std::optional<double> value;
  std::string unit;
  std::optional<double> ci_low, ci_high;
  std::string note;
};

struct ResultRecord {
  std::int64_t id = 0;
  std::string benchmark, suite, kind, status, error;
  int position = 0;                           // index of the interpreter in the run
  std::string sample_kind;                    // "iteration" or "latency"
  std::vector<std::vector<double>> groups;    // measured values per worker process (warmups excluded)
  std::map<std::string, MetricRecord> metrics;
};

struct RunInterpreterRecord {
  std::string label, implementation, version, executable;
};

struct FailureRecord {
  std::string benchmark, interpreter, reason, detail;
};

struct RunRecord {
  std::int64_t id = 0;
  std::string started_at, finished_at, status, command_line, hostname;
  std::string revision_label, revision_commit;
  std::string options_json = "{}";            // the options the run was started with (processes, precision...)
  std::vector<RunInterpreterRecord> interpreters;
  std::vector<std::string> benchmarks;        // in the order they ran
  std::vector<ResultRecord> results;
  std::vector<FailureRecord> failures;
  // What the machine was doing during the run (run_metadata): name -> number or text.
  struct Fact {
    std::optional<double> value;
    std::string text;
  };
  std::map<std::string, Fact> machine_activity;

  const ResultRecord* result(const std::string& benchmark, int position) const;
};

// Throws StoreError when the run does not exist.
RunRecord load_run(const Database& db, std::int64_t run_id, bool with_samples = true);
std::int64_t latest_run_id(const Database& db);

struct RunSummary {
  std::int64_t id = 0;
  std::string started_at, finished_at, status, interpreters, revision, machine;
  std::vector<std::string> benchmark_names;  // in the order they ran
  int benchmarks = 0, failed = 0;
  std::int64_t samples = 0;
};
// Newest first; limit < 0: every run.
std::vector<RunSummary> list_runs(const Database& db, int limit);

}  // namespace speedcenter
