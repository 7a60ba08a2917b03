// Tests benchmark environments (harness/src/environment.cpp) with Debian's real packages and interpreters:
// isolation, no compiled extensions, the cache, and errors that name the apt package.
#include "harness/environment.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>

#include "harness/error.h"
#include "harness/process.h"
#include "test_support.h"

namespace harness {
namespace {

class EnvironmentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cache_ = testing::temp_dir("envs");
    setenv("PYSTON_BENCH_CACHE", cache_.c_str(), 1);
  }
  void TearDown() override {
    unsetenv("PYSTON_BENCH_CACHE");
    std::filesystem::remove_all(cache_);
  }
  // Runs code under the interpreter in the environment and returns its stdout.
  std::string python(const Interpreter& interpreter, const ProvisionedEnvironment& env, const std::string& code) {
    ProcessOptions options;
    options.argv = interpreter.argv;
    options.argv.insert(options.argv.end(), {"-c", code});
    options.extra_env = env.variables();
    ChildProcess child(options);
    EXPECT_TRUE(child.wait(std::chrono::seconds(60), {}));
    EXPECT_EQ(child.exit_status(), 0) << child.stderr_tail();
    return child.stdout_tail();
  }
  std::filesystem::path cache_;
};

TEST_F(EnvironmentTest, HoldsThePackagesTheirDependenciesAndNoExtensionModules) {
  Interpreter py38 = testing::python38();
  auto env = provision_environment(py38, {{"python3-jinja2"}, {"jinja2"}, "test"});
  EXPECT_TRUE(env.built);
  std::vector<std::string> names;
  for (const auto& p : env.packages) names.push_back(p.name);
  EXPECT_NE(std::find(names.begin(), names.end(), "python3-markupsafe"), names.end()) << "dependency not followed";
  EXPECT_TRUE(std::filesystem::exists(env.site / "markupsafe" / "__init__.py"));
  for (const auto& entry : std::filesystem::recursive_directory_iterator(env.site))
    EXPECT_NE(entry.path().extension(), ".so") << entry.path();
  // markupsafe runs its pure-Python fallback, and Debian's dist-packages are not on sys.path.
  std::string out = python(py38, env,
                           "import sys, markupsafe, jinja2\n"
                           "print(markupsafe.escape('<a>'), markupsafe.Markup.__module__)\n"
                           "print(any('dist-packages' in p for p in sys.path))\n"
                           "print(jinja2.__file__)");
  EXPECT_NE(out.find("&lt;a&gt; markupsafe\nFalse\n"), std::string::npos) << out;
  EXPECT_NE(out.find(cache_.string()), std::string::npos) << "jinja2 must come from the environment: " << out;
}

TEST_F(EnvironmentTest, IsCachedAndReusedWhileItsInputsStayTheSame) {
  Interpreter py38 = testing::python38();
  EnvironmentRequest request{{"python3-markdown"}, {"markdown"}, "test"};
  auto first = provision_environment(py38, request);
  auto second = provision_environment(py38, request);
  EXPECT_TRUE(first.built);
  EXPECT_FALSE(second.built);
  EXPECT_EQ(first.dir, second.dir);
  request.packages.push_back("python3-docutils");  // new inputs: a new environment
  auto third = provision_environment(py38, request);
  EXPECT_TRUE(third.built);
  EXPECT_NE(third.dir, first.dir);
}

TEST_F(EnvironmentTest, OlderInterpretersGetTheStandardLibraryStandIns) {
  // Debian's pytz imports zoneinfo (3.9+) and annotates with set[str]; Django needs pytz.
  Interpreter py38 = testing::python38();
  auto env = provision_environment(py38, {{"python3-tz"}, {"pytz"}, "test"});
  std::string out = python(py38, env, "import pytz; print(pytz.timezone('Europe/Paris').zone, 'UTC' in pytz.all_timezones)");
  EXPECT_EQ(out, "Europe/Paris True\n");
}

TEST_F(EnvironmentTest, MissingPackageNamesTheAptPackage) {
  try {
    resolve_debian_packages({"python3-pb-not-a-real-package"}, "benchmark demo");
    FAIL() << "no error for a missing package";
  } catch (const HarnessError& e) {
    EXPECT_STREQ(e.what(), "Debian package python3-pb-not-a-real-package is not installed (needed by benchmark demo)");
    EXPECT_EQ(e.hint(), "sudo apt-get install python3-pb-not-a-real-package");
  }
}

TEST_F(EnvironmentTest, VirtualDependenciesResolveToTheirProvider) {
  auto packages = resolve_debian_packages({"python3-pycparser"}, "test");
  bool has_ply = false;
  for (const auto& p : packages) has_ply |= p.name == "python3-ply";
  EXPECT_TRUE(has_ply) << "python3-pycparser's python3-ply-yacc-3.10 comes from python3-ply";
}

TEST_F(EnvironmentTest, ImportFailureIsReportedWithTheInterpretersOutput) {
  Interpreter py38 = testing::python38();
  try {
    provision_environment(py38, {{"python3-markdown"}, {"markdown", "module_that_is_nowhere"}, "benchmark demo"});
    FAIL() << "a failing import went unnoticed";
  } catch (const HarnessError& e) {
    EXPECT_NE(std::string(e.what()).find("No module named 'module_that_is_nowhere'"), std::string::npos) << e.what();
  }
}

// Every workload in macrobenchmarks/ that needs packages gets a working environment (its "imports" import).
TEST_F(EnvironmentTest, EveryRealWorkloadProvisionsUnderPython38) {
  Interpreter py38 = testing::python38();
  int provisioned = 0;
  for (const auto& benchmark : load_catalogue(std::filesystem::path(PB_SOURCE_DIR) / "macrobenchmarks")) {
    if (benchmark.packages.empty()) continue;
    EXPECT_NO_THROW({
      try {
        provision_environment(py38, environment_request(benchmark));
      } catch (const HarnessError& e) {
        ADD_FAILURE() << benchmark.name << ": " << e.what();
        throw;
      }
    });
    ++provisioned;
  }
  EXPECT_GE(provisioned, 7);  // flask, django, pylint and the library workloads
}

}  // namespace
}  // namespace harness
