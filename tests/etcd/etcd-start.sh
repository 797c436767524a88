#!/usr/bin/env bash
# Starts a throw-away etcd on loopback for the tests: random free ports, a
# temporary data directory, bounded wait until it is healthy. Writes the
# client endpoint to STATE_DIR/endpoint and the pid to STATE_DIR/pid.
# After `etcd-stop.sh STATE_DIR --keep`, starts the same server again: same
# ports, same data.
#   etcd-start.sh STATE_DIR
set -euo pipefail

state=${1:?usage: etcd-start.sh STATE_DIR}
etcd_bin=${MODELSTATE_ETCD:-$(command -v etcd || true)}
if [ -z "$etcd_bin" ] && [ -x /usr/bin/etcd ]; then etcd_bin=/usr/bin/etcd; fi
if [ -z "$etcd_bin" ]; then
  echo "etcd is not installed: the etcd tests need a real etcd server" \
       "(Debian package etcd-server), or MODELSTATE_ETCD=/path/to/etcd" >&2
  exit 1
fi
command -v curl >/dev/null || { echo "curl is not installed" >&2; exit 1; }

restart=""
if [ -f "$state/kept" ]; then
  restart=$(cat "$state/kept")
  rm -f "$state/kept"
else
  "$(dirname "$0")/etcd-stop.sh" "$state" 2>/dev/null || true
fi
mkdir -p "$state"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

for attempt in 1 2 3 4 5; do
  if [ -n "$restart" ]; then
    client=${restart%% *}
    data=${restart#* }
  else
    client=$((20000 + RANDOM % 20000))
    data=$(mktemp -d "${TMPDIR:-/tmp}/modelstate-etcd.XXXXXX")
  fi
  peer=$((client + 20000))
  if ! port_free "$client" || ! port_free "$peer"; then
    [ -n "$restart" ] && { echo "port $client is taken" >&2; exit 1; }
    rm -rf "$data"
    continue
  fi

  echo "$data" >"$state/data"
  echo "$client" >"$state/port"
  endpoint="http://127.0.0.1:$client"
  setsid "$etcd_bin" --name modelstate-test --data-dir "$data/data" \
    --listen-client-urls "$endpoint" --advertise-client-urls "$endpoint" \
    --listen-peer-urls "http://127.0.0.1:$peer" \
    --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
    --initial-cluster "modelstate-test=http://127.0.0.1:$peer" \
    --initial-cluster-state new --logger zap --log-outputs stderr \
    --log-level warn </dev/null >"$data/etcd.log" 2>&1 &
  pid=$!
  echo "$pid" >"$state/pid"

  deadline=$((SECONDS + 20))
  while [ "$SECONDS" -lt "$deadline" ] && kill -0 "$pid" 2>/dev/null; do
    if curl -fsS --max-time 2 "$endpoint/health" 2>/dev/null |
         grep -q '"health":"true"'; then
      echo "$endpoint" >"$state/endpoint"
      echo "etcd $("$etcd_bin" --version | head -n 1) ready at $endpoint" \
           "(pid $pid)"
      exit 0
    fi
    sleep 0.1
  done

  echo "etcd attempt $attempt failed; log tail:" >&2
  tail -n 5 "$data/etcd.log" >&2 || true
  "$(dirname "$0")/etcd-stop.sh" "$state" || true
  mkdir -p "$state"
done

echo "etcd did not become healthy" >&2
exit 1
