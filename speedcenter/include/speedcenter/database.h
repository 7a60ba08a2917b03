// speedcenter/database.h: the SQLite results store's connection, statements, transactions and schema migrations.
// Every component that reads or writes results goes through this header (raw SQL against the documented schema
// in docs/schema.md is fine; typed helpers live in store.h).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace speedcenter {

// The one error type of this component: a message for the user and a hint for the fix.
class StoreError : public std::runtime_error {
 public:
  StoreError(std::string message, std::string hint = {})
      : std::runtime_error(std::move(message)), hint_(std::move(hint)) {}
  const std::string& hint() const { return hint_; }

 private:
  std::string hint_;
};

// Current schema version (PRAGMA user_version). Opening an older database migrates it; a newer one is refused.
int schema_version();

// Default database path: $PYSTON_BENCH_DB, else $XDG_DATA_HOME/pyston-bench/results.db,
// else ~/.local/share/pyston-bench/results.db.
std::filesystem::path default_database_path();

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;

  // Bind by 1-based index; chainable.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind_null(int index);
  template <typename T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // Returns true while a row is available.
  bool step();
  // Runs to completion (for INSERT/UPDATE/DELETE).
  void run();
  void reset();

  bool is_null(int column) const;
  std::int64_t column_int(int column) const;
  double column_double(int column) const;
  std::string column_text(int column) const;
  std::optional<double> column_optional_double(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Database {
 public:
  enum class Mode { ReadWrite, ReadOnly };
  // Opens (creating parent directories and the file if needed), enables WAL and foreign keys, and migrates.
  explicit Database(const std::filesystem::path& path, Mode mode = Mode::ReadWrite);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  sqlite3* handle() const { return db_; }
  const std::filesystem::path& path() const { return path_; }
  Statement prepare(std::string_view sql) const { return Statement(db_, sql); }
  void exec(std::string_view sql) const;
  std::int64_t last_insert_id() const;
  // Result of a one-value query, e.g. "SELECT count(*) FROM samples".
  std::int64_t scalar_int(std::string_view sql) const;
  std::string integrity_check() const;

 private:
  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
};

// RAII transaction: commits on commit(), rolls back if destroyed without it.
class Transaction {
 public:
  explicit Transaction(const Database& db);
  ~Transaction();
  void commit();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

 private:
  const Database& db_;
  bool done_ = false;
};

}  // namespace speedcenter
