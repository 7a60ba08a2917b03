// Entry point of the pyston_lite extension module for an unmodified python3.8.
#include "jit/jit.h"

PyMODINIT_FUNC PyInit_pyston_lite(void) {
  return pyston_jit::create_module();
}
