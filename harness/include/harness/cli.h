// harness/cli.h: the `pyston-bench` command line: subcommands, their options, exit codes.
// Exit codes: 0 success; 1 something measured failed (a benchmark crashed, hung, or failed its check);
// 2 bad input or setup error (unknown interpreter/benchmark, unreadable database); 130 interrupted (Ctrl-C).
#pragma once

namespace harness {
int run_cli(int argc, char** argv);
}
