"""The JIT's opcode list (jit/src/opcodes.def) against CPython's own facts and the runtime helpers.

Usage: python3.X test_opcode_table.py OPCODES_DEF RUNTIME_HELPERS_CPP COMPILER_CPP
The list's `#if PY_VERSION_HEX` sections are read as they apply to the interpreter running this (3.8 to 3.10).
Checks that every opcode of this interpreter has a row, that each row's jump kind is dis.hasjrel/hasjabs, and
that a row whose helper is called generically (emitter `generic`, or one that may decline: it returns bool)
says kRetries (kBranches) exactly when its helper can return kResumeBefore (kBranch): compiled code only
looks for those statuses where the row says so, and a missed kResumeBefore resumes after the instruction.
"""
import dis
import re
import sys

ROW = re.compile(r"^OPCODE\((\w+),\s*(\w+),\s*(.+?),\s*(k\w+),\s*([\w|]+),\s*(k\w+)\)", re.M | re.S)


GUARD = re.compile(r"^#\s*if\s+PY_VERSION_HEX\s*(<|>=)\s*(0x[0-9A-Fa-f]+)\s*$")


def for_this_version(text):
    """The list's lines that apply to this interpreter: `#if PY_VERSION_HEX < / >= 0x...`, `#else`, `#endif`."""
    kept, active = [], []
    for line in text.splitlines():
        m = GUARD.match(line.strip())
        if m:
            op, value = m.group(1), int(m.group(2), 16)
            active.append(sys.hexversion < value if op == "<" else sys.hexversion >= value)
        elif line.strip() == "#else":
            active[-1] = not active[-1]
        elif line.strip() == "#endif":
            active.pop()
        elif line.lstrip().startswith("#"):
            raise SystemExit("FAIL: a preprocessor line this test cannot evaluate: %r" % line)
        elif all(active):
            kept.append(line)
    if active:
        raise SystemExit("FAIL: an #if without #endif")
    return "\n".join(kept)


def rows(text):
    text = re.sub(r"//[^\n]*", "", for_this_version(text))
    found = {}
    for m in ROW.finditer(text):
        name, emitter, helper, jump, flags, cache = m.groups()
        assert name not in found, "%s listed twice" % name
        helper = helper.strip().strip("()").strip()
        helper = None if helper == "nullptr" else re.sub(r"<.*", "", helper)  # binary<F, Op> is `binary`
        found[name] = dict(emitter=emitter, helper=helper, jump=jump, flags=set(flags.split("|")) - {"0"},
                           cache=cache)
    return found


def helper_statuses(source):
    """For each function in the helpers' source: which statuses it can return (RETRY is kResumeBefore)."""
    out = {}
    function = re.compile(r"^(?:template <[^>]*>\n)?(?:static )?StackResult (\w+)\([^)]*\) \{\n(.*?)^\}",
                          re.M | re.S)
    for m in function.finditer(source):
        body = m.group(2)
        statuses = set()
        if "RETRY" in body or "kResumeBefore" in body:
            statuses.add("kRetries")
        if "kBranch" in body:
            statuses.add("kBranches")
        out[m.group(1)] = statuses
    return out


def main():
    table = rows(open(sys.argv[1]).read())
    helpers = helper_statuses(open(sys.argv[2]).read())
    # Emitters that always emit (void) handle their helper's statuses themselves.
    generic = {"generic"} | set(re.findall(r"^  bool emit_(\w+)\(\)", open(sys.argv[3]).read(), re.M))
    errors = []
    missing = sorted(set(dis.opmap) - set(table))
    if missing:
        errors.append("opcodes of this interpreter without a row (they would always deopt): %s" % missing)
    extra = sorted(set(table) - set(dis.opmap))
    if extra:
        errors.append("rows for opcodes this interpreter does not have: %s" % extra)
    for name, row in sorted(table.items()):
        if name not in dis.opmap:
            continue
        op = dis.opmap[name]
        want = "kRelative" if op in dis.hasjrel else "kAbsolute" if op in dis.hasjabs else "kNoJump"
        if row["jump"] != want:
            errors.append("%s: jump %s, dis says %s" % (name, row["jump"], want))
        if row["jump"] != "kNoJump" and op < dis.HAVE_ARGUMENT:
            errors.append("%s: a jump without an argument" % name)
        if row["helper"] is None or row["emitter"] not in generic:
            continue
        if row["helper"] not in helpers:
            errors.append("%s: helper %s not found in the helpers' source" % (name, row["helper"]))
            continue
        for flag in ("kRetries", "kBranches"):
            can, says = flag in helpers[row["helper"]], flag in row["flags"]
            if can != says:
                errors.append("%s: its helper %s %s, but the row %s %s" % (
                    name, row["helper"], "can return that status" if can else "never returns that status",
                    "lacks" if can else "says", flag))
    if len(table) < 100:
        errors.append("only %d rows parsed: has the row format changed?" % len(table))
    for e in errors:
        print("FAIL:", e)
    if errors:
        sys.exit(1)
    print("ok: %d rows agree with dis and the helpers" % len(table))


main()
