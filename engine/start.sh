#!/usr/bin/env bash
# Starts the search engine for tests and development: one Elasticsearch node on
# 127.0.0.1:${ENGINE_PORT:-9200}, security off, a 2 GB heap (ENGINE_HEAP), its data, logs
# and pid file in engine/target/node-<port>/ (gitignored). Alone by default; a node of a
# cluster on this machine with ENGINE_CLUSTER (cluster name), ENGINE_SEED_HOSTS (the other
# nodes' transport addresses, e.g. 127.0.0.1:9352), ENGINE_INITIAL_MASTERS (node names, on
# the first start), ENGINE_TRANSPORT_PORT and ENGINE_ROLES (e.g. "data"); such a node is
# named node-<port>. Fetches nothing: engine/pom.xml (make engine) unpacked the distribution
# into engine/target/ beforehand. Returns once the cluster is healthy, or fails after
# ENGINE_TIMEOUT seconds with the end of its log. Safe to run again: a node of ours already
# answering on the port is left as it is.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
version="${ENGINE_VERSION:-$(sed -n 's:.*<elasticsearch.version>\(.*\)</elasticsearch.version>.*:\1:p' "$here/pom.xml")}"
source "$here/paths.sh"
home="$engine_base/elasticsearch-$version"
if [ "$engine_base" != "$here/target" ] && [ ! -x "$home/bin/elasticsearch" ] \
  && [ -x "$here/target/elasticsearch-$version/bin/elasticsearch" ]; then
  mkdir -p "$engine_base"
  cp -a "$here/target/elasticsearch-$version" "$home"
  chmod -R a+rX "$engine_base"
fi
host=127.0.0.1
port="${ENGINE_PORT:-9200}"
# 2 GB by default: the indexing buffer is a tenth of the heap, and with 2 GB a rebuild of
# 100,000 bench documents stays in memory until its end and is written as one segment per
# indexing thread (two of about 50,000 with two bulk requests in flight), close to the
# layout the rebuild's merge asks for (search/backends/elasticsearch.py,
# FORCE_MERGE_SEGMENTS), so that merge has little to do. With 512 MB the load wrote 8 segments, and the rebuild cost the engine 26.9-28.0 s of
# CPU (26.7-27.4 s wall) against 21.9-23.6 s (23.4-24.7 s) with 2 GB: `bench/search.py
# --reuse --no-wagtail`, warm nodes, two runs each, load average 1.5-2.1, 2 December 2026.
# CI starts its node with 512 MB (.ci/run): its tests index a few documents.
heap="${ENGINE_HEAP:-2g}"
timeout="${ENGINE_TIMEOUT:-180}"
state="$engine_base/node-$port"
pidfile="$state/elasticsearch.pid"
url="http://$host:$port"
cluster="${ENGINE_CLUSTER:-practice-commons-dev}"
node_name=practice-commons-dev

if [ ! -x "$home/bin/elasticsearch" ]; then
  echo "engine: $home is missing; run 'make engine' (mvn -q -f engine/pom.xml package) first" >&2
  exit 1
fi

running() { [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }
healthy() { curl -fsS -m 5 "$url/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1; }

if running && healthy; then
  echo "engine: Elasticsearch $version already running on $url (pid $(cat "$pidfile"))"
  exit 0
fi
if curl -sS -m 2 -o /dev/null "$url" 2>/dev/null; then
  echo "engine: something else answers on $url; stop it or set ENGINE_PORT" >&2
  exit 1
fi

# Elasticsearch 9 needs Java 21 or newer; the distribution bundles none.
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
if [ -z "${ES_JAVA_HOME:-}" ]; then
  for candidate in ${JAVA_HOME:-} /usr/lib/jvm/*; do
    if [ -x "$candidate/bin/java" ] && [ "$(java_major "$candidate")" -ge 21 ] 2>/dev/null; then
      ES_JAVA_HOME="$candidate"
      break
    fi
  done
fi
if [ -z "${ES_JAVA_HOME:-}" ]; then
  echo "engine: no Java 21 or newer found (set ES_JAVA_HOME)" >&2
  exit 1
fi

mkdir -p "$state/data" "$state/logs" "$state/tmp"
# The node reads its own copy of the configuration (it may write a keystore there).
[ -d "$state/config" ] || cp -r "$home/config" "$state/config"
rm -f "$pidfile"

# Elasticsearch refuses to run as root: as root (CI), run it as nobody, who owns its state.
run_as=()
if [ "$(id -u)" = 0 ]; then
  chown -R 65534:65534 "$state"
  run_as=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
  if ! "${run_as[@]}" test -r "$home/lib" -a -x "$home/bin/elasticsearch"; then
    echo "engine: the user nobody cannot read $home (a parent folder closed to others?)" >&2
    exit 1
  fi
fi

discovery=(-E discovery.type=single-node)
if [ -n "${ENGINE_SEED_HOSTS:-}" ]; then
  node_name="node-$port"
  discovery=(-E discovery.seed_hosts="$ENGINE_SEED_HOSTS")
  [ -z "${ENGINE_INITIAL_MASTERS:-}" ] || discovery+=(-E cluster.initial_master_nodes="$ENGINE_INITIAL_MASTERS")
fi
[ -z "${ENGINE_TRANSPORT_PORT:-}" ] || discovery+=(-E transport.port="$ENGINE_TRANSPORT_PORT")
[ -z "${ENGINE_ROLES:-}" ] || discovery+=(-E node.roles="$ENGINE_ROLES")

echo "engine: starting Elasticsearch $version on $url (heap $heap, Java $(java_major "$ES_JAVA_HOME"), state in $state)"
started=$SECONDS
env -i PATH=/usr/bin:/bin HOME="$state" \
  ES_JAVA_HOME="$ES_JAVA_HOME" ES_PATH_CONF="$state/config" ES_TMPDIR="$state/tmp" \
  ES_JAVA_OPTS="-Xms$heap -Xmx$heap ${ENGINE_JAVA_OPTS:-}" \
  "${run_as[@]}" "$home/bin/elasticsearch" -d -p "$pidfile" \
  -E node.name="$node_name" \
  -E cluster.name="$cluster" \
  "${discovery[@]}" \
  -E network.host="$host" \
  -E http.port="$port" \
  -E path.data="$state/data" \
  -E path.logs="$state/logs" \
  -E xpack.security.enabled=false \
  -E cluster.routing.allocation.disk.threshold_enabled=false \
  >"$state/logs/start.out" 2>&1 || {
    echo "engine: Elasticsearch did not start; the end of its output:" >&2
    tail -n 30 "$state/logs/start.out" >&2
    exit 1
  }

until healthy; do
  if ! running || [ $((SECONDS - started)) -ge "$timeout" ]; then
    echo "engine: no healthy cluster on $url after $((SECONDS - started)) s; the end of its log:" >&2
    tail -n 30 "$state/logs/$cluster.log" "$state/logs/start.out" 2>/dev/null >&2 || true
    exit 1
  fi
  sleep 1
done
echo "engine: Elasticsearch $version healthy on $url after $((SECONDS - started)) s (pid $(cat "$pidfile"))"
