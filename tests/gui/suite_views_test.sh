#!/bin/sh
# tests/gui/suite_views_test.sh BIN_DIR DB: the views stay readable on fill_suite_db.sh's 50 benchmarks x 200
# revisions (read back with --dump-model): the comparison's 50 benchmark names stand upright (side by side Qt
# elides each to "..."), the timeline labels a readable share of its 200 revisions and keeps a legend of
# interpreters, the run browser names each run's benchmarks (the first ones; all on hover), and the latency and
# warmup tooltips give the value with its interval, processes and revision.
set -eu
bin=$1 db=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
QT_QPA_PLATFORM=offscreen "$bin/speedcenter-gui" --db "$db" --dump-model > "$dir/model.json" 2>"$dir/stderr.txt" ||
  { echo "FAIL: --dump-model exited $? ($(cat "$dir/stderr.txt"))" >&2; exit 1; }
python3 - "$dir/model.json" <<'PY'
import json, sys
views = {v["view"]: v for v in json.load(open(sys.argv[1]))["views"]}
problems = []
def x_axis(view):
    return next(a for a in views[view]["charts"][0]["axes"] if a["orientation"] == "x")
comparison = x_axis("comparison")
if comparison.get("labels") != 51 or comparison.get("labels_angle") != -90:
    problems.append(f"comparison: {comparison.get('labels')} benchmark labels at {comparison.get('labels_angle')} degrees; "
                    "51 upright (-90) expected")
timeline = x_axis("timeline")
if not 8 <= timeline.get("labels", 0) <= 40:
    problems.append(f"timeline: {timeline.get('labels')} revision labels under 1280 pixels; 8..40 expected")
legend = [e for e in views["timeline"]["charts"][0]["legend"]["entries"] if e["visible"]]
if len(legend) > 4:
    problems.append(f"timeline: {len(legend)} legend entries")
runs = views["runs"]["table"]["rows"]
if len(runs) != 200 or not runs[0][5].startswith("50: 2to3, async_tree, ") or not runs[0][5].endswith("\u2026"):
    problems.append(f"runs: {len(runs)} rows, the newest run's benchmarks '{runs[0][5] if runs else ''}'")
if len(views["changes"]["table"]["rows"]) != 50:
    problems.append(f"changes: {len(views['changes']['table']['rows'])} rows, 50 expected")
for view in ("latency", "warmup"):
    for chart in views[view]["charts"]:
        for s in chart["series"]:
            tip = (s.get("tips") or [""])[0]
            if s["type"] == "line" and not all(w in tip for w in ("95% interval", "processes", "revision r200")):
                problems.append(f"{view}: series '{s['name']}' tooltip lacks the interval, processes or revision: {tip!r}")
for p in problems:
    print("FAIL:", p, file=sys.stderr)
print("ok: comparison %s labels at %s degrees, timeline %s labels, %d runs" %
      (comparison.get("labels"), comparison.get("labels_angle"), timeline.get("labels"), len(runs)))
sys.exit(1 if problems else 0)
PY
