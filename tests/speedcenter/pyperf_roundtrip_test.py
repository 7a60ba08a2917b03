#!/usr/bin/env python3
"""tests/speedcenter/pyperf_roundtrip_test.py BIN_DIR PYPERF_SOURCE: a real `compare` run exported with
`export-pyperf` loads in pyperf's own loader with one value per measured iteration (wall clock, as stored) and
its warmups, and comes back unchanged through `import-pyperf`.

PYPERF_SOURCE (the CMake cache variable PB_PYPERF_SOURCE) is a pyperf source tree or a git directory of one;
without it the test exits 77, which ctest reports as skipped."""
import os
import sqlite3
import subprocess
import sys
import tempfile

SKIP = 77


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def import_pyperf_module(source, scratch):
    """Imports pyperf from a source tree, or from a git directory by extracting its pyperf/ folder."""
    if os.path.isfile(os.path.join(source, "pyperf", "__init__.py")):
        root = source
    else:
        root = os.path.join(scratch, "pyperf-src")
        os.mkdir(root)
        archive = subprocess.run(["git", "--git-dir", source, "archive", "HEAD", "pyperf"],
                                 capture_output=True, check=False)
        if archive.returncode != 0:
            fail("PB_PYPERF_SOURCE=%s is neither a pyperf source tree nor a git directory of one: %s"
                 % (source, archive.stderr.decode(errors="replace").strip()))
        subprocess.run(["tar", "-x", "-C", root], input=archive.stdout, check=True)
    sys.path.insert(0, root)
    import pyperf  # noqa: E402  (pyperf needs only the standard library to load results)
    return pyperf


def pyston_bench(bin_dir, *args):
    result = subprocess.run([os.path.join(bin_dir, "pyston-bench"), *args], capture_output=True, text=True)
    if result.returncode != 0:
        fail("pyston-bench %s exited %d:\n%s%s" % (" ".join(args), result.returncode, result.stdout, result.stderr))
    return result.stdout


def stored_samples(db, run, label, warmup):
    """{benchmark: [wall values of ok workers in process order]} for one interpreter of a run."""
    rows = sqlite3.connect(db).execute(
        "SELECT b.name, s.value FROM samples s JOIN workers w ON w.id = s.worker_id"
        " JOIN results r ON r.id = s.result_id JOIN benchmarks b ON b.id = r.benchmark_id"
        " JOIN run_interpreters ri ON ri.run_id = r.run_id AND ri.interpreter_id = r.interpreter_id"
        " WHERE r.run_id = ? AND ri.label = ? AND s.kind IN ('iteration', 'latency') AND s.warmup = ?"
        " AND w.status = 'ok' ORDER BY r.id, w.process_index, s.seq", (run, label, warmup)).fetchall()
    out = {}
    for name, value in rows:
        out.setdefault(name, []).append(value)
    return out


def last_run(db):
    return sqlite3.connect(db).execute("SELECT max(id) FROM runs").fetchone()[0]


def check_export(pyperf, path, values, warmups, what):
    suite = pyperf.BenchmarkSuite.load(path)
    names = sorted(suite.get_benchmark_names())
    if names != sorted(values):
        fail("%s: pyperf sees benchmarks %s, the database %s" % (what, names, sorted(values)))
    for bench in suite.get_benchmarks():
        name = bench.get_name()
        got = list(bench.get_values())
        if len(got) != len(values[name]):
            fail("%s: %s has %d values in pyperf, %d measured iterations in the database"
                 % (what, name, len(got), len(values[name])))
        if got != values[name]:
            fail("%s: %s values differ from the stored wall times:\n%s\n%s" % (what, name, got, values[name]))
        got_warmups = [value for run in bench.get_runs() for _, value in (run.warmups or ())]
        if got_warmups != warmups.get(name, []):
            fail("%s: %s warmups %s, stored %s" % (what, name, got_warmups, warmups.get(name)))
        print("%s: %s: %d runs, %d values, %d warmups" % (what, name, bench.get_nrun(), len(got), len(got_warmups)))


def main():
    bin_dir, source = sys.argv[1], sys.argv[2]
    if not os.path.exists(source):
        print("SKIP: no pyperf source at %s; set the CMake cache variable PB_PYPERF_SOURCE to a pyperf checkout "
              "(or its git directory)" % source)
        return SKIP
    with tempfile.TemporaryDirectory() as scratch:
        pyperf = import_pyperf_module(source, scratch)
        db, imported_db = os.path.join(scratch, "results.db"), os.path.join(scratch, "imported.db")
        # Two labels of one executable: `compare python3.8 python3.8` is refused by the store (one interpreter row).
        pyston_bench(bin_dir, "compare", "a=python3.8", "b=python3.8 -X dev", "-b", "nbody", "--fast", "--db", db)
        run = last_run(db)
        for label in ("a", "b"):
            values, warmups = stored_samples(db, run, label, 0), stored_samples(db, run, label, 1)
            if not values:
                fail("run %s has no measured iterations for %s" % (run, label))
            exported = os.path.join(scratch, label + ".json")
            pyston_bench(bin_dir, "export-pyperf", str(run), exported, "-i", label, "--db", db)
            check_export(pyperf, exported, values, warmups, "export of " + label)

            pyston_bench(bin_dir, "import-pyperf", exported, "--label", label, "--db", imported_db)
            imported = last_run(imported_db)
            if stored_samples(imported_db, imported, label, 0) != values:
                fail("import-pyperf of %s stored other values than the original run" % label)
            if stored_samples(imported_db, imported, label, 1) != warmups:
                fail("import-pyperf of %s stored other warmups than the original run" % label)
            again = os.path.join(scratch, label + "-again.json")
            pyston_bench(bin_dir, "export-pyperf", str(imported), again, "--db", imported_db)
            check_export(pyperf, again, values, warmups, "re-export of " + label)
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
