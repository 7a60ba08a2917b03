// speedcenter/store_copy.h: copying runs from one store to another (SQLite <-> PostgreSQL, or between two files),
// so a laptop's results can join a shared store. A run already in the destination is not copied again.
#pragma once

#include <cstdint>
#include <vector>

#include "speedcenter/database.h"

namespace speedcenter {

struct CopyOptions {
  std::vector<std::int64_t> runs;  // source run ids; empty: every finished run
};

struct CopyReport {
  std::vector<std::int64_t> copied;         // source ids of the runs copied
  std::vector<std::int64_t> already_there;  // source ids of runs the destination holds already
  std::vector<std::int64_t> still_running;  // source ids of runs not copied because they are still being written
  std::int64_t samples = 0;                 // samples copied
};

// Copies each run with everything that hangs off it (interpreters, results, workers, samples, memory series,
// metrics, failures, hot-line profiles), one destination transaction per run. Machines, interpreters,
// revisions and benchmarks are matched by their natural keys; a run is the same run when its machine, start time,
// command line and options agree. Throws StoreError for a run id that the source does not hold.
CopyReport copy_runs(const Database& from, const Database& to, const CopyOptions& options = {});

}  // namespace speedcenter
