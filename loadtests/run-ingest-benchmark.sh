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
#   INGEST_PROFILE=     profile the silo during the measured window: trace, counters, alloc, perf, or a
#                       list (perf,counters); files go to the results folder (see loadtests/profiling.md)
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
generator_bin=$repo/loadtests/ContactCenter.LoadTests/bin/Release/net10.0
# shellcheck source=lib/silo-host.sh
. "$repo/loadtests/lib/silo-host.sh"

pg_port=""
summaries=()
profile=${INGEST_PROFILE:-}
profiler_pids=()

cleanup() {
  stop_silo
  stop_postgres
  if [ "${INGEST_KEEP:-0}" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Opt-in profiling (INGEST_PROFILE): the profilers start when the generator's warm-up should be over and stop
# a little before its measured window ends, so they see the warmed-up silo only. The generator starts a second
# or so after this is called; the margins cover that.
profile_has() { case ",$profile," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

dotnet_tool() { (cd "$repo" && dotnet tool run "$@"); }

pg_stats() {
  [ -n "$pg_port" ] || return 0
  psql -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d contact_center -A -F ' ' -P footer=off -c "
    SELECT now() AS at, xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted, tup_returned, tup_fetched,
           blks_read, blks_hit, (SELECT wal_records FROM pg_stat_wal), (SELECT wal_bytes FROM pg_stat_wal),
           (SELECT wal_fpi FROM pg_stat_wal)
    FROM pg_stat_database WHERE datname = 'contact_center'" 2>&1 || true
}

# Per table: how each was read (sequential or index scans, rows) and written, to subtract start from end.
pg_table_stats() {
  [ -n "$pg_port" ] || return 0
  psql -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d contact_center -A -F ' ' -P footer=off -c "
    SELECT relname, seq_scan, seq_tup_read, idx_scan, idx_tup_fetch, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del
    FROM pg_stat_user_tables ORDER BY relname" 2>&1 || true
}

start_profilers() {
  local mode=$1 delay=$((warmup + 3)) length=$((measured - 5)) duration prefix=$results/profile-$1
  [ -n "$profile" ] || return 0
  [ "$length" -ge 5 ] || length=$measured
  duration=$(printf '00:00:%02d:%02d' $((length / 60)) $((length % 60)))
  log "profiling ($profile): ${length} s from ${delay} s into the run, files $prefix.*"
  if profile_has trace; then
    # Managed stacks of every thread ~100 times a second (.NET 10's name for what was cpu-sampling; the
    # kernel-sampled cpu-sampling profile belongs to collect-linux), plus GC, contention, exception and thread
    # pool events (the keywords of the former cpu-sampling profile), and the runtime's, ASP.NET Core's and
    # Npgsql's counters once a second.
    (sleep "$delay"; dotnet_tool dotnet-trace collect -p "$SILO_PID" --duration "$duration" -o "$prefix.nettrace" \
      --profile dotnet-sampled-thread-time \
      --providers "Microsoft-Windows-DotNETRuntime:0x14C14FCCBD:4,System.Runtime:0:1:EventCounterIntervalSec=1,Microsoft.AspNetCore.Hosting:0:1:EventCounterIntervalSec=1,Microsoft-AspNetCore-Server-Kestrel:0:1:EventCounterIntervalSec=1,Npgsql:0:1:EventCounterIntervalSec=1" \
      >"$prefix-trace.log" 2>&1) &
    profiler_pids+=($!)
  fi
  if profile_has alloc; then
    # Sampled allocations (an event every ~100 KB allocated, with the type and the stack) and GC events.
    (sleep "$delay"; dotnet_tool dotnet-trace collect -p "$SILO_PID" --duration "$duration" -o "$prefix-alloc.nettrace" \
      --profile gc-verbose >"$prefix-alloc.log" 2>&1) &
    profiler_pids+=($!)
  fi
  if profile_has counters; then
    if dotnet_tool dotnet-counters --version >/dev/null 2>&1; then
      (sleep "$delay"; dotnet_tool dotnet-counters collect -p "$SILO_PID" --duration "$duration" --refresh-interval 1 \
        --counters System.Runtime,Microsoft.AspNetCore.Hosting,Microsoft-AspNetCore-Server-Kestrel,Npgsql \
        --format csv -o "$prefix-counters.csv" >"$prefix-counters.log" 2>&1) &
    else
      # dotnet-counters is not in the tool manifest (not on the NuGet feed this was written against): the same
      # counters as EventCounters in a trace of their own, light enough to leave the throughput alone.
      (sleep "$delay"; dotnet_tool dotnet-trace collect -p "$SILO_PID" --duration "$duration" -o "$prefix-counters.nettrace" --rundown false \
        --providers "System.Runtime:0:1:EventCounterIntervalSec=1,Microsoft.AspNetCore.Hosting:0:1:EventCounterIntervalSec=1,Microsoft-AspNetCore-Server-Kestrel:0:1:EventCounterIntervalSec=1,Npgsql:0:1:EventCounterIntervalSec=1" \
        >"$prefix-counters.log" 2>&1) &
    fi
    profiler_pids+=($!)
  fi
  echo "silo=$SILO_PID${PG_DATA:+ postgres=$(head -n 1 "$PG_DATA/postmaster.pid")}" >"$prefix-pids.txt"
  if profile_has perf; then
    # The whole machine (silo, PostgreSQL, generator, kernel) by CPU samples, 499 a second per core, with call
    # chains: unlike the trace's thread samples these are CPU time only, GC and kernel included.
    (sleep "$delay"; perf record -F 499 -g -a -o "$prefix.perf.data" -- sleep "$length" >"$prefix-perf.log" 2>&1) &
    profiler_pids+=($!)
  fi
  if [ -n "$pg_port" ]; then
    (sleep "$delay"
     { pg_stats; pg_table_stats; } >"$prefix-pg_stat-start.txt"
     sleep "$length"
     { pg_stats; pg_table_stats; } >"$prefix-pg_stat-end.txt") &
    profiler_pids+=($!)
  fi
}

# Waits for the profilers to write their files: the silo must still be running while a trace is closed.
finish_profilers() {
  local pid
  for pid in "${profiler_pids[@]}"; do wait "$pid" || log "a profiler (pid $pid) failed; see its log in $results"; done
  profiler_pids=()
}

# Called as `run_mode m || status=1`, where bash ignores `set -e`: every step that can fail says so itself.
run_mode() {
  local mode=$1 dir=$work/$1 url rc=0
  local -a silo_env generator_args
  mkdir -p "$dir"
  if [ "$mode" = postgres ]; then
    PG_DATA=$dir/postgres
    local connection
    connection=$(start_postgres) \
      && [ -n "$connection" ] || { log "PostgreSQL did not start"; return 1; }
    log "PostgreSQL: $connection"
    pg_port=$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' <<<"$connection")
    # shellcheck disable=SC2207 # NAME=VALUE words without spaces
    silo_env=(ContactCenter__Mode=Cluster "ContactCenter__PostgreSql=$connection" $(tls_settings))
    generator_args=(--cpu "postgres=$(head -n 1 "$PG_DATA/postmaster.pid")")
  else
    silo_env=(ContactCenter__Mode=Embedded "ContactCenter__SqlitePath=$dir/contact-center.db")
    generator_args=()
  fi

  # For perf, the JIT writes /tmp/perf-<pid>.map so the silo's compiled methods have names in the samples
  # (without W^X, whose double-mapped code pages perf cannot match to that map).
  if profile_has perf; then silo_env+=(DOTNET_PerfMapEnabled=3 DOTNET_EnableWriteXorExecute=0); fi
  # shellcheck disable=SC2207 # the run's own tokens (development tokens open nothing outside Development)
  silo_env+=($(access_settings))
  url=http://127.0.0.1:$(free_port)
  log "starting the silo ($mode) at $url"
  start_silo "$url" "$results/silo-$mode.log" "${silo_env[@]}" || { summaries+=("$(printf '%-8s %s' "$mode" "the silo did not start")"); return 1; }

  wait_quiet "${INGEST_QUIET_WAIT:-120}"
  log "ingest: ${warmup} s warm-up + ${measured} s measured"
  [ -n "${INGEST_GATEWAYS:-}" ] && generator_args+=(--gateways "$INGEST_GATEWAYS")
  [ -n "${INGEST_BATCH:-}" ] && generator_args+=(--batch "$INGEST_BATCH")
  start_profilers "$mode"
  # shellcheck disable=SC2086 # INGEST_ARGS is a list of options
  # The tokens go in the environment, not on the command line, which every user of the machine can read.
  CONTACT_CENTER_GATEWAY_TOKENS="$GATEWAY_TOKEN_NANJING,$GATEWAY_TOKEN_HUAIAN" \
  dotnet "$generator_bin/ContactCenter.LoadTests.dll" ingest --silo "$url" \
    --seconds "$measured" --warmup "$warmup" \
    --cpu "silo=$SILO_PID" "${generator_args[@]}" --json "$results/ingest-$mode.json" ${INGEST_ARGS:-} \
    | tee "$dir/report.txt" || rc=$?
  finish_profilers

  summaries+=("$(printf '%-8s %s' "$mode" "$(grep '^summary:' "$dir/report.txt" | sed 's/^summary: //' || echo "no report (exit $rc)")")")
  stop_silo
  stop_postgres
  pg_port=""
  return "$rc"
}

log "building Release"
dotnet build -c Release -nologo -v q -clp:NoSummary "$repo/src/ContactCenter.Silo/ContactCenter.Silo.csproj" >&2
dotnet build -c Release -nologo -v q -clp:NoSummary "$repo/loadtests/ContactCenter.LoadTests/ContactCenter.LoadTests.csproj" >&2
if [ -n "$profile" ]; then
  (cd "$repo" && dotnet tool restore >&2)
  if profile_has perf && ! command -v perf >/dev/null; then log "INGEST_PROFILE=perf needs perf (linux-perf)"; exit 2; fi
fi

status=0
for m in "${modes[@]}"; do
  run_mode "$m" || status=1
done

echo
echo "Ingest benchmark on $(nproc) cores ($(date -u +%Y-%m-%dT%H:%M:%SZ)); reports in $results"
printf '%s\n' "${summaries[@]}"
exit "$status"
