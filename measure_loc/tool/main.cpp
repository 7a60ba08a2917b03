// measure_loc: profiles a Python program from outside and reports how many source lines cover 50/75/90/99% of
// its samples (the seeds' "99% hot lines" metric).
//
// Exit codes: the target's own exit code when it ran; 2 usage; 3 not a Python program; 4 no layout for that
// Python version; 5 the target could not start or exited before Python started; 6 no permission to read it;
// 7 the database could not be written.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <iostream>

#include "measure_loc/profile.h"
#include "measure_loc/report.h"
#include "measure_loc/store.h"

namespace {

bool g_attached = false;
volatile sig_atomic_t g_terminated = 0;

void on_interrupt(int) {
  if (g_attached) measure_loc::request_stop();  // a launched target gets the terminal's SIGINT itself
}

// SIGTERM ends sampling, so the target is unpinned and (with --native) detached, never left stopped or traced;
// then measure_loc dies of it as it did without the handler, writing nothing, and the target runs on.
void on_terminate(int) {
  g_terminated = 1;
  measure_loc::request_stop();
}

std::vector<std::string> target_command(const std::string& python, const std::string& module,
                                        const std::vector<std::string>& rest, measure_loc::Options& options,
                                        std::string& target) {
  std::vector<std::string> argv = {measure_loc::resolve_python(python).string()};
  if (!module.empty()) {
    argv.insert(argv.end(), {"-m", module});
    std::string path = module;
    std::replace(path.begin(), path.end(), '.', '/');
    options.start_files = {path + ".py", path + "/__main__.py"};
    target = "-m " + module;
  } else {
    if (rest.empty())
      throw measure_loc::Error("no script given", "usage: measure_loc [options] script.py [args]");
    options.start_files = {std::filesystem::path(rest[0]).filename().string()};
    target = rest[0];
  }
  argv.insert(argv.end(), rest.begin(), rest.end());
  return argv;
}

int run(int argc, char** argv) {
  CLI::App app{
      "measure_loc: out-of-process sampling profiler reporting the lines that cover 99% of a Python "
      "program's time.\nUsage: measure_loc [options] script.py [args] | -m module [args] | --pid PID"};
  app.prefix_command();
  measure_loc::Options options;
  std::string python = "python3", module, db_path, output;
  std::vector<std::string> start_at;
  pid_t pid = 0;
  bool json = false, csv = false, resolve_only = false;
  int top = 20;
  app.add_option("--python", python, "interpreter path or name (PATH, pyenv versions, build tree)");
  app.add_option("-m", module, "run a library module as a script");
  app.add_option("--pid", pid, "attach to a running process until it exits or Ctrl-C");
  app.add_option("--rate", options.rate_hz, "mean sampling rate in Hz (exponential intervals)")
      ->check(CLI::Range(1.0, 200000.0));
  bool normal_priority = false;
  app.add_flag("--normal-priority", normal_priority,
               "do not give the sampling loop real-time priority (it then wakes late on a busy machine)");
  app.add_flag("--all-threads", options.all_threads, "sample every thread, not only the GIL holder");
  app.add_flag("--wall-clock", options.wall_clock,
               "also count samples taken while the target was not running (descheduled, or blocked holding "
               "the GIL); by default they are reported as off-CPU and not counted");
  bool no_shared_cpu = false;
  app.add_flag("--no-shared-cpu", no_shared_cpu,
               "let the scheduler place the sampler and the target: samples then read a running target from "
               "another CPU, and calls shorter than a sample's reads land on their return lines");
  app.add_option("--warmup", options.warmup_seconds, "seconds to skip after the program's module starts")
      ->check(CLI::NonNegativeNumber);
  app.add_option(
         "--start-at", start_at,
         "start counting once code of this file (FILE) or function (FILE:FUNCTION) runs (default: the "
         "script or module given)")
      ->allow_extra_args(false);
  app.add_flag("--json", json, "write the whole profile as JSON");
  app.add_flag("--csv", csv, "write every line as CSV");
  app.add_option("--top", top, "lines shown in the text report");
  app.add_option("-o,--output", output, "write the report to this file instead of stdout");
  std::string collapsed, speedscope;
  app.add_option("--collapsed", collapsed, "also write collapsed stacks (flamegraph.pl's input) to this file");
  app.add_option("--speedscope", speedscope, "also write the stacks in speedscope's JSON format to this file");
  app.add_option("--stack-depth", options.stack_depth,
                 "frames kept per sample, innermost first (1: the leaf only, the cheapest sample)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  app.add_flag("--subprocesses", options.subprocesses,
               "also sample every descendant process that runs Python (forked workers, exec'd children); "
               "reports each process and their sum");
  app.add_flag("--native", options.native,
               "also record the C stack (libunwind over ptrace: each sample stops the sampled thread for a moment) "
               "and show C functions under the Python line that called them; CPython 3.8-3.10 and pyston");
  app.add_flag("--resolve-only", resolve_only, "print the interpreter --python resolves to, then exit");
  app.add_option("--db", db_path, "store the profile in this results store (a SQLite file or a postgresql:// URL)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : measure_loc::kExitUsage;
  }
  if (resolve_only) {
    std::cout << measure_loc::resolve_python(python).string() << "\n";
    return 0;
  }
  options.realtime = !normal_priority;
  options.share_cpu = !no_shared_cpu;
  if (json && csv) throw measure_loc::Error("--json and --csv exclude each other");
  // Refuse an unwritable output before the target runs, not after.
  std::map<std::string, std::ofstream> files;
  for (const std::string& path : {output, collapsed, speedscope}) {
    if (path.empty() || files.count(path)) continue;
    files[path].open(path);
    if (!files[path])
      throw measure_loc::Error("cannot write " + path + ": " + std::strerror(errno),
                               "check that its folder exists and is writable");
  }

  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigaction(SIGINT, &action, nullptr);
  struct sigaction terminate {};
  terminate.sa_handler = on_terminate;
  sigaction(SIGTERM, &terminate, nullptr);
  measure_loc::Profile profile;
  if (pid > 0) {
    g_attached = true;
    profile = measure_loc::profile_pid(pid, options);
  } else {
    std::string target;
    std::vector<std::string> command = target_command(python, module, app.remaining(), options, target);
    if (!start_at.empty()) options.start_files = start_at;
    profile = measure_loc::profile_command(command, options);
    profile.target = target;
  }

  if (g_terminated) {
    signal(SIGTERM, SIG_DFL);
    raise(SIGTERM);
  }

  std::ostream& out = output.empty() ? std::cout : files[output];
  auto format = json  ? measure_loc::ReportFormat::Json
                : csv ? measure_loc::ReportFormat::Csv
                      : measure_loc::ReportFormat::Text;
  measure_loc::write_report(format, profile, out, top);
  if (!collapsed.empty()) measure_loc::write_report(measure_loc::ReportFormat::Collapsed, profile, files[collapsed]);
  if (!speedscope.empty())
    measure_loc::write_report(measure_loc::ReportFormat::Speedscope, profile, files[speedscope]);
  if (profile.samples == 0) {
    std::cerr << "warning: no samples were counted (the program's own module never ran, or ended before the "
                 "first sample)\n";
  }
  if (!db_path.empty()) {
    try {
      speedcenter::Database db(db_path);
      std::cerr << "stored as hot_line_profiles id " << measure_loc::store_profile(db, profile) << " in "
                << speedcenter::printable_location(db_path) << "\n";
    } catch (const speedcenter::StoreError& e) {
      std::cerr << "error: " << e.what() << "\n";
      if (!e.hint().empty()) std::cerr << "hint: " << e.hint() << "\n";
      return 7;
    }
  }
  return profile.exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const measure_loc::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    if (!e.hint().empty()) std::cerr << "hint: " << e.hint() << "\n";
    return e.exit_code();
  }
}
