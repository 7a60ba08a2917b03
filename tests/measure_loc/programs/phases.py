"""Two phases of equal work in two functions: counting from "phases.py:measured" must see only the second,
counting from "phases.py" both. argv[1]: loop count per phase (default 3,000,000)."""
import sys


def warm(n):
    for _ in range(n): pass  # LINE_WARM


def measured(n):
    for _ in range(n): pass  # LINE_MEASURED


count = int(sys.argv[1]) if len(sys.argv) > 1 else 3000000
warm(count)
measured(count)
