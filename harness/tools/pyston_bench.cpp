// pyston-bench: compares Python interpreters on the micro- and macrobenchmarks; see harness/cli.h.
#include "harness/cli.h"

int main(int argc, char** argv) { return harness::run_cli(argc, argv); }
