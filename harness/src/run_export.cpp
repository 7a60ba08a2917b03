// harness/run_export.cpp: the JSON, CSV and Markdown exports of a compared run.
#include "harness/run_export.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <unistd.h>

#include "harness/error.h"

namespace harness {
namespace {

const speedcenter::MetricRecord* metric(const speedcenter::ResultRecord* r, const std::string& name) {
  if (!r || r->status != "ok") return nullptr;
  auto it = r->metrics.find(name);
  return it == r->metrics.end() || !it->second.value ? nullptr : &it->second;
}

std::string number(const speedcenter::MetricRecord* m) { return m ? speedcenter::csv_number(*m->value) : ""; }

const ComparisonRow* row_for(const RunComparison& comparison, const std::string& benchmark, int candidate) {
  for (const auto& row : comparison.rows)
    if (row.benchmark == benchmark && row.candidate == candidate && row.available) return &row;
  return nullptr;
}

std::string fixed(double v, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
  return buffer;
}

// Markdown cells escape the column separator.
std::string cell(std::string text) {
  for (size_t at = 0; (at = text.find('|', at)) != std::string::npos; at += 2) text.replace(at, 1, "\\|");
  return text;
}

void write_file(const std::string& path, const std::function<void(std::ostream&)>& write) {
  std::ofstream out(path);
  if (out) write(out);
  out.close();
  if (!out)
    throw HarnessError("cannot write the export file " + path, "check that its folder exists and is writable");
}

}  // namespace

speedcenter::Table comparison_table(const speedcenter::RunRecord& run, const RunComparison& comparison) {
  speedcenter::Table t{{"benchmark", "interpreter", "status", "mean", "mean_ci_low", "mean_ci_high", "stdev",
                        "median", "min", "max", "processes", "values", "peak_rss_bytes", "unit", "speedup",
                        "speedup_ci_low", "speedup_ci_high", "significant", "precision_width", "precision_pairs"},
                       {}};
  for (const auto& name : run.benchmarks)
    for (size_t p = 0; p < run.interpreters.size(); ++p) {
      const auto* r = run.result(name, static_cast<int>(p));
      if (!r) continue;
      const auto* mean = metric(r, "mean");
      std::vector<std::string> row = {name, run.interpreters[p].label, r->status, number(mean),
                                      mean && mean->ci_low ? speedcenter::csv_number(*mean->ci_low) : "",
                                      mean && mean->ci_high ? speedcenter::csv_number(*mean->ci_high) : "",
                                      number(metric(r, "stdev")), number(metric(r, "median")),
                                      number(metric(r, "min")), number(metric(r, "max")),
                                      number(metric(r, "processes")), number(metric(r, "values")),
                                      number(metric(r, "peak_rss")), "s"};
      const ComparisonRow* c = p == 0 ? nullptr : row_for(comparison, name, static_cast<int>(p));
      if (p == 0 && mean) {
        row.insert(row.end(), {"1", "", "", "", "", ""});
      } else if (c) {
        row.insert(row.end(), {speedcenter::csv_number(c->comparison.speedup),
                               speedcenter::csv_number(c->comparison.speedup_ci.low),
                               speedcenter::csv_number(c->comparison.speedup_ci.high),
                               c->comparison.significant ? "true" : "false",
                               c->sequential && std::isfinite(c->sequential->width)
                                   ? speedcenter::csv_number(c->sequential->width) : "",
                               c->sequential ? std::to_string(c->sequential->pairs) : ""});
      } else {
        row.insert(row.end(), 6, "");
      }
      t.rows.push_back(std::move(row));
    }
  return t;
}

void write_markdown(std::ostream& out, const speedcenter::RunRecord& run, const RunComparison& comparison) {
  out << "| Benchmark | Interpreter | Mean [ms] | 95% CI [ms] | Min [ms] | Max [ms] | Peak RSS [MB] | Relative |\n"
      << "|:---|:---|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& name : run.benchmarks)
    for (size_t p = 0; p < run.interpreters.size(); ++p) {
      const auto* r = run.result(name, static_cast<int>(p));
      if (!r) continue;
      out << "| `" << cell(name) << "` | " << cell(run.interpreters[p].label) << " | ";
      const auto* mean = metric(r, "mean");
      if (!mean) {
        out << (r->status == "ok" ? "-" : "FAILED") << " | | | | | |\n";
        continue;
      }
      auto ms = [](const speedcenter::MetricRecord* m) { return m ? fixed(*m->value * 1e3, 2) : std::string("-"); };
      out << ms(mean) << " | "
          << (mean->ci_low ? fixed(*mean->ci_low * 1e3, 2) + " - " + fixed(*mean->ci_high * 1e3, 2) : "-") << " | "
          << ms(metric(r, "min")) << " | " << ms(metric(r, "max")) << " | ";
      const auto* rss = metric(r, "peak_rss");
      out << (rss ? fixed(*rss->value / 1e6, 1) : "-") << " | ";
      // As hyperfine: how many times slower than the fastest is not our question; the speedup against the
      // baseline is, with its interval.
      const ComparisonRow* c = p == 0 ? nullptr : row_for(comparison, name, static_cast<int>(p));
      if (p == 0) out << "1.00 (baseline)";
      else if (c)
        out << fixed(c->comparison.speedup, 2) << "x [" << fixed(c->comparison.speedup_ci.low, 2) << ", "
            << fixed(c->comparison.speedup_ci.high, 2) << "]" << (c->comparison.significant ? " *" : "");
      else out << "-";
      out << " |\n";
    }
  out << "\nRelative: speedup = baseline mean / mean with its 95% bootstrap CI; * = the CI excludes 1.\n";
}

void check_export_paths(const ExportFiles& files) {
  for (const std::string& path : {files.json, files.csv, files.markdown}) {
    if (path.empty()) continue;
    std::filesystem::path folder = std::filesystem::absolute(path).parent_path();
    if (!std::filesystem::is_directory(folder) || access(folder.c_str(), W_OK) != 0)
      throw HarnessError("cannot write the export file " + path + ": " + folder.string() +
                             " is not a writable folder",
                         "create the folder first, or give another path");
  }
}

void add_export_options(CLI::App* command, ExportFiles& files) {
  command->add_option("--export-json", files.json, "also write the comparison as JSON (as show --json) to FILE");
  command->add_option("--export-csv", files.csv, "also write one CSV row per benchmark and interpreter to FILE");
  command->add_option("--export-markdown", files.markdown, "also write a Markdown table to FILE");
}

void export_run(const ExportFiles& files, const speedcenter::RunRecord& run, const RunComparison& comparison) {
  if (!files.json.empty())
    write_file(files.json, [&](std::ostream& out) { out << comparison_json(run, comparison).dump(2) << "\n"; });
  if (!files.csv.empty())
    write_file(files.csv, [&](std::ostream& out) { speedcenter::write_csv(out, comparison_table(run, comparison)); });
  if (!files.markdown.empty())
    write_file(files.markdown, [&](std::ostream& out) { write_markdown(out, run, comparison); });
}

}  // namespace harness
