// speedcenter/dialect.h: everything that differs between SQLite and PostgreSQL, in one table: how SQL written in
// SQLite's spelling is translated, how a writing transaction starts, where the schema version lives, how a run's
// owner is seen to be alive. The rest of the store (and every query in the tree) is written once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "speedcenter/database.h"

namespace speedcenter::detail {

struct Dialect {
  Backend backend;
  const char* open_session;          // after connecting
  const char* open_read_write;       // after connecting, read-write mode
  const char* open_read_only;        // after connecting, read-only mode
  const char* begin_write;           // a writing transaction, serialized against other writers
  const char* lock_migrations;       // outside a transaction: one migrating process at a time
  const char* unlock_migrations;
  const char* last_insert_id;        // one value: the id of the row just inserted on this connection
  const char* schema_known;          // one value, 1 when the schema version is stored at all
  const char* read_schema_version;   // one value
  const char* integrity_check;       // one value, "ok" when consistent
  const char* change_token;          // one value that changes when another connection commits results
  const char* hold_run_lock;         // ?1 = lock key; empty when the backend has no such lock
  const char* try_run_lock;          // one value, 1 when the lock was free (and is now held)
  const char* release_run_lock;      // ?1 = lock key
  const char* table_columns;         // ?1 = table name; one row per column, in order

  std::string write_schema_version(int version) const;
  // A query or statement in SQLite's spelling, in this dialect.
  std::string translate(std::string_view sql) const;
  // A schema migration (CREATE/ALTER TABLE ...) in SQLite's spelling, in this dialect.
  std::string translate_schema(std::string_view ddl) const;
  // The advisory lock key of a run (PostgreSQL's locks are one 64-bit namespace per database).
  static std::int64_t run_lock_key(std::int64_t run_id);
};

const Dialect& dialect(Backend backend);

}  // namespace speedcenter::detail
