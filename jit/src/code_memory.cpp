// Executable memory for compiled functions, with the PYSTON_JIT_MAX_MEM cap.
#include "jit/code_memory.h"

namespace pyston_jit {

bool CodeMemory::add(void** out, asmjit::CodeHolder& code, size_t* size) {
  size_t needed = code.codeSize();
  if (used_ + needed > cap_) return false;
  if (runtime_.add(out, &code) != asmjit::kErrorOk) return false;
  // Relocation can drop address-table entries (calls that reach their target directly), and the runtime then
  // gives the tail back: the code's real size is the one after add(). Symbols for perf and gdb must not
  // overlap the next function's (gdb drops overlapping ranges and cannot unwind through either).
  needed = code.codeSize();
  used_ += needed;
  *size = needed;
  return true;
}

void CodeMemory::release(void* fn, size_t size) {
  runtime_.release(fn);
  used_ -= size;
}

}  // namespace pyston_jit
