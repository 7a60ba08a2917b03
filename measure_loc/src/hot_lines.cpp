// hot_lines.cpp: the seeds' metric as pure arithmetic on a profile: how many of the hottest lines it takes to
// cover a share of the samples.
#include <cmath>

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
