// speedcenter/database.cpp: SQLite connection, statements, transactions, and migration on open.
#include "speedcenter/database.h"

#include <cstdlib>
#include <system_error>

#include "migrations.h"

namespace speedcenter {
namespace {

[[noreturn]] void fail(sqlite3* db, const std::string& what, const std::string& hint = {}) {
  throw StoreError(what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"), hint);
}

}  // namespace

int schema_version() { return static_cast<int>(migrations().size()); }

std::filesystem::path default_database_path() {
  if (const char* env = std::getenv("PYSTON_BENCH_DB"); env && *env) return env;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    return std::filesystem::path(xdg) / "pyston-bench" / "results.db";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home && *home ? home : ".") / ".local" / "share" / "pyston-bench" / "results.db";
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db), stmt_(nullptr) {
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) != SQLITE_OK)
    fail(db, "cannot prepare SQL '" + std::string(sql.substr(0, 80)) + "'");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }

Statement& Statement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) fail(db_, "bind");
  return *this;
}
Statement& Statement::bind(int index, double value) {
  if (sqlite3_bind_double(stmt_, index, value) != SQLITE_OK) fail(db_, "bind");
  return *this;
}
Statement& Statement::bind(int index, std::string_view value) {
  if (sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT) != SQLITE_OK)
    fail(db_, "bind");
  return *this;
}
Statement& Statement::bind_null(int index) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) fail(db_, "bind");
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, "SQL step failed for '" + std::string(sqlite3_sql(stmt_)).substr(0, 80) + "'");
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
std::int64_t Statement::column_int(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::column_double(int column) const { return sqlite3_column_double(stmt_, column); }
std::string Statement::column_text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  return text ? std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt_, column)) : "";
}
std::optional<double> Statement::column_optional_double(int column) const {
  if (is_null(column)) return std::nullopt;
  return column_double(column);
}

Database::Database(const std::filesystem::path& path, Mode mode) : path_(path) {
  int flags = SQLITE_OPEN_FULLMUTEX;
  if (mode == Mode::ReadOnly) {
    flags |= SQLITE_OPEN_READONLY;
    if (!std::filesystem::exists(path))
      throw StoreError("no results database at " + path.string(),
                       "run 'pyston-bench compare ...' first, or pass --db PATH to an existing database");
  } else {
    flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    std::error_code ec;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  }
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string message = "cannot open results database " + path.string() + ": " + sqlite3_errmsg(db_);
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError(message, "check the path and its permissions, or pass --db PATH");
  }
  sqlite3_busy_timeout(db_, 10000);
  try {
    exec("PRAGMA foreign_keys = ON");
    int version = static_cast<int>(scalar_int("PRAGMA user_version"));
    if (version > schema_version())
      throw StoreError("results database " + path.string() + " has schema version " + std::to_string(version) +
                           ", newer than this pyston-bench understands (" + std::to_string(schema_version()) + ")",
                       "use a newer pyston-bench, or pass --db with a different file");
    if (mode == Mode::ReadWrite) {
      exec("PRAGMA journal_mode = WAL");
      exec("PRAGMA synchronous = NORMAL");
      for (int v = version; v < schema_version(); ++v) {
        Transaction tx(*this);
        exec(migrations()[static_cast<size_t>(v)]);
        exec("PRAGMA user_version = " + std::to_string(v + 1));
        tx.commit();
      }
    } else if (version < schema_version()) {
      throw StoreError("results database " + path.string() + " has an old schema (version " +
                           std::to_string(version) + ")",
                       "open it once with a writing command (e.g. pyston-bench list-runs) to migrate it");
    }
  } catch (const std::exception& e) {
    sqlite3_close(db_);
    db_ = nullptr;
    if (const auto* store_error = dynamic_cast<const StoreError*>(&e)) {
      std::string msg = store_error->what();
      if (msg.find("file is not a database") != std::string::npos)
        throw StoreError(path.string() + " is not a SQLite database", "pass --db with a results database path");
      throw;
    }
    throw StoreError(e.what());
  }
}

Database::~Database() {
  if (db_) sqlite3_close_v2(db_);
}

void Database::exec(std::string_view sql) const {
  std::string owned(sql);
  char* err = nullptr;
  if (sqlite3_exec(db_, owned.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string message = err ? err : "unknown error";
    sqlite3_free(err);
    throw StoreError("SQL failed (" + message + ") in '" + owned.substr(0, 80) + "'");
  }
}

std::int64_t Database::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }

std::int64_t Database::scalar_int(std::string_view sql) const {
  Statement st(db_, sql);
  return st.step() ? st.column_int(0) : 0;
}

std::string Database::integrity_check() const {
  Statement st(db_, "PRAGMA integrity_check");
  return st.step() ? st.column_text(0) : "no answer";
}

Transaction::Transaction(const Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.exec("ROLLBACK");
    } catch (...) {
    }
  }
}
void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace speedcenter
