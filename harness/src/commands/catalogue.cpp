// harness/commands/catalogue.cpp: `list-benchmarks`: what can be measured.
#include <iostream>

#include "command.h"
#include "harness/benchmark.h"

namespace harness {

void add_catalogue_commands(CLI::App& app, const CommonOptions&, CommandAction& action) {
  static std::vector<std::string> extra_dirs;
  auto* list = app.add_subcommand("list-benchmarks", "list the benchmark catalogue");
  list->add_option("--benchmark-dir", extra_dirs, "extra folder of workloads (subfolders with manifest.json)");
  list->callback([&action] {
    action = [] {
      for (const auto& b : full_catalogue(extra_dirs))
        std::cout << b.name << "\t" << b.suite << "\t" << b.kind << "\t" << b.description << "\n";
      return kExitOk;
    };
  });
}

}  // namespace harness
