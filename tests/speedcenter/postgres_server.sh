#!/bin/bash
# tests/speedcenter/postgres_server.sh: a private PostgreSQL server for the store tests (a CTest fixture).
#   postgres_server.sh start STATE_DIR PG_CTL   initdb + pg_ctl start; writes STATE_DIR/url (a postgresql:// URL)
#   postgres_server.sh stop STATE_DIR PG_CTL    pg_ctl stop -m immediate and removes the data folder
# The server listens only on a unix socket in its own temporary folder (no TCP port to collide with). PostgreSQL
# refuses to run as root, so as root the server runs as 'nobody' (present on every Debian machine; nothing is
# added to the system); the test user 'pbtest' is its superuser and connects with trust over the socket.
set -euo pipefail
action=$1 state=$2 pg_ctl=$3
bindir=$(dirname "$pg_ctl")

as_server_user() {
  if [ "$(id -u)" = 0 ]; then setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; else "$@"; fi
}

stop() {
  [ -f "$state/datadir" ] || return 0
  local dir; dir=$(cat "$state/datadir")
  if [ -d "$dir/data" ]; then as_server_user "$pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir" "$state/datadir" "$state/url"
}

case $action in
  start)
    mkdir -p "$state"
    stop  # a server left by an interrupted run
    dir=$(mktemp -d /tmp/pyston-bench-pg.XXXXXX)  # /tmp: the server user must reach it (the build tree may not)
    echo "$dir" > "$state/datadir"
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown nobody:nogroup "$dir"
    as_server_user "$bindir/initdb" -D "$dir/data" -U pbtest --auth=trust -E UTF8 --no-locale --no-sync \
      > "$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    # fsync off: a test server need not survive a power cut, and it makes the tests fast on a busy machine.
    if ! as_server_user "$pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
         -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c port=5432 -c fsync=off -c max_connections=60" \
         > /dev/null; then
      cat "$dir/server.log" >&2; exit 1
    fi
    echo "postgresql://pbtest@localhost/postgres?host=$dir&port=5432" > "$state/url"
    echo "PostgreSQL test server running: $(cat "$state/url")"
    ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop STATE_DIR PG_CTL" >&2; exit 2 ;;
esac
