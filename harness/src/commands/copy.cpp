// harness/commands/copy.cpp: `copy --from A --to B`: runs from one results store into another (a SQLite file and a
// PostgreSQL server, either way), each run once (the work is speedcenter/store_copy.h's).
#include <iostream>

#include <nlohmann/json.hpp>

#include "command.h"
#include "harness/result_store.h"
#include "speedcenter/store_copy.h"

namespace harness {
namespace {

struct CopyCommandOptions {
  std::string from, to;
  std::vector<std::int64_t> runs;
};

std::string ids(const std::vector<std::int64_t>& list) {
  std::string out;
  for (auto id : list) out += (out.empty() ? "" : ", ") + std::to_string(id);
  return out;
}

int copy(const CommonOptions& common, const CopyCommandOptions& o) {
  if (o.from == o.to)
    throw speedcenter::StoreError("--from and --to name the same store", "copy between two different stores");
  speedcenter::Database from(o.from), to(o.to);
  mark_abandoned_runs(from);  // a killed run is copied as the incomplete run it is
  speedcenter::CopyReport report = speedcenter::copy_runs(from, to, {o.runs});
  if (common.json) {
    std::cout << nlohmann::json{{"copied", report.copied}, {"already_there", report.already_there},
                                {"still_running", report.still_running}, {"samples", report.samples}}
                     .dump(2)
              << "\n";
    return kExitOk;
  }
  std::cout << "copied " << report.copied.size() << " run(s) (" << report.samples << " samples) from "
            << from.path().string() << " to " << to.path().string() << "\n";
  if (!report.already_there.empty())
    std::cout << "already there, not copied again: run(s) " << ids(report.already_there) << "\n";
  if (!report.still_running.empty())
    std::cout << "still running, not copied: run(s) " << ids(report.still_running)
              << " (copy them again when they have finished)\n";
  return kExitOk;
}

}  // namespace

void add_copy_commands(CLI::App& app, const CommonOptions& common, CommandAction& action) {
  static CopyCommandOptions o;
  auto* c = app.add_subcommand("copy", "copy runs between results stores (SQLite file <-> postgresql:// URL)");
  c->add_option("--from", o.from, "source store: a SQLite file or postgresql://user@host[:port]/dbname")->required();
  c->add_option("--to", o.to, "destination store (created/migrated as needed)")->required();
  c->add_option("--run", o.runs, "source run id to copy (repeatable; default: every finished run)");
  c->callback([&common, &action] { action = [&common] { return copy(common, o); }; });
}

}  // namespace harness
