// speedcenter/metric_lookup.h (internal): the user's metric names mapped onto stored metrics, and metrics derived
// from samples when a run did not store them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "speedcenter/database.h"

namespace speedcenter {

// Users say "memory" and "warmup"; the harness stores peak_rss and warmup_seconds.
std::string stored_metric_name(const std::string& metric);
// Batch runs store no warmup metric; the time spent in warmup iterations per process stands in for it.
std::optional<double> derived_metric(const Database& db, const std::string& metric, std::int64_t result_id);

}  // namespace speedcenter
