// tests/speedcenter/test_db.h: a fresh results store per test (SQLite or PostgreSQL, see test_store.h), open.
#pragma once

#include <memory>

#include "test_store.h"

class TempDatabase {
 public:
  TempDatabase() : db_(std::make_unique<speedcenter::Database>(store_.location())) {}
  ~TempDatabase() { db_.reset(); }
  const speedcenter::Database& db() const { return *db_; }
  // The store's location: a file path or a postgresql:// URL.
  const std::string& location() const { return store_.location(); }
  // A private folder for the test's other files.
  const std::filesystem::path& scratch() const { return store_.scratch(); }
  bool postgres() const { return store_.postgres(); }

 private:
  test_store::TestStore store_;
  std::unique_ptr<speedcenter::Database> db_;
};
