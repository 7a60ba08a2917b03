// harness/http_client.h: a small native HTTP/1.1 client for the load generator: keep-alive connections to a
// server on this machine, Content-Length and chunked bodies, a cookie jar. Failures throw HarnessError.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace harness {

struct HttpRequest {
  std::string method = "GET";
  std::string path = "/";
  std::vector<std::pair<std::string, std::string>> headers;  // added to Host, User-Agent, Content-Length
  std::string body;
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool keep_alive = true;  // false when the server closes the connection after this response
  // The first header of that name (case-insensitive), or "".
  std::string header(const std::string& name) const;
};

// The request as it goes on the wire (Host and Content-Length filled in).
std::string format_request(const HttpRequest& request, const std::string& host_header);

// FNV-1a 64: cheap enough to checksum every response body at full request rate.
std::uint64_t body_checksum(const std::string& body);

// Remembers cookies set by responses and sends them back, like a browser session (no paths, no expiry).
class CookieJar {
 public:
  void update(const HttpResponse& response);
  std::string header() const;  // "a=1; b=2", or "" when empty
  bool empty() const { return cookies_.empty(); }

 private:
  std::map<std::string, std::string> cookies_;
};

class HttpConnection {
 public:
  HttpConnection(std::string host, int port, std::chrono::milliseconds timeout = std::chrono::seconds(30));
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Sends one request and reads the whole response, (re)connecting as needed. A kept-alive connection the
  // server had already closed before answering is retried once on a fresh one; anything else throws.
  HttpResponse send(const HttpRequest& request);
  // Same, with the wire bytes prepared by format_request (the load generator formats each page once).
  HttpResponse send_raw(const std::string& wire);
  // Connects now unless connected (a load opens all its connections before the first counted request). A
  // server may close a connection opened ahead before its first request; that is retried like a kept-alive one.
  void open();

  int connects() const { return connects_; }
  int port() const { return port_; }

 private:
  void connect();
  void close();
  void write_all(const std::string& data);
  bool fill();  // reads more into buffer_; false on orderly EOF
  HttpResponse read_response();
  std::string read_line();
  std::string read_exactly(size_t n);
  std::string read_chunked();

  std::string host_;
  int port_;
  std::chrono::milliseconds timeout_;
  int fd_ = -1;
  int connects_ = 0;
  int responses_on_connection_ = 0;
  bool opened_ahead_ = false;  // connected by open() and idle since
  // Whether a close or reset before any byte of the response means only that the server dropped an idle
  // connection (retried once), not that it failed on this request.
  bool may_be_stale() const { return responses_on_connection_ > 0 || opened_ahead_; }
  std::string buffer_;
  size_t offset_ = 0;  // parse position in buffer_
};

}  // namespace harness
