// Executable memory for compiled functions, with the PYSTON_JIT_MAX_MEM cap.
#pragma once
#include <asmjit/asmjit.h>

#include <cstddef>

namespace pyston_jit {

class CodeMemory {
 public:
  explicit CodeMemory(size_t cap_bytes) : cap_(cap_bytes) {}
  // Copies the assembled code into executable memory; false when it would exceed the cap or fails.
  bool add(void** out, asmjit::CodeHolder& code, size_t* size);
  void release(void* fn, size_t size);
  size_t used() const { return used_; }
  size_t cap() const { return cap_; }
  const asmjit::Environment& environment() const { return runtime_.environment(); }

 private:
  asmjit::JitRuntime runtime_;
  size_t cap_;
  size_t used_ = 0;
};

}  // namespace pyston_jit
