# tests/e2e/e2e_lib.sh: what every end-to-end script shares; source it after setting `bin` (the build's bin/).
# Gives: $here (tests/e2e), $work (a temporary folder removed on exit), $db (a results database in it),
# pass/fail (counting failures), q (a query on $db), finish (the summary line and exit status).
here=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
work=$(mktemp -d "/tmp/pb-e2e-$(basename "${BASH_SOURCE[1]}" .sh).XXXXXX")
trap 'rm -rf "$work"' EXIT
db="$work/results.db"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
q() { sqlite3 "$db" "$1"; }
finish() {
  [ $failures -eq 0 ] && echo "all checks passed" || echo "$failures check(s) failed"
  exit $((failures > 0))
}
