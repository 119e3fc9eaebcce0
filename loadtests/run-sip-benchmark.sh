#!/usr/bin/env bash
# The SIP edge's signalling benchmark: builds Release, starts an embedded silo with the sample center and an edge
# beside it, and drives the edge with sipp callers (INVITE, 200, ACK, BYE; no media, no IVR) at rising rates.
# Each call is a real call of the cluster (offered, queued, ended reported through the gateway client). Prints,
# per rate: calls attempted, succeeded and failed, the rate reached, the call setup time (INVITE to 200) that
# sipp measured, and the CPU the edge and the silo used per call.
#
#   loadtests/run-sip-benchmark.sh [RATE ...]      (default: 100 300 500 800)
#
# Environment: SIP_SECONDS=20 (seconds per rate), SIP_RESULTS= (default artifacts/loadtests), SIP_TRANSPORT=u1 (or t1)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
rates=("$@")
[ ${#rates[@]} -gt 0 ] || rates=(100 300 500 800)
seconds=${SIP_SECONDS:-20}
transport=${SIP_TRANSPORT:-u1}
results=${SIP_RESULTS:-$repo/artifacts/loadtests}
work=$(mktemp -d /tmp/sip-benchmark.XXXXXX)
mkdir -p "$results"
# shellcheck source=lib/silo-host.sh
. "$repo/loadtests/lib/silo-host.sh"
EDGE_PID=""

cleanup() {
  if [ -n "$EDGE_PID" ]; then kill -TERM "$EDGE_PID" 2>/dev/null || true; wait "$EDGE_PID" 2>/dev/null || true; fi
  stop_silo
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v sipp >/dev/null || { log "sipp is missing: apt-get install sip-tester"; exit 1; }
log "building Release"
for project in src/ContactCenter.Silo src/ContactCenter.SipEdge; do (cd "$repo" && dotnet build -c Release -v q -nologo "$project" >/dev/null); done

silo_url="http://127.0.0.1:$(free_port)"
# shellcheck disable=SC2046
start_silo "$silo_url" "$results/sip-benchmark-silo.log" $(access_settings) $(tls_settings) \
  "ContactCenter__Mode=Embedded" "ContactCenter__SqlitePath=$work/center.db"
# Somebody logged in (not ready) in the queue, so the calls wait in it rather than being turned away at once.
curl -fsS -m 10 -X POST "$silo_url/api/v1/agents/nj-team-lead-001/login" -H "Authorization: Bearer $ADMIN_TOKEN" \
  -H 'Content-Type: application/json' -d '{"endpoint":"sip:1001@127.0.0.1:5999"}' >/dev/null

sip_port=$(free_port)
(cd "$repo/src/ContactCenter.SipEdge/bin/Release/net10.0" && exec env \
  "Urls=http://127.0.0.1:$(free_port)" "Serilog__MinimumLevel__Default=Warning" \
  "SipEdge__Name=bench-edge" "SipEdge__Cluster__0__Name=nanjing" "SipEdge__Cluster__0__Url=$silo_url" \
  "SipEdge__GatewayToken=$GATEWAY_TOKEN_NANJING" "SipEdge__SipPort=$sip_port" \
  "SipEdge__RtpPortFirst=40000" "SipEdge__RtpPortLast=59998" "SipEdge__MaxCalls=20000" \
  "SipEdge__Numbers__10086__Queue=gotone-billing-nanjing" "SipEdge__RecordingsPath=$work/recordings" \
  dotnet ContactCenter.SipEdge.dll) >"$results/sip-benchmark-edge.log" 2>&1 &
EDGE_PID=$!
sleep 3
kill -0 "$EDGE_PID" || { tail -n 30 "$results/sip-benchmark-edge.log"; exit 1; }

# CPU seconds a process has used (user + system), from /proc.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }

printf '%-6s %9s %9s %7s %9s %9s %9s %9s %13s %13s\n' rate attempted succeeded failed "calls/s" "setup p50" "p99 ms" "max ms" "edge ms/call" "silo ms/call"
for rate in "${rates[@]}"; do
  calls=$((rate * seconds))
  edge_before=$(cpu_seconds "$EDGE_PID"); silo_before=$(cpu_seconds "$SILO_PID")
  started=$(date +%s.%N)
  (cd "$work" && sipp "127.0.0.1:$sip_port" -sf "$repo/loadtests/sip/caller-signalling.xml" -s 10086 -i 127.0.0.1 -t "$transport" \
    -r "$rate" -m "$calls" -l $((rate * 4)) -d 0 -nostdin -timeout $((seconds * 4))s -timeout_error \
    -trace_rtt -rtt_freq 1000 -max_socket 2000 >"$work/sipp-$rate.out" 2>&1) || true
  elapsed=$(echo "$(date +%s.%N) - $started" | bc)
  edge_after=$(cpu_seconds "$EDGE_PID"); silo_after=$(cpu_seconds "$SILO_PID")
  out="$work/sipp-$rate.out"
  succeeded=$(grep -E 'Successful call' "$out" | tail -n 1 | awk -F'|' '{ gsub(/ /, "", $3); print $3 }')
  failed=$(grep -E 'Failed call' "$out" | tail -n 1 | awk -F'|' '{ gsub(/ /, "", $3); print $3 }')
  # sipp's response-time file: one row per call with the setup time (INVITE to 200) in milliseconds.
  rtt=$(ls "$work"/caller-signalling_*_rtt.csv 2>/dev/null | head -n 1 || true)
  p50=-; p99=-; max=-
  if [ -n "$rtt" ]; then
    # Whole milliseconds: 0 is under one.
    read -r p50 p99 max < <(awk -F';' 'NR > 1 && $3 == "setup" { print $2 }' "$rtt" | sort -n | awk '{ v[NR] = $1 } END { if (!NR) { print "- - -"; exit } i = int(NR * 0.99) + 1; if (i > NR) i = NR; print v[int(NR / 2) + 1], v[i], v[NR] }')
    cp "$rtt" "$results/sip-benchmark-rtt-$rate.csv"; rm -f "$rtt"
  fi
  cp "$out" "$results/sip-benchmark-sipp-$rate.out"
  per() { echo "scale=3; 1000 * ($2 - $1) / ${succeeded:-1}" | bc; }
  printf '%-6s %9s %9s %7s %9.1f %9s %9s %9s %13s %13s\n' "$rate" "$calls" "${succeeded:-?}" "${failed:-?}" \
    "$(echo "${succeeded:-0} / $elapsed" | bc -l)" "$p50" "$p99" "$max" "$(per "$edge_before" "$edge_after")" "$(per "$silo_before" "$silo_after")"
  sleep 2
done
