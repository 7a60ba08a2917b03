// Tests for jit/src/versions/: the generated VersionLayout table against the JIT's 3.8 constants and
// offsetof() on 3.8's headers, the per-version facts the port relies on, and each version's opcodes against
// its own Lib/opcode.py (run in that version's interpreter).
#include "version_layout.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <sstream>
#include <string>

#include "jit/python.h"    // CPython 3.8's headers, as the JIT includes them
#include "opcode_table.h"  // the compiler's opcode list for the version it is built against
#include "this_version.h"

namespace pyston_jit {
namespace {

// PB_JIT_VERSION_PYTHONS: "3.9=/prefix/bin/python3.9|..." for every version the build found.
std::map<std::string, std::string> built_pythons() {
  std::map<std::string, std::string> pythons;
  std::stringstream list(PB_JIT_VERSION_PYTHONS);
  std::string item;
  while (std::getline(list, item, '|')) {
    auto eq = item.find('=');
    pythons[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return pythons;
}

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  EXPECT_EQ(pclose(pipe), 0) << command;
  return out;
}

const VersionLayout& require(int major, int minor) {
  const VersionLayout* layout = version_layout(major, minor);
  if (!layout)
    throw std::runtime_error("no layout for " + std::to_string(major) + "." + std::to_string(minor));
  return *layout;
}

TEST(VersionLayout, TableHoldsEachVersionFoundAndOnlyThose) {
  auto pythons = built_pythons();
  ASSERT_TRUE(pythons.count("3.8")) << "3.8 is required";
  EXPECT_EQ(version_layouts().size(), pythons.size());
  for (const auto& [version, python] : pythons) {
    int minor = std::stoi(version.substr(2));
    const VersionLayout* layout = version_layout(3, minor);
    ASSERT_NE(layout, nullptr) << version;
    EXPECT_EQ(layout->minor, minor);
  }
  EXPECT_EQ(version_layout(3, 11), nullptr);
  EXPECT_EQ(version_layout(2, 7), nullptr);
}

// The numbers the JIT has used for 3.8 (shared/JIT-NOTES.md), and offsetof() on the headers the JIT compiles
// against: the table must agree with both before the compiler can read offsets from it.
TEST(VersionLayout, Host38MatchesTheJitsConstants) {
  const VersionLayout& v = require(3, 8);
  EXPECT_EQ(v.frame_lasti, 104);
  EXPECT_EQ(v.frame_localsplus, 360);
  EXPECT_EQ(v.ceval_eval_breaker, 8);
  EXPECT_EQ(v.type_version_tag, 384);

  EXPECT_EQ(v.lasti_unit, CodeOffsetUnit::Bytes);
  EXPECT_EQ(v.eval_frame_hook, EvalFrameHook::InterpreterField);
  EXPECT_EQ(v.ceval_home, CevalHome::Runtime);
  EXPECT_EQ(v.ceval_offset, int64_t(offsetof(_PyRuntimeState, ceval)));
  EXPECT_EQ(v.ceval_eval_breaker, int64_t(offsetof(_ceval_runtime_state, eval_breaker)));
  EXPECT_EQ(v.ceval_gil_drop_request, int64_t(offsetof(_ceval_runtime_state, gil_drop_request)));
  EXPECT_EQ(v.ceval_pending_calls_to_do, int64_t(offsetof(_ceval_runtime_state, pending.calls_to_do)));
  EXPECT_EQ(v.runtime_signals_pending, int64_t(offsetof(_PyRuntimeState, ceval.signals_pending)));
  EXPECT_EQ(v.runtime_main_thread, int64_t(offsetof(_PyRuntimeState, main_thread)));
  EXPECT_EQ(v.interp_eval_frame, int64_t(offsetof(PyInterpreterState, eval_frame)));
  EXPECT_EQ(v.interp_co_extra_user_count, int64_t(offsetof(PyInterpreterState, co_extra_user_count)));
  EXPECT_EQ(v.tstate_use_tracing, int64_t(offsetof(PyThreadState, use_tracing)));
  EXPECT_EQ(v.tstate_async_exc, int64_t(offsetof(PyThreadState, async_exc)));
  EXPECT_EQ(v.frame_size, int64_t(sizeof(PyFrameObject)));
  EXPECT_EQ(v.frame_lasti, int64_t(offsetof(PyFrameObject, f_lasti)));
  EXPECT_EQ(v.frame_localsplus, int64_t(offsetof(PyFrameObject, f_localsplus)));
  EXPECT_EQ(v.frame_valuestack, int64_t(offsetof(PyFrameObject, f_valuestack)));
  EXPECT_EQ(v.frame_stacktop, int64_t(offsetof(PyFrameObject, f_stacktop)));
  EXPECT_EQ(v.frame_run_state, int64_t(offsetof(PyFrameObject, f_executing)));
  EXPECT_EQ(v.frame_blockstack, int64_t(offsetof(PyFrameObject, f_blockstack)));
  EXPECT_EQ(v.frame_iblock, int64_t(offsetof(PyFrameObject, f_iblock)));
  EXPECT_EQ(v.frame_globals, int64_t(offsetof(PyFrameObject, f_globals)));
  EXPECT_EQ(v.frame_builtins, int64_t(offsetof(PyFrameObject, f_builtins)));
  EXPECT_EQ(v.code_code, int64_t(offsetof(PyCodeObject, co_code)));
  EXPECT_EQ(v.code_extra, int64_t(offsetof(PyCodeObject, co_extra)));
  EXPECT_EQ(v.type_version_tag, int64_t(offsetof(PyTypeObject, tp_version_tag)));
  EXPECT_EQ(v.tpflags_valid_version_tag, int64_t(Py_TPFLAGS_VALID_VERSION_TAG));
  EXPECT_EQ(v.dict_version_tag, int64_t(offsetof(PyDictObject, ma_version_tag)));
  EXPECT_EQ(v.dict_values, int64_t(offsetof(PyDictObject, ma_values)));
  EXPECT_EQ(v.compare_exc_match, PyCmp_EXC_MATCH);
  // runtime_helpers.cpp's DictKeysHeader and eval_hook.cpp's CodeExtraLayout: three words before the entry
  // count, the indices after five; the count before the slots.
  EXPECT_EQ(v.keys_size, 8);
  EXPECT_EQ(v.keys_nentries, 32);
  EXPECT_EQ(v.keys_indices, 40);
  EXPECT_EQ(v.keys_entry_size, 24);
  EXPECT_EQ(v.code_extra_count, 0);
  EXPECT_EQ(v.code_extra_slots, 8);
}

// The constant a translation unit built against 3.8's headers gets is the table's 3.8 row.
TEST(VersionLayout, ThisVersionIsTheTablesRow) {
  static_assert(kThisVersion.minor == PY_MINOR_VERSION);
  static_assert(kThisVersion.frame_lasti == offsetof(PyFrameObject, f_lasti), "usable as an immediate");
  const VersionLayout& v = require(3, PY_MINOR_VERSION);
  EXPECT_EQ(kThisVersion.frame_localsplus, v.frame_localsplus);
  EXPECT_EQ(kThisVersion.ceval_offset, v.ceval_offset);
  for (int op = 0; op < 256; op++) {
    EXPECT_EQ(kThisVersion.opcode_names[op] == nullptr, v.opcode_names[op] == nullptr) << op;
  }
}

TEST(VersionLayout, Python310CountsCodeUnitsAndTheOthersBytes) {
  for (const VersionLayout& v : version_layouts()) {
    bool is310 = v.minor >= 10;
    EXPECT_EQ(v.lasti_unit, is310 ? CodeOffsetUnit::CodeUnits : CodeOffsetUnit::Bytes) << "3." << v.minor;
    EXPECT_EQ(v.line_table, is310 ? LineTableKind::Linetable : LineTableKind::Lnotab) << "3." << v.minor;
    EXPECT_EQ(v.stack_top, is310 ? StackTopKind::Depth : StackTopKind::Pointer) << "3." << v.minor;
    EXPECT_EQ(v.frame_stacktop < 0, is310) << "3." << v.minor;
    EXPECT_EQ(v.tstate_use_tracing < 0, is310) << "3." << v.minor;
  }
  if (!version_layout(3, 10)) GTEST_SKIP() << "CPython 3.10 was not found at build time";
  const VersionLayout& v = require(3, 10);
  EXPECT_EQ(v.run_state_executing, 0);  // FRAME_EXECUTING
  EXPECT_EQ(v.run_state_suspended, -1);
  EXPECT_GE(v.cframe_use_tracing, 0);
}

TEST(VersionLayout, Python39AndLaterUseTheSetterHookAndAPerInterpreterEvalBreaker) {
  for (const VersionLayout& v : version_layouts()) {
    bool from39 = v.minor >= 9;
    EXPECT_EQ(v.eval_frame_hook, from39 ? EvalFrameHook::Setter : EvalFrameHook::InterpreterField) << v.minor;
    EXPECT_EQ(v.ceval_home, from39 ? CevalHome::Interpreter : CevalHome::Runtime) << "3." << v.minor;
    EXPECT_EQ(v.compare_exc_match < 0, from39) << "3." << v.minor;
    EXPECT_EQ(v.runtime_signals_pending < 0, v.minor == 7) << "3." << v.minor;
  }
  if (!version_layout(3, 9)) GTEST_SKIP() << "CPython 3.9 was not found at build time";
}

// Both directions: every opcode in opcode.opmap has its number in the table, and the table names nothing
// else.
TEST(VersionLayout, OpcodesAgreeWithEachVersionsOpcodePy) {
  for (const auto& [version, python] : built_pythons()) {
    const VersionLayout& v = require(3, std::stoi(version.substr(2)));
    std::string out = run("'" + python +
                          "' -I -c 'import opcode\nprint(\"HAVE_ARGUMENT\", opcode.HAVE_ARGUMENT)\n"
                          "for name, number in opcode.opmap.items(): print(name, number)'");
    std::istringstream lines(out);
    std::string name;
    int number = -1, listed = 0;
    while (lines >> name >> number) {
      if (name == "HAVE_ARGUMENT") {
        EXPECT_EQ(v.have_argument, number) << version;
        continue;
      }
      listed++;
      EXPECT_EQ(v.opcode(name.c_str()), number) << version << " " << name;
    }
    int named = 0;
    for (const char* n : v.opcode_names) named += n != nullptr;
    EXPECT_GT(listed, 100) << version << ": " << python << " printed\n" << out;
    EXPECT_EQ(named, listed) << version << ": the table names opcodes opcode.py does not have";
  }
}

// The compiler's opcode list (opcodes_3X.def, through opcode_table.h) has one row per opcode of the version
// it is built for, each at that version's number.
TEST(VersionLayout, CompilersOpcodeListCoversThisVersionsOpcodes) {
  for (int op = 0; op < 256; op++) {
    const char* listed = kOpcodes[op].name;
    const char* probed = kThisVersion.opcode_names[op];
    if (!probed) {
      EXPECT_EQ(listed, nullptr) << "opcode list has " << listed << " at " << op << ", not an opcode of 3."
                                 << PY_MINOR_VERSION;
    } else {
      EXPECT_TRUE(listed && std::strcmp(listed, probed) == 0)
          << op << " is " << probed << " in 3." << PY_MINOR_VERSION << " but the opcode list has "
          << (listed ? listed : "no row");
    }
  }
}

TEST(VersionLayout, OpcodeLooksUpNumbersByName) {
  const VersionLayout& v = require(3, 8);
  EXPECT_EQ(v.opcode("BINARY_ADD"), BINARY_ADD);
  EXPECT_EQ(v.opcode("END_FINALLY"), END_FINALLY);
  EXPECT_EQ(v.opcode("RERAISE"), -1);
  EXPECT_EQ(v.opcode("no such opcode"), -1);
  if (const VersionLayout* v39 = version_layout(3, 9)) {
    EXPECT_EQ(v39->opcode("END_FINALLY"), -1);
    EXPECT_EQ(v39->opcode("RERAISE"), 48);
  }
}

}  // namespace
}  // namespace pyston_jit
