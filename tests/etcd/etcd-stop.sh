#!/usr/bin/env bash
# Stops the etcd that etcd-start.sh started and removes its data; with
# --keep, keeps port and data so that etcd-start.sh can start it again.
#   etcd-stop.sh STATE_DIR [--keep]
set -uo pipefail

state=${1:?usage: etcd-stop.sh STATE_DIR [--keep]}
keep=${2:-}
if [ -f "$state/pid" ]; then
  pid=$(cat "$state/pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
fi
if [ "$keep" = "--keep" ] && [ -f "$state/data" ] && [ -f "$state/port" ]; then
  echo "$(cat "$state/port") $(cat "$state/data")" >"$state/kept"
  rm -f "$state/pid"
  exit 0
fi
if [ -f "$state/data" ]; then
  rm -rf "$(cat "$state/data")"
fi
rm -rf "$state"
exit 0
