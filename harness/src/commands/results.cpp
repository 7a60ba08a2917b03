// harness/commands/results.cpp: `show [RUN]` and `list-runs`: reading stored runs back.
#include <cstdio>
#include <iostream>

#include "command.h"
#include "harness/report.h"
#include "harness/result_store.h"
#include "harness/run_export.h"
#include "speedcenter/run_query.h"

namespace harness {

int print_run(const speedcenter::Database& db, std::int64_t run_id, bool json, const ExportFiles& exports) {
  speedcenter::RunRecord run = speedcenter::load_run(db, run_id);
  RunComparison comparison = compare_run(run);
  export_run(exports, run, comparison);
  if (json) std::cout << comparison_json(run, comparison).dump(2) << "\n";
  else print_comparison(std::cout, run, comparison);
  return kExitOk;
}

namespace {

int list_runs(const CommonOptions& common, int limit) {
  speedcenter::Database db(common.db_path());
  mark_abandoned_runs(db);
  auto runs = speedcenter::list_runs(db, limit);
  if (common.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& r : runs)
      j.push_back({{"id", r.id}, {"started_at", r.started_at}, {"status", r.status}, {"interpreters", r.interpreters},
                   {"revision", r.revision}, {"benchmarks", r.benchmarks}, {"failed", r.failed}, {"samples", r.samples}});
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::printf("%-6s %-21s %-11s %-10s %-7s %-9s %s\n", "run", "started (UTC)", "status", "benchmarks", "failed",
              "samples", "interpreters [revision]");
  for (const auto& r : runs) {
    std::string revision = r.revision.empty() ? "" : " [" + r.revision + "]";
    std::printf("%-6lld %-21s %-11s %-10d %-7d %-9lld %s%s\n", static_cast<long long>(r.id), r.started_at.c_str(),
                r.status.c_str(), r.benchmarks, r.failed, static_cast<long long>(r.samples), r.interpreters.c_str(),
                revision.c_str());
  }
  if (runs.empty()) std::cout << "no runs in " << db.path().string() << "\n";
  return kExitOk;
}

}  // namespace

void add_results_commands(CLI::App& app, const CommonOptions& common, CommandAction& action) {
  static std::int64_t run_id = 0;
  auto* show = app.add_subcommand("show", "print a stored run (default: the latest)");
  static ExportFiles exports;
  show->add_option("run", run_id, "run id");
  add_export_options(show, exports);
  show->callback([&common, &action] {
    action = [&common] {
      check_export_paths(exports);
      speedcenter::Database db(common.db_path());
      return print_run(db, run_id ? run_id : speedcenter::latest_run_id(db), common.json, exports);
    };
  });

  static int limit = 20;
  auto* list = app.add_subcommand("list-runs", "list stored runs, newest first");
  list->add_option("-l,--limit", limit, "how many")->capture_default_str();
  list->callback([&common, &action] { action = [&common] { return list_runs(common, limit); }; });
}

}  // namespace harness
