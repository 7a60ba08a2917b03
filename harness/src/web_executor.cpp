// harness/src/web_executor.cpp: runs a web workload's setup once per interpreter, then per worker starts the
// server (own process group), waits for its ready line, drives it from the native load generator while sampling
// the server tree's memory, and stops the whole tree. Any failure is reported with the server's stderr tail.
#include "harness/web_executor.h"

#include <signal.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <thread>

#include "harness/environment_hook.h"
#include "harness/error.h"
#include "harness/perf_counters.h"
#include "harness/process.h"
#include "harness/stats.h"

namespace harness {
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

PageCheck parse_page(const nlohmann::json& j) {
  PageCheck page;
  page.request.path = j.at("path").get<std::string>();
  page.request.method = j.value("method", "GET");
  page.name = page.request.method == "GET" ? page.request.path : page.request.method + " " + page.request.path;
  page.status = j.value("status", 200);
  page.marker = j.value("marker", "");
  page.stable = j.value("stable", false);
  if (j.contains("headers"))
    for (const auto& [k, v] : j["headers"].items()) page.request.headers.emplace_back(k, v.get<std::string>());
  if (j.contains("form")) {
    page.request.body = j["form"].get<std::string>();
    page.request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  }
  if (j.contains("body")) page.request.body = j["body"].get<std::string>();
  return page;
}

std::string last_line(const std::string& text) {
  size_t end = text.find_last_not_of("\n ");
  if (end == std::string::npos) return "";
  size_t start = text.rfind('\n', end);
  start = start == std::string::npos ? 0 : start + 1;
  return text.substr(start, end - start + 1);
}

std::string exit_text(std::optional<int> status) {
  if (!status) return "still running";
  return *status < 0 ? fmt::format("killed by signal {}", -*status) : fmt::format("exit status {}", *status);
}

// What the server said on its report pipe (pb_server.py's protocol).
struct ServerEvents {
  std::optional<int> port;
  pid_t worker_pid = 0;     // of the first worker
  int replacements = 0;     // workers that came up after the first
  bool done = false;
  std::string error;           // an "error" event's message
  std::string protocol_error;  // garbage on the pipe
};

void on_server_line(ServerEvents& events, const std::string& line) {
  nlohmann::json event;
  try {
    event = nlohmann::json::parse(line);
  } catch (const std::exception&) {
    if (events.protocol_error.empty()) events.protocol_error = "garbage on the report pipe: '" + line.substr(0, 120) + "'";
    return;
  }
  if (!event.is_object() || event.value("pb", 0) != 1) return;
  std::string kind = event.value("event", "");
  if (kind == "ready" && events.port) {
    ++events.replacements;  // a second worker came up: gunicorn replaced one that died
  } else if (kind == "ready") {
    events.port = event.value("port", 0);
    events.worker_pid = event.value("pid", 0);
  } else if (kind == "error") {
    events.error = event.value("message", "unknown error");
  } else if (kind == "done") {
    events.done = true;
  }
}

ProcessOptions server_process(const Benchmark& benchmark, const Interpreter& interpreter,
                              const Environment& environment, const std::string& mode, const std::string& server) {
  auto data_dir = environment.find("PB_WEB_DATA_DIR");
  if (data_dir == environment.end())
    throw HarnessError("internal: web benchmark " + benchmark.name + " run without prepare() (no data directory)");
  ProcessOptions process;
  process.argv = interpreter.argv;
  for (const std::string& arg : {(project_root() / "macrobenchmarks" / "pb_server.py").string(), std::string("--app"),
                                 benchmark.file.string(), std::string("--data-dir"),
                                 data_dir->second, mode, std::string("--report-fd"),
                                 std::string("3")})
    process.argv.push_back(arg);
  if (mode == "--serve") {
    process.argv.push_back("--server");
    process.argv.push_back(server);
  }
  process.extra_env = environment;
  process.cwd = benchmark.folder;
  process.report_pipe = true;
  process.output_tail_bytes = 8192;
  return process;
}

std::string with_tail(const std::string& message, const ChildProcess& child) {
  std::string why = last_line(child.stderr_tail());
  return why.empty() ? message : message + ": " + why;
}

// Whether `pid` is a live (not zombie) member of root's process tree: a killed gunicorn worker stays a zombie
// until its master reaps it, and the master then forks a replacement under a new pid.
bool alive_in_tree(pid_t root, pid_t pid) {
  auto tree = process_tree(root);
  if (std::find(tree.begin(), tree.end(), pid) == tree.end()) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  size_t paren = line.rfind(')');
  if (paren == std::string::npos || paren + 2 >= line.size()) return false;
  char state = line[paren + 2];
  return state != 'Z' && state != 'X';
}

// The warmup split of one server's latency series (the seeds' "95% of peak", see stats::warmup_index).
struct Warmup {
  size_t requests = 0;              // samples counted as warmup
  std::optional<double> seconds;    // from the first request to the steady state; nullopt = none detected
  std::string note;
};

Warmup split_warmup(const std::vector<RequestRecord>& records, long forced) {
  std::vector<double> latencies;
  for (const auto& r : records) latencies.push_back(r.latency);
  Warmup warmup;
  size_t n = latencies.size();
  std::optional<size_t> index = stats::warmup_index(latencies);
  size_t window = std::max<size_t>(1, n / 100);
  if (!index) {
    warmup.note = "none: latency never left the steady-state band";
  } else if (n > 0 && *index >= n - window + 1) {
    // Never settled: keep the second half as "steady" so the run still has numbers, and say so.
    index = n / 2;
    warmup.note = "did not settle within the run; second half used";
  }
  warmup.requests = std::max<size_t>(index.value_or(0), static_cast<size_t>(std::max(0L, forced)));
  warmup.requests = std::min(warmup.requests, n > 0 ? n - 1 : 0);
  if (index && n > 0) warmup.seconds = records[warmup.requests].start - records[0].start;
  return warmup;
}

Metric make_metric(std::string name, std::optional<double> value, std::string unit, std::string note = {}) {
  Metric m;
  m.name = std::move(name);
  m.value = value;
  m.unit = std::move(unit);
  m.note = std::move(note);
  return m;
}

// Server memory over the run: peak, and steady state = mean after the warmup.
void add_memory_metrics(WorkerResult& result, double steady_from) {
  std::int64_t rss_peak = 0, pss_peak = 0;
  double rss_sum = 0, pss_sum = 0;
  int rss_n = 0, pss_n = 0;
  for (const auto& point : result.memory) {
    rss_peak = std::max(rss_peak, point.rss_bytes);
    if (point.pss_bytes) pss_peak = std::max(pss_peak, *point.pss_bytes);
    if (point.t < steady_from) continue;
    rss_sum += static_cast<double>(point.rss_bytes);
    ++rss_n;
    if (point.pss_bytes) {
      pss_sum += static_cast<double>(*point.pss_bytes);
      ++pss_n;
    }
  }
  auto value_or_none = [](bool has, double v) { return has ? std::optional<double>(v) : std::nullopt; };
  result.metrics.push_back(make_metric("server_rss_peak", value_or_none(rss_peak > 0, static_cast<double>(rss_peak)), "bytes"));
  result.metrics.push_back(make_metric("server_rss_steady", value_or_none(rss_n > 0, rss_sum / std::max(1, rss_n)), "bytes"));
  result.metrics.push_back(make_metric("server_pss_peak", value_or_none(pss_peak > 0, static_cast<double>(pss_peak)), "bytes",
                                       pss_peak > 0 ? "" : "smaps_rollup not readable"));
  result.metrics.push_back(make_metric("server_pss_steady", value_or_none(pss_n > 0, pss_sum / std::max(1, pss_n)), "bytes"));
}

class WebExecutor : public Executor {
 public:
  ~WebExecutor() override {
    std::error_code ec;
    for (const auto& dir : data_dirs_) fs::remove_all(dir, ec);
  }

  Environment prepare(const Benchmark& benchmark, const Interpreter& interpreter,
                      const RunOptions& options) override {
    WebWorkload workload = web_workload(benchmark);
    Environment environment = prepare_environment(benchmark, interpreter, options);
    environment["PB_WEB_DATA_DIR"] = make_data_dir(benchmark, interpreter).string();
    run_setup(benchmark, interpreter, environment, workload);
    return environment;
  }

  WorkerResult run_worker(const Benchmark& benchmark, const Interpreter& interpreter,
                          const Environment& environment, const RunOptions& options, int process_index) override {
    WorkerResult result;
    result.process_index = process_index;
    try {
      serve_and_measure(benchmark, interpreter, environment, options, result);
    } catch (const HarnessError& e) {
      result.ok = false;
      result.error = e.what();
    }
    return result;
  }

 private:
  fs::path make_data_dir(const Benchmark& benchmark, const Interpreter& interpreter) {
    std::string label;
    for (char c : interpreter.label) label += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    std::string pattern = (fs::temp_directory_path() / fmt::format("pyston-bench-{}-{}-XXXXXX", benchmark.name, label)).string();
    if (!mkdtemp(pattern.data())) throw HarnessError("cannot create a data directory like " + pattern);
    data_dirs_.push_back(pattern);
    return pattern;
  }

  void run_setup(const Benchmark& benchmark, const Interpreter& interpreter, const Environment& environment,
                 const WebWorkload& workload) {
    ServerEvents events;
    ChildProcess::Watch watch;
    watch.on_report_line = [&](const std::string& line) { on_server_line(events, line); };
    ChildProcess child(server_process(benchmark, interpreter, environment, "--setup", workload.server));
    bool finished = child.wait(std::chrono::duration<double>(workload.setup_timeout), watch);
    if (!finished) child.kill_tree();
    std::string problem;
    if (!finished) problem = fmt::format("no end after {} s (killed)", workload.setup_timeout);
    else if (!events.error.empty()) problem = events.error;
    else if (child.exit_status() != 0 || !events.done) problem = with_tail(exit_text(child.exit_status()), child);
    if (!problem.empty())
      throw HarnessError(fmt::format("setup of {} under {} failed: {}", benchmark.name, interpreter.label, problem),
                         "server stderr: " + child.stderr_tail().substr(child.stderr_tail().size() > 1500 ? child.stderr_tail().size() - 1500 : 0));
  }

  // Waits for the ready line; false (with result.error set) when the server dies or stays silent.
  bool wait_ready(ChildProcess& child, const ChildProcess::Watch& watch, const ServerEvents& events,
                  double timeout, WorkerResult& result) {
    auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout));
    while (!events.port && events.error.empty() && child.running() && Clock::now() < deadline && !interrupted())
      child.wait(std::chrono::milliseconds(20), watch);
    if (events.port && *events.port > 0) return true;
    if (interrupted()) result.error = "interrupted";
    else if (!events.error.empty()) result.error = "server failed to start: " + events.error;
    else if (!child.running()) result.error = with_tail("server exited before it was ready (" + exit_text(child.exit_status()) + ")", child);
    else result.error = fmt::format("server not ready after {} s (no ready line on the report pipe; killed)", timeout);
    return false;
  }

  void serve_and_measure(const Benchmark& benchmark, const Interpreter& interpreter, const Environment& environment,
                         const RunOptions& options, WorkerResult& result) {
    WebWorkload workload = web_workload(benchmark);
    ServerEvents events;
    ChildProcess::Watch watch;
    watch.on_report_line = [&](const std::string& line) { on_server_line(events, line); };
    watch.on_memory = [&](double t, const TreeMemory& m) { result.memory.push_back({t, m.rss_bytes, m.pss_bytes}); };
    watch.with_pss = true;
    watch.sample_every = std::chrono::milliseconds(100);
    ProcessOptions server = server_process(benchmark, interpreter, environment, "--serve", workload.server);
    apply_worker_settings(options, server);  // --affinity and the chosen environment apply to the server too
    ChildProcess child(server);
    auto finish = [&] {
      child.kill_tree(std::chrono::milliseconds(1000));
      result.exit_status = child.exit_status();
      result.wall_seconds = child.wall_seconds();
      result.cpu_seconds = child.cpu_seconds();
      result.peak_rss_bytes = child.peak_rss_bytes();
      result.stderr_tail = child.stderr_tail();
    };
    if (!wait_ready(child, watch, events, workload.ready_timeout, result)) return finish();
    double ready_at = child.wall_seconds();
    if (options.load_observer) options.load_observer->server_ready(child.pid());

    LoadOptions load_options;
    load_options.requests = options.requests > 0 ? options.requests : workload.requests;
    load_options.concurrency = std::max(1, options.concurrency);
    load_options.rate = options.rate;
    if (options.load_observer)
      load_options.before_request = [observer = options.load_observer](long seq) { observer->request_starting(seq); };
    double timeout = std::max(options.timeout_seconds, workload.timeout);
    auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout));
    std::atomic<bool> timed_out{false};
    load_options.should_stop = [&] {
      if (Clock::now() > deadline) timed_out = true;
      return timed_out || interrupted();
    };
    double cpu_before = tree_cpu_seconds(child.pid());
    CounterSession counters(options.events, process_tree(child.pid()));  // the load phase, warmup requests too
    counters.start();
    double load_offset = child.wall_seconds();
    LoadResult load;
    std::atomic<bool> load_done{false};
    std::thread driver([&] {
      try {
        load = run_load("127.0.0.1", *events.port, workload.session, workload.pages, load_options);
      } catch (const std::exception& e) {  // not only HarnessError: nothing may escape this thread
        load.error = e.what();
      }
      load_done = true;
    });
    while (!load_done) {
      if (child.wait(std::chrono::milliseconds(50), watch)) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    driver.join();
    counters.stop();
    if (options.load_observer) options.load_observer->load_finished();
    double cpu_after = child.running() ? tree_cpu_seconds(child.pid()) : NAN;
    bool worker_alive = !child.running() || events.worker_pid == 0 || alive_in_tree(child.pid(), events.worker_pid);
    // A killed worker closes its sockets before it turns into a zombie: after a failed load, give it a moment.
    for (int i = 0; i < 50 && !load.ok && worker_alive && child.running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      worker_alive = alive_in_tree(child.pid(), events.worker_pid);
    }
    child.wait(std::chrono::milliseconds(1), watch);  // a replacement worker's ready line, if any
    worker_alive = worker_alive && events.replacements == 0;
    // A whole server killed at once (its process group): the worker's death may be seen before the master's.
    // Give the master a moment to be reaped before saying which of them died.
    for (int i = 0; i < 20 && !load.ok && !worker_alive && child.running(); ++i)
      child.wait(std::chrono::milliseconds(10), watch);
    bool server_alive = child.running();
    finish();

    long expected = load_options.requests;
    std::string progress = fmt::format("after {} of {} requests", load.records.size(), expected);
    if (interrupted()) result.error = "interrupted";
    else if (!server_alive) result.error = fmt::format("server died mid-run ({}) {}: {}{}", exit_text(result.exit_status), progress, load.error, last_line(result.stderr_tail).empty() ? "" : "; stderr: " + last_line(result.stderr_tail));
    else if (!worker_alive) result.error = fmt::format("server worker process {} died mid-run {} (its master replaced it): {}", events.worker_pid, progress, load.error);
    else if (timed_out) result.error = fmt::format("timeout: {} s were not enough ({})", timeout, progress);
    else if (!load.ok) result.error = load.error;
    else if (!events.protocol_error.empty()) result.error = events.protocol_error;
    else result.ok = true;
    if (!result.ok) return;
    record(result, load, workload, load_offset, ready_at, (cpu_after - cpu_before) / static_cast<double>(load.records.size()));
    for (Metric& c : counters.metrics(static_cast<double>(load.records.size()), "request")) result.metrics.push_back(std::move(c));
  }

  void record(WorkerResult& result, const LoadResult& load, const WebWorkload& workload, double load_offset,
              double ready_at, double cpu_per_request) {
    Warmup warmup = split_warmup(load.records, workload.warmup_requests);
    std::vector<double> steady;
    for (size_t i = 0; i < load.records.size(); ++i) {
      const auto& r = load.records[i];
      bool is_warmup = i < warmup.requests;
      result.samples.push_back({"latency", static_cast<int>(r.seq), is_warmup, load_offset + r.start, r.latency});
      if (!is_warmup) steady.push_back(r.latency);
    }
    double steady_from = load_offset + (warmup.seconds.value_or(0));
    auto& m = result.metrics;
    m.push_back(make_metric("warmup_seconds", warmup.seconds, "s", warmup.note));
    m.push_back(make_metric("warmup_requests", static_cast<double>(warmup.requests), "count", warmup.note));
    m.push_back(make_metric("p999", stats::percentile(steady, 99.9), "s", "per server process, after warmup"));
    m.push_back(make_metric("server_cpu_per_request", cpu_per_request, "s"));
    m.push_back(make_metric("server_startup", ready_at, "s", "start to ready line"));
    m.push_back(make_metric("throughput", static_cast<double>(load.records.size()) / load.seconds, "requests/s"));
    m.push_back(make_metric("connections", static_cast<double>(load.connects), "count"));
    add_memory_metrics(result, steady_from);
  }

  std::vector<fs::path> data_dirs_;
};

}  // namespace

WebWorkload web_workload(const Benchmark& benchmark) {
  const nlohmann::json& j = benchmark.manifest;
  WebWorkload w;
  try {
    w.server = j.value("server", w.server);
    w.requests = j.value("requests", benchmark.size > 0 ? benchmark.size : w.requests);
    w.warmup_requests = j.value("warmup_requests", w.warmup_requests);
    w.ready_timeout = j.value("ready_timeout", w.ready_timeout);
    w.setup_timeout = j.value("setup_timeout", w.setup_timeout);
    w.timeout = j.value("timeout", w.timeout);
    for (const auto& step : j.value("session", nlohmann::json::array())) w.session.push_back(parse_page(step));
    for (const auto& page : j.value("pages", nlohmann::json::array())) w.pages.push_back(parse_page(page));
  } catch (const nlohmann::json::exception& e) {
    throw HarnessError(fmt::format("malformed web fields in the manifest of {}: {}", benchmark.name, e.what()),
                       "see \"Web workloads\" in docs/DEVELOPING.md");
  }
  if (w.pages.empty())
    throw HarnessError("web benchmark " + benchmark.name + " lists no \"pages\" in its manifest",
                       "see \"Web workloads\" in docs/DEVELOPING.md");
  return w;
}

std::unique_ptr<Executor> make_web_executor() { return std::make_unique<WebExecutor>(); }

}  // namespace harness
