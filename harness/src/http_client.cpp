// harness/src/http_client.cpp: HTTP/1.1 over blocking TCP sockets with receive timeouts; just what the load
// generator needs to talk to a WSGI server on 127.0.0.1, parsed strictly so a broken server cannot look fast.
#include "harness/http_client.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>

#include "harness/error.h"

namespace harness {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// A body or chunk size exactly as the protocol writes it: digits of `base` only, no sign, no prefix, no
// trailing text, no overflow; nullopt otherwise.
std::optional<size_t> parse_size(const std::string& text, int base) {
  size_t value = 0;
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, value, base);
  if (text.empty() || error != std::errc() || stop != end) return std::nullopt;
  return value;
}

// The body length a response declares, nullopt when it has no Content-Length. A value that is not a byte
// count, or headers that disagree, make the response malformed: its body cannot be delimited, so it is not
// timed.
std::optional<size_t> declared_length(const HttpResponse& response) {
  std::optional<size_t> length;
  for (const auto& [name, value] : response.headers) {
    if (lower(name) != "content-length") continue;
    std::optional<size_t> parsed = parse_size(value, 10);
    if (!parsed)
      throw HarnessError(
          "malformed Content-Length '" + value.substr(0, 40) + "' in the response (not a byte count)",
          "the server under test sent a broken response; see its stderr");
    if (length && *length != *parsed)
      throw HarnessError(
          fmt::format("conflicting Content-Length headers in the response ({} and {})", *length, *parsed),
          "the server under test sent a broken response; see its stderr");
    length = parsed;
  }
  return length;
}

// Thrown when a reused keep-alive connection turns out closed before any byte of the response arrived.
struct StaleConnection {};

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
  std::string wanted = lower(name);
  for (const auto& [k, v] : headers)
    if (lower(k) == wanted) return v;
  return {};
}

std::string format_request(const HttpRequest& request, const std::string& host_header) {
  std::string wire = request.method + " " + request.path + " HTTP/1.1\r\nHost: " + host_header +
                     "\r\nUser-Agent: pyston-bench\r\nAccept: */*\r\n";
  for (const auto& [k, v] : request.headers) wire += k + ": " + v + "\r\n";
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT")
    wire += "Content-Length: " + std::to_string(request.body.size()) + "\r\n";
  wire += "\r\n";
  wire += request.body;
  return wire;
}

std::uint64_t body_checksum(const std::string& body) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : body) h = (h ^ c) * 1099511628211ULL;
  return h;
}

void CookieJar::update(const HttpResponse& response) {
  for (const auto& [k, v] : response.headers) {
    if (lower(k) != "set-cookie") continue;
    std::string pair = v.substr(0, v.find(';'));
    size_t eq = pair.find('=');
    if (eq == std::string::npos) continue;
    std::string name = trim(pair.substr(0, eq)), value = trim(pair.substr(eq + 1));
    bool expired = lower(v).find("max-age=0") != std::string::npos || value.empty() || value == "\"\"";
    if (expired) cookies_.erase(name);
    else cookies_[name] = value;
  }
}

std::string CookieJar::header() const {
  std::string out;
  for (const auto& [k, v] : cookies_) out += (out.empty() ? "" : "; ") + k + "=" + v;
  return out;
}

HttpConnection::HttpConnection(std::string host, int port, std::chrono::milliseconds timeout)
    : host_(std::move(host)), port_(port), timeout_(timeout) {}

HttpConnection::~HttpConnection() { close(); }

void HttpConnection::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  buffer_.clear();
  offset_ = 0;
  responses_on_connection_ = 0;
  opened_ahead_ = false;
}

void HttpConnection::open() {
  if (fd_ >= 0) return;
  connect();
  opened_ahead_ = true;
}

void HttpConnection::connect() {
  close();
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw HarnessError(std::string("cannot create a socket: ") + std::strerror(errno));
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  timeval limit{};
  limit.tv_sec = static_cast<time_t>(timeout_.count() / 1000);
  limit.tv_usec = static_cast<suseconds_t>((timeout_.count() % 1000) * 1000);
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port_));
  if (inet_pton(AF_INET, host_.c_str(), &address.sin_addr) != 1)
    throw HarnessError("not an IPv4 address: " + host_);
  while (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    if (errno == EINTR) continue;
    int err = errno;
    close();
    throw HarnessError(fmt::format("cannot connect to {}:{}: {}", host_, port_, std::strerror(err)));
  }
  ++connects_;
}

void HttpConnection::write_all(const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      if (may_be_stale() && (errno == EPIPE || errno == ECONNRESET)) throw StaleConnection{};
      throw HarnessError(fmt::format("sending to {}:{} failed: {}", host_, port_, std::strerror(errno)));
    }
    sent += static_cast<size_t>(n);
  }
}

bool HttpConnection::fill() {
  if (offset_ > 0 && offset_ == buffer_.size()) {
    buffer_.clear();
    offset_ = 0;
  }
  char chunk[65536];
  for (;;) {
    // A blocking recv with SO_RCVTIMEO: one system call per read, no poll() (this loop is the client's cost).
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      throw HarnessError(fmt::format("no response from {}:{} within {} s", host_, port_, timeout_.count() / 1000.0));
    if (n < 0) {
      if (errno == ECONNRESET && may_be_stale() && buffer_.size() == offset_) throw StaleConnection{};
      throw HarnessError(fmt::format("reading from {}:{} failed: {}", host_, port_, std::strerror(errno)));
    }
    if (n == 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }
}

std::string HttpConnection::read_line() {
  for (;;) {
    size_t end = buffer_.find("\r\n", offset_);
    if (end != std::string::npos) {
      std::string line = buffer_.substr(offset_, end - offset_);
      offset_ = end + 2;
      return line;
    }
    if (buffer_.size() - offset_ > 64 * 1024) throw HarnessError("HTTP header line longer than 64 KiB");
    if (!fill()) {
      if (may_be_stale() && buffer_.size() == offset_) throw StaleConnection{};
      throw HarnessError(fmt::format("the server at {}:{} closed the connection without a complete response",
                                     host_, port_));
    }
  }
}

std::string HttpConnection::read_exactly(size_t n) {
  while (buffer_.size() - offset_ < n)
    if (!fill())
      throw HarnessError(fmt::format("the server at {}:{} closed the connection in the middle of a body ({} of "
                                     "{} bytes)", host_, port_, buffer_.size() - offset_, n));
  std::string out = buffer_.substr(offset_, n);
  offset_ += n;
  return out;
}

std::string HttpConnection::read_chunked() {
  std::string body;
  for (;;) {
    std::string size_line = read_line();
    std::optional<size_t> parsed = parse_size(trim(size_line.substr(0, size_line.find(';'))), 16);
    if (!parsed)
      throw HarnessError("bad chunk size in a chunked response: '" + size_line.substr(0, 40) + "'");
    size_t size = *parsed;
    if (size == 0) {
      while (!read_line().empty()) {  // trailers
      }
      return body;
    }
    body += read_exactly(size);
    if (!read_line().empty()) throw HarnessError("chunk not followed by CRLF");
  }
}

HttpResponse HttpConnection::read_response() {
  HttpResponse response;
  std::string status_line = read_line();
  int minor = 0;
  if (std::sscanf(status_line.c_str(), "HTTP/1.%d %d", &minor, &response.status) != 2)
    throw HarnessError("not an HTTP response: '" + status_line.substr(0, 80) + "'");
  for (std::string line; !(line = read_line()).empty();) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) throw HarnessError("malformed header line: '" + line.substr(0, 80) + "'");
    response.headers.emplace_back(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
  }
  std::string connection = lower(response.header("Connection"));
  response.keep_alive = minor >= 1 ? connection != "close" : connection == "keep-alive";
  std::optional<size_t> length;
  if (lower(response.header("Transfer-Encoding")).find("chunked") != std::string::npos) {
    response.body = read_chunked();
  } else if ((length = declared_length(response))) {
    response.body = read_exactly(*length);
  } else if (response.status == 204 || response.status == 304 || response.status / 100 == 1) {
    // no body
  } else {
    while (fill()) {
    }
    response.body = buffer_.substr(offset_);
    offset_ = buffer_.size();
    response.keep_alive = false;
  }
  return response;
}

HttpResponse HttpConnection::send(const HttpRequest& request) {
  return send_raw(format_request(request, host_ + ":" + std::to_string(port_)));
}

HttpResponse HttpConnection::send_raw(const std::string& wire) {
  for (int attempt = 0;; ++attempt) {
    if (fd_ < 0) connect();
    try {
      write_all(wire);
      HttpResponse response = read_response();
      ++responses_on_connection_;
      if (!response.keep_alive) close();
      return response;
    } catch (const StaleConnection&) {
      close();
      if (attempt > 0) throw HarnessError(fmt::format("the server at {}:{} keeps closing connections", host_, port_));
    } catch (...) {
      close();
      throw;
    }
  }
}

}  // namespace harness
