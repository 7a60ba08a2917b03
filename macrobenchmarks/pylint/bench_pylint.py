"""pylint 2.16 run in-process (its Python API, as editors and CI wrappers do) over target/warehouse.py, a fixed
1,000-line module committed with the benchmark. Like a long-running lint server, one process lints the target
again and again: the first iteration also parses and infers the standard-library modules the target imports
(astroid's cache starts cold), later ones re-check the module. The check compares the messages pylint emits
with the counts it gives on every correct interpreter (CPython 3.8, 3.11 and PyPy 3.9 agree)."""
import os

from pylint.lint import Run
from pylint.reporters import CollectingReporter

DEFAULT_SIZE = 1  # pylint runs per iteration
TARGET = os.path.join(os.path.dirname(os.path.abspath(__file__)), "target", "warehouse.py")
# --py-version pins the checks that depend on the target version (default: the running interpreter).
ARGS = ["--rcfile=" + os.devnull, "--persistent=n", "--jobs=1", "--score=n", "--py-version=3.8", TARGET]

# symbol -> count, as pylint 2.16.2 (Debian 12) reports them for target/warehouse.py.
EXPECTED = {
    "consider-using-f-string": 29, "invalid-name": 8, "line-too-long": 31, "missing-class-docstring": 16,
    "missing-function-docstring": 73, "raise-missing-from": 1, "too-few-public-methods": 1, "too-many-arguments": 5,
    "too-many-instance-attributes": 2, "too-many-lines": 1, "too-many-locals": 1, "unspecified-encoding": 2,
    "unused-import": 5,
}


def lint_once():
    reporter = CollectingReporter()
    Run(list(ARGS), reporter=reporter, exit=False)
    counts = {}
    for message in reporter.messages:
        counts[message.symbol] = counts.get(message.symbol, 0) + 1
    return counts


def run(size):
    result = None
    for _ in range(size):
        result = lint_once()
    return result


def check(result, size):
    if result != EXPECTED:
        raise AssertionError("pylint's findings differ: got %r, expected %r" % (sorted(result.items()),
                                                                               sorted(EXPECTED.items())))


if __name__ == "__main__":
    import time
    t = time.perf_counter()
    print(sorted(lint_once().items()), time.perf_counter() - t)
