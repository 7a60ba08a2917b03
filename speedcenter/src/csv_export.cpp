// speedcenter/csv_export.cpp: tables for history, regressions, runs and samples, and the CSV writer.
#include "speedcenter/csv_export.h"

#include <cstdio>
#include <cstdlib>

namespace speedcenter {
namespace {

std::string optional_number(const std::optional<double>& v) { return v ? csv_number(*v) : std::string(); }

std::string quoted(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string csv_number(double value) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  // Prefer the shortest form that reads back identically.
  for (int precision = 6; precision < 17; ++precision) {
    char shorter[40];
    std::snprintf(shorter, sizeof shorter, "%.*g", precision, value);
    if (std::strtod(shorter, nullptr) == value) return shorter;
  }
  return buf;
}

Table history_table(const std::vector<HistoryPoint>& points) {
  Table t{{"run", "revision", "commit", "committed_at", "run_started_at", "benchmark", "interpreter", "machine",
           "value", "ci_low", "ci_high", "unit"},
          {}};
  for (const auto& p : points)
    t.rows.push_back({std::to_string(p.run_id), p.revision_name(), p.revision_commit, p.revision_date,
                      p.run_started_at, p.benchmark, p.interpreter, p.machine, csv_number(p.value),
                      optional_number(p.ci_low), optional_number(p.ci_high), p.unit});
  return t;
}

Table regressions_table(const std::vector<Regression>& regressions) {
  Table t{{"benchmark", "interpreter", "machine", "metric", "kind", "revision_before", "revision_after", "run_before",
           "run_after", "mean_before", "mean_after", "relative_change", "relative_ci_low", "relative_ci_high"},
          {}};
  for (const auto& r : regressions)
    t.rows.push_back({r.benchmark, r.interpreter, r.machine, r.metric, r.regression ? "regression" : "improvement",
                      r.before.revision_name(), r.after.revision_name(), std::to_string(r.before.run_id),
                      std::to_string(r.after.run_id), csv_number(r.step.mean_before), csv_number(r.step.mean_after),
                      csv_number(r.step.relative), csv_number(r.step.relative_ci_low),
                      csv_number(r.step.relative_ci_high)});
  return t;
}

Table run_table(const RunRecord& run) {
  Table t{{"run", "revision", "benchmark", "interpreter", "status", "metric", "value", "ci_low", "ci_high", "unit", "note"},
          {}};
  for (const auto& r : run.results) {
    const std::string& interpreter = run.interpreters.at(static_cast<size_t>(r.position)).label;
    for (const auto& [name, m] : r.metrics)
      t.rows.push_back({std::to_string(run.id), run.revision_label, r.benchmark, interpreter, r.status, name,
                        optional_number(m.value), optional_number(m.ci_low), optional_number(m.ci_high), m.unit, m.note});
  }
  return t;
}

Table samples_table(const Database& db, std::int64_t run_id) {
  Table t{{"run", "benchmark", "interpreter", "process", "kind", "seq", "warmup", "t", "value"}, {}};
  auto st = db.prepare(
      "SELECT b.name, ri.label, w.process_index, s.kind, s.seq, s.warmup, s.t, s.value FROM samples s"
      " JOIN results res ON res.id = s.result_id JOIN benchmarks b ON b.id = res.benchmark_id"
      " JOIN workers w ON w.id = s.worker_id"
      " JOIN run_interpreters ri ON ri.run_id = res.run_id AND ri.interpreter_id = res.interpreter_id"
      " WHERE res.run_id = ? ORDER BY res.id, w.process_index, s.seq");
  st.bind(1, run_id);
  while (st.step())
    t.rows.push_back({std::to_string(run_id), st.column_text(0), st.column_text(1), std::to_string(st.column_int(2)),
                      st.column_text(3), std::to_string(st.column_int(4)), std::to_string(st.column_int(5)),
                      optional_number(st.column_optional_double(6)), csv_number(st.column_double(7))});
  return t;
}

void write_csv(std::ostream& out, const Table& table) {
  auto line = [&](const std::vector<std::string>& fields) {
    for (size_t i = 0; i < fields.size(); ++i) out << (i ? "," : "") << quoted(fields[i]);
    out << "\r\n";
  };
  line(table.columns);
  for (const auto& row : table.rows) line(row);
}

}  // namespace speedcenter
