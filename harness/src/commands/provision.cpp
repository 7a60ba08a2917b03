// harness/commands/provision.cpp: `provision [INTERPRETER...]`: builds (or reuses) the benchmark environments
// of Debian-packaged libraries for each interpreter ahead of a run, so setup problems show up early and clearly.
#include <iostream>

#include "command.h"
#include "harness/benchmark.h"
#include "harness/environment.h"
#include "harness/error.h"

namespace harness {
namespace {

int provision(const std::vector<std::string>& interpreter_texts, const std::string& selection) {
  std::vector<Benchmark> benchmarks = select_benchmarks(full_catalogue({}), selection);
  int built = 0, reused = 0;
  for (const auto& text : interpreter_texts) {
    Interpreter interpreter = probe_interpreter(parse_interpreter_spec(text));
    for (const auto& benchmark : benchmarks) {
      if (benchmark.packages.empty()) continue;
      ProvisionedEnvironment env = provision_environment(interpreter, environment_request(benchmark));
      (env.built ? built : reused)++;
      std::cout << interpreter.label << "  " << benchmark.name << "  " << (env.built ? "built " : "cached") << "  "
                << env.packages.size() << " packages  " << env.dir.string() << "\n";
    }
  }
  std::cout << built << " environments built, " << reused << " reused (" << environments_root().string() << ")\n";
  return kExitOk;
}

}  // namespace

void add_provision_commands(CLI::App& app, const CommonOptions&, CommandAction& action) {
  static std::vector<std::string> interpreters;
  static std::string selection = "all";
  auto* cmd = app.add_subcommand("provision", "build the benchmark environments (Debian packages) per interpreter");
  cmd->add_option("interpreters", interpreters, "interpreters to provision for")->required();
  cmd->add_option("-b,--benchmarks", selection, "benchmarks or suites (default: all)")->capture_default_str();
  cmd->callback([&action] { action = [] { return provision(interpreters, selection); }; });
}

}  // namespace harness
