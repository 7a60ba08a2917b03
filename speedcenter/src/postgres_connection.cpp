// speedcenter/postgres_connection.cpp: the PostgreSQL backend of the store, through libpq. Values travel as text
// with their types named (int8, float8, text), so the server resolves overloaded functions and operators as
// SQLite would; a statement run a second time is prepared on the server and reused.
#include <libpq-fe.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "connection.h"

namespace speedcenter::detail {
namespace {

// pg_type OIDs (stable since PostgreSQL 7): the types we bind.
constexpr Oid kInt8 = 20, kFloat8 = 701, kText = 25, kUnknown = 0, kInt2 = 21, kInt4 = 23, kFloat4 = 700;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

std::string first_line(std::string_view s) { return std::string(s.substr(0, s.find('\n'))); }

[[noreturn]] void fail(PGconn* conn, const PGresult* result, std::string_view sql) {
  std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(conn);
  while (!message.empty() && message.back() == '\n') message.pop_back();
  std::string hint;
  if (PQstatus(conn) != CONNECTION_OK) {
    message = "lost the connection to the PostgreSQL server: " + message;
    hint = "check that the server is running and reachable, then run the command again";
  }
  throw StoreError("SQL failed (" + first_line(message) + ") in '" + std::string(sql.substr(0, 80)) + "'", hint);
}

Result checked(PGconn* conn, PGresult* raw, std::string_view sql) {
  Result result(raw);
  ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(conn, result.get(), sql);
  return result;
}

class PostgresStatement final : public PreparedStatement {
 public:
  PostgresStatement(PGconn* conn, std::string_view sql, int& statement_counter)
      : conn_(conn), sql_(sql), statement_counter_(statement_counter) {}
  ~PostgresStatement() override {
    if (!name_.empty() && PQstatus(conn_) == CONNECTION_OK)
      Result(PQexec(conn_, ("DEALLOCATE " + name_).c_str()));
  }

  void bind_int(int index, std::int64_t value) override { set(index, std::to_string(value), kInt8); }
  void bind_double(int index, double value) override {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", value);
    set(index, buf, kFloat8);
  }
  void bind_text(int index, std::string_view value) override { set(index, std::string(value), kText); }
  void bind_null(int index) override { set(index, std::nullopt, kUnknown); }

  bool step() override {
    if (!result_) execute();
    return ++row_ < PQntuples(result_.get());
  }
  void reset() override {
    result_.reset();
    row_ = -1;
    values_.clear();
    types_.clear();
  }

  bool is_null(int column) const override { return PQgetisnull(result_.get(), row_, column); }
  ValueType column_type(int column) const override {
    if (is_null(column)) return ValueType::Null;
    Oid type = PQftype(result_.get(), column);
    if (type == kInt8 || type == kInt4 || type == kInt2) return ValueType::Integer;
    if (type == kFloat8 || type == kFloat4) return ValueType::Real;
    return ValueType::Text;
  }
  int column_count() const override { return PQnfields(result_.get()); }
  std::int64_t column_int(int column) const override {
    const char* v = PQgetvalue(result_.get(), row_, column);
    if (v[0] == 't' && v[1] == 0) return 1;  // boolean
    if (v[0] == 'f' && v[1] == 0) return 0;
    return std::strtoll(v, nullptr, 10);
  }
  double column_double(int column) const override {
    return std::strtod(PQgetvalue(result_.get(), row_, column), nullptr);
  }
  std::string column_text(int column) const override {
    return std::string(PQgetvalue(result_.get(), row_, column),
                       static_cast<size_t>(PQgetlength(result_.get(), row_, column)));
  }

 private:
  void set(int index, std::optional<std::string> value, Oid type) {
    if (index < 1) throw StoreError("bind index " + std::to_string(index) + " out of range");
    size_t i = static_cast<size_t>(index - 1);
    if (values_.size() <= i) {
      values_.resize(i + 1);
      types_.resize(i + 1, kUnknown);
    }
    values_[i] = std::move(value);
    types_[i] = type;
  }

  void execute() {
    std::vector<const char*> values;
    for (const auto& v : values_) values.push_back(v ? v->c_str() : nullptr);
    int n = static_cast<int>(values.size());
    ++executions_;
    if (executions_ == 2 && name_.empty()) {  // run again: worth a server-side plan
      std::string name = "pb_" + std::to_string(++statement_counter_);
      checked(conn_, PQprepare(conn_, name.c_str(), sql_.c_str(), n, types_.data()), sql_);
      name_ = name;
    }
    result_ = name_.empty()
                  ? checked(conn_, PQexecParams(conn_, sql_.c_str(), n, types_.data(), values.data(), nullptr,
                                                nullptr, 0), sql_)
                  : checked(conn_, PQexecPrepared(conn_, name_.c_str(), n, values.data(), nullptr, nullptr, 0), sql_);
    row_ = -1;
  }

  PGconn* conn_;
  std::string sql_;
  int& statement_counter_;
  std::string name_;  // of the server-side prepared statement, once there is one
  int executions_ = 0;
  std::vector<std::optional<std::string>> values_;
  std::vector<Oid> types_;
  Result result_;
  int row_ = -1;
};

void ignore_notice(void*, const char*) {}

class PostgresConnection final : public Connection {
 public:
  explicit PostgresConnection(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
      std::string message = conn_ ? PQerrorMessage(conn_) : "out of memory";
      while (!message.empty() && message.back() == '\n') message.pop_back();
      PQfinish(conn_);
      conn_ = nullptr;
      throw StoreError("cannot connect to the PostgreSQL results store " + printable_location(url) + ": " + message,
                       "check that the server runs and the URL (postgresql://user@host[:port]/dbname) names an "
                       "existing database (createdb dbname); a password goes in ~/.pgpass or $PGPASSWORD");
    }
    PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
  }
  ~PostgresConnection() override { PQfinish(conn_); }

  std::unique_ptr<PreparedStatement> prepare(std::string_view sql) override {
    return std::make_unique<PostgresStatement>(conn_, sql, statement_counter_);
  }
  void exec(std::string_view sql) override {
    std::string owned(sql);
    checked(conn_, PQexec(conn_, owned.c_str()), owned);
  }

 private:
  PGconn* conn_;
  int statement_counter_ = 0;
};

}  // namespace

std::unique_ptr<Connection> open_postgres(const std::string& location) {
  return std::make_unique<PostgresConnection>(location);
}

}  // namespace speedcenter::detail
