// speedcenter/run_query.cpp: queries that rebuild a run (results, per-process samples, metrics) from the store.
#include "speedcenter/run_query.h"

#include <algorithm>
#include <limits>
#include <sstream>

namespace speedcenter {

const ResultRecord* RunRecord::result(const std::string& benchmark, int position) const {
  for (const auto& r : results)
    if (r.benchmark == benchmark && r.position == position) return &r;
  return nullptr;
}

std::int64_t latest_run_id(const Database& db) {
  std::int64_t id = db.scalar_int("SELECT coalesce(max(id), 0) FROM runs");
  if (id == 0) throw StoreError("the database " + db.path().string() + " holds no runs", "run pyston-bench compare first");
  return id;
}

RunRecord load_run(const Database& db, std::int64_t run_id, bool with_samples) {
  RunRecord run;
  auto head = db.prepare(
      "SELECT r.id, r.started_at, coalesce(r.finished_at, ''), r.status, r.command_line, m.hostname,"
      " coalesce(v.label, ''), coalesce(v.commit_hash, ''), r.options_json FROM runs r JOIN machines m ON m.id = r.machine_id"
      " LEFT JOIN revisions v ON v.id = r.revision_id WHERE r.id = ?");
  head.bind(1, run_id);
  if (!head.step())
    throw StoreError("there is no run " + std::to_string(run_id) + " in " + db.path().string(),
                     "list the runs with: pyston-bench list-runs");
  run.id = head.column_int(0);
  run.started_at = head.column_text(1);
  run.finished_at = head.column_text(2);
  run.status = head.column_text(3);
  run.command_line = head.column_text(4);
  run.hostname = head.column_text(5);
  run.revision_label = head.column_text(6);
  run.revision_commit = head.column_text(7);
  run.options_json = head.column_text(8);

  auto interps = db.prepare(
      "SELECT ri.label, coalesce(i.implementation, ''), coalesce(i.version, ''), i.executable, i.id"
      " FROM run_interpreters ri JOIN interpreters i ON i.id = ri.interpreter_id WHERE ri.run_id = ? ORDER BY ri.position");
  interps.bind(1, run_id);
  std::map<std::int64_t, int> position_of;
  while (interps.step()) {
    position_of[interps.column_int(4)] = static_cast<int>(run.interpreters.size());
    run.interpreters.push_back({interps.column_text(0), interps.column_text(1), interps.column_text(2), interps.column_text(3)});
  }

  auto results = db.prepare(
      "SELECT res.id, b.name, b.suite, b.kind, res.status, coalesce(res.error, ''), res.interpreter_id"
      " FROM results res JOIN benchmarks b ON b.id = res.benchmark_id WHERE res.run_id = ? ORDER BY res.id");
  results.bind(1, run_id);
  while (results.step()) {
    ResultRecord r;
    r.id = results.column_int(0);
    r.benchmark = results.column_text(1);
    r.suite = results.column_text(2);
    r.kind = results.column_text(3);
    r.status = results.column_text(4);
    r.error = results.column_text(5);
    r.position = position_of[results.column_int(6)];
    if (std::find(run.benchmarks.begin(), run.benchmarks.end(), r.benchmark) == run.benchmarks.end())
      run.benchmarks.push_back(r.benchmark);
    run.results.push_back(std::move(r));
  }

  auto metrics = db.prepare("SELECT name, value, unit, ci_low, ci_high, coalesce(note, '') FROM metrics WHERE result_id = ?");
  auto samples = db.prepare(
      "SELECT s.worker_id, s.value, s.kind FROM samples s JOIN workers w ON w.id = s.worker_id"
      " WHERE s.result_id = ? AND s.warmup = 0 AND w.status = 'ok' AND s.kind = ? ORDER BY s.worker_id, s.seq");
  for (auto& r : run.results) {
    metrics.bind(1, r.id);
    while (metrics.step()) {
      MetricRecord m{metrics.column_optional_double(1), metrics.column_text(2), metrics.column_optional_double(3),
                     metrics.column_optional_double(4), metrics.column_text(5)};
      r.metrics[metrics.column_text(0)] = m;
    }
    metrics.reset();
    if (!with_samples) continue;
    r.sample_kind = r.kind == "web" ? "latency" : "iteration";
    samples.bind(1, r.id).bind(2, r.sample_kind);
    std::int64_t current_worker = -1;
    while (samples.step()) {
      if (samples.column_int(0) != current_worker) {
        current_worker = samples.column_int(0);
        r.groups.emplace_back();
      }
      r.groups.back().push_back(samples.column_double(1));
    }
    samples.reset();
  }

  auto failures = db.prepare(
      "SELECT coalesce(benchmark, ''), coalesce(interpreter, ''), reason, coalesce(detail, '') FROM failures"
      " WHERE run_id = ? ORDER BY id");
  failures.bind(1, run_id);
  while (failures.step())
    run.failures.push_back({failures.column_text(0), failures.column_text(1), failures.column_text(2), failures.column_text(3)});
  auto facts = db.prepare("SELECT name, value, coalesce(text, '') FROM run_metadata WHERE run_id = ?");
  facts.bind(1, run_id);
  while (facts.step()) run.machine_activity[facts.column_text(0)] = {facts.column_optional_double(1), facts.column_text(2)};
  return run;
}

std::vector<RunSummary> list_runs(const Database& db, int limit) {
  auto query = db.prepare(
      "SELECT r.id, r.started_at, r.status,"
      " (SELECT group_concat(label, ' vs ') FROM (SELECT label FROM run_interpreters WHERE run_id = r.id ORDER BY position) AS ordered),"
      " coalesce((SELECT coalesce(nullif(label, ''), substr(commit_hash, 1, 10)) FROM revisions WHERE id = r.revision_id), ''),"
      " (SELECT count(DISTINCT benchmark_id) FROM results WHERE run_id = r.id),"
      " (SELECT count(*) FROM results WHERE run_id = r.id AND status = 'failed'),"
      " (SELECT count(*) FROM samples s JOIN results x ON x.id = s.result_id WHERE x.run_id = r.id),"
      " coalesce(r.finished_at, ''), m.hostname,"
      " coalesce((SELECT group_concat(name, '\n') FROM (SELECT b.name FROM results x JOIN benchmarks b ON b.id = x.benchmark_id"
      "   WHERE x.run_id = r.id GROUP BY b.name ORDER BY min(x.id)) AS ran), '')"
      " FROM runs r JOIN machines m ON m.id = r.machine_id ORDER BY r.id DESC LIMIT ?");
  query.bind(1, limit < 0 ? std::numeric_limits<std::int64_t>::max() : std::int64_t{limit});
  std::vector<RunSummary> out;
  while (query.step()) {
    RunSummary s;
    s.id = query.column_int(0);
    s.started_at = query.column_text(1);
    s.status = query.column_text(2);
    s.interpreters = query.column_text(3);
    s.revision = query.column_text(4);
    s.benchmarks = static_cast<int>(query.column_int(5));
    s.failed = static_cast<int>(query.column_int(6));
    s.samples = query.column_int(7);
    s.finished_at = query.column_text(8);
    s.machine = query.column_text(9);
    std::stringstream names(query.column_text(10));  // one a line (a name may hold a comma, never a newline)
    for (std::string name; std::getline(names, name);) s.benchmark_names.push_back(name);
    out.push_back(s);
  }
  return out;
}

}  // namespace speedcenter
