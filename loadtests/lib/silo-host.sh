# Shared by the load-test scripts (sourced): starting a private PostgreSQL and a silo on free loopback ports,
# waiting for them, and stopping what was started. Expects $repo (the repository) and $work (a scratch folder).

SILO_PID=""
PG_DATA=""
used_ports=" "

log() { echo "== $*" >&2; }

# A free loopback TCP port, not handed out before in this run: random, from a range the kernel does not use for
# outgoing connections, and checked against listening sockets.
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

# Figures are only worth having on an otherwise idle machine: wait (up to $1 seconds) until the cores are less
# than 15% busy over 3 s, and say so if they never are.
wait_quiet() {
  local deadline=$((SECONDS + ${1:-120})) busy total1 idle1 total2 idle2
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

# start_postgres: a private PostgreSQL in $PG_DATA (set it first: this runs in a command substitution, whose
# variables do not come back); prints the connection string.
start_postgres() {
  "$repo/deploy/postgres/local-postgres.sh" start --port "$(free_port)" --data "$PG_DATA" | tail -n 1
}

stop_postgres() {
  if [ -n "$PG_DATA" ]; then
    "$repo/deploy/postgres/local-postgres.sh" stop --data "$PG_DATA" || true
  fi
  PG_DATA=""
}

postgres_pid() { head -n 1 "$PG_DATA/postmaster.pid"; }

# Tokens of this run's own, for silos started here (access_settings): development tokens (dev-...) are for the
# Development environment, and a load test measures the silo as it runs in production.
run_token() { head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
GATEWAY_TOKEN_NANJING="gw-nanjing-$(run_token)"
GATEWAY_TOKEN_HUAIAN="gw-huaian-$(run_token)"
ADMIN_TOKEN="admin-$(run_token)"

# access_settings: the environment (NAME=VALUE words) giving a silo the two gateways and an admin with the tokens above.
access_settings() {
  echo "ContactCenter__Access__Gateways__0__Id=gw-nanjing-1" "ContactCenter__Access__Gateways__0__Token=$GATEWAY_TOKEN_NANJING" \
    "ContactCenter__Access__Gateways__0__Region=nanjing" \
    "ContactCenter__Access__Gateways__1__Id=gw-huaian-1" "ContactCenter__Access__Gateways__1__Token=$GATEWAY_TOKEN_HUAIAN" \
    "ContactCenter__Access__Gateways__1__Region=huaian" \
    "ContactCenter__Access__Operators__0__Name=load-test-admin" "ContactCenter__Access__Operators__0__Token=$ADMIN_TOKEN" \
    "ContactCenter__Access__Operators__0__Role=admin"
}

# tls_settings: where the silo has silo-to-silo TLS settings (deploy/local/dev-certificate.sh makes a development
# CA and certificate for them), the environment that gives it this run's certificate, made in $work; else nothing.
tls_settings() {
  local dir
  [ -x "$repo/deploy/local/dev-certificate.sh" ] || return 0
  dir=$("$repo/deploy/local/dev-certificate.sh" --out "$work/certificates" | tail -n 1)
  echo "ContactCenter__SiloTls__Certificate=$dir/silo.pem" "ContactCenter__SiloTls__CertificateKey=$dir/silo.key" \
    "ContactCenter__SiloTls__Authority=$dir/ca.pem"
}

# start_silo URL LOG_FILE ENV...: the Release silo from its output folder (it finds its appsettings.json there),
# on a free silo port; waits until /health/ready answers.
start_silo() {
  local url=$1 log_file=$2; shift 2
  (cd "$repo/src/ContactCenter.Silo/bin/Release/net10.0" && exec env "$@" "Urls=$url" "ContactCenter__SiloPort=$(free_port)" \
    dotnet ContactCenter.Silo.dll) >"$log_file" 2>&1 &
  SILO_PID=$!
  for _ in $(seq 1 240); do
    if ! kill -0 "$SILO_PID" 2>/dev/null; then
      log "the silo exited during start-up; its log:"; tail -n 40 "$log_file" >&2; return 1
    fi
    if curl -fsS -m 2 "$url/health/ready" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  log "the silo was not ready after 120 s; its log:"; tail -n 40 "$log_file" >&2
  return 1
}

stop_silo() {
  if [ -n "$SILO_PID" ] && kill -0 "$SILO_PID" 2>/dev/null; then
    # SIGTERM lets the journal writer finish its last commit; a silo stuck for 30 s is killed.
    kill -TERM "$SILO_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$SILO_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$SILO_PID" 2>/dev/null || true
    wait "$SILO_PID" 2>/dev/null || true
  fi
  SILO_PID=""
}
