#!/bin/sh
# tests/gui/table_views_test.sh BIN_DIR DB: the run browser and the Changes view on the history of
# fill_history_db.sh, read back with --dump-model (no display needed): every run listed with its machine,
# revision, interpreters, benchmarks and status; each benchmark's change with its colour-worthy verdict and the
# regression marked; and two runs chosen with --run compared side by side.
set -eu
bin=$1 db=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
gui() { env -u DISPLAY -u WAYLAND_DISPLAY QT_QPA_PLATFORM= "$bin/speedcenter-gui" --db "$db" "$@" 2>"$dir/stderr.txt"; }
gui --dump-model > "$dir/model.json" || { echo "FAIL: --dump-model: $(cat "$dir/stderr.txt")" >&2; exit 1; }
gui --dump-model --run 12,60 > "$dir/two_runs.json" || { echo "FAIL: --run 12,60: $(cat "$dir/stderr.txt")" >&2; exit 1; }
python3 - "$dir/model.json" "$dir/two_runs.json" <<'PY'
import json, sys
views = {v["view"]: v for v in json.load(open(sys.argv[1]))["views"]}
problems = []
runs = views["runs"]["table"]
if runs["columns"] != ["Run", "Started (UTC)", "Machine", "Revision", "Interpreters", "Benchmarks", "Samples", "Status"]:
    problems.append(f"run browser columns: {runs['columns']}")
if len(runs["rows"]) != 60:
    problems.append(f"run browser: {len(runs['rows'])} rows, 60 runs expected")
first = runs["rows"][0]
if first[0] != "60" or first[2] != "synthetic-host" or first[3] != "r12" or first[4] != "cpython" or first[5] != "1: go" or first[7] != "complete":
    problems.append(f"run browser, newest run: {first}")
changes = views["changes"]["table"]
rows = {r[0]: dict(zip(changes["columns"], r)) for r in changes["rows"]}
if sorted(rows) != ["chaos", "float", "go", "nbody", "richards"]:
    problems.append(f"changes: benchmarks {sorted(rows)}")
else:
    if rows["richards"]["Significant"] != "slower" or not rows["richards"]["Change"].startswith("+"):
        problems.append(f"changes: richards should be significantly slower: {rows['richards']}")
    if rows["chaos"]["Significant"] != "faster":
        problems.append(f"changes: chaos should be significantly faster: {rows['chaos']}")
    if rows["float"]["Regressions"] != "REGRESSION at r7":
        problems.append(f"changes: float's regression at r7 not marked: {rows['float']}")
    if any(r["Previous"] != "r11" or r["Newest"] != "r12" for r in rows.values()):
        problems.append("changes: not r11 against r12")
    if "regression reported" not in changes["caption"]:
        problems.append(f"changes caption: {changes['caption']}")
two = {v["view"]: v for v in json.load(open(sys.argv[2]))["views"]}["comparison"]
if two["series_names"] != ["cpython (run 60) / cpython (run 12)"] or "runs 12 and 60" not in two["charts"][0]["title"]:
    problems.append(f"two runs: {two['series_names']} {two['charts'][0]['title']}")
for p in problems:
    print("FAIL:", p, file=sys.stderr)
print("ok: %d runs, changes %s" % (len(runs["rows"]), {k: (v["Change"], v["Significant"]) for k, v in rows.items()}))
sys.exit(1 if problems else 0)
PY
