// The baseline compiler: one pass over CPython bytecode (3.8 to 3.10, through version.h and opcodes.def); one emit function per inline opcode, everything
// else a call to its runtime helper. Registers: rbx = frame, r12 = value-stack pointer, r13 = fast locals.
#include "jit/compiler.h"

#include <asmjit/asmjit.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <functional>
#include <string_view>
#include <type_traits>

#include "debug_tools.h"
#include "jit/code_memory.h"
#include "jit/runtime_helpers.h"
#include "opcode_table.h"
#include "version.h"

namespace pyston_jit {

using namespace asmjit;

namespace {

const x86::Gp kFrame = x86::rbx;
const x86::Gp kSp = x86::r12;
const x86::Gp kLocals = x86::r13;
const x86::Gp kTrue = x86::r14;  // Py_True, for the truth tests and identity compares (short encodings)

// A struct member's offset as an address displacement.
constexpr int32_t field(size_t offset) { return int32_t(offset); }

x86::Mem frame_field(size_t offset, uint32_t size = 8) {
  return x86::ptr(kFrame, int32_t(offset), size);
}
x86::Mem stack_slot(int index) {
  return x86::qword_ptr(kSp, 8 * index);
}  // index -1 is the top

class RecordingErrorHandler : public ErrorHandler {
 public:
  std::string message;
  void handleError(Error, const char* msg, BaseEmitter*) override {
    if (message.empty()) message = msg;
  }
};

struct Instruction {
  int start;  // first code unit, including EXTENDED_ARG prefixes
  int unit;   // code unit of the opcode itself
  int opcode;
  int oparg;
  int lasti() const { return version::lasti_of_instruction(unit); }  // f_lasti while it runs
};

std::vector<Instruction> decode(PyCodeObject* co) {
  const _Py_CODEUNIT* code = version::code_units(co);
  int n = version::code_unit_count(co);
  std::vector<Instruction> out;
  int oparg = 0, start = 0;
  for (int i = 0; i < n; i++) {
    int op = _Py_OPCODE(code[i]);
    oparg = (oparg << 8) | _Py_OPARG(code[i]);
    if (op == EXTENDED_ARG) continue;
    out.push_back({start, i, op, oparg});
    oparg = 0;
    start = i + 1;
  }
  return out;
}

bool is_jump(int op) {
  return kOpcodes[op].jump != kNoJump;
}
// SETUP_FINALLY, SETUP_WITH, SETUP_ASYNC_WITH: a handler block whose target an exception may jump to.
bool sets_up_handler(int op) {
  return kOpcodes[op].has(kOpensHandler);
}
// Generators and coroutines: entered at their resume points as well as at the start.
bool is_resumable(PyCodeObject* co) {
  return co->co_flags & (CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR | CO_ITERABLE_COROUTINE);
}
// The code unit a jump instruction goes to.
int jump_target_unit(const Instruction& ins) {
  return version::jump_target(kOpcodes[ins.opcode].jump == kRelative, ins.unit + 1, ins.oparg);
}

// Definite assignment: for each instruction, whether the local it reads (LOAD_FAST) or overwrites
// (STORE_FAST) is bound on every path to it, so the compiled code can skip the NULL test. A must-analysis
// (intersection at joins) over the bytecode's jumps and fall-throughs; a handler entry gets the state at its
// SETUP_* (states only grow inside the block). Locals that any DELETE_FAST names, and arguments whose value
// moved into a cell, are never assumed bound. Instructions no modelled path reaches assume only the
// arguments, which nothing can unbind.
std::vector<bool> surely_bound_locals(PyCodeObject* co, const std::vector<Instruction>& code) {
  const int nlocals = co->co_nlocals, words = (nlocals + 63) / 64;
  const size_t n = code.size();
  std::vector<bool> result(n, false);
  // A suspended generator may have been run by the interpreter under a tracer, and a tracer can unbind a local
  // through frame.f_locals (call_trampoline writes it back with PyFrame_LocalsToFast(f, 1)); compiled code
  // resumes such frames, so for them nothing is assumed. Other frames never re-enter compiled code after the
  // interpreter ran them.
  if (nlocals == 0 || n == 0 || (co->co_flags & (CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR))) return result;
  std::vector<char> deleted(nlocals, 0);
  for (const Instruction& ins : code)
    if (ins.opcode == DELETE_FAST && ins.oparg < nlocals) deleted[ins.oparg] = 1;
  if (co->co_cell2arg)
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(co->co_cellvars); i++)
      if (co->co_cell2arg[i] != CO_CELL_NOT_AN_ARG && co->co_cell2arg[i] < nlocals) deleted[co->co_cell2arg[i]] = 1;
  int nargs = co->co_argcount + co->co_kwonlyargcount + !!(co->co_flags & CO_VARARGS) +
              !!(co->co_flags & CO_VARKEYWORDS);
  std::vector<uint64_t> entry(words, 0);
  for (int i = 0; i < std::min(nargs, nlocals); i++)
    if (!deleted[i]) entry[i / 64] |= uint64_t(1) << (i % 64);
  // Instruction index by code unit (a jump to an EXTENDED_ARG prefix lands on its instruction).
  std::vector<int32_t> index_of_unit(code.back().unit + 2, int32_t(n));
  for (size_t i = 0; i < n; i++)
    for (int u = code[i].start; u <= code[i].unit; u++) index_of_unit[u] = int32_t(i);
  std::vector<uint64_t> in(n * words);  // the state at each instruction, valid where reached[i]
  std::vector<char> reached(n, 0);
  std::vector<uint64_t> out(words);
  std::vector<size_t> work;
  auto flow = [&](size_t target, const uint64_t* state) {
    if (target >= n) return;
    uint64_t* dst = &in[target * words];
    if (!reached[target]) {
      reached[target] = 1;
      std::copy(state, state + words, dst);
    } else {
      bool changed = false;
      for (int w = 0; w < words; w++) {
        changed |= (dst[w] & state[w]) != dst[w];
        dst[w] &= state[w];
      }
      if (!changed) return;
    }
    work.push_back(target);
  };
  auto index_at = [&](int unit) -> size_t {
    return unit >= 0 && unit < int(index_of_unit.size()) ? size_t(index_of_unit[unit]) : n;
  };
  flow(0, entry.data());
  while (!work.empty()) {
    size_t i = work.back();
    work.pop_back();
    const Instruction& ins = code[i];
    std::copy(&in[i * words], &in[i * words] + words, out.begin());
    if (ins.opcode == STORE_FAST && ins.oparg < nlocals && !deleted[ins.oparg])
      out[ins.oparg / 64] |= uint64_t(1) << (ins.oparg % 64);
    if (is_jump(ins.opcode)) {
      bool handler = sets_up_handler(ins.opcode);
      flow(index_at(jump_target_unit(ins)), handler ? &in[i * words] : out.data());
    }
    if (ins.opcode != JUMP_ABSOLUTE && ins.opcode != JUMP_FORWARD && ins.opcode != RETURN_VALUE) flow(i + 1, out.data());
  }
  for (size_t i = 0; i < n; i++) {
    const Instruction& ins = code[i];
    if ((ins.opcode != LOAD_FAST && ins.opcode != STORE_FAST) || ins.oparg >= nlocals) continue;
    // `s = s + t` on str empties the local that the STORE_FAST right after the add overwrites, so the
    // string can grow in place (concat_unicode): that store must test the old value.
    if (ins.opcode == STORE_FAST && i > 0 && (code[i - 1].opcode == BINARY_ADD || code[i - 1].opcode == INPLACE_ADD))
      continue;
    const uint64_t* state = reached[i] ? &in[i * words] : entry.data();
    result[i] = (state[ins.oparg / 64] >> (ins.oparg % 64)) & 1;
  }
  return result;
}

// Where an operand is: on the value stack, or (deferred) in a local or the constants.
struct Source {
  enum Kind { kStack, kLocal, kConst } kind = kStack;
  int index = 0;
};

class FunctionCompiler {
 public:
  FunctionCompiler(PyCodeObject* co, x86::Assembler& a, CodeHolder& holder, const CompileOptions& options,
                   GlobalCache* global_caches, AttrCache* attr_caches)
      : co_(co),
        a_(a),
        holder_(holder),
        options_(options),
        global_caches_(global_caches),
        attr_caches_(attr_caches),
        instructions_(decode(co)),
        surely_bound_(surely_bound_locals(co, instructions_)) {}

  bool emit(std::string* failure);
  std::vector<std::pair<int, Label>> resume_labels;  // (code unit, label)
  // Generators with handlers compiled in: where throw() and close() enter, to unwind from the yield.
  Label throw_label;
  bool has_throw_entry = false;

 private:
  PyCodeObject* co_;
  x86::Assembler& a_;
  CodeHolder& holder_;
  const CompileOptions& options_;
  GlobalCache* global_caches_;
  int next_global_cache_ = 0;
  AttrCache* attr_caches_;
  int next_attr_cache_ = 0;
  std::vector<Instruction> instructions_;
  std::vector<bool> surely_bound_;  // by instruction index: LOAD_FAST/STORE_FAST's local is bound there
  bool local_surely_bound() const { return surely_bound_[size_t(ins_ - instructions_.data())]; }
  std::vector<Label> unit_labels_;
  std::vector<std::function<void()>> cold_;
  Label exit_, status_exit_;
  Label deopt_shared_;       // deopt before the instruction whose f_lasti is in ecx
  Label handler_table_;      // (PYSTON_JIT_HANDLE_EXCEPTIONS) count, then (offset, address) per SETUP_* target
  bool has_handlers_ = false;
  Label global_shared_;  // near-called by each LOAD_GLOBAL site with rcx = its cache: the guards and the push
  bool need_global_shared_ = false;
  void load_false(const x86::Gp& reg) {  // Py_False, from its fixed distance to Py_True in libpython
    a_.lea(reg, x86::ptr(kTrue, int32_t((char*)Py_False - (char*)Py_True)));
  }
  const Instruction* ins_ = nullptr;

  void call(const void* fn) { a_.call(imm(fn)); }
  void store_lasti(int lasti) { a_.mov(frame_field(version::kFrameLasti, 4), lasti); }
  // The frame keeps the value-stack top for whoever resumes it: f_stacktop, or (3.10) its depth f_stackdepth,
  // computed in rcx.
  void store_stack_top() {
    if (!version::kStackTopIsDepth) {
      a_.mov(frame_field(version::kFrameStackTop), kSp);
      return;
    }
    a_.mov(x86::rcx, kSp);
    a_.sub(x86::rcx, frame_field(version::kFrameValuestack));
    a_.sar(x86::rcx, 3);
    a_.mov(frame_field(version::kFrameStackTop, 4), x86::ecx);
  }
  void incref(const x86::Gp& obj) { a_.inc(x86::qword_ptr(obj)); }
  void decref(const x86::Gp& obj);
  void decref_cold_dealloc(const x86::Gp& obj);
  void push(const x86::Gp& reg) {
    a_.mov(stack_slot(0), reg);
    a_.add(kSp, 8);
  }
  void jump_to(int target_unit);
  Label deopt_before_stub();
  void emit_prologue();
  void emit_epilogue();
  void emit_unwind_exit();
  void emit_handler_table();
  void emit_instruction(const Instruction& ins);
  void emit_helper_call(OpcodeHelper helper, int oparg, bool may_branch, int branch_target, bool may_retry);

  // The emitters named in the opcode list (opcodes.def), one per opcode or family: a void emitter always
  // emits the instruction; a bool one may decline (false), and then emit_generic follows.
  using Emitter = bool (*)(FunctionCompiler&);
  template <auto Emit>
  static bool run_emitter(FunctionCompiler& c) {
    if constexpr (std::is_void_v<decltype((c.*Emit)())>) {
      (c.*Emit)();
      return true;
    } else {
      return (c.*Emit)();
    }
  }
  static const std::array<Emitter, 256>& emitters();
  void emit_generic();
  void emit_nop() {}
  void emit_load_fast();
  void emit_load_const();
  void emit_store_fast();
  void store_rax_to_local();
  void emit_pop_top();
  void emit_rotate(int depth);
  void emit_rot_two() { emit_rotate(2); }
  void emit_rot_three() { emit_rotate(3); }
  void emit_rot_four() { emit_rotate(4); }
  void emit_rot_n() { emit_rotate(ins_->oparg); }
  void emit_dup_top();
  void emit_dup_top_two();
  void emit_jump() { jump_to(jump_target_unit(*ins_)); }
  void emit_pop_jump_if(bool jump_if_true, Source value = {});
  void emit_pop_jump_if_false() { emit_pop_jump_if(false); }
  void emit_pop_jump_if_true() { emit_pop_jump_if(true); }
  void emit_return_value();
  void emit_yield_value();
  void emit_yield_from();
#if PY_VERSION_HEX < 0x03090000
  void emit_begin_finally();  // 3.8
#endif
  bool emit_load_global_cached();
  void emit_load_deref();
  bool emit_attr_cached();
  bool emit_raise_varargs();
  bool can_fuse_compare(size_t index) const;
  bool can_fuse_slice(size_t index) const;
  void emit_fused_slice(const Instruction& build, const Instruction& subscr);
  void emit_fused_compare_jump(const Instruction& compare, const Instruction& jump, Source left = {},
                               Source right = {});
  void emit_fused_identity_jump(const Instruction& compare, const Instruction& jump, Source left, Source right);
  void emit_fused_contains_jump(const Instruction& compare, const Instruction& jump, Source left, Source right);
  void emit_instance_attr_hit(const AttrCacheEntry& e, PyObject* name, Label slow);
  void emit_method_hit(const AttrCacheEntry& e, Label slow);
  void emit_type_guard(const AttrCacheEntry& e, Label slow);
  bool emit_identity_compare();
  void emit_jump_on_r15b(bool when_set, const Instruction& jump, Label next);
  std::vector<bool> is_jump_target_;
  // PYSTON_JIT_EXACT_LINES: by instruction index, whether to store f_lasti before it although the instruction
  // would not (kOwnLasti, fused): the first of a line, or a jump target reached from another line. A sampling
  // profiler reading f_lasti then sees the line that runs, as it does under the interpreter.
  std::vector<bool> line_store_;
  void find_line_starts();

  // The deferred value stack (PYSTON_JIT_DEFER_STACK): a LOAD_FAST of a surely bound local or a LOAD_CONST
  // whose consumer is the next instruction (or the next two, for a compare and its jump) pushes nothing;
  // the consumer reads the local or constant in place, borrowed, without reference-count traffic.
  void bind_units(size_t index) {  // the labels of instruction `index`'s code units (EXTENDED_ARGs included)
    for (int u = instructions_[index].start; u <= instructions_[index].unit; u++) a_.bind(unit_labels_[u]);
  }
  Source deferrable(size_t index) const;
  bool none_jumped_to(size_t first, size_t count) const;
  size_t emit_with_deferred(size_t index);  // instructions emitted (0: no pattern here)
  void load_operand(const x86::Gp& reg, Source op);
  void push_operand(Source op);
  int load_compare_operands(const x86::Gp& left, const x86::Gp& right, Source left_op, Source right_op);
  void emit_return_rax();
  void emit_store_local(const Instruction& store, Source value);
  void emit_attr_of_local(const Instruction& attr, Source owner);
};

// The inline caches a code object's instructions need, of one kind.
int count_caches(PyCodeObject* co, CacheKind kind) {
  int n = 0;
  for (const Instruction& ins : decode(co)) n += kOpcodes[ins.opcode].cache == kind;
  return n;
}

void FunctionCompiler::decref(const x86::Gp& obj) {
  Label done = a_.newLabel();
  a_.dec(x86::qword_ptr(obj));
  a_.jnz(done);
  if (obj != x86::rdi) a_.mov(x86::rdi, obj);
  call((const void*)_Py_Dealloc);
  a_.bind(done);
}

// A decref whose deallocation call is out of line, with the f_lasti store it needs (a finalizer may look
// at the frame): the instructions that use it store f_lasti only on that path.
void FunctionCompiler::decref_cold_dealloc(const x86::Gp& obj) {
  Label dealloc = a_.newLabel(), done = a_.newLabel();
  a_.dec(x86::qword_ptr(obj));
  a_.jz(dealloc);
  a_.bind(done);
  int lasti = ins_->lasti();
  cold_.push_back([this, dealloc, done, obj, lasti] {
    a_.bind(dealloc);
    store_lasti(lasti);
    if (obj != x86::rdi) a_.mov(x86::rdi, obj);
    call((const void*)_Py_Dealloc);
    a_.jmp(done);
  });
}

// Jumps; a backward jump is a loop edge, where the eval breaker (signals, GIL hand-off, pending calls,
// async exceptions) must be honoured.
void FunctionCompiler::jump_to(int target_unit) {
  Label target = unit_labels_[target_unit];
  if (target_unit > ins_->unit) {
    a_.jmp(target);
    return;
  }
  Label slow = a_.newLabel();
  // eval_breaker | signals_pending: one base register when both are in one struct (3.8), else two loads.
  const int32_t breaker_offset = int32_t(kThisVersion.ceval_eval_breaker);
  const char* base = (const char*)version::eval_breaker_address(_PyThreadState_GET()) - breaker_offset;
  const int64_t signals_offset = (const char*)version::signals_pending_address() - base;
  a_.mov(x86::rax, imm(base));
  a_.mov(x86::ecx, x86::dword_ptr(x86::rax, breaker_offset));
  if (signals_offset == int32_t(signals_offset)) {
    a_.or_(x86::ecx, x86::dword_ptr(x86::rax, int32_t(signals_offset)));
  } else {
    a_.mov(x86::rax, imm(version::signals_pending_address()));
    a_.or_(x86::ecx, x86::dword_ptr(x86::rax));
  }
  a_.jnz(slow);
  a_.jmp(target);
  int lasti = ins_->lasti();
  cold_.push_back([this, slow, target, lasti] {
    a_.bind(slow);
    store_lasti(lasti);
    a_.mov(x86::rdi, kFrame);
    call((const void*)pyston_jit_eval_breaker);
    a_.test(x86::eax, x86::eax);
    a_.mov(x86::edx, kError);
    a_.jnz(status_exit_);
    a_.jmp(target);
  });
}

// Hands the frame to the interpreter before the current instruction: a 10-byte stub per site, the rest
// shared (deopt_shared_ in the epilogue).
Label FunctionCompiler::deopt_before_stub() {
  Label stub = a_.newLabel();
  int lasti = ins_->start == 0 ? -1 : version::lasti_of_instruction(ins_->start - 1);
  cold_.push_back([this, stub, lasti] {
    a_.bind(stub);
    a_.mov(x86::ecx, lasti);
    a_.jmp(deopt_shared_);
  });
  return stub;
}

void FunctionCompiler::emit_prologue() {
  // A classic rbp frame, so debuggers and profilers can walk through compiled code without unwind tables.
  a_.push(x86::rbp);
  a_.mov(x86::rbp, x86::rsp);
  for (auto reg : {x86::rbx, x86::r12, x86::r13, x86::r14, x86::r15}) a_.push(reg);
  a_.sub(x86::rsp, 8);  // 16-byte alignment for calls
  a_.mov(kTrue, imm(Py_True));
  a_.mov(kFrame, x86::rdi);
  a_.mov(kSp, x86::rsi);
  a_.lea(kLocals, frame_field(version::kFrameLocalsplus));
  // Only generators and coroutines are entered anywhere but at the start (their resume points); the rest
  // start right here, without an indirect jump.
  if (is_resumable(co_)) a_.jmp(x86::rdx);
}

void FunctionCompiler::emit_epilogue() {
  if (need_global_shared_) {
    // LOAD_GLOBAL, near-called with rcx = the site's cache (rsp is 8 off alignment). A dict's version tag is
    // unique across all dicts (a global counter, assigned at creation and on every change; ours for direct
    // stores counts down from the top), so an equal tag proves the same, unchanged dict: no pointer compare
    // is needed for the builtins. The hit pushes the value; a miss stores the site's f_lasti and has the
    // helper look the name up, fill the cache and push.
    Label miss = a_.newLabel();
    const int32_t version = int32_t(offsetof(PyDictObject, ma_version_tag));
    a_.bind(global_shared_);
    a_.mov(x86::rax, frame_field(version::kFrameGlobals));
    a_.mov(x86::rdx, x86::qword_ptr(x86::rax, version));
    a_.cmp(x86::rdx, x86::qword_ptr(x86::rcx, int32_t(offsetof(GlobalCache, globals_version))));
    a_.jne(miss);
    a_.mov(x86::rax, frame_field(version::kFrameBuiltins));
    a_.mov(x86::rdx, x86::qword_ptr(x86::rax, version));
    a_.cmp(x86::rdx, x86::qword_ptr(x86::rcx, int32_t(offsetof(GlobalCache, builtins_version))));
    a_.jne(miss);
    a_.mov(x86::rax, x86::qword_ptr(x86::rcx, int32_t(offsetof(GlobalCache, value))));
    incref(x86::rax);
    push(x86::rax);
    a_.ret();
    a_.bind(miss);
    a_.mov(x86::eax, x86::dword_ptr(x86::rcx, int32_t(offsetof(GlobalCache, lasti))));
    a_.mov(frame_field(version::kFrameLasti, 4), x86::eax);
    a_.mov(x86::edx, x86::dword_ptr(x86::rcx, int32_t(offsetof(GlobalCache, oparg))));
    a_.sub(x86::rsp, 8);
    a_.mov(x86::rdi, kFrame);
    a_.mov(x86::rsi, kSp);
    call((const void*)pyston_jit_load_global_cached);
    a_.add(x86::rsp, 8);
    a_.mov(kSp, x86::rax);
    a_.test(x86::edx, x86::edx);
    a_.jnz(status_exit_);  // the exit resets rsp from rbp, so leaving from inside the near call is fine
    a_.ret();
  }
  a_.bind(deopt_shared_);
  a_.mov(frame_field(version::kFrameLasti, 4), x86::ecx);
  store_stack_top();
  a_.mov(x86::eax, kDeoptResume);
  a_.jmp(exit_);
  // Status exit: edx holds a helper status (kError, kReraise or kResumeAfter); f_lasti is already stored.
  a_.bind(status_exit_);
  if (options_.handle_exceptions) {
    emit_unwind_exit();
  } else {
    store_stack_top();
    a_.mov(x86::eax, kDeoptResume);
    a_.mov(x86::ecx, kDeoptThrow);
    a_.cmp(x86::edx, kError);
    a_.cmove(x86::eax, x86::ecx);
  }
  a_.bind(exit_);
  a_.lea(x86::rsp, x86::ptr(x86::rbp, -40));  // below the five saved registers, wherever rsp was
  for (auto reg : {x86::r15, x86::r14, x86::r13, x86::r12, x86::rbx, x86::rbp}) a_.pop(reg);
  a_.ret();
}

// The status exit with handlers compiled in: pyston_jit_status_exit decides (an exception: this frame's
// handler, whose address comes back in rdx with the new stack pointer; no handler: return NULL; under a
// tracer, or kResumeAfter: the interpreter's marker) and the code jumps or returns. Kept small: every
// function has one.
void FunctionCompiler::emit_unwind_exit() {
  if (has_handlers_)
    a_.lea(x86::rcx, x86::ptr(handler_table_));
  else
    a_.xor_(x86::ecx, x86::ecx);
  a_.lea(x86::rsp, x86::ptr(x86::rbp, -48));  // aligned, also when leaving LOAD_GLOBAL's near-called tail
  a_.mov(x86::rdi, kFrame);
  a_.mov(x86::rsi, kSp);
  call((const void*)pyston_jit_status_exit);
  a_.test(x86::rdx, x86::rdx);
  a_.jz(exit_);  // rax: NULL or a deopt marker
  a_.mov(kSp, x86::rax);
  a_.jmp(x86::rdx);
}

void FunctionCompiler::emit_handler_table() {
  std::vector<int> targets;
  for (const Instruction& ins : instructions_)
    if (sets_up_handler(ins.opcode)) targets.push_back(jump_target_unit(ins));
  if (targets.empty()) return;
  a_.align(AlignMode::kData, 8);
  a_.bind(handler_table_);
  a_.embedUInt64(targets.size());
  for (int target : targets) {
    a_.embedUInt64(uint64_t(version::lasti_of_instruction(target)));  // as the block's b_handler says
    a_.embedLabel(unit_labels_[target], 8);
  }
}

// Calls a uniform helper. Status kOk falls through; kBranch jumps; kResumeBefore deopts before the
// instruction; anything else leaves through the status exit.
void FunctionCompiler::emit_helper_call(OpcodeHelper helper, int oparg, bool may_branch, int branch_target,
                                        bool may_retry) {
  a_.mov(x86::rdi, kFrame);
  a_.mov(x86::rsi, kSp);
  if (oparg == 0)
    a_.xor_(x86::edx, x86::edx);
  else
    a_.mov(x86::edx, oparg);
  call((const void*)helper);
  a_.mov(kSp, x86::rax);
  if (may_branch) {
    Label no_branch = a_.newLabel();
    a_.cmp(x86::edx, kBranch);
    a_.jne(no_branch);
    jump_to(branch_target);
    a_.bind(no_branch);
  }
  if (may_retry) {
    a_.cmp(x86::edx, kResumeBefore);
    a_.je(deopt_before_stub());
  }
  a_.test(x86::edx, x86::edx);
  a_.jnz(status_exit_);
}

void FunctionCompiler::emit_load_fast() {
  // An unbound local is rare: the interpreter re-runs the LOAD_FAST and raises UnboundLocalError.
  int oparg = ins_->oparg;
  a_.mov(x86::rax, x86::qword_ptr(kLocals, 8 * oparg));
  if (!local_surely_bound()) {
    a_.test(x86::rax, x86::rax);
    a_.jz(deopt_before_stub());
  }
  incref(x86::rax);
  push(x86::rax);
}

void FunctionCompiler::emit_load_const() {
  // The code object owns its constants for as long as this code exists.
  a_.mov(x86::rax, imm(PyTuple_GET_ITEM(co_->co_consts, ins_->oparg)));
  incref(x86::rax);
  push(x86::rax);
}

void FunctionCompiler::emit_store_fast() {
  a_.sub(kSp, 8);
  a_.mov(x86::rax, stack_slot(0));
  store_rax_to_local();
}

// The current STORE_FAST's local takes rax (a reference it owns); the old value, if any, is released.
void FunctionCompiler::store_rax_to_local() {
  Label done = a_.newLabel();
  x86::Mem slot = x86::qword_ptr(kLocals, 8 * ins_->oparg);
  a_.mov(x86::rdi, slot);
  a_.mov(slot, x86::rax);
  if (!local_surely_bound()) {
    a_.test(x86::rdi, x86::rdi);
    a_.jz(done);
  }
  decref_cold_dealloc(x86::rdi);
  a_.bind(done);
}

void FunctionCompiler::emit_pop_top() {
  a_.sub(kSp, 8);
  a_.mov(x86::rdi, stack_slot(0));
  decref_cold_dealloc(x86::rdi);
}

// ROT_TWO/THREE/FOUR: the top moves down `depth - 1` places, the others move up one.
void FunctionCompiler::emit_rotate(int depth) {
  a_.mov(x86::rax, stack_slot(-1));
  for (int i = 1; i < depth; i++) {
    a_.mov(x86::rcx, stack_slot(-1 - i));
    a_.mov(stack_slot(-i), x86::rcx);
  }
  a_.mov(stack_slot(-depth), x86::rax);
}

void FunctionCompiler::emit_dup_top() {
  a_.mov(x86::rax, stack_slot(-1));
  incref(x86::rax);
  push(x86::rax);
}

void FunctionCompiler::emit_dup_top_two() {
  a_.mov(x86::rax, stack_slot(-1));
  a_.mov(x86::rcx, stack_slot(-2));
  incref(x86::rax);
  incref(x86::rcx);
  a_.mov(stack_slot(0), x86::rcx);
  a_.mov(stack_slot(1), x86::rax);
  a_.add(kSp, 16);
}

// True and False inline (they are never deallocated); anything else asks pyston_jit_truth_decref out of
// line, after storing f_lasti (__bool__ and __len__ may look at the frame). A deferred local is tested in
// place: nothing to pop or release (the slow path takes a reference for truth_decref to drop).
void FunctionCompiler::emit_pop_jump_if(bool jump_if_true, Source value) {
  Label is_true = a_.newLabel(), slow = a_.newLabel(), take = a_.newLabel(), next = a_.newLabel();
  bool on_stack = value.kind == Source::kStack;
  if (on_stack) {
    a_.sub(kSp, 8);
    a_.mov(x86::rdi, stack_slot(0));
  } else {
    load_operand(x86::rdi, value);
  }
  a_.cmp(x86::rdi, kTrue);
  a_.je(is_true);
  load_false(x86::rax);
  a_.cmp(x86::rdi, x86::rax);
  a_.jne(slow);
  if (on_stack) a_.dec(x86::qword_ptr(x86::rdi));  // False
  if (jump_if_true) {
    a_.jmp(next);
    a_.bind(is_true);
    if (on_stack) a_.dec(x86::qword_ptr(x86::rdi));
    a_.bind(take);
    jump_to(jump_target_unit(*ins_));
  } else {
    a_.bind(take);
    jump_to(jump_target_unit(*ins_));
    a_.bind(is_true);
    if (on_stack) a_.dec(x86::qword_ptr(x86::rdi));
  }
  a_.bind(next);
  int lasti = ins_->lasti();
  cold_.push_back([this, slow, take, next, lasti, jump_if_true, on_stack] {
    a_.bind(slow);
    store_lasti(lasti);
    if (!on_stack) incref(x86::rdi);
    call((const void*)pyston_jit_truth_decref);
    a_.test(x86::eax, x86::eax);
    a_.mov(x86::edx, kError);
    a_.js(status_exit_);
    if (jump_if_true)
      a_.jnz(take);
    else
      a_.jz(take);
    a_.jmp(next);
  });
}

// Valid bytecode returns with an empty stack; hand-made bytecode may not, and the interpreter then pops
// (and releases) what is left.
void FunctionCompiler::emit_return_value() {
  a_.sub(kSp, 8);
  a_.mov(x86::rax, stack_slot(0));
  emit_return_rax();
}

void FunctionCompiler::emit_return_rax() {
  Label clean = a_.newLabel();
  a_.cmp(kSp, frame_field(version::kFrameValuestack));
  a_.jne(clean);
  a_.jmp(exit_);
  cold_.push_back([this, clean] {
    a_.bind(clean);
    a_.mov(x86::r15, x86::rax);
    a_.mov(x86::rdi, kFrame);
    a_.mov(x86::rsi, kSp);
    call((const void*)pyston_jit_clear_stack);
    a_.mov(x86::rax, x86::r15);
    a_.jmp(exit_);
  });
}

// Suspends a generator frame: f_stacktop marks it as suspended (not finished) for gen_send_ex, and the
// next resumption enters at the following instruction.
void FunctionCompiler::emit_yield_value() {
  if (co_->co_flags & CO_ASYNC_GENERATOR) emit_helper_call(helper_for(YIELD_VALUE), 0, false, 0, false);
  a_.sub(kSp, 8);
  a_.mov(x86::rax, stack_slot(0));
  store_stack_top();
  a_.jmp(exit_);
  resume_labels.push_back({ins_->unit + 1, unit_labels_[ins_->unit + 1]});
}

// YIELD_FROM re-runs itself on each resumption until the sub-iterator is exhausted.
void FunctionCompiler::emit_yield_from() {
  Label yield = a_.newLabel();
  resume_labels.push_back({ins_->unit, unit_labels_[ins_->start]});
  a_.mov(x86::rdi, kFrame);
  a_.mov(x86::rsi, kSp);
  call((const void*)helper_for(YIELD_FROM));
  a_.mov(kSp, x86::rax);
  a_.cmp(x86::edx, kBranch);
  a_.je(yield);
  a_.test(x86::edx, x86::edx);
  a_.jnz(status_exit_);
  int lasti = version::lasti_of_instruction(ins_->unit - 1);  // YIELD_FROM runs again when resumed
  cold_.push_back([this, yield, lasti] {
    a_.bind(yield);
    a_.mov(x86::rax, stack_slot(0));
    store_stack_top();
    store_lasti(lasti);
    a_.jmp(exit_);
  });
}

#if PY_VERSION_HEX < 0x03090000
void FunctionCompiler::emit_begin_finally() {
  a_.mov(stack_slot(0), 0);
  a_.add(kSp, 8);
}
#endif

// A cell's contents inline; an empty cell takes the helper, which raises the right NameError.
void FunctionCompiler::emit_load_deref() {
  Label slow = a_.newLabel(), done = a_.newLabel();
  a_.mov(x86::rax, x86::qword_ptr(kLocals, 8 * (co_->co_nlocals + ins_->oparg)));
  a_.mov(x86::rax, x86::qword_ptr(x86::rax, int32_t(offsetof(PyCellObject, ob_ref))));
  a_.test(x86::rax, x86::rax);
  a_.jz(slow);
  incref(x86::rax);
  push(x86::rax);
  a_.bind(done);
  int oparg = ins_->oparg;
  cold_.push_back([this, slow, oparg] {
    a_.bind(slow);
    a_.mov(x86::rdi, kFrame);
    a_.mov(x86::rsi, kSp);
    a_.mov(x86::edx, oparg);
    call((const void*)helper_for(LOAD_DEREF));
    a_.mov(kSp, x86::rax);
    a_.mov(x86::edx, kError);
    a_.jmp(status_exit_);
  });
}

// The cached form: a near call to the function's shared LOAD_GLOBAL code (15 bytes a site; the guards
// are in global_shared_). No f_lasti store on the way: only the miss path calls out, and it stores it.
bool FunctionCompiler::emit_load_global_cached() {
  if (!options_.cache_globals) return false;
  GlobalCache* cache = &global_caches_[next_global_cache_++];
  cache->oparg = ins_->oparg;
  cache->lasti = ins_->lasti();
  a_.mov(x86::rcx, imm(cache));
  a_.call(global_shared_);
  need_global_shared_ = true;
  return true;
}

// COMPARE_OP (<, <=, ==, !=, >, >=), `is`, `is not` (PYSTON_JIT_INLINE_COMPARE), `in` and `not in`
// (PYSTON_JIT_FUSE_CONTAINS) directly followed by POP_JUMP_IF_FALSE/TRUE that nothing jumps to.
bool FunctionCompiler::can_fuse_compare(size_t index) const {
  if (index + 1 >= instructions_.size()) return false;
  const Instruction &cmp = instructions_[index], &next = instructions_[index + 1];
  bool fusable = options_.inline_compare && ((cmp.opcode == COMPARE_OP && cmp.oparg <= Py_GE) ||
                                             version::is_identity_test(cmp.opcode, cmp.oparg));
  fusable = fusable || (options_.fuse_contains && version::is_containment_test(cmp.opcode, cmp.oparg));
  return fusable && cmp.start == cmp.unit &&
         (next.opcode == POP_JUMP_IF_FALSE || next.opcode == POP_JUMP_IF_TRUE) && next.start == next.unit &&
         !is_jump_target_[next.unit];
}

// Two small ints (one digit at most) compare inline and branch without making a bool; anything else takes
// the generic COMPARE_OP helper and the generic conditional jump.
// Operands may be deferred (a local or constant read in place): the right one alone, or both.
void FunctionCompiler::emit_fused_compare_jump(const Instruction& compare, const Instruction& jump,
                                               Source left_op, Source right_op) {
  if (version::is_identity_test(compare.opcode, compare.oparg))
    return emit_fused_identity_jump(compare, jump, left_op, right_op);
  if (version::is_containment_test(compare.opcode, compare.oparg))
    return emit_fused_contains_jump(compare, jump, left_op, right_op);
  Label slow = a_.newLabel(), next = a_.newLabel();
  const x86::Gp left = x86::rdi, right = x86::rsi;
  const int32_t type = int32_t(offsetof(PyObject, ob_type)), size = int32_t(offsetof(PyVarObject, ob_size));
  const int32_t digit = int32_t(offsetof(PyLongObject, ob_digit));
  const bool left_stacked = left_op.kind == Source::kStack, right_stacked = right_op.kind == Source::kStack;
  ins_ = &compare;  // no f_lasti store on the fast path: it only releases ints, which have no finalizers
  const int stacked = load_compare_operands(left, right, left_op, right_op);
  a_.mov(x86::rax, imm(&PyLong_Type));
  a_.cmp(x86::qword_ptr(left, type), x86::rax);
  a_.jne(slow);
  a_.cmp(x86::qword_ptr(right, type), x86::rax);
  a_.jne(slow);
  a_.mov(x86::rdx, x86::qword_ptr(left, size));
  a_.lea(x86::rax, x86::ptr(x86::rdx, 1));
  a_.cmp(x86::rax, 2);
  a_.ja(slow);
  a_.mov(x86::rcx, x86::qword_ptr(right, size));
  a_.lea(x86::rax, x86::ptr(x86::rcx, 1));
  a_.cmp(x86::rax, 2);
  a_.ja(slow);
  a_.mov(x86::eax, x86::dword_ptr(left, digit));  // value = size * digit (size is -1, 0 or 1)
  a_.imul(x86::rdx, x86::rax);
  a_.mov(x86::eax, x86::dword_ptr(right, digit));
  a_.imul(x86::rcx, x86::rax);
  a_.cmp(x86::rdx, x86::rcx);
  switch (compare.oparg) {
    case Py_LT:
      a_.setl(x86::r15b);
      break;
    case Py_LE:
      a_.setle(x86::r15b);
      break;
    case Py_EQ:
      a_.sete(x86::r15b);
      break;
    case Py_NE:
      a_.setne(x86::r15b);
      break;
    case Py_GT:
      a_.setg(x86::r15b);
      break;
    default:
      a_.setge(x86::r15b);
      break;
  }
  if (stacked) a_.sub(kSp, 8 * stacked);
  if (left_stacked) decref(left);  // ints have no finalizers, so nothing observes the frame here
  if (right_stacked) {
    a_.mov(x86::rdi, stack_slot(stacked - 1));
    decref(x86::rdi);
  }
  emit_jump_on_r15b(jump.opcode == POP_JUMP_IF_TRUE, jump, next);
  a_.bind(slow);
  ins_ = &compare;
  if (!left_stacked) push_operand(left_op);
  if (!right_stacked) push_operand(right_op);
  store_lasti(compare.lasti());
  emit_helper_call(helper_for(COMPARE_OP), compare.oparg, false, 0, false);
  a_.bind(unit_labels_[jump.unit]);
  ins_ = &jump;
  emit_pop_jump_if(jump.opcode == POP_JUMP_IF_TRUE);
  a_.bind(next);
}

// The end of a fused compare: r15b holds the answer; take `jump` when it is `when_set`, else go to `next`.
void FunctionCompiler::emit_jump_on_r15b(bool when_set, const Instruction& jump, Label next) {
  Label take = a_.newLabel();
  a_.test(x86::r15b, x86::r15b);
  if (when_set)
    a_.jnz(take);
  else
    a_.jz(take);
  a_.jmp(next);
  a_.bind(take);
  ins_ = &jump;
  jump_to(jump_target_unit(jump));
}

// `a is b` / `a is not b` and the jump: a pointer compare, two decrefs, a branch.
void FunctionCompiler::emit_fused_identity_jump(const Instruction& compare, const Instruction& jump,
                                                Source left_op, Source right_op) {
  Label next = a_.newLabel();
  const bool left_stacked = left_op.kind == Source::kStack, right_stacked = right_op.kind == Source::kStack;
  ins_ = &compare;
  const int stacked = load_compare_operands(x86::rdi, x86::rsi, left_op, right_op);
  a_.cmp(x86::rdi, x86::rsi);
  a_.sete(x86::r15b);
  if (stacked) a_.sub(kSp, 8 * stacked);
  if (left_stacked) decref_cold_dealloc(x86::rdi);  // stores f_lasti if a __del__ may run
  if (right_stacked) {
    a_.mov(x86::rdi, stack_slot(stacked - 1));
    decref_cold_dealloc(x86::rdi);
  }
  emit_jump_on_r15b(!version::identity_negated(compare.oparg) == (jump.opcode == POP_JUMP_IF_TRUE), jump, next);
  a_.bind(unit_labels_[jump.unit]);  // nothing jumps here (checked), but the label must be bound
  a_.bind(next);
}

// `a in b` / `a not in b` and the jump: PySequence_Contains(b, a) (what COMPARE_OP and CONTAINS_OP call) and a
// branch on its answer, without a bool pushed and tested; a deferred operand (a local or constant read in
// place) is passed borrowed, as to the attribute helpers. -1 is the instruction's error, with both operands
// popped as the interpreter pops them.
void FunctionCompiler::emit_fused_contains_jump(const Instruction& compare, const Instruction& jump,
                                                Source left_op, Source right_op) {
  Label next = a_.newLabel();
  const bool left_stacked = left_op.kind == Source::kStack, right_stacked = right_op.kind == Source::kStack;
  ins_ = &compare;
  store_lasti(compare.lasti());  // __contains__, __hash__ and __eq__ may run Python code, or raise
  const int stacked = load_compare_operands(x86::rsi, x86::rdi, left_op, right_op);  // (container, item)
  call((const void*)PySequence_Contains);
  a_.mov(x86::r15d, x86::eax);  // callee-saved: survives the decrefs
  if (stacked) a_.sub(kSp, 8 * stacked);
  if (left_stacked) {
    a_.mov(x86::rdi, stack_slot(0));
    decref_cold_dealloc(x86::rdi);
  }
  if (right_stacked) {
    a_.mov(x86::rdi, stack_slot(stacked - 1));
    decref_cold_dealloc(x86::rdi);
  }
  a_.test(x86::r15d, x86::r15d);
  a_.mov(x86::edx, kError);
  a_.js(status_exit_);
  emit_jump_on_r15b(!version::containment_negated(compare.oparg) == (jump.opcode == POP_JUMP_IF_TRUE), jump, next);
  a_.bind(unit_labels_[jump.unit]);  // nothing jumps here (checked), but the label must be bound
  a_.bind(next);
}

// `is` / `is not` without a jump after it: True or False from a pointer compare.
bool FunctionCompiler::emit_identity_compare() {
  if (!options_.inline_compare || !version::is_identity_test(ins_->opcode, ins_->oparg)) return false;
  a_.sub(kSp, 8);
  a_.mov(x86::rdi, stack_slot(-1));
  a_.mov(x86::rax, kTrue);
  load_false(x86::rcx);
  a_.cmp(x86::rdi, stack_slot(0));
  if (!version::identity_negated(ins_->oparg))
    a_.cmovne(x86::rax, x86::rcx);
  else
    a_.cmove(x86::rax, x86::rcx);
  incref(x86::rax);
  a_.mov(stack_slot(-1), x86::rax);
  decref(x86::rdi);
  a_.mov(x86::rdi, stack_slot(0));
  decref(x86::rdi);
  return true;
}

// BUILD_SLICE directly followed by BINARY_SUBSCR (any slice) or STORE_SUBSCR (start:stop only) that nothing
// jumps to: one helper slices lists, tuples and strs without making a slice object.
bool FunctionCompiler::can_fuse_slice(size_t index) const {
  if (!options_.fuse_slices || index + 1 >= instructions_.size()) return false;
  const Instruction &build = instructions_[index], &next = instructions_[index + 1];
  return build.opcode == BUILD_SLICE && build.start == build.unit && next.start == next.unit &&
         !is_jump_target_[next.unit] &&
         (next.opcode == BINARY_SUBSCR || (next.opcode == STORE_SUBSCR && build.oparg == 2));
}

void FunctionCompiler::emit_fused_slice(const Instruction& build, const Instruction& subscr) {
  ins_ = &subscr;  // errors are reported at the subscript, as the interpreter would
  store_lasti(subscr.lasti());
  a_.bind(unit_labels_[subscr.unit]);
  auto helper = subscr.opcode == BINARY_SUBSCR ? pyston_jit_slice_subscr : pyston_jit_slice_store;
  emit_helper_call((OpcodeHelper)(void*)helper, build.oparg, false, 0, false);
}

Source FunctionCompiler::deferrable(size_t index) const {
  const Instruction& ins = instructions_[index];
  if (ins.opcode == LOAD_CONST) return {Source::kConst, ins.oparg};
  if (ins.opcode == LOAD_FAST && surely_bound_[index]) return {Source::kLocal, ins.oparg};
  return {};
}

// Instructions [first, first + count) exist and nothing jumps to (or resumes at) any of their code units.
bool FunctionCompiler::none_jumped_to(size_t first, size_t count) const {
  if (first + count > instructions_.size()) return false;
  for (size_t k = first; k < first + count; k++)
    for (int u = instructions_[k].start; u <= instructions_[k].unit; u++)
      if (is_jump_target_[u]) return false;
  return true;
}

void FunctionCompiler::load_operand(const x86::Gp& reg, Source op) {
  if (op.kind == Source::kLocal)
    a_.mov(reg, x86::qword_ptr(kLocals, 8 * op.index));
  else  // the code object owns its constants for as long as this code exists
    a_.mov(reg, imm(PyTuple_GET_ITEM(co_->co_consts, op.index)));
}

// A compare's two operands into registers, from the stack's top or (deferred) in place; returns how many
// were on the stack (left below right).
int FunctionCompiler::load_compare_operands(const x86::Gp& left, const x86::Gp& right, Source left_op,
                                            Source right_op) {
  const int stacked = int(left_op.kind == Source::kStack) + int(right_op.kind == Source::kStack);
  if (left_op.kind == Source::kStack)
    a_.mov(left, stack_slot(-stacked));
  else
    load_operand(left, left_op);
  if (right_op.kind == Source::kStack)
    a_.mov(right, stack_slot(-1));
  else
    load_operand(right, right_op);
  return stacked;
}

void FunctionCompiler::push_operand(Source op) {
  load_operand(x86::rax, op);
  incref(x86::rax);
  push(x86::rax);
}

// The patterns a deferred operand feeds; everything else pushes as usual. The consumer's own labels are
// bound here too (nothing jumps to them: checked).
size_t FunctionCompiler::emit_with_deferred(size_t index) {
  Source first = deferrable(index);
  if (first.kind == Source::kStack) return 0;
  // LOAD a; LOAD b; COMPARE_OP; POP_JUMP_IF_*  and  LOAD b; COMPARE_OP; POP_JUMP_IF_*  (a on the stack)
  Source second = index + 1 < instructions_.size() ? deferrable(index + 1) : Source{};
  if (second.kind != Source::kStack && none_jumped_to(index + 1, 3) && can_fuse_compare(index + 2)) {
    bind_units(index + 1);
    bind_units(index + 2);
    emit_fused_compare_jump(instructions_[index + 2], instructions_[index + 3], first, second);
    return 4;
  }
  if (!none_jumped_to(index + 1, 1)) return 0;
  const Instruction& next = instructions_[index + 1];
  if (none_jumped_to(index + 1, 2) && can_fuse_compare(index + 1)) {
    bind_units(index + 1);
    emit_fused_compare_jump(next, instructions_[index + 2], Source{}, first);
    return 3;
  }
  switch (next.opcode) {
    case STORE_FAST:
      bind_units(index + 1);
      emit_store_local(next, first);
      return 2;
    case RETURN_VALUE:
      bind_units(index + 1);
      ins_ = &next;
      if (version::kFinishedFrameKeepsLine) store_lasti(next.lasti());
      load_operand(x86::rax, first);
      incref(x86::rax);
      emit_return_rax();
      return 2;
    case POP_JUMP_IF_FALSE:
    case POP_JUMP_IF_TRUE:
      if (first.kind != Source::kLocal) return 0;
      bind_units(index + 1);
      ins_ = &next;
      emit_pop_jump_if(next.opcode == POP_JUMP_IF_TRUE, first);
      return 2;
    case LOAD_ATTR:
    case LOAD_METHOD:
    case STORE_ATTR:
      if (first.kind != Source::kLocal || !options_.cache_attrs) return 0;
      bind_units(index + 1);
      emit_attr_of_local(next, first);
      return 2;
    default:
      return 0;
  }
}

// STORE_FAST of a deferred local or constant: a copy with one incref, the old value released.
void FunctionCompiler::emit_store_local(const Instruction& store, Source value) {
  ins_ = &store;
  load_operand(x86::rax, value);
  incref(x86::rax);
  store_rax_to_local();
}

// LOAD_ATTR / LOAD_METHOD / STORE_ATTR of a local (`self.x`, `obj.method(...)`, `self.x = v`): the cached
// helper gets the owner borrowed in r8; the owner never goes on the stack.
void FunctionCompiler::emit_attr_of_local(const Instruction& attr, Source owner) {
  ins_ = &attr;
  store_lasti(attr.lasti());
  AttrCache* cache = &attr_caches_[next_attr_cache_++];
  load_operand(x86::r8, owner);
  Label done = a_.newLabel();
  if (attr.opcode != STORE_ATTR && options_.inline_attrs && !kVerifyCaches) {
    Label slow = a_.newLabel();
    if (attr.opcode == LOAD_ATTR) {
      emit_instance_attr_hit(cache->first, PyTuple_GET_ITEM(co_->co_names, attr.oparg), slow);
      push(x86::rax);
    } else {
      emit_method_hit(cache->first, slow);  // then (method, self) pushed
      push(x86::rax);
      incref(x86::r8);
      push(x86::r8);
    }
    a_.jmp(done);
    a_.bind(slow);
  }
  a_.mov(x86::rcx, imm(cache));
  auto helper = attr.opcode == LOAD_ATTR     ? pyston_jit_load_attr_of_local
                : attr.opcode == LOAD_METHOD ? pyston_jit_load_method_of_local
                                             : pyston_jit_store_attr_of_local;
  emit_helper_call((OpcodeHelper)(void*)helper, attr.oparg, false, 0, false);
  a_.bind(done);
}

// LOAD_METHOD's hit for an owner (in r8) whose type has no instance dict, so nothing can shadow the method
// (builtin types, __slots__ classes): the method the site's first entry holds, in rax with a new reference;
// else a jump to `slow` (an instance dict needs the helper's lookup for a shadowing attribute).
void FunctionCompiler::emit_method_hit(const AttrCacheEntry& e, Label slow) {
  using Entry = AttrCacheEntry;
  // The dict test first: an instance of a Python class (the common owner) leaves after four instructions.
  a_.mov(x86::rax, x86::qword_ptr(x86::r8, field(offsetof(PyObject, ob_type))));
  a_.cmp(x86::qword_ptr(x86::rax, field(offsetof(PyTypeObject, tp_dictoffset))), 0);
  a_.jne(slow);
  emit_type_guard(e, slow);
  a_.cmp(x86::byte_ptr(x86::rcx, field(offsetof(Entry, kind))), Entry::kMethod);
  a_.jne(slow);
  a_.mov(x86::rax, x86::qword_ptr(x86::rcx, field(offsetof(Entry, method))));
  incref(x86::rax);
}

// The guard every cache entry has: the owner's (r8) exact type and its version tag. Leaves the entry's address
// in rcx and the type in rax.
void FunctionCompiler::emit_type_guard(const AttrCacheEntry& e, Label slow) {
  using Entry = AttrCacheEntry;
  a_.mov(x86::rcx, imm(&e));
  a_.mov(x86::rax, x86::qword_ptr(x86::r8, field(offsetof(PyObject, ob_type))));
  a_.cmp(x86::rax, x86::qword_ptr(x86::rcx, field(offsetof(Entry, type))));
  a_.jne(slow);
  a_.test(x86::dword_ptr(x86::rax, field(offsetof(PyTypeObject, tp_flags))), Py_TPFLAGS_VALID_VERSION_TAG);
  a_.jz(slow);
  a_.mov(x86::edx, x86::dword_ptr(x86::rax, field(offsetof(PyTypeObject, tp_version_tag))));
  a_.cmp(x86::edx, x86::dword_ptr(x86::rcx, field(offsetof(Entry, version))));
  a_.jne(slow);
}

// `owner.name` (owner in r8, borrowed) in rax with a new reference when the site's first cache entry applies
// and holds it the cheap way: a split instance dict's slot (the test split_slot makes: same type and version
// tag, same shared keys of the same size, the name's key where it was) or a __slots__ member; otherwise a jump
// to `slow` (the cached helper, which also fills the cache and raises). Nothing here calls out.
void FunctionCompiler::emit_instance_attr_hit(const AttrCacheEntry& e, PyObject* name, Label slow) {
  using Entry = AttrCacheEntry;
  Label slot = a_.newLabel(), found = a_.newLabel();
  emit_type_guard(e, slow);
  a_.movzx(x86::edx, x86::byte_ptr(x86::rcx, field(offsetof(Entry, kind))));
  a_.cmp(x86::edx, Entry::kSlot);
  a_.je(slot);
  a_.cmp(x86::edx, Entry::kInstanceDict);
  a_.jne(slow);
  a_.mov(x86::rdx, x86::qword_ptr(x86::rax, field(offsetof(PyTypeObject, tp_dictoffset))));  // > 0 for this kind
  a_.mov(x86::rdx, x86::qword_ptr(x86::r8, x86::rdx));  // the instance dict
  a_.test(x86::rdx, x86::rdx);
  a_.jz(slow);
  a_.mov(x86::r9, x86::qword_ptr(x86::rdx, field(offsetof(PyDictObject, ma_values))));
  a_.test(x86::r9, x86::r9);
  a_.jz(slow);
  a_.mov(x86::r10, x86::qword_ptr(x86::rdx, field(offsetof(PyDictObject, ma_keys))));
  a_.cmp(x86::r10, x86::qword_ptr(x86::rcx, field(offsetof(Entry, split_keys))));
  a_.jne(slow);
  a_.movzx(x86::r11d, x86::word_ptr(x86::rcx, field(offsetof(Entry, split_keys_size))));  // 0: no slot known
  a_.cmp(x86::qword_ptr(x86::r10, field(offsetof(version::DictKeysHeader, dk_size))), x86::r11);
  a_.jne(slow);
  a_.mov(x86::r11, x86::qword_ptr(x86::rcx, field(offsetof(Entry, split_key_slot))));
  a_.mov(x86::rdx, imm(name));  // the code object owns its names for as long as this code exists
  a_.cmp(x86::qword_ptr(x86::r11), x86::rdx);
  a_.jne(slow);
  a_.mov(x86::r11, x86::qword_ptr(x86::rcx, field(offsetof(Entry, split_index))));
  a_.mov(x86::rax, x86::qword_ptr(x86::r9, x86::r11, 3));
  a_.jmp(found);
  a_.bind(slot);
  a_.mov(x86::rdx, x86::qword_ptr(x86::rcx, field(offsetof(Entry, slot_offset))));
  a_.mov(x86::rax, x86::qword_ptr(x86::r8, x86::rdx));
  a_.bind(found);
  a_.test(x86::rax, x86::rax);  // not set on this instance: the helper raises or looks further
  a_.jz(slow);
  incref(x86::rax);
}

// LOAD_ATTR / LOAD_METHOD / STORE_ATTR through the site's cache (PYSTON_JIT_CACHE_ATTRS).
bool FunctionCompiler::emit_attr_cached() {
  if (!options_.cache_attrs) return false;
  AttrCache* cache = &attr_caches_[next_attr_cache_++];
  Label done = a_.newLabel();
  if (ins_->opcode != STORE_ATTR && options_.inline_attrs && !kVerifyCaches) {
    // A hit replaces the owner on the stack with the attribute, or with (method, owner) (PYSTON_JIT_INLINE_ATTRS).
    Label slow = a_.newLabel();
    a_.mov(x86::r8, stack_slot(-1));
    if (ins_->opcode == LOAD_ATTR) {
      emit_instance_attr_hit(cache->first, PyTuple_GET_ITEM(co_->co_names, ins_->oparg), slow);
      a_.mov(stack_slot(-1), x86::rax);
      decref_cold_dealloc(x86::r8);  // f_lasti is stored: a temporary owner's __del__ may run
    } else {
      emit_method_hit(cache->first, slow);
      a_.mov(stack_slot(-1), x86::rax);
      push(x86::r8);  // the stack's reference to the owner moves up
    }
    a_.jmp(done);
    a_.bind(slow);
  }
  a_.mov(x86::rcx, imm(cache));
  auto helper = ins_->opcode == LOAD_ATTR     ? pyston_jit_load_attr_cached
                : ins_->opcode == LOAD_METHOD ? pyston_jit_load_method_cached
                                              : pyston_jit_store_attr_cached;
  emit_helper_call((OpcodeHelper)(void*)helper, ins_->oparg, false, 0, false);
  a_.bind(done);
  return true;
}

// A bare `raise` re-raises without a new traceback entry: the unwinder's or the interpreter's job.
bool FunctionCompiler::emit_raise_varargs() {
  if (ins_->oparg != 0 || options_.handle_exceptions) return false;
  a_.jmp(deopt_before_stub());
  return true;
}

// The generic form of an instruction: a call of its helper, with the status handling its row declares
// (kBranch jumps, kResumeBefore deopts before it); without a helper, the interpreter runs it.
void FunctionCompiler::emit_generic() {
  const Instruction& ins = *ins_;
  const OpcodeFacts& facts = kOpcodes[ins.opcode];
  OpcodeHelper helper = helper_for(ins.opcode);
  if (!helper) {
    a_.jmp(deopt_before_stub());
    return;
  }
  // A SETUP_* helper gets its handler as the block stack records it (an f_lasti value).
  if (facts.has(kOpensHandler))
    return emit_helper_call(helper, version::lasti_of_instruction(jump_target_unit(ins)), false, 0, false);
  bool branches = facts.has(kBranches);
  emit_helper_call(helper, ins.oparg, branches, branches ? jump_target_unit(ins) : 0, facts.has(kRetries));
}

const std::array<FunctionCompiler::Emitter, 256>& FunctionCompiler::emitters() {
  static constexpr std::array<Emitter, 256> table = [] {
    std::array<Emitter, 256> t{};
    t.fill(&run_emitter<&FunctionCompiler::emit_generic>);  // not an opcode of this version: deopt
#define OPCODE(op, emitter, helper, jump, flags, cache) \
  t[op] = &run_emitter<&FunctionCompiler::emit_##emitter>;
#include PYSTON_JIT_OPCODES
#undef OPCODE
    return t;
  }();
  return table;
}

// An emitter that stores f_lasti itself must exist.
#define OPCODE(op, emitter, helper, jump, flags, cache) \
  static_assert(!((flags)&kOwnLasti) || std::string_view(#emitter) != "generic",         \
                #op ": kOwnLasti needs an emitter");
#include PYSTON_JIT_OPCODES
#undef OPCODE

void FunctionCompiler::find_line_starts() {
  std::vector<int> lines = version::unit_lines(co_);
  auto line_of = [&](int unit) { return unit >= 0 && size_t(unit) < lines.size() ? lines[unit] : -1; };
  line_store_.assign(instructions_.size(), false);
  std::vector<bool> from_other_line(lines.size() + 1, false);
  for (const Instruction& ins : instructions_) {
    if (!is_jump(ins.opcode)) continue;
    int target = jump_target_unit(ins);
    if (target >= 0 && size_t(target) < from_other_line.size() && line_of(target) != line_of(ins.unit))
      from_other_line[target] = true;
  }
  for (size_t i = 0; i < instructions_.size(); i++) {
    const Instruction& ins = instructions_[i];
    line_store_[i] = i == 0 || line_of(ins.start) != line_of(instructions_[i - 1].unit) ||
                     from_other_line[ins.start] || from_other_line[ins.unit];
  }
}

void FunctionCompiler::emit_instruction(const Instruction& ins) {
  ins_ = &ins;
  const bool own_lasti = kOpcodes[ins.opcode].has(kOwnLasti);
  // Everything else may call out (a decref can run __del__), so the frame's f_lasti must be right.
  if (!own_lasti) store_lasti(ins.lasti());
  if (emitters()[ins.opcode](*this)) return;
  if (own_lasti) store_lasti(ins.lasti());  // declined (LOAD_GLOBAL uncached): the helper calls out
  emit_generic();
}

bool FunctionCompiler::emit(std::string* failure) {
  int units = version::code_unit_count(co_);
  for (int i = 0; i <= units; i++) unit_labels_.push_back(a_.newLabel());
  exit_ = a_.newLabel();
  status_exit_ = a_.newLabel();
  deopt_shared_ = a_.newLabel();
  handler_table_ = a_.newLabel();
  for (const Instruction& ins : instructions_)
    has_handlers_ |= sets_up_handler(ins.opcode);
  global_shared_ = a_.newLabel();
  emit_prologue();
  resume_labels.push_back({0, unit_labels_[0]});
  is_jump_target_.assign(units + 1, false);
  for (const Instruction& ins : instructions_) {
    if (is_jump(ins.opcode)) {
      int target = jump_target_unit(ins);
      if (target >= 0 && target <= units) is_jump_target_[target] = true;
    }
    if (ins.opcode == YIELD_VALUE && ins.unit + 1 <= units) is_jump_target_[ins.unit + 1] = true;
  }
  if (options_.exact_lines) find_line_starts();
  for (size_t i = 0; i < instructions_.size(); i++) {
    const Instruction& ins = instructions_[i];
    bind_units(i);
    if (holder_.logger()) a_.commentf("%d %s %d", ins.lasti(), kOpcodes[ins.opcode].name, ins.oparg);
    if (options_.exact_lines && line_store_[i] &&
        (kOpcodes[ins.opcode].has(kOwnLasti) || can_fuse_compare(i) || can_fuse_slice(i)))
      store_lasti(ins.lasti());
    if (options_.defer_stack) {
      if (size_t n = emit_with_deferred(i)) {
        i += n - 1;
        continue;
      }
    }
    if (can_fuse_slice(i)) {
      emit_fused_slice(ins, instructions_[i + 1]);
      i++;
      continue;
    }
    if (can_fuse_compare(i)) {
      emit_fused_compare_jump(ins, instructions_[i + 1]);
      i++;
      continue;
    }
    emit_instruction(ins);
  }
  a_.bind(unit_labels_[units]);
  // Falling off the end cannot happen in valid bytecode; be safe and let the interpreter complain.
  a_.int3();
  for (size_t i = 0; i < cold_.size(); i++) cold_[i]();
  if (is_resumable(co_) && options_.handle_exceptions && options_.resume_generators) {
    // gen.throw()/close(): the exception is set and f_lasti is the yield's; the interpreter's throwflag
    // goes straight to its error label, and so does this.
    throw_label = a_.newLabel();
    has_throw_entry = true;
    a_.bind(throw_label);
    a_.mov(x86::edx, kError);
    a_.jmp(status_exit_);
  }
  emit_epilogue();
  if (options_.handle_exceptions) emit_handler_table();
  (void)failure;
  return true;
}

}  // namespace

const void* CompiledFunction::entry_for(int lasti) const {
  if (lasti < 0) return (const char*)entry + start_offset;
  size_t unit = size_t(version::instruction_of_lasti(lasti) + 1);
  if (unit >= resume_points.size() || resume_points[unit] < 0) return nullptr;
  return (const char*)entry + resume_points[unit];
}

const void* CompiledFunction::throw_entry() const {
  return throw_offset < 0 ? nullptr : (const char*)entry + throw_offset;
}

CompiledFunction::~CompiledFunction() {
  if (gdb_registration) unregister_from_gdb(gdb_registration);
  if (entry && memory) memory->release((void*)entry, code_size);
  g_cache_bytes -= cache_bytes;
}

bool has_backward_jump(PyCodeObject* co) {
  for (const Instruction& ins : decode(co)) {
    if (is_jump(ins.opcode) && jump_target_unit(ins) <= ins.unit)
      return true;
  }
  return false;
}

CompileOutcome compile_code(PyCodeObject* co, CodeMemory& memory, const CompileOptions& options) {
  CompileOutcome out;
  if (co->co_nlocals < 0 || PyBytes_GET_SIZE(co->co_code) > (1 << 24)) {
    out.failure = "code object too large";
    return out;
  }
  CodeHolder holder;
  holder.init(memory.environment());
  RecordingErrorHandler errors;
  holder.setErrorHandler(&errors);
  StringLogger logger;
  if (options.want_listing) holder.setLogger(&logger);
  x86::Assembler a(&holder);
  int n_globals = count_caches(co, kGlobalCache);
  std::unique_ptr<GlobalCache[]> global_caches(n_globals ? new GlobalCache[n_globals] : nullptr);
  int n_attrs = count_caches(co, kAttrCache);
  std::unique_ptr<AttrCache[]> attr_caches(n_attrs ? new AttrCache[n_attrs] : nullptr);
  FunctionCompiler compiler(co, a, holder, options, global_caches.get(), attr_caches.get());
  if (!compiler.emit(&out.failure) || !errors.message.empty()) {
    if (out.failure.empty()) out.failure = "asmjit: " + errors.message;
    return out;
  }
  auto fn = std::make_unique<CompiledFunction>();
  void* code = nullptr;
  if (!memory.add(&code, holder, &fn->code_size)) {
    out.failure = "code memory cap reached";
    out.over_memory_cap = true;
    return out;
  }
  fn->entry = (EntryFn)code;
  fn->memory = &memory;
  fn->global_caches = std::move(global_caches);
  fn->attr_caches = std::move(attr_caches);
  fn->cache_bytes = n_globals * sizeof(GlobalCache) + n_attrs * sizeof(AttrCache);
  g_cache_bytes += fn->cache_bytes;
  const bool resumable = is_resumable(co);
  for (auto& [unit, label] : compiler.resume_labels) {
    int32_t offset = int32_t(holder.labelOffsetFromBase(label));
    if (unit == 0) {
      fn->start_offset = offset;
      continue;
    }
    if (!resumable) {  // its prologue has no jump to a resume point (emit_prologue)
      out.failure = "a resume point in code that is not a generator";
      out.function.reset();
      return out;
    }
    if (fn->resume_points.empty()) fn->resume_points.assign(version::code_unit_count(co) + 1, -1);
    fn->resume_points[unit] = offset;  // a unit listed twice keeps its last label
  }
  if (compiler.has_throw_entry) fn->throw_offset = int32_t(holder.labelOffsetFromBase(compiler.throw_label));
  if (options.want_listing) out.listing = logger.data();
  out.function = std::move(fn);
  return out;
}

}  // namespace pyston_jit
