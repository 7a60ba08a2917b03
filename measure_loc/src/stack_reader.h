// stack_reader.h: one sample of a running CPython: find the thread holding the GIL (or every thread), read
// its leaf Python frame and code object, validate them, and turn the instruction position into a line.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "process_memory.h"
#include "python_runtime.h"

namespace measure_loc {

// A decoded code object, cached by address plus a fingerprint (addresses are reused once objects are freed).
struct CodeInfo {
  std::uint64_t linetable_ptr = 0, filename_ptr = 0, name_ptr = 0;
  int firstlineno = 0;
  std::int64_t code_bytes = 0;  // instruction bytes, to validate offsets
  std::vector<std::uint8_t> linetable;
  int filename_id = 0;  // index into StackReader::filenames()
  std::string name;     // co_name, for start conditions naming a function
  int function_id = 0;  // index into StackReader::functions()
};

// A function as frames name it: its file and co_name.
struct FunctionName {
  int filename_id = 0;
  std::string name;
};

struct SampledFrame {
  int function_id = 0;
  int line = 0;
};

// One thread's stack, innermost frame first; `truncated` when frames deeper than the depth asked were left out.
struct SampledStack {
  std::vector<SampledFrame> frames;
  bool truncated = false;
  std::uint64_t thread_id = 0;  // PyThreadState.thread_id (the thread's pthread_t)
};

// Where the sampled thread was: its leaf frame and instruction. Equal positions in consecutive samples mean
// the target either did not run in between or stayed in one instruction (a C call).
struct StackPosition {
  std::uint64_t frame = 0;
  std::int64_t instruction = -1;
  bool operator==(const StackPosition& o) const { return frame == o.frame && instruction == o.instruction; }
};

enum class SampleStatus {
  Ok,      // `stacks` holds one entry per sampled thread
  Idle,    // nobody held the GIL, or the holder had no Python frame
  Failed,  // a read failed or did not validate
};

// Why a sample failed, for the report.
enum class FailureReason { ThreadState, Frame, CodeObject, Offset, LeafMoved, NativeStack, Count };
const char* failure_reason_name(FailureReason reason);

class StackReader {
 public:
  StackReader(const ProcessMemory& memory, const PythonRuntime& runtime);

  // Samples the GIL holder (or, with all_threads, every thread with a Python frame), keeping up to
  // `stack_depth` frames of each stack.
  SampleStatus sample(bool all_threads, int stack_depth, std::vector<SampledStack>& stacks);
  // True when code from a file ending in one of `places` is on a sampled stack; a place "FILE:FUNCTION" needs
  // a frame of that function.
  bool file_on_stack(bool all_threads, const std::vector<std::string>& places);
  const std::vector<std::string>& filenames() const { return filenames_; }
  const std::vector<FunctionName>& functions() const { return functions_; }
  // The id of a function named outside Python code (a C function of a native frame) in functions().
  int function_id(const std::string& filename, const std::string& name) {
    return intern_function(intern(filename), name);
  }
  // The thread(s) the next sample would read, by PyThreadState.thread_id (the GIL holder, or every thread with a
  // Python frame); false when the thread states could not be read.
  bool sampled_threads(bool all_threads, std::vector<std::uint64_t>& thread_ids);
  // Fill SampledStack::thread_id (one more read per sample; --native needs it).
  void read_thread_ids(bool on) { read_thread_ids_ = on; }
  // Counts a failure of a step outside the reader (the C stack of --native).
  void fail_native() { last_failure_ = FailureReason::NativeStack; }
  // The last sampled thread's position (of the last Ok sample).
  const StackPosition& position() const { return position_; }
  // Reason of the last Failed sample.
  FailureReason last_failure() const { return last_failure_; }

 private:
  bool gil_holder(std::uint64_t& tstate);
  bool thread_list(std::vector<std::uint64_t>& tstates);
  bool leaf_frame(std::uint64_t tstate, std::uint64_t& frame);
  bool read_frame(std::uint64_t frame, std::uint64_t& code, std::int64_t& instruction, std::uint64_t& back,
                  bool& is_shim, bool* leaf_moved = nullptr);
  const CodeInfo* code_info(std::uint64_t code_address);
  const CodeInfo* code_info(std::uint64_t code_address, const std::vector<std::uint8_t>& header);
  bool parse_frame(std::uint64_t& code, std::int64_t& instruction, std::uint64_t& back, bool& is_shim);
  bool load_code(std::uint64_t code_address, const std::vector<std::uint8_t>& header, CodeInfo& info);
  bool read_string(std::uint64_t unicode, std::string& out);
  bool read_bytes(std::uint64_t bytes_object, std::vector<std::uint8_t>& out);
  bool read_stack(std::uint64_t frame, int stack_depth, SampledStack& out);
  bool fail(FailureReason reason) {
    last_failure_ = reason;
    return false;
  }
  int intern(const std::string& filename);
  int intern_function(int filename_id, const std::string& name);
  bool interpreter(std::uint64_t& interp);

  const ProcessMemory& memory_;
  const PythonRuntime runtime_;
  const Layout& layout_;
  std::uint64_t interp_ = 0;
  // Where the last leaf_frame() found the leaf: the pointer to it (tstate's current frame, or the CFrame's
  // current_frame on 3.11/3.12) and, with a CFrame, tstate's pointer to that CFrame and its value.
  struct LeafSlot {
    std::uint64_t frame_pointer = 0;
    std::uint64_t cframe_pointer = 0;
    std::uint64_t cframe = 0;
  } leaf_slot_;
  std::unordered_map<std::uint64_t, CodeInfo> codes_;
  std::vector<std::uint8_t> scratch_;  // the frame being read
  std::vector<std::uint8_t> header_;   // its code object's header
  std::vector<std::string> filenames_;
  FailureReason last_failure_ = FailureReason::ThreadState;
  StackPosition position_;
  bool read_thread_ids_ = false;
  std::unordered_map<std::string, int> filename_ids_;
  std::vector<FunctionName> functions_;
  std::unordered_map<std::string, int> function_ids_;  // "filename_id:name"
};

}  // namespace measure_loc
