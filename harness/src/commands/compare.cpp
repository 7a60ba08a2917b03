// harness/commands/compare.cpp: `compare INTERPRETER...` and `run INTERPRETER`: probe, schedule, measure, store
// one transaction per benchmark, then print the comparison read back from the database.
#include <iostream>

#include "command.h"
#include "harness/analysis.h"
#include "harness/benchmark.h"
#include "harness/error.h"
#include "harness/hot_lines.h"
#include "harness/perf_counters.h"
#include "harness/process.h"
#include "harness/progress_line.h"
#include "harness/pyperformance.h"
#include "harness/result_store.h"
#include "harness/run_export.h"
#include "harness/runner.h"
#include "harness/system_noise.h"

namespace harness {

int print_run(const speedcenter::Database& db, std::int64_t run_id, bool json,
              const ExportFiles& exports);  // commands/results.cpp

namespace {

struct CompareOptions {
  std::vector<std::string> interpreters;
  std::string benchmarks;         // -b; default: the micro suite, or the --benchmark-dir folders' benchmarks
  RunOptions run;
  bool fast = false, rigorous = false;
  std::string revision, repo;
  std::vector<std::string> benchmark_dirs;
  bool hot_lines = false;
  double hot_lines_rate = 10000;
  std::string events;             // --events, libpfm4 names
  std::string size;               // --size N or NAME=N,NAME=N
  bool processes_given = false;   // --instructions measures 1 process unless -p says otherwise
  std::string precision;          // --precision 3%
  ExportFiles exports;            // --export-json/-csv/-markdown
  std::string affinity;           // --affinity 0-1
  std::vector<std::string> inherit_environ;  // --inherit-environ A,B
  bool copy_env = false;          // --copy-env
};

// "3%", "3" or "0.5%": a percentage in (0, 100), as a fraction.
double parse_precision(const std::string& text) {
  std::string digits = text;
  if (!digits.empty() && digits.back() == '%') digits.pop_back();
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(digits, &used);
  } catch (const std::exception&) {
  }
  if (digits.empty() || used != digits.size() || !(value > 0 && value < 100))
    throw HarnessError("bad --precision '" + text + "'",
                       "give the interval's width as a percentage of the speedup, e.g. --precision 3%");
  return value / 100;
}

RunOptions effective_options(const CompareOptions& opts) {
  RunOptions options = opts.run;
  if (opts.fast) {
    options.processes = 3;
    options.iterations = 3;
  }
  if (opts.rigorous) {
    options.processes = 12;
    options.iterations = 6;
  }
  options.events = parse_event_list(opts.events);
  if (!opts.size.empty()) parse_size_option(opts.size, options);
  if (options.instructions && !opts.processes_given && !opts.rigorous) options.processes = 1;
  if (!opts.precision.empty()) {
    options.precision = parse_precision(opts.precision);
    if (opts.interpreters.size() < 2)
      throw HarnessError("--precision needs a comparison", "give two interpreters: compare python3.8 pyston --precision 3%");
    if (options.instructions)
      throw HarnessError("--precision and --instructions do not mix", "instruction counts are exact; drop --precision");
    if (!opts.processes_given && !opts.fast && !opts.rigorous)
      options.processes = static_cast<int>(stats::kPrecisionRule.min_pairs);
  }
  if (!opts.affinity.empty()) options.affinity = parse_cpu_list(opts.affinity);
  if (opts.copy_env && !opts.inherit_environ.empty())
    throw HarnessError("--copy-env passes the whole environment; --inherit-environ chooses from it",
                       "give one of the two");
  if (opts.copy_env) options.inherit_environ.reset();
  for (const auto& name : opts.inherit_environ) {
    if (name.empty() || name.find('=') != std::string::npos)
      throw HarnessError("bad --inherit-environ name '" + name + "'", "give variable names, e.g. --inherit-environ PYTHONMALLOC,MY_VAR");
    options.inherit_environ->push_back(name);
  }
  if (options.max_seconds_per_benchmark < 0 || options.max_seconds_total < 0)
    throw HarnessError("--max-time and --max-total-time must be positive seconds (0: no budget)");
  if (options.processes < 1 || options.iterations < 1 || options.warmups < 0)
    throw HarnessError("--processes and --iterations must be at least 1, --warmups at least 0");
  return options;
}

std::vector<Interpreter> probe_all(const std::vector<std::string>& texts, ProgressLine& progress) {
  std::vector<Interpreter> interpreters;
  for (const auto& text : texts) {
    InterpreterSpec spec = parse_interpreter_spec(text);
    progress.note("probing " + spec.label + " ...");
    interpreters.push_back(probe_interpreter(spec));
    const auto& i = interpreters.back();
    progress.note("  " + i.label + ": " + i.implementation + " " + i.version + " (" + i.executable.string() + ")");
  }
  for (size_t a = 0; a < interpreters.size(); ++a)
    for (size_t b = a + 1; b < interpreters.size(); ++b) {
      if (interpreters[a].label == interpreters[b].label)
        throw HarnessError("two interpreters share the label '" + interpreters[a].label + "'",
                           "give each a label: base=python3.8 dev=\"python3.8 -X dev\"");
      // The store keys a run's results by interpreter (command and executable hash), so the same one twice
      // would be one interpreter measured under two labels.
      if (interpreters[a].argv == interpreters[b].argv &&
          interpreters[a].executable_sha256 == interpreters[b].executable_sha256)
        throw HarnessError("'" + interpreters[a].label + "' and '" + interpreters[b].label +
                               "' are the same interpreter (" + interpreters[a].executable.string() + ")",
                           "to measure noise (an A/A comparison) run `pyston-bench noise " + interpreters[a].executable.string() +
                               "`; to compare settings make the commands differ, e.g. b=\"python3.8 -X dev\"");
    }
  return interpreters;
}

// -b as given; else the benchmarks of the --benchmark-dir folders when there are any, else the micro suite.
std::string default_selection(const CompareOptions& opts, const std::vector<Benchmark>& catalogue) {
  if (!opts.benchmarks.empty() || opts.benchmark_dirs.empty()) return opts.benchmarks;
  std::string names;
  for (const auto& dir : opts.benchmark_dirs) {
    std::error_code ec;
    auto folder = std::filesystem::weakly_canonical(dir, ec);
    for (const auto& b : catalogue)
      if (std::filesystem::weakly_canonical(b.folder.parent_path(), ec) == folder)
        names += (names.empty() ? "" : ",") + b.name;
  }
  return names.empty() ? opts.benchmarks : names;
}

// pyperformance benchmarks whose modules are not importable (or whose Python is too old) under some
// interpreter are left out of the run and reported as skipped, with the reason.
std::vector<std::pair<Benchmark, std::string>> drop_unrunnable(std::vector<Benchmark>& benchmarks,
                                                                 const std::vector<Interpreter>& interpreters,
                                                                 ProgressLine& progress) {
  std::vector<std::pair<Benchmark, std::string>> skipped;
  std::vector<Benchmark> kept;
  for (auto& b : benchmarks) {
    std::string reason;
    if (b.kind == "pyperf")
      for (const auto& i : interpreters)
        if (reason.empty()) reason = pyperformance_unmet_requirements(b, i);
    if (reason.empty()) {
      kept.push_back(std::move(b));
    } else {
      progress.note("skipping " + b.name + ": " + reason);
      skipped.emplace_back(b, reason);
    }
  }
  benchmarks = std::move(kept);
  return skipped;
}

// The machine's figures for the run's report (run_metadata): load before and after, steal and context switches
// during the run, and the tuning that was in place.
void record_machine_activity(ResultStore& store, const SystemSnapshot& before) {
  SystemSnapshot after = take_system_snapshot();
  SystemActivity activity = activity_between(before, after);
  SystemTuning tuning = read_system_tuning();
  store.record_run_metadata("load1_before", before.load1);
  store.record_run_metadata("load1_after", after.load1);
  store.record_run_metadata("cpus", tuning.cpus);
  store.record_run_metadata("steal_fraction", activity.steal_fraction);
  store.record_run_metadata("busy_fraction", activity.busy_fraction);
  store.record_run_metadata("context_switches_per_second", activity.context_switches_per_second);
  store.record_run_metadata("seconds", activity.seconds);
  store.record_run_metadata("aslr", tuning.aslr >= 0 ? std::optional<double>(tuning.aslr) : std::nullopt);
  store.record_run_metadata("governor", std::nullopt, tuning.governor.empty() ? "not exposed" : tuning.governor);
  store.record_run_metadata("isolation", std::nullopt, tuning.isolation.empty() ? "none" : tuning.isolation);
}

int compare(const CompareOptions& opts, const CommonOptions& common) {
  RunOptions options = effective_options(opts);
  check_export_paths(opts.exports);
#ifndef PB_HAVE_MEASURE_LOC
  if (opts.hot_lines)
    throw HarnessError("--hot-lines needs measure_loc, which this build does not include",
                       "build with the default PB_COMPONENTS (./setup.sh)");
#endif
  std::vector<Benchmark> catalogue = full_catalogue(opts.benchmark_dirs);
  std::vector<Benchmark> benchmarks = select_benchmarks(catalogue, default_selection(opts, catalogue));
  ProgressLine progress;
  std::vector<Interpreter> interpreters = probe_all(opts.interpreters, progress);
  for (const auto& b : benchmarks)
    if (b.kind == "pyperf" && options.instructions)
      throw HarnessError("--instructions cannot count " + b.name + ": pyperformance's scripts run their own timing loops",
                         "measure pyperformance's benchmarks in time (drop --instructions)");
  std::vector<std::pair<Benchmark, std::string>> skipped = drop_unrunnable(benchmarks, interpreters, progress);
  std::optional<RevisionInfo> revision;
  if (!opts.revision.empty() || !opts.repo.empty()) revision = describe_revision(opts.repo, opts.revision);

  speedcenter::Database db(common.db_path());
  ResultStore store(db);
  nlohmann::json stored_options = {{"processes", options.processes}, {"iterations", options.iterations},
                                   {"warmups", options.warmups},     {"size", options.size},
                                   {"timeout", options.timeout_seconds}, {"benchmarks", default_selection(opts, catalogue)}};
  stored_options.update({{"events", options.events}, {"instructions", options.instructions}});
  if (!options.affinity.empty()) stored_options["affinity"] = options.affinity;
  stored_options["inherit_environ"] =
      options.inherit_environ ? nlohmann::json(*options.inherit_environ) : nlohmann::json("all");
  if (options.min_time > 0) stored_options["min_time"] = options.min_time;
  if (options.precision > 0)
    stored_options.update({{"precision", options.precision},
                           {"max_time", options.max_seconds_per_benchmark},
                           {"max_total_time", options.max_seconds_total}});
  if (!options.sizes.empty()) stored_options["sizes"] = options.sizes;
  std::int64_t run_id = store.begin_run(interpreters, common.command_line, stored_options, revision);
  const SystemSnapshot machine_before = take_system_snapshot();
  record_pmu_capability(db, run_id);
  for (const auto& [benchmark, reason] : skipped) store.record_failure(benchmark.name, "", kSkippedPrefix + reason);
  if (!options.events.empty() && !pmu_capability().available)
    progress.note("hardware counters unavailable: " + pmu_capability().reason + "; storing software events only");
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
  record_machine_activity(store, machine_before);
  if (!completed) {
    store.record_failure("", "", "interrupted by signal " + std::to_string(interrupt_signal()));
    store.finish_run("incomplete");
    std::cerr << "interrupted: run " << run_id << " kept what finished and is marked incomplete\n";
    return kExitInterrupted;
  }
  store.finish_run(any_failed ? "failed" : "complete");
  print_run(db, run_id, common.json, opts.exports);
#ifdef PB_HAVE_MEASURE_LOC
  if (opts.hot_lines) {
    HotLinesOptions hot{opts.hot_lines_rate, options.iterations, options};
    if (!measure_hot_lines(db, run_id, benchmarks, interpreters, hot, progress, common.json ? std::cerr : std::cout))
      any_failed = true;
  }
#endif
  return any_failed ? kExitFailed : kExitOk;
}

void add_run_options(CLI::App* sub, CompareOptions& o) {
  sub->add_option("-b,--benchmarks", o.benchmarks, "benchmarks or suites, comma-separated (default: micro)");
  sub->add_option("-p,--processes", o.run.processes, "worker processes per benchmark and interpreter")
      ->capture_default_str()
      ->each([&o](const std::string&) { o.processes_given = true; });
  sub->add_option("-n,--iterations", o.run.iterations, "measured iterations per process")->capture_default_str();
  sub->add_option("-w,--warmups", o.run.warmups, "unmeasured iterations per process first")->capture_default_str();
  sub->add_option("--size", o.size, "work per iteration: N, or NAME=N,NAME=N per benchmark (default: each's own)");
  sub->add_option("--timeout", o.run.timeout_seconds, "seconds before a worker is killed")->capture_default_str();
  sub->add_option("--requests", o.run.requests, "web: requests per server process");
  sub->add_option("--concurrency", o.run.concurrency, "web: parallel connections")->capture_default_str();
  sub->add_option("--rate", o.run.rate, "web: open-loop requests per second (0 = closed loop)");
  sub->add_option("--precision", o.precision,
                  "keep adding interleaved process pairs until each speedup's interval is narrower than P% "
                  "(e.g. 3%); -p is then the minimum");
  sub->add_option("--max-time", o.run.max_seconds_per_benchmark,
                  "with --precision: seconds one benchmark may take (0 = no limit)")
      ->capture_default_str();
  sub->add_option("--max-total-time", o.run.max_seconds_total,
                  "with --precision: seconds the whole run may take (0 = no limit)")
      ->capture_default_str();
  sub->add_option("--affinity", o.affinity, "run the worker processes on these CPUs (e.g. 1 or 0-1)");
  sub->add_option("--inherit-environ", o.inherit_environ,
                  "environment variables workers also get (default: PATH, HOME, TMPDIR, TEMP, TMP, LANG, LC_*, USER, "
                  "LOGNAME)")
      ->delimiter(',');
  sub->add_flag("--copy-env", o.copy_env, "workers get the harness's whole environment");
  add_export_options(sub, o.exports);
  sub->add_flag("--fast", o.fast, "3 processes x 3 iterations");
  sub->add_flag("--rigorous", o.rigorous, "12 processes x 6 iterations");
  sub->add_option("--revision", o.revision, "label this run with a revision (e.g. a version or commit)");
  sub->add_option("--repo", o.repo, "git work tree whose HEAD is the revision being measured");
  sub->add_option("--benchmark-dir", o.benchmark_dirs,
                  "extra folder of workloads: subfolders with manifest.json, or pyperformance's bm_*/run_benchmark.py "
                  "(its benchmarks are then the default selection, named pp_NAME)");
  sub->add_option("--min-time", o.run.min_time,
                  "calibrate inner loops so one measured iteration lasts at least this many seconds");
  sub->add_option("--events", o.events, "hardware counters too, libpfm4 names (cycles,instructions,branch-misses,...)");
  sub->add_flag("--instructions", o.run.instructions,
                "deterministic mode: exact instructions per iteration under valgrind (1 process unless -p)");
  sub->add_flag("--hot-lines", o.hot_lines, "also profile each benchmark with measure_loc (99%-hot-lines; web: the measured requests of every server process)");
  sub->add_option("--hot-lines-rate", o.hot_lines_rate, "measure_loc sampling rate in Hz")->capture_default_str();
}

}  // namespace

void add_compare_commands(CLI::App& app, const CommonOptions& common, CommandAction& action) {
  static CompareOptions options;
  auto* compare_cmd = app.add_subcommand("compare", "compare interpreters (the first is the baseline)");
  compare_cmd
      ->add_option("interpreters", options.interpreters,
                   "names (python3.8, pyston, pypy3), paths, commands (\"python3.8 -X dev\"), labels (base=python3.8)")
      ->required();
  add_run_options(compare_cmd, options);
  auto* run_cmd = app.add_subcommand("run", "measure one interpreter");
  run_cmd->add_option("interpreter", options.interpreters, "interpreter to measure")->required()->expected(1);
  add_run_options(run_cmd, options);
  auto set_action = [&common, &action] { action = [&common] { return compare(options, common); }; };
  compare_cmd->callback(set_action);
  run_cmd->callback(set_action);
}

}  // namespace harness
