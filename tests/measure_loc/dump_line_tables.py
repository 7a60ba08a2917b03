"""Dumps every code object of the standard library with CPython's own answer for each instruction offset.

Output, one record per code object:  C <firstlineno> <line table as hex> <code bytes>
followed by                           L <PyCode_Addr2Line at offsets -2, 0, 2, ... code bytes - 2, comma-separated>
`--every N` keeps every Nth stdlib file (sorted by path) for quick CI runs; 1 means the whole standard library.
"""
import ctypes
import os
import sys
import sysconfig
import warnings

addr2line = ctypes.pythonapi.PyCode_Addr2Line
addr2line.argtypes = [ctypes.py_object, ctypes.c_int]
addr2line.restype = ctypes.c_int


def stdlib_files():
    root = sysconfig.get_paths()["stdlib"]
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "site-packages")
        for name in sorted(filenames):
            if name.endswith(".py"):
                yield os.path.join(dirpath, name)


def code_objects(code):
    yield code
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            yield from code_objects(const)


def line_table(code):
    return code.co_linetable if sys.version_info >= (3, 10) else code.co_lnotab


def dump(code, out):
    size = len(code.co_code)
    out.write("C %d %s %d\n" % (code.co_firstlineno, line_table(code).hex(), size))
    lines = [addr2line(code, offset) for offset in range(-2, size, 2)]
    out.write("L " + ",".join(map(str, lines)) + "\n")


def main():
    every = int(sys.argv[sys.argv.index("--every") + 1]) if "--every" in sys.argv else 1
    warnings.simplefilter("ignore")
    out = sys.stdout
    for index, path in enumerate(stdlib_files()):
        if index % every:
            continue
        try:
            with open(path, "rb") as f:
                top = compile(f.read(), path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError, UnicodeDecodeError):
            continue
        for code in code_objects(top):
            dump(code, out)


if __name__ == "__main__":
    main()
