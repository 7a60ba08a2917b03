// tests/harness/scripted_server.h: a loopback server that answers each request on a connection with the next
// canned reply (raw bytes, so a test can send what no real server should), for the HTTP client and load
// tests.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

namespace harness::testing {

// Every connection gets the same script: after the last reply the server closes it; an empty reply means
// "stay silent until the server is destroyed".
class ScriptedServer {
 public:
  explicit ScriptedServer(std::vector<std::string> replies) : replies_(std::move(replies)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    listen(fd_, 16);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~ScriptedServer() {
    shutdown(fd_, SHUT_RDWR);
    acceptor_.join();  // no new connections from here on
    for (int client : clients_) shutdown(client, SHUT_RDWR);
    for (auto& t : connections_) t.join();
    for (int client : clients_) close(client);
    close(fd_);
  }
  int port() const { return port_; }

 private:
  void accept_loop() {
    for (;;) {
      int client = accept(fd_, nullptr, nullptr);
      if (client < 0) return;  // shut down
      clients_.push_back(client);
      connections_.emplace_back([this, client] { serve(client); });
    }
  }

  void serve(int client) {
    std::string pending;
    char buffer[4096];
    for (const auto& reply : replies_) {
      while (pending.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = recv(client, buffer, sizeof buffer, 0);
        if (n <= 0) return;
        pending.append(buffer, static_cast<size_t>(n));
      }
      pending.erase(0, pending.find("\r\n\r\n") + 4);
      if (reply.empty()) {
        recv(client, buffer, sizeof buffer, 0);  // silent until the destructor shuts us down
        return;
      }
      send(client, reply.data(), reply.size(), MSG_NOSIGNAL);
    }
    shutdown(client, SHUT_RDWR);  // closed by the destructor, so the fd cannot be reused under it
  }

  std::vector<std::string> replies_;
  int fd_ = -1, port_ = 0;
  std::thread acceptor_;
  std::vector<int> clients_;              // touched by the acceptor only, then by the destructor after join
  std::vector<std::thread> connections_;  // likewise
};

}  // namespace harness::testing
