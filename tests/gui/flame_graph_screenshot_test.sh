#!/bin/sh
# tests/gui/flame_graph_screenshot_test.sh BIN_DIR PROGRAM: stores a real measure_loc profile of PROGRAM (a known
# call structure), renders the hot-lines view offscreen and checks that its lower part, where the flame graph
# sits, is covered by the graph's warm-coloured boxes.
set -eu
bin=$1 program=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL (flame graph screenshot): $*" >&2; exit 1; }

"$bin/measure_loc" --python python3 --db "$dir/p.db" "$program" 15 > /dev/null 2> "$dir/ml.txt" ||
  fail "measure_loc failed: $(cat "$dir/ml.txt")"
QT_QPA_PLATFORM=offscreen "$bin/speedcenter-gui" --db "$dir/p.db" --view hotlines --screenshot "$dir/view.png" \
  > /dev/null 2> "$dir/stderr.txt" || fail "speedcenter-gui exit $? ($(cat "$dir/stderr.txt"))"
python3 - "$dir/view.png" "$(dirname "$0")" <<'PY' || fail "no flame graph in the screenshot"
import sys
sys.path.insert(0, sys.argv[2])
from png_stats import decode
width, height, bpp, rows = decode(sys.argv[1])
warm = total = 0
for row in rows[height * 3 // 5:]:  # the flame graph's part of the view
    for x in range(0, width * bpp // 2, bpp * 3):  # its left half (the lines' table is on the right)
        r, g, b = row[x], row[x + 1], row[x + 2]
        total += 1
        warm += r > 180 and r - b > 60 and g < 240
share = warm / total
print(f"{width}x{height}: {share:.1%} of the flame graph's area in warm boxes")
sys.exit(0 if share > 0.08 else 1)
PY
