// speedcenter/pyperf_json.h: pyperf's JSON result format (pyperf 2.x, file version "1.0") in and out of the store,
// so pyperf and pyperformance users can load their results next to ours.
//
// A pyperf file is {"version": "1.0", "metadata": {common}, "benchmarks": [{"metadata": {"name", "unit", ...},
// "runs": [{"metadata": {...}, "warmups": [[loops, value], ...], "values": [value, ...]}]}]}. Each pyperf run
// is one worker process: it becomes a row in `workers`, its values samples (kind 'iteration') and its warmups
// samples flagged warmup. Everything that is not a value (metadata, loop counts, unknown keys) is kept in the
// run's options_json under "pyperf", so exporting an imported run gives back the same document.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "speedcenter/database.h"

namespace speedcenter {

struct PyperfImportOptions {
  std::string label;     // interpreter label in the run (default: implementation + version, else "pyperf")
  std::string revision;  // revision label to attach (optional)
  std::string command_line;
};

// Validates the document and stores it as one run; returns the run id. Throws StoreError on a malformed file.
std::int64_t import_pyperf(const Database& db, const nlohmann::json& document, const PyperfImportOptions& options);
std::int64_t import_pyperf_file(const Database& db, const std::filesystem::path& file, const PyperfImportOptions& options);

// The pyperf document for one interpreter of a run (by label; empty = the run's first interpreter).
// Runs imported from pyperf come back as they were; native runs get one pyperf run per worker process.
nlohmann::json export_pyperf(const Database& db, std::int64_t run_id, const std::string& interpreter = {});
void export_pyperf_file(const Database& db, std::int64_t run_id, const std::filesystem::path& file,
                        const std::string& interpreter = {});

}  // namespace speedcenter
