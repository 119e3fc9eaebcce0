#!/usr/bin/env bash
# The in-process benchmarks: routing (routed calls/s, queued-to-offered latency), routing-backlog (the same with
# every queue holding 5 or 500 waiting calls: freed-to-offered latency, CPU per routed call), memory (managed heap
# per live call and per waiting call, after full collections), wallboard (its cost and
# refresh under routing load), subscribers (import rate, customer lookup cold and warm), reports (KPI
# history over a day of CDRs), survey-timers (a round of the surveys' timers with 10,000 and 1,000,000 waiting) and
# work-orders (opening, replying, a department's desk, a screen-pop and the figures over a month of orders). Builds Release, starts a private
# PostgreSQL on a free loopback port (unless the mode is embedded), runs the benchmark in its own process (with a
# silo hosted in it, or the report store alone), prints JSON, and stops what it started.
#
#   loadtests/run-inprocess-benchmark.sh routing     [postgres|embedded] [--queues 32 --agents 1500 --concurrency 64 --seconds 30]
#   loadtests/run-inprocess-benchmark.sh routing-backlog [postgres|embedded] [--backlogs 5,500 --rate 60 --queues 32 --agents 320 --seconds 30]
#   loadtests/run-inprocess-benchmark.sh memory      [postgres|embedded] [--calls 20000 --queues 32 --agents 320]
#   loadtests/run-inprocess-benchmark.sh wallboard   [postgres|embedded] [--rounds 3 --warmup 30 --phase-seconds 20 --pages 5]
#   loadtests/run-inprocess-benchmark.sh subscribers [postgres|embedded] [--rows 40000000 --lookups 20000]
#   loadtests/run-inprocess-benchmark.sh reports     [postgres|embedded] [--queued 370000 --ivr 1000000 --runs 5]
#   loadtests/run-inprocess-benchmark.sh survey-timers [postgres|embedded] [--pending 1000000 --due 2000 --steps 5000]
#   loadtests/run-inprocess-benchmark.sh work-orders [postgres|embedded] [--open 30000 --closed 100000 --steps 5000]
#
# Results also go to artifacts/loadtests/<benchmark>-<mode>.json.
set -euo pipefail

benchmark=${1:-}
mode=${2:-postgres}
case "$benchmark" in routing|routing-backlog|memory|subscribers|wallboard|reports|survey-timers|work-orders) ;; *) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;; esac
case "$mode" in postgres|embedded) ;; *) echo "mode is postgres or embedded" >&2; exit 2 ;; esac
shift $(( $# >= 2 ? 2 : 1 ))

repo=$(cd "$(dirname "$0")/.." && pwd)
results=$repo/artifacts/loadtests
work=$(mktemp -d /tmp/inprocess-benchmark.XXXXXX)
chmod 755 "$work"   # PostgreSQL runs as its own user when we are root, and must reach its data folder
mkdir -p "$results"
pg_data=""
cleanup() {
  [ -n "$pg_data" ] && "$repo/deploy/postgres/local-postgres.sh" stop --data "$pg_data" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== building Release" >&2
dotnet build -c Release -nologo -v q -clp:NoSummary "$repo/loadtests/ContactCenter.InProcessBenchmarks/ContactCenter.InProcessBenchmarks.csproj" >&2

args=()
if [ "$mode" = postgres ]; then
  pg_data=$work/postgres
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 10000)))
  connection=$("$repo/deploy/postgres/local-postgres.sh" start --port "$port" --data "$pg_data" | tail -n 1)
  echo "== PostgreSQL: $connection" >&2
  args=(--postgres "$connection")
  # A cluster-mode silo speaks mutual TLS to its peers and does not start without certificates.
  certificates=$("$repo/deploy/local/dev-certificate.sh" --out "$work/certificates" | tail -n 1)
  export ContactCenter__SiloTls__Certificate=$certificates/silo.pem ContactCenter__SiloTls__CertificateKey=$certificates/silo.key \
    ContactCenter__SiloTls__Authority=$certificates/ca.pem
fi

echo "== $benchmark ($mode) on $(nproc) cores, $(date -u +%Y-%m-%dT%H:%M:%SZ)" >&2
dotnet "$repo/loadtests/ContactCenter.InProcessBenchmarks/bin/Release/net10.0/ContactCenter.InProcessBenchmarks.dll" \
  "$benchmark" "${args[@]}" "$@" | tee "$results/$benchmark-$mode.json"
