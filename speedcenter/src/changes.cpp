// speedcenter/changes.cpp: changes_since_previous_revision(). The interval of a change comes from the samples of
// the two results (stats::compare, resampling worker processes); a metric without samples behind it (memory,
// warmup, an imported percentile) falls back to the stored intervals of the two values.
#include "speedcenter/changes.h"

#include <algorithm>
#include <cmath>

#include "speedcenter/regression.h"
#include "speedcenter/stats.h"

namespace speedcenter {
namespace {

// The measured values of a result, one group per worker process.
stats::Groups process_groups(const Database& db, std::int64_t result_id) {
  auto st = db.prepare(
      "SELECT worker_id, value FROM samples WHERE result_id = ? AND warmup = 0 AND kind = (CASE WHEN EXISTS"
      " (SELECT 1 FROM samples WHERE result_id = ? AND kind = 'latency') THEN 'latency' ELSE 'iteration' END)"
      " ORDER BY worker_id, seq");
  st.bind(1, result_id).bind(2, result_id);
  stats::Groups groups;
  std::int64_t worker = -1;
  while (st.step()) {
    if (st.column_int(0) != worker) {
      worker = st.column_int(0);
      groups.emplace_back();
    }
    groups.back().push_back(st.column_double(1));
  }
  return groups;
}

void estimate(const Database& db, const std::string& metric, double min_change, BenchmarkChange& c) {
  c.change = c.current.value / c.previous.value - 1;
  if (metric == "mean") {
    stats::Groups before = process_groups(db, c.previous.result_id), after = process_groups(db, c.current.result_id);
    if (!before.empty() && !after.empty()) {
      stats::Comparison k = stats::compare(before, after);  // speedup = before / after
      c.change_low = 1 / k.speedup_ci.high - 1;
      c.change_high = 1 / k.speedup_ci.low - 1;
      c.p_value = k.p_value;
      c.significant = k.significant && std::abs(c.change) >= min_change;
      return;
    }
  }
  auto rel = [](const HistoryPoint& p) {
    return p.ci_low && p.ci_high && p.value ? (*p.ci_high - *p.ci_low) / 2 / std::abs(p.value) : 0.0;
  };
  double half = (1 + c.change) * std::hypot(rel(c.previous), rel(c.current));
  c.change_low = c.change - half;
  c.change_high = c.change + half;
  c.significant = half > 0 && (c.change_low > 0 || c.change_high < 0) && std::abs(c.change) >= min_change;
}

}  // namespace

Changes changes_since_previous_revision(const Database& db, const ChangesQuery& query) {
  Catalogue catalogue = read_catalogue(db);
  Changes out;
  out.metric = query.metric;
  out.machine = !query.machine.empty() || catalogue.machines.empty() ? query.machine : catalogue.machines.front();
  out.interpreter =
      !query.interpreter.empty() || catalogue.interpreters.empty() ? query.interpreter : catalogue.interpreters.front();
  for (const auto& benchmark : catalogue.benchmarks) {
    HistoryQuery h{benchmark, out.interpreter, out.machine, query.metric};
    auto points = query_history(db, h);
    if (points.size() < 2) continue;
    BenchmarkChange c;
    c.benchmark = benchmark;
    c.current = points.back();
    c.unit = c.current.unit;
    // The previous revision: the newest point of another revision (two runs of one revision are not a change).
    auto previous = std::find_if(points.rbegin(), points.rend(), [&](const HistoryPoint& p) {
      return p.revision_name() != c.current.revision_name();
    });
    if (previous == points.rend() || previous->value == 0) continue;
    c.previous = *previous;
    estimate(db, query.metric, query.min_change, c);
    for (const auto& r : find_regressions(db, h)) (r.regression ? c.regression : c.improvement) = r.after.revision_name();
    out.rows.push_back(std::move(c));
  }
  return out;
}

}  // namespace speedcenter
