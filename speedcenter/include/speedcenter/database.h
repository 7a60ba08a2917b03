// speedcenter/database.h: the results store's connection, statements, transactions and schema migrations, on
// SQLite (a file, the embedded default) or PostgreSQL (a server shared by a fleet of machines). Every component
// that reads or writes results goes through this header; SQL is written once, in SQLite's spelling with `?`
// placeholders, and translated for PostgreSQL in one place (src/dialect.cpp).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
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

enum class Backend { SQLite, PostgreSQL };
// The type of a value read back (what copying between stores needs to bind it again as it was).
enum class ValueType { Null, Integer, Real, Text };

// A store location is a file path (SQLite) or a URL postgresql://user[:password]@host[:port]/dbname (also
// postgres://, and libpq's query parameters such as ?host=/run/socket-dir).
Backend backend_of(std::string_view location);
// The location as it may be printed: a PostgreSQL password is replaced by ***.
std::string printable_location(std::string_view location);

// Current schema version. Opening an older database migrates it; a newer one is refused.
int schema_version();

// Default store: $PYSTON_BENCH_DB (a path or a postgresql:// URL), else $XDG_DATA_HOME/pyston-bench/results.db,
// else ~/.local/share/pyston-bench/results.db.
std::filesystem::path default_database_path();

namespace detail {
class Connection;
class PreparedStatement;
}  // namespace detail

class Statement {
 public:
  explicit Statement(std::unique_ptr<detail::PreparedStatement> impl);
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
  // Ready to run again: the rows are dropped and the bindings cleared.
  void reset();

  bool is_null(int column) const;
  ValueType column_type(int column) const;
  int column_count() const;
  std::int64_t column_int(int column) const;  // a boolean column reads as 0 or 1
  double column_double(int column) const;
  std::string column_text(int column) const;
  std::optional<double> column_optional_double(int column) const;

 private:
  std::unique_ptr<detail::PreparedStatement> impl_;
};

class Database {
 public:
  enum class Mode { ReadWrite, ReadOnly };
  // Opens the store at `location` (see backend_of) and migrates it. SQLite: creates parent directories and the
  // file if needed, enables WAL and foreign keys. PostgreSQL: connects (the database must exist).
  explicit Database(const std::string& location, Mode mode = Mode::ReadWrite);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Backend backend() const { return backend_; }
  // For messages: the file path, or the URL without its password.
  const std::filesystem::path& path() const { return printable_; }
  Statement prepare(std::string_view sql) const;
  // One or more statements without parameters.
  void exec(std::string_view sql) const;
  // The id given to the row just inserted on this connection into a table with an id column.
  std::int64_t last_insert_id() const;
  // Result of a one-value query, e.g. "SELECT count(*) FROM samples".
  std::int64_t scalar_int(std::string_view sql) const;
  // "ok" when the store's own consistency check passes (SQLite's integrity_check; a PostgreSQL server keeps its
  // own pages consistent, so there the foreign keys are checked, which hold unless a bug broke them).
  std::string integrity_check() const;
  // A value that changes whenever another connection commits results (the dashboard polls it).
  std::string change_token() const;

  // A run's owner holds its run lock for as long as it lives (PostgreSQL: a session advisory lock, released by
  // the server when the process dies, even by kill -9). owner_gone() tells whether a 'running' run's owner has
  // died: true/false on PostgreSQL, nullopt on SQLite, where the caller checks the process id instead.
  void hold_run_lock(std::int64_t run_id) const;
  std::optional<bool> owner_gone(std::int64_t run_id) const;

 private:
  void migrate(int from_version);
  int stored_schema_version() const;

  Backend backend_;
  std::filesystem::path printable_;
  std::unique_ptr<detail::Connection> connection_;
  mutable std::set<std::int64_t> runs_held_;  // a lock taken twice by one session is not a sign of death
};

// RAII transaction: commits on commit(), rolls back if destroyed without it. Writing transactions are serialized
// (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction advisory lock), so concurrent writers never deadlock.
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
