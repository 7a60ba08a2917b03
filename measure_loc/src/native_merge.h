// native_merge.h: one stack from a thread's Python frames and its C frames (--native). Each C frame that runs a
// Python frame (the eval loop, or a compiled function's code) is replaced by that Python frame, in order; C frames
// inside the innermost Python frame are kept under it (the C functions its line called), C extensions between
// Python frames are kept, and the interpreter's glue between and around them is left out.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "code_map.h"
#include "stack_reader.h"

namespace measure_loc {

// A C frame as the merge sees it: what it is, and its function id in the reader's table.
struct NativeFrame {
  NativeKind kind = NativeKind::Other;
  int function_id = 0;
};

// Names C frames by address for the merge: what each is (code_map.h) and its function id in the reader's table,
// cached by address until the code map is reread.
class NativeFrameNamer {
 public:
  NativeFrameNamer(CodeMap& code, StackReader& reader) : code_(code), reader_(reader) {}
  // `addresses` innermost first, as unwound: all but the first are return addresses, named by the call before.
  void name(const std::vector<std::uint64_t>& addresses, std::vector<NativeFrame>& frames);

 private:
  NativeFrame frame_at(std::uint64_t address);
  CodeMap& code_;
  StackReader& reader_;
  std::unordered_map<std::uint64_t, NativeFrame> cache_;
  std::uint64_t generation_ = 0;
};

// `python`: the Python stack as read (innermost first); `native`: the C stack, innermost first. Returns false
// when the C stack did not account for every Python frame read (unwinding stopped early): the Python frames
// it did not reach are then added outermost, without C frames between them.
bool merge_native(const SampledStack& python, const std::vector<NativeFrame>& native, SampledStack& out);

}  // namespace measure_loc
