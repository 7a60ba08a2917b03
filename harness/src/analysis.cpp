// harness/analysis.cpp: summary statistics with process-level bootstrap CIs, memory and CPU per result.
#include "harness/analysis.h"

#include <algorithm>
#include <map>

namespace harness {
namespace {

Metric metric(std::string name, double value, std::string unit, const stats::Interval* ci = nullptr) {
  Metric m;
  m.name = std::move(name);
  m.value = value;
  m.unit = std::move(unit);
  if (ci) {
    m.ci_low = ci->low;
    m.ci_high = ci->high;
  }
  return m;
}

}  // namespace

const Metric* find_metric(const std::vector<Metric>& metrics, const std::string& name) {
  for (const auto& m : metrics)
    if (m.name == name) return &m;
  return nullptr;
}

ResultAnalysis analyse(const InterpreterOutcome& outcome, const stats::BootstrapOptions& options) {
  ResultAnalysis analysis;
  std::map<std::string, size_t> kinds;
  for (const auto& worker : outcome.workers)
    for (const auto& s : worker.samples) kinds[s.kind]++;
  analysis.sample_kind = kinds.count("latency") ? "latency" : "iteration";

  std::int64_t peak_rss = 0;
  double cpu = 0, wall = 0;
  int ok_workers = 0;
  std::map<std::string, std::vector<const Metric*>> worker_metrics;
  for (const auto& worker : outcome.workers) {
    if (!worker.ok) continue;
    ++ok_workers;
    std::vector<double> values;
    for (const auto& s : worker.samples)
      if (!s.warmup && s.kind == analysis.sample_kind) values.push_back(s.value);
    if (!values.empty()) analysis.groups.push_back(std::move(values));
    peak_rss = std::max(peak_rss, worker.peak_rss_bytes);
    cpu += worker.cpu_seconds;
    wall += worker.wall_seconds;
    for (const auto& m : worker.metrics) worker_metrics[m.name].push_back(&m);
  }
  if (analysis.groups.empty()) return analysis;

  const auto& s = analysis.summary = stats::summarize(analysis.groups, options);
  auto& out = analysis.metrics;
  const std::string unit = "s";
  out.push_back(metric("mean", s.mean, unit, &s.mean_ci));
  out.push_back(metric("median", s.median, unit));
  out.push_back(metric("stdev", s.stdev, unit));
  out.push_back(metric("min", s.min, unit));
  out.push_back(metric("max", s.max, unit));
  out.push_back(metric("p50", s.p50, unit, &s.p50_ci));
  out.push_back(metric("p90", s.p90, unit));
  out.push_back(metric("p99", s.p99, unit, &s.p99_ci));
  out.push_back(metric("values", static_cast<double>(s.n), "count"));
  out.push_back(metric("processes", static_cast<double>(s.processes), "count"));
  out.push_back(metric("peak_rss", static_cast<double>(peak_rss), "bytes"));
  out.push_back(metric("worker_cpu", cpu / ok_workers, "s"));
  out.push_back(metric("worker_wall", wall / ok_workers, "s"));
  // Per-worker metrics (e.g. from the web executor or counters): mean across workers, notes kept.
  for (const auto& [name, list] : worker_metrics) {
    if (find_metric(out, name)) continue;
    Metric merged = *list.front();
    double sum = 0;
    int n = 0;
    for (const Metric* m : list)
      if (m->value) {
        sum += *m->value;
        ++n;
      }
    merged.value = n ? std::optional<double>(sum / n) : std::nullopt;
    if (list.size() > 1) merged.ci_low = merged.ci_high = std::nullopt;
    out.push_back(merged);
  }
  return analysis;
}

}  // namespace harness
