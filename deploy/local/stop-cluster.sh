#!/usr/bin/env bash
# Stops what start-cluster.sh started: both silos (gracefully, then by force after 30 s) and PostgreSQL.
#
#   deploy/local/stop-cluster.sh [--state DIR]            stop everything, keep the data
#   deploy/local/stop-cluster.sh silo nanjing|huaian      stop one silo
#   deploy/local/stop-cluster.sh kill nanjing|huaian      kill -9 one silo (a region lost without warning)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

action=all
region=""
if [ "${1:-}" = "silo" ] || [ "${1:-}" = "kill" ]; then
  action=$1
  region=${2:?which silo: nanjing or huaian}
  shift 2
fi
state="${PWD}/data/cluster"
while [ $# -gt 0 ]; do
  case "$1" in
    --state) state=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

stop_silo() {
  local region=$1 signal=$2 pid_file="$state/$1.pid" pid
  [ -f "$pid_file" ] || return 0
  pid=$(cat "$pid_file")
  if kill -0 "$pid" 2>/dev/null; then
    kill "-$signal" "$pid"
    # A graceful stop hands the silo's grains over and leaves the membership table; give it time to.
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "$region: still running after 30 s, killing" >&2
      kill -KILL "$pid"
    fi
    echo "$region: stopped ($signal)"
  fi
  rm -f "$pid_file"
}

case "$action" in
  silo) stop_silo "$region" TERM ;;
  kill) stop_silo "$region" KILL ;;
  all)
    stop_silo nanjing TERM &
    stop_silo huaian TERM &
    wait
    "$root/deploy/postgres/local-postgres.sh" stop --data "$state/postgres"
    echo "postgres: stopped"
    ;;
esac
