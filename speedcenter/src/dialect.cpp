// speedcenter/dialect.cpp: the SQLite and PostgreSQL dialects (see dialect.h), and the translation of SQL written
// in SQLite's spelling: `?`/`?N` placeholders become `$N`, INSERT OR IGNORE becomes ON CONFLICT DO NOTHING,
// group_concat becomes string_agg, and in migrations INTEGER/REAL and rowid keys become BIGINT/DOUBLE PRECISION
// and identity columns.
#include "dialect.h"

#include <algorithm>
#include <cctype>
#include <regex>

namespace speedcenter::detail {
namespace {

// Serializes writers, like SQLite's single writer: concurrent compare processes then cannot deadlock on the rows
// they upsert (machines, interpreters, benchmarks) in different orders. Transactions are one benchmark long.
constexpr const char* kPostgresBeginWrite = "BEGIN; SELECT pg_advisory_xact_lock(5793122513245204481)";

const Dialect kSQLite{
    Backend::SQLite,
    "PRAGMA foreign_keys = ON",
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL",
    "",
    "BEGIN IMMEDIATE",
    "",
    "",
    "SELECT last_insert_rowid()",
    "SELECT 1",
    "PRAGMA user_version",
    "PRAGMA integrity_check",
    "PRAGMA data_version",
    "",
    "",
    "",
    "SELECT name FROM pragma_table_info(?)",
};

const Dialect kPostgreSQL{
    Backend::PostgreSQL,
    "SET client_min_messages = warning",
    "",
    "SET default_transaction_read_only = on",
    kPostgresBeginWrite,
    // Taken before the migration's transaction begins, so that transaction sees the tables another process
    // created while this one waited (a lock taken inside it would leave it with the older catalog).
    "SELECT pg_advisory_lock(5793122513245204482)",
    "SELECT pg_advisory_unlock(5793122513245204482)",
    "SELECT lastval()",
    "SELECT to_regclass('pyston_bench_schema') IS NOT NULL",
    "SELECT version FROM pyston_bench_schema",
    "SELECT CASE WHEN EXISTS (SELECT 1 FROM samples s LEFT JOIN results r ON r.id = s.result_id"
    " WHERE r.id IS NULL) THEN 'samples without a result' ELSE 'ok' END",
    "SELECT concat((SELECT max(id) FROM runs), ':', (SELECT max(id) FROM results), ':',"
    " (SELECT count(*) FROM runs WHERE status = 'running'), ':', (SELECT max(id) FROM hot_line_profiles))",
    "SELECT pg_advisory_lock(?)",
    "SELECT pg_try_advisory_lock(?)",
    "SELECT pg_advisory_unlock(?)",
    "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?"
    " ORDER BY ordinal_position",
};

// Calls `on_code(begin, end)` for each stretch of `sql` outside string literals, quoted names and comments, and
// copies the rest unchanged.
template <typename OnCode>
std::string map_code(std::string_view sql, OnCode on_code) {
  std::string out;
  size_t i = 0, code_start = 0;
  auto flush = [&](size_t end) {
    out += on_code(sql.substr(code_start, end - code_start));
  };
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'' || c == '"') {
      flush(i);
      size_t end = i + 1;
      while (end < sql.size() && !(sql[end] == c && (end + 1 >= sql.size() || sql[end + 1] != c)))
        end += sql[end] == c ? 2 : 1;
      end = std::min(end + 1, sql.size());
      out += sql.substr(i, end - i);
      i = code_start = end;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      flush(i);
      size_t end = sql.find('\n', i);
      end = end == std::string_view::npos ? sql.size() : end;
      out += sql.substr(i, end - i);
      i = code_start = end;
    } else {
      ++i;
    }
  }
  flush(sql.size());
  return out;
}

std::string postgres_placeholders(std::string_view sql) {
  int next = 1;
  return map_code(sql, [&next](std::string_view code) {
    std::string out;
    for (size_t i = 0; i < code.size(); ++i) {
      if (code[i] != '?') {
        out += code[i];
        continue;
      }
      size_t digits = i + 1;
      while (digits < code.size() && std::isdigit(static_cast<unsigned char>(code[digits]))) ++digits;
      if (digits > i + 1) {
        int n = std::stoi(std::string(code.substr(i + 1, digits - i - 1)));
        next = std::max(next, n + 1);
        out += "$" + std::to_string(n);
        i = digits - 1;
      } else {
        out += "$" + std::to_string(next++);
      }
    }
    return out;
  });
}

std::string replace_words(std::string_view sql, const std::regex& pattern, const char* replacement) {
  return map_code(sql, [&](std::string_view code) {
    return std::regex_replace(std::string(code), pattern, replacement);
  });
}

}  // namespace

const Dialect& dialect(Backend backend) { return backend == Backend::SQLite ? kSQLite : kPostgreSQL; }

std::int64_t Dialect::run_lock_key(std::int64_t run_id) {
  return (std::int64_t{0x5062} << 48) | run_id;  // 'Pb': apart from the writer key and other applications' keys
}

std::string Dialect::write_schema_version(int version) const {
  std::string v = std::to_string(version);
  if (backend == Backend::SQLite) return "PRAGMA user_version = " + v;
  return "CREATE TABLE IF NOT EXISTS pyston_bench_schema (version INTEGER NOT NULL); "
         "DELETE FROM pyston_bench_schema; INSERT INTO pyston_bench_schema (version) VALUES (" + v + ")";
}

std::string Dialect::translate(std::string_view sql) const {
  if (backend == Backend::SQLite) return std::string(sql);
  static const std::regex insert_or_ignore(R"(^\s*INSERT\s+OR\s+IGNORE\s+INTO\b)", std::regex::icase);
  static const std::regex insert_or_replace(R"(^\s*INSERT\s+OR\s+REPLACE\b)", std::regex::icase);
  static const std::regex group_concat(R"(\bgroup_concat\s*\()", std::regex::icase);
  std::string out = postgres_placeholders(sql);
  if (std::regex_search(out, insert_or_replace))
    throw StoreError("INSERT OR REPLACE has no PostgreSQL spelling: '" + out.substr(0, 80) + "'",
                     "write INSERT ... ON CONFLICT (key columns) DO UPDATE SET ..., which both stores understand");
  if (std::regex_search(out, insert_or_ignore)) {
    out = std::regex_replace(out, insert_or_ignore, "INSERT INTO");
    while (!out.empty() && (std::isspace(static_cast<unsigned char>(out.back())) || out.back() == ';')) out.pop_back();
    out += " ON CONFLICT DO NOTHING";
  }
  return replace_words(out, group_concat, "string_agg(");
}

std::string Dialect::translate_schema(std::string_view ddl) const {
  if (backend == Backend::SQLite) return std::string(ddl);
  static const std::regex rowid_key(R"(\bINTEGER\s+PRIMARY\s+KEY\b)", std::regex::icase);
  static const std::regex integer(R"(\bINTEGER\b)", std::regex::icase);
  static const std::regex real(R"(\bREAL\b)", std::regex::icase);
  // 64-bit integers throughout: SQLite's INTEGER is 64 bits (peak_rss_bytes, memory_bytes need it).
  std::string out = replace_words(ddl, rowid_key, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
  out = replace_words(out, integer, "BIGINT");
  return replace_words(out, real, "DOUBLE PRECISION");
}

}  // namespace speedcenter::detail
