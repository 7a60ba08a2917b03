// stack_reader.cpp: the per-sample reads. Every pointer comes from a process that keeps running, so each step
// is validated (object types, sizes, offsets in range) and a failure is reported, never guessed around.
#include "stack_reader.h"

#include <algorithm>
#include <cstring>

namespace measure_loc {

namespace {

constexpr std::int64_t kMaxLineTable = 1 << 24;
constexpr std::int64_t kMaxFilename = 4096;
constexpr int kMaxStackDepth = 1024;

template <typename T>
T field(const std::vector<std::uint8_t>& bytes, std::int64_t offset) {
  T value{};
  if (offset >= 0 && static_cast<std::size_t>(offset) + sizeof(T) <= bytes.size()) {
    std::memcpy(&value, bytes.data() + offset, sizeof(T));
  }
  return value;
}

std::int64_t max_offset(std::initializer_list<std::int64_t> offsets) {
  return std::max(offsets);
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// "dir/file.py" or "file.py:function": a start condition of Options::start_files.
bool frame_matches(const std::string& filename, const std::string& function, const std::string& place) {
  std::string file = place, wanted_function;
  auto colon = place.rfind(':');
  if (colon != std::string::npos && place.find('/', colon) == std::string::npos) {
    file = place.substr(0, colon);
    wanted_function = place.substr(colon + 1);
  }
  if (!wanted_function.empty() && wanted_function != function) return false;
  return filename == file || ends_with(filename, "/" + file);
}

}  // namespace

const char* failure_reason_name(FailureReason reason) {
  switch (reason) {
    case FailureReason::ThreadState:
      return "thread state";
    case FailureReason::Frame:
      return "frame";
    case FailureReason::CodeObject:
      return "code object";
    case FailureReason::Offset:
      return "instruction offset";
    case FailureReason::LeafMoved:
      return "leaf frame moved";
    case FailureReason::NativeStack:
      return "native stack";
    case FailureReason::Count:
      break;
  }
  return "?";
}

StackReader::StackReader(const ProcessMemory& memory, const PythonRuntime& runtime)
    : memory_(memory), runtime_(runtime), layout_(runtime_.layout) {}

bool StackReader::interpreter(std::uint64_t& interp) {
  if (interp_ == 0 &&
      !memory_.read_pointer(runtime_.runtime_address + layout_.runtime_interpreters_head, interp_)) {
    return false;
  }
  interp = interp_;
  return interp != 0;
}

bool StackReader::gil_holder(std::uint64_t& tstate) {
  if (layout_.runtime_tstate_current >= 0) {
    return memory_.read_pointer(runtime_.runtime_address + layout_.runtime_tstate_current, tstate);
  }
  std::uint64_t interp = 0, gil = 0;
  if (!interpreter(interp) || !memory_.read_pointer(interp + layout_.interp_gil, gil) || gil == 0)
    return false;
  std::int64_t begin = std::min(layout_.gil_locked, layout_.gil_last_holder);
  std::int64_t end = std::max(layout_.gil_locked + 4, layout_.gil_last_holder + 8);
  scratch_.resize(static_cast<std::size_t>(end - begin));
  if (!memory_.read(gil + begin, scratch_.data(), scratch_.size())) return false;
  int locked = field<int>(scratch_, layout_.gil_locked - begin);
  tstate = locked > 0 ? field<std::uint64_t>(scratch_, layout_.gil_last_holder - begin) : 0;
  return true;
}

bool StackReader::thread_list(std::vector<std::uint64_t>& tstates) {
  std::uint64_t interp = 0, tstate = 0;
  if (!interpreter(interp) || !memory_.read_pointer(interp + layout_.interp_threads_head, tstate))
    return false;
  for (int i = 0; tstate != 0 && i < 4096; ++i) {
    tstates.push_back(tstate);
    if (!memory_.read_pointer(tstate + layout_.tstate_next, tstate)) return false;
  }
  return true;
}

bool StackReader::leaf_frame(std::uint64_t tstate, std::uint64_t& frame) {
  leaf_slot_ = {tstate + static_cast<std::uint64_t>(layout_.tstate_frame), 0, 0};
  if (!memory_.read_pointer(leaf_slot_.frame_pointer, frame)) return false;
  if (layout_.tstate_frame_indirect >= 0 && frame != 0) {
    leaf_slot_ = {frame + static_cast<std::uint64_t>(layout_.tstate_frame_indirect), leaf_slot_.frame_pointer,
                  frame};
    return memory_.read_pointer(leaf_slot_.frame_pointer, frame);
  }
  return true;
}

// With leaf_moved, the frame is the leaf and is read together with the pointers that named it, copied after
// it: when they no longer name it, the frame returned (or called another) while it was read, and its
// instruction is not where the thread was. A running target's short calls return within the microseconds
// between two reads, which would put such samples on return and yield lines.
bool StackReader::read_frame(std::uint64_t frame, std::uint64_t& code, std::int64_t& instruction,
                             std::uint64_t& back, bool& is_shim, bool* leaf_moved) {
  std::int64_t end =
      max_offset({layout_.frame_back, layout_.frame_code, layout_.frame_instruction, layout_.frame_owner}) +
      8;
  scratch_.resize(static_cast<std::size_t>(end));
  if (!leaf_moved) {
    if (!memory_.read(frame, scratch_.data(), scratch_.size())) return false;
  } else if (leaf_slot_.cframe_pointer == 0) {
    std::uint64_t leaf_now = 0;
    if (!memory_.read_in_order({{frame, scratch_.data(), scratch_.size()},
                                {leaf_slot_.frame_pointer, &leaf_now, sizeof leaf_now}}))
      return false;
    *leaf_moved = leaf_now != frame;
  } else {
    std::uint64_t cframe_now = 0, leaf_now = 0;
    if (!memory_.read_in_order({{frame, scratch_.data(), scratch_.size()},
                                {leaf_slot_.cframe_pointer, &cframe_now, sizeof cframe_now},
                                {leaf_slot_.frame_pointer, &leaf_now, sizeof leaf_now}}))
      return false;
    *leaf_moved = cframe_now != leaf_slot_.cframe || leaf_now != frame;
  }
  return parse_frame(code, instruction, back, is_shim);
}

// The fields of the frame in scratch_.
bool StackReader::parse_frame(std::uint64_t& code, std::int64_t& instruction, std::uint64_t& back, bool& is_shim) {
  code = field<std::uint64_t>(scratch_, layout_.frame_code);
  back = field<std::uint64_t>(scratch_, layout_.frame_back);
  is_shim = layout_.frame_owner_cstack >= 0 &&
            field<std::uint8_t>(scratch_, layout_.frame_owner) == layout_.frame_owner_cstack;
  switch (layout_.instruction) {
    case InstructionPosition::LastiBytes:
      instruction = field<int>(scratch_, layout_.frame_instruction);
      break;
    case InstructionPosition::LastiCodeUnits:
      instruction = std::int64_t{field<int>(scratch_, layout_.frame_instruction)} * 2;
      break;
    case InstructionPosition::Pointer:
      instruction = static_cast<std::int64_t>(field<std::uint64_t>(scratch_, layout_.frame_instruction) -
                                              (code + static_cast<std::uint64_t>(layout_.code_adaptive)));
      break;
  }
  return code != 0;
}

int StackReader::intern(const std::string& filename) {
  auto [it, inserted] = filename_ids_.emplace(filename, static_cast<int>(filenames_.size()));
  if (inserted) filenames_.push_back(filename);
  return it->second;
}

int StackReader::intern_function(int filename_id, const std::string& name) {
  auto [it, inserted] =
      function_ids_.emplace(std::to_string(filename_id) + ":" + name, static_cast<int>(functions_.size()));
  if (inserted) functions_.push_back({filename_id, name});
  return it->second;
}

bool StackReader::read_string(std::uint64_t unicode, std::string& out) {
  std::vector<std::uint8_t> header(static_cast<std::size_t>(layout_.unicode_compact_size));
  if (!memory_.read(unicode, header.data(), header.size())) return false;
  if (field<std::uint64_t>(header, layout_.object_type) == 0) return false;
  std::int64_t length = field<std::int64_t>(header, layout_.unicode_length);
  std::uint32_t state = field<std::uint32_t>(header, layout_.unicode_state);
  unsigned kind = (state >> 2) & 7;
  bool compact = (state >> 5) & 1, ascii = (state >> 6) & 1;
  if (!compact || length < 0 || length > kMaxFilename || (kind != 1 && kind != 2 && kind != 4)) return false;
  std::uint64_t data =
      unicode + static_cast<std::uint64_t>(ascii ? layout_.unicode_ascii_size : layout_.unicode_compact_size);
  std::vector<std::uint8_t> raw(static_cast<std::size_t>(length * kind));
  if (!raw.empty() && !memory_.read(data, raw.data(), raw.size())) return false;
  out.clear();
  for (std::int64_t i = 0; i < length; ++i) {
    std::uint32_t c = 0;
    std::memcpy(&c, raw.data() + i * kind, kind);  // little-endian code unit
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 63));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 63));
      out += static_cast<char>(0x80 | (c & 63));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 63));
      out += static_cast<char>(0x80 | ((c >> 6) & 63));
      out += static_cast<char>(0x80 | (c & 63));
    }
  }
  return true;
}

bool StackReader::read_bytes(std::uint64_t bytes_object, std::vector<std::uint8_t>& out) {
  std::int64_t size = 0;
  if (!memory_.read_value(bytes_object + layout_.var_object_size, size) || size < 0 || size > kMaxLineTable) {
    return false;
  }
  out.resize(static_cast<std::size_t>(size));
  return size == 0 || memory_.read(bytes_object + layout_.bytes_data, out.data(), out.size());
}

bool StackReader::load_code(std::uint64_t, const std::vector<std::uint8_t>& header, CodeInfo& info) {
  info.linetable_ptr = field<std::uint64_t>(header, layout_.code_linetable);
  info.filename_ptr = field<std::uint64_t>(header, layout_.code_filename);
  info.name_ptr = field<std::uint64_t>(header, layout_.code_name);
  info.firstlineno = field<int>(header, layout_.code_firstlineno);
  std::string filename;
  if (!read_bytes(info.linetable_ptr, info.linetable) || !read_string(info.filename_ptr, filename) ||
      !read_string(info.name_ptr, info.name))
    return false;
  if (layout_.code_bytes >= 0) {
    std::uint64_t co_code = field<std::uint64_t>(header, layout_.code_bytes);
    if (!memory_.read_value(co_code + layout_.var_object_size, info.code_bytes)) return false;
  }
  info.filename_id = intern(filename);
  info.function_id = intern_function(info.filename_id, info.name);
  return true;
}

const CodeInfo* StackReader::code_info(std::uint64_t code_address) {
  std::vector<std::uint8_t> header(static_cast<std::size_t>(layout_.code_size));
  if (!memory_.read(code_address, header.data(), header.size())) return nullptr;
  return code_info(code_address, header);
}

const CodeInfo* StackReader::code_info(std::uint64_t code_address, const std::vector<std::uint8_t>& header) {
  if (field<std::uint64_t>(header, layout_.object_type) != runtime_.code_type_address) return nullptr;
  auto it = codes_.find(code_address);
  bool fresh = it == codes_.end() ||
               it->second.linetable_ptr != field<std::uint64_t>(header, layout_.code_linetable) ||
               it->second.filename_ptr != field<std::uint64_t>(header, layout_.code_filename) ||
               it->second.name_ptr != field<std::uint64_t>(header, layout_.code_name) ||
               it->second.firstlineno != field<int>(header, layout_.code_firstlineno);
  if (fresh) {
    CodeInfo info;
    if (!load_code(code_address, header, info)) return nullptr;
    it = codes_.insert_or_assign(code_address, std::move(info)).first;
  }
  if (layout_.code_bytes < 0)
    it->second.code_bytes = field<std::int64_t>(header, layout_.var_object_size) * 2;
  return &it->second;
}

// Walks the stack from `frame` outwards. Only the leaf is checked against the pointers that named it (outer
// frames stand still while their callee runs); every frame's code object (type and fingerprint, as a cached one
// may have been freed and its address reused) and offset are validated. One read per frame: a frame's code
// object is read together with the next frame.
bool StackReader::read_stack(std::uint64_t frame, int stack_depth, SampledStack& out) {
  out.frames.clear();
  out.truncated = false;
  std::uint64_t code = 0, back = 0;
  std::int64_t instruction = 0;
  bool is_shim = false, moved = false;
  if (!read_frame(frame, code, instruction, back, is_shim, &moved)) return fail(FailureReason::Frame);
  if (moved) return fail(FailureReason::LeafMoved);
  header_.resize(static_cast<std::size_t>(layout_.code_size));
  for (int depth = 0;; ++depth) {
    if (depth >= kMaxStackDepth) return fail(FailureReason::Frame);  // a cycle: the stack moved under us
    bool python = !is_shim;  // 3.12+: a shim is a C-stack entry marker, not Python code
    if (python && static_cast<int>(out.frames.size()) == stack_depth) {
      out.truncated = true;
      break;
    }
    std::uint64_t next = back;
    bool read = true;
    if (python && next != 0) {
      read = memory_.read_in_order({{code, header_.data(), header_.size()}, {next, scratch_.data(), scratch_.size()}});
    } else if (python) {
      read = memory_.read(code, header_.data(), header_.size());
    } else if (next != 0) {
      read = memory_.read(next, scratch_.data(), scratch_.size());
    }
    if (!read) return fail(python ? FailureReason::CodeObject : FailureReason::Frame);
    if (python) {
      const CodeInfo* info = code_info(code, header_);
      if (!info) return fail(FailureReason::CodeObject);
      if (instruction < -2 || instruction >= info->code_bytes) return fail(FailureReason::Offset);
      if (out.frames.empty()) position_ = {frame, instruction};
      out.frames.push_back({info->function_id, line_for_offset(layout_.line_table, info->linetable,
                                                               info->firstlineno, static_cast<int>(instruction))});
    }
    if (next == 0) break;
    frame = next;
    if (!parse_frame(code, instruction, back, is_shim)) return fail(FailureReason::Frame);
  }
  return !out.frames.empty() || fail(FailureReason::Frame);
}

SampleStatus StackReader::sample(bool all_threads, int stack_depth, std::vector<SampledStack>& stacks) {
  stacks.clear();
  std::vector<std::uint64_t> tstates;
  if (all_threads) {
    if (!thread_list(tstates)) return fail(FailureReason::ThreadState), SampleStatus::Failed;
  } else {
    std::uint64_t holder = 0;
    if (!gil_holder(holder)) return fail(FailureReason::ThreadState), SampleStatus::Failed;
    if (holder == 0) return SampleStatus::Idle;
    tstates.push_back(holder);
  }
  for (std::uint64_t tstate : tstates) {
    std::uint64_t frame = 0;
    if (!leaf_frame(tstate, frame)) return fail(FailureReason::ThreadState), SampleStatus::Failed;
    if (frame == 0) continue;
    SampledStack stack;
    if (!read_stack(frame, std::max(1, stack_depth), stack)) return SampleStatus::Failed;
    if (read_thread_ids_ && !memory_.read_value(tstate + layout_.tstate_thread_id, stack.thread_id))
      return fail(FailureReason::ThreadState), SampleStatus::Failed;
    stacks.push_back(std::move(stack));
  }
  return stacks.empty() ? SampleStatus::Idle : SampleStatus::Ok;
}

bool StackReader::sampled_threads(bool all_threads, std::vector<std::uint64_t>& thread_ids) {
  thread_ids.clear();
  std::vector<std::uint64_t> tstates;
  std::uint64_t holder = 0;
  if (all_threads) {
    if (!thread_list(tstates)) return false;
  } else {
    if (!gil_holder(holder)) return false;
    if (holder != 0) tstates.push_back(holder);
  }
  for (std::uint64_t tstate : tstates) {
    std::uint64_t frame = 0, thread_id = 0;
    if (!leaf_frame(tstate, frame) || !memory_.read_value(tstate + layout_.tstate_thread_id, thread_id)) return false;
    if (frame != 0) thread_ids.push_back(thread_id);
  }
  return true;
}

bool StackReader::file_on_stack(bool all_threads, const std::vector<std::string>& places) {
  std::vector<std::uint64_t> tstates;
  std::uint64_t holder = 0;
  if (all_threads || !gil_holder(holder) || holder == 0) {
    if (!thread_list(tstates)) return false;
  } else {
    tstates.push_back(holder);
  }
  for (std::uint64_t tstate : tstates) {
    std::uint64_t frame = 0;
    if (!leaf_frame(tstate, frame)) continue;
    for (int depth = 0; frame != 0 && depth < kMaxStackDepth; ++depth) {
      std::uint64_t code = 0, back = 0;
      std::int64_t instruction = 0;
      bool is_shim = false;
      if (!read_frame(frame, code, instruction, back, is_shim)) break;
      const CodeInfo* info = is_shim ? nullptr : code_info(code);
      if (info) {
        const std::string& filename = filenames_[static_cast<std::size_t>(info->filename_id)];
        for (const std::string& place : places) {
          if (frame_matches(filename, info->name, place)) return true;
        }
      }
      frame = back;
    }
  }
  return false;
}

}  // namespace measure_loc
