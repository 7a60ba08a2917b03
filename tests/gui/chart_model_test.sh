#!/bin/sh
# tests/gui/chart_model_test.sh BIN_DIR DB VIEW...: dumps every view's charts (--dump-model, which needs no
# display) and checks their legends and axes with check_chart_model.py; each VIEW named must have drawn data.
set -eu
bin=$1 db=$2
shift 2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
env -u DISPLAY -u WAYLAND_DISPLAY QT_QPA_PLATFORM= "$bin/speedcenter-gui" --db "$db" --dump-model \
  > "$dir/model.json" 2> "$dir/stderr.txt" || {
  echo "FAIL: --dump-model exited $? ($(cat "$dir/stderr.txt"))" >&2
  exit 1
}
python3 "$(dirname "$0")/check_chart_model.py" "$dir/model.json" "$@"
