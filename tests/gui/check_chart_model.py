#!/usr/bin/env python3
"""tests/gui/check_chart_model.py MODEL.json [VIEW...]: checks the output of speedcenter-gui --dump-model.
In every chart: each visible legend entry has a label naming a drawn series (or bar set), the legend shows
that label in full (Qt elides labels that do not fit, down to bare squares), there are no more visible entries
than named series, every axis has a title, and in the Latency, Warmup and Memory views every point of every
line has a tooltip. Each VIEW named must have drawn data and a legend for it."""
import json
import sys


def chart_problems(view, chart):
    where = f"{view} / '{chart['title']}'"
    named = [s["name"] for s in chart["series"] if s["name"]]
    named += [label for s in chart["series"] for label in s.get("bar_sets", []) if label]
    legend = chart["legend"]
    visible = [e for e in legend["entries"] if e["visible"]]
    for e in visible:
        if not e["label"]:
            yield f"{where}: a legend entry without a label (series '{e['series']}')"
        elif e["label"] not in named:
            yield f"{where}: legend entry '{e['label']}' names no drawn series"
    if len(visible) > len(named):
        yield f"{where}: {len(visible)} legend entries for {len(named)} named series"
    shown = legend["shown_labels"]
    cut = [f"'{e['label']}'" for e in visible if e["label"] and e["label"] not in shown]
    if cut:
        yield (f"{where}: {len(cut)} of {len(visible)} legend labels are not shown in full, "
               f"e.g. {', '.join(cut[:3])}; shown: {shown[:3]}")
    for axis in chart["axes"]:
        if axis["visible"] and not axis["title"]:
            yield f"{where}: the {axis['orientation']} axis has no title"
    if view in ("latency", "warmup", "memory"):
        for s in chart["series"]:
            if s["type"] == "line" and s.get("tip_count", 0) != s["points"]:
                yield f"{where}: series '{s['name']}' has {s.get('tip_count', 0)} tooltips for {s['points']} points"


def main():
    model = json.load(open(sys.argv[1]))
    views = {v["view"]: v for v in model["views"]}
    problems = []
    for name in sys.argv[2:]:
        view = views.get(name)
        if view is None or not view["has_data"]:
            problems.append(f"{name}: drew no data")
        elif not any(e["visible"] for c in view["charts"] for e in c["legend"]["entries"]):
            problems.append(f"{name}: no legend entry")
    for view in model["views"]:
        for chart in view["charts"]:
            problems += chart_problems(view["view"], chart)
    for p in problems:
        print("FAIL:", p, file=sys.stderr)
    entries = {v["view"]: sum(e["visible"] for c in v["charts"] for e in c["legend"]["entries"])
               for v in model["views"]}
    summary = ", ".join(f"{view} {n}" for view, n in entries.items())
    print(f"{'ok' if not problems else 'FAILED'}: legend entries per view: {summary}")
    return 1 if problems else 0


sys.exit(main())
