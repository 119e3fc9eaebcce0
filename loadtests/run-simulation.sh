#!/usr/bin/env bash
# The reference center's traffic against a real silo on a private PostgreSQL: builds Release, starts PostgreSQL
# and a silo on free loopback ports, runs the simulator (callers, gateways, agents) with its loss check, writes
# the reports (text, JSON, HTML chart) and stops everything it started.
#
#   loadtests/run-simulation.sh busy-hour     the month-end busy hour at SIM_SPEED (default 10x) with the journal
#   loadtests/run-simulation.sh naive-ratio   the same workload against the journal and against the naive design
#                                             (one ADO.NET grain-state write per event), one after the other on fresh
#                                             databases, and their ratio
#   loadtests/run-simulation.sh soak          30 minutes at SIM_SPEED (default 2x), watching the silo's memory
#   loadtests/run-simulation.sh two-region    the busy hour at SIM_SPEED (default 2x) against the two-region cluster of
#                                             deploy/local/start-cluster.sh, already running: each region's gateways
#                                             at home in their region and failing over to the other; nothing is
#                                             started or stopped, and runs may follow one another on it
#
# Environment overrides:
#   SIM_SPEED, SIM_SECONDS   speed-up and measured seconds (defaults per mode)
#   SIM_WARMUP=          warm-up seconds (default: the simulator's, 300 simulated seconds and at least 30)
#   SIM_ARGS=            further simulate options, e.g. "--seats 1000 --clients 2"
#   SIM_RESULTS=         where reports and silo logs go (default artifacts/loadtests)
#   SIM_KEEP=1           keep the temporary databases
#   SIM_QUIET_WAIT=120   seconds to wait for other work on the machine to finish before measuring
#   SIM_CLUSTER=         two-region: the cluster's state folder (start-cluster.sh --state; default ./data/cluster)
#   SIM_SILOS=           two-region: the regions' addresses, nanjing's first (default http://127.0.0.1:5081
#                        http://127.0.0.1:5082, start-cluster.sh's)
set -euo pipefail

mode=${1:-busy-hour}
case "$mode" in
  busy-hour) speed=${SIM_SPEED:-10}; seconds=${SIM_SECONDS:-300} ;;
  naive-ratio) speed=${SIM_SPEED:-10}; seconds=${SIM_SECONDS:-120} ;;
  soak) speed=${SIM_SPEED:-2}; seconds=${SIM_SECONDS:-1800} ;;
  two-region) speed=${SIM_SPEED:-2}; seconds=${SIM_SECONDS:-300} ;;
  *) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

repo=$(cd "$(dirname "$0")/.." && pwd)
results=${SIM_RESULTS:-$repo/artifacts/loadtests}
work=$(mktemp -d /tmp/simulation.XXXXXX)
# PostgreSQL runs as its own user (when we are root) and must reach its data folder under here.
chmod 755 "$work"
mkdir -p "$results"
# shellcheck source=lib/silo-host.sh
. "$repo/loadtests/lib/silo-host.sh"

cleanup() {
  stop_silo
  stop_postgres
  if [ "${SIM_KEEP:-0}" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

seed=${SIM_SEED:-$RANDOM}
summaries=()

# simulate LABEL CALL_STORE: one silo on a fresh database, one simulation run against it.
simulate() {
  local label=$1 store=$2 dir=$work/$1 connection url rc=0
  local -a naive=()
  mkdir -p "$dir"
  PG_DATA=$dir/postgres
  connection=$(start_postgres) && [ -n "$connection" ] || { log "PostgreSQL did not start"; return 1; }
  url=http://127.0.0.1:$(free_port)
  log "starting the silo ($label, CallStore=$store) at $url"
  # shellcheck disable=SC2046 # the settings are NAME=VALUE words without spaces
  start_silo "$url" "$results/silo-$label.log" ContactCenter__Mode=Cluster "ContactCenter__PostgreSql=$connection" \
    "ContactCenter__CallStore=$store" $(access_settings) $(tls_settings) || return 1
  [ "$store" = GrainStatePerEvent ] && naive=(--naive-store)
  wait_quiet "${SIM_QUIET_WAIT:-120}"
  # shellcheck disable=SC2086 # SIM_ARGS is a list of options
  # The tokens go in the environment, not on the command line, which every user of the machine can read.
  CONTACT_CENTER_GATEWAY_TOKEN_NANJING=$GATEWAY_TOKEN_NANJING CONTACT_CENTER_GATEWAY_TOKEN_HUAIAN=$GATEWAY_TOKEN_HUAIAN \
  CONTACT_CENTER_OPERATOR_TOKEN=$ADMIN_TOKEN \
  dotnet "$repo/loadtests/ContactCenter.LoadTests/bin/Release/net10.0/ContactCenter.LoadTests.dll" simulate --silo "$url" \
    --speed "$speed" --seconds "$seconds" ${SIM_WARMUP:+--warmup "$SIM_WARMUP"} --seed "$seed" --label "$label" "${naive[@]}" \
    --database "postgres:$connection" --watch "silo=$SILO_PID" --watch "postgres=$(postgres_pid)" \
    --json "$results/simulation-$label.json" --html "$results/simulation-$label.html" ${SIM_ARGS:-} \
    | tee "$results/simulation-$label.txt" || rc=$?
  summaries+=("$(grep '^summary:' "$results/simulation-$label.txt" | sed 's/^summary: //' || echo "$label: no report (exit $rc)")")
  stop_silo
  stop_postgres
  return "$rc"
}

# simulate_cluster LABEL: one run against the cluster start-cluster.sh runs (its state folder says where its database
# is and which processes to watch).
simulate_cluster() {
  local label=$1 state=${SIM_CLUSTER:-$PWD/data/cluster} connection silo pid rc=0
  local -a silos=() watch=()
  if [ ! -s "$state/postgres.url" ]; then
    log "no cluster in $state: start one with deploy/local/start-cluster.sh, or set SIM_CLUSTER to its --state folder"
    return 2
  fi
  connection=$(cat "$state/postgres.url")
  for silo in ${SIM_SILOS:-http://127.0.0.1:5081 http://127.0.0.1:5082}; do silos+=(--silo "$silo"); done
  for region in nanjing huaian; do
    pid=$(cat "$state/$region.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then watch+=(--watch "$region=$pid"); fi
  done
  pid=$(head -n 1 "$state/postgres/postmaster.pid" 2>/dev/null || true)
  [ -n "$pid" ] && watch+=(--watch "postgres=$pid")
  wait_quiet "${SIM_QUIET_WAIT:-120}"
  # shellcheck disable=SC2086 # SIM_ARGS is a list of options
  dotnet "$repo/loadtests/ContactCenter.LoadTests/bin/Release/net10.0/ContactCenter.LoadTests.dll" simulate "${silos[@]}" \
    --speed "$speed" --seconds "$seconds" ${SIM_WARMUP:+--warmup "$SIM_WARMUP"} --seed "$seed" --label "$label" \
    --database "postgres:$connection" "${watch[@]}" \
    --json "$results/simulation-$label.json" --html "$results/simulation-$label.html" ${SIM_ARGS:-} \
    | tee "$results/simulation-$label.txt" || rc=$?
  summaries+=("$(grep '^summary:' "$results/simulation-$label.txt" | sed 's/^summary: //' || echo "$label: no report (exit $rc)")")
  return "$rc"
}

log "building Release"
# Not the silo against a running cluster: it runs from that build's folder, and its files must not change under it.
if [ "$mode" != two-region ]; then
  dotnet build -c Release -nologo -v q -clp:NoSummary "$repo/src/ContactCenter.Silo/ContactCenter.Silo.csproj" >&2
fi
dotnet build -c Release -nologo -v q -clp:NoSummary "$repo/loadtests/ContactCenter.LoadTests/ContactCenter.LoadTests.csproj" >&2

status=0
case "$mode" in
  busy-hour) simulate busy-hour Journal || status=1 ;;
  soak) simulate soak Journal || status=1 ;;
  two-region) simulate_cluster two-region || status=$? ;;
  naive-ratio)
    simulate journal Journal || status=1
    simulate naive GrainStatePerEvent || status=1
    python3 - "$results/simulation-journal.json" "$results/simulation-naive.json" <<'PY' | tee "$results/simulation-naive-ratio.txt"
import json, sys
j, n = (json.load(open(p)) for p in sys.argv[1:3])
def row(name, f, unit=""):
    a, b = f(j), f(n)
    ratio = f"{a / b:.1f}x" if b else "-"
    print(f"{name:<34} {a:>12,.1f}{unit:<3} {b:>12,.1f}{unit:<3} {ratio:>8}")
print(f"{'same workload, same seed':<34} {'journal':>15} {'naive':>15} {'journal/naive':>8}")
row("events acknowledged/s", lambda r: r["throughput"]["acknowledgedPerSecond"])
row("events happened/s (offered)", lambda r: r["throughput"]["eventsPerSecond"])
row("ack latency p50", lambda r: r["latency"]["p50"], " ms")
row("ack latency p99", lambda r: r["latency"]["p99"], " ms")
for p in ("silo", "postgres"):
    row(f"{p} CPU (cores)", lambda r, p=p: next((x["cpuCores"] or 0) for x in r["processes"] if x["name"] == p))
print(f"{'loss check':<34} {str(j['loss'] and j['loss']['missingEvents'] == 0):>15} {str(n['loss'] and n['loss']['missingEvents'] == 0):>15}")
PY
    ;;
esac

echo
echo "Simulation ($mode) on $(nproc) cores ($(date -u +%Y-%m-%dT%H:%M:%SZ)); reports in $results"
printf '%s\n' "${summaries[@]}"
exit "$status"
