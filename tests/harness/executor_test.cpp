// Tests harness/src/executor.cpp: the --size option, for every benchmark or per benchmark name.
#include "harness/executor.h"

#include <gtest/gtest.h>

#include "harness/error.h"

namespace harness {
namespace {

Benchmark named(const std::string& name, long size) {
  Benchmark b;
  b.name = name;
  b.size = size;
  return b;
}

TEST(SizeOption, OneNumberSizesEveryBenchmark) {
  RunOptions o;
  parse_size_option("20000", o);
  EXPECT_EQ(o.size_for(named("nbody", 6000)), 20000);
  EXPECT_EQ(o.size_for(named("richards", 5000)), 20000);
}

TEST(SizeOption, PerBenchmarkSizesLeaveTheOthersAlone) {
  RunOptions o;
  parse_size_option("nbody=600,richards=500", o);
  EXPECT_EQ(o.size_for(named("nbody", 6000)), 600);
  EXPECT_EQ(o.size_for(named("richards", 5000)), 500);
  EXPECT_EQ(o.size_for(named("chaos", 60000)), 60000);
  EXPECT_EQ(RunOptions{}.size_for(named("chaos", 60000)), 60000);
}

TEST(SizeOption, BadValuesAreRefusedWithAHint) {
  for (const char* bad : {"", "ten", "-5", "0", "nbody=", "=600", "nbody=6x", "nbody:600"}) {
    RunOptions o;
    try {
      parse_size_option(bad, o);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const HarnessError& e) {
      EXPECT_NE(e.hint().find("NAME=N"), std::string::npos) << bad;
    }
  }
}

}  // namespace
}  // namespace harness
