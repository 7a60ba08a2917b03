// speedcenter/dashboard_data.cpp: the dashboard's data, aggregated in SQL (GROUP BY buckets, window-function
// strides) so no view pulls a million raw samples into the GUI.
#include "speedcenter/dashboard_data.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "metric_lookup.h"

namespace speedcenter {
namespace {

// A result's measured samples are latency samples for web benchmarks, iteration times otherwise.
std::string sample_kind(const Database& db, std::int64_t result_id) {
  auto st = db.prepare("SELECT 1 FROM samples WHERE result_id = ? AND kind = 'latency' LIMIT 1");
  st.bind(1, result_id);
  return st.step() ? "latency" : "iteration";
}

double relative_half_width(const MetricCell& c) {
  if (!c.value || !c.ci_low || !c.ci_high || *c.value == 0) return 0;
  return (*c.ci_high - *c.ci_low) / 2 / std::abs(*c.value);
}

}  // namespace

ComparisonData comparison_data(const Database& db, std::int64_t run_id, const std::string& metric) {
  ComparisonData data;
  data.run_id = run_id;
  std::map<std::int64_t, size_t> column;
  auto interps = db.prepare("SELECT label, interpreter_id FROM run_interpreters WHERE run_id = ? ORDER BY position");
  interps.bind(1, run_id);
  while (interps.step()) {
    column[interps.column_int(1)] = data.interpreters.size();
    data.interpreters.push_back(interps.column_text(0));
  }
  auto st = db.prepare(
      "SELECT res.id, b.name, res.interpreter_id, mt.value, mt.ci_low, mt.ci_high, coalesce(mt.unit, '')"
      " FROM results res JOIN benchmarks b ON b.id = res.benchmark_id"
      " LEFT JOIN metrics mt ON mt.result_id = res.id AND mt.name = ?"
      " WHERE res.run_id = ? AND res.status = 'ok' ORDER BY res.id");
  st.bind(1, stored_metric_name(metric)).bind(2, run_id);
  std::map<std::string, size_t> row;
  while (st.step()) {
    std::string bench = st.column_text(1);
    if (!row.count(bench)) {
      row[bench] = data.benchmarks.size();
      data.benchmarks.push_back(bench);
      data.cells.emplace_back(data.interpreters.size());
    }
    auto col = column.find(st.column_int(2));
    if (col == column.end()) continue;
    MetricCell& cell = data.cells[row[bench]][col->second];
    cell.value = st.column_optional_double(3);
    if (cell.value) {
      cell.ci_low = st.column_optional_double(4);
      cell.ci_high = st.column_optional_double(5);
      if (data.unit.empty()) data.unit = st.column_text(6);
    } else {
      cell.value = derived_metric(db, metric, st.column_int(0));
    }
  }
  return data;
}

RatioTable ratios_against(const ComparisonData& data, size_t baseline) {
  RatioTable table;
  table.categories = data.benchmarks;
  table.categories.push_back("geomean");
  for (size_t j = 0; j < data.interpreters.size(); ++j) {
    if (j == baseline) continue;
    table.interpreters.push_back(data.interpreters[j]);
    std::vector<std::optional<Ratio>> row;
    double log_sum = 0, rel_sq_sum = 0;
    size_t n = 0;
    for (const auto& cells : data.cells) {
      const MetricCell& b = cells.at(baseline);
      const MetricCell& c = cells.at(j);
      if (!b.value || !c.value || *b.value <= 0 || *c.value <= 0) {
        row.emplace_back();
        continue;
      }
      double r = *c.value / *b.value;
      double rel = std::hypot(relative_half_width(b), relative_half_width(c));
      row.push_back(Ratio{r, r * (1 - rel), r * (1 + rel)});
      log_sum += std::log(r);
      rel_sq_sum += rel * rel;
      ++n;
    }
    if (n) {
      double g = std::exp(log_sum / static_cast<double>(n));
      double rel = std::sqrt(rel_sq_sum) / static_cast<double>(n);
      row.push_back(Ratio{g, g * (1 - rel), g * (1 + rel)});
    } else {
      row.emplace_back();
    }
    table.ratios.push_back(std::move(row));
  }
  return table;
}

std::int64_t latest_run(const Database& db, const std::string& machine, const std::string& benchmark) {
  auto st = db.prepare(
      "SELECT r.id FROM runs r JOIN machines m ON m.id = r.machine_id WHERE (?1 = '' OR m.hostname = ?1)"
      " AND EXISTS (SELECT 1 FROM results res JOIN benchmarks b ON b.id = res.benchmark_id"
      "             WHERE res.run_id = r.id AND res.status = 'ok' AND (?2 = '' OR b.name = ?2))"
      " ORDER BY r.id DESC LIMIT 1");
  st.bind(1, machine).bind(2, benchmark);
  return st.step() ? st.column_int(0) : 0;
}

std::vector<ResultRef> run_results(const Database& db, std::int64_t run_id, const std::string& benchmark) {
  auto st = db.prepare(
      "SELECT res.id, ri.label, b.kind FROM results res JOIN benchmarks b ON b.id = res.benchmark_id"
      " JOIN run_interpreters ri ON ri.run_id = res.run_id AND ri.interpreter_id = res.interpreter_id"
      " WHERE res.run_id = ? AND b.name = ? AND res.status = 'ok' ORDER BY ri.position");
  st.bind(1, run_id).bind(2, benchmark);
  std::vector<ResultRef> out;
  while (st.step()) out.push_back({st.column_int(0), st.column_text(1), st.column_text(2)});
  return out;
}

Distribution sample_distribution(const Database& db, std::int64_t result_id, int bins, int curve_points) {
  Distribution d;
  d.sample_kind = sample_kind(db, result_id);
  auto count = db.prepare("SELECT count(*), min(value) FROM samples WHERE result_id = ? AND kind = ? AND warmup = 0");
  count.bind(1, result_id).bind(2, d.sample_kind);
  count.step();
  d.samples = count.column_int(0);
  if (d.samples == 0) return d;
  double low = count.column_double(1);

  // Every k-th value in sorted order: the percentile curve without shipping every sample out of SQLite.
  std::int64_t stride = std::max<std::int64_t>(1, d.samples / std::max(1, curve_points));
  auto curve = db.prepare(
      "SELECT rn, value FROM (SELECT value, row_number() OVER (ORDER BY value) - 1 AS rn FROM samples"
      " WHERE result_id = ?1 AND kind = ?2 AND warmup = 0) WHERE rn % ?3 = 0 OR rn = ?4 - 1 OR rn = ?5");
  std::int64_t p995 = static_cast<std::int64_t>(std::floor(0.995 * static_cast<double>(d.samples - 1)));
  curve.bind(1, result_id).bind(2, d.sample_kind).bind(3, stride).bind(4, d.samples).bind(5, p995);
  double high = low;
  while (curve.step()) {
    std::int64_t rn = curve.column_int(0);
    double pct = d.samples > 1 ? 100.0 * static_cast<double>(rn) / static_cast<double>(d.samples - 1) : 100.0;
    d.percentiles.emplace_back(pct, curve.column_double(1));
    if (rn == p995) high = curve.column_double(1);
  }
  // The histogram spans min..p99.5 so a few outliers do not squash it; the last bin holds the tail.
  double width = high > low ? (high - low) / bins : 1.0;
  d.counts.assign(static_cast<size_t>(bins), 0);
  for (int i = 0; i < bins; ++i) {
    d.bin_low.push_back(low + i * width);
    d.bin_high.push_back(low + (i + 1) * width);
  }
  auto hist = db.prepare(
      "SELECT min(CAST((value - ?3) / ?4 AS INTEGER), ?5), count(*) FROM samples"
      " WHERE result_id = ?1 AND kind = ?2 AND warmup = 0 GROUP BY 1");
  hist.bind(1, result_id).bind(2, d.sample_kind).bind(3, low).bind(4, width).bind(5, bins - 1);
  while (hist.step()) {
    auto bin = std::clamp<std::int64_t>(hist.column_int(0), 0, bins - 1);
    d.counts[static_cast<size_t>(bin)] += hist.column_int(1);
  }
  return d;
}

WarmupCurve warmup_curve(const Database& db, std::int64_t result_id, int max_points) {
  WarmupCurve curve;
  std::string kind = sample_kind(db, result_id);
  auto range = db.prepare("SELECT min(coalesce(t, seq)), max(coalesce(t, seq)) FROM samples WHERE result_id = ? AND kind = ?");
  range.bind(1, result_id).bind(2, kind);
  if (!range.step() || range.is_null(0)) return curve;
  double lo = range.column_double(0), hi = range.column_double(1);
  double width = hi > lo ? (hi - lo) / max_points : 1.0;
  auto buckets = db.prepare(
      "SELECT avg(coalesce(t, seq)), avg(value) FROM samples WHERE result_id = ?1 AND kind = ?2"
      " GROUP BY CAST((coalesce(t, seq) - ?3) / ?4 AS INTEGER) ORDER BY 1");
  buckets.bind(1, result_id).bind(2, kind).bind(3, lo).bind(4, width);
  while (buckets.step()) curve.points.push_back({buckets.column_double(0), buckets.column_double(1)});

  auto end = db.prepare(
      "SELECT avg(e) FROM (SELECT max(coalesce(t, seq)) AS e FROM samples WHERE result_id = ? AND kind = ?"
      " AND warmup = 1 GROUP BY worker_id)");
  end.bind(1, result_id).bind(2, kind);
  if (end.step()) curve.warmup_end = end.column_optional_double(0);
  if (!curve.warmup_end) {
    auto metric = db.prepare("SELECT value FROM metrics WHERE result_id = ? AND name = 'warmup_seconds'");
    metric.bind(1, result_id);
    if (metric.step()) curve.warmup_end = metric.column_optional_double(0);
  }
  return curve;
}

std::vector<TimePoint> memory_curve(const Database& db, std::int64_t result_id, int max_points) {
  std::vector<TimePoint> out;
  auto worker = db.prepare(
      "SELECT w.id, min(m.t), max(m.t) FROM workers w JOIN memory_series m ON m.worker_id = w.id"
      " WHERE w.result_id = ? GROUP BY w.id ORDER BY w.process_index LIMIT 1");
  worker.bind(1, result_id);
  if (!worker.step()) return out;
  std::int64_t id = worker.column_int(0);
  double lo = worker.column_double(1), hi = worker.column_double(2);
  double width = hi > lo ? (hi - lo) / max_points : 1.0;
  // The peak of each bucket, so downsampling never hides a spike.
  auto st = db.prepare(
      "SELECT avg(t), max(rss_bytes) FROM memory_series WHERE worker_id = ? GROUP BY CAST((t - ?) / ? AS INTEGER)"
      " ORDER BY 1");
  st.bind(1, id).bind(2, lo).bind(3, width);
  while (st.step()) out.push_back({st.column_double(0), st.column_double(1)});
  return out;
}

std::vector<HotLineProfileRef> hot_line_profiles(const Database& db) {
  auto st = db.prepare(
      "SELECT p.id, p.target, coalesce((SELECT label FROM run_interpreters ri WHERE ri.interpreter_id = p.interpreter_id"
      " LIMIT 1), i.implementation || ' ' || i.version, ''), p.created_at FROM hot_line_profiles p"
      " LEFT JOIN interpreters i ON i.id = p.interpreter_id ORDER BY p.id DESC");
  std::vector<HotLineProfileRef> out;
  while (st.step()) out.push_back({st.column_int(0), st.column_text(1), st.column_text(2), st.column_text(3)});
  return out;
}

HotLines hot_lines(const Database& db, std::int64_t profile_id) {
  HotLines h;
  auto head = db.prepare("SELECT samples FROM hot_line_profiles WHERE id = ?");
  head.bind(1, profile_id);
  if (!head.step()) return h;
  h.samples = head.column_int(0);
  auto st = db.prepare("SELECT rank, filename, line, count FROM hot_line_entries WHERE profile_id = ? ORDER BY rank");
  st.bind(1, profile_id);
  double cumulative = 0;
  while (st.step()) {
    HotLine l;
    l.rank = static_cast<int>(st.column_int(0));
    l.filename = st.column_text(1);
    l.line = static_cast<int>(st.column_int(2));
    l.count = st.column_int(3);
    l.share = h.samples ? static_cast<double>(l.count) / static_cast<double>(h.samples) : 0;
    cumulative += l.share;
    l.cumulative = cumulative;
    h.lines.push_back(l);
  }
  return h;
}

}  // namespace speedcenter
