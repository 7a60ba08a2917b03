// layout.h: one CPython version's struct offsets, as data. The build generates one Layout per installed
// version from its headers (layouts/layout_probe.c); the sampler only ever reads these fields.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "measure_loc/line_table.h"

namespace measure_loc {

// What a frame's instruction field holds.
enum class InstructionPosition {
  LastiBytes,      // 3.8, 3.9: f_lasti, a byte offset
  LastiCodeUnits,  // 3.10: f_lasti, in 2-byte code units
  Pointer,         // 3.11+: pointer into the code object's co_code_adaptive
};

// Offsets in bytes; -1 means the field does not exist in this version. Field order is the probe's output
// order.
struct Layout {
  std::int64_t major, minor;
  std::int64_t runtime_interpreters_head;
  std::int64_t runtime_tstate_current;  // the GIL holder, up to 3.11
  std::int64_t interp_gil;              // pointer to the GIL state, 3.12+
  std::int64_t gil_locked, gil_last_holder;
  std::int64_t interp_threads_head;
  std::int64_t tstate_next, tstate_thread_id;
  std::int64_t tstate_frame;           // the current frame, or (3.11, 3.12) the CFrame holding it
  std::int64_t tstate_frame_indirect;  // offset of current_frame inside that CFrame, else -1
  std::int64_t frame_size, frame_back, frame_owner, frame_owner_cstack, frame_code, frame_instruction;
  InstructionPosition instruction;
  std::int64_t code_size, code_firstlineno, code_filename, code_name, code_linetable, code_bytes,
      code_adaptive;
  LineTableFormat line_table;
  std::int64_t object_type, var_object_size, bytes_data;
  std::int64_t unicode_length, unicode_state, unicode_ascii_size, unicode_compact_size;

  std::string version() const { return std::to_string(major) + "." + std::to_string(minor); }
};

// Layouts generated at build time, one per CPython version whose headers were installed.
std::span<const Layout> built_layouts();
// Versions we know about but whose headers were absent at build time (for the run-time message).
std::vector<std::string> missing_layout_versions();
std::optional<Layout> find_layout(int major, int minor);

}  // namespace measure_loc
