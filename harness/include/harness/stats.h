// harness/stats.h: the harness's short name for the one statistics module, which lives in the store-and-
// analysis layer (speedcenter/stats.h) so the store's own analyses use it too.
#pragma once

#include "speedcenter/stats.h"

namespace harness {
namespace stats = speedcenter::stats;
}  // namespace harness
