// harness/commands/system.cpp: `system`: what on this machine makes results noisy, with figures, and what a
// user could change.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "command.h"
#include "harness/error.h"
#include "harness/system_noise.h"

namespace harness {

void add_system_commands(CLI::App& app, const CommonOptions& common, CommandAction& action) {
  static double window = 3;
  auto* cmd = app.add_subcommand("system", "what on this machine makes timings noisy, and what to change");
  cmd->add_option("--window", window, "seconds to watch steal time, load and context switches")->capture_default_str();
  cmd->callback([&common, &action] {
    action = [&common] {
      if (!(window > 0 && window <= 600)) throw HarnessError("--window must be between 0 and 600 seconds");
      auto findings = inspect_system(window);
      if (common.json) {
        nlohmann::json j = nlohmann::json::array();
        for (const auto& f : findings)
          j.push_back({{"name", f.name}, {"figure", f.figure}, {"noisy", f.noisy}, {"advice", f.advice}});
        std::cout << j.dump(2) << "\n";
        return kExitOk;
      }
      int noisy = 0;
      for (const auto& f : findings) {
        std::printf("%-6s %-31s %s\n", f.noisy ? "NOISY" : "ok", f.name.c_str(), f.figure.c_str());
        std::printf("       %-31s -> %s\n", "", f.advice.c_str());
        noisy += f.noisy;
      }
      std::printf("\n%d of %zu sources add noise here. Interleaving (A B A B ...) and compare --precision cope with\n"
                  "what cannot be changed; each run stores load, steal and context switches, and its report warns\n"
                  "when they were high.\n",
                  noisy, findings.size());
      return kExitOk;
    };
  });
}

}  // namespace harness
