// tests/speedcenter/test_store.h: a fresh results store per test, on the backend the test binary was started for:
// a SQLite file, or, when $PB_TEST_POSTGRES_URL_FILE names the URL of the private test server (the 'postgres'
// CTest fixture, tests/speedcenter/postgres_server.sh), a new PostgreSQL database on it. Removed afterwards.
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "speedcenter/database.h"

namespace test_store {

// The test server's URL (of its 'postgres' database), or "" when the tests run on SQLite.
inline std::string postgres_server_url() {
  const char* file = std::getenv("PB_TEST_POSTGRES_URL_FILE");
  if (!file || !*file) return "";
  std::ifstream in(file);
  std::string url;
  if (!std::getline(in, url) || url.empty())
    throw std::runtime_error(std::string("no PostgreSQL test server URL in ") + file +
                             " (the 'postgres.start' test fixture starts the server)");
  return url;
}

// Runs one SQL command on the test server's maintenance database.
inline void postgres_admin(const std::string& sql) {
  PGconn* conn = PQconnectdb(postgres_server_url().c_str());
  PGresult* r = PQexec(conn, sql.c_str());
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  std::string error = PQerrorMessage(conn);
  PQclear(r);
  PQfinish(conn);
  if (!ok) throw std::runtime_error(sql + ": " + error);
}

// `url` with its database name replaced (the path of postgresql://user@host/dbname?params).
inline std::string with_database(const std::string& url, const std::string& name) {
  size_t slash = url.find('/', url.find("://") + 3), query = url.find('?');
  return url.substr(0, slash) + "/" + name + (query == std::string::npos ? "" : url.substr(query));
}

class TestStore {
 public:
  // `tag` tells stores of one test apart.
  explicit TestStore(const std::string& tag = "") {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::to_string(::getpid()) + "_" + info->test_suite_name() + "_" + info->name() + tag;
    for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
    scratch_ = std::filesystem::temp_directory_path() / ("pb-store-test-" + name);
    std::filesystem::remove_all(scratch_);
    std::filesystem::create_directories(scratch_);
    std::string server = postgres_server_url();
    if (server.empty()) {
      location_ = (scratch_ / "results.db").string();
    } else {
      database_ = "t_" + name.substr(0, 61);  // PostgreSQL names are at most 63 bytes
      postgres_admin("DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)");
      postgres_admin("CREATE DATABASE " + database_);
      location_ = with_database(server, database_);
    }
  }
  ~TestStore() {
    try {
      if (!database_.empty()) postgres_admin("DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)");
    } catch (...) {
    }
    std::filesystem::remove_all(scratch_);
  }
  TestStore(const TestStore&) = delete;
  TestStore& operator=(const TestStore&) = delete;

  const std::string& location() const { return location_; }
  bool postgres() const { return !database_.empty(); }
  // A private folder for the test's other files.
  const std::filesystem::path& scratch() const { return scratch_; }

 private:
  std::filesystem::path scratch_;
  std::string database_;
  std::string location_;
};

}  // namespace test_store
