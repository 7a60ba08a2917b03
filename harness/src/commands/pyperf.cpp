// harness/commands/pyperf.cpp: `import-pyperf FILE` and `export-pyperf RUN FILE`: pyperf's JSON format in and out
// of the results database (the format is handled by speedcenter/pyperf_json.h).
#include <iostream>

#include "command.h"
#include "speedcenter/pyperf_json.h"

namespace harness {

void add_pyperf_commands(CLI::App& app, const CommonOptions& common, CommandAction& action) {
  static std::string import_file;
  static speedcenter::PyperfImportOptions import_options;
  auto* imp = app.add_subcommand("import-pyperf", "store a pyperf/pyperformance JSON result file as a run");
  imp->add_option("file", import_file, "pyperf JSON file")->required()->check(CLI::ExistingFile);
  imp->add_option("--label", import_options.label, "interpreter label (default: implementation-version)");
  imp->add_option("--revision", import_options.revision, "revision label to attach to the run");
  imp->callback([&common, &action] {
    action = [&common] {
      speedcenter::Database db(common.db_path());
      import_options.command_line = common.command_line;
      std::int64_t run = speedcenter::import_pyperf_file(db, import_file, import_options);
      std::cout << "imported " << import_file << " as run " << run << "\n";
      return kExitOk;
    };
  });

  static std::int64_t export_run = 0;
  static std::string export_file, export_interpreter;
  auto* exp = app.add_subcommand("export-pyperf", "write one interpreter of a run as a pyperf JSON file");
  exp->add_option("run", export_run, "run id")->required();
  exp->add_option("file", export_file, "output file")->required();
  exp->add_option("-i,--interpreter", export_interpreter, "interpreter label (default: the run's first)");
  exp->callback([&common, &action] {
    action = [&common] {
      speedcenter::Database db(common.db_path(), speedcenter::Database::Mode::ReadOnly);
      speedcenter::export_pyperf_file(db, export_run, export_file, export_interpreter);
      std::cout << "wrote run " << export_run << " to " << export_file << "\n";
      return kExitOk;
    };
  });
}

}  // namespace harness
