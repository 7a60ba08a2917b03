// stack_profile_test.cpp: stacks as a profile keeps them (src/stack_profile.cpp): the tally's frames, stacks and
// leaf lines, hot functions (self and total, recursion counted once), and the sum of several processes.
#include "stack_profile.h"

#include <gtest/gtest.h>

namespace measure_loc {
namespace {

// Functions 0 = main, 1 = f, 2 = g, all in a.py.
const std::vector<FunctionName> kFunctions = {{0, "main"}, {0, "f"}, {0, "g"}};
const std::vector<std::string> kFiles = {"a.py"};

SampledStack stack(std::vector<SampledFrame> innermost_first, bool truncated = false) {
  return {std::move(innermost_first), truncated};
}

std::string path(const Profile& p, const StackCount& s) {
  std::string out;
  for (int f : s.frames) out += (out.empty() ? "" : ";") + p.frames[static_cast<std::size_t>(f)].function + ":" +
                                std::to_string(p.frames[static_cast<std::size_t>(f)].line);
  return out;
}

TEST(StackProfile, TallyGivesFramesStacksAndLeafLines) {
  StackTally tally;
  for (int i = 0; i < 3; ++i) tally.add(stack({{2, 30}, {1, 20}, {0, 10}}));  // main -> f -> g
  tally.add(stack({{1, 21}, {0, 10}}));                                        // main -> f
  tally.add(stack({{2, 30}}, true));                                           // deeper than asked
  Profile p;
  tally.fill(p, kFunctions, kFiles);
  ASSERT_EQ(p.stacks.size(), 3u);
  EXPECT_EQ(path(p, p.stacks[0]), "main:10;f:20;g:30");  // outermost first, hottest first
  EXPECT_EQ(p.stacks[0].count, 3);
  std::vector<std::string> others = {path(p, p.stacks[1]), path(p, p.stacks[2])};
  std::sort(others.begin(), others.end());
  EXPECT_EQ(others[0], std::string(kDeeperFrames) + ":-1;g:30");
  EXPECT_EQ(others[1], "main:10;f:21");
  ASSERT_EQ(p.lines.size(), 2u);
  EXPECT_EQ(p.lines[0].line, 30);
  EXPECT_EQ(p.lines[0].count, 4);
  EXPECT_EQ(p.frames.size(), 5u);  // main:10, f:20, g:30, f:21 and the deeper-frames root, each once
}

TEST(StackProfile, FunctionsCountSelfAndTotalOncePerSample) {
  StackTally tally;
  for (int i = 0; i < 6; ++i) tally.add(stack({{1, 20}, {1, 22}, {0, 10}}));  // main -> f -> f (recursion)
  for (int i = 0; i < 4; ++i) tally.add(stack({{2, 30}, {0, 11}}));           // main -> g
  Profile p;
  tally.fill(p, kFunctions, kFiles);
  p.samples = 10;
  auto functions = p.functions();
  ASSERT_EQ(functions.size(), 3u);
  EXPECT_EQ(functions[0].function, "main");
  EXPECT_EQ(functions[0].total, 10);
  EXPECT_EQ(functions[0].self, 0);
  EXPECT_EQ(functions[1].function, "f");
  EXPECT_EQ(functions[1].total, 6);  // not 12: a sample counts once however deep f recurses
  EXPECT_EQ(functions[1].self, 6);
  EXPECT_EQ(functions[2].function, "g");
  EXPECT_EQ(functions[2].self, 4);
}

TEST(StackProfile, MergedProcessesAddUp) {
  Profile a, b;
  StackTally ta, tb;
  for (int i = 0; i < 5; ++i) ta.add(stack({{1, 20}, {0, 10}}));
  for (int i = 0; i < 3; ++i) tb.add(stack({{1, 20}, {0, 10}}));
  tb.add(stack({{2, 30}, {0, 10}}));
  ta.fill(a, kFunctions, kFiles);
  tb.fill(b, kFunctions, {"a.py"});
  a.samples = 5;
  b.samples = 4;
  a.pid = 10;
  b.pid = 11;
  b.failed = 2;
  Profile m = merge_processes({a, b});
  EXPECT_EQ(m.samples, 9);
  EXPECT_EQ(m.failed, 2);
  EXPECT_EQ(m.pid, 10);
  ASSERT_EQ(m.processes.size(), 2u);
  ASSERT_EQ(m.stacks.size(), 2u);
  EXPECT_EQ(path(m, m.stacks[0]), "main:10;f:20");
  EXPECT_EQ(m.stacks[0].count, 8);
  EXPECT_EQ(m.lines[0].count, 8);
  EXPECT_EQ(m.lines[1].count, 1);
  EXPECT_EQ(m.frames.size(), 3u);  // main:10 shared by both processes
}

}  // namespace
}  // namespace measure_loc
