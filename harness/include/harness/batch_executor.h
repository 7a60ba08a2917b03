// harness/batch_executor.h: the executor for "batch" benchmarks (iterations timed by pb_worker.py).
#pragma once

#include <memory>

#include "harness/executor.h"

namespace harness {
std::unique_ptr<Executor> make_batch_executor();
}
