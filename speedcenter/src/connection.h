// speedcenter/connection.h: what the store needs of a database client library, implemented once per backend
// (sqlite_connection.cpp, postgres_connection.cpp). SQL reaching these classes is already in the backend's
// dialect (see dialect.h); they only move values in and out.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "speedcenter/database.h"

namespace speedcenter::detail {

class PreparedStatement {
 public:
  virtual ~PreparedStatement() = default;
  virtual void bind_int(int index, std::int64_t value) = 0;
  virtual void bind_double(int index, double value) = 0;
  virtual void bind_text(int index, std::string_view value) = 0;
  virtual void bind_null(int index) = 0;
  virtual bool step() = 0;
  virtual void reset() = 0;  // drops the rows and clears the bindings
  virtual bool is_null(int column) const = 0;
  virtual ValueType column_type(int column) const = 0;
  virtual int column_count() const = 0;
  virtual std::int64_t column_int(int column) const = 0;
  virtual double column_double(int column) const = 0;
  virtual std::string column_text(int column) const = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual std::unique_ptr<PreparedStatement> prepare(std::string_view sql) = 0;
  virtual void exec(std::string_view sql) = 0;
};

// `location` is a file path; `create` allows creating it (read-write mode).
std::unique_ptr<Connection> open_sqlite(const std::string& location, bool create);
// `location` is a postgresql:// URL.
std::unique_ptr<Connection> open_postgres(const std::string& location);

}  // namespace speedcenter::detail
