// stack_profile.cpp: stacks are tallied in the sampler as compact keys (function id and line per frame) and
// turned into named frames once, at the end; merging processes matches frames by file, function and line.
#include "stack_profile.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>
#include <tuple>

namespace measure_loc {

namespace {

// A key is the truncated flag followed by (function id, line) per frame, innermost first.
std::string encode(const SampledStack& stack) {
  std::string key(1, stack.truncated ? '\1' : '\0');
  key.reserve(1 + stack.frames.size() * 8);
  for (const SampledFrame& f : stack.frames) {
    key.append(reinterpret_cast<const char*>(&f.function_id), sizeof f.function_id);
    key.append(reinterpret_cast<const char*>(&f.line), sizeof f.line);
  }
  return key;
}

using FrameKey = std::tuple<std::string, std::string, int>;

// Interns frames and stacks of a profile being built.
class StackBuilder {
 public:
  explicit StackBuilder(Profile& profile) : profile_(profile) {}
  int frame(const StackFrame& f) {
    auto [it, inserted] =
        frame_ids_.emplace(FrameKey{f.filename, f.function, f.line}, static_cast<int>(profile_.frames.size()));
    if (inserted) profile_.frames.push_back(f);
    return it->second;
  }
  void add(std::vector<int> frames, std::int64_t count) { stacks_[std::move(frames)] += count; }
  void add_line(const StackFrame& leaf, std::int64_t count) { lines_[{leaf.filename, leaf.line}] += count; }
  void finish() {
    profile_.stacks.clear();
    for (auto& [frames, count] : stacks_) profile_.stacks.push_back({frames, count});
    std::stable_sort(profile_.stacks.begin(), profile_.stacks.end(),
                     [](const StackCount& a, const StackCount& b) { return a.count > b.count; });
    profile_.lines.clear();
    for (const auto& [where, count] : lines_) profile_.lines.push_back({where.first, where.second, count});
    sort_lines(profile_.lines);
  }

 private:
  Profile& profile_;
  std::map<FrameKey, int> frame_ids_;
  std::map<std::vector<int>, std::int64_t> stacks_;
  std::map<std::pair<std::string, int>, std::int64_t> lines_;
};

}  // namespace

void StackTally::add(const SampledStack& stack) {
  ++counts_[encode(stack)];
}

void StackTally::fill(Profile& profile, const std::vector<FunctionName>& functions,
                      const std::vector<std::string>& filenames) const {
  profile.frames.clear();
  StackBuilder builder(profile);
  for (const auto& [key, count] : counts_) {
    std::size_t depth = (key.size() - 1) / 8;
    std::vector<int> frames(depth + (key[0] ? 1 : 0));
    if (key[0]) frames[0] = builder.frame({"", kDeeperFrames, -1});
    std::optional<StackFrame> leaf;  // the innermost Python frame: C frames (--native) have no source line
    for (std::size_t i = 0; i < depth; ++i) {  // innermost first in the key, outermost first in the profile
      int function_id = 0, line = 0;
      std::memcpy(&function_id, key.data() + 1 + 8 * i, 4);
      std::memcpy(&line, key.data() + 5 + 8 * i, 4);
      const FunctionName& function = functions[static_cast<std::size_t>(function_id)];
      StackFrame frame{filenames[static_cast<std::size_t>(function.filename_id)], function.name, line};
      frames[frames.size() - 1 - i] = builder.frame(frame);
      if (!leaf && line != kNativeLine) leaf = frame;
    }
    builder.add(std::move(frames), count);
    if (leaf) builder.add_line(*leaf, count);
  }
  builder.finish();
}

void sort_lines(std::vector<LineCount>& lines) {
  std::sort(lines.begin(), lines.end(), [](const LineCount& a, const LineCount& b) {
    if (a.count != b.count) return a.count > b.count;
    if (a.filename != b.filename) return a.filename < b.filename;
    return a.line < b.line;
  });
}

Profile merge_processes(std::vector<Profile> processes) {
  Profile merged;
  if (!processes.empty()) {
    const Profile& root = processes.front();
    merged.target = root.target;
    merged.python_version = root.python_version;
    merged.pid = root.pid;
    merged.command = root.command;
    merged.exit_code = root.exit_code;
    merged.requested_rate_hz = root.requested_rate_hz;
    merged.realtime = root.realtime;
    merged.off_cpu_filter = root.off_cpu_filter;
    merged.cpu_sharing = root.cpu_sharing;
    merged.native = root.native;
  }
  StackBuilder builder(merged);
  for (const Profile& p : processes) {
    merged.samples += p.samples;
    merged.failed += p.failed;
    merged.retried += p.retried;
    merged.idle += p.idle;
    merged.off_cpu += p.off_cpu;
    merged.skipped += p.skipped;
    merged.native_incomplete += p.native_incomplete;
    for (const auto& [reason, count] : p.failure_reasons) merged.failure_reasons[reason] += count;
    merged.seconds = std::max(merged.seconds, p.seconds);
    merged.profiled_seconds = std::max(merged.profiled_seconds, p.profiled_seconds);
    for (const StackCount& stack : p.stacks) {
      std::vector<int> frames;
      for (int f : stack.frames) frames.push_back(builder.frame(p.frames[static_cast<std::size_t>(f)]));
      builder.add(std::move(frames), stack.count);
    }
    for (const LineCount& line : p.lines) builder.add_line({line.filename, "", line.line}, line.count);
  }
  builder.finish();
  merged.processes = std::move(processes);
  return merged;
}

}  // namespace measure_loc
