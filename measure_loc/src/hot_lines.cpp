// hot_lines.cpp: the seeds' metric as pure arithmetic on a profile: how many of the hottest lines it takes to
// cover a share of the samples.
#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include "measure_loc/profile.h"

namespace measure_loc {

double Profile::failed_percent() const {
  std::int64_t attempts = samples + failed + idle + off_cpu;
  return attempts ? 100.0 * static_cast<double>(failed) / static_cast<double>(attempts) : 0.0;
}

std::vector<Coverage> Profile::coverage(const std::vector<double>& targets) const {
  std::vector<Coverage> result;
  for (double target : targets) {
    Coverage c{target, 0, 0};
    std::int64_t cumulative = 0;
    for (const LineCount& line : lines) {
      if (samples == 0 || 100.0 * static_cast<double>(cumulative) / static_cast<double>(samples) >= target)
        break;
      cumulative += line.count;
      ++c.lines;
    }
    c.reached_percent = samples ? 100.0 * static_cast<double>(cumulative) / static_cast<double>(samples) : 0;
    result.push_back(c);
  }
  return result;
}

std::vector<Coverage> Profile::coverage_at_depth(std::int64_t depth, const std::vector<double>& targets,
                                                 int draws) const {
  if (samples <= depth || depth <= 0 || draws <= 0) return coverage(targets);
  // Every counted sample as the index of its line; each draw shuffles the first `depth` of them into place
  // (a partial Fisher-Yates shuffle: a uniform subsample without replacement).
  std::vector<std::int32_t> pool;
  pool.reserve(static_cast<std::size_t>(samples));
  for (std::size_t i = 0; i < lines.size(); ++i)
    pool.insert(pool.end(), static_cast<std::size_t>(lines[i].count), static_cast<std::int32_t>(i));
  std::mt19937_64 random(20260101);
  std::vector<double> lines_sum(targets.size()), reached_sum(targets.size());
  std::vector<std::int64_t> tally(lines.size());
  const auto n = static_cast<std::int64_t>(pool.size());
  for (int draw = 0; draw < draws; ++draw) {
    std::fill(tally.begin(), tally.end(), 0);
    for (std::int64_t i = 0; i < depth; ++i) {
      std::uniform_int_distribution<std::int64_t> pick(i, n - 1);
      std::swap(pool[static_cast<std::size_t>(i)], pool[static_cast<std::size_t>(pick(random))]);
      ++tally[static_cast<std::size_t>(pool[static_cast<std::size_t>(i)])];
    }
    Profile sub;
    for (std::size_t i = 0; i < lines.size(); ++i)
      if (tally[i]) sub.lines.push_back({std::string(), 0, tally[i]});  // coverage() reads counts only
    std::stable_sort(sub.lines.begin(), sub.lines.end(),
                     [](const LineCount& a, const LineCount& b) { return a.count > b.count; });
    sub.samples = depth;
    std::vector<Coverage> c = sub.coverage(targets);
    for (std::size_t t = 0; t < targets.size(); ++t) {
      lines_sum[t] += c[t].lines;
      reached_sum[t] += c[t].reached_percent;
    }
  }
  std::vector<Coverage> result;
  for (std::size_t t = 0; t < targets.size(); ++t)
    result.push_back({targets[t], static_cast<int>(std::lround(lines_sum[t] / draws)), reached_sum[t] / draws});
  return result;
}

}  // namespace measure_loc

namespace measure_loc {

std::vector<FunctionCount> Profile::functions() const {
  std::map<std::pair<std::string, std::string>, FunctionCount> by_function;
  for (const StackCount& stack : stacks) {
    std::set<std::pair<std::string, std::string>> seen;  // a recursive function counts once per sample
    for (std::size_t i = 0; i < stack.frames.size(); ++i) {
      const StackFrame& frame = frames[static_cast<std::size_t>(stack.frames[i])];
      std::pair<std::string, std::string> key{frame.filename, frame.function};
      FunctionCount& c = by_function[key];
      c.filename = frame.filename;
      c.function = frame.function;
      if (seen.insert(key).second) c.total += stack.count;
      if (i + 1 == stack.frames.size()) c.self += stack.count;
    }
  }
  std::vector<FunctionCount> result;
  for (auto& [key, c] : by_function) result.push_back(std::move(c));
  std::stable_sort(result.begin(), result.end(), [](const FunctionCount& a, const FunctionCount& b) {
    return a.total != b.total ? a.total > b.total : a.self > b.self;
  });
  return result;
}

}  // namespace measure_loc
