// Tests naming, resolving and probing interpreters (harness/src/interpreter.cpp) with the real ones here.
#include "harness/interpreter.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "harness/error.h"
#include "test_support.h"

namespace harness {
namespace {

TEST(InterpreterSpec, BareNameIsItsOwnLabel) {
  auto spec = parse_interpreter_spec("python3.8");
  EXPECT_EQ(spec.label, "python3.8");
  EXPECT_EQ(spec.argv, std::vector<std::string>{"python3.8"});
}

TEST(InterpreterSpec, LabelAndArguments) {
  auto spec = parse_interpreter_spec("dev=python3.8 -X dev");
  EXPECT_EQ(spec.label, "dev");
  EXPECT_EQ(spec.argv, (std::vector<std::string>{"python3.8", "-X", "dev"}));
}

TEST(InterpreterSpec, EqualsInsideAnArgumentIsNotALabel) {
  auto spec = parse_interpreter_spec("python3.8 -X importtime=1");
  EXPECT_EQ(spec.label, "python3.8 -X importtime=1");
  EXPECT_EQ(spec.argv.size(), 3u);
}

TEST(InterpreterSpec, PathWithEqualsIsNotALabel) {
  auto spec = parse_interpreter_spec("/opt/a=b/python");
  EXPECT_EQ(spec.argv[0], "/opt/a=b/python");
}

TEST(InterpreterSpec, EmptyIsAnError) { EXPECT_THROW(parse_interpreter_spec("x= "), HarnessError); }

TEST(ResolveExecutable, FindsPyenvVersionsOffPath) {
  auto path = resolve_executable("python3.8");
  EXPECT_TRUE(std::filesystem::exists(path)) << path;
  EXPECT_EQ(path.filename(), "python3.8");
}

TEST(ResolveExecutable, UnknownNameListsWhereItLooked) {
  try {
    resolve_executable("python9.9-does-not-exist");
    FAIL() << "expected an error";
  } catch (const HarnessError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("unknown interpreter 'python9.9-does-not-exist'"), std::string::npos) << message;
    EXPECT_NE(message.find(".pyenv/versions"), std::string::npos) << message;
    EXPECT_FALSE(e.hint().empty());
  }
}

TEST(ResolveExecutable, MissingPathIsAnError) { EXPECT_THROW(resolve_executable("/nonexistent/python"), HarnessError); }

TEST(ProbeInterpreter, ReportsImplementationVersionAndHash) {
  Interpreter interpreter = testing::python38();
  EXPECT_EQ(interpreter.implementation, "cpython");
  EXPECT_EQ(interpreter.version.rfind("3.8.", 0), 0u) << interpreter.version;
  EXPECT_EQ(interpreter.executable_sha256.size(), 64u);
  EXPECT_TRUE(interpreter.executable.is_absolute());
  EXPECT_NE(interpreter.probe_json.find("\"hexversion\""), std::string::npos);
}

TEST(ProbeInterpreter, ArgumentsArePassedThrough) {
  Interpreter interpreter = probe_interpreter(parse_interpreter_spec("python3.8 -X dev"));
  EXPECT_EQ(interpreter.argv.size(), 3u);
  EXPECT_EQ(interpreter.argv[1], "-X");
}

TEST(ProbeInterpreter, NotAPythonIsAClearError) {
  try {
    probe_interpreter(parse_interpreter_spec("/bin/false"));
    FAIL() << "expected an error";
  } catch (const HarnessError& e) {
    EXPECT_NE(std::string(e.what()).find("not a working Python"), std::string::npos) << e.what();
  }
}

TEST(Sha256, KnownDigest) {
  auto dir = testing::temp_dir("sha");
  std::FILE* f = std::fopen((dir / "abc").c_str(), "w");
  std::fputs("abc", f);
  std::fclose(f);
  EXPECT_EQ(sha256_file(dir / "abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace harness
