// Tests the web executor (harness/src/web_executor.cpp) with real servers under python3.8 (pb_server.py and
// tests/harness/fixtures/web/faulty_app.py): a healthy run, a server killed mid-run, a gunicorn worker killed
// mid-run, a server that never becomes ready, a page that starts returning 500, failing setup, missing apt
// packages, and no process left behind in any of these.
#include "harness/web_executor.h"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "harness/error.h"
#include "test_support.h"
#if __has_include("measure_loc/profile.h")  // measure_loc is built: compare --hot-lines is there
#include "harness/hot_lines.h"
#endif

namespace harness {
namespace {

// Live (not zombie) processes whose command line mentions `needle` (the per-test data directory).
int processes_mentioning(const std::string& needle) {
  int found = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    std::getline(stat, line);
    size_t paren = line.rfind(')');
    bool zombie = paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'Z';
    if (!zombie && cmdline.find(needle) != std::string::npos) ++found;
  }
  return found;
}

Benchmark fixture_app(const std::string& server, nlohmann::json extra = {}) {
  Benchmark b;
  b.name = "faulty_web";
  b.suite = "fixtures";
  b.kind = "web";
  b.folder = std::filesystem::path(PB_FIXTURES_DIR) / "web";
  b.file = b.folder / "faulty_app.py";
  if (server == "gunicorn") b.packages = {"python3-gunicorn"};
  b.manifest = {{"server", server},
                {"requests", 300},
                {"ready_timeout", 30},
                {"pages", {{{"path", "/one"}, {"marker", "fixture page at /one"}, {"stable", true}},
                           {{"path", "/two"}, {"marker", "fixture page at /two"}, {"stable", true}}}}};
  for (const auto& [k, v] : extra.items()) b.manifest[k] = v;
  return b;
}

class WebExecutorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { interpreter_ = new Interpreter(testing::python38()); }
  void SetUp() override { executor_ = make_web_executor(); }

  // Prepares and runs one server process with extra environment variables for the fixture app.
  WorkerResult run(const Benchmark& benchmark, const Environment& faults = {}, RunOptions options = {}) {
    Environment env = executor_->prepare(benchmark, *interpreter_, options);
    data_dir_ = env.at("PB_WEB_DATA_DIR");
    for (const auto& [k, v] : faults) env[k] = v;
    return executor_->run_worker(benchmark, *interpreter_, env, options, 0);
  }
  void TearDown() override {
    if (data_dir_.empty()) return;
    // SIGKILLed grandchildren may take a moment to be reaped by init; a real orphan stays.
    int left = processes_mentioning(data_dir_);
    for (int i = 0; i < 150 && left > 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      left = processes_mentioning(data_dir_);
    }
    EXPECT_EQ(left, 0) << "a server process outlived its run";
  }

  static Interpreter* interpreter_;
  std::unique_ptr<Executor> executor_;
  std::string data_dir_;
};
Interpreter* WebExecutorTest::interpreter_ = nullptr;

TEST_F(WebExecutorTest, HealthyServerIsMeasuredRequestByRequest) {
  WorkerResult result = run(fixture_app("wsgiref"));
  ASSERT_TRUE(result.ok) << result.error << "\n" << result.stderr_tail;
  ASSERT_EQ(result.samples.size(), 300u);
  for (size_t i = 0; i < result.samples.size(); ++i) {
    EXPECT_EQ(result.samples[i].kind, "latency");
    EXPECT_EQ(result.samples[i].seq, static_cast<int>(i));
    EXPECT_GT(result.samples[i].value, 0);
    if (i) {
      EXPECT_GT(result.samples[i].t, result.samples[i - 1].t);
    }
  }
  EXPECT_FALSE(result.memory.empty());
  auto metric = [&](const std::string& name) -> const Metric* {
    for (const auto& m : result.metrics)
      if (m.name == name) return &m;
    return nullptr;
  };
  ASSERT_TRUE(metric("server_rss_peak") && metric("server_rss_peak")->value);
  EXPECT_GT(*metric("server_rss_peak")->value, 5e6);  // a Python server uses megabytes
  ASSERT_TRUE(metric("server_cpu_per_request") && metric("server_cpu_per_request")->value);
  EXPECT_GT(*metric("server_cpu_per_request")->value, 0);
  ASSERT_TRUE(metric("warmup_seconds"));
  ASSERT_TRUE(metric("warmup_requests"));
  ASSERT_TRUE(metric("p999"));
}

TEST_F(WebExecutorTest, GunicornServerRunsUnderTheProvisionedEnvironment) {
  WorkerResult result = run(fixture_app("gunicorn"));
  ASSERT_TRUE(result.ok) << result.error << "\n" << result.stderr_tail;
  EXPECT_EQ(result.samples.size(), 300u);
}

#if __has_include("harness/hot_lines.h") && __has_include("measure_loc/profile.h")
// compare --hot-lines's path for web benchmarks: the profiler sees the server when it is ready, counts from
// request 100 on, finds gunicorn's worker (a forked child) and ends after the last response.
class RecordingProfiler : public ServerProfiler {
 public:
  using ServerProfiler::ServerProfiler;
  void server_ready(pid_t server) override {
    server_ = server;
    ServerProfiler::server_ready(server);
  }
  void request_starting(long seq) override {
    ++requests_;
    ServerProfiler::request_starting(seq);
  }
  pid_t server_ = 0;
  std::atomic<long> requests_{0};
};

TEST_F(WebExecutorTest, ProfilesEveryServerProcessDuringTheCountedRequests) {
  measure_loc::Options profile_options;
  profile_options.rate_hz = 2000;
  RecordingProfiler profiler(profile_options, 100);
  RunOptions options;
  options.load_observer = &profiler;
  WorkerResult result = run(fixture_app("gunicorn"), {}, options);
  ASSERT_TRUE(result.ok) << result.error << "\n" << result.stderr_tail;
  EXPECT_GT(profiler.server_, 0);
  EXPECT_EQ(profiler.requests_, 300);
  measure_loc::Profile profile = profiler.take();
  EXPECT_GE(profile.processes.size(), 2u) << "gunicorn's master and its worker";
  EXPECT_GT(profile.skipped, 0) << "the first 100 requests are sampled but not counted";
  ASSERT_GT(profile.samples, 0);
  // The worker's request handling: gunicorn's frames under the counted stacks.
  bool in_worker = false;
  for (const auto& frame : profile.frames) in_worker = in_worker || frame.filename.find("gunicorn/workers") != std::string::npos;
  EXPECT_TRUE(in_worker) << profile.samples << " samples, none in gunicorn's worker code";
}
#endif

TEST_F(WebExecutorTest, ServerKilledMidRunFailsWithAClearError) {
  WorkerResult result = run(fixture_app("wsgiref"), {{"PB_FIXTURE_KILL_AFTER", "120"}});
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.error.find("server died mid-run (killed by signal 9) after 120 of 300 requests"),
            std::string::npos) << result.error;
}

TEST_F(WebExecutorTest, GunicornWorkerKilledMidRunFails) {
  WorkerResult result = run(fixture_app("gunicorn"), {{"PB_FIXTURE_KILL_AFTER", "50"}});
  EXPECT_FALSE(result.ok);
  // Which side notices first is a race: the /proc watcher ("died mid-run after 50 of 300 requests") or the
  // client, whose 51st request finds the connection closed. Both must name the point of failure.
  bool watcher = result.error.find("died mid-run") != std::string::npos &&
                 result.error.find("after 50 of 300 requests") != std::string::npos;
  bool client = result.error.find("request 50 ") != std::string::npos &&
                result.error.find("closed the connection") != std::string::npos;
  EXPECT_TRUE(watcher || client) << result.error;
}

TEST_F(WebExecutorTest, WholeGunicornServerKilledMidRunFails) {
  WorkerResult result = run(fixture_app("gunicorn"), {{"PB_FIXTURE_KILL_AFTER", "50"}, {"PB_FIXTURE_KILL_GROUP", "1"}});
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.error.find("server died mid-run (killed by signal 9) after 50 of 300 requests"),
            std::string::npos) << result.error;
}

TEST_F(WebExecutorTest, ServerThatNeverBecomesReadyTimesOut) {
  auto start = std::chrono::steady_clock::now();
  WorkerResult result = run(fixture_app("gunicorn", {{"ready_timeout", 3}}), {{"PB_FIXTURE_HANG", "1"}});
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.error.find("server not ready after 3 s"), std::string::npos) << result.error;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
}

TEST_F(WebExecutorTest, PageThatStartsReturning500Fails) {
  WorkerResult result = run(fixture_app("wsgiref"), {{"PB_FIXTURE_500_AFTER", "77"}});
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.error.find("request 77 (/two): status 500 instead of 200"), std::string::npos) << result.error;
  EXPECT_TRUE(result.samples.empty());  // a failed worker contributes no latencies
}

TEST_F(WebExecutorTest, ServerExitingBeforeReadyReportsWhy) {
  Benchmark broken = fixture_app("wsgiref");
  broken.file = broken.folder / "no_such_app.py";
  auto executor = make_web_executor();
  EXPECT_THROW(
      {
        try {
          executor->prepare(broken, *interpreter_, {});
        } catch (const HarnessError& e) {
          EXPECT_NE(std::string(e.what()).find("setup of faulty_web under"), std::string::npos) << e.what();
          EXPECT_NE(std::string(e.what()).find("No such file"), std::string::npos) << e.what();
          throw;
        }
      },
      HarnessError);
}

TEST_F(WebExecutorTest, FailingSetupStopsPrepare) {
  setenv("PB_FIXTURE_SETUP_FAIL", "1", 1);
  try {
    executor_->prepare(fixture_app("wsgiref"), *interpreter_, {});
    unsetenv("PB_FIXTURE_SETUP_FAIL");
    FAIL() << "setup failure not reported";
  } catch (const HarnessError& e) {
    unsetenv("PB_FIXTURE_SETUP_FAIL");
    EXPECT_NE(std::string(e.what()).find("RuntimeError: deliberate setup failure"), std::string::npos) << e.what();
  }
}

TEST_F(WebExecutorTest, MissingDebianPackageIsNamedInTheError) {
  Benchmark needs_more = fixture_app("wsgiref");
  needs_more.packages = {"python3-gunicorn", "python3-pb-not-a-real-package"};
  try {
    executor_->prepare(needs_more, *interpreter_, {});
    FAIL() << "a missing package went unnoticed";
  } catch (const HarnessError& e) {
    EXPECT_NE(std::string(e.what()).find("Debian package python3-pb-not-a-real-package is not installed"),
              std::string::npos) << e.what();
    EXPECT_EQ(e.hint(), "sudo apt-get install python3-pb-not-a-real-package");
  }
}

TEST(WebWorkloadTest, ManifestWithoutPagesIsRejected) {
  Benchmark b;
  b.name = "empty_web";
  b.manifest = {{"requests", 10}};
  EXPECT_THROW(web_workload(b), HarnessError);
}

TEST(WebWorkloadTest, RealWorkloadsDeclareCheckedPages) {
  for (const auto& b : load_catalogue(std::filesystem::path(PB_SOURCE_DIR) / "macrobenchmarks")) {
    if (b.kind != "web") continue;
    WebWorkload w = web_workload(b);
    EXPECT_GE(w.pages.size(), 5u) << b.name;
    for (const auto& p : w.pages) EXPECT_FALSE(p.marker.empty()) << b.name << " " << p.name << " has no marker";
  }
}

}  // namespace
}  // namespace harness
