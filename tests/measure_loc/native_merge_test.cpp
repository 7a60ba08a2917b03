// native_merge_test.cpp: the merge of C and Python frames (src/native_merge.cpp) on hand-made stacks: which C
// frames stay, where they go, and what happens when the C stack ends early.
#include "native_merge.h"

#include <gtest/gtest.h>

#include "measure_loc/profile.h"

namespace measure_loc {
namespace {

// Python frames are function ids 1, 2, 3 (innermost first) at lines 10, 20, 30; C functions are ids 100+.
SampledStack python_stack() {
  SampledStack s;
  s.frames = {{1, 10}, {2, 20}, {3, 30}};
  return s;
}

NativeFrame c(NativeKind kind, int id) { return {kind, id}; }

std::vector<int> ids(const SampledStack& s) {
  std::vector<int> out;
  for (const SampledFrame& f : s.frames) out.push_back(f.line == kNativeLine ? f.function_id : -f.function_id);
  return out;
}

TEST(NativeMerge, PutsCFramesInsideTheInnermostPythonFrameAndDropsInterpreterGlue) {
  std::vector<NativeFrame> native = {
      c(NativeKind::Interpreter, 100),  // PyUnicode_Join, called by the innermost Python line: kept
      c(NativeKind::Other, 101),        // the C extension's function: kept
      c(NativeKind::Interpreter, 102),  // call_function: kept, still inside the innermost frame
      c(NativeKind::EvalLoop, 0),       // Python frame 1
      c(NativeKind::Interpreter, 103),  // _PyFunction_Vectorcall between frames: dropped
      c(NativeKind::Compiled, 0),       // Python frame 2 (JIT code)
      c(NativeKind::Other, 104),        // a C extension calling back into Python: kept
      c(NativeKind::EvalLoop, 0),       // Python frame 3
      c(NativeKind::Interpreter, 105),  // Py_RunMain: outside every Python frame, dropped
      c(NativeKind::Other, 106),        // __libc_start_main: dropped
  };
  SampledStack merged;
  EXPECT_TRUE(merge_native(python_stack(), native, merged));
  EXPECT_EQ(ids(merged), (std::vector<int>{100, 101, 102, -1, -2, 104, -3}));
  EXPECT_EQ(merged.frames[3].line, 10);  // Python frames keep their lines
}

TEST(NativeMerge, AStackThatEndsEarlyKeepsEveryPythonFrame) {
  std::vector<NativeFrame> native = {c(NativeKind::Other, 100), c(NativeKind::EvalLoop, 0)};
  SampledStack merged;
  EXPECT_FALSE(merge_native(python_stack(), native, merged));
  EXPECT_EQ(ids(merged), (std::vector<int>{100, -1, -2, -3}));
}

TEST(NativeMerge, MoreEvalFramesThanPythonFramesRead) {
  SampledStack python = python_stack();
  python.frames.pop_back();  // cut by --stack-depth
  python.truncated = true;
  std::vector<NativeFrame> native = {c(NativeKind::EvalLoop, 0), c(NativeKind::EvalLoop, 0), c(NativeKind::Other, 101),
                                     c(NativeKind::EvalLoop, 0)};
  SampledStack merged;
  EXPECT_TRUE(merge_native(python, native, merged));
  EXPECT_EQ(ids(merged), (std::vector<int>{-1, -2}));
  EXPECT_TRUE(merged.truncated);
}

}  // namespace
}  // namespace measure_loc
