// harness/interpreter.cpp: turning "base=python3.8 -X dev" into a resolved, probed interpreter.
#include "harness/interpreter.h"

#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "harness/error.h"
#include "harness/process.h"
#include "speedcenter/installation.h"


namespace harness {
namespace fs = std::filesystem;
namespace {

std::vector<std::string> split_words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

bool is_executable_file(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec) && access(path.c_str(), X_OK) == 0;
}

std::vector<fs::path> path_dirs() {
  std::vector<fs::path> dirs;
  const char* path = std::getenv("PATH");
  std::istringstream in(path ? path : "");
  for (std::string dir; std::getline(in, dir, ':');)
    if (!dir.empty() && dir.find("/.pyenv/shims") == std::string::npos) dirs.emplace_back(dir);
  return dirs;
}

// The probe prints one JSON object; it must run on any Python 3.6+ and PyPy.
constexpr const char* kProbeScript = R"py(
import json, platform, sys, sysconfig
info = {
    "implementation": sys.implementation.name,
    "version": platform.python_version(),
    "executable": sys.executable,
    "cache_tag": sys.implementation.cache_tag,
    "hexversion": sys.hexversion,
    "compiler": platform.python_compiler(),
    "config_args": sysconfig.get_config_var("CONFIG_ARGS") or "",
    "platform": sys.platform,
}
mod = sys.modules.get("pyston_lite")
if mod is None and "pyston_lite" in sys.builtin_module_names:
    import pyston_lite as mod  # the pyston launcher has it built in (and enabled)
if mod is not None:
    info["pyston_lite"] = bool(mod.is_enabled())
    info["pyston_version"] = getattr(mod, "__version__", "")
if hasattr(sys, "pypy_version_info"):
    info["pypy_version"] = ".".join(str(p) for p in sys.pypy_version_info[:3])
print(json.dumps(info))
)py";

}  // namespace

InterpreterSpec parse_interpreter_spec(const std::string& text) {
  InterpreterSpec spec;
  std::string command = text;
  size_t eq = text.find('=');
  size_t space = text.find_first_of(" \t");
  if (eq != std::string::npos && (space == std::string::npos || eq < space) && eq > 0 &&
      text.find('/') > eq) {
    spec.label = text.substr(0, eq);
    command = text.substr(eq + 1);
  }
  spec.argv = split_words(command);
  if (spec.argv.empty())
    throw HarnessError("empty interpreter in '" + text + "'",
                       "give a name (python3.8), a path, or a command such as \"python3.8 -X dev\"");
  if (spec.label.empty()) {
    std::string joined;
    for (const auto& word : spec.argv) joined += (joined.empty() ? "" : " ") + word;
    spec.label = joined;
  }
  return spec;
}

std::vector<fs::path> extra_search_dirs() {
  std::vector<fs::path> dirs;
  const char* root_env = std::getenv("PYENV_ROOT");
  fs::path pyenv_root = root_env && *root_env ? fs::path(root_env) : fs::path("/root/.pyenv");
  std::error_code ec;
  std::vector<fs::path> versions;
  for (const auto& entry : fs::directory_iterator(pyenv_root / "versions", ec))
    versions.push_back(entry.path() / "bin");
  std::sort(versions.begin(), versions.end());
  dirs.insert(dirs.end(), versions.begin(), versions.end());
  if (const char* build = std::getenv("PYSTON_BENCH_BUILD_BIN"); build && *build) dirs.emplace_back(build);
  dirs.push_back(speedcenter::executable_dir());  // the launchers (pyston) installed or built beside us
  return dirs;
}

fs::path resolve_executable(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    fs::path path = fs::absolute(name);
    if (!is_executable_file(path))
      throw HarnessError("interpreter '" + name + "' does not exist or is not executable",
                         "check the path, or give a name such as python3.8");
    return path;
  }
  std::vector<fs::path> searched = path_dirs();
  std::vector<fs::path> extra = extra_search_dirs();
  searched.insert(searched.end(), extra.begin(), extra.end());
  for (const auto& dir : searched)
    if (is_executable_file(dir / name)) return dir / name;
  std::string where;
  for (const auto& dir : searched) where += "\n  " + dir.string();
  std::string hint = "install it, give its full path";
  if (name.rfind("pyston", 0) == 0)  // pyston, pyston3.9, pyston3.10
    hint = "build it first (README: the setup command builds build/bin/" + name + "), or " + hint;
  if (name == "pypy3") hint = "apt-get install pypy3, or " + hint;
  throw HarnessError("unknown interpreter '" + name + "'; looked in:" + where, hint);
}

std::string sha256_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw HarnessError("cannot read " + path.string() + " to hash it");
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0)
    EVP_DigestUpdate(ctx, buffer, static_cast<size_t>(in.gcount()));
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx, digest, &length);
  EVP_MD_CTX_free(ctx);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

Interpreter probe_interpreter(const InterpreterSpec& spec) {
  Interpreter interpreter;
  interpreter.label = spec.label;
  interpreter.argv = spec.argv;
  interpreter.executable = resolve_executable(spec.argv[0]);
  interpreter.argv[0] = interpreter.executable.string();
  interpreter.executable_sha256 = sha256_file(fs::canonical(interpreter.executable));

  ProcessOptions options;
  options.argv = interpreter.argv;
  options.argv.insert(options.argv.end(), {"-c", kProbeScript});
  options.output_tail_bytes = 1 << 16;
  ChildProcess child(options);
  bool finished = child.wait(std::chrono::seconds(60), {});
  if (!finished) {
    child.kill_tree();
    throw HarnessError("interpreter '" + spec.label + "' did not answer the probe within 60 s",
                       "check that it starts: " + interpreter.argv[0] + " -c pass");
  }
  nlohmann::json info;
  try {
    info = nlohmann::json::parse(child.stdout_tail());
  } catch (const std::exception&) {
    std::string tail = child.stderr_tail();
    if (tail.size() > 600) tail = tail.substr(tail.size() - 600);
    throw HarnessError("interpreter '" + spec.label + "' is not a working Python 3.6+ (exit status " +
                           std::to_string(child.exit_status().value_or(-1)) + "): " + tail,
                       "run it by hand to see why: " + interpreter.argv[0] + " -c 'import sys; print(sys.version)'");
  }
  if (info.value("hexversion", 0) < 0x03060000)
    throw HarnessError("interpreter '" + spec.label + "' is Python " + info.value("version", "?") +
                           "; pyston-bench needs Python 3.6 or newer",
                       "pick another interpreter");
  interpreter.implementation = info.value("implementation", "unknown");
  if (info.value("pyston_lite", false)) interpreter.implementation = "pyston";
  interpreter.version = info.value("version", "");
  interpreter.build_flags = info.value("compiler", "") + " " + info.value("config_args", "");
  interpreter.probe_json = info.dump();
  return interpreter;
}

}  // namespace harness
