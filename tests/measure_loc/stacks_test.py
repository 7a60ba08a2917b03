#!/usr/bin/env python3
"""The stack outputs of the real binary (src/report_collapsed.cpp, report_speedscope.cpp, stack_reader.cpp) on a
program with a known call structure (programs/call_tree.py), under each Python given.

usage: stacks_test.py MEASURE_LOC PYTHON...

The speedscope file is checked against the structure of speedscope's published file format (file-format-spec:
the File, Frame and SampledProfile types): required fields, their types, and indices that stay in range."""
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAM = os.path.join(HERE, "programs", "call_tree.py")
FORKS = os.path.join(HERE, "programs", "forks.py")
COLLAPSED_LINE = re.compile(r"^(.+) (\d+)$")
FRAME = re.compile(r"^(.+) \((.*):(\d+|<no line>)\)$")
NATIVE_FRAME = re.compile(r"^(.+) \[(.+)\]$")
NATIVE_LINE = -2  # kNativeLine
UNITS = {"none", "nanoseconds", "microseconds", "milliseconds", "seconds", "bytes"}


def marked_lines(program=PROGRAM):
    lines = {}
    with open(program) as f:
        for n, text in enumerate(f, 1):
            if "# LINE_" in text:
                lines[text.split("# ")[-1].strip()] = n
    return lines


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def check_speedscope(doc):
    """Every field the format requires, with its type; raises AssertionError naming the first problem."""
    assert isinstance(doc, dict), "the file is not a JSON object"
    assert doc.get("$schema") == "https://www.speedscope.app/file-format-schema.json", "$schema missing or wrong"
    assert isinstance(doc.get("shared"), dict), "shared must be an object"
    frames = doc["shared"].get("frames")
    assert isinstance(frames, list) and frames, "shared.frames must be a non-empty array"
    for i, frame in enumerate(frames):
        assert isinstance(frame, dict) and isinstance(frame.get("name"), str), f"frame {i}: name must be a string"
        assert "file" not in frame or isinstance(frame["file"], str), f"frame {i}: file must be a string"
        for key in ("line", "col"):
            assert key not in frame or is_number(frame[key]), f"frame {i}: {key} must be a number"
        assert set(frame) <= {"name", "file", "line", "col"}, f"frame {i}: unknown keys {set(frame)}"
    for key, kind in (("name", str), ("exporter", str)):
        assert key not in doc or isinstance(doc[key], kind), f"{key} must be a string"
    profiles = doc.get("profiles")
    assert isinstance(profiles, list) and profiles, "profiles must be a non-empty array"
    if "activeProfileIndex" in doc:
        assert is_number(doc["activeProfileIndex"]) and 0 <= doc["activeProfileIndex"] < len(profiles)
    for i, p in enumerate(profiles):
        assert p.get("type") == "sampled", f"profile {i}: type must be 'sampled'"
        assert isinstance(p.get("name"), str), f"profile {i}: name must be a string"
        assert p.get("unit") in UNITS, f"profile {i}: unit must be one of {sorted(UNITS)}"
        assert is_number(p.get("startValue")) and is_number(p.get("endValue")), f"profile {i}: start/endValue"
        assert p["endValue"] >= p["startValue"], f"profile {i}: endValue below startValue"
        samples, weights = p.get("samples"), p.get("weights")
        assert isinstance(samples, list) and isinstance(weights, list), f"profile {i}: samples/weights arrays"
        assert len(samples) == len(weights), f"profile {i}: samples and weights differ in length"
        for stack in samples:
            assert isinstance(stack, list) and all(isinstance(f, int) and 0 <= f < len(frames) for f in stack), \
                f"profile {i}: a sample holds something other than frame indices"
        assert all(is_number(w) and w >= 0 for w in weights), f"profile {i}: weights must be numbers >= 0"


def function_path(frames):
    """<module>;main;heavy;work from a list of (function, file, line)."""
    return ";".join(f[0] for f in frames if f[1].endswith("call_tree.py"))


def shares(stacks):
    total = sum(c for _, c in stacks)
    by_path = {}
    for frames, count in stacks:
        by_path[function_path(frames)] = by_path.get(function_path(frames), 0) + count
    return {path: 100.0 * c / total for path, c in by_path.items()}, total


def check_call_structure(stacks, lines, python, what):
    share, total = shares(stacks)
    heavy = share.get("<module>;main;heavy;work", 0)
    light = share.get("<module>;main;light;work", 0)
    assert total > 300, f"{python} {what}: only {total} samples"
    assert abs(heavy - 75) < 8 and abs(light - 25) < 8, f"{python} {what}: heavy {heavy:.1f}%, light {light:.1f}%"
    # Outer frames are at their call lines.
    for frames, count in stacks:
        names = [f[0] for f in frames]
        if names[-2:] == ["heavy", "work"]:
            assert frames[-2][2] == lines["LINE_HEAVY_CALL"], f"{python} {what}: heavy at line {frames[-2][2]}"
            assert frames[-3][2] == lines["LINE_MAIN_HEAVY"], f"{python} {what}: main at line {frames[-3][2]}"
        if names[-2:] == ["light", "work"]:
            assert frames[-2][2] == lines["LINE_LIGHT_CALL"], f"{python} {what}: light at line {frames[-2][2]}"
            assert frames[-3][2] == lines["LINE_MAIN_LIGHT"], f"{python} {what}: main at line {frames[-3][2]}"


def parse_collapsed(path):
    """[(frames, count)], frames outermost first as (function, file, line); a C frame of --native,
    'function [library]', as (function, library, NATIVE_LINE)."""
    stacks = []
    with open(path) as f:
        for text in f:
            m = COLLAPSED_LINE.match(text.rstrip("\n"))
            assert m, f"not a collapsed-stack line: {text!r}"
            frames = []
            for part in m.group(1).split(";"):
                fm, native = FRAME.match(part), NATIVE_FRAME.match(part)
                assert fm or native, f"frame neither 'function (file:line)' nor 'function [library]': {part!r}"
                if fm:
                    frames.append((fm.group(1), fm.group(2), int(fm.group(3)) if fm.group(3).isdigit() else -1))
                else:
                    frames.append((native.group(1), native.group(2), NATIVE_LINE))
            stacks.append((frames, int(m.group(2))))
    return stacks


def speedscope_stacks(doc):
    frames = doc["shared"]["frames"]
    p = doc["profiles"][0]
    return [([(frames[i]["name"], frames[i].get("file", ""), frames[i].get("line", -1)) for i in s], w)
            for s, w in zip(p["samples"], p["weights"])]


def check_subprocesses(measure_loc, python, tmp):
    """--subprocesses samples the forked and the exec'd child too, reports each and their sum."""
    lines = marked_lines(FORKS)
    report, speedscope = os.path.join(tmp, "p.json"), os.path.join(tmp, "p-s.json")

    def share_of(doc, marker):
        hits = [l["count"] for l in doc["lines"] if l["filename"].endswith("forks.py") and l["line"] == lines[marker]]
        return 100.0 * sum(hits) / max(1, doc["samples"])

    subprocess.run([measure_loc, "--python", python, "--json", "-o", report, FORKS, "1"], check=True)
    alone = json.load(open(report))
    assert share_of(alone, "LINE_FORKED") == 0 and share_of(alone, "LINE_EXEC") == 0, \
        f"{python}: without --subprocesses only the root process may be sampled"
    subprocess.run([measure_loc, "--python", python, "--subprocesses", "--json", "-o", report, "--speedscope",
                    speedscope, FORKS, "1"], check=True)
    doc = json.load(open(report))
    pids = {p["pid"] for p in doc["processes"]}
    assert len(doc["processes"]) == 3 and len(pids) == 3, f"{python}: processes {doc['processes']}"
    assert sum(p["samples"] for p in doc["processes"]) == doc["samples"], f"{python}: processes do not add up"
    for marker in ("LINE_PARENT", "LINE_FORKED", "LINE_EXEC"):
        # Three processes spinning for the same time on one shared CPU: about a third each, less the exec'd
        # child's start-up (counted: the root had started counting).
        assert share_of(doc, marker) > 5, f"{python}: {marker} has {share_of(doc, marker):.1f}% of the samples"
        owners = [p for p in doc["processes"]
                  if any(l["line"] == lines[marker] and l["count"] > 10 for l in p["top_lines"])]
        assert len(owners) == 1, f"{python}: {marker} should be hot in exactly one process, got {len(owners)}"
    s = json.load(open(speedscope))
    check_speedscope(s)
    assert len(s["profiles"]) == 4, f"{python}: speedscope should hold the sum and one profile per process"
    print(f"{python}: --subprocesses sampled {len(pids)} processes, {doc['samples']} samples")


def main():
    measure_loc, pythons = sys.argv[1], sys.argv[2:]
    lines = marked_lines()
    with tempfile.TemporaryDirectory() as tmp:
        for python in pythons:
            collapsed, speedscope, report = (os.path.join(tmp, n) for n in ("c.txt", "s.json", "r.json"))
            subprocess.run([measure_loc, "--python", python, "--json", "-o", report, "--collapsed", collapsed,
                            "--speedscope", speedscope, PROGRAM, "40"], check=True)
            samples = json.load(open(report))["samples"]
            stacks = parse_collapsed(collapsed)
            assert sum(c for _, c in stacks) == samples, f"{python}: collapsed counts != {samples} samples"
            check_call_structure(stacks, lines, python, "collapsed")
            doc = json.load(open(speedscope))
            check_speedscope(doc)
            assert sum(doc["profiles"][0]["weights"]) == samples, f"{python}: speedscope weights != samples"
            check_call_structure(speedscope_stacks(doc), lines, python, "speedscope")
            print(f"{python}: {samples} samples, stacks as expected")
        for python in pythons[:2]:
            check_subprocesses(measure_loc, python, tmp)
    # The validator itself must reject what the format does not allow.
    for broken in ({}, {"$schema": "https://www.speedscope.app/file-format-schema.json", "shared": {"frames": []},
                        "profiles": []}):
        try:
            check_speedscope(broken)
        except AssertionError:
            continue
        raise SystemExit(f"the speedscope check accepted {broken}")
    print("ok")


if __name__ == "__main__":
    main()
