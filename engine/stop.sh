#!/usr/bin/env bash
# Stops the node engine/start.sh started on ENGINE_PORT (default 9200): the process in its pid
# file, and only if it is that Elasticsearch. Safe to run when none is running.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
port="${ENGINE_PORT:-9200}"
source "$here/paths.sh"
pidfile="$engine_base/node-$port/elasticsearch.pid"

if [ ! -s "$pidfile" ]; then
  echo "engine: nothing started on port $port"
  exit 0
fi
pid="$(cat "$pidfile")"
if ! kill -0 "$pid" 2>/dev/null \
  || ! tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "org.elasticsearch.bootstrap.Elasticsearch"; then
  echo "engine: pid $pid in $pidfile is not running Elasticsearch; removing the stale pid file"
  rm -f "$pidfile"
  exit 0
fi
kill -TERM "$pid"
for _ in $(seq 1 60); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
if kill -0 "$pid" 2>/dev/null; then
  echo "engine: pid $pid did not stop in 30 s; killing it"
  kill -KILL "$pid"
fi
rm -f "$pidfile"
echo "engine: stopped Elasticsearch on port $port (pid $pid)"
