// harness/src/environment.cpp: resolving Debian's python3-* packages and laying them out, per interpreter, as an
// isolated directory of symlinks that goes on PYTHONPATH.
#include "harness/environment.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <cstdint>
#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "harness/error.h"

extern char** environ;

namespace harness {
namespace fs = std::filesystem;

namespace {

// Bump when the layout of an environment changes, so old caches are rebuilt.
constexpr int kLayoutVersion = 2;
const fs::path kDistPackages = "/usr/lib/python3/dist-packages";

// Keeps only the interpreter's standard library and this environment on sys.path: Debian's pypy3 and python3
// would otherwise also see /usr/lib/python3/dist-packages, with its extension modules built for python3.11.
constexpr const char* kSiteCustomize = R"(# Written by pyston-bench: an isolated benchmark environment.
import os as _os
import sys as _sys

_here = _os.path.dirname(_os.path.abspath(__file__))
_sys.path[:] = [p for p in _sys.path
                if _os.path.abspath(p or ".") == _here
                or not p.rstrip("/").endswith(("site-packages", "dist-packages"))]
)";

// Debian's packages are patched for its python3 (3.11) and may import standard modules older interpreters lack.
// Each shim is the smallest stand-in that keeps a package importable; it goes into environments for interpreters
// older than `missing_before` (major * 100 + minor) only.
struct StdlibShim {
  const char* file;
  int missing_before;
  const char* needed_by;
  const char* text;
};
constexpr StdlibShim kStdlibShims[] = {
    {"zoneinfo.py", 309, "python3-tz (Debian's pytz lists zones with zoneinfo.available_timezones())",
     R"py(# Written by pyston-bench: stand-in for the standard zoneinfo module (Python 3.9+) on older interpreters.
import os

TZPATH = ("/usr/share/zoneinfo",)


def available_timezones():
    zones = set()
    for root in TZPATH:
        for folder, _, files in os.walk(root):
            for name in files:
                path = os.path.join(folder, name)
                try:
                    with open(path, "rb") as f:
                        if f.read(4) == b"TZif":
                            zones.add(os.path.relpath(path, root))
                except OSError:
                    pass
    zones.discard("posixrules")
    return zones


class ZoneInfo:
    def __init__(self, key):
        raise NotImplementedError("zoneinfo.ZoneInfo is not available before Python 3.9 (pyston-bench shim)")
)py"},
};

// Files of Debian's packages that use 3.9+ syntax only in annotations: older interpreters get a copy that starts
// with `from __future__ import annotations` (PEP 563), which leaves the code itself unchanged.
struct PostponedAnnotations {
  const char* file;  // relative to dist-packages
  int missing_before;
};
constexpr PostponedAnnotations kPostponedAnnotations[] = {
    {"pytz/__init__.py", 309},  // `-> set[str]` (Debian's pytz reads zones from the system tzdata)
};

int language_version(const std::string& version) {  // "3.8.18" -> 308
  int major = 0, minor = 0;
  if (std::sscanf(version.c_str(), "%d.%d", &major, &minor) != 2) return 0;
  return major * 100 + minor;
}

struct CommandOutput {
  int status = -1;
  std::string out;  // stdout and stderr together
};

// Runs argv to completion and returns its combined output. Small and synchronous: only for provisioning.
CommandOutput run_command(const std::vector<std::string>& argv, const Environment& extra_env = {}) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) throw HarnessError("cannot create a pipe to run " + argv.at(0));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);

  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    std::string entry = *e;
    if (!extra_env.count(entry.substr(0, entry.find('=')))) env_strings.push_back(entry);
  }
  for (const auto& [k, v] : extra_env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp, args;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& s : argv_copy) args.push_back(s.data());
  args.push_back(nullptr);

  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  CommandOutput result;
  if (rc != 0) {
    close(pipe_fds[0]);
    result.out = fmt::format("cannot start {}: {}", argv[0], strerror(rc));
    return result;
  }
  char buffer[65536];
  for (ssize_t n; (n = read(pipe_fds[0], buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    result.out.append(buffer, static_cast<size_t>(n));
  }
  close(pipe_fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  return result;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, separator);) parts.push_back(part);
  return parts;
}

std::string trim(const std::string& s) {
  auto begin = s.find_first_not_of(" \t\n");
  if (begin == std::string::npos) return {};
  return s.substr(begin, s.find_last_not_of(" \t\n") - begin + 1);
}

std::string hex64(std::uint64_t h) { return fmt::format("{:016x}", h); }

std::uint64_t fnv1a(const std::string& text, std::uint64_t h = 1469598103934665603ULL) {
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ULL;
  return h;
}

// The python3-* packages named by a Depends field. For "a | b" the first installed python3-* alternative wins;
// plain "python3 (...)" alternatives mean "not needed on some versions": we then still take the package, so
// every interpreter gets the same files.
std::vector<std::string> python_dependencies(const std::string& depends) {
  std::vector<std::string> out;
  for (const auto& clause : split(depends, ',')) {
    for (const auto& alternative : split(clause, '|')) {
      std::string name = trim(alternative.substr(0, alternative.find('(')));
      name = name.substr(0, name.find(':'));
      if (name.rfind("python3-", 0) == 0) {
        out.push_back(name);
        break;
      }
    }
  }
  return out;
}

struct PackageStatus {
  bool installed = false;
  std::string version, depends;
};

PackageStatus query_package(const std::string& name) {
  auto result = run_command({"dpkg-query", "-W", "-f=${db:Status-Abbrev}\t${Version}\t${Depends}", name});
  PackageStatus status;
  if (result.status != 0) return status;
  auto fields = split(result.out, '\t');
  status.installed = fields.size() >= 2 && fields[0].rfind("ii", 0) == 0;
  if (fields.size() >= 2) status.version = fields[1];
  if (fields.size() >= 3) status.depends = fields[2];
  return status;
}

// Installed packages that provide a virtual one (python3-pycparser depends on "python3-ply-yacc-3.10", which
// python3-ply provides): virtual name -> real package.
std::map<std::string, std::string> virtual_providers() {
  std::map<std::string, std::string> providers;
  auto result = run_command({"dpkg-query", "-W", "-f=${db:Status-Abbrev}\t${Package}\t${Provides}\n"});
  for (const auto& line : split(result.out, '\n')) {
    auto fields = split(line, '\t');
    if (fields.size() < 3 || fields[0].rfind("ii", 0) != 0) continue;
    for (const auto& provided : split(fields[2], ','))
      providers.emplace(trim(provided.substr(0, provided.find('('))), fields[1]);
  }
  return providers;
}

// The files a package put under dist-packages that an environment should hold: no byte code, no compiled
// extension modules, no .pth hooks (they only run from site directories anyway).
std::vector<std::string> package_files(const std::string& name) {
  auto result = run_command({"dpkg-query", "-L", name});
  if (result.status != 0) throw HarnessError("cannot list the files of Debian package " + name, result.out);
  std::vector<std::string> files;
  const std::string prefix = kDistPackages.string() + "/";
  for (const auto& line : split(result.out, '\n')) {
    if (line.rfind(prefix, 0) != 0) continue;
    std::string relative = line.substr(prefix.size());
    if (relative.find("__pycache__") != std::string::npos) continue;
    if (relative.ends_with(".so") || relative.ends_with(".pth") || relative.ends_with(".pyc")) continue;
    if (!fs::is_regular_file(kDistPackages / relative)) continue;  // directories and dangling entries
    files.push_back(relative);
  }
  return files;
}

std::string inputs_key(const std::vector<DebianPackage>& packages, const EnvironmentRequest& request) {
  std::string text = fmt::format("layout={}\n", kLayoutVersion);
  for (const auto& p : packages) text += p.name + "=" + p.version + "\n";
  std::vector<std::string> imports = request.imports;
  std::sort(imports.begin(), imports.end());
  for (const auto& m : imports) text += "import " + m + "\n";
  return hex64(fnv1a(text)).substr(0, 12);
}

std::string interpreter_key(const Interpreter& interpreter) {
  std::string identity = interpreter.executable_sha256.empty() ? interpreter.executable.string()
                                                               : interpreter.executable_sha256;
  return hex64(fnv1a(identity + "\n" + interpreter.version)).substr(0, 12);
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) throw HarnessError("cannot write " + path.string());
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The future import must follow the module docstring (if any) and precede every other statement.
std::string with_postponed_annotations(const std::string& source) {
  size_t insert_at = 0;
  for (const char* quote : {"\"\"\"", "'''"}) {
    if (source.rfind(quote, 0) == 0) {
      size_t end = source.find(quote, 3);
      if (end != std::string::npos) insert_at = end + 3;
    }
  }
  return source.substr(0, insert_at) + "\nfrom __future__ import annotations  # added by pyston-bench\n" +
         source.substr(insert_at);
}

void lay_out(const fs::path& site, const std::vector<DebianPackage>& packages, const Interpreter& interpreter) {
  fs::create_directories(site);
  for (const auto& package : packages) {
    for (const auto& relative : package.files) {
      fs::path target = site / relative;
      fs::create_directories(target.parent_path());
      std::error_code ec;
      fs::create_symlink(kDistPackages / relative, target, ec);
      if (ec && ec != std::errc::file_exists)
        throw HarnessError(fmt::format("cannot link {} into {}: {}", relative, site.string(), ec.message()));
    }
  }
  write_file(site / "sitecustomize.py", kSiteCustomize);
  int version = language_version(interpreter.version);
  for (const auto& patch : kPostponedAnnotations) {
    fs::path target = site / patch.file;
    if (version <= 0 || version >= patch.missing_before || !fs::is_symlink(target)) continue;
    std::string patched = with_postponed_annotations(read_file(kDistPackages / patch.file));
    fs::remove(target);
    write_file(target, patched);
  }
  for (const auto& shim : kStdlibShims)
    if (version > 0 && version < shim.missing_before) write_file(site / shim.file, shim.text);
}

std::string manifest_text(const std::vector<DebianPackage>& packages, const EnvironmentRequest& request,
                          const Interpreter& interpreter) {
  nlohmann::json j;
  j["layout"] = kLayoutVersion;
  j["interpreter"] = {{"executable", interpreter.executable.string()}, {"version", interpreter.version},
                      {"implementation", interpreter.implementation}};
  for (const auto& p : packages) j["packages"][p.name] = p.version;
  j["imports"] = request.imports;
  return j.dump(2) + "\n";
}

void check_imports(const Interpreter& interpreter, const ProvisionedEnvironment& env,
                   const EnvironmentRequest& request) {
  if (request.imports.empty()) return;
  std::string code = "import sys\n";
  for (const auto& m : request.imports) code += "import " + m + "\n";
  code += "for m in list(sys.modules.values()):\n"
          "    f = getattr(m, '__file__', None) or ''\n"
          "    if f.endswith('.so') and 'dist-packages' in f:\n"
          "        raise SystemExit('extension module from outside the environment: ' + f)\n";
  std::vector<std::string> argv = interpreter.argv;
  if (argv.empty()) argv.push_back(interpreter.executable.string());
  argv.insert(argv.end(), {"-c", code});
  auto result = run_command(argv, env.variables());
  if (result.status != 0) {
    std::string tail = result.out.size() > 2000 ? result.out.substr(result.out.size() - 2000) : result.out;
    throw HarnessError(fmt::format("the environment for {} does not work under {} ({}): {}", request.purpose,
                                   interpreter.label, interpreter.version, tail),
                       "check the manifest's \"imports\" (modules must import without further setup) and whether "
                       "these Debian packages support this Python version; the environment is " + env.dir.string());
  }
}

}  // namespace

Environment ProvisionedEnvironment::variables() const {
  return {{"PYTHONPATH", site.string()}, {"PYTHONNOUSERSITE", "1"}, {"PB_ENV_DIR", dir.string()}};
}

fs::path environments_root() {
  if (const char* cache = std::getenv("PYSTON_BENCH_CACHE"); cache && *cache) return fs::path(cache) / "envs";
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return fs::path(xdg) / "pyston-bench" / "envs";
  const char* home = std::getenv("HOME");
  return fs::path(home && *home ? home : "/tmp") / ".cache" / "pyston-bench" / "envs";
}

std::vector<DebianPackage> resolve_debian_packages(const std::vector<std::string>& packages,
                                                   const std::string& purpose) {
  std::map<std::string, DebianPackage> closure;
  std::vector<std::pair<std::string, std::string>> pending;  // package, who needs it
  for (const auto& p : packages) pending.emplace_back(p, purpose);
  std::optional<std::map<std::string, std::string>> providers;  // looked up only when needed
  while (!pending.empty()) {
    auto [name, needed_by] = pending.back();
    pending.pop_back();
    if (closure.count(name)) continue;
    PackageStatus status = query_package(name);
    if (!status.installed) {
      if (!providers) providers = virtual_providers();
      auto provider = providers->find(name);
      if (provider != providers->end()) {
        pending.emplace_back(provider->second, needed_by);
        continue;
      }
    }
    if (!status.installed)
      throw HarnessError(fmt::format("Debian package {} is not installed (needed by {})", name, needed_by),
                         "sudo apt-get install " + name);
    closure[name] = DebianPackage{name, status.version, package_files(name)};
    for (const auto& dependency : python_dependencies(status.depends)) pending.emplace_back(dependency, name);
  }
  std::vector<DebianPackage> out;
  for (auto& [name, package] : closure) out.push_back(std::move(package));
  return out;
}

ProvisionedEnvironment provision_environment(const Interpreter& interpreter, const EnvironmentRequest& request) {
  ProvisionedEnvironment env;
  env.packages = resolve_debian_packages(request.packages, request.purpose);
  env.dir = environments_root() / (interpreter_key(interpreter) + "-" + inputs_key(env.packages, request));
  env.site = env.dir / "site";
  if (fs::exists(env.dir / "environment.json")) return env;  // written last: the cache is complete

  // Build next to the final place and rename, so a crash or a parallel run never leaves half an environment.
  fs::path staging = env.dir;
  staging += fmt::format(".tmp-{}", getpid());
  fs::remove_all(staging);
  lay_out(staging / "site", env.packages, interpreter);
  std::error_code ec;
  fs::rename(staging, env.dir, ec);
  if (ec) {
    fs::remove_all(staging);
    if (fs::exists(env.dir / "environment.json")) return env;  // someone else finished first
    fs::remove_all(env.dir);  // a stale, incomplete one
    lay_out(env.site, env.packages, interpreter);
  }
  check_imports(interpreter, env, request);
  write_file(env.dir / "environment.json", manifest_text(env.packages, request, interpreter));
  env.built = true;
  return env;
}

EnvironmentRequest environment_request(const Benchmark& benchmark) {
  EnvironmentRequest request;
  request.packages = benchmark.packages;
  if (benchmark.manifest.contains("imports"))
    request.imports = benchmark.manifest["imports"].get<std::vector<std::string>>();
  request.purpose = "benchmark " + benchmark.name;
  return request;
}

Environment provision_for_benchmark(const Benchmark& benchmark, const Interpreter& interpreter) {
  if (benchmark.packages.empty()) return {};
  return provision_environment(interpreter, environment_request(benchmark)).variables();
}

}  // namespace harness
