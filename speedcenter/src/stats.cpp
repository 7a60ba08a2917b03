// speedcenter/stats.cpp: the statistics behind every number pyston-bench stores and prints: descriptive
// statistics, process-level bootstrap confidence intervals, speedups with significance, geometric means and
// warmup.
#include "speedcenter/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <numeric>
#include <random>

namespace speedcenter::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Linear interpolation between closest ranks on already sorted values (numpy's default "linear" method).
double percentile_of_sorted(std::span<const double> sorted, double p) {
  if (sorted.empty()) return kNaN;
  double rank = std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(sorted.size() - 1);
  auto lower = static_cast<size_t>(std::floor(rank));
  size_t upper = std::min(lower + 1, sorted.size() - 1);
  double fraction = rank - static_cast<double>(lower);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction;
}

std::vector<const std::vector<double>*> non_empty(const Groups& groups) {
  std::vector<const std::vector<double>*> out;
  for (const auto& g : groups)
    if (!g.empty()) out.push_back(&g);
  return out;
}

// Draws bootstrap resamples of one side of a measurement. Processes are the independent units (values
// within one process share its memory layout, hash seeds, JIT decisions...), so whole processes are drawn
// with replacement. With a single process there is no between-process variation to draw from, so its
// values are resampled instead rather than reporting a zero-width interval.
class Resampler {
 public:
  explicit Resampler(const Groups& groups) {
    for (const auto& g : groups)
      if (!g.empty()) units_.push_back(g);
    if (units_.size() == 1) {
      std::vector<double> values = std::move(units_.front());
      units_.clear();
      for (double v : values) units_.push_back({v});
    }
  }

  bool empty() const { return units_.empty(); }

  // Fills `out` with one resample: as many units as there are, drawn with replacement.
  void draw(std::mt19937_64& rng, std::vector<double>& out) const {
    out.clear();
    std::uniform_int_distribution<size_t> pick(0, units_.size() - 1);
    for (size_t i = 0; i < units_.size(); ++i) {
      const auto& unit = units_[pick(rng)];
      out.insert(out.end(), unit.begin(), unit.end());
    }
  }

 private:
  Groups units_;
};

// Percentile interval of the bootstrap distribution.
Interval interval_of(std::vector<double>& estimates, double confidence) {
  std::sort(estimates.begin(), estimates.end());
  double tail = (1.0 - confidence) / 2.0 * 100.0;
  return {percentile_of_sorted(estimates, tail), percentile_of_sorted(estimates, 100.0 - tail)};
}

double standard_normal_two_sided_p(double z) {
  return std::erfc(std::fabs(z) / std::sqrt(2.0));
}


}  // namespace

std::vector<double> process_means(const Groups& groups) {
  std::vector<double> means;
  for (const auto* g : non_empty(groups)) means.push_back(mean(*g));
  return means;
}

double mean(std::span<const double> values) {
  if (values.empty()) return kNaN;
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

double median(std::span<const double> values) {
  return percentile(values, 50.0);
}

double stdev(std::span<const double> values) {
  if (values.size() < 2) return 0.0;
  double m = mean(values);
  double squares = 0.0;
  for (double v : values) squares += (v - m) * (v - m);
  return std::sqrt(squares / static_cast<double>(values.size() - 1));
}

double percentile(std::span<const double> values, double p) {
  if (values.empty()) return kNaN;
  // Two order statistics by selection instead of a full sort: bootstraps call this thousands of times.
  std::vector<double> v(values.begin(), values.end());
  double rank = std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(v.size() - 1);
  auto lower = static_cast<size_t>(std::floor(rank));
  auto lower_it = v.begin() + static_cast<std::ptrdiff_t>(lower);
  std::nth_element(v.begin(), lower_it, v.end());
  double low = *lower_it;
  double high = lower + 1 < v.size() ? *std::min_element(lower_it + 1, v.end()) : low;
  return low + (high - low) * (rank - static_cast<double>(lower));
}

double median_absolute_deviation(std::span<const double> values) {
  double center = median(values);
  std::vector<double> deviations;
  deviations.reserve(values.size());
  for (double v : values) deviations.push_back(std::fabs(v - center));
  return median(deviations);
}

std::vector<double> flatten(const Groups& groups) {
  std::vector<double> all;
  for (const auto& g : groups) all.insert(all.end(), g.begin(), g.end());
  return all;
}

Interval bootstrap_ci(const Groups& groups, const std::function<double(std::span<const double>)>& statistic,
                      const BootstrapOptions& options) {
  Resampler resampler(groups);
  if (resampler.empty() || options.resamples < 1) return {kNaN, kNaN};
  std::mt19937_64 rng(options.seed);
  std::vector<double> sample, estimates;
  estimates.reserve(static_cast<size_t>(options.resamples));
  for (int r = 0; r < options.resamples; ++r) {
    resampler.draw(rng, sample);
    estimates.push_back(statistic(sample));
  }
  return interval_of(estimates, options.confidence);
}

Summary summarize(const Groups& groups, const BootstrapOptions& options) {
  Summary s;
  std::vector<double> sorted = flatten(groups);
  std::sort(sorted.begin(), sorted.end());
  s.n = sorted.size();
  s.processes = non_empty(groups).size();
  if (sorted.empty()) return s;
  s.mean = mean(sorted);
  s.median = s.p50 = percentile_of_sorted(sorted, 50);
  s.p90 = percentile_of_sorted(sorted, 90);
  s.p99 = percentile_of_sorted(sorted, 99);
  s.stdev = stdev(sorted);
  s.min = sorted.front();
  s.max = sorted.back();
  s.mean_ci = bootstrap_ci(groups, mean, options);
  s.p50_ci = bootstrap_ci(groups, median, options);
  s.p99_ci = bootstrap_ci(
      groups, [](std::span<const double> v) { return percentile(v, 99); }, options);
  return s;
}

double mann_whitney_p(std::span<const double> a, std::span<const double> b) {
  const size_t n1 = a.size(), n2 = b.size(), n = n1 + n2;
  if (n1 == 0 || n2 == 0) return 1.0;
  // Pool the samples, remembering which side each value came from, and rank with ties averaged.
  std::vector<std::pair<double, bool>> pooled;
  for (double v : a) pooled.push_back({v, true});
  for (double v : b) pooled.push_back({v, false});
  std::sort(pooled.begin(), pooled.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  double rank_sum_a = 0.0, tie_term = 0.0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && pooled[j].first == pooled[i].first) ++j;
    double average_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (size_t k = i; k < j; ++k)
      if (pooled[k].second) rank_sum_a += average_rank;
    double t = static_cast<double>(j - i);
    tie_term += t * t * t - t;
    i = j;
  }
  const double dn1 = static_cast<double>(n1), dn2 = static_cast<double>(n2), dn = static_cast<double>(n);
  double u = rank_sum_a - dn1 * (dn1 + 1.0) / 2.0;
  double mu = dn1 * dn2 / 2.0;
  double variance = dn1 * dn2 / 12.0 * ((dn + 1.0) - tie_term / (dn * (dn - 1.0)));
  if (variance <= 0.0) return 1.0;  // every value tied: no evidence of a difference
  // Continuity correction, as scipy.stats.mannwhitneyu(method="asymptotic") does by default.
  double z = std::max(0.0, std::fabs(u - mu) - 0.5) / std::sqrt(variance);
  return standard_normal_two_sided_p(z);
}

Comparison compare(const Groups& base, const Groups& candidate, const BootstrapOptions& options) {
  Comparison c;
  std::vector<double> base_values = flatten(base), candidate_values = flatten(candidate);
  if (base_values.empty() || candidate_values.empty()) {
    c.speedup = kNaN;
    c.speedup_ci = {kNaN, kNaN};
    return c;
  }
  c.speedup = mean(base_values) / mean(candidate_values);
  Resampler base_side(base), candidate_side(candidate);
  std::mt19937_64 rng(options.seed);
  std::vector<double> b, k, ratios;
  for (int r = 0; r < options.resamples; ++r) {
    base_side.draw(rng, b);
    candidate_side.draw(rng, k);
    ratios.push_back(mean(b) / mean(k));
  }
  c.speedup_ci = ratios.empty() ? Interval{c.speedup, c.speedup} : interval_of(ratios, options.confidence);
  c.significant = !ratios.empty() && (c.speedup_ci.low > 1.0 || c.speedup_ci.high < 1.0);
  c.p_value = mann_whitney_p(process_means(base), process_means(candidate));
  return c;
}

GeomeanResult geometric_mean_speedup(
    const std::vector<std::pair<Groups, Groups>>& base_candidate_per_benchmark,
    const BootstrapOptions& options) {
  GeomeanResult result;
  std::vector<std::pair<Resampler, Resampler>> sides;
  double log_sum = 0.0;
  for (const auto& [base, candidate] : base_candidate_per_benchmark) {
    std::vector<double> b = flatten(base), k = flatten(candidate);
    if (b.empty() || k.empty()) continue;  // a benchmark missing on one side cannot contribute a ratio
    log_sum += std::log(mean(b) / mean(k));
    sides.emplace_back(Resampler(base), Resampler(candidate));
  }
  if (sides.empty()) return {kNaN, {kNaN, kNaN}};
  const double count = static_cast<double>(sides.size());
  result.value = std::exp(log_sum / count);
  // Joint bootstrap: one resample redraws every benchmark's processes, so the interval reflects the noise
  // of all benchmarks at once.
  std::mt19937_64 rng(options.seed);
  std::vector<double> b, k, estimates;
  for (int r = 0; r < options.resamples; ++r) {
    double resampled_log_sum = 0.0;
    for (const auto& [base_side, candidate_side] : sides) {
      base_side.draw(rng, b);
      candidate_side.draw(rng, k);
      resampled_log_sum += std::log(mean(b) / mean(k));
    }
    estimates.push_back(std::exp(resampled_log_sum / count));
  }
  result.ci =
      estimates.empty() ? Interval{result.value, result.value} : interval_of(estimates, options.confidence);
  return result;
}

double trimmed_mean(std::span<const double> values, double trim) {
  if (values.empty()) return kNaN;
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  size_t cut =
      static_cast<size_t>(std::floor(static_cast<double>(sorted.size()) * std::clamp(trim, 0.0, 0.5)));
  cut = std::min(cut, (sorted.size() - 1) / 2);  // trim 0.5 leaves the median (one value, or the middle two)
  return mean(std::span<const double>(sorted.data() + cut, sorted.size() - 2 * cut));
}

std::vector<double> process_minimums(const Groups& groups) {
  std::vector<double> minimums;
  for (const auto* g : non_empty(groups)) minimums.push_back(*std::min_element(g->begin(), g->end()));
  return minimums;
}

RatioEstimate paired_ratio(std::span<const double> base, std::span<const double> candidate, double trim,
                           const BootstrapOptions& options) {
  std::vector<double> logs;
  for (size_t i = 0; i < std::min(base.size(), candidate.size()); ++i)
    logs.push_back(std::log(candidate[i] / base[i]));
  RatioEstimate out{kNaN, {kNaN, kNaN}};
  if (logs.size() < 2) return out;
  out.ratio = std::exp(trimmed_mean(logs, trim));
  std::mt19937_64 rng(options.seed);
  std::uniform_int_distribution<size_t> pick(0, logs.size() - 1);
  std::vector<double> estimates, drawn(logs.size());
  for (int r = 0; r < options.resamples; ++r) {
    for (double& v : drawn) v = logs[pick(rng)];
    estimates.push_back(std::exp(trimmed_mean(drawn, trim)));
  }
  out.ci = interval_of(estimates, options.confidence);
  return out;
}

RatioEstimate unpaired_ratio(std::span<const double> base, std::span<const double> candidate, double trim,
                             const BootstrapOptions& options) {
  RatioEstimate out{kNaN, {kNaN, kNaN}};
  if (base.size() < 2 || candidate.size() < 2) return out;
  out.ratio = trimmed_mean(candidate, trim) / trimmed_mean(base, trim);
  std::mt19937_64 rng(options.seed);
  auto draw = [&](std::span<const double> values, std::vector<double>& into) {
    std::uniform_int_distribution<size_t> pick(0, values.size() - 1);
    into.resize(values.size());
    for (double& v : into) v = values[pick(rng)];
    return trimmed_mean(into, trim);
  };
  std::vector<double> estimates, drawn_b, drawn_c;
  for (int r = 0; r < options.resamples; ++r) {
    double c = draw(candidate, drawn_c);
    estimates.push_back(c / draw(base, drawn_b));
  }
  out.ci = interval_of(estimates, options.confidence);
  return out;
}

std::optional<size_t> warmup_index(std::span<const double> series, double tolerance) {
  const size_t n = series.size();
  if (n == 0) return std::nullopt;
  const size_t window = std::max<size_t>(1, n / 100);
  const size_t tail = std::max<size_t>(1, n / 4);
  const double steady = mean(series.subspan(n - tail));
  const double band = tolerance * std::fabs(steady);
  // Rolling mean over [i, i + window); the warmup ends after the last window outside the band.
  std::optional<size_t> last_outside;
  double window_sum =
      std::accumulate(series.begin(), series.begin() + static_cast<std::ptrdiff_t>(window), 0.0);
  for (size_t i = 0;; ++i) {
    if (std::fabs(window_sum / static_cast<double>(window) - steady) > band) last_outside = i;
    if (i + window >= n) break;
    window_sum += series[i + window] - series[i];
  }
  if (!last_outside) return std::nullopt;
  return *last_outside + 1;
}

namespace {

// Two-sided P(|T| <= t) for Student's t with df degrees of freedom (Abramowitz & Stegun 26.7.3 and 26.7.4:
// finite series in theta = atan(t / sqrt(df)), exact for integer df).
double student_t_two_sided_cdf(double t, int df) {
  const double theta = std::atan(std::fabs(t) / std::sqrt(static_cast<double>(df)));
  const double s = std::sin(theta), c2 = std::cos(theta) * std::cos(theta);
  if (df % 2 == 0) {
    double term = 1, sum = 1;
    for (int k = 2; k <= df - 2; k += 2) {
      term *= c2 * (k - 1) / k;
      sum += term;
    }
    return s * sum;
  }
  if (df == 1) return 2 * theta / std::numbers::pi;
  double term = 1, sum = 1;
  for (int k = 3; k <= df - 2; k += 2) {
    term *= c2 * (k - 1) / k;
    sum += term;
  }
  return 2 / std::numbers::pi * (theta + s * std::cos(theta) * sum);
}

}  // namespace

double student_t_quantile(double confidence, int degrees_of_freedom) {
  if (degrees_of_freedom < 1 || !(confidence > 0 && confidence < 1)) return kNaN;
  // The sequential rule asks after every pair; remembered per thread (the key rounds the level to 1e-9).
  thread_local std::map<std::pair<long long, int>, double> known;
  auto key = std::make_pair(std::llround(confidence * 1e9), degrees_of_freedom);
  if (auto it = known.find(key); it != known.end()) return it->second;
  double low = 0, high = 1;
  while (student_t_two_sided_cdf(high, degrees_of_freedom) < confidence) high *= 2;
  for (int i = 0; i < 200 && high - low > 1e-12 * high; ++i) {
    double mid = (low + high) / 2;
    (student_t_two_sided_cdf(mid, degrees_of_freedom) < confidence ? low : high) = mid;
  }
  return known[key] = (low + high) / 2;
}

PairedSpeedup paired_speedup(std::span<const double> base_process_means,
                             std::span<const double> candidate_process_means, double confidence) {
  std::vector<double> logs;
  for (size_t i = 0; i < std::min(base_process_means.size(), candidate_process_means.size()); ++i)
    if (base_process_means[i] > 0 && candidate_process_means[i] > 0)
      logs.push_back(std::log(base_process_means[i] / candidate_process_means[i]));
  PairedSpeedup out;
  out.pairs = logs.size();
  if (logs.empty()) return {kNaN, {kNaN, kNaN}, std::numeric_limits<double>::infinity(), 0};
  const double m = mean(logs);
  out.speedup = std::exp(m);
  if (logs.size() < 2) {
    out.ci = {kNaN, kNaN};
    out.width = std::numeric_limits<double>::infinity();
    return out;
  }
  const double half = student_t_quantile(confidence, static_cast<int>(logs.size()) - 1) * stdev(logs) /
                      std::sqrt(static_cast<double>(logs.size()));
  out.ci = {std::exp(m - half), std::exp(m + half)};
  out.width = (out.ci.high - out.ci.low) / out.speedup;
  return out;
}

PairedSpeedup sequential_speedup(std::span<const double> base_process_means,
                                 std::span<const double> candidate_process_means, const SequentialRule& rule) {
  return paired_speedup(base_process_means, candidate_process_means, rule.look_confidence);
}

bool precision_reached(const PairedSpeedup& interval, double target_width, const SequentialRule& rule) {
  return interval.pairs >= std::max<size_t>(rule.min_pairs, 2) && interval.width < target_width;
}

}  // namespace speedcenter::stats
