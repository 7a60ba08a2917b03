// native_merge.cpp: the merge of C and Python frames, a pure function of the two stacks.
#include "native_merge.h"

#include "measure_loc/profile.h"

namespace measure_loc {

void NativeFrameNamer::name(const std::vector<std::uint64_t>& addresses, std::vector<NativeFrame>& frames) {
  frames.clear();
  for (std::size_t i = 0; i < addresses.size(); ++i) frames.push_back(frame_at(i == 0 ? addresses[i] : addresses[i] - 1));
}

NativeFrame NativeFrameNamer::frame_at(std::uint64_t address) {
  if (code_.generation() != generation_) {
    cache_.clear();
    generation_ = code_.generation();
  }
  auto it = cache_.find(address);
  if (it != cache_.end()) return it->second;
  NativeCode code = code_.at(address);
  NativeFrame frame{code.kind, reader_.function_id(code.file, code.function)};
  if (code_.generation() != generation_) {  // at() reread the maps: what was cached may have moved
    cache_.clear();
    generation_ = code_.generation();
  }
  // Anonymous code the perf map does not name yet is compiled code whose entry the JIT has not written yet: looked
  // up again next time.
  if (!(code.file.empty() && code.kind == NativeKind::Other)) cache_.emplace(address, frame);
  return frame;
}

bool merge_native(const SampledStack& python, const std::vector<NativeFrame>& native, SampledStack& out) {
  out.frames.clear();
  out.truncated = python.truncated;
  std::size_t next = 0;  // the next Python frame to place
  for (const NativeFrame& frame : native) {
    bool runs_python = frame.kind == NativeKind::EvalLoop || frame.kind == NativeKind::Compiled;
    if (next == python.frames.size()) break;  // all placed: the rest is start-up code (or frames cut by depth)
    if (runs_python) {
      out.frames.push_back(python.frames[next++]);
    } else if (next == 0 || frame.kind == NativeKind::Other) {
      out.frames.push_back({frame.function_id, kNativeLine});
    }
  }
  bool complete = next == python.frames.size();
  while (next < python.frames.size()) out.frames.push_back(python.frames[next++]);
  return complete;
}

}  // namespace measure_loc
