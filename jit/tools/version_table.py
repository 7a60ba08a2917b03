#!/usr/bin/env python3
"""version_table.py: the fields that differ between CPython versions in the JIT's generated version layouts
(BUILD/jit/versions/version_3_*.inc, written by jit/src/versions/version_probe.c), as a Markdown table,
followed by the opcodes each version adds and removes. Usage: version_table.py BUILD/jit/versions"""
import pathlib
import re
import sys


def read_layout(path):
    text = path.read_text()
    fields = dict(re.findall(r"^\s*\.(\w+) = ([^,{]+),$", text, re.M))
    names = re.search(r"\.opcode_names = \{(.*?)\}", text, re.S).group(1)
    fields["opcodes"] = {n for n in re.findall(r'"(\w+)"', names)}
    return fields


def main(argv):
    if len(argv) != 2 or not pathlib.Path(argv[1]).is_dir():
        sys.exit("usage: version_table.py BUILD/jit/versions  (the folder holding version_3_*.inc; "
                 "build the pyston_jit_versions target first)")
    files = sorted(pathlib.Path(argv[1]).glob("version_3_*.inc"), key=lambda p: int(p.stem.split("_")[2]))
    if not files:
        sys.exit(f"version_table.py: no version_3_*.inc in {argv[1]}; build the pyston_jit_versions target")
    layouts = [read_layout(f) for f in files]
    versions = [f"3.{l['minor']}" for l in layouts]
    print("| field | " + " | ".join(versions) + " |")
    print("|---" * (len(versions) + 1) + "|")
    for field in layouts[0]:
        if field in ("major", "minor", "opcodes"):
            continue
        values = [l[field].split("::")[-1] for l in layouts]
        if len(set(values)) > 1:
            # -1 marks a field this version lacks, except in run_state_* (values; FRAME_SUSPENDED is -1).
            absent = "-1" if not field.startswith("run_state_") else None
            print(f"| `{field}` | " + " | ".join("—" if v == absent else v for v in values) + " |")
    print()
    for before, after, version in zip(layouts, layouts[1:], versions[1:]):
        added = sorted(after["opcodes"] - before["opcodes"])
        removed = sorted(before["opcodes"] - after["opcodes"])
        print(f"- {version}: adds {', '.join(added) or 'none'}; removes {', '.join(removed) or 'none'}")


if __name__ == "__main__":
    main(sys.argv)
