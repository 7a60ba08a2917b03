#!/usr/bin/env python3
"""check-fresh-machine.py: which Debian packages do the build and the tests use that a fresh machine would not have?

A fresh Debian 12 machine has its required/essential packages plus what `./setup.sh` installs: the packages in
scripts/packages.txt and their dependencies (never their recommendations: setup installs with
--no-install-recommends). This script configures and builds the project in a scratch folder and runs the tests
under strace, maps every file that was opened or executed to the package that owns it (dpkg's file lists), and
prints the packages used but not in that set. Exit 0 when there are none, 1 when some are missing from
packages.txt, 2 on a usage or setup error. Under strace, tests that time a sampler or need ptrace themselves (gdb)
fail; the packages they used are still checked. Packages a program uses only when present are in OPTIONAL.

    scripts/check-fresh-machine.py                       # configure + build + every test (long: the whole suite)
    scripts/check-fresh-machine.py --tests 'e2e|gui'     # configure + build + the tests matching a regex
    scripts/check-fresh-machine.py --trace FILE...       # only analyse strace logs written earlier
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRACED_CALLS = "trace=open,openat,openat2,execve,stat,newfstatat,access,faccessat,faccessat2,readlink"
# A successful call that names a path: syscall("path", ...) = <non-negative>.
# Used when present, not needed: the program works the same without them on a fresh machine.
OPTIONAL = {
    "locales": "glibc reads /usr/share/locale/locale.alias if it exists",
    "lib32gcc-s1": "the linker walks multilib search folders that exist only if installed",
    "lib32stdc++6": "the linker walks multilib search folders that exist only if installed",
    "libc6-i386": "the linker and ldconfig read its ld.so.conf.d entry if installed",
    "libfakeroot": "the linker and ldconfig read its ld.so.conf.d entry if installed",
    "llvm-14-linker-tools": "ar and ld load every plugin in bfd-plugins/ (LLVMgold) if one is there",
    "libllvm14": "needed only by LLVMgold (llvm-14-linker-tools), loaded if present",
    "libegl-dev": "CMake's FindOpenGL looks for the optional EGL component",
    "libglu1-mesa-dev": "CMake's FindOpenGL looks for the optional GLU library",
    "libtcl8.6": "the pyenv CPythons' _tkinter; the regression tests that import it skip without it",
    "libtk8.6": "the pyenv CPythons' _tkinter; the regression tests that import it skip without it",
    "libxft2": "needed only by libtk8.6 (above)",
    "libxss1": "needed only by libtk8.6 (above)",
    "libxcursor1": "Qt's xcb plugin loads cursor support if present",
    "adwaita-icon-theme": "Qt's xcb plugin loads a cursor theme if present",
    "openssl": "libssl reads /usr/lib/ssl/openssl.cnf if it exists",
}
PATH_CALL = re.compile(r'^(?:\[pid\s+\d+\]\s+)?(?:\d+\s+)?\w+\((?:AT_FDCWD, |-?\d+, )?"([^"]+)".*\)\s+=\s+(\d+)')


def fail(message, hint=""):
    print(f"check-fresh-machine: error: {message}", file=sys.stderr)
    if hint:
        print(f"hint: {hint}", file=sys.stderr)
    sys.exit(2)


def run_traced(log_prefix, argv, cwd):
    cmd = ["strace", "-f", "-qq", "-s", "4096", "-e", TRACED_CALLS, "-o", log_prefix, "--"] + argv
    print("+", " ".join(argv), flush=True)
    return subprocess.run(cmd, cwd=cwd).returncode


def paths_in_traces(files):
    paths = set()
    for name in files:
        with open(name, errors="replace") as log:
            for line in log:
                match = PATH_CALL.match(line)
                if match:
                    paths.add(match.group(1))
    return paths


def file_owners():
    """Every path dpkg knows, to the packages that own it (from /var/lib/dpkg/info/*.list)."""
    owners = {}
    for listing in glob.glob("/var/lib/dpkg/info/*.list"):
        package = os.path.basename(listing)[:-len(".list")].split(":")[0]
        with open(listing, errors="replace") as f:
            for path in f:
                owners.setdefault(path.rstrip("\n"), set()).add(package)
    return owners


def owner_of(path, owners):
    """The packages owning a path, trying it as written and with symlinks resolved (dpkg lists either)."""
    candidates = [path, os.path.normpath(path)]
    try:
        candidates.append(os.path.realpath(path))
    except OSError:
        pass
    for candidate in candidates:
        if candidate in owners:
            return owners[candidate]
        # /usr-merge: /lib/x86_64-linux-gnu/... is listed as /lib or /usr/lib depending on the package.
        for a, b in (("/usr/lib/", "/lib/"), ("/lib/", "/usr/lib/"), ("/usr/bin/", "/bin/"), ("/bin/", "/usr/bin/")):
            if candidate.startswith(a) and b + candidate[len(a):] in owners:
                return owners[b + candidate[len(a):]]
    return set()


def listed_packages():
    with open(os.path.join(ROOT, "scripts", "packages.txt")) as f:
        return [line.strip() for line in f if line.strip() and not line.lstrip().startswith("#")]


def dependency_closure(packages):
    """packages and everything they depend on (Depends and Pre-Depends only), as apt would install them."""
    out = subprocess.run(
        ["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests", "--no-conflicts", "--no-breaks",
         "--no-replaces", "--no-enhances"] + packages,
        capture_output=True, text=True, check=True).stdout
    closure = set(packages)
    for line in out.splitlines():
        name = line.strip()
        if ":" in name:  # "Depends: libfoo" or "PreDepends: libc6"
            name = name.split(":", 1)[1].strip()
        name = name.strip("<>|").split(":")[0]
        if name:
            closure.add(name)
    return closure


def base_system():
    """Packages every Debian 12 installation has: Essential, or of Priority required."""
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Package}\t${Essential}\t${Priority}\n"],
                         capture_output=True, text=True, check=True).stdout
    base = set()
    for line in out.splitlines():
        name, essential, priority = (line.split("\t") + ["", ""])[:3]
        if essential == "yes" or priority == "required":
            base.add(name)
    return dependency_closure(sorted(base)) if base else base


def trace_build_and_tests(work, test_regex, jobs):
    build = os.path.join(work, "build")
    logs = os.path.join(work, "trace")
    status = run_traced(logs, ["cmake", "-S", ROOT, "-B", build, "-DCMAKE_BUILD_TYPE=Release"], ROOT)
    if status != 0:
        fail("the configure step failed (see above)", "fix it first; this script checks a working build")
    status = run_traced(logs + ".build", ["cmake", "--build", build, f"-j{jobs}"], ROOT)
    if status != 0:
        fail("the build failed (see above)")
    ctest = ["ctest", "--output-on-failure", "--timeout", "1800", f"-j{jobs}"]
    if test_regex:
        ctest += ["-R", test_regex]
    status = run_traced(logs + ".tests", ctest, build)
    if status != 0:
        print("check-fresh-machine: some tests failed; the packages they used are still checked", file=sys.stderr)
    return glob.glob(logs + "*")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", metavar="REGEX", help="run only the tests matching REGEX (default: all)")
    parser.add_argument("--trace", nargs="+", metavar="FILE", help="analyse these strace logs instead of running")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--keep", action="store_true", help="keep the scratch build and the traces")
    args = parser.parse_args()
    for tool in ("strace", "dpkg-query", "apt-cache"):
        if subprocess.run(["sh", "-c", f"command -v {tool}"], capture_output=True).returncode != 0:
            fail(f"{tool} not found", "apt-get install --no-install-recommends strace")

    work = tempfile.mkdtemp(prefix="pb-fresh-")
    traces = args.trace or trace_build_and_tests(work, args.tests, args.jobs)
    used = paths_in_traces(traces)
    owners = file_owners()
    used_by = {}
    for path in used:
        if os.path.isdir(path):  # /usr/lib and the like belong to hundreds of packages and tell nothing
            continue
        for package in owner_of(path, owners):
            used_by.setdefault(package, path)
    expected = dependency_closure(listed_packages()) | base_system()
    missing = sorted(p for p in used_by if p not in expected and p not in OPTIONAL)

    print(f"\n{len(used)} paths used; {len(used_by)} packages own some of them; "
          f"{len(expected)} packages on a fresh machine after ./setup.sh")
    if not args.keep and not args.trace:
        subprocess.run(["rm", "-rf", work])
    elif not args.trace:
        print(f"traces and build kept in {work}")
    if not missing:
        print("ok: every package the build and the tests used comes with scripts/packages.txt or the base system")
        return 0
    print(f"MISSING from scripts/packages.txt ({len(missing)}): installed here, used, not installed by setup.sh")
    for package in missing:
        print(f"  {package:32} e.g. {used_by[package]}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
