// speedcenter/dashboard_data.cpp: the dashboard's data, aggregated before it reaches the GUI: metrics in SQL;
// sample distributions, warmup and memory buckets in one streaming pass over a result's rows.
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
      "SELECT res.id, b.name, res.interpreter_id, mt.value, mt.ci_low, mt.ci_high, coalesce(mt.unit, ''), np.value"
      " FROM results res JOIN benchmarks b ON b.id = res.benchmark_id"
      " LEFT JOIN metrics mt ON mt.result_id = res.id AND mt.name = ?"
      " LEFT JOIN metrics np ON np.result_id = res.id AND np.name = 'processes'"
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
    if (!st.is_null(7)) cell.processes = st.column_int(7);
    if (cell.value) {
      cell.ci_low = st.column_optional_double(4);
      cell.ci_high = st.column_optional_double(5);
      if (data.unit.empty()) data.unit = st.column_text(6);
    } else {
      cell.value = derived_metric(db, metric, st.column_int(0));
    }
  }
  auto revision = db.prepare(
      "SELECT coalesce(nullif(v.label, ''), substr(v.commit_hash, 1, 10), '') FROM runs r"
      " JOIN revisions v ON v.id = r.revision_id WHERE r.id = ?");
  revision.bind(1, run_id);
  if (revision.step()) data.revision = revision.column_text(0);
  return data;
}

ComparisonData comparison_of_runs(const Database& db, std::int64_t first, std::int64_t second,
                                  const std::string& metric) {
  ComparisonData a = comparison_data(db, first, metric), b = comparison_data(db, second, metric), out;
  out.run_id = second;
  out.revision = b.revision;
  out.unit = a.unit.empty() ? b.unit : a.unit;
  for (const auto& [side, run] : {std::pair{&a, first}, {&b, second}})
    for (const auto& name : side->interpreters)
      out.interpreters.push_back(name + " (run " + std::to_string(run) + ")");
  out.benchmarks = a.benchmarks;
  for (const auto& name : b.benchmarks)
    if (std::find(out.benchmarks.begin(), out.benchmarks.end(), name) == out.benchmarks.end())
      out.benchmarks.push_back(name);
  for (const auto& name : out.benchmarks) {
    std::vector<MetricCell> row;
    for (const ComparisonData* side : {&a, &b}) {
      auto at = std::find(side->benchmarks.begin(), side->benchmarks.end(), name);
      for (size_t j = 0; j < side->interpreters.size(); ++j)
        row.push_back(at == side->benchmarks.end() ? MetricCell{}
                                                   : side->cells[static_cast<size_t>(at - side->benchmarks.begin())][j]);
    }
    out.cells.push_back(std::move(row));
  }
  return out;
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

std::int64_t latest_comparison_run(const Database& db, const std::string& machine) {
  auto st = db.prepare(
      "SELECT r.id FROM runs r JOIN machines m ON m.id = r.machine_id WHERE (?1 = '' OR m.hostname = ?1)"
      " AND (SELECT count(*) FROM run_interpreters ri WHERE ri.run_id = r.id) >= 2"
      " AND EXISTS (SELECT 1 FROM results res WHERE res.run_id = r.id AND res.status = 'ok')"
      " ORDER BY r.id DESC LIMIT 1");
  st.bind(1, machine);
  return st.step() ? st.column_int(0) : 0;
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

// One streaming pass over the result's rows (the samples_by_result index): no SQL sort or GROUP BY, which
// SQLite would answer with an external sort of every row. Sorting the values in memory is far cheaper.
Distribution sample_distribution(const Database& db, std::int64_t result_id, int bins, int curve_points) {
  Distribution d;
  d.sample_kind = sample_kind(db, result_id);
  std::vector<double> values;
  auto st = db.prepare("SELECT value FROM samples WHERE result_id = ? AND kind = ? AND warmup = 0");
  st.bind(1, result_id).bind(2, d.sample_kind);
  while (st.step()) values.push_back(st.column_double(0));
  d.samples = static_cast<std::int64_t>(values.size());
  if (values.empty()) return d;
  std::sort(values.begin(), values.end());
  if (bins <= 0) bins = static_cast<int>(std::clamp<std::int64_t>(d.samples / 8, 5, 60));
  size_t n = values.size();
  size_t stride = std::max<size_t>(1, n / static_cast<size_t>(std::max(1, curve_points)));
  for (size_t i = 0; i < n; i += stride)
    d.percentiles.emplace_back(n > 1 ? 100.0 * static_cast<double>(i) / static_cast<double>(n - 1) : 100.0, values[i]);
  if ((n - 1) % stride) d.percentiles.emplace_back(100.0, values[n - 1]);
  // The histogram spans min..p99.5 so a few outliers do not squash it; the last bin holds the tail.
  double low = values.front();
  double high = values[static_cast<size_t>(std::floor(0.995 * static_cast<double>(n - 1)))];
  double width = high > low ? (high - low) / bins : 1.0;
  d.counts.assign(static_cast<size_t>(bins), 0);
  for (int i = 0; i < bins; ++i) {
    d.bin_low.push_back(low + i * width);
    d.bin_high.push_back(low + (i + 1) * width);
  }
  for (double v : values) {
    auto bin = std::clamp<std::int64_t>(static_cast<std::int64_t>((v - low) / width), 0, bins - 1);
    ++d.counts[static_cast<size_t>(bin)];
  }
  return d;
}

WarmupCurve warmup_curve(const Database& db, std::int64_t result_id, int max_points) {
  WarmupCurve curve;
  std::string kind = sample_kind(db, result_id);
  struct Row {
    double t, value;
  };
  std::vector<Row> rows;
  std::map<std::int64_t, double> warmup_end_of_worker;
  auto st = db.prepare("SELECT coalesce(t, seq), value, warmup, worker_id FROM samples WHERE result_id = ? AND kind = ?");
  st.bind(1, result_id).bind(2, kind);
  while (st.step()) {
    rows.push_back({st.column_double(0), st.column_double(1)});
    if (st.column_int(2)) {
      double& end = warmup_end_of_worker[st.column_int(3)];
      end = std::max(end, rows.back().t);
    }
  }
  if (rows.empty()) return curve;
  auto [lo_it, hi_it] = std::minmax_element(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.t < b.t; });
  double lo = lo_it->t, hi = hi_it->t;
  double width = hi > lo ? (hi - lo) / max_points : 1.0;
  std::vector<double> sum_t(static_cast<size_t>(max_points)), sum_v(static_cast<size_t>(max_points));
  std::vector<std::int64_t> count(static_cast<size_t>(max_points));
  for (const Row& r : rows) {
    auto b = static_cast<size_t>(std::clamp<std::int64_t>(static_cast<std::int64_t>((r.t - lo) / width), 0, max_points - 1));
    sum_t[b] += r.t;
    sum_v[b] += r.value;
    ++count[b];
  }
  for (size_t b = 0; b < count.size(); ++b)
    if (count[b]) curve.points.push_back({sum_t[b] / static_cast<double>(count[b]), sum_v[b] / static_cast<double>(count[b])});
  if (!warmup_end_of_worker.empty()) {
    double total = 0;
    for (const auto& [worker, end] : warmup_end_of_worker) total += end;
    curve.warmup_end = total / static_cast<double>(warmup_end_of_worker.size());
  } else {
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
  // The peak of each bucket, so downsampling never hides a spike (bucketed here: the stores' integer casts and
  // two-argument min() differ).
  std::vector<double> sum_t(static_cast<size_t>(max_points), 0), peak(static_cast<size_t>(max_points), 0);
  std::vector<int> count(static_cast<size_t>(max_points), 0);
  auto st = db.prepare("SELECT t, rss_bytes FROM memory_series WHERE worker_id = ?");
  st.bind(1, id);
  while (st.step()) {
    double t = st.column_double(0), rss = st.column_double(1);
    auto b = static_cast<size_t>(std::clamp(static_cast<int>((t - lo) / width), 0, max_points - 1));
    sum_t[b] += t;
    peak[b] = count[b] ? std::max(peak[b], rss) : rss;
    ++count[b];
  }
  for (size_t b = 0; b < count.size(); ++b)
    if (count[b]) out.push_back({sum_t[b] / static_cast<double>(count[b]), peak[b]});
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
