#!/usr/bin/env bash
# The ingest benchmark: builds Release, starts a silo on a fresh database (embedded SQLite, or a private
# PostgreSQL on a free loopback port), waits until it is ready, drives it with simulated gateways, prints the
# report, and stops everything it started.
#
#   loadtests/run-ingest-benchmark.sh [embedded|postgres|both]     (default: both)
#
# Environment overrides:
#   INGEST_SECONDS=60   measured seconds          INGEST_WARMUP=30    warm-up seconds
#   INGEST_GATEWAYS=    simulated gateways        INGEST_BATCH=       events per request
#                       (empty: the generator's tuned defaults, see loadtests/README.md)
#   INGEST_ARGS=        further options for the ingest command, e.g. "--events-per-call 2"
#   INGEST_RESULTS=     where the JSON reports and the silo logs go (default artifacts/loadtests)
#   INGEST_KEEP=1       keep the temporary databases for inspection
#   INGEST_QUIET_WAIT=120  seconds to wait for other work on the machine to finish before measuring
set -euo pipefail

mode=${1:-both}
case "$mode" in
  embedded) modes=(embedded) ;;
  postgres) modes=(postgres) ;;
  both) modes=(embedded postgres) ;;
  *) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

repo=$(cd "$(dirname "$0")/.." && pwd)
measured=${INGEST_SECONDS:-60}
warmup=${INGEST_WARMUP:-30}
results=${INGEST_RESULTS:-$repo/artifacts/loadtests}
work=$(mktemp -d /tmp/ingest-benchmark.XXXXXX)
# PostgreSQL runs as its own user (when we are root) and must reach its data folder under here.
chmod 755 "$work"
mkdir -p "$results"
silo_bin=$repo/src/ContactCenter.Silo/bin/Release/net10.0
generator_bin=$repo/loadtests/ContactCenter.LoadTests/bin/Release/net10.0

silo_pid=""
pg_data=""
summaries=()

log() { echo "== $*" >&2; }

stop_silo() {
  if [ -n "$silo_pid" ] && kill -0 "$silo_pid" 2>/dev/null; then
    # SIGTERM lets the journal writer finish its last commit; a silo stuck for 30 s is killed.
    kill -TERM "$silo_pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$silo_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$silo_pid" 2>/dev/null || true
    wait "$silo_pid" 2>/dev/null || true
  fi
  silo_pid=""
}

stop_postgres() {
  if [ -n "$pg_data" ]; then
    "$repo/deploy/postgres/local-postgres.sh" stop --data "$pg_data" || true
  fi
  pg_data=""
}

cleanup() {
  stop_silo
  stop_postgres
  if [ "${INGEST_KEEP:-0}" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free loopback TCP port, not handed out before in this run. Chosen at random from a range the kernel does
# not use for outgoing connections, and checked against listening sockets.
used_ports=" "
free_port() {
  local port
  while true; do
    port=$((20000 + RANDOM % 12000))
    case "$used_ports" in *" $port "*) continue ;; esac
    if command -v ss >/dev/null; then
      [ -z "$(ss -Htan "sport = :$port" 2>/dev/null)" ] || continue
    elif (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      continue
    fi
    used_ports="$used_ports$port "
    echo "$port"
    return
  done
}

# Figures are only worth having on an otherwise idle machine: wait (up to INGEST_QUIET_WAIT seconds, default
# 120) until the cores are less than 15% busy over 3 s, and say so if they never are.
wait_quiet() {
  local deadline=$((SECONDS + ${INGEST_QUIET_WAIT:-120})) busy total1 idle1 total2 idle2
  while true; do
    read -r _ a b c d e f g h _ </proc/stat; total1=$((a + b + c + d + e + f + g + h)); idle1=$((d + e))
    sleep 3
    read -r _ a b c d e f g h _ </proc/stat; total2=$((a + b + c + d + e + f + g + h)); idle2=$((d + e))
    busy=$((100 * ((total2 - total1) - (idle2 - idle1)) / (total2 - total1)))
    [ "$busy" -lt 15 ] && return 0
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "WARNING: the machine is ${busy}% busy with other work; the figures will understate the silo"
      return 0
    fi
  done
}

wait_ready() {
  local url=$1 log_file=$2
  for _ in $(seq 1 240); do
    if ! kill -0 "$silo_pid" 2>/dev/null; then
      log "the silo exited during start-up; its log:"; tail -n 40 "$log_file" >&2; return 1
    fi
    if curl -fsS -m 2 "$url/health/ready" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  log "the silo was not ready after 120 s; its log:"; tail -n 40 "$log_file" >&2
  return 1
}

# Called as `run_mode m || status=1`, where bash ignores `set -e`: every step that can fail says so itself.
run_mode() {
  local mode=$1 dir=$work/$1 http_port silo_port gateway_port url rc=0
  local -a silo_env generator_args
  mkdir -p "$dir"
  if [ "$mode" = postgres ]; then
    pg_data=$dir/postgres
    local connection
    connection=$("$repo/deploy/postgres/local-postgres.sh" start --port "$(free_port)" --data "$pg_data" | tail -n 1) \
      && [ -n "$connection" ] || { log "PostgreSQL did not start"; return 1; }
    log "PostgreSQL: $connection"
    silo_env=(ContactCenter__Mode=Cluster "ContactCenter__PostgreSql=$connection")
    generator_args=(--cpu "postgres=$(head -n 1 "$pg_data/postmaster.pid")")
  else
    silo_env=(ContactCenter__Mode=Embedded "ContactCenter__SqlitePath=$dir/contact-center.db")
    generator_args=()
  fi

  http_port=$(free_port); silo_port=$(free_port); gateway_port=$(free_port)
  url=http://127.0.0.1:$http_port
  log "starting the silo ($mode) at $url"
  # From its output folder, so it finds its appsettings.json (the gateway tokens).
  (cd "$silo_bin" && exec env "${silo_env[@]}" "Urls=$url" "ContactCenter__SiloPort=$silo_port" \
    "ContactCenter__GatewayPort=$gateway_port" dotnet ContactCenter.Silo.dll) >"$results/silo-$mode.log" 2>&1 &
  silo_pid=$!
  wait_ready "$url" "$results/silo-$mode.log" || { summaries+=("$(printf '%-8s %s' "$mode" "the silo did not start")"); return 1; }

  wait_quiet
  log "ingest: ${warmup} s warm-up + ${measured} s measured"
  [ -n "${INGEST_GATEWAYS:-}" ] && generator_args+=(--gateways "$INGEST_GATEWAYS")
  [ -n "${INGEST_BATCH:-}" ] && generator_args+=(--batch "$INGEST_BATCH")
  # shellcheck disable=SC2086 # INGEST_ARGS is a list of options
  dotnet "$generator_bin/ContactCenter.LoadTests.dll" ingest --silo "$url" \
    --tokens dev-gateway-nanjing-1,dev-gateway-huaian-1 --seconds "$measured" --warmup "$warmup" \
    --cpu "silo=$silo_pid" "${generator_args[@]}" --json "$results/ingest-$mode.json" ${INGEST_ARGS:-} \
    | tee "$dir/report.txt" || rc=$?

  summaries+=("$(printf '%-8s %s' "$mode" "$(grep '^summary:' "$dir/report.txt" | sed 's/^summary: //' || echo "no report (exit $rc)")")")
  stop_silo
  stop_postgres
  return "$rc"
}

log "building Release"
dotnet build -c Release -nologo -v q -clp:NoSummary "$repo/src/ContactCenter.Silo/ContactCenter.Silo.csproj" >&2
dotnet build -c Release -nologo -v q -clp:NoSummary "$repo/loadtests/ContactCenter.LoadTests/ContactCenter.LoadTests.csproj" >&2

status=0
for m in "${modes[@]}"; do
  run_mode "$m" || status=1
done

echo
echo "Ingest benchmark on $(nproc) cores ($(date -u +%Y-%m-%dT%H:%M:%SZ)); reports in $results"
printf '%s\n' "${summaries[@]}"
exit "$status"
