// speedcenter/history.cpp: the history query (one metric across revisions) and the catalogue behind the filters.
#include "speedcenter/history.h"

#include <algorithm>
#include <cctype>

#include "metric_lookup.h"

namespace speedcenter {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::vector<std::string> strings(const Database& db, const char* sql) {
  std::vector<std::string> out;
  auto st = db.prepare(sql);
  while (st.step()) out.push_back(st.column_text(0));
  return out;
}

}  // namespace

std::string stored_metric_name(const std::string& metric) {
  if (metric == "memory") return "peak_rss";
  if (metric == "warmup") return "warmup_seconds";
  return metric;
}

std::optional<double> derived_metric(const Database& db, const std::string& metric, std::int64_t result_id) {
  if (metric != "warmup" && metric != "warmup_seconds") return std::nullopt;
  auto st = db.prepare(
      "SELECT sum(value) / count(DISTINCT worker_id) FROM samples WHERE result_id = ? AND warmup = 1"
      " AND kind IN ('iteration', 'latency')");
  st.bind(1, result_id);
  if (!st.step()) return std::nullopt;
  return st.column_optional_double(0);
}

std::string HistoryPoint::revision_name() const {
  if (!revision_label.empty()) return revision_label;
  if (!revision_commit.empty()) return revision_commit.substr(0, 10);
  return "run " + std::to_string(run_id);
}

bool interpreter_matches(const std::string& filter, const std::string& label, const std::string& implementation,
                         const std::string& version) {
  if (filter.empty() || filter == label) return true;
  std::string f = lower(filter), impl = lower(implementation);
  if (f == impl) return true;
  auto colon = f.find(':');
  if (colon == std::string::npos) return false;
  std::string want_version = f.substr(colon + 1);
  // "cpython:3.11" accepts 3.11.7 but not 3.1.
  return f.substr(0, colon) == impl &&
         (version == want_version || version.rfind(want_version + ".", 0) == 0);
}

std::vector<HistoryPoint> query_history(const Database& db, const HistoryQuery& query) {
  auto st = db.prepare(
      "SELECT r.id, res.id, r.started_at, coalesce(v.label, ''), coalesce(v.commit_hash, ''),"
      " coalesce(v.committed_at, ''), coalesce(v.message, ''), ri.label, coalesce(i.implementation, ''),"
      " coalesce(i.version, ''), m.hostname, b.name, mt.value, mt.ci_low, mt.ci_high, coalesce(mt.unit, '')"
      " FROM results res JOIN runs r ON r.id = res.run_id JOIN benchmarks b ON b.id = res.benchmark_id"
      " JOIN machines m ON m.id = r.machine_id JOIN interpreters i ON i.id = res.interpreter_id"
      " JOIN run_interpreters ri ON ri.run_id = r.id AND ri.interpreter_id = res.interpreter_id"
      " LEFT JOIN revisions v ON v.id = r.revision_id"
      " LEFT JOIN metrics mt ON mt.result_id = res.id AND mt.name = ?1"
      " WHERE res.status = 'ok' AND (?2 = '' OR b.name = ?2) AND (?3 = '' OR m.hostname = ?3)"
      " ORDER BY coalesce(nullif(v.committed_at, ''), r.started_at), r.started_at, r.id, b.name, ri.position");
  st.bind(1, stored_metric_name(query.metric)).bind(2, query.benchmark).bind(3, query.machine);
  std::vector<HistoryPoint> out;
  while (st.step()) {
    if (!interpreter_matches(query.interpreter, st.column_text(7), st.column_text(8), st.column_text(9))) continue;
    HistoryPoint p;
    p.run_id = st.column_int(0);
    p.result_id = st.column_int(1);
    p.run_started_at = st.column_text(2);
    p.revision_label = st.column_text(3);
    p.revision_commit = st.column_text(4);
    p.revision_date = st.column_text(5);
    p.revision_message = st.column_text(6);
    p.interpreter = st.column_text(7);
    p.machine = st.column_text(10);
    p.benchmark = st.column_text(11);
    std::optional<double> value = st.column_optional_double(12);
    if (value) {
      p.ci_low = st.column_optional_double(13);
      p.ci_high = st.column_optional_double(14);
      p.unit = st.column_text(15);
    } else {
      value = derived_metric(db, query.metric, p.result_id);
      p.unit = "s";
    }
    if (!value) continue;
    p.value = *value;
    out.push_back(std::move(p));
  }
  return out;
}

Catalogue read_catalogue(const Database& db) {
  Catalogue c;
  c.benchmarks = strings(db, "SELECT DISTINCT b.name FROM benchmarks b JOIN results r ON r.benchmark_id = b.id ORDER BY b.name");
  c.web_benchmarks = strings(db, "SELECT name FROM benchmarks WHERE kind = 'web' ORDER BY name");
  c.interpreters = strings(db, "SELECT label FROM run_interpreters GROUP BY label ORDER BY min(position), label");
  c.machines = strings(db, "SELECT DISTINCT hostname FROM machines ORDER BY hostname");
  c.metrics = strings(db, "SELECT DISTINCT name FROM metrics WHERE value IS NOT NULL ORDER BY name");
  return c;
}

}  // namespace speedcenter
