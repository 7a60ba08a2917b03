// speedcenter/history.h: one metric of one benchmark across revisions (the speed center's timeline), and the
// catalogue of what the store holds (benchmarks, interpreters, machines, metrics) for filters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "speedcenter/database.h"

namespace speedcenter {

// Which results make up a history. Empty fields do not filter.
struct HistoryQuery {
  std::string benchmark;
  // A run label ("py311"), an implementation ("cpython"), or implementation:version ("cpython:3.11").
  std::string interpreter;
  std::string machine;  // hostname
  std::string metric = "mean";
};

// One point per (run, interpreter): the metric's value with its confidence interval when stored.
struct HistoryPoint {
  std::int64_t run_id = 0, result_id = 0;
  std::string run_started_at;
  std::string revision_label, revision_commit, revision_date, revision_message;
  std::string interpreter, machine, benchmark;
  double value = 0;
  std::optional<double> ci_low, ci_high;
  std::string unit;
  // The revision's name for people: its label, else the short commit, else the run.
  std::string revision_name() const;
};

// Ordered by the revision's commit date when known, else by the run's start time (then run id).
// Metrics missing from the store are derived where possible: "warmup" from warmup-flagged samples.
std::vector<HistoryPoint> query_history(const Database& db, const HistoryQuery& query);

// Whether an interpreter filter (see HistoryQuery::interpreter) accepts a run's interpreter.
bool interpreter_matches(const std::string& filter, const std::string& label, const std::string& implementation,
                         const std::string& version);

struct Catalogue {
  std::vector<std::string> benchmarks, interpreters, machines, metrics;
  std::vector<std::string> web_benchmarks;
};
Catalogue read_catalogue(const Database& db);

}  // namespace speedcenter
