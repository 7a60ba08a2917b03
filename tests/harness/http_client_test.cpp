// Tests the native HTTP client (harness/src/http_client.cpp) over real sockets: keep-alive, servers that close
// connections, chunked bodies, cookies, and servers that refuse or never answer.
#include "harness/http_client.h"

#include <gtest/gtest.h>

#include "harness/error.h"
#include "harness/static_http_server.h"
#include "scripted_server.h"

namespace harness {
namespace {

using testing::ScriptedServer;

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

// The HarnessError that sending one request to a server answering with `reply` throws, or "" if none.
std::string error_for_reply(const std::string& reply) {
  ScriptedServer server({reply});
  HttpConnection connection("127.0.0.1", server.port());
  try {
    connection.send(get("/"));
  } catch (const HarnessError& e) {
    return e.what();
  }
  return "";
}

// std::stoul took "12abc" as 12 and "-1" as 2^64-1, and threw std::invalid_argument (not a HarnessError) on
// "abc", which aborted a load thread.
TEST(HttpClientTest, MalformedContentLengthIsAnErrorNamingTheHeader) {
  for (std::string value : {"abc", "-1", "+5", "99999999999999999999999", "12abc", "1 2", "0x5", ""}) {
    std::string error = error_for_reply("HTTP/1.1 200 OK\r\nContent-Length: " + value + "\r\n\r\nhello");
    EXPECT_NE(error.find("malformed Content-Length '" + value + "'"), std::string::npos)
        << value << ": " << error;
  }
  std::string error =
      error_for_reply("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!");
  EXPECT_NE(error.find("conflicting Content-Length"), std::string::npos) << error;
}

TEST(HttpClientTest, WellFormedContentLengthsAreAccepted) {
  ScriptedServer server({"HTTP/1.1 200 OK\r\nContent-Length:  5 \r\n\r\nhello",
                         "HTTP/1.1 200 OK\r\ncontent-length: 3\r\nContent-Length: 3\r\n\r\nabc",
                         "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"});
  HttpConnection connection("127.0.0.1", server.port());
  EXPECT_EQ(connection.send(get("/")).body, "hello");
  EXPECT_EQ(connection.send(get("/")).body, "abc");
  EXPECT_EQ(connection.send(get("/")).body, "");
  EXPECT_EQ(connection.connects(), 1);
}

TEST(HttpClientTest, MalformedChunkSizeIsAnError) {
  for (std::string size : {"-5", "0x5", "5zz", "g", ""}) {
    std::string error = error_for_reply("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + size +
                                        "\r\nhello\r\n0\r\n\r\n");
    EXPECT_NE(error.find("bad chunk size"), std::string::npos) << size << ": " << error;
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
