// The JIT's settings, generated from the one list in settings.def: the Settings struct read from the
// environment, and the speed switches' globals that the runtime helpers read.
#pragma once
#include <cstddef>
#include <string>

namespace pyston_jit {

// Read once from the environment when the JIT is first enabled.
struct Settings {
#define JIT_SETTING(type, member, variable, fallback, parser, stats_key) type member = fallback;
#define JIT_SWITCH(member, variable) bool member = true;
#include "jit/settings.def"
#undef JIT_SETTING
#undef JIT_SWITCH
  static Settings from_environment();
};

// Each speed switch as the runtime helpers see it (g_fast_arith, g_direct_calls, ...): on until enable()
// copies the environment's Settings here.
#define JIT_SETTING(type, member, variable, fallback, parser, stats_key)
#define JIT_SWITCH(member, variable) extern bool g_##member;
#include "jit/settings.def"
#undef JIT_SETTING
#undef JIT_SWITCH

}  // namespace pyston_jit
