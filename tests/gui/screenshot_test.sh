#!/bin/sh
# tests/gui/screenshot_test.sh BIN_DIR DB VIEW [SERIES|...]: renders VIEW offscreen as PNG and SVG, checks the
# expected series were drawn (--list-series; by default those of fill_db.sh's database) and the image is not
# blank (many colours, much non-background).
set -eu
bin=$1 db=$2 view=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL ($view): $*" >&2; exit 1; }

case $view in
  comparison) expect="dev / base" ;;
  timeline) expect="nbody [base]|float [dev]" ;;
  latency) expect="cpython-3.8 distribution|cpython-3.11 percentiles" ;;
  warmup) expect="cpython-3.8|cpython-3.11 warmup end" ;;
  memory) expect="cpython-3.8|cpython-3.11" ;;
  hotlines) expect="synthetic_hot.py coverage" ;;
  runs|changes) expect="" ;;  # tables: no series (tests/gui/table_views_test.sh checks their rows)
esac
[ $# -lt 4 ] || expect=$4

QT_QPA_PLATFORM=offscreen "$bin/speedcenter-gui" --db "$db" --view "$view" --screenshot "$dir/$view.png" \
  --list-series > "$dir/series.txt" 2>"$dir/stderr.txt" || fail "exit $? ($(cat "$dir/stderr.txt"))"
[ -z "$expect" ] || echo "$expect" | tr '|' '\n' | while read -r name; do
  grep -qxF "$name" "$dir/series.txt" || fail "series '$name' missing; drew: $(tr '\n' ',' < "$dir/series.txt")"
done
set -- $(python3 "$(dirname "$0")/png_stats.py" "$dir/$view.png")
[ "$1" -ge 1000 ] && [ "$2" -ge 600 ] || fail "image is $1x$2"
[ "$3" -ge 50 ] || fail "only $3 distinct colours: blank?"
python3 -c "import sys; sys.exit(0 if float('$4') >= 0.02 else 1)" || fail "only $4 of the image differs from the background"

QT_QPA_PLATFORM=offscreen "$bin/speedcenter-gui" --db "$db" --view "$view" --screenshot "$dir/$view.svg" >/dev/null 2>&1 ||
  fail "SVG export failed"
grep -q "<svg" "$dir/$view.svg" && [ "$(grep -c "<path\|<polyline\|<text" "$dir/$view.svg")" -ge 5 ] || fail "SVG has no drawing"
echo "ok $view: $* ($(wc -l < "$dir/series.txt") series)"
