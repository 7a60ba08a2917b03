// harness/web_executor.h: the executor for "web" benchmarks: a WSGI server (macrobenchmarks/pb_server.py)
// under the interpreter being tested, driven by the native load generator, its process tree measured.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "harness/benchmark.h"
#include "harness/executor.h"
#include "harness/load_generator.h"

namespace harness {

// The web fields of a manifest entry (see docs/DEVELOPING.md, "Web workloads").
struct WebWorkload {
  std::string server = "gunicorn";  // pb_server.py --server
  long requests = 1000;             // per server process (RunOptions::requests overrides)
  long warmup_requests = 0;         // always counted as warmup, whatever the detection says
  double ready_timeout = 60;        // seconds for the server to answer its first request
  double setup_timeout = 600;       // seconds for setup (migrations, seeding)
  double timeout = 600;             // seconds per server process at least (RunOptions::timeout_seconds may raise
                                    // it): a web run's length is set by its requests, not by the batch default
  std::vector<PageCheck> session;   // per connection, before the measured requests (e.g. log in)
  std::vector<PageCheck> pages;     // cycled through
};

// Throws HarnessError naming the manifest when a field is malformed.
WebWorkload web_workload(const Benchmark& benchmark);

std::unique_ptr<Executor> make_web_executor();

}  // namespace harness
