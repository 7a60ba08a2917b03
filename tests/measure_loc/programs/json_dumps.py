"""Spends most of its time in json.dumps (the _json encoder's C code): measure_loc --native must show the C
functions under the line that calls it. argv[1]: rounds (default 300, about 1 s of CPU on CPython 3.8); a fixed
amount of work, so the sample count does not drop on a busy machine."""
import json
import sys

DOCUMENT = {"name": "x" * 40, "values": list(range(200)), "nested": {str(i): [i, "é" * 5, None] for i in range(50)}}


def encode(rounds):
    total = 0
    for _ in range(rounds):
        total += len(json.dumps(DOCUMENT))  # LINE_DUMPS
    return total


def spin(rounds):
    total = 0
    for i in range(rounds * 8000):  # LINE_SPIN
        total += i
    return total


def main(rounds):
    encode(rounds * 50)  # LINE_ENCODE
    spin(rounds)  # LINE_MAIN_SPIN


main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
