// Functions that compiled code calls for the bytecodes it does not emit inline. Each one implements one
// CPython 3.8 opcode's semantics on the frame's own value stack, so a deopt can resume the frame exactly.
#pragma once
#include <cstdint>

#include "jit/python.h"
#include "jit/settings.h"  // g_fast_arith, g_inplace_float, g_handle_exceptions

namespace pyston_jit {

// Returned in rax:rdx. `sp` is always the value-stack pointer after the helper, also on failure (then it is
// the stack the interpreter would have at its `error:` label). `status` is one of the values below.
struct StackResult {
  PyObject** sp;
  intptr_t status;
};
enum Status : intptr_t {
  kOk = 0,            // fall through to the next instruction
  kError = 1,         // an exception is set: unwind the block stack (pyston_jit_unwind, or the interpreter)
  kBranch = 2,        // (branch helpers) take the jump
  kResumeAfter = 3,   // tracing/profiling was switched on: finish this frame in the interpreter
  kResumeBefore = 4,  // an uncommon case: run this instruction (and the rest of the frame) in the interpreter
  kReraise = 5,       // (END_FINALLY, bare `raise`) an exception was restored: unwind without a traceback entry
};

// Where pyston_jit_unwind sends compiled code (rax = sp, rdx = target): a handler's machine address, or
// one of these.
struct UnwindResult {
  PyObject** sp;
  const void* target;
};
constexpr uintptr_t kUnwindPropagate = 0;  // no handler in this frame: the stack is empty, return NULL
constexpr uintptr_t kUnwindDeopt = 1;      // a tracer is on: nothing done, the interpreter unwinds (throwflag)
// compiler.h's kDeoptResume and kDeoptThrow, the values compiled code returns to hand a frame over.
constexpr uintptr_t kDeoptResumeMarker = 1;
constexpr uintptr_t kDeoptThrowMarker = 2;

// Helpers for opcodes with an argument take it as `oparg`; the others ignore it.
using OpcodeHelper = StackResult (*)(PyFrameObject* f, PyObject** sp, int oparg);

// The helper for `opcode`, or nullptr when the compiler emits it inline or deopts at it.
OpcodeHelper helper_for(int opcode);

// One LOAD_GLOBAL site's cache: valid while both dicts' version tags are unchanged (tag 0 is never used; a
// tag is unique across dicts, so it also identifies the dict).
struct GlobalCache {
  uint64_t globals_version = 0;
  uint64_t builtins_version = 0;
  PyObject* value = nullptr;  // borrowed from whichever dict holds it
  int32_t oparg = 0;          // the site's name index and bytecode offset, for the shared miss path
  int32_t lasti = 0;
};

// One way to find an attribute for one receiver type, guarded on the exact type and its version tag
// (assigning __class__ changes the type; changing the class or a base changes or invalidates the tag).
struct AttrCacheEntry {
  enum Kind : uint8_t {
    kEmpty,
    kInstanceDict,  // nothing by that name on the type: the instance __dict__
    kSlot,          // a __slots__ member
    kMethod,        // LOAD_METHOD: a function or method descriptor on the type, not shadowed
    kModule,        // a module's global
    kDataDescr,     // a data descriptor on the type (property, getset): call its __get__
    kClassAttr,     // a plain class attribute, unless the instance __dict__ shadows it
    kNonDataDescr,  // a non-data descriptor (function, classmethod), unless shadowed: call its __get__
    kTypeAttr,      // an attribute of a class object itself (type: its metatype): guarded on that class's tag
  };
  PyTypeObject* type = nullptr;
  unsigned int version = 0;
  Kind kind = kEmpty;
  // kInstanceDict: the size (dk_size) of split_keys when split_key_slot was found; 0 when there is none. A
  // keys object freed and another allocated at its address has the same layout only if it has the same size.
  uint16_t split_keys_size = 0;
  // Each kind uses at most one member of each union (40 bytes an entry: thousands of sites in a web app).
  union {
    Py_ssize_t slot_offset;  // kSlot: where the __slots__ member lives in the object
    Py_ssize_t split_index;  // kInstanceDict: the attribute's slot in the split table (with split_keys)
    uint64_t dict_version = 0;  // kModule: the module dict's version tag
    unsigned int meta_version;  // kTypeAttr: the metatype's version tag (unless the metatype is `type`);
                                // kDataDescr..kNonDataDescr: the descriptor's class's tag, 0 if immutable
  };
  union {
    // kMethod and the descriptor kinds: borrowed from the type's dict (the version guard keeps it there).
    PyObject* method;
    PyObject* value = nullptr;  // kModule: the global (borrowed: unchanged while the tag is)
    PyObject** split_key_slot;  // kInstanceDict: where split_keys holds the name's key (me_key), or null
  };
  union {
    PyTypeObject* owner;  // kTypeAttr: the class whose attribute this is (`type`'s version is fixed)
    void* split_keys;     // kInstanceDict: the shared keys seen last, or null
    PyObject* module_dict = nullptr;  // kModule
  };
};

// One LOAD_ATTR / LOAD_METHOD / STORE_ATTR site's cache: one entry per receiver type seen, so a site that
// sees several classes (a method inherited by subclasses) keeps hitting. Most sites see one type, so the
// first entry is inline and the other three are allocated when a second type turns up. Full: replace in turn.
struct AttrCache {
  static constexpr int kEntries = 8;  // one inline, the rest allocated for polymorphic sites
  static constexpr int kReplacementsBeforeGivingUp = 64;
  struct Overflow {
    AttrCacheEntry entries[kEntries - 1];
    uint8_t replacements = 0;  // entries replaced so far (the next one replaced is this modulo kEntries)
  };
  AttrCacheEntry first;
  Overflow* more = nullptr;  // allocated when a second receiver type turns up
  AttrCache() = default;
  AttrCache(const AttrCache&) = delete;
  AttrCache& operator=(const AttrCache&) = delete;
  ~AttrCache();
  int size() const { return more ? kEntries : 1; }
  AttrCacheEntry& at(int i) { return i == 0 ? first : more->entries[i - 1]; }
};
static_assert(sizeof(AttrCache) == 48, "one cache per attribute site: keep it small");

// Bytes held by the LOAD_GLOBAL and attribute caches of the compiled functions alive, overflow entries
// included (stats()["cache_bytes"]).
extern size_t g_cache_bytes;

// Checks (once) that CPython's private dict-keys layout is the one the split-dict caches assume.
bool split_dict_layout_ok();

// PYSTON_JIT_VERIFY_CACHES (a debugging aid): every attribute-cache hit is checked against the generic lookup,
// so the compiler emits no inline hits.
extern const bool kVerifyCaches;

// Exceptions that compiled code caught in one of its own handlers (for stats()).
extern long g_handlers_entered;
// LOAD_ATTR / LOAD_METHOD / STORE_ATTR executions at cached sites that took the generic route (for stats()).
extern long g_attr_misses;

// Non-uniform helpers called from inline code.
extern "C" {
int pyston_jit_truth_decref(PyObject* v);
void pyston_jit_clear_stack(
    PyFrameObject* f,
    PyObject** sp);  // pops and releases down to f_valuestack  // 1, 0, or -1 with an exception set
StackResult pyston_jit_load_global_cached(PyFrameObject* f, PyObject** sp, int oparg, GlobalCache* cache);
StackResult pyston_jit_load_attr_cached(PyFrameObject* f, PyObject** sp, int oparg, AttrCache* cache);
StackResult pyston_jit_load_method_cached(PyFrameObject* f, PyObject** sp, int oparg, AttrCache* cache);
StackResult pyston_jit_store_attr_cached(PyFrameObject* f, PyObject** sp, int oparg, AttrCache* cache);
// The same for an owner that is a local's value, borrowed (the deferred value stack): a loaded attribute is
// pushed; a stored value is popped.
StackResult pyston_jit_load_attr_of_local(PyFrameObject* f, PyObject** sp, int oparg, AttrCache* cache,
                                          PyObject* owner);
StackResult pyston_jit_load_method_of_local(PyFrameObject* f, PyObject** sp, int oparg, AttrCache* cache,
                                            PyObject* owner);
StackResult pyston_jit_store_attr_of_local(PyFrameObject* f, PyObject** sp, int oparg, AttrCache* cache,
                                           PyObject* owner);
// BUILD_SLICE fused with the BINARY_SUBSCR (oparg: the slice's part count) or STORE_SUBSCR after it.
StackResult pyston_jit_slice_subscr(PyFrameObject* f, PyObject** sp, int oparg);
StackResult pyston_jit_slice_store(PyFrameObject* f, PyObject** sp, int oparg);
// An exception left the current instruction: what the interpreter does at its `error:` label (a traceback
// entry, when `new_traceback`) and `exception_unwind`. `handlers` is the function's table: a count, then
// (bytecode offset, machine address) pairs for every SETUP_* target; null when it has none.
UnwindResult pyston_jit_unwind(PyFrameObject* f, PyObject** sp, const int64_t* handlers, int new_traceback);
// A compiled function's status exit: {sp, handler address}, or {result, null} to return (NULL or a deopt
// marker).
UnwindResult pyston_jit_status_exit(PyFrameObject* f, PyObject** sp, intptr_t status, const int64_t* handlers);
// Called at backward jumps when the eval breaker is set (version.h): 0 to continue, -1 on exception.
int pyston_jit_eval_breaker(PyFrameObject* f);
}

}  // namespace pyston_jit
