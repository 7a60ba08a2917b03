// speedcenter-synthetic-db: writes a results database with known content through the real schema: a web run
// with N latency samples per interpreter (the dashboard's scale benchmark) and/or a revision history with an
// optional injected step (the regression detector's demo).
//   speedcenter-synthetic-db OUT.db|URL [--web-samples N] [--revisions N] [--step-at K] [--step 0.05] [--seed S]
//                            [--hot-lines N] [--benchmark NAME] [--base-seconds S]
//                            [--benchmarks A,B,... --interpreters X,Y,...]   (a suite: each run holds all of them)
//                            [--resamples N]   (bootstrap resamples of the metrics' CIs, default 2000)
// Exit codes: 0 ok, 2 usage or database error.
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "speedcenter/synthetic_data.h"

namespace {

std::vector<std::string> comma_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) items.push_back(item);
  return items;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help") {
    std::fprintf(stderr, "usage: %s OUT.db|postgresql://... [--web-samples N] [--revisions N] [--step-at K] [--step R] [--seed S] [--hot-lines N] [--benchmark NAME] [--base-seconds S] [--benchmarks A,B,...] [--interpreters X,Y,...] [--resamples N]\n", argv[0]);
    return 2;
  }
  speedcenter::SyntheticWebRun web;
  web.samples_per_interpreter = 0;
  int hot_lines = 0;
  speedcenter::SyntheticHistory history;
  history.revisions = 0;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--web-samples") web.samples_per_interpreter = std::atoll(value.c_str());
    else if (flag == "--revisions") history.revisions = std::atoi(value.c_str());
    else if (flag == "--hot-lines") hot_lines = std::atoi(value.c_str());
    else if (flag == "--step-at") history.step_at = std::atoi(value.c_str());
    else if (flag == "--step") history.step = std::atof(value.c_str());
    else if (flag == "--benchmark") history.benchmark = value;
    else if (flag == "--benchmarks") history.benchmarks = comma_list(value);
    else if (flag == "--resamples") history.resamples = std::atoi(value.c_str());
    else if (flag == "--interpreters") history.interpreters = comma_list(value);
    else if (flag == "--base-seconds") history.base_seconds = std::atof(value.c_str());
    else if (flag == "--seed") history.seed = web.seed = static_cast<unsigned>(std::atoi(value.c_str()));
    else {
      std::fprintf(stderr, "error: unknown option %s\n", flag.c_str());
      return 2;
    }
  }
  try {
    speedcenter::Database db(argv[1]);
    if (web.samples_per_interpreter > 0) {
      auto run = speedcenter::write_synthetic_web_run(db, web);
      std::printf("run %lld: %lld latency samples under %zu interpreters\n", static_cast<long long>(run),
                  static_cast<long long>(web.samples_per_interpreter), web.interpreters.size());
    }
    if (history.revisions > 0) {
      auto runs = speedcenter::write_synthetic_history(db, history);
      std::printf("%zu revisions of %s\n", runs.size(),
                  history.benchmarks.empty() ? history.benchmark.c_str()
                                             : (std::to_string(history.benchmarks.size()) + " benchmarks").c_str());
    }
    if (hot_lines > 0) speedcenter::write_synthetic_hot_lines(db, "synthetic_hot.py", hot_lines);
  } catch (const speedcenter::StoreError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
  return 0;
}
