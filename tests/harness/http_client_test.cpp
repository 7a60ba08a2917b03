// Tests the native HTTP client (harness/src/http_client.cpp) over real sockets: keep-alive, servers that close
// connections, chunked bodies, cookies, and servers that refuse or never answer.
#include "harness/http_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "harness/error.h"
#include "harness/static_http_server.h"

namespace harness {
namespace {

// A server for one connection that answers each request with the next canned reply (raw bytes), or stays
// silent when the reply is empty.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::vector<std::string> replies) : replies_(std::move(replies)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    listen(fd_, 4);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~ScriptedServer() {
    shutdown(fd_, SHUT_RDWR);
    if (client_ >= 0) shutdown(client_, SHUT_RDWR);
    thread_.join();
    close(fd_);
  }
  int port() const { return port_; }

 private:
  void serve() {
    client_ = accept(fd_, nullptr, nullptr);
    if (client_ < 0) return;
    std::string pending;
    char buffer[4096];
    for (const auto& reply : replies_) {
      while (pending.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = recv(client_, buffer, sizeof buffer, 0);
        if (n <= 0) return;
        pending.append(buffer, static_cast<size_t>(n));
      }
      pending.erase(0, pending.find("\r\n\r\n") + 4);
      if (reply.empty()) {
        recv(client_, buffer, sizeof buffer, 0);  // silent until the test shuts us down
        return;
      }
      send(client_, reply.data(), reply.size(), MSG_NOSIGNAL);
    }
    close(client_);
  }

  std::vector<std::string> replies_;
  int fd_ = -1, client_ = -1, port_ = 0;
  std::thread thread_;
};

HttpRequest get(const std::string& path) {
  HttpRequest r;
  r.path = path;
  return r;
}

TEST(HttpClientTest, KeepsOneConnectionAliveForManyRequests) {
  StaticHttpServer server("<p>static page</p>");
  HttpConnection connection("127.0.0.1", server.port());
  for (int i = 0; i < 100; ++i) {
    HttpResponse response = connection.send(get("/"));
    ASSERT_EQ(response.status, 200);
    ASSERT_EQ(response.body, "<p>static page</p>");
  }
  EXPECT_EQ(connection.connects(), 1);
  EXPECT_EQ(server.requests(), 100);
}

TEST(HttpClientTest, ReconnectsWhenTheServerClosesAfterEachResponse) {
  StaticHttpServer server("closing");
  server.set_close_connections(true);
  HttpConnection connection("127.0.0.1", server.port());
  for (int i = 0; i < 20; ++i) {
    HttpResponse response = connection.send(get("/"));
    ASSERT_EQ(response.status, 200);
    EXPECT_FALSE(response.keep_alive);
  }
  EXPECT_EQ(connection.connects(), 20);
}

TEST(HttpClientTest, ReadsChunkedBodiesAndHeaders) {
  ScriptedServer server({"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\nX-Thing: a b \r\n\r\n"
                         "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n"});
  HttpConnection connection("127.0.0.1", server.port());
  HttpResponse response = connection.send(get("/chunked"));
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, "hello, world");
  EXPECT_EQ(response.header("x-thing"), "a b");
}

TEST(HttpClientTest, TruncatedBodyIsAnError) {
  ScriptedServer server({"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a little"});
  HttpConnection connection("127.0.0.1", server.port());
  try {
    connection.send(get("/"));
    FAIL() << "a truncated body was accepted";
  } catch (const HarnessError& e) {
    EXPECT_NE(std::string(e.what()).find("in the middle of a body"), std::string::npos) << e.what();
  }
}

TEST(HttpClientTest, RefusedConnectionIsAnError) {
  int port;
  {
    StaticHttpServer server("gone");
    port = server.port();
  }
  HttpConnection connection("127.0.0.1", port);
  try {
    connection.send(get("/"));
    FAIL() << "connected to a closed port";
  } catch (const HarnessError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot connect"), std::string::npos) << e.what();
  }
}

TEST(HttpClientTest, SilentServerTimesOut) {
  ScriptedServer server({""});
  HttpConnection connection("127.0.0.1", server.port(), std::chrono::milliseconds(300));
  auto start = std::chrono::steady_clock::now();
  try {
    connection.send(get("/"));
    FAIL() << "a silent server answered";
  } catch (const HarnessError& e) {
    EXPECT_NE(std::string(e.what()).find("no response"), std::string::npos) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(HttpClientTest, CookieJarKeepsAndExpiresCookies) {
  CookieJar jar;
  HttpResponse login;
  login.headers = {{"Set-Cookie", "session=abc123; Path=/; HttpOnly"}, {"set-cookie", "theme=dark"}};
  jar.update(login);
  EXPECT_EQ(jar.header(), "session=abc123; theme=dark");
  HttpResponse logout;
  logout.headers = {{"Set-Cookie", "session=; Max-Age=0; Path=/"}};
  jar.update(logout);
  EXPECT_EQ(jar.header(), "theme=dark");
}

TEST(HttpClientTest, FormatsPostsWithContentLength) {
  HttpRequest post;
  post.method = "POST";
  post.path = "/login";
  post.body = "user=a";
  post.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  std::string wire = format_request(post, "127.0.0.1:80");
  EXPECT_EQ(wire.rfind("POST /login HTTP/1.1\r\nHost: 127.0.0.1:80\r\n", 0), 0u) << wire;
  EXPECT_NE(wire.find("Content-Length: 6\r\n"), std::string::npos);
  EXPECT_TRUE(wire.ends_with("\r\n\r\nuser=a"));
}

}  // namespace
}  // namespace harness
