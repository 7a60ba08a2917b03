// report_collapsed.cpp: collapsed stacks, the input of flamegraph.pl (and inferno, speedscope): one line per
// distinct stack, frames outermost first separated by ';', then a space and the sample count.
#include <fmt/format.h>
#include <fmt/ostream.h>

#include "reporters.h"

namespace measure_loc {

namespace {

// flamegraph.pl splits frames at ';' and the count at the last space; neither may appear inside a frame.
// A C frame (--native) is "function [library]", the library without its folder.
std::string collapsed_frame(const StackFrame& frame) {
  std::string text = frame.line == kNativeLine
                         ? fmt::format("{} [{}]", frame.function,
                                       frame.filename.empty() ? "anonymous" : frame.filename.substr(frame.filename.rfind('/') + 1))
                     : frame.filename.empty() ? frame.function
                     : frame.line >= 0
                         ? fmt::format("{} ({}:{})", frame.function, frame.filename, frame.line)
                         : fmt::format("{} ({}:<no line>)", frame.function, frame.filename);
  for (char& c : text) {
    if (c == ';') c = ':';
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

void write_stacks(const Profile& profile, const std::string& prefix, std::ostream& out) {
  for (const StackCount& stack : profile.stacks) {
    std::string line = prefix;
    for (int f : stack.frames) {
      if (!line.empty()) line += ';';
      line += collapsed_frame(profile.frames[static_cast<std::size_t>(f)]);
    }
    fmt::print(out, "{} {}\n", line, stack.count);
  }
}

}  // namespace

void write_collapsed(const Profile& profile, std::ostream& out) {
  if (profile.processes.size() <= 1) return write_stacks(profile, "", out);
  // Several processes: each one's stacks under a root frame naming it, so the graph splits by process first.
  for (const Profile& process : profile.processes)
    write_stacks(process, collapsed_frame({"", process_label(process), -1}), out);
}

}  // namespace measure_loc
