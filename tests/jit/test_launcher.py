# `pyston` behaves like python3.8 (and `pyston3.9`, `pyston3.10` like theirs): -c, -m, scripts, sys.argv, exit
# codes, stdin, -i, sys.executable re-launching the launcher (subprocess, multiprocessing, venv), --version; the
# JIT is on unless DISABLE_PYSTON=1.
import multiprocessing
import os
import subprocess
import sys
import tempfile
from jit_support import check

exe = sys.executable
version = "%d.%d" % sys.version_info[:2]
check(os.path.basename(exe) == ("pyston" if version == "3.8" else "pyston" + version), exe)


def run(*args, **kw):
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=120, **kw)


r = run("--version")
check(r.returncode == 0 and "Python " + version in r.stdout and "JIT" in r.stdout, r.stdout)
r = run("-c", "import sys, pyston_lite; print(sys.argv, pyston_lite.is_enabled())", "a", "b")
check(r.stdout.strip() == "['-c', 'a', 'b'] True", r.stdout + r.stderr)
r = run("-c", "import sys; sys.exit(7)")
check(r.returncode == 7)
r = run("-c", "raise SystemExit('bye')")
check(r.returncode == 1 and "bye" in r.stderr)
r = run("-c", "1/0")
check(r.returncode == 1 and "ZeroDivisionError" in r.stderr)
r = run("-m", "json.tool", input='{"a": 1}')
check(r.returncode == 0 and '"a": 1' in r.stdout, r.stdout + r.stderr)
r = run("-", input="import sys; print('stdin', sys.argv)")
check(r.stdout.strip() == "stdin ['-']", r.stdout + r.stderr)
r = run("-i", input="x = 6 * 7\nprint(x)\n")
check("42" in r.stdout, r.stdout + r.stderr)
r = run("-c", "import pyston_lite; print(pyston_lite.is_enabled())", env=dict(os.environ, DISABLE_PYSTON="1"))
check(r.stdout.strip() == "False", r.stdout + r.stderr)
with tempfile.TemporaryDirectory() as d:
    script = os.path.join(d, "s.py")
    with open(script, "w") as f:
        f.write("import sys\nprint(sys.argv[1:])\nsys.exit(3)\n")
    r = run(script, "x", "--y")
    check(r.returncode == 3 and r.stdout.strip() == "['x', '--y']", r.stdout + r.stderr)
    r = run("-m", "venv", "--without-pip", os.path.join(d, "venv"))
    check(r.returncode == 0, r.stderr)
    vpy = os.path.join(d, "venv", "bin", "python")
    out = subprocess.run([vpy, "-c", "import sys, pyston_lite; print(sys.prefix != sys.base_prefix, pyston_lite.is_enabled())"],
                         capture_output=True, text=True, timeout=60)
    check(out.stdout.strip() == "True True", out.stdout + out.stderr)


def square(x):
    return x * x


if __name__ == "__main__":
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        check(pool.map(square, range(5)) == [0, 1, 4, 9, 16])
    print("ok")
