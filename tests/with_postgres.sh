#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL server: Debian's postgresql, started as the
# postgres user on a free loopback port in a temporary data directory, stopped by its PID.
# The command sees the server as DISPUTE_PORTAL_TEST_DATABASE_URL.
set -euo pipefail

bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(bin_dir)" ]; then
  apt-get update && apt-get install -y --no-install-recommends postgresql
fi
PGBIN="$(bin_dir)"
DATA_ROOT="$(mktemp -d /tmp/dispute-portal-pg.XXXXXX)"
chown postgres "$DATA_ROOT"
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

as_postgres() { runuser -u postgres -- "$@"; }
as_postgres "$PGBIN/initdb" --pgdata="$DATA_ROOT/data" --username=postgres --auth=trust \
  --encoding=UTF8 --no-locale >"$DATA_ROOT/initdb.log"
stop() {
  pid="$(head -1 "$DATA_ROOT/data/postmaster.pid" 2>/dev/null || true)"
  if [ -n "$pid" ]; then
    kill -INT "$pid"  # fast shutdown
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -rf "$DATA_ROOT"
}
trap stop EXIT
# Durability is worthless for a test server that is thrown away: skip the fsyncs.
as_postgres "$PGBIN/pg_ctl" --pgdata="$DATA_ROOT/data" --log="$DATA_ROOT/server.log" --wait \
  -o "-h 127.0.0.1 -p $PORT -k $DATA_ROOT -c fsync=off -c synchronous_commit=off \
      -c full_page_writes=off" start >/dev/null

export DISPUTE_PORTAL_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
"$@"
