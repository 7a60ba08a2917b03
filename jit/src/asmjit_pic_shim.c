/* Debian's libasmjit.a is built as PIE code, which reaches glibc's `stderr` with a PC-relative relocation
   that a shared object cannot have. The extension module therefore gives asmjit a private `stderr` (filled
   from glibc's at load time) and is linked with -Bsymbolic so asmjit's own symbols bind locally. */
#include <dlfcn.h>

struct _IO_FILE;
__attribute__((visibility("hidden"))) struct _IO_FILE* stderr;

__attribute__((constructor)) static void pyston_jit_copy_stderr(void) {
  struct _IO_FILE** glibc_stderr = (struct _IO_FILE**)dlsym(RTLD_DEFAULT, "stderr");
  if (glibc_stderr) stderr = *glibc_stderr;
}
