// Tests the catalogue (harness/src/benchmark.cpp): manifests are read and selections resolve or fail clearly.
#include "harness/benchmark.h"

#include <gtest/gtest.h>

#include "harness/error.h"
#include "test_support.h"

namespace harness {
namespace {

TEST(Catalogue, ReadsTheMicroSuite) {
  auto catalogue = load_catalogue(std::filesystem::path(PB_SOURCE_DIR) / "macrobenchmarks");
  auto micro = select_benchmarks(catalogue, "micro");
  EXPECT_GE(micro.size(), 16u);
  for (const auto& b : micro) {
    EXPECT_EQ(b.kind, "batch");
    EXPECT_TRUE(std::filesystem::exists(b.file)) << b.file;
  }
}

TEST(Catalogue, SelectsByNameAndSuiteWithoutDuplicates) {
  auto catalogue = load_catalogue(std::filesystem::path(PB_FIXTURES_DIR) / "macrobenchmarks");
  auto selected = select_benchmarks(catalogue, "fault_ok,faults,fault_ok");
  EXPECT_EQ(selected.front().name, "fault_ok");
  EXPECT_EQ(selected.size(), 6u);
}

TEST(Catalogue, UnknownBenchmarkListsTheKnownOnes) {
  auto catalogue = load_catalogue(std::filesystem::path(PB_FIXTURES_DIR) / "macrobenchmarks");
  try {
    select_benchmarks(catalogue, "nope");
    FAIL();
  } catch (const HarnessError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown benchmark 'nope'"), std::string::npos);
    EXPECT_NE(e.hint().find("fault_ok"), std::string::npos) << e.hint();
  }
}

TEST(Catalogue, BrokenManifestIsAnError) {
  auto dir = testing::temp_dir("manifest");
  std::filesystem::create_directories(dir / "bad");
  std::FILE* f = std::fopen((dir / "bad" / "manifest.json").c_str(), "w");
  std::fputs("{ not json", f);
  std::fclose(f);
  EXPECT_THROW(load_catalogue(dir), HarnessError);
}

}  // namespace
}  // namespace harness
