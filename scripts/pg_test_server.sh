#!/usr/bin/env bash
# Start a throwaway PostgreSQL for the test suite and print its URL on standard output.
#
#   export NIANBAO_TEST_PG_URL="$(bash scripts/pg_test_server.sh)"
#   python -m pytest tests/test_store*.py tests/test_corpus*.py -q
#   bash scripts/pg_test_server.sh stop URL    # stops the server of that URL (scripts/test.sh: its own)
#   bash scripts/pg_test_server.sh stop        # stops every server this script started
#
# It initdb's a cluster in a temporary directory, listens on a free port on 127.0.0.1 only
# (no Unix socket outside the directory), trusts local connections, and creates the database
# "nianbao_test". PostgreSQL refuses to run as root, so as root it runs as the "postgres" user.
set -euo pipefail

STATE_FILE="${TMPDIR:-/tmp}/nianbao-pg-test.dir"

find_bin() {
  if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/pg_ctl" ]; then echo "$d"; return; fi
  done
  dirname "$(command -v pg_ctl)"
}

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-start}" = "stop" ]; then
  # one line per server: its directory, then its URL; with a URL, only that server (another test
  # run sharing TMPDIR keeps its own)
  only="${2:-}"
  kept=""
  while read -r dir url; do
    if [ -n "$only" ] && [ "$url" != "$only" ]; then
      kept+="$dir $url"$'\n'
      continue
    fi
    if [ -n "$dir" ] && [ -d "$dir" ]; then
      as_pg "$(find_bin)/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
      rm -rf "$dir"
    fi
  done < <(cat "$STATE_FILE" 2>/dev/null || true)
  if [ -n "$kept" ]; then printf '%s' "$kept" >"$STATE_FILE"; else rm -f "$STATE_FILE"; fi
  exit 0
fi

BIN="$(find_bin)"
dir="$(mktemp -d "${TMPDIR:-/tmp}/nianbao-pg.XXXXXX")"
chmod 755 "$dir"
if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

as_pg "$BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || as_pg "$BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1
as_pg "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
as_pg "$BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres nianbao_test
url="postgresql://postgres@127.0.0.1:$port/nianbao_test"
echo "$dir $url" >>"$STATE_FILE"
echo "$url"
