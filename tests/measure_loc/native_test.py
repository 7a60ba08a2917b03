#!/usr/bin/env python3
"""measure_loc --native end to end (src/native_stack.cpp, code_map.cpp, native_merge.cpp), with the real binary.

usage: native_test.py MEASURE_LOC PYTHON...   (each PYTHON a CPython 3.8-3.10 or a pyston launcher)

On programs/json_dumps.py (most of its time in json.dumps): the _json encoder's C functions and libpython's
(PyUnicode_*, long formatting, dict iteration, allocation) appear in the collapsed stacks, inside the Python frame
that called them (json/encoder.py's iterencode), under the program's own json.dumps line; the hot lines match a
run without --native; under pyston the compiled frames are merged (the JIT's perf map names them). Also: --native
refuses CPython 3.11 with exit code 2."""
import json
import os
import re
import subprocess
import sys
import tempfile

from stacks_test import NATIVE_LINE, parse_collapsed

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAM = os.path.join(HERE, "programs", "json_dumps.py")
# C functions a json.dumps of this document spends its time in, besides the encoder's own.
RUNTIME_WORK = re.compile(r"PyUnicode|_PyAccu|long_to_decimal|PyDict|dict|PyObject_Malloc|pymalloc|PyList")


def marked_lines():
    with open(PROGRAM) as f:
        return {text.split("# ")[-1].strip(): n for n, text in enumerate(f, 1) if "# LINE_" in text}


def profile(measure_loc, python, tmp, native):
    report, collapsed = os.path.join(tmp, "r.json"), os.path.join(tmp, "c.txt")
    args = [measure_loc, "--python", python, "--json", "-o", report, "--collapsed", collapsed]
    subprocess.run(args + (["--native"] if native else []) + [PROGRAM, "300"], check=True)
    # Frames as ("python", function, file, line) or ("c", function, library).
    stacks = [([("c", f[0], f[1]) if f[2] == NATIVE_LINE else ("python",) + f for f in frames], count)
              for frames, count in parse_collapsed(collapsed)]
    return json.load(open(report)), stacks


def check_c_frames(python, stacks, samples, lines):
    """The encoder's C code under iterencode, under our json.dumps line; the runtime's C functions inside it."""
    in_json_c = in_runtime = 0
    for frames, count in stacks:
        kinds = [f[0] for f in frames]
        if "c" not in kinds:
            continue
        first_c = kinds.index("c")
        callers = [f for f in frames[:first_c] if f[0] == "python"]
        c_frames = frames[first_c:]
        if not any(f[2].startswith("_json") for f in c_frames):
            continue
        # C frames sit inside the innermost Python frame only: no Python frame after them in this program.
        assert "python" not in kinds[first_c:], f"{python}: a Python frame inside C frames: {frames}"
        # The encoder object is called by iterencode (other _json code, rarely sampled, runs at import and in
        # the encoder's deallocation, once iterencode's frame is gone).
        if not any(f[1] == "encoder_call" for f in c_frames):
            continue
        assert any(f[1] == "encode" and f[2] == PROGRAM and f[3] == lines["LINE_DUMPS"] for f in callers), \
            f"{python}: json.dumps's C code not under line {lines['LINE_DUMPS']}: {callers}"
        caller = callers[-1]
        assert caller[1] == "iterencode" and caller[2].endswith("json/encoder.py"), \
            f"{python}: the encoder's C code is not inside iterencode: {callers[-3:]}"
        in_json_c += count
        if any(RUNTIME_WORK.search(f[1]) for f in c_frames):
            in_runtime += count
    json_share, runtime_share = 100.0 * in_json_c / samples, 100.0 * in_runtime / samples
    # The encoding is ~80% of the program; nearly all of it runs in _json's C code.
    assert json_share > 50, f"{python}: only {json_share:.1f}% of samples in _json's C functions"
    assert runtime_share > 15, f"{python}: only {runtime_share:.1f}% in libpython's functions under the encoder"
    return json_share, runtime_share


def hot_lines(doc):
    return {(l["filename"], l["line"]): l["percent"] for l in doc["lines"]}


def check_same_lines(python, plain, native):
    """Every line with 5% or more in either run has the same share within 8 points: a few thousand samples each,
    and the spread of a busy machine (the encoder's line, in the encoding that is 81-85% of the CPU time, got 72-81%
    without --native and 76-85% with it in runs at load 3-5)."""
    a, b = hot_lines(plain), hot_lines(native)
    for key in set(a) | set(b):
        if max(a.get(key, 0), b.get(key, 0)) < 5:
            continue
        assert abs(a.get(key, 0) - b.get(key, 0)) < 8, \
            f"{python}: {key[0]}:{key[1]} has {a.get(key, 0):.1f}% without --native, {b.get(key, 0):.1f}% with it"


def main():
    measure_loc, pythons = sys.argv[1], sys.argv[2:]
    lines = marked_lines()
    with tempfile.TemporaryDirectory() as tmp:
        for python in pythons:
            plain, _ = profile(measure_loc, python, tmp, native=False)
            native, stacks = profile(measure_loc, python, tmp, native=True)
            assert native["native"] == "on" and plain["native"] == "off"
            samples = native["samples"]
            # A native sample waits for the stopped thread to be scheduled: with other work on its CPU the rate
            # falls (seen: 296 samples in one run under ctest, 3,400-4,500 on a quieter machine).
            assert samples > 200, f"{python}: only {samples} samples with --native"
            assert sum(c for _, c in stacks) == samples, f"{python}: collapsed counts != {samples} samples"
            # Unwinding reached every Python frame (compiled ones too, by the perf map under pyston).
            assert native["native_incomplete_samples"] <= 0.02 * samples, \
                f"{python}: {native['native_incomplete_samples']} of {samples} samples without every Python frame"
            json_share, runtime_share = check_c_frames(python, stacks, samples, lines)
            check_same_lines(python, plain, native)
            print(f"{python}: {samples} samples, {json_share:.1f}% in _json's C code, {runtime_share:.1f}% in "
                  f"libpython under it, {native['native_incomplete_samples']} incomplete; lines as without --native")
        refused = subprocess.run([measure_loc, "--python", "python3.11", "--native", PROGRAM, "1"],
                                 capture_output=True, text=True)
        assert refused.returncode == 2 and "--native supports CPython 3.8-3.10" in refused.stderr, refused
    print("ok")


if __name__ == "__main__":
    main()
