// harness/src/load_generator.cpp: one thread per connection, a shared request counter, and for open loop a
// shared schedule of intended send times; records are merged by sequence number at the end.
#include "harness/load_generator.h"

#include <algorithm>
#include <barrier>
#include <fmt/format.h>
#include <mutex>
#include <thread>

#include "harness/error.h"

namespace harness {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

std::string excerpt(const std::string& body) {
  std::string text = body.substr(0, 200);
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text + (body.size() > 200 ? "..." : "");
}

struct SharedLoad;

// Runs once all connections are open and their sessions done: the load's clock (and the open-loop schedule)
// starts there, so connecting is not charged to the first requests.
struct StartTheClock {
  SharedLoad* load;
  void operator()() noexcept;
};

// State shared by the connection threads of one load.
struct SharedLoad {
  const std::vector<PageCheck>& session;
  const std::vector<PageCheck>& pages;
  const LoadOptions& options;
  std::string host;
  int port;
  Clock::time_point began;
  std::vector<std::string> wires;  // each page's request, formatted once
  std::vector<std::atomic<std::uint64_t>> checksums;
  std::atomic<long> next_seq{0};
  std::atomic<bool> failed{false};
  std::atomic<long> connects{0};
  std::mutex mutex;  // guards error and records
  std::string error;
  std::vector<RequestRecord> records;
  std::barrier<StartTheClock> start;  // every connection open before the first counted request, as wrk does

  SharedLoad(const std::vector<PageCheck>& s, const std::vector<PageCheck>& p, const LoadOptions& o,
             int connections)
      : session(s), pages(p), options(o), checksums(p.size()), start(connections, StartTheClock{this}) {}

  void fail(const std::string& message) {
    std::lock_guard lock(mutex);
    if (error.empty()) error = message;
    failed = true;
  }
};

void StartTheClock::operator()() noexcept { load->began = Clock::now(); }

HttpRequest with_cookies(HttpRequest request, const CookieJar& jar) {
  if (!jar.empty()) request.headers.emplace_back("Cookie", jar.header());
  return request;
}

// The session steps (e.g. log in) of one connection: checked, not timed.
bool run_session(SharedLoad& load, HttpConnection& connection, CookieJar& jar) {
  for (const auto& step : load.session) {
    HttpResponse response = connection.send(with_cookies(step.request, jar));
    std::atomic<std::uint64_t> unused{0};
    std::string problem = check_response(step, response, unused);
    if (!problem.empty()) {
      load.fail("session step " + step.name + ": " + problem);
      return false;
    }
    jar.update(response);
  }
  return true;
}

std::string failure_at(const SharedLoad& load, long seq, const std::string& what) {
  if (seq < 0) return "session: " + what;
  return fmt::format("request {} ({}) failed: {}", seq,
                     load.pages[static_cast<size_t>(seq) % load.pages.size()].name, what);
}

void connection_loop(SharedLoad& load) {
  HttpConnection connection(load.host, load.port, load.options.request_timeout);
  CookieJar jar;
  std::vector<RequestRecord> mine;
  const std::string host_header = load.host + ":" + std::to_string(load.port);
  long seq = -1;
  bool started = false;
  try {
    bool ready = run_session(load, connection, jar);
    if (ready) connection.open();
    started = true;
    load.start.arrive_and_wait();
    if (!ready) return;
    std::vector<std::string> wires = load.wires;
    if (!jar.empty())  // the session's cookies go with every page
      for (size_t i = 0; i < wires.size(); ++i)
        wires[i] = format_request(with_cookies(load.pages[i].request, jar), host_header);
    for (;;) {
      if (load.failed || (load.options.should_stop && load.options.should_stop())) break;
      seq = load.next_seq.fetch_add(1);
      if (seq >= load.options.requests) break;
      if (load.options.before_request) load.options.before_request(seq);
      int page = static_cast<int>(seq % static_cast<long>(load.pages.size()));
      Clock::time_point start = Clock::now();
      if (load.options.rate > 0) {
        start = load.began + std::chrono::duration_cast<Clock::duration>(
                                 std::chrono::duration<double>(static_cast<double>(seq) / load.options.rate));
        std::this_thread::sleep_until(start);
      }
      HttpResponse response = connection.send_raw(wires[page]);
      Clock::time_point end = Clock::now();
      std::string problem = check_response(load.pages[page], response, load.checksums[page]);
      if (!problem.empty()) {
        load.fail(fmt::format("request {} ({}): {}", seq, load.pages[page].name, problem));
        break;
      }
      mine.push_back({seq, page, seconds_between(load.began, start), seconds_between(start, end)});
    }
  } catch (const std::exception& e) {
    // Whatever the cause (a malformed response, a failing should_stop, memory), it is this load's recorded
    // failure: an exception escaping a connection thread would call std::terminate and lose the whole run.
    load.fail(failure_at(load, seq, e.what()));
    if (!started) load.start.arrive_and_drop();  // recorded first: the others see it when they start
  } catch (...) {
    load.fail(failure_at(load, seq, "unknown exception"));
    if (!started) load.start.arrive_and_drop();
  }
  load.connects += connection.connects();
  std::lock_guard lock(load.mutex);
  load.records.insert(load.records.end(), mine.begin(), mine.end());
}

}  // namespace

std::string check_response(const PageCheck& page, const HttpResponse& response,
                           std::atomic<std::uint64_t>& stable_checksum) {
  if (response.status != page.status)
    return fmt::format("status {} instead of {} (body: {})", response.status, page.status, excerpt(response.body));
  if (!page.marker.empty() && response.body.find(page.marker) == std::string::npos)
    return fmt::format("the body ({} bytes) lacks the marker '{}' (body: {})", response.body.size(), page.marker,
                       excerpt(response.body));
  if (page.stable) {
    std::uint64_t sum = body_checksum(response.body);
    std::uint64_t expected = 0;
    if (!stable_checksum.compare_exchange_strong(expected, sum) && expected != sum)
      return fmt::format("the body changed (checksum {:016x} instead of {:016x}, {} bytes)", sum, expected,
                         response.body.size());
  }
  return {};
}

LoadResult run_load(const std::string& host, int port, const std::vector<PageCheck>& session,
                    const std::vector<PageCheck>& pages, const LoadOptions& options) {
  if (pages.empty()) throw HarnessError("a web benchmark needs at least one page");
  int connections = std::max(1, options.concurrency);
  SharedLoad load(session, pages, options, connections);
  load.host = host;
  load.port = port;
  for (const auto& page : pages) load.wires.push_back(format_request(page.request, host + ":" + std::to_string(port)));
  load.records.reserve(static_cast<size_t>(std::max(0L, options.requests)));
  load.began = Clock::now();  // until the connections are open (a load that fails before)
  std::vector<std::thread> threads;
  for (int i = 1; i < connections; ++i) threads.emplace_back([&load] { connection_loop(load); });
  connection_loop(load);
  for (auto& t : threads) t.join();

  LoadResult result;
  result.began = load.began;
  result.seconds = seconds_between(load.began, Clock::now());
  result.connects = load.connects;
  result.records = std::move(load.records);
  std::sort(result.records.begin(), result.records.end(),
            [](const RequestRecord& a, const RequestRecord& b) { return a.seq < b.seq; });
  result.error = load.error;
  if (result.error.empty() && static_cast<long>(result.records.size()) < options.requests)
    result.error = fmt::format("stopped after {} of {} requests", result.records.size(), options.requests);
  result.ok = result.error.empty();
  return result;
}

}  // namespace harness
