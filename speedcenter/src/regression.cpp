// speedcenter/regression.cpp: binary segmentation over a history, with steps accepted only when the CIs of
// the segments' means separate (the method is documented in regression.h).
#include "speedcenter/regression.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "speedcenter/stats.h"

namespace speedcenter {
namespace {

// Robust run-to-run noise from successive differences: their MAD, scaled to a normal sigma of one difference
// (sqrt 2 sigmas of a point).
double series_noise(const std::vector<double>& x) {
  if (x.size() < 3) return 0;
  std::vector<double> diffs;
  for (size_t i = 1; i < x.size(); ++i) diffs.push_back(x[i] - x[i - 1]);
  return stats::median_absolute_deviation(diffs) / (0.6745 * std::sqrt(2.0));
}

struct Segment {
  double mean = 0, se = 0, sse = 0;
};

class Segmenter {
 public:
  Segmenter(const Series& s, const StepOptions& o) : x_(s.values), options_(o) {
    double noise = series_noise(x_);
    for (size_t i = 0; i < x_.size(); ++i) {
      double own = 0;
      if (i < s.ci_low.size() && i < s.ci_high.size() && s.ci_low[i] && s.ci_high[i])
        own = (*s.ci_high[i] - *s.ci_low[i]) / (2 * 1.96);
      double e = std::max(own, noise);
      // A series of identical values with no CIs: any tiny error keeps the weights finite.
      if (e <= 0) e = std::max(1e-12, std::abs(x_[i]) * 1e-9);
      w_.push_back(1 / (e * e));
    }
  }

  void split(size_t begin, size_t end, std::vector<Step>& steps) const {
    if (end - begin < 2 * options_.min_segment) return;
    std::optional<std::pair<size_t, double>> best;
    for (size_t k = begin + options_.min_segment; k + options_.min_segment <= end; ++k) {
      double cost = segment(begin, k).sse + segment(k, end).sse;
      if (!best || cost < best->second) best = {k, cost};
    }
    if (!best) return;
    size_t k = best->first;
    Segment a = segment(begin, k), b = segment(k, end);
    double z = options_.z;
    bool separated = a.mean + z * a.se < b.mean - z * b.se || b.mean + z * b.se < a.mean - z * a.se;
    double relative = a.mean != 0 ? (b.mean - a.mean) / std::abs(a.mean) : 0;
    if (!separated || std::abs(relative) < options_.min_step) return;
    split(begin, k, steps);
    Step step;
    step.index = k;
    step.mean_before = a.mean;
    step.mean_after = b.mean;
    step.ci_before_low = a.mean - z * a.se;
    step.ci_before_high = a.mean + z * a.se;
    step.ci_after_low = b.mean - z * b.se;
    step.ci_after_high = b.mean + z * b.se;
    step.relative = relative;
    double half = z * std::sqrt(a.se * a.se + b.se * b.se) / std::abs(a.mean);
    step.relative_ci_low = relative - half;
    step.relative_ci_high = relative + half;
    steps.push_back(step);
    split(k, end, steps);
  }

 private:
  Segment segment(size_t begin, size_t end) const {
    Segment s;
    double sw = 0, swx = 0;
    for (size_t i = begin; i < end; ++i) {
      sw += w_[i];
      swx += w_[i] * x_[i];
    }
    s.mean = swx / sw;
    s.se = std::sqrt(1 / sw);
    for (size_t i = begin; i < end; ++i) s.sse += w_[i] * (x_[i] - s.mean) * (x_[i] - s.mean);
    return s;
  }

  const std::vector<double>& x_;
  StepOptions options_;
  std::vector<double> w_;
};

}  // namespace

std::vector<Step> detect_steps(const Series& series, const StepOptions& options) {
  std::vector<Step> steps;
  if (series.values.size() < 2) return steps;
  Segmenter(series, options).split(0, series.values.size(), steps);
  return steps;
}

bool higher_is_worse(const std::string& metric) {
  static const char* better_high[] = {"throughput", "requests_per_second", "rps", "speedup"};
  for (const char* m : better_high)
    if (metric == m) return false;
  return true;
}

std::vector<Regression> find_regressions(const Database& db, const HistoryQuery& query,
                                         const StepOptions& options) {
  std::map<std::tuple<std::string, std::string, std::string>, std::vector<HistoryPoint>> by_series;
  std::vector<std::tuple<std::string, std::string, std::string>> order;
  for (auto& p : query_history(db, query)) {
    auto key = std::make_tuple(p.benchmark, p.interpreter, p.machine);
    if (!by_series.count(key)) order.push_back(key);
    by_series[key].push_back(std::move(p));
  }
  std::vector<Regression> out;
  for (const auto& key : order) {
    const auto& points = by_series[key];
    Series s;
    for (const auto& p : points) {
      s.values.push_back(p.value);
      s.ci_low.push_back(p.ci_low);
      s.ci_high.push_back(p.ci_high);
    }
    for (const Step& step : detect_steps(s, options)) {
      Regression r;
      std::tie(r.benchmark, r.interpreter, r.machine) = key;
      r.metric = query.metric;
      r.step = step;
      r.before = points[step.index - 1];
      r.after = points[step.index];
      r.regression = higher_is_worse(query.metric) == (step.relative > 0);
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace speedcenter
