// Tests of harness/src/pyperformance.cpp: reading a folder in pyperformance's layout (our fixtures, and
// pyperformance's own quirks rebuilt in a temporary folder), requirement checks under a real interpreter, and
// a worker's command line.
#include "harness/pyperformance.h"

#include <gtest/gtest.h>

#include <fstream>

#include "harness/error.h"
#include "test_support.h"

namespace harness {
namespace {

namespace fs = std::filesystem;
const fs::path kFixtures = fs::path(PB_FIXTURES_DIR) / "pyperformance";

const Benchmark& find(const std::vector<Benchmark>& catalogue, const std::string& name) {
  for (const auto& b : catalogue)
    if (b.name == name) return b;
  throw std::runtime_error("no benchmark " + name);
}

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

TEST(Pyperformance, RecognisesTheLayout) {
  EXPECT_TRUE(is_pyperformance_folder(kFixtures));
  EXPECT_FALSE(is_pyperformance_folder(fs::path(PB_FIXTURES_DIR) / "macrobenchmarks"));
  EXPECT_FALSE(is_pyperformance_folder("/nonexistent"));
}

TEST(Pyperformance, ReadsBenchmarksVariantsAndDependencies) {
  auto catalogue = load_pyperformance_folder(kFixtures);
  EXPECT_EQ(catalogue.size(), 8u);  // 7 folders, bm_pb_time_func with a variant
  const auto& func = find(catalogue, "pp_pb_func");
  EXPECT_EQ(func.kind, "pyperf");
  EXPECT_EQ(func.suite, "pyperformance");
  EXPECT_EQ(func.file, fs::weakly_canonical(kFixtures / "bm_pb_func" / "run_benchmark.py"));
  EXPECT_TRUE(func.manifest["dependencies"].empty());  // pyperf itself is ours
  const auto& big = find(catalogue, "pp_pb_time_func_big");
  EXPECT_EQ(big.file, find(catalogue, "pp_pb_time_func").file);
  EXPECT_EQ(big.manifest["extra_opts"], nlohmann::json::array({"--work", "3000"}));
  EXPECT_EQ(find(catalogue, "pp_pb_missing").manifest["dependencies"],
            nlohmann::json::array({"pb-no-such-distribution"}));
}

// pyperformance's bm_btree: two variant files declare the same name, and bm_btree.toml repeats the main one;
// its MANIFEST names variants by file (btree_gc_only). requirements.txt pins are dependencies too.
TEST(Pyperformance, NamesVariantsByTheirFileAsTheManifestDoes) {
  fs::path dir = testing::temp_dir("pyperformance-btree");
  const std::string project = "[project]\nname = \"x\"\ndependencies = [\"pyperf\"]\n";
  write(dir / "bm_btree" / "run_benchmark.py", "");
  write(dir / "bm_btree" / "pyproject.toml", project + "[tool.pyperformance]\nname = \"btree\"\n");
  write(dir / "bm_btree" / "bm_btree.toml", project + "[tool.pyperformance]\nname = \"btree_gc\"\nextra_opts = [\"all\"]\n");
  write(dir / "bm_btree" / "bm_btree_gc_only.toml",
        project + "[tool.pyperformance]\nname = \"btree_gc\"\nextra_opts = [\"--gc-only\"]\n");
  write(dir / "bm_btree" / "requirements.txt", "# pinned\nChameleon==4.6.0\n");
  auto catalogue = load_pyperformance_folder(dir);
  ASSERT_EQ(catalogue.size(), 2u);
  EXPECT_EQ(catalogue[0].name, "pp_btree_gc_only");
  EXPECT_EQ(catalogue[0].manifest["extra_opts"], nlohmann::json::array({"--gc-only"}));
  EXPECT_EQ(catalogue[1].name, "pp_btree");
  EXPECT_EQ(catalogue[1].manifest["dependencies"], nlohmann::json::array({"Chameleon==4.6.0"}));
  fs::remove_all(dir);
}

TEST(Pyperformance, BadTomlNamesTheFile) {
  fs::path dir = testing::temp_dir("pyperformance-bad");
  write(dir / "bm_x" / "run_benchmark.py", "");
  write(dir / "bm_x" / "pyproject.toml", "[project\nname = ");
  try {
    load_pyperformance_folder(dir);
    FAIL() << "no error";
  } catch (const HarnessError& e) {
    EXPECT_NE(std::string(e.what()).find("bm_x/pyproject.toml"), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}

TEST(Pyperformance, UnmetRequirementsUnderARealInterpreter) {
  Interpreter python = testing::python38();
  auto catalogue = load_pyperformance_folder(kFixtures);
  EXPECT_EQ(pyperformance_unmet_requirements(find(catalogue, "pp_pb_func"), python), "");
  EXPECT_EQ(pyperformance_unmet_requirements(find(catalogue, "pp_pb_missing"), python),
            "needs pb-no-such-distribution (module pb_no_such_distribution), not importable under python3.8");
  Benchmark newer = find(catalogue, "pp_pb_func");
  newer.manifest["requires_python"] = ">=3.10";
  EXPECT_EQ(pyperformance_unmet_requirements(newer, python), "requires Python >=3.10, python3.8 is " + python.version);
}

TEST(Pyperformance, WorkerArguments) {
  auto catalogue = load_pyperformance_folder(kFixtures);
  RunOptions options;
  options.warmups = 2;
  options.iterations = 4;
  options.min_time = 0.05;
  auto args = pyperformance_worker_args(find(catalogue, "pp_pb_time_func_big"), options);
  std::vector<std::string> expected = {find(catalogue, "pp_pb_time_func_big").file.string(),
                                       "--warmups", "2", "--values", "4", "--pb-report-fd", "3",
                                       "--min-time", "0.050000", "--work", "3000"};
  EXPECT_EQ(args, expected);
}

}  // namespace
}  // namespace harness
