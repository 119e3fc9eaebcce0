#!/usr/bin/env bash
# Failover drill: proves the procedure in deploy/postgres/README.md on one machine, with two private
# PostgreSQL servers on loopback standing in for the two regions.
#
#   deploy/postgres/replication-drill.sh [--dir DIR] [--ports P1,P2] [--keep]
#   deploy/postgres/replication-drill.sh --stop --dir DIR     stop what --keep left running, remove its folders
#
#   --dir DIR      work folder (default: a new folder under /tmp); the drill's own subfolders in it
#                  (nanjing, huaian, run, work) are replaced on every run and removed at the end
#   --ports P1,P2  loopback ports of "nanjing" (first primary) and "huaian" (its standby); default 55441,55442
#   --keep         leave both servers running at the end (huaian primary, nanjing its standby) and print
#                  how to stop them; otherwise they are stopped and the folder removed
#
# What it does: nanjing is the primary; huaian is cloned from it with pg_basebackup -R, streams through a
# replication slot and is the synchronous standby (synchronous_standby_names, synchronous_commit = on).
# Rows are committed on nanjing and found on huaian; a writer keeps committing while nanjing is killed
# with kill -9 (postmaster and every backend: the region is gone); huaian is promoted with pg_promote();
# every commit that was acknowledged is checked on it; the promoted server waits for a synchronous standby
# until the operator clears synchronous_standby_names; a multi-host libpq connection string finds the new
# primary; nanjing is rebuilt with pg_rewind as huaian's synchronous standby, and the client string still
# picks the primary. Prints PASS/FAIL per check; exits 1 on the first failure. Needs root (or the postgres
# user); installs Debian's postgresql when it is missing. Trust authentication on 127.0.0.1: a drill only.
set -euo pipefail

dir=""
ports="55441,55442"
keep=false
stop=false
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --ports) ports=$2; shift 2 ;;
    --keep) keep=true; shift ;;
    --stop) stop=true; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
p1=${ports%,*}
p2=${ports#*,}

started=$(date +%s%N)
elapsed() { local ms=$(( ($(date +%s%N) - started) / 1000000 )); printf '%3d.%01ds' $((ms / 1000)) $((ms % 1000 / 100)); }
pass() { echo "[$(elapsed)] PASS  $*"; }
info() { echo "[$(elapsed)]       $*"; }
reported=false
fail() { echo "[$(elapsed)] FAIL  $*"; reported=true; exit 1; }
# Any other failing command ends the drill too (set -e); remember where, for the FAIL line at exit.
failed_at=""
trap 'failed_at="line $LINENO: $BASH_COMMAND"' ERR

# --- PostgreSQL binaries, run as their owner ---------------------------------------------------------
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ]; then
  [ "$(id -u)" -eq 0 ] || { echo "PostgreSQL is not installed; run as root once, or: sudo apt-get install -y postgresql" >&2; exit 1; }
  echo "installing PostgreSQL from Debian's packages..." >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

# PostgreSQL refuses to run as root: as root, run its tools as the postgres user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
# q PORT SQL: one statement (autocommit), unaligned output, errors to stderr.
q() { as_owner "$bin/psql" -X -h 127.0.0.1 -p "$1" -U postgres -d drill -v ON_ERROR_STOP=1 -tAqc "$2"; }
# wait_for PORT SQL EXPECTED SECONDS: poll until the query returns EXPECTED.
wait_for() {
  local deadline=$(( $(date +%s) + $4 )) got
  while :; do
    got=$(q "$1" "$2" 2>/dev/null || true)
    [ "$got" = "$3" ] && { echo "$got"; return 0; }
    [ "$(date +%s)" -ge "$deadline" ] && { echo "$got"; return 1; }
    sleep 0.2
  done
}
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# --- Work folder: replace whatever an earlier run left ----------------------------------------------
if [ -z "$dir" ]; then
  $stop && { echo "--stop needs the --dir of the run to stop" >&2; exit 2; }
  dir=$(mktemp -d /tmp/pg-replication-drill.XXXXXX)
else
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
fi
nj="$dir/nanjing"
ha="$dir/huaian"
stop_all() {
  local d
  for d in "$nj" "$ha"; do
    if [ -f "$d/postmaster.pid" ]; then
      as_owner "$bin/pg_ctl" -D "$d" -m immediate -w stop >/dev/null 2>&1 || true
    fi
  done
}
# Sockets live outside the data folders: pg_rewind cannot copy a socket file.
run="$dir/run"
# Only what the drill creates is removed, never the rest of a folder given with --dir.
remove_all() { rm -rf "$nj" "$ha" "$dir/work" "$run"; rmdir "$dir" 2>/dev/null || true; }
stop_all
if $stop; then remove_all; echo "stopped the drill's servers in $dir and removed their folders"; exit 0; fi
rm -rf "$nj" "$ha" "$dir/work" "$run"
mkdir -p "$dir/work" "$run"
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$dir" "$dir/work" "$run"
  runuser -u postgres -- test -w "$dir" \
    || { echo "the postgres user cannot reach $dir: make its parent folders world-searchable (chmod o+x)" >&2; exit 1; }
fi
for p in "$p1" "$p2"; do
  port_in_use "$p" && { echo "port $p is in use; choose others with --ports P1,P2" >&2; exit 1; }
done

writer_pid=""
blocked_pid=""
cleanup() {
  local rc=$?
  if [ "$rc" -ne 0 ] && ! $reported; then
    echo "[$(elapsed)] FAIL  ${failed_at:-a command failed (see its message above)} (exit $rc)"
  fi
  for pid in $writer_pid $blocked_pid; do kill "$pid" 2>/dev/null || true; done
  if $keep && [ "$rc" -eq 0 ]; then
    echo "left running: huaian (primary) on 127.0.0.1:$p2, nanjing (standby) on 127.0.0.1:$p1"
    echo "  connection string: Host=127.0.0.1:$p1,127.0.0.1:$p2;Username=postgres;Database=drill"
    echo "  stop:  $0 --stop --dir $dir"
  else
    stop_all
    [ "$rc" -ne 0 ] && { echo "server logs:"; tail -n 15 "$nj/server.log" "$ha/server.log" 2>/dev/null || true; }
    remove_all
  fi
  echo "drill $([ "$rc" -eq 0 ] && echo PASSED || echo FAILED) in $(elapsed | tr -d ' ')"
}
trap cleanup EXIT

info "PostgreSQL $("$bin/postgres" --version | awk '{print $3}'), folder $dir, nanjing :$p1, huaian :$p2"

# --- 1. The primary (nanjing) ------------------------------------------------------------------------
as_owner "$bin/initdb" -D "$nj" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
# Settings either server needs as a primary. wal_log_hints lets pg_rewind rebuild a failed primary, and
# wal_keep_size keeps the WAL it reads back to the last checkpoint the two servers shared (without it the
# crashed server's own recovery checkpoint can recycle that WAL).
cat >> "$nj/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
wal_level = replica
max_wal_senders = 5
max_replication_slots = 5
wal_log_hints = on
wal_keep_size = 256MB
hot_standby = on
synchronous_commit = on
CONF
# Settings of one server. A data folder copy (pg_basebackup, pg_rewind) carries postgresql.conf along, so
# they are appended again after each copy; the last line wins. (Debian keeps postgresql.conf in
# /etc/postgresql, outside the data folder, where copies do not reach it.)
node_conf() { # name port folder other-name
  cat >> "$3/postgresql.conf" <<CONF
port = $2
unix_socket_directories = '$run'
cluster_name = '$1'
synchronous_standby_names = '$4'
CONF
}
node_conf nanjing "$p1" "$nj" ""
as_owner "$bin/pg_ctl" -D "$nj" -l "$nj/server.log" -w -t 30 start >/dev/null
as_owner "$bin/psql" -X -h 127.0.0.1 -p "$p1" -U postgres -d postgres -qc "CREATE DATABASE drill"
q "$p1" "CREATE TABLE drill_events (id bigint PRIMARY KEY, phase text NOT NULL, at timestamptz NOT NULL DEFAULT now())"
q "$p1" "SELECT pg_create_physical_replication_slot('huaian')" >/dev/null
pass "nanjing primary up on :$p1, replication slot 'huaian' created"

# --- 2. The standby (huaian), cloned with pg_basebackup -R --------------------------------------------
as_owner "$bin/pg_basebackup" -d "host=127.0.0.1 port=$p1 user=postgres application_name=huaian" \
  -D "$ha" -R -S huaian -X stream -c fast
[ -f "$ha/standby.signal" ] || fail "pg_basebackup -R wrote no standby.signal"
node_conf huaian "$p2" "$ha" nanjing
as_owner "$bin/pg_ctl" -D "$ha" -l "$ha/server.log" -w -t 30 start >/dev/null
wait_for "$p1" "SELECT application_name||'/'||state FROM pg_stat_replication" "huaian/streaming" 20 >/dev/null \
  || fail "huaian does not stream from nanjing"
# Synchronous only once the standby streams: before that every commit on nanjing would wait.
q "$p1" "ALTER SYSTEM SET synchronous_standby_names = 'huaian'" >/dev/null
q "$p1" "SELECT pg_reload_conf()" >/dev/null
state=$(wait_for "$p1" "SELECT application_name||'/'||state||'/'||sync_state FROM pg_stat_replication" "huaian/streaming/sync" 10) \
  || fail "huaian is not a streaming synchronous standby (pg_stat_replication: '$state')"
[ "$(q "$p2" "SELECT pg_is_in_recovery()")" = t ] || fail "huaian is not in recovery"
[ "$(q "$p1" "SELECT active FROM pg_replication_slots WHERE slot_name = 'huaian'")" = t ] || fail "slot 'huaian' is not in use"
pass "huaian standby on :$p2 streams through slot 'huaian'; pg_stat_replication: $state"

# --- 3. Synchronous commits reach the standby ---------------------------------------------------------
[ "$(q "$p1" "SHOW synchronous_commit")" = on ] || fail "synchronous_commit is not on"
# One batch of 5,000 rows in one transaction (the silo's group commit) and 200 single-row commits.
q "$p1" "INSERT INTO drill_events (id, phase) SELECT i, 'batch' FROM generate_series(1, 5000) i"
for i in $(seq 5001 5200); do echo "INSERT INTO drill_events (id, phase) VALUES ($i, 'single');"; done \
  | as_owner "$bin/psql" -X -h 127.0.0.1 -p "$p1" -U postgres -d drill -v ON_ERROR_STOP=1 -q >/dev/null
got=$(wait_for "$p2" "SELECT count(*) FROM drill_events" 5200 10) || fail "huaian has $got of 5200 committed rows"
pass "5,200 rows committed on nanjing with synchronous commit (1 batch + 200 single commits) are on huaian"
info "pg_stat_replication: $(q "$p1" "SELECT 'sent='||sent_lsn||' replayed='||replay_lsn||' bytes_behind='||pg_wal_lsn_diff(sent_lsn, replay_lsn)||' write_lag='||coalesce(write_lag::text,'-')||' flush_lag='||coalesce(flush_lag::text,'-')||' replay_lag='||coalesce(replay_lag::text,'-') FROM pg_stat_replication")"

# --- 4. Lose the primary's region while a writer is committing ---------------------------------------
# The writer prints each id once its commit is acknowledged (RETURNING comes back after the commit,
# which with synchronous commit waits for huaian's flush): the list of what a gateway was told.
awk 'BEGIN { for (i = 100001; i <= 300000; i++) printf "INSERT INTO drill_events (id, phase) VALUES (%d, '"'"'inflight'"'"') RETURNING id;\n", i }' \
  > "$dir/work/inflight.sql"
as_owner "$bin/psql" -X -h 127.0.0.1 -p "$p1" -U postgres -d drill -v ON_ERROR_STOP=1 -tAq -f "$dir/work/inflight.sql" \
  > "$dir/work/acknowledged.txt" 2> "$dir/work/writer.err" &
writer_pid=$!
wait_for "$p1" "SELECT count(*) >= 300 FROM drill_events WHERE phase = 'inflight'" t 20 >/dev/null \
  || fail "the writer did not get going"
postmaster=$(head -n 1 "$nj/postmaster.pid")
read -r -a victims <<< "$postmaster $(ps -o pid= --ppid "$postmaster" | tr '\n' ' ')"
kill -9 "${victims[@]}" 2>/dev/null || true
# Until its parent reaps it, a killed postmaster is a zombie that still "exists" for the next server's
# lock-file check; a machine that lost power has no such leftovers.
for _ in $(seq 1 100); do
  gone=true
  for pid in "${victims[@]}"; do [ -e "/proc/$pid" ] && gone=false; done
  $gone && break
  sleep 0.1
done
$gone || info "killed processes not yet reaped: $(for pid in "${victims[@]}"; do [ -e "/proc/$pid" ] && echo -n "$pid "; done)"
if wait "$writer_pid" 2>/dev/null; then fail "the writer finished although its server was killed"; fi
writer_pid=""
sleep 0.5
port_in_use "$p1" && fail "nanjing still answers after kill -9"
acked=$(grep -c '^[0-9]' "$dir/work/acknowledged.txt" || true)
first=$(head -n 1 "$dir/work/acknowledged.txt")
last=$(tail -n 1 "$dir/work/acknowledged.txt")
if ! { [ "$acked" -gt 0 ] && [ "$first" = 100001 ] && [ "$last" = $((100000 + acked)) ]; }; then
  fail "unexpected writer output ($acked acknowledged, first $first, last $last)"
fi
pass "nanjing killed with kill -9 (pids ${victims[*]}) after $acked acknowledged single-row commits; the writer got: $(head -n 1 "$dir/work/writer.err" | sed "s/^psql:[^:]*:[0-9]*: //")"

# --- 5. Promote huaian --------------------------------------------------------------------------------
[ "$(q "$p2" "SELECT pg_promote(wait => true, wait_seconds => 30)")" = t ] || fail "pg_promote() did not complete"
[ "$(q "$p2" "SELECT pg_is_in_recovery()")" = f ] || fail "huaian is still in recovery after pg_promote()"
pass "huaian promoted with pg_promote(); pg_is_in_recovery() = f, now on timeline $(q "$p2" "SELECT ltrim(substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8), '0')")"

# --- 6. Nothing acknowledged is lost ------------------------------------------------------------------
got=$(q "$p2" "SELECT count(*) FROM drill_events WHERE id <= 5200")
[ "$got" = 5200 ] || fail "huaian has $got of the 5200 rows committed before the writer"
got=$(q "$p2" "SELECT count(*) FROM drill_events WHERE id BETWEEN 100001 AND $last")
[ "$got" = "$acked" ] || fail "huaian has $got of the $acked acknowledged in-flight commits: an acknowledged commit was lost"
extra=$(q "$p2" "SELECT count(*) FROM drill_events WHERE id > $last")
pass "every acknowledged commit is on huaian: 5200 + $acked rows; $extra more committed but never acknowledged (a resend is a duplicate the journal drops by event id)"

# --- 7. The promoted server holds commits until it has a synchronous standby or the operator decides -
# Its synchronous_standby_names names nanjing, which is gone: a commit waits (SyncRep) instead of
# succeeding with a single copy. Running on one copy until nanjing is rebuilt is an operator's decision.
as_owner "$bin/psql" -X -h 127.0.0.1 -p "$p2" -U postgres -d drill -tAqc \
  "INSERT INTO drill_events (id, phase) VALUES (400001, 'after-promotion') RETURNING id" > "$dir/work/blocked.txt" 2>&1 &
blocked_pid=$!
wait_for "$p2" "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep'" 1 10 >/dev/null \
  || fail "a commit on the promoted server did not wait for a synchronous standby"
pass "a commit on promoted huaian waits for its synchronous standby (wait_event SyncRep): nothing is acknowledged with one copy by accident"
q "$p2" "ALTER SYSTEM SET synchronous_standby_names = ''" >/dev/null
q "$p2" "SELECT pg_reload_conf()" >/dev/null
for _ in $(seq 1 50); do kill -0 "$blocked_pid" 2>/dev/null || break; sleep 0.2; done
wait "$blocked_pid" || fail "the waiting commit failed: $(cat "$dir/work/blocked.txt")"
blocked_pid=""
[ "$(cat "$dir/work/blocked.txt")" = 400001 ] || fail "the waiting commit returned '$(cat "$dir/work/blocked.txt")'"
pass "after ALTER SYSTEM SET synchronous_standby_names = '' and pg_reload_conf() the waiting commit completes; huaian accepts writes"

# --- 8. Clients find the new primary with a multi-host connection string ------------------------------
multi="host=127.0.0.1,127.0.0.1 port=$p1,$p2 user=postgres dbname=drill target_session_attrs=read-write connect_timeout=3"
got=$(as_owner "$bin/psql" -X "$multi" -tAqc "INSERT INTO drill_events (id, phase) VALUES (400002, 'multi-host') RETURNING inet_server_port()") \
  || fail "psql \"$multi\" could not write"
[ "$got" = "$p2" ] || fail "the multi-host connection reached port $got, not huaian's $p2"
pass "psql \"host=127.0.0.1,127.0.0.1 port=$p1,$p2 target_session_attrs=read-write\" skips dead nanjing, writes on huaian (:$got)"

# --- 9. Rebuild nanjing as huaian's standby with pg_rewind --------------------------------------------
q "$p2" "SELECT pg_create_physical_replication_slot('nanjing')" >/dev/null
# A just-promoted server records its new timeline in pg_control only at its next checkpoint; until then
# pg_rewind sees both on one timeline, answers "no rewind required" and leaves nanjing unable to follow.
q "$p2" "CHECKPOINT"
# pg_rewind runs crash recovery on the killed data folder first, then copies what diverged.
as_owner "$bin/pg_rewind" -D "$nj" --source-server="host=127.0.0.1 port=$p2 user=postgres dbname=postgres application_name=nanjing" \
  -R > "$dir/work/rewind.log" 2>&1 || { cat "$dir/work/rewind.log"; fail "pg_rewind failed"; }
grep -q "no rewind required" "$dir/work/rewind.log" && fail "pg_rewind found nothing to rewind"
[ -f "$nj/standby.signal" ] || fail "pg_rewind -R wrote no standby.signal"
# pg_rewind copied huaian's configuration: its own settings again, and the slot to stream from. The copied
# postgresql.auto.conf (which outranks postgresql.conf) names huaian's slot, so the slot goes there.
node_conf nanjing "$p1" "$nj" huaian
echo "primary_slot_name = 'nanjing'" >> "$nj/postgresql.auto.conf"
as_owner "$bin/pg_ctl" -D "$nj" -l "$nj/server.log" -w -t 30 start >/dev/null
state=$(wait_for "$p2" "SELECT application_name||'/'||state FROM pg_stat_replication" "nanjing/streaming" 20) \
  || fail "nanjing does not stream from huaian (pg_stat_replication: '$state')"
q "$p2" "ALTER SYSTEM SET synchronous_standby_names = 'nanjing'" >/dev/null
q "$p2" "SELECT pg_reload_conf()" >/dev/null
state=$(wait_for "$p2" "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'nanjing'" sync 10) \
  || fail "nanjing is not synchronous (sync_state '$state')"
q "$p2" "INSERT INTO drill_events (id, phase) VALUES (400003, 'after-rebuild')"
got=$(wait_for "$p1" "SELECT count(*) FROM drill_events WHERE id IN (400001, 400002, 400003) OR id <= $last" $((5200 + acked + 3)) 10) \
  || fail "nanjing has $got rows after the rebuild"
pass "nanjing rebuilt with pg_rewind -R, streams from huaian as its synchronous standby and has every acknowledged row"

# --- 10. The same client string still finds the primary, now that nanjing answers as a standby --------
got=$(as_owner "$bin/psql" -X "$multi" -tAqc "SELECT inet_server_port()||'/'||pg_is_in_recovery()") || fail "multi-host connection failed"
[ "$got" = "$p2/false" ] || fail "the multi-host connection reached '$got', not huaian's primary"
pass "with nanjing up as a standby, target_session_attrs=read-write still lands on huaian (:$p2)"
