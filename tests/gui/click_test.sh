#!/bin/sh
# tests/gui/click_test.sh BIN_DIR DB VIEW BENCHMARK: clicks BENCHMARK in VIEW (--click-benchmark goes through the
# same signal as a user's click on its bar, row or line) and checks what opened: the Latency view, drawn, with
# BENCHMARK as the filter that its Warmup and Memory views follow too; the screenshot is of the opened view.
set -eu
bin=$1 db=$2 view=$3 benchmark=$4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL ($view, click $benchmark): $*" >&2; exit 1; }
QT_QPA_PLATFORM=offscreen "$bin/speedcenter-gui" --db "$db" --view "$view" --click-benchmark "$benchmark" \
  --list-series --screenshot "$dir/opened.png" --dump-model > "$dir/out.txt" 2>"$dir/stderr.txt" ||
  fail "exit $? ($(cat "$dir/stderr.txt"))"
grep -qx "cpython-3.8 distribution" "$dir/out.txt" || fail "the Latency view did not open: $(head -5 "$dir/out.txt")"
sed -n '/^{/,$p' "$dir/out.txt" > "$dir/model.json"
python3 - "$dir/model.json" "$benchmark" <<'PY' || fail "the opened views do not show the benchmark"
import json, sys
views = {v["view"]: v for v in json.load(open(sys.argv[1]))["views"]}
bench = sys.argv[2]
bad = [f"{v}: {views[v]['charts'][0]['title']}" for v in ("latency", "warmup", "memory")
       if f"\u2014 {bench} " not in views[v]["charts"][0]["title"] + " "]
if bad:
    print("FAIL: not showing " + bench + ": " + "; ".join(bad), file=sys.stderr)
sys.exit(1 if bad else 0)
PY
set -- $(python3 "$(dirname "$0")/png_stats.py" "$dir/opened.png")
[ "$3" -ge 50 ] || fail "the opened view's image has only $3 colours: blank?"
echo "ok: clicking $benchmark in $view opened its latency view ($*)"
