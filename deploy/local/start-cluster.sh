#!/usr/bin/env bash
# A two-region cluster on this machine: a private PostgreSQL and two silos, nanjing and huaian, each with its
# own HTTP endpoint, all on loopback. Logs and process ids go to one folder; stop with stop-cluster.sh.
#
#   deploy/local/start-cluster.sh [--state DIR] [--configuration Release|Debug]
#   deploy/local/start-cluster.sh silo nanjing|huaian [--state DIR]   (re)start one silo of a running cluster
#
#   region    HTTP (API, dashboard)     silo port (mutual TLS)
#   nanjing   http://127.0.0.1:5081     11111
#   huaian    http://127.0.0.1:5082     11112
#   PostgreSQL 127.0.0.1:5433, database contact_center
#
# State (PostgreSQL data, logs, pid files) is kept in ./data/cluster unless --state says otherwise; the
# center in deploy/center/jiangsu-sample.json is applied on the first start.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

one_silo=""
if [ "${1:-}" = "silo" ]; then
  one_silo=${2:?which silo: nanjing or huaian}
  shift 2
fi
state="${PWD}/data/cluster"
configuration=Release
while [ $# -gt 0 ]; do
  case "$1" in
    --state) state=$2; shift 2 ;;
    --configuration) configuration=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$state/logs"
state=$(cd "$state" && pwd)
pg_port=5433

http_port() { case "$1" in nanjing) echo 5081 ;; huaian) echo 5082 ;; *) echo "unknown region $1" >&2; exit 2 ;; esac; }
silo_port() { case "$1" in nanjing) echo 11111 ;; huaian) echo 11112 ;; esac; }

silo_dll="$root/src/ContactCenter.Silo/bin/$configuration/net10.0/ContactCenter.Silo.dll"
# The cluster's development authority and silo certificate, made once and kept with the state.
certificates=$("$root/deploy/local/dev-certificate.sh" --out "$state/certificates" | tail -n 1)
connection=$(cat "$state/postgres.url" 2>/dev/null || true)

start_silo() {
  local region=$1 pid_file="$state/$1.pid"
  if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    echo "$region: already running (pid $(cat "$pid_file"))"
    return
  fi
  # The silo runs in its build folder: its settings (appsettings.json, and the development tokens of
  # appsettings.Development.json, read in the Development environment) are read there.
  (
    cd "$(dirname "$silo_dll")"
    export DOTNET_ENVIRONMENT=Development
    export ContactCenter__Mode=Cluster
    export ContactCenter__SiloTls__Certificate="$certificates/silo.pem"
    export ContactCenter__SiloTls__CertificateKey="$certificates/silo.key"
    export ContactCenter__SiloTls__Authority="$certificates/ca.pem"
    export ContactCenter__PostgreSql="$connection"
    export ContactCenter__Region="$region"
    export ContactCenter__SiloPort="$(silo_port "$region")"
    export ContactCenter__MigrateOnStart=false
    export Urls="http://127.0.0.1:$(http_port "$region")"
    nohup dotnet "$silo_dll" >>"$state/logs/$region.log" 2>&1 &
    echo $! >"$pid_file"
  )
  echo "$region: starting (pid $(cat "$pid_file")), log $state/logs/$region.log"
}

wait_ready() {
  local region=$1 url
  url="http://127.0.0.1:$(http_port "$region")/health/ready"
  for _ in $(seq 1 120); do
    if curl -fs "$url" >/dev/null 2>&1; then
      echo "$region: ready at http://127.0.0.1:$(http_port "$region")"
      return
    fi
    if ! kill -0 "$(cat "$state/$region.pid")" 2>/dev/null; then
      echo "$region: exited; last lines of its log:" >&2
      tail -n 20 "$state/logs/$region.log" >&2
      exit 1
    fi
    sleep 1
  done
  echo "$region: not ready after 120 s; see $state/logs/$region.log" >&2
  exit 1
}

if [ -n "$one_silo" ]; then
  [ -n "$connection" ] || { echo "no cluster in $state: run start-cluster.sh first" >&2; exit 1; }
  http_port "$one_silo" >/dev/null
  start_silo "$one_silo"
  wait_ready "$one_silo"
  exit 0
fi

command -v curl >/dev/null || { echo "curl is needed (apt-get install -y curl)" >&2; exit 1; }
# Always built: an incremental build is quick, and a stale binary from an older checkout is not what you meant.
echo "building the silo ($configuration)..."
dotnet build "$root/src/ContactCenter.Silo" -c "$configuration" -v quiet -nologo >"$state/logs/build.log" 2>&1 \
  || { tail -n 30 "$state/logs/build.log" >&2; exit 1; }

# PostgreSQL must be reachable by its own user: the state folder's parents need o+x when run as root.
connection=$("$root/deploy/postgres/local-postgres.sh" start --port "$pg_port" --data "$state/postgres")
echo "$connection" >"$state/postgres.url"
ln -sf "$state/postgres/server.log" "$state/logs/postgres.log"
echo "postgres: $connection"

# One migration before either silo starts, instead of two silos racing to apply it.
ContactCenter__Mode=Cluster ContactCenter__PostgreSql="$connection" dotnet "$silo_dll" migrate >>"$state/logs/migrate.log" 2>&1 \
  || { tail -n 20 "$state/logs/migrate.log" >&2; exit 1; }

for region in nanjing huaian; do start_silo "$region"; done
for region in nanjing huaian; do wait_ready "$region"; done
echo "logs: $state/logs; stop with deploy/local/stop-cluster.sh${state:+ --state $state}"
