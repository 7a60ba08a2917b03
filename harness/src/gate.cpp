// harness/gate.cpp: thresholds, reading both sides of a gate from the store, and judging each benchmark.
#include "harness/gate.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <toml++/toml.h>

#include "harness/error.h"
#include "speedcenter/run_query.h"

namespace harness {
namespace {

// Time-like metrics: the median of per-pair ratios (or of per-process values), robust to a disturbed pair.
constexpr double kTrim = 0.5;
constexpr const char* kMetricNames[] = {"time", "p99", "rss", "warmup", "instructions", "cpu-time"};

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

std::int64_t find_run(const speedcenter::Database& db, const std::string& ref) {
  if (all_digits(ref)) {
    auto q = db.prepare("SELECT id FROM runs WHERE id = ?");
    q.bind(1, static_cast<std::int64_t>(std::stoll(ref)));
    if (q.step()) return q.column_int(0);
  }
  auto q = db.prepare(
      "SELECT runs.id FROM runs JOIN revisions ON revisions.id = runs.revision_id WHERE runs.status != 'running'"
      " AND (revisions.label = ? OR (length(?) >= 7 AND revisions.commit_hash LIKE ? || '%'))"
      " ORDER BY runs.id DESC LIMIT 1");
  q.bind(1, ref).bind(2, ref).bind(3, ref);
  if (q.step()) return q.column_int(0);
  throw HarnessError("no run, revision label or commit '" + ref + "' in " + db.path().string(),
                     "`pyston-bench list-runs` shows runs; label them with `--revision LABEL`");
}

// Per worker: seconds spent before the series reached its steady state (0 when it never left the band).
stats::Groups warmup_groups(const speedcenter::Database& db, std::int64_t result_id) {
  auto q = db.prepare(
      "SELECT samples.worker_id, samples.value FROM samples JOIN workers ON workers.id = samples.worker_id"
      " WHERE samples.result_id = ? AND workers.status = 'ok' AND samples.kind IN ('iteration', 'latency')"
      " ORDER BY samples.worker_id, samples.seq");
  q.bind(1, result_id);
  std::map<std::int64_t, std::vector<double>> series;
  while (q.step()) series[q.column_int(0)].push_back(q.column_double(1));
  stats::Groups groups;
  for (const auto& [worker, values] : series) {
    auto index = stats::warmup_index(values);
    double seconds = 0;
    for (size_t i = 0; index && i < *index && i < values.size(); ++i) seconds += values[i];
    groups.push_back({seconds});
  }
  return groups;
}

// Per worker: the CPU seconds of each measured iteration (pb_worker reports them next to the wall time).
stats::Groups cpu_groups(const speedcenter::Database& db, std::int64_t result_id) {
  auto q = db.prepare(
      "SELECT samples.worker_id, samples.value FROM samples JOIN workers ON workers.id = samples.worker_id"
      " WHERE samples.result_id = ? AND workers.status = 'ok' AND samples.kind = 'cpu' AND samples.warmup = 0"
      " ORDER BY samples.worker_id, samples.seq");
  q.bind(1, result_id);
  std::map<std::int64_t, std::vector<double>> per_worker;
  while (q.step()) per_worker[q.column_int(0)].push_back(q.column_double(1));
  stats::Groups groups;
  for (auto& [worker, values] : per_worker) groups.push_back(std::move(values));
  return groups;
}

stats::Groups rss_groups(const speedcenter::Database& db, std::int64_t result_id) {
  auto q = db.prepare("SELECT peak_rss_bytes FROM workers WHERE result_id = ? AND status = 'ok'");
  q.bind(1, result_id);
  stats::Groups groups;
  while (q.step()) groups.push_back({static_cast<double>(q.column_int(0))});
  return groups;
}

// Bootstrap CI of statistic(candidate) / statistic(base), resampling whole processes on both sides.
stats::Interval ratio_ci(const stats::Groups& base, const stats::Groups& candidate,
                         double (*statistic)(std::span<const double>), const stats::BootstrapOptions& options) {
  std::mt19937_64 rng(options.seed);
  auto resample = [&](const stats::Groups& groups) {
    std::vector<double> values;
    std::uniform_int_distribution<size_t> pick(0, groups.size() - 1);
    for (size_t i = 0; i < groups.size(); ++i) {
      const auto& g = groups[pick(rng)];
      values.insert(values.end(), g.begin(), g.end());
    }
    return statistic(values);
  };
  std::vector<double> ratios;
  for (int i = 0; i < options.resamples; ++i) ratios.push_back(resample(candidate) / resample(base));
  double tail = (1 - options.confidence) / 2 * 100;
  return {stats::percentile(ratios, tail), stats::percentile(ratios, 100 - tail)};
}

double p99_of(std::span<const double> values) { return stats::percentile(values, 99); }

std::map<std::string, GateSample> load_baseline_file(const std::filesystem::path& file, GateMetric metric) {
  nlohmann::json j = nlohmann::json::parse(std::ifstream(file), nullptr, false);
  if (!j.is_object() || !j.contains("benchmarks") || !j["benchmarks"].is_object())
    throw HarnessError("baseline file " + file.string() + " is not a pyston-bench baseline",
                       "write one with `pyston-bench gate --candidate REF --save-baseline FILE`");
  std::string stored = j.value("metric", "instructions");
  if (stored != gate_metric_name(metric))
    throw HarnessError("baseline file " + file.string() + " holds " + stored + ", not " + gate_metric_name(metric),
                       "pass --metric " + stored);
  std::map<std::string, GateSample> out;
  for (const auto& [name, value] : j["benchmarks"].items()) {
    if (value.is_number()) out[name].exact = value.get<double>();
    else out[name].error = "has no number in " + file.filename().string();
  }
  return out;
}

}  // namespace

void save_gate_baseline(const speedcenter::Database& db, const GateSide& side, const std::filesystem::path& file) {
  nlohmann::json benchmarks = nlohmann::json::object();
  for (const auto& [name, sample] : load_gate_samples(db, side, GateMetric::instructions)) {
    if (!sample.exact) throw HarnessError(name + ": " + sample.error, "measure with --instructions");
    benchmarks[name] = *sample.exact;
  }
  nlohmann::json j = {{"metric", "instructions"}, {"run", side.run_id}, {"interpreter", side.label},
                      {"benchmarks", benchmarks}};
  auto q = db.prepare(
      "SELECT interpreters.version, runs.options_json FROM run_interpreters JOIN interpreters ON interpreters.id ="
      " run_interpreters.interpreter_id JOIN runs ON runs.id = run_interpreters.run_id"
      " WHERE run_interpreters.run_id = ? AND run_interpreters.label = ?");
  q.bind(1, side.run_id).bind(2, side.label);
  if (q.step()) {
    j["version"] = q.column_text(0);
    nlohmann::json options = nlohmann::json::parse(q.column_text(1), nullptr, false);
    if (options.is_object())
      for (const char* key : {"pid", "host"}) options.erase(key);
    j["options"] = options;
  }
  std::ofstream out(file);
  out << j.dump(2) << "\n";
  if (!out) throw HarnessError("cannot write " + file.string());
}

GateMetric parse_gate_metric(const std::string& text) {
  for (size_t i = 0; i < std::size(kMetricNames); ++i)
    if (text == kMetricNames[i]) return static_cast<GateMetric>(i);
  throw HarnessError("unknown gate metric '" + text + "'", "use time, cpu-time, p99, rss, warmup or instructions");
}

std::string gate_metric_name(GateMetric metric) { return kMetricNames[static_cast<int>(metric)]; }

double parse_threshold(const std::string& text) {
  std::string number = !text.empty() && text.back() == '%' ? text.substr(0, text.size() - 1) : text;
  size_t used = 0;
  double value = -1;
  try {
    value = std::stod(number, &used);
  } catch (const std::exception&) {
  }
  if (number.empty() || used != number.size() || !(value >= 0) || value >= 1000)
    throw HarnessError("bad threshold '" + text + "'", "give a percentage such as 3% or 0.5%");
  return value / 100;
}

double GateThresholds::for_benchmark(GateMetric metric, const std::string& benchmark) const {
  std::string name = gate_metric_name(metric);
  if (auto m = per_benchmark.find(name); m != per_benchmark.end())
    if (auto b = m->second.find(benchmark); b != m->second.end()) return b->second;
  if (auto m = per_metric.find(name); m != per_metric.end()) return m->second;
  return fallback;
}

GateThresholds load_gate_thresholds(const std::filesystem::path& toml_file, double fallback) {
  GateThresholds thresholds;
  thresholds.fallback = fallback;
  if (toml_file.empty()) return thresholds;
  toml::table config;
  try {
    config = toml::parse_file(toml_file.string());
  } catch (const toml::parse_error& e) {
    throw HarnessError("cannot read gate config " + toml_file.string() + ": " + std::string(e.description()),
                       "see `pyston-bench gate --help` for the format");
  }
  auto threshold_of = [&](const toml::node& node, const std::string& where) {
    if (auto s = node.value<std::string>()) return parse_threshold(*s);
    if (auto d = node.value<double>()) return *d / 100;
    throw HarnessError("gate config " + toml_file.string() + ": " + where + " must be a percentage like \"3%\"");
  };
  for (const auto& [key, node] : config) {
    std::string name(key.str());
    if (name == "threshold") {
      thresholds.fallback = threshold_of(node, name);
      continue;
    }
    parse_gate_metric(name);  // a table per metric; anything else is a typo worth reporting
    const toml::table* table = node.as_table();
    if (!table) throw HarnessError("gate config: [" + name + "] must be a table");
    for (const auto& [bkey, bnode] : *table) {
      std::string benchmark(bkey.str());
      double t = threshold_of(bnode, name + "." + benchmark);
      if (benchmark == "threshold") thresholds.per_metric[name] = t;
      else thresholds.per_benchmark[name][benchmark] = t;
    }
  }
  return thresholds;
}

GateSide resolve_gate_ref(const speedcenter::Database& db, const std::string& ref) {
  GateSide side;
  if (ref.size() > 5 && ref.substr(ref.size() - 5) == ".json") {
    side.file = ref;
    if (!std::filesystem::exists(side.file)) throw HarnessError("no baseline file " + ref);
    return side;
  }
  std::string run_ref = ref;
  size_t colon = ref.rfind(':');
  if (colon != std::string::npos) {
    run_ref = ref.substr(0, colon);
    side.label = ref.substr(colon + 1);
  }
  side.run_id = find_run(db, run_ref);
  auto q = db.prepare("SELECT label FROM run_interpreters WHERE run_id = ? ORDER BY position");
  q.bind(1, side.run_id);
  std::vector<std::string> labels;
  while (q.step()) labels.push_back(q.column_text(0));
  std::string listed;
  for (const auto& l : labels) listed += (listed.empty() ? "" : ", ") + l;
  if (side.label.empty()) {
    if (labels.size() != 1)
      throw HarnessError("run " + std::to_string(side.run_id) + " measured several interpreters (" + listed + ")",
                         "name one: " + run_ref + ":LABEL");
    side.label = labels.front();
  } else if (std::find(labels.begin(), labels.end(), side.label) == labels.end()) {
    throw HarnessError("run " + std::to_string(side.run_id) + " has no interpreter '" + side.label + "'",
                       "its interpreters: " + listed);
  }
  return side;
}

std::map<std::string, GateSample> load_gate_samples(const speedcenter::Database& db, const GateSide& side,
                                                    GateMetric metric) {
  if (!side.file.empty()) return load_baseline_file(side.file, metric);
  speedcenter::RunRecord run = speedcenter::load_run(db, side.run_id, true);
  int position = 0;
  while (position < static_cast<int>(run.interpreters.size()) && run.interpreters[position].label != side.label)
    ++position;
  std::map<std::string, GateSample> out;
  for (const auto& r : run.results) {
    if (r.position != position) continue;
    GateSample& s = out[r.benchmark];
    s.run_id = side.run_id;
    if (r.status != "ok") {
      s.error = "failed: " + r.error;
      continue;
    }
    switch (metric) {
      case GateMetric::time:
      case GateMetric::p99: s.groups = r.groups; break;
      case GateMetric::rss: s.groups = rss_groups(db, r.id); break;
      case GateMetric::cpu_time: s.groups = cpu_groups(db, r.id); break;
      case GateMetric::warmup: s.groups = warmup_groups(db, r.id); break;
      case GateMetric::instructions: {
        auto it = r.metrics.find("instructions");
        if (it != r.metrics.end() && it->second.value) s.exact = it->second.value;
        else s.error = "no instruction count (measure with --instructions)";
        break;
      }
    }
    if (metric == GateMetric::cpu_time && s.groups.empty())
      s.error = "no CPU-time samples (a web benchmark, or measured before pb_worker reported CPU time)";
    else if (metric != GateMetric::instructions && s.groups.empty()) s.error = "no samples";
  }
  return out;
}

Verdict judge(const stats::Interval& change_ci, double threshold) {
  if (change_ci.low > threshold) return Verdict::regression;
  if (change_ci.high <= threshold) return Verdict::pass;
  return Verdict::inconclusive;
}

GateRow evaluate(const std::string& benchmark, GateMetric metric, const GateSample& base, const GateSample& candidate,
                 double threshold, const stats::BootstrapOptions& options) {
  GateRow row;
  row.benchmark = benchmark;
  row.threshold = threshold;
  if (!base.error.empty() || !candidate.error.empty()) {
    row.note = !base.error.empty() ? "baseline " + base.error : "candidate " + candidate.error;
    return row;
  }
  double ratio = 1;
  stats::Interval ratio_interval{1, 1};
  if (metric == GateMetric::instructions) {
    ratio = *base.exact > 0 ? *candidate.exact / *base.exact : NAN;
    ratio_interval = {ratio, ratio};
  } else if (metric == GateMetric::p99) {
    ratio = p99_of(stats::flatten(candidate.groups)) / p99_of(stats::flatten(base.groups));
    ratio_interval = ratio_ci(base.groups, candidate.groups, p99_of, options);
  } else if (metric == GateMetric::time || metric == GateMetric::cpu_time) {
    if (base.groups.size() < 2 || candidate.groups.size() < 2) {
      row.note = "needs at least 2 processes a side (-p)";
      return row;
    }
    bool paired = base.run_id != 0 && base.run_id == candidate.run_id && base.groups.size() == candidate.groups.size();
    // Each process's fastest iteration: on a shared machine the others were slowed by someone else's work.
    std::vector<double> b = stats::process_minimums(base.groups), c = stats::process_minimums(candidate.groups);
    stats::RatioEstimate r =
        paired ? stats::paired_ratio(b, c, kTrim, options) : stats::unpaired_ratio(b, c, kTrim, options);
    ratio = r.ratio;
    ratio_interval = r.ci;
  } else {
    stats::Comparison c = stats::compare(base.groups, candidate.groups, options);  // speedup = base / candidate
    ratio = 1 / c.speedup;
    ratio_interval = {1 / c.speedup_ci.high, 1 / c.speedup_ci.low};
  }
  if (!std::isfinite(ratio) || !std::isfinite(ratio_interval.low) || !std::isfinite(ratio_interval.high)) {
    // Both zero (e.g. no warmup on either side) is no change; anything else cannot be judged.
    bool both_zero = stats::mean(stats::flatten(base.groups)) == 0 && stats::mean(stats::flatten(candidate.groups)) == 0;
    if (metric != GateMetric::instructions && both_zero) {
      row.verdict = Verdict::pass;
      return row;
    }
    row.note = "not comparable (a zero baseline)";
    return row;
  }
  row.change = ratio - 1;
  row.ci = {ratio_interval.low - 1, ratio_interval.high - 1};
  row.verdict = judge(row.ci, threshold);
  return row;
}

GateRow geometric_mean_row(const std::vector<GateRow>& rows, double threshold) {
  GateRow g;
  g.benchmark = "geomean";
  g.threshold = threshold;
  double log_change = 0, log_low = 0, log_high = 0;
  for (const auto& r : rows) {
    if (!r.note.empty()) {
      g.note = r.benchmark + " has no numbers (" + r.note + ")";
      return g;
    }
    log_change += std::log1p(r.change);
    log_low += std::log1p(r.ci.low);
    log_high += std::log1p(r.ci.high);
  }
  if (rows.empty()) {
    g.note = "no benchmarks";
    return g;
  }
  auto n = static_cast<double>(rows.size());
  g.change = std::expm1(log_change / n);
  g.ci = {std::expm1(log_low / n), std::expm1(log_high / n)};
  g.verdict = judge(g.ci, threshold);
  return g;
}

int GateReport::exit_code() const {
  if (geomean) return geomean->verdict == Verdict::pass ? 0 : geomean->verdict == Verdict::regression ? 1 : 2;
  bool inconclusive = rows.empty();
  for (const auto& r : rows) {
    if (r.verdict == Verdict::regression) return 1;
    if (r.verdict == Verdict::inconclusive) inconclusive = true;
  }
  return inconclusive ? 2 : 0;
}

GateReport run_gate(const speedcenter::Database& db, const GateSide& baseline, const GateSide& candidate,
                    GateMetric metric, const GateThresholds& thresholds, bool geomean) {
  auto base = load_gate_samples(db, baseline, metric);
  auto cand = load_gate_samples(db, candidate, metric);
  GateReport report;
  for (const auto& [name, b] : base) {
    auto it = cand.find(name);
    GateSample missing;
    missing.error = "has no result for it";
    report.rows.push_back(
        evaluate(name, metric, b, it == cand.end() ? missing : it->second, thresholds.for_benchmark(metric, name)));
  }
  for (const auto& [name, c] : cand)
    if (!base.count(name)) {
      GateRow row;
      row.benchmark = name;
      row.threshold = thresholds.for_benchmark(metric, name);
      row.note = "baseline has no result for it";
      report.rows.push_back(row);
    }
  if (geomean) report.geomean = geometric_mean_row(report.rows, thresholds.for_benchmark(metric, "geomean"));
  return report;
}

}  // namespace harness
