// harness/commands/history.cpp: `history`, `regressions` and `export-csv`: the speed center's views of the store
// from the command line (the analysis itself lives in speedcenter/history.h and regression.h).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "command.h"
#include "speedcenter/csv_export.h"
#include "speedcenter/history.h"
#include "speedcenter/regression.h"
#include "speedcenter/run_query.h"

namespace harness {
namespace {

struct HistoryOptions {
  speedcenter::HistoryQuery query;
  double min_step_percent = 2.0;
  size_t min_revisions = 2;
  bool check = false;
  std::string output;
  std::int64_t run_id = 0;
};

nlohmann::json or_null(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

std::string human(double value, const std::string& unit) {
  char buf[64];
  if (unit == "s") {
    double a = std::abs(value);
    if (a >= 1) std::snprintf(buf, sizeof buf, "%.4g s", value);
    else if (a >= 1e-3) std::snprintf(buf, sizeof buf, "%.4g ms", value * 1e3);
    else std::snprintf(buf, sizeof buf, "%.4g us", value * 1e6);
  } else if (unit == "bytes") {
    std::snprintf(buf, sizeof buf, "%.1f MiB", value / (1024.0 * 1024.0));
  } else {
    std::snprintf(buf, sizeof buf, "%.6g %s", value, unit.c_str());
  }
  return buf;
}

void add_filters(CLI::App* cmd, HistoryOptions& o, bool benchmark_required) {
  auto* b = cmd->add_option("-b,--benchmark", o.query.benchmark, "benchmark name");
  if (benchmark_required) b->required();
  cmd->add_option("-i,--interpreter", o.query.interpreter,
                  "interpreter: run label (py311), implementation (cpython) or implementation:version (cpython:3.11)");
  cmd->add_option("-m,--machine", o.query.machine, "machine hostname");
  cmd->add_option("--metric", o.query.metric, "metric: mean, median, p50, p90, p99, memory, warmup, ...")
      ->capture_default_str();
}

speedcenter::StepOptions step_options(const HistoryOptions& o) {
  speedcenter::StepOptions s;
  s.min_step = o.min_step_percent / 100.0;
  s.min_segment = std::max<size_t>(1, o.min_revisions);
  return s;
}

int print_history(const CommonOptions& common, const HistoryOptions& o) {
  speedcenter::Database db(common.db_path(), speedcenter::Database::Mode::ReadOnly);
  auto points = speedcenter::query_history(db, o.query);
  if (points.empty())
    throw speedcenter::StoreError("no results for benchmark '" + o.query.benchmark + "' with metric '" +
                                      o.query.metric + "'" + (o.query.interpreter.empty() ? "" : " under " + o.query.interpreter),
                                  "check the names with: pyston-bench list-runs / pyston-bench show");
  if (common.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& p : points)
      j.push_back({{"run", p.run_id}, {"revision", p.revision_name()}, {"commit", p.revision_commit},
                   {"committed_at", p.revision_date}, {"interpreter", p.interpreter}, {"machine", p.machine},
                   {"benchmark", p.benchmark}, {"value", p.value}, {"ci_low", or_null(p.ci_low)}, {"ci_high", or_null(p.ci_high)},
                   {"unit", p.unit}});
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::printf("%s, %s over revisions (oldest first)\n", o.query.benchmark.c_str(), o.query.metric.c_str());
  std::printf("%-14s %-6s %-16s %-12s %-14s %s\n", "revision", "run", "interpreter", "machine", "value", "95% CI");
  for (const auto& p : points) {
    std::string ci = p.ci_low && p.ci_high ? human(*p.ci_low, p.unit) + " .. " + human(*p.ci_high, p.unit) : "";
    std::printf("%-14s %-6lld %-16s %-12s %-14s %s\n", p.revision_name().c_str(), static_cast<long long>(p.run_id),
                p.interpreter.c_str(), p.machine.c_str(), human(p.value, p.unit).c_str(), ci.c_str());
  }
  return kExitOk;
}

int print_regressions(const CommonOptions& common, const HistoryOptions& o) {
  speedcenter::Database db(common.db_path(), speedcenter::Database::Mode::ReadOnly);
  auto found = speedcenter::find_regressions(db, o.query, step_options(o));
  bool any_regression = false;
  for (const auto& r : found) any_regression |= r.regression;
  if (common.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& r : found)
      j.push_back({{"benchmark", r.benchmark}, {"interpreter", r.interpreter}, {"machine", r.machine},
                   {"metric", r.metric}, {"kind", r.regression ? "regression" : "improvement"},
                   {"revision_before", r.before.revision_name()}, {"revision_after", r.after.revision_name()},
                   {"commit_after", r.after.revision_commit}, {"run_before", r.before.run_id},
                   {"run_after", r.after.run_id}, {"mean_before", r.step.mean_before},
                   {"mean_after", r.step.mean_after}, {"relative", r.step.relative},
                   {"relative_ci", {r.step.relative_ci_low, r.step.relative_ci_high}}});
    std::cout << j.dump(2) << "\n";
  } else if (found.empty()) {
    std::cout << "no steps of " << o.min_step_percent << "% or more with separated 95% CIs\n";
  } else {
    for (const auto& r : found)
      std::printf("%-11s %s [%s] %s: %+.1f%% (95%% CI %+.1f%% .. %+.1f%%) between %s (run %lld) and %s (run %lld): %s -> %s\n",
                  r.regression ? "REGRESSION" : "improvement", r.benchmark.c_str(), r.interpreter.c_str(),
                  r.metric.c_str(), 100 * r.step.relative, 100 * r.step.relative_ci_low,
                  100 * r.step.relative_ci_high, r.before.revision_name().c_str(),
                  static_cast<long long>(r.before.run_id), r.after.revision_name().c_str(),
                  static_cast<long long>(r.after.run_id), human(r.step.mean_before, r.after.unit).c_str(),
                  human(r.step.mean_after, r.after.unit).c_str());
  }
  return o.check && any_regression ? kExitFailed : kExitOk;
}

int export_csv(const CommonOptions& common, const std::string& what, const HistoryOptions& o) {
  speedcenter::Database db(common.db_path(), speedcenter::Database::Mode::ReadOnly);
  speedcenter::Table table;
  if (what == "history") {
    table = speedcenter::history_table(speedcenter::query_history(db, o.query));
  } else if (what == "regressions") {
    table = speedcenter::regressions_table(speedcenter::find_regressions(db, o.query, step_options(o)));
  } else {
    std::int64_t run = o.run_id ? o.run_id : speedcenter::latest_run_id(db);
    table = what == "run" ? speedcenter::run_table(speedcenter::load_run(db, run, false))
                          : speedcenter::samples_table(db, run);
  }
  if (o.output.empty() || o.output == "-") {
    speedcenter::write_csv(std::cout, table);
    return kExitOk;
  }
  std::ofstream out(o.output, std::ios::binary);
  speedcenter::write_csv(out, table);
  if (!out) throw speedcenter::StoreError("cannot write " + o.output, "check the directory exists and is writable");
  std::cerr << table.rows.size() << " rows written to " << o.output << "\n";
  return kExitOk;
}

}  // namespace

void add_history_commands(CLI::App& app, const CommonOptions& common, CommandAction& action) {
  static HistoryOptions history, regressions, csv;
  auto* h = app.add_subcommand("history", "a benchmark's metric across revisions (oldest first)");
  add_filters(h, history, true);
  h->callback([&common, &action] { action = [&common] { return print_history(common, history); }; });

  auto* r = app.add_subcommand("regressions", "steps in the history whose 95% CIs separate (see speedcenter/regression.h)");
  add_filters(r, regressions, false);
  r->add_option("--min-step", regressions.min_step_percent, "smallest change reported, percent")->capture_default_str();
  r->add_option("--min-revisions", regressions.min_revisions,
                 "revisions needed on each side of a step (1 also reports a change in the newest revision alone)")
      ->capture_default_str();
  r->add_flag("--check", regressions.check, "exit 1 when a regression is found (for CI)");
  r->callback([&common, &action] { action = [&common] { return print_regressions(common, regressions); }; });

  static std::string what;
  auto* e = app.add_subcommand("export-csv", "write a query as CSV: history, regressions, run (metrics) or samples");
  e->add_option("what", what, "history | regressions | run | samples")
      ->required()
      ->check(CLI::IsMember({"history", "regressions", "run", "samples"}));
  e->add_option("run", csv.run_id, "run id for 'run' and 'samples' (default: the latest)");
  add_filters(e, csv, false);
  e->add_option("--min-step", csv.min_step_percent, "regressions: smallest change reported, percent");
  e->add_option("-o,--output", csv.output, "file to write (default: standard output)");
  e->callback([&common, &action] { action = [&common] { return export_csv(common, what, csv); }; });
}

}  // namespace harness
