// harness/pyperformance.cpp: reading pyperformance's bm_*/ folders into the catalogue, checking what each
// benchmark needs under an interpreter, and building a worker's command line.
#include "harness/pyperformance.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include "harness/error.h"
#include "harness/process.h"

namespace harness {
namespace fs = std::filesystem;
namespace {

// The distribution name of a requirement ("xdsl==0.46.0" -> "xdsl", "Chameleon" -> "Chameleon").
std::string distribution_name(const std::string& requirement) {
  size_t end = requirement.find_first_of("<>=!~[; ");
  return requirement.substr(0, end);
}

// The module a distribution provides, where it is not the distribution's name in lower case with '-' as '_'.
std::string module_of(const std::string& distribution) {
  static const std::map<std::string, std::string> renamed = {
      {"pyyaml", "yaml"},         {"beautifulsoup4", "bs4"},     {"pyaes", "pyaes"},
      {"mercurial", "mercurial"}, {"dulwich", "dulwich"},        {"django", "django"},
      {"python-dateutil", "dateutil"}, {"msgpack-python", "msgpack"}, {"pillow", "PIL"}};
  std::string lower = distribution;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (auto it = renamed.find(lower); it != renamed.end()) return it->second;
  std::replace(lower.begin(), lower.end(), '-', '_');
  return lower;
}

std::vector<std::string> string_array(const toml::node_view<toml::node>& node) {
  std::vector<std::string> out;
  if (const auto* array = node.as_array())
    for (const auto& item : *array)
      if (auto text = item.value<std::string>()) out.push_back(*text);
  return out;
}

// ">=3.10" -> {3, 10}; anything else (no bound) -> {0, 0}.
std::pair<int, int> minimum_python(const std::string& requires_python) {
  int major = 0, minor = 0;
  if (std::sscanf(requires_python.c_str(), " >= %d.%d", &major, &minor) == 2) return {major, minor};
  return {0, 0};
}

}  // namespace

bool is_pyperformance_folder(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return false;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().filename().string().rfind("bm_", 0) == 0 && fs::exists(entry.path() / "run_benchmark.py"))
      return true;
  return false;
}

std::vector<Benchmark> load_pyperformance_folder(const fs::path& dir) {
  std::vector<fs::path> folders;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().filename().string().rfind("bm_", 0) == 0 && fs::exists(entry.path() / "run_benchmark.py"))
      folders.push_back(entry.path());
  std::sort(folders.begin(), folders.end());

  std::vector<Benchmark> catalogue;
  for (const auto& folder : folders) {
    std::vector<fs::path> tomls;
    for (const auto& entry : fs::directory_iterator(folder))
      if (entry.path().filename() == "pyproject.toml" ||
          (entry.path().extension() == ".toml" && entry.path().filename().string().rfind("bm_", 0) == 0))
        tomls.push_back(entry.path());
    std::sort(tomls.begin(), tomls.end());
    std::vector<std::string> requirements;  // requirements.txt pins (e.g. chameleon==4.6.0), checked by name
    if (std::ifstream in(folder / "requirements.txt"); in)
      for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] != '#') requirements.push_back(line);
    for (const auto& toml_path : tomls) {
      toml::table config;
      try {
        config = toml::parse_file(toml_path.string());
      } catch (const toml::parse_error& e) {
        throw HarnessError("cannot parse " + toml_path.string() + ": " + std::string(e.description()),
                           "fix the TOML syntax, or move the file out of the benchmark folder");
      }
      auto name = config["tool"]["pyperformance"]["name"].value<std::string>();
      if (!name) continue;  // a pyproject.toml without [tool.pyperformance] is not a benchmark
      // A variant (bm_btree/bm_btree_gc_only.toml) is named by its file, as pyperformance's MANIFEST names it
      // (two of bm_btree's variant files declare the same name); bm_X/bm_X.toml beside a pyproject.toml
      // repeats the main benchmark.
      if (toml_path.filename() != "pyproject.toml") {
        if (toml_path.stem() == folder.filename() && fs::exists(folder / "pyproject.toml")) continue;
        name = toml_path.stem().string().substr(3);
      }
      Benchmark b;
      b.name = kPyperformancePrefix + *name;
      b.suite = "pyperformance";
      b.kind = "pyperf";
      b.folder = fs::weakly_canonical(folder);
      b.file = b.folder / "run_benchmark.py";
      b.description = "pyperformance " + *name;
      std::vector<std::string> dependencies;
      for (const auto& r : string_array(config["project"]["dependencies"]))
        if (module_of(distribution_name(r)) != "pyperf") dependencies.push_back(r);
      for (const auto& r : requirements)
        if (std::none_of(dependencies.begin(), dependencies.end(), [&](const std::string& d) {
              return module_of(distribution_name(d)) == module_of(distribution_name(r));
            }))
          dependencies.push_back(r);
      b.manifest = {{"extra_opts", string_array(config["tool"]["pyperformance"]["extra_opts"])},
                    {"dependencies", dependencies},
                    {"requires_python", config["project"]["requires-python"].value_or(std::string())},
                    {"tags", config["tool"]["pyperformance"]["tags"].value_or(std::string())},
                    {"pyperformance_name", *name}};
      catalogue.push_back(std::move(b));
    }
  }
  return catalogue;
}

std::string pyperformance_unmet_requirements(const Benchmark& benchmark, const Interpreter& interpreter) {
  auto [major, minor] = minimum_python(benchmark.manifest.value("requires_python", ""));
  int have_major = 0, have_minor = 0;
  if (major && std::sscanf(interpreter.version.c_str(), "%d.%d", &have_major, &have_minor) == 2 &&
      std::make_pair(have_major, have_minor) < std::make_pair(major, minor))
    return "requires Python " + benchmark.manifest.value("requires_python", "") + ", " + interpreter.label +
           " is " + interpreter.version;
  std::vector<std::string> dependencies = benchmark.manifest.value("dependencies", std::vector<std::string>{});
  if (dependencies.empty()) return "";
  ProcessOptions probe;
  probe.argv = interpreter.argv;
  probe.argv.insert(probe.argv.end(),
                    {"-c", "import importlib.util, sys\n"
                           "print(' '.join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))"});
  for (const auto& d : dependencies) probe.argv.push_back(module_of(distribution_name(d)));
  probe.cwd = benchmark.folder;
  ChildProcess child(probe);
  if (!child.wait(std::chrono::seconds(60), {})) {
    child.kill_tree();
    return "looking up its modules under " + interpreter.label + " timed out";
  }
  std::string missing = child.stdout_tail();
  while (!missing.empty() && (missing.back() == '\n' || missing.back() == ' ')) missing.pop_back();
  if (child.exit_status() != 0) return "looking up its modules under " + interpreter.label + " failed";
  if (missing.empty()) return "";
  std::string needs;
  for (const auto& d : dependencies) {
    std::string module = module_of(distribution_name(d));
    if ((" " + missing + " ").find(" " + module + " ") != std::string::npos)
      needs += (needs.empty() ? "" : ", ") + d + (module == distribution_name(d) ? "" : " (module " + module + ")");
  }
  return "needs " + needs + ", not importable under " + interpreter.label;
}

std::vector<std::string> pyperformance_worker_args(const Benchmark& benchmark, const RunOptions& options) {
  std::vector<std::string> args = {benchmark.file.string(),
                                   "--warmups", std::to_string(options.warmups),
                                   "--values", std::to_string(options.iterations),
                                   "--pb-report-fd", "3"};
  if (options.min_time > 0) {
    args.push_back("--min-time");
    args.push_back(std::to_string(options.min_time));
  }
  for (const auto& opt : benchmark.manifest.value("extra_opts", std::vector<std::string>{})) args.push_back(opt);
  return args;
}

fs::path pyperf_compat_dir() { return project_root() / "harness" / "python" / "pyperf_compat"; }

}  // namespace harness
