#!/usr/bin/env bash
# The SIP edge's media benchmark: builds Release, starts an embedded silo and an edge beside it, gives a queue
# enough ready agents (all answered by one sipp phone that streams a 400 Hz tone), and keeps N calls bridged and
# recorded at once with sipp callers streaming a 1 kHz tone. Over a steady window it reports: the calls up, the
# RTP packets the edge relayed and those it could not, how long a packet stayed in the edge (p50/p99/p99.99), the
# kernel's receive-buffer drops on the edge's sockets, the edge's CPU per call, and the bytes written per recorded minute.
#
#   loadtests/run-media-benchmark.sh [CONCURRENT ...]      (default: 100 300)
#
# With MEDIA_MODE=menu the calls stay in a voice menu instead (no agents, nothing recorded): the edge plays each
# caller the menu's prompt (a 600 Hz tone longer than the call) while receiving the caller's stream, which is the
# media of the reference center's 27,000 callers in menus and queues at the busy hour; the figure is the edge's
# CPU per call-second.
#
# Environment: MEDIA_CALL_SECONDS=40 (each call's length), MEDIA_MODE=bridged|menu, MEDIA_RESULTS= (default artifacts/loadtests)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
levels=("$@")
[ ${#levels[@]} -gt 0 ] || levels=(100 300)
call_seconds=${MEDIA_CALL_SECONDS:-40}
mode=${MEDIA_MODE:-bridged}
case "$mode" in bridged|menu) ;; *) echo "MEDIA_MODE is bridged or menu, not '$mode'" >&2; exit 2 ;; esac
results=${MEDIA_RESULTS:-$repo/artifacts/loadtests}
scenarios=$repo/tests/ContactCenter.SipEdge.Tests/Scenarios
work=$(mktemp -d /tmp/media-benchmark.XXXXXX)
mkdir -p "$results"
# shellcheck source=lib/silo-host.sh
. "$repo/loadtests/lib/silo-host.sh"
EDGE_PID=""; UAS_PID=""

cleanup() {
  [ -z "$UAS_PID" ] || kill "$UAS_PID" 2>/dev/null || true
  if [ -n "$EDGE_PID" ]; then kill -TERM "$EDGE_PID" 2>/dev/null || true; wait "$EDGE_PID" 2>/dev/null || true; fi
  stop_silo
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in sipp sox; do command -v $tool >/dev/null || { log "$tool is missing: apt-get install sip-tester sox"; exit 1; }; done
log "building Release"
for project in src/ContactCenter.Silo src/ContactCenter.SipEdge; do (cd "$repo" && dotnet build -c Release -v q -nologo "$project" >/dev/null); done
sox -n -r 8000 -c 1 -e mu-law "$work/caller-tone.wav" synth 120 sine 1000 vol 0.5
sox -n -r 8000 -c 1 -e mu-law "$work/agent-tone.wav" synth 120 sine 400 vol 0.5
sox -n -r 8000 -c 1 -e mu-law "$work/menu-prompt.wav" synth $((call_seconds * 3)) sine 600 vol 0.5
# A menu that waits past the call's end for a key that never comes: each caller hears the prompt throughout.
cat >"$work/menu.json" <<MENU
{ "name": "bench", "prompt": "menu-prompt.wav", "timeoutSeconds": 60, "retries": 0, "choices": { "1": { "queue": "bench-media" } } }
MENU

max=0; for level in "${levels[@]}"; do [ "$level" -gt "$max" ] && max=$level; done
agents=$((max + max / 5 + 10))
silo_url="http://127.0.0.1:$(free_port)"
# shellcheck disable=SC2046
start_silo "$silo_url" "$results/media-benchmark-silo.log" $(access_settings) $(tls_settings) \
  "ContactCenter__Mode=Embedded" "ContactCenter__SqlitePath=$work/center.db" "ContactCenter__CenterFile="
admin() { curl -fsS -m 10 -X "$1" "$silo_url/api/v1$2" -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' ${3:+-d "$3"} >/dev/null; }
uas_port=$(free_port)
admin PUT /admin/queues/bench-media '{"name":"bench media","region":"nanjing","tiers":[{"tier":1,"afterSeconds":0}],"wrapUpSeconds":0,"maxLength":5000}'
[ "$mode" = menu ] && agents=0
log "configured a queue and $agents agents at the sipp phone on port $uas_port ($mode calls)"
for i in $(seq 1 "$agents"); do
  admin PUT "/admin/agents/bench-agent-$i" '{"name":"bench","region":"nanjing","skills":[{"queue":"bench-media","tier":1}]}'
  admin POST "/agents/bench-agent-$i/login" "{\"endpoint\":\"sip:bench-agent-$i@127.0.0.1:$uas_port\"}"
  admin POST "/agents/bench-agent-$i/ready"
done

sip_port=$(free_port); status_port=$(free_port)
(cd "$repo/src/ContactCenter.SipEdge/bin/Release/net10.0" && exec env \
  "Urls=http://127.0.0.1:$status_port" "Serilog__MinimumLevel__Default=Warning" ${MEDIA_EDGE_ENV:-} \
  "SipEdge__Name=media-bench" "SipEdge__Cluster__0__Name=nanjing" "SipEdge__Cluster__0__Url=$silo_url" \
  "SipEdge__GatewayToken=$GATEWAY_TOKEN_NANJING" "SipEdge__SipPort=$sip_port" \
  "SipEdge__RtpPortFirst=20000" "SipEdge__RtpPortLast=29998" \
  "SipEdge__Numbers__10086__Queue=$([ "$mode" = bridged ] && echo bench-media)" \
  "SipEdge__Numbers__10086__Menu=$([ "$mode" = menu ] && echo "$work/menu.json")" \
  "SipEdge__RecordingsPath=$work/recordings" \
  dotnet ContactCenter.SipEdge.dll) >"$results/media-benchmark-edge.log" 2>&1 &
EDGE_PID=$!
if [ "$mode" = bridged ]; then
  (cd "$work" && exec sipp -sf "$scenarios/agent-answers.xml" -i 127.0.0.1 -p "$uas_port" -mp 40000 -nostdin -max_socket 5000) >"$work/uas.out" 2>&1 &
  UAS_PID=$!
fi
sleep 3
kill -0 "$EDGE_PID" || { tail -n 30 "$results/media-benchmark-edge.log"; exit 1; }

status() { curl -fsS -m 5 "http://127.0.0.1:$status_port/status"; }
field() { sed -E "s/.*\"$2\":(null|-?[0-9]+).*/\1/" <<<"$1"; }
# The delay under which the given share of the packets relayed between two status reads stayed in the edge: the
# bucket counts' difference (bounds as in Media/MediaCounters.cs; above the last one prints ">20000").
bounds=(10 20 50 100 200 500 1000 2000 5000 10000 20000)
buckets() { sed -E 's/.*"relayDelayBuckets":\[([0-9,]*)\].*/\1/' <<<"$1" | tr ',' ' '; }
window_percentile() {
  read -ra first <<<"$(buckets "$1")"; read -ra second <<<"$(buckets "$2")"
  local total=0 seen=0 i
  for i in "${!second[@]}"; do total=$((total + second[i] - first[i])); done
  [ "$total" -gt 0 ] || { echo "-"; return; }
  for i in "${!second[@]}"; do
    seen=$((seen + second[i] - first[i]))
    if [ "$(echo "$seen >= $3 * $total" | bc)" = 1 ]; then echo "${bounds[i]:->20000}"; return; fi
  done
}
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
# Datagrams the kernel dropped on the edge's own sockets (RTP ports 20000-29998 and the SIP port) because their
# receive buffers were full: /proc/net/udp's last column, per socket. (sipp does not read the media it is sent,
# so the machine-wide figure would count its drops, not the edge's.)
udp_drops() {
  awk -v sip="$sip_port" 'function hex(h,  i, n) { n = 0; for (i = 1; i <= length(h); i++) n = n * 16 + index("0123456789ABCDEF", substr(h, i, 1)) - 1; return n }
    NR > 1 { split($2, local, ":"); port = hex(local[2]); if ((port >= 20000 && port <= 29998) || port == sip) sum += $NF } END { print sum + 0 }' /proc/net/udp
}

printf '%-10s %6s %12s %10s %9s %9s %11s %10s %13s %15s\n' concurrent "up" "relayed/s" "not relayed" "p50 us" "p99 us" "p99.99 us" "edge drops" "edge ms/call·s" "bytes/rec. min"
for level in "${levels[@]}"; do
  rm -rf "$work/recordings"; mkdir -p "$work/recordings"
  rate=$(( (level + call_seconds - 1) / call_seconds + 1 ))
  total=$((level * 2))
  (cd "$work" && exec sipp "127.0.0.1:$sip_port" -sf "$scenarios/caller.xml" -s 10086 -i 127.0.0.1 -mp 50000 \
    -r "$rate" -l "$level" -m "$total" -d $((call_seconds * 1000)) -nostdin -max_socket 5000 -timeout $((call_seconds * 6))s) \
    >"$work/callers-$level.out" 2>&1 &
  callers=$!
  # Ramp up until the level is reached, then a steady window of half a call's length.
  for _ in $(seq 1 $((call_seconds * 3))); do
    up=$(field "$(status)" calls); [ "$up" -ge "$level" ] && break; sleep 1
  done
  before=$(status); cpu_before=$(cpu_seconds "$EDGE_PID"); drops_before=$(udp_drops); started=$(date +%s.%N)
  sleep $((call_seconds / 2))
  after=$(status); cpu_after=$(cpu_seconds "$EDGE_PID"); drops_after=$(udp_drops); window=$(echo "$(date +%s.%N) - $started" | bc)
  up=$(field "$after" calls)
  relayed=$(echo "($(field "$after" rtpRelayed) - $(field "$before" rtpRelayed)) / $window" | bc)
  wait "$callers" || log "some callers failed at $level: $(grep -E 'Failed call' "$work/callers-$level.out" | tail -n 1)"
  bytes=$(find "$work/recordings" -name '*.wav' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
  seconds=$(find "$work/recordings" -name '*.wav' -exec soxi -D {} \; | awk '{ s += $1 } END { print s + 0 }')
  printf '%-10s %6s %12s %10s %9s %9s %11s %10s %13s %15s\n' "$level" "$up" "$relayed" \
    "$(( $(field "$after" rtpNotRelayed) - $(field "$before" rtpNotRelayed) ))" \
    "$(window_percentile "$before" "$after" 0.5)" "$(window_percentile "$before" "$after" 0.99)" "$(window_percentile "$before" "$after" 0.9999)" \
    "$((drops_after - drops_before))" "$(echo "scale=3; 1000 * ($cpu_after - $cpu_before) / ($up * $window)" | bc)" \
    "$([ "$seconds" = 0 ] && echo - || echo "scale=0; $bytes * 60 / $seconds" | bc)"
  cp "$work/callers-$level.out" "$results/media-benchmark-callers-$level.out"
done
