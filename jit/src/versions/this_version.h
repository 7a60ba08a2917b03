// this_version.h: the VersionLayout of the CPython whose headers this translation unit is compiled against,
// as a constant (kThisVersion), so per-version code reads offsets from the table and still gets immediates.
// Include after <Python.h>; needs the include directory of the generated tables (pyston_jit_versions).
#pragma once

#include "version_layout.h"

namespace pyston_jit {

#if PY_MAJOR_VERSION == 3 && PY_MINOR_VERSION == 7
#define PYSTON_JIT_VERSION_TABLE "version_3_7.inc"
#elif PY_MAJOR_VERSION == 3 && PY_MINOR_VERSION == 8
#define PYSTON_JIT_VERSION_TABLE "version_3_8.inc"
#elif PY_MAJOR_VERSION == 3 && PY_MINOR_VERSION == 9
#define PYSTON_JIT_VERSION_TABLE "version_3_9.inc"
#elif PY_MAJOR_VERSION == 3 && PY_MINOR_VERSION == 10
#define PYSTON_JIT_VERSION_TABLE "version_3_10.inc"
#else
#error "pyston_jit: no version layout for this CPython (the JIT knows 3.7 to 3.10)"
#endif

inline constexpr VersionLayout kThisVersion =
#include PYSTON_JIT_VERSION_TABLE
    ;

}  // namespace pyston_jit
