// The facts about each opcode that the compiler, the runtime helpers and stats() share, taken from the one
// opcode list (opcodes.def), as it reads for the CPython version being built against.
#pragma once
#include <array>
#include <cstdint>

#include "jit/python.h"

namespace pyston_jit {

enum JumpKind : uint8_t {
  kNoJump,
  kRelative,  // target = the next instruction's offset + oparg (Lib/opcode.py's hasjrel)
  kAbsolute,  // target = oparg (hasjabs)
};
enum OpcodeFlag : uint8_t {
  kOwnLasti = 1,      // the emitter stores f_lasti itself, on the paths that call out
  kBranches = 2,      // the helper may return kBranch: take the jump
  kRetries = 4,       // the helper may return kResumeBefore: run the instruction in the interpreter
  kOpensHandler = 8,  // a SETUP_* block whose target an exception may jump to
};
enum CacheKind : uint8_t { kNoCache, kGlobalCache, kAttrCache };

struct OpcodeFacts {
  const char* name = nullptr;  // nullptr: not an opcode of this CPython version
  JumpKind jump = kNoJump;
  uint8_t flags = 0;
  CacheKind cache = kNoCache;
  constexpr bool has(OpcodeFlag flag) const { return flags & flag; }
};

#if PY_VERSION_HEX >= 0x03080000 && PY_VERSION_HEX < 0x030B0000
#define PYSTON_JIT_OPCODES "opcodes.def"
#else
#error "pyston_jit: opcodes.def knows CPython 3.8 to 3.10"
#endif

constexpr std::array<OpcodeFacts, 256> make_opcode_facts() {
  std::array<OpcodeFacts, 256> facts{};
#define OPCODE(op, emitter, helper, jump, flags, cache)     \
  if (facts[op].name) throw "an opcode is listed twice"; \
  facts[op] = {#op, jump, flags, cache};
#include PYSTON_JIT_OPCODES
#undef OPCODE
  return facts;
}
inline constexpr std::array<OpcodeFacts, 256> kOpcodes = make_opcode_facts();

// What CPython's opcode.h says, checked against the list (3.8's opcode.h has HAS_ARG but no jump sets; those
// are checked against dis by tests/jit/test_opcode_table.py).
constexpr bool jumps_have_arguments() {
  for (int op = 0; op < 256; op++)
    if (kOpcodes[op].jump != kNoJump && !HAS_ARG(op)) return false;
  return true;
}
static_assert(jumps_have_arguments(), "a jump opcode without an argument: check its row");
constexpr bool flags_agree_with_jumps() {
  for (const OpcodeFacts& op : kOpcodes) {
    if (op.has(kBranches) && op.jump == kNoJump) return false;
    if (op.has(kOpensHandler) && op.jump != kRelative) return false;
  }
  return true;
}
static_assert(flags_agree_with_jumps(), "kBranches and kOpensHandler need a jump target");

}  // namespace pyston_jit
