// report_json.cpp: the whole profile as one JSON object, every line included.
#include <nlohmann/json.hpp>

#include "reporters.h"

namespace measure_loc {

namespace {

nlohmann::json coverage_json(const std::vector<Coverage>& coverage) {
  nlohmann::json out = nlohmann::json::array();
  for (const Coverage& c : coverage)
    out.push_back({{"target_percent", c.target_percent}, {"lines", c.lines}, {"reached_percent", c.reached_percent}});
  return out;
}

nlohmann::json coverage_json(const Profile& profile) { return coverage_json(profile.coverage()); }

}  // namespace

void write_json(const Profile& profile, std::ostream& out) {
  nlohmann::json coverage = coverage_json(profile);
  nlohmann::json functions = nlohmann::json::array();
  for (const FunctionCount& f : profile.functions()) {
    functions.push_back({{"filename", f.filename}, {"function", f.function}, {"self", f.self}, {"total", f.total}});
  }
  nlohmann::json processes = nlohmann::json::array();
  for (const Profile& p : profile.processes) {
    nlohmann::json top = nlohmann::json::array();
    for (std::size_t i = 0; i < p.lines.size() && i < 20; ++i) {
      const LineCount& l = p.lines[i];
      top.push_back({{"filename", l.filename},
                     {"line", l.line >= 0 ? nlohmann::json(l.line) : nlohmann::json(nullptr)},
                     {"count", l.count}});
    }
    processes.push_back({{"pid", p.pid}, {"command", p.command}, {"samples", p.samples},
                         {"failed_samples", p.failed}, {"coverage", coverage_json(p)}, {"top_lines", top}});
  }
  nlohmann::json lines = nlohmann::json::array();
  std::int64_t cumulative = 0;
  int rank = 0;
  for (const LineCount& line : profile.lines) {
    cumulative += line.count;
    lines.push_back({{"rank", ++rank},
                     {"filename", line.filename},
                     {"line", line.line >= 0 ? nlohmann::json(line.line) : nlohmann::json(nullptr)},
                     {"count", line.count},
                     {"percent", 100.0 * line.count / profile.samples},
                     {"cumulative_percent", 100.0 * cumulative / profile.samples}});
  }
  nlohmann::json doc = {{"target", profile.target},
                        {"python_version", profile.python_version},
                        {"samples", profile.samples},
                        {"failed_samples", profile.failed},
                        {"failed_percent", profile.failed_percent()},
                        {"failure_reasons", profile.failure_reasons},
                        {"retried_samples", profile.retried},
                        {"idle_samples", profile.idle},
                        {"off_cpu_samples", profile.off_cpu},
                        {"off_cpu_filter", profile.off_cpu_filter},
                        {"cpu_sharing", profile.cpu_sharing},
                        {"native", profile.native},
                        {"native_incomplete_samples", profile.native_incomplete},
                        {"skipped_samples", profile.skipped},
                        {"requested_rate_hz", profile.requested_rate_hz},
                        {"seconds", profile.seconds},
                        {"profiled_seconds", profile.profiled_seconds},
                        {"profiler_cpu_seconds", profile.profiler_cpu_seconds},
                        {"realtime_sampler", profile.realtime},
                        {"exit_code", profile.exit_code},
                        {"coverage", coverage},
                        {"comparable_depth", kComparableDepth},
                        {"coverage_at_depth", coverage_json(profile.coverage_at_depth(kComparableDepth))},
                        {"pid", profile.pid},
                        {"functions", functions},
                        {"processes", processes},
                        {"lines", lines}};
  out << doc.dump(2) << "\n";
}

}  // namespace measure_loc
