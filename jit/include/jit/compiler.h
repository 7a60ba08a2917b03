// The baseline compiler: one pass over a code object's bytecode, emitting x86-64 with asmjit. The value
// stack stays in the frame, so compiled code can hand a frame to the interpreter at any instruction.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "jit/python.h"
#include "jit/runtime_helpers.h"

namespace pyston_jit {

class CodeMemory;

// Machine code for one code object. `entry(f, sp, target)` runs from `target` (one of the addresses from
// entry_for) with the value-stack pointer `sp`, and returns the frame's result, or one of the deopt markers.
using EntryFn = PyObject* (*)(PyFrameObject* f, PyObject** sp, const void* target);
constexpr uintptr_t kDeoptResume = kDeoptResumeMarker;  // continue in the interpreter after f_lasti
constexpr uintptr_t kDeoptThrow = kDeoptThrowMarker;    // an exception is set: the interpreter unwinds from f_lasti

struct CompiledFunction {
  EntryFn entry = nullptr;
  size_t code_size = 0;
  int32_t start_offset = 0;  // machine-code offset where a new frame begins
  // Generators only: the machine-code offset of each code unit where a suspended frame resumes (after
  // YIELD_VALUE, at YIELD_FROM), else -1. Indexed, as every resumption looks it up; plain functions have none
  // (a table per code unit cost a web app half a megabyte).
  std::vector<int32_t> resume_points;
  // Generators compiled with their handlers: the offset where a frame resumed by throw() or close() enters
  // (the exception set, f_lasti at the yield) to unwind as the interpreter would; -1: the interpreter does it.
  int32_t throw_offset = -1;
  CodeMemory* memory = nullptr;
  std::unique_ptr<GlobalCache[]> global_caches;  // one per LOAD_GLOBAL, addressed by the machine code
  std::unique_ptr<AttrCache[]> attr_caches;      // one per LOAD_ATTR / LOAD_METHOD / STORE_ATTR
  size_t cache_bytes = 0;                        // of those two arrays (counted in g_cache_bytes)
  void* gdb_registration = nullptr;              // its symbol in gdb's JIT interface, if registered

  // Where to start for a frame whose f_lasti is `lasti` (-1: not started), or nullptr.
  const void* entry_for(int lasti) const;
  // Where a generator frame resumed with an exception to raise at its yield enters, or nullptr.
  const void* throw_entry() const;
  ~CompiledFunction();
};

// What the compiler is asked for: a listing, and every speed switch (settings.def; the compiler reads
// cache_globals, cache_attrs, inline_compare, fuse_slices, handle_exceptions, defer_stack, exact_lines,
// resume_generators, fuse_contains and inline_attrs).
struct CompileOptions {
  bool want_listing = false;  // fill `listing` with the disassembly annotated with bytecode offsets
#define JIT_SETTING(type, member, variable, fallback, parser, stats_key)
#define JIT_SWITCH(member, variable) bool member = true;
#include "jit/settings.def"
#undef JIT_SETTING
#undef JIT_SWITCH
};

struct CompileOutcome {
  std::unique_ptr<CompiledFunction> function;  // null when the code object could not be compiled
  std::string failure;                         // why not
  bool over_memory_cap = false;                // the reason was PYSTON_JIT_MAX_MEM
  std::string listing;
};

CompileOutcome compile_code(PyCodeObject* co, CodeMemory& memory, const CompileOptions& options);

// True when the bytecode has a jump to an earlier instruction (a loop).
bool has_backward_jump(PyCodeObject* co);

}  // namespace pyston_jit
