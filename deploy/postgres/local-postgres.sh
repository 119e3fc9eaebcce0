#!/usr/bin/env bash
# A private PostgreSQL for development, tests and benchmarks: its own data folder, listening only on
# 127.0.0.1, never the machine's system cluster. Installs Debian's PostgreSQL when it is missing.
#
#   deploy/postgres/local-postgres.sh start [--port 5433] [--data DIR]   start (initialising DIR the first time)
#   deploy/postgres/local-postgres.sh stop  [--data DIR]                 stop it
#   deploy/postgres/local-postgres.sh url   [--port 5433]                print the connection string
#
# POSTGRES_OPTIONS adds server options at start, e.g. "-c shared_preload_libraries=pg_stat_statements" to profile
# statements (loadtests/profiling.md).
#
# The database is "contact_center", owned by the superuser "postgres", with trust authentication on
# loopback only: fit for a developer machine or CI, not for production (see deploy/README.md).
set -euo pipefail

command=${1:-}
shift || true
port=5433
data="${PWD}/data/postgres"
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

connection_string() {
  echo "Host=127.0.0.1;Port=${port};Username=postgres;Database=contact_center;Maximum Pool Size=64"
}

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$dir" ]; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "PostgreSQL is not installed; run as root once, or: sudo apt-get install -y postgresql" >&2
      exit 1
    fi
    echo "installing PostgreSQL from Debian's packages..." >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$dir"
}

# PostgreSQL refuses to run as root: as root, run its tools as the postgres user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command" in
  start)
    bin=$(pg_bin)
    mkdir -p "$data"
    data=$(cd "$data" && pwd)
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres:postgres "$data"
      runuser -u postgres -- test -w "$data" \
        || { echo "the postgres user cannot reach $data: make its parent folders world-searchable (chmod o+x)" >&2; exit 1; }
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
      # Sized for the journal's group commit: a few connections, large WAL segments between checkpoints.
      cat >> "$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$data'
max_connections = 200
shared_buffers = 512MB
max_wal_size = 4GB
CONF
    fi
    if as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      echo "already running on port $(sed -n 4p "$data/postmaster.pid")" >&2
    else
      as_owner "$bin/pg_ctl" -D "$data" -o "-p $port ${POSTGRES_OPTIONS:-}" -l "$data/server.log" -w -t 60 start >/dev/null
    fi
    as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'contact_center'" | grep -q 1 \
      || as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE contact_center"
    connection_string
    ;;
  stop)
    bin=$(pg_bin)
    if [ -f "$data/PG_VERSION" ]; then
      as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    ;;
  url)
    connection_string
    ;;
  *)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
