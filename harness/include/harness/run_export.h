// harness/run_export.h: hyperfine-style exports of a compared run beside the console table: JSON (the same
// document as `show --json`), CSV and Markdown (one row per benchmark and interpreter: mean with its CI,
// spread, memory, and the speedup against the baseline). `compare` and `show` take --export-json/-csv/-markdown.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <ostream>
#include <string>

#include "harness/report.h"
#include "speedcenter/csv_export.h"

namespace harness {

struct ExportFiles {
  std::string json, csv, markdown;  // empty: not wanted
};

// One row per benchmark and interpreter (the CSV's rows; the Markdown shows a subset, formatted).
speedcenter::Table comparison_table(const speedcenter::RunRecord& run, const RunComparison& comparison);
void write_markdown(std::ostream& out, const speedcenter::RunRecord& run, const RunComparison& comparison);

// Before a long run: throws HarnessError when a requested file's folder is missing or not writable.
void check_export_paths(const ExportFiles& files);
void add_export_options(CLI::App* command, ExportFiles& files);

// Writes every requested file; throws HarnessError naming a file that cannot be written.
void export_run(const ExportFiles& files, const speedcenter::RunRecord& run, const RunComparison& comparison);

}  // namespace harness
