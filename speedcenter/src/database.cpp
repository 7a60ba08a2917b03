// speedcenter/database.cpp: the store's connection on either backend, statements, transactions, and migration on
// open. The backends' client libraries are behind connection.h; their SQL differences behind dialect.h.
#include "speedcenter/database.h"

#include <cstdlib>

#include "connection.h"
#include "dialect.h"
#include "migrations.h"

namespace speedcenter {

Backend backend_of(std::string_view location) {
  for (std::string_view scheme : {"postgresql://", "postgres://"})
    if (location.substr(0, scheme.size()) == scheme) return Backend::PostgreSQL;
  return Backend::SQLite;
}

std::string printable_location(std::string_view location) {
  std::string out(location);
  if (backend_of(location) != Backend::PostgreSQL) return out;
  size_t scheme_end = out.find("://") + 3, at = out.find('@', scheme_end);
  size_t colon = out.find(':', scheme_end);
  if (at != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  return out;
}

int schema_version() { return static_cast<int>(migrations().size()); }

std::filesystem::path default_database_path() {
  if (const char* env = std::getenv("PYSTON_BENCH_DB"); env && *env) return env;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    return std::filesystem::path(xdg) / "pyston-bench" / "results.db";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home && *home ? home : ".") / ".local" / "share" / "pyston-bench" / "results.db";
}

Statement::Statement(std::unique_ptr<detail::PreparedStatement> impl) : impl_(std::move(impl)) {}
Statement::~Statement() = default;
Statement::Statement(Statement&& other) noexcept = default;

Statement& Statement::bind(int index, std::int64_t value) {
  impl_->bind_int(index, value);
  return *this;
}
Statement& Statement::bind(int index, double value) {
  impl_->bind_double(index, value);
  return *this;
}
Statement& Statement::bind(int index, std::string_view value) {
  impl_->bind_text(index, value);
  return *this;
}
Statement& Statement::bind_null(int index) {
  impl_->bind_null(index);
  return *this;
}
bool Statement::step() { return impl_->step(); }
void Statement::run() {
  while (step()) {
  }
  reset();
}
void Statement::reset() { impl_->reset(); }
bool Statement::is_null(int column) const { return impl_->is_null(column); }
ValueType Statement::column_type(int column) const { return impl_->column_type(column); }
int Statement::column_count() const { return impl_->column_count(); }
std::int64_t Statement::column_int(int column) const { return impl_->column_int(column); }
double Statement::column_double(int column) const { return impl_->column_double(column); }
std::string Statement::column_text(int column) const { return impl_->column_text(column); }
std::optional<double> Statement::column_optional_double(int column) const {
  if (is_null(column)) return std::nullopt;
  return column_double(column);
}

Database::Database(const std::string& location, Mode mode)
    : backend_(backend_of(location)), printable_(printable_location(location)) {
  const auto& d = detail::dialect(backend_);
  connection_ = backend_ == Backend::SQLite ? detail::open_sqlite(location, mode == Mode::ReadWrite)
                                            : detail::open_postgres(location);
  try {
    exec(d.open_session);
    int version = stored_schema_version();
    if (version > schema_version())
      throw StoreError("results database " + printable_.string() + " has schema version " + std::to_string(version) +
                           ", newer than this pyston-bench understands (" + std::to_string(schema_version()) + ")",
                       "use a newer pyston-bench, or pass --db with a different database");
    if (mode == Mode::ReadWrite) {
      exec(d.open_read_write);
      migrate(version);
    } else {
      exec(d.open_read_only);
      if (version < schema_version())
        throw StoreError("results database " + printable_.string() + " has an old schema (version " +
                             std::to_string(version) + ")",
                         "open it once with a writing command (e.g. pyston-bench list-runs) to migrate it");
    }
  } catch (const StoreError& e) {
    connection_.reset();
    std::string msg = e.what();
    if (msg.find("file is not a database") != std::string::npos)
      throw StoreError(printable_.string() + " is not a SQLite database",
                       "pass --db with a results database path or a postgresql:// URL");
    throw;
  }
}

Database::~Database() = default;

int Database::stored_schema_version() const {
  const auto& d = detail::dialect(backend_);
  return scalar_int(d.schema_known) ? static_cast<int>(scalar_int(d.read_schema_version)) : 0;
}

// Each migration in its own writing transaction, one migrating process at a time; the version is read again
// under the lock, so two processes opening a new store at once migrate it once.
void Database::migrate(int from_version) {
  if (from_version >= schema_version()) return;
  const auto& d = detail::dialect(backend_);
  exec(d.lock_migrations);
  try {
    for (int v = from_version; v < schema_version(); ++v) {
      Transaction tx(*this);
      if (stored_schema_version() > v) continue;
      exec(d.translate_schema(migrations()[static_cast<size_t>(v)]));
      exec(d.write_schema_version(v + 1));
      tx.commit();
    }
  } catch (...) {
    exec(d.unlock_migrations);
    throw;
  }
  exec(d.unlock_migrations);
}

Statement Database::prepare(std::string_view sql) const {
  return Statement(connection_->prepare(detail::dialect(backend_).translate(sql)));
}

void Database::exec(std::string_view sql) const {
  if (!sql.empty()) connection_->exec(detail::dialect(backend_).translate(sql));
}

std::int64_t Database::last_insert_id() const { return scalar_int(detail::dialect(backend_).last_insert_id); }

std::int64_t Database::scalar_int(std::string_view sql) const {
  Statement st = prepare(sql);
  return st.step() ? st.column_int(0) : 0;
}

std::string Database::integrity_check() const {
  Statement st = prepare(detail::dialect(backend_).integrity_check);
  return st.step() ? st.column_text(0) : "no answer";
}

std::string Database::change_token() const {
  Statement st = prepare(detail::dialect(backend_).change_token);
  return st.step() ? st.column_text(0) : "";
}

void Database::hold_run_lock(std::int64_t run_id) const {
  const auto& d = detail::dialect(backend_);
  if (!*d.hold_run_lock) return;
  prepare(d.hold_run_lock).bind(1, detail::Dialect::run_lock_key(run_id)).run();
  runs_held_.insert(run_id);
}

std::optional<bool> Database::owner_gone(std::int64_t run_id) const {
  const auto& d = detail::dialect(backend_);
  if (!*d.try_run_lock) return std::nullopt;
  if (runs_held_.count(run_id)) return false;
  std::int64_t key = detail::Dialect::run_lock_key(run_id);
  auto attempt = prepare(d.try_run_lock);
  bool free = attempt.bind(1, key).step() && attempt.column_int(0) == 1;
  if (free) prepare(d.release_run_lock).bind(1, key).run();
  return free;
}

Transaction::Transaction(const Database& db) : db_(db) { db_.exec(detail::dialect(db_.backend()).begin_write); }
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
