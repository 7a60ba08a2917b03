// harness/executor.cpp: picks the executor for a benchmark kind.
#include "harness/executor.h"

#include "harness/batch_executor.h"
#include "harness/error.h"
#include "harness/web_executor.h"

namespace harness {

std::unique_ptr<Executor> make_executor(const std::string& kind) {
  if (kind == "batch") return make_batch_executor();
  if (kind == "web") return make_web_executor();
  throw HarnessError("benchmark kind '" + kind + "' is not supported by this build",
                     "known kinds: batch, web");
}

}  // namespace harness
