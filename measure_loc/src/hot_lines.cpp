// hot_lines.cpp: the seeds' metric as pure arithmetic on a profile: how many of the hottest lines it takes to
// cover a share of the samples.
#include <algorithm>
#include <cmath>
#include <map>
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
