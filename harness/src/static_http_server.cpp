// harness/src/static_http_server.cpp: blocking sockets, one thread per connection; requests are read up to the
// blank line (GET only, bodies are not expected) and answered from a prepared string.
#include "harness/static_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fmt/format.h>

#include "harness/error.h"

namespace harness {

StaticHttpServer::StaticHttpServer(std::string body, int status) : body_(std::move(body)), status_(status) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw HarnessError(std::string("cannot create a socket: ") + std::strerror(errno));
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || listen(listen_fd_, 128) != 0 ||
      getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    int err = errno;
    ::close(listen_fd_);
    throw HarnessError(std::string("cannot listen on 127.0.0.1: ") + std::strerror(err));
  }
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

StaticHttpServer::~StaticHttpServer() {
  stopping_ = true;
  shutdown(listen_fd_, SHUT_RDWR);
  acceptor_.join();
  ::close(listen_fd_);
  std::unique_lock lock(mutex_);
  for (int fd : connection_fds_) shutdown(fd, SHUT_RDWR);
  finished_.wait(lock, [this] { return active_ == 0; });
}

void StaticHttpServer::set_response(std::string body, int status) {
  std::lock_guard lock(mutex_);
  body_ = std::move(body);
  status_ = status;
}

void StaticHttpServer::accept_loop() {
  while (!stopping_) {
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;  // shut down
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::lock_guard lock(mutex_);
    connection_fds_.insert(fd);
    ++active_;
    std::thread([this, fd] { serve(fd); }).detach();
  }
}

std::string StaticHttpServer::response(bool& close) {
  std::lock_guard lock(mutex_);
  close = close_connections_;
  return fmt::format("HTTP/1.1 {} {}\r\nContent-Type: text/html\r\nContent-Length: {}\r\n{}\r\n{}", status_,
                     status_ == 200 ? "OK" : "Error", body_.size(), close ? "Connection: close\r\n" : "", body_);
}

void StaticHttpServer::serve(int fd) {
  std::string pending;
  char buffer[16384];
  bool close = false;
  while (!close && !stopping_) {
    size_t end;
    while ((end = pending.find("\r\n\r\n")) == std::string::npos) {
      ssize_t n = recv(fd, buffer, sizeof buffer, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        close = true;
        break;
      }
      pending.append(buffer, static_cast<size_t>(n));
    }
    if (close) break;
    pending.erase(0, end + 4);
    if (++requests_ == stall_request_) std::this_thread::sleep_for(std::chrono::milliseconds(stall_delay_ms_));
    std::string answer = response(close);
    for (size_t sent = 0; sent < answer.size();) {
      ssize_t n = ::send(fd, answer.data() + sent, answer.size() - sent, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        close = true;
        break;
      }
      sent += static_cast<size_t>(n);
    }
  }
  // Closed under the lock, so the destructor never shuts down a descriptor number that was reused meanwhile.
  std::lock_guard lock(mutex_);
  connection_fds_.erase(fd);
  ::close(fd);
  --active_;
  finished_.notify_all();
}

}  // namespace harness
