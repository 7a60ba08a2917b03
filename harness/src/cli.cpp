// harness/cli.cpp: parses pyston-bench's subcommands and wires catalogue, runner, store and reporters together.
#include "harness/cli.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "harness/analysis.h"
#include "harness/benchmark.h"
#include "harness/error.h"
#include "harness/process.h"
#include "harness/report.h"
#include "harness/result_store.h"
#include "harness/runner.h"
#include "speedcenter/database.h"
#include "speedcenter/run_query.h"

namespace harness {
namespace {

constexpr int kExitFailed = 1, kExitUsage = 2, kExitInterrupted = 130;

struct CommonOptions {
  std::string db;
  bool json = false;
  std::filesystem::path db_path() const {
    return db.empty() ? speedcenter::default_database_path() : std::filesystem::path(db);
  }
};

struct CompareOptions {
  std::vector<std::string> interpreters;
  std::string benchmarks = "micro";
  RunOptions run;
  bool fast = false, rigorous = false;
  std::string revision, repo;
  std::vector<std::string> benchmark_dirs;
};

// The project's workloads plus any folders given with --benchmark-dir (same manifest layout).
std::vector<Benchmark> full_catalogue(const std::vector<std::string>& extra_dirs) {
  std::vector<Benchmark> catalogue = load_catalogue(project_root() / "macrobenchmarks");
  for (const auto& dir : extra_dirs) {
    auto more = load_catalogue(dir);
    catalogue.insert(catalogue.end(), more.begin(), more.end());
  }
  return catalogue;
}

std::string format_eta(double seconds) {
  if (seconds < 0) return "ETA ?";
  int s = static_cast<int>(seconds + 0.5);
  return "ETA " + (s >= 60 ? std::to_string(s / 60) + "m" : std::string()) + std::to_string(s % 60) + "s";
}

class ProgressLine {
 public:
  ProgressLine() : tty_(isatty(2)) {}
  void show(const Progress& p) {
    std::string line = "[" + std::to_string(p.benchmark_index) + "/" + std::to_string(p.benchmark_count) + "] " +
                       p.benchmark + "  " + p.interpreter + "  process " + std::to_string(p.process_index) + "/" +
                       std::to_string(p.process_count) + "  " + format_eta(p.eta_seconds);
    if (tty_) std::cerr << "\r\033[K" << line << std::flush;
    else std::cerr << line << "\n";
  }
  void note(const std::string& text) {
    if (tty_) std::cerr << "\r\033[K";
    std::cerr << text << "\n";
  }
  void clear() {
    if (tty_) std::cerr << "\r\033[K" << std::flush;
  }

 private:
  bool tty_;
};

std::string joined_command_line(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) line += (i ? " " : "") + std::string(argv[i]);
  return line;
}

int print_run(const speedcenter::Database& db, std::int64_t run_id, bool json) {
  speedcenter::RunRecord run = speedcenter::load_run(db, run_id);
  RunComparison comparison = compare_run(run);
  if (json) std::cout << comparison_json(run, comparison).dump(2) << "\n";
  else print_comparison(std::cout, run, comparison);
  return 0;
}

int compare_command(const CompareOptions& opts, const CommonOptions& common, const std::string& command_line) {
  RunOptions options = opts.run;
  if (opts.fast) {
    options.processes = 3;
    options.iterations = 3;
  }
  if (opts.rigorous) {
    options.processes = 12;
    options.iterations = 6;
  }
  if (options.processes < 1 || options.iterations < 1 || options.warmups < 0)
    throw HarnessError("--processes and --iterations must be at least 1, --warmups at least 0");

  std::vector<Benchmark> benchmarks =
      select_benchmarks(full_catalogue(opts.benchmark_dirs), opts.benchmarks);
  std::vector<Interpreter> interpreters;
  ProgressLine progress;
  for (const auto& text : opts.interpreters) {
    InterpreterSpec spec = parse_interpreter_spec(text);
    progress.note("probing " + spec.label + " ...");
    interpreters.push_back(probe_interpreter(spec));
    const auto& i = interpreters.back();
    progress.note("  " + i.label + ": " + i.implementation + " " + i.version + " (" + i.executable.string() + ")");
  }
  for (size_t a = 0; a < interpreters.size(); ++a)
    for (size_t b = a + 1; b < interpreters.size(); ++b)
      if (interpreters[a].label == interpreters[b].label)
        throw HarnessError("two interpreters share the label '" + interpreters[a].label + "'",
                           "give each a label: base=python3.8 other=python3.8");

  std::optional<RevisionInfo> revision;
  if (!opts.revision.empty() || !opts.repo.empty()) revision = describe_revision(opts.repo, opts.revision);

  speedcenter::Database db(common.db_path());
  ResultStore store(db);
  nlohmann::json stored_options = {{"processes", options.processes}, {"iterations", options.iterations},
                                   {"warmups", options.warmups},     {"size", options.size},
                                   {"timeout", options.timeout_seconds}, {"benchmarks", opts.benchmarks}};
  std::int64_t run_id = store.begin_run(interpreters, command_line, stored_options, revision);
  progress.note("run " + std::to_string(run_id) + ": " + std::to_string(benchmarks.size()) + " benchmarks x " +
                std::to_string(interpreters.size()) + " interpreters x " + std::to_string(options.processes) +
                " processes, database " + db.path().string());

  bool any_failed = false;
  RunCallbacks callbacks;
  callbacks.on_progress = [&](const Progress& p) { progress.show(p); };
  callbacks.on_benchmark_done = [&](const BenchmarkOutcome& outcome) {
    std::vector<ResultAnalysis> analyses;
    for (size_t i = 0; i < outcome.per_interpreter.size(); ++i) {
      const auto& o = outcome.per_interpreter[i];
      analyses.push_back(analyse(o));
      if (!o.ok) {
        any_failed = true;
        progress.note("FAILED " + outcome.benchmark.name + " under " + interpreters[i].label + ": " + o.error);
      }
    }
    store.record_benchmark(outcome, analyses);
  };
  bool completed = run_benchmarks(benchmarks, interpreters, options, callbacks);
  progress.clear();
  if (!completed) {
    store.record_failure("", "", std::string("interrupted by signal ") + std::to_string(interrupt_signal()));
    store.finish_run("incomplete");
    std::cerr << "interrupted: run " << run_id << " kept what finished and is marked incomplete\n";
    return kExitInterrupted;
  }
  store.finish_run(any_failed ? "failed" : "complete");
  print_run(db, run_id, common.json);
  return any_failed ? kExitFailed : 0;
}

int list_runs_command(const CommonOptions& common, int limit) {
  speedcenter::Database db(common.db_path());
  mark_abandoned_runs(db);
  auto runs = speedcenter::list_runs(db, limit);
  if (common.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& r : runs)
      j.push_back({{"id", r.id}, {"started_at", r.started_at}, {"status", r.status}, {"interpreters", r.interpreters},
                   {"revision", r.revision}, {"benchmarks", r.benchmarks}, {"failed", r.failed}, {"samples", r.samples}});
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::printf("%-6s %-21s %-11s %-10s %-7s %-9s %s\n", "run", "started (UTC)", "status", "benchmarks", "failed",
              "samples", "interpreters [revision]");
  for (const auto& r : runs)
    std::printf("%-6lld %-21s %-11s %-10d %-7d %-9lld %s%s\n", static_cast<long long>(r.id), r.started_at.c_str(),
                r.status.c_str(), r.benchmarks, r.failed, static_cast<long long>(r.samples), r.interpreters.c_str(),
                r.revision.empty() ? "" : (" [" + r.revision + "]").c_str());
  if (runs.empty()) std::cout << "no runs in " << db.path().string() << "\n";
  return 0;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"pyston-bench: how fast is a Python interpreter, and why"};
  app.require_subcommand(1);
  CommonOptions common;
  app.add_option("--db", common.db, "results database (default: $PYSTON_BENCH_DB or ~/.local/share/pyston-bench/results.db)");
  app.add_flag("--json", common.json, "print JSON instead of tables");

  CompareOptions compare;
  auto add_run_options = [&](CLI::App* sub) {
    sub->add_option("-b,--benchmarks", compare.benchmarks, "benchmarks or suites, comma-separated (default: micro)");
    sub->add_option("-p,--processes", compare.run.processes, "worker processes per benchmark and interpreter")->capture_default_str();
    sub->add_option("-n,--iterations", compare.run.iterations, "measured iterations per process")->capture_default_str();
    sub->add_option("-w,--warmups", compare.run.warmups, "unmeasured iterations per process first")->capture_default_str();
    sub->add_option("--size", compare.run.size, "work per iteration (default: each benchmark's own)");
    sub->add_option("--timeout", compare.run.timeout_seconds, "seconds before a worker is killed")->capture_default_str();
    sub->add_option("--requests", compare.run.requests, "web: requests per server process");
    sub->add_option("--concurrency", compare.run.concurrency, "web: parallel connections")->capture_default_str();
    sub->add_option("--rate", compare.run.rate, "web: open-loop requests per second (0 = closed loop)");
    sub->add_flag("--fast", compare.fast, "3 processes x 3 iterations");
    sub->add_flag("--rigorous", compare.rigorous, "12 processes x 6 iterations");
    sub->add_option("--revision", compare.revision, "label this run with a revision (e.g. a version or commit)");
    sub->add_option("--repo", compare.repo, "git work tree whose HEAD is the revision being measured");
    sub->add_option("--benchmark-dir", compare.benchmark_dirs,
                    "extra folder of workloads (subfolders with manifest.json), repeatable");
    sub->add_flag("-v,--verbose", compare.run.verbose);
  };
  auto* compare_cmd = app.add_subcommand("compare", "compare interpreters (the first is the baseline)");
  compare_cmd->add_option("interpreters", compare.interpreters,
                          "names (python3.8, pyston, pypy3), paths, commands (\"python3.8 -X dev\"), labels (base=python3.8)")
      ->required();
  add_run_options(compare_cmd);
  auto* run_cmd = app.add_subcommand("run", "measure one interpreter");
  run_cmd->add_option("interpreter", compare.interpreters, "interpreter to measure")->required()->expected(1);
  add_run_options(run_cmd);

  std::int64_t show_run = 0;
  auto* show_cmd = app.add_subcommand("show", "print a stored run (default: the latest)");
  show_cmd->add_option("run", show_run, "run id");
  int limit = 20;
  auto* list_cmd = app.add_subcommand("list-runs", "list stored runs");
  list_cmd->add_option("-l,--limit", limit, "how many (newest first)")->capture_default_str();
  auto* list_benchmarks_cmd = app.add_subcommand("list-benchmarks", "list the benchmark catalogue");
  list_benchmarks_cmd->add_option("--benchmark-dir", compare.benchmark_dirs, "extra folder of workloads");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }

  install_interrupt_handler();
  try {
    if (*compare_cmd || *run_cmd) return compare_command(compare, common, joined_command_line(argc, argv));
    if (*show_cmd) {
      speedcenter::Database db(common.db_path());
      return print_run(db, show_run ? show_run : speedcenter::latest_run_id(db), common.json);
    }
    if (*list_cmd) return list_runs_command(common, limit);
    if (*list_benchmarks_cmd) {
      for (const auto& b : full_catalogue(compare.benchmark_dirs))
        std::cout << b.name << "\t" << b.suite << "\t" << b.kind << "\t" << b.description << "\n";
      return 0;
    }
  } catch (const HarnessError& e) {
    std::cerr << "error: " << e.what() << "\n";
    if (!e.hint().empty()) std::cerr << "hint: " << e.hint() << "\n";
    return kExitUsage;
  } catch (const speedcenter::StoreError& e) {
    std::cerr << "error: " << e.what() << "\n";
    if (!e.hint().empty()) std::cerr << "hint: " << e.hint() << "\n";
    return kExitUsage;
  }
  return 0;
}

}  // namespace harness
