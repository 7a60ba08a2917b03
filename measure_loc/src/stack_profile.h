// stack_profile.h: from sampled stacks to a Profile's frames, stacks and lines, and the sum of the profiles of
// several processes.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "measure_loc/profile.h"
#include "stack_reader.h"

namespace measure_loc {

// Samples per distinct stack, as a StackReader names its frames (function ids and lines).
class StackTally {
 public:
  void add(const SampledStack& stack);
  // Sets profile.frames, stacks and lines (hottest first); `functions`/`filenames` are the reader's tables.
  void fill(Profile& profile, const std::vector<FunctionName>& functions,
            const std::vector<std::string>& filenames) const;

 private:
  std::unordered_map<std::string, std::int64_t> counts_;  // encoded stack -> samples
};

// The frame standing in for the outer frames of a stack deeper than Options::stack_depth.
inline const char* kDeeperFrames = "<deeper frames>";

// One profile holding the sum of `processes` (lines, stacks and sample counts); the processes are kept in it.
Profile merge_processes(std::vector<Profile> processes);

// Sorts hottest first, ties by file and line, so reports are stable.
void sort_lines(std::vector<LineCount>& lines);

}  // namespace measure_loc
