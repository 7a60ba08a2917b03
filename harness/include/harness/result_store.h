// harness/result_store.h: writes a run into the speedcenter database: machine, interpreters, revision, and one
// transaction per finished benchmark (results, workers, every raw sample, memory series, metrics, failures).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include "harness/analysis.h"
#include "harness/interpreter.h"
#include "harness/runner.h"
#include "speedcenter/database.h"

namespace harness {

struct MachineInfo {
  std::string hostname, cpu_model, kernel;
  int cores = 0;
  std::int64_t memory_bytes = 0;
  std::string fingerprint() const;
};
MachineInfo describe_machine();

struct RevisionInfo {
  std::string repo, commit_hash, label, branch, committed_at, message;
};
// Reads commit, branch, date and subject of `repo` (a git work tree) at HEAD; label is kept as given.
RevisionInfo describe_revision(const std::string& repo, const std::string& label);

class ResultStore {
 public:
  explicit ResultStore(speedcenter::Database& db) : db_(db) {}

  std::int64_t begin_run(const std::vector<Interpreter>& interpreters, const std::string& command_line,
                         const nlohmann::json& options, const std::optional<RevisionInfo>& revision);
  // One transaction: the benchmark's results under every interpreter.
  void record_benchmark(const BenchmarkOutcome& outcome, const std::vector<ResultAnalysis>& analyses);
  void record_failure(const std::string& benchmark, const std::string& interpreter, const std::string& reason,
                      const std::string& detail = {});
  // A fact about the machine during the run (table run_metadata): a number, or a text.
  void record_run_metadata(const std::string& name, std::optional<double> value, const std::string& text = {});
  // status: complete, incomplete (interrupted) or failed (something failed).
  void finish_run(const std::string& status);
  std::int64_t run_id() const { return run_id_; }

 private:
  std::int64_t upsert_interpreter(const Interpreter& interpreter);
  std::int64_t upsert_benchmark(const Benchmark& benchmark);

  speedcenter::Database& db_;
  std::int64_t run_id_ = 0;
  std::vector<std::int64_t> interpreter_ids_;
  std::vector<std::string> interpreter_labels_;
};

// Marks runs left 'running' by a process that no longer exists (killed -9, power loss) as 'incomplete'.
void mark_abandoned_runs(speedcenter::Database& db);

}  // namespace harness
