// harness/cli.cpp: pyston-bench's entry: global options, the list of subcommands (one file each under
// commands/), and turning errors into messages, hints and exit codes.
#include "harness/cli.h"

#include <iostream>

#include "commands/command.h"
#include "harness/error.h"
#include "harness/process.h"

namespace harness {
namespace {

// Every subcommand, in the order `--help` lists them.
constexpr CommandRegistrar kCommands[] = {
    add_compare_commands,
    add_results_commands,
    add_catalogue_commands,
    add_history_commands,
    add_pyperf_commands,
    add_copy_commands,
    add_gate_commands,
    add_noise_commands,
    add_provision_commands,
    add_system_commands,
};

template <typename Error>
int report(const Error& e) {
  std::cerr << "error: " << e.what() << "\n";
  if (!e.hint().empty()) std::cerr << "hint: " << e.hint() << "\n";
  return kExitUsage;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"pyston-bench: how fast is a Python interpreter, and why"};
  app.require_subcommand(1);
  app.fallthrough();  // global options (--db, --json) may follow the subcommand too
  CommonOptions common;
  for (int i = 0; i < argc; ++i) common.command_line += (i ? " " : "") + std::string(argv[i]);
  app.add_option("--db", common.db,
                 "results store: a SQLite file or postgresql://user@host[:port]/dbname (default: $PYSTON_BENCH_DB or"
                 " ~/.local/share/pyston-bench/results.db)");
  app.add_flag("--json", common.json, "print JSON instead of tables");
  CommandAction action;
  for (CommandRegistrar add : kCommands) add(app, common, action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  install_interrupt_handler();
  try {
    return action ? action() : kExitUsage;
  } catch (const HarnessError& e) {
    return report(e);
  } catch (const speedcenter::StoreError& e) {
    return report(e);
  }
}

}  // namespace harness
