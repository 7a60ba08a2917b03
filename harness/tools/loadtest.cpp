// pyston-bench-loadtest: shows that the native load client is not the bottleneck: its request rate against a
// trivial native server vs the rate of the fastest Python server here (macrobenchmarks/pb_hello.py under
// gunicorn, per interpreter). Exit status 0 when the client is at least --min-ratio times faster, 1 otherwise,
// 2 on errors.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <time.h>

#include <algorithm>
#include <iostream>

#include "harness/error.h"
#include "harness/interpreter.h"
#include "harness/load_generator.h"
#include "harness/process.h"
#include "harness/static_http_server.h"
#include "harness/web_executor.h"

namespace {

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct NativeRate {
  double rate = 0;                     // requests/s end to end, client and server sharing this machine
  double client_cpu_per_request = 0;  // the client's own CPU (its thread), when it ran on one connection
};

NativeRate native_rate(long requests, int concurrency) {
  harness::StaticHttpServer server(std::string(1024, 'x') + "<p>pyston-bench static</p>");
  harness::PageCheck page;
  page.name = "/";
  page.marker = "pyston-bench static";
  page.stable = true;
  harness::LoadOptions options;
  options.requests = requests;
  options.concurrency = concurrency;
  double cpu_before = thread_cpu_seconds();  // with one connection the load runs on this thread
  auto load = harness::run_load("127.0.0.1", server.port(), {}, {page}, options);
  double cpu = thread_cpu_seconds() - cpu_before;
  if (!load.ok) throw harness::HarnessError("load against the native server failed: " + load.error);
  double n = static_cast<double>(load.records.size());
  return {n / load.seconds, concurrency == 1 ? cpu / n : 0};
}

double python_rate(const std::string& spec, long requests) {
  harness::Interpreter interpreter = harness::probe_interpreter(harness::parse_interpreter_spec(spec));
  harness::Benchmark hello;
  hello.name = "pb_hello";
  hello.suite = "loadtest";
  hello.kind = "web";
  hello.folder = harness::project_root() / "macrobenchmarks";
  hello.file = hello.folder / "pb_hello.py";
  hello.packages = {"python3-gunicorn"};
  hello.manifest = {{"requests", requests},
                    {"imports", {"gunicorn.app.base"}},
                    {"pages", {{{"path", "/"}, {"marker", "Hello from pyston-bench"}, {"stable", true}}}}};
  auto executor = harness::make_web_executor();
  harness::RunOptions options;
  options.timeout_seconds = 600;
  auto environment = executor->prepare(hello, interpreter, options);
  auto worker = executor->run_worker(hello, interpreter, environment, options, 0);
  if (!worker.ok) throw harness::HarnessError("pb_hello under " + spec + " failed: " + worker.error);
  // Rate over the steady part: requests per second of server latency after warmup.
  double total = 0;
  long n = 0;
  for (const auto& s : worker.samples)
    if (!s.warmup) {
      total += s.value;
      ++n;
    }
  return static_cast<double>(n) / total;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Measure the native load client's capacity against the fastest Python server"};
  long requests = 200000, python_requests = 5000;
  int concurrency = 1;
  double min_ratio = 20;
  std::vector<std::string> interpreters;
  app.add_option("--requests", requests, "requests against the native static server")->capture_default_str();
  app.add_option("--concurrency", concurrency, "client connections for the native run")->capture_default_str();
  app.add_option("--python-requests", python_requests, "requests per Python server")->capture_default_str();
  app.add_option("--min-ratio", min_ratio, "required client rate / fastest Python rate")->capture_default_str();
  app.add_option("interpreters", interpreters, "interpreters to serve pb_hello.py (e.g. python3.11 pypy3)");
  CLI11_PARSE(app, argc, argv);
  harness::install_interrupt_handler();
  try {
    NativeRate native = native_rate(requests, concurrency);
    std::cout << fmt::format("native client vs native static server: {:.0f} requests/s end to end ({} requests, "
                             "{} connection(s), keep-alive; client and server share this machine's cores)\n",
                             native.rate, requests, concurrency);
    // The client's capacity is what its own thread can do: the end-to-end rate also pays for the server and
    // for the kernel's loopback on both sides, on the same cores.
    double client = native.rate;
    if (native.client_cpu_per_request > 0) {
      client = std::max(client, 1 / native.client_cpu_per_request);
      std::cout << fmt::format("client CPU per request: {:.2f} us -> client capacity {:.0f} requests/s per core\n",
                               native.client_cpu_per_request * 1e6, 1 / native.client_cpu_per_request);
    }
    double fastest = 0;
    std::string fastest_name;
    for (const auto& spec : interpreters) {
      double rate = python_rate(spec, python_requests);
      std::cout << fmt::format("pb_hello.py on gunicorn (sync worker) under {}: {:.0f} requests/s\n", spec, rate);
      if (rate > fastest) {
        fastest = rate;
        fastest_name = spec;
      }
    }
    if (fastest <= 0) return 0;
    double ratio = client / fastest;
    std::cout << fmt::format("client capacity / fastest Python server ({}): {:.1f}x (required: {:.0f}x) -> {}\n",
                             fastest_name, ratio, min_ratio, ratio >= min_ratio ? "OK" : "TOO SLOW");
    return ratio >= min_ratio ? 0 : 1;
  } catch (const harness::HarnessError& e) {
    std::cerr << "error: " << e.what() << "\n";
    if (!e.hint().empty()) std::cerr << "hint: " << e.hint() << "\n";
    return 2;
  }
}
