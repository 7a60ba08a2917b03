// tests/speedcenter/test_db.h: a fresh results database file per test, removed afterwards.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "speedcenter/database.h"

class TempDatabase {
 public:
  TempDatabase() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("speedcenter_test_" + std::string(info->test_suite_name()) + "_" + info->name() + "_" +
             std::to_string(::getpid()) + ".db");
    remove();
    db_ = std::make_unique<speedcenter::Database>(path_);
  }
  ~TempDatabase() {
    db_.reset();
    remove();
  }
  const speedcenter::Database& db() const { return *db_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  void remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }
  std::filesystem::path path_;
  std::unique_ptr<speedcenter::Database> db_;
};
