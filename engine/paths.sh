# Sourced by start.sh and stop.sh: where the unpacked engine and each node's state live.
# Elasticsearch refuses to run as root, so as root the node runs as nobody, who must reach
# those folders; a clone inside a folder closed to others gets them under /var/tmp instead.
engine_base="$here/target"
if [ "$(id -u)" = 0 ] && ! setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$engine_base"; then
  engine_base="/var/tmp/practice-commons-engine"
fi
