// harness/load_generator.h: drives a web server with requests for a list of pages and records every request's
// latency. Closed loop (the next request goes when the previous answered) by default, optionally over several
// connections; open loop at a fixed rate, with latency measured from each request's intended send time so a
// stalled server cannot hide its stall (coordinated omission). Every response is checked.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness/http_client.h"

namespace harness {

// One page of a workload and what its response must look like.
struct PageCheck {
  std::string name;        // for messages: the path, usually
  HttpRequest request;
  int status = 200;
  std::string marker;      // must occur in the body ("" = no check)
  bool stable = false;     // the body must be byte-identical (checksum) every time
};

// The error for a response that is not the page, or "" when it is. `stable_checksum` holds the checksum the
// page had the first time (0 = not seen yet) and is set here.
std::string check_response(const PageCheck& page, const HttpResponse& response,
                           std::atomic<std::uint64_t>& stable_checksum);

struct LoadOptions {
  long requests = 1000;
  int concurrency = 1;           // connections, each closed-loop (or sharing the open-loop schedule)
  double rate = 0;               // > 0: open loop at this many requests per second
  std::chrono::milliseconds request_timeout{30000};
  std::function<bool()> should_stop;  // polled between requests (deadline, Ctrl-C, server died)
  std::function<void(long seq)> before_request;  // called (from a connection thread) as request seq starts
};

struct RequestRecord {
  long seq = 0;
  int page = 0;
  double start = 0;    // seconds since the load began: intended send time (open loop) or actual send time
  double latency = 0;  // seconds from `start` to the last byte of the response
};

struct LoadResult {
  bool ok = false;
  std::string error;               // the first failure: which request, which page, what was wrong
  std::vector<RequestRecord> records;  // completed, checked requests, ordered by seq
  double seconds = 0;              // wall time of the whole load
  long connects = 0;
  std::chrono::steady_clock::time_point began;
};

// Runs `session` once per connection first (e.g. a login; checked, not recorded), then `options.requests`
// requests cycling through `pages`.
LoadResult run_load(const std::string& host, int port, const std::vector<PageCheck>& session,
                    const std::vector<PageCheck>& pages, const LoadOptions& options);

}  // namespace harness
