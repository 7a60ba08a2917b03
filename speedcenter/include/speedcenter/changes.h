// speedcenter/changes.h: codespeed's first question, "what changed since the last revision, and is it real?":
// for one machine and interpreter, each benchmark's newest result against its previous revision's, with the
// change's 95% interval and significance (stats::compare over worker processes), and the steps that
// `pyston-bench regressions` reports marked.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "speedcenter/history.h"

namespace speedcenter {

struct ChangesQuery {
  std::string machine;      // hostname; empty: the first machine of the store
  std::string interpreter;  // as HistoryQuery::interpreter; empty: the first interpreter label of the store
  std::string metric = "mean";
  // Smaller changes are never called significant: one run's interval knows nothing of run-to-run noise (the
  // same 2% as `pyston-bench regressions --min-step`).
  double min_change = 0.02;
};

struct BenchmarkChange {
  std::string benchmark, unit;
  HistoryPoint previous, current;
  double change = 0;                  // current / previous - 1 (time-like metrics: > 0 is slower)
  double change_low = 0, change_high = 0;  // its 95% interval
  double p_value = 1;                 // Mann-Whitney over process means (informational)
  bool significant = false;           // the interval excludes 0 and |change| >= min_change
  std::string regression;             // "" or the revision where `regressions` finds a slowdown ("r7")
  std::string improvement;            // likewise for a speed-up
};

struct Changes {
  std::string machine, interpreter, metric;
  std::vector<BenchmarkChange> rows;  // benchmarks with at least two revisions, by name
};

Changes changes_since_previous_revision(const Database& db, const ChangesQuery& query);

}  // namespace speedcenter
