// harness/commands/command.h: what every pyston-bench subcommand shares. A command is one file that registers
// itself on the CLI11 app; when chosen, it sets `action`, which run_cli() calls after parsing. Adding a command
// means adding one file and one line to the list in cli.cpp.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <string>

#include "speedcenter/database.h"

namespace harness {

// Exit codes (documented in cli.h).
constexpr int kExitOk = 0, kExitFailed = 1, kExitUsage = 2, kExitInterrupted = 130;

struct CommonOptions {
  std::string db;
  bool json = false;
  std::string command_line;  // as typed, stored with runs
  std::filesystem::path db_path() const {
    return db.empty() ? speedcenter::default_database_path() : std::filesystem::path(db);
  }
};

using CommandAction = std::function<int()>;
using CommandRegistrar = void (*)(CLI::App& app, const CommonOptions& common, CommandAction& action);

void add_compare_commands(CLI::App& app, const CommonOptions& common, CommandAction& action);  // compare, run
void add_results_commands(CLI::App& app, const CommonOptions& common, CommandAction& action);  // show, list-runs
void add_catalogue_commands(CLI::App& app, const CommonOptions& common, CommandAction& action); // list-benchmarks
void add_gate_commands(CLI::App& app, const CommonOptions& common, CommandAction& action);      // gate
void add_noise_commands(CLI::App& app, const CommonOptions& common, CommandAction& action);     // noise
void add_provision_commands(CLI::App& app, const CommonOptions& common, CommandAction& action); // provision
void add_system_commands(CLI::App& app, const CommonOptions& common, CommandAction& action);    // system

void add_history_commands(CLI::App& app, const CommonOptions& common, CommandAction& action);   // history, regressions, export-csv
void add_pyperf_commands(CLI::App& app, const CommonOptions& common, CommandAction& action);    // import-pyperf, export-pyperf
void add_copy_commands(CLI::App& app, const CommonOptions& common, CommandAction& action);      // copy

}  // namespace harness
