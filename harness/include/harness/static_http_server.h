// harness/static_http_server.h: a trivial native HTTP/1.1 server answering every request with the same page,
// keep-alive, one thread per connection. It measures the load client's own capacity (pyston-bench-loadtest)
// and gives the client tests a real server to talk to.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <set>
#include <mutex>
#include <string>
#include <thread>

namespace harness {

class StaticHttpServer {
 public:
  explicit StaticHttpServer(std::string body, int status = 200);  // listens on 127.0.0.1, ephemeral port
  ~StaticHttpServer();
  StaticHttpServer(const StaticHttpServer&) = delete;
  StaticHttpServer& operator=(const StaticHttpServer&) = delete;

  int port() const { return port_; }
  long requests() const { return requests_; }
  // Test hooks: change the answer, or answer with Connection: close.
  void set_response(std::string body, int status);
  void set_close_connections(bool close) { close_connections_ = close; }
  // The `request`-th request (counting from 1) waits `delay` before it is answered: a stalled server.
  void set_stall(long request, std::chrono::milliseconds delay) {
    stall_delay_ms_ = delay.count();
    stall_request_ = request;
  }

 private:
  void accept_loop();
  void serve(int fd);
  std::string response(bool& close);

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> close_connections_{false};
  std::atomic<long> requests_{0};
  std::atomic<long> stall_request_{0};
  std::atomic<long> stall_delay_ms_{0};
  std::mutex mutex_;  // guards body_, status_, connection_fds_, active_
  std::condition_variable finished_;
  std::string body_;
  int status_;
  std::set<int> connection_fds_;
  int active_ = 0;  // connection threads still running (they are detached)
  std::thread acceptor_;
};

}  // namespace harness
