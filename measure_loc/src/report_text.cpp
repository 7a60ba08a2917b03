// report_text.cpp: the seeds' format: the hottest lines with count, %, rank and cumulative %, then how many
// lines reach 50/75/90/99%, the sample count and the failed-sample rate.
#include <fmt/format.h>
#include <fmt/ostream.h>

#include "reporters.h"

namespace measure_loc {

std::string line_label(const LineCount& line) {
  return line.line >= 0 ? fmt::format("{}:{}", line.filename, line.line) : line.filename + ":<no line>";
}

std::string process_label(const Profile& process) {
  std::string command = process.command.size() > 80 ? process.command.substr(0, 77) + "..." : process.command;
  return fmt::format("pid {}: {}", process.pid, command.empty() ? process.target : command);
}

namespace {

void write_functions(const Profile& profile, std::ostream& out, int top) {
  double total = static_cast<double>(profile.samples);
  if (profile.stacks.empty() || total <= 0) return;
  fmt::print(out, "\n{:>7} {:>7}  {}\n", "self %", "total %", "function");
  int rank = 0;
  for (const FunctionCount& f : profile.functions()) {
    if (++rank > top) break;
    fmt::print(out, "{:>6.2f}% {:>6.2f}%  {} ({})\n", 100.0 * f.self / total, 100.0 * f.total / total,
               f.function, f.filename.empty() ? "-" : f.filename);
  }
  fmt::print(out, "\n");
}

void write_processes(const Profile& profile, std::ostream& out) {
  if (profile.processes.empty()) return;
  fmt::print(out, "Processes sampled: {} (lines for 50% / 90% / 99% each; the tables above are their sum)\n",
             profile.processes.size());
  for (const Profile& p : profile.processes) {
    auto c = p.coverage({50, 90, 99});
    fmt::print(out, "  {:>9} samples  {:>5} / {:>5} / {:>5}  {}\n", p.samples, c[0].lines, c[1].lines, c[2].lines,
               process_label(p));
  }
}

}  // namespace

void write_text(const Profile& profile, std::ostream& out, int top) {
  double total = static_cast<double>(profile.samples);
  fmt::print(out, "{:>6} {:>9} {:>7} {:>7}  {}\n", "rank", "count", "%", "cum %", "line");
  std::int64_t cumulative = 0;
  int rank = 0;
  for (const LineCount& line : profile.lines) {
    if (++rank > top) break;
    cumulative += line.count;
    fmt::print(out, "{:>6} {:>9} {:>6.2f}% {:>6.2f}%  {}\n", rank, line.count, 100.0 * line.count / total,
               100.0 * cumulative / total, line_label(line));
  }
  write_functions(profile, out, top);
  for (const Coverage& c : profile.coverage()) {
    fmt::print(out, "Picked {} lines out of {} to reach {:.2f}% (target {:g}%)\n", c.lines,
               profile.lines.size(), c.reached_percent, c.target_percent);
  }
  if (profile.samples > kComparableDepth) {
    auto at = profile.coverage_at_depth(kComparableDepth);
    fmt::print(out, "At {} samples (comparable across runs; the mean of 5 subsamples): {} / {} / {} / {} lines for "
               "50 / 75 / 90 / 99%\n", kComparableDepth, at[0].lines, at[1].lines, at[2].lines, at[3].lines);
  }
  fmt::print(out,
             "{} samples in {:.2f} s ({:.0f}/s, requested {:g} Hz), {} failed ({:.3f}%; {} first attempts "
             "retried), {} idle, {} off-CPU{}, {} before counting started; Python {}\n",
             profile.samples, profile.seconds, profile.seconds > 0 ? profile.samples / profile.seconds : 0.0,
             profile.requested_rate_hz, profile.failed, profile.failed_percent(), profile.retried,
             profile.idle, profile.off_cpu, profile.off_cpu ? " (target not running, not counted)" : "",
             profile.skipped, profile.python_version);
  if (profile.profiled_seconds > 0) {
    fmt::print(
        out,
        "profiler used {:.2f} s of CPU over {:.2f} s ({:.1f}% of a core, {} priority); off-CPU filter {}; "
        "CPU shared with the target: {}\n",
        profile.profiler_cpu_seconds, profile.profiled_seconds,
        100.0 * profile.profiler_cpu_seconds / profile.profiled_seconds,
        profile.realtime ? "real-time" : "normal", profile.off_cpu_filter, profile.cpu_sharing);
  }
  if (profile.native == "on") {
    fmt::print(out, "native stacks: on (C frames under the Python line that called them); {} samples whose C stack "
                    "did not reach every Python frame\n", profile.native_incomplete);
  }
  write_processes(profile, out);
  if (!profile.failure_reasons.empty()) {
    std::string reasons;
    for (const auto& [reason, count] : profile.failure_reasons) {
      reasons += fmt::format("{}{}: {}", reasons.empty() ? "" : ", ", reason, count);
    }
    fmt::print(out, "failed samples by step: {}\n", reasons);
  }
}

}  // namespace measure_loc
