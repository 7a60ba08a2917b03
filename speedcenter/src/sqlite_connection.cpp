// speedcenter/sqlite_connection.cpp: the SQLite backend of the store (a file, the embedded default).
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <system_error>
#include <thread>

#include "connection.h"

namespace speedcenter::detail {
namespace {

// How long a statement waits for another connection's lock before failing with "database is locked".
constexpr int kBusyTimeoutMs = 10000;

[[noreturn]] void fail(sqlite3* db, const std::string& what, const std::string& hint = {}) {
  throw StoreError(what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"), hint);
}

class SQLiteStatement final : public PreparedStatement {
 public:
  SQLiteStatement(sqlite3* db, std::string_view sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) != SQLITE_OK)
      fail(db, "cannot prepare SQL '" + std::string(sql.substr(0, 80)) + "'");
  }
  ~SQLiteStatement() override { sqlite3_finalize(stmt_); }

  void bind_int(int index, std::int64_t value) override { check(sqlite3_bind_int64(stmt_, index, value)); }
  void bind_double(int index, double value) override { check(sqlite3_bind_double(stmt_, index, value)); }
  void bind_text(int index, std::string_view value) override {
    check(sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT));
  }
  void bind_null(int index) override { check(sqlite3_bind_null(stmt_, index)); }

  bool step() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(db_, "SQL step failed for '" + std::string(sqlite3_sql(stmt_)).substr(0, 80) + "'");
  }
  void reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  bool is_null(int column) const override { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  ValueType column_type(int column) const override {
    switch (sqlite3_column_type(stmt_, column)) {
      case SQLITE_INTEGER: return ValueType::Integer;
      case SQLITE_FLOAT: return ValueType::Real;
      case SQLITE_NULL: return ValueType::Null;
      default: return ValueType::Text;
    }
  }
  int column_count() const override { return sqlite3_column_count(stmt_); }
  std::int64_t column_int(int column) const override { return sqlite3_column_int64(stmt_, column); }
  double column_double(int column) const override { return sqlite3_column_double(stmt_, column); }
  std::string column_text(int column) const override {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    return text ? std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt_, column)) : "";
  }

 private:
  void check(int rc) const {
    if (rc != SQLITE_OK) fail(db_, "bind");
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class SQLiteConnection final : public Connection {
 public:
  SQLiteConnection(const std::string& path, bool create) {
    int flags = SQLITE_OPEN_FULLMUTEX;
    if (!create) {
      flags |= SQLITE_OPEN_READONLY;
      if (!std::filesystem::exists(path))
        throw StoreError("no results database at " + path,
                         "run 'pyston-bench compare ...' first, or pass --db PATH to an existing database");
    } else {
      flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
      std::error_code ec;
      std::filesystem::path p(path);
      if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
    }
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      std::string message = "cannot open results database " + path + ": " + sqlite3_errmsg(db_);
      sqlite3_close(db_);
      db_ = nullptr;
      throw StoreError(message, "check the path and its permissions, or pass --db PATH");
    }
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  }
  ~SQLiteConnection() override { sqlite3_close_v2(db_); }

  std::unique_ptr<PreparedStatement> prepare(std::string_view sql) override {
    return std::make_unique<SQLiteStatement>(db_, sql);
  }
  void exec(std::string_view sql) override {
    std::string owned(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, owned.c_str(), nullptr, nullptr, &err);
    // Switching a new store to WAL needs an exclusive lock, and SQLite answers BUSY at once, without the busy
    // handler, when another connection holds the reserved lock (its deadlock guard): several processes
    // opening a new store together (Database.ConcurrentOpeningMigratesOnce, 3 in 300 runs). Pragmas are
    // idempotent, so they are retried for as long as the busy timeout would have waited.
    for (int waited_ms = 0; rc == SQLITE_BUSY && owned.rfind("PRAGMA", 0) == 0 && waited_ms < kBusyTimeoutMs;
         waited_ms += 10) {
      sqlite3_free(err);
      err = nullptr;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      rc = sqlite3_exec(db_, owned.c_str(), nullptr, nullptr, &err);
    }
    if (rc != SQLITE_OK) {
      std::string message = err ? err : "unknown error";
      sqlite3_free(err);
      throw StoreError("SQL failed (" + message + ") in '" + owned.substr(0, 80) + "'");
    }
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace

std::unique_ptr<Connection> open_sqlite(const std::string& location, bool create) {
  return std::make_unique<SQLiteConnection>(location, create);
}

}  // namespace speedcenter::detail
