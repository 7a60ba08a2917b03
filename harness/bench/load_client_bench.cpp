// pyston-bench-client-bench: what the native load client costs per request, so a web benchmark's figures can be
// told apart from the client's own overhead: a keep-alive round trip against an in-process server on loopback,
// the client with the server's latency taken out (responses already waiting), the response check alone, and
// the whole load generator (run_load) per request.
#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>
#include <thread>

#include "harness/error.h"
#include "harness/http_client.h"
#include "harness/load_generator.h"
#include "harness/static_http_server.h"

namespace {

// Google Benchmark 1.7 still exits 0 after SkipWithError; main returns 1 when any benchmark failed, so ctest
// (and anyone scripting these) sees the failure.
bool g_failed = false;

void fail(benchmark::State& state, const std::string& why) {
  g_failed = true;
  state.SkipWithError(why.c_str());
}

const char* const kMarker = "pyston-bench static";

std::string page_body(std::int64_t bytes) {
  std::string body = std::string("<p>") + kMarker + "</p>";
  if (static_cast<std::int64_t>(body.size()) < bytes) body.append(static_cast<size_t>(bytes) - body.size(), 'x');
  return body;
}

std::string response_wire(const std::string& body) {
  return "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

harness::PageCheck checked_page() {
  harness::PageCheck page;
  page.name = "/";
  page.marker = kMarker;
  page.stable = true;
  return page;
}

const std::string& request_wire() {
  static const std::string wire = harness::format_request(harness::HttpRequest{}, "127.0.0.1");
  return wire;
}

// Answers one connection in batches: when the first request of a batch arrives it sends the responses to the
// whole batch at once, so the client then reads and parses them without waiting for the server. The next batch
// goes only once the client asks for it, so the client's buffer is always empty between batches, as it is in
// an ordinary request-response exchange. Close the client before destroying the server.
class BatchingServer {
 public:
  BatchingServer(const std::string& response, size_t batch) : batch_(batch) {
    for (size_t i = 0; i < batch; ++i) blob_ += response;
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listen_fd_ < 0 || bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        listen(listen_fd_, 1) != 0 || getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0)
      throw harness::HarnessError(std::string("cannot listen on 127.0.0.1: ") + std::strerror(errno));
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~BatchingServer() {
    shutdown(listen_fd_, SHUT_RDWR);  // wakes accept() if the client never connected
    thread_.join();
    ::close(listen_fd_);
  }
  BatchingServer(const BatchingServer&) = delete;
  BatchingServer& operator=(const BatchingServer&) = delete;
  int port() const { return port_; }

 private:
  void serve() {
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return;
    int one = 1;  // a batch's last segment must not wait for the client's (delayed) ACK of the previous ones
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::string tail;  // the end of the previous read, for a request terminator split across two reads
    size_t requests = 0;
    char buffer[16384];
    for (ssize_t n; (n = recv(fd, buffer, sizeof buffer, 0)) > 0;) {
      std::string text = tail + std::string(buffer, static_cast<size_t>(n));
      for (size_t at = 0; (at = text.find("\r\n\r\n", at)) != std::string::npos; at += 4)
        if (requests++ % batch_ == 0 && !send_all(fd, blob_)) break;
      tail = text.substr(text.size() > 3 ? text.size() - 3 : 0);
    }
    ::close(fd);
  }
  static bool send_all(int fd, const std::string& data) {
    for (size_t sent = 0; sent < data.size();) {
      ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }

  size_t batch_;
  std::string blob_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

bool expected_response(benchmark::State& state, const harness::HttpResponse& response, size_t body_size) {
  if (response.status == 200 && response.body.size() == body_size) return true;
  fail(state, "unexpected response: status " + std::to_string(response.status) + ", " +
                  std::to_string(response.body.size()) + " body bytes instead of " + std::to_string(body_size));
  return false;
}

// Sends the request once per iteration on one keep-alive connection to `port`, checking each response; returns
// how many connections that took. A client error fails the benchmark.
int request_loop(benchmark::State& state, int port, size_t body_size) {
  try {
    harness::HttpConnection connection("127.0.0.1", port);
    for (auto _ : state)
      if (!expected_response(state, connection.send_raw(request_wire()), body_size)) break;
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(body_size));
    return connection.connects();
  } catch (const harness::HarnessError& e) {
    fail(state, e.what());
    return 0;
  }
}

// One keep-alive connection, one request at a time: requests/s end to end, with client and server sharing this
// machine. The CPU column is the client thread's own CPU per request.
void BM_RoundTrip(benchmark::State& state) {
  std::string body = page_body(state.range(0));
  harness::StaticHttpServer server(body);
  if (request_loop(state, server.port(), body.size()) != 1 && !state.error_occurred())
    fail(state, "the connection was not kept alive");
}
BENCHMARK(BM_RoundTrip)->Arg(64)->Arg(1024)->Arg(16384)->UseRealTime();

// The client's own work per request with the server's latency taken out: sending the request, reading
// responses that are already waiting (one recv per batch of about 60 KiB) and parsing them.
void BM_ResponsesWaiting(benchmark::State& state) {
  std::string body = page_body(state.range(0));
  std::string response = response_wire(body);
  BatchingServer server(response, std::max<size_t>(1, 60 * 1024 / response.size()));
  request_loop(state, server.port(), body.size());
}
BENCHMARK(BM_ResponsesWaiting)->Arg(64)->Arg(1024)->Arg(16384)->UseRealTime();

// The load generator's check of every response (status, marker, checksum of a stable page), without I/O.
void BM_CheckResponse(benchmark::State& state) {
  harness::HttpResponse response;
  response.status = 200;
  response.headers = {{"Content-Type", "text/html"}, {"Content-Length", std::to_string(state.range(0))}};
  response.body = page_body(state.range(0));
  harness::PageCheck page = checked_page();
  std::atomic<std::uint64_t> checksum{0};
  for (auto _ : state) {
    std::string problem = harness::check_response(page, response, checksum);
    if (!problem.empty()) return fail(state, "check_response: " + problem);
    benchmark::DoNotOptimize(problem);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_CheckResponse)->Arg(64)->Arg(1024)->Arg(16384);

// The whole load generator as a web benchmark runs it (one connection, closed loop, checked and recorded):
// each iteration is one run_load of range(0) requests; items/s is requests/s.
void BM_RunLoad(benchmark::State& state) {
  harness::StaticHttpServer server(page_body(1024));
  harness::LoadOptions options;
  options.requests = state.range(0);
  for (auto _ : state) {
    harness::LoadResult load = harness::run_load("127.0.0.1", server.port(), {}, {checked_page()}, options);
    if (!load.ok) return fail(state, "run_load: " + load.error);
    if (static_cast<std::int64_t>(load.records.size()) != state.range(0))
      return fail(state, "run_load recorded " + std::to_string(load.records.size()) + " requests");
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_RunLoad)->Arg(2000)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return g_failed ? 1 : 0;
}
